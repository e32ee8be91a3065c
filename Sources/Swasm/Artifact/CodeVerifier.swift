import CSwasm

/// Checks the internal code of a deserialized function before it may run, so that a crafted
/// artifact can never make the interpreter read or write outside its own buffers:
///
/// - every word at an instruction start is a known opcode (never `halt`), and the instruction
///   fits in the function;
/// - every slot operand lies inside the frame (both slots of a v128);
/// - every index immediate (function, global, table, element and data segment, type) names an
///   entity of the module, with the type the instruction assumes (a mutable global for
///   `global.set`, a funcref table for `call_indirect`, matching element types for `table.init`
///   and `table.copy`), memory and data segment; instructions on memory 0 need a memory;
/// - calls leave room in the frame for the callee's parameters and results; a tail call's callee
///   returns exactly the function's results (it leaves them where the function's caller reads
///   them);
/// - every branch lands on an instruction start of the same function, and no path runs off the
///   end of the code;
/// - interruption cannot be bypassed: with fuel metering, the function starts with a fuel check
///   that charges, and on every path from a loop head (a backward branch's target) back to a
///   backward branch some fuel check charges at least one unit, so every call and every loop
///   iteration consumes fuel (`checkFuelFlow`); with epoch checks, the function and every backward
///   branch target start with one;
/// - references are what they claim to be (`ReferenceFlow`): a slot read as a funcref or externref
///   always holds one, whatever path led there;
/// - the frame layout matches the function's type and local declarations, and backtrace offsets
///   are in order and inside the code.
///
/// What it does not decide is whether the code computes what the original WebAssembly did: a
/// crafted artifact can compute anything, but only within its own frame, memories, tables and
/// globals, as any WebAssembly module can.
struct CodeVerifier: ~Copyable {
    let module: UnsafePointer<ModuleDescription>
    let typeIDs: UnsafePointer<UInt32>
    /// One bit per code word: the instruction starts, as the artifact gives them (filled by the
    /// reader before `verify`, reused across functions).
    var starts = FallibleVector<UInt64>()
    /// Instructions that need more than the common checks (reused across functions).
    private var pending = FallibleVector<UInt32>()
    /// Positions of the branch instructions (reused across functions).
    private var branches = FallibleVector<UInt32>()
    /// For `checkFuelFlow` (reused): loop heads, one bit per code word, and what the forward
    /// branches into each word know (0: none yet, 1: all charged, 2: some not).
    private var loopHeads = FallibleVector<UInt64>()
    private var incoming = FallibleVector<UInt8>()
    /// The engine settings the code must honour (fuel metering, epoch checks).
    let meterFuel: Bool
    let checkEpoch: Bool
    private var flow = ReferenceFlow()

    init(module: UnsafePointer<ModuleDescription>, typeIDs: UnsafePointer<UInt32>, meterFuel: Bool, checkEpoch: Bool) {
        self.module = module
        self.typeIDs = typeIDs
        self.meterFuel = meterFuel
        self.checkEpoch = checkEpoch
    }

    /// Verifies defined function `index` and, once it passes, threads its code for this process;
    /// on failure `diagnostic` says which function, which instruction and what is wrong.
    mutating func verify(_ function: UnsafePointer<CompiledFunction>, index: Int, diagnostic: inout Diagnostic) throws(SwasmError) {
        do throws(VerificationFailure) {
            try checkLayout(function, index: index)
            if function.pointee.supported {
                let type = module.pointee.functionType(module.pointee.functions[module.pointee.importedFunctionCount &+ index])
                var needsFlow = try checkInstructions(function, type: type)
                // Landing pads receive values the flow analysis must see (`ReferenceFlow`).
                if try checkHandlers(function) { needsFlow = true }
                try checkStackMaps(function)
                try checkEntry(function)
                try checkBranches(function)
                if meterFuel { try checkFuelFlow(function) }
                try checkOffsets(function)
                if needsFlow { try flow.run(function, type: type, module: module) }
            }
            if !function.pointee.supported && function.pointee.stackMaps.count > 0 {
                throw VerificationFailure("a function without code has stack maps")
            }
            if function.pointee.supported {
                threadMarkedInstructions(UnsafeMutablePointer(mutating: function.pointee.code.base!), starts.base!, function.pointee.code.count)
            }
        } catch {
            if error.isOutOfMemory { throw .outOfMemory }
            let functionIndex = module.pointee.importedFunctionCount &+ index
            diagnostic.record { (text: inout ByteBuffer) throws(SwasmError) in
                try text.append("invalid artifact: function ")
                try text.appendDecimal(UInt64(functionIndex))
                if let position = error.position {
                    try text.append(", code word ")
                    try text.appendDecimal(UInt64(position))
                    if let opcode = error.opcode {
                        try text.append(" (")
                        try text.append(opcode.name)
                        try text.append(")")
                    }
                }
                try text.append(": ")
                try text.append(error.reason)
            }
            throw .malformed
        }
    }

    // MARK: frame layout

    private func checkLayout(_ function: UnsafePointer<CompiledFunction>, index: Int) throws(VerificationFailure) {
        let body = module.pointee.bodies.base!.advanced(by: index)
        let type = module.pointee.functionType(module.pointee.functions[module.pointee.importedFunctionCount &+ index])
        let parameters = Self.slotWidth(type.pointee.parameters)
        let results = Self.slotWidth(type.pointee.results)
        var locals = parameters
        for group in 0..<body.pointee.locals.count {
            let entry = body.pointee.locals[group]
            locals &+= Int(entry.count) &* (entry.type == .v128 ? 2 : 1)
        }
        let frame = function.pointee.frameSlots
        guard function.pointee.parameterSlots == parameters, function.pointee.localsStart == parameters,
              function.pointee.localsEnd == locals else {
            throw VerificationFailure("the frame layout does not match the function's type and locals")
        }
        guard frame <= 0xffff, frame >= locals, frame >= results else {
            throw VerificationFailure("the frame size is out of range")
        }
        guard function.pointee.bodyStart == body.pointee.range.start else {
            throw VerificationFailure("the body offset does not match the module")
        }
        if function.pointee.supported {
            guard function.pointee.code.count > 0 else { throw VerificationFailure("the function has no code") }
        } else {
            guard function.pointee.code.count == 0, function.pointee.offsets.count == 0 else {
                throw VerificationFailure("an uncompiled function carries code")
            }
        }
    }

    static func slotWidth(_ types: borrowing FallibleVector<ValueType>) -> Int {
        var width = 0
        for index in 0..<types.count { width &+= types[index] == .v128 ? 2 : 1 }
        return width
    }

    /// Whether values of `first` may stand for values of `second`, one by one (subtyping).
    func typesMatch(_ first: borrowing FallibleVector<ValueType>, _ second: borrowing FallibleVector<ValueType>) -> Bool {
        guard first.count == second.count else { return false }
        for index in 0..<first.count where !module.pointee.matches(first[index], second[index]) { return false }
        return true
    }

    static func hasReference(_ types: borrowing FallibleVector<ValueType>) -> Bool {
        for index in 0..<types.count where types[index].isReference { return true }
        return false
    }

    // MARK: instructions

    /// Checks every instruction the start bitmap (`starts`, read from the artifact) names: the
    /// bitmap must name exactly the instruction boundaries (each start is the previous one plus its
    /// length), opcodes must be known and instructions must fit, slot operands must lie in the
    /// frame. Taking starts from the bitmap keeps each instruction's loads independent of the
    /// previous one's length, and the common case free of unpredictable branches: instructions
    /// with anything else to check (immediates, branches, memory, terminators) are listed and
    /// checked afterwards. Returns whether the function consumes references (`ReferenceFlow`).
    private mutating func checkInstructions(_ function: UnsafePointer<CompiledFunction>, type: UnsafePointer<FunctionType>) throws(VerificationFailure) -> Bool {
        let code = function.pointee.code.base!
        let count = function.pointee.code.count
        let frame = function.pointee.frameSlots
        let bitmapWords = (count &+ 63) / 64
        guard starts.count == bitmapWords else { throw VerificationFailure("the instruction-start bitmap has the wrong size") }
        if count % 64 != 0 && starts[bitmapWords &- 1] >> UInt64(count % 64) != 0 {
            throw VerificationFailure("the instruction-start bitmap names a word past the code")
        }
        branches.removeAll()
        do throws(SwasmError) { try pending.resizeUninitialized(count) } catch { throw VerificationFailure.outOfMemory }
        let list = pending.base!
        var listed = 0, at = 0, lastPosition = 0
        // Immediates, memory use, branches and terminators need a closer look.
        let closer = UInt64(Opcode.immediateKindBits | Opcode.usesMemoryBit | Opcode.targetWordBits | Opcode.terminatorBit)
        let problem = swasm_check_instructions(code, count, starts.base!, UInt64(frame), closer, list, &listed, &at, &lastPosition)
        if problem != 0 {
            let opcode = at < count ? Opcode.decode(code[at]) : nil
            switch UInt32(problem) {
            case SWASM_CODE_OPCODE.rawValue: throw VerificationFailure("unknown opcode", at: at)
            case SWASM_CODE_TABLE.rawValue: throw VerificationFailure("the branch table runs past the end of the code", at: at, opcode)
            case SWASM_CODE_LENGTH.rawValue: throw VerificationFailure("the instruction runs past the end of the code", at: at, opcode)
            case SWASM_CODE_SLOT.rawValue: throw VerificationFailure("a slot operand lies outside the frame", at: at, opcode)
            default: throw VerificationFailure("the instruction-start bitmap does not match the code", at: at)
            }
        }

        var needsFlow = false
        for index in 0..<listed {
            let position = Int(list[index])
            guard let opcode = Opcode.decode(code[position]) else { throw VerificationFailure("unknown opcode", at: position) }
            guard opcode != .halt else { throw VerificationFailure("halt inside function code", at: position, opcode) }
            if opcode.targetWord != 0 || opcode == .brTable {
                do throws(SwasmError) { try branches.append(UInt32(truncatingIfNeeded: position)) } catch { throw VerificationFailure.outOfMemory }
            }
            if opcode.usesMemory && module.pointee.memories.count == 0 {
                throw VerificationFailure("a memory instruction in a module without memory", at: position, opcode)
            }
            // Offsets are 32-bit in WebAssembly; a larger one could wrap the 64-bit bounds check.
            if opcode.hasMemoryOffset && code[position &+ 2] > 0xffff_ffff {
                throw VerificationFailure("a memory offset exceeds 32 bits", at: position, opcode)
            }
            let immediateKind = opcode.immediateKind
            if immediateKind != 0 {
                if try checkImmediate(kind: immediateKind, opcode: opcode, code: code.advanced(by: position), frame: frame, caller: type, at: position) {
                    needsFlow = true
                }
            }
            if opcode == .return && Self.hasReference(type.pointee.results) { needsFlow = true }
        }
        guard let last = Opcode.decode(code[lastPosition]), last.isTerminator else {
            throw VerificationFailure("the code can run past its end", at: lastPosition, Opcode.decode(code[lastPosition]))
        }
        return needsFlow
    }

    /// Checks an index immediate (word 2 of the instruction). Returns whether the instruction
    /// consumes a reference from a slot.
    private func checkImmediate(kind: UInt32, opcode: Opcode, code: UnsafePointer<UInt64>, frame: Int, caller: UnsafePointer<FunctionType>,
                                at position: Int) throws(VerificationFailure) -> Bool {
        let immediate = code[2]
        switch kind {
        case 1: // global
            guard immediate < UInt64(module.pointee.globals.count) else { throw VerificationFailure("global index out of range", at: position, opcode) }
            let global = module.pointee.globals[Int(immediate)]
            let isVector = opcode == .globalGetV128 || opcode == .globalSetV128
            guard (global.content == .v128) == isVector else { throw VerificationFailure("the global has another type", at: position, opcode) }
            if opcode == .globalSet || opcode == .globalSetV128 {
                guard global.isMutable else { throw VerificationFailure("the global is immutable", at: position, opcode) }
                return global.content.isReference
            }
            return false
        case 2: // function
            guard immediate < UInt64(module.pointee.functions.count) else { throw VerificationFailure("function index out of range", at: position, opcode) }
            guard opcode == .call || opcode == .returnCall else { return false }
            let type = module.pointee.functionType(module.pointee.functions[Int(immediate)])
            try checkCallFrame(base: Int(truncatingIfNeeded: code[1] & 0xffff), type: type, frame: frame, tail: opcode == .returnCall ? caller : nil,
                               opcode: opcode, at: position)
            return Self.hasReference(type.pointee.parameters)
        case 3: // table
            guard immediate < UInt64(module.pointee.tables.count) else { throw VerificationFailure("table index out of range", at: position, opcode) }
            return opcode == .tableSet || opcode == .tableFill || opcode == .tableGrow
        case 4: // element segment
            guard immediate < UInt64(module.pointee.elements.count) else { throw VerificationFailure("element segment index out of range", at: position, opcode) }
            return false
        case 5: // data segment
            guard immediate < UInt64(module.pointee.data.count) else { throw VerificationFailure("data segment index out of range", at: position, opcode) }
            return false
        case 6: // table | element segment << 32
            let table = immediate & 0xffff_ffff, segment = immediate >> 32
            guard table < UInt64(module.pointee.tables.count), segment < UInt64(module.pointee.elements.count) else {
                throw VerificationFailure("table or element segment index out of range", at: position, opcode)
            }
            guard module.pointee.matches(module.pointee.elements[Int(segment)].type, module.pointee.tables[Int(table)].element) else {
                throw VerificationFailure("the element segment's type differs from the table's", at: position, opcode)
            }
            return false
        case 7: // destination table | source table << 32
            let destination = immediate & 0xffff_ffff, source = immediate >> 32
            let tables = UInt64(module.pointee.tables.count)
            guard destination < tables, source < tables else { throw VerificationFailure("table index out of range", at: position, opcode) }
            guard module.pointee.matches(module.pointee.tables[Int(source)].element, module.pointee.tables[Int(destination)].element) else {
                throw VerificationFailure("the tables' element types differ", at: position, opcode)
            }
            return false
        case 8: // call_indirect: word 1 = base | index slot << 16 | table << 32, word 2 = type
            let operands = code[1]
            let table = operands >> 32
            guard table < UInt64(module.pointee.tables.count), module.pointee.matches(module.pointee.tables[Int(table)].element, .funcref) else {
                throw VerificationFailure("call_indirect needs a funcref table", at: position, opcode)
            }
            let type = try checkDynamicCallee(operands: operands, type: immediate, frame: frame,
                                              tail: opcode == .returnCallIndirect ? caller : nil, opcode: opcode, at: position)
            return Self.hasReference(type.pointee.parameters)
        case 13: // call_ref: word 1 = base | reference slot << 16, word 2 = type
            _ = try checkDynamicCallee(operands: code[1], type: immediate, frame: frame,
                                       tail: opcode == .returnCallRef ? caller : nil, opcode: opcode, at: position)
            return true
        case 12: // tag of `throw`: its values from the base slot on lie in the frame
            guard immediate < UInt64(module.pointee.tags.count) else { throw VerificationFailure("tag index out of range", at: position, opcode) }
            let signature = module.pointee.functionType(module.pointee.tags[Int(immediate)])
            guard Int(truncatingIfNeeded: code[1] & 0xffff) &+ Self.slotWidth(signature.pointee.parameters) <= frame else {
                throw VerificationFailure("the exception's values lie outside the frame", at: position, opcode)
            }
            return Self.hasReference(signature.pointee.parameters)
        case 9: // memory (low 32 bits; memory_grow_ext keeps its fuel charge above)
            guard immediate & 0xffff_ffff < UInt64(module.pointee.memories.count) else {
                throw VerificationFailure("memory index out of range", at: position, opcode)
            }
            return false
        case 10: // destination memory | source memory << 32
            let memories = UInt64(module.pointee.memories.count)
            guard immediate & 0xffff_ffff < memories, immediate >> 32 < memories else {
                throw VerificationFailure("memory index out of range", at: position, opcode)
            }
            return false
        case 11: // memory | data segment << 32
            guard immediate & 0xffff_ffff < UInt64(module.pointee.memories.count), immediate >> 32 < UInt64(module.pointee.data.count) else {
                throw VerificationFailure("memory or data segment index out of range", at: position, opcode)
            }
            return false
        case 14: // GC: operands and immediates by the types the immediates name
            var readsReference = false
            try GCVerification.forEachOperand(opcode, code, module: module, at: position) { (operand: GCOperand) throws(VerificationFailure) in
                guard operand.slot &+ operand.width <= frame else { throw VerificationFailure("a slot operand lies outside the frame", at: position, opcode) }
                guard !operand.isWrite else { return }
                switch operand.content {
                case .number: break
                case .object: readsReference = true
                case .value(let type): if type.isReference { readsReference = true }
                }
            }
            return readsReference
        default:
            throw VerificationFailure("unknown immediate kind", at: position, opcode)
        }
    }

    /// A callee's parameters and results (host functions write results in place) must fit in the
    /// caller's frame from `base` on. A tail call (`tail`: the caller's type) moves the parameters
    /// to the frame's start and leaves the results there, as the caller's: its results must be
    /// exactly the caller's, which the frame holds (`checkLayout`).
    /// A call whose callee is found at run time (`call_indirect`, `call_ref`, and their tail
    /// forms): the slot in word 1's second field lies in the frame, the type is a canonical
    /// function type, and the arguments (and a tail call's results) fit. Returns the type.
    private func checkDynamicCallee(operands: UInt64, type immediate: UInt64, frame: Int, tail caller: UnsafePointer<FunctionType>?,
                                    opcode: Opcode, at position: Int) throws(VerificationFailure) -> UnsafePointer<FunctionType> {
        guard Int(truncatingIfNeeded: (operands >> 16) & 0xffff) < frame else {
            throw VerificationFailure("a slot operand lies outside the frame", at: position, opcode)
        }
        guard immediate < UInt64(module.pointee.types.count), UInt64(typeIDs[Int(immediate)]) == immediate,
              module.pointee.typeDefinitions[Int(immediate)].kind == .function else {
            throw VerificationFailure("the call names no canonical function type", at: position, opcode)
        }
        let type = module.pointee.functionType(UInt32(immediate))
        try checkCallFrame(base: Int(truncatingIfNeeded: operands & 0xffff), type: type, frame: frame, tail: caller, opcode: opcode, at: position)
        return type
    }

    private func checkCallFrame(base: Int, type: UnsafePointer<FunctionType>, frame: Int, tail caller: UnsafePointer<FunctionType>?,
                                opcode: Opcode, at position: Int) throws(VerificationFailure) {
        if let caller {
            guard base &+ Self.slotWidth(type.pointee.parameters) <= frame else {
                throw VerificationFailure("the call's arguments lie outside the frame", at: position, opcode)
            }
            guard typesMatch(type.pointee.results, caller.pointee.results) else {
                throw VerificationFailure("the tail call's results differ from the function's", at: position, opcode)
            }
            return
        }
        let needed = max(Self.slotWidth(type.pointee.parameters), Self.slotWidth(type.pointee.results))
        guard base &+ needed <= frame else { throw VerificationFailure("the call's arguments lie outside the frame", at: position, opcode) }
    }

    // MARK: stack maps

    /// Each stack map belongs to a safepoint instruction (in code order, one map each) and names
    /// slots inside the frame, so the collector reads only the frame. That the maps name every
    /// reference the code goes on to use is the flow analysis's part (`ReferenceFlow`): a slot
    /// a safepoint's map leaves out is no longer trusted as a reference after it.
    private func checkStackMaps(_ function: UnsafePointer<CompiledFunction>) throws(VerificationFailure) {
        let code = function.pointee.code.base!
        let count = function.pointee.code.count
        var previous = -1
        var end = 0
        for index in 0..<function.pointee.stackMaps.count {
            let position = Int(function.pointee.stackMaps.positions[index])
            guard position > previous, position < count, isStart(position), Opcode.decode(code[position])?.isSafepoint == true else {
                throw VerificationFailure("a stack map belongs to no safepoint instruction", at: min(position, max(count &- 1, 0)))
            }
            let next = Int(function.pointee.stackMaps.ends[index])
            guard next > end, next <= function.pointee.stackMaps.slots.count else { throw VerificationFailure("a stack map's slots are out of order", at: position) }
            previous = position
            end = next
        }
        guard end == function.pointee.stackMaps.slots.count else { throw VerificationFailure("the stack maps have slots no map names") }
        for index in 0..<function.pointee.stackMaps.slots.count where Int(function.pointee.stackMaps.slots[index]) >= function.pointee.frameSlots {
            throw VerificationFailure("a stack map names a slot outside the frame")
        }
    }

    // MARK: exception handlers

    /// Every catch clause covers code of the function, lands on an instruction start, writes its
    /// values inside the frame, and names a tag of the module (or any tag, for the `_all` kinds).
    /// Returns whether the function has any (its pads then take part in the flow analysis).
    private func checkHandlers(_ function: UnsafePointer<CompiledFunction>) throws(VerificationFailure) -> Bool {
        let count = function.pointee.code.count
        let frame = function.pointee.frameSlots
        for index in 0..<function.pointee.handlers.count {
            let handler = function.pointee.handlers[index]
            guard handler.kind <= 3, handler.start <= handler.end, Int(handler.end) <= count else {
                throw VerificationFailure("an exception handler covers no code of the function")
            }
            guard Int(handler.pad) < count, isStart(Int(handler.pad)) else {
                throw VerificationFailure("an exception handler lands off an instruction start", at: Int(handler.pad))
            }
            var width = handler.kind & 1 != 0 ? 1 : 0
            if handler.kind <= 1 {
                guard handler.tag < UInt32(truncatingIfNeeded: module.pointee.tags.count) else {
                    throw VerificationFailure("an exception handler names no tag of the module")
                }
                width &+= Self.slotWidth(module.pointee.functionType(module.pointee.tags[Int(handler.tag)]).pointee.parameters)
            } else {
                guard handler.tag == ExceptionHandler.anyTag else { throw VerificationFailure("a catch-all handler names a tag") }
            }
            guard Int(handler.payload) &+ width <= frame else {
                throw VerificationFailure("an exception handler's values lie outside the frame")
            }
        }
        return function.pointee.handlers.count > 0
    }

    // MARK: branches and offsets

    private func isStart(_ position: Int) -> Bool {
        starts[position >> 6] & (1 << UInt64(position & 63)) != 0
    }

    /// The function starts with the interruption checks the engine requires; the entry fuel
    /// check charges (every call consumes fuel).
    private func checkEntry(_ function: UnsafePointer<CompiledFunction>) throws(VerificationFailure) {
        let code = function.pointee.code.base!
        let count = function.pointee.code.count
        var position = 0
        if checkEpoch {
            guard code[0] == UInt64(Opcode.epochCheck.rawValue) else { throw VerificationFailure("the function does not start with an epoch check", at: 0) }
            position = 1
        }
        if meterFuel {
            guard position < count, code[position] == UInt64(Opcode.fuelCheckEntry.rawValue), code[position &+ 2] >= 1,
                  code[position &+ 2] <= UInt64(Int64.max) else {
                throw VerificationFailure("the function does not start with a fuel charge", at: position)
            }
        }
    }

    /// Every branch target is an instruction start of this function; with epoch checks, every
    /// backward branch lands on one.
    private func checkBranches(_ function: UnsafePointer<CompiledFunction>) throws(VerificationFailure) {
        let code = function.pointee.code.base!
        let count = function.pointee.code.count
        for index in 0..<branches.count {
            let position = Int(branches[index])
            guard let opcode = Opcode.decode(code[position]) else { throw VerificationFailure("unknown opcode", at: position) }
            let targetWord = opcode.targetWord
            if targetWord != 0 {
                try checkTarget(position, offset: code[position &+ targetWord], code: code, count: count, opcode: opcode)
            } else {
                let entries = Int(truncatingIfNeeded: code[position &+ 2]) &+ 1
                for target in 0..<entries {
                    try checkTarget(position, offset: code[position &+ 3 &+ target], code: code, count: count, opcode: opcode)
                }
            }
        }
    }

    private func checkTarget(_ position: Int, offset: UInt64, code: UnsafePointer<UInt64>, count: Int, opcode: Opcode) throws(VerificationFailure) {
        let signed = Int64(bitPattern: offset)
        guard signed > -Int64(count), signed < Int64(count) else { throw VerificationFailure("a branch leaves the function", at: position, opcode) }
        let target = position &+ Int(signed)
        guard target >= 0, target < count, isStart(target) else {
            throw VerificationFailure("a branch does not land on an instruction", at: position, opcode)
        }
        if checkEpoch && target <= position && code[target] != UInt64(Opcode.epochCheck.rawValue)
            && code[target] != UInt64(Opcode.return.rawValue) {
            throw VerificationFailure("a backward branch lands past an epoch check", at: position, opcode)
        }
    }

    /// With fuel metering: a forward must-analysis of one bit, "a fuel check that checks and charges has run
    /// since the last loop head", false at the entry and at every backward branch's target, set by
    /// a fuel check charging at least one unit, intersected where paths join, and required at
    /// every backward branch. Forward branches only carry facts forward, so one pass in code order
    /// suffices. Then every loop iteration charges, whatever the code's shape.
    private mutating func checkFuelFlow(_ function: UnsafePointer<CompiledFunction>) throws(VerificationFailure) {
        let code = function.pointee.code.base!
        let count = function.pointee.code.count
        do throws(SwasmError) {
            loopHeads.removeAll()
            incoming.removeAll()
            let words = (count &+ 63) / 64
            try loopHeads.reserve(words)
            for _ in 0..<words { try loopHeads.append(0) }
            try incoming.reserve(count)
            for _ in 0..<count { try incoming.append(0) }
        } catch {
            throw VerificationFailure.outOfMemory
        }
        let heads = loopHeads.base!, known = incoming.base!
        for index in 0..<branches.count {
            let position = Int(branches[index])
            guard let opcode = Opcode.decode(code[position]) else { continue }
            opcode.forEachTarget(in: code, at: position) { target in
                if target <= position { heads[target >> 6] |= 1 << UInt64(target & 63) }
            }
        }
        var charged = false
        var live = true
        var position = 0
        while position < count {
            guard let opcode = Opcode.decode(code[position]) else { throw VerificationFailure("unknown opcode", at: position) }
            if heads[position >> 6] & (1 << UInt64(position & 63)) != 0 {
                charged = false
                live = true
            } else if known[position] != 0 {
                charged = (live ? charged : true) && known[position] == 1
                live = true
            }
            let length = opcode.length(in: code, at: position)
            if opcode == .fuelCheck || opcode == .fuelCheckEntry || opcode == .fuelCharge {
                // A charge is subtracted as a signed number: a "negative" one would give fuel back.
                guard code[position &+ 2] <= UInt64(Int64.max) else {
                    throw VerificationFailure("a fuel check charges a negative amount", at: position, opcode)
                }
                // Only a check stops a loop: a charge alone lets fuel fall below zero unnoticed.
                if live && opcode != .fuelCharge && code[position &+ 2] >= 1 { charged = true }
            }
            if live {
                var backwardUncharged = false
                let state = charged
                opcode.forEachTarget(in: code, at: position) { target in
                    if target > position {
                        if known[target] != 2 { known[target] = state ? 1 : 2 }
                    } else if !state {
                        backwardUncharged = true
                    }
                }
                if backwardUncharged {
                    throw VerificationFailure("a loop can run without charging fuel", at: position, opcode)
                }
                // An exception leaves a throw or a call for the pads of the clauses covering it.
                if opcode.mayThrow {
                    let key = opcode == .throw || opcode == .throwRef ? position &+ 1 : position &+ length
                    for index in 0..<function.pointee.handlers.count where function.pointee.handlers[index].covers(key) {
                        let pad = Int(function.pointee.handlers[index].pad)
                        guard pad > position else { throw VerificationFailure("an exception handler lands before the code it covers", at: position, opcode) }
                        if known[pad] != 2 { known[pad] = state ? 1 : 2 }
                    }
                }
                if opcode.isTerminator { live = false }
            }
            position &+= length
        }
    }

    /// Backtrace entries name instruction positions in order.
    private func checkOffsets(_ function: UnsafePointer<CompiledFunction>) throws(VerificationFailure) {
        var previous: UInt64 = 0
        let limit = UInt64(function.pointee.code.count)
        for index in 0..<function.pointee.offsets.count {
            let position = function.pointee.offsets[index] >> 32
            guard position >= previous, position < limit else { throw VerificationFailure("backtrace offsets are out of order or outside the code") }
            previous = position
        }
    }
}

/// Why verification failed, and where.
struct VerificationFailure: Error {
    let reason: StaticString
    let position: Int?
    let opcode: Opcode?
    /// An allocation failed while verifying: reported as out of memory, not as a bad artifact.
    var isOutOfMemory = false

    init(_ reason: StaticString, at position: Int? = nil, _ opcode: Opcode? = nil) {
        self.reason = reason
        self.position = position
        self.opcode = opcode
    }

    static var outOfMemory: VerificationFailure {
        var failure = VerificationFailure("out of memory")
        failure.isOutOfMemory = true
        return failure
    }
}
