/// Zeroed scratch space for a call's values: on the stack when it fits (most calls), from the
/// heap otherwise, so that the common host call allocates nothing.
public enum ScratchBuffer {
    /// Bytes of stack scratch (sixteen 8-byte words: a call's slots, or five `wasmtime_val_t`s).
    static let stackBytes = 128

    /// Runs `body` with room for `count` zeroed values of `T`; nil when the room had to come from
    /// the heap and could not be allocated.
    @inline(__always)
    public static func with<T, R>(_: T.Type, count: Int, _ body: (UnsafeMutablePointer<T>) -> R) -> R? {
        let wanted = max(count, 1)
        if wanted <= stackBytes / MemoryLayout<T>.stride && MemoryLayout<T>.alignment <= 8 {
            var words: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64,
                         UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
            return withUnsafeMutableBytes(of: &words) { body($0.baseAddress!.bindMemory(to: T.self, capacity: wanted)) }
        }
        guard let storage = try? Heap.allocateZeroed(T.self, count: wanted) else { return nil }
        defer { Heap.free(storage) }
        return body(storage)
    }
}
