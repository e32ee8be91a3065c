/// Constant expressions (global initializers, segment offsets, element items), decoded and
/// validated: `t.const`, `ref.null`, `ref.func`, `global.get` of an imported immutable global and,
/// with extended constant expressions, `i32`/`i64` `add`, `sub` and `mul`, leaving one value of
/// the expected type, then `end`. The operand stack is bounded
/// (`ImplementationLimits.constantExpressionStack`) so that evaluation needs no memory.
///
/// As in the specification, any instruction sequence decodes (so bytes that are no instruction
/// are malformed) and validation then requires every instruction to be constant ("constant
/// expression required", checked first) and the result to have the expected type ("type mismatch").
extension ModuleDecoderState {
    /// Decodes the expression at the reader's position through its `end`, returning its bytes.
    mutating func decodeConstantExpression(type expected: ValueType, in description: borrowing ModuleDescription) throws(SwasmError) -> ConstantExpression {
        let start = reader.position
        var depth = 0
        // The operand stack: its height, the type codes below the top, and the top's full type.
        var height = 0
        var codes = FixedWords()
        var last = ValueType.bottom
        var mismatched = false
        var constant = true
        while true {
            let at = reader.position
            guard at < reader.end else { throw reader.unexpectedEnd() }
            let opcode = reader.base[at]
            reader.position = at &+ 1
            var pushed = ValueType.bottom
            switch opcode {
            case 0x0b where depth == 0:
                if validating && constant && !mismatched {
                    if height != 1 || !description.matches(last, expected) {
                        if height <= 1 {
                            reader.recordInvalid("type mismatch", at: at, .typeMismatch(expected: expected, got: height == 1 ? last : .bottom))
                        } else {
                            reader.recordInvalid("type mismatch", at: at, .note("constant expression leaves more than one value"))
                        }
                    }
                }
                return ByteRange(start: start, count: reader.position &- start)
            case 0x6a, 0x6b, 0x6c, 0x7c, 0x7d, 0x7e:
                guard depth == 0 && constant && features.contains(.extendedConst) else {
                    if constant { reader.recordInvalid("constant expression required", at: at) }
                    constant = false
                    depth &+= try reader.skipInstruction(opcode, at: at, context: instructionContext(description))
                    break
                }
                // i32/i64 add, sub, mul: two operands of the type, one result.
                let type: ValueType = opcode < 0x70 ? .i32 : .i64
                if validating && !mismatched {
                    let below = height >= 2 && height <= FixedWords.capacity
                        ? ValueType(bits: UInt32(truncatingIfNeeded: codes[height &- 2])) : .bottom
                    if height < 2 || last != type || below != type {
                        reader.recordInvalid("type mismatch", at: at, .typeMismatch(expected: type, got: height < 2 ? .bottom : (last != type ? last : below)))
                        mismatched = true
                    }
                }
                height = max(height &- 2, 0)
                pushed = type
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
                pushed = ValueType(heap: try reader.readHeapType(features: features), nullable: true)
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
                pushed = Int(index) < description.functions.count ? description.functionReferenceType(index, features: features) : .funcref
            case 0x23 where depth == 0:
                let index = try reader.readU32()
                pushed = .i32
                if validating {
                    // WebAssembly 3.0 lets any earlier global be read, 2.0 only imported ones.
                    let visible = features.contains(.functionReferences) ? description.globals.count : description.importedGlobalCount
                    if Int(index) >= visible {
                        reader.recordInvalid("unknown global", at: at, .index(UInt64(index)))
                    } else {
                        let global = description.globals[Int(index)]
                        if global.isMutable {
                            reader.recordInvalid("constant expression required", at: at, .note("global.get of a mutable global"))
                        }
                        pushed = global.content
                    }
                }
            case 0xfb where depth == 0 && constant:
                // GC's constant instructions: allocation, i31 and the extern/any conversions.
                let code = try reader.readU32()
                guard let immediate = WasmInstructions.immediateFB(code), Self.isConstantGC(code) else {
                    reader.position = at &+ 1
                    reader.recordInvalid("constant expression required", at: at)
                    constant = false
                    depth &+= try reader.skipInstruction(opcode, at: at, context: instructionContext(description))
                    break
                }
                let index = immediate == .none ? 0 : try reader.readU32()
                let count = immediate == .typeCount ? try reader.readU32() : 0
                if !features.contains(.gc) { reader.recordInvalid("gc support is not enabled", at: at) }
                guard validating && !mismatched else { break }
                /// Pops one operand of type `expected` (false after recording a mismatch).
                func pop(_ expected: ValueType) -> Bool {
                    let actual = height >= 1 && height <= FixedWords.capacity ? ValueType(bits: UInt32(truncatingIfNeeded: codes[height &- 1])) : .bottom
                    guard height >= 1, description.matches(actual, expected) else {
                        reader.recordInvalid("type mismatch", at: at, .typeMismatch(expected: expected, got: height >= 1 ? actual : .bottom))
                        mismatched = true
                        return false
                    }
                    height &-= 1
                    return true
                }
                switch code {
                case 0x1c: // ref.i31
                    guard pop(.i32) else { break }
                    pushed = ValueType(heap: .i31, nullable: false)
                case 0x1a, 0x1b: // any.convert_extern, extern.convert_any
                    let top = height >= 1 && height <= FixedWords.capacity ? ValueType(bits: UInt32(truncatingIfNeeded: codes[height &- 1])) : .bottom
                    guard pop(ValueType(heap: code == 0x1a ? .extern : .any, nullable: true)) else { break }
                    pushed = ValueType(heap: code == 0x1a ? .any : .extern, nullable: top.isNullable)
                default: // struct.new(_default), array.new(_default), array.new_fixed
                    let kind: CompositeKind = code <= 0x01 ? .structure : .array
                    guard Int(index) < description.typeDefinitions.count, description.typeDefinitions[Int(index)].kind == kind else {
                        reader.recordInvalid(Int(index) < description.typeDefinitions.count ? "type mismatch" : "unknown type", at: at, .index(UInt64(index)))
                        mismatched = true
                        break
                    }
                    let definition = description.typeDefinitions[Int(index)]
                    let fields = Int(definition.fieldsStart)..<(Int(definition.fieldsStart) &+ Int(definition.fieldCount))
                    var ok = true
                    switch code {
                    case 0x00:
                        var field = fields.upperBound
                        while ok && field > fields.lowerBound {
                            field &-= 1
                            ok = pop(description.fields[field].unpacked)
                        }
                    case 0x06:
                        ok = pop(.i32) && pop(description.fields[fields.lowerBound].unpacked)
                    case 0x07:
                        ok = pop(.i32)
                    case 0x08:
                        var left = count
                        while ok && left > 0 {
                            left &-= 1
                            ok = pop(description.fields[fields.lowerBound].unpacked)
                        }
                    default:
                        break
                    }
                    if ok && (code == 0x01 || code == 0x07) {
                        for field in fields where !description.fields[field].storage.isDefaultable {
                            reader.recordInvalid("type mismatch", at: at, .note("a default value needs defaultable fields"))
                            ok = false
                            break
                        }
                    }
                    guard ok else { mismatched = true; break }
                    pushed = ValueType(heap: .concrete(definition.canonical, kind: kind), nullable: false)
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
                if height >= FixedWords.capacity {
                    reader.recordInvalid("constant expression too deep", at: at,
                                         .note("more than 128 values on its operand stack (swasm's limit)"))
                    mismatched = true
                } else {
                    codes[height] = UInt64(pushed.bits)
                }
                height &+= 1
                last = pushed
            }
        }
    }

    /// The GC instructions allowed in constant expressions: struct.new(_default),
    /// array.new(_default), array.new_fixed, any.convert_extern, extern.convert_any, ref.i31.
    static func isConstantGC(_ code: UInt32) -> Bool {
        switch code {
        case 0x00, 0x01, 0x06, 0x07, 0x08, 0x1a, 0x1b, 0x1c: return true
        default: return false
        }
    }
}
