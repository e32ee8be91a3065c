// Host functions made from C callbacks (`wasmtime_func_callback_t` and the raw-value kind): the
// trampolines that run them (Runtime/HostFunctions.swift calls these), and the caller handle
// (`wasmtime_caller_t`) they receive.
import CSwasm

/// What a `wasmtime_caller_t *` points at while a host function runs.
struct CallerRecord {
    var store: UnsafeMutablePointer<Store>
    var context: UnsafeMutablePointer<swasm_context>?
}

/// Runs a `wasmtime_func_callback_t`: the arguments as `wasmtime_val_t`s (lent, not rooted),
/// the results checked as they come back.
let checkedCallbackTrampoline: HostTrampoline = { raw in
    let call = HostCall.from(raw)
    let store = call.pointee.store
    let function = call.pointee.function
    let parameterCount = function.pointee.parameters.count
    let resultCount = function.pointee.results.count
    let numeric = function.pointee.numericSignature
    let ran: Void? = ScratchBuffer.with(wasmtime_val_t.self, count: parameterCount &+ resultCount) { values in
        if numeric {
            call.pointee.forEachNumericArgument { index, type, slots in ValueSlots.writeNumeric(slots, as: type, into: values.advanced(by: index)) }
        } else {
            for index in 0..<parameterCount { ValueSlots.write(call.pointee.takeArgument(), into: values.advanced(by: index)) }
        }
        var caller = CallerRecord(store: store, context: call.pointee.context)
        let callback = unsafeBitCast(function.pointee.callback, to: wasmtime_func_callback_t.self)
        let trap = withUnsafeMutablePointer(to: &caller) {
            callback(function.pointee.environment, OpaquePointer($0), UnsafePointer(values), parameterCount,
                     values.advanced(by: parameterCount), resultCount)
        }
        if let trap { return call.pointee.fail(TrapReport.take(trapHandle(trap))) }
        if numeric {
            // Results of the declared kinds go straight to their slots; one of another kind sends
            // them all through `giveResult`, which refuses it.
            var accepted = true
            call.pointee.forEachNumericResult { index, type, slots in
                guard accepted, let words = ValueSlots.numericWords(values.advanced(by: parameterCount &+ index), as: type) else {
                    accepted = false
                    return
                }
                slots[0] = words.0
                if type == .v128 { slots[1] = words.1 }
            }
            if accepted { return }
        }
        for index in 0..<resultCount {
            guard call.pointee.giveResult(ValueSlots.hostValue(values.advanced(by: parameterCount &+ index))) else { return }
        }
    }
    if ran == nil { call.pointee.fail(.outOfMemory) }
}

/// Runs a `wasmtime_func_unchecked_callback_t`: arguments and results share one array of
/// `wasmtime_val_raw_t`.
let uncheckedCallbackTrampoline: HostTrampoline = { raw in
    let call = HostCall.from(raw)
    let store = call.pointee.store
    let function = call.pointee.function
    let parameterCount = function.pointee.parameters.count
    let resultCount = function.pointee.results.count
    let count = max(parameterCount, resultCount)
    // Without references, the values go between slots and raw values as they are: a raw number
    // has no kind that could be wrong.
    let numeric = function.pointee.numericSignature
    let ran: Void? = ScratchBuffer.with(wasmtime_val_raw_t.self, count: count) { values in
        if numeric {
            call.pointee.forEachNumericArgument { index, type, slots in RawValues.writeNumeric(slots, as: type, into: values.advanced(by: index)) }
        } else {
            for index in 0..<parameterCount { RawValues.write(call.pointee.takeArgument(), into: values.advanced(by: index), store: store) }
        }
        var caller = CallerRecord(store: store, context: call.pointee.context)
        let callback = unsafeBitCast(function.pointee.callback, to: wasmtime_func_unchecked_callback_t.self)
        let trap = withUnsafeMutablePointer(to: &caller) { callback(function.pointee.environment, OpaquePointer($0), values, count) }
        if let trap { return call.pointee.fail(TrapReport.take(trapHandle(trap))) }
        if numeric {
            return call.pointee.forEachNumericResult { index, type, slots in
                let words = RawValues.numericWords(values.advanced(by: index), as: type)
                slots[0] = words.0
                if type == .v128 { slots[1] = words.1 }
            }
        }
        for index in 0..<resultCount {
            let type = function.pointee.results[index]
            guard call.pointee.giveResult(RawValues.hostValue(values.advanced(by: index), as: type, store: store)) else { return }
        }
    }
    if ran == nil { call.pointee.fail(.outOfMemory) }
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

/// The parameter and result types of a `wasm_functype_t`.
func functionTypes(_ type: OpaquePointer, _ parameters: inout FallibleVector<ValueType>, _ results: inout FallibleVector<ValueType>) throws(SwasmError) {
    for element in CVector.pointers(UnsafeRawPointer(FuncTypeObject.paramsVector(type))) {
        try parameters.append(element.map(ValTypeObject.get) ?? .i32)
    }
    for element in CVector.pointers(UnsafeRawPointer(FuncTypeObject.resultsVector(type))) {
        try results.append(element.map(ValTypeObject.get) ?? .i32)
    }
}

/// Registers a host function in `store` running `callback` through `trampoline`; on allocation
/// failure the finalizer has run.
func makeHostFunction(_ store: UnsafeMutablePointer<Store>, type: OpaquePointer, trampoline: HostTrampoline, callback: OpaquePointer,
                      environment: UnsafeMutableRawPointer?, finalizer: HostFinalizer?) throws(SwasmError) -> UnsafeMutablePointer<swasm_function> {
    var parameters = FallibleVector<ValueType>()
    var results = FallibleVector<ValueType>()
    do {
        try functionTypes(type, &parameters, &results)
    } catch {
        finalizer?(environment)
        throw error
    }
    return try store.pointee.makeHostFunction(trampoline: trampoline, callback: UnsafeRawPointer(callback), environment: environment,
                                              finalizer: finalizer, parameters: parameters, results: results,
                                              engineTypeID: FuncTypeObject.pointer(type).pointee.engineTypeID)
}

@_cdecl("wasmtime_func_new")
public func wasmtime_func_new(_ context: OpaquePointer?, _ type: OpaquePointer?, _ callback: OpaquePointer?,
                              _ environment: UnsafeMutableRawPointer?, _ finalizer: HostFinalizer?,
                              _ out: UnsafeMutablePointer<wasmtime_func_t>?) {
    newFunction(checkedCallbackTrampoline, context, type, callback, environment, finalizer, out)
}

/// `wasmtime_func_new(_unchecked)`: a host function of the store running `callback` through
/// `trampoline`; a null function on failure (the finalizer has then run).
func newFunction(_ trampoline: HostTrampoline, _ context: OpaquePointer?, _ type: OpaquePointer?, _ callback: OpaquePointer?,
                 _ environment: UnsafeMutableRawPointer?, _ finalizer: HostFinalizer?, _ out: UnsafeMutablePointer<wasmtime_func_t>?) {
    out?.pointee = wasmtime_func_t(store_id: 0, __private: nil)
    guard let context, let type, let callback, let out else { finalizer?(environment); return }
    let store = storePointer(context)
    guard let record = try? makeHostFunction(store, type: type, trampoline: trampoline, callback: callback,
                                             environment: environment, finalizer: finalizer) else { return }
    out.pointee = wasmtime_func_t(store_id: store.pointee.id, __private: UnsafeMutableRawPointer(record))
}
