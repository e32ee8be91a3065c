// wasmtime/externref.h: host references. The data lives in its store until the store is deleted
// (a conservative lifetime: swasm does not collect references yet), so rooting is a no-op.
import CSwasm

@_cdecl("wasmtime_externref_new")
public func wasmtime_externref_new(_ context: OpaquePointer?, _ data: UnsafeMutableRawPointer?, _ finalizer: HostFinalizer?,
                                   _ out: UnsafeMutablePointer<wasmtime_externref_t>?) -> Bool {
    guard let context, let out else { finalizer?(data); return false }
    let store = storePointer(context)
    do throws(SwasmError) {
        let box = try Heap.create(ExternRefBox(data: data, finalizer: finalizer))
        try store.pointee.adopt(box, into: &store.pointee.externRefs)
        out.pointee = wasmtime_externref_t(store_id: store.pointee.id, __private1: 0, __private2: 0, __private3: UnsafeMutableRawPointer(box))
        return true
    } catch {
        return false
    }
}

@_cdecl("wasmtime_externref_data")
public func wasmtime_externref_data(_ context: OpaquePointer?, _ reference: UnsafePointer<wasmtime_externref_t>?) -> UnsafeMutableRawPointer? {
    guard let reference, reference.pointee.store_id != 0, let raw = reference.pointee.__private3 else { return nil }
    return raw.assumingMemoryBound(to: ExternRefBox.self).pointee.data
}

@_cdecl("wasmtime_externref_clone")
public func wasmtime_externref_clone(_ reference: UnsafePointer<wasmtime_externref_t>?, _ out: UnsafeMutablePointer<wasmtime_externref_t>?) {
    guard let out else { return }
    out.pointee = reference?.pointee ?? wasmtime_externref_t()
}

@_cdecl("wasmtime_externref_unroot")
public func wasmtime_externref_unroot(_ reference: UnsafeMutablePointer<wasmtime_externref_t>?) {}

@_cdecl("wasmtime_val_unroot")
public func wasmtime_val_unroot(_ value: UnsafeMutablePointer<wasmtime_val_t>?) {}

@_cdecl("wasmtime_val_clone")
public func wasmtime_val_clone(_ source: UnsafePointer<wasmtime_val_t>?, _ destination: UnsafeMutablePointer<wasmtime_val_t>?) {
    guard let source, let destination else { return }
    destination.pointee = source.pointee
}
