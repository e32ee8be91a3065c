/// Immediates shared by the validator and the decode-only walk of instructions, and that walk
/// itself (`skipInstructions`): it decodes instructions without typing them, for the rest of a
/// function body after a validation failure (the specification decodes everything before it
/// validates, so later malformed bytes still make the module malformed) and for the non-constant
/// instructions of constant expressions.

/// Static facts the instruction decoders need.
public struct InstructionContext: BitwiseCopyable {
    public var features: Features
    public var typeCount: Int
    /// Whether the module has a data count section (`memory.init` and `data.drop` need one).
    public var hasDataCount: Bool

    public init(features: Features, typeCount: Int, hasDataCount: Bool) {
        self.features = features
        self.typeCount = typeCount
        self.hasDataCount = hasDataCount
    }
}

/// A memory instruction's immediate.
public struct MemoryArgument: BitwiseCopyable {
    /// log2 of the alignment.
    public var align: UInt32
    public var offset: UInt32
    /// Where the immediate starts, for messages.
    public var at: Int
}

extension ByteReader {
    /// A `memarg`: alignment flags then offset. Without multi-memory, flags from 32 up (bit 6 is
    /// multi-memory's memory-index flag) are malformed.
    @inline(__always)
    public mutating func readMemoryArgument() throws(SwasmError) -> MemoryArgument {
        let at = position
        let align = try readU32()
        if align >= 32 { throw malformed("malformed memop flags", at: at) }
        let offset = try readU32()
        return MemoryArgument(align: align, offset: offset, at: at)
    }

    /// A SIMD lane index immediate (range checked by validation).
    @inline(__always)
    public mutating func readLaneIndex() throws(SwasmError) -> UInt8 {
        try readByte()
    }

    /// The reference type of `ref.null`.
    public mutating func readHeapType(features: Features) throws(SwasmError) -> ValueType {
        try readReferenceType(features: features)
    }

    /// The failure for a byte that starts no instruction.
    public mutating func illegalOpcode(_ code: UInt32, prefix: UInt8 = 0, at: Int) -> SwasmError {
        malformed("illegal opcode", at: at, .opcode(prefix: prefix, code: code))
    }

    /// The failure for running out of bytes before the `end` of a function body or expression.
    /// Worded as the reference interpreter words it: at the end of the input it ran out of bytes;
    /// before another section, the function ran over its section; otherwise the next bytes were
    /// not the `end` it expected.
    public mutating func missingEnd() -> SwasmError {
        if end >= length { return malformed("unexpected end of section or function", at: end) }
        if function != nil && sectionEnd == end { return malformed("section size mismatch", at: end) }
        return malformed("END opcode expected", at: end)
    }

    /// Decodes the immediates of the instruction `opcode` (already read at `at`) without typing it.
    /// Returns the change of block depth: +1 for `block`, `loop`, `if`; -1 for `end`; 0 otherwise.
    public mutating func skipInstruction(_ opcode: UInt8, at: Int, context: InstructionContext) throws(SwasmError) -> Int {
        switch opcode {
        case 0x00, 0x01, 0x05, 0x0f, 0x1a, 0x1b, 0x45...0xc4, 0xd1:
            return 0
        case 0x02, 0x03, 0x04:
            _ = try readBlockType(typeCount: context.typeCount, features: context.features)
            return 1
        case 0x0b:
            return -1
        case 0x0c, 0x0d, 0x10, 0x20...0x26, 0xd2:
            _ = try readU32()
        case 0x0e:
            let count = try readCount()
            for _ in 0..<count { _ = try readU32() }
            _ = try readU32()
        case 0x11:
            _ = try readU32()
            _ = try readU32()
        case 0x1c:
            let count = try readCount()
            for _ in 0..<count { _ = try readValueType(features: context.features) }
        case 0x28...0x3e:
            _ = try readMemoryArgument()
        case 0x3f, 0x40:
            try readZeroByte()
        case 0x41:
            _ = try readS32()
        case 0x42:
            _ = try readS64()
        case 0x43:
            _ = try skip(4)
        case 0x44:
            _ = try skip(8)
        case 0xd0:
            _ = try readHeapType(features: context.features)
        case 0xfc:
            let code = try readU32()
            switch code {
            case 0...7:
                break
            case 8:
                if !context.hasDataCount { usesDataWithoutCount = true }
                _ = try readU32()
                try readZeroByte()
            case 9:
                if !context.hasDataCount { usesDataWithoutCount = true }
                _ = try readU32()
            case 10:
                try readZeroByte()
                try readZeroByte()
            case 11:
                try readZeroByte()
            case 12, 14:
                _ = try readU32()
                _ = try readU32()
            case 13, 15, 16, 17:
                _ = try readU32()
            default:
                throw illegalOpcode(code, prefix: 0xfc, at: at)
            }
        case 0xfd:
            let code = try readU32()
            switch SIMDOpcode.immediate(code).kind {
            case SIMDOpcode.Immediate.none.kind:
                break
            case SIMDOpcode.Immediate.memory.kind:
                _ = try readMemoryArgument()
            case SIMDOpcode.Immediate.memoryLane.kind:
                _ = try readMemoryArgument()
                _ = try readLaneIndex()
            case SIMDOpcode.Immediate.lane.kind:
                _ = try readLaneIndex()
            case SIMDOpcode.Immediate.bytes16.kind:
                _ = try skip(16)
            default:
                throw illegalOpcode(code, prefix: 0xfd, at: at)
            }
        default:
            throw illegalOpcode(UInt32(opcode), at: at)
        }
        return 0
    }

    /// Decodes instructions until the `end` that closes the outermost of `frames` (the kinds of
    /// the open blocks, innermost last: 0 for the function, else the opening opcode, 0x05 after an
    /// `else`), consuming it. An `else` outside an `if` is malformed, as in the validator.
    public mutating func skipInstructions(frames: inout FallibleVector<UInt8>, context: InstructionContext) throws(SwasmError) {
        while frames.count > 0 {
            let at = position
            guard at < end else { throw missingEnd() }
            let opcode = base[at]
            position = at &+ 1
            switch opcode {
            case 0x02, 0x03, 0x04:
                _ = try readBlockType(typeCount: context.typeCount, features: context.features)
                try frames.append(opcode)
            case 0x05:
                guard frames[frames.count &- 1] == 0x04 else {
                    throw malformed("END opcode expected", at: at, .note("else without if"))
                }
                frames[frames.count &- 1] = 0x05
            case 0x0b:
                _ = frames.popLast()
            default:
                _ = try skipInstruction(opcode, at: at, context: context)
            }
        }
    }
}

/// The 0xFD-prefixed instructions of WebAssembly 2.0 (fixed-width SIMD).
enum SIMDOpcode {
    /// Kinds of immediates (plain constants: a Swift enum would bring a `Hashable` conformance
    /// whose hashing needs the runtime's lazily initialized seed).
    struct Immediate: BitwiseCopyable {
        var kind: UInt8
        static let none = Immediate(kind: 0)
        static let memory = Immediate(kind: 1)
        static let memoryLane = Immediate(kind: 2)
        static let lane = Immediate(kind: 3)
        static let bytes16 = Immediate(kind: 4)
        static let illegal = Immediate(kind: 5)
    }

    /// The immediates of SIMD instruction `code`; `.illegal` for codes 2.0 does not define
    /// (relaxed SIMD's 0x100 and up included).
    @inline(__always)
    static func immediate(_ code: UInt32) -> Immediate {
        switch code {
        case 0x00...0x0b, 0x5c, 0x5d: return .memory
        case 0x0c, 0x0d: return .bytes16
        case 0x15...0x22: return .lane
        case 0x54...0x5b: return .memoryLane
        case 0x9a, 0xa2, 0xa5, 0xa6, 0xaf, 0xb0, 0xb2, 0xb3, 0xb4, 0xbb, 0xc2, 0xc5, 0xc6,
             0xcf, 0xd0, 0xd2, 0xd3, 0xd4, 0xe2, 0xee:
            return .illegal
        case 0x0e...0x14, 0x23...0x53, 0x5e...0xff: return .none
        default: return .illegal
        }
    }
}
