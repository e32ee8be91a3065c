// wasmtime/module.h and wasm.h: serialized (precompiled) modules.

@_cdecl("wasmtime_module_serialize")
public func wasmtime_module_serialize(_ module: OpaquePointer?, _ out: UnsafeMutableRawPointer?) -> OpaquePointer? {
    guard let module, let out else {
        return OpaquePointer(ErrorReport.make(.invalidArgument, "wasmtime_module_serialize: module and result vector must not be NULL"))
    }
    do throws(SwasmError) {
        var bytes = try CompiledModule.serialize(ModuleHandle.from(module))
        let (data, count) = bytes.takeBytes()
        CVector.raw(out).pointee = RawVector(size: count, data: data.map { UnsafeMutableRawPointer($0) })
        return nil
    } catch {
        return OpaquePointer(ErrorReport.make(error, "failed to serialize the module"))
    }
}

@_cdecl("wasmtime_module_deserialize")
public func wasmtime_module_deserialize(_ engine: OpaquePointer?, _ bytes: UnsafePointer<UInt8>?, _ length: Int,
                                        _ out: UnsafeMutablePointer<OpaquePointer?>?) -> OpaquePointer? {
    guard let engine, let out, bytes != nil || length == 0 else {
        return OpaquePointer(ErrorReport.make(.invalidArgument, "wasmtime_module_deserialize: engine, bytes and result pointer must not be NULL"))
    }
    out.pointee = nil
    var diagnostic = Diagnostic()
    do throws(SwasmError) {
        let module = try CompiledModule.deserialize(engine: EngineHandle.from(engine), bytes: UnsafeRawBufferPointer(start: bytes, count: length),
                                                    diagnostic: &diagnostic)
        out.pointee = ModuleHandle.pointer(module)
        return nil
    } catch {
        return OpaquePointer(ErrorReport.make(error, diagnostic, fallback: "failed to deserialize the module"))
    }
}

@_cdecl("wasmtime_module_deserialize_file")
public func wasmtime_module_deserialize_file(_ engine: OpaquePointer?, _ path: UnsafePointer<CChar>?,
                                             _ out: UnsafeMutablePointer<OpaquePointer?>?) -> OpaquePointer? {
    guard let engine, let path, let out else {
        return OpaquePointer(ErrorReport.make(.invalidArgument, "wasmtime_module_deserialize_file: engine, path and result pointer must not be NULL"))
    }
    out.pointee = nil
    var diagnostic = Diagnostic()
    do throws(SwasmError) {
        let module = try CompiledModule.deserialize(engine: EngineHandle.from(engine), path: path, diagnostic: &diagnostic)
        out.pointee = ModuleHandle.pointer(module)
        return nil
    } catch {
        return OpaquePointer(ErrorReport.make(error, diagnostic, fallback: "failed to deserialize the module"))
    }
}

@_cdecl("wasm_module_serialize")
public func wasm_module_serialize(_ module: OpaquePointer?, _ out: UnsafeMutableRawPointer?) {
    CVector.setEmpty(out)
    guard let module, let out, var bytes = try? CompiledModule.serialize(moduleReference(module).pointee.module) else { return }
    let (data, count) = bytes.takeBytes()
    CVector.raw(out).pointee = RawVector(size: count, data: data.map { UnsafeMutableRawPointer($0) })
}

@_cdecl("wasm_module_deserialize")
public func wasm_module_deserialize(_ store: OpaquePointer?, _ binary: UnsafeRawPointer?) -> OpaquePointer? {
    guard let store, let binary else { return nil }
    let bytes = binary.assumingMemoryBound(to: RawVector.self).pointee
    var diagnostic = Diagnostic()
    guard let module = try? CompiledModule.deserialize(engine: storePointer(store).pointee.engine,
                                                       bytes: UnsafeRawBufferPointer(start: bytes.data, count: bytes.data == nil ? 0 : bytes.size),
                                                       diagnostic: &diagnostic) else { return nil }
    defer { module.release() }
    return makeModuleReference(module)
}
