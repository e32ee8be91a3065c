/// The 0xFE instructions (threads). An atomic access first computes its effective address into
/// the address operand's home slot (`atomic_address`, or `atomic_address_a64`, which turns a
/// 64-bit sum that wraps into one out of bounds), then runs on the pinned memory: another memory than 0
/// is pinned around it with `use_memory`, as for other loads and stores. `memory.atomic.wait` on
/// a memory that is not shared compiles to its trapping form (whether a memory is shared is part
/// of its type, imports included).
extension FunctionCompiler {
    mutating func atomic(_ reader: inout CodeReader) throws(SwasmError) -> Bool {
        let sub = reader.u32()
        if sub == 0x03 { // atomic.fence
            _ = reader.byte()
            try code.emit(.atomicFence)
            invalidateFusion()
            return true
        }
        let argument = reader.memoryArgument()
        let access = AtomicAccess(sub)
        let memoryType = module.pointee.memories[Int(argument.memory)]
        guard let opcode = Self.atomicOpcode(access, shared: memoryType.isShared) else { return false }
        // Operands after the address, in order.
        let operandCount: Int
        switch access.kind {
        case .load: operandCount = 0
        case .store, .notify, .readModifyWrite: operandCount = 1
        case .wait, .compareExchange: operandCount = 2
        }
        var second = 0, first = 0
        if operandCount == 2 { second = try readSlot(pop()) }
        if operandCount >= 1 { first = try readSlot(pop()) }
        let address = pop()
        let addressSlot = try readSlot(address)
        if argument.memory != 0 {
            try code.emit(.useMemory)
            try code.emit(0)
            try code.emit(UInt64(argument.memory))
        }
        try code.emit(memoryType.is64 ? .atomicAddressA64 : .atomicAddress)
        try code.emit(CodeBuffer.slots(address.home, addressSlot))
        try code.emit(argument.offset)
        try code.emit(opcode)
        switch access.kind {
        case .store:
            try code.emit(CodeBuffer.slots(address.home, first))
        case .wait where !memoryType.isShared:
            try code.emit(CodeBuffer.slots(0, address.home))
            _ = try push(.i32)
        default:
            let result = try push(access.kind == .notify || access.kind == .wait ? .i32 : access.type)
            try code.emit(CodeBuffer.slots(result.home, address.home, first, second))
        }
        if argument.memory != 0 {
            try code.emit(.useMemory)
            try code.emit(0)
            try code.emit(0)
        }
        invalidateFusion()
        return true
    }

    /// The interpreter's instruction for an atomic access (its width in the name).
    static func atomicOpcode(_ access: AtomicAccess, shared: Bool) -> Opcode? {
        let bytes = 1 << access.naturalAlignment
        func byWidth(_ one: Opcode, _ two: Opcode, _ four: Opcode, _ eight: Opcode) -> Opcode {
            switch bytes {
            case 1: return one
            case 2: return two
            case 4: return four
            default: return eight
            }
        }
        switch access.kind {
        case .notify: return .atomicNotify
        case .wait:
            if bytes == 4 { return shared ? .atomicWait32 : .atomicWait32Unshared }
            return shared ? .atomicWait64 : .atomicWait64Unshared
        case .load: return byWidth(.atomicLoad1, .atomicLoad2, .atomicLoad4, .atomicLoad8)
        case .store: return byWidth(.atomicStore1, .atomicStore2, .atomicStore4, .atomicStore8)
        case .compareExchange: return byWidth(.atomicCmpxchg1, .atomicCmpxchg2, .atomicCmpxchg4, .atomicCmpxchg8)
        case .readModifyWrite:
            switch access.operation {
            case .add: return byWidth(.atomicAdd1, .atomicAdd2, .atomicAdd4, .atomicAdd8)
            case .sub: return byWidth(.atomicSub1, .atomicSub2, .atomicSub4, .atomicSub8)
            case .and: return byWidth(.atomicAnd1, .atomicAnd2, .atomicAnd4, .atomicAnd8)
            case .or: return byWidth(.atomicOr1, .atomicOr2, .atomicOr4, .atomicOr8)
            case .xor: return byWidth(.atomicXor1, .atomicXor2, .atomicXor4, .atomicXor8)
            case .exchange: return byWidth(.atomicXchg1, .atomicXchg2, .atomicXchg4, .atomicXchg8)
            }
        }
    }
}
