import CSwasm

// wasmtime/sharedmemory.h: memories shared between threads and stores. A handle
// (`wasmtime_sharedmemory_t`) is an object of the host's holding one share of the memory
// (`SharedMemoryShare`): cloning makes another handle, deleting one drops its share. Shared
// memories never move, so their data pointer stays valid while a share is held.

/// The object behind a `wasmtime_sharedmemory_t`: a registered link (first, so that the handle's
/// address is the link's), then the share. A pointer the host hands in is used only once the
/// registry knows it: a forged or deleted handle is refused, not dereferenced.
struct SharedMemoryHandleObject: ~Copyable {
    var link = swasm_handle_link()
    let share: SharedMemoryShare
}

enum SharedMemoryHandle {
    /// A new handle holding a share of `memory`; nil when it cannot be allocated.
    static func make(_ memory: UnsafeMutablePointer<LinearMemory>) -> OpaquePointer? {
        guard let object = try? Heap.create(SharedMemoryHandleObject(share: SharedMemoryShare(memory))) else { return nil }
        cswasm_handle_register(withUnsafeMutablePointer(to: &object.pointee.link) { $0 })
        return OpaquePointer(object)
    }

    /// The memory of a live handle; nil for anything else.
    static func memory(_ handle: OpaquePointer?) -> UnsafeMutablePointer<LinearMemory>? {
        guard let handle, cswasm_handle_is_registered(UnsafeRawPointer(handle)) else { return nil }
        return UnsafeMutablePointer<SharedMemoryHandleObject>(handle).pointee.share.memory
    }

    static func delete(_ handle: OpaquePointer) {
        guard cswasm_handle_unregister(UnsafeRawPointer(handle)) else { return }
        Heap.destroy(UnsafeMutablePointer<SharedMemoryHandleObject>(handle))
    }
}

@_cdecl("wasmtime_sharedmemory_new")
public func wasmtime_sharedmemory_new(_ engine: OpaquePointer?, _ type: OpaquePointer?, _ out: UnsafeMutablePointer<OpaquePointer?>?) -> OpaquePointer? {
    guard let engine, let type = ExternTypeObject.cast(type, to: .memory), let out else {
        return OpaquePointer(ErrorReport.make(.invalidArgument, "wasmtime_sharedmemory_new: arguments must not be NULL"))
    }
    out.pointee = nil
    guard EngineHandle.from(engine).pointer.pointee.config.sharedMemory else {
        return OpaquePointer(ErrorReport.make(.invalidArgument, "shared memory support is disabled for this engine -- see `Config::shared_memory`"))
    }
    let memoryType = MemoryTypeObject.pointer(type).pointee.type
    guard memoryType.isShared else {
        return OpaquePointer(ErrorReport.make(.invalidArgument, "shared memory must have the `shared` flag enabled on its memory type"))
    }
    do throws(SwasmError) {
        let memory = try LinearMemory.create(memoryType, limits: StoreLimits())
        // The handle takes a share; the creator's goes.
        let handle = SharedMemoryHandle.make(memory)
        LinearMemory.release(memory)
        guard let handle else { throw .outOfMemory }
        out.pointee = handle
        return nil
    } catch {
        return OpaquePointer(ErrorReport.make(error, "failed to create the shared memory"))
    }
}

@_cdecl("wasmtime_sharedmemory_delete")
public func wasmtime_sharedmemory_delete(_ memory: OpaquePointer?) {
    memory.map(SharedMemoryHandle.delete)
}

@_cdecl("wasmtime_sharedmemory_clone")
public func wasmtime_sharedmemory_clone(_ memory: OpaquePointer?) -> OpaquePointer? {
    SharedMemoryHandle.memory(memory).flatMap(SharedMemoryHandle.make)
}

@_cdecl("wasmtime_sharedmemory_type")
public func wasmtime_sharedmemory_type(_ memory: OpaquePointer?) -> OpaquePointer? {
    guard let target = SharedMemoryHandle.memory(memory) else { return nil }
    return try? MemoryTypeObject.make(target.pointee.type)
}

@_cdecl("wasmtime_sharedmemory_data")
public func wasmtime_sharedmemory_data(_ memory: OpaquePointer?) -> UnsafeMutablePointer<UInt8>? {
    SharedMemoryHandle.memory(memory)?.pointee.base
}

@_cdecl("wasmtime_sharedmemory_data_size")
public func wasmtime_sharedmemory_data_size(_ memory: OpaquePointer?) -> Int {
    guard let target = SharedMemoryHandle.memory(memory) else { return 0 }
    return Int(truncatingIfNeeded: target.pointee.currentByteCount)
}

@_cdecl("wasmtime_sharedmemory_size")
public func wasmtime_sharedmemory_size(_ memory: OpaquePointer?) -> UInt64 {
    guard let target = SharedMemoryHandle.memory(memory) else { return 0 }
    return target.pointee.currentByteCount >> UInt64(target.pointee.type.pageSizeLog2)
}

@_cdecl("wasmtime_sharedmemory_grow")
public func wasmtime_sharedmemory_grow(_ memory: OpaquePointer?, _ delta: UInt64, _ previous: UnsafeMutablePointer<UInt64>?) -> OpaquePointer? {
    guard let target = SharedMemoryHandle.memory(memory) else {
        return OpaquePointer(ErrorReport.make(.invalidArgument, "wasmtime_sharedmemory_grow: not a shared memory handle"))
    }
    do throws(SwasmError) {
        let old = try target.pointee.grow(by: delta, limits: StoreLimits())
        previous?.pointee = old
        return nil
    } catch {
        // The system refusing address space or pages is out of memory; anything else, a limit.
        return OpaquePointer(ErrorReport.make(error) { (text: inout ByteBuffer) throws(SwasmError) in
            try text.append("failed to grow memory by `")
            try text.appendDecimal(delta)
            try text.append("`")
        })
    }
}
