import CSwasm

/// A linear memory: address space reserved up front and made accessible page by page as the
/// memory grows, so that growth copies nothing and costs no physical memory until the program
/// touches the pages (the kernel supplies zero pages). Accesses are checked against `byteCount`
/// explicitly; when the system refuses address space or pages, `memory.grow` returns -1 instead of
/// failing the process. Two other kinds come from elsewhere (`Backing`): the embedder's allocator
/// and the engine's memory creator (HostMemory.swift).
public struct LinearMemory: ~Copyable {
    /// Base address and size in bytes. Compiled code reads both through pointers to these
    /// fields, so a `LinearMemory` lives in a heap cell that never moves.
    public var base: UnsafeMutablePointer<UInt8>?
    public var byteCount: UInt64
    public var type: MemoryType
    /// Bytes of address space mapped at `base`: the accessible pages (`byteCount` rounded up to
    /// system pages), then inaccessible ones that the memory grows into without moving.
    var reservedBytes: UInt64
    /// Where the bytes come from.
    enum Backing {
        /// Address space this memory reserved (`reservedBytes` of it).
        case addressSpace
        /// A block of the embedder's allocator (`swasm_set_allocator`): it grows by
        /// reallocation, and a shared one holds its maximum from the start.
        case heap
        /// A memory of the engine's memory creator, grown and released through its callbacks.
        case host(HostMemoryCallbacks)
        /// A memory slot of a pooling engine's pool (`EnginePool`): accessible and zero from the
        /// start, `reservedBytes` long; the memory grows within it without any system call.
        case pooled(OpaquePointer)
    }
    let backing: Backing
    /// Some of its pages are private mappings of an artifact file (a memory image): the mapping is
    /// no longer one piece, so moving it copies instead (`moveByCopying`).
    var mapsImage = false
    /// Owners of a shared memory (instances of any store, host handles, linkers); it is freed
    /// when the last one releases it. A memory that is not shared has one owner.
    var owners = AtomicRefCount()

    public static let pageSize: UInt64 = 65536

    /// The address space a memory that is not shared reserves at first, unless its maximum is
    /// smaller or its minimum larger. Growth past a reservation moves the memory (its pages, not
    /// their contents) to one at least twice as large. A shared memory reserves its maximum: other
    /// threads access it, so it never moves.
    static let initialReservation: UInt64 = 64 << 20

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
        let bytes = try minimumBytes(type, limits: limits)
        let pageBytes = UInt64(1) << UInt64(type.pageSizeLog2)
        let reserved: UInt64
        if type.isShared {
            // A shared memory never moves (other threads access it): its maximum is reserved now.
            let (maximum, tooLarge) = (type.limits.maximum ?? type.limits.minimum).multipliedReportingOverflow(by: pageBytes)
            guard !tooLarge, fitsAddressSpace(maximum) else { throw .limitExceeded }
            reserved = systemPages(maximum)
        } else {
            reserved = reservation(for: type, covering: bytes, preferred: initialReservation)
        }
        var base: UnsafeMutablePointer<UInt8>? = nil
        if cswasm_allocator_is_custom() {
            // The embedder's allocator serves everything: exactly the bytes needed (a shared
            // memory's maximum), zeroed.
            let needed = type.isShared ? reserved : bytes
            if needed > 0 { base = try Heap.allocateZeroed(UInt8.self, count: Int(needed)) }
            // On failure the memory is destroyed, and its deinit frees `base`.
            return try Heap.create(LinearMemory(base: base, byteCount: bytes, type: type, reservedBytes: needed, backing: .heap))
        }
        if reserved > 0 {
            guard let address = cswasm_reserve(Int(reserved)) else { throw .outOfMemory }
            let accessible = systemPages(bytes)
            if accessible > 0 && !cswasm_make_accessible(address, Int(accessible)) {
                cswasm_release(address, Int(reserved))
                throw .outOfMemory
            }
            base = address.assumingMemoryBound(to: UInt8.self)
        }
        return try Heap.create(LinearMemory(base: base, byteCount: bytes, type: type, reservedBytes: reserved, backing: .addressSpace))
    }

    /// The size in bytes of a new memory of `type`: its minimum, checked against the index
    /// space, the address space and the store's limit (`limitExceeded`).
    static func minimumBytes(_ type: MemoryType, limits: StoreLimits) throws(SwasmError) -> UInt64 {
        // Limits no valid module could declare (a minimum beyond the index space or above the
        // maximum) are refused, as wasmtime refuses them (it aborts).
        guard type.limits.minimum <= type.maximumPages, type.limits.maximum.map({ $0 >= type.limits.minimum }) ?? true else { throw .limitExceeded }
        let (bytes, overflow) = type.limits.minimum.multipliedReportingOverflow(by: UInt64(1) << UInt64(type.pageSizeLog2))
        guard !overflow, fitsAddressSpace(bytes) else { throw .limitExceeded }
        if let limit = limits.memorySize, bytes > limit { throw .limitExceeded }
        return bytes
    }

    /// A memory of `type`'s minimum size in a memory slot of `pool`: zero, or showing its image
    /// already (`mapsImage`) when it has one (`image`, 0: none) and the slot kept it.
    static func createPooled(_ type: MemoryType, limits: StoreLimits, in pool: borrowing EnginePool, image: UInt64,
                             diagnostic: inout Diagnostic) throws(SwasmError) -> UnsafeMutablePointer<LinearMemory> {
        let (bytes, overflow) = type.limits.minimum.multipliedReportingOverflow(by: UInt64(1) << UInt64(type.pageSizeLog2))
        // Modules whose minimum exceeds the slot are refused when compiled.
        guard !overflow, bytes <= UInt64(pool.config.maxMemorySize), let address = pool.pool else { throw .limitExceeded }
        if let limit = limits.memorySize, bytes > limit { throw .limitExceeded }
        let (slot, holdsImage) = try pool.takeMemory(image: image, &diagnostic)
        // On failure the memory is destroyed, and its deinit returns the slot.
        return try Heap.create(LinearMemory(base: slot, byteCount: bytes, type: type, reservedBytes: UInt64(pool.config.maxMemorySize),
                                            backing: .pooled(address), mapsImage: holdsImage))
    }

    deinit {
        switch backing {
        case .addressSpace: if let base { cswasm_release(base, Int(reservedBytes)) }
        case .heap: Heap.free(base)
        case .host(let callbacks): callbacks.finalizer?(callbacks.environment)
        case .pooled(let pool): cswasm_pool_return_memory(pool, base, Int(byteCount))
        }
    }

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

    /// Grows by `delta` pages: the previous size in pages. Throws `limitExceeded` past the
    /// maximum, the index range or the store's limit, `outOfMemory` when the system refuses
    /// the address space or the pages (the memory is unchanged either way), and `host` when a
    /// host memory's `grow_memory` refuses (why in `explain`, if given).
    public mutating func grow(by delta: UInt64, limits: StoreLimits, explain: UnsafeMutablePointer<ByteBuffer>? = nil) throws(SwasmError) -> UInt64 {
        if type.isShared { return try growShared(by: delta, limits: limits) }
        let oldPages = pageCount
        guard delta > 0 else { return oldPages }
        let (newPages, overflow) = oldPages.addingReportingOverflow(delta)
        guard !overflow, newPages <= (type.limits.maximum ?? type.maximumPages), newPages <= type.maximumPages else { throw .limitExceeded }
        // 2^48 pages of a 64-bit memory are 2^64 bytes: the product must not wrap.
        let (newBytes, wrapped) = newPages.multipliedReportingOverflow(by: UInt64(1) << UInt64(type.pageSizeLog2))
        guard !wrapped, Self.fitsAddressSpace(newBytes) else { throw .limitExceeded }
        if let limit = limits.memorySize, newBytes > limit { throw .limitExceeded }
        switch backing {
        case .host(let callbacks):
            // Sets the size itself (to what the host's memory reports).
            if let explain {
                try growHosted(callbacks, to: newBytes, reason: &explain.pointee)
            } else {
                var ignored = ByteBuffer()
                try growHosted(callbacks, to: newBytes, reason: &ignored)
            }
            return oldPages
        case .pooled:
            guard newBytes <= reservedBytes else { throw .limitExceeded }
        case .heap:
            let grown = try Heap.reallocate(base, UInt8.self, count: Int(newBytes))
            grown.advanced(by: Int(byteCount)).initialize(repeating: 0, count: Int(newBytes &- byteCount))
            base = grown
            reservedBytes = newBytes
        case .addressSpace:
            if Self.systemPages(newBytes) > reservedBytes {
                try moveToLargerReservation(holding: newBytes)
            } else {
                try makeAccessible(from: byteCount, to: newBytes)
            }
        }
        byteCount = newBytes
        return oldPages
    }

    /// `grow` of a shared memory: its maximum is reserved, so growing makes the new pages
    /// accessible, then publishes the new size with a compare-exchange, as threads may grow it at
    /// once (pages made accessible by a thread that lost the race stay beyond the size, unused).
    mutating func growShared(by delta: UInt64, limits: StoreLimits) throws(SwasmError) -> UInt64 {
        let pageShift = UInt64(type.pageSizeLog2)
        let size = withUnsafeMutablePointer(to: &byteCount) { $0 }
        while true {
            let oldBytes = cswasm_atomic_load_u64(size)
            let oldPages = oldBytes >> pageShift
            guard delta > 0 else { return oldPages }
            let (newPages, overflow) = oldPages.addingReportingOverflow(delta)
            guard !overflow, newPages <= (type.limits.maximum ?? type.limits.minimum) else { throw .limitExceeded }
            let newBytes = newPages << pageShift
            if let limit = limits.memorySize, newBytes > limit { throw .limitExceeded }
            if case .addressSpace = backing { try makeAccessible(from: oldBytes, to: newBytes) }
            if cswasm_atomic_compare_exchange_u64(size, oldBytes, newBytes) { return oldPages }
        }
    }

    /// Makes the system pages holding bytes `oldBytes..<newBytes` accessible (the pages before
    /// them are); both sizes lie within the reservation.
    private func makeAccessible(from oldBytes: UInt64, to newBytes: UInt64) throws(SwasmError) {
        let start = Self.systemPages(oldBytes), end = Self.systemPages(newBytes)
        guard end > start, let base else { return }
        guard cswasm_make_accessible(base.advanced(by: Int(start)), Int(end &- start)) else { throw .outOfMemory }
    }

    /// Growth of a memory that is not shared past its reservation, to `newBytes`: the accessible
    /// pages become the start of a mapping of a new reservation, in place when the address space
    /// after them is free, otherwise moved (the kernel moves pages without copying them). On
    /// failure the memory keeps its size and contents.
    private mutating func moveToLargerReservation(holding newBytes: UInt64) throws(SwasmError) {
        if mapsImage { return try moveByCopying(holding: newBytes) }
        let reservation = Self.reservation(for: type, covering: newBytes, preferred: reservedBytes &* 2)
        let oldAccessible = Self.systemPages(byteCount), newAccessible = Self.systemPages(newBytes)
        guard let oldBase = base, oldAccessible > 0 else {
            // Nothing to keep: a new reservation replaces the old one.
            guard let address = cswasm_reserve(Int(reservation)) else { throw .outOfMemory }
            guard cswasm_make_accessible(address, Int(newAccessible)) else {
                cswasm_release(address, Int(reservation))
                throw .outOfMemory
            }
            if let base { cswasm_release(base, Int(reservedBytes)) }
            base = address.assumingMemoryBound(to: UInt8.self)
            reservedBytes = reservation
            return
        }
        // The accessible pages are one mapping (they grew from the start of one); the inaccessible
        // rest of the reservation is released first, so that the mapping may grow in place.
        if reservedBytes > oldAccessible {
            cswasm_release(oldBase.advanced(by: Int(oldAccessible)), Int(reservedBytes &- oldAccessible))
            reservedBytes = oldAccessible
        }
        guard let moved = cswasm_resize_mapping(oldBase, Int(oldAccessible), Int(reservation)) else { throw .outOfMemory }
        // The added pages came accessible, as the pages they extend; those past the new size are
        // made inaccessible again, splitting the mapping where later growth joins them back.
        if reservation > newAccessible { cswasm_make_inaccessible(moved.advanced(by: Int(newAccessible)), Int(reservation &- newAccessible)) }
        base = moved.assumingMemoryBound(to: UInt8.self)
        reservedBytes = reservation
    }

    /// `moveToLargerReservation` for a memory holding file mappings, which the kernel cannot move
    /// as one: a new reservation receives the pages that are not all zeros (untouched pages cost
    /// nothing, there or here), then the old one is released. On failure nothing changed.
    private mutating func moveByCopying(holding newBytes: UInt64) throws(SwasmError) {
        let reservation = Self.reservation(for: type, covering: newBytes, preferred: reservedBytes &* 2)
        guard let address = cswasm_reserve(Int(reservation)) else { throw .outOfMemory }
        guard cswasm_make_accessible(address, Int(Self.systemPages(newBytes))) else {
            cswasm_release(address, Int(reservation))
            throw .outOfMemory
        }
        if let base {
            cswasm_copy_nonzero_pages(address, base, Int(Self.systemPages(byteCount)))
            cswasm_release(base, Int(reservedBytes))
        }
        base = address.assumingMemoryBound(to: UInt8.self)
        reservedBytes = reservation
        mapsImage = false
    }

    /// Gives a memory just created (untouched, zero) the contents of its image `image`: `runs` of
    /// the artifact file `file` mapped private over a fresh reservation, which then replaces the
    /// memory's, or over its pooled slot, which keeps them for the next instance (`mapsImage`
    /// already when the slot had kept them). False, the memory unchanged, when it is not a memory
    /// of its own address space or a pooled one in 4 KiB system pages, or when the system refuses a
    /// step: the caller copies the segments then. A pooled memory throws `outOfMemory` instead when
    /// the system refuses a mapping (its slot may have lost pages; it is repaired when next taken).
    mutating func mapImage(_ runs: UnsafeBufferPointer<ImageRun>, file: Int32, image: UInt64) throws(SwasmError) -> Bool {
        if case .pooled(let pool) = backing { return try mapPooledImage(runs, file: file, image: image, pool: pool) }
        guard case .addressSpace = backing, !type.isShared, reservedBytes > 0,
              UInt64(cswasm_system_page_size()) == MemoryImageLayout.pageSize else { return false }
        let accessible = Self.systemPages(byteCount)
        guard let address = cswasm_reserve(Int(reservedBytes)) else { return false }
        var mapped = accessible == 0 || cswasm_make_accessible(address, Int(accessible))
        for run in runs where mapped {
            // The layout keeps runs inside the minimum; checked again, as mapping past it would
            // expose file bytes beyond the memory.
            guard run.memoryOffset <= accessible, run.length <= accessible &- run.memoryOffset else { mapped = false; break }
            mapped = cswasm_map_file_pages(address.advanced(by: Int(run.memoryOffset)), Int(run.length), file, run.fileOffset)
        }
        guard mapped else {
            cswasm_release(address, Int(reservedBytes))
            return false
        }
        if let base { cswasm_release(base, Int(reservedBytes)) }
        base = address.assumingMemoryBound(to: UInt8.self)
        mapsImage = true
        return true
    }

    /// `mapImage` of a pooled memory: the runs are mapped over the slot's zero pages.
    private mutating func mapPooledImage(_ runs: UnsafeBufferPointer<ImageRun>, file: Int32, image: UInt64,
                                         pool: OpaquePointer) throws(SwasmError) -> Bool {
        if mapsImage { return true }
        guard image != 0, let base, UInt64(cswasm_system_page_size()) == MemoryImageLayout.pageSize else { return false }
        let accessible = Self.systemPages(byteCount)
        var extent: UInt64 = 0
        for run in runs {
            // Runs lie inside the minimum (checked again, as in `mapImage`).
            let inside = run.memoryOffset <= accessible && run.length <= accessible &- run.memoryOffset
            if inside { extent = max(extent, run.memoryOffset &+ run.length) }
            guard inside else {
                // Nothing is mapped yet (runs are checked in order): the segments are copied.
                if extent == 0 { return false }
                cswasm_pool_abandon_image(pool, base, Int(extent))
                throw .outOfMemory
            }
            guard cswasm_map_file_pages(base.advanced(by: Int(run.memoryOffset)), Int(run.length), file, run.fileOffset) else {
                // The range may hold nothing now: the memory must not run, and the slot gets zero
                // pages when next taken (error paths map nothing more).
                cswasm_pool_abandon_image(pool, base, Int(extent))
                throw .outOfMemory
            }
        }
        cswasm_pool_keep_image(pool, base, image, Int(extent))
        mapsImage = true
        return true
    }

    /// The address space (whole system pages) to reserve for a memory of `type` that is not
    /// shared and must hold `bytes` (at most its maximum): `preferred` bytes, but no less than
    /// `bytes` and no more than the memory can ever use.
    static func reservation(for type: MemoryType, covering bytes: UInt64, preferred: UInt64) -> UInt64 {
        let maximumPages = min(type.limits.maximum ?? type.maximumPages, type.maximumPages)
        let (maximum, overflow) = maximumPages.multipliedReportingOverflow(by: UInt64(1) << UInt64(type.pageSizeLog2))
        let largest = UInt64(Int.max) & ~(UInt64(cswasm_system_page_size()) &- 1)
        return systemPages(min(overflow ? largest : min(maximum, largest), max(bytes, preferred)))
    }

    /// Whether `bytes` rounded up to system pages can be mapped at all (fits in an `Int`).
    static func fitsAddressSpace(_ bytes: UInt64) -> Bool {
        let mask = UInt64(cswasm_system_page_size()) &- 1
        return bytes <= (UInt64(Int.max) & ~mask)
    }

    /// `bytes` rounded up to whole system pages (`bytes` fits the address space).
    static func systemPages(_ bytes: UInt64) -> UInt64 {
        let mask = UInt64(cswasm_system_page_size()) &- 1
        return (bytes &+ mask) & ~mask
    }
}
