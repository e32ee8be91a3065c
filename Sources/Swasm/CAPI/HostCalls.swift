// Calls from WebAssembly into host functions (`wasmtime_func_callback_t`), and the caller handle
// (`wasmtime_caller_t`) they receive.
import CSwasm

/// What a `wasmtime_caller_t *` points at while a host function runs.
struct CallerRecord {
    var store: UnsafeMutablePointer<Store>
    var context: UnsafeMutablePointer<swasm_context>?
}

/// Entered from the interpreter (`swasm_enter_function` in SwasmExec.h) with the arguments in
/// `frame`; writes the results there. A trap from the callback stops execution.
@_silgen_name("swasm_host_call")
func swasmHostCall(_ function: UnsafeMutablePointer<swasm_function>, _ returnIP: UnsafePointer<UInt64>,
                   _ frame: UnsafeMutablePointer<UInt64>, _ ex: UnsafeMutablePointer<swasm_exec>) -> UnsafePointer<UInt64>? {
    let host = HostFunction.from(function)
    let store = ex.pointee.runtime.assumingMemoryBound(to: Store.self)
    if host.pointee.unchecked { return uncheckedHostCall(host, returnIP, frame, ex, store) }
    let parameterCount = host.pointee.parameters.count
    let resultCount = host.pointee.results.count
    guard let values = try? Heap.allocateZeroed(wasmtime_val_t.self, count: max(parameterCount &+ resultCount, 1)) else {
        ex.pointee.trap = ExecutionStop.outOfMemory
        return nil
    }
    defer { Heap.free(values) }
    var slot = 0
    for index in 0..<parameterCount {
        let type = host.pointee.parameters[index]
        ValueSlots.read(frame.advanced(by: slot), type: type, into: values.advanced(by: index), storeID: store.pointee.id, rooting: false)
        slot &+= FunctionCompiler.width(type)
    }
    var resultSlots = 0
    for index in 0..<resultCount { resultSlots &+= FunctionCompiler.width(host.pointee.results[index]) }
    // A call back into WebAssembly from the callback starts its frame above this one.
    let savedBase = store.pointee.nestedFrameBase
    store.pointee.nestedFrameBase = frame.advanced(by: max(slot, resultSlots))
    var caller = CallerRecord(store: store, context: ex.pointee.context)
    let callback = unsafeBitCast(host.pointee.callback, to: wasmtime_func_callback_t.self)
    let lentFuel = store.pointee.lendFuel(ex)
    let trap = withUnsafeMutablePointer(to: &caller) {
        callback(host.pointee.environment, OpaquePointer($0), UnsafePointer(values), parameterCount,
                 values.advanced(by: parameterCount), resultCount)
    }
    store.pointee.reclaimFuel(ex, lent: lentFuel)
    store.pointee.nestedFrameBase = savedBase
    if let context = ex.pointee.context { swasm_switch_context(ex, context) } // memory may have grown
    if let trap {
        store.pointee.pendingHostTrap = trap
        ex.pointee.trap = ExecutionStop.hostTrap
        return nil
    }
    slot = 0
    for index in 0..<resultCount {
        let type = host.pointee.results[index]
        let (words, rejected) = ValueSlots.admit(values.advanced(by: parameterCount &+ index), as: type, in: store,
                                                 context: "function attempted to return an incompatible value")
        if let rejected {
            store.pointee.pendingHostError = rejected
            ex.pointee.trap = ExecutionStop.hostError
            return nil
        }
        frame[slot] = words.0
        if type == .v128 { frame[slot &+ 1] = words.1 }
        slot &+= FunctionCompiler.width(type)
    }
    return returnIP
}

/// The raw-value variant: arguments and results share one array of `wasmtime_val_raw_t`.
private func uncheckedHostCall(_ host: UnsafeMutablePointer<HostFunction>, _ returnIP: UnsafePointer<UInt64>,
                               _ frame: UnsafeMutablePointer<UInt64>, _ ex: UnsafeMutablePointer<swasm_exec>,
                               _ store: UnsafeMutablePointer<Store>) -> UnsafePointer<UInt64>? {
    let parameterCount = host.pointee.parameters.count
    let resultCount = host.pointee.results.count
    let count = max(parameterCount, resultCount)
    guard let values = try? Heap.allocateZeroed(wasmtime_val_raw_t.self, count: max(count, 1)) else {
        ex.pointee.trap = ExecutionStop.outOfMemory
        return nil
    }
    defer { Heap.free(values) }
    var slot = 0
    for index in 0..<parameterCount {
        let type = host.pointee.parameters[index]
        RawValues.read(frame.advanced(by: slot), type: type, into: values.advanced(by: index), store: store)
        slot &+= FunctionCompiler.width(type)
    }
    var resultSlots = 0
    for index in 0..<resultCount { resultSlots &+= FunctionCompiler.width(host.pointee.results[index]) }
    let savedBase = store.pointee.nestedFrameBase
    store.pointee.nestedFrameBase = frame.advanced(by: max(slot, resultSlots))
    var caller = CallerRecord(store: store, context: ex.pointee.context)
    let callback = unsafeBitCast(host.pointee.callback, to: wasmtime_func_unchecked_callback_t.self)
    let lentFuel = store.pointee.lendFuel(ex)
    let trap = withUnsafeMutablePointer(to: &caller) { callback(host.pointee.environment, OpaquePointer($0), values, count) }
    store.pointee.reclaimFuel(ex, lent: lentFuel)
    store.pointee.nestedFrameBase = savedBase
    if let context = ex.pointee.context { swasm_switch_context(ex, context) }
    if let trap {
        store.pointee.pendingHostTrap = trap
        ex.pointee.trap = ExecutionStop.hostTrap
        return nil
    }
    slot = 0
    for index in 0..<resultCount {
        let type = host.pointee.results[index]
        guard RawValues.write(values.advanced(by: index), type: type, to: frame.advanced(by: slot), store: store) else {
            store.pointee.pendingHostError = OpaquePointer(ErrorReport.rejecting(.wrongStore, expected: type,
                                                                                 context: "function attempted to return an incompatible value"))
            ex.pointee.trap = ExecutionStop.hostError
            return nil
        }
        slot &+= FunctionCompiler.width(type)
    }
    return returnIP
}

@inline(__always)
func callerRecord(_ caller: OpaquePointer) -> UnsafeMutablePointer<CallerRecord> { UnsafeMutablePointer(caller) }

@_cdecl("wasmtime_caller_context")
public func wasmtime_caller_context(_ caller: OpaquePointer?) -> OpaquePointer? {
    caller.map { OpaquePointer(callerRecord($0).pointee.store) }
}

@_cdecl("wasmtime_caller_export_get")
public func wasmtime_caller_export_get(_ caller: OpaquePointer?, _ name: UnsafePointer<CChar>?, _ length: Int,
                                       _ item: UnsafeMutablePointer<wasmtime_extern_t>?) -> Bool {
    guard let caller, let item, name != nil || length == 0, length >= 0,
          let context = callerRecord(caller).pointee.context, let raw = context.pointee.instance else { return false }
    let store = callerRecord(caller).pointee.store
    let instance = raw.assumingMemoryBound(to: Instance.self)
    return ExternHandles.export(of: instance, named: name, length: length, store: store, into: item)
}

/// Registers a host function in `store`; nil on allocation failure (the finalizer has run).
func makeHostFunction(_ store: UnsafeMutablePointer<Store>, type: OpaquePointer, callback: OpaquePointer,
                      environment: UnsafeMutableRawPointer?, finalizer: HostFinalizer?) throws(SwasmError) -> UnsafeMutablePointer<swasm_function> {
    var parameters = FallibleVector<ValueType>()
    var results = FallibleVector<ValueType>()
    do {
        for element in CVector.pointers(UnsafeRawPointer(FuncTypeObject.paramsVector(type))) {
            try parameters.append(element.map(ValTypeObject.get) ?? .i32)
        }
        for element in CVector.pointers(UnsafeRawPointer(FuncTypeObject.resultsVector(type))) {
            try results.append(element.map(ValTypeObject.get) ?? .i32)
        }
    } catch {
        finalizer?(environment)
        throw error
    }
    let function = try Heap.create(HostFunction(callback: callback, environment: environment, finalizer: finalizer,
                                                parameters: parameters, results: results))
    function.pointee.record.host = UnsafeMutableRawPointer(function)
    try store.pointee.adoptHostFunction(function)
    return withUnsafeMutablePointer(to: &function.pointee.record) { $0 }
}

@_cdecl("wasmtime_func_new")
public func wasmtime_func_new(_ context: OpaquePointer?, _ type: OpaquePointer?, _ callback: OpaquePointer?,
                              _ environment: UnsafeMutableRawPointer?, _ finalizer: HostFinalizer?,
                              _ out: UnsafeMutablePointer<wasmtime_func_t>?) {
    out?.pointee = wasmtime_func_t(store_id: 0, __private: nil)
    guard let context, let type, let callback, let out else { finalizer?(environment); return }
    let store = storePointer(context)
    guard let record = try? makeHostFunction(store, type: type, callback: callback, environment: environment, finalizer: finalizer) else { return }
    out.pointee = wasmtime_func_t(store_id: store.pointee.id, __private: UnsafeMutableRawPointer(record))
}
