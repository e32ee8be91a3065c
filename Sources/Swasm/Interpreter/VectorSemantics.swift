import CSwasm

// The lanes of a v128 value as the standard library's SIMD types, which compile to the
// machine's vector instructions (SSE2 on baseline x86-64) and allocate nothing. A v128 takes two
// frame slots: the low 8 bytes in slot s, the high 8 bytes in slot s + 1; lane 0 is the lowest.
typealias I8x16 = SIMD16<Int8>
typealias U8x16 = SIMD16<UInt8>
typealias I16x8 = SIMD8<Int16>
typealias U16x8 = SIMD8<UInt16>
typealias I32x4 = SIMD4<Int32>
typealias U32x4 = SIMD4<UInt32>
typealias I64x2 = SIMD2<Int64>
typealias U64x2 = SIMD2<UInt64>
typealias F32x4 = SIMD4<Float>
typealias F64x2 = SIMD2<Double>

extension UnsafeMutablePointer where Pointee == UInt64 {
    /// The v128 in slots `slot` and `slot + 1`, as lanes of `T` (a 16-byte SIMD type).
    @inline(__always)
    func v<T: SIMD>(_ slot: Int, as _: T.Type) -> T {
        unsafeBitCast(U64x2(self[slot], self[slot &+ 1]), to: T.self)
    }

    /// Writes a v128 (a 16-byte SIMD value) into slots `slot` and `slot + 1`.
    @inline(__always)
    func setV<T: SIMD>(_ slot: Int, _ value: T) {
        let words = unsafeBitCast(value, to: U64x2.self)
        self[slot] = words[0]
        self[slot &+ 1] = words[1]
    }
}

/// Lane-wise WebAssembly semantics that the SIMD types do not provide directly.
enum Vector {
    /// The address of `size` bytes at `base + offset` in memory 0, or nil when out of bounds.
    @inline(__always)
    static func address(_ mem: UnsafeMutablePointer<UInt8>?, _ memSize: UInt64, _ base: UInt32, _ offset: UInt64,
                        _ size: UInt64) -> UnsafeMutableRawPointer? {
        let address = UInt64(base) &+ offset
        guard address >= offset, address &+ size >= address, address &+ size <= memSize, let mem else { return nil }
        return UnsafeMutableRawPointer(mem.advanced(by: Int(truncatingIfNeeded: address)))
    }

    /// The address of `size` bytes at the 64-bit address `base + offset` (memory64), or nil when
    /// out of bounds (the sum wrapping included).
    @inline(__always)
    static func address64(_ mem: UnsafeMutablePointer<UInt8>?, _ memSize: UInt64, _ base: UInt64, _ offset: UInt64,
                          _ size: UInt64) -> UnsafeMutableRawPointer? {
        let (address, wrapped) = base.addingReportingOverflow(offset)
        guard !wrapped, address < memSize, memSize &- address >= size, let mem else { return nil }
        return UnsafeMutableRawPointer(mem.advanced(by: Int(truncatingIfNeeded: address)))
    }

    /// A lane number from an instruction operand, kept in range.
    @inline(__always)
    static func lane<T: SIMD>(_ raw: UInt64, _: T.Type) -> Int {
        Int(truncatingIfNeeded: raw) & (T.scalarCount &- 1)
    }

    /// A comparison's result: all ones in true lanes, zero elsewhere.
    @inline(__always)
    static func mask<M: SIMD>(_ condition: SIMDMask<M>, _: M.Type) -> M
        where M.Scalar: FixedWidthInteger & SignedInteger, M.MaskStorage == M {
        M(repeating: 0).replacing(with: -1, where: condition)
    }

    @inline(__always)
    static func allTrue<T: SIMD>(_ a: T) -> UInt32 where T.Scalar: FixedWidthInteger {
        for index in a.indices where a[index] == 0 { return 0 }
        return 1
    }

    /// The lanes' sign bits, lane 0 in bit 0.
    @inline(__always)
    static func bitmask<T: SIMD>(_ a: T) -> UInt32 where T.Scalar: FixedWidthInteger & SignedInteger {
        var result: UInt32 = 0
        for index in a.indices where a[index] < 0 { result |= 1 &<< UInt32(truncatingIfNeeded: index) }
        return result
    }

    @inline(__always)
    static func popcount(_ a: U8x16) -> U8x16 {
        var result = U8x16()
        for index in a.indices { result[index] = UInt8(truncatingIfNeeded: a[index].nonzeroBitCount) }
        return result
    }

    @inline(__always)
    static func addSaturating<T: SIMD>(_ a: T, _ b: T) -> T where T.Scalar: FixedWidthInteger {
        var result = T()
        for index in a.indices {
            let (sum, overflow) = a[index].addingReportingOverflow(b[index])
            result[index] = overflow ? (b[index] < 0 ? T.Scalar.min : T.Scalar.max) : sum
        }
        return result
    }

    @inline(__always)
    static func subtractSaturating<T: SIMD>(_ a: T, _ b: T) -> T where T.Scalar: FixedWidthInteger {
        var result = T()
        for index in a.indices {
            let (difference, overflow) = a[index].subtractingReportingOverflow(b[index])
            // Unsigned: only underflow (to 0). Signed: below min when b > 0, above max when b < 0.
            result[index] = overflow ? (T.Scalar.isSigned && b[index] < 0 ? T.Scalar.max : T.Scalar.min) : difference
        }
        return result
    }

    @inline(__always)
    static func averageRounded<T: SIMD>(_ a: T, _ b: T) -> T where T.Scalar: FixedWidthInteger & UnsignedInteger {
        var result = T()
        for index in a.indices {
            result[index] = T.Scalar(truncatingIfNeeded: (UInt32(a[index]) &+ UInt32(b[index]) &+ 1) >> 1)
        }
        return result
    }

    /// Saturating narrowing of two vectors of signed lanes into one of lanes of `N`.
    @inline(__always)
    static func narrow<W: SIMD, N: FixedWidthInteger>(_ a: W, _ b: W, _: N.Type) -> U8x16
        where W.Scalar: FixedWidthInteger & SignedInteger {
        var result = U8x16()
        let bytes = MemoryLayout<N>.size
        for index in 0..<(W.scalarCount &* 2) {
            let wide = index < W.scalarCount ? a[index] : b[index &- W.scalarCount]
            let clamped: N = wide < 0 && !N.isSigned ? 0 : N(clamping: wide)
            var bits = UInt64(truncatingIfNeeded: clamped)
            for byte in 0..<bytes {
                result[index &* bytes &+ byte] = UInt8(truncatingIfNeeded: bits)
                bits >>= 8
            }
        }
        return result
    }

    @inline(__always)
    static func q15MultiplyRoundSaturate(_ a: I16x8, _ b: I16x8) -> I16x8 {
        var result = I16x8()
        for index in a.indices {
            let product = (Int32(a[index]) &* Int32(b[index]) &+ 0x4000) >> 15
            result[index] = Int16(clamping: product)
        }
        return result
    }

    @inline(__always)
    static func dot(_ a: I16x8, _ b: I16x8) -> I32x4 {
        let products = I32x4(truncatingIfNeeded: a.evenHalf) &* I32x4(truncatingIfNeeded: b.evenHalf)
        return products &+ I32x4(truncatingIfNeeded: a.oddHalf) &* I32x4(truncatingIfNeeded: b.oddHalf)
    }

    /// `i8x16.swizzle`: lanes of `a` picked by `indices`; an index beyond 15 gives 0.
    @inline(__always)
    static func swizzle(_ a: U8x16, _ indices: U8x16) -> U8x16 {
        var result = U8x16()
        for index in 0..<16 {
            let pick = indices[index]
            result[index] = pick < 16 ? a[Int(pick)] : 0
        }
        return result
    }

    /// `i8x16.shuffle`: lane i is byte i of the 32 lanes of `a` then `b` (validated indices < 32).
    @inline(__always)
    static func shuffle(_ a: U8x16, _ b: U8x16, _ low: UInt64, _ high: UInt64) -> U8x16 {
        var result = U8x16()
        for index in 0..<16 {
            let word = index < 8 ? low : high
            let pick = Int(truncatingIfNeeded: (word >> UInt64((index & 7) &* 8)) & 31)
            result[index] = pick < 16 ? a[pick] : b[pick & 15]
        }
        return result
    }

    // MARK: floating point (FloatSemantics lane by lane: no libm)

    /// `fmin` lane by lane (FloatSemantics.minimum), without branches: the smaller lane; of
    /// equal lanes (-0 and +0) the OR of their bits; NaN (quieted) if either lane is NaN.
    /// `B` is the unsigned integer vector of the same shape.
    @inline(__always)
    static func minimum<F: SIMD, B: SIMD>(_ a: F, _ b: F, bits _: B.Type) -> F
        where F.Scalar: BinaryFloatingPoint, B.Scalar: FixedWidthInteger, B.MaskStorage == F.MaskStorage {
        let equal = unsafeBitCast(a, to: B.self) | unsafeBitCast(b, to: B.self)
        let ordered = unsafeBitCast(a.replacing(with: b, where: b .< a), to: B.self).replacing(with: equal, where: a .== b)
        return unsafeBitCast(ordered, to: F.self).replacing(with: a + b, where: (a .!= a) .| (b .!= b))
    }

    /// `fmax` lane by lane: as `minimum`, with the AND of equal lanes' bits (+0 over -0).
    @inline(__always)
    static func maximum<F: SIMD, B: SIMD>(_ a: F, _ b: F, bits _: B.Type) -> F
        where F.Scalar: BinaryFloatingPoint, B.Scalar: FixedWidthInteger, B.MaskStorage == F.MaskStorage {
        let equal = unsafeBitCast(a, to: B.self) & unsafeBitCast(b, to: B.self)
        let ordered = unsafeBitCast(a.replacing(with: b, where: b .> a), to: B.self).replacing(with: equal, where: a .== b)
        return unsafeBitCast(ordered, to: F.self).replacing(with: a + b, where: (a .!= a) .| (b .!= b))
    }

    @inline(__always)
    static func sqrt(_ a: F32x4) -> F32x4 {
        F32x4(cswasm_sqrt_f32(a[0]), cswasm_sqrt_f32(a[1]), cswasm_sqrt_f32(a[2]), cswasm_sqrt_f32(a[3]))
    }

    @inline(__always)
    static func sqrt(_ a: F64x2) -> F64x2 { F64x2(cswasm_sqrt_f64(a[0]), cswasm_sqrt_f64(a[1])) }

    @inline(__always)
    static func trunc<T: SIMD>(_ a: T) -> T where T.Scalar: HardwareFloat {
        var result = T()
        for index in a.indices { result[index] = FloatSemantics.truncate(a[index]) }
        return result
    }

    @inline(__always)
    static func floor<T: SIMD>(_ a: T) -> T where T.Scalar: HardwareFloat {
        var result = T()
        for index in a.indices { result[index] = FloatSemantics.floor(a[index], FloatSemantics.truncate(a[index])) }
        return result
    }

    @inline(__always)
    static func ceil<T: SIMD>(_ a: T) -> T where T.Scalar: HardwareFloat {
        var result = T()
        for index in a.indices { result[index] = FloatSemantics.ceil(a[index], FloatSemantics.truncate(a[index])) }
        return result
    }

    @inline(__always)
    static func nearest(_ a: F32x4) -> F32x4 {
        F32x4(FloatSemantics.nearest(a[0]), FloatSemantics.nearest(a[1]), FloatSemantics.nearest(a[2]), FloatSemantics.nearest(a[3]))
    }

    @inline(__always)
    static func nearest(_ a: F64x2) -> F64x2 { F64x2(FloatSemantics.nearest(a[0]), FloatSemantics.nearest(a[1])) }

    /// Saturating truncation of each lane to `I` (NaN is 0).
    @inline(__always)
    static func saturate<I: FixedWidthInteger>(_ a: F32x4, _: I.Type) -> U32x4 {
        var result = U32x4()
        for index in a.indices { result[index] = UInt32(truncatingIfNeeded: FloatSemantics.saturate(a[index], to: I.self)) }
        return result
    }

    /// Saturating truncation of two f64 lanes into lanes 0 and 1; lanes 2 and 3 are zero.
    @inline(__always)
    static func saturateZero<I: FixedWidthInteger>(_ a: F64x2, _: I.Type) -> U32x4 {
        U32x4(UInt32(truncatingIfNeeded: FloatSemantics.saturate(a[0], to: I.self)),
              UInt32(truncatingIfNeeded: FloatSemantics.saturate(a[1], to: I.self)), 0, 0)
    }
}
