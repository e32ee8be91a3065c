/// The parts of an opcode's verification word (tools/gen_instructions.py, `verification_word`)
/// the artifact verifier reads, and walking code whose instruction boundaries are verified.
extension Opcode {
    static var immediateKindBits: UInt32 { 0xf << 16 }
    static var usesMemoryBit: UInt32 { 1 << 20 }
    static var memoryOffsetBit: UInt32 { 1 << 21 }
    static var targetWordBits: UInt32 { 0xf << 24 }
    static var terminatorBit: UInt32 { 1 << 28 }

    /// Index kind of the immediate in word 2 (0: none).
    var immediateKind: UInt32 { (verification & Self.immediateKindBits) >> 16 }
    var usesMemory: Bool { verification & Self.usesMemoryBit != 0 }
    /// The immediate is a memory offset (at most 32 bits in valid code).
    var hasMemoryOffset: Bool { verification & Self.memoryOffsetBit != 0 }
    /// The word holding the branch offset (0: not a branch; `br_table` has its own layout).
    var targetWord: Int { Int((verification & Self.targetWordBits) >> 24) }
    /// Never falls through to the next instruction.
    var isTerminator: Bool { verification & Self.terminatorBit != 0 }
    /// An exception may leave it for a landing pad: it throws, or calls code that may.
    var mayThrow: Bool { self == .throw || self == .throwRef || self == .call || self == .callIndirect || self == .callRef }

    /// Length of the instruction at `position`, whose opcode is `self` (`br_table` from its count).
    func length(in code: UnsafePointer<UInt64>, at position: Int) -> Int {
        let fixed = fixedLength
        return fixed != 0 ? fixed : 4 &+ Int(truncatingIfNeeded: code[position &+ 2])
    }

    /// Calls `body` with each branch target of the instruction at `position` (verified to fit).
    func forEachTarget(in code: UnsafePointer<UInt64>, at position: Int, _ body: (Int) -> Void) {
        if self == .brTable {
            let entries = Int(truncatingIfNeeded: code[position &+ 2]) &+ 1
            for entry in 0..<entries { body(position &+ Int(truncatingIfNeeded: Int64(bitPattern: code[position &+ 3 &+ entry]))) }
            return
        }
        let word = targetWord
        if word != 0 { body(position &+ Int(truncatingIfNeeded: Int64(bitPattern: code[position &+ word]))) }
    }
}
