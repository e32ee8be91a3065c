// wasmtime/memory.h: memories (the memory-type functions are in WasmtimeMemoryType.swift).
import CSwasm

@_cdecl("wasmtime_memory_data")
public func wasmtime_memory_data(_ context: OpaquePointer?, _ memory: UnsafePointer<wasmtime_memory_t>?) -> UnsafeMutablePointer<UInt8>? {
    guard let (_, target) = ExternHandles.memory(memory, in: context) else { return nil }
    return target.pointee.base
}

@_cdecl("wasmtime_memory_data_size")
public func wasmtime_memory_data_size(_ context: OpaquePointer?, _ memory: UnsafePointer<wasmtime_memory_t>?) -> Int {
    guard let (_, target) = ExternHandles.memory(memory, in: context) else { return 0 }
    return Int(truncatingIfNeeded: target.pointee.byteCount)
}

@_cdecl("wasmtime_memory_size")
public func wasmtime_memory_size(_ context: OpaquePointer?, _ memory: UnsafePointer<wasmtime_memory_t>?) -> UInt64 {
    guard let (_, target) = ExternHandles.memory(memory, in: context) else { return 0 }
    return target.pointee.pageCount
}

@_cdecl("wasmtime_memory_grow")
public func wasmtime_memory_grow(_ context: OpaquePointer?, _ memory: UnsafePointer<wasmtime_memory_t>?, _ delta: UInt64,
                                 _ previous: UnsafeMutablePointer<UInt64>?) -> OpaquePointer? {
    guard let (store, target) = ExternHandles.memory(memory, in: context) else {
        return OpaquePointer(ErrorReport.make(.invalidArgument, "wasmtime_memory_grow: the store and a memory of that store are required"))
    }
    var reason = ByteBuffer()
    do throws(SwasmError) {
        let old = try withUnsafeMutablePointer(to: &reason) { (explain) throws(SwasmError) in
            try store.pointee.growMemory(target, by: delta, explain: explain)
        }
        previous?.pointee = old
        return nil
    } catch {
        // The system refusing address space or pages is out of memory; a host memory refusing
        // gives its reason as the cause; anything else is a limit.
        var failure = Failure.make(error) { (text: inout ByteBuffer) throws(SwasmError) in
            try text.append("failed to grow memory by `")
            try text.appendDecimal(delta)
            try text.append("`")
        }
        if !failure.isOutOfMemory { swap(&failure.cause, &reason) }
        return OpaquePointer(ErrorReport.make(failure))
    }
}

@_cdecl("wasmtime_memory_new")
public func wasmtime_memory_new(_ context: OpaquePointer?, _ type: OpaquePointer?, _ out: UnsafeMutablePointer<wasmtime_memory_t>?) -> OpaquePointer? {
    guard let context, let type, let out else {
        return OpaquePointer(ErrorReport.make(.invalidArgument, "wasmtime_memory_new: arguments must not be NULL"))
    }
    let store = storePointer(context)
    guard !MemoryTypeObject.pointer(type).pointee.type.isShared else {
        return OpaquePointer(ErrorReport.make(.invalidArgument, "shared memories must be created through `SharedMemory`"))
    }
    var diagnostic = Diagnostic()
    do throws(SwasmError) {
        try store.pointee.limits.check(MemoryTypeObject.pointer(type).pointee.type, &diagnostic)
    } catch {
        return OpaquePointer(ErrorReport.make(error, diagnostic, fallback: "memory exceeds the store's limits"))
    }
    do throws(SwasmError) {
        let memory = try LinearMemory.create(MemoryTypeObject.pointer(type).pointee.type, limits: store.pointee.limits)
        try store.pointee.adoptHostMemory(memory)
        var item = wasmtime_extern_t()
        ExternHandles.make(.memory(memory), store: store, into: &item)
        out.pointee = item.of.memory
        return nil
    } catch {
        return OpaquePointer(ErrorReport.make(error, "failed to create the memory"))
    }
}

@_cdecl("wasmtime_memory_type")
public func wasmtime_memory_type(_ context: OpaquePointer?, _ memory: UnsafePointer<wasmtime_memory_t>?) -> OpaquePointer? {
    guard let (_, target) = ExternHandles.memory(memory, in: context) else { return nil }
    let type = target.pointee.type
    return try? MemoryTypeObject.make(type)
}

@_cdecl("wasmtime_memory_page_size")
public func wasmtime_memory_page_size(_ context: OpaquePointer?, _ memory: UnsafePointer<wasmtime_memory_t>?) -> UInt64 {
    guard let (_, target) = ExternHandles.memory(memory, in: context) else { return 65536 }
    return 1 << UInt64(target.pointee.type.pageSizeLog2)
}

@_cdecl("wasmtime_memory_page_size_log2")
public func wasmtime_memory_page_size_log2(_ context: OpaquePointer?, _ memory: UnsafePointer<wasmtime_memory_t>?) -> UInt8 {
    guard let (_, target) = ExternHandles.memory(memory, in: context) else { return 16 }
    return target.pointee.type.pageSizeLog2
}
