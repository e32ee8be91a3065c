import CSwasm

// wasmtime/exnref.h: exceptions across the host boundary. An exnref handle carries its store's
// id and the exception's exnref value (`Runtime/Exceptions.swift`) split over two fields.
// wasmtime/types/exnref.h: an exception type is a tag type (`wasmtime_exn_type_t` is a
// `wasm_tagtype_t`).

@_cdecl("wasmtime_context_has_exception")
public func wasmtime_context_has_exception(_ context: OpaquePointer?) -> Bool {
    guard let context else { return false }
    return storePointer(context).pointee.pendingException != 0
}

@_cdecl("wasmtime_context_take_exception")
public func wasmtime_context_take_exception(_ context: OpaquePointer?, _ out: UnsafeMutablePointer<wasmtime_exnref_t>?) -> Bool {
    guard let context, let out else { return false }
    let store = storePointer(context)
    guard let reference = store.pointee.takePendingException() else { return false }
    out.pointee = ExnrefHandles.make(reference, store: store)
    return true
}

@_cdecl("wasmtime_context_set_exception")
public func wasmtime_context_set_exception(_ context: OpaquePointer?, _ reference: UnsafePointer<wasmtime_exnref_t>?) -> OpaquePointer? {
    guard let context, let reference else { return OpaquePointer(TrapReport.make(message: nil, count: 0)) }
    let store = storePointer(context)
    guard let (value, _) = ExnrefHandles.live(reference, in: store) else {
        return OpaquePointer(TrapReport.make(Failure.make(.trap, "wasmtime_context_set_exception: exnref of another store, null or stale")))
    }
    store.pointee.setPendingException(value)
    return OpaquePointer(TrapReport.make(Failure.thrownException()))
}

@_cdecl("wasmtime_exnref_new")
public func wasmtime_exnref_new(_ context: OpaquePointer?, _ tag: UnsafePointer<wasmtime_tag_t>?, _ fields: UnsafePointer<wasmtime_val_t>?,
                                _ count: Int, _ out: UnsafeMutablePointer<wasmtime_exnref_t>?) -> OpaquePointer? {
    guard let context, let out, fields != nil || count == 0 else {
        return OpaquePointer(ErrorReport.make(.invalidArgument, "wasmtime_exnref_new: store, fields and result must not be NULL"))
    }
    guard let target = ExternHandles.tag(tag, in: context) else {
        return OpaquePointer(ErrorReport.make(.invalidArgument, "wasmtime_exnref_new: tag of another store"))
    }
    let store = storePointer(context)
    switch store.pointee.makeHostException(tag: target, count: count, field: { ValueSlots.hostValue(fields!.advanced(by: $0)) }) {
    case .made(let reference):
        out.pointee = ExnrefHandles.make(reference, store: store)
        return nil
    case .refused(let failure):
        return OpaquePointer(ErrorReport.make(failure))
    }
}

@_cdecl("wasmtime_exnref_clone")
public func wasmtime_exnref_clone(_ reference: UnsafePointer<wasmtime_exnref_t>?, _ out: UnsafeMutablePointer<wasmtime_exnref_t>?) {
    // Handles need no roots (see wasmtime_exnref_unroot): a clone is a copy.
    guard let out else { return }
    out.pointee = reference?.pointee ?? wasmtime_exnref_t()
}

@_cdecl("wasmtime_exnref_from_raw")
public func wasmtime_exnref_from_raw(_ context: OpaquePointer?, _ raw: UInt32, _ out: UnsafeMutablePointer<wasmtime_exnref_t>?) {
    guard let out else { return }
    guard let context else { out.pointee = wasmtime_exnref_t(); return }
    let store = storePointer(context)
    out.pointee = ExnrefHandles.make(store.pointee.exceptionReference(raw: raw), store: store)
}

@_cdecl("wasmtime_exnref_to_raw")
public func wasmtime_exnref_to_raw(_ context: OpaquePointer?, _ reference: UnsafePointer<wasmtime_exnref_t>?) -> UInt32 {
    guard let context, let (value, object) = ExnrefHandles.live(reference, in: storePointer(context)) else { return 0 }
    object.pointee.exposed = true
    return UInt32(truncatingIfNeeded: value)
}

@_cdecl("wasmtime_exnref_tag")
public func wasmtime_exnref_tag(_ context: OpaquePointer?, _ reference: UnsafePointer<wasmtime_exnref_t>?,
                                _ out: UnsafeMutablePointer<wasmtime_tag_t>?) -> OpaquePointer? {
    guard let context, let out else { return OpaquePointer(ErrorReport.make(.invalidArgument, "wasmtime_exnref_tag: arguments must not be NULL")) }
    let store = storePointer(context)
    guard let (_, object) = ExnrefHandles.live(reference, in: store) else { return ExnrefHandles.notLive() }
    var item = wasmtime_extern_t()
    ExternHandles.make(.tag(object.pointee.tag), store: store, into: &item)
    out.pointee = item.of.tag
    return nil
}

@_cdecl("wasmtime_exnref_field_count")
public func wasmtime_exnref_field_count(_ context: OpaquePointer?, _ reference: UnsafePointer<wasmtime_exnref_t>?) -> Int {
    guard let context, let (_, object) = ExnrefHandles.live(reference, in: storePointer(context)) else { return 0 }
    return object.pointee.tag.pointee.parameters.count
}

@_cdecl("wasmtime_exnref_field")
public func wasmtime_exnref_field(_ context: OpaquePointer?, _ reference: UnsafePointer<wasmtime_exnref_t>?, _ index: Int,
                                  _ out: UnsafeMutablePointer<wasmtime_val_t>?) -> OpaquePointer? {
    guard let context, let out else { return OpaquePointer(ErrorReport.make(.invalidArgument, "wasmtime_exnref_field: arguments must not be NULL")) }
    let store = storePointer(context)
    guard let (_, object) = ExnrefHandles.live(reference, in: store) else { return ExnrefHandles.notLive() }
    guard let value = store.pointee.exceptionField(object, index) else {
        let count = object.pointee.tag.pointee.parameters.count
        return OpaquePointer(ErrorReport.make(.invalidArgument) { (text: inout ByteBuffer) throws(SwasmError) in
            try text.append("cannot access field ")
            try text.appendDecimal(UInt64(UInt(bitPattern: index)))
            try text.append(": exn only has ")
            try text.appendDecimal(UInt64(count))
            try text.append(" fields")
        })
    }
    ValueSlots.write(value, into: out)
    return nil
}

@_cdecl("wasmtime_exnref_type")
public func wasmtime_exnref_type(_ context: OpaquePointer?, _ reference: UnsafePointer<wasmtime_exnref_t>?) -> OpaquePointer? {
    guard let context, let (_, object) = ExnrefHandles.live(reference, in: storePointer(context)) else { return nil }
    return TagTypeObject.make(describing: object.pointee.tag)
}

@_cdecl("wasmtime_exnref_unroot")
public func wasmtime_exnref_unroot(_ reference: UnsafeMutablePointer<wasmtime_exnref_t>?) {
    // Exceptions a handle may name live as long as their store: a root costs nothing to drop.
    reference?.pointee.store_id = 0
}

/// Conversions between exnref values and `wasmtime_exnref_t` handles.
enum ExnrefHandles {
    static func make(_ reference: UInt64, store: UnsafeMutablePointer<Store>) -> wasmtime_exnref_t {
        make(reference, storeID: store.pointee.id)
    }

    static func make(_ reference: UInt64, storeID: UInt64) -> wasmtime_exnref_t {
        var handle = wasmtime_exnref_t()
        guard reference != 0 else { return handle }
        handle.store_id = storeID
        handle.__private1 = UInt32(truncatingIfNeeded: reference)
        handle.__private2 = UInt32(truncatingIfNeeded: reference >> 32)
        return handle
    }

    /// The exnref value and exception of a handle naming a live exception of `store`.
    static func live(_ handle: UnsafePointer<wasmtime_exnref_t>?, in store: UnsafeMutablePointer<Store>)
        -> (UInt64, UnsafeMutablePointer<ExceptionObject>)? {
        guard let handle, handle.pointee.store_id == store.pointee.id else { return nil }
        let value = reference(handle.pointee)
        guard let object = store.pointee.exception(value) else { return nil }
        return (value, object)
    }

    /// The error for a handle that names no live exception of the store.
    static func notLive() -> OpaquePointer {
        OpaquePointer(ErrorReport.make(.invalidArgument, "exnref is null, stale or of another store"))
    }

    /// The exnref value a handle carries (0 for null).
    static func reference(_ handle: wasmtime_exnref_t) -> UInt64 {
        handle.store_id == 0 ? 0 : UInt64(handle.__private1) | UInt64(handle.__private2) << 32
    }
}

@_cdecl("wasmtime_exn_type_new")
public func wasmtime_exn_type_new(_ engine: OpaquePointer?, _ params: UnsafeRawPointer?,
                                  _ out: UnsafeMutablePointer<OpaquePointer?>?) -> OpaquePointer? {
    let vector = params?.assumingMemoryBound(to: RawVector.self).pointee
    guard engine != nil, let params, let out, let vector, vector.data != nil || vector.size == 0 else {
        return OpaquePointer(ErrorReport.make(.invalidArgument, "wasmtime_exn_type_new: arguments must not be NULL"))
    }
    do throws(SwasmError) {
        let parameters = try CVector.valueTypes(params)
        let function = try ModuleTypeObjects.makeFunctionType(parameters: UnsafeBufferPointer(start: parameters.base, count: parameters.count),
                                                              results: UnsafeBufferPointer(start: nil, count: 0))
        out.pointee = try TagTypeObject.make(taking: function)
        return nil
    } catch {
        return OpaquePointer(ErrorReport.make(error, "wasmtime_exn_type_new: a parameter type is NULL"))
    }
}

@_cdecl("wasmtime_exn_type_delete")
public func wasmtime_exn_type_delete(_ type: OpaquePointer?) { wasm_tagtype_delete(type) }

@_cdecl("wasmtime_exn_type_copy")
public func wasmtime_exn_type_copy(_ type: OpaquePointer?) -> OpaquePointer? { wasm_tagtype_copy(type) }

@_cdecl("wasmtime_exn_type_tag_type")
public func wasmtime_exn_type_tag_type(_ type: OpaquePointer?) -> OpaquePointer? { wasm_tagtype_copy(type) }
