import CSwasm

/// Evaluates validated constant expressions (global initializers, segment offsets and element
/// items) against an instance's globals and functions.
enum ConstantEvaluator {
    /// The value in one slot word (every type but v128).
    static func evaluate(_ expression: ConstantExpression, in module: UnsafePointer<ModuleDescription>,
                         globals: UnsafePointer<UnsafeMutablePointer<UInt64>?>,
                         functions: UnsafePointer<UnsafeMutablePointer<swasm_function>?>) -> UInt64 {
        evaluateWide(expression, in: module, globals: globals, functions: functions).0
    }

    /// The value as two slot words: a v128 fills both, other types the first. Extended constant
    /// expressions compute with `i32`/`i64` `add`, `sub` and `mul` on an operand stack that the
    /// decoder bounded (`ImplementationLimits.constantExpressionStack`), so nothing is allocated.
    static func evaluateWide(_ expression: ConstantExpression, in module: UnsafePointer<ModuleDescription>,
                             globals: UnsafePointer<UnsafeMutablePointer<UInt64>?>,
                             functions: UnsafePointer<UnsafeMutablePointer<swasm_function>?>) -> (UInt64, UInt64) {
        var reader = CodeReader(module.pointee.slice(ByteRange(start: 0, count: module.pointee.bytes.count)),
                                start: expression.start, end: expression.end)
        var stack = FixedWords()
        var height = 0
        // The upper word of the top value (a v128 is only ever the whole expression's value).
        var high: UInt64 = 0
        func push(_ value: UInt64, _ upper: UInt64 = 0) {
            if height < FixedWords.capacity { stack[height] = value }
            height &+= 1
            high = upper
        }
        while !reader.isAtEnd {
            let opcode = reader.byte()
            switch opcode {
            case 0x41: push(UInt64(UInt32(bitPattern: reader.s32())))
            case 0x42: push(UInt64(bitPattern: reader.s64()))
            case 0x43: push(UInt64(reader.fixed32()))
            case 0x44: push(reader.fixed64())
            case 0x23:
                // Global cells are two words wide, so an imported v128 keeps its upper half.
                if let cell = globals[Int(reader.u32())] { push(cell[0], cell[1]) } else { push(0) }
            case 0xd0: _ = reader.s64(); push(0)
            case 0xd2: push(UInt64(UInt(bitPattern: functions[Int(reader.u32())])))
            case 0xfd:
                // v128.const (the only vector instruction a valid constant expression holds).
                _ = reader.u32()
                let low = reader.fixed64()
                push(low, reader.fixed64())
            case 0x6a, 0x6b, 0x6c, 0x7c, 0x7d, 0x7e:
                guard height >= 2, height <= FixedWords.capacity else { return (0, 0) } // not valid: not reached
                let right = stack[height &- 1], left = stack[height &- 2]
                height &-= 2
                let result: UInt64
                switch opcode {
                case 0x6a: result = UInt64(UInt32(truncatingIfNeeded: left) &+ UInt32(truncatingIfNeeded: right))
                case 0x6b: result = UInt64(UInt32(truncatingIfNeeded: left) &- UInt32(truncatingIfNeeded: right))
                case 0x6c: result = UInt64(UInt32(truncatingIfNeeded: left) &* UInt32(truncatingIfNeeded: right))
                case 0x7c: result = left &+ right
                case 0x7d: result = left &- right
                default: result = left &* right
                }
                push(result)
            default: // 0x0b: end
                return height >= 1 && height <= FixedWords.capacity ? (stack[height &- 1], high) : (0, 0)
            }
        }
        return height >= 1 && height <= FixedWords.capacity ? (stack[height &- 1], high) : (0, 0)
    }

    /// The number of instructions (before `end`) of an expression that computes (extended
    /// constant expressions: it holds `add`, `sub` or `mul`); 0 for a plain one.
    static func computedInstructions(_ expression: ConstantExpression, in module: UnsafePointer<ModuleDescription>) -> UInt64 {
        var reader = CodeReader(module.pointee.slice(ByteRange(start: 0, count: module.pointee.bytes.count)),
                                start: expression.start, end: expression.end)
        var count: UInt64 = 0
        var computes = false
        while !reader.isAtEnd {
            switch reader.byte() {
            case 0x41: _ = reader.s32()
            case 0x42: _ = reader.s64()
            case 0x43: _ = reader.fixed32()
            case 0x44: _ = reader.fixed64()
            case 0x23, 0xd2: _ = reader.u32()
            case 0xd0: _ = reader.byte()
            case 0xfd: _ = reader.u32(); _ = reader.fixed64(); _ = reader.fixed64()
            case 0x6a, 0x6b, 0x6c, 0x7c, 0x7d, 0x7e: computes = true
            default: return computes ? count : 0 // 0x0b: end
            }
            count &+= 1
        }
        return computes ? count : 0
    }
}
