/// Reads instructions from a function body that validation has already accepted. Because the
/// bytes are known to be well formed and in bounds, it decodes without error paths; it never reads
/// past `end` all the same (a truncated read yields zeros), so a bug cannot turn into a wild read.
struct CodeReader {
    let base: UnsafePointer<UInt8>
    var position: Int
    let end: Int

    init(_ bytes: UnsafeRawBufferPointer, start: Int, end: Int) {
        base = bytes.baseAddress!.assumingMemoryBound(to: UInt8.self)
        position = start
        self.end = end
    }

    var isAtEnd: Bool { position >= end }

    @inline(__always)
    mutating func byte() -> UInt8 {
        guard position < end else { return 0 }
        let value = base[position]
        position &+= 1
        return value
    }

    @inline(__always)
    mutating func u32() -> UInt32 { UInt32(truncatingIfNeeded: u64()) }

    mutating func u64() -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let next = byte()
            if shift < 64 { result |= UInt64(next & 0x7f) << shift }
            if next & 0x80 == 0 || position >= end { return result }
            shift &+= 7
        }
    }

    mutating func s64() -> Int64 {
        var result: Int64 = 0
        var shift: Int64 = 0
        var next: UInt8 = 0
        repeat {
            next = byte()
            if shift < 64 { result |= Int64(next & 0x7f) << shift }
            shift &+= 7
        } while next & 0x80 != 0 && position < end
        if shift < 64 && next & 0x40 != 0 { result |= -1 << shift }
        return result
    }

    mutating func s32() -> Int32 { Int32(truncatingIfNeeded: s64()) }

    mutating func fixed32() -> UInt32 {
        var value: UInt32 = 0
        for index in 0..<4 { value |= UInt32(byte()) << UInt32(index &* 8) }
        return value
    }

    mutating func fixed64() -> UInt64 {
        var value: UInt64 = 0
        for index in 0..<8 { value |= UInt64(byte()) << UInt64(index &* 8) }
        return value
    }

    /// A block type: empty, one value type, or a type index (as a signed 33-bit LEB).
    mutating func blockSignature() -> BlockSignature {
        guard position < end else { return .empty }
        let first = base[position]
        if first == 0x40 { position &+= 1; return .empty }
        if first & 0xc0 == 0x40 { return .value(valueType()) }
        return .typeIndex(UInt32(truncatingIfNeeded: s64()))
    }

    /// A value type (the compiler only needs its kind: a reference's heap type is skipped).
    mutating func valueType() -> ValueType {
        let first = byte()
        if first == 0x63 || first == 0x64 {
            let heap = s64()
            return ValueType(heap: heap >= 0 ? .concrete(UInt32(truncatingIfNeeded: heap)) : HeapType(abstract: UInt8(truncatingIfNeeded: heap) & 0x7f),
                             nullable: first == 0x63)
        }
        return ValueType(code: first)
    }

    /// A memory argument: alignment (and memory index when bit 6 is set), then offset.
    mutating func memoryArgument() -> (memory: UInt32, offset: UInt64) {
        let flags = u32()
        let memory: UInt32 = flags & 0x40 != 0 ? u32() : 0
        return (memory, u64())
    }
}

/// A block's signature as the compiler reads it.
enum BlockSignature {
    case empty
    case value(ValueType)
    case typeIndex(UInt32)
}
