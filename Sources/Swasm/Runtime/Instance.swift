import CSwasm

/// An instance of a compiled module in a store: its functions as the interpreter calls them, its
/// memory, globals and tables, imported or its own. Lives in a heap cell that never moves
/// (compiled code holds pointers into it) and is owned by its store.
public struct Instance: ~Copyable {
    public let module: Shared<CompiledModule>
    /// One entry per function index (imported first); the `call` instruction indexes it.
    public let functionTable: UnsafeMutablePointer<UnsafeMutablePointer<swasm_function>?>
    public let functionCount: Int
    /// The defined functions' records.
    public let definedFunctions: UnsafeMutablePointer<swasm_function>
    /// Every memory by index (imported first), and how many were imported (the instance owns
    /// the others).
    var memories: UnsafeMutablePointer<UnsafeMutablePointer<LinearMemory>?>?
    var memoryCount = 0
    var importedMemoryCount = 0
    /// Every tag by index (imported first; the instance owns the others).
    var tags: UnsafeMutablePointer<UnsafeMutablePointer<TagInstance>?>?
    var tagCount = 0
    var importedTagCount = 0
    /// Memory 0, if the module has memories.
    public var memory: UnsafeMutablePointer<LinearMemory>? { memoryCount > 0 ? memories![0] : nil }
    /// Globals: a cell pointer per global index, the defined globals' cells, and the objects
    /// exports hand out.
    let globalPointers: UnsafeMutablePointer<UnsafeMutablePointer<UInt64>?>
    let globalCells: UnsafeMutablePointer<UInt64>
    let globalObjects: UnsafeMutablePointer<GlobalObject>
    /// Tables: the defined ones, a pointer per table index, and the objects exports hand out.
    var tables: UnsafeMutablePointer<swasm_table>?
    var definedTableCount = 0
    var tablePointers: UnsafeMutablePointer<UnsafeMutablePointer<swasm_table>?>?
    var tableObjects: UnsafeMutablePointer<TableObject>?
    /// Data segments as `memory.init` sees them.
    var dataSegments: UnsafeMutablePointer<swasm_segment>?
    /// Element segments' values as `table.init` sees them (owned arrays).
    var elementSegments: UnsafeMutablePointer<swasm_segment>?
    var elementSegmentCount = 0
    /// What compiled code of this instance reaches (`swasm_context`).
    var context = swasm_context()
    /// Where compiled code finds memory 0 when there is none.
    var noMemoryBase: UnsafeMutablePointer<UInt8>? = nil
    var noMemorySize: UInt64 = 0

    deinit {
        if let tables {
            for index in 0..<definedTableCount { Heap.free(tables[index].elements) }
            Heap.free(tables)
        }
        Heap.free(tablePointers)
        Heap.free(tableObjects)
        Heap.free(dataSegments)
        if let elementSegments {
            for index in 0..<elementSegmentCount { Heap.freeRaw(UnsafeMutableRawPointer(mutating: elementSegments[index].bytes)) }
            Heap.free(elementSegments)
        }
        if let memories {
            // Its own memories, and the shared memories it imported (it owns a share of each;
            // the module's import says which: another instance's memory may be gone already).
            for index in 0..<memoryCount {
                guard let memory = memories[index],
                      index >= importedMemoryCount || module.pointer.pointee.description.memories[index].isShared else { continue }
                LinearMemory.release(memory)
            }
            Heap.free(memories)
        }
        if let tags {
            for index in importedTagCount..<tagCount { if let tag = tags[index] { Heap.destroy(tag) } }
            Heap.free(tags)
        }
        Heap.free(functionTable)
        Heap.free(definedFunctions)
        Heap.free(globalPointers)
        Heap.free(globalCells)
        Heap.free(globalObjects)
        module.release()
    }

    init(module: Shared<CompiledModule>, functionTable: UnsafeMutablePointer<UnsafeMutablePointer<swasm_function>?>, functionCount: Int,
         definedFunctions: UnsafeMutablePointer<swasm_function>, globalPointers: UnsafeMutablePointer<UnsafeMutablePointer<UInt64>?>,
         globalCells: UnsafeMutablePointer<UInt64>, globalObjects: UnsafeMutablePointer<GlobalObject>) {
        self.module = module
        self.functionTable = functionTable
        self.functionCount = functionCount
        self.definedFunctions = definedFunctions
        self.globalPointers = globalPointers
        self.globalCells = globalCells
        self.globalObjects = globalObjects
    }

    /// Builds an instance from resolved, type-checked imports (without running its start
    /// function or the segment initializers that can trap).
    static func create(_ module: Shared<CompiledModule>, store: UnsafeMutablePointer<Store>, imports: UnsafePointer<ExternValue>?,
                       diagnostic: inout Diagnostic) throws(SwasmError) -> UnsafeMutablePointer<Instance> {
        let description = withUnsafeMutablePointer(to: &module.pointer.pointee.description) { UnsafePointer($0) }
        let functionCount = description.pointee.functions.count
        let globalCount = description.pointee.globals.count
        let definedGlobals = description.pointee.globalInitializers.count
        let table = try Heap.allocateZeroed(UnsafeMutablePointer<swasm_function>?.self, count: functionCount)
        var defined: UnsafeMutablePointer<swasm_function>? = nil
        var pointers: UnsafeMutablePointer<UnsafeMutablePointer<UInt64>?>? = nil
        var cells: UnsafeMutablePointer<UInt64>? = nil
        var objects: UnsafeMutablePointer<GlobalObject>? = nil
        do {
            defined = try Heap.allocateZeroed(swasm_function.self, count: description.pointee.bodies.count)
            pointers = try Heap.allocateZeroed(UnsafeMutablePointer<UInt64>?.self, count: globalCount)
            cells = try Heap.allocateZeroed(UInt64.self, count: definedGlobals &* 2)
            // Heap.allocate checks the size for overflow and throws .outOfMemory on failure; never aborts.
            objects = try Heap.allocate(GlobalObject.self, count: globalCount)
        } catch {
            Heap.free(table)
            Heap.free(defined)
            Heap.free(pointers)
            Heap.free(cells)
            throw error
        }
        let instance: UnsafeMutablePointer<Instance>
        do {
            module.retain()
            instance = try Heap.emplace {
                Instance(module: module, functionTable: table, functionCount: functionCount, definedFunctions: defined!,
                         globalPointers: pointers!, globalCells: cells!, globalObjects: objects!)
            }
        } catch {
            module.release()
            Heap.free(table)
            Heap.free(defined)
            Heap.free(pointers)
            Heap.free(cells)
            Heap.free(objects)
            throw error
        }
        do {
            try instance.pointee.initialize(store: store, imports: imports, diagnostic: &diagnostic)
        } catch {
            Heap.destroy(instance)
            throw error
        }
        return instance
    }

    private mutating func initialize(store: UnsafeMutablePointer<Store>, imports: UnsafePointer<ExternValue>?,
                                     diagnostic: inout Diagnostic) throws(SwasmError) {
        let description = withUnsafeMutablePointer(to: &module.pointer.pointee.description) { UnsafePointer($0) }
        let importedGlobals = description.pointee.importedGlobalCount
        let objects = ConstantEvaluator.Objects(store: store, layouts: module.pointer.pointee.gcLayouts.base.map { UnsafePointer($0) })
        // Imports, in order, into their index spaces.
        var functionIndex = 0
        var globalIndex = 0
        var tableIndex = 0
        var memoryIndex = 0
        let tableCount = description.pointee.tables.count
        memoryCount = description.pointee.memories.count
        if memoryCount > 0 {
            memories = try Heap.allocateZeroed(UnsafeMutablePointer<LinearMemory>?.self, count: memoryCount)
            // Compiled code reads the same pointers as `swasm_memory`s (LinearMemory's leading fields).
            context.memories = UnsafeMutableRawPointer(memories!).assumingMemoryBound(to: UnsafeMutablePointer<swasm_memory>?.self)
        }
        tagCount = description.pointee.tags.count
        var tagIndex = 0
        if tagCount > 0 {
            tags = try Heap.allocateZeroed(UnsafeMutablePointer<TagInstance>?.self, count: tagCount)
            context.tags = UnsafeMutableRawPointer(tags!).assumingMemoryBound(to: UnsafeMutableRawPointer?.self)
        }
        if tableCount > 0 {
            tablePointers = try Heap.allocateZeroed(UnsafeMutablePointer<swasm_table>?.self, count: tableCount)
            // Heap.allocate checks the size for overflow and throws .outOfMemory on failure; never aborts.
            tableObjects = try Heap.allocate(TableObject.self, count: tableCount)
        }
        for index in 0..<description.pointee.imports.count {
            switch imports![index] {
            case .function(let function):
                functionTable[functionIndex] = function
                functionIndex &+= 1
            case .global(let global):
                globalPointers[globalIndex] = global.pointee.cell
                globalObjects.advanced(by: globalIndex).initialize(to: global.pointee)
                globalIndex &+= 1
            case .table(let object):
                tablePointers![tableIndex] = object.pointee.table
                tableObjects!.advanced(by: tableIndex).initialize(to: object.pointee)
                tableIndex &+= 1
            case .memory(let imported):
                if description.pointee.memories[memoryIndex].isShared { LinearMemory.retain(imported) }
                memories![memoryIndex] = imported
                memoryIndex &+= 1
                importedMemoryCount = memoryIndex
            case .tag(let imported):
                tags![tagIndex] = imported
                tagIndex &+= 1
                importedTagCount = tagIndex
            }
        }
        for index in tagIndex..<tagCount {
            let signature = description.pointee.functionType(description.pointee.tags[index])
            tags![index] = try TagInstance.create(parameters: signature.pointee.parameters, module: UnsafePointer(module.pointer),
                                                  typeIndex: description.pointee.tags[index])
        }
        for index in memoryIndex..<memoryCount {
            if description.pointee.memories[index].isShared && !store.pointee.engine.pointer.pointee.config.sharedMemory {
                diagnostic.record("shared memory support is disabled for this engine -- see `Config::shared_memory`")
                throw .invalidArgument
            }
            try store.pointee.limits.check(description.pointee.memories[index], &diagnostic)
            let type = description.pointee.memories[index]
            if store.pointee.engine.pointer.pointee.pool.isPooling && !type.isShared {
                memories![index] = try LinearMemory.createPooled(type, limits: store.pointee.limits, in: store.pointee.engine.pointer.pointee.pool,
                                                                 image: module.pointer.pointee.imageID(ofMemory: index), diagnostic: &diagnostic)
            } else if let creator = store.pointee.engine.pointer.pointee.config.memoryCreator, !type.isShared {
                // The engine's memory creator makes every memory but shared ones, which never
                // move and grow from any thread: swasm keeps those itself.
                memories![index] = try LinearMemory.create(type, limits: store.pointee.limits, creator: creator, diagnostic: &diagnostic)
            } else {
                memories![index] = try LinearMemory.create(type, limits: store.pointee.limits)
            }
        }
        for index in tableIndex..<description.pointee.tables.count {
            try store.pointee.limits.check(description.pointee.tables[index], &diagnostic)
        }
        let engine = store.pointee.engine.pointer
        try createTables(description, firstDefined: tableIndex,
                         poolTableElements: engine.pointee.pool.isPooling ? UInt64(engine.pointee.pool.config.tableElements) : nil)
        let memoryBase: UnsafeMutablePointer<UnsafeMutablePointer<UInt8>?>
        let memorySize: UnsafeMutablePointer<UInt64>
        if let memory {
            memoryBase = withUnsafeMutablePointer(to: &memory.pointee.base) { $0 }
            memorySize = withUnsafeMutablePointer(to: &memory.pointee.byteCount) { $0 }
        } else {
            memoryBase = withUnsafeMutablePointer(to: &noMemoryBase) { $0 }
            memorySize = withUnsafeMutablePointer(to: &noMemorySize) { $0 }
        }
        let dataCount = description.pointee.data.count
        if dataCount > 0 {
            dataSegments = try Heap.allocateZeroed(swasm_segment.self, count: dataCount)
            for index in 0..<dataCount {
                let range = description.pointee.data[index].bytes
                dataSegments![index].bytes = description.pointee.slice(range).baseAddress?.assumingMemoryBound(to: UInt8.self)
                dataSegments![index].size = UInt64(range.count)
            }
        }
        let selfPointer = withUnsafeMutablePointer(to: &self) { UnsafeMutableRawPointer($0) }
        context.data = dataSegments
        context.elements = elementSegments
        context.functions = functionTable
        context.memory = memoryBase
        context.memory_size = memorySize
        context.globals = globalPointers
        context.tables = tablePointers
        context.type_ids = UnsafePointer(module.pointer.pointee.typeIDs.base)
        context.engine_type_ids = UnsafePointer(module.pointer.pointee.engineTypeIDs.base)
        context.gc_layouts = module.pointer.pointee.gcLayouts.base.map { UnsafePointer(UnsafeRawPointer($0).assumingMemoryBound(to: UnsafeRawPointer?.self)) }
        context.instance = selfPointer
        let contextPointer = withUnsafeMutablePointer(to: &context) { $0 }
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
            record.pointee.engine_type_id = module.pointer.pointee.engineTypeIDs[Int(record.pointee.type_index)]
            record.pointee.function_index = UInt32(truncatingIfNeeded: imported &+ index)
            functionTable[imported &+ index] = record
        }
        // Defined globals, in order (an initializer may read earlier globals).
        for index in 0..<description.pointee.globalInitializers.count {
            let globalIndex = importedGlobals &+ index
            let cell = globalCells.advanced(by: index &* 2)
            globalPointers[globalIndex] = cell
            let value = try ConstantEvaluator.evaluateWide(description.pointee.globalInitializers[index], in: description,
                                                           globals: globalPointers, functions: functionTable, objects: objects)
            cell[0] = value.0
            cell[1] = value.1
            globalObjects.advanced(by: globalIndex).initialize(to: GlobalObject(cell: cell, type: module.pointer.pointee.engineType(description.pointee.globals[globalIndex])))
        }
        try fillInitializedTables(description, firstDefined: description.pointee.importedTableCount, objects)
        try createElementSegments(description, objects)
        context.elements = elementSegments
    }

    /// Evaluates every element segment's items (passive segments keep them for `table.init`;
    /// active ones are applied by `initializeSegments` and then dropped).
    private mutating func createElementSegments(_ description: UnsafePointer<ModuleDescription>, _ objects: ConstantEvaluator.Objects) throws(SwasmError) {
        let count = description.pointee.elements.count
        guard count > 0 else { return }
        elementSegments = try Heap.allocateZeroed(swasm_segment.self, count: count)
        for index in 0..<count {
            let segment = description.pointee.elements.base!.advanced(by: index)
            if case .declarative = segment.pointee.mode { elementSegmentCount = index &+ 1; continue }
            let items = segment.pointee.count
            // Heap.allocate checks the size for overflow and throws .outOfMemory on failure; never aborts.
            let values = try Heap.allocate(UInt64.self, count: max(items, 1))
            for item in 0..<items {
                do {
                    values[item] = try elementValue(segment.pointee, item, description, objects)
                } catch {
                    Heap.free(values)
                    throw error
                }
            }
            elementSegments![index].bytes = UnsafePointer(UnsafeRawPointer(values).assumingMemoryBound(to: UInt8.self))
            elementSegments![index].size = UInt64(items)
            elementSegmentCount = index &+ 1
        }
    }

    private mutating func createTables(_ description: UnsafePointer<ModuleDescription>, firstDefined: Int,
                                       poolTableElements: UInt64?) throws(SwasmError) {
        let count = description.pointee.tables.count &- firstDefined
        guard count > 0 else { return }
        tables = try Heap.allocateZeroed(swasm_table.self, count: count)
        for index in 0..<count {
            let type = description.pointee.tables[firstDefined &+ index]
            guard type.limits.minimum <= UInt64(ImplementationLimits.tableSize) else { throw .limitExceeded } // checked before, with a message
            let size = Int(type.limits.minimum)
            tables![index].elements = size > 0 ? try Heap.allocateZeroed(UInt64.self, count: size) : nil
            tables![index].size = UInt64(size)
            tables![index].maximum = type.limits.maximum ?? UInt64.max
            // A pooling engine's tables hold at most `table_elements`.
            if let pooled = poolTableElements { tables![index].maximum = min(tables![index].maximum, pooled) }
            definedTableCount = index &+ 1
            tablePointers![firstDefined &+ index] = tables!.advanced(by: index)
            tableObjects!.advanced(by: firstDefined &+ index).initialize(to: TableObject(table: tables!.advanced(by: index), type: module.pointer.pointee.engineType(type)))
        }
    }

    /// Sets every element of the defined tables whose type has an initializer to its value.
    private func fillInitializedTables(_ description: UnsafePointer<ModuleDescription>, firstDefined: Int,
                                       _ objects: ConstantEvaluator.Objects) throws(SwasmError) {
        for index in 0..<description.pointee.tableInitializers.count {
            guard let initializer = description.pointee.tableInitializers[index], let table = tablePointers?[firstDefined &+ index] else { continue }
            let value = try ConstantEvaluator.evaluate(initializer, in: description, globals: globalPointers, functions: functionTable, objects: objects)
            for element in 0..<Int(table.pointee.size) { table.pointee.elements[element] = value }
        }
    }

    /// The reference value of element `item` of a segment (a function pointer or 0).
    private func elementValue(_ segment: borrowing ElementSegment, _ item: Int, _ description: UnsafePointer<ModuleDescription>,
                              _ objects: ConstantEvaluator.Objects) throws(SwasmError) -> UInt64 {
        if !segment.usesExpressions {
            return UInt64(UInt(bitPattern: functionTable[Int(segment.functionIndices[item])]))
        }
        return try ConstantEvaluator.evaluate(segment.expressions[item], in: description, globals: globalPointers, functions: functionTable, objects: objects)
    }

    /// Applies active element segments to tables, then active data segments to their memories,
    /// in order; the trap that stops it (out of bounds), if any. Throws only when a pooled memory
    /// slot could not map its image and was left unusable.
    mutating func initializeSegments() throws(SwasmError) -> TrapCode? {
        let description = withUnsafeMutablePointer(to: &module.pointer.pointee.description) { UnsafePointer($0) }
        for index in 0..<description.pointee.elements.count {
            let segment = description.pointee.elements.base!.advanced(by: index)
            guard case .active(let tableIndex, let offsetExpression) = segment.pointee.mode else { continue }
            let value = ConstantEvaluator.evaluate(offsetExpression, in: description, globals: globalPointers, functions: functionTable)
            let offset = description.pointee.tables[Int(tableIndex)].is64 ? value : UInt64(UInt32(truncatingIfNeeded: value))
            let count = UInt64(segment.pointee.count)
            guard let table = tablePointers?[Int(tableIndex)], offset <= table.pointee.size, count <= table.pointee.size &- offset else {
                return .tableOutOfBounds
            }
            // The segment's values, evaluated once when the instance was made.
            if count > 0, let values = elementSegments?[index].bytes {
                let words = UnsafeRawPointer(values).assumingMemoryBound(to: UInt64.self)
                table.pointee.elements.advanced(by: Int(offset)).update(from: words, count: Int(count))
            }
            elementSegments?[index].size = 0 // active segments are dropped once applied
        }
        try mapMemoryImages(description)
        for index in 0..<description.pointee.data.count {
            let segment = description.pointee.data[index]
            guard case .active(let memoryIndex, _) = segment.mode else { continue }
            guard let (target, offset) = activeDataTarget(segment, description) else { return .memoryOutOfBounds }
            // A memory of this instance that maps its image holds this segment already.
            let mapped = Int(memoryIndex) >= importedMemoryCount && target.pointee.mapsImage
            if !mapped, segment.bytes.count > 0, let base = target.pointee.base {
                let source = description.pointee.slice(segment.bytes)
                UnsafeMutableRawPointer(base.advanced(by: Int(offset))).copyMemory(from: source.baseAddress!, byteCount: segment.bytes.count)
            }
            dataSegments?[index].size = 0 // active segments are dropped once applied
        }
        return nil
    }

    /// The memory an active data segment writes and its offset there, or nil when it does not fit.
    private func activeDataTarget(_ segment: DataSegment, _ description: UnsafePointer<ModuleDescription>) -> (UnsafeMutablePointer<LinearMemory>, UInt64)? {
        guard case .active(let memoryIndex, let offsetExpression) = segment.mode,
              Int(memoryIndex) < memoryCount, let target = memories?[Int(memoryIndex)] else { return nil }
        let value = ConstantEvaluator.evaluate(offsetExpression, in: description, globals: globalPointers, functions: functionTable)
        let offset = target.pointee.type.is64 ? value : UInt64(UInt32(truncatingIfNeeded: value))
        let size = target.pointee.byteCount
        guard offset <= size, UInt64(segment.bytes.count) <= size &- offset else { return nil }
        return (target, offset)
    }

    /// Copy-on-write initialization (`wasmtime_config_memory_init_cow_set`): the memories whose
    /// image the module's artifact file carries map it instead of copying their segments. Only
    /// when every active data segment fits, so that no write is left out by a trap (the segments
    /// of other memories are copied after, which is then indistinguishable). A memory that cannot
    /// map its image keeps its segments to copy.
    private mutating func mapMemoryImages(_ description: UnsafePointer<ModuleDescription>) throws(SwasmError) {
        let file = module.pointer.pointee.imageFile
        guard file >= 0, module.pointer.pointee.engine.pointer.pointee.config.memoryInitCow,
              let runs = module.pointer.pointee.imageRuns.base else { return }
        for index in 0..<description.pointee.data.count {
            let segment = description.pointee.data[index]
            if case .active = segment.mode, activeDataTarget(segment, description) == nil { return }
        }
        let runCount = module.pointer.pointee.imageRuns.count
        var first = 0
        while first < runCount {
            let memoryIndex = Int(runs[first].memory)
            var end = first &+ 1
            while end < runCount && runs[end].memory == runs[first].memory { end &+= 1 }
            if memoryIndex >= importedMemoryCount && memoryIndex < memoryCount, let memory = memories?[memoryIndex] {
                _ = try memory.pointee.mapImage(UnsafeBufferPointer(start: runs.advanced(by: first), count: end &- first), file: file,
                                                image: module.pointer.pointee.imageID(ofMemory: memoryIndex))
            }
            first = end
        }
    }

    /// The item export `index` names.
    func exportValue(_ index: Int) -> ExternValue? {
        let export = module.pointer.pointee.description.exports.base!.advanced(by: index)
        let item = Int(export.pointee.index)
        switch export.pointee.kind {
        case .function: return functionTable[item].map { .function($0) }
        case .global: return .global(globalObjects.advanced(by: item))
        case .table: return tableObjects.map { .table($0.advanced(by: item)) }
        case .memory: return item < memoryCount ? memories![item].map { .memory($0) } : nil
        case .tag: return item < tagCount ? tags![item].map { .tag($0) } : nil
        }
    }

    /// The item exported under `name`, if any (tags have no item).
    func export(named name: UnsafeRawPointer?, count: Int) -> ExternValue? {
        let description = withUnsafeMutablePointer(to: &module.pointer.pointee.description) { UnsafePointer($0) }
        for index in 0..<description.pointee.exports.count
        where description.pointee.exports.base!.advanced(by: index).pointee.name.equals(name, count: count) {
            return exportValue(index)
        }
        return nil
    }
}
