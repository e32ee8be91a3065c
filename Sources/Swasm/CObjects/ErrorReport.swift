import CSwasm

/// `wasmtime_error_t`: a heap cell holding a runtime `Failure` (Runtime/Failure.swift). Out of
/// memory is the static cell `Failure.outOfMemoryCell`, made without allocating and never freed,
/// so that it can always be reported.
public enum ErrorReport {
    public typealias Handle = Failure.Cell

    /// The one out-of-memory error. Never dereference it.
    public static var outOfMemory: Handle { Failure.outOfMemoryCell }

    public static func isOutOfMemory(_ handle: Handle) -> Bool { handle == outOfMemory }

    /// An error object for `failure` (the out-of-memory error if none can be made).
    public static func make(_ failure: consuming Failure) -> Handle { Failure.cell(failure) }

    /// A heap error with the given message; the out-of-memory error if that cannot be allocated
    /// (or if `kind` is itself out of memory).
    public static func make(_ kind: SwasmError, _ message: StaticString) -> Handle {
        Failure.cell(Failure.make(kind, message))
    }

    /// A heap error whose message `compose` writes; out of memory when any step fails.
    public static func make(_ kind: SwasmError, _ compose: (inout ByteBuffer) throws(SwasmError) -> Void) -> Handle {
        Failure.cell(Failure.make(kind, compose))
    }

    /// A heap error carrying a diagnostic's message (or `fallback` when the diagnostic is empty).
    public static func make(_ kind: SwasmError, _ diagnostic: consuming Diagnostic, fallback: StaticString) -> Handle {
        if kind == .outOfMemory { return outOfMemory }
        if diagnostic.isEmpty { return make(kind, fallback) }
        var failure = Failure(kind: kind, message: ByteBuffer())
        swap(&failure.message, &diagnostic.message)
        return Failure.cell(failure)
    }

    /// A heap error copying a C string message.
    public static func make(_ kind: SwasmError, cString: UnsafePointer<CChar>) -> Handle {
        make(kind) { (text: inout ByteBuffer) throws(SwasmError) in
            try text.append(UnsafeRawPointer(cString), count: cswasm_strlen(cString))
        }
    }

    /// wasmtime's error for a refused host value (see `Failure.rejecting`).
    public static func rejecting(_ rejection: ValueRejection, expected type: ValueType, context: StaticString,
                                 referenceContext: StaticString? = nil) -> Handle {
        Failure.cell(Failure.rejecting(rejection, expected: type, context: context, referenceContext: referenceContext))
    }

    public static func kind(of handle: Handle) -> SwasmError {
        isOutOfMemory(handle) ? .outOfMemory : handle.pointee.kind
    }

    /// Frees a heap error; the out-of-memory error is left alone.
    public static func destroy(_ handle: Handle) { Failure.destroy(handle) }

    /// The message (without a terminator) for the host, or "out of memory".
    public static func withMessage<R>(_ handle: Handle, _ body: (UnsafeRawPointer?, Int) -> R) -> R {
        if isOutOfMemory(handle) {
            let text: StaticString = "out of memory"
            return body(UnsafeRawPointer(text.utf8Start), text.utf8CodeUnitCount)
        }
        return body(handle.pointee.message.bytes.map { UnsafeRawPointer($0) }, handle.pointee.message.count)
    }

    /// The error's message as the host reads it (see `Failure.render`).
    public static func render(_ handle: Handle, into text: inout ByteBuffer) throws(SwasmError) {
        if isOutOfMemory(handle) { return try text.append("out of memory") }
        try handle.pointee.render(into: &text)
    }
}
