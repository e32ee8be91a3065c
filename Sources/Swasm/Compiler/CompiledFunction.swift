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
    /// The catch clauses of the function's `try_table`s, outer regions before the inner ones
    /// they contain, each region's clauses in order (see `ExceptionHandler`).
    public var handlers = FallibleVector<ExceptionHandler>()
    /// Which slots hold collected references at each safepoint.
    public var stackMaps = StackMaps()

    init(parameterSlots: Int, localsStart: Int, localsEnd: Int, frameSlots: Int, supported: Bool) {
        self.parameterSlots = parameterSlots
        self.localsStart = localsStart
        self.localsEnd = localsEnd
        self.frameSlots = frameSlots
        self.supported = supported
    }
}

/// One catch clause of a `try_table`, as the unwinder uses it: an exception thrown by an
/// instruction inside `start..<end` (code words), or passing through a call there, whose tag is
/// `tag` of the instance (or any tag, `anyTag`), lands at `pad` with its values from slot
/// `payload` on, then (for the `_ref` forms) its exnref.
public struct ExceptionHandler: BitwiseCopyable {
    public var start: UInt32
    public var end: UInt32
    public var pad: UInt32
    public var payload: UInt32
    public var tag: UInt32
    /// The catch clause kind: 0 `catch`, 1 `catch_ref`, 2 `catch_all`, 3 `catch_all_ref`.
    public var kind: UInt32

    public static let anyTag = UInt32.max

    /// Whether an instruction of the region ends at `key` (words after the code's start): a
    /// throw's next word, or a call's return address.
    @inline(__always)
    func covers(_ key: Int) -> Bool { key > Int(start) && key <= Int(end) }
}
