// wasmtime/types/val.h: the full value-type representation (`wasmtime_valtype_t`) and v128.
import CSwasm

@_cdecl("wasmtime_wasm_valtype_v128")
public func wasmtime_wasm_valtype_v128() -> OpaquePointer? { try? ValTypeObject.make(.v128) }

@_cdecl("wasmtime_wasm_valtype_equal")
public func wasmtime_wasm_valtype_equal(_ a: OpaquePointer?, _ b: OpaquePointer?) -> Bool {
    guard let a, let b else { return a == b }
    return ValTypeObject.get(a) == ValTypeObject.get(b)
}

@_cdecl("wasmtime_valtype_new")
public func wasmtime_valtype_new(_ type: OpaquePointer?, _ out: UnsafeMutablePointer<wasmtime_valtype_t>?) {
    guard let type, let out else { return }
    out.pointee = FullValueType.make(ValTypeObject.get(type))
}

@_cdecl("wasmtime_valtype_clone")
public func wasmtime_valtype_clone(_ type: UnsafePointer<wasmtime_valtype_t>?, _ out: UnsafeMutablePointer<wasmtime_valtype_t>?) {
    guard let type, let out else { return }
    out.pointee = type.pointee
    if type.pointee.kind == UInt8(WASMTIME_VALTYPE_KIND_REF) {
        HeapTypes.clone(type.pointee.reftype, into: &out.pointee.reftype)
    }
}

@_cdecl("wasmtime_valtype_delete")
public func wasmtime_valtype_delete(_ type: UnsafeMutablePointer<wasmtime_valtype_t>?) {
    guard let type, type.pointee.kind == UInt8(WASMTIME_VALTYPE_KIND_REF) else { return }
    HeapTypes.delete(&type.pointee.reftype.heaptype)
}

@_cdecl("wasmtime_valtype_to_wasm")
public func wasmtime_valtype_to_wasm(_ engine: OpaquePointer?, _ type: UnsafePointer<wasmtime_valtype_t>?) -> OpaquePointer? {
    guard let type, let valueType = FullValueType.valueType(type.pointee) else { return nil }
    return try? ValTypeObject.make(valueType)
}

@_cdecl("wasmtime_reftype_clone")
public func wasmtime_reftype_clone(_ type: UnsafePointer<wasmtime_reftype_t>?, _ out: UnsafeMutablePointer<wasmtime_reftype_t>?) {
    guard let type, let out else { return }
    HeapTypes.clone(type.pointee, into: &out.pointee)
}

@_cdecl("wasmtime_reftype_delete")
public func wasmtime_reftype_delete(_ type: UnsafeMutablePointer<wasmtime_reftype_t>?) {
    guard let type else { return }
    HeapTypes.delete(&type.pointee.heaptype)
}

@_cdecl("wasmtime_heaptype_clone")
public func wasmtime_heaptype_clone(_ type: UnsafePointer<wasmtime_heaptype_t>?, _ out: UnsafeMutablePointer<wasmtime_heaptype_t>?) {
    guard let type, let out else { return }
    HeapTypes.clone(type.pointee, into: &out.pointee)
}

@_cdecl("wasmtime_heaptype_delete")
public func wasmtime_heaptype_delete(_ type: UnsafeMutablePointer<wasmtime_heaptype_t>?) {
    type.map { HeapTypes.delete(&$0.pointee) }
}

/// Copies and frees of the heap types inside `wasmtime_reftype_t`.
enum HeapTypes {
    static func clone(_ type: wasmtime_reftype_t, into out: inout wasmtime_reftype_t) {
        out.nullable = type.nullable
        clone(type.heaptype, into: &out.heaptype)
    }

    /// Concrete function heap types own a copy of their `wasm_functype_t`. If that copy cannot be
    /// allocated, the clone degrades to the abstract `func` heap type instead of aborting.
    static func clone(_ type: wasmtime_heaptype_t, into out: inout wasmtime_heaptype_t) {
        out = type
        if type.kind == UInt8(WASMTIME_HEAPTYPE_KIND_CONCRETE_FUNC) {
            if let function = type.of.concrete_func, let copy = FuncTypeObject.copy(function) {
                out.of.concrete_func = copy
            } else {
                out.kind = UInt8(WASMTIME_HEAPTYPE_KIND_FUNC)
                out.of.concrete_func = nil
            }
        }
    }

    static func delete(_ type: inout wasmtime_heaptype_t) {
        guard type.kind == UInt8(WASMTIME_HEAPTYPE_KIND_CONCRETE_FUNC) else { return }
        type.of.concrete_func.map(ExternTypeObject.delete)
        type.of.concrete_func = nil
        type.kind = UInt8(WASMTIME_HEAPTYPE_KIND_FUNC)
    }
}

/// Conversions between `ValueType` and `wasmtime_valtype_t`.
enum FullValueType {
    static func make(_ type: ValueType) -> wasmtime_valtype_t {
        var full = wasmtime_valtype_t()
        switch type {
        case .i32: full.kind = UInt8(WASMTIME_VALTYPE_KIND_I32)
        case .i64: full.kind = UInt8(WASMTIME_VALTYPE_KIND_I64)
        case .f32: full.kind = UInt8(WASMTIME_VALTYPE_KIND_F32)
        case .f64: full.kind = UInt8(WASMTIME_VALTYPE_KIND_F64)
        case .v128: full.kind = UInt8(WASMTIME_VALTYPE_KIND_V128)
        default:
            full.kind = UInt8(WASMTIME_VALTYPE_KIND_REF)
            full.reftype.nullable = type.isNullable
            full.reftype.heaptype.kind = heapKind(type.heapType)
        }
        return full
    }

    /// The heap type's kind. A concrete type reads as its abstract kind (func, struct, array):
    /// swasm does not describe concrete types through this API yet.
    static func heapKind(_ heap: HeapType) -> UInt8 {
        if heap.isConcrete {
            switch heap.concreteKind {
            case .function: return UInt8(WASMTIME_HEAPTYPE_KIND_FUNC)
            case .structure: return UInt8(WASMTIME_HEAPTYPE_KIND_STRUCT)
            case .array: return UInt8(WASMTIME_HEAPTYPE_KIND_ARRAY)
            }
        }
        switch heap {
        case .extern: return UInt8(WASMTIME_HEAPTYPE_KIND_EXTERN)
        case .noExtern: return UInt8(WASMTIME_HEAPTYPE_KIND_NOEXTERN)
        case .function: return UInt8(WASMTIME_HEAPTYPE_KIND_FUNC)
        case .noFunction: return UInt8(WASMTIME_HEAPTYPE_KIND_NOFUNC)
        case .any: return UInt8(WASMTIME_HEAPTYPE_KIND_ANY)
        case .none: return UInt8(WASMTIME_HEAPTYPE_KIND_NONE)
        case .eq: return UInt8(WASMTIME_HEAPTYPE_KIND_EQ)
        case .i31: return UInt8(WASMTIME_HEAPTYPE_KIND_I31)
        case .array: return UInt8(WASMTIME_HEAPTYPE_KIND_ARRAY)
        case .structure: return UInt8(WASMTIME_HEAPTYPE_KIND_STRUCT)
        case .exception: return UInt8(WASMTIME_HEAPTYPE_KIND_EXN)
        default: return UInt8(WASMTIME_HEAPTYPE_KIND_NOEXN)
        }
    }

    /// The `ValueType` for the types swasm runs; nil for others (non-nullable or GC references).
    static func valueType(_ full: wasmtime_valtype_t) -> ValueType? {
        switch Int32(full.kind) {
        case WASMTIME_VALTYPE_KIND_I32: return .i32
        case WASMTIME_VALTYPE_KIND_I64: return .i64
        case WASMTIME_VALTYPE_KIND_F32: return .f32
        case WASMTIME_VALTYPE_KIND_F64: return .f64
        case WASMTIME_VALTYPE_KIND_V128: return .v128
        case WASMTIME_VALTYPE_KIND_REF:
            guard full.reftype.nullable else { return nil }
            switch Int32(full.reftype.heaptype.kind) {
            case WASMTIME_HEAPTYPE_KIND_FUNC: return .funcref
            case WASMTIME_HEAPTYPE_KIND_EXTERN: return .externref
            case WASMTIME_HEAPTYPE_KIND_EXN: return .exnref
            default: return nil
            }
        default: return nil
        }
    }
}
