/// Operations on C vectors, shared by all `wasm_*_vec_t` types. Element storage comes from
/// `Heap`; on allocation failure the output vector is left empty (size 0, data NULL).
public enum CVector {
    @inline(__always)
    public static func raw(_ vector: UnsafeMutableRawPointer) -> UnsafeMutablePointer<RawVector> {
        vector.assumingMemoryBound(to: RawVector.self)
    }

    public static func setEmpty(_ out: UnsafeMutableRawPointer?) {
        guard let out else { return }
        raw(out).pointee = RawVector()
    }

    /// Storage for `count` elements of `elementSize` bytes, zero-filled (so a vector of pointers
    /// starts out as NULLs and can be deleted safely before it is filled).
    public static func makeZeroed(_ out: UnsafeMutableRawPointer?, count: Int, elementSize: Int) -> Bool {
        guard let out else { return false }
        setEmpty(out)
        guard count > 0 else { return true }
        guard let (bytes, overflow) = Optional(count.multipliedReportingOverflow(by: elementSize)), !overflow,
              let storage = try? Heap.allocateZeroed(UInt8.self, count: bytes) else { return false }
        raw(out).pointee.data = UnsafeMutableRawPointer(storage)
        raw(out).pointee.size = count
        return true
    }

    /// A vector holding a copy of `count` elements at `source` (bytes or pointers, copied shallowly).
    public static func makeCopy(_ out: UnsafeMutableRawPointer?, count: Int, elementSize: Int, from source: UnsafeRawPointer?) -> Bool {
        guard makeZeroed(out, count: count, elementSize: elementSize), let out else { return false }
        if count > 0, let source, let data = raw(out).pointee.data {
            data.copyMemory(from: source, byteCount: count &* elementSize)
        }
        return true
    }

    /// Frees the storage, first calling `deleteElement` on each non-NULL pointer element, and
    /// leaves the vector empty.
    public static func delete(_ vector: UnsafeMutableRawPointer?, deleteElement: (OpaquePointer) -> Void) {
        guard let vector else { return }
        release(raw(vector).pointee, deleteElement: deleteElement)
        raw(vector).pointee = RawVector()
    }

    /// Frees the storage of a vector of plain data (bytes, values) and leaves it empty.
    public static func delete(_ vector: UnsafeMutableRawPointer?) {
        guard let vector else { return }
        Heap.freeRaw(raw(vector).pointee.data)
        raw(vector).pointee = RawVector()
    }

    /// Frees a vector of pointers held by value (as objects' stored vectors are in `deinit`).
    public static func release(_ vector: RawVector, deleteElement: (OpaquePointer) -> Void) {
        if let data = vector.data {
            let elements = data.assumingMemoryBound(to: OpaquePointer?.self)
            for index in 0..<vector.size {
                if let element = elements[index] { deleteElement(element) }
            }
        }
        Heap.freeRaw(vector.data)
    }

    /// Frees a vector of plain data held by value.
    public static func release(_ vector: RawVector) {
        Heap.freeRaw(vector.data)
    }

    /// A deep copy of a vector of pointers: each element is copied with `copyElement` (NULL
    /// elements stay NULL). On failure everything copied so far is deleted and `out` is empty.
    public static func copyPointers(_ out: UnsafeMutableRawPointer?, from source: UnsafeRawPointer?,
                                    copyElement: (OpaquePointer) -> OpaquePointer?,
                                    deleteElement: (OpaquePointer) -> Void) {
        guard let out else { return }
        guard let source else { setEmpty(out); return }
        let sourceVector = source.assumingMemoryBound(to: RawVector.self).pointee
        guard makeZeroed(out, count: sourceVector.size, elementSize: MemoryLayout<OpaquePointer?>.stride) else { return }
        guard sourceVector.size > 0, let sourceData = sourceVector.data, let data = raw(out).pointee.data else { return }
        let from = sourceData.assumingMemoryBound(to: OpaquePointer?.self)
        let to = data.assumingMemoryBound(to: OpaquePointer?.self)
        for index in 0..<sourceVector.size {
            guard let element = from[index] else { continue }
            guard let copy = copyElement(element) else {
                delete(out, deleteElement: deleteElement)
                return
            }
            to[index] = copy
        }
    }

    /// The elements of a vector of pointers.
    public static func pointers(_ vector: UnsafeRawPointer) -> UnsafeBufferPointer<OpaquePointer?> {
        let rawVector = vector.assumingMemoryBound(to: RawVector.self).pointee
        return UnsafeBufferPointer(start: rawVector.data?.assumingMemoryBound(to: OpaquePointer?.self), count: rawVector.data == nil ? 0 : rawVector.size)
    }

    /// The value types of a `wasm_valtype_vec_t`; `.invalidArgument` for a NULL element.
    public static func valueTypes(_ vector: UnsafeRawPointer) throws(SwasmError) -> FallibleVector<ValueType> {
        var types = FallibleVector<ValueType>()
        let elements = pointers(vector)
        try types.reserve(elements.count)
        for element in elements {
            guard let element else { throw .invalidArgument }
            try types.append(ValTypeObject.get(element))
        }
        return types
    }

    /// Whether a vector of pointers holds a NULL element.
    public static func containsNull(_ vector: UnsafeRawPointer?) -> Bool {
        guard let vector else { return false }
        for element in pointers(vector) where element == nil { return true }
        return false
    }

    /// A byte vector holding a copy of `bytes` (for names and messages handed to C).
    public static func makeBytes(_ out: UnsafeMutableRawPointer?, _ bytes: UnsafeRawPointer?, count: Int) -> Bool {
        makeCopy(out, count: count, elementSize: 1, from: bytes)
    }
}
