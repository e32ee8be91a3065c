// wasm.h: backtrace frames (`wasm_frame_t`) and their vectors.

@_cdecl("wasm_frame_copy")
public func wasm_frame_copy(_ frame: OpaquePointer?) -> OpaquePointer? { frame.flatMap(FrameObject.copy) }

@_cdecl("wasm_frame_delete")
public func wasm_frame_delete(_ frame: OpaquePointer?) { frame.map(FrameObject.delete) }

@_cdecl("wasm_frame_func_index")
public func wasm_frame_func_index(_ frame: OpaquePointer?) -> UInt32 {
    frame.map { FrameObject.pointer($0).pointee.functionIndex } ?? 0
}

@_cdecl("wasm_frame_func_offset")
public func wasm_frame_func_offset(_ frame: OpaquePointer?) -> Int {
    frame.map { FrameObject.pointer($0).pointee.functionOffset } ?? 0
}

@_cdecl("wasm_frame_module_offset")
public func wasm_frame_module_offset(_ frame: OpaquePointer?) -> Int {
    frame.map { FrameObject.pointer($0).pointee.moduleOffset } ?? 0
}

@_cdecl("wasm_frame_vec_new_empty")
public func wasm_frame_vec_new_empty(_ out: UnsafeMutableRawPointer?) { CVector.setEmpty(out) }

@_cdecl("wasm_frame_vec_new_uninitialized")
public func wasm_frame_vec_new_uninitialized(_ out: UnsafeMutableRawPointer?, _ size: Int) { PointerVector.makeNulls(out, size) }

@_cdecl("wasm_frame_vec_new")
public func wasm_frame_vec_new(_ out: UnsafeMutableRawPointer?, _ size: Int, _ data: UnsafePointer<OpaquePointer?>?) {
    PointerVector.makeTaking(out, size, data, deleteElement: FrameObject.delete)
}

@_cdecl("wasm_frame_vec_copy")
public func wasm_frame_vec_copy(_ out: UnsafeMutableRawPointer?, _ source: UnsafeRawPointer?) {
    CVector.copyPointers(out, from: source, copyElement: FrameObject.copy, deleteElement: FrameObject.delete)
}

@_cdecl("wasm_frame_vec_delete")
public func wasm_frame_vec_delete(_ vector: UnsafeMutableRawPointer?) {
    CVector.delete(vector, deleteElement: FrameObject.delete)
}

/// The function's name from the module's name section, or NULL.
@_cdecl("wasmtime_frame_func_name")
public func wasmtime_frame_func_name(_ frame: OpaquePointer?) -> UnsafeRawPointer? {
    guard let frame, FrameObject.pointer(frame).pointee.functionName.size > 0 else { return nil }
    return UnsafeRawPointer(withUnsafeMutablePointer(to: &FrameObject.pointer(frame).pointee.functionName) { $0 })
}

/// The module's name from its name section, or NULL.
@_cdecl("wasmtime_frame_module_name")
public func wasmtime_frame_module_name(_ frame: OpaquePointer?) -> UnsafeRawPointer? {
    guard let frame, FrameObject.pointer(frame).pointee.moduleName.size > 0 else { return nil }
    return UnsafeRawPointer(withUnsafeMutablePointer(to: &FrameObject.pointer(frame).pointee.moduleName) { $0 })
}
