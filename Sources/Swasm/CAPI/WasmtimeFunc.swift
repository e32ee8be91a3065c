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
    let instance = callee.pointee.instance!.assumingMemoryBound(to: Instance.self)
    let signature = instance.pointee.module.pointer.pointee.description.functionType(callee.pointee.type_index)
    let parameters = signature.pointee.parameters.count
    let resultTypes = signature.pointee.results.count
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
            let type = signature.pointee.parameters[index]
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
        for index in 0..<resultTypes { resultSlots &+= FunctionCompiler.width(signature.pointee.results[index]) }
        while slots.count < resultSlots { try slots.append(0) }
        let base = slots.base!
        if let code = try store.pointee.invoke(callee, arguments: base, argumentSlots: slots.count, results: base, resultSlots: resultSlots) {
            trapOutParameter(trap, code)
            return nil
        }
        var slot = 0
        for index in 0..<resultTypes {
            let type = signature.pointee.results[index]
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
    let callee = raw.assumingMemoryBound(to: swasm_function.self)
    let instance = callee.pointee.instance!.assumingMemoryBound(to: Instance.self)
    let signature = instance.pointee.module.pointer.pointee.description.functionType(callee.pointee.type_index)
    return try? ModuleReflection.makeFunctionType(signature)
}

/// Conversions between `wasmtime_val_t` and frame slots.
enum ValueSlots {
    static func append(_ value: UnsafePointer<wasmtime_val_t>, type: ValueType, to slots: inout FallibleVector<UInt64>) throws(SwasmError) {
        switch type {
        case .i32: try slots.append(UInt64(UInt32(bitPattern: value.pointee.of.i32)))
        case .i64: try slots.append(UInt64(bitPattern: value.pointee.of.i64))
        case .f32: try slots.append(UInt64(value.pointee.of.f32.bitPattern))
        case .f64: try slots.append(value.pointee.of.f64.bitPattern)
        case .v128:
            let words = withUnsafeBytes(of: value.pointee.of.v128) { ($0.load(fromByteOffset: 0, as: UInt64.self), $0.load(fromByteOffset: 8, as: UInt64.self)) }
            try slots.append(words.0)
            try slots.append(words.1)
        default:
            try slots.append(0) // references: with the runtime issue
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
        default:
            value.pointee.of.funcref = wasmtime_func_t(store_id: 0, __private: nil)
        }
    }
}
