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

    /// Hashes and compares an identifier written as a string (`$"..."`) by the name it denotes, so
    /// that `$"fh"` is `$fh`; every other slice by its bytes.
    var hashCode: UInt64 {
        guard isQuotedIdentifier else { return fnv1aHash(base, count: count) }
        var hash = fnv1aHash(base, count: 1) // the `$`
        var name = TextIdentifierBytes(self)
        while let byte = name.next() { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return hash
    }

    func isEqual(to other: borrowing TextSlice) -> Bool {
        let peer = copy other
        if isQuotedIdentifier || peer.isQuotedIdentifier {
            guard count > 0, peer.count > 0, self[0] == peer[0] else { return false }
            var mine = TextIdentifierBytes(self), theirs = TextIdentifierBytes(peer)
            while true {
                let a = mine.next(), b = theirs.next()
                if a != b { return false }
                if a == nil { return true }
            }
        }
        guard count == other.count else { return false }
        guard count > 0 else { return true }
        return cswasm_memcmp(base, other.base, count) == 0
    }

    /// `$"..."`: an identifier written as a string.
    var isQuotedIdentifier: Bool { count >= 3 && self[0] == UInt8(ascii: "$") && self[1] == UInt8(ascii: "\"") }

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

/// The bytes of the name an identifier token denotes: what follows `$`, with the escapes of an
/// identifier written as a string (`$"..."`, checked by the lexer) decoded.
struct TextIdentifierBytes {
    let identifier: TextSlice
    var index: Int
    let end: Int
    /// Bytes of a decoded `\u{...}` still to come, lowest first.
    var pending: UInt32 = 0
    var pendingCount = 0

    init(_ identifier: TextSlice) {
        self.identifier = identifier
        if identifier.isQuotedIdentifier {
            index = 2
            end = identifier.count &- 1
        } else {
            index = identifier.count > 0 ? 1 : 0
            end = identifier.count
        }
    }

    mutating func next() -> UInt8? {
        if pendingCount > 0 {
            let byte = UInt8(truncatingIfNeeded: pending)
            pending >>= 8
            pendingCount &-= 1
            return byte
        }
        guard index < end else { return nil }
        let current = identifier[index]
        index &+= 1
        guard current == UInt8(ascii: "\\"), identifier.isQuotedIdentifier, index < end else { return current }
        let escape = identifier[index]
        index &+= 1
        switch escape {
        case UInt8(ascii: "t"): return 0x09
        case UInt8(ascii: "n"): return 0x0a
        case UInt8(ascii: "r"): return 0x0d
        case UInt8(ascii: "u"):
            index &+= 1 // `{`
            var scalar: UInt32 = 0
            while index < end && identifier[index] != UInt8(ascii: "}") {
                if let digit = textHexDigitValue(identifier[index]) { scalar = scalar << 4 | UInt32(digit) }
                index &+= 1
            }
            index &+= 1 // `}`
            return utf8(scalar)
        default:
            guard let high = textHexDigitValue(escape) else { return escape } // `\"`, `\'`, `\\`
            let low = index < end ? (textHexDigitValue(identifier[index]) ?? 0) : 0
            index &+= 1
            return high << 4 | low
        }
    }

    /// The first UTF-8 byte of `scalar`; the others become pending.
    private mutating func utf8(_ scalar: UInt32) -> UInt8 {
        if scalar < 0x80 { return UInt8(truncatingIfNeeded: scalar) }
        var bytes: (UInt32, Int)
        if scalar < 0x800 {
            bytes = ((0xc0 | scalar >> 6) | (0x80 | scalar & 0x3f) << 8, 2)
        } else if scalar < 0x10000 {
            bytes = ((0xe0 | scalar >> 12) | (0x80 | scalar >> 6 & 0x3f) << 8 | (0x80 | scalar & 0x3f) << 16, 3)
        } else {
            bytes = ((0xf0 | scalar >> 18) | (0x80 | scalar >> 12 & 0x3f) << 8 | (0x80 | scalar >> 6 & 0x3f) << 16
                     | (0x80 | scalar & 0x3f) << 24, 4)
        }
        pending = bytes.0 >> 8
        pendingCount = bytes.1 &- 1
        return UInt8(truncatingIfNeeded: bytes.0)
    }
}

extension TextBuffer {
    /// The binary encoding of a value or storage type: its code, or 0x63 `(ref null ht)` /
    /// 0x64 `(ref ht)` and the heap type where no shorthand exists.
    mutating func appendValueType(_ type: ValueType) throws(SwasmError) {
        guard type.isReference, !type.isNullable || type.heapType.isConcrete else { return try append(type.code) }
        try append(type.isNullable ? 0x63 : 0x64)
        try appendHeapType(type.heapType)
    }

    /// A heap type: an abstract one's code, or its type index as an s33.
    mutating func appendHeapType(_ heap: HeapType) throws(SwasmError) {
        if heap.isConcrete { try appendS64(Int64(heap.index)) } else { try append(heap.code) }
    }
}
