/// Proves that every slot a deserialized function reads as a reference holds one.
///
/// Slots are untyped 8-byte cells, and a funcref or externref is a pointer. Code that stored a
/// number and then handed the slot to `table.set`, `global.set`, a call or a return as a reference
/// would give the runtime a forged pointer. This is a forward data-flow analysis over the code:
/// each slot carries what it may be trusted as, three bits (funcref, externref, anyref; a zero is
/// all three, a number none) and a fourth saying it holds zero, and at a join the facts of every
/// incoming path are intersected. The analysis iterates to a fixed point; a read of a reference
/// that the facts do not guarantee fails.
///
/// Collected references (externref and anyref) are trusted past a safepoint only in the slots its
/// stack map names: the collector sees no others, so it may have freed what they point at.
///
/// Only functions that hand references on need it (`CodeVerifier` decides); numeric code skips it.
struct ReferenceFlow: ~Copyable {
    static let funcref: UInt8 = 1
    static let externref: UInt8 = 2
    /// A reference of the any hierarchy (null, an i31, a GC object or an internalized externref).
    static let anyref: UInt8 = 4
    /// The slot holds zero (null, or the number 0): nothing the collector must see.
    static let zero: UInt8 = 8
    static let null: UInt8 = 15

    /// For each code word that is a branch target, the index of its state (else -1).
    private var targetIndex = FallibleVector<Int32>()
    /// The state at each branch target, `frame` bytes each.
    private var states = FallibleVector<UInt8>()
    private var current = FallibleVector<UInt8>()
    /// The state an exception carries to a landing pad (reused).
    private var exceptional = FallibleVector<UInt8>()
    /// The function's catch clauses, during `run`.
    private var handlers: UnsafePointer<ExceptionHandler>?
    private var handlerCount = 0
    /// The function analysed, during `run` (for its stack maps), and a mark per slot (reused).
    private var function: UnsafePointer<CompiledFunction>?
    private var mapped = FallibleVector<UInt8>()

    /// Work allowed per function (slot states kept, and words walked over all passes) before the
    /// analysis gives up and the artifact is refused as too complex.
    static let budget = 1 << 26

    /// What a slot of `type` is trusted as: by the hierarchy its heap type belongs to.
    static func trust(_ type: ValueType, _ module: UnsafePointer<ModuleDescription>) -> UInt8 {
        guard type.isReference else { return 0 }
        switch module.pointee.typeTable.topType(of: type.heapType) {
        case .function: return funcref
        case .extern: return externref
        case .any: return anyref
        default: return 0
        }
    }

    mutating func run(_ function: UnsafePointer<CompiledFunction>, type: UnsafePointer<FunctionType>,
                      module: UnsafePointer<ModuleDescription>) throws(VerificationFailure) {
        let code = function.pointee.code.base!
        let count = function.pointee.code.count
        let frame = function.pointee.frameSlots
        var targets = 0
        var safepoints = 0
        do throws(SwasmError) {
            targetIndex.removeAll()
            try targetIndex.reserve(count)
            for _ in 0..<count { try targetIndex.append(-1) }
            var position = 0
            while position < count {
                let opcode = Opcode.decode(code[position]) ?? .unreachable
                if opcode.isSafepoint { safepoints &+= 1 }
                let indices = targetIndex.base!
                opcode.forEachTarget(in: code, at: position) { target in
                    if indices[target] < 0 {
                        indices[target] = Int32(truncatingIfNeeded: targets)
                        targets &+= 1
                    }
                }
                position &+= opcode.length(in: code, at: position)
            }
            // Landing pads are entered from every throw and call their clauses cover.
            for index in 0..<function.pointee.handlers.count {
                let pad = Int(function.pointee.handlers[index].pad)
                if indices(pad) < 0 { targetIndex[pad] = Int32(truncatingIfNeeded: targets); targets &+= 1 }
            }
            handlers = UnsafePointer(function.pointee.handlers.base)
            handlerCount = function.pointee.handlers.count
            exceptional.removeAll()
            try exceptional.reserve(max(frame, 1))
            for _ in 0..<max(frame, 1) { try exceptional.append(0) }
            guard targets.multipliedReportingOverflow(by: max(frame, 1)).partialValue <= Self.budget, targets < Self.budget,
                  safepoints.multipliedReportingOverflow(by: max(frame, 1)).partialValue <= Self.budget else {
                throw SwasmError.limitExceeded
            }
            // At least one element each, so that their storage exists for a frame of no slots.
            states.removeAll()
            try states.reserve(max(targets &* frame, 1))
            for _ in 0..<max(targets &* frame, 1) { try states.append(Self.null) }
            current.removeAll()
            try current.reserve(max(frame, 1))
            for _ in 0..<max(frame, 1) { try current.append(0) }
            mapped.removeAll()
            try mapped.reserve(max(frame, 1))
            for _ in 0..<max(frame, 1) { try mapped.append(0) }
            self.function = function
        } catch {
            if error == .limitExceeded { throw VerificationFailure("the function is too complex to verify") }
            throw VerificationFailure.outOfMemory
        }

        var walked = 0
        var changed = true
        while changed {
            changed = false
            walked &+= count
            guard walked <= Self.budget else { throw VerificationFailure("the function is too complex to verify") }
            try pass(function, type: type, module: module, changed: &changed)
        }
    }

    /// One walk over the code from the entry state, merging into branch targets.
    private mutating func pass(_ function: UnsafePointer<CompiledFunction>, type: UnsafePointer<FunctionType>,
                               module: UnsafePointer<ModuleDescription>, changed: inout Bool) throws(VerificationFailure) {
        let code = function.pointee.code.base!
        let count = function.pointee.code.count
        let frame = function.pointee.frameSlots
        let slots = current.base!
        let stored = states.base
        // Entry: parameters by type, declared locals zeroed, temporaries unknown.
        for slot in 0..<frame { slots[slot] = 0 }
        var offset = 0
        for index in 0..<type.pointee.parameters.count {
            let parameter = type.pointee.parameters[index]
            slots[offset] = Self.trust(parameter, module)
            offset &+= parameter == .v128 ? 2 : 1
        }
        for slot in function.pointee.localsStart..<function.pointee.localsEnd { slots[slot] = Self.null }

        var live = true
        var position = 0
        while position < count {
            let opcode = Opcode.decode(code[position]) ?? .unreachable
            let length = opcode.length(in: code, at: position)
            let target = Int(targetIndex[position])
            if target >= 0 {
                let state = stored!.advanced(by: target &* frame)
                if live {
                    merge(into: state, frame: frame, changed: &changed)
                }
                slots.update(from: state, count: frame)
                live = true
            }
            if live {
                live = try transfer(code.advanced(by: position), opcode, length: length, at: position, frame: frame, type: type, module: module, changed: &changed)
            }
            position &+= length
        }
    }

    private func indices(_ position: Int) -> Int32 { targetIndex[position] }

    /// An exception leaving the instruction that ends at `key` (a throw's next word, a call's
    /// return address) reaches the pads of the clauses covering it: the current facts, with the
    /// clause's values (trusted as the tag says; an exnref is an index checked where used) in its
    /// payload slots.
    private func mergeHandlers(key: Int, frame: Int, module: UnsafePointer<ModuleDescription>, changed: inout Bool) {
        guard let handlers else { return }
        let slots = current.base!, carried = exceptional.base!
        for index in 0..<handlerCount where handlers[index].covers(key) {
            let handler = handlers[index]
            carried.update(from: slots, count: frame)
            var slot = Int(handler.payload)
            if handler.kind <= 1 {
                let parameters = module.pointee.functionType(module.pointee.tags[Int(handler.tag)])
                for parameter in 0..<parameters.pointee.parameters.count {
                    let type = parameters.pointee.parameters[parameter]
                    carried[slot] = Self.trust(type, module)
                    if type == .v128 { carried[slot &+ 1] = 0 }
                    slot &+= type.slotCount
                }
            }
            if handler.kind & 1 != 0 { carried[slot] = 0 }
            let state = states.base!.advanced(by: Int(targetIndex[Int(handler.pad)]) &* frame)
            for cell in 0..<frame {
                let merged = state[cell] & carried[cell]
                if merged != state[cell] {
                    state[cell] = merged
                    changed = true
                }
            }
        }
    }

    /// At the safepoint at `position`: the collected references in slots below `limit` that its
    /// stack map leaves out are no longer trusted (a call's arguments, from `limit` on, are the
    /// callee's frame).
    private func forgetUnmapped(at position: Int, below limit: Int) {
        guard let function else { return }
        let slots = current.base!, marks = mapped.base!
        let maps = function.pointee.stackMaps.index(at: position).map { function.pointee.stackMaps.range($0) } ?? 0..<0
        for entry in maps { marks[Int(function.pointee.stackMaps.slots[entry])] = 1 }
        for slot in 0..<min(limit, mapped.count) where marks[slot] == 0 && slots[slot] & Self.zero == 0 {
            slots[slot] &= ~(Self.externref | Self.anyref)
        }
        for entry in maps { marks[Int(function.pointee.stackMaps.slots[entry])] = 0 }
    }

    /// Intersects the current facts into a target's state.
    private func merge(into state: UnsafeMutablePointer<UInt8>, frame: Int, changed: inout Bool) {
        let slots = current.base!
        for slot in 0..<frame {
            let merged = state[slot] & slots[slot]
            if merged != state[slot] {
                state[slot] = merged
                changed = true
            }
        }
    }

    private func mergeTarget(_ code: UnsafePointer<UInt64>, word: Int, at position: Int, frame: Int, changed: inout Bool) {
        let target = position &+ Int(truncatingIfNeeded: Int64(bitPattern: code[word]))
        let index = Int(targetIndex[target])
        merge(into: states.base!.advanced(by: index &* frame), frame: frame, changed: &changed)
    }

    /// Applies one instruction to the current facts, checking its reference reads. Returns
    /// whether execution can continue with the next instruction.
    private func transfer(_ code: UnsafePointer<UInt64>, _ opcode: Opcode, length: Int, at position: Int, frame: Int,
                          type: UnsafePointer<FunctionType>, module: UnsafePointer<ModuleDescription>,
                          changed: inout Bool) throws(VerificationFailure) -> Bool {
        let slots = current.base!
        // A one-word instruction has no operand word (and may be the code's last word).
        let operands = length > 1 ? code[1] : 0
        @inline(__always) func field(_ index: Int) -> Int { Int(truncatingIfNeeded: (operands >> UInt64(index &* 16)) & 0xffff) }
        @inline(__always) func require(_ slot: Int, _ trust: UInt8) throws(VerificationFailure) {
            guard slots[slot] & trust == trust else { throw VerificationFailure("a slot read as a reference may hold something else", at: position, opcode) }
        }
        /// Values of `types` in consecutive slots from `offset` (a v128 takes two).
        func requireTypes(_ types: borrowing FallibleVector<ValueType>, from offset: Int) throws(VerificationFailure) {
            var slot = offset
            for index in 0..<types.count {
                try require(slot, Self.trust(types[index], module))
                slot &+= types[index] == .v128 ? 2 : 1
            }
        }
        if opcode.isSafepoint { forgetUnmapped(at: position, below: opcode == .call || opcode == .callIndirect || opcode == .callRef ? field(0) : frame) }
        switch opcode {
        case .const64:
            slots[field(0)] = code[2] == 0 ? Self.null : 0
        case .copy:
            slots[field(0)] = slots[field(1)]
        case .copy2:
            slots[field(0)] = slots[field(1)]
            slots[field(2)] = slots[field(3)]
        case .select:
            slots[field(0)] = slots[field(1)] & slots[field(2)]
        case .refFunc:
            slots[field(0)] = Self.funcref
        case .tableGet:
            slots[field(0)] = Self.trust(module.pointee.tables[Int(code[2])].element, module)
        case .tableSet:
            try require(field(1), Self.trust(module.pointee.tables[Int(code[2])].element, module))
        case .tableFill:
            try require(field(1), Self.trust(module.pointee.tables[Int(code[2])].element, module))
        case .tableGrow:
            try require(field(1), Self.trust(module.pointee.tables[Int(code[2])].element, module))
            slots[field(0)] = 0
        case .globalGet:
            slots[field(0)] = Self.trust(module.pointee.globals[Int(code[2])].content, module)
        case .globalSet:
            try require(field(1), Self.trust(module.pointee.globals[Int(code[2])].content, module))
        case .call, .callIndirect, .callRef:
            let callee = opcode == .call
                ? module.pointee.functionType(module.pointee.functions[Int(code[2])])
                : module.pointee.functionType(UInt32(truncatingIfNeeded: code[2]))
            if opcode == .callRef { try require(field(1), Self.funcref) }
            let base = field(0)
            try requireTypes(callee.pointee.parameters, from: base)
            // The callee's frame overlays everything from `base` on.
            for slot in base..<frame { slots[slot] = 0 }
            mergeHandlers(key: position &+ length, frame: frame, module: module, changed: &changed)
            var offset = base
            for index in 0..<callee.pointee.results.count {
                let result = callee.pointee.results[index]
                slots[offset] = Self.trust(result, module)
                offset &+= result == .v128 ? 2 : 1
            }
        case .returnCall, .returnCallIndirect, .returnCallRef:
            // The callee's parameters must be what it reads; its results are this function's
            // (the verifier checked the types), written by the callee itself.
            let callee = opcode == .returnCall
                ? module.pointee.functionType(module.pointee.functions[Int(code[2])])
                : module.pointee.functionType(UInt32(truncatingIfNeeded: code[2]))
            if opcode == .returnCallRef { try require(field(1), Self.funcref) }
            try requireTypes(callee.pointee.parameters, from: field(0))
            return false
        case .return:
            try requireTypes(type.pointee.results, from: 0)
            return false
        case .throw:
            // The exception's values are what the tag says (a catch delivers them as such).
            try requireTypes(module.pointee.functionType(module.pointee.tags[Int(code[2])]).pointee.parameters, from: field(0))
            mergeHandlers(key: position &+ 1, frame: frame, module: module, changed: &changed)
            return false
        case .throwRef:
            mergeHandlers(key: position &+ 1, frame: frame, module: module, changed: &changed)
            return false
        case .refI31:
            slots[field(0)] = Self.anyref
        case .convertReference:
            // The conversion flips the hierarchy of a reference (and keeps null null).
            let trust = slots[field(1)]
            slots[field(0)] = trust == Self.null ? Self.null : (trust & Self.anyref != 0 ? Self.externref : 0) | (trust & Self.externref != 0 ? Self.anyref : 0)
        case _ where opcode.immediateKind == 14: // GC (Artifact/GCVerification.swift)
            try GCVerification.forEachOperand(opcode, code, module: module, at: position) { (operand: GCOperand) throws(VerificationFailure) in
                switch operand.content {
                case .number:
                    if operand.isWrite { slots[operand.slot] = 0 }
                case .object:
                    if operand.isWrite { slots[operand.slot] = Self.anyref } else { try require(operand.slot, Self.anyref) }
                case .value(let type):
                    if operand.isWrite {
                        slots[operand.slot] = Self.trust(type, module)
                        if operand.width == 2 { slots[operand.slot &+ 1] = 0 }
                    } else {
                        try require(operand.slot, Self.trust(type, module))
                    }
                }
            }
            if opcode.targetWord != 0 { mergeTarget(code, word: opcode.targetWord, at: position, frame: frame, changed: &changed) }
        case .brTable:
            let entries = Int(truncatingIfNeeded: code[2]) &+ 1
            for entry in 0..<entries { mergeTarget(code, word: 3 &+ entry, at: position, frame: frame, changed: &changed) }
            return false
        default:
            let info = opcode.verification
            // Everything else writes numbers.
            for index in 0..<4 {
                let role = (info >> UInt32(index &* 4)) & 0xf
                guard role & 2 != 0 else { continue }
                slots[field(index)] = 0
                if role & 4 != 0 { slots[field(index) &+ 1] = 0 }
            }
            if opcode.targetWord != 0 { mergeTarget(code, word: opcode.targetWord, at: position, frame: frame, changed: &changed) }
            if opcode.isTerminator { return false }
        }
        return true
    }
}
