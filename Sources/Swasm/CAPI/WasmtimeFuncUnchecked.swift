// wasmtime/func.h: the raw-value ("unchecked") function API. A raw funcref is the function's
// record address; a raw externref is its position in the store's externref list plus one (0 is
// null), because the raw form has only 32 bits for it.
import CSwasm

enum RawValues {
    /// The raw value as a host value of `type` (raw values carry no kind; a raw funcref names
    /// the function's record, which `Store.admit` checks; an unknown externref number is null).
    static func hostValue(_ raw: UnsafePointer<wasmtime_val_raw_t>, as type: ValueType, store: UnsafeMutablePointer<Store>) -> HostValue {
        switch type.hierarchy {
        case .i32: return .i32(UInt32(bitPattern: raw.pointee.i32))
        case .f32: return .f32(UInt32(bitPattern: raw.pointee.i32))
        case .i64: return .i64(UInt64(bitPattern: raw.pointee.i64))
        case .f64: return .f64(UInt64(bitPattern: raw.pointee.i64))
        case .v128:
            return withUnsafeBytes(of: raw.pointee.v128) {
                .v128($0.load(fromByteOffset: 0, as: UInt64.self), $0.load(fromByteOffset: 8, as: UInt64.self))
            }
        case .funcref:
            return .funcref(storeID: raw.pointee.funcref == nil ? 0 : store.pointee.id, function: raw.pointee.funcref)
        case .exnref:
            let reference = store.pointee.exceptionReference(raw: raw.pointee.exnref)
            return .exnref(storeID: reference == 0 ? 0 : store.pointee.id, reference: reference)
        case .anyref:
            let word = store.pointee.anyReference(raw: raw.pointee.anyref)
            return .anyref(storeID: word == 0 ? 0 : store.pointee.id, word: word)
        default:
            let box = store.pointee.externRef(rawID: raw.pointee.externref).map { UnsafeMutableRawPointer($0) }
            return .externref(storeID: box == nil ? 0 : store.pointee.id, box: box)
        }
    }

    /// The slot words of a raw number or vector of `type` (raw values carry no kind to check).
    @inline(__always)
    static func numericWords(_ raw: UnsafePointer<wasmtime_val_raw_t>, as type: ValueType) -> (UInt64, UInt64) {
        switch type {
        case .i32, .f32: return (UInt64(UInt32(bitPattern: raw.pointee.i32)), 0)
        case .v128:
            return withUnsafeBytes(of: raw.pointee.v128) { ($0.load(fromByteOffset: 0, as: UInt64.self), $0.load(fromByteOffset: 8, as: UInt64.self)) }
        default: return (UInt64(bitPattern: raw.pointee.i64), 0)
        }
    }

    /// Writes the number or vector of `type` in `slots` as a raw value.
    @inline(__always)
    static func writeNumeric(_ slots: UnsafePointer<UInt64>, as type: ValueType, into raw: UnsafeMutablePointer<wasmtime_val_raw_t>) {
        raw.pointee = wasmtime_val_raw_t()
        switch type {
        case .i32, .f32: raw.pointee.i32 = Int32(bitPattern: UInt32(truncatingIfNeeded: slots[0]))
        case .v128:
            withUnsafeMutableBytes(of: &raw.pointee.v128) {
                $0.storeBytes(of: slots[0], toByteOffset: 0, as: UInt64.self)
                $0.storeBytes(of: slots[1], toByteOffset: 8, as: UInt64.self)
            }
        default: raw.pointee.i64 = Int64(bitPattern: slots[0])
        }
    }

    /// Writes a host value as a raw value (an externref as its number in the store).
    static func write(_ value: HostValue, into raw: UnsafeMutablePointer<wasmtime_val_raw_t>, store: UnsafeMutablePointer<Store>) {
        raw.pointee = wasmtime_val_raw_t()
        switch value {
        case .i32(let bits), .f32(let bits): raw.pointee.i32 = Int32(bitPattern: bits)
        case .i64(let bits), .f64(let bits): raw.pointee.i64 = Int64(bitPattern: bits)
        case .v128(let low, let high):
            withUnsafeMutableBytes(of: &raw.pointee.v128) {
                $0.storeBytes(of: low, toByteOffset: 0, as: UInt64.self)
                $0.storeBytes(of: high, toByteOffset: 8, as: UInt64.self)
            }
        case .funcref(_, let function): raw.pointee.funcref = function
        case .externref(_, let box):
            raw.pointee.externref = box?.assumingMemoryBound(to: ExternRefBox.self).pointee.rawID ?? 0
        case .exnref(_, let reference):
            raw.pointee.exnref = UInt32(truncatingIfNeeded: reference) // the entry (index + 1)
        case .anyref(_, let word):
            raw.pointee.anyref = store.pointee.rawAnyReference(word)
        case .unknown: break
        }
    }
}

/// The values of a `wasmtime_func_call_unchecked`: one array of raw values, arguments in and
/// results out.
struct RawCallValues: CallValues {
    let values: UnsafeMutablePointer<wasmtime_val_raw_t>?

    func argument(_ index: Int, as type: ValueType, in store: UnsafeMutablePointer<Store>) -> HostValue {
        RawValues.hostValue(values!.advanced(by: index), as: type, store: store)
    }

    func setResult(_ index: Int, from slots: UnsafePointer<UInt64>, as type: ValueType, in store: UnsafeMutablePointer<Store>) {
        RawValues.write(store.pointee.hostValue(slots, as: type, rooting: false), into: values!.advanced(by: index), store: store)
    }

    func numericArgument(_ index: Int, as type: ValueType) -> (UInt64, UInt64)? {
        RawValues.numericWords(values!.advanced(by: index), as: type)
    }

    func setNumericResult(_ index: Int, from slots: UnsafePointer<UInt64>, as type: ValueType) -> Bool {
        RawValues.writeNumeric(slots, as: type, into: values!.advanced(by: index))
        return true
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
    guard values != nil || count == 0 else {
        return OpaquePointer(ErrorReport.make(.invalidArgument, "wasmtime_func_call_unchecked: too few values for the function's type"))
    }
    var raw = RawCallValues(values: values)
    return report(store.pointee.call(callee, &raw, sharedCapacity: count,
                                     tooFew: "wasmtime_func_call_unchecked: too few values for the function's type"), store, trap)
}

@_cdecl("wasmtime_func_new_unchecked")
public func wasmtime_func_new_unchecked(_ context: OpaquePointer?, _ type: OpaquePointer?, _ callback: OpaquePointer?,
                                        _ environment: UnsafeMutableRawPointer?, _ finalizer: HostFinalizer?,
                                        _ out: UnsafeMutablePointer<wasmtime_func_t>?) {
    newFunction(uncheckedCallbackTrampoline, context, type, callback, environment, finalizer, out)
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
