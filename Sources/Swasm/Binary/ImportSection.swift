/// The import section: imported functions, tables, memories and globals, which come first in
/// their index spaces.
extension ModuleDecoderState {
    mutating func decodeImportSection(into description: inout ModuleDescription) throws(SwasmError) {
        let countAt = reader.position
        let count = try reader.readCount()
        try checkLimit(count, ImplementationLimits.imports, "too many imports", at: countAt)
        try description.imports.reserve(reader.reservation(count, minimumSize: 4))
        for _ in 0..<count {
            let moduleName = try reader.readName()
            let itemName = try reader.readName()
            let kindAt = reader.position
            let kind = try reader.readByte()
            let type: ExternType
            switch kind {
            case 0x00:
                let indexAt = reader.position
                let typeIndex = try reader.readU32()
                validateTypeIndex(typeIndex, in: description, at: indexAt)
                try checkLimit(description.functions.count &+ 1, ImplementationLimits.functions, "too many functions", at: kindAt)
                try description.functions.append(typeIndex)
                description.importedFunctionCount &+= 1
                type = .function(typeIndex: typeIndex)
            case 0x01:
                let table = try reader.readTableType(features: features)
                try addTable(table, to: &description, at: kindAt)
                description.importedTableCount &+= 1
                type = .table(table)
            case 0x02:
                let memory = try reader.readMemoryType(features: features)
                try addMemory(memory, to: &description, at: kindAt)
                description.importedMemoryCount &+= 1
                type = .memory(memory)
            case 0x03:
                let global = try reader.readGlobalType(features: features)
                if global.isMutable && !features.contains(.mutableGlobals) {
                    reader.recordInvalid("mutable global import needs the mutable-globals feature", at: kindAt)
                }
                try checkLimit(description.globals.count &+ 1, ImplementationLimits.globals, "too many globals", at: kindAt)
                try description.globals.append(global)
                description.importedGlobalCount &+= 1
                type = .global(global)
            case 0x04:
                let typeIndex = try readTagType(in: description, at: kindAt)
                try checkLimit(description.tags.count &+ 1, ImplementationLimits.tags, "too many tags", at: kindAt)
                try description.tags.append(typeIndex)
                description.importedTagCount &+= 1
                type = .tag(typeIndex: typeIndex)
            default:
                throw reader.malformed("malformed import kind", at: kindAt, .index(UInt64(kind)))
            }
            let module = try copyBytes(moduleName)
            let name = try copyBytes(itemName)
            try description.imports.append(Import(module: module, name: name, type: type))
        }
    }
}
