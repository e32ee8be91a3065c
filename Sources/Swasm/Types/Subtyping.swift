/// Subtyping between the types of one module (concrete heap types hold canonical indices, see
/// `TypeCanonicalizer`): the abstract hierarchies
///
///     any ≥ eq ≥ {i31, struct ≥ concrete structs, array ≥ concrete arrays} ≥ none
///     func ≥ concrete functions ≥ nofunc      extern ≥ noextern      exn ≥ noexn
///
/// and, between concrete types, the chain of declared supertypes.
extension HeapType {
    /// Whether this heap type is a subtype of `b`; `declared(x, y)` says whether concrete type
    /// `x` is `y` or declares it as a supertype (in the index space both come from).
    @inline(__always)
    public func isSubtype(of b: HeapType, declared: (UInt32, UInt32) -> Bool) -> Bool {
        let a = self
        if a == b || a == .unknown { return true }
        if b.isConcrete {
            if a.isConcrete { return a.concreteKind == b.concreteKind && declared(a.index, b.index) }
            return a == HeapType.bottom(under: b.abstractTop)
        }
        if a.isConcrete {
            switch b {
            case .function: return a.concreteKind == .function
            case .any, .eq: return a.concreteKind != .function
            case .structure: return a.concreteKind == .structure
            case .array: return a.concreteKind == .array
            default: return false
            }
        }
        switch b {
        case .any: return a.abstractTop == .any
        case .eq: return a == .i31 || a == .structure || a == .array || a == .none
        case .i31, .structure, .array: return a == .none
        case .function: return a == .noFunction
        case .extern: return a == .noExtern
        case .exception: return a == .noException
        default: return false
        }
    }
}

extension ValueType {
    /// Whether a value of this type may be used where `b` is expected (`declared` as for heap
    /// types). `ValueType.bottom` matches everything.
    @inline(__always)
    public func matches(_ b: ValueType, declared: (UInt32, UInt32) -> Bool) -> Bool {
        if self == b || self == .bottom { return true }
        guard isReference && b.isReference, !isNullable || b.isNullable else { return false }
        return heapType.isSubtype(of: b.heapType, declared: declared)
    }
}

public struct TypeTable: BitwiseCopyable {
    /// The module's type definitions (canonical indices index them).
    public var definitions: UnsafePointer<TypeDefinition>?

    public init(definitions: UnsafePointer<TypeDefinition>?) { self.definitions = definitions }

    @inline(__always)
    func typeDefinition(_ index: UInt32) -> TypeDefinition { definitions.unsafelyUnwrapped[Int(index)] }

    /// Whether a value of type `a` may be used where `b` is expected. `ValueType.bottom` (the
    /// unknown type of a polymorphic stack) matches everything.
    @inline(__always)
    public func matches(_ a: ValueType, _ b: ValueType) -> Bool {
        a.matches(b) { (x: UInt32, y: UInt32) -> Bool in isDeclaredSubtype(x, of: y) }
    }

    /// Whether heap type `a` is a subtype of `b`.
    public func isSubtype(_ a: HeapType, of b: HeapType) -> Bool {
        a.isSubtype(of: b) { (x: UInt32, y: UInt32) -> Bool in isDeclaredSubtype(x, of: y) }
    }

    /// Whether concrete type `a` is `b` or declares it as a supertype, directly or not.
    public func isDeclaredSubtype(_ a: UInt32, of b: UInt32) -> Bool {
        var current = a
        while true {
            if current == b { return true }
            let supertype = typeDefinition(current).supertype
            if supertype == TypeDefinition.noSupertype { return false }
            current = supertype
        }
    }

    /// The top of the hierarchy heap type `heap` belongs to (func, extern, any or exn).
    public func topType(of heap: HeapType) -> HeapType { heap.abstractTop }
}

extension ModuleDescription {
    /// Subtyping between this module's types.
    public var typeTable: TypeTable { TypeTable(definitions: UnsafePointer(typeDefinitions.base)) }

    @inline(__always)
    public func matches(_ a: ValueType, _ b: ValueType) -> Bool { typeTable.matches(a, b) }

    /// The type of `ref.func` of function `index`: a non-null reference to its type with
    /// function references, else funcref.
    public func functionReferenceType(_ index: UInt32, features: Features) -> ValueType {
        // (Before validation failed, the function's type index may name no type.)
        guard features.contains(.functionReferences), Int(index) < functions.count,
              Int(functions[Int(index)]) < typeDefinitions.count else { return .funcref }
        return ValueType(heap: .concrete(typeDefinitions[Int(functions[Int(index)])].canonical, kind: .function), nullable: false)
    }

    /// Whether type `index` matches the supertype it declares: the same kind of composite type,
    /// function parameters contravariant and results covariant, struct fields a prefix extension
    /// (mutable fields invariant, immutable ones covariant), array elements as fields.
    public func matchesDeclaredSupertype(_ index: UInt32) -> Bool {
        let definition = typeDefinitions[Int(index)]
        let parent = typeDefinitions[Int(definition.supertype)]
        guard definition.kind == parent.kind else { return false }
        switch definition.kind {
        case .function:
            let function = functionType(index), super_ = functionType(definition.supertype)
            guard function.pointee.parameters.count == super_.pointee.parameters.count,
                  function.pointee.results.count == super_.pointee.results.count else { return false }
            for parameter in 0..<function.pointee.parameters.count
            where !matches(super_.pointee.parameters[parameter], function.pointee.parameters[parameter]) {
                return false
            }
            for result in 0..<function.pointee.results.count
            where !matches(function.pointee.results[result], super_.pointee.results[result]) {
                return false
            }
            return true
        case .structure, .array:
            guard definition.fieldCount >= parent.fieldCount, definition.kind == .structure || definition.fieldCount == parent.fieldCount else {
                return false
            }
            for field in 0..<Int(parent.fieldCount) {
                let mine = fields[Int(definition.fieldsStart) &+ field], theirs = fields[Int(parent.fieldsStart) &+ field]
                guard mine.isMutable == theirs.isMutable else { return false }
                if mine.isMutable ? mine.storage != theirs.storage : !matchesStorage(mine.storage, theirs.storage) { return false }
            }
            return true
        }
    }

    /// Storage subtyping: packed types only match themselves.
    func matchesStorage(_ a: ValueType, _ b: ValueType) -> Bool {
        a.isPacked || b.isPacked ? a == b : matches(a, b)
    }

    /// The definition of concrete heap type `heap`.
    @inline(__always)
    public func definition(_ heap: HeapType) -> TypeDefinition {
        typeDefinitions[Int(heap.index)]
    }
}
