// wasmtime/wat.h: the text format.

@_cdecl("wasmtime_wat2wasm")
public func wasmtime_wat2wasm(_ wat: UnsafePointer<CChar>?, _ length: Int, _ out: UnsafeMutableRawPointer?) -> OpaquePointer? {
    CVector.setEmpty(out)
    guard let out else { return OpaquePointer(ErrorReport.make(.invalidArgument, "wasmtime_wat2wasm: ret is NULL")) }
    guard wat != nil || length == 0, length >= 0 else {
        return OpaquePointer(ErrorReport.make(.invalidArgument, "wasmtime_wat2wasm: wat is NULL"))
    }
    var diagnostic = Diagnostic()
    do throws(SwasmError) {
        var binary = try TextAssembler.assemble(UnsafeRawBufferPointer(start: wat.map { UnsafeRawPointer($0) }, count: length),
                                                diagnostic: &diagnostic)
        let taken = binary.takeBytes()
        var vector = RawVector()
        vector.size = taken.count
        vector.data = taken.bytes.map { UnsafeMutableRawPointer($0) }
        CVector.raw(out).pointee = vector
        return nil
    } catch {
        return OpaquePointer(ErrorReport.make(error, diagnostic, fallback: "failed to parse WebAssembly text"))
    }
}
