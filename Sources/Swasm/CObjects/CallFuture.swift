import CSwasm

/// A `wasmtime_call_future_t`: an async call (Runtime/AsyncCalls.swift) or an async
/// instantiation (which completes at its first poll), and where its outcome goes. Registered as
/// a live handle, so that a future the host passes is looked up before it is used (a deleted or
/// forged one is ignored).
public struct CallFuture: ~Copyable {
    var link = swasm_handle_link()
    let call: UnsafeMutablePointer<AsyncCall>?
    let instantiation: Instantiation?
    let results: UnsafeMutablePointer<wasmtime_val_t>?
    let trap: UnsafeMutablePointer<OpaquePointer?>?
    let error: UnsafeMutablePointer<OpaquePointer?>?
    var finished = false
    /// A poll runs; the host deleted the future meanwhile (from a function the poll ran), and it
    /// is released when the poll returns.
    var polling = false
    var deleteRequested = false

    /// What an async instantiation instantiates: a module through a linker, or an instance_pre.
    struct Instantiation {
        var linker: OpaquePointer?
        var pre: OpaquePointer?
        var module: OpaquePointer?
        var context: OpaquePointer?
        var instance: UnsafeMutablePointer<wasmtime_instance_t>?
    }

    static func create(_ call: UnsafeMutablePointer<AsyncCall>?, instantiation: Instantiation? = nil, results: UnsafeMutablePointer<wasmtime_val_t>?,
                       trap: UnsafeMutablePointer<OpaquePointer?>?, error: UnsafeMutablePointer<OpaquePointer?>?) throws(SwasmError) -> UnsafeMutablePointer<CallFuture> {
        let future = try Heap.create(CallFuture(call: call, instantiation: instantiation, results: results, trap: trap, error: error))
        cswasm_handle_register(withUnsafeMutablePointer(to: &future.pointee.link) { $0 })
        return future
    }

    /// The future `handle` names, if it is a live one.
    static func from(_ handle: OpaquePointer?) -> UnsafeMutablePointer<CallFuture>? {
        guard let handle, cswasm_handle_is_registered(UnsafeRawPointer(handle)) else { return nil }
        return UnsafeMutablePointer(handle)
    }

    /// Unregisters and frees the future `handle` names, abandoning its call if still pending; one
    /// being polled is freed when its poll returns.
    static func destroy(_ handle: OpaquePointer?) {
        guard let handle, cswasm_handle_unregister(UnsafeRawPointer(handle)) else { return }
        let future = UnsafeMutablePointer<CallFuture>(handle)
        if future.pointee.polling {
            future.pointee.deleteRequested = true
            return
        }
        release(future)
    }

    /// Frees an unregistered future.
    static func release(_ future: UnsafeMutablePointer<CallFuture>) {
        if let call = future.pointee.call { AsyncCall.destroy(call) }
        Heap.destroy(future)
    }
}
