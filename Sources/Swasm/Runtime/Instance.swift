import CSwasm

/// An instance of a compiled module in a store: its functions as the interpreter calls them, its
/// memory, its globals. Lives in a heap cell that never moves (compiled code holds pointers into
/// it) and is owned by its store.
public struct Instance: ~Copyable {
    public let module: Shared<CompiledModule>
    /// One entry per function index (imported first); the `call` instruction indexes it.
    public let functionTable: UnsafeMutablePointer<UnsafeMutablePointer<swasm_function>?>
    public let functionCount: Int
    /// The defined functions' records.
    public let definedFunctions: UnsafeMutablePointer<swasm_function>
    /// Memory 0 when the module defines it (owned).
    public var memory: UnsafeMutablePointer<LinearMemory>?
    /// Two words per global (room for v128).
    public let globals: UnsafeMutablePointer<UInt64>
    /// Defined tables, and the pointers to them that compiled code indexes.
    var tables: UnsafeMutablePointer<swasm_table>?
    var tableCount = 0
    var tablePointers: UnsafeMutablePointer<UnsafeMutablePointer<swasm_table>?>?
    /// Data segments as `memory.init` sees them.
    var dataSegments: UnsafeMutablePointer<swasm_segment>?
    /// What compiled code of this instance reaches (`swasm_context`).
    var context = swasm_context()
    /// Where compiled code finds memory 0 when there is none.
    var noMemoryBase: UnsafeMutablePointer<UInt8>? = nil
    var noMemorySize: UInt64 = 0

    deinit {
        if let tables {
            for index in 0..<tableCount { Heap.free(tables[index].elements) }
            Heap.free(tables)
        }
        Heap.free(tablePointers)
        Heap.free(dataSegments)
        if let memory { Heap.destroy(memory) }
        Heap.free(functionTable)
        Heap.free(definedFunctions)
        Heap.free(globals)
        module.release()
    }

    init(module: Shared<CompiledModule>, functionTable: UnsafeMutablePointer<UnsafeMutablePointer<swasm_function>?>, functionCount: Int,
         definedFunctions: UnsafeMutablePointer<swasm_function>, globals: UnsafeMutablePointer<UInt64>) {
        self.module = module
        self.functionTable = functionTable
        self.functionCount = functionCount
        self.definedFunctions = definedFunctions
        self.globals = globals
    }

    /// Builds an instance (without running its start function or initializers that can trap).
    /// Imports are not supported yet: a module with imports is unlinkable.
    static func create(_ module: Shared<CompiledModule>, store: UnsafeMutablePointer<Store>, diagnostic: inout Diagnostic) throws(SwasmError) -> UnsafeMutablePointer<Instance> {
        let description = withUnsafeMutablePointer(to: &module.pointer.pointee.description) { UnsafePointer($0) }
        if description.pointee.imports.count > 0 {
            diagnostic.record("instances with imports are not supported yet")
            throw .unlinkable
        }
        let functionCount = description.pointee.functions.count
        let definedCount = description.pointee.bodies.count
        let table = try Heap.allocateZeroed(UnsafeMutablePointer<swasm_function>?.self, count: functionCount)
        let defined: UnsafeMutablePointer<swasm_function>
        do {
            defined = try Heap.allocateZeroed(swasm_function.self, count: definedCount)
        } catch {
            Heap.free(table)
            throw error
        }
        let globals: UnsafeMutablePointer<UInt64>
        do {
            globals = try Heap.allocateZeroed(UInt64.self, count: max(description.pointee.globals.count &* 2, 1))
        } catch {
            Heap.free(table)
            Heap.free(defined)
            throw error
        }
        let instance: UnsafeMutablePointer<Instance>
        do {
            module.retain()
            instance = try Heap.emplace {
                Instance(module: module, functionTable: table, functionCount: functionCount, definedFunctions: defined, globals: globals)
            }
        } catch {
            module.release()
            Heap.free(table)
            Heap.free(defined)
            Heap.free(globals)
            throw error
        }
        do {
            try instance.pointee.initialize(store: store)
        } catch {
            Heap.destroy(instance)
            throw error
        }
        return instance
    }

    private mutating func initialize(store: UnsafeMutablePointer<Store>) throws(SwasmError) {
        let description = withUnsafeMutablePointer(to: &module.pointer.pointee.description) { UnsafePointer($0) }
        if description.pointee.memories.count > 0 {
            memory = try LinearMemory.create(description.pointee.memories[0], limits: store.pointee.limits)
        }
        let memoryBase: UnsafeMutablePointer<UnsafeMutablePointer<UInt8>?>
        let memorySize: UnsafeMutablePointer<UInt64>
        if let memory {
            memoryBase = withUnsafeMutablePointer(to: &memory.pointee.base) { $0 }
            memorySize = withUnsafeMutablePointer(to: &memory.pointee.byteCount) { $0 }
        } else {
            memoryBase = withUnsafeMutablePointer(to: &noMemoryBase) { $0 }
            memorySize = withUnsafeMutablePointer(to: &noMemorySize) { $0 }
        }
        try createTables(description)
        let dataCount = description.pointee.data.count
        if dataCount > 0 {
            dataSegments = try Heap.allocateZeroed(swasm_segment.self, count: dataCount)
            for index in 0..<dataCount {
                let range = description.pointee.data[index].bytes
                dataSegments![index].bytes = description.pointee.slice(range).baseAddress?.assumingMemoryBound(to: UInt8.self)
                dataSegments![index].size = UInt64(range.count)
            }
        }
        context.data = dataSegments
        context.functions = functionTable
        context.memory = memoryBase
        context.memory_size = memorySize
        context.globals = globals
        context.tables = tablePointers
        context.type_ids = UnsafePointer(module.pointer.pointee.typeIDs.base)
        let contextPointer = withUnsafeMutablePointer(to: &context) { $0 }
        let selfPointer = withUnsafeMutablePointer(to: &self) { UnsafeMutableRawPointer($0) }
        let imported = description.pointee.importedFunctionCount
        for index in 0..<description.pointee.bodies.count {
            let compiled = module.pointer.pointee.functions.base!.advanced(by: index)
            let record = definedFunctions.advanced(by: index)
            record.pointee.code = compiled.pointee.supported ? UnsafePointer(compiled.pointee.code.base) : nil
            record.pointee.frame_slots = UInt32(truncatingIfNeeded: compiled.pointee.frameSlots)
            record.pointee.locals_start = UInt32(truncatingIfNeeded: compiled.pointee.localsStart)
            record.pointee.locals_end = UInt32(truncatingIfNeeded: compiled.pointee.localsEnd)
            record.pointee.parameter_slots = UInt32(truncatingIfNeeded: compiled.pointee.parameterSlots)
            record.pointee.context = contextPointer
            record.pointee.instance = selfPointer
            record.pointee.type_index = description.pointee.functions[imported &+ index]
            record.pointee.type_id = module.pointer.pointee.typeIDs[Int(record.pointee.type_index)]
            record.pointee.function_index = UInt32(truncatingIfNeeded: imported &+ index)
            functionTable[imported &+ index] = record
        }
        // Globals, in order (an initializer may read earlier globals).
        for index in 0..<description.pointee.globalInitializers.count {
            let globalIndex = description.pointee.importedGlobalCount &+ index
            globals[globalIndex &* 2] = ConstantEvaluator.evaluate(description.pointee.globalInitializers[index], in: description, globals: globals)
        }
    }

    private mutating func createTables(_ description: UnsafePointer<ModuleDescription>) throws(SwasmError) {
        let count = description.pointee.tables.count
        guard count > 0 else { return }
        tablePointers = try Heap.allocateZeroed(UnsafeMutablePointer<swasm_table>?.self, count: count)
        tables = try Heap.allocateZeroed(swasm_table.self, count: count)
        for index in 0..<count {
            let type = description.pointee.tables[index]
            guard type.limits.minimum <= 10_000_000 else { throw .limitExceeded }
            let size = Int(type.limits.minimum)
            tables![index].elements = size > 0 ? try Heap.allocateZeroed(UInt64.self, count: size) : nil
            tables![index].size = UInt64(size)
            tableCount = index &+ 1
            tablePointers![index] = tables!.advanced(by: index)
        }
    }

    /// The reference value of element `item` of a segment (a function pointer or 0).
    private func elementValue(_ segment: borrowing ElementSegment, _ item: Int, _ description: UnsafePointer<ModuleDescription>) -> UInt64 {
        if !segment.usesExpressions {
            return UInt64(UInt(bitPattern: functionTable[Int(segment.functionIndices[item])]))
        }
        let expression = segment.expressions[item]
        var reader = CodeReader(description.pointee.slice(ByteRange(start: 0, count: description.pointee.bytes.count)),
                                start: expression.start, end: expression.end)
        switch reader.byte() {
        case 0xd2: return UInt64(UInt(bitPattern: functionTable[Int(reader.u32())]))
        case 0x23: return globals[Int(reader.u32()) &* 2]
        default: return 0 // ref.null
        }
    }

    /// Applies active element segments to tables, then active data segments to memory 0, in
    /// order; the trap that stops it (out of bounds), if any.
    mutating func initializeSegments() -> TrapCode? {
        let description = withUnsafeMutablePointer(to: &module.pointer.pointee.description) { UnsafePointer($0) }
        for index in 0..<description.pointee.elements.count {
            let segment = description.pointee.elements.base!.advanced(by: index)
            guard case .active(let tableIndex, let offsetExpression) = segment.pointee.mode else { continue }
            let offset = UInt64(UInt32(truncatingIfNeeded: ConstantEvaluator.evaluate(offsetExpression, in: description, globals: globals)))
            let count = UInt64(segment.pointee.count)
            guard let table = tablePointers?[Int(tableIndex)], offset &+ count <= table.pointee.size else { return .tableOutOfBounds }
            for item in 0..<Int(count) {
                table.pointee.elements[Int(offset) &+ item] = elementValue(segment.pointee, item, description)
            }
        }
        return initializeData() ? nil : .memoryOutOfBounds
    }

    /// Copies active data segments into memory 0; false when one is out of bounds (a trap).
    mutating func initializeData() -> Bool {
        let description = withUnsafeMutablePointer(to: &module.pointer.pointee.description) { UnsafePointer($0) }
        for index in 0..<description.pointee.data.count {
            let segment = description.pointee.data[index]
            guard case .active(_, let offsetExpression) = segment.mode else { continue }
            let offset = UInt64(UInt32(truncatingIfNeeded: ConstantEvaluator.evaluate(offsetExpression, in: description, globals: globals)))
            let size = memory?.pointee.byteCount ?? 0
            let count = UInt64(segment.bytes.count)
            guard offset &+ count <= size else { return false }
            if count > 0, let base = memory?.pointee.base {
                let source = description.pointee.slice(segment.bytes)
                UnsafeMutableRawPointer(base.advanced(by: Int(offset))).copyMemory(from: source.baseAddress!, byteCount: Int(count))
            }
            dataSegments?[index].size = 0 // active segments are dropped once applied
        }
        return true
    }
}

/// Evaluates validated constant expressions (global initializers, segment offsets).
enum ConstantEvaluator {
    static func evaluate(_ expression: ConstantExpression, in module: UnsafePointer<ModuleDescription>, globals: UnsafePointer<UInt64>) -> UInt64 {
        var reader = CodeReader(module.pointee.slice(ByteRange(start: 0, count: module.pointee.bytes.count)),
                                start: expression.start, end: expression.end)
        var value: UInt64 = 0
        while !reader.isAtEnd {
            switch reader.byte() {
            case 0x41: value = UInt64(UInt32(bitPattern: reader.s32()))
            case 0x42: value = UInt64(bitPattern: reader.s64())
            case 0x43: value = UInt64(reader.fixed32())
            case 0x44: value = reader.fixed64()
            case 0x23: value = globals[Int(reader.u32()) &* 2]
            case 0xd0: _ = reader.byte(); value = 0
            case 0xd2: _ = reader.u32(); value = 0 // function references: with tables
            case 0x0b: return value
            default: return value
            }
        }
        return value
    }
}
