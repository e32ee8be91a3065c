/// How each numeric WebAssembly instruction maps to internal code.
enum NumericShape {
    /// Two operands, one result.
    case binary(Opcode, immediate: Opcode?, commutative: Bool)
    /// One operand, one result.
    case unary(Opcode)
    /// A comparison: result i32; fusable with a following `br_if`/`if`.
    case compare(Opcode, immediate: Opcode?, branch: Opcode?, branchNot: Opcode?,
                 branchImmediate: Opcode?, branchNotImmediate: Opcode?)
    /// Reinterpretation: the bits stay, only the type changes.
    case reinterpret
}

enum NumericOpcodes {
    /// The shape and result type of a one-byte numeric opcode (0x45...0xC4), or nil.
    static func shape(_ code: UInt8) -> (NumericShape, ValueType)? {
        switch code {
        // i32 comparisons
        case 0x45: return (.unary(.i32Eqz), .i32)
        case 0x46: return (compare(.i32Eq, .i32EqImm, .brI32Eq, .brNotI32Eq, .brI32EqImm, .brNotI32EqImm), .i32)
        case 0x47: return (compare(.i32Ne, .i32NeImm, .brI32Ne, .brNotI32Ne, .brI32NeImm, .brNotI32NeImm), .i32)
        case 0x48: return (compare(.i32LtS, .i32LtSImm, .brI32LtS, .brNotI32LtS, .brI32LtSImm, .brNotI32LtSImm), .i32)
        case 0x49: return (compare(.i32LtU, .i32LtUImm, .brI32LtU, .brNotI32LtU, .brI32LtUImm, .brNotI32LtUImm), .i32)
        case 0x4a: return (compare(.i32GtS, .i32GtSImm, .brI32GtS, .brNotI32GtS, .brI32GtSImm, .brNotI32GtSImm), .i32)
        case 0x4b: return (compare(.i32GtU, .i32GtUImm, .brI32GtU, .brNotI32GtU, .brI32GtUImm, .brNotI32GtUImm), .i32)
        case 0x4c: return (compare(.i32LeS, .i32LeSImm, .brI32LeS, .brNotI32LeS, .brI32LeSImm, .brNotI32LeSImm), .i32)
        case 0x4d: return (compare(.i32LeU, .i32LeUImm, .brI32LeU, .brNotI32LeU, .brI32LeUImm, .brNotI32LeUImm), .i32)
        case 0x4e: return (compare(.i32GeS, .i32GeSImm, .brI32GeS, .brNotI32GeS, .brI32GeSImm, .brNotI32GeSImm), .i32)
        case 0x4f: return (compare(.i32GeU, .i32GeUImm, .brI32GeU, .brNotI32GeU, .brI32GeUImm, .brNotI32GeUImm), .i32)
        // i64 comparisons
        case 0x50: return (.unary(.i64Eqz), .i32)
        case 0x51: return (compare(.i64Eq, .i64EqImm, .brI64Eq, .brNotI64Eq, .brI64EqImm, .brNotI64EqImm), .i32)
        case 0x52: return (compare(.i64Ne, .i64NeImm, .brI64Ne, .brNotI64Ne, .brI64NeImm, .brNotI64NeImm), .i32)
        case 0x53: return (compare(.i64LtS, .i64LtSImm, .brI64LtS, .brNotI64LtS, .brI64LtSImm, .brNotI64LtSImm), .i32)
        case 0x54: return (compare(.i64LtU, .i64LtUImm, .brI64LtU, .brNotI64LtU, .brI64LtUImm, .brNotI64LtUImm), .i32)
        case 0x55: return (compare(.i64GtS, .i64GtSImm, .brI64GtS, .brNotI64GtS, .brI64GtSImm, .brNotI64GtSImm), .i32)
        case 0x56: return (compare(.i64GtU, .i64GtUImm, .brI64GtU, .brNotI64GtU, .brI64GtUImm, .brNotI64GtUImm), .i32)
        case 0x57: return (compare(.i64LeS, .i64LeSImm, .brI64LeS, .brNotI64LeS, .brI64LeSImm, .brNotI64LeSImm), .i32)
        case 0x58: return (compare(.i64LeU, .i64LeUImm, .brI64LeU, .brNotI64LeU, .brI64LeUImm, .brNotI64LeUImm), .i32)
        case 0x59: return (compare(.i64GeS, .i64GeSImm, .brI64GeS, .brNotI64GeS, .brI64GeSImm, .brNotI64GeSImm), .i32)
        case 0x5a: return (compare(.i64GeU, .i64GeUImm, .brI64GeU, .brNotI64GeU, .brI64GeUImm, .brNotI64GeUImm), .i32)
        // float comparisons
        case 0x5b: return (compare(.f32Eq, .f32EqImm, .brF32Eq, .brNotF32Eq, .brF32EqImm, .brNotF32EqImm), .i32)
        case 0x5c: return (compare(.f32Ne, .f32NeImm, .brF32Ne, .brNotF32Ne, .brF32NeImm, .brNotF32NeImm), .i32)
        case 0x5d: return (compare(.f32Lt, .f32LtImm, .brF32Lt, .brNotF32Lt, .brF32LtImm, .brNotF32LtImm), .i32)
        case 0x5e: return (compare(.f32Gt, .f32GtImm, .brF32Gt, .brNotF32Gt, .brF32GtImm, .brNotF32GtImm), .i32)
        case 0x5f: return (compare(.f32Le, .f32LeImm, .brF32Le, .brNotF32Le, .brF32LeImm, .brNotF32LeImm), .i32)
        case 0x60: return (compare(.f32Ge, .f32GeImm, .brF32Ge, .brNotF32Ge, .brF32GeImm, .brNotF32GeImm), .i32)
        case 0x61: return (compare(.f64Eq, .f64EqImm, .brF64Eq, .brNotF64Eq, .brF64EqImm, .brNotF64EqImm), .i32)
        case 0x62: return (compare(.f64Ne, .f64NeImm, .brF64Ne, .brNotF64Ne, .brF64NeImm, .brNotF64NeImm), .i32)
        case 0x63: return (compare(.f64Lt, .f64LtImm, .brF64Lt, .brNotF64Lt, .brF64LtImm, .brNotF64LtImm), .i32)
        case 0x64: return (compare(.f64Gt, .f64GtImm, .brF64Gt, .brNotF64Gt, .brF64GtImm, .brNotF64GtImm), .i32)
        case 0x65: return (compare(.f64Le, .f64LeImm, .brF64Le, .brNotF64Le, .brF64LeImm, .brNotF64LeImm), .i32)
        case 0x66: return (compare(.f64Ge, .f64GeImm, .brF64Ge, .brNotF64Ge, .brF64GeImm, .brNotF64GeImm), .i32)
        // i32 arithmetic
        case 0x67: return (.unary(.i32Clz), .i32)
        case 0x68: return (.unary(.i32Ctz), .i32)
        case 0x69: return (.unary(.i32Popcnt), .i32)
        case 0x6a: return (.binary(.i32Add, immediate: .i32AddImm, commutative: true), .i32)
        case 0x6b: return (.binary(.i32Sub, immediate: .i32SubImm, commutative: false), .i32)
        case 0x6c: return (.binary(.i32Mul, immediate: .i32MulImm, commutative: true), .i32)
        case 0x6d: return (.binary(.i32DivS, immediate: nil, commutative: false), .i32)
        case 0x6e: return (.binary(.i32DivU, immediate: nil, commutative: false), .i32)
        case 0x6f: return (.binary(.i32RemS, immediate: nil, commutative: false), .i32)
        case 0x70: return (.binary(.i32RemU, immediate: nil, commutative: false), .i32)
        case 0x71: return (.binary(.i32And, immediate: .i32AndImm, commutative: true), .i32)
        case 0x72: return (.binary(.i32Or, immediate: .i32OrImm, commutative: true), .i32)
        case 0x73: return (.binary(.i32Xor, immediate: .i32XorImm, commutative: true), .i32)
        case 0x74: return (.binary(.i32Shl, immediate: .i32ShlImm, commutative: false), .i32)
        case 0x75: return (.binary(.i32ShrS, immediate: .i32ShrSImm, commutative: false), .i32)
        case 0x76: return (.binary(.i32ShrU, immediate: .i32ShrUImm, commutative: false), .i32)
        case 0x77: return (.binary(.i32Rotl, immediate: .i32RotlImm, commutative: false), .i32)
        case 0x78: return (.binary(.i32Rotr, immediate: .i32RotrImm, commutative: false), .i32)
        // i64 arithmetic
        case 0x79: return (.unary(.i64Clz), .i64)
        case 0x7a: return (.unary(.i64Ctz), .i64)
        case 0x7b: return (.unary(.i64Popcnt), .i64)
        case 0x7c: return (.binary(.i64Add, immediate: .i64AddImm, commutative: true), .i64)
        case 0x7d: return (.binary(.i64Sub, immediate: .i64SubImm, commutative: false), .i64)
        case 0x7e: return (.binary(.i64Mul, immediate: .i64MulImm, commutative: true), .i64)
        case 0x7f: return (.binary(.i64DivS, immediate: nil, commutative: false), .i64)
        case 0x80: return (.binary(.i64DivU, immediate: nil, commutative: false), .i64)
        case 0x81: return (.binary(.i64RemS, immediate: nil, commutative: false), .i64)
        case 0x82: return (.binary(.i64RemU, immediate: nil, commutative: false), .i64)
        case 0x83: return (.binary(.i64And, immediate: .i64AndImm, commutative: true), .i64)
        case 0x84: return (.binary(.i64Or, immediate: .i64OrImm, commutative: true), .i64)
        case 0x85: return (.binary(.i64Xor, immediate: .i64XorImm, commutative: true), .i64)
        case 0x86: return (.binary(.i64Shl, immediate: .i64ShlImm, commutative: false), .i64)
        case 0x87: return (.binary(.i64ShrS, immediate: .i64ShrSImm, commutative: false), .i64)
        case 0x88: return (.binary(.i64ShrU, immediate: .i64ShrUImm, commutative: false), .i64)
        case 0x89: return (.binary(.i64Rotl, immediate: .i64RotlImm, commutative: false), .i64)
        case 0x8a: return (.binary(.i64Rotr, immediate: .i64RotrImm, commutative: false), .i64)
        // f32 arithmetic
        case 0x8b: return (.unary(.f32Abs), .f32)
        case 0x8c: return (.unary(.f32Neg), .f32)
        case 0x8d: return (.unary(.f32Ceil), .f32)
        case 0x8e: return (.unary(.f32Floor), .f32)
        case 0x8f: return (.unary(.f32Trunc), .f32)
        case 0x90: return (.unary(.f32Nearest), .f32)
        case 0x91: return (.unary(.f32Sqrt), .f32)
        case 0x92: return (.binary(.f32Add, immediate: .f32AddImm, commutative: true), .f32)
        case 0x93: return (.binary(.f32Sub, immediate: .f32SubImm, commutative: false), .f32)
        case 0x94: return (.binary(.f32Mul, immediate: .f32MulImm, commutative: true), .f32)
        case 0x95: return (.binary(.f32Div, immediate: .f32DivImm, commutative: false), .f32)
        case 0x96: return (.binary(.f32Min, immediate: nil, commutative: false), .f32)
        case 0x97: return (.binary(.f32Max, immediate: nil, commutative: false), .f32)
        case 0x98: return (.binary(.f32Copysign, immediate: nil, commutative: false), .f32)
        // f64 arithmetic
        case 0x99: return (.unary(.f64Abs), .f64)
        case 0x9a: return (.unary(.f64Neg), .f64)
        case 0x9b: return (.unary(.f64Ceil), .f64)
        case 0x9c: return (.unary(.f64Floor), .f64)
        case 0x9d: return (.unary(.f64Trunc), .f64)
        case 0x9e: return (.unary(.f64Nearest), .f64)
        case 0x9f: return (.unary(.f64Sqrt), .f64)
        case 0xa0: return (.binary(.f64Add, immediate: .f64AddImm, commutative: true), .f64)
        case 0xa1: return (.binary(.f64Sub, immediate: .f64SubImm, commutative: false), .f64)
        case 0xa2: return (.binary(.f64Mul, immediate: .f64MulImm, commutative: true), .f64)
        case 0xa3: return (.binary(.f64Div, immediate: .f64DivImm, commutative: false), .f64)
        case 0xa4: return (.binary(.f64Min, immediate: nil, commutative: false), .f64)
        case 0xa5: return (.binary(.f64Max, immediate: nil, commutative: false), .f64)
        case 0xa6: return (.binary(.f64Copysign, immediate: nil, commutative: false), .f64)
        // conversions
        case 0xa7: return (.unary(.i32WrapI64), .i32)
        case 0xa8: return (.unary(.i32TruncF32S), .i32)
        case 0xa9: return (.unary(.i32TruncF32U), .i32)
        case 0xaa: return (.unary(.i32TruncF64S), .i32)
        case 0xab: return (.unary(.i32TruncF64U), .i32)
        case 0xac: return (.unary(.i64ExtendI32S), .i64)
        case 0xad: return (.unary(.i64ExtendI32U), .i64)
        case 0xae: return (.unary(.i64TruncF32S), .i64)
        case 0xaf: return (.unary(.i64TruncF32U), .i64)
        case 0xb0: return (.unary(.i64TruncF64S), .i64)
        case 0xb1: return (.unary(.i64TruncF64U), .i64)
        case 0xb2: return (.unary(.f32ConvertI32S), .f32)
        case 0xb3: return (.unary(.f32ConvertI32U), .f32)
        case 0xb4: return (.unary(.f32ConvertI64S), .f32)
        case 0xb5: return (.unary(.f32ConvertI64U), .f32)
        case 0xb6: return (.unary(.f32DemoteF64), .f32)
        case 0xb7: return (.unary(.f64ConvertI32S), .f64)
        case 0xb8: return (.unary(.f64ConvertI32U), .f64)
        case 0xb9: return (.unary(.f64ConvertI64S), .f64)
        case 0xba: return (.unary(.f64ConvertI64U), .f64)
        case 0xbb: return (.unary(.f64PromoteF32), .f64)
        case 0xbc: return (.reinterpret, .i32)
        case 0xbd: return (.reinterpret, .i64)
        case 0xbe: return (.reinterpret, .f32)
        case 0xbf: return (.reinterpret, .f64)
        // sign extension
        case 0xc0: return (.unary(.i32Extend8S), .i32)
        case 0xc1: return (.unary(.i32Extend16S), .i32)
        case 0xc2: return (.unary(.i64Extend8S), .i64)
        case 0xc3: return (.unary(.i64Extend16S), .i64)
        case 0xc4: return (.unary(.i64Extend32S), .i64)
        default: return nil
        }
    }

    /// The saturating truncations (0xFC 0...7).
    static func saturatingShape(_ code: UInt32) -> (NumericShape, ValueType)? {
        switch code {
        case 0: return (.unary(.i32TruncSatF32S), .i32)
        case 1: return (.unary(.i32TruncSatF32U), .i32)
        case 2: return (.unary(.i32TruncSatF64S), .i32)
        case 3: return (.unary(.i32TruncSatF64U), .i32)
        case 4: return (.unary(.i64TruncSatF32S), .i64)
        case 5: return (.unary(.i64TruncSatF32U), .i64)
        case 6: return (.unary(.i64TruncSatF64S), .i64)
        case 7: return (.unary(.i64TruncSatF64U), .i64)
        default: return nil
        }
    }

    /// Loads (0x28...0x35): opcode and result type.
    static func load(_ code: UInt8) -> (Opcode, ValueType)? {
        switch code {
        case 0x28: return (.i32Load, .i32)
        case 0x29: return (.i64Load, .i64)
        case 0x2a: return (.f32Load, .f32)
        case 0x2b: return (.f64Load, .f64)
        case 0x2c: return (.i32Load8S, .i32)
        case 0x2d: return (.i32Load8U, .i32)
        case 0x2e: return (.i32Load16S, .i32)
        case 0x2f: return (.i32Load16U, .i32)
        case 0x30: return (.i64Load8S, .i64)
        case 0x31: return (.i64Load8U, .i64)
        case 0x32: return (.i64Load16S, .i64)
        case 0x33: return (.i64Load16U, .i64)
        case 0x34: return (.i64Load32S, .i64)
        case 0x35: return (.i64Load32U, .i64)
        default: return nil
        }
    }

    /// The form of a store whose value is a constant carried in the instruction.
    static func storeImmediate(_ store: Opcode) -> Opcode {
        switch store {
        case .i32Store, .f32Store: return .i32StoreImm
        case .i64Store, .f64Store: return .i64StoreImm
        case .i32Store8: return .i32Store8Imm
        case .i32Store16: return .i32Store16Imm
        case .i64Store8: return .i64Store8Imm
        case .i64Store16: return .i64Store16Imm
        default: return .i64Store32Imm
        }
    }

    /// Stores (0x36...0x3E).
    static func store(_ code: UInt8) -> Opcode? {
        switch code {
        case 0x36: return .i32Store
        case 0x37: return .i64Store
        case 0x38: return .f32Store
        case 0x39: return .f64Store
        case 0x3a: return .i32Store8
        case 0x3b: return .i32Store16
        case 0x3c: return .i64Store8
        case 0x3d: return .i64Store16
        case 0x3e: return .i64Store32
        default: return nil
        }
    }

    private static func compare(_ plain: Opcode, _ immediate: Opcode, _ branch: Opcode, _ branchNot: Opcode,
                                _ branchImmediate: Opcode, _ branchNotImmediate: Opcode) -> NumericShape {
        .compare(plain, immediate: immediate, branch: branch, branchNot: branchNot,
                 branchImmediate: branchImmediate, branchNotImmediate: branchNotImmediate)
    }
}
