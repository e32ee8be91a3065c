/// Validation of function bodies: the operand-stack and control-stack algorithm of the
/// specification's appendix, run while the body is decoded (one pass, no recursion: nested blocks
/// live on `controls`).
///
/// - The operand stack holds value types; `ValueType.bottom` is the unknown type that a
///   polymorphic stack (after `unreachable`, `br`, `br_table`, `return`) yields.
/// - Each control frame records its kind, block type, the operand height at its start and whether
///   the rest of it is unreachable.
/// - The deepest operand stack seen is the body's `maxStackHeight`.
///
/// On a validation failure the validator throws `.invalid` after recording the failure in its
/// reader, and leaves `instructionStart` at the failing instruction and `depth` at the control depth
/// before it, so the caller can decode the rest of the body without validating it.
/// Locals past the directly stored ones: a run of one type ending (exclusive) at `end`.
struct LocalRun: BitwiseCopyable {
    var end: Int
    var type: ValueType
}

struct ControlFrame: BitwiseCopyable {
    /// 0 for the function itself, else the opcode that opened it (block 0x02, loop 0x03, if 0x04),
    /// or 0x05 once an `if` reached its `else`.
    var kind: UInt8
    var unreachable: Bool
    var blockType: BlockType
    var height: Int
    /// Non-defaultable locals initialized before the frame began (`initializedLocals` height):
    /// those set inside it are uninitialized again after it.
    var initializedHeight: Int
}

public struct FunctionValidator: ~Copyable {
    var reader: ByteReader
    let features: Features
    var operands = ValidationStack<ValueType>()
    var controls = ValidationStack<ControlFrame>()
    /// Types of the current function's first parameters and locals (at most `directLocals`) ...
    var locals = ValidationStack<ValueType>()
    /// ... and the runs of locals that reach beyond them, found by binary search: setting up a
    /// function costs no more than its declarations' bytes, however many locals they declare.
    var localRuns = ValidationStack<LocalRun>()
    var localCount = 0
    static let directLocals = 1024
    /// Non-defaultable locals (function references, GC) must be set before they are read: the
    /// ones set so far, in order, and one flag per local (`localInitialized[index] != 0`).
    /// A function without such locals never touches them.
    var initializedLocals = ValidationStack<UInt32>()
    var localInitialized = FallibleVector<UInt8>()
    var hasNonDefaultableLocals = false
    /// Subtyping between the module's types.
    var typeTable = TypeTable(definitions: nil)
    /// Functions referenced outside function bodies (C.refs): one bit each.
    var declared = FallibleVector<UInt64>()
    /// Cached from the innermost frame.
    var frameHeight = 0
    var frameUnreachable = false
    var maxHeight = 0
    /// Offset of the instruction being validated.
    var instructionStart = 0

    init(reader: ByteReader, features: Features) {
        self.reader = reader
        self.features = features
    }

    /// Control depth (open frames, the function's own included).
    var depth: Int { controls.count }

    /// The kinds of the open frames, outermost first (for decoding the rest of a body that failed
    /// validation).
    func openFrameKinds(into kinds: inout FallibleVector<UInt8>) throws(SwasmError) {
        try kinds.reserve(kinds.count &+ controls.count)
        for index in 0..<controls.count { try kinds.append(controls[index].kind) }
    }

    // MARK: Module facts

    mutating func declareFunction(_ index: Int, functionCount: Int) throws(SwasmError) {
        if declared.isEmpty {
            let words = (functionCount &+ 63) >> 6
            try declared.reserve(words)
            for _ in 0..<words { try declared.append(0) }
        }
        guard index >> 6 < declared.count else { return }
        declared[index >> 6] |= 1 << UInt64(index & 63)
    }

    func isDeclared(_ index: Int) -> Bool {
        index >> 6 < declared.count && declared[index >> 6] & (1 << UInt64(index & 63)) != 0
    }

    // MARK: Entry

    /// Sets up the local types: the parameters of `typeIndex`, then the declared locals (whose
    /// total was checked against the limit).
    mutating func beginFunction(typeIndex: UInt32, locals groups: borrowing FallibleVector<LocalGroup>,
                                in module: borrowing ModuleDescription) throws(SwasmError) {
        locals.count = 0
        localRuns.count = 0
        let type = module.functionType(typeIndex)
        let parameterCount = type.pointee.parameters.count
        var total = parameterCount
        for group in 0..<groups.count { total &+= Int(groups[group].count) }
        localCount = total
        typeTable = module.typeTable
        initializedLocals.count = 0
        hasNonDefaultableLocals = false
        for group in 0..<groups.count where !groups[group].type.isDefaultable { hasNonDefaultableLocals = true }
        if hasNonDefaultableLocals {
            localInitialized.removeAll()
            try localInitialized.reserve(total)
            for _ in 0..<parameterCount { try localInitialized.append(1) }
            for group in 0..<groups.count {
                for _ in 0..<Int(groups[group].count) { try localInitialized.append(groups[group].type.isDefaultable ? 1 : 0) }
            }
        }
        let direct = total < Self.directLocals ? total : Self.directLocals
        try locals.reserve(extra: direct)
        var next = 0
        for index in 0..<parameterCount {
            if next < direct {
                locals.pushReserved(type.pointee.parameters[index])
            } else {
                try localRuns.push(LocalRun(end: next &+ 1, type: type.pointee.parameters[index]))
            }
            next &+= 1
        }
        for group in 0..<groups.count {
            let entry = groups[group]
            let count = Int(entry.count)
            let stored = direct &- locals.count
            for _ in 0..<(count < stored ? count : stored) { locals.pushReserved(entry.type) }
            next &+= count
            if next > direct { try localRuns.push(LocalRun(end: next, type: entry.type)) }
        }
    }

    /// The type of local `index`, or nil when there is no such local.
    @inline(__always)
    func localType(_ index: UInt32) -> ValueType? {
        let position = Int(index)
        if position < locals.count { return locals[position] }
        guard position < localCount else { return nil }
        var low = 0
        var high = localRuns.count
        while low < high {
            let middle = (low &+ high) >> 1
            if localRuns[middle].end <= position { low = middle &+ 1 } else { high = middle }
        }
        return low < localRuns.count ? localRuns[low].type : nil
    }

    /// Validates the instructions of a body from the reader's position through the body's final
    /// `end`; returns the maximum operand stack height.
    mutating func validateBody(reader: inout ByteReader, typeIndex: UInt32, in module: borrowing ModuleDescription) throws(SwasmError) -> Int {
        self.reader = reader
        defer { reader = self.reader }
        operands.count = 0
        controls.count = 0
        maxHeight = 0
        instructionStart = self.reader.position
        typeTable = module.typeTable
        try controls.push(ControlFrame(kind: 0, unreachable: false,
                                       blockType: BlockType(kind: BlockType.indexKind, value: .bottom, index: typeIndex), height: 0,
                                       initializedHeight: 0))
        frameHeight = 0
        frameUnreachable = false
        try run(module)
        return maxHeight
    }

    // MARK: Failures

    @inline(never)
    mutating func invalid(_ message: StaticString, _ detail: DecodeFailure.Detail = .none) -> SwasmError {
        reader.invalid(message, at: instructionStart, detail)
    }

    @inline(never)
    mutating func typeMismatch(_ expected: ValueType, _ actual: ValueType) -> SwasmError {
        reader.invalid("type mismatch", at: instructionStart, .typeMismatch(expected: expected, got: actual))
    }

    @inline(__always)
    mutating func require(_ feature: Features, _ message: StaticString) throws(SwasmError) {
        if !features.contains(feature) { throw invalid(message) }
    }

    /// After a decoder that may record a validation failure (feature checks of types).
    @inline(__always)
    func stopIfInvalid() throws(SwasmError) {
        if !reader.validating { throw .invalid }
    }

    // MARK: Operand stack

    @inline(__always)
    mutating func push(_ type: ValueType) throws(SwasmError) {
        try operands.push(type)
        if operands.count > maxHeight { maxHeight = operands.count }
    }

    @inline(__always)
    mutating func pop(_ expected: ValueType) throws(SwasmError) {
        let count = operands.count
        if count > frameHeight {
            let actual = operands[count &- 1]
            operands.count = count &- 1
            if actual == expected || actual == .bottom || typeTable.matches(actual, expected) { return }
            throw typeMismatch(expected, actual)
        }
        if !frameUnreachable { throw typeMismatch(expected, .bottom) }
    }

    /// Pops any value; `bottom` from a polymorphic stack.
    @inline(__always)
    mutating func popAny() throws(SwasmError) -> ValueType {
        let count = operands.count
        if count > frameHeight {
            operands.count = count &- 1
            return operands[count &- 1]
        }
        if !frameUnreachable { throw invalid("type mismatch", .note("expected a value but nothing on stack")) }
        return .bottom
    }

    /// Pops a reference of any type; from a polymorphic stack, a non-null reference to the
    /// unknown heap type.
    @inline(__always)
    mutating func popReference(_ note: StaticString) throws(SwasmError) -> ValueType {
        let type = try popAny()
        if type == .bottom { return ValueType(heap: .unknown, nullable: false) }
        guard type.isReference else { throw invalid("type mismatch", .note(note)) }
        return type
    }

    // MARK: Locals

    /// `local.get`: a non-defaultable local must have been set.
    @inline(__always)
    mutating func requireInitialized(_ index: UInt32) throws(SwasmError) {
        guard hasNonDefaultableLocals, localInitialized[Int(index)] == 0 else { return }
        throw invalid("uninitialized local", .index(UInt64(index)))
    }

    /// `local.set` and `local.tee` initialize a local until the end of the current block.
    @inline(__always)
    mutating func initialize(_ index: UInt32) throws(SwasmError) {
        guard hasNonDefaultableLocals, localInitialized[Int(index)] == 0 else { return }
        localInitialized[Int(index)] = 1
        try initializedLocals.push(index)
    }

    /// Forgets the initializations made since a frame began.
    @inline(__always)
    mutating func resetInitialized(to height: Int) {
        guard hasNonDefaultableLocals else { return }
        while initializedLocals.count > height {
            initializedLocals.count &-= 1
            localInitialized[Int(initializedLocals[initializedLocals.count])] = 0
        }
    }

    @inline(__always)
    mutating func unary(_ operand: ValueType, _ result: ValueType) throws(SwasmError) {
        try pop(operand)
        try push(result)
    }

    @inline(__always)
    mutating func binary(_ operand: ValueType, _ result: ValueType) throws(SwasmError) {
        try pop(operand)
        try pop(operand)
        try push(result)
    }

    /// Types an instruction by its signature (tools/wasm_instructions.py): its feature, then its
    /// operands, last first, then its result.
    @inline(__always)
    mutating func apply(_ signature: WasmSignature) throws(SwasmError) {
        if !signature.feature.isEmpty { try require(signature.feature, WasmInstructions.disabledMessage(signature.feature)) }
        switch signature.operandCount {
        case 1:
            break
        case 2:
            try pop(signature.second)
        default:
            try pop(signature.third)
            try pop(signature.second)
        }
        try pop(signature.first)
        try push(signature.result)
    }

    @inline(__always)
    mutating func markUnreachable() {
        operands.count = frameHeight
        frameUnreachable = true
        controls[controls.count &- 1].unreachable = true
    }

    // MARK: Block types

    /// Pops the parameters (`results == false`) or results of a block type, last first.
    @inline(__always)
    mutating func popTypes(_ type: BlockType, results: Bool, _ module: borrowing ModuleDescription) throws(SwasmError) {
        switch type.kind {
        case BlockType.emptyKind:
            return
        case BlockType.valueKind:
            if results { try pop(type.value) }
        default:
            let signature = module.functionType(type.index)
            if results {
                var index = signature.pointee.results.count
                while index > 0 {
                    index &-= 1
                    try pop(signature.pointee.results[index])
                }
            } else {
                var index = signature.pointee.parameters.count
                while index > 0 {
                    index &-= 1
                    try pop(signature.pointee.parameters[index])
                }
            }
        }
    }

    /// Pushes the parameters or results of a block type.
    @inline(__always)
    mutating func pushTypes(_ type: BlockType, results: Bool, _ module: borrowing ModuleDescription) throws(SwasmError) {
        switch type.kind {
        case BlockType.emptyKind:
            return
        case BlockType.valueKind:
            if results { try push(type.value) }
        default:
            let signature = module.functionType(type.index)
            if results {
                for index in 0..<signature.pointee.results.count { try push(signature.pointee.results[index]) }
            } else {
                for index in 0..<signature.pointee.parameters.count { try push(signature.pointee.parameters[index]) }
            }
        }
    }

    func typeCount(_ type: BlockType, results: Bool, _ module: borrowing ModuleDescription) -> Int {
        switch type.kind {
        case BlockType.emptyKind: return 0
        case BlockType.valueKind: return results ? 1 : 0
        default:
            let signature = module.functionType(type.index)
            return results ? signature.pointee.results.count : signature.pointee.parameters.count
        }
    }

    func typeAt(_ type: BlockType, results: Bool, _ index: Int, _ module: borrowing ModuleDescription) -> ValueType {
        if type.kind == BlockType.valueKind { return type.value }
        let signature = module.functionType(type.index)
        return results ? signature.pointee.results[index] : signature.pointee.parameters[index]
    }

    /// Whether a block type's parameters match its results (an `if` without `else`).
    func parametersMatchResults(_ type: BlockType, _ module: borrowing ModuleDescription) -> Bool {
        switch type.kind {
        case BlockType.emptyKind: return true
        case BlockType.valueKind: return false
        default:
            let signature = module.functionType(type.index)
            let count = signature.pointee.parameters.count
            guard count == signature.pointee.results.count else { return false }
            for index in 0..<count where !typeTable.matches(signature.pointee.parameters[index], signature.pointee.results[index]) { return false }
            return true
        }
    }

    @inline(__always)
    mutating func readBlockType(_ module: borrowing ModuleDescription) throws(SwasmError) -> BlockType {
        let type = try reader.readBlockType(typeCount: module.types.count, features: features)
        try stopIfInvalid()
        if type.kind == BlockType.indexKind { try requireFunctionType(type.index, module) }
        return type
    }

    // MARK: Control frames

    @inline(__always)
    mutating func pushFrame(_ kind: UInt8, _ type: BlockType, _ module: borrowing ModuleDescription) throws(SwasmError) {
        if controls.count >= ImplementationLimits.controlNesting {
            throw reader.limitExceeded("control blocks nested too deeply", at: instructionStart,
                                       count: UInt64(controls.count &+ 1), limit: ImplementationLimits.controlNesting)
        }
        try controls.push(ControlFrame(kind: kind, unreachable: false, blockType: type, height: operands.count,
                                       initializedHeight: initializedLocals.count))
        frameHeight = operands.count
        frameUnreachable = false
        try pushTypes(type, results: false, module)
    }

    /// `end`: true when it closed the function.
    @inline(__always)
    mutating func endFrame(_ module: borrowing ModuleDescription) throws(SwasmError) -> Bool {
        let top = controls.count &- 1
        let frame = controls[top]
        try popTypes(frame.blockType, results: true, module)
        guard operands.count == frame.height else {
            throw invalid("type mismatch", .note("values remaining on stack at end of block"))
        }
        if frame.kind == 0x04 && !parametersMatchResults(frame.blockType, module) {
            throw invalid("type mismatch", .note("if without else must leave its parameters as its results"))
        }
        resetInitialized(to: frame.initializedHeight)
        controls.count = top
        if top == 0 { return true }
        let outer = controls[top &- 1]
        frameHeight = outer.height
        frameUnreachable = outer.unreachable
        try pushTypes(frame.blockType, results: true, module)
        return false
    }

    mutating func elseFrame(_ module: borrowing ModuleDescription) throws(SwasmError) {
        let top = controls.count &- 1
        let frame = controls[top]
        guard frame.kind == 0x04 else {
            throw reader.malformed("END opcode expected", at: instructionStart, .note("else without if"))
        }
        try popTypes(frame.blockType, results: true, module)
        guard operands.count == frame.height else {
            throw invalid("type mismatch", .note("values remaining on stack at end of block"))
        }
        resetInitialized(to: frame.initializedHeight)
        controls[top].kind = 0x05
        controls[top].unreachable = false
        frameUnreachable = false
        try pushTypes(frame.blockType, results: false, module)
    }

    /// The frame a branch to relative depth `label` targets.
    @inline(__always)
    mutating func labelFrame(_ label: UInt32) throws(SwasmError) -> ControlFrame {
        guard Int(label) < controls.count else { throw invalid("unknown label", .index(UInt64(label))) }
        return controls[controls.count &- 1 &- Int(label)]
    }

    /// Pops (or pushes) the types a branch to `frame` carries: a loop's parameters, otherwise the
    /// block's results.
    @inline(__always)
    mutating func popLabel(_ frame: ControlFrame, _ module: borrowing ModuleDescription) throws(SwasmError) {
        try popTypes(frame.blockType, results: frame.kind != 0x03, module)
    }

    @inline(__always)
    mutating func pushLabel(_ frame: ControlFrame, _ module: borrowing ModuleDescription) throws(SwasmError) {
        try pushTypes(frame.blockType, results: frame.kind != 0x03, module)
    }

    /// `br_table`'s check of one target: its types must be on the stack, which stays as it is
    /// (the specification pops them and pushes back what it popped).
    mutating func checkLabelInPlace(_ frame: ControlFrame, _ module: borrowing ModuleDescription) throws(SwasmError) {
        let results = frame.kind != 0x03
        let count = typeCount(frame.blockType, results: results, module)
        var offset = 0
        while offset < count {
            let expected = typeAt(frame.blockType, results: results, count &- 1 &- offset, module)
            let position = operands.count &- 1 &- offset
            if position >= frameHeight {
                let actual = operands[position]
                if !typeTable.matches(actual, expected) { throw typeMismatch(expected, actual) }
            } else if frameUnreachable {
                return
            } else {
                throw typeMismatch(expected, .bottom)
            }
            offset &+= 1
        }
    }

    // MARK: Instructions

    private mutating func run(_ module: borrowing ModuleDescription) throws(SwasmError) {
        while true {
            let at = reader.position
            guard at < reader.end else { throw reader.missingEnd() }
            let opcode = reader.base[at]
            reader.position = at &+ 1
            instructionStart = at
            switch opcode {
            case 0x00:
                markUnreachable()
            case 0x01:
                break
            case 0x02, 0x03:
                let type = try readBlockType(module)
                try popTypes(type, results: false, module)
                try pushFrame(opcode, type, module)
            case 0x04:
                let type = try readBlockType(module)
                try pop(.i32)
                try popTypes(type, results: false, module)
                try pushFrame(opcode, type, module)
            case 0x08: // throw
                try require(.exceptions, "exceptions support is not enabled (throw)")
                let tag = try reader.readU32()
                guard Int(tag) < module.tags.count else { throw invalid("unknown tag", .index(UInt64(tag))) }
                try popTypes(BlockType(kind: BlockType.indexKind, value: .bottom, index: module.tags[Int(tag)]), results: false, module)
                markUnreachable()
            case 0x0a: // throw_ref
                try require(.exceptions, "exceptions support is not enabled (throw_ref)")
                try pop(.exnref)
                markUnreachable()
            case 0x1f: // try_table
                let type = try readBlockType(module)
                try require(.exceptions, "exceptions support is not enabled (try_table)")
                for _ in 0..<(try reader.readCatchClauseCount()) { try checkCatchClause(try reader.readCatchClause(), module) }
                try popTypes(type, results: false, module)
                try pushFrame(opcode, type, module)
            case 0x05:
                try elseFrame(module)
            case 0x0b:
                if try endFrame(module) { return }
            case 0x0c:
                let frame = try labelFrame(try reader.readU32())
                try popLabel(frame, module)
                markUnreachable()
            case 0x0d:
                let frame = try labelFrame(try reader.readU32())
                try pop(.i32)
                try popLabel(frame, module)
                try pushLabel(frame, module)
            case 0x0e:
                try branchTable(module)
            case 0x0f:
                try popTypes(controls[0].blockType, results: true, module)
                markUnreachable()
            case 0x10:
                let index = try reader.readU32()
                guard Int(index) < module.functions.count else { throw invalid("unknown function", .index(UInt64(index))) }
                let signature = BlockType(kind: BlockType.indexKind, value: .bottom, index: module.functions[Int(index)])
                try popTypes(signature, results: false, module)
                try pushTypes(signature, results: true, module)
            case 0x11:
                try callIndirect(module)
            case 0x12:
                try require(.tailCall, "tail calls support is not enabled")
                let index = try reader.readU32()
                guard Int(index) < module.functions.count else { throw invalid("unknown function", .index(UInt64(index))) }
                let signature = BlockType(kind: BlockType.indexKind, value: .bottom, index: module.functions[Int(index)])
                try popTypes(signature, results: false, module)
                try requireTailResults(signature, module)
                markUnreachable()
            case 0x13:
                try require(.tailCall, "tail calls support is not enabled")
                try callIndirect(module, tail: true)
            case 0x1a:
                _ = try popAny()
            case 0x1b:
                try pop(.i32)
                let first = try popAny()
                let second = try popAny()
                if first.isReference || second.isReference {
                    throw invalid("type mismatch", .note("select without a type needs numeric or vector operands"))
                }
                if first != second && first != .bottom && second != .bottom { throw typeMismatch(first, second) }
                try push(first == .bottom ? second : first)
            case 0x1c:
                let count = try reader.readCount()
                var type = ValueType.bottom
                for _ in 0..<count { type = try reader.readValueType(features: features) }
                try stopIfInvalid()
                try require(.referenceTypes, "reference types support is not enabled (typed select)")
                guard count == 1 else { throw invalid("invalid result arity", .note("select takes one type")) }
                try pop(.i32)
                try pop(type)
                try pop(type)
                try push(type)
            case 0x20:
                let index = try reader.readU32()
                guard let type = localType(index) else { throw invalid("unknown local", .index(UInt64(index))) }
                try requireInitialized(index)
                try push(type)
            case 0x21:
                let index = try reader.readU32()
                guard let type = localType(index) else { throw invalid("unknown local", .index(UInt64(index))) }
                try pop(type)
                try initialize(index)
            case 0x22:
                let index = try reader.readU32()
                guard let type = localType(index) else { throw invalid("unknown local", .index(UInt64(index))) }
                try pop(type)
                try initialize(index)
                try push(type)
            case 0x23:
                let index = try reader.readU32()
                guard Int(index) < module.globals.count else { throw invalid("unknown global", .index(UInt64(index))) }
                try push(module.globals[Int(index)].content)
            case 0x24:
                let index = try reader.readU32()
                guard Int(index) < module.globals.count else { throw invalid("unknown global", .index(UInt64(index))) }
                let global = module.globals[Int(index)]
                guard global.isMutable else { throw invalid("global is immutable", .index(UInt64(index))) }
                try pop(global.content)
            case 0x25:
                let tableIndex = try reader.readU32()
                let element = try table(tableIndex, module)
                try require(.referenceTypes, "reference types support is not enabled (table.get)")
                try pop(tableAddress(tableIndex, module))
                try push(element)
            case 0x26:
                let tableIndex = try reader.readU32()
                let element = try table(tableIndex, module)
                try require(.referenceTypes, "reference types support is not enabled (table.set)")
                try pop(element)
                try pop(tableAddress(tableIndex, module))
            case 0x28: try load(2, .i32, module)
            case 0x29: try load(3, .i64, module)
            case 0x2a: try load(2, .f32, module)
            case 0x2b: try load(3, .f64, module)
            case 0x2c, 0x2d: try load(0, .i32, module)
            case 0x2e, 0x2f: try load(1, .i32, module)
            case 0x30, 0x31: try load(0, .i64, module)
            case 0x32, 0x33: try load(1, .i64, module)
            case 0x34, 0x35: try load(2, .i64, module)
            case 0x36: try store(2, .i32, module)
            case 0x37: try store(3, .i64, module)
            case 0x38: try store(2, .f32, module)
            case 0x39: try store(3, .f64, module)
            case 0x3a: try store(0, .i32, module)
            case 0x3b: try store(1, .i32, module)
            case 0x3c: try store(0, .i64, module)
            case 0x3d: try store(1, .i64, module)
            case 0x3e: try store(2, .i64, module)
            case 0x3f:
                let address = try memory(try reader.readMemoryIndex(features: features), module)
                try push(address)
            case 0x40:
                let address = try memory(try reader.readMemoryIndex(features: features), module)
                try unary(address, address)
            case 0x41:
                _ = try reader.readS32()
                try push(.i32)
            case 0x42:
                _ = try reader.readS64()
                try push(.i64)
            case 0x43:
                _ = try reader.skip(4)
                try push(.f32)
            case 0x44:
                _ = try reader.skip(8)
                try push(.f64)
            case 0xd0:
                let heap = try reader.readHeapType(features: features)
                try stopIfInvalid()
                try require(.referenceTypes, "reference types support is not enabled (ref.null)")
                try push(ValueType(heap: heap, nullable: true))
            case 0xd1:
                try require(.referenceTypes, "reference types support is not enabled (ref.is_null)")
                _ = try popReference("ref.is_null needs a reference")
                try push(.i32)
            case 0xd2:
                let index = try reader.readU32()
                try require(.referenceTypes, "reference types support is not enabled (ref.func)")
                guard Int(index) < module.functions.count else { throw invalid("unknown function", .index(UInt64(index))) }
                guard isDeclared(Int(index)) else { throw invalid("undeclared function reference", .index(UInt64(index))) }
                try push(module.functionReferenceType(UInt32(index), features: features))
            case 0xd4: // ref.as_non_null
                try require(.functionReferences, "function references support is not enabled (ref.as_non_null)")
                let type = try popReference("ref.as_non_null needs a reference")
                try push(type.withNullable(false))
            case 0xd5: // br_on_null
                let label = try reader.readU32()
                try require(.functionReferences, "function references support is not enabled (br_on_null)")
                let frame = try labelFrame(label)
                let type = try popReference("br_on_null needs a reference")
                try popLabel(frame, module)
                try pushLabel(frame, module)
                try push(type.withNullable(false))
            case 0xd6: // br_on_non_null
                let label = try reader.readU32()
                try require(.functionReferences, "function references support is not enabled (br_on_non_null)")
                try branchOnNonNull(try labelFrame(label), module)
            case 0x14, 0x15: // call_ref, return_call_ref
                let typeIndex = try reader.readU32()
                try require(.functionReferences, "function references support is not enabled (call_ref)")
                if opcode == 0x15 { try require(.tailCall, "tail calls support is not enabled") }
                guard Int(typeIndex) < module.types.count else { throw invalid("unknown type", .index(UInt64(typeIndex))) }
                try requireFunctionType(typeIndex, module)
                let canonical = module.typeDefinitions[Int(typeIndex)].canonical
                try pop(ValueType(heap: .concrete(canonical), nullable: true))
                let signature = BlockType(kind: BlockType.indexKind, value: .bottom, index: typeIndex)
                try popTypes(signature, results: false, module)
                if opcode == 0x15 {
                    try requireTailResults(signature, module)
                    markUnreachable()
                } else {
                    try pushTypes(signature, results: true, module)
                }
            case 0xfc:
                try miscellaneous(module)
            case 0xfd:
                try vector(module)
            case 0xfe:
                try atomic(module)
            case 0xfb:
                try gc(module)
            case 0xd3:
                try referenceEquality()
            default:
                // The numeric instructions: typed by their signature alone.
                guard let signature = WasmInstructions.signature(opcode) else { throw reader.illegalOpcode(UInt32(opcode), at: at) }
                try apply(signature)
            }
        }
    }

    private mutating func branchTable(_ module: borrowing ModuleDescription) throws(SwasmError) {
        let countAt = reader.position
        let count = try reader.readCount()
        if count > ImplementationLimits.brTableTargets {
            throw reader.limitExceeded("too many br_table targets", at: countAt, count: UInt64(count), limit: ImplementationLimits.brTableTargets)
        }
        let targets = reader.position
        for _ in 0..<count { _ = try reader.readU32() }
        let defaultLabel = try reader.readU32()
        let after = reader.position
        try pop(.i32)
        let defaultFrame = try labelFrame(defaultLabel)
        let arity = typeCount(defaultFrame.blockType, results: defaultFrame.kind != 0x03, module)
        reader.position = targets
        for _ in 0..<count {
            let frame = try labelFrame(try reader.readU32())
            guard typeCount(frame.blockType, results: frame.kind != 0x03, module) == arity else {
                throw invalid("type mismatch", .note("br_table targets have different arities"))
            }
            try checkLabelInPlace(frame, module)
        }
        reader.position = after
        try popLabel(defaultFrame, module)
        markUnreachable()
    }

    /// A `try_table` catch clause (its label relative to the frames outside the try_table): the
    /// tag exists, and the label takes what the clause delivers, exactly: the tag's parameters
    /// (`catch`, `catch_ref`), then an exnref (`catch_ref`, `catch_all_ref`).
    private mutating func checkCatchClause(_ clause: CatchClause, _ module: borrowing ModuleDescription) throws(SwasmError) {
        var tagType = BlockType.empty
        if clause.pushesValues {
            guard Int(clause.tag) < module.tags.count else { throw invalid("unknown tag", .index(UInt64(clause.tag))) }
            tagType = BlockType(kind: BlockType.indexKind, value: .bottom, index: module.tags[Int(clause.tag)])
        }
        let frame = try labelFrame(clause.label)
        let results = frame.kind != 0x03
        let values = clause.pushesValues ? typeCount(tagType, results: false, module) : 0
        let delivered = values &+ (clause.pushesReference ? 1 : 0)
        var same = typeCount(frame.blockType, results: results, module) == delivered
        for index in 0..<values where same && !typeTable.matches(typeAt(tagType, results: false, index, module), typeAt(frame.blockType, results: results, index, module)) {
            same = false
        }
        if same && clause.pushesReference && !typeTable.matches(ValueType(heap: .exception, nullable: false), typeAt(frame.blockType, results: results, values, module)) {
            same = false
        }
        if !same { throw invalid("type mismatch", .note("a catch clause's label must take what the clause delivers")) }
    }

    /// A tail call's callee returns for the function: its results must be the function's.
    private mutating func requireTailResults(_ callee: BlockType, _ module: borrowing ModuleDescription) throws(SwasmError) {
        let function = controls[0].blockType
        let count = typeCount(callee, results: true, module)
        var same = count == typeCount(function, results: true, module)
        for index in 0..<count where same && !typeTable.matches(typeAt(callee, results: true, index, module), typeAt(function, results: true, index, module)) {
            same = false
        }
        if !same { throw invalid("type mismatch", .note("a tail call's callee must return the function's results")) }
    }

    /// `call_indirect`, or with `tail` `return_call_indirect`.
    private mutating func callIndirect(_ module: borrowing ModuleDescription, tail: Bool = false) throws(SwasmError) {
        let typeIndex = try reader.readU32()
        let tableIndex = try reader.readU32()
        if tableIndex != 0 && !features.contains(.referenceTypes) {
            throw invalid("zero byte expected", .note("a call_indirect table index needs the reference-types feature"))
        }
        guard Int(tableIndex) < module.tables.count else { throw invalid("unknown table", .index(UInt64(tableIndex))) }
        guard Int(typeIndex) < module.types.count else { throw invalid("unknown type", .index(UInt64(typeIndex))) }
        try requireFunctionType(typeIndex, module)
        guard typeTable.matches(module.tables[Int(tableIndex)].element, .funcref) else {
            throw invalid("type mismatch", .note("call_indirect needs a table of funcref"))
        }
        try pop(tableAddress(tableIndex, module))
        let signature = BlockType(kind: BlockType.indexKind, value: .bottom, index: typeIndex)
        try popTypes(signature, results: false, module)
        if tail {
            try requireTailResults(signature, module)
            return markUnreachable()
        }
        try pushTypes(signature, results: true, module)
    }

    /// The element type of table `index`.
    @inline(__always)
    mutating func table(_ index: UInt32, _ module: borrowing ModuleDescription) throws(SwasmError) -> ValueType {
        guard Int(index) < module.tables.count else { throw invalid("unknown table", .index(UInt64(index))) }
        return module.tables[Int(index)].element
    }

    /// Memory `index`'s address type, once the memory is known to exist (an index other than 0
    /// needs multi-memory).
    @inline(__always)
    mutating func memory(_ index: UInt32, _ module: borrowing ModuleDescription) throws(SwasmError) -> ValueType {
        if index != 0 && !features.contains(.multiMemory) {
            throw invalid("unknown memory", .note("a memory index other than 0 needs the multi-memory feature"))
        }
        guard Int(index) < module.memories.count else { throw invalid("unknown memory", .index(UInt64(index))) }
        return module.memories[Int(index)].is64 ? .i64 : .i32
    }

    /// Checks a memory instruction's immediate (the memory exists, alignment at most natural, a
    /// 32-bit memory's offset fits in 32 bits); the memory's address type.
    @inline(__always)
    mutating func checkMemoryArgument(_ argument: MemoryArgument, natural: UInt32, _ module: borrowing ModuleDescription) throws(SwasmError) -> ValueType {
        let address = try memory(argument.memory, module)
        if argument.align > natural { throw invalid("alignment must not be larger than natural") }
        if address == .i32 && argument.offset > 0xffff_ffff { throw invalid("offset out of range", .note("a 32-bit memory's offset must fit in 32 bits")) }
        return address
    }

    @inline(__always)
    mutating func load(_ natural: UInt32, _ result: ValueType, _ module: borrowing ModuleDescription) throws(SwasmError) {
        let argument = try reader.readMemoryArgument(features: features)
        let address = try checkMemoryArgument(argument, natural: natural, module)
        try pop(address)
        try push(result)
    }

    @inline(__always)
    mutating func store(_ natural: UInt32, _ value: ValueType, _ module: borrowing ModuleDescription) throws(SwasmError) {
        let argument = try reader.readMemoryArgument(features: features)
        let address = try checkMemoryArgument(argument, natural: natural, module)
        try pop(value)
        try pop(address)
    }

    /// The type of a table's indices (i64 for a 64-bit table).
    @inline(__always)
    func tableAddress(_ index: UInt32, _ module: borrowing ModuleDescription) -> ValueType {
        module.tables[Int(index)].is64 ? .i64 : .i32
    }

    /// The 0xFC-prefixed instructions: saturating truncation, bulk memory, table instructions.
    private mutating func miscellaneous(_ module: borrowing ModuleDescription) throws(SwasmError) {
        let code = try reader.readU32()
        if let signature = WasmInstructions.signatureFC(code) { return try apply(signature) }
        switch code {
        case 8:
            if module.dataCount == nil { reader.usesDataWithoutCount = true }
            let segment = try reader.readU32()
            let memoryIndex = try reader.readMemoryIndex(features: features)
            try require(.bulkMemory, "bulk memory support is not enabled (memory.init)")
            let address = try memory(memoryIndex, module)
            try requireDataSegment(segment, module)
            try pop(.i32)
            try pop(.i32)
            try pop(address)
        case 9:
            if module.dataCount == nil { reader.usesDataWithoutCount = true }
            let segment = try reader.readU32()
            try require(.bulkMemory, "bulk memory support is not enabled (data.drop)")
            try requireDataSegment(segment, module)
        case 10:
            let destinationIndex = try reader.readMemoryIndex(features: features)
            let sourceIndex = try reader.readMemoryIndex(features: features)
            try require(.bulkMemory, "bulk memory support is not enabled (memory.copy)")
            let destination = try memory(destinationIndex, module)
            let source = try memory(sourceIndex, module)
            try pop(destination == .i64 && source == .i64 ? .i64 : .i32)
            try pop(source)
            try pop(destination)
        case 11:
            let memoryIndex = try reader.readMemoryIndex(features: features)
            try require(.bulkMemory, "bulk memory support is not enabled (memory.fill)")
            let address = try memory(memoryIndex, module)
            try pop(address)
            try pop(.i32)
            try pop(address)
        case 12:
            let segment = try reader.readU32()
            let tableIndex = try reader.readU32()
            try require(.bulkMemory, "bulk memory support is not enabled (table.init)")
            let element = try table(tableIndex, module)
            let segmentType = try elementSegment(segment, module)
            if !typeTable.matches(segmentType, element) { throw typeMismatch(element, segmentType) }
            try pop(.i32)
            try pop(.i32)
            try pop(tableAddress(tableIndex, module))
        case 13:
            let segment = try reader.readU32()
            try require(.bulkMemory, "bulk memory support is not enabled (elem.drop)")
            _ = try elementSegment(segment, module)
        case 14:
            let destination = try reader.readU32()
            let source = try reader.readU32()
            try require(.bulkMemory, "bulk memory support is not enabled (table.copy)")
            let destinationType = try table(destination, module)
            let sourceType = try table(source, module)
            if !typeTable.matches(sourceType, destinationType) { throw typeMismatch(destinationType, sourceType) }
            let destinationAddress = tableAddress(destination, module), sourceAddress = tableAddress(source, module)
            try pop(destinationAddress == .i64 && sourceAddress == .i64 ? .i64 : .i32)
            try pop(sourceAddress)
            try pop(destinationAddress)
        case 15:
            let tableIndex = try reader.readU32()
            let element = try table(tableIndex, module)
            try require(.referenceTypes, "reference types support is not enabled (table.grow)")
            let address = tableAddress(tableIndex, module)
            try pop(address)
            try pop(element)
            try push(address)
        case 16:
            let tableIndex = try reader.readU32()
            _ = try table(tableIndex, module)
            try require(.referenceTypes, "reference types support is not enabled (table.size)")
            try push(tableAddress(tableIndex, module))
        case 19, 20: // i64.add128, i64.sub128
            try require(.wideArithmetic, "wide arithmetic support is not enabled")
            for _ in 0..<4 { try pop(.i64) }
            try push(.i64)
            try push(.i64)
        case 21, 22: // i64.mul_wide_s, i64.mul_wide_u
            try require(.wideArithmetic, "wide arithmetic support is not enabled")
            try pop(.i64)
            try pop(.i64)
            try push(.i64)
            try push(.i64)
        case 17:
            let tableIndex = try reader.readU32()
            let element = try table(tableIndex, module)
            try require(.referenceTypes, "reference types support is not enabled (table.fill)")
            let address = tableAddress(tableIndex, module)
            try pop(address)
            try pop(element)
            try pop(address)
        default:
            throw reader.illegalOpcode(code, prefix: 0xfc, at: instructionStart)
        }
    }

    /// Without a data count section the module has no data segments as far as function bodies can
    /// tell: the index is unknown (and if a data section follows, the module is malformed instead,
    /// "data count section required", which the module decoder reports at the end).
    @inline(__always)
    mutating func requireDataSegment(_ index: UInt32, _ module: borrowing ModuleDescription) throws(SwasmError) {
        guard let count = module.dataCount, index < count else { throw invalid("unknown data segment", .index(UInt64(index))) }
    }

    /// The type of element segment `index`.
    @inline(__always)
    mutating func elementSegment(_ index: UInt32, _ module: borrowing ModuleDescription) throws(SwasmError) -> ValueType {
        guard Int(index) < module.elements.count else { throw invalid("unknown elem segment", .index(UInt64(index))) }
        return module.elements[Int(index)].type
    }

    /// A type index that must name a function type (block types, calls, tags).
    @inline(__always)
    mutating func requireFunctionType(_ index: UInt32, _ module: borrowing ModuleDescription) throws(SwasmError) {
        if module.typeDefinitions[Int(index)].kind != .function {
            throw invalid("type mismatch", .note("the type index must name a function type"))
        }
    }

    /// The first `count` types a branch to `frame` carries stay on the stack (popped, checked,
    /// pushed back): the part below the reference of `br_on_non_null` and the cast branches.
    mutating func passLabelPrefix(_ frame: ControlFrame, count: Int, _ module: borrowing ModuleDescription) throws(SwasmError) {
        let results = frame.kind != 0x03
        var index = count
        while index > 0 {
            index &-= 1
            try pop(typeAt(frame.blockType, results: results, index, module))
        }
        for index in 0..<count { try push(typeAt(frame.blockType, results: results, index, module)) }
    }

    /// `br_on_non_null l`: the label takes `t* rt'` with `(ref ht) <: rt'` where the operand is
    /// `(ref null ht)`; the branch carries the reference, the fallthrough leaves `t*`.
    private mutating func branchOnNonNull(_ frame: ControlFrame, _ module: borrowing ModuleDescription) throws(SwasmError) {
        let type = try popReference("br_on_non_null needs a reference")
        let results = frame.kind != 0x03
        let count = typeCount(frame.blockType, results: results, module)
        guard count > 0 else { throw invalid("type mismatch", .note("br_on_non_null's label must take a reference")) }
        let last = typeAt(frame.blockType, results: results, count &- 1, module)
        if !typeTable.matches(type.withNullable(false), last) { throw typeMismatch(last, type.withNullable(false)) }
        try passLabelPrefix(frame, count: count &- 1, module)
    }
}
