/// A `wasm_module_t` of wasm.h: one owner's reference to a compiled module, with its own host info.
public struct ModuleReference: ~Copyable {
    /// The reference header shared with the runtime objects (CObjects/RuntimeObjects.swift).
    public let refKind: RefKind = .module
    public var hostInfo = HostInfo()
    public let module: Shared<CompiledModule>

    /// Takes over one reference to `module`.
    public init(adopting module: Shared<CompiledModule>) { self.module = module }

    deinit { module.release() }
}
