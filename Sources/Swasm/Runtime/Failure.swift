import CSwasm

/// Why something the host asked for did not complete: a trap (with a trap code, or made from a
/// host's message) or an error of some kind, with its message, an optional cause, the WebAssembly
/// frames it passed through and, for a WASI `proc_exit`, the exit status.
///
/// The runtime reports failures as these values; the C API wraps them in `wasm_trap_t` and
/// `wasmtime_error_t` objects (CObjects/). An out-of-memory failure holds no allocation, so it can
/// always be made.
public struct Failure: ~Copyable {
    /// `.trap` for traps; otherwise the kind of error.
    public var kind: SwasmError
    /// For a trap: its code, or nil for a trap made from a message.
    public var code: TrapCode?
    /// What happened; with `cause`, the outer context of a two-level chain ("message\n\nCaused
    /// by:\n    cause", as wasmtime's errors read).
    public var message: ByteBuffer
    public var cause = ByteBuffer()
    public var exitStatus: Int32?
    /// An exception no catch clause took ("thrown Wasm exception"; the store holds it).
    public var isUncaughtException = false
    /// The WebAssembly frames it passed through, innermost first (owned).
    public var frames = FallibleVector<UnsafeMutablePointer<BacktraceFrame>>()

    public init(kind: SwasmError, code: TrapCode? = nil, message: consuming ByteBuffer, exitStatus: Int32? = nil) {
        self.kind = kind
        self.code = code
        self.message = message
        self.exitStatus = exitStatus
    }

    deinit {
        for index in 0..<frames.count { Heap.destroy(frames[index]) }
    }

    /// The out-of-memory failure (allocates nothing).
    static var outOfMemory: Failure { Failure(kind: .outOfMemory, message: ByteBuffer()) }

    public var isOutOfMemory: Bool { kind == .outOfMemory }
    public var isTrap: Bool { kind == .trap }

    /// A failure of `kind` whose message `compose` writes; out of memory when that fails.
    public static func make(_ kind: SwasmError, _ compose: (inout ByteBuffer) throws(SwasmError) -> Void) -> Failure {
        if kind == .outOfMemory { return outOfMemory }
        var text = ByteBuffer()
        do throws(SwasmError) { try compose(&text) } catch { return outOfMemory }
        return Failure(kind: kind, message: text)
    }

    public static func make(_ kind: SwasmError, _ message: StaticString) -> Failure {
        make(kind) { (text: inout ByteBuffer) throws(SwasmError) in try text.append(message) }
    }

    /// A trap for `code` with wasmtime's message ("wasm trap: ...").
    public static func trap(_ code: TrapCode) -> Failure {
        var failure = make(.trap) { (text: inout ByteBuffer) throws(SwasmError) in
            try text.append("wasm trap: ")
            try text.append(code.message)
        }
        if !failure.isOutOfMemory { failure.code = code }
        return failure
    }

    /// A trap carrying a message and no code.
    public static func trap(message bytes: UnsafeRawPointer?, count: Int) -> Failure {
        make(.trap) { (text: inout ByteBuffer) throws(SwasmError) in try text.append(bytes, count: count) }
    }

    /// Sets the cause (the inner level of the chain); out of memory when it cannot be copied.
    public consuming func causedBy(_ compose: (inout ByteBuffer) throws(SwasmError) -> Void) -> Failure {
        if isOutOfMemory { return self }
        do throws(SwasmError) { try compose(&cause) } catch { return .outOfMemory }
        return self
    }
}

extension Failure {
    /// wasmtime's failure for a refused host value: `context`, caused by what was wrong.
    /// `referenceContext` (tables) words the causes for elements.
    public static func rejecting(_ rejection: ValueRejection, expected type: ValueType, context: StaticString,
                                 referenceContext: StaticString? = nil) -> Failure {
        if case .notReference = rejection, let referenceContext { return make(.invalidArgument, referenceContext) }
        return make(.invalidArgument, context).causedBy { (cause: inout ByteBuffer) throws(SwasmError) in
            switch rejection {
            case .wrongStore:
                try cause.append(referenceContext == nil ? "value used with wrong store" : "reference used with wrong store")
            case .mismatch(let found):
                try cause.append("type mismatch: expected ")
                try cause.append(type.messageName)
                try cause.append(", found ")
                try cause.append(found)
            case .notReference:
                try cause.append("value is not a reference")
            }
        }
    }

    /// wasmtime's "expected N arguments, got M" (or results) for a call with the wrong arity.
    public static func arity(expected: Int, _ what: StaticString, got: Int, verb: StaticString = "got") -> Failure {
        make(.invalidArgument) { (text: inout ByteBuffer) throws(SwasmError) in
            try text.append("expected ")
            try text.appendDecimal(UInt64(UInt(bitPattern: expected)))
            try text.append(" ")
            try text.append(what)
            try text.append(", ")
            try text.append(verb)
            try text.append(" ")
            try text.appendDecimal(UInt64(UInt(bitPattern: got)))
        }
    }
}

/// Failures the C API hands out live in heap cells (`wasmtime_error_t *` points at one); the
/// out-of-memory one is a static object recognized by its address, made without allocating.
extension Failure {
    public typealias Cell = UnsafeMutablePointer<Failure>

    public static var outOfMemoryCell: Cell {
        cswasm_out_of_memory_error_address().assumingMemoryBound(to: Failure.self)
    }

    /// A heap cell holding `failure`; the out-of-memory cell if it is out of memory or no cell
    /// can be made.
    public static func cell(_ failure: consuming Failure) -> Cell {
        if failure.isOutOfMemory { return outOfMemoryCell }
        return (try? Heap.create(failure)) ?? outOfMemoryCell
    }

    /// The failure a cell holds; frees the cell.
    public static func take(_ cell: Cell) -> Failure {
        if cell == outOfMemoryCell { return .outOfMemory }
        var failure = Failure.outOfMemory
        swap(&failure, &cell.pointee)
        Heap.destroy(cell)
        return failure
    }

    public static func destroy(_ cell: Cell) {
        if cell != outOfMemoryCell { Heap.destroy(cell) }
    }
}
