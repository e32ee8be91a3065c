/// Fields and elements of GC objects as the host reads and writes them (structref.h,
/// arrayref.h): values of the field's type (packed fields as i32), checked as any value entering
/// from the host is (`Store.admit`).
extension Store {
    /// The value of field `index` of `object` (a struct's field, or an array's element at
    /// `index`); nil for an index out of range. A reference read for the host is rooted when
    /// `rooting`.
    public mutating func readField(_ object: UnsafeMutablePointer<GCObject>, _ index: Int, rooting: Bool) -> HostValue? {
        guard let (field, address) = GCObject.place(object, index) else { return nil }
        let value = GCObject.load(size: field.size, from: address)
        var slots = (value.low, value.high)
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
    public mutating func writeField(_ object: UnsafeMutablePointer<GCObject>, _ index: Int, _ value: HostValue, initializing: Bool = false) throws(FieldWriteFailure) {
        guard let (field, address) = GCObject.place(object, index) else { throw .outOfRange }
        guard initializing || field.isMutable else { throw .immutable }
        let words: (UInt64, UInt64)
        do {
            words = try admit(value, as: field.storage.isPacked ? .i32 : field.storage)
        } catch {
            throw .rejected(error)
        }
        GCObject.store(words.0, words.1, size: field.size, at: address)
    }

    /// The GC object a host handle's word names if it is a live object of this store of `kind`
    /// (struct or array; any kind when nil).
    public mutating func object(_ word: UInt64, kind: CompositeKind? = nil) -> UnsafeMutablePointer<GCObject>? {
        guard isObject(word) else { return nil }
        let object = GCObject.of(word)
        if let kind, object.pointee.type.pointee.kind != kind { return nil }
        return object
    }
}
