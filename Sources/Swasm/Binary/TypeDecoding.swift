/// Decoders of the binary format's types: value and reference types, limits, table, memory and
/// global types, block types. Proposals beyond WebAssembly 2.0 (shared or 64-bit memories, typed
/// references) are rejected as malformed, as a 2.0 decoder does; 2.0 features that the engine has
/// switched off are recorded as invalid.

/// The type of a `block`, `loop` or `if`: nothing, one result, or a function type.
public struct BlockType: Equatable, BitwiseCopyable, Sendable {
    public static let emptyKind: UInt8 = 0
    public static let valueKind: UInt8 = 1
    public static let indexKind: UInt8 = 2

    public var kind: UInt8
    /// The result type when `kind == valueKind`.
    public var value: ValueType
    /// The type index when `kind == indexKind`.
    public var index: UInt32

    @inline(__always)
    public init(kind: UInt8, value: ValueType, index: UInt32) {
        self.kind = kind
        self.value = value
        self.index = index
    }

    public static let empty = BlockType(kind: emptyKind, value: .bottom, index: 0)
}

extension ByteReader {
    /// A value type.
    public mutating func readValueType(features: Features) throws(SwasmError) -> ValueType {
        let at = position
        let byte = try readByte()
        return try valueType(byte, at: at, features: features)
    }

    /// The value type of a code byte already read at `at`.
    @inline(__always)
    mutating func valueType(_ byte: UInt8, at: Int, features: Features) throws(SwasmError) -> ValueType {
        switch byte {
        case 0x7f, 0x7e, 0x7d, 0x7c:
            return ValueType(code: byte)
        case 0x7b:
            if !features.contains(.simd) { recordInvalid("SIMD support is not enabled", at: at) }
            return .v128
        case 0x70, 0x6f:
            if !features.contains(.referenceTypes) { recordInvalid("reference types support is not enabled", at: at) }
            return ValueType(code: byte)
        default:
            throw malformed("malformed value type", at: at)
        }
    }

    /// A reference type (`funcref` or `externref`).
    public mutating func readReferenceType(features: Features) throws(SwasmError) -> ValueType {
        let at = position
        let byte = try readByte()
        switch byte {
        case 0x70:
            return .funcref
        case 0x6f:
            if !features.contains(.referenceTypes) { recordInvalid("reference types support is not enabled", at: at) }
            return .externref
        default:
            throw malformed("malformed reference type", at: at)
        }
    }

    /// Limits of a table or memory in the 2.0 format: a flag (0 or 1, decoded as a one-bit LEB128
    /// integer as the specification does), a minimum and an optional maximum.
    public mutating func readLimits() throws(SwasmError) -> Limits {
        let hasMaximum = try readU1() == 1
        let minimum = try readU32()
        let maximum = hasMaximum ? UInt64(try readU32()) : nil
        return Limits(minimum: UInt64(minimum), maximum: maximum)
    }

    public mutating func readTableType(features: Features) throws(SwasmError) -> TableType {
        let element = try readReferenceType(features: features)
        let limits = try readLimits()
        return TableType(element: element, limits: limits)
    }

    public mutating func readMemoryType() throws(SwasmError) -> MemoryType {
        MemoryType(limits: try readLimits())
    }

    public mutating func readGlobalType(features: Features) throws(SwasmError) -> GlobalType {
        let content = try readValueType(features: features)
        let at = position
        let mutability = try readByte()
        guard mutability <= 1 else { throw malformed("malformed mutability", at: at) }
        return GlobalType(content: content, isMutable: mutability == 1)
    }

    /// A block type. A type index out of range is recorded as invalid ("unknown type") and read as
    /// the empty type, so decoding can go on.
    @inline(__always)
    public mutating func readBlockType(typeCount: Int, features: Features) throws(SwasmError) -> BlockType {
        let at = position
        guard at < end else { throw unexpectedEnd() }
        let byte = base[at]
        if byte == 0x40 {
            position = at &+ 1
            return .empty
        }
        if byte & 0xc0 == 0x40 {
            position = at &+ 1
            return BlockType(kind: BlockType.valueKind, value: try valueType(byte, at: at, features: features), index: 0)
        }
        let index = try readS33()
        if !features.contains(.multiValue) {
            recordInvalid("multi-value support is not enabled (block type index)", at: at)
            return .empty
        }
        guard index >= 0, index < Int64(typeCount) else {
            recordInvalid("unknown type", at: at, .index(UInt64(bitPattern: index)))
            return .empty
        }
        return BlockType(kind: BlockType.indexKind, value: .bottom, index: UInt32(truncatingIfNeeded: index))
    }
}
