import CSwasm

/// Relaxed SIMD, as wasmtime 50 computes it on x86-64 (where the specification lets results
/// depend on the platform, swasm gives wasmtime's, so a program sees the same numbers on both):
/// the instructions its code generator picks decide each result. Where that choice is one of the
/// deterministic instructions, the compiler emits that instruction instead (relaxed min and max
/// are `pmin` and `pmax`, the unsigned truncations saturate, `i16x8.relaxed_laneselect` is
/// `v128.bitselect`).
extension Vector {
    /// `i8x16.relaxed_swizzle` (pshufb): an index with its top bit set gives 0, any other picks
    /// lane `index & 15`.
    @inline(__always)
    static func relaxedSwizzle(_ a: U8x16, _ indices: U8x16) -> U8x16 {
        var result = U8x16()
        for index in 0..<16 {
            let pick = indices[index]
            result[index] = pick & 0x80 != 0 ? 0 : a[Int(pick & 15)]
        }
        return result
    }

    /// A float truncated to i32 as cvttps2dq/cvttpd2dq do: NaN and values out of range give
    /// `Int32.min`.
    @inline(__always)
    static func truncateOrMinimum<F: BinaryFloatingPoint>(_ value: F) -> UInt32 {
        guard value > -2_147_483_649, value < 2_147_483_648 else { return UInt32(bitPattern: Int32.min) }
        return UInt32(bitPattern: Int32(value))
    }

    /// `i32x4.relaxed_trunc_f32x4_s`.
    @inline(__always)
    static func relaxedTruncate(_ a: F32x4) -> U32x4 {
        U32x4(truncateOrMinimum(a[0]), truncateOrMinimum(a[1]), truncateOrMinimum(a[2]), truncateOrMinimum(a[3]))
    }

    /// `i32x4.relaxed_trunc_f64x2_s_zero`.
    @inline(__always)
    static func relaxedTruncateZero(_ a: F64x2) -> U32x4 {
        U32x4(truncateOrMinimum(a[0]), truncateOrMinimum(a[1]), 0, 0)
    }

    /// `relaxed_madd` (`negate`: `relaxed_nmadd`, `-(a * b) + c`), fused as the machine's FMA
    /// instruction does where it has one.
    @inline(__always)
    static func multiplyAdd(_ a: F32x4, _ b: F32x4, _ c: F32x4, negate: Bool) -> F32x4 {
        let m = negate ? -a : a
        return F32x4(cswasm_relaxed_madd_f32(m[0], b[0], c[0]), cswasm_relaxed_madd_f32(m[1], b[1], c[1]),
                     cswasm_relaxed_madd_f32(m[2], b[2], c[2]), cswasm_relaxed_madd_f32(m[3], b[3], c[3]))
    }

    @inline(__always)
    static func multiplyAdd(_ a: F64x2, _ b: F64x2, _ c: F64x2, negate: Bool) -> F64x2 {
        let m = negate ? -a : a
        return F64x2(cswasm_relaxed_madd_f64(m[0], b[0], c[0]), cswasm_relaxed_madd_f64(m[1], b[1], c[1]))
    }

    /// `relaxed_laneselect` with blendv: each lane of `a` where the top bit of the same lane of
    /// `mask` is set, of `b` elsewhere (lanes of `T`: bytes, 32 or 64 bits).
    @inline(__always)
    static func blend<T: SIMD>(_ a: T, _ b: T, _ mask: T) -> T where T.Scalar: FixedWidthInteger & SignedInteger {
        a.replacing(with: b, where: mask .>= 0)
    }

    /// `i16x8.relaxed_q15mulr_s` (pmulhrsw): the rounded Q15 product, wrapping instead of
    /// saturating (-32768 * -32768 gives -32768).
    @inline(__always)
    static func relaxedQ15MultiplyRound(_ a: I16x8, _ b: I16x8) -> I16x8 {
        var result = I16x8()
        for index in a.indices {
            result[index] = Int16(truncatingIfNeeded: (Int32(a[index]) &* Int32(b[index]) &+ 0x4000) >> 15)
        }
        return result
    }

    /// pmaddubsw with `b`'s lanes unsigned and `a`'s signed: adjacent products summed, saturated
    /// to i16 (the i7 lanes the instruction expects in `b` are the same either way).
    @inline(__always)
    static func relaxedDot(_ a: I8x16, _ b: U8x16) -> I16x8 {
        var result = I16x8()
        for index in 0..<8 {
            let sum = Int32(a[2 &* index]) &* Int32(b[2 &* index]) &+ Int32(a[2 &* index &+ 1]) &* Int32(b[2 &* index &+ 1])
            result[index] = Int16(clamping: sum)
        }
        return result
    }

    /// `i32x4.relaxed_dot_i8x16_i7x16_add_s`: `relaxedDot`, adjacent i16 sums added into i32
    /// (pmaddwd), plus `c`, wrapping.
    @inline(__always)
    static func relaxedDotAdd(_ a: I8x16, _ b: U8x16, _ c: I32x4) -> I32x4 {
        let pairs = relaxedDot(a, b)
        var result = I32x4()
        for index in 0..<4 {
            result[index] = Int32(pairs[2 &* index]) &+ Int32(pairs[2 &* index &+ 1]) &+ c[index]
        }
        return result
    }

    /// `i16x8.relaxed_dot_i8x16_i7x16_s`, deterministic: adjacent signed products summed,
    /// wrapping to i16.
    @inline(__always)
    static func signedDot(_ a: I8x16, _ b: I8x16) -> I16x8 {
        var result = I16x8()
        for index in 0..<8 {
            let sum = Int32(a[2 &* index]) &* Int32(b[2 &* index]) &+ Int32(a[2 &* index &+ 1]) &* Int32(b[2 &* index &+ 1])
            result[index] = Int16(truncatingIfNeeded: sum)
        }
        return result
    }

    /// `i32x4.relaxed_dot_i8x16_i7x16_add_s`, deterministic: four adjacent signed products
    /// summed in i32, plus `c`, wrapping.
    @inline(__always)
    static func signedDotAdd(_ a: I8x16, _ b: I8x16, _ c: I32x4) -> I32x4 {
        var result = I32x4()
        for index in 0..<4 {
            var sum = c[index]
            for lane in (4 &* index)..<(4 &* index &+ 4) { sum &+= Int32(a[lane]) &* Int32(b[lane]) }
            result[index] = sum
        }
        return result
    }
}
