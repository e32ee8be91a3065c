import CSwasm

/// What running code asks of its store: memory growth within the store's limits, and the
/// decision at an epoch deadline.
extension Store {
    /// The store running the execution `ex` (set by `invoke`).
    @inline(__always)
    static func running(_ ex: UnsafeMutablePointer<swasm_exec>) -> UnsafeMutablePointer<Store> {
        ex.pointee.runtime.assumingMemoryBound(to: Store.self)
    }

    /// Grows `memory` by `pages` within the store's limits: the previous size in pages, or nil
    /// (`memory.grow` returns -1 whatever the reason).
    mutating func grow(_ memory: UnsafeMutablePointer<LinearMemory>, by pages: UInt64) -> UInt64? {
        try? growMemory(memory, by: pages)
    }

    /// The epoch deadline passed: the deadline callback decides (continue with a new deadline,
    /// or fail with its error); without one, the call traps with an interrupt. True when running
    /// code continues; otherwise `ex` says why it stops.
    static func epochDeadlineReached(_ ex: UnsafeMutablePointer<swasm_exec>, at ip: UnsafePointer<UInt64>) -> Bool {
        let store = running(ex)
        guard let callback = store.pointee.epochCallback else {
            // `wasmtime_context_epoch_deadline_async_yield_and_update`: an async call yields with
            // the deadline moved on.
            if let delta = store.pointee.epochYieldDelta {
                guard store.pointee.activeAsyncCall != nil else {
                    store.pointee.pendingFailure = Failure.make(.host, "cannot use `UpdateDeadline::Yield` without using an async wasm entrypoint")
                    ex.pointee.trap = ExecutionStop.hostFailure
                    return false
                }
                return store.pointee.yieldAtEpochCheck(ex, ip, ticks: delta)
            }
            ex.pointee.trap = TrapCode.interrupt.stopValue
            return false
        }
        var delta: UInt64 = 0
        var update: UInt8 = 0
        // The callback may call back into this store: such calls trap with an interrupt, as in
        // wasmtime (running code's frames are not where a nested call could start).
        store.pointee.inEpochCallback = true
        // The check is a safepoint: a collection the callback causes sees the running frames.
        let point = Safepoint(fp: ex.pointee.fp, ip: ip, depth: Int(ex.pointee.call_depth), previous: nil)
        let failure = Store.atSafepoint(store, point) { callback(OpaquePointer(store), store.pointee.epochCallbackData, &delta, &update) }
        store.pointee.inEpochCallback = false
        if let cell = failure {
            store.pointee.pendingFailure = Failure.take(Failure.Cell(cell))
            ex.pointee.trap = ExecutionStop.hostFailure
            return false
        }
        // A yield needs an async call (as in wasmtime, a synchronous one fails).
        if update == EpochDeadlineUpdate.yield {
            guard store.pointee.activeAsyncCall != nil else {
                store.pointee.pendingFailure = Failure.make(.host, "cannot use `UpdateDeadline::Yield` without using an async wasm entrypoint")
                ex.pointee.trap = ExecutionStop.hostFailure
                return false
            }
            return store.pointee.yieldAtEpochCheck(ex, ip, ticks: delta)
        }
        store.pointee.setEpochDeadline(ticksBeyondCurrent: delta)
        ex.pointee.epoch_deadline = store.pointee.epochDeadline
        return true
    }
}

extension Store {
    /// The deadline passed in an async call whose store yields there: the call yields, to go on
    /// after the check (Runtime/AsyncCalls.swift), and when it resumes the deadline is `ticks`
    /// epochs beyond the epoch then, as in wasmtime. Where it cannot yield (a host function runs
    /// between the check and the poll), the deadline moves on now and the call goes on.
    mutating func yieldAtEpochCheck(_ ex: UnsafeMutablePointer<swasm_exec>, _ ip: UnsafePointer<UInt64>, ticks: UInt64) -> Bool {
        guard mayYield else {
            setEpochDeadline(ticksBeyondCurrent: ticks)
            ex.pointee.epoch_deadline = epochDeadline
            return true
        }
        deadlineTicksAfterYield = ticks
        yieldResume = ip.advanced(by: 1)
        ex.pointee.trap = ExecutionStop.yield
        return false
    }
}
