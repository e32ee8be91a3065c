import CSwasm

/// A value as the host hands it in, before any check: what its kind says it is, and for a
/// reference, the store id it claims and the object it names. The C API converts its value
/// structs into this; `Store.admit` is the one place that decides whether it may enter.
public enum HostValue {
    case i32(UInt32)
    case i64(UInt64)
    case f32(UInt32)
    case f64(UInt64)
    case v128(UInt64, UInt64)
    /// A function reference: nil is the null reference.
    case funcref(storeID: UInt64, function: UnsafeMutableRawPointer?)
    /// An external reference: nil is the null reference.
    case externref(storeID: UInt64, box: UnsafeMutableRawPointer?)
    /// An exception reference (Runtime/Exceptions.swift): 0 is the null reference.
    case exnref(storeID: UInt64, reference: UInt64)
    /// A reference of the any hierarchy (docs/gc.md: an i31, a GC object, an externref made
    /// internal): its word, 0 for null.
    case anyref(storeID: UInt64, word: UInt64)
    /// A kind the API does not define.
    case unknown
}

/// Why a host value was refused.
public enum ValueRejection: Error, Equatable {
    /// A reference made in another store (or one that no longer exists).
    case wrongStore
    /// A value of another type: `found` names it as wasmtime does.
    case mismatch(found: StaticString)
    /// A non-reference where only references are allowed (tables).
    case notReference

    public static func == (a: ValueRejection, b: ValueRejection) -> Bool {
        switch (a, b) {
        case (.wrongStore, .wrongStore), (.notReference, .notReference): return true
        case (.mismatch, .mismatch): return true
        default: return false
        }
    }
}

extension ValueType {
    /// The type's name in wasmtime's messages (references in their full form).
    public var messageName: StaticString {
        switch self {
        case .funcref: return "(ref null func)"
        case .externref: return "(ref null extern)"
        case .exnref: return "(ref null exn)"
        default: return name
        }
    }
}

extension HostValue {
    /// The value's own type in wasmtime's messages (a null reference has the bottom type).
    var typeName: StaticString {
        switch self {
        case .i32: return "i32"
        case .i64: return "i64"
        case .f32: return "f32"
        case .f64: return "f64"
        case .v128: return "v128"
        case .funcref(_, let function): return function == nil ? "(ref null nofunc)" : "(ref func)"
        // wasmtime's C API reads a null externref outside tables as a null function reference.
        case .externref(_, let box): return box == nil ? "(ref null nofunc)" : "(ref extern)"
        case .exnref(_, let reference): return reference == 0 ? "(ref null noexn)" : "(ref exn)"
        case .anyref(_, let word): return word == 0 ? "(ref null none)" : (word & 1 != 0 ? "(ref i31)" : "(ref any)")
        case .unknown: return "an unknown kind"
        }
    }

    var isReference: Bool {
        switch self {
        case .funcref, .externref, .exnref, .anyref: return true
        default: return false
        }
    }
}

extension Store {
    /// The slot words of `value` entering as a `type`, after checking its kind against the type
    /// and, for a reference, that it belongs to this store and names one of its live objects.
    ///
    /// `type` is in the engine's index space: a reference to a concrete type admits a function
    /// whose type matches it, and a non-null reference type refuses null.
    public mutating func admit(_ value: HostValue, as type: ValueType) throws(ValueRejection) -> (UInt64, UInt64) {
        let words = try admitKind(value, as: type.hierarchy)
        guard type.isReference, type != type.hierarchy else { return words }
        if words.0 == 0 {
            guard type.isNullable else { throw .mismatch(found: value.typeName) }
        } else if type.heapType.isBottom {
            throw .mismatch(found: value.typeName)
        } else if type.heapType.isConcrete, case .funcref(_, let function?) = value {
            let record = function.assumingMemoryBound(to: swasm_function.self)
            guard functionMatches(record, type.heapType) else { throw .mismatch(found: "(ref func)") }
        } else if case .anyref = value, !referenceMatches(words.0, type.heapType) {
            throw .mismatch(found: value.typeName)
        }
        return words
    }

    /// Whether function `record`'s type matches concrete engine heap type `heap`.
    mutating func functionMatches(_ record: UnsafeMutablePointer<swasm_function>, _ heap: HeapType) -> Bool {
        guard heap.concreteKind == .function, heap.space == .engine else { return false }
        if record.pointee.host != nil, let id = HostFunction.from(record).pointee.engineTypeID {
            return engine.pointer.pointee.types.isDeclaredSubtype(id, of: heap.index)
        }
        if record.pointee.host != nil {
            let signature = ImportMatching.signature(of: record)
            return engine.pointer.pointee.types.isFunctionType(heap.index, parameters: signature.parameters, results: signature.results)
        }
        return engine.pointer.pointee.types.isDeclaredSubtype(record.pointee.engine_type_id, of: heap.index)
    }

    /// Whether the non-null any-hierarchy reference `word` (of this store) is a value of heap
    /// type `heap` (concrete types in the engine's index space).
    public mutating func referenceMatches(_ word: UInt64, _ heap: HeapType) -> Bool {
        guard heap.isConcrete else { return ReferenceTests.isInstance(word, ofAbstract: heap) }
        guard heap.space == .engine, word & 3 == 0, let target = engine.pointer.pointee.types.layout(heap.index) else { return false }
        return GCObject.of(word).pointee.type.pointee.isSubtype(of: target)
    }

    /// `admit` for the shorthand of a reference type's hierarchy (and for other types).
    private mutating func admitKind(_ value: HostValue, as type: ValueType) throws(ValueRejection) -> (UInt64, UInt64) {
        switch (value, type) {
        case (.i32(let bits), .i32): return (UInt64(bits), 0)
        case (.i64(let bits), .i64): return (bits, 0)
        case (.f32(let bits), .f32): return (UInt64(bits), 0)
        case (.f64(let bits), .f64): return (bits, 0)
        case (.v128(let low, let high), .v128): return (low, high)
        case (.funcref(let storeID, let function), .funcref):
            guard let function else { return (0, 0) }
            guard storeID == id, ownsFunction(function) else { throw .wrongStore }
            return (UInt64(UInt(bitPattern: function)), 0)
        case (.externref(let storeID, let box), .externref):
            guard let box else { return (0, 0) }
            let word = UInt64(UInt(bitPattern: box))
            guard storeID == id, isReference(word, anyHierarchy: false) else { throw .wrongStore }
            return (word, 0)
        case (.anyref(let storeID, let word), .anyref):
            guard word != 0 else { return (0, 0) }
            guard storeID == id, isReference(word, anyHierarchy: true) else { throw .wrongStore }
            return (word, 0)
        case (.anyref(let storeID, let word), _) where word != 0 && storeID != id:
            throw .wrongStore
        case (.exnref(let storeID, let reference), .exnref):
            guard reference != 0 else { return (0, 0) }
            guard storeID == id, let object = exception(reference) else { throw .wrongStore }
            object.pointee.exposed = true
            return (reference, 0)
        case (.exnref(let storeID, let reference), _) where reference != 0 && storeID != id:
            throw .wrongStore
        case (.funcref(let storeID, let function), _) where function != nil && storeID != id,
             (.externref(let storeID, let function), _) where function != nil && storeID != id:
            throw .wrongStore
        default:
            throw .mismatch(found: value.typeName)
        }
    }

    /// Whether `function` is the record of a live function of this store.
    public mutating func ownsFunction(_ function: UnsafeMutableRawPointer) -> Bool { isLive(function, LiveObjectKind.function) }

    /// Whether `box` is one of this store's live externref boxes.
    public mutating func ownsExternRef(_ box: UnsafeMutableRawPointer) -> Bool { isLive(box, LiveObjectKind.externRef) }
}

extension Store {
    /// A table element entering from the host: only references are elements.
    public mutating func admitElement(_ value: HostValue, as type: ValueType) throws(ValueRejection) -> UInt64 {
        guard value.isReference else { throw .notReference }
        do {
            return try admit(value, as: type).0
        } catch .mismatch(_) {
            // Tables name a null externref by its own bottom type.
            if case .externref(_, nil) = value { throw .mismatch(found: "(ref null noextern)") }
            throw .mismatch(found: value.typeName)
        }
    }
}
