/// Struct and array types the host defines, and objects it allocates (structref.h, arrayref.h).
/// A host type is registered in the engine's `TypeRegistry` as a final type without supertype in
/// its own recursion group, so a module's identical definition is the same type and casts to it
/// succeed on the host's objects.
extension Engine {
    /// The layout of the struct or array type with `fields` (engine index space), registered in
    /// this engine (the same layout for equal definitions). Throws `.invalidArgument` for fields
    /// that name no type of this engine or an array without exactly one element type.
    public static func hostType(_ engine: Shared<Engine>, _ kind: CompositeKind,
                                fields: UnsafeBufferPointer<FieldType>) throws(SwasmError) -> UnsafePointer<GCType> {
        let id = try engine.pointer.pointee.types.registerHostType(kind, fields: fields)
        guard let layout = engine.pointer.pointee.types.layout(id) else { throw .invalidArgument }
        return layout
    }
}

/// Why the host could not allocate an object.
public enum HostObjectFailure: Error {
    /// Not as many values as the struct has fields.
    case fieldCount
    /// Value `index` does not fit its field.
    case rejected(index: Int, ValueRejection)
    /// Out of memory (`.outOfMemory`) or an object larger than any heap holds (`.trap`).
    case allocation(SwasmError)
}

extension Store {
    /// A new struct of `type` (of this store's engine) with field values `value(0..<count)`,
    /// checked as every host value is; its word, rooted once for the host's handle. Collects
    /// first when the heap is full (the frames of a running host call are roots).
    public mutating func newStruct(_ type: UnsafePointer<GCType>, count: Int,
                                   value: (Int) -> HostValue) throws(HostObjectFailure) -> UInt64 {
        guard type.pointee.kind == .structure, count == type.pointee.fieldCount else { throw .fieldCount }
        for index in 0..<count { _ = try admitField(value(index), type.pointee.field(index), index: index) }
        let object: UnsafeMutablePointer<GCObject>
        do {
            object = try allocateObject(type, dataBytes: UInt64(type.pointee.dataSize), length: 0)
        } catch {
            throw .allocation(error)
        }
        let data = GCObject.data(object)
        for index in 0..<count {
            // Admitted above; the values are the host's (rooted), so the collection kept them.
            let field = type.pointee.field(index)
            let words = (try? admitField(value(index), field, index: index)) ?? (0, 0)
            GCObject.store(words.0, words.1, size: field.size, at: data.advanced(by: Int(field.offset)))
        }
        Store.rootReference(UInt64(UInt(bitPattern: object)), anyHierarchy: true)
        return UInt64(UInt(bitPattern: object))
    }

    /// A new array of `type` with `length` copies of `value`; its word, rooted once for the host.
    public mutating func newArray(_ type: UnsafePointer<GCType>, repeating value: HostValue,
                                  length: UInt32) throws(HostObjectFailure) -> UInt64 {
        guard type.pointee.kind == .array else { throw .fieldCount }
        let field = type.pointee.field(0)
        _ = try admitField(value, field, index: 0)
        let object: UnsafeMutablePointer<GCObject>
        do {
            object = try allocateObject(type, dataBytes: UInt64(length) &* UInt64(field.size), length: length)
        } catch {
            throw .allocation(error)
        }
        let words = (try? admitField(value, field, index: 0)) ?? (0, 0)
        let data = GCObject.data(object)
        if words != (0, 0) {
            for index in 0..<Int(length) { GCObject.store(words.0, words.1, size: field.size, at: data.advanced(by: index &* Int(field.size))) }
        }
        Store.rootReference(UInt64(UInt(bitPattern: object)), anyHierarchy: true)
        return UInt64(UInt(bitPattern: object))
    }

    private mutating func admitField(_ value: HostValue, _ field: GCField, index: Int) throws(HostObjectFailure) -> (UInt64, UInt64) {
        do {
            return try admit(value, as: field.storage.isPacked ? .i32 : field.storage)
        } catch {
            throw .rejected(index: index, error)
        }
    }
}
