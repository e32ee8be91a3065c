/// The runtime layout of a struct or array type (docs/gc.md): made once per engine type when its
/// recursion group is registered (`TypeRegistry`), and kept until the engine goes, so objects,
/// compiled code and host handles may point at it without locks.
///
/// A cast to a type is one comparison against its supertype chain: an object's type `t` is a
/// subtype of `target` when `t.depth >= target.depth && t.supertypes[target.depth] == target.id`.
public struct GCType: ~Copyable {
    public let engineID: UInt32
    public let kind: CompositeKind
    /// Declared supertypes above it; `supertypes` holds `depth + 1` engine ids, the root first and
    /// this type last.
    public let depth: Int
    let supertypes: UnsafeMutablePointer<UInt32>
    /// A struct's fields, or an array's one element.
    public let fieldCount: Int
    let fields: UnsafeMutablePointer<GCField>
    /// A struct's field bytes (an object's size beyond its header).
    public let dataSize: Int

    deinit {
        Heap.free(supertypes)
        Heap.free(fields)
    }

    /// Whether objects of this type are instances of `target` (the same type or a declared subtype).
    @inline(__always)
    func isSubtype(of target: UnsafePointer<GCType>) -> Bool {
        let depth = target.pointee.depth
        return self.depth >= depth && supertypes[depth] == target.pointee.engineID
    }

    public func field(_ index: Int) -> GCField { fields[index] }
}

/// A field (or array element) as stored: its type in the engine's index space, its byte offset in
/// the object's data (structs), and its size in bytes.
public struct GCField: BitwiseCopyable {
    public var storage: ValueType
    public var isMutable: Bool
    public var offset: UInt32
    public var size: UInt8
    public var isReference: Bool

    /// Bytes a value of `storage` takes in an object.
    static func size(of storage: ValueType) -> Int {
        if storage == .i8 { return 1 }
        if storage == .i16 { return 2 }
        if storage == .i32 || storage == .f32 { return 4 }
        if storage == .v128 { return 16 }
        return 8 // i64, f64, references
    }

    /// Slot words a value of the field takes on the operand stack.
    var slotWidth: Int { size == 16 ? 2 : 1 }
}

extension GCType {
    /// The layout of type `index` of `module` (a struct or array), registered as `engineID` with
    /// supertype chain `chain` (its supertype's chain, or nil for a root). Field types go into
    /// the engine's index space: the group being registered starts at `groupStart` with id
    /// `firstID`, earlier types have their ids at `earlierIDs`.
    static func make(_ module: borrowing ModuleDescription, type index: Int, engineID: UInt32, supertypeChain chain: UnsafePointer<GCType>?,
                     earlierIDs: UnsafePointer<UInt32>?, groupStart: Int, firstID: UInt32) throws(SwasmError) -> UnsafeMutablePointer<GCType> {
        let definition = module.typeDefinitions[index]
        let depth = Int(definition.depth)
        let supertypes = try Heap.allocate(UInt32.self, count: depth &+ 1)
        if let chain {
            for level in 0..<min(depth, chain.pointee.depth &+ 1) { supertypes[level] = chain.pointee.supertypes[level] }
        }
        supertypes[depth] = engineID
        let count = Int(definition.fieldCount)
        let fields: UnsafeMutablePointer<GCField>
        do {
            fields = try Heap.allocate(GCField.self, count: max(count, 1))
        } catch {
            Heap.free(supertypes)
            throw error
        }
        var offset = 0
        for position in 0..<count {
            let field = module.fields[Int(definition.fieldsStart) &+ position]
            let storage = TypeRegistry.engineType(field.storage, earlierIDs, groupStart: groupStart, firstID: firstID)
            fields[position] = GCField.laidOut(FieldType(storage: storage, isMutable: field.isMutable), offset: &offset)
        }
        if count == 0 { fields[0] = GCField(storage: .i32, isMutable: false, offset: 0, size: 0, isReference: false) }
        return try Heap.create(GCType(engineID: engineID, kind: definition.kind, depth: depth, supertypes: supertypes,
                                      fieldCount: count, fields: fields, dataSize: definition.kind == .structure ? (offset &+ 7) & ~7 : 0))
    }

    /// The layout of a struct or array type the host defines (Runtime/HostGCTypes.swift): no
    /// supertype, `fields` in the engine's index space.
    static func make(_ kind: CompositeKind, engineID: UInt32, fields definitions: UnsafeBufferPointer<FieldType>) throws(SwasmError) -> UnsafeMutablePointer<GCType> {
        let supertypes = try Heap.allocate(UInt32.self, count: 1)
        supertypes[0] = engineID
        let fields: UnsafeMutablePointer<GCField>
        do {
            fields = try Heap.allocate(GCField.self, count: max(definitions.count, 1))
        } catch {
            Heap.free(supertypes)
            throw error
        }
        var offset = 0
        for position in 0..<definitions.count { fields[position] = GCField.laidOut(definitions[position], offset: &offset) }
        if definitions.isEmpty { fields[0] = GCField(storage: .i32, isMutable: false, offset: 0, size: 0, isReference: false) }
        return try Heap.create(GCType(engineID: engineID, kind: kind, depth: 0, supertypes: supertypes, fieldCount: definitions.count,
                                      fields: fields, dataSize: kind == .structure ? (offset &+ 7) & ~7 : 0))
    }
}

extension GCField {
    /// `field` (engine index space) placed at the next offset suited to its size after `offset`,
    /// which moves past it.
    static func laidOut(_ field: FieldType, offset: inout Int) -> GCField {
        let size = GCField.size(of: field.storage)
        let alignment = min(size, 8)
        offset = (offset &+ alignment &- 1) & ~(alignment &- 1)
        let laid = GCField(storage: field.storage, isMutable: field.isMutable, offset: UInt32(offset), size: UInt8(size),
                           isReference: field.storage.isReference)
        offset &+= size
        return laid
    }
}
