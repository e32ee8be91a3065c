import CSwasm

/// An engine: an immutable configuration plus the epoch counter, shared by every store, module
/// and thread that uses it (`Shared<Engine>`).
public struct Engine: ~Copyable {
    public let config: EngineConfig
    /// Advanced by `incrementEpoch` from any thread; read by running code at back-edges and calls.
    private var epochCounter: UInt64 = 0
    /// The canonical types of the modules compiled for this engine.
    var types = TypeRegistry()

    public init(config: EngineConfig) {
        self.config = config
    }

    /// An engine of `config`, which it takes over (its memory creator is finalized when the
    /// engine is released, or now if no engine can be made).
    public static func create(config: EngineConfig) throws(SwasmError) -> Shared<Engine> {
        if config.problem != nil {
            config.memoryCreator?.finalize()
            throw .invalidArgument
        }
        // On failure the engine value is destroyed, and its deinit finalizes the creator.
        return try Shared.create(Engine(config: config))
    }

    deinit {
        config.memoryCreator?.finalize()
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
