/// What a type index defines beyond a function's signature (which `ModuleDescription.types`
/// holds for every index): the kind of composite type, struct fields or an array's element, the
/// declared supertype and finality, the recursion group, and the canonical index.

/// The composite type a type index defines.
public enum CompositeKind: UInt8, BitwiseCopyable, Sendable {
    case function = 0
    case structure = 1
    case array = 2
}

/// A struct field or an array's element: a value type or a packed one (`i8`, `i16`), mutable or
/// not.
public struct FieldType: Equatable, BitwiseCopyable, Sendable {
    public var storage: ValueType
    public var isMutable: Bool

    public init(storage: ValueType, isMutable: Bool) {
        self.storage = storage
        self.isMutable = isMutable
    }

    /// The type a field's value has on the operand stack (i32 for packed storage).
    public var unpacked: ValueType { storage.isPacked ? .i32 : storage }
}

public struct TypeDefinition: Equatable, BitwiseCopyable, Sendable {
    public static let noSupertype = UInt32.max

    public var kind: CompositeKind
    public var isFinal: Bool
    /// The declared supertype's index (canonical, see below), or `noSupertype`.
    public var supertype: UInt32
    /// The recursion group: its first type index and its number of types.
    public var groupStart: UInt32
    public var groupCount: UInt32
    /// Struct fields (or the array's one element) in `ModuleDescription.fields`.
    public var fieldsStart: UInt32
    public var fieldCount: UInt32
    /// The first type index of the module whose type is the same as this one (iso-recursive
    /// equivalence: structurally equal recursion groups, the same position in them). Concrete heap
    /// types in the module's value types hold canonical indices, so equal types have equal bits.
    public var canonical: UInt32
    /// Supertypes up to the root: 0 for a type without a declared supertype.
    public var depth: UInt32

    public init(kind: CompositeKind, isFinal: Bool = true, supertype: UInt32 = noSupertype, groupStart: UInt32, groupCount: UInt32 = 1,
                fieldsStart: UInt32 = 0, fieldCount: UInt32 = 0, canonical: UInt32, depth: UInt32 = 0) {
        self.kind = kind
        self.isFinal = isFinal
        self.supertype = supertype
        self.groupStart = groupStart
        self.groupCount = groupCount
        self.fieldsStart = fieldsStart
        self.fieldCount = fieldCount
        self.canonical = canonical
        self.depth = depth
    }

    /// The abstract heap type at the top of the hierarchy values of this type belong to.
    public var top: HeapType { kind == .function ? .function : .any }

    /// The abstract heap type this kind of type is a subtype of (func, struct or array).
    public var abstractKind: HeapType {
        switch kind {
        case .function: return .function
        case .structure: return .structure
        case .array: return .array
        }
    }
}
