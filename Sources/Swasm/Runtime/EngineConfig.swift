/// Everything `wasm_config_t` and the `wasmtime_config_*_set` functions can set. Settings that
/// only matter to a JIT (Cranelift flags, code-memory reservation, unwind info, signals) are
/// recorded but change nothing: swasm interprets, bounds-checks in software and installs no
/// signal handlers.
public struct EngineConfig: BitwiseCopyable {
    public var features: Features = .defaults
    public var consumeFuel = false
    public var epochInterruption = false
    /// Bytes of WebAssembly stack a call may use before it traps with "call stack exhausted".
    public var maxWasmStack: Int = 512 * 1024
    public var debugInfo = false
    public var sharedMemory = false
    public var gcSupport = true
    public var relaxedSimdDeterministic = false
    // Recorded JIT-only settings (no effect on an interpreter).
    public var strategy: UInt8 = 0
    public var optLevel: UInt8 = 1
    public var regallocAlgorithm: UInt8 = 0
    public var profiler: UInt8 = 0
    public var parallelCompilation = true
    public var craneliftDebugVerifier = false
    public var nanCanonicalization = false
    public var memoryMayMove = true
    public var memoryReservation: UInt64 = 0
    public var memoryGuardSize: UInt64 = 0
    public var memoryReservationForGrowth: UInt64 = 0
    public var nativeUnwindInfo = true
    public var signalsBasedTraps = false
    public var memoryInitCow = true
    /// The pooling allocation strategy's settings; nil for the on-demand strategy.
    public var pooling: PoolingConfig? = nil
    public var macosUseMachPorts = false
    /// The host's stack creator (`wasmtime_config_host_stack_creator_set`), owned by the
    /// configuration and then by the engine made from it (`Engine.create` takes it over).
    public var hostStackCreator: HostStackCreator?
    /// The embedder's memory creator (HostMemory.swift). The configuration owns it, then the
    /// engine made from it, which runs its finalizer when released.
    public var memoryCreator: MemoryCreator? = nil

    public init() {}

    public mutating func set(_ feature: Features, _ enabled: Bool) {
        if enabled { features.insert(feature) } else { features.remove(feature) }
    }

    /// nil when an engine can be built from this configuration, otherwise the reason it cannot.
    public var problem: StaticString? {
        if let inconsistency = features.inconsistency { return inconsistency }
        // A proposal switched on that swasm does not implement: refused here rather than
        // silently ignored (compilation would fail naming it anyway).
        if features.firstUnsupported != nil { return "a WebAssembly proposal swasm does not implement is switched on" }
        if maxWasmStack <= 0 { return "max_wasm_stack must be greater than zero" }
        return nil
    }
}

/// A host stack creator (`wasmtime_stack_creator_t`). swasm never asks it for a stack: WebAssembly
/// frames, async calls' included, live on each store's own stack, and host functions run on the
/// thread that polls (docs/async.md). It is kept with the engine and its environment finalized
/// once, when the engine (or a configuration never made into one) is released.
public struct HostStackCreator: BitwiseCopyable {
    public let environment: UnsafeMutableRawPointer?
    public let finalizer: HostFinalizer?

    public init(environment: UnsafeMutableRawPointer?, finalizer: HostFinalizer?) {
        self.environment = environment
        self.finalizer = finalizer
    }

    public func finalize() { finalizer?(environment) }
}
