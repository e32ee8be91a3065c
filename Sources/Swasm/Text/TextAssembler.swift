/// The WebAssembly text format → binary format.
///
/// The pipeline: `TextLexer` turns the text into tokens (line and column on each), `TextParser`
/// resolves every identifier per index space and builds a `TextModule` (instruction sequences kept
/// encoded), and `TextEncoder` writes the sections. All memory comes from the fallible
/// collections; nesting (folded instructions, blocks, comments) is handled with explicit stacks
/// and counters, never native recursion; every lookup is hashed, so time is linear in the input.
/// `Script` (ScriptParser.swift) reuses the same pieces for `.wast` scripts.
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
        try assembleModule(source: text, tokens: tokens, start: 0, end: tokens.count,
                           instructions: UnsafePointer(table), into: &output, diagnostic: &diagnostic)
        return try output.makeByteBuffer()
    }

    /// Assembles the module in tokens `start..<end` (a `(module ...)` form or bare fields) into
    /// `output`. The tokens are borrowed for the whole call, so the parser may keep pointers
    /// into them.
    static func assembleModule(source: UnsafeRawBufferPointer, tokens: borrowing FallibleVector<TextToken>, start: Int, end: Int,
                               instructions: UnsafePointer<TextInstructionTable>, into output: inout TextBuffer, diagnostic: inout Diagnostic,
                               definition: Bool = false) throws(SwasmError) {
        try assembleModule(source: source, tokens: tokens.base.map { UnsafePointer($0) }, start: start, end: end,
                           instructions: instructions, into: &output, diagnostic: &diagnostic, definition: definition)
    }

    /// The same, on tokens whose storage the caller keeps alive. `definition`: a script's
    /// `(module definition ...)`.
    static func assembleModule(source: UnsafeRawBufferPointer, tokens: UnsafePointer<TextToken>?, start: Int, end: Int,
                               instructions: UnsafePointer<TextInstructionTable>, into output: inout TextBuffer, diagnostic: inout Diagnostic,
                               definition: Bool = false) throws(SwasmError) {
        var parser = TextParser(source: source, tokens: tokens, start: start, end: end, instructions: instructions)
        parser.isDefinition = definition
        do throws(SwasmError) {
            try parser.parseModule(into: &output)
        } catch {
            swap(&diagnostic, &parser.diagnostic)
            throw error
        }
    }
}

extension TextParser {
    mutating func parseModule(into output: inout TextBuffer) throws(SwasmError) {
        var fieldsStart = position
        var fieldsEnd = tokenEnd
        var unclosed = false
        if isOpen(position, "module") {
            // Without its `)`, parse to the end and report the first problem found there.
            let close = findMatchingParen(position) ?? tokenEnd
            unclosed = close == tokenEnd
            if close &+ 1 < tokenEnd { throw unexpected(close &+ 1, expected: "the end of the input") }
            fieldsStart = position &+ 2
            fieldsEnd = close
            if isDefinition && isKeyword(fieldsStart, "definition") { fieldsStart &+= 1 }
            if kind(fieldsStart) == .identifier {
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
            // As in wasmtime (the `wat` crate), text without a field is not a module.
            throw fail("expected at least one module field", at: position)
        }
        try scanDeclarations(from: fieldsStart, to: fieldsEnd)
        try parseFields(from: fieldsStart, to: fieldsEnd)
        if unclosed { throw unexpected(tokenEnd, expected: "')'") }
        try TextEncoder.encode(module, into: &output)
    }
}
