/// A WebAssembly value type in 32 bits, trivially copyable and compared as a whole:
///
/// - bits 0-7: the binary format's code of a number or vector type (`i32` 0x7f ... `v128` 0x7b),
///   or of a reference type's heap type (`HeapType`: an abstract heap type's code, or for a
///   type index 1 + its `CompositeKind`);
/// - bit 8: set for a reference type that excludes null (`(ref ht)`); clear for `(ref null ht)`,
///   so the shorthands of WebAssembly 2.0 (`funcref`, `externref`) keep their one-byte codes;
/// - bits 9-31: a concrete heap type's index and index space (`HeapType`).
///
/// Two value types are the same type exactly when their bits are equal (concrete indices in the
/// same space naming canonical types; see `TypeCanonicalization`).
public struct ValueType: Equatable, BitwiseCopyable, Sendable {
    public var bits: UInt32

    @inline(__always) public init(bits: UInt32) { self.bits = bits }
    @inline(__always) public init(code: UInt8) { self.bits = UInt32(code) }

    /// A reference type.
    @inline(__always)
    public init(heap: HeapType, nullable: Bool) {
        bits = heap.bits | (nullable ? 0 : ValueType.nonNullBit)
    }

    static let nonNullBit: UInt32 = 0x100

    /// The low byte: a number or vector type's code, or a reference type's heap type code.
    @inline(__always) public var code: UInt8 { UInt8(truncatingIfNeeded: bits) }

    public static let i32 = ValueType(code: 0x7f)
    public static let i64 = ValueType(code: 0x7e)
    public static let f32 = ValueType(code: 0x7d)
    public static let f64 = ValueType(code: 0x7c)
    public static let v128 = ValueType(code: 0x7b)
    /// The storage types of packed struct fields and array elements (never on the operand stack).
    public static let i8 = ValueType(code: 0x78)
    public static let i16 = ValueType(code: 0x77)
    /// `(ref null func)`.
    public static let funcref = ValueType(code: 0x70)
    /// `(ref null extern)`.
    public static let externref = ValueType(code: 0x6f)
    /// `(ref null exn)`: a reference to an exception (exception handling).
    public static let exnref = ValueType(code: 0x69)
    public static let anyref = ValueType(code: 0x6e)
    public static let eqref = ValueType(code: 0x6d)
    public static let i31ref = ValueType(code: 0x6c)
    public static let structref = ValueType(code: 0x6b)
    public static let arrayref = ValueType(code: 0x6a)
    public static let nullref = ValueType(code: 0x71)
    public static let nullexternref = ValueType(code: 0x72)
    public static let nullfuncref = ValueType(code: 0x73)
    public static let nullexnref = ValueType(code: 0x74)

    /// Whether this names a type this runtime knows (a value type, not a storage-only one).
    public var isKnown: Bool { isNumeric || self == .v128 || isReference }

    public var isNumeric: Bool { bits >= 0x7c && bits <= 0x7f }
    public var isPacked: Bool { self == .i8 || self == .i16 }
    @inline(__always) public var isReference: Bool { heapType.isValid }
    /// Whether a reference type admits null (false for the other types).
    @inline(__always) public var isNullable: Bool { isReference && bits & ValueType.nonNullBit == 0 }

    /// A reference type's heap type.
    @inline(__always) public var heapType: HeapType { HeapType(bits: bits & ~ValueType.nonNullBit) }

    /// The same reference type with null admitted (`nullable`) or excluded.
    @inline(__always)
    public func withNullable(_ nullable: Bool) -> ValueType {
        ValueType(heap: heapType, nullable: nullable)
    }

    /// The nullable shorthand of the hierarchy a reference type belongs to (funcref, externref,
    /// exnref, anyref): how its values are represented. Other types are their own.
    @inline(__always)
    public var hierarchy: ValueType { isReference ? ValueType(heap: heapType.abstractTop, nullable: true) : self }

    /// Whether a local of this type may start without a value: numbers, vectors and nullable
    /// references (their default is 0 or null).
    public var isDefaultable: Bool { !isReference || isNullable }

    /// Slots a value takes in a frame (v128 takes two).
    @inline(__always) public var slotCount: Int { self == .v128 ? 2 : 1 }

    /// The text-format name of a number, vector or nullable abstract reference type (its
    /// shorthand), for messages; "ref" for other reference types (see `appendName(to:)`).
    public var name: StaticString {
        switch bits {
        case 0x7f: return "i32"
        case 0x7e: return "i64"
        case 0x7d: return "f32"
        case 0x7c: return "f64"
        case 0x7b: return "v128"
        case 0x78: return "i8"
        case 0x77: return "i16"
        case 0x70: return "funcref"
        case 0x6f: return "externref"
        case 0x69: return "exnref"
        case 0x6e: return "anyref"
        case 0x6d: return "eqref"
        case 0x6c: return "i31ref"
        case 0x6b: return "structref"
        case 0x6a: return "arrayref"
        case 0x71: return "nullref"
        case 0x72: return "nullexternref"
        case 0x73: return "nullfuncref"
        case 0x74: return "nullexnref"
        default: return isReference ? "ref" : "unknown"
        }
    }

    /// The text-format name: the shorthand where there is one, else `(ref null? ht)` with a
    /// concrete heap type written as its index.
    public func appendName(to text: inout ByteBuffer) throws(SwasmError) {
        guard isReference && (!isNullable || heapType.isConcrete || heapType == .unknown) else { return try text.append(name) }
        try text.append(isNullable ? "(ref null " : "(ref ")
        try heapType.appendName(to: &text)
        try text.append(")")
    }
}

/// A heap type: one of the abstract heap types, named by its binary code, or a concrete type
/// given by index, whose code says which kind of type it is (function, struct, array), so that
/// the hierarchy a reference belongs to is known from its bits alone. The bits are those of the
/// nullable reference type to it (`ValueType`).
public struct HeapType: Equatable, BitwiseCopyable, Sendable {
    public var bits: UInt32

    @inline(__always) public init(bits: UInt32) { self.bits = bits }


    /// Where a concrete heap type's index points.
    public enum IndexSpace: UInt32, BitwiseCopyable {
        /// The type section of the module the type occurs in.
        case module = 0
        /// The engine's registry of canonical types (`TypeRegistry`): types that leave their module.
        case engine = 1
        /// The recursion group the type occurs in (inside canonical forms only).
        case recursionGroup = 2
    }

    /// The largest index a concrete heap type holds (more than `ImplementationLimits.types`).
    public static let maximumIndex: UInt32 = (1 << 21) &- 1

    /// A concrete heap type. Its kind may be left as function where it is not known yet (a
    /// reference to a later type of the same recursion group while it is decoded, the text
    /// format, the compiler), and where only the index matters.
    @inline(__always)
    public static func concrete(_ index: UInt32, kind: CompositeKind = .function, in space: IndexSpace = .module) -> HeapType {
        HeapType(bits: UInt32(1 &+ kind.rawValue) | space.rawValue << 9 | index << 11)
    }

    @inline(__always) public init(abstract code: UInt8) { bits = UInt32(code) }

    public static let function = HeapType(abstract: 0x70)
    public static let extern = HeapType(abstract: 0x6f)
    public static let exception = HeapType(abstract: 0x69)
    public static let any = HeapType(abstract: 0x6e)
    public static let eq = HeapType(abstract: 0x6d)
    public static let i31 = HeapType(abstract: 0x6c)
    public static let structure = HeapType(abstract: 0x6b)
    public static let array = HeapType(abstract: 0x6a)
    public static let none = HeapType(abstract: 0x71)
    public static let noExtern = HeapType(abstract: 0x72)
    public static let noFunction = HeapType(abstract: 0x73)
    public static let noException = HeapType(abstract: 0x74)

    @inline(__always) public var code: UInt8 { UInt8(truncatingIfNeeded: bits) }
    @inline(__always) public var isConcrete: Bool { code &- 1 < 3 }
    /// A concrete heap type's kind of type.
    @inline(__always) public var concreteKind: CompositeKind { CompositeKind(rawValue: code &- 1) ?? .function }
    /// A concrete heap type's index (in `space`).
    @inline(__always) public var index: UInt32 { bits >> 11 }
    @inline(__always) public var space: IndexSpace { IndexSpace(rawValue: (bits >> 9) & 3) ?? .module }

    /// The validator's heap type of a reference popped from a polymorphic stack: a subtype of
    /// every heap type (never in a module).
    public static let unknown = HeapType(abstract: 0x04)

    /// Whether the bits make a heap type (abstract with a known code, concrete, or unknown).
    public var isValid: Bool {
        if isConcrete { return true }
        return bits >> 8 == 0 && (HeapType.isAbstractCode(code) || code == 0x04)
    }

    /// Whether `code` is an abstract heap type's binary code (0x69-0x74).
    @inline(__always)
    public static func isAbstractCode(_ code: UInt8) -> Bool { code >= 0x69 && code <= 0x74 }

    /// The abstract heap types' text names.
    public var name: StaticString {
        switch code {
        case 0x70: return "func"
        case 0x6f: return "extern"
        case 0x69: return "exn"
        case 0x6e: return "any"
        case 0x6d: return "eq"
        case 0x6c: return "i31"
        case 0x6b: return "struct"
        case 0x6a: return "array"
        case 0x71: return "none"
        case 0x72: return "noextern"
        case 0x73: return "nofunc"
        case 0x74: return "noexn"
        case 0x04: return "bot"
        default: return "concrete"
        }
    }

    public func appendName(to text: inout ByteBuffer) throws(SwasmError) {
        guard isConcrete else { return try text.append(name) }
        try text.appendDecimal(UInt64(index))
    }

    /// The hierarchy a heap type belongs to, by its top type (func, extern, any, exn).
    public var abstractTop: HeapType {
        if isConcrete { return concreteKind == .function ? .function : .any }
        switch code {
        case 0x70, 0x73: return .function
        case 0x6f, 0x72: return .extern
        case 0x69, 0x74: return .exception
        default: return .any
        }
    }

    /// The bottom type of the hierarchy whose top is `top`.
    public static func bottom(under top: HeapType) -> HeapType {
        switch top.code {
        case 0x70: return .noFunction
        case 0x6f: return .noExtern
        case 0x69: return .noException
        default: return .none
        }
    }

    /// Whether this is one of the four bottom types (none, nofunc, noextern, noexn).
    public var isBottom: Bool { code >= 0x71 && code <= 0x74 }
}

