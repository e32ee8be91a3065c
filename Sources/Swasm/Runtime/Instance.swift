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
    /// Where compiled code finds memory 0 when there is none.
    var noMemoryBase: UnsafeMutablePointer<UInt8>? = nil
    var noMemorySize: UInt64 = 0

    deinit {
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
            record.pointee.functions = functionTable
            record.pointee.memory = memoryBase
            record.pointee.memory_size = memorySize
            record.pointee.globals = globals
            record.pointee.instance = selfPointer
            record.pointee.type_index = description.pointee.functions[imported &+ index]
            record.pointee.function_index = UInt32(truncatingIfNeeded: imported &+ index)
            functionTable[imported &+ index] = record
        }
        // Globals, in order (an initializer may read earlier globals).
        for index in 0..<description.pointee.globalInitializers.count {
            let globalIndex = description.pointee.importedGlobalCount &+ index
            globals[globalIndex &* 2] = ConstantEvaluator.evaluate(description.pointee.globalInitializers[index], in: description, globals: globals)
        }
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
