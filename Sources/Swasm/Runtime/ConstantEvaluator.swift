import CSwasm

/// Evaluates validated constant expressions (global initializers, segment offsets and element
/// items) against an instance's globals and functions.
enum ConstantEvaluator {
    /// Where the GC instructions of constant expressions allocate: the store, and the module's
    /// struct and array layouts by type index.
    struct Objects {
        var store: UnsafeMutablePointer<Store>
        var layouts: UnsafePointer<UnsafeRawPointer?>?
    }

    /// The value in one slot word (every type but v128) of an expression that allocates nothing
    /// (an offset, or any expression of a module without GC types).
    static func evaluate(_ expression: ConstantExpression, in module: UnsafePointer<ModuleDescription>,
                         globals: UnsafePointer<UnsafeMutablePointer<UInt64>?>,
                         functions: UnsafePointer<UnsafeMutablePointer<swasm_function>?>) -> UInt64 {
        (try? evaluateWide(expression, in: module, globals: globals, functions: functions, objects: nil).0) ?? 0
    }

    /// The value in one slot word, allocating the objects the expression makes.
    static func evaluate(_ expression: ConstantExpression, in module: UnsafePointer<ModuleDescription>,
                         globals: UnsafePointer<UnsafeMutablePointer<UInt64>?>,
                         functions: UnsafePointer<UnsafeMutablePointer<swasm_function>?>, objects: Objects?) throws(SwasmError) -> UInt64 {
        try evaluateWide(expression, in: module, globals: globals, functions: functions, objects: objects).0
    }

    /// The value as two slot words: a v128 fills both, other types the first. Extended constant
    /// expressions compute with `i32`/`i64` `add`, `sub` and `mul` on an operand stack that the
    /// decoder bounded (`ImplementationLimits.constantExpressionStack`), so only the objects that
    /// GC instructions make are allocated (in `objects`; without it they are null). Throws
    /// `.outOfMemory`, or `.trap` for an array too large.
    static func evaluateWide(_ expression: ConstantExpression, in module: UnsafePointer<ModuleDescription>,
                             globals: UnsafePointer<UnsafeMutablePointer<UInt64>?>,
                             functions: UnsafePointer<UnsafeMutablePointer<swasm_function>?>,
                             objects: Objects? = nil) throws(SwasmError) -> (UInt64, UInt64) {
        var reader = CodeReader(module.pointee.slice(ByteRange(start: 0, count: module.pointee.bytes.count)),
                                start: expression.start, end: expression.end)
        var stack = FixedWords()
        // The upper word of each value (only a v128's is not zero).
        var highs = FixedWords()
        var height = 0
        var high: UInt64 = 0
        func push(_ value: UInt64, _ upper: UInt64 = 0) {
            if height < FixedWords.capacity { stack[height] = value; highs[height] = upper }
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
            case 0xfb:
                let code = reader.u32()
                let index = code == 0x1a || code == 0x1b || code == 0x1c ? 0 : Int(reader.u32())
                let fixedCount = code == 0x08 ? Int(reader.u32()) : 0
                switch code {
                case 0x1c: // ref.i31
                    guard height >= 1, height <= FixedWords.capacity else { return (0, 0) }
                    height &-= 1
                    push(ReferenceTests.i31(UInt32(truncatingIfNeeded: stack[height])))
                case 0x1a, 0x1b: // any.convert_extern, extern.convert_any
                    guard height >= 1, height <= FixedWords.capacity else { return (0, 0) }
                    height &-= 1
                    push(ReferenceTests.converted(stack[height]))
                default: // struct.new(_default), array.new(_default), array.new_fixed
                    guard let objects, let type = objects.layouts?[index]?.assumingMemoryBound(to: GCType.self) else {
                        push(0)
                        continue
                    }
                    let isArray = type.pointee.kind == .array
                    // Operands: a struct's fields, an array's initial value and length, or its elements.
                    let operands = code == 0x00 ? type.pointee.fieldCount : (code == 0x06 ? 2 : (code == 0x07 ? 1 : (code == 0x08 ? fixedCount : 0)))
                    guard height >= operands, height <= FixedWords.capacity else { return (0, 0) }
                    height &-= operands
                    let length: UInt32 = code == 0x06 || code == 0x07 ? UInt32(truncatingIfNeeded: stack[height &+ operands &- 1]) : UInt32(fixedCount)
                    let size = type.pointee.field(0).size
                    let bytes = isArray ? UInt64(length) &* UInt64(size) : UInt64(type.pointee.dataSize)
                    let object = try objects.store.pointee.allocateObject(type, dataBytes: bytes, length: isArray ? length : 0)
                    let data = GCObject.data(object)
                    switch code {
                    case 0x00:
                        for field in 0..<type.pointee.fieldCount {
                            let layout = type.pointee.field(field)
                            GCObject.store(stack[height &+ field], highs[height &+ field], size: layout.size, at: data.advanced(by: Int(layout.offset)))
                        }
                    case 0x06:
                        for element in 0..<Int(length) { GCObject.store(stack[height], highs[height], size: size, at: data.advanced(by: element &* Int(size))) }
                    case 0x08:
                        for element in 0..<Int(length) {
                            GCObject.store(stack[height &+ element], highs[height &+ element], size: size, at: data.advanced(by: element &* Int(size)))
                        }
                    default: break // zeroed: the default values
                    }
                    push(UInt64(UInt(bitPattern: object)))
                }
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

    /// The value of an expression that is a single `i32.const` or `i64.const` (as `evaluate` gives
    /// it); nil for any other, whose value depends on the instance.
    static func plainConstant(_ expression: ConstantExpression, in module: UnsafePointer<ModuleDescription>) -> UInt64? {
        var reader = CodeReader(module.pointee.slice(ByteRange(start: 0, count: module.pointee.bytes.count)),
                                start: expression.start, end: expression.end)
        guard !reader.isAtEnd else { return nil }
        let value: UInt64
        switch reader.byte() {
        case 0x41: value = UInt64(UInt32(bitPattern: reader.s32()))
        case 0x42: value = UInt64(bitPattern: reader.s64())
        default: return nil
        }
        return reader.isAtEnd || reader.byte() == 0x0b ? value : nil
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
            case 0xfb: InstructionSkipper.skipImmediates(0xfb, &reader)
            case 0x6a, 0x6b, 0x6c, 0x7c, 0x7d, 0x7e: computes = true
            default: return computes ? count : 0 // 0x0b: end
            }
            count &+= 1
        }
        return computes ? count : 0
    }
}
