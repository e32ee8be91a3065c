/// The data count section: the number of data segments, announced before the code section so that
/// `memory.init` and `data.drop` can be validated in one pass.
extension ModuleDecoderState {
    mutating func decodeDataCountSection(into description: inout ModuleDescription) throws(SwasmError) {
        let at = reader.position
        let count = try reader.readU32()
        try checkLimit(Int(count), ImplementationLimits.dataSegments, "too many data segments", at: at)
        if !features.contains(.bulkMemory) {
            reader.recordInvalid("bulk memory support is not enabled (data count section)", at: at)
        }
        description.dataCount = count
    }
}
