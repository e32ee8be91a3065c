import CSwasm

/// The growable byte buffer of the text front end: appends, LEB128 writers and truncation (the
/// folded-instruction parser keeps pending opcodes on a stack of bytes). Growth fails with
/// `SwasmError.outOfMemory`; nothing here aborts.
struct TextBuffer: ~Copyable {
    private(set) var base: UnsafeMutablePointer<UInt8>?
    private(set) var count = 0
    private var capacity = 0

    init() {}

    deinit { Heap.free(base) }

    var isEmpty: Bool { count == 0 }

    var bytes: UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: base.map { UnsafeRawPointer($0) }, count: base == nil ? 0 : count)
    }

    subscript(index: Int) -> UInt8 {
        get { base![index] }
        set { base![index] = newValue }
    }

    mutating func reserve(_ minimumCapacity: Int) throws(SwasmError) {
        guard minimumCapacity > capacity else { return }
        var newCapacity = capacity < 16 ? 16 : capacity
        while newCapacity < minimumCapacity {
            let (doubled, overflow) = newCapacity.multipliedReportingOverflow(by: 2)
            newCapacity = overflow ? minimumCapacity : doubled
        }
        base = try Heap.reallocate(base, UInt8.self, count: newCapacity)
        capacity = newCapacity
    }

    @inline(__always)
    mutating func append(_ byte: UInt8) throws(SwasmError) {
        if count == capacity { try reserve(count &+ 1) }
        base![count] = byte
        count &+= 1
    }

    mutating func append(_ source: UnsafeRawPointer?, count length: Int) throws(SwasmError) {
        guard length > 0, let source else { return }
        let (total, overflow) = count.addingReportingOverflow(length)
        guard !overflow else { throw .outOfMemory }
        try reserve(total)
        cswasm_memcpy(base! + count, source, length)
        count = total
    }

    mutating func append(_ raw: UnsafeRawBufferPointer) throws(SwasmError) {
        try append(raw.baseAddress, count: raw.count)
    }

    mutating func append(_ other: borrowing TextBuffer) throws(SwasmError) {
        try append(other.bytes)
    }

    mutating func append(_ text: StaticString) throws(SwasmError) {
        try append(UnsafeRawPointer(text.utf8Start), count: text.utf8CodeUnitCount)
    }

    /// Appends the bytes `other[start..<other.count]`.
    mutating func append(_ other: borrowing TextBuffer, from start: Int) throws(SwasmError) {
        guard start >= 0, start < other.count, let source = other.base else { return }
        try append(UnsafeRawPointer(source + start), count: other.count &- start)
    }

    /// Drops bytes from the end so that `newCount` remain.
    mutating func truncate(to newCount: Int) {
        if newCount >= 0 && newCount < count { count = newCount }
    }

    mutating func removeAll() { count = 0 }

    mutating func appendU32(_ value: UInt32) throws(SwasmError) { try appendU64(UInt64(value)) }

    mutating func appendU64(_ value: UInt64) throws(SwasmError) {
        var rest = value
        repeat {
            var byte = UInt8(truncatingIfNeeded: rest & 0x7f)
            rest >>= 7
            if rest != 0 { byte |= 0x80 }
            try append(byte)
        } while rest != 0
    }

    mutating func appendS64(_ value: Int64) throws(SwasmError) {
        var rest = value
        while true {
            let byte = UInt8(truncatingIfNeeded: rest & 0x7f)
            rest >>= 7
            let done = (rest == 0 && byte & 0x40 == 0) || (rest == -1 && byte & 0x40 != 0)
            if done {
                try append(byte)
                return
            }
            try append(byte | 0x80)
        }
    }

    mutating func appendS32(_ value: Int32) throws(SwasmError) { try appendS64(Int64(value)) }

    mutating func appendLittleEndian32(_ value: UInt32) throws(SwasmError) {
        for shift in stride(from: 0, to: 32, by: 8) {
            try append(UInt8(truncatingIfNeeded: value >> UInt32(shift)))
        }
    }

    mutating func appendLittleEndian64(_ value: UInt64) throws(SwasmError) {
        for shift in stride(from: 0, to: 64, by: 8) {
            try append(UInt8(truncatingIfNeeded: value >> UInt64(shift)))
        }
    }

    /// A length-prefixed name.
    mutating func appendName(_ name: borrowing ByteBuffer) throws(SwasmError) {
        try appendU32(UInt32(truncatingIfNeeded: name.count))
        try append(name.bytes.map { UnsafeRawPointer($0) }, count: name.count)
    }

    /// A size-prefixed copy of `other` (section contents, function bodies).
    mutating func appendSized(_ other: borrowing TextBuffer) throws(SwasmError) {
        try appendU32(UInt32(truncatingIfNeeded: other.count))
        try append(other)
    }

    func equals(_ other: UnsafeRawBufferPointer) -> Bool {
        guard other.count == count else { return false }
        guard count > 0 else { return true }
        return cswasm_memcmp(base, other.baseAddress, count) == 0
    }

    /// A copy as a `ByteBuffer` (the form handed out of the text layer).
    func makeByteBuffer() throws(SwasmError) -> ByteBuffer {
        try ByteBuffer(copying: base.map { UnsafeRawPointer($0) }, count: count)
    }
}

/// A borrowed run of bytes (source text, static names), usable as a hash-map key. The memory it
/// points at must outlive every map that holds it.
struct TextSlice: HashMapKey, BitwiseCopyable {
    var base: UnsafeRawPointer?
    var count: Int

    init(base: UnsafeRawPointer?, count: Int) {
        self.base = base
        self.count = count
    }

    init(_ text: StaticString) {
        base = UnsafeRawPointer(text.utf8Start)
        count = text.utf8CodeUnitCount
    }

    static var empty: TextSlice { TextSlice(base: nil, count: 0) }

    var isEmpty: Bool { count == 0 }

    var hashCode: UInt64 { fnv1aHash(base, count: count) }

    func isEqual(to other: borrowing TextSlice) -> Bool {
        guard count == other.count else { return false }
        guard count > 0 else { return true }
        return cswasm_memcmp(base, other.base, count) == 0
    }

    func equals(_ text: StaticString) -> Bool {
        guard count == text.utf8CodeUnitCount else { return false }
        guard count > 0 else { return true }
        return cswasm_memcmp(base, UnsafeRawPointer(text.utf8Start), count) == 0
    }

    func hasPrefix(_ text: StaticString) -> Bool {
        guard count >= text.utf8CodeUnitCount else { return false }
        guard text.utf8CodeUnitCount > 0 else { return true }
        return cswasm_memcmp(base, UnsafeRawPointer(text.utf8Start), text.utf8CodeUnitCount) == 0
    }

    @inline(__always)
    subscript(index: Int) -> UInt8 {
        base!.load(fromByteOffset: index, as: UInt8.self)
    }

    /// The bytes from `start` on.
    func dropFirst(_ start: Int) -> TextSlice {
        guard start < count, let base else { return .empty }
        return TextSlice(base: base + start, count: count &- start)
    }

    var buffer: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base, count: base == nil ? 0 : count) }
}
