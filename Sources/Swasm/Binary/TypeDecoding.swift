/// Decoders of the binary format's types: value and reference types, limits, table, memory and
/// global types, block types. Features that the engine has switched off are recorded as invalid;
/// encodings no proposal defines are malformed.

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

    /// The value type whose first byte was already read at `at`.
    @inline(__always)
    mutating func valueType(_ byte: UInt8, at: Int, features: Features) throws(SwasmError) -> ValueType {
        switch byte {
        case 0x7f, 0x7e, 0x7d, 0x7c:
            return ValueType(code: byte)
        case 0x7b:
            if !features.contains(.simd) { recordInvalid("SIMD support is not enabled", at: at) }
            return .v128
        default:
            guard let type = try referenceType(byte, at: at, features: features, valuePosition: true) else {
                throw malformed("malformed value type", at: at)
            }
            return type
        }
    }

    /// The reference type whose first byte was already read at `at` (a shorthand, or 0x63
    /// `(ref null ht)` / 0x64 `(ref ht)` and the heap type); nil when the byte starts none.
    /// funcref needs reference types only where any value type may stand (`valuePosition`):
    /// tables and element segments of functions are WebAssembly 1.0.
    mutating func referenceType(_ byte: UInt8, at: Int, features: Features, valuePosition: Bool) throws(SwasmError) -> ValueType? {
        if byte == 0x63 || byte == 0x64 {
            if !features.contains(.functionReferences) {
                recordInvalid("function references support is not enabled (typed reference types)", at: at)
            }
            return ValueType(heap: try readHeapType(features: features), nullable: byte == 0x63)
        }
        guard HeapType.isAbstractCode(byte) else { return nil }
        let heap = HeapType(abstract: byte)
        if valuePosition || heap != .function { checkFeature(of: heap, at: at, features: features) }
        return ValueType(heap: heap, nullable: true)
    }

    /// A reference type (tables, element segments).
    public mutating func readReferenceType(features: Features) throws(SwasmError) -> ValueType {
        let at = position
        let byte = try readByte()
        guard let type = try referenceType(byte, at: at, features: features, valuePosition: false) else {
            throw malformed("malformed reference type", at: at)
        }
        return type
    }

    /// A heap type: an abstract heap type's one-byte code, or a type index as a non-negative s33.
    /// An index names a type of `types`: its canonical index is what the result holds.
    public mutating func readHeapType(features: Features) throws(SwasmError) -> HeapType {
        let at = position
        guard at < end else { throw unexpectedEnd() }
        let byte = base[at]
        if HeapType.isAbstractCode(byte) {
            position = at &+ 1
            let heap = HeapType(abstract: byte)
            checkFeature(of: heap, at: at, features: features)
            return heap
        }
        let value = try readS33()
        guard value >= 0 else { throw malformed("malformed heap type", at: at) }
        if !features.contains(.functionReferences) {
            recordInvalid("function references support is not enabled (a type index as heap type)", at: at)
        }
        guard value < Int64(types.count) else {
            recordInvalid("unknown type", at: at, .index(UInt64(value)))
            return .function
        }
        let index = UInt32(truncatingIfNeeded: value)
        // A type of the recursion group being decoded gets its canonical index and kind once the
        // group is complete (`TypeCanonicalizer`).
        guard Int(index) < types.canonicalCount, let definitions = types.definitions else { return .concrete(index) }
        let definition = definitions[Int(index)]
        return .concrete(definition.canonical, kind: definition.kind)
    }

    /// Records an abstract heap type whose proposal is switched off.
    private mutating func checkFeature(of heap: HeapType, at: Int, features: Features) {
        switch heap.code {
        case 0x70, 0x6f:
            if !features.contains(.referenceTypes) { recordInvalid("reference types support is not enabled", at: at) }
        case 0x69:
            if !features.contains(.exceptions) { recordInvalid("exceptions support is not enabled (exnref)", at: at) }
        case 0x74:
            if !features.contains(.exceptions) || !features.contains(.gc) {
                recordInvalid("exceptions and gc support are needed for noexn", at: at)
            }
        default:
            if !features.contains(.gc) { recordInvalid("gc support is not enabled (abstract heap types)", at: at) }
        }
    }

    /// A struct field's or array element's storage type: a value type or a packed one.
    mutating func readStorageType(features: Features) throws(SwasmError) -> ValueType {
        let at = position
        let byte = try readByte()
        if byte == 0x78 || byte == 0x77 { return ValueType(code: byte) }
        return try valueType(byte, at: at, features: features)
    }

    /// The sizes of limits whose flags are read: u64 for a 64-bit table or memory, else u32.
    mutating func readLimits(hasMaximum: Bool, is64: Bool) throws(SwasmError) -> Limits {
        let minimum = is64 ? try readU64() : UInt64(try readU32())
        let maximum = hasMaximum ? (is64 ? try readU64() : UInt64(try readU32())) : nil
        return Limits(minimum: minimum, maximum: maximum)
    }

    /// The flags byte of a table's or memory's limits: bit 0 a maximum follows, bit 1 shared,
    /// bit 2 64-bit addresses, bit 3 a page size follows; bits outside `allowed` are malformed.
    mutating func readLimitsFlags(allowed: UInt8) throws(SwasmError) -> UInt8 {
        let at = position
        let flags = try readByte()
        guard flags & ~allowed == 0 else { throw malformed("malformed limits flags", at: at) }
        return flags
    }

    public mutating func readTableType(features: Features) throws(SwasmError) -> TableType {
        let element = try readReferenceType(features: features)
        let at = position
        let flags = try readLimitsFlags(allowed: 0x05)
        let is64 = flags & 4 != 0
        if is64 && !features.contains(.memory64) { recordInvalid("memory64 support is not enabled (64-bit table)", at: at) }
        // WebAssembly 3.0 (with memory64) reads every size as a u64; validation bounds 32-bit ones.
        let sizes64 = is64 || features.contains(.memory64)
        return TableType(element: element, limits: try readLimits(hasMaximum: flags & 1 != 0, is64: sizes64), is64: is64)
    }

    public mutating func readMemoryType(features: Features) throws(SwasmError) -> MemoryType {
        let at = position
        let flags = try readLimitsFlags(allowed: 0x0f)
        let is64 = flags & 4 != 0, isShared = flags & 2 != 0
        if flags & 8 != 0 && !features.contains(.customPageSizes) {
            recordInvalid("custom page sizes support is not enabled (a memory's page size)", at: at)
        }
        if is64 && !features.contains(.memory64) { recordInvalid("memory64 support is not enabled (64-bit memory)", at: at) }
        if isShared && !features.contains(.threads) { recordInvalid("threads must be enabled for shared memories", at: at) }
        let limits = try readLimits(hasMaximum: flags & 1 != 0, is64: is64 || features.contains(.memory64))
        var pageSizeLog2: UInt8 = 16
        if flags & 8 != 0 {
            let sizeAt = position
            let log2 = try readU32()
            guard log2 <= 64 else { throw malformed("malformed custom page size", at: sizeAt) }
            pageSizeLog2 = UInt8(log2)
        }
        return MemoryType(limits: limits, is64: is64, isShared: isShared, pageSizeLog2: pageSizeLog2)
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
