import CSwasm

/// A pooling engine's pool (Sources/CSwasm/allocation_pool.c) and its counts of what is in use.
/// Every store of the engine allocates from the pool while it runs (`Store.enterPool`), the
/// memories its instances define take the pool's memory slots, and instances and tables are
/// counted against the totals of `PoolingConfig`, from any thread.
public struct EnginePool: ~Copyable {
    /// nil for an engine without the pooling strategy.
    let pool: OpaquePointer?
    public let config: PoolingConfig
    private var instances: UInt64 = 0
    private var tables: UInt64 = 0

    /// What an engine with `config` reserves: slots for its memories, and an arena for the rest
    /// sized for every instance at once with its store, stack and tables.
    static func create(_ config: PoolingConfig?, maxWasmStack: Int) throws(SwasmError) -> EnginePool {
        guard let config else { return EnginePool(pool: nil, config: PoolingConfig()) }
        // Sizes a host could pass (up to SIZE_MAX) are checked: an impossible pool is an error.
        let half = UInt64(Int.max / 2)
        let (tableBytes, tableOverflow) = UInt64(config.maxTablesPerModule).multipliedReportingOverflow(by: UInt64(config.tableElements) &* 8)
        guard !tableOverflow, UInt64(config.tableElements) < half, tableBytes < half, UInt64(config.maxCoreInstanceSize) < half,
              UInt64(config.maxMemorySize) < half else { throw .limitExceeded }
        let perInstance = UInt64(config.maxCoreInstanceSize) &+ UInt64(maxWasmStack) &+ tableBytes &+ (256 << 10)
        let (arena, overflow) = perInstance.multipliedReportingOverflow(by: UInt64(max(config.totalCoreInstances, 1)))
        guard !overflow, arena < half else { throw .limitExceeded }
        var layout = cswasm_pool_layout(arena_bytes: Int(arena), memory_slots: Int(config.totalMemories),
                                        memory_slot_bytes: Int(config.maxMemorySize),
                                        memory_keep_resident: Int(min(UInt64(config.linearMemoryKeepResident), half)))
        guard let pool = cswasm_pool_create(&layout) else { throw .outOfMemory }
        return EnginePool(pool: pool, config: config)
    }

    private init(pool: OpaquePointer?, config: PoolingConfig) {
        self.pool = pool
        self.config = config
    }

    deinit { if let pool { cswasm_pool_release(pool) } }

    public var isPooling: Bool { pool != nil }

    /// Counts one more of `counter` unless `limit` are in use.
    private static func take(_ counter: UnsafeMutablePointer<UInt64>, limit: UInt32) -> Bool {
        var seen = swasm_atomic_load8(counter)
        while seen < UInt64(limit) {
            let old = swasm_atomic_cmpxchg8(counter, seen, seen &+ 1)
            if old == seen { return true }
            seen = old
        }
        return false
    }

    private static func give(_ counter: UnsafeMutablePointer<UInt64>, _ count: Int) {
        if count > 0 { _ = swasm_atomic_rmw8(counter, UInt32(SWASM_ATOMIC_SUB), UInt64(count)) }
    }

    /// One more instance, or the error wasmtime gives when all are in use.
    mutating func takeInstance(_ diagnostic: inout Diagnostic) throws(SwasmError) {
        try Self.takeOrFail(&instances, limit: config.totalCoreInstances, "core instances", &diagnostic)
    }

    mutating func takeTables(_ count: Int, _ diagnostic: inout Diagnostic) throws(SwasmError) {
        for taken in 0..<count {
            do {
                try Self.takeOrFail(&tables, limit: config.totalTables, "tables", &diagnostic)
            } catch {
                Self.give(&tables, taken)
                throw error
            }
        }
    }

    mutating func giveBack(instances: Int, tables: Int) {
        Self.give(&self.instances, instances)
        Self.give(&self.tables, tables)
    }

    private static func takeOrFail(_ counter: UnsafeMutablePointer<UInt64>, limit: UInt32, _ what: StaticString,
                                   _ diagnostic: inout Diagnostic) throws(SwasmError) {
        guard !take(counter, limit: limit) else { return }
        try limitReached(limit, what, &diagnostic)
    }

    /// Records wasmtime's error for a total in use and throws.
    private static func limitReached(_ limit: UInt32, _ what: StaticString, _ diagnostic: inout Diagnostic) throws(SwasmError) -> Never {
        diagnostic.record { (text: inout ByteBuffer) throws(SwasmError) in
            try text.append("maximum concurrent limit of ")
            try text.appendDecimal(UInt64(limit))
            try text.append(" for ")
            try text.append(what)
            try text.append(" reached")
        }
        throw .limitExceeded
    }

    /// A memory slot, or the error wasmtime gives when all are in use. For a memory with the image
    /// `image` (0: none), `holdsImage` says whether the slot shows that image already (it kept it
    /// from an earlier instance); otherwise the slot is zero.
    func takeMemory(image: UInt64, _ diagnostic: inout Diagnostic) throws(SwasmError) -> (slot: UnsafeMutablePointer<UInt8>, holdsImage: Bool) {
        var holdsImage = false
        guard let pool, let slot = cswasm_pool_take_memory(pool, image, &holdsImage) else {
            try Self.limitReached(config.totalMemories, "memories", &diagnostic)
        }
        return (slot.assumingMemoryBound(to: UInt8.self), holdsImage)
    }

}

extension Store {
    /// Makes this thread's allocations come from the engine's pool, if it has one, until
    /// `Store.leavePool` with the value returned. Every operation of a store that may allocate
    /// runs in between, so that a pooled store never reaches the system allocator.
    @inline(__always)
    public func enterPool() -> OpaquePointer? {
        cswasm_pool_enter(engine.pointer.pointee.pool.pool)
    }

    @inline(__always)
    public static func leavePool(_ previous: OpaquePointer?) {
        cswasm_pool_leave(previous)
    }
}
