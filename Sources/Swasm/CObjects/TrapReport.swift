import CSwasm

/// `wasm_trap_t`: a runtime `Failure` that is a trap (with a trap code, or from a message),
/// behind the reference header every wasm.h object starts with. Out of memory is one statically
/// allocated trap, like the out-of-memory error.
public struct TrapReport: ~Copyable {
    /// The reference header shared with the runtime objects (CObjects/RuntimeObjects.swift).
    public let refKind: RefKind = .trap
    public var hostInfo = HostInfo()
    var failure: Failure

    public typealias Handle = UnsafeMutablePointer<TrapReport>

    public init(_ failure: consuming Failure) {
        self.failure = failure
    }

    public var code: TrapCode? { failure.code }

    /// The one out-of-memory trap. Never dereference it as a `TrapReport`.
    public static var outOfMemory: Handle {
        cswasm_out_of_memory_trap_address().assumingMemoryBound(to: TrapReport.self)
    }

    public static func isOutOfMemory(_ handle: Handle) -> Bool { handle == outOfMemory }

    /// A trap object for `failure` (a trap, or an error reported as one); the out-of-memory trap
    /// if the failure is out of memory or the object cannot be made.
    public static func make(_ failure: consuming Failure) -> Handle {
        if failure.isOutOfMemory { return outOfMemory }
        failure.kind = .trap
        return (try? Heap.create(TrapReport(failure))) ?? outOfMemory
    }

    /// A trap for `code` with wasmtime's message.
    public static func make(_ code: TrapCode) -> Handle { make(Failure.trap(code)) }

    /// A trap carrying a host's message and no code.
    public static func make(message bytes: UnsafeRawPointer?, count: Int) -> Handle {
        make(Failure.trap(message: bytes, count: count))
    }

    /// A trap for `code` carrying `store`'s last backtrace (see `Store.failure(trapped:)`).
    public static func make(_ code: TrapCode, backtraceOf store: UnsafeMutablePointer<Store>) -> Handle {
        make(store.pointee.failure(trapped: code))
    }

    /// A new trap with the same code, message and exception flag (no frames); the out-of-memory trap is shared.
    public static func copy(_ handle: Handle) -> Handle {
        if isOutOfMemory(handle) { return handle }
        var failure = Failure.trap(message: handle.pointee.failure.message.bytes.map { UnsafeRawPointer($0) },
                                   count: handle.pointee.failure.message.count)
        if !failure.isOutOfMemory {
            failure.code = handle.pointee.code
            failure.isUncaughtException = handle.pointee.failure.isUncaughtException
        }
        return make(failure)
    }

    /// The failure a trap object holds; frees the object.
    public static func take(_ handle: Handle) -> Failure {
        if isOutOfMemory(handle) { return .outOfMemory }
        var failure = Failure.outOfMemory
        swap(&failure, &handle.pointee.failure)
        Heap.destroy(handle)
        return failure
    }

    public static func destroy(_ handle: Handle) {
        if isOutOfMemory(handle) { return }
        Heap.destroy(handle)
    }

    public static func withMessage<R>(_ handle: Handle, _ body: (UnsafeRawPointer?, Int) -> R) -> R {
        if isOutOfMemory(handle) {
            let text: StaticString = "out of memory"
            return body(UnsafeRawPointer(text.utf8Start), text.utf8CodeUnitCount)
        }
        return body(handle.pointee.failure.message.bytes.map { UnsafeRawPointer($0) }, handle.pointee.failure.message.count)
    }

    /// The trap's message as the host reads it (see `Failure.render`).
    public static func render(_ handle: Handle, into text: inout ByteBuffer) throws(SwasmError) {
        if isOutOfMemory(handle) { return try text.append("out of memory") }
        try handle.pointee.failure.render(into: &text)
    }
}
