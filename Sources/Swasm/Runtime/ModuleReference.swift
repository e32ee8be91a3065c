/// A `wasm_module_t` of wasm.h: one owner's reference to a compiled module, with its own host info.
public struct ModuleReference: ~Copyable {
    public let module: Shared<CompiledModule>
    public var hostInfo = HostInfo()

    /// Takes over one reference to `module`.
    public init(adopting module: Shared<CompiledModule>) { self.module = module }

    deinit { module.release() }
}
