/// A function's internal code as the compiler leaves it: opcode numbers in handler words.
public struct CompiledFunction: ~Copyable {
    public var code = FallibleVector<UInt64>()
    /// Instruction positions and their module offsets (see `CodeBuffer.offsets`).
    public var offsets = FallibleVector<UInt64>()
    /// Module offset where the function's body starts.
    public var bodyStart = 0
    public var parameterSlots: Int
    public var localsStart: Int
    public var localsEnd: Int
    public var frameSlots: Int
    /// False when the body uses an instruction the interpreter cannot run yet; calling it traps.
    public var supported: Bool

    init(parameterSlots: Int, localsStart: Int, localsEnd: Int, frameSlots: Int, supported: Bool) {
        self.parameterSlots = parameterSlots
        self.localsStart = localsStart
        self.localsEnd = localsEnd
        self.frameSlots = frameSlots
        self.supported = supported
    }
}
