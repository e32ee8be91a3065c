/// Numeric literals of the text format: natural numbers, integers of every width and floats
/// (decimal, hexadecimal, `inf`, `nan`, `nan:0x...`), with `_` separators between digits.
/// Floats are rounded correctly (to nearest, ties to even) without libc.
enum TextNumberStatus: UInt8 {
    case ok
    /// Not a number of the expected form (the suite calls this "unknown operator").
    case malformed
    /// Well-formed but out of the type's range ("constant out of range").
    case outOfRange
}

enum TextNumbers {
    // MARK: digits

    /// Scans `digit ('_'? digit)*` in `base` from `start`; returns the end index (nil when no digit
    /// is at `start` or an underscore is not followed by a digit). Digits are not accumulated.
    static func scanDigits(_ text: TextSlice, from start: Int, hex: Bool) -> Int? {
        var index = start
        guard index < text.count, isDigit(text[index], hex: hex) else { return nil }
        index &+= 1
        while index < text.count {
            let current = text[index]
            if current == UInt8(ascii: "_") {
                guard index &+ 1 < text.count, isDigit(text[index &+ 1], hex: hex) else { return nil }
                index &+= 2
            } else if isDigit(current, hex: hex) {
                index &+= 1
            } else {
                break
            }
        }
        return index
    }

    @inline(__always)
    static func isDigit(_ byte: UInt8, hex: Bool) -> Bool {
        if hex { return textHexDigitValue(byte) != nil }
        return byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    /// The value of the (already scanned) digits in `start..<end`, ignoring underscores.
    static func digitsValue(_ text: TextSlice, _ start: Int, _ end: Int, hex: Bool) -> (value: UInt64, overflow: Bool) {
        var value: UInt64 = 0
        var overflow = false
        let base: UInt64 = hex ? 16 : 10
        var index = start
        while index < end {
            let current = text[index]
            index &+= 1
            if current == UInt8(ascii: "_") { continue }
            let digit = UInt64(textHexDigitValue(current) ?? 0)
            let (scaled, scaleOverflow) = value.multipliedReportingOverflow(by: base)
            let (sum, addOverflow) = scaled.addingReportingOverflow(digit)
            if scaleOverflow || addOverflow { overflow = true }
            value = sum
        }
        return (value, overflow)
    }

    /// `num | 0x hexnum` without sign, the whole token.
    static func parseUnsigned(_ text: TextSlice) -> (value: UInt64, status: TextNumberStatus) {
        var start = 0
        var hex = false
        if text.count > 2 && text[0] == UInt8(ascii: "0") && text[1] == UInt8(ascii: "x") {
            start = 2
            hex = true
        }
        guard let end = scanDigits(text, from: start, hex: hex), end == text.count else { return (0, .malformed) }
        let (value, overflow) = digitsValue(text, start, end, hex: hex)
        return (value, overflow ? .outOfRange : .ok)
    }

    /// A natural number that must fit in 32 bits (indices, limits, lane indices, alignments).
    static func parseU32(_ text: TextSlice) -> (value: UInt32, status: TextNumberStatus) {
        let (value, status) = parseUnsigned(text)
        guard status == .ok else { return (0, status) }
        guard value <= UInt64(UInt32.max) else { return (0, .outOfRange) }
        return (UInt32(truncatingIfNeeded: value), .ok)
    }

    /// An `iN` literal (N = 8, 16, 32 or 64): unsigned `0 ..< 2^N`, or signed with a sign
    /// `-2^(N-1) ... 2^(N-1)-1`. The result is the two's-complement bit pattern.
    static func parseInteger(_ text: TextSlice, bits: Int) -> (value: UInt64, status: TextNumberStatus) {
        guard text.count > 0 else { return (0, .malformed) }
        var negative = false
        var signed = false
        var body = text
        if text[0] == UInt8(ascii: "+") || text[0] == UInt8(ascii: "-") {
            negative = text[0] == UInt8(ascii: "-")
            signed = true
            body = text.dropFirst(1)
        }
        let (magnitude, status) = parseUnsigned(body)
        guard status == .ok else { return (0, status) }
        let unsignedMaximum: UInt64 = bits >= 64 ? UInt64.max : (1 << UInt64(bits)) &- 1
        let signedLimit: UInt64 = 1 << UInt64(bits &- 1)
        if !signed {
            guard magnitude <= unsignedMaximum else { return (0, .outOfRange) }
            return (magnitude, .ok)
        }
        if negative {
            guard magnitude <= signedLimit else { return (0, .outOfRange) }
            return ((0 &- magnitude) & unsignedMaximum, .ok)
        }
        guard magnitude < signedLimit else { return (0, .outOfRange) }
        return (magnitude, .ok)
    }

    // MARK: floats

    struct FloatFormat {
        var fractionBits: Int
        var exponentBits: Int
        var bias: Int { (1 << (exponentBits &- 1)) &- 1 }
        var maxBiased: Int { (1 << exponentBits) &- 1 }
        /// Exponent of the smallest subnormal's unit.
        var minimumQuantum: Int { 1 &- bias &- fractionBits }
        static var f32: FloatFormat { FloatFormat(fractionBits: 23, exponentBits: 8) }
        static var f64: FloatFormat { FloatFormat(fractionBits: 52, exponentBits: 11) }
    }

    static func parseF32(_ text: TextSlice) throws(SwasmError) -> (bits: UInt32, status: TextNumberStatus) {
        let (bits, status) = try parseFloat(text, format: .f32)
        return (UInt32(truncatingIfNeeded: bits), status)
    }

    static func parseF64(_ text: TextSlice) throws(SwasmError) -> (bits: UInt64, status: TextNumberStatus) {
        try parseFloat(text, format: .f64)
    }

    /// A float literal as the bit pattern of `format`. Throws only when memory runs out.
    static func parseFloat(_ text: TextSlice, format: FloatFormat) throws(SwasmError) -> (UInt64, TextNumberStatus) {
        guard text.count > 0 else { return (0, .malformed) }
        var negative = false
        var body = text
        if text[0] == UInt8(ascii: "+") || text[0] == UInt8(ascii: "-") {
            negative = text[0] == UInt8(ascii: "-")
            body = text.dropFirst(1)
        }
        let sign: UInt64 = negative ? 1 << UInt64(format.fractionBits &+ format.exponentBits) : 0
        let exponentMask = UInt64(format.maxBiased) << UInt64(format.fractionBits)
        if body.equals("inf") { return (sign | exponentMask, .ok) }
        if body.equals("nan") { return (sign | exponentMask | (1 << UInt64(format.fractionBits &- 1)), .ok) }
        if body.hasPrefix("nan:0x") {
            let digits = body.dropFirst(6)
            guard let end = scanDigits(digits, from: 0, hex: true), end == digits.count else { return (0, .malformed) }
            let (payload, overflow) = digitsValue(digits, 0, end, hex: true)
            guard !overflow, payload >= 1, payload < (1 << UInt64(format.fractionBits)) else { return (0, .outOfRange) }
            return (sign | exponentMask | payload, .ok)
        }
        let result: (UInt64, TextNumberStatus)
        if body.count > 2 && body[0] == UInt8(ascii: "0") && body[1] == UInt8(ascii: "x") {
            result = parseHexFloat(body.dropFirst(2), format: format)
        } else {
            result = try parseDecimalFloat(body, format: format)
        }
        guard result.1 == .ok else { return result }
        return (sign | result.0, .ok)
    }

    /// Exponent digits (`sign? num`) from `start` to the end of `text`, saturated far beyond any
    /// float's range.
    static func parseExponent(_ text: TextSlice, from start: Int) -> Int? {
        var index = start
        var negative = false
        if index < text.count && (text[index] == UInt8(ascii: "+") || text[index] == UInt8(ascii: "-")) {
            negative = text[index] == UInt8(ascii: "-")
            index &+= 1
        }
        guard let end = scanDigits(text, from: index, hex: false), end == text.count else { return nil }
        var value = 0
        while index < end {
            let current = text[index]
            index &+= 1
            if current == UInt8(ascii: "_") { continue }
            if value < 100_000_000 { value = value &* 10 &+ Int(current &- UInt8(ascii: "0")) }
        }
        return negative ? -value : value
    }

    /// `hexnum ('.' hexfrac?)? ([pP] sign? num)?` after `0x`.
    static func parseHexFloat(_ text: TextSlice, format: FloatFormat) -> (UInt64, TextNumberStatus) {
        guard let integerEnd = scanDigits(text, from: 0, hex: true) else { return (0, .malformed) }
        var index = integerEnd
        var fractionStart = index
        var fractionEnd = index
        if index < text.count && text[index] == UInt8(ascii: ".") {
            index &+= 1
            fractionStart = index
            if index < text.count && isDigit(text[index], hex: true) {
                guard let end = scanDigits(text, from: index, hex: true) else { return (0, .malformed) }
                index = end
            }
            fractionEnd = index
        }
        var exponent = 0
        if index < text.count {
            guard text[index] == UInt8(ascii: "p") || text[index] == UInt8(ascii: "P"),
                  let value = parseExponent(text, from: index &+ 1) else { return (0, .malformed) }
            exponent = value
        }
        // Accumulate the significand's leading 60+ bits; later nonzero digits only set `sticky`.
        var mantissa: UInt64 = 0
        var binaryExponent = exponent
        var sticky = false
        func take(_ digit: UInt64, fractional: Bool) {
            if mantissa < (1 << 60) {
                mantissa = mantissa << 4 | digit
                if fractional { binaryExponent &-= 4 }
            } else {
                if digit != 0 { sticky = true }
                if !fractional { binaryExponent &+= 4 }
            }
        }
        var position = 0
        while position < integerEnd {
            let current = text[position]
            position &+= 1
            if current == UInt8(ascii: "_") { continue }
            take(UInt64(textHexDigitValue(current) ?? 0), fractional: false)
        }
        position = fractionStart
        while position < fractionEnd {
            let current = text[position]
            position &+= 1
            if current == UInt8(ascii: "_") { continue }
            take(UInt64(textHexDigitValue(current) ?? 0), fractional: true)
        }
        if mantissa == 0 { return (0, .ok) }
        guard let bits = roundToFormat(mantissa: mantissa, exponent: binaryExponent, sticky: sticky, format: format) else {
            return (0, .outOfRange)
        }
        return (bits, .ok)
    }

    /// Rounds `mantissa × 2^exponent` (plus something nonzero below it when `sticky`) to the nearest
    /// value of `format`, ties to even. Nil when the result would be infinite.
    static func roundToFormat(mantissa: UInt64, exponent: Int, sticky: Bool, format: FloatFormat) -> UInt64? {
        guard mantissa != 0 else { return 0 }
        let leadingZeros = mantissa.leadingZeroBitCount
        let normalized = mantissa << UInt64(leadingZeros)
        let low = exponent &- leadingZeros // value = normalized × 2^low, normalized in [2^63, 2^64)
        // Beyond any format: avoid arithmetic on absurd exponents.
        if low > 4096 { return nil }
        if low < -8192 { return 0 }
        let unbiased = low &+ 63
        var quantum = unbiased &- format.fractionBits
        if quantum < format.minimumQuantum { quantum = format.minimumQuantum }
        let shift = quantum &- low
        var kept: UInt64
        var half: Bool
        var rest: Bool
        if shift > 64 {
            return 0
        } else if shift == 64 {
            kept = 0
            half = normalized >> 63 == 1
            rest = (normalized << 1) != 0 || sticky
        } else {
            kept = normalized >> UInt64(shift)
            half = (normalized >> UInt64(shift &- 1)) & 1 == 1
            let restMask: UInt64 = shift >= 2 ? (1 << UInt64(shift &- 1)) &- 1 : 0
            rest = (normalized & restMask) != 0 || sticky
        }
        if half && (rest || kept & 1 == 1) { kept &+= 1 }
        if kept == 1 << UInt64(format.fractionBits &+ 1) {
            kept >>= 1
            quantum &+= 1
        }
        if kept == 0 { return 0 }
        if kept < 1 << UInt64(format.fractionBits) { return kept } // subnormal
        let biased = quantum &+ format.fractionBits &+ format.bias
        if biased >= format.maxBiased { return nil }
        return UInt64(biased) << UInt64(format.fractionBits) | (kept & ((1 << UInt64(format.fractionBits)) &- 1))
    }

    /// Significant digits kept of a decimal literal: enough to round correctly (a halfway point
    /// between two doubles has at most 767 significant digits); later digits only add a sticky 1.
    static var maximumDecimalDigits: Int { 800 }

    /// The parts of `num ('.' frac?)? ([eE] sign? num)?`, or nil when `text` is not of that form.
    static func scanDecimalFloat(_ text: TextSlice) -> (integerEnd: Int, fractionStart: Int, fractionEnd: Int, exponent: Int)? {
        guard let integerEnd = scanDigits(text, from: 0, hex: false) else { return nil }
        var index = integerEnd
        var fractionStart = index
        var fractionEnd = index
        if index < text.count && text[index] == UInt8(ascii: ".") {
            index &+= 1
            fractionStart = index
            if index < text.count && isDigit(text[index], hex: false) {
                guard let end = scanDigits(text, from: index, hex: false) else { return nil }
                index = end
            }
            fractionEnd = index
        }
        var exponent = 0
        if index < text.count {
            guard text[index] == UInt8(ascii: "e") || text[index] == UInt8(ascii: "E"),
                  let value = parseExponent(text, from: index &+ 1) else { return nil }
            exponent = value
        }
        return (integerEnd, fractionStart, fractionEnd, exponent)
    }

    /// Whether `text` is a float literal of any form (without converting it, so without allocating).
    static func isFloatLiteral(_ text: TextSlice) -> Bool {
        var body = text
        if text.count > 0 && (text[0] == UInt8(ascii: "+") || text[0] == UInt8(ascii: "-")) { body = text.dropFirst(1) }
        if body.equals("inf") || body.equals("nan") { return true }
        if body.hasPrefix("nan:0x") {
            let digits = body.dropFirst(6)
            return scanDigits(digits, from: 0, hex: true) == digits.count
        }
        if body.count > 2 && body[0] == UInt8(ascii: "0") && body[1] == UInt8(ascii: "x") {
            return parseHexFloat(body.dropFirst(2), format: .f64).1 != .malformed
        }
        return scanDecimalFloat(body) != nil
    }

    /// `num ('.' frac?)? ([eE] sign? num)?`.
    static func parseDecimalFloat(_ text: TextSlice, format: FloatFormat) throws(SwasmError) -> (UInt64, TextNumberStatus) {
        guard let (integerEnd, fractionStart, fractionEnd, exponent) = scanDecimalFloat(text) else { return (0, .malformed) }
        // Collect the significant digits: value = digits × 10^decimalExponent.
        var digits = FallibleVector<UInt8>()
        var decimalExponent = exponent
        var sticky = false
        func collect(_ start: Int, _ end: Int, fractional: Bool) throws(SwasmError) {
            var position = start
            while position < end {
                let current = text[position]
                position &+= 1
                if current == UInt8(ascii: "_") { continue }
                let digit = current &- UInt8(ascii: "0")
                if digits.isEmpty && digit == 0 {
                    if fractional { decimalExponent &-= 1 }
                    continue
                }
                if digits.count < maximumDecimalDigits {
                    try digits.append(digit)
                    if fractional { decimalExponent &-= 1 }
                } else {
                    if digit != 0 { sticky = true }
                    if !fractional { decimalExponent &+= 1 }
                }
            }
        }
        try collect(0, integerEnd, fractional: false)
        try collect(fractionStart, fractionEnd, fractional: true)
        if digits.isEmpty { return (0, .ok) }
        if sticky {
            try digits.append(1)
            decimalExponent &-= 1
        }
        // Magnitude: value < 10^(digits + decimalExponent).
        let magnitude = digits.count &+ decimalExponent
        if magnitude > 330 { return (0, .outOfRange) }
        if magnitude < -360 { return (0, .ok) }

        // Exact fast paths: one correctly rounded operation on exactly representable operands.
        if digits.count <= 15 {
            var small: UInt64 = 0
            for position in 0..<digits.count { small = small &* 10 &+ UInt64(digits[position]) }
            if format.fractionBits == 52 && decimalExponent >= -22 && decimalExponent <= 22 {
                var value = Double(small)
                let power = powerOfTenDouble(decimalExponent < 0 ? -decimalExponent : decimalExponent)
                value = decimalExponent < 0 ? value / power : value * power
                if value.isInfinite { return (0, .outOfRange) }
                return (value.bitPattern, .ok)
            }
            if format.fractionBits == 23 && small < (1 << 24) && decimalExponent >= -10 && decimalExponent <= 10 {
                var value = Float(small)
                let power = Float(powerOfTenDouble(decimalExponent < 0 ? -decimalExponent : decimalExponent))
                value = decimalExponent < 0 ? value / power : value * power
                if value.isInfinite { return (0, .outOfRange) }
                return (UInt64(value.bitPattern), .ok)
            }
        }

        // Exact big-integer path.
        var numerator = TextBigInteger()
        try numerator.setDecimal(digits)
        var mantissa: UInt64
        var binaryExponent: Int
        var remainderNonzero: Bool
        if decimalExponent >= 0 {
            try numerator.multiplyByPowerOfTen(decimalExponent)
            (mantissa, binaryExponent, remainderNonzero) = numerator.leading64()
        } else {
            var denominator = TextBigInteger()
            try denominator.setSmall(1)
            try denominator.multiplyByPowerOfTen(-decimalExponent)
            // Scale so that the quotient lies in [2^62, 2^64).
            let shift = 63 &+ denominator.bitLength &- numerator.bitLength
            if shift >= 0 {
                try numerator.shiftLeft(shift)
            } else {
                try denominator.shiftLeft(-shift)
            }
            var quotient: UInt64 = 0
            try denominator.shiftLeft(63)
            var bit = 63
            while bit >= 0 {
                if numerator.compare(denominator) >= 0 {
                    numerator.subtract(denominator)
                    quotient |= 1 << UInt64(bit)
                }
                denominator.shiftRightOne()
                bit &-= 1
            }
            mantissa = quotient
            binaryExponent = -shift
            remainderNonzero = !numerator.isZero
        }
        guard let bits = roundToFormat(mantissa: mantissa, exponent: binaryExponent, sticky: remainderNonzero, format: format) else {
            return (0, .outOfRange)
        }
        return (bits, .ok)
    }

    static func powerOfTenDouble(_ exponent: Int) -> Double {
        var value = 1.0
        var remaining = exponent
        while remaining > 0 {
            value *= 10
            remaining &-= 1
        }
        return value
    }
}

/// A nonnegative big integer for exact decimal-to-binary conversion (little-endian 32-bit limbs).
struct TextBigInteger: ~Copyable {
    var limbs = FallibleVector<UInt32>()

    init() {}

    var isZero: Bool {
        for index in 0..<limbs.count where limbs[index] != 0 { return false }
        return true
    }

    mutating func trim() {
        while limbs.count > 0 && limbs[limbs.count &- 1] == 0 { _ = limbs.popLast() }
    }

    mutating func setSmall(_ value: UInt32) throws(SwasmError) {
        limbs.removeAll()
        if value != 0 { try limbs.append(value) }
    }

    mutating func setDecimal(_ digits: borrowing FallibleVector<UInt8>) throws(SwasmError) {
        limbs.removeAll()
        var index = 0
        while index < digits.count {
            var chunk: UInt32 = 0
            var scale: UInt32 = 1
            var taken = 0
            while taken < 9 && index < digits.count {
                chunk = chunk &* 10 &+ UInt32(digits[index])
                scale = scale &* 10
                taken &+= 1
                index &+= 1
            }
            try multiplyAdd(scale, chunk)
        }
    }

    /// self = self × factor + addend.
    mutating func multiplyAdd(_ factor: UInt32, _ addend: UInt32) throws(SwasmError) {
        var carry = UInt64(addend)
        for index in 0..<limbs.count {
            let product = UInt64(limbs[index]) &* UInt64(factor) &+ carry
            limbs[index] = UInt32(truncatingIfNeeded: product)
            carry = product >> 32
        }
        if carry != 0 { try limbs.append(UInt32(truncatingIfNeeded: carry)) }
    }

    mutating func multiplyByPowerOfTen(_ exponent: Int) throws(SwasmError) {
        var remaining = exponent
        while remaining >= 9 {
            try multiplyAdd(1_000_000_000, 0)
            remaining &-= 9
        }
        var factor: UInt32 = 1
        while remaining > 0 {
            factor &*= 10
            remaining &-= 1
        }
        if factor != 1 { try multiplyAdd(factor, 0) }
    }

    var bitLength: Int {
        var top = limbs.count
        while top > 0 && limbs[top &- 1] == 0 { top &-= 1 }
        guard top > 0 else { return 0 }
        return (top &- 1) &* 32 &+ (32 &- limbs[top &- 1].leadingZeroBitCount)
    }

    mutating func shiftLeft(_ bits: Int) throws(SwasmError) {
        guard bits > 0, !limbs.isEmpty else { return }
        let whole = bits / 32
        let part = bits % 32
        let oldCount = limbs.count
        let newCount = oldCount &+ whole &+ 1
        for _ in oldCount..<newCount { try limbs.append(0) }
        var index = newCount &- 1
        while index >= 0 {
            let sourceIndex = index &- whole
            var value: UInt32 = 0
            if sourceIndex >= 0 && sourceIndex < oldCount {
                value = part == 0 ? limbs[sourceIndex] : limbs[sourceIndex] << UInt32(part)
            }
            if part != 0 && sourceIndex &- 1 >= 0 && sourceIndex &- 1 < oldCount {
                value |= limbs[sourceIndex &- 1] >> UInt32(32 &- part)
            }
            limbs[index] = value
            index &-= 1
        }
        trim()
    }

    mutating func shiftRightOne() {
        var carry: UInt32 = 0
        var index = limbs.count &- 1
        while index >= 0 {
            let value = limbs[index]
            limbs[index] = (value >> 1) | (carry << 31)
            carry = value & 1
            index &-= 1
        }
        trim()
    }

    func compare(_ other: borrowing TextBigInteger) -> Int {
        let leftLength = bitLength
        let rightLength = other.bitLength
        if leftLength != rightLength { return leftLength < rightLength ? -1 : 1 }
        var index = (leftLength &+ 31) / 32 &- 1
        while index >= 0 {
            let left = limbs[index]
            let right = other.limbs[index]
            if left != right { return left < right ? -1 : 1 }
            index &-= 1
        }
        return 0
    }

    /// self -= other (requires self >= other).
    mutating func subtract(_ other: borrowing TextBigInteger) {
        var borrow: UInt64 = 0
        for index in 0..<limbs.count {
            let right = index < other.limbs.count ? UInt64(other.limbs[index]) : 0
            let left = UInt64(limbs[index])
            let difference = left &- right &- borrow
            limbs[index] = UInt32(truncatingIfNeeded: difference)
            borrow = (left < right &+ borrow) ? 1 : 0
        }
        trim()
    }

    /// The top 64 bits, the exponent of their lowest bit, and whether any bit below is set.
    func leading64() -> (UInt64, Int, Bool) {
        let length = bitLength
        guard length > 0 else { return (0, 0, false) }
        var mantissa: UInt64 = 0
        var sticky = false
        let low = length &- 64
        for bit in 0..<length {
            let set = (limbs[bit / 32] >> UInt32(bit % 32)) & 1 == 1
            guard set else { continue }
            if bit >= low { mantissa |= 1 << UInt64(bit &- low) } else { sticky = true }
        }
        return (mantissa, low, sticky)
    }
}
