/// Skips the immediates of any valid instruction, for code the compiler does not translate
/// (instructions after an unconditional branch, up to the end of their block). The code was
/// validated: every opcode is known and every index, heap type and memory index is a LEB128.
enum InstructionSkipper {
    static func skipImmediates(_ opcode: UInt8, _ reader: inout CodeReader) {
        switch opcode {
        case 0xfb: skip(WasmInstructions.immediateFB(reader.u32()) ?? WasmImmediate.none, &reader)
        case 0xfc: skip(WasmInstructions.immediateFC(reader.u32()) ?? WasmImmediate.none, &reader)
        case 0xfd: skip(WasmInstructions.immediateFD(reader.u32()) ?? WasmImmediate.none, &reader)
        case 0xfe: skip(WasmInstructions.immediateFE(reader.u32()) ?? WasmImmediate.none, &reader)
        default: skip(WasmInstructions.immediate(opcode) ?? WasmImmediate.none, &reader)
        }
    }

    static func skip(_ immediate: WasmImmediate, _ reader: inout CodeReader) {
        switch immediate {
        case .none, .else, .end, .syntax:
            break
        case .block, .loop, .if:
            _ = reader.blockSignature()
        case .label, .call, .local, .global, .table, .memoryIndex, .referenceNull, .referenceFunction, .dataDrop, .elementDrop, .type:
            _ = reader.u64() // a heap type is a LEB128 too (or a single byte that reads as one)
        case .branchTable:
            let count = reader.u32()
            for _ in 0...count { _ = reader.u32() }
        case .callIndirect, .memoryInit, .memoryCopy, .tableInit, .tableCopy, .field, .typeCount, .typeData, .typeElement, .typeType:
            _ = reader.u32()
            _ = reader.u32()
        case .castTest:
            _ = reader.u64()
        case .castBranch:
            _ = reader.byte()
            _ = reader.u32()
            _ = reader.u64()
            _ = reader.u64()
        case .select:
            let count = reader.u32()
            for _ in 0..<count { _ = reader.valueType() }
        case .memory:
            _ = reader.memoryArgument()
        case .i32, .i64:
            _ = reader.s64()
        case .f32:
            _ = reader.fixed32()
        case .f64:
            _ = reader.fixed64()
        case .v128, .shuffle:
            for _ in 0..<16 { _ = reader.byte() }
        case .lane, .atomicFence:
            _ = reader.byte()
        case .memoryLane:
            _ = reader.memoryArgument()
            _ = reader.byte()
        case .tag:
            _ = reader.u32()
        case .tryTable:
            _ = reader.blockSignature()
            let count = reader.u32()
            for _ in 0..<count {
                if reader.byte() <= 1 { _ = reader.u32() }
                _ = reader.u32()
            }
        }
    }
}
