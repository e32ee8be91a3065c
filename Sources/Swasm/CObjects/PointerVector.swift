/// Construction of vectors of owned object pointers (`wasm_valtype_vec_t`, `wasm_extern_vec_t`, ...).
public enum PointerVector {
    /// A vector of `size` NULL pointers, to be filled by the caller.
    public static func makeNulls(_ out: UnsafeMutableRawPointer?, _ size: Int) {
        _ = CVector.makeZeroed(out, count: size, elementSize: MemoryLayout<OpaquePointer?>.stride)
    }

    /// A vector that takes ownership of the `size` objects at `data`. If the vector cannot be
    /// allocated, the objects are deleted (their ownership was passed in) and `out` is empty.
    public static func makeTaking(_ out: UnsafeMutableRawPointer?, _ size: Int, _ data: UnsafePointer<OpaquePointer?>?,
                                  deleteElement: (OpaquePointer) -> Void) {
        if CVector.makeCopy(out, count: size, elementSize: MemoryLayout<OpaquePointer?>.stride, from: data) { return }
        // A size no vector can have is not a count of elements to delete: read none of them.
        guard let data, size > 0, size <= Int.max / MemoryLayout<OpaquePointer?>.stride else { return }
        for index in 0..<size { data[index].map(deleteElement) }
    }
}
