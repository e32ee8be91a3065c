import CSwasm

/// The objects of a store that C handles may name (function records, global, table and memory
/// objects, externref boxes), by address and kind. Handles are pointers, so every handle or
/// reference that comes in from the host is looked up here before it is used: a forged pointer,
/// another kind's object or one that no longer exists is refused instead of dereferenced.
public enum LiveObjectKind {
    public static let function: UInt8 = 1
    public static let global: UInt8 = 2
    public static let table: UInt8 = 3
    public static let memory: UInt8 = 4
    public static let externRef: UInt8 = 5
    public static let tag: UInt8 = 6
}

extension Store {
    /// Records a live object; fails only for lack of memory.
    public mutating func register(_ object: UnsafeMutableRawPointer, _ kind: UInt8) throws(SwasmError) {
        _ = try liveObjects.insert(AddressKey(address: UInt(bitPattern: object)), kind)
    }

    public mutating func unregister(_ object: UnsafeMutableRawPointer) {
        _ = liveObjects.remove(AddressKey(address: UInt(bitPattern: object)))
    }

    /// Whether `object` is a live object of this store of `kind`.
    public func isLive(_ object: UnsafeRawPointer?, _ kind: UInt8) -> Bool {
        guard let object else { return false }
        return liveObjects.withValue(for: AddressKey(address: UInt(bitPattern: object))) { $0 == kind } ?? false
    }

    /// Takes ownership of a host-made function, global, table or memory and registers it; on
    /// failure it is destroyed (and its finalizer runs).
    public mutating func adoptHostFunction(_ function: UnsafeMutablePointer<HostFunction>) throws(SwasmError) {
        try Self.adoptRegistered(function, UnsafeMutableRawPointer(function), LiveObjectKind.function, registry: &liveObjects, into: &hostFunctions)
    }

    public mutating func adoptHostGlobal(_ global: UnsafeMutablePointer<HostGlobal>) throws(SwasmError) {
        let object = UnsafeMutableRawPointer(withUnsafeMutablePointer(to: &global.pointee.object) { $0 })
        try Self.adoptRegistered(global, object, LiveObjectKind.global, registry: &liveObjects, into: &hostGlobals)
    }

    public mutating func adoptHostTable(_ table: UnsafeMutablePointer<HostTable>) throws(SwasmError) {
        let object = UnsafeMutableRawPointer(withUnsafeMutablePointer(to: &table.pointee.object) { $0 })
        try Self.adoptRegistered(table, object, LiveObjectKind.table, registry: &liveObjects, into: &hostTables)
    }

    public mutating func adoptHostTag(_ tag: UnsafeMutablePointer<TagInstance>) throws(SwasmError) {
        try Self.adoptRegistered(tag, UnsafeMutableRawPointer(tag), LiveObjectKind.tag, registry: &liveObjects, into: &hostTags)
    }

    public mutating func adoptHostMemory(_ memory: UnsafeMutablePointer<LinearMemory>) throws(SwasmError) {
        try Self.adoptRegistered(memory, UnsafeMutableRawPointer(memory), LiveObjectKind.memory, registry: &liveObjects, into: &hostMemories)
    }

    private static func adoptRegistered<T: ~Copyable>(_ owner: UnsafeMutablePointer<T>, _ object: UnsafeMutableRawPointer, _ kind: UInt8,
                                                      registry: inout FallibleHashMap<AddressKey, UInt8>,
                                                      into list: inout FallibleVector<UnsafeMutablePointer<T>>) throws(SwasmError) {
        let key = AddressKey(address: UInt(bitPattern: object))
        do {
            _ = try registry.insert(key, kind)
        } catch {
            Heap.destroy(owner)
            throw error
        }
        do {
            try list.append(owner)
        } catch {
            _ = registry.remove(key)
            Heap.destroy(owner)
            throw error
        }
    }

    /// Registers what an instance defines and what its exports hand out: its functions' records,
    /// its global and table objects (imported ones included: each instance has its own objects)
    /// and the memory it made. On failure nothing of it stays registered.
    mutating func registerObjects(of instance: UnsafeMutablePointer<Instance>) throws(SwasmError) {
        do {
            try Self.forEachObject(of: instance) { (object, kind) throws(SwasmError) in try register(object, kind) }
        } catch {
            try? Self.forEachObject(of: instance) { (object, _) in unregister(object) }
            throw error
        }
    }

    private static func forEachObject(of instance: UnsafeMutablePointer<Instance>,
                                        _ body: (UnsafeMutableRawPointer, UInt8) throws(SwasmError) -> Void) throws(SwasmError) {
        let description = withUnsafeMutablePointer(to: &instance.pointee.module.pointer.pointee.description) { UnsafePointer($0) }
        let defined = instance.pointee.functionCount &- description.pointee.importedFunctionCount
        for index in 0..<defined {
            try body(UnsafeMutableRawPointer(instance.pointee.definedFunctions.advanced(by: index)), LiveObjectKind.function)
        }
        for index in 0..<description.pointee.globals.count {
            try body(UnsafeMutableRawPointer(instance.pointee.globalObjects.advanced(by: index)), LiveObjectKind.global)
        }
        if let tables = instance.pointee.tableObjects {
            for index in 0..<description.pointee.tables.count {
                try body(UnsafeMutableRawPointer(tables.advanced(by: index)), LiveObjectKind.table)
            }
        }
        if let tags = instance.pointee.tags {
            for index in instance.pointee.importedTagCount..<instance.pointee.tagCount {
                if let tag = tags[index] { try body(UnsafeMutableRawPointer(tag), LiveObjectKind.tag) }
            }
        }
        if let memories = instance.pointee.memories {
            for index in instance.pointee.importedMemoryCount..<instance.pointee.memoryCount {
                if let memory = memories[index] { try body(UnsafeMutableRawPointer(memory), LiveObjectKind.memory) }
            }
        }
    }
}
