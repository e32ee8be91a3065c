// Async host functions made from C callbacks (`wasmtime_func_async_callback_t`): the trampoline
// that runs the callback and hands its continuation to the runtime as pending work
// (Runtime/AsyncHostCalls.swift), and that work's poll, completion and release.
import CSwasm

/// One call of an async callback while its continuation is pending: the values it was given
/// (the arguments, then the results it writes, which must stay in place until the continuation
/// completes), the caller handle, the continuation and a trap it returned.
private struct AsyncHostWork {
    var caller: CallerRecord
    var continuation = wasmtime_async_continuation_t(callback: nil, env: nil, finalizer: nil)
    var trap: OpaquePointer? = nil
    let values: UnsafeMutablePointer<wasmtime_val_t>
    let parameterCount: Int
    let resultCount: Int

    init(caller: CallerRecord, values: UnsafeMutablePointer<wasmtime_val_t>, parameterCount: Int, resultCount: Int) {
        self.caller = caller
        self.values = values
        self.parameterCount = parameterCount
        self.resultCount = resultCount
    }
}

/// Runs a `wasmtime_func_async_callback_t`: the arguments as `wasmtime_val_t`s (lent, not
/// rooted), then its continuation becomes the call's pending work. A trap it returns ends the
/// call once the continuation completes, as in wasmtime.
let asyncCallbackTrampoline: HostTrampoline = { raw in
    let call = HostCall.from(raw)
    let function = call.pointee.function
    let parameterCount = function.pointee.parameters.count
    let resultCount = function.pointee.results.count
    guard let values = try? Heap.allocateZeroed(wasmtime_val_t.self, count: max(parameterCount &+ resultCount, 1)) else {
        return call.pointee.fail(.outOfMemory)
    }
    let caller = CallerRecord(store: call.pointee.store, context: call.pointee.context)
    guard let work = try? Heap.create(AsyncHostWork(caller: caller, values: values, parameterCount: parameterCount, resultCount: resultCount)) else {
        Heap.free(values)
        return call.pointee.fail(.outOfMemory)
    }
    for index in 0..<parameterCount { ValueSlots.write(call.pointee.takeArgument(), into: values.advanced(by: index)) }
    let callback = unsafeBitCast(function.pointee.callback, to: wasmtime_func_async_callback_t.self)
    callback(function.pointee.environment, OpaquePointer(withUnsafeMutablePointer(to: &work.pointee.caller) { $0 }), UnsafePointer(values),
             parameterCount, values.advanced(by: parameterCount), resultCount,
             withUnsafeMutablePointer(to: &work.pointee.trap) { $0 }, withUnsafeMutablePointer(to: &work.pointee.continuation) { $0 })
    call.pointee.suspend(HostSuspension(state: UnsafeMutableRawPointer(work), poll: pollAsyncHostWork,
                                        complete: completeAsyncHostWork, discard: discardAsyncHostWork))
}

/// Calls the continuation once: whether the host's work is done (a continuation without a
/// callback is done at once).
private let pollAsyncHostWork: @convention(c) (UnsafeMutableRawPointer) -> Bool = { raw in
    let work = raw.assumingMemoryBound(to: AsyncHostWork.self)
    guard let callback = work.pointee.continuation.callback else { return true }
    return callback(work.pointee.continuation.env)
}

/// The work completed: the continuation is finalized, then the call fails with the callback's
/// trap or gets the results, checked as a synchronous host function's are.
private let completeAsyncHostWork: @convention(c) (UnsafeMutableRawPointer, UnsafeMutableRawPointer) -> Void = { raw, rawCall in
    let work = raw.assumingMemoryBound(to: AsyncHostWork.self)
    let call = HostCall.from(rawCall)
    finalizeContinuation(work)
    if let trap = work.pointee.trap {
        work.pointee.trap = nil
        call.pointee.fail(TrapReport.take(trapHandle(trap)))
    } else {
        let results = work.pointee.values.advanced(by: work.pointee.parameterCount)
        for index in 0..<work.pointee.resultCount {
            guard call.pointee.giveResult(ValueSlots.hostValue(results.advanced(by: index))) else { break }
        }
    }
    releaseWork(work)
}

/// The work will not complete (its future or store was deleted): the continuation is finalized
/// and a trap the callback returned deleted.
private let discardAsyncHostWork: @convention(c) (UnsafeMutableRawPointer) -> Void = { raw in
    let work = raw.assumingMemoryBound(to: AsyncHostWork.self)
    finalizeContinuation(work)
    if let trap = work.pointee.trap {
        work.pointee.trap = nil
        TrapReport.destroy(trapHandle(trap))
    }
    releaseWork(work)
}

/// Runs the continuation's finalizer, once.
private func finalizeContinuation(_ work: UnsafeMutablePointer<AsyncHostWork>) {
    let finalizer = work.pointee.continuation.finalizer
    work.pointee.continuation.finalizer = nil
    finalizer?(work.pointee.continuation.env)
}

private func releaseWork(_ work: UnsafeMutablePointer<AsyncHostWork>) {
    Heap.free(work.pointee.values)
    Heap.destroy(work)
}
