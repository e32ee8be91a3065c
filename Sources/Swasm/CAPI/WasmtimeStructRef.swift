// wasmtime/structref.h and wasmtime/arrayref.h: handles of structs and arrays, and their fields
// and elements (Runtime/GCObjectAccess.swift). Handles hold the object's word and one root of it,
// as anyref handles do (CAPI/WasmtimeAnyRef.swift).
import CSwasm

/// The object a struct or array handle names, if it is a live one of `context`'s store of `kind`.
private func handleObject(_ context: OpaquePointer?, storeID: UInt64, _ pointer: UnsafeMutableRawPointer?,
                          _ kind: CompositeKind) -> (UnsafeMutablePointer<Store>, UnsafeMutablePointer<GCObject>)? {
    guard let context, storeID != 0 else { return nil }
    let store = storePointer(context)
    guard storeID == store.pointee.id, let object = store.pointee.object(ReferenceHandles.word(pointer), kind: kind) else { return nil }
    return (store, object)
}

private func invalidHandle(_ function: StaticString) -> OpaquePointer? {
    OpaquePointer(ErrorReport.make(.invalidArgument, function))
}

/// Reads field or element `index` into `out`, or an error.
private func readField(_ store: UnsafeMutablePointer<Store>, _ object: UnsafeMutablePointer<GCObject>, _ index: Int,
                       _ out: UnsafeMutablePointer<wasmtime_val_t>?, outOfRange: StaticString) -> OpaquePointer? {
    guard let out else { return invalidHandle("the output value must not be NULL") }
    guard let value = store.pointee.readField(object, index, rooting: true) else { return invalidHandle(outOfRange) }
    ValueSlots.write(value, into: out)
    return nil
}

/// Writes `value` into field or element `index`, or an error.
private func writeField(_ store: UnsafeMutablePointer<Store>, _ object: UnsafeMutablePointer<GCObject>, _ index: Int,
                        _ value: UnsafePointer<wasmtime_val_t>?, outOfRange: StaticString) -> OpaquePointer? {
    guard let value else { return invalidHandle("the value must not be NULL") }
    do throws(Store.FieldWriteFailure) {
        try store.pointee.writeField(object, index, ValueSlots.hostValue(value))
        return nil
    } catch {
        switch error {
        case .outOfRange: return invalidHandle(outOfRange)
        case .immutable: return invalidHandle("cannot set an immutable field")
        case .rejected(let rejection):
            let field = object.pointee.type.pointee.field(object.pointee.type.pointee.kind == .array ? 0 : index)
            return OpaquePointer(ErrorReport.rejecting(rejection, expected: field.storage.isPacked ? .i32 : field.storage,
                                                       context: "type mismatch: value does not match the field's type"))
        }
    }
}

// MARK: structref.h

@_cdecl("wasmtime_structref_clone")
public func wasmtime_structref_clone(_ reference: UnsafePointer<wasmtime_structref_t>?, _ out: UnsafeMutablePointer<wasmtime_structref_t>?) {
    guard let out else { return }
    out.pointee = reference?.pointee ?? wasmtime_structref_t()
    ReferenceHandles.root(storeID: out.pointee.store_id, out.pointee.__private3)
}

@_cdecl("wasmtime_structref_unroot")
public func wasmtime_structref_unroot(_ reference: UnsafeMutablePointer<wasmtime_structref_t>?) {
    guard let reference else { return }
    ReferenceHandles.unroot(storeID: reference.pointee.store_id, reference.pointee.__private3)
    reference.pointee = wasmtime_structref_t()
}

@_cdecl("wasmtime_structref_to_anyref")
public func wasmtime_structref_to_anyref(_ reference: UnsafePointer<wasmtime_structref_t>?, _ out: UnsafeMutablePointer<wasmtime_anyref_t>?) {
    guard let out else { return }
    let storeID = reference?.pointee.store_id ?? 0
    out.pointee = ReferenceHandles.anyref(ReferenceHandles.rootedWord(storeID: storeID, reference?.pointee.__private3), storeID: storeID)
}

@_cdecl("wasmtime_structref_to_eqref")
public func wasmtime_structref_to_eqref(_ reference: UnsafePointer<wasmtime_structref_t>?, _ out: UnsafeMutablePointer<wasmtime_eqref_t>?) {
    guard let out else { return }
    let storeID = reference?.pointee.store_id ?? 0
    out.pointee = ReferenceHandles.eqref(ReferenceHandles.rootedWord(storeID: storeID, reference?.pointee.__private3), storeID: storeID)
}

@_cdecl("wasmtime_structref_field")
public func wasmtime_structref_field(_ context: OpaquePointer?, _ reference: UnsafePointer<wasmtime_structref_t>?, _ index: Int,
                                     _ out: UnsafeMutablePointer<wasmtime_val_t>?) -> OpaquePointer? {
    guard let reference, let (store, object) = handleObject(context, storeID: reference.pointee.store_id, reference.pointee.__private3, .structure) else {
        return invalidHandle("wasmtime_structref_field: not a live struct of this store")
    }
    return readField(store, object, index, out, outOfRange: "struct field index out of bounds")
}

@_cdecl("wasmtime_structref_set_field")
public func wasmtime_structref_set_field(_ context: OpaquePointer?, _ reference: UnsafePointer<wasmtime_structref_t>?, _ index: Int,
                                         _ value: UnsafePointer<wasmtime_val_t>?) -> OpaquePointer? {
    guard let reference, let (store, object) = handleObject(context, storeID: reference.pointee.store_id, reference.pointee.__private3, .structure) else {
        return invalidHandle("wasmtime_structref_set_field: not a live struct of this store")
    }
    return writeField(store, object, index, value, outOfRange: "struct field index out of bounds")
}

// MARK: arrayref.h

@_cdecl("wasmtime_arrayref_clone")
public func wasmtime_arrayref_clone(_ reference: UnsafePointer<wasmtime_arrayref_t>?, _ out: UnsafeMutablePointer<wasmtime_arrayref_t>?) {
    guard let out else { return }
    out.pointee = reference?.pointee ?? wasmtime_arrayref_t()
    ReferenceHandles.root(storeID: out.pointee.store_id, out.pointee.__private3)
}

@_cdecl("wasmtime_arrayref_unroot")
public func wasmtime_arrayref_unroot(_ reference: UnsafeMutablePointer<wasmtime_arrayref_t>?) {
    guard let reference else { return }
    ReferenceHandles.unroot(storeID: reference.pointee.store_id, reference.pointee.__private3)
    reference.pointee = wasmtime_arrayref_t()
}

@_cdecl("wasmtime_arrayref_to_anyref")
public func wasmtime_arrayref_to_anyref(_ reference: UnsafePointer<wasmtime_arrayref_t>?, _ out: UnsafeMutablePointer<wasmtime_anyref_t>?) {
    guard let out else { return }
    let storeID = reference?.pointee.store_id ?? 0
    out.pointee = ReferenceHandles.anyref(ReferenceHandles.rootedWord(storeID: storeID, reference?.pointee.__private3), storeID: storeID)
}

@_cdecl("wasmtime_arrayref_to_eqref")
public func wasmtime_arrayref_to_eqref(_ reference: UnsafePointer<wasmtime_arrayref_t>?, _ out: UnsafeMutablePointer<wasmtime_eqref_t>?) {
    guard let out else { return }
    let storeID = reference?.pointee.store_id ?? 0
    out.pointee = ReferenceHandles.eqref(ReferenceHandles.rootedWord(storeID: storeID, reference?.pointee.__private3), storeID: storeID)
}

@_cdecl("wasmtime_arrayref_len")
public func wasmtime_arrayref_len(_ context: OpaquePointer?, _ reference: UnsafePointer<wasmtime_arrayref_t>?,
                                  _ out: UnsafeMutablePointer<UInt32>?) -> OpaquePointer? {
    guard let reference, let (_, object) = handleObject(context, storeID: reference.pointee.store_id, reference.pointee.__private3, .array) else {
        return invalidHandle("wasmtime_arrayref_len: not a live array of this store")
    }
    guard let out else { return invalidHandle("wasmtime_arrayref_len: the output must not be NULL") }
    out.pointee = object.pointee.length
    return nil
}

@_cdecl("wasmtime_arrayref_get")
public func wasmtime_arrayref_get(_ context: OpaquePointer?, _ reference: UnsafePointer<wasmtime_arrayref_t>?, _ index: UInt32,
                                  _ out: UnsafeMutablePointer<wasmtime_val_t>?) -> OpaquePointer? {
    guard let reference, let (store, object) = handleObject(context, storeID: reference.pointee.store_id, reference.pointee.__private3, .array) else {
        return invalidHandle("wasmtime_arrayref_get: not a live array of this store")
    }
    return readField(store, object, Int(index), out, outOfRange: "array index out of bounds")
}

@_cdecl("wasmtime_arrayref_set")
public func wasmtime_arrayref_set(_ context: OpaquePointer?, _ reference: UnsafePointer<wasmtime_arrayref_t>?, _ index: UInt32,
                                  _ value: UnsafePointer<wasmtime_val_t>?) -> OpaquePointer? {
    guard let reference, let (store, object) = handleObject(context, storeID: reference.pointee.store_id, reference.pointee.__private3, .array) else {
        return invalidHandle("wasmtime_arrayref_set: not a live array of this store")
    }
    return writeField(store, object, Int(index), value, outOfRange: "array index out of bounds")
}

// MARK: allocation from the host (Runtime/HostGCTypes.swift)

/// A new allocator of `type` (of `kind`, of the store's engine) for `context`'s store.
private func makeAllocator(_ context: OpaquePointer?, _ type: OpaquePointer?, _ kind: CompositeKind) -> OpaquePointer? {
    guard let context else { return nil }
    let store = storePointer(context)
    guard let layout = GCTypeObject.layout(type, kind, engine: store.pointee.engine) else { return nil }
    return try? GCAllocatorObject.make(storeID: store.pointee.id, engine: store.pointee.engine, layout: layout)
}

/// The store and type of an allocator of `kind` for `context`'s store.
private func allocatorLayout(_ context: OpaquePointer?, _ allocator: OpaquePointer?,
                             _ kind: CompositeKind) -> (UnsafeMutablePointer<Store>, UnsafePointer<GCType>)? {
    guard let context, let allocator else { return nil }
    let store = storePointer(context)
    let pre = GCAllocatorObject.pointer(allocator)
    guard pre.pointee.storeID == store.pointee.id, pre.pointee.layout.pointee.kind == kind else { return nil }
    return (store, pre.pointee.layout)
}

/// The error of a failed allocation.
private func allocationError(_ failure: HostObjectFailure, _ type: UnsafePointer<GCType>) -> OpaquePointer? {
    switch failure {
    case .fieldCount: return invalidHandle("wasmtime_structref_new: the number of values differs from the struct's number of fields")
    case .rejected(let index, let rejection):
        let field = type.pointee.field(index)
        return OpaquePointer(ErrorReport.rejecting(rejection, expected: field.storage.isPacked ? .i32 : field.storage,
                                                   context: "type mismatch: value does not match the field's type"))
    case .allocation(let error):
        if error == .outOfMemory { return OpaquePointer(ErrorReport.outOfMemory) }
        return OpaquePointer(ErrorReport.make(error, "allocation size too large"))
    }
}

@_cdecl("wasmtime_struct_ref_pre_new")
public func wasmtime_struct_ref_pre_new(_ context: OpaquePointer?, _ type: OpaquePointer?) -> OpaquePointer? {
    makeAllocator(context, type, .structure)
}

@_cdecl("wasmtime_struct_ref_pre_delete")
public func wasmtime_struct_ref_pre_delete(_ allocator: OpaquePointer?) {
    allocator.map(GCAllocatorObject.delete)
}

@_cdecl("wasmtime_structref_new")
public func wasmtime_structref_new(_ context: OpaquePointer?, _ allocator: OpaquePointer?, _ fields: UnsafePointer<wasmtime_val_t>?, _ count: Int,
                                   _ out: UnsafeMutablePointer<wasmtime_structref_t>?) -> OpaquePointer? {
    guard let (store, type) = allocatorLayout(context, allocator, .structure) else {
        return invalidHandle("wasmtime_structref_new: not a struct allocator of this store")
    }
    guard let out else { return invalidHandle("wasmtime_structref_new: the output must not be NULL") }
    guard count == 0 || fields != nil else { return invalidHandle("wasmtime_structref_new: the field values must not be NULL") }
    do throws(HostObjectFailure) {
        let word = try store.pointee.newStruct(type, count: count) { ValueSlots.hostValue(fields!.advanced(by: $0)) }
        out.pointee = ReferenceHandles.structref(word, storeID: store.pointee.id)
        return nil
    } catch {
        return allocationError(error, type)
    }
}

@_cdecl("wasmtime_structref_type")
public func wasmtime_structref_type(_ context: OpaquePointer?, _ reference: UnsafePointer<wasmtime_structref_t>?) -> OpaquePointer? {
    guard let reference, let (store, object) = handleObject(context, storeID: reference.pointee.store_id, reference.pointee.__private3, .structure) else {
        return nil
    }
    return try? GCTypeObject.make(engine: store.pointee.engine, layout: object.pointee.type)
}

@_cdecl("wasmtime_array_ref_pre_new")
public func wasmtime_array_ref_pre_new(_ context: OpaquePointer?, _ type: OpaquePointer?) -> OpaquePointer? {
    makeAllocator(context, type, .array)
}

@_cdecl("wasmtime_array_ref_pre_delete")
public func wasmtime_array_ref_pre_delete(_ allocator: OpaquePointer?) {
    allocator.map(GCAllocatorObject.delete)
}

@_cdecl("wasmtime_arrayref_new")
public func wasmtime_arrayref_new(_ context: OpaquePointer?, _ allocator: OpaquePointer?, _ element: UnsafePointer<wasmtime_val_t>?, _ length: UInt32,
                                  _ out: UnsafeMutablePointer<wasmtime_arrayref_t>?) -> OpaquePointer? {
    guard let (store, type) = allocatorLayout(context, allocator, .array) else {
        return invalidHandle("wasmtime_arrayref_new: not an array allocator of this store")
    }
    guard let out else { return invalidHandle("wasmtime_arrayref_new: the output must not be NULL") }
    guard let element else { return invalidHandle("wasmtime_arrayref_new: the element value must not be NULL") }
    do throws(HostObjectFailure) {
        let word = try store.pointee.newArray(type, repeating: ValueSlots.hostValue(element), length: length)
        out.pointee = ReferenceHandles.arrayref(word, storeID: store.pointee.id)
        return nil
    } catch {
        return allocationError(error, type)
    }
}

@_cdecl("wasmtime_arrayref_type")
public func wasmtime_arrayref_type(_ context: OpaquePointer?, _ reference: UnsafePointer<wasmtime_arrayref_t>?) -> OpaquePointer? {
    guard let reference, let (store, object) = handleObject(context, storeID: reference.pointee.store_id, reference.pointee.__private3, .array) else {
        return nil
    }
    return try? GCTypeObject.make(engine: store.pointee.engine, layout: object.pointee.type)
}
