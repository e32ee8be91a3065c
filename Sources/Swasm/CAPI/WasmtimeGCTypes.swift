// wasmtime/types/structref.h and wasmtime/types/arrayref.h: storage, field, struct and array types
// (CObjects/GCTypeObjects.swift). Types the host makes are registered in the engine
// (Runtime/HostGCTypes.swift).
import CSwasm

/// Conversions between `wasmtime_field_type_t` and `FieldType`.
enum FieldTypes {
    /// The field's type; nil for an unknown storage kind or a missing value type.
    static func fieldType(_ field: wasmtime_field_type_t) -> FieldType? {
        let storage: ValueType
        switch Int32(field.storage.kind) {
        case WASMTIME_STORAGE_TYPE_KIND_I8: storage = .i8
        case WASMTIME_STORAGE_TYPE_KIND_I16: storage = .i16
        case WASMTIME_STORAGE_TYPE_KIND_VALTYPE:
            guard let valtype = field.storage.valtype else { return nil }
            storage = ValTypeObject.get(valtype)
        default: return nil
        }
        return FieldType(storage: storage, isMutable: field.mutable_)
    }

    /// Writes `field` into `out` (owned by the caller); its value type is NULL if it cannot be
    /// allocated.
    static func write(_ field: GCField, into out: UnsafeMutablePointer<wasmtime_field_type_t>) {
        out.pointee.mutable_ = field.isMutable
        out.pointee.storage.valtype = nil
        if field.storage == .i8 {
            out.pointee.storage.kind = UInt8(WASMTIME_STORAGE_TYPE_KIND_I8)
        } else if field.storage == .i16 {
            out.pointee.storage.kind = UInt8(WASMTIME_STORAGE_TYPE_KIND_I16)
        } else {
            out.pointee.storage.kind = UInt8(WASMTIME_STORAGE_TYPE_KIND_VALTYPE)
            out.pointee.storage.valtype = try? ValTypeObject.make(field.storage)
        }
    }

    static func clone(_ storage: UnsafePointer<wasmtime_storage_type_t>, into out: UnsafeMutablePointer<wasmtime_storage_type_t>) {
        out.pointee.kind = storage.pointee.kind
        out.pointee.valtype = nil
        if Int32(storage.pointee.kind) == WASMTIME_STORAGE_TYPE_KIND_VALTYPE, let valtype = storage.pointee.valtype {
            out.pointee.valtype = ValTypeObject.copy(valtype)
        }
    }

    /// Frees the value type a storage type owns (only a VALTYPE storage type owns one).
    static func delete(_ storage: UnsafeMutablePointer<wasmtime_storage_type_t>) {
        if Int32(storage.pointee.kind) == WASMTIME_STORAGE_TYPE_KIND_VALTYPE, let valtype = storage.pointee.valtype {
            ValTypeObject.delete(valtype)
        }
        storage.pointee.valtype = nil
    }

    /// A new type object of a struct (`count` fields) or array (one element) type registered in
    /// `engine`; nil for invalid fields or on allocation failure.
    static func makeType(_ engine: OpaquePointer?, _ kind: CompositeKind, _ fields: UnsafePointer<wasmtime_field_type_t>?, count: Int) -> OpaquePointer? {
        guard let engine, count == 0 || fields != nil, count <= ImplementationLimits.structFields else { return nil }
        guard let converted = try? Heap.allocate(FieldType.self, count: max(count, 1)) else { return nil }
        defer { Heap.free(converted) }
        for index in 0..<count {
            guard let field = fieldType(fields![index]) else { return nil }
            converted[index] = field
        }
        let shared = EngineHandle.from(engine)
        guard let layout = try? Engine.hostType(shared, kind, fields: UnsafeBufferPointer(start: converted, count: count)) else { return nil }
        return try? GCTypeObject.make(engine: shared, layout: layout)
    }
}

// MARK: storage and field types

@_cdecl("wasmtime_storage_type_clone")
public func wasmtime_storage_type_clone(_ storage: UnsafePointer<wasmtime_storage_type_t>?, _ out: UnsafeMutablePointer<wasmtime_storage_type_t>?) {
    guard let storage, let out else { return }
    FieldTypes.clone(storage, into: out)
}

@_cdecl("wasmtime_storage_type_delete")
public func wasmtime_storage_type_delete(_ storage: UnsafeMutablePointer<wasmtime_storage_type_t>?) {
    storage.map(FieldTypes.delete)
}

@_cdecl("wasmtime_field_type_clone")
public func wasmtime_field_type_clone(_ field: UnsafePointer<wasmtime_field_type_t>?, _ out: UnsafeMutablePointer<wasmtime_field_type_t>?) {
    guard let field, let out else { return }
    out.pointee.mutable_ = field.pointee.mutable_
    withUnsafePointer(to: field.pointee.storage) { storage in
        withUnsafeMutablePointer(to: &out.pointee.storage) { FieldTypes.clone(storage, into: $0) }
    }
}

@_cdecl("wasmtime_field_type_delete")
public func wasmtime_field_type_delete(_ field: UnsafeMutablePointer<wasmtime_field_type_t>?) {
    guard let field else { return }
    withUnsafeMutablePointer(to: &field.pointee.storage) { FieldTypes.delete($0) }
}

// MARK: struct types

@_cdecl("wasmtime_struct_type_new")
public func wasmtime_struct_type_new(_ engine: OpaquePointer?, _ fields: UnsafePointer<wasmtime_field_type_t>?, _ count: Int) -> OpaquePointer? {
    FieldTypes.makeType(engine, .structure, fields, count: count)
}

@_cdecl("wasmtime_struct_type_copy")
public func wasmtime_struct_type_copy(_ type: OpaquePointer?) -> OpaquePointer? {
    type.flatMap(GCTypeObject.copy)
}

@_cdecl("wasmtime_struct_type_delete")
public func wasmtime_struct_type_delete(_ type: OpaquePointer?) {
    type.map(GCTypeObject.delete)
}

@_cdecl("wasmtime_struct_type_num_fields")
public func wasmtime_struct_type_num_fields(_ type: OpaquePointer?) -> Int {
    GCTypeObject.layout(type, .structure)?.pointee.fieldCount ?? 0
}

@_cdecl("wasmtime_struct_type_field")
public func wasmtime_struct_type_field(_ type: OpaquePointer?, _ index: Int, _ out: UnsafeMutablePointer<wasmtime_field_type_t>?) -> Bool {
    guard let layout = GCTypeObject.layout(type, .structure), let out, index >= 0, index < layout.pointee.fieldCount else { return false }
    FieldTypes.write(layout.pointee.field(index), into: out)
    return true
}

// MARK: array types

@_cdecl("wasmtime_array_type_new")
public func wasmtime_array_type_new(_ engine: OpaquePointer?, _ field: UnsafePointer<wasmtime_field_type_t>?) -> OpaquePointer? {
    guard let field else { return nil }
    return FieldTypes.makeType(engine, .array, field, count: 1)
}

@_cdecl("wasmtime_array_type_copy")
public func wasmtime_array_type_copy(_ type: OpaquePointer?) -> OpaquePointer? {
    type.flatMap(GCTypeObject.copy)
}

@_cdecl("wasmtime_array_type_delete")
public func wasmtime_array_type_delete(_ type: OpaquePointer?) {
    type.map(GCTypeObject.delete)
}

@_cdecl("wasmtime_array_type_element")
public func wasmtime_array_type_element(_ type: OpaquePointer?, _ out: UnsafeMutablePointer<wasmtime_field_type_t>?) {
    guard let layout = GCTypeObject.layout(type, .array), let out else { return }
    FieldTypes.write(layout.pointee.field(0), into: out)
}
