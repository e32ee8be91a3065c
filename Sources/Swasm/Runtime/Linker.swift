import CSwasm

/// One definition of a linker: an item of a particular store, or a host function that is
/// created anew in each store the linker instantiates into.
public enum LinkerDefinition: ~Copyable {
    case item(storeID: UInt64, ExternValue)
    case function(HostFunctionDefinition)
    /// A shared memory, of no store in particular (the definition owns a share of it).
    case sharedMemory(SharedMemoryShare)

    /// A copy sharing the host environment (if any).
    public func clone() throws(SwasmError) -> LinkerDefinition {
        switch self {
        case .item(let storeID, let value): return .item(storeID: storeID, value)
        case .function(let definition): return .function(try definition.clone())
        case .sharedMemory(let share): return .sharedMemory(SharedMemoryShare(share.memory))
        }
    }

    /// Whether it defines an async host function.
    var isAsyncFunction: Bool {
        switch self {
        case .function(let definition): return definition.suspends
        default: return false
        }
    }

    /// The item the definition gives in `store`: its own item (nil when it belongs to another
    /// store), a new host function of `store`, or the shared memory.
    public func item(in store: UnsafeMutablePointer<Store>) throws(SwasmError) -> ExternValue? {
        switch self {
        case .item(let storeID, let value): return storeID == store.pointee.id ? value : nil
        case .function(let definition): return .function(try store.pointee.makeHostFunction(definition))
        case .sharedMemory(let share): return .memory(share.memory)
        }
    }
}

/// One owner's share of a shared memory (`LinearMemory.retain`/`release`), released with it.
public struct SharedMemoryShare: ~Copyable {
    public let memory: UnsafeMutablePointer<LinearMemory>

    /// Takes a new share of `memory`.
    public init(_ memory: UnsafeMutablePointer<LinearMemory>) {
        LinearMemory.retain(memory)
        self.memory = memory
    }

    deinit { LinearMemory.release(memory) }
}

/// A linker (`wasmtime_linker_t`): named definitions that satisfy modules' imports.
public struct Linker: ~Copyable {
    public let engine: Shared<Engine>
    public var allowShadowing = false
    /// An async host function was defined: instantiating through the linker itself (not an
    /// instance_pre) must then be async, whatever the module imports, as in wasmtime.
    public private(set) var definesAsyncFunctions = false
    // Not public: see CompiledModule.description.
    var definitions = FallibleHashMap<ByteBuffer, LinkerDefinition>()

    public init(engine: Shared<Engine>) { self.engine = engine.retain() }

    deinit { engine.release() }

    /// Whether a name the host gives is valid UTF-8 (wasmtime's names are Rust strings): `.malformed`
    /// otherwise, which the C API reports as wasmtime does ("input was not valid utf-8").
    public static func checkName(_ bytes: UnsafeRawPointer?, _ count: Int) throws(SwasmError) {
        guard count != 0 else { return }
        // A length of 2^63 or more (a negative Int) is no name at all.
        guard count > 0 else { throw .malformed }
        guard let bytes, UTF8Validation.isValid(bytes.assumingMemoryBound(to: UInt8.self), count: count) else { throw .malformed }
    }

    /// The key of `module::name`: both names with a separator no UTF-8 name contains.
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

    /// The key of an import of a module.
    static func key(of entry: UnsafePointer<Import>) throws(SwasmError) -> ByteBuffer {
        try key(module: entry.pointee.module.bytes.map { UnsafeRawPointer($0) }, entry.pointee.module.count,
                name: entry.pointee.name.bytes.map { UnsafeRawPointer($0) }, entry.pointee.name.count)
    }

    /// Adds a definition; fails with `.unlinkable` when the name is taken and shadowing is off.
    public mutating func define(_ key: consuming ByteBuffer, _ definition: consuming LinkerDefinition) throws(SwasmError) {
        if !allowShadowing && definitions.contains(key) { throw .unlinkable }
        let suspends = definition.isAsyncFunction
        _ = try definitions.insert(key, definition)
        if suspends { definesAsyncFunctions = true }
    }

    /// Defines `module::name`, with wasmtime's message when the name is taken.
    public mutating func define(module: UnsafeRawPointer?, _ moduleLength: Int, name: UnsafeRawPointer?, _ nameLength: Int,
                                _ definition: consuming LinkerDefinition, diagnostic: inout Diagnostic) throws(SwasmError) {
        let key = try Self.key(module: module, moduleLength, name: name, nameLength)
        do {
            try define(key, definition)
        } catch {
            if error == .unlinkable {
                diagnostic.record { (text: inout ByteBuffer) throws(SwasmError) in
                    try text.append("import of `")
                    try text.append(module, count: moduleLength)
                    try text.append("::")
                    try text.append(name, count: nameLength)
                    try text.append("` defined twice")
                }
            }
            throw error
        }
    }

    /// The definition of `module::name`, if any.
    public func definition(module: UnsafeRawPointer?, _ moduleLength: Int, name: UnsafeRawPointer?,
                           _ nameLength: Int) throws(SwasmError) -> UnsafeMutablePointer<LinkerDefinition>? {
        definitions.valuePointer(for: try Self.key(module: module, moduleLength, name: name, nameLength))
    }

    /// An independent linker with the same definitions (host environments shared).
    public func clone() throws(SwasmError) -> Linker {
        var copy = Linker(engine: engine)
        copy.allowShadowing = allowShadowing
        copy.definesAsyncFunctions = definesAsyncFunctions
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

/// Import resolution: the one place where a module's imports are looked up by name.
extension Linker {
    /// Fails with wasmtime's "unknown import" message unless every import of `module` has a
    /// definition.
    public func checkDefined(_ module: Shared<CompiledModule>, diagnostic: inout Diagnostic) throws(SwasmError) {
        let description = withUnsafeMutablePointer(to: &module.pointer.pointee.description) { UnsafePointer($0) }
        for index in 0..<description.pointee.imports.count {
            let entry = description.pointee.imports.base!.advanced(by: index)
            guard definitions.contains(try Self.key(of: entry)) else { throw Self.unknownImport(entry, &diagnostic) }
        }
    }

    /// The items that satisfy `module`'s imports in `store`, in import order. Host function
    /// definitions become functions of `store`.
    public func resolveImports(of module: Shared<CompiledModule>, in store: UnsafeMutablePointer<Store>,
                               diagnostic: inout Diagnostic) throws(SwasmError) -> FallibleVector<ExternValue> {
        let description = withUnsafeMutablePointer(to: &module.pointer.pointee.description) { UnsafePointer($0) }
        var values = FallibleVector<ExternValue>()
        try values.reserve(max(description.pointee.imports.count, 1))
        for index in 0..<description.pointee.imports.count {
            let entry = description.pointee.imports.base!.advanced(by: index)
            guard let definition = definitions.valuePointer(for: try Self.key(of: entry)),
                  let value = try definition.pointee.item(in: store) else { throw Self.unknownImport(entry, &diagnostic) }
            try values.append(value)
        }
        return values
    }

    /// Resolves `module`'s imports and instantiates it in `store` (see `Store.instantiate`).
    /// `asLinker`: the host instantiates through this linker (not an instance_pre's snapshot).
    public func instantiate(_ module: Shared<CompiledModule>, in store: UnsafeMutablePointer<Store>, index: inout Int,
                            diagnostic: inout Diagnostic, asLinker: Bool = true) throws(SwasmError) -> CallOutcome {
        guard engine.cell == store.pointee.engine.cell else {
            diagnostic.record("cross-`Engine` instantiation is not currently supported")
            throw .invalidArgument
        }
        if asLinker && definesAsyncFunctions && store.pointee.entersSynchronously {
            diagnostic.record(Store.asyncEntryRequired)
            throw .invalidArgument
        }
        let scope = store.pointee.enterPool()
        defer { Store.leavePool(scope) }
        let values = try resolveImports(of: module, in: store, diagnostic: &diagnostic)
        return try store.pointee.instantiate(module, imports: UnsafePointer(values.base), index: &index, diagnostic: &diagnostic)
    }

    private static func unknownImport(_ entry: UnsafePointer<Import>, _ diagnostic: inout Diagnostic) -> SwasmError {
        diagnostic.record { (text: inout ByteBuffer) throws(SwasmError) in
            try text.append("unknown import: `")
            try text.append(entry.pointee.module)
            try text.append("::")
            try text.append(entry.pointee.name)
            try text.append("` has not been defined")
        }
        return .unlinkable
    }

    /// Defines every export of instance `index` of `store` under `name`.
    public mutating func defineInstance(_ name: UnsafeRawPointer?, _ nameLength: Int, instance index: Int, of store: UnsafeMutablePointer<Store>,
                                        diagnostic: inout Diagnostic) throws(SwasmError) {
        try Self.checkName(name, nameLength)
        let target = store.pointee.instances[index]
        let description = withUnsafeMutablePointer(to: &target.pointee.module.pointer.pointee.description) { UnsafePointer($0) }
        for export in 0..<description.pointee.exports.count {
            guard let value = target.pointee.exportValue(export) else { continue }
            let exportName = description.pointee.exports.base!.advanced(by: export)
            try define(module: name, nameLength, name: exportName.pointee.name.bytes.map { UnsafeRawPointer($0) }, exportName.pointee.name.count,
                       .item(storeID: store.pointee.id, value), diagnostic: &diagnostic)
        }
    }
}

/// Definitions for imports nobody defined (`define_unknown_imports_as_traps` and
/// `..._as_default_values`), as native host functions.
extension Linker {
    /// Defines a host function for every function import of `module` the linker lacks: one that
    /// traps with wasmtime's "unknown import" message, or (`traps` false) one that returns the
    /// default values of its result types (0, +0.0, null).
    public mutating func defineUnknownFunctions(of module: Shared<CompiledModule>, traps: Bool) throws(SwasmError) {
        let description = withUnsafeMutablePointer(to: &module.pointer.pointee.description) { UnsafePointer($0) }
        for index in 0..<description.pointee.imports.count {
            let entry = description.pointee.imports.base!.advanced(by: index)
            guard case .function(let typeIndex) = entry.pointee.type else { continue }
            let key = try Self.key(of: entry)
            if definitions.contains(key) { continue }
            var environment: UnsafeMutableRawPointer? = nil
            if traps {
                var message = ByteBuffer()
                try message.append("unknown import: `")
                try message.append(entry.pointee.module)
                try message.append("::")
                try message.append(entry.pointee.name)
                try message.append("` has not been defined")
                environment = UnsafeMutableRawPointer(try Heap.create(message))
            }
            // From here the definition owns the environment (its deinit frees it on failure).
            var function = try HostFunctionDefinition(trampoline: traps ? NativeFunctions.trapWithMessage : NativeFunctions.returnDefaults,
                                                      callback: nil, environment: environment, finalizer: traps ? NativeFunctions.freeMessage : nil)
            let signature = description.pointee.functionType(typeIndex)
            function.parameters = try signature.pointee.parameters.clone()
            function.results = try signature.pointee.results.clone()
            try define(key, .function(function))
        }
    }

    /// Defines, in `store`, a global (zero or null), table (null elements) or memory (zeroed) of
    /// the declared type for every such import of `module` the linker lacks, as wasmtime does.
    public mutating func defineUnknownItems(of module: Shared<CompiledModule>, in store: UnsafeMutablePointer<Store>) throws(SwasmError) {
        let description = withUnsafeMutablePointer(to: &module.pointer.pointee.description) { UnsafePointer($0) }
        for index in 0..<description.pointee.imports.count {
            let entry = description.pointee.imports.base!.advanced(by: index)
            let key = try Self.key(of: entry)
            if definitions.contains(key) { continue }
            let item: ExternValue
            switch entry.pointee.type {
            case .global(let type):
                let global = try HostGlobal.create(type, value: (0, 0))
                try store.pointee.adoptHostGlobal(global)
                item = .global(withUnsafeMutablePointer(to: &global.pointee.object) { $0 })
            case .table(let type):
                let table = try HostTable.create(type, initial: 0)
                try store.pointee.adoptHostTable(table)
                item = .table(withUnsafeMutablePointer(to: &table.pointee.object) { $0 })
            case .memory(let type):
                let memory = try LinearMemory.create(type, limits: store.pointee.limits)
                try store.pointee.adoptHostMemory(memory)
                item = .memory(memory)
            default:
                continue
            }
            try define(key, .item(storeID: store.pointee.id, item))
        }
    }

    /// The default function of module `name` (its export named "" or `_start`), or a function
    /// that does nothing when there is none, as wasmtime's `get_default`.
    public func defaultFunction(_ name: UnsafeRawPointer?, _ nameLength: Int, in store: UnsafeMutablePointer<Store>,
                                diagnostic: inout Diagnostic) throws(SwasmError) -> UnsafeMutablePointer<swasm_function> {
        let start: StaticString = "_start"
        for candidate in 0..<2 {
            guard let definition = try self.definition(module: name, nameLength, name: candidate == 0 ? nil : UnsafeRawPointer(start.utf8Start),
                                                       candidate == 0 ? 0 : start.utf8CodeUnitCount) else { continue }
            guard let value = try definition.pointee.item(in: store), case .function(let function) = value else {
                diagnostic.record { (text: inout ByteBuffer) throws(SwasmError) in
                    try text.append("default export in `")
                    try text.append(name, count: nameLength)
                    try text.append("` is not a function of this store")
                }
                throw .unlinkable
            }
            return function
        }
        return try store.pointee.makeHostFunction(trampoline: NativeFunctions.doNothing, callback: nil, environment: nil, finalizer: nil,
                                                  parameters: FallibleVector(), results: FallibleVector())
    }
}

/// A module whose imports a linker resolved ahead of time (`wasmtime_instance_pre_t`): the module
/// and a snapshot of the linker's definitions.
public struct InstancePre: ~Copyable {
    public let module: Shared<CompiledModule>
    var linker: Linker

    public init(adopting module: Shared<CompiledModule>, linker: consuming Linker) {
        self.module = module
        self.linker = linker
    }

    deinit { module.release() }

    /// Checks that `linker` defines every import of `module` and takes a snapshot of it.
    public static func make(_ linker: borrowing Linker, _ module: Shared<CompiledModule>,
                            diagnostic: inout Diagnostic) throws(SwasmError) -> UnsafeMutablePointer<InstancePre> {
        try linker.checkDefined(module, diagnostic: &diagnostic)
        let snapshot = try linker.clone()
        module.retain()
        // On allocation failure `create` destroys the value, which releases the module again.
        return try Heap.create(InstancePre(adopting: module, linker: snapshot))
    }

    public func instantiate(in store: UnsafeMutablePointer<Store>, index: inout Int, diagnostic: inout Diagnostic) throws(SwasmError) -> CallOutcome {
        try linker.instantiate(module, in: store, index: &index, diagnostic: &diagnostic, asLinker: false)
    }
}
