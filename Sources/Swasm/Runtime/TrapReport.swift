import CSwasm

/// A trap handed to the host (`wasm_trap_t`): a trap code (for WebAssembly traps and
/// `wasmtime_trap_new_code`) or none (for traps made from a message), and the message.
/// Out of memory is one statically allocated trap, like the out-of-memory error.
public struct TrapReport: ~Copyable {
    /// The reference header shared with the runtime objects (Reflection/RuntimeObjects.swift).
    public let refKind: RefKind = .trap
    public var hostInfo = HostInfo()
    public var code: TrapCode?
    /// What happened; with `cause`, the outer context of a two-level chain (as for a memory
    /// fault: "memory fault at wasm address ...", caused by "wasm trap: out of bounds ...").
    public var message: ByteBuffer
    public var cause = ByteBuffer()
    /// The backtrace: `wasm_frame_t` objects, innermost first (owned).
    public var frames = FallibleVector<OpaquePointer>()

    deinit {
        for index in 0..<frames.count { FrameObject.delete(frames[index]) }
    }

    public typealias Handle = UnsafeMutablePointer<TrapReport>

    public init(code: TrapCode?, message: consuming ByteBuffer) {
        self.code = code
        self.message = message
    }

    /// The one out-of-memory trap. Never dereference it as a `TrapReport`.
    public static var outOfMemory: Handle {
        cswasm_out_of_memory_trap_address().assumingMemoryBound(to: TrapReport.self)
    }

    public static func isOutOfMemory(_ handle: Handle) -> Bool { handle == outOfMemory }

    /// A trap for `code` with wasmtime's message; the out-of-memory trap if it cannot be made.
    public static func make(_ code: TrapCode) -> Handle {
        do throws(SwasmError) {
            var message = try ByteBuffer("wasm trap: ")
            try message.append(code.message)
            return try Heap.create(TrapReport(code: code, message: message))
        } catch {
            return outOfMemory
        }
    }

    /// A trap carrying a host's message and no code.
    public static func make(message bytes: UnsafeRawPointer?, count: Int) -> Handle {
        do throws(SwasmError) {
            let message = try ByteBuffer(copying: bytes, count: count)
            return try Heap.create(TrapReport(code: nil, message: message))
        } catch {
            return outOfMemory
        }
    }

    /// A trap for `code` carrying `store`'s last backtrace; the out-of-memory trap if any part
    /// cannot be made (or the backtrace could not be recorded).
    public static func make(_ code: TrapCode, backtraceOf store: UnsafeMutablePointer<Store>) -> Handle {
        guard store.pointee.lastTrapFramesComplete else { return outOfMemory }
        let report = make(code)
        if isOutOfMemory(report) { return report }
        guard let frames = store.pointee.lastTrapFrameObjects() else {
            destroy(report)
            return outOfMemory
        }
        report.pointee.frames = frames
        if code == .memoryOutOfBounds, let fault = store.pointee.lastTrapFault {
            do throws(SwasmError) {
                var context = try ByteBuffer("memory fault at wasm address ")
                try context.appendHexNumber(fault.address)
                try context.append(" in linear memory of size ")
                try context.appendHexNumber(fault.memorySize)
                swap(&report.pointee.cause, &report.pointee.message)
                swap(&report.pointee.message, &context)
            } catch {
                destroy(report)
                return outOfMemory
            }
        }
        return report
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
        return body(handle.pointee.message.bytes.map { UnsafeRawPointer($0) }, handle.pointee.message.count)
    }
}
