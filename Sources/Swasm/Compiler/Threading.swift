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
            guard let opcode = Opcode.decode(UInt64(raw)) else { return }
            let length = length(of: opcode, at: position, in: code)
            code[position] = handlerAddress(raw)
            position &+= length
        }
    }
}

/// Handler addresses back to opcodes, for serializing threaded code: every handler's address,
/// sorted, with its opcode.
struct HandlerMap: ~Copyable {
    private var entries = FallibleVector<UInt64>() // address, then opcode, sorted by address

    init() throws(SwasmError) {
        let count = Opcode.count
        try entries.reserve(count &* 2)
        for raw in 0..<count {
            try entries.append(handlerAddress(UInt16(raw)))
            try entries.append(UInt64(raw))
        }
        // Insertion sort by address: a few hundred entries, once per serialization.
        var index = 1
        while index < count {
            let address = entries[index &* 2], opcode = entries[index &* 2 &+ 1]
            var slot = index
            while slot > 0 && entries[(slot &- 1) &* 2] > address {
                entries[slot &* 2] = entries[(slot &- 1) &* 2]
                entries[slot &* 2 &+ 1] = entries[(slot &- 1) &* 2 &+ 1]
                slot &-= 1
            }
            entries[slot &* 2] = address
            entries[slot &* 2 &+ 1] = opcode
            index &+= 1
        }
    }

    /// The opcode whose handler is at `address`, or nil when no handler is there.
    func opcode(at address: UInt64) -> Opcode? {
        var low = 0
        var high = entries.count / 2
        while low < high {
            let middle = (low &+ high) / 2
            let candidate = entries[middle &* 2]
            if candidate == address { return Opcode(rawValue: UInt16(truncatingIfNeeded: entries[middle &* 2 &+ 1])) }
            if candidate < address { low = middle &+ 1 } else { high = middle }
        }
        return nil
    }
}
