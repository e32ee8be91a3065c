// wasmtime/module.h: compiling, validating and inspecting modules.

/// Conversions between C module pointers and `Shared<CompiledModule>`.
enum ModuleHandle {
    static func from(_ pointer: OpaquePointer) -> Shared<CompiledModule> { Shared(cell: UnsafeMutablePointer(pointer)) }
    static func pointer(_ module: Shared<CompiledModule>) -> OpaquePointer { OpaquePointer(module.cell) }
}

/// The error for a failed compilation: out of memory, or what the decoder said.
func compileError(_ error: SwasmError, _ diagnostic: consuming Diagnostic) -> OpaquePointer {
    OpaquePointer(ErrorReport.make(error, diagnostic, fallback: "failed to compile the WebAssembly module"))
}

@_cdecl("wasmtime_module_new")
public func wasmtime_module_new(_ engine: OpaquePointer?, _ wasm: UnsafePointer<UInt8>?, _ length: Int,
                                _ out: UnsafeMutablePointer<OpaquePointer?>?) -> OpaquePointer? {
    guard let engine, let out, wasm != nil || length == 0 else {
        return OpaquePointer(ErrorReport.make(.invalidArgument, "wasmtime_module_new: engine, bytes and result pointer must not be NULL"))
    }
    out.pointee = nil
    var diagnostic = Diagnostic()
    do throws(SwasmError) {
        let module = try CompiledModule.compile(engine: EngineHandle.from(engine), bytes: UnsafeRawBufferPointer(start: wasm, count: length), diagnostic: &diagnostic)
        out.pointee = ModuleHandle.pointer(module)
        return nil
    } catch {
        return compileError(error, diagnostic)
    }
}

@_cdecl("wasmtime_module_validate")
public func wasmtime_module_validate(_ engine: OpaquePointer?, _ wasm: UnsafePointer<UInt8>?, _ length: Int) -> OpaquePointer? {
    guard let engine, wasm != nil || length == 0 else {
        return OpaquePointer(ErrorReport.make(.invalidArgument, "wasmtime_module_validate: engine and bytes must not be NULL"))
    }
    var diagnostic = Diagnostic()
    do throws(SwasmError) {
        try CompiledModule.validate(engine: EngineHandle.from(engine), bytes: UnsafeRawBufferPointer(start: wasm, count: length), diagnostic: &diagnostic)
        return nil
    } catch {
        return compileError(error, diagnostic)
    }
}

@_cdecl("wasmtime_module_delete")
public func wasmtime_module_delete(_ module: OpaquePointer?) {
    module.map { ModuleHandle.from($0).release() }
}

@_cdecl("wasmtime_module_clone")
public func wasmtime_module_clone(_ module: OpaquePointer?) -> OpaquePointer? {
    module.map { ModuleHandle.pointer(ModuleHandle.from($0).retain()) }
}

@_cdecl("wasmtime_module_imports")
public func wasmtime_module_imports(_ module: OpaquePointer?, _ out: UnsafeMutableRawPointer?) {
    guard let out else { return }
    guard let module else { CVector.setEmpty(out); return }
    _ = ModuleTypeObjects.makeImports(out, of: UnsafePointer(ModuleHandle.from(module).pointer))
}

@_cdecl("wasmtime_module_exports")
public func wasmtime_module_exports(_ module: OpaquePointer?, _ out: UnsafeMutableRawPointer?) {
    guard let out else { return }
    guard let module else { CVector.setEmpty(out); return }
    _ = ModuleTypeObjects.makeExports(out, of: UnsafePointer(ModuleHandle.from(module).pointer))
}

/// swasm keeps no native code: the image range is empty (start == end == NULL).
@_cdecl("wasmtime_module_image_range")
public func wasmtime_module_image_range(_ module: OpaquePointer?, _ start: UnsafeMutablePointer<UnsafeMutableRawPointer?>?,
                                        _ end: UnsafeMutablePointer<UnsafeMutableRawPointer?>?) {
    start?.pointee = nil
    end?.pointee = nil
}
