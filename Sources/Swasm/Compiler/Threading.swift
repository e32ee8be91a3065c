import CSwasm

/// Turns opcode words into handler addresses (direct threading) and back (for serialization).
enum Threading {
    /// Length in words of the instruction at `position` whose opcode is `opcode`.
    static func length(of opcode: Opcode, at position: Int, in code: borrowing FallibleVector<UInt64>) -> Int {
        if let length = opcode.length { return length }
        // br_table: [h][index][count][count + 1 targets]
        let count = Int(truncatingIfNeeded: code[position &+ 2])
        return 3 &+ count &+ 1
    }

    /// Replaces every instruction's opcode by its handler's address.
    static func thread(_ code: inout FallibleVector<UInt64>) {
        var position = 0
        while position < code.count {
            let raw = UInt16(truncatingIfNeeded: code[position])
            guard let opcode = Opcode(rawValue: raw) else { return }
            let length = length(of: opcode, at: position, in: code)
            code[position] = handlerAddress(raw)
            position &+= length
        }
    }
}
