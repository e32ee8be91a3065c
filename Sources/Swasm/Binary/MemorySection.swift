/// The memory section: the module's own memories.
extension ModuleDecoderState {
    mutating func decodeMemorySection(into description: inout ModuleDescription) throws(SwasmError) {
        let countAt = reader.position
        let count = try reader.readCount()
        try checkLimit(description.memories.count &+ count, ImplementationLimits.memories, "too many memories", at: countAt)
        try description.memories.reserve(description.memories.count &+ reader.reservation(count, minimumSize: 2))
        for _ in 0..<count {
            let at = reader.position
            let memory = try reader.readMemoryType(features: features)
            try addMemory(memory, to: &description, at: at)
        }
    }
}
