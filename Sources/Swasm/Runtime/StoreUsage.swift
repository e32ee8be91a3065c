import CSwasm

/// What a store holds, in bytes, by kind (`swasm_context_usage`), and the bound on their total
/// (`swasm_store_limiter_total`, `StoreLimits.totalBytes`). Counted when the store takes each
/// thing: an instance's records and its memories and tables at instantiation, growth as it
/// happens, host objects when the host makes them, the execution stack at the first call, the GC
/// heap as objects are allocated and collected. A store frees instances and host objects only when
/// it goes, so only the GC heap shrinks. What would pass the bound fails as memory running out
/// would: `memory.grow` and `table.grow` return -1, the `*_grow` functions, instantiation and host
/// objects fail with an error, a GC allocation collects first and then fails with an
/// out-of-memory trap.
public struct StoreUsage: BitwiseCopyable {
    /// Instance records: their functions, globals, tables, memories, tags and segments as the
    /// interpreter sees them, and their references to their modules. A module's compiled code is
    /// the module's (shared by every store and thread) and is not counted.
    public var instances: UInt64 = 0
    /// The records of functions, globals, tables, memories and tags made by the host (their
    /// elements and bytes are counted with tables and memories).
    public var hostObjects: UInt64 = 0
    /// The execution stack, `max_wasm_stack` bytes reserved at the store's first call.
    public var stacks: UInt64 = 0
    /// Table elements, 8 bytes each, of the store's instances and the host's tables.
    public var tables: UInt64 = 0
    /// Linear-memory bytes (sizes, touched or not) of memories the store's instances define and of
    /// the host's memories. A shared memory counts its size when made; its growth, which any
    /// thread may cause, is not counted.
    public var memories: UInt64 = 0
    /// GC objects (structs, arrays, exceptions) allocated and not yet collected.
    public var gcHeap: UInt64 = 0

    public init() {}

    public var total: UInt64 { instances &+ hostObjects &+ stacks &+ tables &+ memories &+ gcHeap }

    mutating func add(_ other: StoreUsage) {
        instances &+= other.instances
        hostObjects &+= other.hostObjects
        stacks &+= other.stacks
        tables &+= other.tables
        memories &+= other.memories
        gcHeap &+= other.gcHeap
    }
}

extension Store {
    /// What the store holds now.
    public var usage: StoreUsage {
        var usage = held
        usage.gcHeap = UInt64(gc.byteCount)
        return usage
    }

    /// Whether `bytes` more fit the store's total limit.
    func fitsTotal(_ bytes: UInt64) -> Bool {
        guard let limit = limits.totalBytes else { return true }
        let (total, overflow) = usage.total.addingReportingOverflow(bytes)
        return !overflow && total <= limit
    }

    /// The bytes the records of an instance of `description` take (`StoreUsage.instances`).
    static func instanceFootprint(_ description: UnsafePointer<ModuleDescription>) -> UInt64 {
        let pointer = UInt64(MemoryLayout<UnsafeRawPointer>.stride)
        let module = description // read through the pointer: the description is not copyable
        var bytes = UInt64(MemoryLayout<Instance>.stride)
        bytes &+= UInt64(module.pointee.functions.count) &* pointer &+ UInt64(module.pointee.bodies.count) &* UInt64(MemoryLayout<swasm_function>.stride)
        bytes &+= UInt64(module.pointee.globals.count) &* (pointer &+ UInt64(MemoryLayout<GlobalObject>.stride))
        bytes &+= UInt64(module.pointee.globalInitializers.count) &* 16
        bytes &+= UInt64(module.pointee.tables.count) &* (UInt64(MemoryLayout<swasm_table>.stride) &+ pointer &+ UInt64(MemoryLayout<TableObject>.stride))
        bytes &+= UInt64(module.pointee.memories.count &+ module.pointee.tags.count) &* pointer
        bytes &+= UInt64(module.pointee.data.count &+ module.pointee.elements.count) &* UInt64(MemoryLayout<swasm_segment>.stride)
        for index in 0..<module.pointee.elements.count { bytes &+= UInt64(module.pointee.elements.base!.advanced(by: index).pointee.count) &* 8 }
        return bytes
    }

    /// The bytes an instance of `description` takes when made: its records, and the minimums of
    /// the memories and tables it defines.
    static func instantiationBytes(_ description: UnsafePointer<ModuleDescription>) -> UInt64 {
        /// `count` items of `unit` bytes added to `total`, saturating (minimums may be absurd).
        func adding(_ count: UInt64, of unit: UInt64, to total: UInt64) -> UInt64 {
            let (size, overflow) = count.multipliedReportingOverflow(by: unit)
            let (sum, carry) = total.addingReportingOverflow(size)
            return overflow || carry ? UInt64.max : sum
        }
        var bytes = instanceFootprint(description)
        for index in description.pointee.importedMemoryCount..<description.pointee.memories.count {
            let type = description.pointee.memories[index]
            bytes = adding(type.limits.minimum, of: UInt64(1) << UInt64(type.pageSizeLog2), to: bytes)
        }
        for index in description.pointee.importedTableCount..<description.pointee.tables.count {
            bytes = adding(description.pointee.tables[index].limits.minimum, of: 8, to: bytes)
        }
        return bytes
    }

    /// Fails with a message saying so when an instance of `description` would pass the store's
    /// total limit.
    mutating func checkTotal(forInstanceOf description: UnsafePointer<ModuleDescription>, _ diagnostic: inout Diagnostic) throws(SwasmError) {
        guard let limit = limits.totalBytes else { return }
        let needed = Self.instantiationBytes(description)
        guard !fitsTotal(needed) else { return }
        let holding = usage.total
        diagnostic.record { (text: inout ByteBuffer) throws(SwasmError) in
            try text.append("instance needs ")
            if needed == UInt64.max { try text.append("more than ") }
            try text.appendDecimal(needed)
            try text.append(" bytes, which exceeds the store's limit of ")
            try text.appendDecimal(limit)
            try text.append(" bytes (")
            try text.appendDecimal(holding)
            try text.append(" held)")
        }
        throw .limitExceeded
    }

    /// Counts a new instance: its records, memories it defines and tables it defines.
    mutating func countInstance(_ instance: UnsafeMutablePointer<Instance>) {
        let description = withUnsafeMutablePointer(to: &instance.pointee.module.pointer.pointee.description) { UnsafePointer($0) }
        held.instances &+= Self.instanceFootprint(description)
        for index in instance.pointee.importedMemoryCount..<instance.pointee.memoryCount {
            if let memory = instance.pointee.memories?[index] { held.memories &+= memory.pointee.byteCount }
        }
        for index in 0..<instance.pointee.definedTableCount { held.tables &+= instance.pointee.tables![index].size &* 8 }
    }

    /// What a host object being adopted takes (its record, table elements, memory bytes), or, when
    /// that would pass the limit, destroys it and throws `outOfMemory`. Added once it is adopted.
    func hostObjectCost<T: ~Copyable>(_ owner: UnsafeMutablePointer<T>, record: Int, tableElements: UInt64 = 0,
                                      memoryBytes: UInt64 = 0) throws(SwasmError) -> StoreUsage {
        var cost = StoreUsage()
        cost.hostObjects = UInt64(record)
        cost.tables = tableElements &* 8
        cost.memories = memoryBytes
        guard fitsTotal(cost.total) else {
            Heap.destroy(owner)
            throw .outOfMemory
        }
        return cost
    }

    /// Counts the execution stack, or throws `outOfMemory` when it would pass the limit.
    mutating func countStack(_ bytes: Int) throws(SwasmError) {
        guard fitsTotal(UInt64(bytes)) else { throw .outOfMemory }
        held.stacks &+= UInt64(bytes)
    }

    /// The store's execution stack, made at its first call.
    mutating func executionStack() throws(SwasmError) -> UnsafeMutablePointer<ExecutionStack> {
        if let execution { return execution }
        let bytes = ExecutionStack.slotCount(maxWasmStack: engine.pointer.pointee.config.maxWasmStack) &* 8
        try countStack(bytes)
        do {
            execution = try ExecutionStack.create(maxWasmStack: engine.pointer.pointee.config.maxWasmStack)
        } catch {
            held.stacks &-= UInt64(bytes)
            throw error
        }
        return execution!
    }

    /// Grows `memory` (this store's) by `pages` within the store's limits and counts the growth:
    /// the previous size in pages (`LinearMemory.grow`, whose errors it throws).
    public mutating func growMemory(_ memory: UnsafeMutablePointer<LinearMemory>, by pages: UInt64,
                                    explain: UnsafeMutablePointer<ByteBuffer>? = nil) throws(SwasmError) -> UInt64 {
        let shared = memory.pointee.type.isShared
        if !shared, limits.totalBytes != nil {
            let (bytes, overflow) = pages.multipliedReportingOverflow(by: UInt64(1) << UInt64(memory.pointee.type.pageSizeLog2))
            guard !overflow, fitsTotal(bytes) else { throw .limitExceeded }
        }
        let before = memory.pointee.byteCount
        let old = try memory.pointee.grow(by: pages, limits: limits, explain: explain)
        // A host memory may report a size other than asked.
        if !shared, memory.pointee.byteCount > before { held.memories &+= memory.pointee.byteCount &- before }
        return old
    }

    /// Grows `table` (this store's) by `delta` elements holding `fill` within the store's limits
    /// and counts the growth: the previous size, or nil (`swasm_table.grow`).
    public mutating func growTable(_ table: UnsafeMutablePointer<swasm_table>, by delta: UInt64, fill: UInt64) -> UInt64? {
        if limits.totalBytes != nil {
            let (bytes, overflow) = delta.multipliedReportingOverflow(by: 8)
            guard !overflow, fitsTotal(bytes) else { return nil }
        }
        guard let old = table.pointee.grow(by: delta, fill: fill, limits: limits) else { return nil }
        held.tables &+= delta &* 8
        return old
    }
}
