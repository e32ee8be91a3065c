/// Translation of the SIMD (0xFD-prefixed) instructions.
///
/// v128 operands are always temporaries or locals (never `.constant` operands: a `v128.const` is
/// written into its home slot at once), so `readSlot` never has a v128 to materialize. The
/// operand conventions of lane and shuffle instructions are in tools/simd_instructions.py.
extension FunctionCompiler {
    /// Translates one 0xFD instruction (the prefix is read); false when the interpreter cannot
    /// run it yet.
    mutating func vector(_ reader: inout CodeReader) throws(SwasmError) -> Bool {
        let sub = reader.u32()
        switch sub {
        case 0x00...0x0a, 0x5c, 0x5d: // loads
            let argument = reader.memoryArgument()
            guard let load = Self.vectorLoad(sub) else { return false }
            let address = pop()
            let slot = try readSlot(address)
            let result = try push(.v128)
            if needsGeneralAccess(argument.memory) {
                try emitMemoryAccess(load, slots: CodeBuffer.slots(result.home, slot), offset: argument.offset, memory: argument.memory)
                return true
            }
            invalidateFusion()
            lastProducer = code.position
            try code.emit(load)
            try code.emit(CodeBuffer.slots(result.home, slot))
            try code.emit(argument.offset)
        case 0x0b: // v128.store
            let argument = reader.memoryArgument()
            let value = pop()
            let valueSlot = try readSlot(value)
            let address = pop()
            let addressSlot = try readSlot(address)
            try emitMemoryAccess(.v128Store, slots: CodeBuffer.slots(addressSlot, valueSlot), offset: argument.offset, memory: argument.memory)
        case 0x54...0x57: // load lane
            let argument = reader.memoryArgument()
            let lane = Int(reader.byte())
            let opcodes: (Opcode, Opcode, Opcode, Opcode) = (.v128Load8Lane, .v128Load16Lane, .v128Load32Lane, .v128Load64Lane)
            let load = sub == 0x54 ? opcodes.0 : sub == 0x55 ? opcodes.1 : sub == 0x56 ? opcodes.2 : opcodes.3
            let vector = pop()
            let vectorSlot = try readSlot(vector)
            let address = pop()
            let addressSlot = try readSlot(address)
            let result = try push(.v128)
            if needsGeneralAccess(argument.memory) {
                try emitMemoryAccess(load, slots: CodeBuffer.slots(result.home, addressSlot, vectorSlot, lane), offset: argument.offset, memory: argument.memory)
                return true
            }
            invalidateFusion()
            lastProducer = code.position
            try code.emit(load)
            try code.emit(CodeBuffer.slots(result.home, addressSlot, vectorSlot, lane))
            try code.emit(argument.offset)
        case 0x58...0x5b: // store lane
            let argument = reader.memoryArgument()
            let lane = Int(reader.byte())
            let store: Opcode = sub == 0x58 ? .v128Store8Lane : sub == 0x59 ? .v128Store16Lane
                : sub == 0x5a ? .v128Store32Lane : .v128Store64Lane
            let vector = pop()
            let vectorSlot = try readSlot(vector)
            let address = pop()
            let addressSlot = try readSlot(address)
            try emitMemoryAccess(store, slots: CodeBuffer.slots(addressSlot, vectorSlot, lane), offset: argument.offset, memory: argument.memory)
        case 0x0c, 0x0d: // v128.const, i8x16.shuffle
            let low = reader.fixed64()
            let high = reader.fixed64()
            var first = 0
            var second = 0
            if sub == 0x0d {
                let right = pop()
                second = try readSlot(right)
                let left = pop()
                first = try readSlot(left)
            }
            let result = try push(.v128)
            invalidateFusion()
            lastProducer = code.position
            try code.emit(sub == 0x0c ? .constV128 : .i8x16Shuffle)
            try code.emit(CodeBuffer.slots(result.home, first, second))
            try code.emit(low)
            try code.emit(high)
        case 0x15...0x22: // extract and replace lane
            let lane = Int(reader.byte())
            guard let (opcode, scalar, replace) = Self.laneOpcode(sub) else { return false }
            if replace {
                let value = pop()
                let valueSlot = try readSlot(value)
                let vector = pop()
                let vectorSlot = try readSlot(vector)
                let result = try push(.v128)
                invalidateFusion()
                lastProducer = code.position
                try code.emit(opcode)
                try code.emit(CodeBuffer.slots(result.home, vectorSlot, valueSlot, lane))
            } else {
                let vector = pop()
                let vectorSlot = try readSlot(vector)
                let result = try push(scalar)
                invalidateFusion()
                lastProducer = code.position
                try code.emit(opcode)
                try code.emit(CodeBuffer.slots(result.home, vectorSlot, lane))
            }
        case 0x52, 0x105...0x10c, 0x113: // v128.bitselect and relaxed SIMD's three-operand instructions
            guard let opcode = deterministicRelaxedSimd ? Self.deterministicTernaryOpcode(sub) : Self.ternaryOpcode(sub) else { return false }
            let third = pop()
            let thirdSlot = try readSlot(third)
            let second = pop()
            let secondSlot = try readSlot(second)
            let first = pop()
            let firstSlot = try readSlot(first)
            let result = try push(.v128)
            invalidateFusion()
            lastProducer = code.position
            try code.emit(opcode)
            try code.emit(CodeBuffer.slots(result.home, firstSlot, secondSlot, thirdSlot))
        default:
            // (A `where` clause would bind to the last pattern of a case only: test it here.)
            let deterministic = deterministicRelaxedSimd ? Self.deterministicShape(sub) : nil
            guard let (shape, type) = deterministic ?? Self.vectorShape(sub) else { return false }
            try numeric(shape, type)
        }
        return true
    }

    /// Three v128 operands, one v128 result (`i16x8.relaxed_laneselect` is `v128.bitselect` in
    /// wasmtime's x86-64 code: RelaxedVectorSemantics.swift).
    static func ternaryOpcode(_ code: UInt32) -> Opcode? {
        switch code {
        case 0x52, 0x10a: return .v128Bitselect
        case 0x105: return .f32x4RelaxedMadd
        case 0x106: return .f32x4RelaxedNmadd
        case 0x107: return .f64x2RelaxedMadd
        case 0x108: return .f64x2RelaxedNmadd
        case 0x109: return .i8x16RelaxedLaneselect
        case 0x10b: return .i32x4RelaxedLaneselect
        case 0x10c: return .i64x2RelaxedLaneselect
        case 0x113: return .i32x4RelaxedDotI8x16I7x16AddS
        default: return nil
        }
    }

    /// Relaxed SIMD's deterministic results (as wasmtime's `relaxed_simd_deterministic`): the
    /// deterministic instruction each relaxed one stands for; the dot products multiply signed
    /// lanes and wrap. `madd` stays the machine's fused multiply-add.
    static func deterministicTernaryOpcode(_ code: UInt32) -> Opcode? {
        switch code {
        case 0x109...0x10c: return .v128Bitselect
        case 0x113: return .i32x4DotI8x16I7x16AddS
        default: return ternaryOpcode(code)
        }
    }

    static func deterministicShape(_ code: UInt32) -> (NumericShape, ValueType)? {
        func u(_ opcode: Opcode) -> (NumericShape, ValueType) { (.unary(opcode), .v128) }
        func b(_ opcode: Opcode) -> (NumericShape, ValueType) { (.binary(opcode, immediate: nil, commutative: false), .v128) }
        switch code {
        case 0x100: return b(.i8x16Swizzle)
        case 0x101: return u(.i32x4TruncSatF32x4S)
        case 0x102: return u(.i32x4TruncSatF32x4U)
        case 0x103: return u(.i32x4TruncSatF64x2SZero)
        case 0x104: return u(.i32x4TruncSatF64x2UZero)
        case 0x10d: return b(.f32x4Min)
        case 0x10e: return b(.f32x4Max)
        case 0x10f: return b(.f64x2Min)
        case 0x110: return b(.f64x2Max)
        case 0x111: return b(.i16x8Q15mulrSatS)
        case 0x112: return b(.i16x8DotI8x16I7x16S)
        default: return nil
        }
    }

    static func vectorLoad(_ code: UInt32) -> Opcode? {
        switch code {
        case 0x00: return .v128Load
        case 0x01: return .v128Load8x8S
        case 0x02: return .v128Load8x8U
        case 0x03: return .v128Load16x4S
        case 0x04: return .v128Load16x4U
        case 0x05: return .v128Load32x2S
        case 0x06: return .v128Load32x2U
        case 0x07: return .v128Load8Splat
        case 0x08: return .v128Load16Splat
        case 0x09: return .v128Load32Splat
        case 0x0a: return .v128Load64Splat
        case 0x5c: return .v128Load32Zero
        case 0x5d: return .v128Load64Zero
        default: return nil
        }
    }

    /// Extract (scalar result) and replace lane instructions.
    static func laneOpcode(_ code: UInt32) -> (Opcode, ValueType, replace: Bool)? {
        switch code {
        case 0x15: return (.i8x16ExtractLaneS, .i32, false)
        case 0x16: return (.i8x16ExtractLaneU, .i32, false)
        case 0x17: return (.i8x16ReplaceLane, .v128, true)
        case 0x18: return (.i16x8ExtractLaneS, .i32, false)
        case 0x19: return (.i16x8ExtractLaneU, .i32, false)
        case 0x1a: return (.i16x8ReplaceLane, .v128, true)
        case 0x1b: return (.i32x4ExtractLane, .i32, false)
        case 0x1c: return (.i32x4ReplaceLane, .v128, true)
        case 0x1d: return (.i64x2ExtractLane, .i64, false)
        case 0x1e: return (.i64x2ReplaceLane, .v128, true)
        case 0x1f: return (.f32x4ExtractLane, .f32, false)
        case 0x20: return (.f32x4ReplaceLane, .v128, true)
        case 0x21: return (.f64x2ExtractLane, .f64, false)
        case 0x22: return (.f64x2ReplaceLane, .v128, true)
        default: return nil
        }
    }

    /// The remaining instructions: unary and binary shapes (shifts are binary with an i32 count).
    static func vectorShape(_ code: UInt32) -> (NumericShape, ValueType)? {
        func u(_ opcode: Opcode) -> (NumericShape, ValueType) { (.unary(opcode), .v128) }
        func b(_ opcode: Opcode) -> (NumericShape, ValueType) { (.binary(opcode, immediate: nil, commutative: false), .v128) }
        func test(_ opcode: Opcode) -> (NumericShape, ValueType) { (.unary(opcode), .i32) }
        switch code {
        case 0x0e: return b(.i8x16Swizzle)
        // Relaxed SIMD (as wasmtime on x86-64: RelaxedVectorSemantics.swift).
        case 0x100: return b(.i8x16RelaxedSwizzle)
        case 0x101: return u(.i32x4RelaxedTruncF32x4S)
        case 0x102: return u(.i32x4TruncSatF32x4U)
        case 0x103: return u(.i32x4RelaxedTruncF64x2SZero)
        case 0x104: return u(.i32x4TruncSatF64x2UZero)
        case 0x10d: return b(.f32x4Pmin)
        case 0x10e: return b(.f32x4Pmax)
        case 0x10f: return b(.f64x2Pmin)
        case 0x110: return b(.f64x2Pmax)
        case 0x111: return b(.i16x8RelaxedQ15mulrS)
        case 0x112: return b(.i16x8RelaxedDotI8x16I7x16S)
        case 0x0f: return u(.i8x16Splat)
        case 0x10: return u(.i16x8Splat)
        case 0x11: return u(.i32x4Splat)
        case 0x12: return u(.i64x2Splat)
        case 0x13: return u(.f32x4Splat)
        case 0x14: return u(.f64x2Splat)
        case 0x23: return b(.i8x16Eq)
        case 0x24: return b(.i8x16Ne)
        case 0x25: return b(.i8x16LtS)
        case 0x26: return b(.i8x16LtU)
        case 0x27: return b(.i8x16GtS)
        case 0x28: return b(.i8x16GtU)
        case 0x29: return b(.i8x16LeS)
        case 0x2a: return b(.i8x16LeU)
        case 0x2b: return b(.i8x16GeS)
        case 0x2c: return b(.i8x16GeU)
        case 0x2d: return b(.i16x8Eq)
        case 0x2e: return b(.i16x8Ne)
        case 0x2f: return b(.i16x8LtS)
        case 0x30: return b(.i16x8LtU)
        case 0x31: return b(.i16x8GtS)
        case 0x32: return b(.i16x8GtU)
        case 0x33: return b(.i16x8LeS)
        case 0x34: return b(.i16x8LeU)
        case 0x35: return b(.i16x8GeS)
        case 0x36: return b(.i16x8GeU)
        case 0x37: return b(.i32x4Eq)
        case 0x38: return b(.i32x4Ne)
        case 0x39: return b(.i32x4LtS)
        case 0x3a: return b(.i32x4LtU)
        case 0x3b: return b(.i32x4GtS)
        case 0x3c: return b(.i32x4GtU)
        case 0x3d: return b(.i32x4LeS)
        case 0x3e: return b(.i32x4LeU)
        case 0x3f: return b(.i32x4GeS)
        case 0x40: return b(.i32x4GeU)
        case 0x41: return b(.f32x4Eq)
        case 0x42: return b(.f32x4Ne)
        case 0x43: return b(.f32x4Lt)
        case 0x44: return b(.f32x4Gt)
        case 0x45: return b(.f32x4Le)
        case 0x46: return b(.f32x4Ge)
        case 0x47: return b(.f64x2Eq)
        case 0x48: return b(.f64x2Ne)
        case 0x49: return b(.f64x2Lt)
        case 0x4a: return b(.f64x2Gt)
        case 0x4b: return b(.f64x2Le)
        case 0x4c: return b(.f64x2Ge)
        case 0x4d: return u(.v128Not)
        case 0x4e: return b(.v128And)
        case 0x4f: return b(.v128Andnot)
        case 0x50: return b(.v128Or)
        case 0x51: return b(.v128Xor)
        case 0x53: return test(.v128AnyTrue)
        case 0x5e: return u(.f32x4DemoteF64x2Zero)
        case 0x5f: return u(.f64x2PromoteLowF32x4)
        case 0x60: return u(.i8x16Abs)
        case 0x61: return u(.i8x16Neg)
        case 0x62: return u(.i8x16Popcnt)
        case 0x63: return test(.i8x16AllTrue)
        case 0x64: return test(.i8x16Bitmask)
        case 0x65: return b(.i8x16NarrowI16x8S)
        case 0x66: return b(.i8x16NarrowI16x8U)
        case 0x67: return u(.f32x4Ceil)
        case 0x68: return u(.f32x4Floor)
        case 0x69: return u(.f32x4Trunc)
        case 0x6a: return u(.f32x4Nearest)
        case 0x6b: return b(.i8x16Shl)
        case 0x6c: return b(.i8x16ShrS)
        case 0x6d: return b(.i8x16ShrU)
        case 0x6e: return b(.i8x16Add)
        case 0x6f: return b(.i8x16AddSatS)
        case 0x70: return b(.i8x16AddSatU)
        case 0x71: return b(.i8x16Sub)
        case 0x72: return b(.i8x16SubSatS)
        case 0x73: return b(.i8x16SubSatU)
        case 0x74: return u(.f64x2Ceil)
        case 0x75: return u(.f64x2Floor)
        case 0x76: return b(.i8x16MinS)
        case 0x77: return b(.i8x16MinU)
        case 0x78: return b(.i8x16MaxS)
        case 0x79: return b(.i8x16MaxU)
        case 0x7a: return u(.f64x2Trunc)
        case 0x7b: return b(.i8x16AvgrU)
        case 0x7c: return u(.i16x8ExtaddPairwiseI8x16S)
        case 0x7d: return u(.i16x8ExtaddPairwiseI8x16U)
        case 0x7e: return u(.i32x4ExtaddPairwiseI16x8S)
        case 0x7f: return u(.i32x4ExtaddPairwiseI16x8U)
        case 0x80: return u(.i16x8Abs)
        case 0x81: return u(.i16x8Neg)
        case 0x82: return b(.i16x8Q15mulrSatS)
        case 0x83: return test(.i16x8AllTrue)
        case 0x84: return test(.i16x8Bitmask)
        case 0x85: return b(.i16x8NarrowI32x4S)
        case 0x86: return b(.i16x8NarrowI32x4U)
        case 0x87: return u(.i16x8ExtendLowI8x16S)
        case 0x88: return u(.i16x8ExtendHighI8x16S)
        case 0x89: return u(.i16x8ExtendLowI8x16U)
        case 0x8a: return u(.i16x8ExtendHighI8x16U)
        case 0x8b: return b(.i16x8Shl)
        case 0x8c: return b(.i16x8ShrS)
        case 0x8d: return b(.i16x8ShrU)
        case 0x8e: return b(.i16x8Add)
        case 0x8f: return b(.i16x8AddSatS)
        case 0x90: return b(.i16x8AddSatU)
        case 0x91: return b(.i16x8Sub)
        case 0x92: return b(.i16x8SubSatS)
        case 0x93: return b(.i16x8SubSatU)
        case 0x94: return u(.f64x2Nearest)
        case 0x95: return b(.i16x8Mul)
        case 0x96: return b(.i16x8MinS)
        case 0x97: return b(.i16x8MinU)
        case 0x98: return b(.i16x8MaxS)
        case 0x99: return b(.i16x8MaxU)
        case 0x9b: return b(.i16x8AvgrU)
        case 0x9c: return b(.i16x8ExtmulLowI8x16S)
        case 0x9d: return b(.i16x8ExtmulHighI8x16S)
        case 0x9e: return b(.i16x8ExtmulLowI8x16U)
        case 0x9f: return b(.i16x8ExtmulHighI8x16U)
        case 0xa0: return u(.i32x4Abs)
        case 0xa1: return u(.i32x4Neg)
        case 0xa3: return test(.i32x4AllTrue)
        case 0xa4: return test(.i32x4Bitmask)
        case 0xa7: return u(.i32x4ExtendLowI16x8S)
        case 0xa8: return u(.i32x4ExtendHighI16x8S)
        case 0xa9: return u(.i32x4ExtendLowI16x8U)
        case 0xaa: return u(.i32x4ExtendHighI16x8U)
        case 0xab: return b(.i32x4Shl)
        case 0xac: return b(.i32x4ShrS)
        case 0xad: return b(.i32x4ShrU)
        case 0xae: return b(.i32x4Add)
        case 0xb1: return b(.i32x4Sub)
        case 0xb5: return b(.i32x4Mul)
        case 0xb6: return b(.i32x4MinS)
        case 0xb7: return b(.i32x4MinU)
        case 0xb8: return b(.i32x4MaxS)
        case 0xb9: return b(.i32x4MaxU)
        case 0xba: return b(.i32x4DotI16x8S)
        case 0xbc: return b(.i32x4ExtmulLowI16x8S)
        case 0xbd: return b(.i32x4ExtmulHighI16x8S)
        case 0xbe: return b(.i32x4ExtmulLowI16x8U)
        case 0xbf: return b(.i32x4ExtmulHighI16x8U)
        case 0xc0: return u(.i64x2Abs)
        case 0xc1: return u(.i64x2Neg)
        case 0xc3: return test(.i64x2AllTrue)
        case 0xc4: return test(.i64x2Bitmask)
        case 0xc7: return u(.i64x2ExtendLowI32x4S)
        case 0xc8: return u(.i64x2ExtendHighI32x4S)
        case 0xc9: return u(.i64x2ExtendLowI32x4U)
        case 0xca: return u(.i64x2ExtendHighI32x4U)
        case 0xcb: return b(.i64x2Shl)
        case 0xcc: return b(.i64x2ShrS)
        case 0xcd: return b(.i64x2ShrU)
        case 0xce: return b(.i64x2Add)
        case 0xd1: return b(.i64x2Sub)
        case 0xd5: return b(.i64x2Mul)
        case 0xd6: return b(.i64x2Eq)
        case 0xd7: return b(.i64x2Ne)
        case 0xd8: return b(.i64x2LtS)
        case 0xd9: return b(.i64x2GtS)
        case 0xda: return b(.i64x2LeS)
        case 0xdb: return b(.i64x2GeS)
        case 0xdc: return b(.i64x2ExtmulLowI32x4S)
        case 0xdd: return b(.i64x2ExtmulHighI32x4S)
        case 0xde: return b(.i64x2ExtmulLowI32x4U)
        case 0xdf: return b(.i64x2ExtmulHighI32x4U)
        case 0xe0: return u(.f32x4Abs)
        case 0xe1: return u(.f32x4Neg)
        case 0xe3: return u(.f32x4Sqrt)
        case 0xe4: return b(.f32x4Add)
        case 0xe5: return b(.f32x4Sub)
        case 0xe6: return b(.f32x4Mul)
        case 0xe7: return b(.f32x4Div)
        case 0xe8: return b(.f32x4Min)
        case 0xe9: return b(.f32x4Max)
        case 0xea: return b(.f32x4Pmin)
        case 0xeb: return b(.f32x4Pmax)
        case 0xec: return u(.f64x2Abs)
        case 0xed: return u(.f64x2Neg)
        case 0xef: return u(.f64x2Sqrt)
        case 0xf0: return b(.f64x2Add)
        case 0xf1: return b(.f64x2Sub)
        case 0xf2: return b(.f64x2Mul)
        case 0xf3: return b(.f64x2Div)
        case 0xf4: return b(.f64x2Min)
        case 0xf5: return b(.f64x2Max)
        case 0xf6: return b(.f64x2Pmin)
        case 0xf7: return b(.f64x2Pmax)
        case 0xf8: return u(.i32x4TruncSatF32x4S)
        case 0xf9: return u(.i32x4TruncSatF32x4U)
        case 0xfa: return u(.f32x4ConvertI32x4S)
        case 0xfb: return u(.f32x4ConvertI32x4U)
        case 0xfc: return u(.i32x4TruncSatF64x2SZero)
        case 0xfd: return u(.i32x4TruncSatF64x2UZero)
        case 0xfe: return u(.f64x2ConvertLowI32x4S)
        case 0xff: return u(.f64x2ConvertLowI32x4U)
        default: return nil
        }
    }
}
