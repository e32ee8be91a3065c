import CSwasm

/// The one allocator of the core. Every byte of heap the runtime uses comes from here, and every
/// failure becomes `SwasmError.outOfMemory` instead of a crash.
public enum Heap {
    /// Uninitialized storage for `count` values of `T`.
    @inline(__always)
    public static func allocate<T: ~Copyable>(_: T.Type, count: Int = 1) throws(SwasmError) -> UnsafeMutablePointer<T> {
        let bytes = try byteCount(of: T.self, count: count)
        guard let raw = rawMalloc(bytes) else { throw .outOfMemory }
        return raw.assumingMemoryBound(to: T.self)
    }

    /// Zero-filled storage for `count` values of `T`.
    public static func allocateZeroed<T: ~Copyable>(_: T.Type, count: Int = 1) throws(SwasmError) -> UnsafeMutablePointer<T> {
        guard count >= 0 else { throw .outOfMemory }
        guard let raw = rawCalloc(count, MemoryLayout<T>.stride) else { throw .outOfMemory }
        return raw.assumingMemoryBound(to: T.self)
    }

    /// Resizes storage obtained from this allocator. On failure the old block is untouched.
    public static func reallocate<T: ~Copyable>(_ pointer: UnsafeMutablePointer<T>?, _: T.Type, count: Int) throws(SwasmError) -> UnsafeMutablePointer<T> {
        let bytes = try byteCount(of: T.self, count: count)
        guard let raw = rawRealloc(pointer.map { UnsafeMutableRawPointer($0) }, bytes) else { throw .outOfMemory }
        return raw.assumingMemoryBound(to: T.self)
    }

    /// A new heap cell initialized by `make`, which runs only once the cell exists. Use it for
    /// values whose `deinit` releases resources the caller still owns if creation fails
    /// (`create` destroys its argument when allocation fails).
    @inline(__always)
    public static func emplace<T: ~Copyable>(_ make: () -> T) throws(SwasmError) -> UnsafeMutablePointer<T> {
        let cell = try allocate(T.self)
        cell.initialize(to: make())
        return cell
    }

    /// Moves `value` into a new heap cell. If allocation fails, `value` is destroyed.
    @inline(__always)
    public static func create<T: ~Copyable>(_ value: consuming T) throws(SwasmError) -> UnsafeMutablePointer<T> {
        let cell = try allocate(T.self)
        cell.initialize(to: value)
        return cell
    }

    /// Deinitializes the value in a cell made by `create` and frees the cell.
    public static func destroy<T: ~Copyable>(_ cell: UnsafeMutablePointer<T>) {
        cell.deinitialize(count: 1)
        free(cell)
    }

    /// Frees storage obtained from this allocator (NULL is ignored). Never allocates.
    @inline(__always)
    public static func free<T: ~Copyable>(_ pointer: UnsafeMutablePointer<T>?) {
        cswasm_free(pointer.map { UnsafeMutableRawPointer($0) })
    }

    @inline(__always)
    public static func freeRaw(_ pointer: UnsafeMutableRawPointer?) {
        cswasm_free(pointer)
    }

    /// Raw storage, for buffers handed to C (for example the data of a `wasm_byte_vec_t`).
    public static func allocateRaw(byteCount: Int) throws(SwasmError) -> UnsafeMutableRawPointer {
        guard byteCount >= 0, let raw = rawMalloc(byteCount) else { throw .outOfMemory }
        return raw
    }

    // The only calls into the allocator (Sources/CSwasm/allocator.c: libc's, or the embedder's
    // once swasm_set_allocator installed one). Never inlined, so that the static check of the
    // shipped library (tests-c/static) can prove no other code allocates.
    @inline(never)
    static func rawMalloc(_ bytes: Int) -> UnsafeMutableRawPointer? {
        cswasm_malloc(bytes == 0 ? 1 : bytes)
    }

    @inline(never)
    static func rawCalloc(_ count: Int, _ size: Int) -> UnsafeMutableRawPointer? {
        cswasm_calloc(count == 0 ? 1 : count, size == 0 ? 1 : size)
    }

    @inline(never)
    static func rawRealloc(_ pointer: UnsafeMutableRawPointer?, _ bytes: Int) -> UnsafeMutableRawPointer? {
        cswasm_realloc(pointer, bytes == 0 ? 1 : bytes)
    }

    @inline(__always)
    static func byteCount<T: ~Copyable>(of _: T.Type, count: Int) throws(SwasmError) -> Int {
        guard count >= 0 else { throw .outOfMemory }
        let (bytes, overflow) = count.multipliedReportingOverflow(by: MemoryLayout<T>.stride)
        guard !overflow else { throw .outOfMemory }
        return bytes
    }
}
