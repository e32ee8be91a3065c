/// The table section: the module's own tables.
extension ModuleDecoderState {
    mutating func decodeTableSection(into description: inout ModuleDescription) throws(SwasmError) {
        let countAt = reader.position
        let count = try reader.readCount()
        try checkLimit(description.tables.count &+ count, ImplementationLimits.tables, "too many tables", at: countAt)
        try description.tables.reserve(description.tables.count &+ reader.reservation(count, minimumSize: 3))
        try description.tableInitializers.reserve(reader.reservation(count, minimumSize: 3))
        for _ in 0..<count {
            let at = reader.position
            guard at < reader.end else { throw reader.unexpectedEnd() }
            var initializer: ConstantExpression? = nil
            let table: TableType
            if reader.base[at] == 0x40 {
                // 0x40 0x00, the table type, then the constant expression every element starts as.
                reader.position = at &+ 1
                guard try reader.readByte() == 0x00 else { throw reader.malformed("malformed table type", at: at &+ 1) }
                if !features.contains(.functionReferences) {
                    reader.recordInvalid("function references support is not enabled (table initializer)", at: at)
                }
                table = try reader.readTableType(features: features)
                initializer = try decodeConstantExpression(type: table.element, in: description)
            } else {
                table = try reader.readTableType(features: features)
                if validating && !table.element.isNullable {
                    reader.recordInvalid("type mismatch", at: at, .note("a table of non-nullable references needs an initializer"))
                }
            }
            try addTable(table, to: &description, at: at)
            try description.tableInitializers.append(initializer)
        }
    }
}
