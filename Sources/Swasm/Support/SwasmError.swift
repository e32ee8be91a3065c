/// Every failure the core can report. Payload-free so that throwing never allocates
/// (typed throws carry it in registers); the human-readable detail travels separately
/// (see `Diagnostic`), allocated only when that is possible.
public enum SwasmError: Error, Equatable {
    /// An allocation failed. Always recoverable: the engine and store stay usable.
    case outOfMemory
    /// A caller passed a NULL or otherwise unusable argument.
    case invalidArgument
    /// Bytes or text that are not a well-formed module.
    case malformed
    /// A well-formed module that does not validate.
    case invalid
    /// Imports that cannot be satisfied.
    case unlinkable
    /// Execution stopped with a WebAssembly trap.
    case trap
    /// A configured or implementation limit was exceeded.
    case limitExceeded
    /// An error created by the embedder (`wasmtime_error_new`, a host function).
    case host
    /// The operation needs a feature that is disabled or not supported.
    case unsupported
}
