/// The function section: the type of each defined function (bodies come in the code section).
extension ModuleDecoderState {
    mutating func decodeFunctionSection(into description: inout ModuleDescription) throws(SwasmError) {
        let countAt = reader.position
        let count = try reader.readCount()
        try checkLimit(description.functions.count &+ count, ImplementationLimits.functions, "too many functions", at: countAt)
        try description.functions.reserve(description.functions.count &+ count)
        for _ in 0..<count {
            let at = reader.position
            let typeIndex = try reader.readU32()
            validateTypeIndex(typeIndex, in: description, at: at)
            try description.functions.append(typeIndex)
        }
        functionSectionCount = count
    }
}
