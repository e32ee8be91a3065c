import CSwasm

/// The header every GC object starts with (docs/gc.md); its fields (a struct) or its elements
/// (an array) follow at `GCObject.dataOffset`.
public struct GCObject {
    public var type: UnsafePointer<GCType>
    /// The next object of the store's heap (every object is on one list, for sweeping).
    var next: UnsafeMutablePointer<GCObject>?
    /// An array's number of elements.
    public var length: UInt32
    /// Bit 31: marked by the running collection; bit 30: its store is gone (the host still held
    /// handles of it); bits 0-29: handles the host holds (`wasmtime_anyref_t` and friends), each
    /// of which keeps the object alive.
    var flags: UInt32

    static let markBit: UInt32 = 1 << 31
    static let detachedBit: UInt32 = 1 << 30
    static let rootMask: UInt32 = (1 << 30) &- 1
    var marked: Bool {
        get { flags & GCObject.markBit != 0 }
        set { flags = newValue ? flags | GCObject.markBit : flags & ~GCObject.markBit }
    }
    var hostRoots: UInt32 { flags & GCObject.rootMask }

    static let dataOffset = MemoryLayout<GCObject>.stride

    /// Where the object's fields or elements start.
    @inline(__always)
    static func data(_ object: UnsafeMutablePointer<GCObject>) -> UnsafeMutableRawPointer {
        UnsafeMutableRawPointer(object).advanced(by: dataOffset)
    }

    /// The object a reference word names: it must be a GC object (not null, not i31, not an
    /// internalized externref).
    @inline(__always)
    static func of(_ word: UInt64) -> UnsafeMutablePointer<GCObject> {
        UnsafeMutablePointer<GCObject>(bitPattern: UInt(word))!
    }

    /// Where field `index` of a struct, or element `index` of an array, lies, with its layout;
    /// nil for an index out of range.
    static func place(_ object: UnsafeMutablePointer<GCObject>, _ index: Int) -> (field: GCField, address: UnsafeMutableRawPointer)? {
        let type = object.pointee.type
        if type.pointee.kind == .array {
            guard index >= 0, index < Int(object.pointee.length) else { return nil }
            let field = type.pointee.field(0)
            return (field, data(object).advanced(by: index &* Int(field.size)))
        }
        guard index >= 0, index < type.pointee.fieldCount else { return nil }
        let field = type.pointee.field(index)
        return (field, data(object).advanced(by: Int(field.offset)))
    }

    /// Writes a value's slot words (`high` only for a v128) into a field or element of `size`
    /// bytes, packed values truncated.
    @inline(__always)
    static func store(_ low: UInt64, _ high: UInt64, size: UInt8, at address: UnsafeMutableRawPointer) {
        switch size {
        case 1: address.storeBytes(of: UInt8(truncatingIfNeeded: low), as: UInt8.self)
        case 2: address.storeBytes(of: UInt16(truncatingIfNeeded: low), as: UInt16.self)
        case 4: address.storeBytes(of: UInt32(truncatingIfNeeded: low), as: UInt32.self)
        case 16:
            address.storeBytes(of: low, as: UInt64.self)
            address.storeBytes(of: high, toByteOffset: 8, as: UInt64.self)
        default: address.storeBytes(of: low, as: UInt64.self)
        }
    }

    /// Reads a field or element of `size` bytes as slot words, zero-extended (`high` only for a
    /// v128).
    @inline(__always)
    static func load(size: UInt8, from address: UnsafeRawPointer) -> (low: UInt64, high: UInt64) {
        switch size {
        case 1: return (UInt64(address.load(as: UInt8.self)), 0)
        case 2: return (UInt64(address.loadUnaligned(as: UInt16.self)), 0)
        case 4: return (UInt64(address.loadUnaligned(as: UInt32.self)), 0)
        case 16: return (address.loadUnaligned(as: UInt64.self), address.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
        default: return (address.loadUnaligned(as: UInt64.self), 0)
        }
    }

    /// Bytes the object takes, header included.
    var byteCount: Int {
        if type.pointee.kind == .array { return GCObject.dataOffset &+ Int(length) &* Int(type.pointee.field(0).size) }
        return GCObject.dataOffset &+ type.pointee.dataSize
    }
}

/// A store's GC heap: its objects (allocated one by one, linked for sweeping, registered among the
/// store's live objects so that any word can be checked for being one), the bytes they take and
/// the collector's fixed mark stack. The host's handles are counted in the objects' headers.
public struct GCHeap: ~Copyable {
    var objects: UnsafeMutablePointer<GCObject>?
    public internal(set) var byteCount = 0
    public internal(set) var objectCount = 0
    /// A collection runs before an allocation that would take the heap past this; afterwards it
    /// is set to twice what survived (at least `initialThreshold`).
    var threshold = GCHeap.initialThreshold
    static let initialThreshold = 4 << 20
    /// Which arrays are too large ("allocation size too large"), as wasmtime decides it: its
    /// objects live in a 32-bit heap, with references 4 bytes wide and 44 bytes of overhead, so
    /// an array whose size counted that way passes 2^32 - 1 bytes traps; a smaller one is tried
    /// (here references take 8 bytes) and may fail for lack of memory.
    static func isTooLarge(elements length: UInt32, of field: GCField) -> Bool {
        let (bytes, overflow) = UInt64(length).multipliedReportingOverflow(by: field.isReference ? 4 : UInt64(field.size))
        return overflow || bytes &+ 44 > UInt64(UInt32.max)
    }
    /// Objects marked but not yet traced. Fixed size, made with the first object: when it is
    /// full, marking goes on by rescanning the heap (`Store.collectGarbage`), so a collection
    /// never allocates.
    var markStack: UnsafeMutablePointer<UnsafeMutablePointer<GCObject>>?
    var markHeight = 0
    var markOverflowed = false
    static let markStackCapacity = 4096
    /// Nonzero while an instance is being made: its constant expressions' objects are reachable
    /// only from the instance under construction, so allocations then never collect.
    var collectionsInhibited = 0
    /// A collection is running (a finalizer it runs may call back into the store: a nested
    /// collection then does nothing).
    var collecting = false
    /// Statistics: collections run, and the longest and total pause, in nanoseconds.
    public internal(set) var collections = 0
    public internal(set) var longestPause: UInt64 = 0
    public internal(set) var totalPause: UInt64 = 0
    /// Stress mode (`SWASM_GC_STRESS=1` in the environment, for tests): every allocation that may
    /// collect does, and freed objects are overwritten first, so that a reference the stack maps
    /// missed shows up at once as a wrong value or a trap.
    var stress = cswasm_gc_stress_requested()

    public init() {}

    deinit {
        var object = objects
        while let current = object {
            object = current.pointee.next
            // An object the host still holds handles of outlives the store until they are
            // unrooted (its handles no longer pass any store's checks), as externref boxes do.
            if current.pointee.hostRoots > 0 { current.pointee.flags |= GCObject.detachedBit } else { Heap.free(current) }
        }
        Heap.free(markStack)
    }
}

extension LiveObjectKind {
    public static let gcObject: UInt8 = 7
}

/// Allocation, roots and collection.
extension Store {
    /// A new object of `type`, zeroed, with `dataBytes` of fields or elements (`length` elements
    /// for an array). When the heap would pass its threshold or the store's limit, it is
    /// collected first (unless an instance is being made). Throws `.outOfMemory` when the limit still leaves no room or memory runs out (an
    /// allocation that failed is not retried: error paths allocate nothing more; the next one
    /// collects first), or `.trap`
    /// for an object larger than any heap holds ("allocation size too large").
    mutating func allocateObject(_ type: UnsafePointer<GCType>, dataBytes: UInt64, length: UInt32) throws(SwasmError) -> UnsafeMutablePointer<GCObject> {
        if type.pointee.kind == .array, GCHeap.isTooLarge(elements: length, of: type.pointee.field(0)) { throw .trap }
        let size = GCObject.dataOffset &+ Int(dataBytes)
        if gc.markStack == nil {
            gc.markStack = try Heap.allocate(UnsafeMutablePointer<GCObject>.self, count: GCHeap.markStackCapacity)
        }
        var limit = limits.memorySize.map { Int(clamping: $0) } ?? Int.max
        if let total = limits.totalBytes {
            // What the rest of the store holds leaves the heap the remainder of the total.
            let others = held.total
            limit = Swift.min(limit, total > others ? Int(clamping: total &- others) : 0)
        }
        if gc.byteCount &+ size > gc.threshold || gc.byteCount &+ size > limit || gc.stress, gc.collectionsInhibited == 0 {
            collectGarbage()
        }
        guard gc.byteCount &+ size <= limit else { throw .outOfMemory }
        do {
            return try allocateUnchecked(type, size: size, length: length)
        } catch {
            // Memory ran out (a pooled store's arena is full, say) while garbage may be waiting:
            // the next allocation collects first, so that a store whose call failed recovers.
            // Not now: error paths allocate nothing more.
            if error == .outOfMemory { gc.threshold = 0 }
            throw error
        }
    }

    private mutating func allocateUnchecked(_ type: UnsafePointer<GCType>, size: Int, length: UInt32) throws(SwasmError) -> UnsafeMutablePointer<GCObject> {
        let raw = try Heap.allocateZeroed(UInt8.self, count: size)
        do {
            try register(UnsafeMutableRawPointer(raw), LiveObjectKind.gcObject)
        } catch {
            Heap.free(raw)
            throw error
        }
        let object = UnsafeMutableRawPointer(raw).bindMemory(to: GCObject.self, capacity: 1)
        object.initialize(to: GCObject(type: type, next: gc.objects, length: length, flags: 0))
        gc.objects = object
        gc.byteCount &+= size
        gc.objectCount &+= 1
        return object
    }

    /// Whether `word` names a live GC object of this store.
    public mutating func isObject(_ word: UInt64) -> Bool {
        word != 0 && word & 7 == 0 && isLive(UnsafeRawPointer(bitPattern: UInt(word)), LiveObjectKind.gcObject)
    }

    // MARK: roots the host holds

    /// Whether a valid, non-null, non-i31 reference word names a GC object (rather than an
    /// externref box): untagged words of the any hierarchy and tagged ones of the extern
    /// hierarchy (docs/gc.md).
    @inline(__always)
    static func namesObject(_ word: UInt64, anyHierarchy: Bool) -> Bool { (word & 2 == 0) == anyHierarchy }

    /// Counts one more host handle of the reference `word` (of the any hierarchy, or else the
    /// extern one): a GC object's or an externref box's; nothing for null and i31. The word
    /// must name a live object or box (the caller checked it, or it comes from running code).
    public static func rootReference(_ word: UInt64, anyHierarchy: Bool) {
        guard word != 0, word & 1 == 0 else { return }
        let address = UInt(truncatingIfNeeded: word & ~7)
        if namesObject(word, anyHierarchy: anyHierarchy) {
            let object = UnsafeMutablePointer<GCObject>(bitPattern: address)!
            if object.pointee.hostRoots < GCObject.rootMask { object.pointee.flags &+= 1 }
        } else {
            UnsafeMutablePointer<ExternRefBox>(bitPattern: address)!.pointee.hostRoots &+= 1
        }
    }

    /// Releases one host handle of `word` (as `rootReference` counted it).
    public static func unrootReference(_ word: UInt64, anyHierarchy: Bool) {
        guard word != 0, word & 1 == 0 else { return }
        let address = UInt(truncatingIfNeeded: word & ~7)
        if namesObject(word, anyHierarchy: anyHierarchy) {
            let object = UnsafeMutablePointer<GCObject>(bitPattern: address)!
            if object.pointee.hostRoots > 0 { object.pointee.flags &-= 1 }
            if object.pointee.hostRoots == 0 && object.pointee.flags & GCObject.detachedBit != 0 { Heap.free(object) }
        } else {
            ExternRefBox.unroot(UnsafeMutablePointer<ExternRefBox>(bitPattern: address)!)
        }
    }

    /// Whether `word` is a reference of this store of the any hierarchy (`anyHierarchy`) or the
    /// extern one: null, an i31, or a live object or box with the hierarchy's tag.
    public mutating func isReference(_ word: UInt64, anyHierarchy: Bool) -> Bool {
        guard word != 0 else { return true }
        guard word & 1 == 0 else { return word >> 32 == 0 } // an i31: 31 bits, shifted and tagged
        guard word & 5 == 0 else { return false } // tag 2 only
        let address = UnsafeRawPointer(bitPattern: UInt(truncatingIfNeeded: word & ~7))
        return isLive(address, Self.namesObject(word, anyHierarchy: anyHierarchy) ? LiveObjectKind.gcObject : LiveObjectKind.externRef)
    }

    // MARK: raw references

    /// The raw form of an any-hierarchy reference (0 for null, or when the table entry it needs
    /// cannot be allocated): an i31 is its own word; an object or internalized externref is
    /// numbered in `rawReferences`. Raw values do not keep objects alive.
    public mutating func rawAnyReference(_ word: UInt64) -> UInt32 {
        guard word != 0 else { return 0 }
        if word & 1 != 0 { return UInt32(truncatingIfNeeded: word) }
        var free = -1
        for index in 0..<rawReferences.count {
            if rawReferences[index] == word { return UInt32(truncatingIfNeeded: (index &+ 1) &* 2) }
            if rawReferences[index] == 0 && free < 0 { free = index }
        }
        if free < 0 {
            guard rawReferences.count < Int(UInt32.max / 2) &- 1, (try? rawReferences.append(word)) != nil else { return 0 }
            free = rawReferences.count &- 1
        }
        rawReferences[free] = word
        return UInt32(truncatingIfNeeded: (free &+ 1) &* 2)
    }

    /// The reference a raw any-hierarchy value names (0 for 0, or for a number that names nothing
    /// live).
    public mutating func anyReference(raw: UInt32) -> UInt64 {
        guard raw != 0 else { return 0 }
        if raw & 1 != 0 { return UInt64(raw) }
        let index = Int(raw / 2) &- 1
        guard index < rawReferences.count else { return 0 }
        let word = rawReferences[index]
        return word != 0 && isReference(word, anyHierarchy: true) ? word : 0
    }

    // MARK: collection

    /// Frees every GC object and finalizes every externref box that nothing reaches: the roots
    /// are the slots the stack maps name in the frames of calls in progress (walked from the
    /// safepoints, Runtime/Safepoints.swift) and the arguments of running host functions,
    /// globals, tables and element segments of every instance and of the host, exceptions, and
    /// the objects and boxes the host holds handles of. Allocates nothing.
    public mutating func collectGarbage() {
        guard !gc.collecting else { return }
        gc.collecting = true
        defer { gc.collecting = false }
        let start = cswasm_monotonic_nanoseconds()
        for index in 0..<externRefs.count { externRefs[index].pointee.marked = false }
        markRoots()
        drainMarkStack()
        while gc.markOverflowed {
            // Some marked objects were not traced: trace every marked object again.
            gc.markOverflowed = false
            var object = gc.objects
            while let current = object {
                if current.pointee.marked { traceChildren(current); drainMarkStack() }
                object = current.pointee.next
            }
        }
        sweep()
        gc.threshold = max(GCHeap.initialThreshold, gc.byteCount &* 2)
        let pause = cswasm_monotonic_nanoseconds() &- start
        gc.collections &+= 1
        gc.totalPause &+= pause
        gc.longestPause = max(gc.longestPause, pause)
    }

    private mutating func markRoots() {
        for position in 0..<instances.count {
            let instance = instances[position]
            let description = withUnsafeMutablePointer(to: &instance.pointee.module.pointer.pointee.description) { UnsafePointer($0) }
            let definedGlobals = description.pointee.globals.count &- description.pointee.importedGlobalCount
            markWords(instance.pointee.globalCells, count: definedGlobals &* 2)
            if let tables = instance.pointee.tables {
                for table in 0..<instance.pointee.definedTableCount { markWords(tables[table].elements, count: Int(tables[table].size)) }
            }
            if let segments = instance.pointee.elementSegments {
                for segment in 0..<instance.pointee.elementSegmentCount {
                    markWords(segments[segment].bytes.map { UnsafeRawPointer($0).assumingMemoryBound(to: UInt64.self) }, count: Int(segments[segment].size))
                }
            }
        }
        for position in 0..<hostGlobals.count { markWords(hostGlobals[position].pointee.object.cell, count: 2) }
        for position in 0..<hostTables.count {
            let table = hostTables[position].pointee.object.table
            markWords(table.pointee.elements, count: Int(table.pointee.size))
        }
        for position in 0..<exceptions.count {
            guard let object = exceptions[position].object else { continue }
            markWords(object.pointee.values, count: object.pointee.tag.pointee.slotWidth)
        }
        // Objects the host holds handles of.
        var object = gc.objects
        while let current = object {
            if current.pointee.hostRoots > 0 { markWord(UInt64(UInt(bitPattern: current))) }
            object = current.pointee.next
        }
        markFrames()
    }

    private mutating func markWords(_ words: UnsafePointer<UInt64>?, count: Int) {
        guard let words else { return }
        for position in 0..<count { markWord(words[position]) }
    }

    private mutating func markWords(_ words: UnsafeMutablePointer<UInt64>?, count: Int) {
        markWords(words.map { UnsafePointer($0) }, count: count)
    }

    /// Marks what a word names, if it names a live object or box (a reference of either
    /// hierarchy: tag bit 1 set or not); anything else is ignored.
    @inline(__always)
    mutating func markWord(_ word: UInt64) {
        guard word != 0, word & 1 == 0 else { return }
        let address = UInt(truncatingIfNeeded: word & ~7)
        guard address != 0, let kind = liveObjects.withValue(for: AddressKey(address: address), { $0 }) else { return }
        if kind == LiveObjectKind.gcObject {
            let object = UnsafeMutablePointer<GCObject>(bitPattern: address)!
            guard !object.pointee.marked else { return }
            object.pointee.marked = true
            if gc.markHeight < GCHeap.markStackCapacity, let stack = gc.markStack {
                stack[gc.markHeight] = object
                gc.markHeight &+= 1
            } else {
                gc.markOverflowed = true
            }
        } else if kind == LiveObjectKind.externRef {
            UnsafeMutablePointer<ExternRefBox>(bitPattern: address)!.pointee.marked = true
        }
    }

    private mutating func drainMarkStack() {
        while gc.markHeight > 0, let stack = gc.markStack {
            gc.markHeight &-= 1
            traceChildren(stack[gc.markHeight])
        }
    }

    /// Marks the objects an object's reference fields or elements name.
    private mutating func traceChildren(_ object: UnsafeMutablePointer<GCObject>) {
        let type = object.pointee.type
        let data = GCObject.data(object)
        if type.pointee.kind == .array {
            guard type.pointee.field(0).isReference else { return }
            let elements = data.assumingMemoryBound(to: UInt64.self)
            for index in 0..<Int(object.pointee.length) { markWord(elements[index]) }
            return
        }
        for index in 0..<type.pointee.fieldCount {
            let field = type.pointee.field(index)
            if field.isReference { markWord(data.load(fromByteOffset: Int(field.offset), as: UInt64.self)) }
        }
    }

    /// Frees unmarked objects and boxes (boxes the host holds stay), and clears the marks.
    private mutating func sweep() {
        var previous: UnsafeMutablePointer<GCObject>? = nil
        var object = gc.objects
        while let current = object {
            let next = current.pointee.next
            if current.pointee.marked {
                current.pointee.marked = false
                previous = current
            } else {
                if let previous { previous.pointee.next = next } else { gc.objects = next }
                gc.byteCount &-= current.pointee.byteCount
                gc.objectCount &-= 1
                unregister(UnsafeMutableRawPointer(current))
                if gc.stress { UnsafeMutableRawPointer(current).initializeMemory(as: UInt8.self, repeating: 0xdb, count: current.pointee.byteCount) }
                Heap.free(current)
            }
            object = next
        }
        var kept = 0
        for position in 0..<externRefs.count {
            let box = externRefs[position]
            if box.pointee.marked || box.pointee.hostRoots > 0 {
                externRefs[kept] = box
                kept &+= 1
            } else {
                unregister(UnsafeMutableRawPointer(box))
                Heap.destroy(box)
            }
        }
        while externRefs.count > kept { _ = externRefs.popLast() }
        for index in 0..<rawReferences.count where rawReferences[index] != 0 && !isReference(rawReferences[index], anyHierarchy: true) {
            rawReferences[index] = 0
        }
    }
}
