/// The module a text-format source describes, with every symbolic reference resolved to an index.
/// Instruction sequences are kept already encoded (their indices resolved); everything else is
/// structured, and `TextEncoder` writes the binary format from it.
struct TextModule: ~Copyable {
    /// The type definitions, explicit ones first (in recursion groups or on their own), then the
    /// function types implied by inline type uses in order of first use.
    var types = FallibleVector<TextType>()
    /// The `(rec ...)` groups, in order; a type in none is a group of its own.
    var recursionGroups = FallibleVector<TextRecursionGroup>()
    var imports = FallibleVector<TextImport>()
    /// Type indices of the defined functions.
    var functions = FallibleVector<TextFunction>()
    var tables = FallibleVector<TextTable>()
    var memories = FallibleVector<MemoryType>()
    /// Type indices of the defined tags (exception handling).
    var tags = FallibleVector<UInt32>()
    var globals = FallibleVector<TextGlobal>()
    var exports = FallibleVector<TextExport>()
    var start: UInt32?
    var elements = FallibleVector<TextElementSegment>()
    var data = FallibleVector<TextDataSegment>()
    /// Whether a function uses a data index (`memory.init`, `data.drop`, `array.new_data`,
    /// `array.init_data`), which needs the data count section.
    var needsDataCount = false

    // The name section.
    var moduleName = ByteBuffer()
    var hasModuleName = false
    var functionNames = FallibleVector<TextNameEntry>()
    var localNames = FallibleVector<TextLocalNames>()

    init() {}
}

/// A defined type: its composite type's encoding (`0x60 vec(param) vec(result)`, `0x5f
/// vec(field)`, `0x5e field`) and what precedes it in a subtype: nothing for a final type without
/// supertypes, else 0x50 (`sub`) or 0x4f (`sub final`) and the vector of supertype indices.
struct TextType: ~Copyable {
    var composite: ByteBuffer
    var header = ByteBuffer()

    /// Whether this is a function type (`0x60`).
    var isFunction: Bool { composite.count > 0 && composite[0] == 0x60 }
}

/// A `(rec ...)` group: `count` types from index `first` (empty groups exist too).
struct TextRecursionGroup: BitwiseCopyable {
    var first: UInt32
    var count: UInt32
}

enum TextImportKind: BitwiseCopyable {
    case function(typeIndex: UInt32)
    case table(TableType)
    case memory(MemoryType)
    case global(GlobalType)
    case tag(typeIndex: UInt32)
}

struct TextImport: ~Copyable {
    var module: ByteBuffer
    var name: ByteBuffer
    var kind: TextImportKind
}

struct TextFunction: ~Copyable {
    var typeIndex: UInt32
    /// Declared locals (not parameters), in order.
    var locals = FallibleVector<ValueType>()
    /// Instructions including the final `end`.
    var body = TextBuffer()

    init(typeIndex: UInt32) { self.typeIndex = typeIndex }
}

/// A defined table: its type and, when given, the constant expression its elements start as
/// (including its `end`; empty when the table has none).
struct TextTable: ~Copyable {
    var type: TableType
    var initializer = TextBuffer()
}

struct TextGlobal: ~Copyable {
    var type: GlobalType
    /// The initializer expression including its `end`.
    var initializer = TextBuffer()

    init(type: GlobalType) { self.type = type }
}

struct TextExport: ~Copyable {
    var name: ByteBuffer
    var kind: ExternKind
    var index: UInt32
}

enum TextSegmentMode: UInt8 {
    case passive
    case active
    case declarative
}

/// An element segment, encoded as wasm-tools encodes it: a list of function indices when it is
/// written as one (`func $f ...`, or indices without a type), else expressions of its type.
struct TextElementSegment: ~Copyable {
    var mode: TextSegmentMode
    var table: UInt32 = 0
    /// An active segment's table was written (`(table x)`, a bare index, or a table's inline
    /// `(elem ...)`): it then has the encodings with a table index.
    var explicitTable = false
    /// The offset expression (active segments) including its `end`.
    var offset = TextBuffer()
    /// `(ref func)` for a list of function indices, else the declared type.
    var type = ValueType(heap: .function, nullable: false)
    /// The items are function indices (`functionIndices`), not expressions.
    var usesIndices = true
    /// Every item as an expression including its `end` (when not `usesIndices`).
    var expressions = TextBuffer()
    var count: UInt32 = 0
    var functionIndices = FallibleVector<UInt32>()

    init(mode: TextSegmentMode) { self.mode = mode }
}

struct TextDataSegment: ~Copyable {
    var mode: TextSegmentMode
    var memory: UInt32 = 0
    var offset = TextBuffer()
    var bytes = TextBuffer()

    init(mode: TextSegmentMode) { self.mode = mode }
}

struct TextNameEntry: ~Copyable {
    var index: UInt32
    var name: ByteBuffer
}

struct TextLocalNames: ~Copyable {
    var function: UInt32
    var names = FallibleVector<TextNameEntry>()

    init(function: UInt32) { self.function = function }
}

/// Writes a `TextModule` in the binary format.
enum TextEncoder {
    static func encode(_ module: borrowing TextModule, into output: inout TextBuffer) throws(SwasmError) {
        try output.append(0x00)
        try output.append("asm")
        try output.appendLittleEndian32(1)
        var section = TextBuffer()

        if !module.types.isEmpty || !module.recursionGroups.isEmpty {
            section.removeAll()
            try writeTypes(module, into: &section)
            try writeSection(1, section, into: &output)
        }
        if !module.imports.isEmpty {
            section.removeAll()
            try section.appendU32(UInt32(truncatingIfNeeded: module.imports.count))
            for index in 0..<module.imports.count {
                try section.appendName(module.imports[index].module)
                try section.appendName(module.imports[index].name)
                switch module.imports[index].kind {
                case .function(let typeIndex):
                    try section.append(0x00)
                    try section.appendU32(typeIndex)
                case .table(let table):
                    try section.append(0x01)
                    try writeTableType(table, into: &section)
                case .memory(let memory):
                    try section.append(0x02)
                    try writeMemoryType(memory, into: &section)
                case .global(let global):
                    try section.append(0x03)
                    try writeGlobalType(global, into: &section)
                case .tag(let typeIndex):
                    try section.append(0x04)
                    try writeTagType(typeIndex, into: &section)
                }
            }
            try writeSection(2, section, into: &output)
        }
        if !module.functions.isEmpty {
            section.removeAll()
            try section.appendU32(UInt32(truncatingIfNeeded: module.functions.count))
            for index in 0..<module.functions.count { try section.appendU32(module.functions[index].typeIndex) }
            try writeSection(3, section, into: &output)
        }
        if !module.tables.isEmpty {
            section.removeAll()
            try section.appendU32(UInt32(truncatingIfNeeded: module.tables.count))
            for index in 0..<module.tables.count {
                if !module.tables[index].initializer.isEmpty {
                    try section.append(0x40)
                    try section.append(0x00)
                }
                try writeTableType(module.tables[index].type, into: &section)
                try section.append(module.tables[index].initializer)
            }
            try writeSection(4, section, into: &output)
        }
        if !module.memories.isEmpty {
            section.removeAll()
            try section.appendU32(UInt32(truncatingIfNeeded: module.memories.count))
            for index in 0..<module.memories.count { try writeMemoryType(module.memories[index], into: &section) }
            try writeSection(5, section, into: &output)
        }
        // The tag section (id 13) goes between the memory and global sections.
        if !module.tags.isEmpty {
            section.removeAll()
            try section.appendU32(UInt32(truncatingIfNeeded: module.tags.count))
            for index in 0..<module.tags.count { try writeTagType(module.tags[index], into: &section) }
            try writeSection(13, section, into: &output)
        }
        if !module.globals.isEmpty {
            section.removeAll()
            try section.appendU32(UInt32(truncatingIfNeeded: module.globals.count))
            for index in 0..<module.globals.count {
                try writeGlobalType(module.globals[index].type, into: &section)
                try section.append(module.globals[index].initializer)
            }
            try writeSection(6, section, into: &output)
        }
        if !module.exports.isEmpty {
            section.removeAll()
            try section.appendU32(UInt32(truncatingIfNeeded: module.exports.count))
            for index in 0..<module.exports.count {
                try section.appendName(module.exports[index].name)
                // Binary export kinds: func 0, table 1, memory 2, global 3, tag 4.
                switch module.exports[index].kind {
                case .function: try section.append(0x00)
                case .table: try section.append(0x01)
                case .memory: try section.append(0x02)
                case .global: try section.append(0x03)
                case .tag: try section.append(0x04)
                }
                try section.appendU32(module.exports[index].index)
            }
            try writeSection(7, section, into: &output)
        }
        if let start = module.start {
            section.removeAll()
            try section.appendU32(start)
            try writeSection(8, section, into: &output)
        }
        if !module.elements.isEmpty {
            section.removeAll()
            try section.appendU32(UInt32(truncatingIfNeeded: module.elements.count))
            for index in 0..<module.elements.count { try writeElement(module.elements[index], into: &section) }
            try writeSection(9, section, into: &output)
        }
        if module.needsDataCount {
            section.removeAll()
            try section.appendU32(UInt32(truncatingIfNeeded: module.data.count))
            try writeSection(12, section, into: &output)
        }
        if !module.functions.isEmpty {
            section.removeAll()
            try section.appendU32(UInt32(truncatingIfNeeded: module.functions.count))
            var entry = TextBuffer()
            for index in 0..<module.functions.count {
                entry.removeAll()
                try writeLocals(module.functions[index].locals, into: &entry)
                try entry.append(module.functions[index].body)
                try section.appendSized(entry)
            }
            try writeSection(10, section, into: &output)
        }
        if !module.data.isEmpty {
            section.removeAll()
            try section.appendU32(UInt32(truncatingIfNeeded: module.data.count))
            for index in 0..<module.data.count { try writeData(module.data[index], into: &section) }
            try writeSection(11, section, into: &output)
        }
        if module.hasModuleName || !module.functionNames.isEmpty || !module.localNames.isEmpty {
            section.removeAll()
            try writeNames(module, into: &section)
            try writeSection(0, section, into: &output)
        }
    }

    static func writeSection(_ id: UInt8, _ contents: borrowing TextBuffer, into output: inout TextBuffer) throws(SwasmError) {
        try output.append(id)
        try output.appendSized(contents)
    }

    /// The type section's contents: a vector of recursion groups, `0x4e vec(subtype)` for each
    /// `(rec ...)` and the bare subtype for a type on its own.
    static func writeTypes(_ module: borrowing TextModule, into output: inout TextBuffer) throws(SwasmError) {
        var grouped = 0
        for group in 0..<module.recursionGroups.count { grouped &+= Int(module.recursionGroups[group].count) }
        try output.appendU32(UInt32(truncatingIfNeeded: module.types.count &- grouped &+ module.recursionGroups.count))
        var index = 0
        var group = 0
        while index < module.types.count || group < module.recursionGroups.count {
            if group < module.recursionGroups.count && Int(module.recursionGroups[group].first) == index {
                let count = Int(module.recursionGroups[group].count)
                try output.append(0x4e)
                try output.appendU32(UInt32(truncatingIfNeeded: count))
                for member in index..<(index &+ count) { try writeSubtype(module.types[member], into: &output) }
                index &+= count
                group &+= 1
            } else {
                try writeSubtype(module.types[index], into: &output)
                index &+= 1
            }
        }
    }

    static func writeSubtype(_ type: borrowing TextType, into output: inout TextBuffer) throws(SwasmError) {
        try output.append(type.header.bytes.map { UnsafeRawPointer($0) }, count: type.header.count)
        try output.append(type.composite.bytes.map { UnsafeRawPointer($0) }, count: type.composite.count)
    }

    static func writeLimits(_ limits: Limits, flags: UInt8, into output: inout TextBuffer) throws(SwasmError) {
        try output.append(flags | (limits.maximum == nil ? 0 : 1))
        try output.appendU64(limits.minimum)
        if let maximum = limits.maximum { try output.appendU64(maximum) }
    }

    static func writeTableType(_ table: TableType, into output: inout TextBuffer) throws(SwasmError) {
        try output.appendValueType(table.element)
        try writeLimits(table.limits, flags: table.is64 ? 4 : 0, into: &output)
    }

    static func writeMemoryType(_ memory: MemoryType, into output: inout TextBuffer) throws(SwasmError) {
        var flags: UInt8 = 0
        if memory.isShared { flags |= 2 }
        if memory.is64 { flags |= 4 }
        if memory.pageSizeLog2 != 16 { flags |= 8 }
        try writeLimits(memory.limits, flags: flags, into: &output)
        if memory.pageSizeLog2 != 16 { try output.appendU32(UInt32(memory.pageSizeLog2)) }
    }

    static func writeGlobalType(_ global: GlobalType, into output: inout TextBuffer) throws(SwasmError) {
        try output.appendValueType(global.content)
        try output.append(global.isMutable ? 1 : 0)
    }

    /// The attribute 0 (an exception) and the type index.
    static func writeTagType(_ typeIndex: UInt32, into output: inout TextBuffer) throws(SwasmError) {
        try output.append(0x00)
        try output.appendU32(typeIndex)
    }

    /// Locals as runs of one type.
    static func writeLocals(_ locals: borrowing FallibleVector<ValueType>, into output: inout TextBuffer) throws(SwasmError) {
        var runs: UInt32 = 0
        var index = 0
        while index < locals.count {
            var next = index &+ 1
            while next < locals.count && locals[next] == locals[index] { next &+= 1 }
            runs &+= 1
            index = next
        }
        try output.appendU32(runs)
        index = 0
        while index < locals.count {
            var next = index &+ 1
            while next < locals.count && locals[next] == locals[index] { next &+= 1 }
            try output.appendU32(UInt32(truncatingIfNeeded: next &- index))
            try output.appendValueType(locals[index])
            index = next
        }
    }

    static func writeElement(_ segment: borrowing TextElementSegment, into output: inout TextBuffer) throws(SwasmError) {
        // Function indices (flags 0-3) have the type (ref func); expressions of any type the others.
        let compact = segment.usesIndices
        var flags: UInt8 = compact ? 0 : 4
        switch segment.mode {
        case .passive: flags |= 1
        case .declarative: flags |= 3
        case .active:
            // Without a table written, the short encodings: function indices (0) and funcref
            // expressions (4).
            if segment.explicitTable || !(compact || segment.type == .funcref) { flags |= 2 }
        }
        try output.append(flags)
        if segment.mode == .active {
            if flags & 2 != 0 { try output.appendU32(segment.table) }
            try output.append(segment.offset)
        }
        if flags & 3 != 0 {
            // Element kind (compact) or reference type (expressions).
            if compact { try output.append(0x00) } else { try output.appendValueType(segment.type) }
        }
        try output.appendU32(segment.count)
        if compact {
            for index in 0..<segment.functionIndices.count { try output.appendU32(segment.functionIndices[index]) }
        } else {
            try output.append(segment.expressions)
        }
    }

    static func writeData(_ segment: borrowing TextDataSegment, into output: inout TextBuffer) throws(SwasmError) {
        switch segment.mode {
        case .passive:
            try output.append(0x01)
        case .active, .declarative:
            if segment.memory == 0 {
                try output.append(0x00)
            } else {
                try output.append(0x02)
                try output.appendU32(segment.memory)
            }
            try output.append(segment.offset)
        }
        try output.appendSized(segment.bytes)
    }

    static func writeNames(_ module: borrowing TextModule, into output: inout TextBuffer) throws(SwasmError) {
        try output.appendName(try ByteBuffer("name"))
        var subsection = TextBuffer()
        if module.hasModuleName {
            subsection.removeAll()
            try subsection.appendName(module.moduleName)
            try output.append(0)
            try output.appendSized(subsection)
        }
        if !module.functionNames.isEmpty {
            subsection.removeAll()
            try subsection.appendU32(UInt32(truncatingIfNeeded: module.functionNames.count))
            for index in 0..<module.functionNames.count {
                try subsection.appendU32(module.functionNames[index].index)
                try subsection.appendName(module.functionNames[index].name)
            }
            try output.append(1)
            try output.appendSized(subsection)
        }
        if !module.localNames.isEmpty {
            subsection.removeAll()
            try subsection.appendU32(UInt32(truncatingIfNeeded: module.localNames.count))
            for index in 0..<module.localNames.count {
                try subsection.appendU32(module.localNames[index].function)
                let names = module.localNames[index].names.count
                try subsection.appendU32(UInt32(truncatingIfNeeded: names))
                for entry in 0..<names {
                    try subsection.appendU32(module.localNames[index].names[entry].index)
                    try subsection.appendName(module.localNames[index].names[entry].name)
                }
            }
            try output.append(2)
            try output.appendSized(subsection)
        }
    }
}
