/// Traps and errors turn into each other where an API reports one as the other: a host error
/// handed back to WebAssembly is a trap, a trap reported to a host as a failure is an error.
/// Out of memory stays out of memory. Both hold a `Failure`; converting moves it.
extension TrapReport {
    /// A trap carrying `error`'s failure; consumes the error.
    public static func converting(_ error: ErrorReport.Handle) -> Handle {
        make(Failure.take(error))
    }
}

extension ErrorReport {
    /// An error of `kind` carrying `trap`'s message, cause and frames
    /// (`wasmtime_error_wasm_trace`); consumes the trap.
    public static func converting(_ trap: TrapReport.Handle, kind: SwasmError) -> Handle {
        var failure = TrapReport.take(trap)
        if failure.isOutOfMemory { return outOfMemory }
        failure.kind = kind
        failure.code = nil
        return make(failure)
    }
}
