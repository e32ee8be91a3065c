/// The export section: named functions, tables, memories and globals.
extension ModuleDecoderState {
    mutating func decodeExportSection(into description: inout ModuleDescription) throws(SwasmError) {
        let countAt = reader.position
        let count = try reader.readCount()
        try checkLimit(count, ImplementationLimits.exports, "too many exports", at: countAt)
        try description.exports.reserve(reader.reservation(count, minimumSize: 3))
        for _ in 0..<count {
            let nameAt = reader.position
            let name = try reader.readName()
            let kindAt = reader.position
            let kindByte = try reader.readByte()
            let kind: ExternKind
            switch kindByte {
            case 0x00: kind = .function
            case 0x01: kind = .table
            case 0x02: kind = .memory
            case 0x03: kind = .global
            case 0x04: kind = .tag
            default: throw reader.malformed("malformed export kind", at: kindAt, .index(UInt64(kindByte)))
            }
            let indexAt = reader.position
            let index = try reader.readU32()
            try validateExport(kind: kind, index: index, name: name, in: description, nameAt: nameAt, indexAt: indexAt)
            try description.exports.append(Export(name: try copyBytes(name), kind: kind, index: index))
        }
    }
}
