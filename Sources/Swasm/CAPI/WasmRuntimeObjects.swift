// wasm.h: configurations, engines and stores.

@_cdecl("wasm_config_new")
public func wasm_config_new() -> OpaquePointer? {
    (try? Heap.create(EngineConfig())).map { OpaquePointer($0) }
}

@_cdecl("wasm_config_delete")
public func wasm_config_delete(_ config: OpaquePointer?) {
    guard let config else { return }
    UnsafeMutablePointer<EngineConfig>(config).pointee.hostStackCreator?.finalize()
    UnsafeMutablePointer<EngineConfig>(config).pointee.memoryCreator?.finalize()
    Heap.destroy(UnsafeMutablePointer<EngineConfig>(config))
}

@_cdecl("wasm_engine_new")
public func wasm_engine_new() -> OpaquePointer? {
    (try? Engine.create(config: EngineConfig())).map { OpaquePointer($0.cell) }
}

@_cdecl("wasm_engine_new_with_config")
public func wasm_engine_new_with_config(_ config: OpaquePointer?) -> OpaquePointer? {
    guard let config else { return nil }
    let settings = UnsafeMutablePointer<EngineConfig>(config).pointee
    Heap.destroy(UnsafeMutablePointer<EngineConfig>(config))
    return (try? Engine.create(config: settings)).map { OpaquePointer($0.cell) }
}

@_cdecl("wasm_engine_delete")
public func wasm_engine_delete(_ engine: OpaquePointer?) {
    guard let engine else { return }
    EngineHandle.from(engine).release()
}

@_cdecl("wasm_store_new")
public func wasm_store_new(_ engine: OpaquePointer?) -> OpaquePointer? {
    guard let engine else { return nil }
    return (try? Store.create(engine: EngineHandle.from(engine), hostData: nil, hostFinalizer: nil)).map { OpaquePointer($0) }
}

@_cdecl("wasm_store_delete")
public func wasm_store_delete(_ store: OpaquePointer?) {
    guard let store else { return }
    Heap.destroy(UnsafeMutablePointer<Store>(store))
}

/// Conversions between C engine pointers and `Shared<Engine>`.
enum EngineHandle {
    static func from(_ pointer: OpaquePointer) -> Shared<Engine> {
        Shared(cell: UnsafeMutablePointer(pointer))
    }
}
