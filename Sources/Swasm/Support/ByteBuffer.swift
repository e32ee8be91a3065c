import CSwasm

/// An owned, growable run of bytes (module bytes, names, messages). Growth can fail with
/// `SwasmError.outOfMemory`; nothing here aborts.
public struct ByteBuffer: ~Copyable {
    public private(set) var storage = FallibleVector<UInt8>()

    public init() {}

    /// Takes over `count` bytes at `bytes`, storage that came from `Heap`.
    public init(adopting bytes: UnsafeMutablePointer<UInt8>?, count: Int) {
        storage = FallibleVector(adopting: bytes, count: count)
    }

    /// A copy of `count` bytes starting at `bytes`.
    public init(copying bytes: UnsafeRawPointer?, count: Int) throws(SwasmError) {
        try append(bytes, count: count)
    }

    /// A copy of a NUL-terminated C string (without the terminator).
    public init(cString: UnsafePointer<CChar>) throws(SwasmError) {
        try append(UnsafeRawPointer(cString), count: cswasm_strlen(cString))
    }

    /// A copy of a Swift static string (messages baked into the library).
    public init(_ text: StaticString) throws(SwasmError) {
        try append(UnsafeRawPointer(text.utf8Start), count: text.utf8CodeUnitCount)
    }

    public var count: Int { storage.count }
    public var isEmpty: Bool { storage.isEmpty }
    public var bytes: UnsafeMutablePointer<UInt8>? { storage.base }

    public subscript(index: Int) -> UInt8 {
        get { storage[index] }
        set { storage[index] = newValue }
    }

    public mutating func reserve(_ capacity: Int) throws(SwasmError) { try storage.reserve(capacity) }

    /// Empties the buffer, keeping its storage.
    public mutating func removeAll() { storage.removeAll() }

    public mutating func append(_ byte: UInt8) throws(SwasmError) { try storage.append(byte) }

    public mutating func append(_ bytes: UnsafeRawPointer?, count: Int) throws(SwasmError) {
        guard count > 0, let bytes else { return }
        try storage.appendBytes(UnsafeRawBufferPointer(start: bytes, count: count))
    }

    /// Appends `count` zero bytes.
    public mutating func appendZeros(_ count: Int) throws(SwasmError) {
        guard count > 0 else { return }
        let start = storage.count
        try storage.resizeUninitialized(start &+ count)
        storage.base!.advanced(by: start).update(repeating: 0, count: count)
    }

    public mutating func append(_ text: StaticString) throws(SwasmError) {
        try append(UnsafeRawPointer(text.utf8Start), count: text.utf8CodeUnitCount)
    }

    public mutating func append(_ other: borrowing ByteBuffer) throws(SwasmError) {
        try append(other.bytes.map { UnsafeRawPointer($0) }, count: other.count)
    }

    /// Appends the decimal digits of a number.
    public mutating func appendDecimal(_ value: UInt64) throws(SwasmError) {
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0) // room for 24 digits
        var length = 0
        var rest = value
        try withUnsafeMutableBytes(of: &digits) { (raw) throws(SwasmError) in
            repeat {
                raw[length] = UInt8(truncatingIfNeeded: rest % 10) &+ 48
                length &+= 1
                rest /= 10
            } while rest != 0
            while length > 0 {
                length &-= 1
                try append(raw[length])
            }
        }
    }

    public mutating func appendDecimal(_ value: Int64) throws(SwasmError) {
        if value < 0 {
            try append(UInt8(ascii: "-"))
            try appendDecimal(UInt64(bitPattern: 0 &- value))
        } else {
            try appendDecimal(UInt64(value))
        }
    }

    /// Appends `0x` and lowercase hexadecimal digits.
    public mutating func appendHex(_ value: UInt64) throws(SwasmError) {
        try append("0x")
        var shift = 60
        while shift > 0 && (value >> UInt64(shift)) & 0xf == 0 { shift -= 4 }
        while shift >= 0 {
            let nibble = UInt8(truncatingIfNeeded: (value >> UInt64(shift)) & 0xf)
            try append(nibble < 10 ? nibble &+ 48 : nibble &+ 87)
            shift -= 4
        }
    }

    public func equals(_ bytes: UnsafeRawPointer?, count: Int) -> Bool {
        guard count == self.count else { return false }
        guard count > 0 else { return true }
        return cswasm_memcmp(self.bytes, bytes, count) == 0
    }

    public func clone() throws(SwasmError) -> ByteBuffer {
        var copy = ByteBuffer()
        try copy.append(self)
        return copy
    }

    /// Hands the bytes to the caller, who frees them with `Heap.free`; the buffer is left empty.
    public mutating func takeBytes() -> (bytes: UnsafeMutablePointer<UInt8>?, count: Int) {
        let taken = storage.takeStorage()
        return (taken.base, taken.count)
    }
}

extension ByteBuffer {
    /// Appends `count` bytes as UTF-8, each ill-formed part replaced by U+FFFD (the maximal
    /// subparts of the Unicode standard, as Rust's `from_utf8_lossy` replaces them): host text
    /// that wasmtime turns into a Rust string reads the same here.
    public mutating func appendLossyUTF8(_ source: UnsafeRawPointer?, count: Int) throws(SwasmError) {
        guard let source, count > 0 else { return }
        let bytes = source.assumingMemoryBound(to: UInt8.self)
        var index = 0
        while index < count {
            let lead = bytes[index]
            if lead < 0x80 {
                try append(lead)
                index &+= 1
                continue
            }
            let shape = utf8LeadShape(lead)
            let needed = shape.map { $0.length &- 1 } ?? 0
            let low = shape?.low ?? 0x80, high = shape?.high ?? 0xbf
            var taken = 1
            while needed > 0 && taken <= needed && index &+ taken < count {
                let next = bytes[index &+ taken]
                let (first, last) = taken == 1 ? (low, high) : (UInt8(0x80), UInt8(0xbf))
                guard next >= first && next <= last else { break }
                taken &+= 1
            }
            if needed > 0 && taken == needed &+ 1 {
                try append(UnsafeRawPointer(bytes.advanced(by: index)), count: taken)
            } else {
                try append(0xef)
                try append(0xbf)
                try append(0xbd)
            }
            index &+= taken
        }
    }
}
