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

    /// The value as two slot words: a v128 fills both, other types the first.
    static func evaluateWide(_ expression: ConstantExpression, in module: UnsafePointer<ModuleDescription>,
                             globals: UnsafePointer<UnsafeMutablePointer<UInt64>?>,
                             functions: UnsafePointer<UnsafeMutablePointer<swasm_function>?>) -> (UInt64, UInt64) {
        var reader = CodeReader(module.pointee.slice(ByteRange(start: 0, count: module.pointee.bytes.count)),
                                start: expression.start, end: expression.end)
        var value: (UInt64, UInt64) = (0, 0)
        while !reader.isAtEnd {
            switch reader.byte() {
            case 0x41: value = (UInt64(UInt32(bitPattern: reader.s32())), 0)
            case 0x42: value = (UInt64(bitPattern: reader.s64()), 0)
            case 0x43: value = (UInt64(reader.fixed32()), 0)
            case 0x44: value = (reader.fixed64(), 0)
            case 0x23:
                // Global cells are two words wide, so an imported v128 keeps its upper half.
                if let cell = globals[Int(reader.u32())] { value = (cell[0], cell[1]) } else { value = (0, 0) }
            case 0xd0: _ = reader.byte(); value = (0, 0)
            case 0xd2: value = (UInt64(UInt(bitPattern: functions[Int(reader.u32())])), 0)
            case 0xfd:
                // v128.const (the only vector instruction a valid constant expression holds).
                _ = reader.u32()
                let low = reader.fixed64()
                value = (low, reader.fixed64())
            default: return value // 0x0b: end
            }
        }
        return value
    }
}
