/// The layout of a swasm artifact (a serialized compiled module), described in
/// docs/artifact-format.md. All integers are little-endian.
///
///     header (64 bytes)
///       0  magic            "\0swasmcw"
///       8  u32 format       ArtifactFormat.version
///      12  u32 header size  64
///      16  u64 instruction set hash (Opcode.instructionSetHash)
///      24  u64 features     the engine's enabled proposals (Features.rawValue)
///      32  u32 code flags   bit 0: fuel metering, bit 1: epoch checks
///      36  u32 reserved     0
///      40  u64 payload size bytes after the header (the file's exact remainder)
///      48  u64 checksum     ArtifactFormat.checksum of the payload
///      56  u8[8]            swasm version that wrote it, NUL-padded (informative)
///     payload
///       u64 module size, the module's bytes, zero padding to 8 bytes
///       u32 function count (the defined functions), u32 reserved 0
///       per function:
///         u32 body offset, parameter slots, locals start, locals end, frame slots,
///         u32 flags (bit 0: compiled; bits 8-31: handler entries), u32 code words, u32 offset entries
///         u64 × code words     internal code, each instruction's handler word as its opcode
///         u64 × ⌈code words / 64⌉ instruction starts, one bit per code word (bit i of word j:
///                              code word 64j + i), so the verifier need not find them serially
///         u64 × offset entries instruction position << 32 | module offset
///         3 × u64 × handler entries  catch clauses of try_tables (`ExceptionHandler`):
///                              start | end << 32, pad | payload << 32, tag | kind << 32
///         u64                  stack maps (`StackMaps`): map count | slot count << 32
///         u64 × map count      code position | end of its slots << 32
///         u16 × slot count     the maps' slots, zero padding to 8 bytes
///       u32 image count, u32 reserved 0
///       per memory image (MemoryImageLayout, in memory order):
///         u32 memory index, u32 reserved 0, u64 byte count
///       (with images) zero padding to a multiple of 4096 bytes from the artifact's start, then
///       each image's pages: its runs' bytes, one after the other
enum ArtifactFormat {
    static let magic: (UInt64) = 0x7763_6d73_6177_7300 // "\0swasmcw" read as a little-endian u64
    static let version: UInt32 = 4
    static let headerSize = 64
    static let functionHeaderSize = 32
    static let handlerWords = 3
    /// Memory images start at a multiple of this from the artifact's start (a file offset
    /// `mmap` accepts).
    static let imageAlignment = Int(MemoryImageLayout.pageSize)
    static let writerVersion: StaticString = "0.1.0"

    /// Bytes of a function's stack maps: `count` maps naming `slots` slots.
    static func stackMapsSize(_ count: Int, slots: Int) -> Int { 8 &+ 8 &* count &+ ((2 &* slots &+ 7) & ~7) }

    /// Words of the instruction-start bitmap of `codeWords` words of code.
    static func bitmapWords(_ codeWords: Int) -> Int { (codeWords &+ 63) / 64 }

    static let fuelFlag: UInt32 = 1 << 0
    static let epochFlag: UInt32 = 1 << 1
    /// Relaxed SIMD compiled to its deterministic results.
    static let deterministicFlag: UInt32 = 1 << 2

    /// The code flags an engine's configuration compiles with.
    static func codeFlags(_ config: EngineConfig) -> UInt32 {
        (config.consumeFuel ? fuelFlag : 0) | (config.epochInterruption ? epochFlag : 0)
            | (config.relaxedSimdDeterministic ? deterministicFlag : 0)
    }

    /// A 64-bit checksum of `bytes` for catching accidental corruption (not an authenticator).
    static func checksum(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var stream = ChecksumStream()
        stream.feed(bytes)
        return stream.finish()
    }
}
