/// Iso-recursive type equivalence within a module: two types are the same when their recursion
/// groups are structurally equal (references inside a group compared by position in it, others
/// by canonical index) and they sit at the same position. Each recursion group is canonicalized
/// as soon as it is decoded: its types get the index of the first equal type as their
/// `TypeDefinition.canonical`, and their own references to the group are rewritten to canonical
/// indices, so that from then on equal types have equal `ValueType` bits.
struct TypeCanonicalizer: ~Copyable {
    /// Each distinct group's encoding, with the index of its first type.
    private var groups = FallibleHashMap<ByteBuffer, UInt32>()

    init() {}

    mutating func canonicalize(group start: Int, count: Int, in description: inout ModuleDescription) throws(SwasmError) {
        var key = ByteBuffer()
        for index in start..<(start &+ count) {
            try Self.encode(type: index, groupStart: start, description, into: &key) { (heap: HeapType) -> HeapType in heap }
        }
        if let first = groups.withValue(for: key, { $0 }) {
            for member in 0..<count { description.typeDefinitions[start &+ member].canonical = first &+ UInt32(member) }
        } else {
            _ = try groups.insert(key, UInt32(start))
        }
        for index in start..<(start &+ count) { Self.rewriteGroupReferences(type: index, groupStart: start, &description) }
    }

    /// A type's definition as bytes: references into its own group relative to the group, the
    /// others as `external` maps them (the module's canonical index, or the engine's type id).
    static func encode(type index: Int, groupStart: Int, _ description: borrowing ModuleDescription,
                       into key: inout ByteBuffer, external: (HeapType) -> HeapType) throws(SwasmError) {
        let definition = description.typeDefinitions[index]
        func relative(_ heap: HeapType) -> HeapType {
            guard heap.isConcrete else { return heap }
            guard Int(heap.index) >= groupStart else { return external(heap) }
            return .concrete(heap.index &- UInt32(groupStart), kind: .function, in: .recursionGroup)
        }
        func relative(_ type: ValueType) -> ValueType {
            type.isReference ? ValueType(heap: relative(type.heapType), nullable: type.isNullable) : type
        }
        try key.append(definition.kind.rawValue)
        try key.append(definition.isFinal ? 1 : 0)
        let supertype = definition.supertype
        try append(supertype == TypeDefinition.noSupertype
                   ? UInt32.max : relative(HeapType.concrete(supertype, kind: description.typeDefinitions[Int(supertype)].kind)).bits, to: &key)
        let function = description.functionType(UInt32(index))
        try append(UInt32(function.pointee.parameters.count), to: &key)
        for parameter in 0..<function.pointee.parameters.count {
            try append(relative(function.pointee.parameters[parameter]).bits, to: &key)
        }
        try append(UInt32(function.pointee.results.count), to: &key)
        for result in 0..<function.pointee.results.count {
            try append(relative(function.pointee.results[result]).bits, to: &key)
        }
        try append(definition.fieldCount, to: &key)
        for field in 0..<Int(definition.fieldCount) {
            let type = description.fields[Int(definition.fieldsStart) &+ field]
            try append(relative(type.storage).bits, to: &key)
            try key.append(type.isMutable ? 1 : 0)
        }
    }

    /// The encoding `encode` gives a final struct or array type without supertype, alone in its
    /// group, with `fields` (concrete heap types as the engine's type ids): the group key of a
    /// type the host defines, equal to that of the same definition in a module.
    static func encodeHostType(_ kind: CompositeKind, fields: UnsafeBufferPointer<FieldType>, into key: inout ByteBuffer) throws(SwasmError) {
        try key.append(kind.rawValue)
        try key.append(1)
        try append(UInt32.max, to: &key)
        try append(0, to: &key) // no parameters
        try append(0, to: &key) // no results
        try append(UInt32(fields.count), to: &key)
        for field in fields {
            try append(field.storage.bits, to: &key)
            try key.append(field.isMutable ? 1 : 0)
        }
    }

    @inline(__always)
    private static func append(_ value: UInt32, to key: inout ByteBuffer) throws(SwasmError) {
        for shift in stride(from: 0 as UInt32, to: 32, by: 8) { try key.append(UInt8(truncatingIfNeeded: value >> shift)) }
    }

    /// Replaces references to the group's types by their canonical indices.
    private static func rewriteGroupReferences(type index: Int, groupStart: Int, _ description: inout ModuleDescription) {
        let definitions = description.typeDefinitions.base!
        func canonical(_ type: ValueType) -> ValueType {
            guard type.isReference, type.heapType.isConcrete, Int(type.heapType.index) >= groupStart else { return type }
            let definition = definitions[Int(type.heapType.index)]
            return ValueType(heap: .concrete(definition.canonical, kind: definition.kind), nullable: type.isNullable)
        }
        let supertype = definitions[index].supertype
        if supertype != TypeDefinition.noSupertype && Int(supertype) >= groupStart {
            definitions[index].supertype = definitions[Int(supertype)].canonical
        }
        for parameter in 0..<description.types[index].parameters.count {
            description.types[index].parameters[parameter] = canonical(description.types[index].parameters[parameter])
        }
        for result in 0..<description.types[index].results.count {
            description.types[index].results[result] = canonical(description.types[index].results[result])
        }
        let definition = definitions[index]
        for field in 0..<Int(definition.fieldCount) {
            let position = Int(definition.fieldsStart) &+ field
            description.fields[position].storage = canonical(description.fields[position].storage)
        }
    }
}
