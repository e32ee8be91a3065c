/// The data section: bytes to copy into memories, at instantiation (active segments) or by
/// `memory.init` (passive segments).
extension ModuleDecoderState {
    mutating func decodeDataSection(into description: inout ModuleDescription) throws(SwasmError) {
        let countAt = reader.position
        let count = try reader.readCount()
        try checkLimit(count, ImplementationLimits.dataSegments, "too many data segments", at: countAt)
        sawDataSection = true
        dataSegmentCount = count
        try description.data.reserve(reader.reservation(count, minimumSize: 2))
        for _ in 0..<count {
            let flagsAt = reader.position
            let flags = try reader.readU32()
            let mode: SegmentMode
            switch flags {
            case 0:
                let offset = try decodeConstantExpression(type: description.addressType(memory: 0), in: description)
                validateMemoryIndex(0, in: description, at: flagsAt)
                mode = .active(index: 0, offset: offset)
            case 1:
                if !features.contains(.bulkMemory) {
                    reader.recordInvalid("bulk memory support is not enabled (passive data segment)", at: flagsAt)
                }
                mode = .passive
            case 2:
                let indexAt = reader.position
                let index = try reader.readU32()
                let offset = try decodeConstantExpression(type: description.addressType(memory: index), in: description)
                validateMemoryIndex(index, in: description, at: indexAt)
                mode = .active(index: index, offset: offset)
            default:
                throw reader.malformed("malformed data segment kind", at: flagsAt, .index(UInt64(flags)))
            }
            let bytes = try reader.readByteString()
            try description.data.append(DataSegment(mode: mode, bytes: bytes))
        }
    }
}
