/// Validation of the 0xFE-prefixed instructions of the threads proposal: atomic loads, stores,
/// read-modify-writes and compare-exchanges, wait, notify and fence. An atomic access's alignment
/// must equal its natural alignment (tools/wasm_instructions.py: `argument`).
extension FunctionValidator {
    mutating func atomic(_ module: borrowing ModuleDescription) throws(SwasmError) {
        let code = try reader.readU32()
        guard WasmInstructions.immediateFE(code) != nil, Features.implemented.isSuperset(of: WasmInstructions.featureFE(code)) else {
            throw reader.illegalOpcode(code, prefix: 0xfe, at: instructionStart)
        }
        try require(.threads, "threads support is not enabled")
        if code == 0x03 { // atomic.fence
            try reader.readZeroByte()
            return
        }
        let access = AtomicAccess(code)
        let argument = try reader.readMemoryArgument(features: features)
        let address = try memory(argument.memory, module)
        if argument.align != access.naturalAlignment {
            throw invalid("atomic instructions must always specify maximum alignment")
        }
        if address == .i32 && argument.offset > 0xffff_ffff { throw invalid("offset out of range", .note("a 32-bit memory's offset must fit in 32 bits")) }
        switch access.kind {
        case .notify:
            try pop(.i32)
            try pop(address)
            try push(.i32)
        case .wait:
            try pop(.i64)
            try pop(access.type)
            try pop(address)
            try push(.i32)
        case .load:
            try pop(address)
            try push(access.type)
        case .store:
            try pop(access.type)
            try pop(address)
        case .readModifyWrite:
            try pop(access.type)
            try pop(address)
            try push(access.type)
        case .compareExchange:
            try pop(access.type)
            try pop(access.type)
            try pop(address)
            try push(access.type)
        }
    }
}

/// What a 0xFE instruction other than `atomic.fence` does, read from its code: the kind of access,
/// its value type, how many bytes it touches and, for a read-modify-write, the operation.
struct AtomicAccess: BitwiseCopyable {
    enum Kind: UInt8, BitwiseCopyable { case notify, wait, load, store, readModifyWrite, compareExchange }
    /// The read-modify-write operations in opcode order (0xFE 0x1E + 7 × operation).
    enum Operation: UInt8, BitwiseCopyable { case add, sub, and, or, xor, exchange }

    let kind: Kind
    let type: ValueType
    /// log2 of the bytes accessed (the natural alignment).
    let naturalAlignment: UInt32
    let operation: Operation

    init(_ code: UInt32) {
        operation = code >= 0x1e && code < 0x48 ? Operation(rawValue: UInt8((code &- 0x1e) / 7)) ?? .add : .add
        switch code {
        case 0x00: kind = .notify; type = .i32; naturalAlignment = 2
        case 0x01: kind = .wait; type = .i32; naturalAlignment = 2
        case 0x02: kind = .wait; type = .i64; naturalAlignment = 3
        case 0x10...0x16:
            kind = .load
            (type, naturalAlignment) = Self.width(code &- 0x10)
        case 0x17...0x1d:
            kind = .store
            (type, naturalAlignment) = Self.width(code &- 0x17)
        case 0x1e...0x47:
            kind = .readModifyWrite
            (type, naturalAlignment) = Self.width((code &- 0x1e) % 7)
        default: // 0x48...0x4e
            kind = .compareExchange
            (type, naturalAlignment) = Self.width((code &- 0x48) % 7)
        }
    }

    /// Loads, stores and each read-modify-write come in groups of seven: i32, i64, then 8 and 16
    /// bits of an i32, 8, 16 and 32 bits of an i64.
    static func width(_ position: UInt32) -> (ValueType, UInt32) {
        switch position {
        case 0: return (.i32, 2)
        case 1: return (.i64, 3)
        case 2: return (.i32, 0)
        case 3: return (.i32, 1)
        case 4: return (.i64, 0)
        case 5: return (.i64, 1)
        default: return (.i64, 2)
        }
    }
}
