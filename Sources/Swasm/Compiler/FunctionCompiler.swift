/// Translates one validated function body into internal code (docs/interpreter.md).
///
/// The compiler mirrors the operand stack. Each stack position has a fixed home slot; an operand
/// may also stand for a local (after `local.get`) or a constant (after `*.const`) without any code,
/// and is *materialized* into its home slot only when something needs it there (a call argument,
/// a block boundary, a write to the local it aliases). Results of instructions go to the home slot
/// of the position they occupy, or straight into a local when a `local.set` follows.
struct FunctionCompiler: ~Copyable {
    enum OperandKind: UInt8 { case temporary, local, constant }

    struct Operand {
        var type: ValueType
        var kind: OperandKind
        /// Where the value is read from (the home slot, or the aliased local's slot).
        var slot: Int
        /// The slot of this stack position.
        var home: Int
        var local: Int
        var constant: UInt64
    }

    /// What opened a label. A struct rather than an enum: payload-free enums bring a Hashable
    /// conformance whose hashing needs the runtime's lazily seeded Hasher.
    struct LabelKind: Equatable {
        let raw: UInt8
        static let block = LabelKind(raw: 0)
        static let loop = LabelKind(raw: 1)
        static let ifThen = LabelKind(raw: 2)
        static let ifElse = LabelKind(raw: 3)
        static let function = LabelKind(raw: 4)
    }

    struct Label {
        var kind: LabelKind
        var blockType: BlockSignature
        var operandBase: Int
        /// Home slot of the label's first parameter/result.
        var slotBase: Int
        /// Where branches to the label leave their values (slot 0 for the function's results).
        var resultBase: Int
        var loopStart: Int
        var pendingHead: Int
        var elseOffset: Int
        var elseInstruction: Int
        var unreachable: Bool
        var skippedDepth: Int
        /// A `try_table`'s catch clauses: `handlers[handlerFirst ..< handlerFirst + handlerCount]`.
        var handlerFirst = -1
        var handlerCount = 0
    }

    struct PendingBranch {
        var offsetPosition: Int
        var instructionStart: Int
        var next: Int
    }

    struct Compare {
        /// Where the comparison starts (a fused branch replaces everything from there).
        var position: Int
        /// The instruction whose result the branch would test: the comparison, or an `eqz` of it.
        var producer: Int = -1
        var branch: Opcode?
        var branchNot: Opcode?
        var branchImmediate: Opcode?
        var branchNotImmediate: Opcode?
        var x: Int
        var y: Int
        var immediate: UInt64?
    }

    let module: UnsafePointer<ModuleDescription>
    /// Canonical type ids of the module's function types (for `call_indirect`).
    let typeIDs: UnsafePointer<UInt32>?
    var code = CodeBuffer()
    var operands = FallibleVector<Operand>()
    var labels = FallibleVector<Label>()
    var pending = FallibleVector<PendingBranch>()
    /// The catch clauses of the `try_table`s compiled so far (`CompiledFunction.handlers`).
    var handlers = FallibleVector<ExceptionHandler>()
    /// The slots holding collected references at each safepoint (`CompiledFunction.stackMaps`).
    var stackMaps = StackMaps()
    var localSlots = FallibleVector<Int>()
    var localTypes = FallibleVector<ValueType>()
    var aliasCounts = FallibleVector<Int>()
    var localsSlotCount = 0
    var parameterSlots = 0
    var slotHeight = 0
    var maxSlotHeight = 0
    var lastProducer = -1
    var lastCompare: Compare?
    /// The load just emitted, while a binary operation may still absorb it (`binary`).
    var lastLoad: LoadFusion?

    struct LoadFusion {
        var position: Int
        var opcode: Opcode
        var result: Int
        var address: Int
        var offset: UInt64
        var sourceOffset: UInt32
    }

    /// Interruption checks to emit (docs/interpreter.md, Interruption).
    let meterFuel: Bool
    let checkEpoch: Bool
    /// Relaxed SIMD with its deterministic results (`wasmtime_config_wasm_relaxed_simd_deterministic_set`).
    let deterministicRelaxedSimd: Bool
    /// Where the open fuel region's charge is written, and the charge so far.
    var fuelChargePosition = -1
    var fuelCharge: UInt64 = 0

    init(module: UnsafePointer<ModuleDescription>, typeIDs: UnsafePointer<UInt32>?, meterFuel: Bool, checkEpoch: Bool,
         deterministicRelaxedSimd: Bool = false) {
        self.module = module
        self.typeIDs = typeIDs
        self.meterFuel = meterFuel
        self.checkEpoch = checkEpoch
        self.deterministicRelaxedSimd = deterministicRelaxedSimd
    }

    static func width(_ type: ValueType) -> Int { type == .v128 ? 2 : 1 }

    // MARK: entry point

    /// Compiles function `index` (a defined function) into opcode words.
    static func compile(_ module: UnsafePointer<ModuleDescription>, function index: Int, typeIDs: UnsafePointer<UInt32>?,
                        meterFuel: Bool = false, checkEpoch: Bool = false, deterministicRelaxedSimd: Bool = false) throws(SwasmError) -> CompiledFunction {
        var compiler = FunctionCompiler(module: module, typeIDs: typeIDs, meterFuel: meterFuel, checkEpoch: checkEpoch,
                                        deterministicRelaxedSimd: deterministicRelaxedSimd)
        return try compiler.run(function: index)
    }

    mutating func run(function index: Int) throws(SwasmError) -> CompiledFunction {
        let imported = module.pointee.importedFunctionCount
        let typeIndex = module.pointee.functions[imported &+ index]
        let signature = module.pointee.functionType(typeIndex)
        let body = module.pointee.bodies.base!.advanced(by: index)

        for parameter in 0..<signature.pointee.parameters.count {
            try declareLocal(signature.pointee.parameters[parameter])
        }
        parameterSlots = localsSlotCount
        for group in 0..<body.pointee.locals.count {
            let entry = body.pointee.locals[group]
            for _ in 0..<Int(entry.count) { try declareLocal(entry.type) }
        }
        var resultSlots = 0
        for result in 0..<signature.pointee.results.count { resultSlots &+= Self.width(signature.pointee.results[result]) }
        guard localsSlotCount <= 0xfff0, resultSlots <= 0xfff0 else { throw .limitExceeded }

        try labels.append(Label(kind: .function, blockType: .typeIndex(typeIndex), operandBase: 0, slotBase: localsSlotCount,
                                resultBase: 0, loopStart: 0, pendingHead: -1, elseOffset: -1, elseInstruction: -1,
                                unreachable: false, skippedDepth: 0))
        var reader = CodeReader(module.pointee.slice(ByteRange(start: 0, count: module.pointee.bytes.count)),
                                start: body.pointee.code.start, end: body.pointee.code.end)
        if checkEpoch { try emitEpochCheck() }
        try startFuelRegion(.fuelCheckEntry)
        fuelCharge = 1 // wasmtime charges one unit per function executed, beyond its instructions
        var supported = true
        while !reader.isAtEnd && labels.count > 0 {
            if try !step(&reader) { supported = false; break }
        }
        let frameSlots = localsSlotCount &+ maxSlotHeight &+ 2
        guard frameSlots <= 0xffff else { throw .limitExceeded }
        var function = CompiledFunction(parameterSlots: parameterSlots, localsStart: parameterSlots, localsEnd: localsSlotCount,
                                        frameSlots: max(frameSlots, resultSlots), supported: supported)
        if supported {
            swap(&function.code, &code.words)
            swap(&function.offsets, &code.offsets)
            swap(&function.handlers, &handlers)
            swap(&function.stackMaps, &stackMaps)
        }
        function.bodyStart = body.pointee.range.start
        return function
    }

    mutating func declareLocal(_ type: ValueType) throws(SwasmError) {
        try localSlots.append(localsSlotCount)
        try localTypes.append(type)
        try aliasCounts.append(0)
        localsSlotCount &+= Self.width(type)
    }

    // MARK: stack maps

    /// An epoch check: a safepoint (the deadline callback may collect).
    mutating func emitEpochCheck() throws(SwasmError) {
        try recordStackMap()
        try code.emit(.epochCheck)
    }

    /// Records the stack map of the safepoint instruction about to be emitted: the slots of
    /// reference locals and of reference temporaries on the operand stack, then `extra` (the
    /// instruction's own operands, already popped: `extraCount` values from slot `extraSlot` on,
    /// of type `extraType`, or of the fields of struct type `extraStruct` when it is given).
    mutating func recordStackMap(extraSlot: Int = 0, extraCount: Int = 0, extraType: ValueType = .i32,
                                 extraStruct: UInt32? = nil) throws(SwasmError) {
        do throws(SwasmError) {
            for local in 0..<localTypes.count where localTypes[local].isCollected {
                try stackMaps.slots.append(UInt16(truncatingIfNeeded: localSlots[local]))
            }
            for index in 0..<operands.count where operands[index].kind == .temporary && operands[index].type.isCollected {
                try stackMaps.slots.append(UInt16(truncatingIfNeeded: operands[index].slot))
            }
            var slot = extraSlot
            for index in 0..<extraCount {
                let type = extraStruct.map { fieldType($0, UInt32(truncatingIfNeeded: index)).unpacked } ?? extraType
                if type.isCollected { try stackMaps.slots.append(UInt16(truncatingIfNeeded: slot)) }
                slot &+= Self.width(type)
            }
            try stackMaps.finish(at: code.position)
        } catch {
            stackMaps.discardUnfinished()
            throw error
        }
    }

    // MARK: operand stack

    mutating func push(_ type: ValueType, kind: OperandKind = .temporary, slot: Int? = nil, local: Int = 0, constant: UInt64 = 0) throws(SwasmError) -> Operand {
        let home = localsSlotCount &+ slotHeight
        slotHeight &+= Self.width(type)
        if slotHeight > maxSlotHeight { maxSlotHeight = slotHeight }
        let operand = Operand(type: type, kind: kind, slot: slot ?? home, home: home, local: local, constant: constant)
        try operands.append(operand)
        if kind == .local { aliasCounts[local] &+= 1 }
        return operand
    }

    @discardableResult
    mutating func pop() -> Operand {
        guard let operand = operands.popLast() else {
            return Operand(type: .i32, kind: .temporary, slot: localsSlotCount, home: localsSlotCount, local: 0, constant: 0)
        }
        slotHeight &-= Self.width(operand.type)
        if operand.kind == .local { aliasCounts[operand.local] &-= 1 }
        return operand
    }

    var top: Operand? { operands.count > 0 ? operands[operands.count &- 1] : nil }

    /// Writes operand `index` into its home slot if it is not there yet.
    mutating func materialize(_ index: Int) throws(SwasmError) {
        var operand = operands[index]
        switch operand.kind {
        case .temporary: return
        case .local:
            try emitCopy(to: operand.home, from: operand.slot, type: operand.type)
            aliasCounts[operand.local] &-= 1
        case .constant:
            try code.emit(.const64)
            try code.emit(CodeBuffer.slots(operand.home))
            try code.emit(operand.constant)
        }
        operand.kind = .temporary
        operand.slot = operand.home
        operands[index] = operand
        invalidateFusion()
    }

    mutating func materializeAll() throws(SwasmError) {
        for index in 0..<operands.count { try materialize(index) }
    }

    /// Before local `local` changes: operands that alias it take a copy of its old value.
    mutating func detachAliases(of local: Int) throws(SwasmError) {
        guard aliasCounts[local] > 0 else { return }
        for index in 0..<operands.count where operands[index].kind == .local && operands[index].local == local {
            try materialize(index)
        }
    }

    /// The slot a popped operand can be read from. A constant has none: it is written into its
    /// (now free) home slot first.
    mutating func readSlot(_ operand: Operand) throws(SwasmError) -> Int {
        guard operand.kind == .constant else { return operand.slot }
        try code.emit(.const64)
        try code.emit(CodeBuffer.slots(operand.home))
        try code.emit(operand.constant)
        invalidateFusion()
        return operand.home
    }

    mutating func emitCopy(to destination: Int, from source: Int, type: ValueType) throws(SwasmError) {
        guard destination != source else { return }
        // Two copies in a row are one instruction (copy2 keeps their order).
        if type != .v128 && code.appendToLastCopy(destination: destination, source: source) { return }
        try code.emit(type == .v128 ? .copyV128 : .copy)
        try code.emit(CodeBuffer.slots(destination, source))
    }

    /// When `address` is the result of the `i32.add` of a constant (`i32_add_imm`) emitted last,
    /// removes that instruction and returns its operand's slot and the addend, for the addressed
    /// form of a load or store (which wraps the sum to 32 bits as the add did).
    mutating func takeAddedAddress(_ address: Operand) -> (slot: Int, addend: UInt64)? {
        guard address.kind == .temporary, address.slot == address.home,
              let add = code.takeLast(.i32AddImm, writing: address.home) else { return nil }
        invalidateFusion()
        return (add.x, add.immediate & 0xffff_ffff)
    }

    /// When `address` is the result of the `i32_shl_imm` emitted last, removes it and returns its
    /// source slot and shift amount (for the indexed form of a load).
    mutating func takeShiftedAddress(_ address: Operand) -> (source: Int, amount: UInt64)? {
        guard address.kind == .temporary, address.slot == address.home,
              let shift = code.takeLast(.i32ShlImm, writing: address.home) else { return nil }
        invalidateFusion()
        return (shift.x, shift.immediate)
    }

    /// When one of `left`, `right` is the result of the instruction emitted last, `producer`
    /// (`i32_shl_imm`, `f64_mul`, ...), and the other operand needs no code to be read: removes
    /// that instruction and returns the other operand, which side the result was on, and the
    /// removed instruction's x and y slots and immediate (0 without one). The producer wrote the
    /// operand's home last, so that home holds its result (a `local.get` since then emits nothing).
    mutating func takeLastResult(_ left: Operand, _ right: Operand, of producer: Opcode)
        -> (other: Operand, isLeft: Bool, x: Int, y: Int, immediate: UInt64)? {
        for side in 0..<2 { // the right operand first, then the left
            let isLeft = side == 1
            let result = isLeft ? left : right, other = isLeft ? right : left
            guard result.kind == .temporary, result.slot == result.home, other.kind != .constant,
                  other.slot != result.home, let taken = code.takeLast(producer, writing: result.home) else { continue }
            invalidateFusion()
            return (other, isLeft, taken.x, taken.y, taken.immediate)
        }
        return nil
    }

    /// The address a load or store with a constant address operand accesses, when it is below
    /// 2^32 (the `_abs` forms); nil otherwise.
    static func absoluteAddress(_ address: Operand, offset: UInt64) -> UInt64? {
        guard address.kind == .constant else { return nil }
        let sum = (address.constant & 0xffff_ffff) &+ offset
        return sum <= 0xffff_ffff && offset <= 0xffff_ffff ? sum : nil
    }

    mutating func invalidateFusion() {
        lastProducer = -1
        lastCompare = nil
        lastLoad = nil
    }

    // MARK: labels and branches

    func labelParameterCount(_ label: Label) -> Int {
        switch label.blockType {
        case .empty, .value: return 0
        case .typeIndex(let index): return module.pointee.functionType(index).pointee.parameters.count
        }
    }

    func labelResultCount(_ label: Label) -> Int {
        switch label.blockType {
        case .empty: return 0
        case .value: return 1
        case .typeIndex(let index): return module.pointee.functionType(index).pointee.results.count
        }
    }

    func labelType(_ label: Label, result: Bool, _ index: Int) -> ValueType {
        switch label.blockType {
        case .empty: return .i32
        case .value(let type): return withKind(type)
        case .typeIndex(let typeIndex):
            let signature = module.pointee.functionType(typeIndex)
            return result ? signature.pointee.results[index] : signature.pointee.parameters[index]
        }
    }

    /// Number of values a branch to `label` carries, and where they go.
    func branchTarget(_ label: Label) -> (count: Int, base: Int, results: Bool) {
        if label.kind == .loop { return (labelParameterCount(label), label.slotBase, false) }
        return (labelResultCount(label), label.resultBase, true)
    }

    /// Moves the top `count` operands into consecutive slots from `base` (types of `label`).
    mutating func moveTop(_ count: Int, to base: Int, label: Label, results: Bool) throws(SwasmError) {
        guard count > 0 else { return }
        let first = operands.count &- count
        // One value that the instruction just emitted computed: that instruction writes it into
        // place instead (as for `local.set`), saving the copy; typical before `return`.
        let only = operands[first]
        if count == 1, only.kind == .temporary, only.slot == only.home, lastProducer >= 0,
           lastProducer == code.lastInstructionStart {
            code.retargetDestination(instructionAt: lastProducer, to: base)
            invalidateFusion()
            return
        }
        // Detect whether a destination overlaps a source still to be read.
        var conflict = false
        var destination = base
        for index in first..<operands.count {
            let operand = operands[index]
            let width = Self.width(operand.type)
            for later in (index &+ 1)..<operands.count where operands[later].kind != .constant {
                let source = operands[later].slot
                if source < destination &+ width && destination < source &+ Self.width(operands[later].type) { conflict = true }
            }
            destination &+= width
        }
        if conflict {
            // Go through scratch slots above the stack.
            var scratch = localsSlotCount &+ slotHeight
            var scratchSlots = FallibleVector<Int>()
            for index in first..<operands.count {
                let operand = operands[index]
                let source: Int
                if operand.kind == .constant {
                    try code.emit(.const64)
                    try code.emit(CodeBuffer.slots(scratch))
                    try code.emit(operand.constant)
                    source = scratch
                } else {
                    source = operand.slot
                }
                try emitCopy(to: scratch, from: source, type: operand.type)
                try scratchSlots.append(scratch)
                scratch &+= Self.width(operand.type)
            }
            if scratch &- localsSlotCount > maxSlotHeight { maxSlotHeight = scratch &- localsSlotCount }
            destination = base
            for index in first..<operands.count {
                let type = operands[index].type
                try emitCopy(to: destination, from: scratchSlots[index &- first], type: type)
                destination &+= Self.width(type)
            }
        } else {
            destination = base
            for index in first..<operands.count {
                let operand = operands[index]
                if operand.kind == .constant {
                    try code.emit(.const64)
                    try code.emit(CodeBuffer.slots(destination))
                    try code.emit(operand.constant)
                } else {
                    try emitCopy(to: destination, from: operand.slot, type: operand.type)
                }
                destination &+= Self.width(operand.type)
            }
        }
        invalidateFusion()
    }

    /// Whether branching to `label` needs value moves.
    func branchNeedsMoves(_ label: Label) -> Bool {
        let target = branchTarget(label)
        guard target.count > 0 else { return false }
        var destination = target.base
        for index in (operands.count &- target.count)..<operands.count {
            let operand = operands[index]
            if operand.kind == .constant || operand.slot != destination { return true }
            destination &+= Self.width(operand.type)
        }
        return false
    }

    /// Emits an unconditional jump to label `depth`.
    mutating func emitBranch(depth: Int) throws(SwasmError) {
        let labelIndex = labels.count &- 1 &- depth
        let label = labels[labelIndex]
        let target = branchTarget(label)
        try moveTop(target.count, to: target.base, label: label, results: target.results)
        if label.kind == .function {
            try emitReturn()
            return
        }
        let start = code.position
        try code.emit(.br)
        try emitTarget(labelIndex: labelIndex, instructionStart: start)
    }

    /// Emits the offset word of a branch in the instruction at `instructionStart` to label `labelIndex`.
    mutating func emitTarget(labelIndex: Int, instructionStart: Int) throws(SwasmError) {
        let label = labels[labelIndex]
        if label.kind == .loop {
            try code.emit(UInt64(bitPattern: Int64(label.loopStart &- instructionStart)))
        } else {
            try pending.append(PendingBranch(offsetPosition: code.position, instructionStart: instructionStart, next: label.pendingHead))
            labels[labelIndex].pendingHead = pending.count &- 1
            try code.emit(0)
        }
    }

    /// Points every pending branch of `label` at the current position.
    mutating func resolvePending(_ label: Label) {
        var entry = label.pendingHead
        while entry >= 0 {
            let branch = pending[entry]
            code.patch(offsetAt: branch.offsetPosition, instructionStart: branch.instructionStart, target: code.position)
            entry = branch.next
        }
    }

    /// `br_if depth` with condition `condition` (already popped).
    mutating func emitConditionalBranch(depth: Int, condition: Operand) throws(SwasmError) {
        let labelIndex = labels.count &- 1 &- depth
        let label = labels[labelIndex]
        if label.kind != .function && !branchNeedsMoves(label) {
            try emitTest(condition, jumpWhen: true, labelIndex: labelIndex)
            return
        }
        // Skip over the moves and the jump when the condition is false.
        let skip = try emitTestForward(condition, jumpWhen: false)
        try emitBranch(depth: depth)
        code.patch(offsetAt: skip.offset, instructionStart: skip.instruction, target: code.position)
        invalidateFusion()
    }

    /// A test of `condition` (fusing a preceding comparison) that jumps to `labelIndex` when the
    /// condition is `jumpWhen`.
    mutating func emitTest(_ condition: Operand, jumpWhen: Bool, labelIndex: Int) throws(SwasmError) {
        let start = try emitTestHead(condition, jumpWhen: jumpWhen)
        try emitTarget(labelIndex: labelIndex, instructionStart: start)
        invalidateFusion()
    }

    /// Like `emitTest`, but to a position patched later: returns where.
    mutating func emitTestForward(_ condition: Operand, jumpWhen: Bool) throws(SwasmError) -> (offset: Int, instruction: Int) {
        let start = try emitTestHead(condition, jumpWhen: jumpWhen)
        let offset = code.position
        try code.emit(0)
        invalidateFusion()
        return (offset, start)
    }

    /// Emits a conditional branch instruction up to (not including) its offset word.
    mutating func emitTestHead(_ condition: Operand, jumpWhen: Bool) throws(SwasmError) -> Int {
        if let compare = lastCompare, condition.kind == .temporary, compare.position >= 0,
           condition.slot == condition.home, lastProducer == compare.producer {
            let fused: Opcode?
            if compare.immediate != nil {
                fused = jumpWhen ? compare.branchImmediate : compare.branchNotImmediate
            } else {
                fused = jumpWhen ? compare.branch : compare.branchNot
            }
            if let fused {
                code.truncate(to: compare.position)
                let start = code.position
                try code.emit(fused)
                try code.emit(CodeBuffer.slots(compare.x, compare.y))
                if let immediate = compare.immediate { try code.emit(immediate) }
                return start
            }
        }
        // A counter just advanced by a constant (`i32_add_imm` into the slot tested): one
        // instruction adds and branches.
        if condition.kind != .constant, let fused = code.takeLast(.i32AddImm, writing: condition.slot) {
            let start = code.position
            try code.emit(jumpWhen ? .brI32AddImmNz : .brI32AddImmZ)
            try code.emit(CodeBuffer.slots(condition.slot, fused.x))
            try code.emit(fused.immediate)
            return start
        }
        var operand = condition
        let slot: Int
        if operand.kind == .constant {
            // A constant condition: test it from its home slot.
            try code.emit(.const64)
            try code.emit(CodeBuffer.slots(operand.home))
            try code.emit(operand.constant)
            operand.kind = .temporary
            slot = operand.home
        } else {
            slot = operand.slot
        }
        let start = code.position
        try code.emit(jumpWhen ? .brIf : .brUnless)
        try code.emit(CodeBuffer.slots(slot))
        return start
    }

    // MARK: instructions

    /// Translates one instruction; false when it is one the interpreter cannot run yet.
    mutating func step(_ reader: inout CodeReader) throws(SwasmError) -> Bool {
        code.sourceOffset = UInt32(truncatingIfNeeded: reader.position)
        let opcode = reader.byte()
        if labels[labels.count &- 1].unreachable {
            skipUnreachable(opcode, &reader)
            if opcode == 0x05 || opcode == 0x0b { try controlEnd(opcode, &reader) }
            return true
        }
        if meterFuel { fuelCharge &+= WasmInstructions.fuelCost(opcode) }
        switch opcode {
        case 0x00: // unreachable
            try saveFuel()
            try code.emit(.unreachable)
            markUnreachable()
        case 0x01: break // nop
        case 0x02, 0x03: // block, loop
            let type = reader.blockSignature()
            try enterBlock(opcode == 0x02 ? .block : .loop, type)
        case 0x04: // if
            let type = reader.blockSignature()
            let condition = pop()
            try materializeAll()
            let skip = try emitTestForward(condition, jumpWhen: false)
            try enterBlock(.ifThen, type)
            labels[labels.count &- 1].elseOffset = skip.offset
            labels[labels.count &- 1].elseInstruction = skip.instruction
            try startFuelRegion()
        case 0x05, 0x0b: // else, end
            try controlEnd(opcode, &reader)
        case 0x08: // throw
            try throwTag(reader.u32())
        case 0x0a: // throw_ref
            let slot = try readSlot(pop())
            try saveFuel()
            try code.emit(.throwRef)
            try code.emit(CodeBuffer.slots(0, slot))
            markUnreachable()
        case 0x1f: // try_table
            try tryTable(&reader)
        case 0x0c: // br
            try emitBranch(depth: Int(reader.u32()))
            markUnreachable()
        case 0x0d: // br_if
            let depth = Int(reader.u32())
            let condition = pop()
            try emitConditionalBranch(depth: depth, condition: condition)
            try startFuelRegion()
        case 0x0e: // br_table
            try branchTable(&reader)
            markUnreachable()
        case 0x0f: // return
            try emitBranch(depth: labels.count &- 1)
            markUnreachable()
        case 0x10: // call
            try saveFuel()
            try call(Int(reader.u32()))
            try startFuelRegion() // the callee's entry check sees exactly what ran before the call
        case 0x11: // call_indirect
            let typeIndex = reader.u32()
            let table = reader.u32()
            try saveFuel()
            try callIndirect(typeIndex: typeIndex, table: table)
            try startFuelRegion()
        case 0x12: // return_call
            try saveFuel()
            try call(Int(reader.u32()), tail: true)
            markUnreachable()
        case 0x13: // return_call_indirect
            let typeIndex = reader.u32()
            let table = reader.u32()
            try saveFuel()
            try callIndirect(typeIndex: typeIndex, table: table, tail: true)
            markUnreachable()
        case 0xd0: // ref.null
            let heap = reader.s64()
            let abstract = heap < 0 ? HeapType(abstract: UInt8(truncatingIfNeeded: heap) & 0x7f) : HeapType.function
            _ = try push(ValueType(heap: abstract, nullable: true), kind: .constant, constant: 0)
            invalidateFusion()
        case 0xd4: // ref.as_non_null
            let reference = pop()
            let slot = try readSlot(reference)
            try code.emit(.refAsNonNull)
            try code.emit(CodeBuffer.slots(0, slot))
            try operands.append(reference) // the same value, now known not to be null
            slotHeight &+= Self.width(reference.type)
            if reference.kind == .local { aliasCounts[reference.local] &+= 1 }
            invalidateFusion()
        case 0xd5, 0xd6: // br_on_null, br_on_non_null
            try branchOnNull(depth: Int(reader.u32()), whenNull: opcode == 0xd5)
            try startFuelRegion()
        case 0x14, 0x15: // call_ref, return_call_ref
            let typeIndex = reader.u32()
            try saveFuel()
            try callReference(typeIndex: typeIndex, tail: opcode == 0x15)
            if opcode == 0x15 { markUnreachable() } else { try startFuelRegion() }
        case 0xd1: // ref.is_null
            try numeric(.unary(.refIsNull), .i32)
        case 0xd2: // ref.func
            let function = reader.u32()
            let result = try push(.funcref)
            invalidateFusion()
            lastProducer = code.position
            try code.emit(.refFunc)
            try code.emit(CodeBuffer.slots(result.home))
            try code.emit(UInt64(function))
        case 0x25: // table.get
            let table = reader.u32()
            let index = pop()
            let indexSlot = try tableOperandSlot(index, table: table)
            let result = try push(module.pointee.tables[Int(table)].element)
            invalidateFusion()
            lastProducer = code.position
            try code.emit(.tableGet)
            try code.emit(CodeBuffer.slots(result.home, indexSlot))
            try code.emit(UInt64(table))
        case 0x26: // table.set
            let table = reader.u32()
            let value = pop()
            let valueSlot = try readSlot(value)
            let index = pop()
            let indexSlot = try tableOperandSlot(index, table: table)
            try code.emit(.tableSet)
            try code.emit(CodeBuffer.slots(indexSlot, valueSlot))
            try code.emit(UInt64(table))
            invalidateFusion()
        case 0x1a: // drop
            pop()
            invalidateFusion()
        case 0x1b: // select
            try select()
        case 0x1c: // select with types
            let count = reader.u32()
            for _ in 0..<count { _ = reader.valueType() }
            try select()
        case 0x20: // local.get
            let local = Int(reader.u32())
            _ = try push(localTypes[local], kind: .local, slot: localSlots[local], local: local)
            invalidateFusion()
        case 0x21, 0x22: // local.set, local.tee
            try setLocal(Int(reader.u32()), tee: opcode == 0x22)
        case 0x23: // global.get
            let global = reader.u32()
            let type = module.pointee.globals[Int(global)].content
            let result = try push(type)
            let start = code.position
            try code.emit(type == .v128 ? .globalGetV128 : .globalGet)
            try code.emit(CodeBuffer.slots(result.home))
            try code.emit(UInt64(global))
            invalidateFusion()
            lastProducer = start
        case 0x24: // global.set
            let global = reader.u32()
            let value = pop()
            let slot = try readSlot(value)
            try code.emit(value.type == .v128 ? .globalSetV128 : .globalSet)
            try code.emit(CodeBuffer.slots(0, slot))
            try code.emit(UInt64(global))
            invalidateFusion()
        case 0x28...0x35: // loads
            let argument = reader.memoryArgument()
            guard let (load, type) = NumericOpcodes.load(opcode) else { return false }
            if needsGeneralAccess(argument.memory) {
                let addressSlot = try readSlot(pop())
                let result = try push(type)
                try emitMemoryAccess(load, slots: CodeBuffer.slots(result.home, addressSlot), offset: argument.offset, memory: argument.memory)
                return true
            }
            let address = pop()
            // Fused addressing forms: one instruction computes the address and loads.
            var fused: (form: Opcode, source: Int, immediate: UInt64)? = nil
            if let absolute = Self.absoluteAddress(address, offset: argument.offset), let form = load.absoluteForm {
                fused = (form, 0, absolute)
            } else if argument.offset <= 0xffff_ffff, let form = load.indexedForm, let shift = takeShiftedAddress(address) {
                fused = (form, shift.source, argument.offset | (shift.amount & 31) << 32)
            } else if argument.offset <= 0xffff_ffff, let form = load.addressedForm, let added = takeAddedAddress(address) {
                fused = (form, added.slot, added.addend | argument.offset << 32)
            }
            if let fused {
                let result = try push(type)
                invalidateFusion()
                lastProducer = code.position
                try code.emit(fused.form)
                try code.emit(CodeBuffer.slots(result.home, fused.source))
                try code.emit(fused.immediate)
                return true
            }
            let slot = try readSlot(address)
            let result = try push(type)
            invalidateFusion()
            lastProducer = code.position
            lastLoad = LoadFusion(position: code.position, opcode: load, result: result.home, address: slot,
                                  offset: argument.offset, sourceOffset: code.sourceOffset)
            try code.emit(load)
            try code.emit(CodeBuffer.slots(result.home, slot))
            try code.emit(argument.offset)
        case 0x36...0x3e: // stores
            let argument = reader.memoryArgument()
            guard let store = NumericOpcodes.store(opcode) else { return false }
            if needsGeneralAccess(argument.memory) {
                let valueSlot = try readSlot(pop())
                let addressSlot = try readSlot(pop())
                try emitMemoryAccess(store, slots: CodeBuffer.slots(addressSlot, valueSlot), offset: argument.offset, memory: argument.memory)
                return true
            }
            let value = pop()
            if value.kind == .constant {
                let address = pop()
                let immediateStore = NumericOpcodes.storeImmediate(store)
                if argument.offset <= 0xffff_ffff, let addressed = immediateStore.addressedForm, let added = takeAddedAddress(address) {
                    try code.emit(addressed)
                    try code.emit(CodeBuffer.slots(added.slot))
                    try code.emit(added.addend | argument.offset << 32)
                    try code.emit(value.constant)
                    invalidateFusion()
                    return true
                }
                let addressSlot = try readSlot(address)
                try code.emit(NumericOpcodes.storeImmediate(store))
                try code.emit(CodeBuffer.slots(addressSlot))
                try code.emit(argument.offset)
                try code.emit(value.constant)
                invalidateFusion()
                return true
            }
            let valueSlot = try readSlot(value)
            let address = pop()
            if let absolute = Self.absoluteAddress(address, offset: argument.offset), let form = store.absoluteForm {
                try code.emit(form)
                try code.emit(CodeBuffer.slots(valueSlot))
                try code.emit(absolute)
                invalidateFusion()
                return true
            }
            if argument.offset <= 0xffff_ffff, let addressed = store.addressedForm, let added = takeAddedAddress(address) {
                try code.emit(addressed)
                try code.emit(CodeBuffer.slots(added.slot, valueSlot))
                try code.emit(added.addend | argument.offset << 32)
                invalidateFusion()
                return true
            }
            let addressSlot = try readSlot(address)
            try code.emit(store)
            try code.emit(CodeBuffer.slots(addressSlot, valueSlot))
            try code.emit(argument.offset)
            invalidateFusion()
        case 0x3f: // memory.size
            let memory = reader.u32()
            let result = try push(addressType(memory))
            // A shared memory's size is read from the memory itself: another thread may have grown it.
            let plain = isPlainMemory(memory) && module.pointee.memories[0].pageSizeLog2 == 16 && !module.pointee.memories[0].isShared
            try code.emit(plain ? .memorySize : .memorySizeExt)
            try code.emit(CodeBuffer.slots(result.home))
            try code.emit(UInt64(memory))
            invalidateFusion()
        case 0x40: // memory.grow
            let memory = reader.u32()
            let delta = pop()
            let slot = try readSlot(delta)
            let result = try push(addressType(memory))
            let plain = isPlainMemory(memory)
            try code.emit(plain ? .memoryGrow : .memoryGrowExt)
            try code.emit(CodeBuffer.slots(result.home, slot))
            // The fuel a failed growth still costs: a constant delta of at most 128 pages, as
            // wasmtime's compiled code charges it (measured on wasmtime 50).
            let constantDelta = delta.kind == .constant ? (result.type == .i64 ? delta.constant : UInt64(UInt32(truncatingIfNeeded: delta.constant))) : UInt64.max
            let charge = meterFuel && constantDelta <= 128 ? constantDelta : 0
            try code.emit(plain ? charge : UInt64(memory) | charge << 32)
            invalidateFusion()
            try startFuelRegion() // growth charges per page and checks, as a region's end
        case 0x41: _ = try push(.i32, kind: .constant, constant: UInt64(UInt32(bitPattern: reader.s32()))); invalidateFusion()
        case 0x42: _ = try push(.i64, kind: .constant, constant: UInt64(bitPattern: reader.s64())); invalidateFusion()
        case 0x43: _ = try push(.f32, kind: .constant, constant: UInt64(reader.fixed32())); invalidateFusion()
        case 0x44: _ = try push(.f64, kind: .constant, constant: reader.fixed64()); invalidateFusion()
        case 0x45...0xc4:
            guard let (shape, type) = NumericOpcodes.shape(opcode) else { return false }
            try numeric(shape, type)
        case 0xfd:
            return try vector(&reader)
        case 0xfb:
            return try gc(&reader)
        case 0xd3: // ref.eq
            try referenceEquality()
        case 0xfe:
            return try atomic(&reader)
        case 0xfc:
            let sub = reader.u32()
            switch sub {
            case 8, 10, 11: // memory.init, memory.copy, memory.fill
                let segment: UInt32 = sub == 8 ? reader.u32() : 0
                let memoryIndex = reader.u32()
                let source = sub == 10 ? reader.u32() : memoryIndex
                let length = pop()
                let lengthSlot = try readSlot(length)
                let second = pop()
                let secondSlot = try readSlot(second)
                let destination = pop()
                let destinationSlot = try readSlot(destination)
                let plain = isPlainMemory(memoryIndex) && isPlainMemory(source)
                let opcodes: (Opcode, Opcode) = sub == 8 ? (.memoryInit, .memoryInitExt) : (sub == 10 ? (.memoryCopy, .memoryCopyExt) : (.memoryFill, .memoryFillExt))
                try code.emit(plain ? opcodes.0 : opcodes.1)
                try code.emit(CodeBuffer.slots(destinationSlot, secondSlot, lengthSlot))
                if plain {
                    if sub == 8 { try code.emit(UInt64(segment)) }
                } else {
                    try code.emit(UInt64(memoryIndex) | UInt64(sub == 8 ? segment : source) << 32)
                }
                invalidateFusion()
                try startFuelRegion() // charges per byte and checks, as a region's end
                return true
            case 12, 14, 17: // table.init, table.copy, table.fill
                let first = reader.u32()
                let second: UInt32 = sub == 17 ? 0 : reader.u32()
                // The destination table's address type; table.copy's source is the source table's,
                // and its length is 64-bit only when both tables are.
                let destinationTable = sub == 12 ? second : first
                let wideCount = sub == 12 ? false : (sub == 14 ? isWideTable(first) && isWideTable(second) : isWideTable(first))
                let countOperand = pop()
                let countSlot = try tableOperandSlot(countOperand, table: destinationTable, wide: wideCount)
                let middle = pop()
                let middleSlot = sub == 14 ? try tableOperandSlot(middle, table: second) : try readSlot(middle)
                let destination = pop()
                let destinationSlot = try tableOperandSlot(destination, table: destinationTable)
                try code.emit(sub == 12 ? .tableInit : (sub == 14 ? .tableCopy : .tableFill))
                try code.emit(CodeBuffer.slots(destinationSlot, middleSlot, countSlot))
                // table.init: segment then table; table.copy: destination then source.
                let immediate: UInt64 = sub == 12 ? UInt64(second) | UInt64(first) << 32 : UInt64(first) | UInt64(second) << 32
                try code.emit(immediate)
                invalidateFusion()
                try startFuelRegion() // charges per element and checks, as a region's end
                return true
            case 13: // elem.drop
                let segment = reader.u32()
                try code.emit(.elemDrop)
                try code.emit(0)
                try code.emit(UInt64(segment))
                invalidateFusion()
                return true
            case 15: // table.grow
                let table = reader.u32()
                let delta = pop()
                let deltaSlot = try tableOperandSlot(delta, table: table)
                let initial = pop()
                let initialSlot = try readSlot(initial)
                let wide = isWideTable(table)
                let result = try push(wide ? .i64 : .i32)
                invalidateFusion()
                try code.emit(.tableGrow)
                try code.emit(CodeBuffer.slots(result.home, initialSlot, deltaSlot))
                try code.emit(UInt64(table))
                if wide { // -1 as an i64
                    try code.emit(.i64ExtendI32S)
                    try code.emit(CodeBuffer.slots(result.home, result.home))
                }
                try startFuelRegion() // charges per element and checks, as a region's end
                return true
            case 9: // data.drop
                let segment = reader.u32()
                try code.emit(.dataDrop)
                try code.emit(0)
                try code.emit(UInt64(segment))
                invalidateFusion()
                return true
            default: break
            }
            if sub == 16 { // table.size
                let table = reader.u32()
                let result = try push(isWideTable(table) ? .i64 : .i32) // the size zero-extended serves both
                invalidateFusion()
                try code.emit(.tableSize)
                try code.emit(CodeBuffer.slots(result.home))
                try code.emit(UInt64(table))
                return true
            }
            if sub == 19 || sub == 20 { // i64.add128, i64.sub128: both pairs in their home slots
                let first = operands.count &- 4
                for position in first..<operands.count { try materialize(position) }
                let low = operands[first].home
                for _ in 0..<4 { pop() }
                _ = try push(.i64)
                _ = try push(.i64)
                try code.emit(sub == 19 ? .i64Add128 : .i64Sub128)
                try code.emit(CodeBuffer.slots(low, low &+ 2))
                invalidateFusion()
                return true
            }
            if sub == 21 || sub == 22 { // i64.mul_wide_s/u: the product's pair where the operands were
                let right = try readSlot(pop())
                let left = try readSlot(pop())
                let result = try push(.i64)
                _ = try push(.i64)
                try code.emit(sub == 21 ? .i64MulWideS : .i64MulWideU)
                try code.emit(CodeBuffer.slots(result.home, left, right))
                invalidateFusion()
                return true
            }
            guard let (shape, type) = NumericOpcodes.saturatingShape(sub) else { return false }
            try numeric(shape, type)
        default:
            return false
        }
        return true
    }

    // MARK: exceptions

    /// `throw tag`: the tag's values, in their home slots, are the exception's payload.
    mutating func throwTag(_ tag: UInt32) throws(SwasmError) {
        let count = module.pointee.functionType(module.pointee.tags[Int(tag)]).pointee.parameters.count
        let first = operands.count &- count
        for position in first..<operands.count { try materialize(position) }
        let base = count > 0 ? operands[first].home : localsSlotCount &+ slotHeight
        for _ in 0..<count { pop() }
        try saveFuel()
        try code.emit(.throw)
        try code.emit(CodeBuffer.slots(base))
        try code.emit(UInt64(tag))
        markUnreachable()
    }

    /// `try_table`: a block whose body is covered by its catch clauses. Each clause gets a landing
    /// pad after the body (`emitLandingPads`), where the unwinder writes the exception's values
    /// (and exnref) where the block's parameters started.
    mutating func tryTable(_ reader: inout CodeReader) throws(SwasmError) {
        let type = reader.blockSignature()
        let clauseCount = Int(reader.u32())
        try enterBlock(.block, type)
        let payload = labels[labels.count &- 1].slotBase // where the block's parameters start
        let start = UInt32(truncatingIfNeeded: code.position)
        let first = handlers.count
        for _ in 0..<clauseCount {
            let kind = reader.byte()
            let tag = kind <= 1 ? reader.u32() : ExceptionHandler.anyTag
            let depth = reader.u32()
            // Until the pad is emitted, `pad` holds the clause's label (relative to the try_table's
            // enclosing block).
            try handlers.append(ExceptionHandler(start: start, end: start, pad: depth, payload: UInt32(truncatingIfNeeded: payload),
                                                 tag: tag, kind: UInt32(kind)))
        }
        labels[labels.count &- 1].handlerFirst = first
        labels[labels.count &- 1].handlerCount = clauseCount
    }

    /// At a `try_table`'s end (its label still innermost, the body's results in place): the region
    /// ends here; a reachable end jumps over the landing pads, which follow. Each pad branches to
    /// its clause's label as a `br` with the clause's values on the stack, in the payload slots.
    mutating func emitLandingPads(_ label: Label, reachableEnd: Bool) throws(SwasmError) {
        let end = UInt32(truncatingIfNeeded: code.position)
        for index in label.handlerFirst..<(label.handlerFirst &+ label.handlerCount) { handlers[index].end = end }
        if reachableEnd {
            let start = code.position
            try code.emit(.br)
            try emitTarget(labelIndex: labels.count &- 1, instructionStart: start)
        }
        // The block's own values are done with (its end resets the stack to here next).
        try resetStack(to: label.operandBase)
        for index in label.handlerFirst..<(label.handlerFirst &+ label.handlerCount) {
            let handler = handlers[index]
            handlers[index].pad = UInt32(truncatingIfNeeded: code.position)
            code.markTarget()
            var pushed = 0
            if handler.kind <= 1 {
                let signature = module.pointee.functionType(module.pointee.tags[Int(handler.tag)])
                for parameter in 0..<signature.pointee.parameters.count { _ = try push(signature.pointee.parameters[parameter]); pushed &+= 1 }
            }
            if handler.kind & 1 != 0 { _ = try push(.exnref); pushed &+= 1 }
            invalidateFusion()
            try emitBranch(depth: Int(handler.pad) &+ 1) // past the try_table's own label
            for _ in 0..<pushed { pop() }
        }
        invalidateFusion()
    }

    // MARK: 64-bit tables

    func isWideTable(_ index: UInt32) -> Bool {
        module.pointee.tables[Int(index)].is64
    }

    /// The slot of a table index or length operand as the table instructions read it (32 bits).
    /// For a 64-bit table (`wide`: the operand is an i64), the value saturated to 2^32 - 1 in the
    /// operand's own (free) home slot; a table never reaches that size, so it stays out of bounds.
    mutating func tableOperandSlot(_ operand: Operand, table: UInt32, wide: Bool? = nil) throws(SwasmError) -> Int {
        let slot = try readSlot(operand)
        guard wide ?? isWideTable(table) else { return slot }
        try code.emit(.saturateU32)
        try code.emit(CodeBuffer.slots(operand.home, slot))
        invalidateFusion()
        return operand.home
    }

    // MARK: memories other than a plain memory 0

    /// Memory `index` is memory 0 with 32-bit addresses: the pinned memory, with the fused forms.
    func isPlainMemory(_ index: UInt32) -> Bool {
        index == 0 && !module.pointee.memories[0].is64
    }

    /// Whether a load or store on memory `index` needs `emitMemoryAccess` (another memory or
    /// 64-bit addresses).
    func needsGeneralAccess(_ index: UInt32) -> Bool {
        !isPlainMemory(index)
    }

    /// The type of memory `index`'s addresses and sizes.
    func addressType(_ index: UInt32) -> ValueType {
        module.pointee.memories[Int(index)].is64 ? .i64 : .i32
    }

    /// A load or store (`opcode`, its memory-0 form) on memory `index`: the i64-address form for
    /// a 64-bit memory, and for another memory than 0 between `use_memory` instructions, which
    /// make it the pinned memory and then memory 0 again. No fusion absorbs it.
    mutating func emitMemoryAccess(_ opcode: Opcode, slots: UInt64, offset: UInt64, memory index: UInt32) throws(SwasmError) {
        let form = module.pointee.memories[Int(index)].is64 ? (opcode.wideAddressForm ?? opcode) : opcode
        if index != 0 {
            try code.emit(.useMemory)
            try code.emit(0)
            try code.emit(UInt64(index))
        }
        try code.emit(form)
        try code.emit(slots)
        try code.emit(offset)
        if index != 0 {
            try code.emit(.useMemory)
            try code.emit(0)
            try code.emit(0)
        }
        invalidateFusion()
    }

    /// Closes the open fuel region (writing its charge) and opens a new one here, with the
    /// instruction wasmtime's checks call for: `fuel_check_entry` at a function's entry,
    /// `fuel_check` at a loop header (both trap when fuel is out), `fuel_charge` anywhere else. Regions end at
    /// every point control can enter other than by falling through, so each executed
    /// instruction is charged exactly once.
    mutating func startFuelRegion(_ instruction: Opcode = .fuelCharge) throws(SwasmError) {
        guard meterFuel else { return }
        closeFuelRegion()
        // A fuel check is a safepoint: an async call yields there (Runtime/AsyncCalls.swift).
        if instruction != .fuelCharge { try recordStackMap() }
        try code.emit(instruction)
        try code.emit(0)
        fuelChargePosition = code.position
        try code.emit(0)
        fuelCharge = 0
        invalidateFusion()
    }

    /// With fuel metering: records the fuel where wasmtime saves its counter (before calls,
    /// returns and `unreachable`), which the store reports after a trap other than out-of-fuel.
    mutating func saveFuel() throws(SwasmError) {
        guard meterFuel else { return }
        try code.emit(.fuelSave)
        invalidateFusion()
    }

    mutating func emitReturn() throws(SwasmError) {
        try saveFuel()
        try code.emit(.return)
    }

    mutating func closeFuelRegion() {
        guard meterFuel, fuelChargePosition >= 0 else { return }
        code.words[fuelChargePosition] = fuelCharge
        fuelChargePosition = -1
    }

    mutating func markUnreachable() {
        labels[labels.count &- 1].unreachable = true
        invalidateFusion()
    }

    /// While the rest of a block is unreachable: skip instructions, tracking nested blocks.
    mutating func skipUnreachable(_ opcode: UInt8, _ reader: inout CodeReader) {
        switch opcode {
        case 0x02, 0x03, 0x04:
            _ = reader.blockSignature()
            labels[labels.count &- 1].skippedDepth &+= 1 // nesting depth of skipped blocks
        case 0x1f:
            InstructionSkipper.skipImmediates(opcode, &reader)
            labels[labels.count &- 1].skippedDepth &+= 1
        default:
            InstructionSkipper.skipImmediates(opcode, &reader)
        }
    }

    mutating func enterBlock(_ kind: LabelKind, _ type: BlockSignature) throws(SwasmError) {
        var label = Label(kind: kind, blockType: type, operandBase: 0, slotBase: 0, resultBase: 0, loopStart: 0,
                          pendingHead: -1, elseOffset: -1, elseInstruction: -1, unreachable: false, skippedDepth: 0)
        let parameters = labelParameterCount(label)
        try materializeAll()
        label.operandBase = operands.count &- parameters
        var base = localsSlotCount &+ slotHeight
        for index in label.operandBase..<operands.count { base &-= Self.width(operands[index].type) }
        label.slotBase = base
        label.resultBase = base
        label.loopStart = code.position
        code.markTarget() // a loop's back edges land here
        try labels.append(label)
        invalidateFusion()
        if kind == .loop {
            // Back-edges land here: check for interruption and charge the loop body anew.
            if checkEpoch { try emitEpochCheck() }
            try startFuelRegion(.fuelCheck)
        }
    }

    /// `else` or `end` of the innermost label.
    mutating func controlEnd(_ opcode: UInt8, _ reader: inout CodeReader) throws(SwasmError) {
        var label = labels[labels.count &- 1]
        if label.unreachable && label.skippedDepth > 0 {
            // The end (or else) of a block nested inside unreachable code.
            if opcode == 0x0b { labels[labels.count &- 1].skippedDepth &-= 1 }
            return
        }
        let reachableEnd = !label.unreachable
        if opcode == 0x05 {
            // End of the `then` arm: results to their slots, jump over the `else` arm.
            if reachableEnd {
                try moveTop(labelResultCount(label), to: label.resultBase, label: label, results: true)
                let start = code.position
                try code.emit(.br)
                try emitTarget(labelIndex: labels.count &- 1, instructionStart: start)
            }
            if label.elseOffset >= 0 {
                code.patch(offsetAt: label.elseOffset, instructionStart: label.elseInstruction, target: code.position)
            }
            label = labels[labels.count &- 1]
            label.kind = .ifElse
            label.elseOffset = -1
            label.unreachable = false
            labels[labels.count &- 1] = label
            try resetStack(to: label.operandBase)
            try startFuelRegion()
            // The else arm starts with the block's parameters in their home slots.
            for index in 0..<labelParameterCount(label) { _ = try push(labelType(label, result: false, index)) }
            invalidateFusion()
            return
        }
        // end
        if reachableEnd {
            try moveTop(labelResultCount(label), to: label.resultBase, label: label, results: true)
        }
        if label.handlerFirst >= 0 {
            try emitLandingPads(label, reachableEnd: reachableEnd)
            label = labels[labels.count &- 1] // the fall-through branch joined its pending list
        }
        if label.kind == .function {
            if reachableEnd { try emitReturn() }
            closeFuelRegion()
            _ = labels.popLast()
            return
        }
        if label.elseOffset >= 0 {
            // An `if` without `else`: the false path falls through to here.
            code.patch(offsetAt: label.elseOffset, instructionStart: label.elseInstruction, target: code.position)
        }
        resolvePending(label)
        _ = labels.popLast()
        try resetStack(to: label.operandBase)
        try startFuelRegion()
        for index in 0..<labelResultCount(label) { _ = try push(labelType(label, result: true, index)) }
        invalidateFusion()
    }

    mutating func resetStack(to count: Int) throws(SwasmError) {
        while operands.count > count { pop() }
    }

    mutating func branchTable(_ reader: inout CodeReader) throws(SwasmError) {
        let count = Int(reader.u32())
        let index = pop()
        let indexSlot = try readSlot(index)
        // Depths first, so targets needing moves can get stubs after the table.
        var depths = FallibleVector<Int>()
        try depths.reserve(count &+ 1)
        for _ in 0...count { try depths.append(Int(reader.u32())) }
        let start = code.position
        try code.emit(.brTable)
        try code.emit(CodeBuffer.slots(indexSlot))
        try code.emit(UInt64(count))
        let tableStart = code.position
        for _ in 0...count { try code.emit(0) }
        for entry in 0...count {
            let depth = depths[entry]
            let labelIndex = labels.count &- 1 &- depth
            let label = labels[labelIndex]
            if label.kind == .function || branchNeedsMoves(label) {
                // A stub: moves, then the jump.
                code.patch(offsetAt: tableStart &+ entry, instructionStart: start, target: code.position)
                try emitBranch(depth: depth)
            } else if label.kind == .loop {
                code.patch(offsetAt: tableStart &+ entry, instructionStart: start, target: label.loopStart)
            } else {
                try pending.append(PendingBranch(offsetPosition: tableStart &+ entry, instructionStart: start, next: label.pendingHead))
                labels[labelIndex].pendingHead = pending.count &- 1
            }
        }
        invalidateFusion()
    }

    /// `call`, or with `tail` `return_call` (the callee takes over this function's frame: its
    /// results are this function's, nothing follows).
    mutating func call(_ function: Int, tail: Bool = false) throws(SwasmError) {
        let signature = module.pointee.functionType(module.pointee.functions[function])
        let argumentCount = signature.pointee.parameters.count
        let first = operands.count &- argumentCount
        for index in first..<operands.count { try materialize(index) }
        let base = argumentCount > 0 ? operands[first].home : localsSlotCount &+ slotHeight
        for _ in 0..<argumentCount { pop() }
        if !tail { try recordStackMap() }
        try code.emit(tail ? .returnCall : .call)
        try code.emit(CodeBuffer.slots(base))
        try code.emit(UInt64(function))
        if tail { return invalidateFusion() }
        for index in 0..<signature.pointee.results.count { _ = try push(signature.pointee.results[index]) }
        // The callee's frame starts at `base`; its results may need room beyond our stack.
        invalidateFusion()
    }

    /// `call_indirect`, or with `tail` `return_call_indirect`.
    mutating func callIndirect(typeIndex: UInt32, table: UInt32, tail: Bool = false) throws(SwasmError) {
        let signature = module.pointee.functionType(typeIndex)
        let index = pop()
        let indexSlot = try tableOperandSlot(index, table: table)
        let argumentCount = signature.pointee.parameters.count
        let first = operands.count &- argumentCount
        for position in first..<operands.count { try materialize(position) }
        let base = argumentCount > 0 ? operands[first].home : localsSlotCount &+ slotHeight
        for _ in 0..<argumentCount { pop() }
        guard table <= 0xffff else { throw .limitExceeded }
        if !tail { try recordStackMap() }
        try code.emit(tail ? .returnCallIndirect : .callIndirect)
        try code.emit(CodeBuffer.slots(base, indexSlot, Int(table)))
        try code.emit(UInt64(typeIDs?[Int(typeIndex)] ?? typeIndex))
        if tail { return invalidateFusion() }
        for result in 0..<signature.pointee.results.count { _ = try push(signature.pointee.results[result]) }
        invalidateFusion()
    }

    /// `call_ref` (or with `tail` `return_call_ref`) of a function of type `typeIndex`.
    mutating func callReference(typeIndex: UInt32, tail: Bool) throws(SwasmError) {
        let signature = module.pointee.functionType(typeIndex)
        let reference = pop()
        let referenceSlot = try readSlot(reference)
        let argumentCount = signature.pointee.parameters.count
        let first = operands.count &- argumentCount
        for position in first..<operands.count { try materialize(position) }
        let base = argumentCount > 0 ? operands[first].home : localsSlotCount &+ slotHeight
        for _ in 0..<argumentCount { pop() }
        if !tail { try recordStackMap() }
        try code.emit(tail ? .returnCallRef : .callRef)
        try code.emit(CodeBuffer.slots(base, referenceSlot))
        try code.emit(UInt64(typeIDs?[Int(typeIndex)] ?? typeIndex))
        if tail { return invalidateFusion() }
        for result in 0..<signature.pointee.results.count { _ = try push(signature.pointee.results[result]) }
        invalidateFusion()
    }

    /// `br_on_null` (`whenNull`) or `br_on_non_null` to label `depth`. The reference is made a
    /// temporary in its home slot first, so the branch's moves cannot overwrite it: `br_on_null`
    /// branches without it and leaves it on the stack, `br_on_non_null` branches with it and
    /// leaves the stack without it.
    mutating func branchOnNull(depth: Int, whenNull: Bool) throws(SwasmError) {
        try materialize(operands.count &- 1)
        let reference = whenNull ? pop() : operands[operands.count &- 1]
        let labelIndex = labels.count &- 1 &- depth
        let label = labels[labelIndex]
        if label.kind != .function && !branchNeedsMoves(label) {
            let start = code.position
            try code.emit(whenNull ? .brOnNull : .brOnNonNull)
            try code.emit(CodeBuffer.slots(reference.home))
            try emitTarget(labelIndex: labelIndex, instructionStart: start)
        } else {
            let start = code.position
            try code.emit(whenNull ? .brOnNonNull : .brOnNull)
            try code.emit(CodeBuffer.slots(reference.home))
            let offset = code.position
            try code.emit(0)
            try emitBranch(depth: depth)
            code.patch(offsetAt: offset, instructionStart: start, target: code.position)
        }
        if whenNull { _ = try push(reference.type) } else { pop() }
        invalidateFusion()
    }

    mutating func select() throws(SwasmError) {
        let condition = pop()
        let conditionSlot = try readSlot(condition)
        let second = pop()
        let secondSlot = try readSlot(second)
        let first = pop()
        let firstSlot = try readSlot(first)
        let result = try push(first.type)
        invalidateFusion()
        lastProducer = code.position
        try code.emit(first.type == .v128 ? .selectV128 : .select)
        try code.emit(CodeBuffer.slots(result.home, firstSlot, secondSlot, conditionSlot))
    }

    mutating func setLocal(_ local: Int, tee: Bool) throws(SwasmError) {
        try detachAliases(of: local)
        let valueIndex = operands.count &- 1
        let value = operands[valueIndex]
        let target = localSlots[local]
        if value.kind == .temporary && lastProducer >= 0 && value.slot == value.home {
            // Let the producing instruction write the local directly.
            code.retargetDestination(instructionAt: lastProducer, to: target)
            pop()
            if tee { _ = try push(value.type, kind: .local, slot: target, local: local) }
            invalidateFusion()
            return
        }
        if value.kind == .constant {
            try code.emit(.const64)
            try code.emit(CodeBuffer.slots(target))
            try code.emit(value.constant)
        } else {
            try emitCopy(to: target, from: value.slot, type: value.type)
        }
        pop()
        if tee { _ = try push(value.type, kind: .local, slot: target, local: local) }
        invalidateFusion()
    }

    mutating func numeric(_ shape: NumericShape, _ resultType: ValueType) throws(SwasmError) {
        switch shape {
        case .reinterpret:
            let index = operands.count &- 1
            var operand = operands[index]
            pop() // (pop and push keep a local alias's count)
            operand.type = resultType
            _ = try push(resultType, kind: operand.kind, slot: operand.kind == .temporary ? nil : operand.slot,
                         local: operand.local, constant: operand.constant)
            invalidateFusion()
        case .unary(let opcode):
            let previousCompare = lastCompare, previousProducer = lastProducer
            let operand = pop()
            let slot = try readSlot(operand)
            let result = try push(resultType)
            invalidateFusion()
            let start = code.position
            lastProducer = start
            try code.emit(opcode)
            try code.emit(CodeBuffer.slots(result.home, slot))
            // `eqz` followed by br_if/if becomes one test of the operand.
            if opcode == .i32Eqz, let compare = previousCompare, operand.kind == .temporary, operand.slot == operand.home,
               previousProducer == compare.producer {
                // `eqz` of a comparison: a branch on it is the negated compare-and-branch.
                lastCompare = Compare(position: compare.position, producer: start, branch: compare.branchNot,
                                      branchNot: compare.branch, branchImmediate: compare.branchNotImmediate,
                                      branchNotImmediate: compare.branchImmediate, x: compare.x, y: compare.y,
                                      immediate: compare.immediate)
            } else if opcode == .i32Eqz {
                lastCompare = Compare(position: start, producer: start, branch: .brUnless, branchNot: .brIf, branchImmediate: nil,
                                      branchNotImmediate: nil, x: slot, y: 0, immediate: nil)
            } else if opcode == .i64Eqz {
                lastCompare = Compare(position: start, producer: start, branch: nil, branchNot: nil, branchImmediate: .brI64EqImm,
                                      branchNotImmediate: .brNotI64EqImm, x: slot, y: 0, immediate: 0)
            }
        case .binary(let opcode, let immediate, let commutative):
            try binary(opcode, immediate: immediate, commutative: commutative, resultType, compare: nil)
        case .compare(let opcode, let immediate, let branch, let branchNot, let branchImmediate, let branchNotImmediate):
            try binary(opcode, immediate: immediate, commutative: false, resultType,
                       compare: Compare(position: 0, branch: branch, branchNot: branchNot, branchImmediate: branchImmediate,
                                        branchNotImmediate: branchNotImmediate, x: 0, y: 0, immediate: nil))
        }
    }

    mutating func binary(_ opcode: Opcode, immediate: Opcode?, commutative: Bool, _ resultType: ValueType, compare: Compare?) throws(SwasmError) {
        var right = pop()
        var left = pop()
        if immediate != nil, commutative, left.kind == .constant, right.kind != .constant {
            swap(&left, &right)
        }
        // `constant - x`, `constant / x`: the reversed immediate forms.
        if compare == nil, left.kind == .constant, right.kind != .constant, let reversed = Self.reversedImmediateForm(of: opcode) {
            let rightSlot = try readSlot(right)
            let result = try push(resultType)
            invalidateFusion()
            let start = code.position
            try code.emit(reversed)
            try code.emit(CodeBuffer.slots(result.home, rightSlot))
            try code.emit(left.constant)
            lastProducer = start
            return
        }
        if let immediate, right.kind == .constant {
            let leftSlot = try readSlot(left)
            let result = try push(resultType)
            invalidateFusion()
            let start = code.position
            try code.emit(immediate)
            try code.emit(CodeBuffer.slots(result.home, leftSlot))
            try code.emit(right.constant)
            lastProducer = start
            if var compare {
                compare.position = start
                compare.producer = start
                compare.x = leftSlot
                compare.immediate = right.constant
                lastCompare = compare
            }
            return
        }
        // `x ± y * z` with the multiplication just emitted into one operand: one instruction.
        if let fused = Self.productForm(of: opcode), let product = takeLastResult(left, right, of: fused.multiply) {
            let otherSlot = try readSlot(product.other)
            let result = try push(resultType)
            invalidateFusion()
            let start = code.position
            try code.emit(product.isLeft ? fused.productFirst : fused.productSecond)
            try code.emit(CodeBuffer.slots(result.home, otherSlot, product.x, product.y))
            lastProducer = start
            return
        }
        // `x + (y << c)` with the shift just emitted into one operand: one instruction.
        if opcode == .i32Add, let shift = takeLastResult(left, right, of: .i32ShlImm) {
            let otherSlot = try readSlot(shift.other)
            let result = try push(resultType)
            invalidateFusion()
            let start = code.position
            try code.emit(.i32AddShlImm)
            try code.emit(CodeBuffer.slots(result.home, otherSlot, shift.x))
            try code.emit(shift.immediate)
            lastProducer = start
            return
        }
        // `left op (load)` with the load just emitted: one instruction that loads its right operand.
        if compare == nil, let load = lastLoad, let fused = Self.loadingForm(of: opcode, load: load.opcode),
           right.kind == .temporary, right.slot == right.home, right.home == load.result,
           lastProducer == load.position, code.position == load.position &+ 3 {
            code.truncate(to: load.position)
            let leftSlot = try readSlot(left)
            let result = try push(resultType)
            invalidateFusion()
            let start = code.position
            let current = code.sourceOffset
            code.sourceOffset = load.sourceOffset // a trap is the load's
            try code.emit(fused)
            code.sourceOffset = current
            try code.emit(CodeBuffer.slots(result.home, leftSlot, load.address))
            try code.emit(load.offset)
            lastProducer = start
            return
        }
        let leftSlot = try readSlot(left)
        let rightSlot = try readSlot(right)
        let result = try push(resultType)
        invalidateFusion()
        let start = code.position
        try code.emit(opcode)
        try code.emit(CodeBuffer.slots(result.home, leftSlot, rightSlot))
        lastProducer = start
        if var compare {
            compare.position = start
            compare.producer = start
            compare.x = leftSlot
            compare.y = rightSlot
            lastCompare = compare
        }
    }
}

extension FunctionCompiler {
    /// For an addition, subtraction or multiplication, the multiplication whose result it can
    /// absorb and the fused forms: with the product as the second operand (`x ± y * z`) and as the
    /// first (`y * z ± x`); products commute exactly, so one form serves both sides of `*` and `+`.
    static func productForm(of opcode: Opcode) -> (multiply: Opcode, productSecond: Opcode, productFirst: Opcode)? {
        switch opcode {
        case .f64Add: return (.f64Mul, .f64AddMul, .f64AddMul)
        case .f64Sub: return (.f64Mul, .f64SubMul, .f64MulSub)
        case .f32Add: return (.f32Mul, .f32AddMul, .f32AddMul)
        case .f32Sub: return (.f32Mul, .f32SubMul, .f32MulSub)
        case .f64Mul: return (.f64Mul, .f64MulMul, .f64MulMul)
        case .f32Mul: return (.f32Mul, .f32MulMul, .f32MulMul)
        default: return nil
        }
    }

    /// The instruction computing `opcode` with a constant left operand, if there is one.
    static func reversedImmediateForm(of opcode: Opcode) -> Opcode? {
        switch opcode {
        case .i32Sub: return .i32RsubImm
        case .i64Sub: return .i64RsubImm
        case .f32Sub: return .f32RsubImm
        case .f64Sub: return .f64RsubImm
        case .f32Div: return .f32RdivImm
        case .f64Div: return .f64RdivImm
        default: return nil
        }
    }

    /// The instruction computing `opcode` with its right operand loaded by `load`, if there is one.
    static func loadingForm(of opcode: Opcode, load: Opcode) -> Opcode? {
        switch (opcode, load) {
        case (.i32Add, .i32Load): return .i32AddLoad
        case (.i32Sub, .i32Load): return .i32SubLoad
        case (.i32Mul, .i32Load): return .i32MulLoad
        case (.i32And, .i32Load): return .i32AndLoad
        case (.i32Or, .i32Load): return .i32OrLoad
        case (.i32Xor, .i32Load): return .i32XorLoad
        case (.i64Add, .i64Load): return .i64AddLoad
        case (.i64Sub, .i64Load): return .i64SubLoad
        case (.i64Mul, .i64Load): return .i64MulLoad
        case (.i64And, .i64Load): return .i64AndLoad
        case (.i64Or, .i64Load): return .i64OrLoad
        case (.i64Xor, .i64Load): return .i64XorLoad
        case (.f32Add, .f32Load): return .f32AddLoad
        case (.f32Sub, .f32Load): return .f32SubLoad
        case (.f32Mul, .f32Load): return .f32MulLoad
        case (.f64Add, .f64Load): return .f64AddLoad
        case (.f64Sub, .f64Load): return .f64SubLoad
        case (.f64Mul, .f64Load): return .f64MulLoad
        default: return nil
        }
    }
}
