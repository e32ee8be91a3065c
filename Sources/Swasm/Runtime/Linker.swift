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
