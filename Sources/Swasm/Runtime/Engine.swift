import CSwasm

/// An engine: an immutable configuration plus the epoch counter, shared by every store, module
/// and thread that uses it (`Shared<Engine>`).
public struct Engine: ~Copyable {
    public let config: EngineConfig
    /// Advanced by `incrementEpoch` from any thread; read by running code at back-edges and calls.
    private var epochCounter: UInt64 = 0
    /// The canonical types of the modules compiled for this engine.
    var types = TypeRegistry()
    /// The pooling strategy's pool (none without it). Not public: a public non-copyable property
    /// gets a read coroutine whose frame is malloc'ed without a failure check.
    var pool: EnginePool

    init(config: EngineConfig, pool: consuming EnginePool) {
        self.config = config
        self.pool = pool
    }

    deinit {
        config.hostStackCreator?.finalize()
        config.memoryCreator?.finalize()
    }

    /// An engine with `config`, which it takes over (its host stack and memory creators are
    /// finalized with the engine, or at once when no engine can be made).
    public static func create(config: EngineConfig) throws(SwasmError) -> Shared<Engine> {
        // Made from a host function of a pooled store, an engine still does not come from its pool.
        let scope = cswasm_pool_enter(nil)
        defer { Store.leavePool(scope) }
        let pool: EnginePool
        do throws(SwasmError) {
            if config.problem != nil { throw SwasmError.invalidArgument }
            pool = try EnginePool.create(config.pooling, maxWasmStack: config.maxWasmStack)
        } catch {
            config.hostStackCreator?.finalize()
            config.memoryCreator?.finalize()
            throw error
        }
        // On failure the engine value is destroyed, and its deinit finalizes the creators.
        return try Shared.create(Engine(config: config, pool: pool))
    }

    public static func epochPointer(_ engine: Shared<Engine>) -> UnsafeMutablePointer<UInt64> {
        withUnsafeMutablePointer(to: &engine.pointer.pointee.epochCounter) { $0 }
    }

    public static func incrementEpoch(_ engine: Shared<Engine>) {
        _ = cswasm_atomic_add_u64(epochPointer(engine), 1)
    }

    public static func currentEpoch(_ engine: Shared<Engine>) -> UInt64 {
        cswasm_atomic_load_u64(epochPointer(engine))
    }
}
