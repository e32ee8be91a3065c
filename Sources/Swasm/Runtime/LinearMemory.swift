import CSwasm

/// A linear memory: a heap buffer with an explicit size, grown with fallible reallocation, so
/// that `memory.grow` under memory pressure returns -1 instead of failing the process.
public struct LinearMemory: ~Copyable {
    /// Base address and size in bytes. Compiled code reads both through pointers to these
    /// fields, so a `LinearMemory` lives in a heap cell that never moves.
    public var base: UnsafeMutablePointer<UInt8>?
    public var byteCount: UInt64
    public var type: MemoryType
    /// Owners of a shared memory (instances of any store, host handles, linkers); it is freed
    /// when the last one releases it. A memory that is not shared has one owner.
    var owners = AtomicRefCount()

    public static let pageSize: UInt64 = 65536

    /// The memory whose `base` field is at `field` (compiled code knows memories by that address;
    /// `base` is the first stored property).
    static func owning(baseField field: UnsafeMutablePointer<UnsafeMutablePointer<UInt8>?>) -> UnsafeMutablePointer<LinearMemory> {
        UnsafeMutableRawPointer(field).assumingMemoryBound(to: LinearMemory.self)
    }

    /// The memory `view` shows to compiled code (`swasm_memory`: `base` and `byteCount` are the
    /// first stored properties, checked by a unit test).
    static func owning(_ view: UnsafeMutablePointer<swasm_memory>) -> UnsafeMutablePointer<LinearMemory> {
        UnsafeMutableRawPointer(view).assumingMemoryBound(to: LinearMemory.self)
    }

    /// A memory of `type`'s minimum size, zero-filled.
    public static func create(_ type: MemoryType, limits: StoreLimits) throws(SwasmError) -> UnsafeMutablePointer<LinearMemory> {
        // Limits no valid module could declare (a minimum beyond the index space or above the
        // maximum) are refused, as wasmtime refuses them (it aborts).
        guard type.limits.minimum <= type.maximumPages, type.limits.maximum.map({ $0 >= type.limits.minimum }) ?? true else { throw .limitExceeded }
        let pageBytes = UInt64(1) << UInt64(type.pageSizeLog2)
        let (bytes, overflow) = type.limits.minimum.multipliedReportingOverflow(by: pageBytes)
        guard !overflow, bytes <= UInt64(Int.max) else { throw .limitExceeded }
        if let limit = limits.memorySize, bytes > limit { throw .limitExceeded }
        var base: UnsafeMutablePointer<UInt8>? = nil
        if type.isShared {
            // A shared memory never moves (other threads access it): its maximum is reserved
            // now, zero pages the kernel maps when first touched.
            let maximum = type.limits.maximum ?? type.limits.minimum
            let (reserved, tooLarge) = maximum.multipliedReportingOverflow(by: pageBytes)
            guard !tooLarge, reserved <= UInt64(Int.max) else { throw .limitExceeded }
            if reserved > 0 { base = try Heap.allocateZeroed(UInt8.self, count: Int(reserved)) }
        } else if bytes > 0 {
            base = try Heap.allocateZeroed(UInt8.self, count: Int(bytes))
        }
        let memory = LinearMemory(base: base, byteCount: bytes, type: type)
        do {
            return try Heap.create(memory)
        } catch {
            throw error
        }
    }

    deinit { Heap.free(base) }

    /// Another owner of a shared memory.
    public static func retain(_ memory: UnsafeMutablePointer<LinearMemory>) {
        AtomicRefCount.retain(withUnsafeMutablePointer(to: &memory.pointee.owners) { $0 })
    }

    /// Drops an owner: a memory that is not shared, or the last owner of a shared one, is freed.
    public static func release(_ memory: UnsafeMutablePointer<LinearMemory>) {
        if memory.pointee.type.isShared && !AtomicRefCount.release(withUnsafeMutablePointer(to: &memory.pointee.owners) { $0 }) { return }
        Heap.destroy(memory)
    }

    /// The size in bytes, read atomically (a shared memory grows from any thread).
    public var currentByteCount: UInt64 {
        mutating get { cswasm_atomic_load_u64(withUnsafeMutablePointer(to: &byteCount) { $0 }) }
    }

    /// The size in pages (read atomically, as `currentByteCount`).
    public var pageCount: UInt64 { mutating get { currentByteCount >> UInt64(type.pageSizeLog2) } }

    /// Grows by `delta` pages; the previous size in pages, or nil when the memory cannot grow
    /// (maximum, index range, store limit, or no memory available).
    public mutating func grow(by delta: UInt64, limits: StoreLimits) -> UInt64? {
        if type.isShared { return growShared(by: delta, limits: limits) }
        let oldPages = pageCount
        guard delta > 0 else { return oldPages }
        let (newPages, overflow) = oldPages.addingReportingOverflow(delta)
        guard !overflow, newPages <= (type.limits.maximum ?? type.maximumPages), newPages <= type.maximumPages else { return nil }
        // 2^48 pages of a 64-bit memory are 2^64 bytes: the product must not wrap.
        let (newBytes, wrapped) = newPages.multipliedReportingOverflow(by: UInt64(1) << UInt64(type.pageSizeLog2))
        guard !wrapped, newBytes <= UInt64(Int.max) else { return nil }
        if let limit = limits.memorySize, newBytes > limit { return nil }
        guard let grown = try? Heap.reallocate(base, UInt8.self, count: Int(newBytes)) else { return nil }
        grown.advanced(by: Int(byteCount)).update(repeating: 0, count: Int(newBytes &- byteCount))
        base = grown
        byteCount = newBytes
        return oldPages
    }

    /// `grow` of a shared memory: its maximum is reserved, so growing only publishes the new size,
    /// with a compare-exchange, as threads may grow it at once.
    mutating func growShared(by delta: UInt64, limits: StoreLimits) -> UInt64? {
        let pageShift = UInt64(type.pageSizeLog2)
        let size = withUnsafeMutablePointer(to: &byteCount) { $0 }
        while true {
            let oldBytes = cswasm_atomic_load_u64(size)
            let oldPages = oldBytes >> pageShift
            guard delta > 0 else { return oldPages }
            let (newPages, overflow) = oldPages.addingReportingOverflow(delta)
            guard !overflow, newPages <= (type.limits.maximum ?? type.limits.minimum) else { return nil }
            let newBytes = newPages << pageShift
            if let limit = limits.memorySize, newBytes > limit { return nil }
            if cswasm_atomic_compare_exchange_u64(size, oldBytes, newBytes) { return oldPages }
        }
    }
}
