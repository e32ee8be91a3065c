// swasm.h: swasm's own extensions.

@_cdecl("swasm_error_is_oom")
public func swasm_error_is_oom(_ error: OpaquePointer?) -> Bool {
    guard let error else { return false }
    return ErrorReport.isOutOfMemory(errorHandle(error))
}
