import CSwasm

/// The host's side of a call into WebAssembly: where the arguments come from and where the
/// results go, in the host's own representation of values. The C API implements one of these per
/// value struct (`wasmtime_val_t`, `wasmtime_val_raw_t`, `wasm_val_t`); `Store.call` does the rest.
public protocol CallValues: ~Copyable {
    /// Argument `index`, which the callee expects as `type`, before any check. Throws only when
    /// converting it needs memory that is not there.
    func argument(_ index: Int, as type: ValueType, in store: UnsafeMutablePointer<Store>) throws(SwasmError) -> HostValue
    /// Hands result `index` (its slots hold a value of `type`) to the host. Throws only for lack
    /// of memory.
    mutating func setResult(_ index: Int, from slots: UnsafePointer<UInt64>, as type: ValueType,
                            in store: UnsafeMutablePointer<Store>) throws(SwasmError)
    /// Argument `index` of number or vector type `type` as its slot words, when it is certainly a
    /// value of that type (raw values carry no kind; a `wasmtime_val_t` of that kind); nil sends
    /// it through `argument` and every check.
    func numericArgument(_ index: Int, as type: ValueType) -> (UInt64, UInt64)?
    /// Hands result `index` of number or vector type `type` to the host straight from its slots;
    /// false when these values need `setResult`.
    mutating func setNumericResult(_ index: Int, from slots: UnsafePointer<UInt64>, as type: ValueType) -> Bool
}

extension CallValues where Self: ~Copyable {
    public func numericArgument(_ index: Int, as type: ValueType) -> (UInt64, UInt64)? { nil }
    public mutating func setNumericResult(_ index: Int, from slots: UnsafePointer<UInt64>, as type: ValueType) -> Bool { false }
}

extension Store {
    /// Calls `function` (of this store) from the host: checks the numbers of arguments and
    /// results against its type, admits every argument (kind, type, store, live object), lays
    /// them out in slots, runs the function, and hands the results back through `values`.
    /// `context` words a refused argument as the API reports it ("argument type mismatch").
    public mutating func call<Values: CallValues & ~Copyable>(_ function: UnsafeMutablePointer<swasm_function>, _ values: inout Values,
                                                              argumentCount: Int, resultCount: Int) -> CallOutcome {
        let signature = calleeSignature(function)
        guard argumentCount == signature.parameters.count else {
            return .failure(.arity(expected: signature.parameters.count, "arguments", got: argumentCount))
        }
        guard resultCount == signature.results.count else {
            return .failure(.arity(expected: signature.results.count, "results", got: resultCount))
        }
        return call(function, &values, signature: signature)
    }

    /// `call` with values that share one array of `capacity` entries, arguments in and results
    /// out (the raw-value API): fails with `tooFew` when the array is too small for either.
    public mutating func call<Values: CallValues & ~Copyable>(_ function: UnsafeMutablePointer<swasm_function>, _ values: inout Values,
                                                              sharedCapacity capacity: Int, tooFew: StaticString) -> CallOutcome {
        let signature = calleeSignature(function)
        guard capacity >= max(signature.parameters.count, signature.results.count) else { return .failure(Failure.make(.invalidArgument, tooFew)) }
        return call(function, &values, signature: signature)
    }

    /// `function`'s signature (`ImportMatching.signature`), remembered for the function the host
    /// last named by a handle found live: a host calling one function in a loop looks it up once.
    /// Unregistering any object forgets it, so a remembered signature belongs to a live function.
    @inline(__always)
    mutating func calleeSignature(_ function: UnsafeMutablePointer<swasm_function>) -> (parameters: UnsafeBufferPointer<ValueType>, results: UnsafeBufferPointer<ValueType>) {
        let address = UInt(bitPattern: function)
        if address == lastCallee { return lastCalleeSignature }
        let signature = ImportMatching.signature(of: function)
        if address == lastLiveObject && lastLiveKind == LiveObjectKind.function {
            lastCallee = address
            lastCalleeSignature = signature
        }
        return signature
    }

    /// `call` once the values fit the signature.
    private mutating func call<Values: CallValues & ~Copyable>(_ function: UnsafeMutablePointer<swasm_function>, _ values: inout Values,
                                                               signature: (parameters: UnsafeBufferPointer<ValueType>, results: UnsafeBufferPointer<ValueType>)) -> CallOutcome {
        var argumentSlots = 0
        for type in signature.parameters { argumentSlots &+= type.slotCount }
        var resultSlots = 0
        for type in signature.results { resultSlots &+= type.slotCount }
        // Most calls' slots fit scratch space on the stack; larger ones take it from the heap.
        var outcome = CallOutcome.returned
        let ran: Void? = ScratchBuffer.with(UInt64.self, count: max(argumentSlots, resultSlots)) { slots in
            outcome = run(function, &values, signature: signature, slots: slots, argumentSlots: argumentSlots, resultSlots: resultSlots)
        }
        guard ran != nil else { return .outOfMemory }
        return outcome
    }

    /// Admits the host's arguments for `function` (kind, type, store, live object) into `slots`;
    /// the outcome that ends the call when one is refused or memory runs out.
    @inline(__always)
    mutating func admitArguments<Values: CallValues & ~Copyable>(_ function: UnsafeMutablePointer<swasm_function>, _ values: inout Values,
                                                                  signature: (parameters: UnsafeBufferPointer<ValueType>, results: UnsafeBufferPointer<ValueType>),
                                                                  into slots: UnsafeMutablePointer<UInt64>) -> CallOutcome? {
        var slot = 0
        for index in 0..<signature.parameters.count {
            // Numbers and vectors of the right kind need no other check.
            if !signature.parameters[index].isReference, let words = values.numericArgument(index, as: signature.parameters[index]) {
                slots[slot] = words.0
                if signature.parameters[index] == .v128 {
                    slots[slot &+ 1] = words.1
                    slot &+= 2
                } else {
                    slot &+= 1
                }
                continue
            }
            let type = ImportMatching.engineType(signature.parameters[index], of: function)
            do throws(ValueRejection) {
                let value: HostValue
                do throws(SwasmError) {
                    value = try values.argument(index, as: type, in: &self)
                } catch {
                    return .outOfMemory
                }
                let words = try admit(value, as: type)
                slots[slot] = words.0
                if type == .v128 { slots[slot &+ 1] = words.1 }
            } catch {
                return .failure(.rejecting(error, expected: type, context: "argument type mismatch"))
            }
            slot &+= type.slotCount
        }
        return nil
    }

    /// `call` with the slots in place.
    private mutating func run<Values: CallValues & ~Copyable>(_ function: UnsafeMutablePointer<swasm_function>, _ values: inout Values,
                                                             signature: (parameters: UnsafeBufferPointer<ValueType>, results: UnsafeBufferPointer<ValueType>),
                                                             slots: UnsafeMutablePointer<UInt64>, argumentSlots: Int, resultSlots: Int) -> CallOutcome {
        if let refused = admitArguments(function, &values, signature: signature, into: slots) { return refused }
        let outcome: CallOutcome
        do throws(SwasmError) {
            outcome = try invoke(function, arguments: slots, argumentSlots: argumentSlots, results: slots, resultSlots: resultSlots)
        } catch {
            return .outOfMemory
        }
        guard outcome.hasReturned else { return outcome }
        return handResults(signature.results, from: slots, to: &values)
    }

    /// Hands the results of a call that returned (in `slots`, of `types`) to the host.
    @inline(__always)
    mutating func handResults<Values: CallValues & ~Copyable>(_ types: UnsafeBufferPointer<ValueType>, from slots: UnsafePointer<UInt64>,
                                                              to values: inout Values) -> CallOutcome {
        var slot = 0
        for index in 0..<types.count {
            let type = types[index]
            if !type.isReference, values.setNumericResult(index, from: slots.advanced(by: slot), as: type) {
                slot &+= type.slotCount
                continue
            }
            do throws(SwasmError) {
                try values.setResult(index, from: slots.advanced(by: slot), as: type, in: &self)
            } catch {
                return .outOfMemory
            }
            slot &+= type.slotCount
        }
        return .returned
    }
}
