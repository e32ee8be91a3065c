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

/// A copy of a handle that holds what it names too (a box, or a value of the any hierarchy
/// made external).
private func cloneExternRef(_ reference: UnsafePointer<wasmtime_externref_t>?, _ out: UnsafeMutablePointer<wasmtime_externref_t>) {
    out.pointee = reference?.pointee ?? wasmtime_externref_t()
    if out.pointee.store_id != 0 { Store.rootReference(ReferenceHandles.word(out.pointee.__private3), anyHierarchy: false) }
}

/// Releases the host's hold; the handle reads as null afterwards.
private func unrootExternRef(_ reference: UnsafeMutablePointer<wasmtime_externref_t>) {
    guard reference.pointee.store_id != 0 else { return }
    Store.unrootReference(ReferenceHandles.word(reference.pointee.__private3), anyHierarchy: false)
    reference.pointee = wasmtime_externref_t()
}

@_cdecl("wasmtime_externref_clone")
public func wasmtime_externref_clone(_ reference: UnsafePointer<wasmtime_externref_t>?, _ out: UnsafeMutablePointer<wasmtime_externref_t>?) {
    out.map { cloneExternRef(reference, $0) }
}

@_cdecl("wasmtime_externref_unroot")
public func wasmtime_externref_unroot(_ reference: UnsafeMutablePointer<wasmtime_externref_t>?) {
    reference.map(unrootExternRef)
}

@_cdecl("wasmtime_val_unroot")
public func wasmtime_val_unroot(_ value: UnsafeMutablePointer<wasmtime_val_t>?) {
    guard let value else { return }
    switch Int32(value.pointee.kind) {
    case WASMTIME_EXTERNREF: withUnsafeMutablePointer(to: &value.pointee.of.externref) { unrootExternRef($0) }
    case WASMTIME_ANYREF: withUnsafeMutablePointer(to: &value.pointee.of.anyref) { AnyRefHandles.unroot($0) }
    default: break
    }
}

@_cdecl("wasmtime_val_clone")
public func wasmtime_val_clone(_ source: UnsafePointer<wasmtime_val_t>?, _ destination: UnsafeMutablePointer<wasmtime_val_t>?) {
    guard let source, let destination else { return }
    destination.pointee = source.pointee
    switch Int32(source.pointee.kind) {
    case WASMTIME_EXTERNREF: withUnsafePointer(to: source.pointee.of.externref) { cloneExternRef($0, &destination.pointee.of.externref) }
    case WASMTIME_ANYREF: withUnsafePointer(to: source.pointee.of.anyref) { AnyRefHandles.clone($0, &destination.pointee.of.anyref) }
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
    storePointer(context).pointee.collectExternRefs()
    return nil
}
