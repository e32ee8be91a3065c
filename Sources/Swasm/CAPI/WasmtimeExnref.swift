import CSwasm

// wasmtime/exnref.h: exceptions across the host boundary. An exnref handle carries its store's
// id and the exception's exnref value (`Runtime/Exceptions.swift`) split over two fields.

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

    /// The exnref value a handle carries (0 for null).
    static func reference(_ handle: wasmtime_exnref_t) -> UInt64 {
        handle.store_id == 0 ? 0 : UInt64(handle.__private1) | UInt64(handle.__private2) << 32
    }
}
