// wasm.h: byte vectors and names (`wasm_byte_vec_t`, `wasm_name_t`).
// On allocation failure the output vector is left empty (size 0, data NULL).

@_cdecl("wasm_byte_vec_new_empty")
public func wasm_byte_vec_new_empty(_ out: UnsafeMutableRawPointer?) {
    CVector.setEmpty(out)
}

@_cdecl("wasm_byte_vec_new_uninitialized")
public func wasm_byte_vec_new_uninitialized(_ out: UnsafeMutableRawPointer?, _ size: Int) {
    _ = CVector.makeZeroed(out, count: size, elementSize: 1)
}

@_cdecl("wasm_byte_vec_new")
public func wasm_byte_vec_new(_ out: UnsafeMutableRawPointer?, _ size: Int, _ data: UnsafeRawPointer?) {
    _ = CVector.makeCopy(out, count: size, elementSize: 1, from: data)
}

@_cdecl("wasm_byte_vec_copy")
public func wasm_byte_vec_copy(_ out: UnsafeMutableRawPointer?, _ source: UnsafeRawPointer?) {
    guard let source else { CVector.setEmpty(out); return }
    let vector = source.assumingMemoryBound(to: RawVector.self).pointee
    _ = CVector.makeCopy(out, count: vector.size, elementSize: 1, from: vector.data)
}

@_cdecl("wasm_byte_vec_delete")
public func wasm_byte_vec_delete(_ vector: UnsafeMutableRawPointer?) {
    CVector.delete(vector)
}
