/// A key usable in `FallibleHashMap`: a stable 64-bit hash (no per-process random seed, so it works
/// the same in the Embedded build) and equality.
public protocol HashMapKey: ~Copyable {
    var hashCode: UInt64 { get }
    func isEqual(to other: borrowing Self) -> Bool
}

/// FNV-1a over bytes: the hash used for names.
@inline(__always)
public func fnv1aHash(_ bytes: UnsafeRawPointer?, count: Int, seed: UInt64 = 0xcbf2_9ce4_8422_2325) -> UInt64 {
    var hash = seed
    guard let bytes else { return hash }
    for index in 0..<count {
        hash = (hash ^ UInt64(bytes.load(fromByteOffset: index, as: UInt8.self))) &* 0x100_0000_01b3
    }
    return hash
}

/// An open-addressing hash map (linear probing, tombstones) whose insertions fail with
/// `SwasmError.outOfMemory` instead of aborting. A failed insertion leaves the map unchanged.
public struct FallibleHashMap<Key: HashMapKey & ~Copyable, Value: ~Copyable>: ~Copyable {
    // Slot states live in `hashes`: 0 empty, 1 deleted, otherwise the key's hash with bit 1 forced.
    private var hashes: UnsafeMutablePointer<UInt64>?
    private var keys: UnsafeMutablePointer<Key>?
    private var values: UnsafeMutablePointer<Value>?
    private var slotCount = 0
    private var usedSlots = 0 // live entries plus tombstones
    public private(set) var count = 0

    public init() {}

    deinit {
        for slot in 0..<slotCount where hashes![slot] > 1 {
            keys!.advanced(by: slot).deinitialize(count: 1)
            values!.advanced(by: slot).deinitialize(count: 1)
        }
        Heap.free(hashes)
        Heap.free(keys)
        Heap.free(values)
    }

    @inline(__always)
    private static func storedHash(_ hash: UInt64) -> UInt64 { hash | 2 }

    /// Slot of the entry whose key matches, if any.
    private func findSlot(hash: UInt64, matches: (borrowing Key) -> Bool) -> Int? {
        guard slotCount > 0 else { return nil }
        let wanted = Self.storedHash(hash)
        let mask = slotCount &- 1
        var slot = Int(truncatingIfNeeded: wanted) & mask
        for _ in 0..<slotCount {
            let state = hashes![slot]
            if state == 0 { return nil }
            if state == wanted && matches(keys![slot]) { return slot }
            slot = (slot &+ 1) & mask
        }
        return nil
    }

    public func contains(_ key: borrowing Key) -> Bool {
        findSlot(hash: key.hashCode, matches: { key.isEqual(to: $0) }) != nil
    }

    /// Looks up by a hash and a predicate, for probing with something other than a `Key`
    /// (for example borrowed name bytes).
    public func withValue<R>(hash: UInt64, matching matches: (borrowing Key) -> Bool,
                             _ body: (borrowing Value) -> R) -> R? {
        guard let slot = findSlot(hash: hash, matches: matches) else { return nil }
        return body(values![slot])
    }

    public func withValue<R>(for key: borrowing Key, _ body: (borrowing Value) -> R) -> R? {
        withValue(hash: key.hashCode, matching: { key.isEqual(to: $0) }, body)
    }

    /// Address of the value stored for `key`, valid until the map next changes.
    public func valuePointer(for key: borrowing Key) -> UnsafeMutablePointer<Value>? {
        guard let slot = findSlot(hash: key.hashCode, matches: { key.isEqual(to: $0) }) else { return nil }
        return values!.advanced(by: slot)
    }

    /// Inserts or replaces. Returns the previous value when the key was present.
    @discardableResult
    public mutating func insert(_ key: consuming Key, _ value: consuming Value) throws(SwasmError) -> Value? {
        let hash = key.hashCode
        if let slot = findSlot(hash: hash, matches: { key.isEqual(to: $0) }) {
            let old = values!.advanced(by: slot).move()
            values!.advanced(by: slot).initialize(to: value)
            return old
        }
        // Keep the load (including tombstones) at most 3/4.
        let (needed, overflow) = (usedSlots &+ 1).multipliedReportingOverflow(by: 4)
        if overflow { throw .outOfMemory }
        if needed > slotCount &* 3 { try rehash(minimumLive: count &+ 1) }
        let wanted = Self.storedHash(hash)
        let mask = slotCount &- 1
        var slot = Int(truncatingIfNeeded: wanted) & mask
        while hashes![slot] > 1 { slot = (slot &+ 1) & mask }
        if hashes![slot] == 0 { usedSlots &+= 1 }
        hashes![slot] = wanted
        keys!.advanced(by: slot).initialize(to: key)
        values!.advanced(by: slot).initialize(to: value)
        count &+= 1
        return nil
    }

    /// Removes the entry for `key`, returning its value.
    public mutating func remove(_ key: borrowing Key) -> Value? {
        guard let slot = findSlot(hash: key.hashCode, matches: { key.isEqual(to: $0) }) else { return nil }
        hashes![slot] = 1
        keys!.advanced(by: slot).deinitialize(count: 1)
        count &-= 1
        return values!.advanced(by: slot).move()
    }

    /// Calls `body` for every entry, in no particular order.
    public func forEach(_ body: (borrowing Key, borrowing Value) -> Void) {
        for slot in 0..<slotCount where hashes![slot] > 1 {
            body(keys![slot], values![slot])
        }
    }

    private mutating func rehash(minimumLive: Int) throws(SwasmError) {
        var newCount = 8
        while newCount &* 3 < minimumLive &* 4 {
            let (doubled, overflow) = newCount.multipliedReportingOverflow(by: 2)
            if overflow { throw .outOfMemory }
            newCount = doubled
        }
        if newCount < slotCount { newCount = slotCount } // tombstone cleanup keeps the size
        let newHashes = try Heap.allocateZeroed(UInt64.self, count: newCount)
        let newKeys: UnsafeMutablePointer<Key>
        let newValues: UnsafeMutablePointer<Value>
        do {
            // Heap.allocate checks the size for overflow and throws .outOfMemory on failure; never aborts.
            newKeys = try Heap.allocate(Key.self, count: newCount)
        } catch {
            Heap.free(newHashes)
            throw error
        }
        do {
            // Heap.allocate checks the size for overflow and throws .outOfMemory on failure; never aborts.
            newValues = try Heap.allocate(Value.self, count: newCount)
        } catch {
            Heap.free(newHashes)
            Heap.free(newKeys)
            throw error
        }
        let mask = newCount &- 1
        for slot in 0..<slotCount where hashes![slot] > 1 {
            let state = hashes![slot]
            var target = Int(truncatingIfNeeded: state) & mask
            while newHashes[target] != 0 { target = (target &+ 1) & mask }
            newHashes[target] = state
            newKeys.advanced(by: target).initialize(to: keys!.advanced(by: slot).move())
            newValues.advanced(by: target).initialize(to: values!.advanced(by: slot).move())
        }
        Heap.free(hashes)
        Heap.free(keys)
        Heap.free(values)
        hashes = newHashes
        keys = newKeys
        values = newValues
        slotCount = newCount
        usedSlots = count
    }
}

extension ByteBuffer: HashMapKey {
    public var hashCode: UInt64 { fnv1aHash(bytes.map { UnsafeRawPointer($0) }, count: count) }
    public func isEqual(to other: borrowing ByteBuffer) -> Bool {
        equals(other.bytes.map { UnsafeRawPointer($0) }, count: other.count)
    }
}
