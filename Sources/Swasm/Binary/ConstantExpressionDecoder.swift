/// Constant expressions (global initializers, segment offsets, element items), decoded and
/// validated as WebAssembly 2.0 defines them: one `t.const`, `ref.null`, `ref.func` or `global.get`
/// of an imported immutable global, then `end`.
///
/// As in the specification, any instruction sequence decodes (so bytes that are no instruction
/// are malformed) and validation then requires every instruction to be constant ("constant
/// expression required", checked first) and the result to have the expected type ("type mismatch").
extension ModuleDecoderState {
    /// Decodes the expression at the reader's position through its `end`, returning its bytes.
    mutating func decodeConstantExpression(type expected: ValueType, in description: borrowing ModuleDescription) throws(SwasmError) -> ConstantExpression {
        let start = reader.position
        var depth = 0
        var produced = 0
        var last = ValueType.bottom
        var constant = true
        while true {
            let at = reader.position
            guard at < reader.end else { throw reader.unexpectedEnd() }
            let opcode = reader.base[at]
            reader.position = at &+ 1
            var pushed = ValueType.bottom
            switch opcode {
            case 0x0b where depth == 0:
                if validating && constant {
                    if produced != 1 || last != expected {
                        if produced == 1 || produced == 0 {
                            reader.recordInvalid("type mismatch", at: at, .typeMismatch(expected: expected, got: last))
                        } else {
                            reader.recordInvalid("type mismatch", at: at, .note("constant expression leaves more than one value"))
                        }
                    }
                }
                return ByteRange(start: start, count: reader.position &- start)
            case 0x41 where depth == 0:
                _ = try reader.readS32()
                pushed = .i32
            case 0x42 where depth == 0:
                _ = try reader.readS64()
                pushed = .i64
            case 0x43 where depth == 0:
                _ = try reader.skip(4)
                pushed = .f32
            case 0x44 where depth == 0:
                _ = try reader.skip(8)
                pushed = .f64
            case 0xd0 where depth == 0:
                pushed = try reader.readHeapType(features: features)
                if !features.contains(.referenceTypes) {
                    reader.recordInvalid("reference types support is not enabled (ref.null)", at: at)
                }
            case 0xd2 where depth == 0:
                let indexAt = reader.position
                let index = try reader.readU32()
                try referenceFunction(index, in: description, at: indexAt)
                if !features.contains(.referenceTypes) {
                    reader.recordInvalid("reference types support is not enabled (ref.func)", at: at)
                }
                pushed = .funcref
            case 0x23 where depth == 0:
                let index = try reader.readU32()
                pushed = .i32
                if validating {
                    if Int(index) >= description.importedGlobalCount {
                        reader.recordInvalid("unknown global", at: at, .index(UInt64(index)))
                    } else {
                        let global = description.globals[Int(index)]
                        if global.isMutable {
                            reader.recordInvalid("constant expression required", at: at, .note("global.get of a mutable global"))
                        }
                        pushed = global.content
                    }
                }
            case 0xfd where depth == 0:
                let code = try reader.readU32()
                if code == 0x0c {
                    _ = try reader.skip(16)
                    if !features.contains(.simd) {
                        reader.recordInvalid("SIMD support is not enabled", at: at)
                    }
                    pushed = .v128
                } else {
                    reader.position = at &+ 1
                    if constant { reader.recordInvalid("constant expression required", at: at) }
                    constant = false
                    depth &+= try reader.skipInstruction(opcode, at: at, context: instructionContext(description))
                }
            default:
                if constant { reader.recordInvalid("constant expression required", at: at) }
                constant = false
                depth &+= try reader.skipInstruction(opcode, at: at, context: instructionContext(description))
            }
            if pushed.code != 0 {
                produced &+= 1
                last = pushed
            }
        }
    }
}
