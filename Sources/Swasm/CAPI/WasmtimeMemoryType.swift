// wasmtime/memory.h: memory types with 64-bit limits, sharing and custom page sizes.

@_cdecl("wasmtime_memorytype_new")
public func wasmtime_memorytype_new(_ minimum: UInt64, _ maximumPresent: Bool, _ maximum: UInt64, _ is64: Bool,
                                    _ shared: Bool, _ pageSizeLog2: UInt8, _ out: UnsafeMutablePointer<OpaquePointer?>?) -> OpaquePointer? {
    guard let out else { return OpaquePointer(ErrorReport.make(.invalidArgument, "wasmtime_memorytype_new: result pointer is NULL")) }
    out.pointee = nil
    let type = MemoryType(limits: Limits(minimum: minimum, maximum: maximumPresent ? maximum : nil),
                          is64: is64, isShared: shared, pageSizeLog2: pageSizeLog2)
    guard type.hasValidPageSize else {
        return OpaquePointer(ErrorReport.make(.invalidArgument) { (text: inout ByteBuffer) throws(SwasmError) in
            try text.append("page size must be 2**16 or 2**0, but was given 2**")
            try text.appendDecimal(UInt64(pageSizeLog2))
            try text.append("; note that future Wasm extensions might allow any power of two page size, but only 2**16 and 2**0 are currently valid")
        })
    }
    if let problem = type.limitsProblem { return OpaquePointer(ErrorReport.make(.invalidArgument, problem)) }
    do throws(SwasmError) {
        out.pointee = try MemoryTypeObject.make(type)
        return nil
    } catch {
        return OpaquePointer(ErrorReport.outOfMemory)
    }
}

@_cdecl("wasmtime_memorytype_minimum")
public func wasmtime_memorytype_minimum(_ type: OpaquePointer?) -> UInt64 {
    type.map { MemoryTypeObject.pointer($0).pointee.type.limits.minimum } ?? 0
}

@_cdecl("wasmtime_memorytype_maximum")
public func wasmtime_memorytype_maximum(_ type: OpaquePointer?, _ maximum: UnsafeMutablePointer<UInt64>?) -> Bool {
    guard let type, let value = MemoryTypeObject.pointer(type).pointee.type.limits.maximum else { return false }
    maximum?.pointee = value
    return true
}

@_cdecl("wasmtime_memorytype_is64")
public func wasmtime_memorytype_is64(_ type: OpaquePointer?) -> Bool {
    type.map { MemoryTypeObject.pointer($0).pointee.type.is64 } ?? false
}

@_cdecl("wasmtime_memorytype_isshared")
public func wasmtime_memorytype_isshared(_ type: OpaquePointer?) -> Bool {
    type.map { MemoryTypeObject.pointer($0).pointee.type.isShared } ?? false
}

@_cdecl("wasmtime_memorytype_page_size")
public func wasmtime_memorytype_page_size(_ type: OpaquePointer?) -> UInt64 {
    type.map { 1 << UInt64(MemoryTypeObject.pointer($0).pointee.type.pageSizeLog2) } ?? 65536
}

@_cdecl("wasmtime_memorytype_page_size_log2")
public func wasmtime_memorytype_page_size_log2(_ type: OpaquePointer?) -> UInt8 {
    type.map { MemoryTypeObject.pointer($0).pointee.type.pageSizeLog2 } ?? 16
}
