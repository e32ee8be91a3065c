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
    let store = storePointer(context)
    guard function.pointee.store_id == store.pointee.id, let raw = function.pointee.__private else {
        return OpaquePointer(ErrorReport.make(.invalidArgument, "object used with the wrong store"))
    }
    let callee = raw.assumingMemoryBound(to: swasm_function.self)
    let signature = ImportMatching.signature(of: callee)
    let parameters = signature.parameters.count
    let resultTypes = signature.results.count
    guard argumentCount == parameters else {
        return OpaquePointer(ErrorReport.make(.invalidArgument) { (text: inout ByteBuffer) throws(SwasmError) in
            try text.append("expected ")
            try text.appendDecimal(UInt64(parameters))
            try text.append(" arguments, got ")
            try text.appendDecimal(UInt64(argumentCount))
        })
    }
    guard resultCount == resultTypes else {
        return OpaquePointer(ErrorReport.make(.invalidArgument) { (text: inout ByteBuffer) throws(SwasmError) in
            try text.append("expected ")
            try text.appendDecimal(UInt64(resultTypes))
            try text.append(" results, got ")
            try text.appendDecimal(UInt64(resultCount))
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
            guard value.pointee.kind == type.wasmtimeKind else {
                return OpaquePointer(ErrorReport.make(.invalidArgument) { (text: inout ByteBuffer) throws(SwasmError) in
                    try text.append("argument type mismatch at index ")
                    try text.appendDecimal(UInt64(index))
                    try text.append(": expected ")
                    try text.append(type.name)
                })
            }
            try ValueSlots.append(value, type: type, to: &slots)
        }
        var resultSlots = 0
        for index in 0..<resultTypes { resultSlots &+= FunctionCompiler.width(signature.results[index]) }
        while slots.count < resultSlots { try slots.append(0) }
        let base = slots.base!
        switch try store.pointee.invoke(callee, arguments: base, argumentSlots: slots.count, results: base, resultSlots: resultSlots) {
        case .returned: break
        case .trapped(let code):
            trapOutParameter(trap, code, store)
            return nil
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
    guard let function, let raw = function.pointee.__private else { return nil }
    let signature = ImportMatching.signature(of: raw.assumingMemoryBound(to: swasm_function.self))
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
    static func append(_ value: UnsafePointer<wasmtime_val_t>, type: ValueType, to slots: inout FallibleVector<UInt64>) throws(SwasmError) {
        var words: (UInt64, UInt64) = (0, 0)
        withUnsafeMutablePointer(to: &words) { write(value, type: type, to: UnsafeMutableRawPointer($0).assumingMemoryBound(to: UInt64.self)) }
        try slots.append(words.0)
        if type == .v128 { try slots.append(words.1) }
    }

    /// Writes a value into one slot (two for v128).
    static func write(_ value: UnsafePointer<wasmtime_val_t>, type: ValueType, to slots: UnsafeMutablePointer<UInt64>) {
        switch type {
        case .i32: slots[0] = UInt64(UInt32(bitPattern: value.pointee.of.i32))
        case .i64: slots[0] = UInt64(bitPattern: value.pointee.of.i64)
        case .f32: slots[0] = UInt64(value.pointee.of.f32.bitPattern)
        case .f64: slots[0] = value.pointee.of.f64.bitPattern
        case .v128:
            withUnsafeBytes(of: value.pointee.of.v128) {
                slots[0] = $0.load(fromByteOffset: 0, as: UInt64.self)
                slots[1] = $0.load(fromByteOffset: 8, as: UInt64.self)
            }
        case .funcref:
            slots[0] = value.pointee.of.funcref.store_id == 0 ? 0 : UInt64(UInt(bitPattern: value.pointee.of.funcref.__private))
        default:
            slots[0] = value.pointee.of.externref.store_id == 0 ? 0 : UInt64(UInt(bitPattern: value.pointee.of.externref.__private3))
        }
    }

    static func read(_ slots: UnsafePointer<UInt64>, type: ValueType, into value: UnsafeMutablePointer<wasmtime_val_t>, storeID: UInt64) {
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
        }
    }
}
