// wasmtime/func.h: the raw-value ("unchecked") function API. A raw funcref is the function's
// record address; a raw externref is its position in the store's externref list plus one (0 is
// null), because the raw form has only 32 bits for it.
import CSwasm

enum RawValues {
    /// Writes the raw value into one slot (two for v128); false for a function reference that is
    /// not one of `store`'s functions (raw values carry no kind, but they may not forge references).
    @discardableResult
    static func write(_ raw: UnsafePointer<wasmtime_val_raw_t>, type: ValueType, to slots: UnsafeMutablePointer<UInt64>,
                      store: UnsafeMutablePointer<Store>) -> Bool {
        switch type {
        case .i32, .f32: slots[0] = UInt64(UInt32(bitPattern: raw.pointee.i32))
        case .i64, .f64: slots[0] = UInt64(bitPattern: raw.pointee.i64)
        case .v128:
            withUnsafeBytes(of: raw.pointee.v128) {
                slots[0] = $0.load(fromByteOffset: 0, as: UInt64.self)
                slots[1] = $0.load(fromByteOffset: 8, as: UInt64.self)
            }
        case .funcref:
            if let function = raw.pointee.funcref, !store.pointee.ownsFunction(function) { return false }
            slots[0] = UInt64(UInt(bitPattern: raw.pointee.funcref))
        default:
            slots[0] = store.pointee.externRef(rawID: raw.pointee.externref).map { UInt64(UInt(bitPattern: $0)) } ?? 0
        }
        return true
    }

    static func read(_ slots: UnsafePointer<UInt64>, type: ValueType, into raw: UnsafeMutablePointer<wasmtime_val_raw_t>,
                     store: UnsafeMutablePointer<Store>) {
        raw.pointee = wasmtime_val_raw_t()
        switch type {
        case .i32, .f32: raw.pointee.i32 = Int32(bitPattern: UInt32(truncatingIfNeeded: slots[0]))
        case .i64, .f64: raw.pointee.i64 = Int64(bitPattern: slots[0])
        case .v128:
            withUnsafeMutableBytes(of: &raw.pointee.v128) {
                $0.storeBytes(of: slots[0], toByteOffset: 0, as: UInt64.self)
                $0.storeBytes(of: slots[1], toByteOffset: 8, as: UInt64.self)
            }
        case .funcref: raw.pointee.funcref = UnsafeMutableRawPointer(bitPattern: UInt(slots[0]))
        default:
            raw.pointee.externref = slots[0] == 0 ? 0
                : UnsafeMutableRawPointer(bitPattern: UInt(slots[0]))!.assumingMemoryBound(to: ExternRefBox.self).pointee.rawID
        }
    }
}

@_cdecl("wasmtime_func_call_unchecked")
public func wasmtime_func_call_unchecked(_ context: OpaquePointer?, _ function: UnsafePointer<wasmtime_func_t>?,
                                         _ values: UnsafeMutablePointer<wasmtime_val_raw_t>?, _ count: Int,
                                         _ trap: UnsafeMutablePointer<OpaquePointer?>?) -> OpaquePointer? {
    trap?.pointee = nil
    guard context != nil, function != nil else {
        return OpaquePointer(ErrorReport.make(.invalidArgument, "wasmtime_func_call_unchecked: store and function must not be NULL"))
    }
    guard let (store, callee) = ExternHandles.function(function, in: context) else {
        return OpaquePointer(ErrorReport.make(.invalidArgument, "object used with the wrong store"))
    }
    let signature = ImportMatching.signature(of: callee)
    guard count >= max(signature.parameters.count, signature.results.count), values != nil || count == 0 else {
        return OpaquePointer(ErrorReport.make(.invalidArgument, "wasmtime_func_call_unchecked: too few values for the function's type"))
    }
    var slots = FallibleVector<UInt64>()
    do throws(SwasmError) {
        try slots.reserve(max(count &* 2, 1))
        for _ in 0..<max(count &* 2, 1) { try slots.append(0) }
        var slot = 0
        for index in 0..<signature.parameters.count {
            guard RawValues.write(values!.advanced(by: index), type: signature.parameters[index], to: slots.base!.advanced(by: slot), store: store) else {
                return OpaquePointer(ErrorReport.rejecting(.wrongStore, expected: signature.parameters[index], context: "argument type mismatch"))
            }
            slot &+= FunctionCompiler.width(signature.parameters[index])
        }
        var resultSlots = 0
        for type in signature.results { resultSlots &+= FunctionCompiler.width(type) }
        let base = slots.base!
        switch try store.pointee.invoke(callee, arguments: base, argumentSlots: slot, results: base, resultSlots: resultSlots) {
        case .returned: break
        case .trapped(let code):
            return trapOutParameter(trap, code, store)
        case .hostTrap(let hostTrap):
            return hostTrapOutcome(hostTrap, trap)
        case .hostError(let error):
            return error
        }
        slot = 0
        for index in 0..<signature.results.count {
            RawValues.read(base.advanced(by: slot), type: signature.results[index], into: values!.advanced(by: index), store: store)
            slot &+= FunctionCompiler.width(signature.results[index])
        }
        return nil
    } catch {
        return OpaquePointer(ErrorReport.make(error, "function call failed"))
    }
}

@_cdecl("wasmtime_func_new_unchecked")
public func wasmtime_func_new_unchecked(_ context: OpaquePointer?, _ type: OpaquePointer?, _ callback: OpaquePointer?,
                                        _ environment: UnsafeMutableRawPointer?, _ finalizer: HostFinalizer?,
                                        _ out: UnsafeMutablePointer<wasmtime_func_t>?) {
    out?.pointee = wasmtime_func_t(store_id: 0, __private: nil)
    guard let context, let type, let callback, let out else { finalizer?(environment); return }
    let store = storePointer(context)
    guard let record = try? makeHostFunction(store, type: type, callback: callback, environment: environment, finalizer: finalizer) else { return }
    HostFunction.from(record).pointee.unchecked = true
    out.pointee = wasmtime_func_t(store_id: store.pointee.id, __private: UnsafeMutableRawPointer(record))
}

@_cdecl("wasmtime_func_to_raw")
public func wasmtime_func_to_raw(_ context: OpaquePointer?, _ function: UnsafePointer<wasmtime_func_t>?) -> UnsafeMutableRawPointer? {
    ExternHandles.function(function, in: context).map { UnsafeMutableRawPointer($0.1) }
}

@_cdecl("wasmtime_func_from_raw")
public func wasmtime_func_from_raw(_ context: OpaquePointer?, _ raw: UnsafeMutableRawPointer?, _ out: UnsafeMutablePointer<wasmtime_func_t>?) {
    guard let out else { return }
    guard let context else {
        out.pointee = wasmtime_func_t(store_id: 0, __private: nil)
        return
    }
    // A raw value that names no function of this store reads as the null reference.
    guard let raw, storePointer(context).pointee.isLive(raw, LiveObjectKind.function) else {
        out.pointee = wasmtime_func_t(store_id: 0, __private: nil)
        return
    }
    out.pointee = wasmtime_func_t(store_id: storePointer(context).pointee.id, __private: raw)
}
