// swasm.h: swasm's own extensions.
import CSwasm

@_cdecl("swasm_error_is_oom")
public func swasm_error_is_oom(_ error: OpaquePointer?) -> Bool {
    guard let error else { return false }
    return ErrorReport.isOutOfMemory(errorHandle(error))
}

@_cdecl("swasm_module_disassemble")
public func swasm_module_disassemble(_ module: OpaquePointer?, _ function: UInt32, _ out: UnsafeMutableRawPointer?) -> Bool {
    guard let module, let out else { CVector.setEmpty(out); return false }
    let compiled = ModuleHandle.from(module)
    let imported = compiled.pointer.pointee.description.importedFunctionCount
    let index = Int(function) &- imported
    guard Int(function) >= imported, index < compiled.pointer.pointee.functions.count else { CVector.setEmpty(out); return false }
    var text = ByteBuffer()
    do throws(SwasmError) {
        let entry = compiled.pointer.pointee.functions.base!.advanced(by: index)
        if entry.pointee.supported {
            try Disassembler.render(entry.pointee, into: &text)
        } else {
            try text.append("(uses instructions the interpreter cannot run yet)\n")
        }
    } catch {
        CVector.setEmpty(out)
        return false
    }
    let bytes = text.takeBytes()
    CVector.raw(out).pointee = RawVector()
    CVector.raw(out).pointee.size = bytes.count
    CVector.raw(out).pointee.data = bytes.bytes.map { UnsafeMutableRawPointer($0) }
    return true
}

@_cdecl("swasm_set_allocator")
public func swasm_set_allocator(_ allocator: UnsafePointer<swasm_allocator_t>?) -> Bool {
    cswasm_allocator_install(allocator)
}
