import CSwasm

/// The pooling allocation strategy's settings (`wasmtime_pooling_allocation_config_*`), with
/// wasmtime's defaults and meanings. An engine made with them reserves its pool at creation
/// (`EnginePool`); modules that could not fit are refused when compiled, and instantiations beyond
/// the totals fail.
public struct PoolingConfig: BitwiseCopyable {
    public var maxUnusedWarmSlots: UInt32 = 100
    public var decommitBatchSize: UInt = 1
    public var asyncStackKeepResident: UInt = 0
    public var linearMemoryKeepResident: UInt = 0
    public var tableKeepResident: UInt = 0
    public var totalComponentInstances: UInt32 = 1000
    public var maxComponentInstanceSize: UInt = 1 << 20
    public var maxCoreInstancesPerComponent = UInt32.max
    public var maxMemoriesPerComponent = UInt32.max
    public var maxTablesPerComponent = UInt32.max
    public var totalMemories: UInt32 = 1000
    public var totalTables: UInt32 = 1000
    public var totalStacks: UInt32 = 1000
    public var totalCoreInstances: UInt32 = 1000
    public var maxCoreInstanceSize: UInt = 1 << 20
    public var maxTablesPerModule: UInt32 = 1
    public var tableElements: UInt = 20_000
    public var maxMemoriesPerModule: UInt32 = 1
    public var maxMemorySize: UInt = 1 << 32
    public var totalGCHeaps: UInt32 = 1000

    public init() {}

    /// The size of an instance's context as wasmtime counts it against `max_core_instance_size`
    /// (its VMContext: imports, tables, memories, globals, tags and exported functions), so that a
    /// module wasmtime's pool accepts is accepted here. swasm's own records of an instance come
    /// from the pool's arena, which is sized per instance with room beyond this.
    static func instanceContextBytes(_ description: borrowing ModuleDescription) -> Int {
        var bytes = 160 &+ description.importedFunctionCount &* 32
        bytes &+= (description.tables.count &+ description.memories.count &+ description.tags.count) &* 16
        bytes &+= description.globals.count &* 16 &+ description.exports.count &* 24
        return bytes
    }

    /// Refuses a module no instance of which fits the pool, with wasmtime's messages.
    func check(_ description: borrowing ModuleDescription, diagnostic: inout Diagnostic) throws(SwasmError) {
        let memories = description.memories.count &- description.importedMemoryCount
        if memories > Int(maxMemoriesPerModule) {
            try Self.refuse("memory", &diagnostic) { (text: inout ByteBuffer) throws(SwasmError) in
                try Self.countExceeded(&text, "defined memories", count: memories, limit: UInt64(maxMemoriesPerModule))
            }
        }
        for index in description.importedMemoryCount..<description.memories.count {
            let type = description.memories[index]
            guard !type.isShared else { continue } // shared memories are not pooled
            let (bytes, overflow) = type.limits.minimum.multipliedReportingOverflow(by: UInt64(1) << UInt64(type.pageSizeLog2))
            guard overflow || bytes > UInt64(maxMemorySize) else { continue }
            try Self.refuse("memory", &diagnostic) { (text: inout ByteBuffer) throws(SwasmError) in
                try text.append("0: memory index ")
                try text.appendDecimal(UInt64(index))
                try text.append(" is unsupported in this pooling allocator configuration\n    1: memory has a minimum byte size of ")
                if overflow { try text.append("more than 2^64") } else { try text.appendDecimal(bytes) }
                try text.append(" which exceeds the limit of ")
                try text.appendHex(UInt64(maxMemorySize))
                try text.append(" bytes")
            }
        }
        let tables = description.tables.count &- description.importedTableCount
        if tables > Int(maxTablesPerModule) {
            try Self.refuse("table", &diagnostic) { (text: inout ByteBuffer) throws(SwasmError) in
                try Self.countExceeded(&text, "defined tables", count: tables, limit: UInt64(maxTablesPerModule))
            }
        }
        for index in description.importedTableCount..<description.tables.count where description.tables[index].limits.minimum > UInt64(tableElements) {
            let minimum = description.tables[index].limits.minimum
            try Self.refuse("table", &diagnostic) { (text: inout ByteBuffer) throws(SwasmError) in
                try text.append("table index ")
                try text.appendDecimal(UInt64(index))
                try text.append(" has a minimum element size of ")
                try text.appendDecimal(minimum)
                try text.append(" which exceeds the limit of ")
                try text.appendDecimal(UInt64(tableElements))
            }
        }
        let instanceBytes = Self.instanceContextBytes(description)
        if UInt(instanceBytes) > maxCoreInstanceSize {
            let limit = UInt64(maxCoreInstanceSize)
            diagnostic.record { (text: inout ByteBuffer) throws(SwasmError) in
                try text.append("instance allocation for this module requires ")
                try text.appendDecimal(UInt64(instanceBytes))
                try text.append(" bytes which exceeds the configured maximum of ")
                try text.appendDecimal(limit)
                try text.append(" bytes")
            }
            throw .limitExceeded
        }
    }

    /// Records "module `what` does not fit in pooling allocator requirements", with the cause
    /// `cause` writes (wasmtime's error chain), and throws.
    private static func refuse(_ what: StaticString, _ diagnostic: inout Diagnostic,
                               cause: (inout ByteBuffer) throws(SwasmError) -> Void) throws(SwasmError) -> Never {
        diagnostic.record { (text: inout ByteBuffer) throws(SwasmError) in
            try text.append("module ")
            try text.append(what)
            try text.append(" does not fit in pooling allocator requirements\n\nCaused by:\n    ")
            try cause(&text)
            try text.append("\n")
        }
        throw .limitExceeded
    }

    private static func countExceeded(_ text: inout ByteBuffer, _ what: StaticString, count: Int, limit: UInt64) throws(SwasmError) {
        try text.append(what)
        try text.append(" count of ")
        try text.appendDecimal(UInt64(count))
        try text.append(" exceeds the per-instance limit of ")
        try text.appendDecimal(limit)
    }
}
