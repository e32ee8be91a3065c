// wasmtime/func.h: calling functions.
import CSwasm

@_cdecl("wasmtime_func_call")
public func wasmtime_func_call(_ context: OpaquePointer?, _ function: UnsafePointer<wasmtime_func_t>?,
                               _ arguments: UnsafePointer<wasmtime_val_t>?, _ argumentCount: Int,
                               _ results: UnsafeMutablePointer<wasmtime_val_t>?, _ resultCount: Int,
                               _ trap: UnsafeMutablePointer<OpaquePointer?>?) -> OpaquePointer? {
    trap?.pointee = nil
    guard let context, let function, arguments != nil || argumentCount == 0, results != nil || resultCount == 0 else {
        return OpaquePointer(ErrorReport.make(.invalidArgument, "wasmtime_func_call: store, function, arguments and results must not be NULL"))
    }
    guard let (store, callee) = ExternHandles.function(function, in: context) else {
        return OpaquePointer(ErrorReport.make(.invalidArgument, "object used with the wrong store"))
    }
    let signature = ImportMatching.signature(of: callee)
    let parameters = signature.parameters.count
    let resultTypes = signature.results.count
    guard argumentCount == parameters else {
        return OpaquePointer(ErrorReport.make(.invalidArgument) { (text: inout ByteBuffer) throws(SwasmError) in
            try text.append("expected ")
            try text.appendDecimal(UInt64(parameters))
            try text.append(" arguments, got ")
            try text.appendDecimal(UInt64(UInt(bitPattern: argumentCount)))
        })
    }
    guard resultCount == resultTypes else {
        return OpaquePointer(ErrorReport.make(.invalidArgument) { (text: inout ByteBuffer) throws(SwasmError) in
            try text.append("expected ")
            try text.appendDecimal(UInt64(resultTypes))
            try text.append(" results, got ")
            try text.appendDecimal(UInt64(UInt(bitPattern: resultCount)))
        })
    }
    // Arguments into slots (v128 takes two); at most 1,000 parameters, so a fixed buffer would do,
    // but the slots are written straight into the execution stack by `invoke` from this array.
    var slots = FallibleVector<UInt64>()
    do throws(SwasmError) {
        try slots.reserve(max(parameters &* 2, resultTypes &* 2) &+ 1)
        for index in 0..<parameters {
            let type = signature.parameters[index]
            let value = arguments!.advanced(by: index)
            let (words, error) = ValueSlots.admit(value, as: type, in: store, context: "argument type mismatch")
            if let error { return error }
            try slots.append(words.0)
            if type == .v128 { try slots.append(words.1) }
        }
        var resultSlots = 0
        for index in 0..<resultTypes { resultSlots &+= FunctionCompiler.width(signature.results[index]) }
        while slots.count < resultSlots { try slots.append(0) }
        let base = slots.base!
        switch try store.pointee.invoke(callee, arguments: base, argumentSlots: slots.count, results: base, resultSlots: resultSlots) {
        case .returned: break
        case .trapped(let code):
            return trapOutParameter(trap, code, store)
        case .hostTrap(let hostTrap):
            return hostTrapOutcome(hostTrap, trap)
        case .hostError(let error):
            return error
        }
        var slot = 0
        for index in 0..<resultTypes {
            let type = signature.results[index]
            ValueSlots.read(base.advanced(by: slot), type: type, into: results!.advanced(by: index), storeID: store.pointee.id)
            slot &+= FunctionCompiler.width(type)
        }
        return nil
    } catch {
        return OpaquePointer(ErrorReport.make(error, "function call failed"))
    }
}

@_cdecl("wasmtime_func_type")
public func wasmtime_func_type(_ context: OpaquePointer?, _ function: UnsafePointer<wasmtime_func_t>?) -> OpaquePointer? {
    guard let (_, callee) = ExternHandles.function(function, in: context) else { return nil }
    let signature = ImportMatching.signature(of: callee)
    return try? ModuleReflection.makeFunctionType(parameters: signature.parameters, results: signature.results)
}

/// A host function's trap, reported as wasmtime does: one with a trap code comes back as a
/// trap; one made from a message comes back as an error carrying the message.
func hostTrapOutcome(_ hostTrap: OpaquePointer, _ trap: UnsafeMutablePointer<OpaquePointer?>?) -> OpaquePointer? {
    let handle = trapHandle(hostTrap)
    if TrapReport.isOutOfMemory(handle) { return OpaquePointer(ErrorReport.outOfMemory) }
    if handle.pointee.code != nil, let trap {
        trap.pointee = hostTrap
        return nil
    }
    return OpaquePointer(ErrorReport.converting(handle, kind: .host))
}

/// Conversions between `wasmtime_val_t` and frame slots.
enum ValueSlots {
    /// The value as the runtime's unchecked `HostValue` (a reference with store id 0 is null).
    static func hostValue(_ value: UnsafePointer<wasmtime_val_t>) -> HostValue {
        switch Int32(value.pointee.kind) {
        case WASMTIME_I32: return .i32(UInt32(bitPattern: value.pointee.of.i32))
        case WASMTIME_I64: return .i64(UInt64(bitPattern: value.pointee.of.i64))
        case WASMTIME_F32: return .f32(value.pointee.of.f32.bitPattern)
        case WASMTIME_F64: return .f64(value.pointee.of.f64.bitPattern)
        case WASMTIME_V128:
            return withUnsafeBytes(of: value.pointee.of.v128) {
                .v128($0.load(fromByteOffset: 0, as: UInt64.self), $0.load(fromByteOffset: 8, as: UInt64.self))
            }
        case WASMTIME_FUNCREF:
            let reference = value.pointee.of.funcref
            return .funcref(storeID: reference.store_id, function: reference.store_id == 0 ? nil : reference.__private)
        case WASMTIME_EXTERNREF:
            let reference = value.pointee.of.externref
            return .externref(storeID: reference.store_id, box: reference.store_id == 0 ? nil : reference.__private3)
        default:
            return .unknown
        }
    }

    /// The slot words of a host value entering as `type`, or wasmtime's error under `context`.
    static func admit(_ value: UnsafePointer<wasmtime_val_t>, as type: ValueType, in store: UnsafeMutablePointer<Store>,
                      context: StaticString) -> (words: (UInt64, UInt64), error: OpaquePointer?) {
        do throws(ValueRejection) {
            return (try store.pointee.admit(hostValue(value), as: type), nil)
        } catch {
            return ((0, 0), OpaquePointer(ErrorReport.rejecting(error, expected: type, context: context)))
        }
    }

    /// A table element entering from the host, or wasmtime's error (`operation` names the
    /// function for a value that is not a reference).
    static func admitElement(_ value: UnsafePointer<wasmtime_val_t>, as type: ValueType, in store: UnsafeMutablePointer<Store>,
                             notReference: StaticString) -> (word: UInt64, error: OpaquePointer?) {
        do throws(ValueRejection) {
            return (try store.pointee.admitElement(hostValue(value), as: type), nil)
        } catch {
            return (0, OpaquePointer(ErrorReport.rejecting(error, expected: type, context: "type mismatch: value does not match table element type",
                                                           referenceContext: notReference)))
        }
    }

    /// Writes the slot value into `value`. A non-null externref handed to the host to keep
    /// (`rooting`) is rooted until `wasmtime_val_unroot`; callback arguments are only lent.
    static func read(_ slots: UnsafePointer<UInt64>, type: ValueType, into value: UnsafeMutablePointer<wasmtime_val_t>, storeID: UInt64,
                     rooting: Bool = true) {
        value.pointee.kind = type.wasmtimeKind
        switch type {
        case .i32: value.pointee.of.i32 = Int32(bitPattern: UInt32(truncatingIfNeeded: slots[0]))
        case .i64: value.pointee.of.i64 = Int64(bitPattern: slots[0])
        case .f32: value.pointee.of.f32 = Float(bitPattern: UInt32(truncatingIfNeeded: slots[0]))
        case .f64: value.pointee.of.f64 = Double(bitPattern: slots[0])
        case .v128:
            withUnsafeMutableBytes(of: &value.pointee.of.v128) {
                $0.storeBytes(of: slots[0], toByteOffset: 0, as: UInt64.self)
                $0.storeBytes(of: slots[1], toByteOffset: 8, as: UInt64.self)
            }
        case .funcref:
            value.pointee.of.funcref = wasmtime_func_t(store_id: slots[0] == 0 ? 0 : storeID,
                                                       __private: UnsafeMutableRawPointer(bitPattern: UInt(slots[0])))
        default:
            value.pointee.of.externref = wasmtime_externref_t(store_id: slots[0] == 0 ? 0 : storeID, __private1: 0, __private2: 0,
                                                              __private3: UnsafeMutableRawPointer(bitPattern: UInt(slots[0])))
            if rooting, let box = UnsafeMutablePointer<ExternRefBox>(bitPattern: UInt(slots[0])) { box.pointee.hostRoots &+= 1 }
        }
    }
}
