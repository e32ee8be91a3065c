// wasmtime/externref.h: host references. Each lives in its store as a box; the host's
// `wasmtime_externref_t`s root it until unrooted, and `wasmtime_context_gc` finalizes the boxes
// that nothing reaches any more (Runtime/ExternRefs.swift).
import CSwasm

/// The box an externref handle names, if it is a live box of `context`'s store.
private func externRefBox(_ context: OpaquePointer?, _ reference: UnsafePointer<wasmtime_externref_t>?) -> UnsafeMutablePointer<ExternRefBox>? {
    guard let context, let reference, reference.pointee.store_id == storePointer(context).pointee.id,
          let raw = reference.pointee.__private3, storePointer(context).pointee.ownsExternRef(raw) else { return nil }
    return raw.assumingMemoryBound(to: ExternRefBox.self)
}

@_cdecl("wasmtime_externref_new")
public func wasmtime_externref_new(_ context: OpaquePointer?, _ data: UnsafeMutableRawPointer?, _ finalizer: HostFinalizer?,
                                   _ out: UnsafeMutablePointer<wasmtime_externref_t>?) -> Bool {
    guard let context, let out else { finalizer?(data); return false }
    let store = storePointer(context)
    do throws(SwasmError) {
        let box = try Heap.create(ExternRefBox(data: data, finalizer: finalizer))
        try store.pointee.adoptExternRef(box, hostRoots: 1)
        out.pointee = wasmtime_externref_t(store_id: store.pointee.id, __private1: 0, __private2: 0, __private3: UnsafeMutableRawPointer(box))
        return true
    } catch {
        return false
    }
}

@_cdecl("wasmtime_externref_data")
public func wasmtime_externref_data(_ context: OpaquePointer?, _ reference: UnsafePointer<wasmtime_externref_t>?) -> UnsafeMutableRawPointer? {
    externRefBox(context, reference)?.pointee.data
}

@_cdecl("wasmtime_externref_clone")
public func wasmtime_externref_clone(_ reference: UnsafePointer<wasmtime_externref_t>?, _ out: UnsafeMutablePointer<wasmtime_externref_t>?) {
    guard let out else { return }
    out.pointee = reference?.pointee ?? wasmtime_externref_t()
    ReferenceHandles.root(storeID: out.pointee.store_id, out.pointee.__private3, anyHierarchy: false)
}

@_cdecl("wasmtime_externref_unroot")
public func wasmtime_externref_unroot(_ reference: UnsafeMutablePointer<wasmtime_externref_t>?) {
    guard let reference else { return }
    ReferenceHandles.unroot(storeID: reference.pointee.store_id, reference.pointee.__private3, anyHierarchy: false)
    reference.pointee = wasmtime_externref_t()
}

@_cdecl("wasmtime_val_unroot")
public func wasmtime_val_unroot(_ value: UnsafeMutablePointer<wasmtime_val_t>?) {
    guard let value else { return }
    switch Int32(value.pointee.kind) {
    case WASMTIME_EXTERNREF:
        ReferenceHandles.unroot(storeID: value.pointee.of.externref.store_id, value.pointee.of.externref.__private3, anyHierarchy: false)
        value.pointee.of.externref = wasmtime_externref_t()
    case WASMTIME_ANYREF:
        ReferenceHandles.unroot(storeID: value.pointee.of.anyref.store_id, value.pointee.of.anyref.__private3)
        value.pointee.of.anyref = wasmtime_anyref_t()
    default: break
    }
}

@_cdecl("wasmtime_val_clone")
public func wasmtime_val_clone(_ source: UnsafePointer<wasmtime_val_t>?, _ destination: UnsafeMutablePointer<wasmtime_val_t>?) {
    guard let source, let destination else { return }
    destination.pointee = source.pointee
    switch Int32(source.pointee.kind) {
    case WASMTIME_EXTERNREF:
        ReferenceHandles.root(storeID: source.pointee.of.externref.store_id, source.pointee.of.externref.__private3, anyHierarchy: false)
    case WASMTIME_ANYREF:
        ReferenceHandles.root(storeID: source.pointee.of.anyref.store_id, source.pointee.of.anyref.__private3)
    default: break
    }
}

/// The raw form: the box's number in its store (0 for null).
@_cdecl("wasmtime_externref_to_raw")
public func wasmtime_externref_to_raw(_ context: OpaquePointer?, _ reference: UnsafePointer<wasmtime_externref_t>?) -> UInt32 {
    externRefBox(context, reference)?.pointee.rawID ?? 0
}

/// A rooted handle for a raw externref number; null for 0 or a number the store does not know.
@_cdecl("wasmtime_externref_from_raw")
public func wasmtime_externref_from_raw(_ context: OpaquePointer?, _ raw: UInt32, _ out: UnsafeMutablePointer<wasmtime_externref_t>?) {
    guard let out else { return }
    out.pointee = wasmtime_externref_t()
    guard let context, let box = storePointer(context).pointee.externRef(rawID: raw) else { return }
    box.pointee.hostRoots &+= 1
    out.pointee = wasmtime_externref_t(store_id: storePointer(context).pointee.id, __private1: 0, __private2: 0, __private3: UnsafeMutableRawPointer(box))
}

/// Frees the GC objects and finalizes the externrefs nothing reaches any more
/// (Runtime/GCHeap.swift). Never fails: a collection allocates nothing.
@_cdecl("wasmtime_context_gc")
public func wasmtime_context_gc(_ context: OpaquePointer?) -> OpaquePointer? {
    guard let context else { return OpaquePointer(ErrorReport.make(.invalidArgument, "wasmtime_context_gc: the store must not be NULL")) }
    storePointer(context).pointee.collectGarbage()
    return nil
}
