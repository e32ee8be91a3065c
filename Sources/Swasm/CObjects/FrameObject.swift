/// `wasm_frame_t`: a heap cell holding a runtime `BacktraceFrame` (Runtime/Backtrace.swift).
public enum FrameObject {
    public static func pointer(_ object: OpaquePointer) -> UnsafeMutablePointer<BacktraceFrame> {
        UnsafeMutablePointer(object)
    }

    public static func delete(_ object: OpaquePointer) { Heap.destroy(pointer(object)) }

    /// A new frame object with the same contents; nil on allocation failure.
    public static func copy(_ object: OpaquePointer) -> OpaquePointer? {
        (try? BacktraceFrame.copy(pointer(object))).map { OpaquePointer($0) }
    }
}
