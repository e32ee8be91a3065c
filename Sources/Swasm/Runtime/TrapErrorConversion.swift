/// Traps and errors turn into each other where an API reports one as the other: a host error
/// handed back to WebAssembly is a trap, a trap reported to a host as a failure is an error.
/// Out of memory stays out of memory.
extension TrapReport {
    /// A trap carrying `error`'s message; consumes the error. The trap gets its frames where it
    /// is raised in WebAssembly (`Invocation`), as any trap does.
    public static func converting(_ error: ErrorReport.Handle) -> Handle {
        if ErrorReport.isOutOfMemory(error) { return outOfMemory }
        let trap = ErrorReport.withMessage(error) { make(message: $0, count: $1) }
        ErrorReport.destroy(error)
        return trap
    }
}

extension ErrorReport {
    /// An error of `kind` carrying `trap`'s message and the frames it passed through
    /// (`wasmtime_error_wasm_trace`); consumes the trap.
    public static func converting(_ trap: TrapReport.Handle, kind: SwasmError) -> Handle {
        if TrapReport.isOutOfMemory(trap) { return outOfMemory }
        let error = TrapReport.withMessage(trap) { (bytes, count) in
            make(kind) { (text: inout ByteBuffer) throws(SwasmError) in try text.append(bytes, count: count) }
        }
        if !isOutOfMemory(error) {
            swap(&error.pointee.frames, &trap.pointee.frames)
            swap(&error.pointee.cause, &trap.pointee.cause)
        }
        TrapReport.destroy(trap)
        return error
    }
}
