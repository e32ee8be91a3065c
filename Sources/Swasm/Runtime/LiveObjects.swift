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

/// An array of objects of one kind that an instance defines (its function records, global and
/// table objects), registered as a whole: an instance of a module with thousands of functions
/// adds one entry, not thousands.
struct LiveRange: BitwiseCopyable {
    var start: UInt
    var end: UInt
    var stride: UInt
    var kind: UInt8
}

extension Store {
    /// Records a live object; fails only for lack of memory.
    public mutating func register(_ object: UnsafeMutableRawPointer, _ kind: UInt8) throws(SwasmError) {
        _ = try liveObjects.insert(AddressKey(address: UInt(bitPattern: object)), kind)
    }

    public mutating func unregister(_ object: UnsafeMutableRawPointer) {
        forgetRemembered()
        _ = liveObjects.remove(AddressKey(address: UInt(bitPattern: object)))
    }

    /// Forgets the last object `isLive` found and the last callee's signature: an object goes.
    private mutating func forgetRemembered() {
        lastLiveObject = 0
        lastCallee = 0
    }

    /// Whether `object` is a live object of this store of `kind`. The last object found live is
    /// remembered (a host calling one function in a loop names it again and again) until any
    /// object goes.
    public mutating func isLive(_ object: UnsafeRawPointer?, _ kind: UInt8) -> Bool {
        guard let object else { return false }
        let address = UInt(bitPattern: object)
        if address == lastLiveObject && kind == lastLiveKind { return true }
        guard (liveObjects.withValue(for: AddressKey(address: address), { $0 }) ?? rangeKind(of: address)) == kind else { return false }
        lastLiveObject = address
        lastLiveKind = kind
        return true
    }

    /// The kind of the object at `address` in one of the registered ranges, if any: the last
    /// range starting at or below it (binary search), if it covers the address at an element.
    mutating func rangeKind(of address: UInt) -> UInt8? {
        guard let base = liveRanges.base else { return nil }
        var low = 0, high = liveRanges.count
        while low < high {
            let middle = (low &+ high) >> 1
            if base[middle].start <= address { low = middle &+ 1 } else { high = middle }
        }
        guard low > 0 else { return nil }
        let range = base[low &- 1]
        guard address < range.end, (address &- range.start) % range.stride == 0 else { return nil }
        return range.kind
    }

    /// Registers `count` objects of `stride` bytes from `start` (none when `count` is 0).
    mutating func registerRange(_ start: UnsafeMutableRawPointer, count: Int, stride: Int, _ kind: UInt8) throws(SwasmError) {
        guard count > 0 else { return }
        let first = UInt(bitPattern: start)
        let range = LiveRange(start: first, end: first &+ UInt(count) &* UInt(stride), stride: UInt(stride), kind: kind)
        try liveRanges.append(range)
        // Kept ordered by start (ranges never overlap: they are separate allocations).
        let base = liveRanges.base!
        var index = liveRanges.count &- 1
        while index > 0 && base[index &- 1].start > first {
            base[index] = base[index &- 1]
            index &-= 1
        }
        base[index] = range
    }

    mutating func unregisterRange(_ start: UnsafeMutableRawPointer) {
        forgetRemembered()
        guard let base = liveRanges.base else { return }
        let first = UInt(bitPattern: start)
        var found = 0
        while found < liveRanges.count && base[found].start != first { found &+= 1 }
        guard found < liveRanges.count else { return }
        for index in found..<(liveRanges.count &- 1) { base[index] = base[index &+ 1] }
        _ = liveRanges.popLast()
    }

    /// Takes ownership of a host-made function, global, table or memory and registers it; on
    /// failure it is destroyed (and its finalizer runs).
    public mutating func adoptHostFunction(_ function: UnsafeMutablePointer<HostFunction>) throws(SwasmError) {
        let cost = try hostObjectCost(function, record: MemoryLayout<HostFunction>.stride)
        try Self.adoptRegistered(function, UnsafeMutableRawPointer(function), LiveObjectKind.function, registry: &liveObjects, into: &hostFunctions)
        held.add(cost)
    }

    public mutating func adoptHostGlobal(_ global: UnsafeMutablePointer<HostGlobal>) throws(SwasmError) {
        let cost = try hostObjectCost(global, record: MemoryLayout<HostGlobal>.stride)
        let object = UnsafeMutableRawPointer(withUnsafeMutablePointer(to: &global.pointee.object) { $0 })
        try Self.adoptRegistered(global, object, LiveObjectKind.global, registry: &liveObjects, into: &hostGlobals)
        held.add(cost)
    }

    public mutating func adoptHostTable(_ table: UnsafeMutablePointer<HostTable>) throws(SwasmError) {
        let cost = try hostObjectCost(table, record: MemoryLayout<HostTable>.stride, tableElements: table.pointee.object.table.pointee.size)
        let object = UnsafeMutableRawPointer(withUnsafeMutablePointer(to: &table.pointee.object) { $0 })
        try Self.adoptRegistered(table, object, LiveObjectKind.table, registry: &liveObjects, into: &hostTables)
        held.add(cost)
    }

    public mutating func adoptHostTag(_ tag: UnsafeMutablePointer<TagInstance>) throws(SwasmError) {
        let cost = try hostObjectCost(tag, record: MemoryLayout<TagInstance>.stride)
        try Self.adoptRegistered(tag, UnsafeMutableRawPointer(tag), LiveObjectKind.tag, registry: &liveObjects, into: &hostTags)
        held.add(cost)
    }

    public mutating func adoptHostMemory(_ memory: UnsafeMutablePointer<LinearMemory>) throws(SwasmError) {
        let cost = try hostObjectCost(memory, record: MemoryLayout<LinearMemory>.stride, memoryBytes: memory.pointee.byteCount)
        try Self.adoptRegistered(memory, UnsafeMutableRawPointer(memory), LiveObjectKind.memory, registry: &liveObjects, into: &hostMemories)
        held.add(cost)
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
        let description = withUnsafeMutablePointer(to: &instance.pointee.module.pointer.pointee.description) { UnsafePointer($0) }
        let functions = UnsafeMutableRawPointer(instance.pointee.definedFunctions)
        let globals = UnsafeMutableRawPointer(instance.pointee.globalObjects)
        let tables = instance.pointee.tableObjects.map { UnsafeMutableRawPointer($0) }
        var registered = 0
        do {
            try registerRange(functions, count: instance.pointee.functionCount &- description.pointee.importedFunctionCount,
                              stride: MemoryLayout<swasm_function>.stride, LiveObjectKind.function)
            registered = 1
            try registerRange(globals, count: description.pointee.globals.count, stride: MemoryLayout<GlobalObject>.stride, LiveObjectKind.global)
            registered = 2
            if let tables {
                try registerRange(tables, count: description.pointee.tables.count, stride: MemoryLayout<TableObject>.stride, LiveObjectKind.table)
            }
            registered = 3
            try Self.forEachObject(of: instance) { (object, kind) throws(SwasmError) in try register(object, kind) }
        } catch {
            if registered > 0 { unregisterRange(functions) }
            if registered > 1 { unregisterRange(globals) }
            if registered > 2, let tables { unregisterRange(tables) }
            try? Self.forEachObject(of: instance) { (object, _) in unregister(object) }
            throw error
        }
    }

    private static func forEachObject(of instance: UnsafeMutablePointer<Instance>,
                                        _ body: (UnsafeMutableRawPointer, UInt8) throws(SwasmError) -> Void) throws(SwasmError) {
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
