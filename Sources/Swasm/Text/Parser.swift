/// The text-format parser: token access, error reporting and the index spaces. Module fields are
/// parsed in `ModuleFields.swift`, instructions in `InstructionParser.swift`.
///
/// Parsing takes two passes over the module's fields. The first (`scanDeclarations`) assigns every
/// identifier its index in its index space and parses the explicit type definitions, so that the
/// second can resolve forward references and place implicit types (from inline type uses) after
/// all explicit ones. Nothing recurses on the input's nesting: fields are fixed-depth, and folded
/// instructions and blocks use explicit stacks.
struct TextParser: ~Copyable {
    let source: UnsafeRawBufferPointer
    let tokens: UnsafePointer<TextToken>?
    /// One past the last token this parser may read.
    let tokenEnd: Int
    var position: Int
    let instructions: UnsafePointer<TextInstructionTable>
    var diagnostic = Diagnostic()
    var module = TextModule()
    /// A script's `(module definition ...)`: the keyword after `module` is skipped.
    var isDefinition = false

    // Index spaces: identifier → index.
    var typeIndices = FallibleHashMap<TextSlice, UInt32>()
    var functionIndices = FallibleHashMap<TextSlice, UInt32>()
    var tableIndices = FallibleHashMap<TextSlice, UInt32>()
    var memoryIndices = FallibleHashMap<TextSlice, UInt32>()
    var globalIndices = FallibleHashMap<TextSlice, UInt32>()
    var elementIndices = FallibleHashMap<TextSlice, UInt32>()
    var dataIndices = FallibleHashMap<TextSlice, UInt32>()
    var tagIndices = FallibleHashMap<TextSlice, UInt32>()
    /// Field names, per struct type.
    var fieldIndices = FallibleHashMap<TextFieldKey, UInt32>()
    /// Reuse key of a function type (`encodeTypeKey`) → the first type inline type uses with that
    /// key resolve to.
    var typesBySignature = FallibleHashMap<ByteBuffer, UInt32>()

    // Items defined so far in the second pass (their next index).
    var functionCount: UInt32 = 0
    var tableCount: UInt32 = 0
    var memoryCount: UInt32 = 0
    var globalCount: UInt32 = 0
    var elementCount: UInt32 = 0
    var dataCount: UInt32 = 0
    var tagCount: UInt32 = 0

    // The function being parsed.
    var inFunction = false
    var localIndices = FallibleHashMap<TextSlice, UInt32>()
    var localCount: UInt32 = 0
    var labels = FallibleVector<TextLabel>()
    var labelsByName = FallibleHashMap<TextSlice, Int>()
    var frames = FallibleVector<TextFrame>()
    /// Opcodes of open folded instructions, emitted when their operands are complete.
    var pending = TextBuffer()

    // Scratch space for type uses.
    var parameters = FallibleVector<ValueType>()
    var results = FallibleVector<ValueType>()
    var parameterNames = FallibleVector<TextSlice>()
    var signature = TextBuffer()
    /// For each concrete heap type of the parameters and results, in order: 1 when it was
    /// written as a name, 0 as a number (part of the reuse key).
    var signatureNames = TextBuffer()
    var typeKey = TextBuffer()
    var indexList = FallibleVector<UInt32>()

    init(source: UnsafeRawBufferPointer, tokens: UnsafePointer<TextToken>?, start: Int, end: Int,
         instructions: UnsafePointer<TextInstructionTable>) {
        self.source = source
        self.tokens = tokens
        self.position = start
        self.tokenEnd = end
        self.instructions = instructions
    }

    // MARK: tokens

    @inline(__always)
    func kind(_ index: Int) -> TextTokenKind {
        guard index >= 0, index < tokenEnd, let tokens else { return .end }
        return tokens[index].kind
    }

    @inline(__always)
    func slice(_ index: Int) -> TextSlice {
        guard index >= 0, index < tokenEnd, let tokens else { return .empty }
        let token = tokens[index]
        return TextSlice(base: source.baseAddress.map { $0 + Int(token.start) }, count: Int(token.length))
    }

    @inline(__always)
    func isKeyword(_ index: Int, _ text: StaticString) -> Bool {
        kind(index) == .keyword && slice(index).equals(text)
    }

    /// `(` followed by the keyword `text` at `index`.
    @inline(__always)
    func isOpen(_ index: Int, _ text: StaticString) -> Bool {
        kind(index) == .leftParen && isKeyword(index &+ 1, text)
    }

    /// Consumes `( keyword` when present.
    mutating func consumeOpen(_ text: StaticString) -> Bool {
        guard isOpen(position, text) else { return false }
        position &+= 2
        return true
    }

    func isIndex(_ index: Int) -> Bool {
        let tokenKind = kind(index)
        return tokenKind == .identifier || tokenKind == .number
    }

    /// The index of the `)` matching the `(` at `open`, or nil. Allocates nothing.
    func findMatchingParen(_ open: Int) -> Int? {
        var depth = 0
        var index = open
        while index < tokenEnd {
            switch kind(index) {
            case .leftParen: depth &+= 1
            case .rightParen:
                depth &-= 1
                if depth == 0 { return index }
            default: break
            }
            index &+= 1
        }
        return nil
    }

    /// The index of the `)` matching the `(` at `open`.
    mutating func matchingParen(_ open: Int) throws(SwasmError) -> Int {
        guard let close = findMatchingParen(open) else {
            throw fail("unexpected end of input: unclosed '('", at: open)
        }
        return close
    }

    // MARK: errors

    /// Line and column of token `index` (the end of the input past the last token).
    func location(_ index: Int) -> (UInt32, UInt32) {
        if index >= 0, index < tokenEnd, let tokens { return (tokens[index].line, tokens[index].column) }
        // Past the end: count lines in the source.
        var line: UInt32 = 1
        var lineStart = 0
        var offset = 0
        let limit: Int
        if tokenEnd > 0, let tokens {
            let last = tokens[tokenEnd &- 1]
            limit = Int(last.start) &+ Int(last.length)
        } else {
            limit = source.count
        }
        while offset < limit && offset < source.count {
            let byte = source[offset]
            offset &+= 1
            if byte == UInt8(ascii: "\n") || (byte == UInt8(ascii: "\r") && (offset >= source.count || source[offset] != UInt8(ascii: "\n"))) {
                line &+= 1
                lineStart = offset
            }
        }
        return (line, UInt32(truncatingIfNeeded: limit &- lineStart &+ 1))
    }

    mutating func fail(_ phrase: StaticString, at index: Int) -> SwasmError {
        let (line, column) = location(index)
        return textError(.malformed, &diagnostic) { (message: inout ByteBuffer) throws(SwasmError) in
            try message.append(phrase)
            try textAppendPosition(&message, line: line, column: column)
        }
    }

    /// `phrase text-of-token at line:column` (for example `unknown function $f at 3:10`).
    mutating func fail(_ phrase: StaticString, showing index: Int) -> SwasmError {
        let (line, column) = location(index)
        let text = slice(index)
        return textError(.malformed, &diagnostic) { (message: inout ByteBuffer) throws(SwasmError) in
            try message.append(phrase)
            try message.append(UInt8(ascii: " "))
            try Self.appendTokenText(text, to: &message)
            try textAppendPosition(&message, line: line, column: column)
        }
    }

    static func appendTokenText(_ text: TextSlice, to message: inout ByteBuffer) throws(SwasmError) {
        let shown = text.count > 48 ? 48 : text.count
        try message.append(text.base, count: shown)
        if shown < text.count { try message.append("...") }
    }

    /// The error for token `index` where `expected` was required: "unknown operator" for words
    /// that are not part of the language, "unexpected token" otherwise.
    mutating func unexpected(_ index: Int, expected: StaticString) -> SwasmError {
        let tokenKind = kind(index)
        if tokenKind == .reserved || (tokenKind == .keyword && !isKnownWord(slice(index)))
            || (tokenKind == .number && !Self.isWellFormedNumber(slice(index))) {
            return fail("unknown operator", showing: index)
        }
        let (line, column) = location(index)
        let text = slice(index)
        return textError(.malformed, &diagnostic) { (message: inout ByteBuffer) throws(SwasmError) in
            if tokenKind == .end {
                try message.append("unexpected end of input")
            } else {
                try message.append("unexpected token ")
                try Self.appendTokenText(text, to: &message)
            }
            try message.append(", expected ")
            try message.append(expected)
            try textAppendPosition(&message, line: line, column: column)
        }
    }

    static func isWellFormedNumber(_ text: TextSlice) -> Bool {
        TextNumbers.parseInteger(text, bits: 64).status != .malformed || TextNumbers.isFloatLiteral(text)
    }

    /// Whether a keyword belongs to the text format (an instruction or a syntax keyword).
    func isKnownWord(_ text: TextSlice) -> Bool {
        if instructions.pointee.lookup(text) != nil { return true }
        if text.hasPrefix("offset=") || text.hasPrefix("align=") { return true }
        // Exception handling's keywords (not in the generated table's syntax keywords).
        if text.equals("tag") || text.equals("exnref") || text.equals("exn") || text.equals("catch")
            || text.equals("catch_ref") || text.equals("catch_all") || text.equals("catch_all_ref")
            || text.equals("assert_exception") {
            return true
        }
        // Garbage collection's: type definitions, storage types, heap and reference types.
        if text.equals("rec") || text.equals("sub") || text.equals("final") || text.equals("struct")
            || text.equals("array") || text.equals("field") || text.equals("i8") || text.equals("i16")
            || Self.abstractHeapType(text) != nil || Self.shorthandType(text) != nil {
            return true
        }
        return instructions.pointee.isSyntaxKeyword(text)
    }

    /// The error for a numeric immediate that did not parse.
    mutating func numberError(_ index: Int, _ status: TextNumberStatus) -> SwasmError {
        if status == .outOfRange { return fail("constant out of range", showing: index) }
        return unexpected(index, expected: "a number")
    }

    // MARK: simple productions

    mutating func expectRightParen() throws(SwasmError) {
        guard kind(position) == .rightParen else { throw unexpected(position, expected: "')'") }
        position &+= 1
    }

    mutating func expectLeftParen(_ expected: StaticString) throws(SwasmError) {
        guard kind(position) == .leftParen else { throw unexpected(position, expected: expected) }
        position &+= 1
    }

    mutating func expectKeyword(_ text: StaticString) throws(SwasmError) {
        guard isKeyword(position, text) else { throw unexpected(position, expected: text) }
        position &+= 1
    }

    /// An optional `$id`; the empty slice when absent.
    mutating func optionalIdentifier() -> TextSlice {
        guard kind(position) == .identifier else { return .empty }
        position &+= 1
        return slice(position &- 1)
    }

    /// The name bytes of an identifier (without `$`; a `$"..."` one decoded).
    static func identifierName(_ identifier: TextSlice) throws(SwasmError) -> ByteBuffer {
        guard identifier.isQuotedIdentifier else { return try ByteBuffer(copying: identifier.base.map { $0 + 1 }, count: identifier.count &- 1) }
        var name = ByteBuffer()
        var bytes = TextIdentifierBytes(identifier)
        while let byte = bytes.next() { try name.append(byte) }
        return name
    }

    /// A string literal's bytes.
    mutating func parseString(into output: inout TextBuffer) throws(SwasmError) {
        guard kind(position) == .string else { throw unexpected(position, expected: "a string") }
        try TextLexer.appendStringContents(slice(position), to: &output)
        position &+= 1
    }

    /// A string that must be valid UTF-8 (import and export names).
    mutating func parseName() throws(SwasmError) -> ByteBuffer {
        let start = position
        var bytes = TextBuffer()
        try parseString(into: &bytes)
        guard textIsValidUTF8(bytes.bytes) else { throw fail("malformed UTF-8 encoding", at: start) }
        return try bytes.makeByteBuffer()
    }

    mutating func parseValueType() throws(SwasmError) -> ValueType {
        if let (type, tokens) = valueTypeSpan(at: position) {
            position &+= tokens
            return type
        }
        try rejectUnknownHeapType(at: position)
        throw unexpected(position, expected: "a value type")
    }

    func valueType(at index: Int) -> ValueType? { valueTypeSpan(at: index)?.0 }

    /// The value type starting at token `index` and how many tokens it spans: a keyword, or
    /// `(ref null? ht)`.
    func valueTypeSpan(at index: Int) -> (ValueType, Int)? {
        if kind(index) == .leftParen && isKeyword(index &+ 1, "ref") {
            var at = index &+ 2
            let nullable = isKeyword(at, "null")
            if nullable { at &+= 1 }
            guard let heap = heapType(at: at), kind(at &+ 1) == .rightParen else { return nil }
            return (ValueType(heap: heap, nullable: nullable), at &+ 2 &- index)
        }
        guard kind(index) == .keyword, let type = Self.shorthandType(slice(index)) else { return nil }
        return (type, 1)
    }

    /// A value type written as one keyword: a number or vector type, or a reference type's
    /// shorthand (`funcref`, `anyref`, ...).
    static func shorthandType(_ text: TextSlice) -> ValueType? {
        let type: ValueType
        if text.equals("i32") { type = .i32 }
        else if text.equals("i64") { type = .i64 }
        else if text.equals("f32") { type = .f32 }
        else if text.equals("f64") { type = .f64 }
        else if text.equals("v128") { type = .v128 }
        else if text.equals("funcref") { type = .funcref }
        else if text.equals("externref") { type = .externref }
        else if text.equals("exnref") { type = .exnref }
        else if text.equals("anyref") { type = .anyref }
        else if text.equals("eqref") { type = .eqref }
        else if text.equals("i31ref") { type = .i31ref }
        else if text.equals("structref") { type = .structref }
        else if text.equals("arrayref") { type = .arrayref }
        else if text.equals("nullref") { type = .nullref }
        else if text.equals("nullfuncref") { type = .nullfuncref }
        else if text.equals("nullexternref") { type = .nullexternref }
        else if text.equals("nullexnref") { type = .nullexnref }
        else { return nil }
        return type
    }

    /// An abstract heap type's keyword (`func`, `any`, `none`, ...).
    static func abstractHeapType(_ text: TextSlice) -> HeapType? {
        for code in UInt8(0x69)...UInt8(0x74) where text.equals(HeapType(abstract: code).name) { return HeapType(abstract: code) }
        return nil
    }

    /// The heap type at token `index`: an abstract one's keyword, or a type index or name
    /// (module-relative).
    func heapType(at index: Int) -> HeapType? {
        switch kind(index) {
        case .keyword:
            return Self.abstractHeapType(slice(index))
        case .number:
            let (value, status) = TextNumbers.parseU32(slice(index))
            guard status == .ok, value <= HeapType.maximumIndex else { return nil }
            return .concrete(value)
        case .identifier:
            guard let found = typeIndices.withValue(for: slice(index), { $0 }) else { return nil }
            return .concrete(found)
        default:
            return nil
        }
    }

    /// How many tokens a reference type at `index` spans, by its shape alone (type names may not
    /// be known yet in the first pass).
    func referenceTypeTokens(at index: Int) -> Int? {
        if let (type, tokens) = valueTypeSpan(at: index) { return type.isReference ? tokens : nil }
        guard kind(index) == .leftParen && isKeyword(index &+ 1, "ref") else { return nil }
        let at = isKeyword(index &+ 2, "null") ? index &+ 3 : index &+ 2
        guard kind(at) == .identifier && kind(at &+ 1) == .rightParen else { return nil }
        return at &+ 2 &- index
    }

    /// A heap type written as a type name that names no type: "unknown type".
    mutating func rejectUnknownHeapType(at index: Int) throws(SwasmError) {
        var at = index
        if kind(at) == .leftParen && isKeyword(at &+ 1, "ref") { at &+= isKeyword(at &+ 2, "null") ? 3 : 2 }
        if kind(at) == .identifier && typeIndices.withValue(for: slice(at), { $0 }) == nil { throw fail("unknown type", showing: at) }
    }

    /// A heap type (`ref.null`): consumes it.
    mutating func parseHeapType() throws(SwasmError) -> HeapType {
        if let heap = heapType(at: position) {
            position &+= 1
            return heap
        }
        try rejectUnknownHeapType(at: position)
        throw unexpected(position, expected: "a heap type")
    }

    func referenceType(at index: Int) -> ValueType? {
        guard let type = valueType(at: index), type.isReference else { return nil }
        return type
    }

    mutating func parseReferenceType() throws(SwasmError) -> ValueType {
        if let (type, tokens) = valueTypeSpan(at: position), type.isReference {
            position &+= tokens
            return type
        }
        try rejectUnknownHeapType(at: position)
        throw unexpected(position, expected: "a reference type")
    }

    /// A natural number below 2^32 (the suite's "i32 constant out of range" otherwise).
    mutating func parseU32(_ what: StaticString) throws(SwasmError) -> UInt32 {
        guard kind(position) == .number else { throw unexpected(position, expected: what) }
        let (value, status) = TextNumbers.parseU32(slice(position))
        if status == .outOfRange { throw fail("i32 constant out of range", showing: position) }
        guard status == .ok else { throw unexpected(position, expected: what) }
        position &+= 1
        return value
    }

    mutating func parseU64(_ what: StaticString) throws(SwasmError) -> UInt64 {
        guard kind(position) == .number else { throw unexpected(position, expected: what) }
        let (value, status) = TextNumbers.parseUnsigned(slice(position))
        if status == .outOfRange { throw fail("i64 constant out of range", showing: position) }
        guard status == .ok else { throw unexpected(position, expected: what) }
        position &+= 1
        return value
    }

    // MARK: index spaces

    /// Resolves an index (`$id` or a number) in `space`.
    mutating func parseIndex(_ space: TextIndexSpace) throws(SwasmError) -> UInt32 {
        let index = position
        switch kind(index) {
        case .number:
            return try parseU32("an index")
        case .identifier:
            let name = slice(index)
            let found: UInt32?
            switch space {
            case .type: found = typeIndices.withValue(for: name) { $0 }
            case .function: found = functionIndices.withValue(for: name) { $0 }
            case .table: found = tableIndices.withValue(for: name) { $0 }
            case .memory: found = memoryIndices.withValue(for: name) { $0 }
            case .global: found = globalIndices.withValue(for: name) { $0 }
            case .element: found = elementIndices.withValue(for: name) { $0 }
            case .data: found = dataIndices.withValue(for: name) { $0 }
            case .tag: found = tagIndices.withValue(for: name) { $0 }
            case .local:
                if inFunction { found = localIndices.withValue(for: name) { $0 } } else { found = nil }
            }
            guard let found else {
                switch space {
                case .type: throw fail("unknown type", showing: index)
                case .function: throw fail("unknown function", showing: index)
                case .table: throw fail("unknown table", showing: index)
                case .memory: throw fail("unknown memory", showing: index)
                case .global: throw fail("unknown global", showing: index)
                case .element: throw fail("unknown elem segment", showing: index)
                case .data: throw fail("unknown data segment", showing: index)
                case .tag: throw fail("unknown tag", showing: index)
                case .local: throw fail("unknown local", showing: index)
                }
            }
            position &+= 1
            return found
        default:
            throw unexpected(index, expected: "an index")
        }
    }

    /// Records `$id` → `index` in the first pass; duplicates are malformed.
    mutating func define(_ identifierToken: Int, in space: TextIndexSpace, index: UInt32) throws(SwasmError) {
        guard kind(identifierToken) == .identifier else { return }
        let name = slice(identifierToken)
        let previous: UInt32?
        switch space {
        case .type: previous = try typeIndices.insert(name, index)
        case .function: previous = try functionIndices.insert(name, index)
        case .table: previous = try tableIndices.insert(name, index)
        case .memory: previous = try memoryIndices.insert(name, index)
        case .global: previous = try globalIndices.insert(name, index)
        case .element: previous = try elementIndices.insert(name, index)
        case .data: previous = try dataIndices.insert(name, index)
        case .tag: previous = try tagIndices.insert(name, index)
        case .local: previous = try localIndices.insert(name, index)
        }
        guard previous == nil else {
            switch space {
            case .type: throw fail("duplicate type", showing: identifierToken)
            case .function: throw fail("duplicate func", showing: identifierToken)
            case .table: throw fail("duplicate table", showing: identifierToken)
            case .memory: throw fail("duplicate memory", showing: identifierToken)
            case .global: throw fail("duplicate global", showing: identifierToken)
            case .element: throw fail("duplicate elem", showing: identifierToken)
            case .data: throw fail("duplicate data", showing: identifierToken)
            case .tag: throw fail("duplicate tag", showing: identifierToken)
            case .local: throw fail("duplicate local", showing: identifierToken)
            }
        }
    }

    // MARK: function types

    /// Encodes `parameters → results` into `signature`.
    mutating func encodeSignature() throws(SwasmError) {
        signature.removeAll()
        try signature.append(0x60)
        try signature.appendU32(UInt32(truncatingIfNeeded: parameters.count))
        for index in 0..<parameters.count { try signature.appendValueType(parameters[index]) }
        try signature.appendU32(UInt32(truncatingIfNeeded: results.count))
        for index in 0..<results.count { try signature.appendValueType(results[index]) }
    }

    /// The reuse key of the function type in `signature` into `typeKey`: its encoding, then
    /// `signatureNames`. As in wasm-tools, inline type uses match types as written: `(ref $t)`
    /// and `(ref 0)` differ there even when `$t` is type 0.
    mutating func encodeTypeKey() throws(SwasmError) {
        typeKey.removeAll()
        try typeKey.append(signature)
        try typeKey.append(signatureNames)
    }

    /// The type index `typeKey` resolves to, if any.
    func reusableType() -> UInt32? {
        let bytes = typeKey.bytes
        let hash = fnv1aHash(bytes.baseAddress, count: bytes.count)
        return typesBySignature.withValue(hash: hash, matching: { $0.equals(bytes.baseAddress, count: bytes.count) }) { $0 }
    }

    /// Lets inline type uses resolve to type `index`, the function type in `signature` defined by
    /// a `(type ...)` field outside `rec` (whatever its `sub` clause, as in wasm-tools), unless an
    /// earlier type has its key.
    mutating func registerReusableType(_ index: UInt32) throws(SwasmError) {
        try encodeTypeKey()
        guard reusableType() == nil else { return }
        try typesBySignature.insert(try typeKey.makeByteBuffer(), index)
    }

    /// The type of an inline type use (the function type in `signature`): the first reusable type
    /// with its key, else a new type at the end of the type section (reusable from then on).
    mutating func implicitType() throws(SwasmError) -> UInt32 {
        try encodeTypeKey()
        if let existing = reusableType() { return existing }
        let index = UInt32(truncatingIfNeeded: module.types.count)
        try module.types.append(TextType(composite: try signature.makeByteBuffer()))
        try typesBySignature.insert(try typeKey.makeByteBuffer(), index)
        return index
    }

    /// The number of parameters of type `index`, if it is a defined function type.
    func parameterCount(ofType index: UInt32) -> UInt32? {
        guard Int(index) < module.types.count, module.types[Int(index)].isFunction else { return nil }
        guard let bytes = module.types[Int(index)].composite.bytes else { return nil }
        let count = module.types[Int(index)].composite.count
        var value: UInt32 = 0
        var shift: UInt32 = 0
        var offset = 1
        while offset < count && shift < 35 {
            let byte = bytes[offset]
            value |= UInt32(byte & 0x7f) << shift
            offset &+= 1
            if byte & 0x80 == 0 { return value }
            shift &+= 7
        }
        return nil
    }

    /// Whether type `index` is exactly the signature in `signature`.
    func typeMatchesSignature(_ index: UInt32) -> Bool {
        guard Int(index) < module.types.count else { return false }
        return module.types[Int(index)].composite.equals(signature.bytes.baseAddress, count: signature.count)
    }

    /// `(param ...)* (result ...)*` into `parameters`/`results` (and `parameterNames` when
    /// identifiers are allowed). Returns whether any clause was present.
    mutating func parseSignatureClauses(allowNames: Bool) throws(SwasmError) -> Bool {
        parameters.removeAll()
        results.removeAll()
        parameterNames.removeAll()
        signatureNames.removeAll()
        var present = false
        while isOpen(position, "param") {
            present = true
            position &+= 2
            if kind(position) == .identifier {
                guard allowNames else { throw unexpected(position, expected: "a value type") }
                let name = slice(position)
                position &+= 1
                try parameters.append(try parseSignatureType())
                try parameterNames.append(name)
                try expectRightParen()
                continue
            }
            while kind(position) != .rightParen {
                try parameters.append(try parseSignatureType())
                try parameterNames.append(.empty)
            }
            position &+= 1
        }
        while isOpen(position, "result") {
            present = true
            position &+= 2
            while kind(position) != .rightParen { try results.append(try parseSignatureType()) }
            position &+= 1
        }
        if isOpen(position, "param") || (present && isOpen(position, "type")) {
            throw unexpected(position &+ 1, expected: "an instruction")
        }
        return present
    }

    /// A parameter or result type, noting in `signatureNames` how a concrete heap type was written.
    mutating func parseSignatureType() throws(SwasmError) -> ValueType {
        let type = try parseValueType()
        // `$t` or `N` is the token before the closing `)` of `(ref null? x)`.
        if type.heapType.isConcrete { try signatureNames.append(kind(position &- 2) == .identifier ? 1 : 0) }
        return type
    }

    /// A type use: `(type x)? (param ...)* (result ...)*`, resolved to a type index (adding an
    /// implicit type definition when needed). `parameterNames` holds the parameters' identifiers.
    mutating func parseTypeUse(allowNames: Bool) throws(SwasmError) -> UInt32 {
        if isOpen(position, "type") {
            position &+= 2
            let typeToken = position
            let index = try parseIndex(.type)
            try expectRightParen()
            let inline = try parseSignatureClauses(allowNames: allowNames)
            if inline {
                guard Int(index) < module.types.count else { throw fail("unknown type", showing: typeToken) }
                try encodeSignature()
                guard typeMatchesSignature(index) else { throw fail("inline function type", at: typeToken) }
            }
            return index
        }
        _ = try parseSignatureClauses(allowNames: allowNames)
        try encodeSignature()
        return try implicitType()
    }
}

/// A field name in the scope of its struct type.
struct TextFieldKey: HashMapKey, BitwiseCopyable {
    var type: UInt32
    var name: TextSlice

    var hashCode: UInt64 { name.hashCode ^ (UInt64(type) &* 0x9e37_79b9_7f4a_7c15) }

    func isEqual(to other: borrowing TextFieldKey) -> Bool {
        let peer = copy other
        return type == peer.type && name.isEqual(to: peer.name)
    }
}

enum TextIndexSpace: UInt8 {
    case type
    case function
    case table
    case memory
    case global
    case element
    case data
    case tag
    case local
}

/// An open block, loop, if or try_table.
struct TextLabel: BitwiseCopyable {
    var name: TextSlice
    /// The next-outer label with the same name (-1: none), restored when this one closes.
    var shadowed: Int
    /// `frames.count` when the label was opened.
    var frameDepth: Int
    /// Opened by a flat `block`/`loop`/`if`/`try_table` (closed by `end`), not a folded one.
    var flat: Bool
    var state: TextLabelState
}

enum TextLabelState: UInt8 {
    case block
    case ifThen
    case ifElse
}

/// An open parenthesized instruction.
struct TextFrame: BitwiseCopyable {
    var kind: TextFrameKind
    /// Where this instruction's opcode starts in `pending` (plain and `if` frames).
    var pendingStart: Int
    /// The label of a folded `if`, pushed when its `then` opens.
    var labelName: TextSlice
}

enum TextFrameKind: UInt8 {
    /// `(op immediates folded*)`: the opcode follows its operands.
    case plain
    /// `(block ...)` / `(loop ...)` / `(try_table ...)`.
    case block
    /// `(if label blocktype folded* ...`, before `(then`.
    case ifCondition
    /// Between `(then ...)` and `(else ...)` or `)`.
    case ifAfterThen
    /// After `(else ...)`, before `)`.
    case ifAfterElse
    case thenClause
    case elseClause
}
