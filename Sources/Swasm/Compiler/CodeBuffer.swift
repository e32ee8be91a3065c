/// The internal code of one function while it is being written: words, plus the bookkeeping for
/// forward branches (patched when their label's position becomes known).
struct CodeBuffer: ~Copyable {
    var words = FallibleVector<UInt64>()
    /// For backtraces: the position (high 32 bits) of each instruction that may trap, call or
    /// leave, and the module offset of the WebAssembly instruction it came from (low 32 bits), in
    /// code order. (Other instructions never show in a backtrace.)
    var offsets = FallibleVector<UInt64>()
    /// The module offset of the WebAssembly instruction being translated.
    var sourceOffset: UInt32 = 0

    var position: Int { words.count }
    /// Where the instruction emitted last starts (-1 after a truncation: unknown).
    private(set) var lastInstructionStart = -1

    @inline(__always)
    mutating func emit(_ opcode: Opcode) throws(SwasmError) {
        if opcode.mayStop { try offsets.append(UInt64(truncatingIfNeeded: words.count) << 32 | UInt64(sourceOffset)) }
        lastInstructionStart = words.count
        try words.append(UInt64(opcode.rawValue))
    }

    @inline(__always)
    mutating func emit(_ word: UInt64) throws(SwasmError) {
        try words.append(word)
    }

    /// Packs up to four 16-bit slot numbers into one operand word.
    @inline(__always)
    static func slots(_ a: Int, _ b: Int = 0, _ c: Int = 0, _ d: Int = 0) -> UInt64 {
        UInt64(truncatingIfNeeded: a) & 0xffff
            | (UInt64(truncatingIfNeeded: b) & 0xffff) << 16
            | (UInt64(truncatingIfNeeded: c) & 0xffff) << 32
            | (UInt64(truncatingIfNeeded: d) & 0xffff) << 48
    }

    /// Drops everything from `position` on (used to replace the last instruction by a fused one).
    mutating func truncate(to position: Int) {
        lastInstructionStart = -1
        while words.count > position { _ = words.popLast() }
        while offsets.count > 0 && Int(truncatingIfNeeded: offsets[offsets.count &- 1] >> 32) >= position { _ = offsets.popLast() }
    }

    /// Makes the branch whose offset word is at `offsetPosition` (in an instruction starting at
    /// `instructionStart`) jump to `target`.
    mutating func patch(offsetAt offsetPosition: Int, instructionStart: Int, target: Int) {
        words[offsetPosition] = UInt64(bitPattern: Int64(target &- instructionStart))
        if target == words.count { markTarget() }
    }

    /// When the instruction emitted last is a `copy` (and no branch lands after it), turns it into
    /// a `copy2` that also copies `source` to `destination`, in that order. Returns whether it did.
    mutating func appendToLastCopy(destination: Int, source: Int) -> Bool {
        let start = lastInstructionStart
        guard start >= 0, start &+ 2 == words.count, words[start] == UInt64(Opcode.copy.rawValue) else { return false }
        words[start] = UInt64(Opcode.copy2.rawValue)
        words[start &+ 1] |= (UInt64(truncatingIfNeeded: destination) & 0xffff) << 32 | (UInt64(truncatingIfNeeded: source) & 0xffff) << 48
        return true
    }

    /// The current position can be reached by a branch: the instruction before it no longer
    /// leads into what follows, so nothing may fuse across (`lastInstructionStart` forgets it).
    mutating func markTarget() {
        lastInstructionStart = -1
    }

    /// When the instruction emitted last is `opcode` and writes `slot` (its d field), removes it
    /// and returns its x and y fields and its immediate (0 without one), for a fused instruction
    /// that takes its place. Nothing lands between it and the current position (a branch target
    /// forgets the last instruction).
    mutating func takeLast(_ opcode: Opcode, writing slot: Int) -> (x: Int, y: Int, immediate: UInt64)? {
        let start = lastInstructionStart
        guard let length = opcode.length, start >= 0, start &+ length == words.count,
              words[start] == UInt64(opcode.rawValue), Int(truncatingIfNeeded: words[start &+ 1] & 0xffff) == slot else { return nil }
        let operands = words[start &+ 1]
        let immediate = length > 2 ? words[start &+ 2] : 0
        truncate(to: start)
        return (Int(truncatingIfNeeded: (operands >> 16) & 0xffff), Int(truncatingIfNeeded: (operands >> 32) & 0xffff), immediate)
    }

    /// Rewrites the destination slot (low 16 bits of word 1) of the instruction at `start`.
    mutating func retargetDestination(instructionAt start: Int, to slot: Int) {
        words[start &+ 1] = (words[start &+ 1] & ~UInt64(0xffff)) | (UInt64(truncatingIfNeeded: slot) & 0xffff)
    }
}
