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
    guard let type, let valueType = FullValueType.valueType(type.pointee, engine: engine) else { return nil }
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
        switch Int32(type.kind) {
        case WASMTIME_HEAPTYPE_KIND_CONCRETE_FUNC:
            if let function = type.of.concrete_func, let copy = FuncTypeObject.copy(function) {
                out.of.concrete_func = copy
            } else {
                out.kind = UInt8(WASMTIME_HEAPTYPE_KIND_FUNC)
                out.of.concrete_func = nil
            }
        case WASMTIME_HEAPTYPE_KIND_CONCRETE_STRUCT:
            out.of.concrete_struct = type.of.concrete_struct.flatMap(GCTypeObject.copy)
            if out.of.concrete_struct == nil { out.kind = UInt8(WASMTIME_HEAPTYPE_KIND_STRUCT) }
        case WASMTIME_HEAPTYPE_KIND_CONCRETE_ARRAY:
            out.of.concrete_array = type.of.concrete_array.flatMap(GCTypeObject.copy)
            if out.of.concrete_array == nil { out.kind = UInt8(WASMTIME_HEAPTYPE_KIND_ARRAY) }
        default: break
        }
    }

    static func delete(_ type: inout wasmtime_heaptype_t) {
        switch Int32(type.kind) {
        case WASMTIME_HEAPTYPE_KIND_CONCRETE_FUNC:
            type.of.concrete_func.map(ExternTypeObject.delete)
            type.of.concrete_func = nil
            type.kind = UInt8(WASMTIME_HEAPTYPE_KIND_FUNC)
        case WASMTIME_HEAPTYPE_KIND_CONCRETE_STRUCT:
            type.of.concrete_struct.map(GCTypeObject.delete)
            type.of.concrete_struct = nil
            type.kind = UInt8(WASMTIME_HEAPTYPE_KIND_STRUCT)
        case WASMTIME_HEAPTYPE_KIND_CONCRETE_ARRAY:
            type.of.concrete_array.map(GCTypeObject.delete)
            type.of.concrete_array = nil
            type.kind = UInt8(WASMTIME_HEAPTYPE_KIND_ARRAY)
        default: break
        }
    }

    /// The dynamic heap type of the non-null any-hierarchy reference `word` of `store` (i31, a
    /// struct or array type with its type object, `any` for an externref made internal); false
    /// when the type object cannot be allocated.
    static func ofReference(_ word: UInt64, in store: UnsafeMutablePointer<Store>, into out: UnsafeMutablePointer<wasmtime_heaptype_t>) -> Bool {
        out.pointee = wasmtime_heaptype_t()
        if word & 1 != 0 {
            out.pointee.kind = UInt8(WASMTIME_HEAPTYPE_KIND_I31)
            return true
        }
        guard let object = store.pointee.object(word) else {
            out.pointee.kind = UInt8(WASMTIME_HEAPTYPE_KIND_ANY)
            return true
        }
        guard let type = try? GCTypeObject.make(engine: store.pointee.engine, layout: object.pointee.type) else { return false }
        if object.pointee.type.pointee.kind == .array {
            out.pointee.kind = UInt8(WASMTIME_HEAPTYPE_KIND_CONCRETE_ARRAY)
            out.pointee.of.concrete_array = type
        } else {
            out.pointee.kind = UInt8(WASMTIME_HEAPTYPE_KIND_CONCRETE_STRUCT)
            out.pointee.of.concrete_struct = type
        }
        return true
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

    /// The `ValueType` of a full value type: concrete struct and array types must be types of
    /// `engine`; nil for concrete function and exception types and invalid kinds.
    static func valueType(_ full: wasmtime_valtype_t, engine: OpaquePointer?) -> ValueType? {
        switch Int32(full.kind) {
        case WASMTIME_VALTYPE_KIND_I32: return .i32
        case WASMTIME_VALTYPE_KIND_I64: return .i64
        case WASMTIME_VALTYPE_KIND_F32: return .f32
        case WASMTIME_VALTYPE_KIND_F64: return .f64
        case WASMTIME_VALTYPE_KIND_V128: return .v128
        case WASMTIME_VALTYPE_KIND_REF:
            guard let heap = heapType(full.reftype.heaptype, engine: engine) else { return nil }
            return ValueType(heap: heap, nullable: full.reftype.nullable)
        default: return nil
        }
    }

    private static func heapType(_ heap: wasmtime_heaptype_t, engine: OpaquePointer?) -> HeapType? {
        switch Int32(heap.kind) {
        case WASMTIME_HEAPTYPE_KIND_EXTERN: return .extern
        case WASMTIME_HEAPTYPE_KIND_NOEXTERN: return .noExtern
        case WASMTIME_HEAPTYPE_KIND_FUNC: return .function
        case WASMTIME_HEAPTYPE_KIND_NOFUNC: return .noFunction
        case WASMTIME_HEAPTYPE_KIND_ANY: return .any
        case WASMTIME_HEAPTYPE_KIND_NONE: return HeapType.none
        case WASMTIME_HEAPTYPE_KIND_EQ: return .eq
        case WASMTIME_HEAPTYPE_KIND_I31: return .i31
        case WASMTIME_HEAPTYPE_KIND_ARRAY: return .array
        case WASMTIME_HEAPTYPE_KIND_STRUCT: return .structure
        case WASMTIME_HEAPTYPE_KIND_EXN: return .exception
        case WASMTIME_HEAPTYPE_KIND_NOEXN: return .noException
        case WASMTIME_HEAPTYPE_KIND_CONCRETE_STRUCT, WASMTIME_HEAPTYPE_KIND_CONCRETE_ARRAY:
            guard let engine else { return nil }
            let isStruct = Int32(heap.kind) == WASMTIME_HEAPTYPE_KIND_CONCRETE_STRUCT
            let kind: CompositeKind = isStruct ? .structure : .array
            guard let layout = GCTypeObject.layout(isStruct ? heap.of.concrete_struct : heap.of.concrete_array, kind,
                                                   engine: EngineHandle.from(engine)) else { return nil }
            return .concrete(layout.pointee.engineID, kind: kind, in: .engine)
        default: return nil
        }
    }
}
