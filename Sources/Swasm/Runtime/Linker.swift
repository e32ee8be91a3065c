/// One definition of a linker: an item of a particular store, or a host function that is
/// created anew in each store the linker instantiates into.
public struct LinkerDefinition: ~Copyable {
    public var storeID: UInt64 = 0
    public var item: ExternValue?
    // A host function definition (item is nil). The environment is shared with the functions
    // made from the definition in each store.
    public var callback: OpaquePointer?
    public var environmentOwner: Shared<HostEnvironment>?
    public var environment: UnsafeMutableRawPointer? { environmentOwner?.pointer.pointee.data }
    public var parameters = FallibleVector<ValueType>()
    public var results = FallibleVector<ValueType>()
    /// The callback takes raw values.
    public var unchecked = false

    public init(storeID: UInt64, item: ExternValue) {
        self.storeID = storeID
        self.item = item
    }

    /// Takes ownership of `environment`: if the definition cannot be made, it is finalized at once.
    public init(callback: OpaquePointer, environment: UnsafeMutableRawPointer?, finalizer: HostFinalizer?) throws(SwasmError) {
        self.callback = callback
        if environment != nil || finalizer != nil {
            environmentOwner = try Shared.create(HostEnvironment(data: environment, finalizer: finalizer))
        }
    }

    /// An empty host definition to fill in (used by `clone`).
    init(sharing callback: OpaquePointer?) {
        self.callback = callback
    }

    deinit { environmentOwner?.release() }
}

/// A linker (`wasmtime_linker_t`): named definitions that satisfy modules' imports.
public struct Linker: ~Copyable {
    public let engine: Shared<Engine>
    public var allowShadowing = false
    // Not public: see CompiledModule.description.
    var definitions = FallibleHashMap<ByteBuffer, LinkerDefinition>()

    public init(engine: Shared<Engine>) { self.engine = engine.retain() }

    deinit { engine.release() }

    /// The key of `module::name`: both names with a separator no UTF-8 name contains.
    /// Whether a name the host gives is valid UTF-8 (wasmtime's names are Rust strings): `.malformed`
    /// otherwise, which the C API reports as wasmtime does ("input was not valid utf-8").
    public static func checkName(_ bytes: UnsafeRawPointer?, _ count: Int) throws(SwasmError) {
        guard count != 0 else { return }
        // A length of 2^63 or more (a negative Int) is no name at all.
        guard count > 0 else { throw .malformed }
        guard let bytes, UTF8Validation.isValid(bytes.assumingMemoryBound(to: UInt8.self), count: count) else { throw .malformed }
    }

    public static func key(module: UnsafeRawPointer?, _ moduleLength: Int, name: UnsafeRawPointer?, _ nameLength: Int) throws(SwasmError) -> ByteBuffer {
        try checkName(module, moduleLength)
        try checkName(name, nameLength)
        var key = ByteBuffer()
        try key.reserve(moduleLength &+ nameLength &+ 1)
        try key.append(module, count: moduleLength)
        try key.append(0xff)
        try key.append(name, count: nameLength)
        return key
    }

    /// Adds a definition; fails with `.unlinkable` when the name is taken and shadowing is off.
    public mutating func define(_ key: consuming ByteBuffer, _ definition: consuming LinkerDefinition) throws(SwasmError) {
        if !allowShadowing && definitions.contains(key) { throw .unlinkable }
        _ = try definitions.insert(key, definition)
    }
}

extension LinkerDefinition {
    /// A copy sharing the host environment (if any).
    public func clone() throws(SwasmError) -> LinkerDefinition {
        if let item {
            return LinkerDefinition(storeID: storeID, item: item)
        }
        var copy = LinkerDefinition(sharing: callback)
        copy.callback = callback
        copy.environmentOwner = environmentOwner?.retain()
        copy.unchecked = unchecked
        copy.parameters = try parameters.clone()
        copy.results = try results.clone()
        return copy
    }
}

extension Linker {
    /// An independent linker with the same definitions (host environments shared).
    public func clone() throws(SwasmError) -> Linker {
        var copy = Linker(engine: engine)
        copy.allowShadowing = allowShadowing
        var failure: SwasmError? = nil
        definitions.forEach { (key, value) in
            guard failure == nil else { return }
            do throws(SwasmError) {
                _ = try copy.definitions.insert(try key.clone(), try value.clone())
            } catch {
                failure = error
            }
        }
        if let failure { throw failure }
        return copy
    }
}

/// A module whose imports a linker resolved ahead of time (`wasmtime_instance_pre_t`): the module
/// and a snapshot of the linker's definitions.
struct InstancePre: ~Copyable {
    let module: Shared<CompiledModule>
    var linker: Linker

    init(adopting module: Shared<CompiledModule>, linker: consuming Linker) {
        self.module = module
        self.linker = linker
    }

    deinit { module.release() }
}
