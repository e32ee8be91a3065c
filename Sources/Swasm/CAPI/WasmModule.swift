// wasm.h: modules (`wasm_module_t`, `wasm_shared_module_t`).

@inline(__always)
func moduleReference(_ pointer: OpaquePointer) -> UnsafeMutablePointer<ModuleReference> { UnsafeMutablePointer(pointer) }

/// A new `wasm_module_t` owning one more reference to `module`; NULL on allocation failure.
func makeModuleReference(_ module: Shared<CompiledModule>) -> OpaquePointer? {
    module.retain()
    guard let reference = try? Heap.emplace({ ModuleReference(adopting: module) }) else {
        module.release()
        return nil
    }
    return OpaquePointer(reference)
}

@_cdecl("wasm_module_new")
public func wasm_module_new(_ store: OpaquePointer?, _ binary: UnsafeRawPointer?) -> OpaquePointer? {
    guard let store, let binary else { return nil }
    let bytes = binary.assumingMemoryBound(to: RawVector.self).pointee
    var diagnostic = Diagnostic()
    guard let module = try? CompiledModule.compile(engine: storePointer(store).pointee.engine,
                                                   bytes: UnsafeRawBufferPointer(start: bytes.data, count: bytes.data == nil ? 0 : bytes.size),
                                                   diagnostic: &diagnostic) else { return nil }
    defer { module.release() }
    return makeModuleReference(module)
}

@_cdecl("wasm_module_validate")
public func wasm_module_validate(_ store: OpaquePointer?, _ binary: UnsafeRawPointer?) -> Bool {
    guard let store, let binary else { return false }
    let bytes = binary.assumingMemoryBound(to: RawVector.self).pointee
    var diagnostic = Diagnostic()
    do throws(SwasmError) {
        try CompiledModule.validate(engine: storePointer(store).pointee.engine,
                                    bytes: UnsafeRawBufferPointer(start: bytes.data, count: bytes.data == nil ? 0 : bytes.size),
                                    diagnostic: &diagnostic)
        return true
    } catch {
        return false
    }
}

@_cdecl("wasm_module_delete")
public func wasm_module_delete(_ module: OpaquePointer?) {
    module.map { Heap.destroy(moduleReference($0)) }
}

@_cdecl("wasm_module_copy")
public func wasm_module_copy(_ module: OpaquePointer?) -> OpaquePointer? {
    module.flatMap { makeModuleReference(moduleReference($0).pointee.module) }
}

@_cdecl("wasm_module_same")
public func wasm_module_same(_ a: OpaquePointer?, _ b: OpaquePointer?) -> Bool {
    guard let a, let b else { return a == b }
    return moduleReference(a).pointee.module.cell == moduleReference(b).pointee.module.cell
}

@_cdecl("wasm_module_imports")
public func wasm_module_imports(_ module: OpaquePointer?, _ out: UnsafeMutableRawPointer?) {
    guard let out else { return }
    guard let module else { CVector.setEmpty(out); return }
    _ = ModuleTypeObjects.makeImports(out, of: UnsafePointer(moduleReference(module).pointee.module.pointer))
}

@_cdecl("wasm_module_exports")
public func wasm_module_exports(_ module: OpaquePointer?, _ out: UnsafeMutableRawPointer?) {
    guard let out else { return }
    guard let module else { CVector.setEmpty(out); return }
    _ = ModuleTypeObjects.makeExports(out, of: UnsafePointer(moduleReference(module).pointee.module.pointer))
}

@_cdecl("wasm_module_get_host_info")
public func wasm_module_get_host_info(_ module: OpaquePointer?) -> UnsafeMutableRawPointer? {
    module.flatMap { moduleReference($0).pointee.hostInfo.info }
}

@_cdecl("wasm_module_set_host_info")
public func wasm_module_set_host_info(_ module: OpaquePointer?, _ info: UnsafeMutableRawPointer?) {
    module.map { moduleReference($0).pointee.hostInfo.set(info, finalizer: nil) }
}

@_cdecl("wasm_module_set_host_info_with_finalizer")
public func wasm_module_set_host_info_with_finalizer(_ module: OpaquePointer?, _ info: UnsafeMutableRawPointer?, _ finalizer: HostFinalizer?) {
    guard let module else { finalizer?(info); return }
    moduleReference(module).pointee.hostInfo.set(info, finalizer: finalizer)
}

// A shared module is a bare reference to the compiled module, safe to hand to another thread.

@_cdecl("wasm_module_share")
public func wasm_module_share(_ module: OpaquePointer?) -> OpaquePointer? {
    module.map { ModuleHandle.pointer(moduleReference($0).pointee.module.retain()) }
}

@_cdecl("wasm_module_obtain")
public func wasm_module_obtain(_ store: OpaquePointer?, _ shared: OpaquePointer?) -> OpaquePointer? {
    guard let store, let shared else { return nil }
    let module = ModuleHandle.from(shared)
    // A module works only with stores of the engine it was compiled for.
    guard storePointer(store).pointee.engine.cell == module.pointer.pointee.engine.cell else { return nil }
    return makeModuleReference(module)
}

@_cdecl("wasm_shared_module_delete")
public func wasm_shared_module_delete(_ shared: OpaquePointer?) {
    shared.map { ModuleHandle.from($0).release() }
}
