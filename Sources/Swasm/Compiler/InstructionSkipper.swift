/// Skips the immediates of any valid instruction, for code the compiler does not translate
/// (instructions after an unconditional branch, up to the end of their block).
enum InstructionSkipper {
    static func skipImmediates(_ opcode: UInt8, _ reader: inout CodeReader) {
        switch opcode {
        case 0x0c, 0x0d, 0x10, 0x12, 0x20, 0x21, 0x22, 0x23, 0x24, 0x25, 0x26, 0xd2, 0x3f, 0x40, 0xd0:
            _ = reader.u64()
        case 0x0e:
            let count = reader.u32()
            for _ in 0...count { _ = reader.u32() }
        case 0x11, 0x13:
            _ = reader.u32()
            _ = reader.u32()
        case 0x1c:
            let count = reader.u32()
            for _ in 0..<count { _ = reader.byte() }
        case 0x28...0x3e:
            _ = reader.memoryArgument()
        case 0x41, 0x42:
            _ = reader.s64()
        case 0x43:
            _ = reader.fixed32()
        case 0x44:
            _ = reader.fixed64()
        case 0xfc:
            skipPrefixedFC(reader.u32(), &reader)
        case 0xfd:
            skipPrefixedFD(reader.u32(), &reader)
        default:
            break // no immediates
        }
    }

    static func skipPrefixedFC(_ code: UInt32, _ reader: inout CodeReader) {
        switch code {
        case 8: _ = reader.u32(); _ = reader.u32() // memory.init data, memory
        case 9: _ = reader.u32() // data.drop
        case 10: _ = reader.u32(); _ = reader.u32() // memory.copy
        case 11: _ = reader.u32() // memory.fill
        case 12: _ = reader.u32(); _ = reader.u32() // table.init
        case 13: _ = reader.u32() // elem.drop
        case 14: _ = reader.u32(); _ = reader.u32() // table.copy
        case 15, 16, 17: _ = reader.u32() // table.grow, size, fill
        default: break
        }
    }

    static func skipPrefixedFD(_ code: UInt32, _ reader: inout CodeReader) {
        switch code {
        case 0...11, 92, 93: _ = reader.memoryArgument() // loads, stores, load_zero
        case 12: for _ in 0..<16 { _ = reader.byte() } // v128.const
        case 13: for _ in 0..<16 { _ = reader.byte() } // i8x16.shuffle
        case 21...34: _ = reader.byte() // extract/replace lane
        case 84...91: _ = reader.memoryArgument(); _ = reader.byte() // load/store lane
        default: break
        }
    }
}
