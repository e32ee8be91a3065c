/// The table section: the module's own tables.
extension ModuleDecoderState {
    mutating func decodeTableSection(into description: inout ModuleDescription) throws(SwasmError) {
        let countAt = reader.position
        let count = try reader.readCount()
        try checkLimit(description.tables.count &+ count, ImplementationLimits.tables, "too many tables", at: countAt)
        try description.tables.reserve(description.tables.count &+ reader.reservation(count, minimumSize: 3))
        for _ in 0..<count {
            let at = reader.position
            let table = try reader.readTableType(features: features)
            try addTable(table, to: &description, at: at)
        }
    }
}
