/// The tag section (exception handling): the module's own tags, each a function type whose
/// parameters are the exception's payload.
extension ModuleDecoderState {
    mutating func decodeTagSection(into description: inout ModuleDescription) throws(SwasmError) {
        let countAt = reader.position
        let count = try reader.readCount()
        try checkLimit(description.tags.count &+ count, ImplementationLimits.tags, "too many tags", at: countAt)
        try description.tags.reserve(description.tags.count &+ reader.reservation(count, minimumSize: 2))
        for _ in 0..<count {
            let at = reader.position
            try description.tags.append(try readTagType(in: description, at: at))
        }
    }

    /// A tag type: the attribute byte 0 (an exception), then a type index whose results must be
    /// empty. Returns the type index.
    mutating func readTagType(in description: borrowing ModuleDescription, at: Int) throws(SwasmError) -> UInt32 {
        let attribute = try reader.readByte()
        guard attribute == 0 else { throw reader.malformed("malformed tag attribute", at: at, .index(UInt64(attribute))) }
        let indexAt = reader.position
        let typeIndex = try reader.readU32()
        if validating {
            if !features.contains(.exceptions) {
                reader.recordInvalid("exceptions support is not enabled (tag)", at: at)
            } else if Int(typeIndex) >= description.types.count {
                reader.recordInvalid("unknown type", at: indexAt, .index(UInt64(typeIndex)))
            } else if description.typeDefinitions[Int(typeIndex)].kind != .function {
                reader.recordInvalid("type mismatch", at: indexAt, .note("a tag's type must be a function type"))
            } else if description.functionType(typeIndex).pointee.results.count != 0 {
                reader.recordInvalid("non-empty tag result type", at: indexAt)
            }
        }
        return typeIndex
    }
}
