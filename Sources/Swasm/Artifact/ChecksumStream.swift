/// The artifact checksum computed over bytes fed in pieces (the same result however the bytes are
/// split), so that deserialization can hash each part while it is in cache instead of reading
/// the whole artifact once more. Eight independent lanes take one little-endian word each per
/// 64-byte block (`lane = rotl(lane + word × p2, 31)`, one multiplication per word); then the
/// lanes, the length and the tail bytes are mixed (docs/artifact-format.md).
struct ChecksumStream {
    static let prime1: UInt64 = 0x9e37_79b1_85eb_ca87
    static let prime2: UInt64 = 0xc2b2_ae3d_27d4_eb4f

    private var lanes: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) =
        (prime1, prime2, ~prime1, ~prime2, prime1 ^ 1, prime2 ^ 1, ~prime1 ^ 1, ~prime2 ^ 1)
    /// Bytes of an incomplete block.
    private var pending: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0, 0, 0)
    private var pendingCount = 0
    private var total = 0

    @inline(__always)
    private static func step(_ lane: UInt64, _ word: UInt64) -> UInt64 {
        let mixed = lane &+ word &* prime2
        return (mixed << 31) | (mixed >> 33)
    }

    @inline(__always)
    private static func mix(_ hash: UInt64, _ value: UInt64) -> UInt64 {
        let mixed = (hash ^ value) &* prime1
        return mixed ^ (mixed >> 29)
    }

    @inline(__always)
    private mutating func block(_ base: UnsafeRawPointer) {
        @inline(__always) func word(_ index: Int) -> UInt64 {
            UInt64(littleEndian: base.loadUnaligned(fromByteOffset: index &* 8, as: UInt64.self))
        }
        lanes.0 = Self.step(lanes.0, word(0))
        lanes.1 = Self.step(lanes.1, word(1))
        lanes.2 = Self.step(lanes.2, word(2))
        lanes.3 = Self.step(lanes.3, word(3))
        lanes.4 = Self.step(lanes.4, word(4))
        lanes.5 = Self.step(lanes.5, word(5))
        lanes.6 = Self.step(lanes.6, word(6))
        lanes.7 = Self.step(lanes.7, word(7))
    }

    mutating func feed(_ bytes: UnsafeRawBufferPointer) {
        guard var source = bytes.baseAddress, bytes.count > 0 else { return }
        var count = bytes.count
        total &+= count
        if pendingCount > 0 {
            let taken = min(64 &- pendingCount, count)
            withUnsafeMutableBytes(of: &pending) { buffer in
                buffer.baseAddress!.advanced(by: pendingCount).copyMemory(from: source, byteCount: taken)
            }
            pendingCount &+= taken
            source = source.advanced(by: taken)
            count &-= taken
            if pendingCount < 64 { return }
            var full = pending
            withUnsafeBytes(of: &full) { buffer in block(buffer.baseAddress!) }
            pendingCount = 0
        }
        while count >= 64 {
            block(source)
            source = source.advanced(by: 64)
            count &-= 64
        }
        if count > 0 {
            withUnsafeMutableBytes(of: &pending) { buffer in buffer.baseAddress!.copyMemory(from: source, byteCount: count) }
            pendingCount = count
        }
    }

    func finish() -> UInt64 {
        var hash = Self.mix(Self.prime2, UInt64(truncatingIfNeeded: total))
        hash = Self.mix(hash, lanes.0)
        hash = Self.mix(hash, lanes.1)
        hash = Self.mix(hash, lanes.2)
        hash = Self.mix(hash, lanes.3)
        hash = Self.mix(hash, lanes.4)
        hash = Self.mix(hash, lanes.5)
        hash = Self.mix(hash, lanes.6)
        hash = Self.mix(hash, lanes.7)
        var tail = pending
        withUnsafeBytes(of: &tail) { buffer in
            for index in 0..<pendingCount { hash = Self.mix(hash, UInt64(buffer[index]) | 0x100) }
        }
        hash ^= hash >> 32
        return hash
    }
}
