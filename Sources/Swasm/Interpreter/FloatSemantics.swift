/// The conversions the rules below need, as the concrete initializers of Float and Double (one
/// hardware instruction each). The standard library's generic float-to-integer initializers,
/// which generic code would otherwise reach, convert bit by bit and are many times slower.
protocol HardwareFloat: BinaryFloatingPoint {
    init(_ value: Int64)
    /// Rounded toward zero; the magnitude must be below 2^63 (callers check).
    var truncatedInt64: Int64 { get }
}

extension Float: HardwareFloat {
    @inline(__always) var truncatedInt64: Int64 { cswasm_truncate_f32_i64(self) }
}

extension Double: HardwareFloat {
    @inline(__always) var truncatedInt64: Int64 { cswasm_truncate_f64_i64(self) }
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
        if let result = truncatedInteger(value, as: I.self) { return result }
        _ = Interpreter.trap(ex, value != value ? .badConversionToInteger : .integerOverflow)
        return nil
    }

    /// Saturating truncation: NaN is 0, values outside `I` clamp to its bounds.
    @inline(__always)
    static func saturate<F: HardwareFloat, I: FixedWidthInteger>(_ value: F, to _: I.Type) -> I {
        if let result = truncatedInteger(value, as: I.self) { return result }
        if value != value { return 0 }
        return value < 0 ? I.min : I.max
    }

    /// `value` rounded toward zero as `I` (32 or 64 bits wide), or nil for NaN and values whose
    /// truncation `I` cannot hold. Below 2^63 in magnitude one hardware conversion to Int64
    /// truncates exactly; the range of a narrower `I` is then checked on the integer (the bounds
    /// of the float test are powers of two, exact in either format, and NaN fails them).
    @inline(__always)
    static func truncatedInteger<F: HardwareFloat, I: FixedWidthInteger>(_ value: F, as _: I.Type) -> I? {
        if I.bitWidth == 64 && !I.isSigned {
            guard value > -1 && value < 0x1p64 else { return nil }
            if value < 0x1p63 { return I(truncatingIfNeeded: value.truncatedInt64) }
            // [2^63, 2^64): the float is an integer and subtracting 2^63 is exact.
            return I(truncatingIfNeeded: UInt64(bitPattern: (value - 0x1p63).truncatedInt64) | (1 << 63))
        }
        guard value >= -0x1p63 && value < 0x1p63 else { return nil }
        let truncated = value.truncatedInt64
        if I.bitWidth == 32 {
            let lower: Int64 = I.isSigned ? -0x8000_0000 : 0
            let upper: Int64 = I.isSigned ? 0x7fff_ffff : 0xffff_ffff
            guard truncated >= lower && truncated <= upper else { return nil }
        }
        return I(truncatingIfNeeded: truncated)
    }
}

import CSwasm
