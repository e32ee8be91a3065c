/// The conversions the rules below need, as the concrete initializers of Float and Double (one
/// hardware instruction each). The standard library's generic float-to-integer initializers,
/// which generic code would otherwise reach, convert bit by bit and are many times slower.
protocol HardwareFloat: BinaryFloatingPoint {
    init(_ value: Int64)
    /// Rounded toward zero; the magnitude must be below 2^63.
    var truncatedInt64: Int64 { get }
    /// Rounded toward zero; must be in [0, 2^64).
    var truncatedUInt64: UInt64 { get }
}

extension Float: HardwareFloat {
    @inline(__always) var truncatedInt64: Int64 { Int64(self) }
    @inline(__always) var truncatedUInt64: UInt64 { UInt64(self) }
}

extension Double: HardwareFloat {
    @inline(__always) var truncatedInt64: Int64 { Int64(self) }
    @inline(__always) var truncatedUInt64: UInt64 { UInt64(self) }
}

/// WebAssembly's floating-point rules where they differ from Swift's defaults.
enum FloatSemantics {
    // NaN tests are `x != x` (one compare instruction), not `isNaN`, which Swift computes on the bit
    // pattern with integer operations: the registers that takes give the handlers stack frames.

    /// `fmin`: NaN if either operand is NaN, and -0 is less than +0.
    @inline(__always)
    static func minimum<F: BinaryFloatingPoint>(_ a: F, _ b: F) -> F {
        if a < b { return a }
        if b < a { return b }
        if a == b { return a.sign == .minus ? a : b } // -0 vs +0
        return a + b // a NaN operand: propagates a (quieted) NaN
    }

    /// `fmax`: NaN if either operand is NaN, and +0 is greater than -0.
    @inline(__always)
    static func maximum<F: BinaryFloatingPoint>(_ a: F, _ b: F) -> F {
        if a > b { return a }
        if b > a { return b }
        if a == b { return a.sign == .minus ? b : a }
        return a + b
    }

    // Rounding without libm: the shipped library links libc alone, and baseline x86-64 has no
    // rounding instruction, so LLVM would call floor/ceil/trunc/rint. Values at or beyond 2^52
    // (2^23 for Float) are already integers; below that, the integer conversions are exact.

    /// Rounds toward zero. Below 2^52 in magnitude every value converts to Int64 and back
    /// exactly (for Float too); at or beyond it (and for NaN and infinities) x is its own result.
    @inline(__always)
    static func truncate<F: HardwareFloat>(_ x: F) -> F {
        // A NaN result must be quiet (an arithmetic NaN); the canonical one qualifies.
        guard x.magnitude < 4_503_599_627_370_496 else { return x != x ? F.nan : x }
        let result = F(x.truncatedInt64)
        return result == 0 ? F(signOf: x, magnitudeOf: 0) : result
    }

    @inline(__always)
    static func floor<F: BinaryFloatingPoint>(_ x: F, _ truncated: F) -> F {
        truncated > x ? truncated - 1 : truncated
    }

    @inline(__always)
    static func ceil<F: BinaryFloatingPoint>(_ x: F, _ truncated: F) -> F {
        let result = truncated < x ? truncated + 1 : truncated
        return result == 0 ? F(signOf: x, magnitudeOf: 0) : result
    }

    /// Round to nearest, ties to even: adding and subtracting 2^52 rounds in the current
    /// (nearest-even) mode.
    @inline(__always)
    static func nearest(_ x: Double) -> Double {
        guard x.magnitude < 4_503_599_627_370_496 else { return x != x ? .nan : x }
        let rounded = (x.magnitude + 4_503_599_627_370_496) - 4_503_599_627_370_496
        return Double(signOf: x, magnitudeOf: rounded)
    }

    @inline(__always)
    static func nearest(_ x: Float) -> Float {
        guard x.magnitude < 8_388_608 else { return x != x ? .nan : x }
        let rounded = (x.magnitude + 8_388_608) - 8_388_608
        return Float(signOf: x, magnitudeOf: rounded)
    }

    /// Trapping truncation: NaN is an invalid conversion, values outside `I` overflow.
    @inline(__always)
    static func truncate<F: HardwareFloat, I: FixedWidthInteger>(_ value: F, to _: I.Type, _ ex: UnsafeMutablePointer<swasm_exec>) -> I? {
        if value != value {
            _ = Interpreter.trap(ex, .badConversionToInteger)
            return nil
        }
        guard let result = convert(truncate(value), to: I.self) else {
            _ = Interpreter.trap(ex, .integerOverflow)
            return nil
        }
        return result
    }

    /// Saturating truncation: NaN is 0, values outside `I` clamp to its bounds.
    @inline(__always)
    static func saturate<F: HardwareFloat, I: FixedWidthInteger>(_ value: F, to _: I.Type) -> I {
        if value != value { return 0 }
        let truncated = truncate(value)
        if let result = convert(truncated, to: I.self) { return result }
        return truncated < 0 ? I.min : I.max
    }

    /// An integral float as `I`, or nil when out of range. The bounds are powers of two (exact in
    /// either format), and `I` is 32 or 64 bits wide.
    @inline(__always)
    static func convert<F: HardwareFloat, I: FixedWidthInteger>(_ integral: F, to _: I.Type) -> I? {
        let upper: F = I.bitWidth == 64 ? (I.isSigned ? 0x1p63 : 0x1p64) : (I.isSigned ? 0x1p31 : 0x1p32)
        let lower: F = I.isSigned ? -upper : 0
        guard integral >= lower && integral < upper else { return nil }
        if I.bitWidth == 64 && !I.isSigned { return I(truncatingIfNeeded: integral.truncatedUInt64) }
        return I(truncatingIfNeeded: integral.truncatedInt64)
    }
}

import CSwasm
