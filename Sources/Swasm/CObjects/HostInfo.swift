/// Host information attached to a wasm.h object (`wasm_*_set_host_info(_with_finalizer)`): a
/// pointer and an optional finalizer, run when the object is deleted or the info replaced.
public struct HostInfo: ~Copyable {
    public private(set) var info: UnsafeMutableRawPointer?
    private var finalizer: HostFinalizer?

    public init() {}

    deinit { finalizer?(info) }

    public mutating func set(_ info: UnsafeMutableRawPointer?, finalizer: HostFinalizer?) {
        self.finalizer?(self.info)
        self.info = info
        self.finalizer = finalizer
    }
}
