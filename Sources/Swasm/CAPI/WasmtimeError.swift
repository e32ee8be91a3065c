// wasmtime/error.h. Out of memory is one static error object; deleting it does nothing.
import CSwasm

@inline(__always)
func errorHandle(_ pointer: OpaquePointer) -> ErrorReport.Handle { ErrorReport.Handle(pointer) }

@_cdecl("wasmtime_error_new")
public func wasmtime_error_new(_ message: UnsafePointer<CChar>?) -> OpaquePointer? {
    guard let message else { return OpaquePointer(ErrorReport.make(.host, "")) }
    // The message becomes text as in wasmtime: ill-formed UTF-8 reads as U+FFFD.
    return OpaquePointer(ErrorReport.make(.host) { (text: inout ByteBuffer) throws(SwasmError) in
        try text.appendLossyUTF8(UnsafeRawPointer(message), count: cswasm_strlen(message))
    })
}

@_cdecl("wasmtime_error_delete")
public func wasmtime_error_delete(_ error: OpaquePointer?) {
    error.map { ErrorReport.destroy(errorHandle($0)) }
}

@_cdecl("wasmtime_error_message")
public func wasmtime_error_message(_ error: OpaquePointer?, _ out: UnsafeMutableRawPointer?) {
    guard let error else { CVector.setEmpty(out); return }
    var text = ByteBuffer()
    do throws(SwasmError) {
        try ErrorReport.render(errorHandle(error), into: &text)
    } catch {
        text.removeAll()
    }
    if !CVector.makeBytes(out, text.bytes.map { UnsafeRawPointer($0) }, count: text.count) { CVector.setEmpty(out) }
}

@_cdecl("wasmtime_error_exit_status")
public func wasmtime_error_exit_status(_ error: OpaquePointer?, _ status: UnsafeMutablePointer<Int32>?) -> Bool {
    guard let error, !ErrorReport.isOutOfMemory(errorHandle(error)),
          let exitStatus = errorHandle(error).pointee.exitStatus else { return false }
    status?.pointee = exitStatus
    return true
}

/// The frames a host function's error passed through on its way out of WebAssembly (empty for
/// other errors).
@_cdecl("wasmtime_error_wasm_trace")
public func wasmtime_error_wasm_trace(_ error: OpaquePointer?, _ out: UnsafeMutableRawPointer?) {
    guard let out else { return }
    guard let error, !ErrorReport.isOutOfMemory(errorHandle(error)) else { CVector.setEmpty(out); return }
    var source = RawVector()
    source.size = errorHandle(error).pointee.frames.count
    source.data = errorHandle(error).pointee.frames.base.map { UnsafeMutableRawPointer($0) }
    CVector.copyPointers(out, from: &source, copyElement: FrameObject.copy, deleteElement: FrameObject.delete)
}
