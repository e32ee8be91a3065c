// wasmtime/engine.h

@_cdecl("wasmtime_engine_clone")
public func wasmtime_engine_clone(_ engine: OpaquePointer?) -> OpaquePointer? {
    guard let engine else { return nil }
    return OpaquePointer(EngineHandle.from(engine).retain().cell)
}

@_cdecl("wasmtime_engine_increment_epoch")
public func wasmtime_engine_increment_epoch(_ engine: OpaquePointer?) {
    guard let engine else { return }
    Engine.incrementEpoch(EngineHandle.from(engine))
}

/// swasm has its own interpreter, not Pulley.
@_cdecl("wasmtime_engine_is_pulley")
public func wasmtime_engine_is_pulley(_ engine: OpaquePointer?) -> Bool { false }
