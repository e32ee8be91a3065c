/// Fields and elements of GC objects as the host reads and writes them (structref.h,
/// arrayref.h): values of the field's type (packed fields as i32), checked as any value entering
/// from the host is (`Store.admit`).
extension Store {
    /// The value of field `index` of `object` (a struct's field, or an array's element at
    /// `index`); nil for an index out of range. A reference read for the host is rooted when
    /// `rooting`.
    public func readField(_ object: UnsafeMutablePointer<GCObject>, _ index: Int, rooting: Bool) -> HostValue? {
        let type = object.pointee.type
        let field: GCField
        let address: UnsafeMutableRawPointer
        if type.pointee.kind == .array {
            guard index >= 0, index < Int(object.pointee.length) else { return nil }
            field = type.pointee.field(0)
            address = GCObject.data(object).advanced(by: index &* Int(field.size))
        } else {
            guard index >= 0, index < type.pointee.fieldCount else { return nil }
            field = type.pointee.field(index)
            address = GCObject.data(object).advanced(by: Int(field.offset))
        }
        var slots: (UInt64, UInt64) = (0, 0)
        withUnsafeMutableBytes(of: &slots) { buffer in
            let words = buffer.baseAddress!.assumingMemoryBound(to: UInt64.self)
            switch field.size {
            case 1: words[0] = UInt64(address.load(as: UInt8.self))
            case 2: words[0] = UInt64(address.loadUnaligned(as: UInt16.self))
            case 4: words[0] = UInt64(address.loadUnaligned(as: UInt32.self))
            case 16:
                words[0] = address.loadUnaligned(as: UInt64.self)
                words[1] = address.loadUnaligned(fromByteOffset: 8, as: UInt64.self)
            default: words[0] = address.loadUnaligned(as: UInt64.self)
            }
        }
        return withUnsafePointer(to: &slots) {
            hostValue(UnsafeRawPointer($0).assumingMemoryBound(to: UInt64.self), as: field.storage.isPacked ? .i32 : field.storage, rooting: rooting)
        }
    }

    /// Why a field could not be written.
    public enum FieldWriteFailure: Error {
        case outOfRange
        case immutable
        case rejected(ValueRejection)
    }

    /// Writes `value` into field `index` of `object` (an array's element at `index`); mutability
    /// is checked unless `initializing` (a new object's fields).
    public func writeField(_ object: UnsafeMutablePointer<GCObject>, _ index: Int, _ value: HostValue, initializing: Bool = false) throws(FieldWriteFailure) {
        let type = object.pointee.type
        let field: GCField
        let address: UnsafeMutableRawPointer
        if type.pointee.kind == .array {
            guard index >= 0, index < Int(object.pointee.length) else { throw .outOfRange }
            field = type.pointee.field(0)
            address = GCObject.data(object).advanced(by: index &* Int(field.size))
        } else {
            guard index >= 0, index < type.pointee.fieldCount else { throw .outOfRange }
            field = type.pointee.field(index)
            address = GCObject.data(object).advanced(by: Int(field.offset))
        }
        guard initializing || field.isMutable else { throw .immutable }
        let words: (UInt64, UInt64)
        do {
            words = try admit(value, as: field.storage.isPacked ? .i32 : field.storage)
        } catch {
            throw .rejected(error)
        }
        Self.store(words, size: field.size, at: address)
    }

    /// Stores a value's slot words into a field of `size` bytes (packed fields truncated).
    static func store(_ words: (UInt64, UInt64), size: UInt8, at address: UnsafeMutableRawPointer) {
        switch size {
        case 1: address.storeBytes(of: UInt8(truncatingIfNeeded: words.0), as: UInt8.self)
        case 2: address.storeBytes(of: UInt16(truncatingIfNeeded: words.0), as: UInt16.self)
        case 4: address.storeBytes(of: UInt32(truncatingIfNeeded: words.0), as: UInt32.self)
        case 16:
            address.storeBytes(of: words.0, as: UInt64.self)
            address.storeBytes(of: words.1, toByteOffset: 8, as: UInt64.self)
        default: address.storeBytes(of: words.0, as: UInt64.self)
        }
    }

    /// The GC object a host handle's word names if it is a live object of this store of `kind`
    /// (struct or array; any kind when nil).
    public func object(_ word: UInt64, kind: CompositeKind? = nil) -> UnsafeMutablePointer<GCObject>? {
        guard isObject(word) else { return nil }
        let object = GCObject.of(word)
        if let kind, object.pointee.type.pointee.kind != kind { return nil }
        return object
    }
}
