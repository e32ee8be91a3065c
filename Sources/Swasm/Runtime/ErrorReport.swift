import CSwasm

/// An error handed to the host (`wasmtime_error_t`): what kind of failure, a message, and the
/// exit status when a WASI program called `proc_exit`.
///
/// Out of memory is special: it is a statically allocated object (`ErrorReport.outOfMemory`),
/// made without allocating and never freed, so that it can always be reported.
public struct ErrorReport: ~Copyable {
    public var kind: SwasmError
    /// What failed; with `cause`, the outer context of a two-level chain (as wasmtime's
    /// errors read: "message\n\nCaused by:\n    cause").
    public var message: ByteBuffer
    public var cause = ByteBuffer()
    public var exitStatus: Int32?
    /// For an error a host function returned to WebAssembly: the WebAssembly frames it passed
    /// through (`wasm_frame_t` objects, innermost first, owned).
    public var frames = FallibleVector<OpaquePointer>()

    public init(kind: SwasmError, message: consuming ByteBuffer, exitStatus: Int32? = nil) {
        self.kind = kind
        self.message = message
        self.exitStatus = exitStatus
    }

    deinit {
        for index in 0..<frames.count { FrameObject.delete(frames[index]) }
    }

    public typealias Handle = UnsafeMutablePointer<ErrorReport>

    /// The one out-of-memory error. Never dereference it as an `ErrorReport`.
    public static var outOfMemory: Handle {
        cswasm_out_of_memory_error_address().assumingMemoryBound(to: ErrorReport.self)
    }

    public static func isOutOfMemory(_ handle: Handle) -> Bool { handle == outOfMemory }

    /// A heap error with the given message; the out-of-memory error if that cannot be allocated
    /// (or if `kind` is itself out of memory).
    public static func make(_ kind: SwasmError, _ message: StaticString) -> Handle {
        make(kind) { (text: inout ByteBuffer) throws(SwasmError) in try text.append(message) }
    }

    /// A heap error whose message `compose` writes; out of memory when any step fails.
    public static func make(_ kind: SwasmError, _ compose: (inout ByteBuffer) throws(SwasmError) -> Void) -> Handle {
        if kind == .outOfMemory { return outOfMemory }
        do throws(SwasmError) {
            var text = ByteBuffer()
            try compose(&text)
            return try Heap.create(ErrorReport(kind: kind, message: text))
        } catch {
            return outOfMemory
        }
    }

    /// A heap error carrying a diagnostic's message (or `fallback` when the diagnostic is empty).
    public static func make(_ kind: SwasmError, _ diagnostic: consuming Diagnostic, fallback: StaticString) -> Handle {
        if kind == .outOfMemory { return outOfMemory }
        if diagnostic.isEmpty { return make(kind, fallback) }
        var report = ErrorReport(kind: kind, message: ByteBuffer())
        swap(&report.message, &diagnostic.message)
        guard let cell = try? Heap.create(report) else { return outOfMemory }
        return cell
    }

    /// A heap error copying a C string message.
    public static func make(_ kind: SwasmError, cString: UnsafePointer<CChar>) -> Handle {
        make(kind) { (text: inout ByteBuffer) throws(SwasmError) in
            try text.append(UnsafeRawPointer(cString), count: cswasm_strlen(cString))
        }
    }

    public static func kind(of handle: Handle) -> SwasmError {
        isOutOfMemory(handle) ? .outOfMemory : handle.pointee.kind
    }

    /// Frees a heap error; the out-of-memory error is left alone.
    public static func destroy(_ handle: Handle) {
        if isOutOfMemory(handle) { return }
        Heap.destroy(handle)
    }

    /// Copies the message (without a terminator) for the host, or "out of memory".
    public static func withMessage<R>(_ handle: Handle, _ body: (UnsafeRawPointer?, Int) -> R) -> R {
        if isOutOfMemory(handle) {
            let text: StaticString = "out of memory"
            return body(UnsafeRawPointer(text.utf8Start), text.utf8CodeUnitCount)
        }
        let message = handle.pointee.message.bytes.map { UnsafeRawPointer($0) }
        return body(message, handle.pointee.message.count)
    }
}
