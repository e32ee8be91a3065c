// wasmtime/func.h: calling functions.
import CSwasm

/// The values of a `wasmtime_func_call`: arguments and results as `wasmtime_val_t`s. Results
/// handed to the host are rooted (the host unroots them).
struct WasmtimeCallValues: CallValues {
    let arguments: UnsafePointer<wasmtime_val_t>?
    let results: UnsafeMutablePointer<wasmtime_val_t>?

    func argument(_ index: Int, as type: ValueType, in store: UnsafeMutablePointer<Store>) -> HostValue {
        ValueSlots.hostValue(arguments!.advanced(by: index))
    }

    func setResult(_ index: Int, from slots: UnsafePointer<UInt64>, as type: ValueType, in store: UnsafeMutablePointer<Store>) {
        ValueSlots.write(store.pointee.hostValue(slots, as: type, rooting: true), into: results!.advanced(by: index))
    }

    func numericArgument(_ index: Int, as type: ValueType) -> (UInt64, UInt64)? {
        ValueSlots.numericWords(arguments!.advanced(by: index), as: type)
    }

    func setNumericResult(_ index: Int, from slots: UnsafePointer<UInt64>, as type: ValueType) -> Bool {
        ValueSlots.writeNumeric(slots, as: type, into: results!.advanced(by: index))
        return true
    }
}

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
    var values = WasmtimeCallValues(arguments: arguments, results: results)
    return report(store.pointee.call(callee, &values, argumentCount: argumentCount, resultCount: resultCount), store, trap)
}

@_cdecl("wasmtime_func_type")
public func wasmtime_func_type(_ context: OpaquePointer?, _ function: UnsafePointer<wasmtime_func_t>?) -> OpaquePointer? {
    guard let (_, callee) = ExternHandles.function(function, in: context) else { return nil }
    return try? ModuleTypeObjects.makeFunctionType(of: callee)
}

/// A call's or instantiation's outcome as the wasmtime API reports it: nil on success; a
/// WebAssembly trap, a host function's trap with a trap code, or an uncaught exception (a trap
/// without code, as in wasmtime), through the `trap` out-parameter (as an error when there is
/// none); every other failure as an error (a host's
/// trap made from a message becomes a host error carrying the message, as in wasmtime).
func report(_ outcome: consuming CallOutcome, _ store: UnsafeMutablePointer<Store>, _ trap: UnsafeMutablePointer<OpaquePointer?>?) -> OpaquePointer? {
    switch consume outcome {
    case .returned:
        return nil
    case .trapped(let code):
        return trapOutParameter(trap, code, store)
    case .failed(let cell):
        // The cell is the error object itself (`wasmtime_error_t`); out of memory is the static one.
        if cell != Failure.outOfMemoryCell && cell.pointee.isTrap {
            if cell.pointee.code != nil || cell.pointee.isUncaughtException, let trap {
                trap.pointee = OpaquePointer(TrapReport.make(Failure.take(cell)))
                return nil
            }
            cell.pointee.kind = .host
            cell.pointee.code = nil
        }
        return OpaquePointer(cell)
    }
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
        case WASMTIME_EXNREF:
            let reference = value.pointee.of.exnref
            return .exnref(storeID: reference.store_id, reference: ExnrefHandles.reference(reference))
        case WASMTIME_ANYREF:
            let reference = value.pointee.of.anyref
            return .anyref(storeID: reference.store_id, word: reference.store_id == 0 ? 0 : ReferenceHandles.word(reference.__private3))
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

    /// The slot words of a number or vector `value` of `type`; nil when it is of another kind.
    @inline(__always)
    static func numericWords(_ value: UnsafePointer<wasmtime_val_t>, as type: ValueType) -> (UInt64, UInt64)? {
        switch (Int32(value.pointee.kind), type) {
        case (WASMTIME_I32, .i32): return (UInt64(UInt32(bitPattern: value.pointee.of.i32)), 0)
        case (WASMTIME_I64, .i64): return (UInt64(bitPattern: value.pointee.of.i64), 0)
        case (WASMTIME_F32, .f32): return (UInt64(value.pointee.of.f32.bitPattern), 0)
        case (WASMTIME_F64, .f64): return (value.pointee.of.f64.bitPattern, 0)
        case (WASMTIME_V128, .v128):
            return withUnsafeBytes(of: value.pointee.of.v128) { ($0.load(fromByteOffset: 0, as: UInt64.self), $0.load(fromByteOffset: 8, as: UInt64.self)) }
        default: return nil
        }
    }

    /// Writes the number or vector of `type` in `slots` into `value`.
    @inline(__always)
    static func writeNumeric(_ slots: UnsafePointer<UInt64>, as type: ValueType, into value: UnsafeMutablePointer<wasmtime_val_t>) {
        switch type {
        case .i32: write(.i32(UInt32(truncatingIfNeeded: slots[0])), into: value)
        case .i64: write(.i64(slots[0]), into: value)
        case .f32: write(.f32(UInt32(truncatingIfNeeded: slots[0])), into: value)
        case .f64: write(.f64(slots[0]), into: value)
        default: write(.v128(slots[0], slots[1]), into: value)
        }
    }

    /// Writes a host value into `value`.
    static func write(_ hostValue: HostValue, into value: UnsafeMutablePointer<wasmtime_val_t>) {
        switch hostValue {
        case .i32(let bits): value.pointee.kind = UInt8(WASMTIME_I32); value.pointee.of.i32 = Int32(bitPattern: bits)
        case .i64(let bits): value.pointee.kind = UInt8(WASMTIME_I64); value.pointee.of.i64 = Int64(bitPattern: bits)
        case .f32(let bits): value.pointee.kind = UInt8(WASMTIME_F32); value.pointee.of.f32 = Float(bitPattern: bits)
        case .f64(let bits): value.pointee.kind = UInt8(WASMTIME_F64); value.pointee.of.f64 = Double(bitPattern: bits)
        case .v128(let low, let high):
            value.pointee.kind = UInt8(WASMTIME_V128)
            withUnsafeMutableBytes(of: &value.pointee.of.v128) {
                $0.storeBytes(of: low, toByteOffset: 0, as: UInt64.self)
                $0.storeBytes(of: high, toByteOffset: 8, as: UInt64.self)
            }
        case .funcref(let storeID, let function):
            value.pointee.kind = UInt8(WASMTIME_FUNCREF)
            value.pointee.of.funcref = wasmtime_func_t(store_id: storeID, __private: function)
        case .externref(let storeID, let box):
            value.pointee.kind = UInt8(WASMTIME_EXTERNREF)
            value.pointee.of.externref = wasmtime_externref_t(store_id: storeID, __private1: 0, __private2: 0, __private3: box)
        case .exnref(let storeID, let reference):
            value.pointee.kind = UInt8(WASMTIME_EXNREF)
            value.pointee.of.exnref = ExnrefHandles.make(reference, storeID: storeID)
        case .anyref(let storeID, let word):
            value.pointee.kind = UInt8(WASMTIME_ANYREF)
            value.pointee.of.anyref = ReferenceHandles.anyref(word, storeID: storeID)
        case .unknown:
            value.pointee.kind = UInt8(WASMTIME_I32)
            value.pointee.of.i32 = 0
        }
    }

    /// Writes the slot value into `value`. A non-null externref handed to the host to keep
    /// (`rooting`) is rooted until `wasmtime_val_unroot`; callback arguments are only lent.
    static func read(_ slots: UnsafePointer<UInt64>, type: ValueType, into value: UnsafeMutablePointer<wasmtime_val_t>, storeID: UInt64,
                     rooting: Bool = true) {
        value.pointee.kind = type.wasmtimeKind
        switch type.hierarchy {
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
        case .exnref:
            value.pointee.of.exnref = ExnrefHandles.make(slots[0], storeID: storeID)
        case .anyref:
            value.pointee.of.anyref = ReferenceHandles.anyref(slots[0], storeID: storeID)
            if rooting { Store.rootReference(slots[0], anyHierarchy: true) }
        default:
            value.pointee.of.externref = ReferenceHandles.externref(slots[0], storeID: storeID)
            if rooting { Store.rootReference(slots[0], anyHierarchy: false) }
        }
    }
}
