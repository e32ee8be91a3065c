// wasmtime/memory.h: memories (the memory-type functions are in WasmtimeMemoryType.swift).
import CSwasm

@_cdecl("wasmtime_memory_data")
public func wasmtime_memory_data(_ context: OpaquePointer?, _ memory: UnsafePointer<wasmtime_memory_t>?) -> UnsafeMutablePointer<UInt8>? {
    guard let memory, let target = ExternHandles.memory(memory) else { return nil }
    return target.pointee.base
}

@_cdecl("wasmtime_memory_data_size")
public func wasmtime_memory_data_size(_ context: OpaquePointer?, _ memory: UnsafePointer<wasmtime_memory_t>?) -> Int {
    guard let memory, let target = ExternHandles.memory(memory) else { return 0 }
    return Int(truncatingIfNeeded: target.pointee.byteCount)
}

@_cdecl("wasmtime_memory_size")
public func wasmtime_memory_size(_ context: OpaquePointer?, _ memory: UnsafePointer<wasmtime_memory_t>?) -> UInt64 {
    guard let memory, let target = ExternHandles.memory(memory) else { return 0 }
    return target.pointee.pageCount
}

@_cdecl("wasmtime_memory_grow")
public func wasmtime_memory_grow(_ context: OpaquePointer?, _ memory: UnsafePointer<wasmtime_memory_t>?, _ delta: UInt64,
                                 _ previous: UnsafeMutablePointer<UInt64>?) -> OpaquePointer? {
    guard let context, let memory, let target = ExternHandles.memory(memory) else {
        return OpaquePointer(ErrorReport.make(.invalidArgument, "wasmtime_memory_grow: store and memory must not be NULL"))
    }
    guard let old = target.pointee.grow(by: delta, limits: storePointer(context).pointee.limits) else {
        return OpaquePointer(ErrorReport.make(.limitExceeded, "failed to grow memory"))
    }
    previous?.pointee = old
    return nil
}
