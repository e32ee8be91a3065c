/// The WebAssembly text format → binary format.
public enum TextAssembler {
    /// Assembles a text module: `(module $id? field*)`, a bare sequence of fields, or
    /// `(module $id? binary "..."*)`. Errors are `.malformed` (with the line and column in
    /// `diagnostic`), `.outOfMemory` or `.limitExceeded`.
    public static func assemble(_ text: UnsafeRawBufferPointer, diagnostic: inout Diagnostic) throws(SwasmError) -> ByteBuffer {
        var tokens = FallibleVector<TextToken>()
        try TextLexer.tokenize(text, into: &tokens, diagnostic: &diagnostic)
        let table = try Heap.create(try TextInstructionTable())
        defer { Heap.destroy(table) }
        var output = TextBuffer()
        try assembleModule(source: text, tokens: tokens.base.map { UnsafePointer($0) }, start: 0, end: tokens.count,
                           instructions: UnsafePointer(table), name: nil, into: &output, diagnostic: &diagnostic)
        return try output.makeByteBuffer()
    }

    /// Assembles the module in tokens `start..<end` (a `(module ...)` form or bare fields) into
    /// `output`. `name`, when given, receives the module's `$id` token index (or -1).
    static func assembleModule(source: UnsafeRawBufferPointer, tokens: UnsafePointer<TextToken>?, start: Int, end: Int,
                               instructions: UnsafePointer<TextInstructionTable>, name: UnsafeMutablePointer<Int>?,
                               into output: inout TextBuffer, diagnostic: inout Diagnostic) throws(SwasmError) {
        var parser = TextParser(source: source, tokens: tokens, start: start, end: end, instructions: instructions)
        do throws(SwasmError) {
            try parser.parseModule(into: &output, name: name)
        } catch {
            swap(&diagnostic, &parser.diagnostic)
            throw error
        }
    }
}

extension TextParser {
    mutating func parseModule(into output: inout TextBuffer, name: UnsafeMutablePointer<Int>?) throws(SwasmError) {
        var fieldsStart = position
        var fieldsEnd = tokenEnd
        name?.pointee = -1
        if isOpen(position, "module") {
            let close = try matchingParen(position)
            if close &+ 1 < tokenEnd { throw unexpected(close &+ 1, expected: "the end of the input") }
            fieldsStart = position &+ 2
            fieldsEnd = close
            if kind(fieldsStart) == .identifier {
                name?.pointee = fieldsStart
                module.moduleName = try Self.identifierName(slice(fieldsStart))
                module.hasModuleName = true
                fieldsStart &+= 1
            }
            if isKeyword(fieldsStart, "binary") {
                position = fieldsStart &+ 1
                while kind(position) == .string { try parseString(into: &output) }
                try expectRightParen()
                return
            }
            if isKeyword(fieldsStart, "quote") {
                throw fail("a quoted module is only allowed in a script", at: fieldsStart)
            }
        } else if kind(position) == .end {
            // An empty input is an empty module.
        }
        try scanDeclarations(from: fieldsStart, to: fieldsEnd)
        try parseFields(from: fieldsStart, to: fieldsEnd)
        try TextEncoder.encode(module, into: &output)
    }
}
