/// A bounds-checked cursor over a module's bytes, with the binary format's primitive decoders
/// (LEB128 integers with the specification's rules for overlong and oversized encodings, IEEE
/// floats by bits, UTF-8 names) and the failure record of the whole decode.
///
/// `end` is the current limit (the end of the section or function body being decoded); reading past
/// it fails with "unexpected end of section or function" ("unexpected end" outside sections). The
/// reader never reads before `base` or at or past `base + length`.
///
/// Failures: `malformed`, `invalid` and `limitExceeded` store what and where in `failure` and return
/// the error for the caller to throw. `recordInvalid` stores a validation failure *without*
/// throwing and switches validation off (`validating`): decoding goes on, because the specification
/// decodes the whole module before validating it, so a module that is both malformed and invalid must
/// be reported as malformed. `ModuleDecoder` throws the recorded invalid at the end.
/// The types a concrete heap type may name while decoding: indices below `count` exist, and
/// those below `canonicalCount` have a known canonical index (in `definitions`), which decoding
/// stores in place of the index (`TypeDefinition.canonical`).
public struct TypeScope: BitwiseCopyable {
    public var count = 0
    public var canonicalCount = 0
    public var definitions: UnsafePointer<TypeDefinition>? = nil
    public init() {}
}

public struct ByteReader {
    public let base: UnsafePointer<UInt8>
    /// Total number of bytes.
    public let length: Int
    public var position: Int
    /// Current limit of reads (`<= length`).
    public var end: Int
    /// End of the section being decoded (`length` outside sections).
    public var sectionEnd: Int
    public var failure = DecodeFailure()
    /// False once a validation failure was recorded: the rest of the module is only decoded.
    public var validating = true
    /// The section being decoded, for messages.
    public var section: UInt8? = nil
    /// The function whose body is being decoded, for messages.
    public var function: Int? = nil
    /// Whether a function body used `memory.init` or `data.drop` without a data count section
    /// (malformed if the module has a data section; see `ModuleDecoderState.decodeModule`).
    public var usesDataWithoutCount = false
    /// The type indices value types may name (see `TypeScope`).
    public var types = TypeScope()

    public init(base: UnsafePointer<UInt8>, length: Int) {
        self.base = base
        self.length = length
        self.position = 0
        self.end = length
        self.sectionEnd = length
    }

    @inline(__always) public var remaining: Int { end &- position }
    @inline(__always) public var isAtEnd: Bool { position >= end }

    // MARK: Failures

    /// Records a decoding failure (what the specification calls malformed) and returns the error.
    public mutating func malformed(_ message: StaticString, at offset: Int, _ detail: DecodeFailure.Detail = .none) -> SwasmError {
        record(message, at: offset, detail)
        return .malformed
    }

    /// Records a validation failure and returns the error, for code that cannot go on decoding.
    public mutating func invalid(_ message: StaticString, at offset: Int, _ detail: DecodeFailure.Detail = .none) -> SwasmError {
        record(message, at: offset, detail)
        validating = false
        return .invalid
    }

    /// Records the first validation failure; decoding goes on with validation switched off.
    public mutating func recordInvalid(_ message: StaticString, at offset: Int, _ detail: DecodeFailure.Detail = .none) {
        guard validating else { return }
        record(message, at: offset, detail)
        validating = false
    }

    /// Records an implementation limit that was exceeded and returns the error.
    public mutating func limitExceeded(_ message: StaticString, at offset: Int, count: UInt64, limit: Int) -> SwasmError {
        record(message, at: offset, .count(count, limit: UInt64(limit)))
        return .limitExceeded
    }

    private mutating func record(_ message: StaticString, at offset: Int, _ detail: DecodeFailure.Detail) {
        failure.message = message
        failure.detail = detail
        failure.offset = offset
        failure.section = section
        failure.function = function
    }

    /// The failure for reading past `end`.
    public mutating func unexpectedEnd() -> SwasmError {
        if section == nil {
            return malformed("unexpected end", at: end)
        }
        return malformed("unexpected end of section or function", at: end)
    }

    // MARK: Bytes

    @inline(__always)
    public mutating func readByte() throws(SwasmError) -> UInt8 {
        let at = position
        guard at < end else { throw unexpectedEnd() }
        position = at &+ 1
        return base[at]
    }

    @inline(__always)
    public func peekByte() -> UInt8? {
        position < end ? base[position] : nil
    }

    /// Skips `count` bytes, returning where they start.
    @inline(__always)
    public mutating func skip(_ count: Int) throws(SwasmError) -> Int {
        let start = position
        guard count >= 0, count <= end &- start else { throw unexpectedEnd() }
        position = start &+ count
        return start
    }

    public mutating func readFixedUInt32() throws(SwasmError) -> UInt32 {
        let start = try skip(4)
        return UnsafeRawPointer(base + start).loadUnaligned(as: UInt32.self).littleEndian
    }

    public mutating func readFixedUInt64() throws(SwasmError) -> UInt64 {
        let start = try skip(8)
        return UnsafeRawPointer(base + start).loadUnaligned(as: UInt64.self).littleEndian
    }

    /// An `f32` immediate, as its bit pattern.
    @inline(__always) public mutating func readF32Bits() throws(SwasmError) -> UInt32 { try readFixedUInt32() }
    /// An `f64` immediate, as its bit pattern.
    @inline(__always) public mutating func readF64Bits() throws(SwasmError) -> UInt64 { try readFixedUInt64() }

    /// A byte that must be zero (the reserved memory index of `memory.size` and friends).
    public mutating func readZeroByte() throws(SwasmError) {
        let at = position
        if try readByte() != 0 { throw malformed("zero byte expected", at: at) }
    }

    // MARK: LEB128

    /// An unsigned LEB128 integer of at most 32 bits.
    @inline(__always)
    public mutating func readU32() throws(SwasmError) -> UInt32 {
        let at = position
        if at < end {
            let first = base[at]
            if first < 0x80 {
                position = at &+ 1
                return UInt32(first)
            }
        }
        return try readU32Slow()
    }

    /// `readU32` past its one-byte fast path.
    @inline(never)
    mutating func readU32Slow() throws(SwasmError) -> UInt32 {
        var result: UInt32 = 0
        var shift: UInt32 = 0
        var at = position
        while true {
            guard at < end else {
                position = at
                throw unexpectedEnd()
            }
            let byte = base[at]
            at &+= 1
            if shift == 28 {
                position = at
                if byte & 0x70 != 0 { throw malformed("integer too large", at: at &- 1) }
                if byte & 0x80 != 0 { throw malformed("integer representation too long", at: at) }
            }
            result |= UInt32(byte & 0x7f) << shift
            if byte & 0x80 == 0 {
                position = at
                return result
            }
            shift &+= 7
        }
    }

    /// An unsigned LEB128 integer of at most 64 bits.
    public mutating func readU64() throws(SwasmError) -> UInt64 {
        try readUnsignedSlow(bits: 64)
    }

    /// A one-bit unsigned LEB128 integer (limits flags in the 2.0 format).
    public mutating func readU1() throws(SwasmError) -> UInt8 {
        UInt8(truncatingIfNeeded: try readUnsignedSlow(bits: 1))
    }

    /// A signed LEB128 integer of at most 32 bits.
    @inline(__always)
    public mutating func readS32() throws(SwasmError) -> Int32 {
        let at = position
        if at &+ 1 < end {
            let first = base[at]
            if first < 0x80 {
                position = at &+ 1
                return Int32(Int8(bitPattern: first << 1) >> 1)
            }
            let second = base[at &+ 1]
            if second < 0x80 {
                position = at &+ 2
                // 14 bits, sign-extended from bit 13.
                let bits = Int32(first & 0x7f) | Int32(second) << 7
                return (bits << 18) >> 18
            }
        } else if at < end && base[at] < 0x80 {
            position = at &+ 1
            return Int32(Int8(bitPattern: base[at] << 1) >> 1)
        }
        return try readS32Slow()
    }

    /// `readS32` past its fast paths.
    @inline(never)
    mutating func readS32Slow() throws(SwasmError) -> Int32 {
        var result: UInt32 = 0
        var shift: UInt32 = 0
        var at = position
        while true {
            guard at < end else {
                position = at
                throw unexpectedEnd()
            }
            let byte = base[at]
            at &+= 1
            if shift == 28 {
                position = at
                // Bits 31 and up (bits 3-6 of the last byte) must all equal the sign.
                let high = byte & 0x78
                if high != 0 && high != 0x78 { throw malformed("integer too large", at: at &- 1) }
                if byte & 0x80 != 0 { throw malformed("integer representation too long", at: at) }
            }
            result |= UInt32(byte & 0x7f) << shift
            shift &+= 7
            if byte & 0x80 == 0 {
                position = at
                if shift < 32 && byte & 0x40 != 0 { result |= ~0 << shift }
                return Int32(bitPattern: result)
            }
        }
    }

    /// A signed LEB128 integer of at most 33 bits (block types).
    public mutating func readS33() throws(SwasmError) -> Int64 {
        try readSignedSlow(bits: 33)
    }

    /// A signed LEB128 integer of at most 64 bits.
    @inline(__always)
    public mutating func readS64() throws(SwasmError) -> Int64 {
        let at = position
        if at < end {
            let first = base[at]
            if first < 0x80 {
                position = at &+ 1
                return Int64(Int8(bitPattern: first << 1) >> 1)
            }
        }
        return try readSignedSlow(bits: 64)
    }

    /// The specification's `vuN`: at most ceil(N/7) bytes; in the last one, bits beyond N must be
    /// zero ("integer too large") and the continuation bit clear ("integer representation too long").
    public mutating func readUnsignedSlow(bits: Int) throws(SwasmError) -> UInt64 {
        var result: UInt64 = 0
        var shift = 0
        var left = bits
        while true {
            if left <= 0 { throw malformed("integer representation too long", at: position) }
            let at = position
            let byte = try readByte()
            if left < 7 && Int(byte & 0x7f) >= (1 << left) {
                throw malformed("integer too large", at: at)
            }
            result |= UInt64(byte & 0x7f) << UInt64(shift)
            if byte & 0x80 == 0 { return result }
            shift &+= 7
            left &-= 7
        }
    }

    /// The specification's `vsN`: like `vuN`, and in the last byte the bits beyond N must all equal
    /// the sign bit.
    public mutating func readSignedSlow(bits: Int) throws(SwasmError) -> Int64 {
        var result: UInt64 = 0
        var shift = 0
        var left = bits
        while true {
            if left <= 0 { throw malformed("integer representation too long", at: position) }
            let at = position
            let byte = try readByte()
            if left < 7 {
                let mask = UInt8(truncatingIfNeeded: (-1 << (left &- 1)) & 0x7f)
                let high = byte & mask
                if high != 0 && high != mask { throw malformed("integer too large", at: at) }
            }
            result |= UInt64(byte & 0x7f) << UInt64(shift)
            shift &+= 7
            left &-= 7
            if byte & 0x80 == 0 {
                if shift < 64 && byte & 0x40 != 0 {
                    result |= ~0 << UInt64(shift)
                }
                return Int64(bitPattern: result)
            }
        }
    }

    // MARK: Counts and names

    /// A vector length, checked against the bytes left (each element takes at least one) before
    /// anything is allocated for it.
    public mutating func readCount() throws(SwasmError) -> Int {
        let at = position
        let count = Int(try readU32())
        if count > remaining {
            throw malformed("unexpected end of section or function", at: at)
        }
        return count
    }

    /// How many elements to reserve for a vector of `count` elements that take at least
    /// `minimumSize` bytes each: no more than the bytes left could hold.
    public func reservation(_ count: Int, minimumSize: Int) -> Int {
        let fit = remaining > 0 ? remaining / minimumSize : 0
        return count < fit ? count : fit
    }

    /// A length-prefixed byte string (data segment contents): the range of its bytes.
    public mutating func readByteString() throws(SwasmError) -> ByteRange {
        let count = Int(try readU32())
        let start = try skip(count)
        return ByteRange(start: start, count: count)
    }

    /// A name: a length-prefixed, valid UTF-8 byte string.
    public mutating func readName() throws(SwasmError) -> ByteRange {
        let at = position
        let count = Int(try readU32())
        guard count <= remaining else { throw malformed("length out of bounds", at: at) }
        let start = position
        position = start &+ count
        guard UTF8Validation.isValid(base + start, count: count) else {
            throw malformed("malformed UTF-8 encoding", at: at)
        }
        return ByteRange(start: start, count: count)
    }
}

/// UTF-8 as the specification defines it for names: shortest encodings only, no surrogates,
/// nothing beyond U+10FFFF.
public enum UTF8Validation {
    public static func isValid(_ bytes: UnsafePointer<UInt8>, count: Int) -> Bool {
        var index = 0
        while index < count {
            let first = bytes[index]
            if first < 0x80 {
                index &+= 1
                continue
            }
            var length = 0
            var minimum: UInt32 = 0
            var scalar: UInt32 = 0
            if first & 0xe0 == 0xc0 {
                length = 2; minimum = 0x80; scalar = UInt32(first & 0x1f)
            } else if first & 0xf0 == 0xe0 {
                length = 3; minimum = 0x800; scalar = UInt32(first & 0x0f)
            } else if first & 0xf8 == 0xf0 {
                length = 4; minimum = 0x10000; scalar = UInt32(first & 0x07)
            } else {
                return false
            }
            guard length <= count &- index else { return false }
            for offset in 1..<length {
                let next = bytes[index &+ offset]
                guard next & 0xc0 == 0x80 else { return false }
                scalar = (scalar << 6) | UInt32(next & 0x3f)
            }
            if scalar < minimum || scalar > 0x10ffff || (scalar >= 0xd800 && scalar <= 0xdfff) { return false }
            index &+= length
        }
        return true
    }
}
