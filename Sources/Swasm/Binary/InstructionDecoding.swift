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

/// One catch clause of a `try_table`.
public struct CatchClause: BitwiseCopyable {
    /// 0 `catch`, 1 `catch_ref`, 2 `catch_all`, 3 `catch_all_ref`.
    public var kind: UInt8
    /// The tag (`catch` and `catch_ref`).
    public var tag: UInt32
    public var label: UInt32
    public var at: Int

    /// Whether the exception's values are pushed (`catch`, `catch_ref`) and whether the exnref is.
    public var pushesValues: Bool { kind <= 1 }
    public var pushesReference: Bool { kind & 1 != 0 }
}

/// A memory instruction's immediate.
public struct MemoryArgument: BitwiseCopyable {
    /// log2 of the alignment.
    public var align: UInt32
    /// The memory (0 unless the flags' bit 6 says an index follows: multi-memory).
    public var memory: UInt32
    /// Up to 64 bits; a 32-bit memory's must fit in 32 (checked by validation).
    public var offset: UInt64
    /// Where the immediate starts, for messages.
    public var at: Int
}

extension ByteReader {
    /// A `memarg`: flags (the alignment's log2 in bits 0-5, bit 6: a memory index follows, with
    /// multi-memory), the memory index, then the offset (a u64 with memory64, else a u32).
    /// Flags from 128 up (from 32 without multi-memory, as in WebAssembly 2.0) are malformed.
    @inline(__always)
    public mutating func readMemoryArgument(features: Features) throws(SwasmError) -> MemoryArgument {
        let at = position
        let flags = try readU32()
        let multiMemory = features.contains(.multiMemory)
        if flags >= (multiMemory ? 128 : 32) { throw malformed("malformed memop flags", at: at) }
        let memory = flags & 64 != 0 ? try readU32() : 0
        let offset = features.contains(.memory64) ? try readU64() : UInt64(try readU32())
        return MemoryArgument(align: flags & 63, memory: memory, offset: offset, at: at)
    }

    /// A memory index immediate (`memory.size`, `memory.grow`, bulk memory): any index with
    /// multi-memory, else the zero byte of WebAssembly 2.0.
    @inline(__always)
    public mutating func readMemoryIndex(features: Features) throws(SwasmError) -> UInt32 {
        if features.contains(.multiMemory) { return try readU32() }
        try readZeroByte()
        return 0
    }

    /// The number of a `try_table`'s catch clauses (after its block type).
    @inline(__always)
    public mutating func readCatchClauseCount() throws(SwasmError) -> Int {
        let countAt = position
        let count = try readCount()
        if count > ImplementationLimits.catchClauses {
            throw limitExceeded("too many catch clauses", at: countAt, count: UInt64(count), limit: ImplementationLimits.catchClauses)
        }
        return count
    }

    /// One catch clause: its kind byte, the tag of `catch` and `catch_ref`, the label.
    @inline(__always)
    public mutating func readCatchClause() throws(SwasmError) -> CatchClause {
        let at = position
        let kind = try readByte()
        guard kind <= 3 else { throw malformed("malformed catch clause kind", at: at, .index(UInt64(kind))) }
        let tag = kind <= 1 ? try readU32() : 0
        let label = try readU32()
        return CatchClause(kind: kind, tag: tag, label: label, at: at)
    }

    /// The flags byte of `br_on_cast` and `br_on_cast_fail`: bit 0 the source type is nullable,
    /// bit 1 the target type; other bits are malformed.
    @inline(__always)
    public mutating func readCastFlags() throws(SwasmError) -> UInt8 {
        let at = position
        let flags = try readByte()
        guard flags <= 3 else { throw malformed("malformed cast flags", at: at, .index(UInt64(flags))) }
        return flags
    }

    /// A SIMD lane index immediate (range checked by validation).
    @inline(__always)
    public mutating func readLaneIndex() throws(SwasmError) -> UInt8 {
        try readByte()
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
    /// Opcodes of proposals swasm does not implement are illegal, as unknown ones are.
    public mutating func skipInstruction(_ opcode: UInt8, at: Int, context: InstructionContext) throws(SwasmError) -> Int {
        let immediate: WasmImmediate
        switch opcode {
        case 0xfb:
            let code = try readU32()
            // GC instructions decode whatever the engine's features (they are WebAssembly 3.0);
            // validation refuses them where GC is off.
            guard let found = WasmInstructions.immediateFB(code) else {
                throw illegalOpcode(code, prefix: 0xfb, at: at)
            }
            immediate = found
        case 0xfc:
            let code = try readU32()
            guard let found = WasmInstructions.immediateFC(code), Features.implemented.isSuperset(of: WasmInstructions.featureFC(code)) else {
                throw illegalOpcode(code, prefix: 0xfc, at: at)
            }
            if found == .memoryInit || found == .dataDrop, !context.hasDataCount { usesDataWithoutCount = true }
            immediate = found
        case 0xfd:
            let code = try readU32()
            guard let found = WasmInstructions.immediateFD(code), Features.implemented.isSuperset(of: WasmInstructions.featureFD(code)) else {
                throw illegalOpcode(code, prefix: 0xfd, at: at)
            }
            immediate = found
        case 0xfe:
            let code = try readU32()
            guard let found = WasmInstructions.immediateFE(code), Features.implemented.isSuperset(of: WasmInstructions.featureFE(code)) else {
                throw illegalOpcode(code, prefix: 0xfe, at: at)
            }
            immediate = found
        default:
            // (`ref.eq` is GC's: it decodes as the 0xFB instructions do.)
            guard let found = WasmInstructions.immediate(opcode), Features.implemented.union(.gc).isSuperset(of: WasmInstructions.feature(opcode)) else {
                throw illegalOpcode(UInt32(opcode), at: at)
            }
            immediate = found
        }
        try skipImmediate(immediate, context: context)
        switch immediate {
        case .block, .loop, .if, .tryTable: return 1
        case .end: return -1
        default: return 0
        }
    }

    /// Decodes (and drops) immediates of kind `immediate`.
    mutating func skipImmediate(_ immediate: WasmImmediate, context: InstructionContext) throws(SwasmError) {
        switch immediate {
        case .none, .else, .end, .syntax:
            break
        case .block, .loop, .if:
            _ = try readBlockType(typeCount: context.typeCount, features: context.features)
        case .label, .call, .local, .global, .table, .referenceFunction, .dataDrop, .elementDrop, .type:
            _ = try readU32()
        case .branchTable:
            let count = try readCount()
            for _ in 0..<count { _ = try readU32() }
            _ = try readU32()
        case .callIndirect, .tableInit, .tableCopy, .field, .typeCount, .typeData, .typeElement, .typeType:
            _ = try readU32()
            _ = try readU32()
        case .castTest:
            _ = try readHeapType(features: context.features)
        case .castBranch:
            _ = try readCastFlags()
            _ = try readU32()
            _ = try readHeapType(features: context.features)
            _ = try readHeapType(features: context.features)
        case .select:
            let count = try readCount()
            for _ in 0..<count { _ = try readValueType(features: context.features) }
        case .memory:
            _ = try readMemoryArgument(features: context.features)
        case .memoryIndex:
            _ = try readMemoryIndex(features: context.features)
        case .memoryInit:
            _ = try readU32()
            _ = try readMemoryIndex(features: context.features)
        case .memoryCopy:
            _ = try readMemoryIndex(features: context.features)
            _ = try readMemoryIndex(features: context.features)
        case .i32:
            _ = try readS32()
        case .i64:
            _ = try readS64()
        case .f32:
            _ = try skip(4)
        case .f64:
            _ = try skip(8)
        case .v128, .shuffle:
            _ = try skip(16)
        case .referenceNull:
            _ = try readHeapType(features: context.features)
        case .lane:
            _ = try readLaneIndex()
        case .atomicFence:
            try readZeroByte()
        case .tag:
            _ = try readU32()
        case .tryTable:
            _ = try readBlockType(typeCount: context.typeCount, features: context.features)
            for _ in 0..<(try readCatchClauseCount()) { _ = try readCatchClause() }
        case .memoryLane:
            _ = try readMemoryArgument(features: context.features)
            _ = try readLaneIndex()
        }
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
            case 0x1f:
                _ = try skipInstruction(opcode, at: at, context: context)
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
