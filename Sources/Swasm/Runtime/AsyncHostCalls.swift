import CSwasm

/// Work an async host function left pending (`wasmtime_linker_define_async_func`). The function's
/// trampoline hands it over with `HostCall.suspend`; the call then waits until `poll` reports it
/// done, polled once at once and once per poll of the async call's future. `complete` then gives
/// the results (or fails) through the `HostCall` it is passed and releases the work; `discard`
/// releases work that will not complete (its future or its store was deleted). Both run the
/// host's finalizers.
public struct HostSuspension: BitwiseCopyable {
    public let state: UnsafeMutableRawPointer
    public let poll: @convention(c) (UnsafeMutableRawPointer) -> Bool
    public let complete: @convention(c) (UnsafeMutableRawPointer, UnsafeMutableRawPointer) -> Void
    public let discard: @convention(c) (UnsafeMutableRawPointer) -> Void

    public init(state: UnsafeMutableRawPointer, poll: @convention(c) (UnsafeMutableRawPointer) -> Bool,
                complete: @convention(c) (UnsafeMutableRawPointer, UnsafeMutableRawPointer) -> Void,
                discard: @convention(c) (UnsafeMutableRawPointer) -> Void) {
        self.state = state
        self.poll = poll
        self.complete = complete
        self.discard = discard
    }
}

/// A host call an async call is suspended in: its pending work, and what the interpreter needs to
/// finish the call as `swasm_host_call` would have (results into `frame`, then `returnIP`; a tail
/// call also returns for the caller it replaced).
struct SuspendedHostCall: BitwiseCopyable {
    let work: HostSuspension
    let function: UnsafeMutablePointer<HostFunction>
    let frame: UnsafeMutablePointer<UInt64>
    let returnIP: UnsafePointer<UInt64>
    let tail: Bool
    let context: UnsafeMutablePointer<swasm_context>?
}

/// How a suspended host call stands after a poll.
enum HostCallProgress {
    case pending
    /// It failed: the stop is recorded in `swasm_exec` (`Store.stopped` reports it).
    case stopped
    /// It returned: running code goes on here.
    case resume(UnsafePointer<UInt64>)
}

/// Async host functions. Their frames are the async call's own (on the store's stack), so a host
/// call that leaves work pending stops the interpreter like a yield: the call's frames stay, the
/// next poll polls the work, and once it completes the results are checked like a synchronous
/// host function's and running code goes on after the call. Only where the call can suspend:
/// running an async call's own frames. A host function that called back into WebAssembly, an
/// async instantiation's start function and a synchronous call cannot be suspended, and refuse
/// (`suspensionRefusal`).
extension Store {
    /// Why an async host function cannot run here; nil where it can suspend its caller.
    var suspensionRefusal: StaticString? {
        if mayYield { return nil }
        if activeAsyncCall != nil && nestedFrameBase != nil {
            return "an async host function cannot be called from WebAssembly that a host function called back into: swasm cannot suspend a nested call"
        }
        if inAsyncEntry { return "an async host function cannot be called while an async instantiation runs its start function: swasm cannot suspend it" }
        return "an async host function cannot be called synchronously: `*_async` functions must be used instead"
    }

    /// Polls pending host work once (calls into the store are refused meanwhile, as while a
    /// future is pending).
    mutating func pollHostWork(_ work: HostSuspension) -> Bool {
        pollingHostWork = true
        let done = work.poll(work.state)
        pollingHostWork = false
        return done
    }

    /// Stops running code at a host call whose work is pending: the async call suspends there
    /// (`step` sees the yield), with the host call's safepoint keeping its arguments and frames.
    mutating func suspendHostCall(_ suspended: SuspendedHostCall, at point: Safepoint, _ ex: UnsafeMutablePointer<swasm_exec>) {
        suspendedHostCall = suspended
        suspendedPoint = point
        suspendedPoint.previous = nil
        ex.pointee.trap = ExecutionStop.yield
    }

    /// Polls the work of the host call the async call is suspended in; once it completes, gives
    /// its results and says where running code goes on.
    mutating func progressOfSuspendedHostCall(_ ex: UnsafeMutablePointer<swasm_exec>) -> HostCallProgress {
        guard let suspended = suspendedHostCall else { return .stopped }
        guard pollHostWork(suspended.work) else { return .pending }
        suspendedHostCall = nil
        let store = withUnsafeMutablePointer(to: &self) { $0 }
        var call = HostCall(store: store, function: suspended.function, slots: suspended.frame, context: suspended.context)
        withUnsafeMutablePointer(to: &call) { suspended.work.complete(suspended.work.state, UnsafeMutableRawPointer($0)) }
        if let context = ex.pointee.context { swasm_switch_context(ex, context) }
        let depth = ex.pointee.call_depth
        guard let next = Store.returnFromHostCall(store, call.failure.take(), returnIP: suspended.returnIP, tail: suspended.tail, ex) else {
            return .stopped
        }
        // A tail call returns for the caller it replaced (as `swasm_tail_call` does), unless an
        // exception the function threw was caught further out.
        if suspended.tail && ex.pointee.call_depth == depth { return .resume(swasm_return(next, ex.pointee.fp, ex)) }
        return .resume(next)
    }

    /// Releases the work of a host call that will not complete (its future or store is deleted).
    mutating func discardSuspendedHostCall() {
        guard let suspended = suspendedHostCall else { return }
        suspendedHostCall = nil
        pollingHostWork = true
        suspended.work.discard(suspended.work.state)
        pollingHostWork = false
    }
}
