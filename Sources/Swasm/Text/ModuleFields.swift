/// Module fields: the declaration pass and the parsing of each field.
extension TextParser {
    // MARK: first pass

    /// Assigns identifiers to indices, parses explicit type definitions and checks that imports
    /// precede definitions.
    mutating func scanDeclarations(from start: Int, to end: Int) throws(SwasmError) {
        // Type names first: a type definition may refer to any type, later ones included.
        try defineTypeNames(from: start, to: end)
        var counts = (function: UInt32(0), table: UInt32(0), memory: UInt32(0), global: UInt32(0),
                      element: UInt32(0), data: UInt32(0), tag: UInt32(0))
        var firstDefinition: TextDefinitionKind? = nil
        var index = start
        while index < end {
            // A structural error stops the scan; the second pass reports it where it is reached,
            // after any error earlier in the text.
            guard kind(index) == .leftParen, let close = findMatchingParen(index) else { break }
            let keyword = index &+ 1
            if isKeyword(keyword, "type") {
                position = index
                try parseTypeDefinition(inGroup: false)
            } else if isKeyword(keyword, "rec") {
                position = index
                try parseRecursionGroup()
            } else if isKeyword(keyword, "import") {
                if let firstDefinition { throw importAfter(firstDefinition, at: index) }
                // (import "m" "n" (kind $id? ...))
                let descriptor = index &+ 4
                if kind(descriptor) == .leftParen {
                    let identifier = descriptor &+ 2
                    if isKeyword(descriptor &+ 1, "func") {
                        try define(identifier, in: .function, index: counts.function)
                        counts.function &+= 1
                    } else if isKeyword(descriptor &+ 1, "table") {
                        try define(identifier, in: .table, index: counts.table)
                        counts.table &+= 1
                    } else if isKeyword(descriptor &+ 1, "memory") {
                        try define(identifier, in: .memory, index: counts.memory)
                        counts.memory &+= 1
                    } else if isKeyword(descriptor &+ 1, "global") {
                        try define(identifier, in: .global, index: counts.global)
                        counts.global &+= 1
                    } else if isKeyword(descriptor &+ 1, "tag") {
                        try define(identifier, in: .tag, index: counts.tag)
                        counts.tag &+= 1
                    }
                }
            } else if isKeyword(keyword, "func") || isKeyword(keyword, "table") || isKeyword(keyword, "memory")
                        || isKeyword(keyword, "global") || isKeyword(keyword, "tag") {
                let identifier = keyword &+ 1
                var child = kind(identifier) == .identifier ? identifier &+ 1 : identifier
                while isOpen(child, "export"), let close = findMatchingParen(child) { child = close &+ 1 }
                let imported = isOpen(child, "import")
                if imported, let firstDefinition { throw importAfter(firstDefinition, at: child) }
                if isKeyword(keyword, "func") {
                    try define(identifier, in: .function, index: counts.function)
                    counts.function &+= 1
                    if !imported && firstDefinition == nil { firstDefinition = .function }
                } else if isKeyword(keyword, "table") {
                    try define(identifier, in: .table, index: counts.table)
                    counts.table &+= 1
                    if !imported {
                        if firstDefinition == nil { firstDefinition = .table }
                        if isKeyword(child, "i64") || isKeyword(child, "i32") { child &+= 1 }
                        if let tokens = referenceTypeTokens(at: child), isOpen(child &+ tokens, "elem") { counts.element &+= 1 }
                    }
                } else if isKeyword(keyword, "memory") {
                    try define(identifier, in: .memory, index: counts.memory)
                    counts.memory &+= 1
                    if !imported {
                        if firstDefinition == nil { firstDefinition = .memory }
                        if isKeyword(child, "i64") || isKeyword(child, "i32") { child &+= 1 }
                        if isOpen(child, "data") { counts.data &+= 1 }
                    }
                } else if isKeyword(keyword, "global") {
                    try define(identifier, in: .global, index: counts.global)
                    counts.global &+= 1
                    if !imported && firstDefinition == nil { firstDefinition = .global }
                } else {
                    try define(identifier, in: .tag, index: counts.tag)
                    counts.tag &+= 1
                    if !imported && firstDefinition == nil { firstDefinition = .tag }
                }
            } else if isKeyword(keyword, "elem") {
                try define(keyword &+ 1, in: .element, index: counts.element)
                counts.element &+= 1
            } else if isKeyword(keyword, "data") {
                try define(keyword &+ 1, in: .data, index: counts.data)
                counts.data &+= 1
            } else if isKeyword(keyword, "export") || isKeyword(keyword, "start") {
                // Nothing to declare.
            } else {
                throw unexpected(keyword, expected: "a module field")
            }
            index = close &+ 1
        }
    }

    mutating func importAfter(_ definition: TextDefinitionKind, at index: Int) -> SwasmError {
        switch definition {
        case .function: return fail("import after function", at: index)
        case .table: return fail("import after table", at: index)
        case .memory: return fail("import after memory", at: index)
        case .global: return fail("import after global", at: index)
        case .tag: return fail("import after tag", at: index)
        }
    }

    /// Assigns type identifiers their indices: the `(type ...)` fields and the types of the
    /// `(rec ...)` groups, in order.
    mutating func defineTypeNames(from start: Int, to end: Int) throws(SwasmError) {
        var count: UInt32 = 0
        var index = start
        while index < end {
            guard kind(index) == .leftParen, let close = findMatchingParen(index) else { break }
            if isKeyword(index &+ 1, "type") {
                try define(index &+ 2, in: .type, index: count)
                count &+= 1
            } else if isKeyword(index &+ 1, "rec") {
                var member = index &+ 2
                while isOpen(member, "type"), let memberClose = findMatchingParen(member) {
                    try define(member &+ 2, in: .type, index: count)
                    count &+= 1
                    member = memberClose &+ 1
                }
            }
            index = close &+ 1
        }
    }

    /// `(rec (type ...)*)`: one recursion group.
    mutating func parseRecursionGroup() throws(SwasmError) {
        position &+= 2
        let first = UInt32(truncatingIfNeeded: module.types.count)
        while isOpen(position, "type") { try parseTypeDefinition(inGroup: true) }
        try expectRightParen()
        let count = UInt32(truncatingIfNeeded: module.types.count) &- first
        try module.recursionGroups.append(TextRecursionGroup(first: first, count: count))
    }

    /// `(type $id? comptype)` or `(type $id? (sub final? x* comptype))`. `(sub final ...)` without
    /// supertypes is the plain form. A function type outside `rec` can be reused by inline
    /// type uses.
    mutating func parseTypeDefinition(inGroup: Bool) throws(SwasmError) {
        position &+= 2
        _ = optionalIdentifier()
        let index = UInt32(truncatingIfNeeded: module.types.count)
        var header = TextBuffer()
        try expectLeftParen("a type definition")
        let isSubtype = isKeyword(position, "sub")
        if isSubtype {
            position &+= 1
            let isFinal = isKeyword(position, "final")
            if isFinal { position &+= 1 }
            indexList.removeAll()
            while isIndex(position) { try indexList.append(try parseIndex(.type)) }
            if !isFinal || !indexList.isEmpty {
                try header.append(isFinal ? 0x4f : 0x50)
                try header.appendU32(UInt32(truncatingIfNeeded: indexList.count))
                for supertype in 0..<indexList.count { try header.appendU32(indexList[supertype]) }
            }
            try expectLeftParen("a composite type")
        }
        var composite = TextBuffer()
        let isFunction = try parseCompositeType(typeIndex: index, into: &composite)
        if isSubtype { try expectRightParen() }
        try expectRightParen()
        try module.types.append(TextType(composite: try composite.makeByteBuffer(), header: try header.makeByteBuffer()))
        if isFunction && !inGroup { try registerReusableType(index) }
    }

    /// `func ...)`, `struct ...)` or `array ...)`, after the `(`: the composite type's encoding.
    /// Returns whether it is a function type (whose encoding is then also in `signature`).
    mutating func parseCompositeType(typeIndex: UInt32, into output: inout TextBuffer) throws(SwasmError) -> Bool {
        if isKeyword(position, "func") {
            position &+= 1
            _ = try parseSignatureClauses(allowNames: true)
            try expectRightParen()
            try encodeSignature()
            try output.append(signature)
            return true
        }
        if isKeyword(position, "struct") {
            // `(field $f fieldtype)` or `(field fieldtype*)`.
            position &+= 1
            var fields: UInt32 = 0
            var body = TextBuffer()
            while consumeOpen("field") {
                if kind(position) == .identifier {
                    let name = position
                    position &+= 1
                    try parseFieldType(into: &body)
                    guard try fieldIndices.insert(TextFieldKey(type: typeIndex, name: slice(name)), fields) == nil else {
                        throw fail("duplicate field", showing: name)
                    }
                    fields &+= 1
                } else {
                    while kind(position) != .rightParen && kind(position) != .end {
                        try parseFieldType(into: &body)
                        fields &+= 1
                    }
                }
                try expectRightParen()
            }
            try expectRightParen()
            try output.append(0x5f)
            try output.appendU32(fields)
            try output.append(body)
            return false
        }
        if isKeyword(position, "array") {
            position &+= 1
            try output.append(0x5e)
            try parseFieldType(into: &output)
            try expectRightParen()
            return false
        }
        throw unexpected(position, expected: "func, struct or array")
    }

    /// `storagetype` or `(mut storagetype)`, a storage type being a value type, `i8` or `i16`:
    /// the storage type's encoding, then the mutability (0 or 1).
    mutating func parseFieldType(into output: inout TextBuffer) throws(SwasmError) {
        let isMutable = consumeOpen("mut")
        if isKeyword(position, "i8") || isKeyword(position, "i16") {
            try output.append(isKeyword(position, "i8") ? ValueType.i8.code : ValueType.i16.code)
            position &+= 1
        } else {
            try output.appendValueType(try parseValueType())
        }
        if isMutable { try expectRightParen() }
        try output.append(isMutable ? 1 : 0)
    }

    // MARK: second pass

    mutating func parseFields(from start: Int, to end: Int) throws(SwasmError) {
        position = start
        while position < end {
            let field = position
            guard kind(field) == .leftParen else { throw unexpected(field, expected: "a module field") }
            let keyword = position &+ 1
            if isKeyword(keyword, "type") || isKeyword(keyword, "rec") {
                position = try matchingParen(field) &+ 1
            } else if isKeyword(keyword, "import") {
                try parseImport()
            } else if isKeyword(keyword, "func") {
                try parseFunction()
            } else if isKeyword(keyword, "table") {
                try parseTable()
            } else if isKeyword(keyword, "memory") {
                try parseMemory()
            } else if isKeyword(keyword, "global") {
                try parseGlobal()
            } else if isKeyword(keyword, "tag") {
                try parseTag()
            } else if isKeyword(keyword, "export") {
                try parseExport()
            } else if isKeyword(keyword, "start") {
                position &+= 2
                let token = position
                let index = try parseIndex(.function)
                try expectRightParen()
                if module.start != nil { throw fail("multiple start sections", at: token) }
                module.start = index
            } else if isKeyword(keyword, "elem") {
                try parseElementSegment()
            } else if isKeyword(keyword, "data") {
                try parseDataSegment()
            } else {
                throw unexpected(keyword, expected: "a module field")
            }
        }
    }

    /// `(export "name")*` after a definition's identifier.
    mutating func parseInlineExports(_ kind: ExternKind, index: UInt32) throws(SwasmError) {
        while consumeOpen("export") {
            let name = try parseName()
            try expectRightParen()
            try module.exports.append(TextExport(name: name, kind: kind, index: index))
        }
    }

    /// `(import "module" "name")` after a definition's exports.
    mutating func parseInlineImport() throws(SwasmError) -> TextImportName? {
        guard consumeOpen("import") else { return nil }
        let moduleName = try parseName()
        let itemName = try parseName()
        try expectRightParen()
        return TextImportName(module: moduleName, name: itemName)
    }

    mutating func recordFunctionName(_ identifier: TextSlice, index: UInt32) throws(SwasmError) {
        guard !identifier.isEmpty else { return }
        try module.functionNames.append(TextNameEntry(index: index, name: try Self.identifierName(identifier)))
    }

    mutating func parseImport() throws(SwasmError) {
        position &+= 2
        let moduleName = try parseName()
        let itemName = try parseName()
        try expectLeftParen("an import description")
        let kind: TextImportKind
        if isKeyword(position, "func") {
            position &+= 1
            let identifier = optionalIdentifier()
            let index = functionCount
            functionCount &+= 1
            kind = .function(typeIndex: try parseTypeUse(allowNames: true))
            try recordFunctionName(identifier, index: index)
        } else if isKeyword(position, "table") {
            position &+= 1
            _ = optionalIdentifier()
            tableCount &+= 1
            kind = .table(try parseTableType())
        } else if isKeyword(position, "memory") {
            position &+= 1
            _ = optionalIdentifier()
            memoryCount &+= 1
            kind = .memory(try parseMemoryType())
        } else if isKeyword(position, "global") {
            position &+= 1
            _ = optionalIdentifier()
            globalCount &+= 1
            kind = .global(try parseGlobalType())
        } else if isKeyword(position, "tag") {
            position &+= 1
            _ = optionalIdentifier()
            tagCount &+= 1
            kind = .tag(typeIndex: try parseTypeUse(allowNames: true))
        } else {
            throw unexpected(position, expected: "func, table, memory, global or tag")
        }
        try expectRightParen()
        try expectRightParen()
        try module.imports.append(TextImport(module: moduleName, name: itemName, kind: kind))
    }

    mutating func parseExport() throws(SwasmError) {
        position &+= 2
        let name = try parseName()
        try expectLeftParen("an export description")
        let kind: ExternKind
        let index: UInt32
        if isKeyword(position, "func") {
            position &+= 1
            kind = .function
            index = try parseIndex(.function)
        } else if isKeyword(position, "table") {
            position &+= 1
            kind = .table
            index = try parseIndex(.table)
        } else if isKeyword(position, "memory") {
            position &+= 1
            kind = .memory
            index = try parseIndex(.memory)
        } else if isKeyword(position, "global") {
            position &+= 1
            kind = .global
            index = try parseIndex(.global)
        } else if isKeyword(position, "tag") {
            position &+= 1
            kind = .tag
            index = try parseIndex(.tag)
        } else {
            throw unexpected(position, expected: "func, table, memory, global or tag")
        }
        try expectRightParen()
        try expectRightParen()
        try module.exports.append(TextExport(name: name, kind: kind, index: index))
    }

    // MARK: types of tables, memories and globals

    /// `min max?`: 64-bit numbers whatever the address type (validation bounds them).
    mutating func parseLimits(is64: Bool) throws(SwasmError) -> Limits {
        let minimum = try parseU64("a size")
        var maximum: UInt64? = nil
        if kind(position) == .number {
            maximum = try parseU64("a size")
        }
        return Limits(minimum: minimum, maximum: maximum)
    }

    /// `i64? limits reftype`.
    mutating func parseTableType() throws(SwasmError) -> TableType {
        var is64 = false
        if isKeyword(position, "i64") { is64 = true; position &+= 1 } else if isKeyword(position, "i32") { position &+= 1 }
        let limits = try parseLimits(is64: is64)
        let element = try parseReferenceType()
        return TableType(element: element, limits: limits, is64: is64)
    }

    /// `i64? limits shared?`.
    mutating func parseMemoryType() throws(SwasmError) -> MemoryType {
        var is64 = false
        if isKeyword(position, "i64") { is64 = true; position &+= 1 } else if isKeyword(position, "i32") { position &+= 1 }
        let limits = try parseLimits(is64: is64)
        var shared = false
        if isKeyword(position, "shared") { shared = true; position &+= 1 }
        var pageSizeLog2: UInt8 = 16
        if isOpen(position, "pagesize") { pageSizeLog2 = try parsePageSize() }
        return MemoryType(limits: limits, is64: is64, isShared: shared, pageSizeLog2: pageSizeLog2)
    }

    /// `(pagesize N)` at `position` (custom-page-sizes): log2 of N, a power of two (validation
    /// decides which sizes are allowed).
    mutating func parsePageSize() throws(SwasmError) -> UInt8 {
        position &+= 2
        let sizeAt = position
        let size = try parseU64("a page size")
        guard size != 0, size & (size &- 1) == 0 else { throw fail("invalid custom page size", at: sizeAt) }
        try expectRightParen()
        return UInt8(size.trailingZeroBitCount)
    }

    /// `valtype | (mut valtype)`.
    mutating func parseGlobalType() throws(SwasmError) -> GlobalType {
        if consumeOpen("mut") {
            let content = try parseValueType()
            try expectRightParen()
            return GlobalType(content: content, isMutable: true)
        }
        return GlobalType(content: try parseValueType(), isMutable: false)
    }

    // MARK: definitions

    mutating func parseFunction() throws(SwasmError) {
        position &+= 2
        let identifier = optionalIdentifier()
        let index = functionCount
        functionCount &+= 1
        try parseInlineExports(.function, index: index)
        try recordFunctionName(identifier, index: index)
        if let names = try parseInlineImport() {
            let typeIndex = try parseTypeUse(allowNames: true)
            try expectRightParen()
            try module.imports.append(TextImport(module: names.module, name: names.name, kind: .function(typeIndex: typeIndex)))
            return
        }
        // A definition: parameters and locals form the local index space.
        localIndices = FallibleHashMap()
        localCount = 0
        var names = TextLocalNames(function: index)
        let typeIndex = try parseTypeUse(allowNames: true)
        if parameterNames.isEmpty {
            // `(type x)` alone: the parameters are unnamed.
            // An undefined type index is left for validation to report; its parameters are
            // then unknown (and unnamed).
            localCount = parameterCount(ofType: typeIndex) ?? 0
        }
        for parameter in 0..<parameterNames.count {
            let name = parameterNames[parameter]
            if !name.isEmpty {
                guard try localIndices.insert(name, localCount) == nil else { throw fail("duplicate local", showing: position) }
                try names.names.append(TextNameEntry(index: localCount, name: try Self.identifierName(name)))
            }
            localCount &+= 1
        }
        var function = TextFunction(typeIndex: typeIndex)
        while consumeOpen("local") {
            if kind(position) == .identifier {
                let name = slice(position)
                let nameToken = position
                position &+= 1
                try function.locals.append(try parseValueType())
                guard try localIndices.insert(name, localCount) == nil else { throw fail("duplicate local", showing: nameToken) }
                try names.names.append(TextNameEntry(index: localCount, name: try Self.identifierName(name)))
                localCount &+= 1
                try expectRightParen()
                continue
            }
            while kind(position) != .rightParen {
                try function.locals.append(try parseValueType())
                localCount &+= 1
            }
            position &+= 1
        }
        inFunction = true
        labelsByName = FallibleHashMap()
        try parseInstructions(into: &function.body, single: false)
        inFunction = false
        try function.body.append(0x0b)
        try expectRightParen()
        try module.functions.append(function)
        if !names.names.isEmpty { try module.localNames.append(names) }
    }

    mutating func parseTable() throws(SwasmError) {
        position &+= 2
        _ = optionalIdentifier()
        let index = tableCount
        tableCount &+= 1
        try parseInlineExports(.table, index: index)
        if let names = try parseInlineImport() {
            let type = try parseTableType()
            try expectRightParen()
            try module.imports.append(TextImport(module: names.module, name: names.name, kind: .table(type)))
            return
        }
        var is64 = false
        var indexTypeToken = 0
        if isKeyword(position, "i64") || isKeyword(position, "i32") {
            is64 = isKeyword(position, "i64")
            indexTypeToken = 1
        }
        if let (element, tokens) = valueTypeSpan(at: position &+ indexTypeToken), element.isReference,
           isOpen(position &+ indexTypeToken &+ tokens, "elem") {
            // `(table reftype (elem ...))`: a table sized for an active segment at offset 0.
            position &+= indexTypeToken &+ tokens &+ 2
            var segment = TextElementSegment(mode: .active)
            segment.table = index
            segment.explicitTable = true
            // Expressions are of the table's type.
            segment.type = element
            try segment.offset.append(is64 ? 0x42 : 0x41)
            try segment.offset.append(0x00)
            try segment.offset.append(0x0b)
            if kind(position) == .leftParen {
                segment.usesIndices = false
                while kind(position) == .leftParen { try parseElementItem(into: &segment) }
            } else {
                // Function indices stay indices in a funcref table only (as in wasm-tools); in
                // another they are `ref.func` expressions of the table's type.
                segment.usesIndices = element == .funcref
                while isIndex(position) { try addFunctionItem(try parseIndex(.function), to: &segment) }
            }
            try expectRightParen()
            try expectRightParen()
            let size = UInt64(segment.count)
            try module.tables.append(TextTable(type: TableType(element: element, limits: Limits(minimum: size, maximum: size), is64: is64)))
            try module.elements.append(segment)
            elementCount &+= 1
            return
        }
        var table = TextTable(type: try parseTableType())
        // `(table limits reftype expr)`: every element starts as the expression's value.
        if kind(position) != .rightParen { try parseConstantExpression(into: &table.initializer) }
        try expectRightParen()
        try module.tables.append(table)
    }

    mutating func parseMemory() throws(SwasmError) {
        position &+= 2
        _ = optionalIdentifier()
        let index = memoryCount
        memoryCount &+= 1
        try parseInlineExports(.memory, index: index)
        if let names = try parseInlineImport() {
            let type = try parseMemoryType()
            try expectRightParen()
            try module.imports.append(TextImport(module: names.module, name: names.name, kind: .memory(type)))
            return
        }
        var is64 = false
        var indexTypeToken = 0
        if isKeyword(position, "i64") || isKeyword(position, "i32") {
            is64 = isKeyword(position, "i64")
            indexTypeToken = 1
        }
        // `(pagesize N)` before inline data (custom-page-sizes).
        var pageSizeLog2: UInt8 = 16
        if isOpen(position &+ indexTypeToken, "pagesize") && isOpen(position &+ indexTypeToken &+ 4, "data") {
            let saved = position
            position &+= indexTypeToken
            pageSizeLog2 = try parsePageSize()
            position = saved
            indexTypeToken &+= 4
        }
        if isOpen(position &+ indexTypeToken, "data") {
            // `(memory (data ...))`: a memory sized for an active segment at offset 0.
            position &+= indexTypeToken &+ 2
            var segment = TextDataSegment(mode: .active)
            segment.memory = index
            try segment.offset.append(is64 ? 0x42 : 0x41)
            try segment.offset.append(0x00)
            try segment.offset.append(0x0b)
            while kind(position) == .string { try parseString(into: &segment.bytes) }
            try expectRightParen()
            try expectRightParen()
            let pageBytes = UInt64(1) << UInt64(pageSizeLog2)
            let pages = (UInt64(segment.bytes.count) &+ pageBytes &- 1) >> UInt64(pageSizeLog2)
            try module.memories.append(MemoryType(limits: Limits(minimum: pages, maximum: pages), is64: is64, pageSizeLog2: pageSizeLog2))
            try module.data.append(segment)
            dataCount &+= 1
            return
        }
        let type = try parseMemoryType()
        try expectRightParen()
        try module.memories.append(type)
    }

    mutating func parseGlobal() throws(SwasmError) {
        position &+= 2
        _ = optionalIdentifier()
        let index = globalCount
        globalCount &+= 1
        try parseInlineExports(.global, index: index)
        if let names = try parseInlineImport() {
            let type = try parseGlobalType()
            try expectRightParen()
            try module.imports.append(TextImport(module: names.module, name: names.name, kind: .global(type)))
            return
        }
        var global = TextGlobal(type: try parseGlobalType())
        try parseConstantExpression(into: &global.initializer)
        try expectRightParen()
        try module.globals.append(global)
    }

    /// `(tag $id? (export "n")* (import "m" "n")? typeuse)`: the type use makes or reuses a
    /// function type as a function's does (a non-empty result is left for validation to refuse).
    mutating func parseTag() throws(SwasmError) {
        position &+= 2
        _ = optionalIdentifier()
        let index = tagCount
        tagCount &+= 1
        try parseInlineExports(.tag, index: index)
        if let names = try parseInlineImport() {
            let typeIndex = try parseTypeUse(allowNames: true)
            try expectRightParen()
            try module.imports.append(TextImport(module: names.module, name: names.name, kind: .tag(typeIndex: typeIndex)))
            return
        }
        let typeIndex = try parseTypeUse(allowNames: true)
        try expectRightParen()
        try module.tags.append(typeIndex)
    }

    /// Instructions up to the closing `)` (not consumed), then `end`.
    mutating func parseConstantExpression(into output: inout TextBuffer) throws(SwasmError) {
        labelsByName = FallibleHashMap()
        try parseInstructions(into: &output, single: false)
        try output.append(0x0b)
    }

    /// `(offset instr*)` or one folded instruction, then `end`.
    mutating func parseOffset(into output: inout TextBuffer) throws(SwasmError) {
        labelsByName = FallibleHashMap()
        if consumeOpen("offset") {
            try parseInstructions(into: &output, single: false)
            try expectRightParen()
        } else {
            guard kind(position) == .leftParen else { throw unexpected(position, expected: "an offset expression") }
            try parseInstructions(into: &output, single: true)
        }
        try output.append(0x0b)
    }

    /// A function index, as such or as the expression `ref.func x`.
    mutating func addFunctionItem(_ function: UInt32, to segment: inout TextElementSegment) throws(SwasmError) {
        if segment.usesIndices {
            try segment.functionIndices.append(function)
        } else {
            try segment.expressions.append(0xd2)
            try segment.expressions.appendU32(function)
            try segment.expressions.append(0x0b)
        }
        segment.count &+= 1
    }

    /// `(item instr*)` or one folded instruction.
    mutating func parseElementItem(into segment: inout TextElementSegment) throws(SwasmError) {
        labelsByName = FallibleHashMap()
        if consumeOpen("item") {
            try parseInstructions(into: &segment.expressions, single: false)
            try expectRightParen()
        } else {
            try parseInstructions(into: &segment.expressions, single: true)
        }
        try segment.expressions.append(0x0b)
        segment.count &+= 1
    }

    /// `(elem $id? declare? ((table x)? offset)? elemlist)`.
    mutating func parseElementSegment() throws(SwasmError) {
        position &+= 2
        _ = optionalIdentifier()
        elementCount &+= 1
        var segment: TextElementSegment
        if isKeyword(position, "declare") {
            position &+= 1
            segment = TextElementSegment(mode: .declarative)
        } else if isOpen(position, "table") || isOpen(position, "offset")
                    || (kind(position) == .leftParen && kind(position &+ 1) == .keyword
                        && instructions.pointee.lookup(slice(position &+ 1)) != nil)
                    || (kind(position) == .number && kind(position &+ 1) == .leftParen) {
            segment = TextElementSegment(mode: .active)
            if consumeOpen("table") {
                segment.table = try parseIndex(.table)
                segment.explicitTable = true
                try expectRightParen()
            } else if kind(position) == .number {
                segment.table = try parseIndex(.table)
                segment.explicitTable = true
            }
            try parseOffset(into: &segment.offset)
        } else {
            segment = TextElementSegment(mode: .passive)
        }
        if isKeyword(position, "func") {
            position &+= 1
            while isIndex(position) { try addFunctionItem(try parseIndex(.function), to: &segment) }
        } else if let (type, tokens) = valueTypeSpan(at: position), type.isReference {
            position &+= tokens
            segment.type = type
            segment.usesIndices = false
            while kind(position) == .leftParen { try parseElementItem(into: &segment) }
        } else if segment.mode == .active {
            // The original syntax: function indices right after the offset.
            while isIndex(position) { try addFunctionItem(try parseIndex(.function), to: &segment) }
        } else {
            throw unexpected(position, expected: "func or a reference type")
        }
        try expectRightParen()
        try module.elements.append(segment)
    }

    /// `(data $id? ((memory x)? offset)? string*)`.
    mutating func parseDataSegment() throws(SwasmError) {
        position &+= 2
        _ = optionalIdentifier()
        dataCount &+= 1
        var segment: TextDataSegment
        if kind(position) == .leftParen || (kind(position) == .number && kind(position &+ 1) == .leftParen) {
            segment = TextDataSegment(mode: .active)
            if consumeOpen("memory") {
                segment.memory = try parseIndex(.memory)
                try expectRightParen()
            } else if kind(position) == .number {
                segment.memory = try parseIndex(.memory)
            }
            try parseOffset(into: &segment.offset)
        } else {
            segment = TextDataSegment(mode: .passive)
        }
        while kind(position) == .string { try parseString(into: &segment.bytes) }
        try expectRightParen()
        try module.data.append(segment)
    }
}

enum TextDefinitionKind: UInt8 {
    case function
    case table
    case memory
    case global
    case tag
}

struct TextImportName: ~Copyable {
    var module: ByteBuffer
    var name: ByteBuffer
}
