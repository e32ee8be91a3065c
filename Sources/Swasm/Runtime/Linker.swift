/// One definition of a linker: an item of a particular store, or a host function that is
/// created anew in each store the linker instantiates into.
public struct LinkerDefinition: ~Copyable {
    public var storeID: UInt64 = 0
    public var item: ExternValue?
    // A host function definition (item is nil): the linker owns the environment.
    public var callback: OpaquePointer?
    public var environment: UnsafeMutableRawPointer?
    var finalizer: HostFinalizer?
    public var parameters = FallibleVector<ValueType>()
    public var results = FallibleVector<ValueType>()
    /// The callback takes raw values.
    public var unchecked = false

    public init(storeID: UInt64, item: ExternValue) {
        self.storeID = storeID
        self.item = item
    }

    public init(callback: OpaquePointer, environment: UnsafeMutableRawPointer?, finalizer: HostFinalizer?) {
        self.callback = callback
        self.environment = environment
        self.finalizer = finalizer
    }

    deinit { finalizer?(environment) }
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
    public static func key(module: UnsafeRawPointer?, _ moduleLength: Int, name: UnsafeRawPointer?, _ nameLength: Int) throws(SwasmError) -> ByteBuffer {
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
