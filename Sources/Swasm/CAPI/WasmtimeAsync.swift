// wasmtime/async.h: calls that run in steps, yielding on fuel and epochs.
import CSwasm

@_cdecl("wasmtime_config_async_stack_size_set")
public func wasmtime_config_async_stack_size_set(_ config: OpaquePointer?, _ size: Int) {
    // Async calls run on the store's own WebAssembly stack (`max_wasm_stack`), not on a separate
    // native stack: the setting has nothing to size.
    _ = config
    _ = size
}

/// The creator is kept and its environment finalized with the engine; swasm never asks it for a
/// stack (WebAssembly frames live on each store's own stack: docs/async.md).
@_cdecl("wasmtime_config_host_stack_creator_set")
public func wasmtime_config_host_stack_creator_set(_ config: OpaquePointer?, _ creator: UnsafeMutablePointer<wasmtime_stack_creator_t>?) {
    guard let creator else { return }
    let kept = HostStackCreator(environment: creator.pointee.env, finalizer: creator.pointee.finalizer)
    // Without a configuration nothing takes the creator over.
    guard let config else { return kept.finalize() }
    let settings = UnsafeMutablePointer<EngineConfig>(config)
    settings.pointee.hostStackCreator?.finalize()
    settings.pointee.hostStackCreator = kept
}

@_cdecl("wasmtime_context_fuel_async_yield_interval")
public func wasmtime_context_fuel_async_yield_interval(_ context: OpaquePointer?, _ interval: UInt64) -> OpaquePointer? {
    guard let context else { return OpaquePointer(ErrorReport.make(.invalidArgument, "wasmtime_context_fuel_async_yield_interval: context is NULL")) }
    let store = storePointer(context)
    guard store.pointee.consumesFuel else { return OpaquePointer(ErrorReport.make(.unsupported, "fuel is not configured in this store")) }
    store.pointee.fuelYieldInterval = interval
    return nil
}

@_cdecl("wasmtime_context_epoch_deadline_async_yield_and_update")
public func wasmtime_context_epoch_deadline_async_yield_and_update(_ context: OpaquePointer?, _ delta: UInt64) -> OpaquePointer? {
    guard let context else {
        return OpaquePointer(ErrorReport.make(.invalidArgument, "wasmtime_context_epoch_deadline_async_yield_and_update: context is NULL"))
    }
    storePointer(context).pointee.setEpochYield(delta: delta)
    return nil
}

@_cdecl("wasmtime_func_call_async")
public func wasmtime_func_call_async(_ context: OpaquePointer?, _ function: UnsafePointer<wasmtime_func_t>?,
                                     _ arguments: UnsafePointer<wasmtime_val_t>?, _ argumentCount: Int,
                                     _ results: UnsafeMutablePointer<wasmtime_val_t>?, _ resultCount: Int,
                                     _ trap: UnsafeMutablePointer<OpaquePointer?>?, _ errorOut: UnsafeMutablePointer<OpaquePointer?>?) -> OpaquePointer? {
    trap?.pointee = nil
    errorOut?.pointee = nil
    guard let context, let function, arguments != nil || argumentCount == 0, results != nil || resultCount == 0 else {
        errorOut?.pointee = OpaquePointer(ErrorReport.make(.invalidArgument, "wasmtime_func_call_async: store, function, arguments and results must not be NULL"))
        return nil
    }
    guard let (store, callee) = ExternHandles.function(function, in: context) else {
        errorOut?.pointee = OpaquePointer(ErrorReport.make(.invalidArgument, "object used with the wrong store"))
        return nil
    }
    var values = WasmtimeCallValues(arguments: arguments, results: results)
    do throws(SwasmError) {
        let call = try AsyncCall.create(store, callee, &values, argumentCount: argumentCount, resultCount: resultCount)
        do {
            return OpaquePointer(try CallFuture.create(call, results: results, trap: trap, error: errorOut))
        } catch {
            AsyncCall.destroy(call)
            throw error
        }
    } catch {
        errorOut?.pointee = OpaquePointer(ErrorReport.outOfMemory)
        return nil
    }
}

@_cdecl("wasmtime_linker_define_async_func")
public func wasmtime_linker_define_async_func(_ linker: OpaquePointer?, _ module: UnsafePointer<CChar>?, _ moduleLength: Int,
                                              _ name: UnsafePointer<CChar>?, _ nameLength: Int, _ type: OpaquePointer?,
                                              _ callback: OpaquePointer?, _ data: UnsafeMutableRawPointer?, _ finalizer: HostFinalizer?) -> OpaquePointer? {
    defineFunction(asyncCallbackTrampoline, linker, module, moduleLength, name, nameLength, type, callback, data, finalizer, suspends: true)
}

@_cdecl("wasmtime_call_future_poll")
public func wasmtime_call_future_poll(_ handle: OpaquePointer?) -> Bool {
    guard let future = CallFuture.from(handle), !future.pointee.finished else { return true }
    // Polled from inside its own poll (a host function it runs): still running, not finished.
    if future.pointee.polling { return false }
    // A host function or continuation the poll runs may delete the future: it goes when the poll
    // returns, its outcome dropped.
    future.pointee.polling = true
    let done = pollOnce(future)
    future.pointee.polling = false
    if future.pointee.deleteRequested {
        CallFuture.release(future)
        return true
    }
    return done
}

/// One poll of a future: true once it has finished, its outcome in the out-parameters.
private func pollOnce(_ future: UnsafeMutablePointer<CallFuture>) -> Bool {
    let error: OpaquePointer?
    if let call = future.pointee.call {
        guard let outcome = AsyncCall.poll(call) else { return false }
        if future.pointee.deleteRequested {
            if case .failed(let cell) = consume outcome { _ = Failure.take(cell) }
            return true
        }
        let store = call.pointee.store
        var final = outcome
        if final.hasReturned {
            var values = WasmtimeCallValues(arguments: nil, results: future.pointee.results)
            final = AsyncCall.results(call, into: &values)
        }
        error = report(final, store, future.pointee.trap)
    } else if let work = future.pointee.instantiation, let context = work.context {
        // An async instantiation completes in one step; its start function cannot yield.
        let store = storePointer(context)
        let saved = store.pointee.markAsyncEntry(true)
        error = work.pre != nil ? preInstantiate(work.pre, context, work.instance, future.pointee.trap)
                                : linkerInstantiate(work.linker, context, work.module, work.instance, future.pointee.trap)
        _ = store.pointee.markAsyncEntry(saved)
    } else {
        error = nil
    }
    future.pointee.finished = true
    // Without a place for the error (or a future deleted meanwhile), it is dropped (wasmtime
    // requires one).
    if let destination = future.pointee.error, !future.pointee.deleteRequested {
        destination.pointee = error
    } else if let error {
        ErrorReport.destroy(errorHandle(error))
    }
    return true
}

@_cdecl("wasmtime_linker_instantiate_async")
public func wasmtime_linker_instantiate_async(_ linker: OpaquePointer?, _ context: OpaquePointer?, _ module: OpaquePointer?,
                                              _ instance: UnsafeMutablePointer<wasmtime_instance_t>?,
                                              _ trap: UnsafeMutablePointer<OpaquePointer?>?, _ errorOut: UnsafeMutablePointer<OpaquePointer?>?) -> OpaquePointer? {
    instantiationFuture(CallFuture.Instantiation(linker: linker, pre: nil, module: module, context: context, instance: instance),
                        complete: linker != nil && module != nil, trap, errorOut)
}

@_cdecl("wasmtime_instance_pre_instantiate_async")
public func wasmtime_instance_pre_instantiate_async(_ pre: OpaquePointer?, _ context: OpaquePointer?,
                                                    _ instance: UnsafeMutablePointer<wasmtime_instance_t>?,
                                                    _ trap: UnsafeMutablePointer<OpaquePointer?>?, _ errorOut: UnsafeMutablePointer<OpaquePointer?>?) -> OpaquePointer? {
    instantiationFuture(CallFuture.Instantiation(linker: nil, pre: pre, module: nil, context: context, instance: instance),
                        complete: pre != nil, trap, errorOut)
}

/// The future of an async instantiation; NULL with the error when arguments are missing or
/// memory runs out.
private func instantiationFuture(_ work: CallFuture.Instantiation, complete: Bool, _ trap: UnsafeMutablePointer<OpaquePointer?>?,
                                 _ errorOut: UnsafeMutablePointer<OpaquePointer?>?) -> OpaquePointer? {
    trap?.pointee = nil
    errorOut?.pointee = nil
    guard complete, work.context != nil, work.instance != nil else {
        errorOut?.pointee = OpaquePointer(ErrorReport.make(.invalidArgument, "async instantiation: arguments must not be NULL"))
        return nil
    }
    do throws(SwasmError) {
        return OpaquePointer(try CallFuture.create(nil, instantiation: work, results: nil, trap: trap, error: errorOut))
    } catch {
        errorOut?.pointee = OpaquePointer(ErrorReport.outOfMemory)
        return nil
    }
}

@_cdecl("wasmtime_call_future_delete")
public func wasmtime_call_future_delete(_ handle: OpaquePointer?) {
    CallFuture.destroy(handle)
}
