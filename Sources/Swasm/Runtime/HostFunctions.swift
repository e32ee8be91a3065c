import CSwasm

/// How a host function runs: called with a `HostCall` (as a raw pointer, so that C-convention
/// trampolines can be stored). It reads the arguments from the call's slots, does its work, and
/// writes the results there, or sets the call's `failure`. The C API provides trampolines for
/// its callbacks (checked, raw-value, wasm.h); native host functions (WASI) work on the slots
/// directly.
public typealias HostTrampoline = @convention(c) (UnsafeMutableRawPointer) -> Void

/// A function defined by the host, owned by its store. The `swasm_function` record comes first,
/// so a pointer to it is a pointer to the whole.
public struct HostFunction: ~Copyable {
    public var record = swasm_function()
    public let trampoline: HostTrampoline
    /// What the trampoline calls, if anything (a C callback).
    public let callback: UnsafeRawPointer?
    public let environment: UnsafeMutableRawPointer?
    let finalizer: HostFinalizer?
    public var parameters: FallibleVector<ValueType>
    public var results: FallibleVector<ValueType>
    /// Slots the parameters and the results take.
    public let parameterSlots: Int
    public let resultSlots: Int
    /// No parameter or result is a reference: its values are numbers and vectors only.
    public let numericSignature: Bool
    /// For functions made from a linker definition: the shared owner of `environment`.
    public var environmentOwner: Shared<HostEnvironment>?
    /// The function's type in the engine's registry when it was made from one (a module's type,
    /// of exactly this signature); nil for the type of its signature alone (final, without
    /// supertype, its own recursion group).
    public var engineTypeID: UInt32? = nil
    /// An async host function: its trampoline may leave work pending (`HostCall.suspend`), so it
    /// runs only where its caller can be suspended (Runtime/AsyncHostCalls.swift).
    public var suspends = false

    public init(trampoline: HostTrampoline, callback: UnsafeRawPointer?, environment: UnsafeMutableRawPointer?, finalizer: HostFinalizer?,
                parameters: consuming FallibleVector<ValueType>, results: consuming FallibleVector<ValueType>) {
        self.trampoline = trampoline
        self.callback = callback
        self.environment = environment
        self.finalizer = finalizer
        var slots = 0
        var references = false
        for index in 0..<parameters.count {
            slots &+= parameters[index].slotCount
            references = references || parameters[index].isReference
        }
        parameterSlots = slots
        slots = 0
        for index in 0..<results.count {
            slots &+= results[index].slotCount
            references = references || results[index].isReference
        }
        resultSlots = slots
        numericSignature = !references
        self.parameters = parameters
        self.results = results
    }

    deinit {
        finalizer?(environment)
        environmentOwner?.release()
    }

    public static func from(_ record: UnsafeMutablePointer<swasm_function>) -> UnsafeMutablePointer<HostFunction> {
        UnsafeMutableRawPointer(record).assumingMemoryBound(to: HostFunction.self)
    }
}

/// The description of a host function before it exists in a store: what runs and its type.
/// Linker definitions keep one and make a function from it in each store they instantiate into.
public struct HostFunctionDefinition: ~Copyable {
    public let trampoline: HostTrampoline
    public let callback: UnsafeRawPointer?
    public var environmentOwner: Shared<HostEnvironment>?
    public var environment: UnsafeMutableRawPointer? { environmentOwner?.pointer.pointee.data }
    public var parameters = FallibleVector<ValueType>()
    public var results = FallibleVector<ValueType>()
    /// The engine type the function gets, if any (`HostFunction.engineTypeID`).
    public var engineTypeID: UInt32? = nil
    /// Whether the functions made from it are async ones (`HostFunction.suspends`).
    public var suspends = false

    /// Takes ownership of `environment`: if the definition cannot be made, it is finalized at once.
    public init(trampoline: HostTrampoline, callback: UnsafeRawPointer?, environment: UnsafeMutableRawPointer?,
                finalizer: HostFinalizer?) throws(SwasmError) {
        self.trampoline = trampoline
        self.callback = callback
        if environment != nil || finalizer != nil {
            environmentOwner = try Shared.create(HostEnvironment(data: environment, finalizer: finalizer))
        }
    }

    private init(trampoline: HostTrampoline, callback: UnsafeRawPointer?) {
        self.trampoline = trampoline
        self.callback = callback
    }

    deinit { environmentOwner?.release() }

    /// A copy sharing the environment.
    public func clone() throws(SwasmError) -> HostFunctionDefinition {
        var copy = HostFunctionDefinition(trampoline: trampoline, callback: callback)
        copy.environmentOwner = environmentOwner?.retain()
        copy.parameters = try parameters.clone()
        copy.results = try results.clone()
        copy.engineTypeID = engineTypeID
        copy.suspends = suspends
        return copy
    }
}

extension Store {
    /// A new host function of this store; the function owns `environment` and finalizes it when
    /// the store goes (at once, if the function cannot be made).
    public mutating func makeHostFunction(trampoline: HostTrampoline, callback: UnsafeRawPointer?, environment: UnsafeMutableRawPointer?,
                                          finalizer: HostFinalizer?, parameters: consuming FallibleVector<ValueType>,
                                          results: consuming FallibleVector<ValueType>, engineTypeID: UInt32? = nil) throws(SwasmError) -> UnsafeMutablePointer<swasm_function> {
        let function = try Heap.create(HostFunction(trampoline: trampoline, callback: callback, environment: environment, finalizer: finalizer,
                                                    parameters: parameters, results: results))
        function.pointee.engineTypeID = checkedEngineType(engineTypeID, of: function)
        return try adopt(function)
    }

    /// `id` if it is a function type of this store's engine with exactly the function's
    /// signature (a type id from another engine, or a stale one, is dropped: the function then
    /// has the type of its signature alone).
    private mutating func checkedEngineType(_ id: UInt32?, of function: UnsafeMutablePointer<HostFunction>) -> UInt32? {
        guard let id else { return nil }
        let parameters = UnsafeBufferPointer(start: function.pointee.parameters.base, count: function.pointee.parameters.count)
        let results = UnsafeBufferPointer(start: function.pointee.results.base, count: function.pointee.results.count)
        return engine.pointer.pointee.types.hasSignature(id, parameters: parameters, results: results) ? id : nil
    }

    /// A new host function of this store made from a definition (sharing its environment).
    public mutating func makeHostFunction(_ definition: borrowing HostFunctionDefinition) throws(SwasmError) -> UnsafeMutablePointer<swasm_function> {
        let function = try Heap.create(HostFunction(trampoline: definition.trampoline, callback: definition.callback,
                                                    environment: definition.environment, finalizer: nil,
                                                    parameters: try definition.parameters.clone(), results: try definition.results.clone()))
        function.pointee.environmentOwner = definition.environmentOwner?.retain()
        function.pointee.engineTypeID = checkedEngineType(definition.engineTypeID, of: function)
        function.pointee.suspends = definition.suspends
        return try adopt(function)
    }

    private mutating func adopt(_ function: UnsafeMutablePointer<HostFunction>) throws(SwasmError) -> UnsafeMutablePointer<swasm_function> {
        function.pointee.record.host = UnsafeMutableRawPointer(function)
        // A tail call moves this many argument slots to the frame's start (swasm_tail_call).
        function.pointee.record.parameter_slots = UInt32(truncatingIfNeeded: function.pointee.parameterSlots)
        try adoptHostFunction(function)
        return withUnsafeMutablePointer(to: &function.pointee.record) { $0 }
    }
}

/// One call of a host function, as its trampoline sees it.
public struct HostCall: ~Copyable {
    public let store: UnsafeMutablePointer<Store>
    public let function: UnsafeMutablePointer<HostFunction>
    /// The arguments on entry and the results on return, in slots (v128 takes two).
    public let slots: UnsafeMutablePointer<UInt64>
    /// The calling instance (nil when the host called the function directly).
    public let context: UnsafeMutablePointer<swasm_context>?
    /// Set when the function fails: the call then stops with this failure.
    var failure: Failure? = nil
    /// Set when an async host function left work pending (`suspend`).
    var suspension: HostSuspension? = nil
    /// Where the next argument and the next result are, in slots.
    private var nextArgumentSlot = 0
    private var nextArgument = 0
    private var nextResultSlot = 0
    private var nextResult = 0

    init(store: UnsafeMutablePointer<Store>, function: UnsafeMutablePointer<HostFunction>, slots: UnsafeMutablePointer<UInt64>,
         context: UnsafeMutablePointer<swasm_context>?) {
        self.store = store
        self.function = function
        self.slots = slots
        self.context = context
    }

    /// The next argument as the host sees it (references only lent: not rooted). Call once per
    /// parameter, in order.
    public mutating func takeArgument() -> HostValue {
        let type = function.pointee.parameters[nextArgument]
        let value = store.pointee.hostValue(slots.advanced(by: nextArgumentSlot), as: type, rooting: false)
        nextArgument &+= 1
        nextArgumentSlot &+= type.slotCount
        return value
    }

    /// Stores the next result after checking it against the result type; false (with `failure`
    /// set) when it is refused. Call once per result, in order, after taking every argument.
    public mutating func giveResult(_ value: HostValue) -> Bool {
        let type = function.pointee.results[nextResult]
        do throws(ValueRejection) {
            let words = try store.pointee.admit(value, as: type)
            slots[nextResultSlot] = words.0
            if type == .v128 { slots[nextResultSlot &+ 1] = words.1 }
        } catch {
            failure = Failure.rejecting(error, expected: type, context: "function attempted to return an incompatible value")
            return false
        }
        nextResult &+= 1
        nextResultSlot &+= type.slotCount
        return true
    }

    /// The arguments in order, each as its index, type and slots, for a function whose values
    /// are numbers and vectors only (`HostFunction.numericSignature`): nothing to convert or check.
    @inline(__always)
    public func forEachNumericArgument(_ body: (Int, ValueType, UnsafeMutablePointer<UInt64>) -> Void) {
        Self.forEachSlot(function.pointee.parameters.base, function.pointee.parameters.count, slots, body)
    }

    /// The results in order, as `forEachNumericArgument`: `body` writes each one's slots.
    @inline(__always)
    public func forEachNumericResult(_ body: (Int, ValueType, UnsafeMutablePointer<UInt64>) -> Void) {
        Self.forEachSlot(function.pointee.results.base, function.pointee.results.count, slots, body)
    }

    @inline(__always)
    private static func forEachSlot(_ types: UnsafeMutablePointer<ValueType>?, _ count: Int, _ slots: UnsafeMutablePointer<UInt64>,
                                    _ body: (Int, ValueType, UnsafeMutablePointer<UInt64>) -> Void) {
        var slot = 0
        for index in 0..<count {
            let type = types!.advanced(by: index).pointee
            body(index, type, slots.advanced(by: slot))
            slot &+= type.slotCount
        }
    }

    /// Whether the call failed, without moving its failure (a large value) out.
    var hasFailed: Bool {
        switch failure {
        case .some: return true
        case .none: return false
        }
    }

    /// Fails the call (host functions report failures this way).
    public mutating func fail(_ failure: consuming Failure) {
        self.failure = consume failure
    }

    /// Leaves `work` pending: the call waits for it (only an async host function may, and only
    /// once; Runtime/AsyncHostCalls.swift). Its results are given when it completes.
    public mutating func suspend(_ work: HostSuspension) {
        suspension = work
    }

    public static func from(_ raw: UnsafeMutableRawPointer) -> UnsafeMutablePointer<HostCall> {
        raw.assumingMemoryBound(to: HostCall.self)
    }

    /// The calling instance, for export lookups (`wasmtime_caller_export_get`) and memory access.
    public var instance: UnsafeMutablePointer<Instance>? {
        context?.pointee.instance?.assumingMemoryBound(to: Instance.self)
    }
}

extension Store {
    /// The value in `slots` of `type` as the host sees it. A non-null externref handed to the
    /// host to keep (`rooting`) is rooted until the host releases it; arguments of host
    /// functions are only lent.
    public mutating func hostValue(_ slots: UnsafePointer<UInt64>, as type: ValueType, rooting: Bool) -> HostValue {
        switch type.hierarchy {
        case .i32: return .i32(UInt32(truncatingIfNeeded: slots[0]))
        case .i64: return .i64(slots[0])
        case .f32: return .f32(UInt32(truncatingIfNeeded: slots[0]))
        case .f64: return .f64(slots[0])
        case .v128: return .v128(slots[0], slots[1])
        case .funcref:
            let function = UnsafeMutableRawPointer(bitPattern: UInt(slots[0]))
            return .funcref(storeID: function == nil ? 0 : id, function: function)
        case .exnref:
            // Exceptions an exnref names live as long as the store: nothing to root.
            return .exnref(storeID: slots[0] == 0 ? 0 : id, reference: slots[0])
        case .anyref:
            if rooting { Store.rootReference(slots[0], anyHierarchy: true) }
            return .anyref(storeID: slots[0] == 0 ? 0 : id, word: slots[0])
        default:
            // A box, or a value of the any hierarchy made external (docs/gc.md).
            if rooting { Store.rootReference(slots[0], anyHierarchy: false) }
            let word = UnsafeMutableRawPointer(bitPattern: UInt(slots[0]))
            return .externref(storeID: word == nil ? 0 : id, box: word)
        }
    }
}

/// Entered from the interpreter (`swasm_enter_function` in SwasmExec.h) with the arguments in
/// `frame`; the function writes its results there. A failure stops execution, and so does work an
/// async host function leaves pending (its async call suspends: Runtime/AsyncHostCalls.swift).
@_silgen_name("swasm_host_call")
func swasmHostCall(_ function: UnsafeMutablePointer<swasm_function>, _ returnIP: UnsafePointer<UInt64>,
                   _ frame: UnsafeMutablePointer<UInt64>, _ ex: UnsafeMutablePointer<swasm_exec>, _ tail: UInt32) -> UnsafePointer<UInt64>? {
    let host = HostFunction.from(function)
    let store = ex.pointee.runtime.assumingMemoryBound(to: Store.self)
    if host.pointee.suspends, let refusal = store.pointee.suspensionRefusal {
        store.pointee.pendingFailure = Failure.make(.host, refusal)
        ex.pointee.trap = ExecutionStop.hostFailure
        return nil
    }
    // A call back into WebAssembly from the function starts its frame above this one.
    let savedBase = store.pointee.nestedFrameBase
    store.pointee.nestedFrameBase = frame.advanced(by: max(host.pointee.parameterSlots, host.pointee.resultSlots))
    var call = HostCall(store: store, function: host, slots: frame, context: ex.pointee.context)
    let lentFuel = store.pointee.lendFuel(ex)
    // The call is a safepoint: a collection while it runs sees its arguments and the frames below.
    let point = Store.hostSafepoint(host, frame: frame, returnIP: returnIP, tail: tail != 0, ex)
    Store.atSafepoint(store, point) {
        withUnsafeMutablePointer(to: &call) { host.pointee.trampoline(UnsafeMutableRawPointer($0)) }
    }
    store.pointee.nestedFrameBase = savedBase
    if let work = call.suspension.take() {
        // Polled once at once, as wasmtime does; still pending, the async call suspends here.
        guard Store.atSafepoint(store, point, { store.pointee.pollHostWork(work) }) else {
            store.pointee.reclaimFuel(ex, lent: lentFuel)
            store.pointee.suspendHostCall(SuspendedHostCall(work: work, function: host, frame: frame, returnIP: returnIP,
                                                            tail: tail != 0, context: ex.pointee.context), at: point, ex)
            return nil
        }
        Store.atSafepoint(store, point) {
            withUnsafeMutablePointer(to: &call) { work.complete(work.state, UnsafeMutableRawPointer($0)) }
        }
    }
    store.pointee.reclaimFuel(ex, lent: lentFuel)
    if let context = ex.pointee.context { swasm_switch_context(ex, context) } // memory may have grown
    guard call.hasFailed else { return returnIP }
    return Store.returnFromHostCall(store, call.failure.take(), returnIP: returnIP, tail: tail != 0, ex)
}

extension Store {
    /// Where running code goes on after a host function returned: `returnIP`, or the landing pad
    /// of the exception it threw; nil (with the stop recorded) after a failure.
    static func returnFromHostCall(_ store: UnsafeMutablePointer<Store>, _ failure: consuming Failure?, returnIP: UnsafePointer<UInt64>,
                                   tail: Bool, _ ex: UnsafeMutablePointer<swasm_exec>) -> UnsafePointer<UInt64>? {
        guard let failure = failure.take() else { return returnIP }
        // "thrown Wasm exception" with an exception pending: the function threw it (its own, or
        // one escaping a call it made), to be caught here like one of `throw`.
        if failure.isUncaughtException, store.pointee.exception(store.pointee.pendingException) != nil {
            let reference = store.pointee.pendingException
            store.pointee.pendingException = 0
            return Interpreter.unwind(from: returnIP.advanced(by: -1), ex, store: store, exception: reference, replacedCaller: tail)
        }
        store.pointee.pendingFailure = consume failure
        ex.pointee.trap = ExecutionStop.hostFailure
        return nil
    }
}
