/// Tokens of the WebAssembly text format.
///
/// Following the specification, a token is a maximal run of identifier characters and string
/// literals: `i32.const0`, `0drop` and `$l"a"` are single tokens (the last one "reserved"), so the
/// parser reports them as unknown operators instead of silently splitting them.
enum TextTokenKind: UInt8 {
    case leftParen
    case rightParen
    /// An identifier-character run starting with a lowercase letter (`func`, `i32.add`,
    /// `offset=4`, `inf`, `nan:0x1`).
    case keyword
    /// An identifier-character run starting with anything else (numbers, signs); it is parsed as a
    /// number where one is expected and rejected everywhere else.
    case number
    /// `$` followed by identifier characters.
    case identifier
    case string
    /// Anything else that the lexer could delimit (`$`, strings glued to other characters).
    case reserved
    /// Past the last token.
    case end
}

struct TextToken: BitwiseCopyable {
    var start: UInt32
    var length: UInt32
    var line: UInt32
    var column: UInt32
    var kind: TextTokenKind
}

/// Whether `byte` may appear in keywords, identifiers and numbers.
@inline(__always)
func textIsIdentifierCharacter(_ byte: UInt8) -> Bool {
    switch byte {
    case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"):
        return true
    case UInt8(ascii: "!"), UInt8(ascii: "#"), UInt8(ascii: "$"), UInt8(ascii: "%"), UInt8(ascii: "&"), UInt8(ascii: "'"),
         UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "/"), UInt8(ascii: ":"),
         UInt8(ascii: "<"), UInt8(ascii: "="), UInt8(ascii: ">"), UInt8(ascii: "?"), UInt8(ascii: "@"), UInt8(ascii: "\\"),
         UInt8(ascii: "^"), UInt8(ascii: "_"), UInt8(ascii: "`"), UInt8(ascii: "|"), UInt8(ascii: "~"):
        return true
    default:
        return false
    }
}

/// Whether `byte` is one of the characters that may only appear in reserved tokens (inside
/// annotations): `,` `;` `[` `]` `{` `}` (`;;` starts a comment).
@inline(__always)
func textIsReservedCharacter(_ byte: UInt8) -> Bool {
    switch byte {
    case UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: "{"), UInt8(ascii: "}"): return true
    default: return false
    }
}

@inline(__always)
func textHexDigitValue(_ byte: UInt8) -> UInt8? {
    switch byte {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte &- UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte &- UInt8(ascii: "a") &+ 10
    case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte &- UInt8(ascii: "A") &+ 10
    default: return nil
    }
}

/// The length of the well-formed UTF-8 sequence starting at `index` (RFC 3629: no overlong forms,
/// no surrogates, nothing above U+10FFFF), or nil.
func textUTF8SequenceLength(_ bytes: UnsafeRawBufferPointer, at index: Int) -> Int? {
    let count = bytes.count
    guard index < count else { return nil }
    let first = bytes[index]
    if first < 0x80 { return 1 }
    guard let (length, low, high) = utf8LeadShape(first) else { return nil }
    guard count &- index >= length else { return nil }
    let second = bytes[index &+ 1]
    guard second >= low && second <= high else { return nil }
    var offset = 2
    while offset < length {
        let next = bytes[index &+ offset]
        guard next >= 0x80 && next <= 0xbf else { return nil }
        offset &+= 1
    }
    return length
}

/// Whether all of `bytes` is well-formed UTF-8.
func textIsValidUTF8(_ bytes: UnsafeRawBufferPointer) -> Bool {
    var index = 0
    while index < bytes.count {
        if bytes[index] < 0x80 { index &+= 1; continue }
        guard let length = textUTF8SequenceLength(bytes, at: index) else { return false }
        index &+= length
    }
    return true
}

/// Writes an error's message into `diagnostic` and returns `kind`, or `.outOfMemory` when the
/// message cannot be allocated: then the error path allocates nothing more (the caller reports
/// the static out-of-memory error), and a retry with more memory gives the full message.
func textError(_ kind: SwasmError, _ diagnostic: inout Diagnostic,
               _ compose: (inout ByteBuffer) throws(SwasmError) -> Void) -> SwasmError {
    var message = ByteBuffer()
    do throws(SwasmError) {
        try compose(&message)
    } catch {
        return .outOfMemory
    }
    swap(&diagnostic.message, &message)
    return kind
}

/// Appends `line:column` to a message.
func textAppendPosition(_ message: inout ByteBuffer, line: UInt32, column: UInt32) throws(SwasmError) {
    try message.append(" at ")
    try message.appendDecimal(UInt64(line))
    try message.append(UInt8(ascii: ":"))
    try message.appendDecimal(UInt64(column))
}

enum TextLexer {
    /// Splits `source` into tokens. Comments and annotations (`(@name ...)`) are skipped.
    static func tokenize(_ source: UnsafeRawBufferPointer, into tokens: inout FallibleVector<TextToken>,
                         diagnostic: inout Diagnostic) throws(SwasmError) {
        var lexer = Scanner(source: source)
        try lexer.run(into: &tokens, diagnostic: &diagnostic)
    }

    private struct Scanner {
        let source: UnsafeRawBufferPointer
        var index = 0
        var line: UInt32 = 1
        var lineStart = 0

        init(source: UnsafeRawBufferPointer) { self.source = source }

        var column: UInt32 { UInt32(truncatingIfNeeded: index &- lineStart &+ 1) }

        func fail(_ phrase: StaticString, line: UInt32, column: UInt32,
                  diagnostic: inout Diagnostic) -> SwasmError {
            return textError(.malformed, &diagnostic) { (message: inout ByteBuffer) throws(SwasmError) in
                try message.append(phrase)
                try textAppendPosition(&message, line: line, column: column)
            }
        }

        @inline(__always)
        func byte(_ at: Int) -> UInt8? { at < source.count ? source[at] : nil }

        /// Consumes a line break at `index` (LF, CR or CR LF).
        mutating func newline() {
            if source[index] == UInt8(ascii: "\r") && byte(index &+ 1) == UInt8(ascii: "\n") { index &+= 1 }
            index &+= 1
            line &+= 1
            lineStart = index
        }

        /// Steps over a non-ASCII character, checking that it is well-formed UTF-8.
        mutating func skipUTF8(diagnostic: inout Diagnostic) throws(SwasmError) {
            guard let length = textUTF8SequenceLength(source, at: index) else {
                throw fail("malformed UTF-8 encoding", line: line, column: column, diagnostic: &diagnostic)
            }
            index &+= length
        }

        mutating func run(into tokens: inout FallibleVector<TextToken>, diagnostic: inout Diagnostic) throws(SwasmError) {
            guard source.count < Int(UInt32.max) else {
                throw textError(.limitExceeded, &diagnostic) { (message: inout ByteBuffer) throws(SwasmError) in
                    try message.append("text input larger than 4 GiB")
                }
            }
            // Depth of parentheses inside an annotation being skipped (0: not in an annotation).
            var annotationDepth = 0
            let count = source.count
            while index < count {
                let current = source[index]
                switch current {
                case UInt8(ascii: " "), UInt8(ascii: "\t"):
                    index &+= 1
                case UInt8(ascii: "\n"), UInt8(ascii: "\r"):
                    newline()
                case UInt8(ascii: ";") where byte(index &+ 1) == UInt8(ascii: ";"):
                    try skipLineComment(diagnostic: &diagnostic)
                case UInt8(ascii: "("):
                    if byte(index &+ 1) == UInt8(ascii: ";") {
                        try skipBlockComment(diagnostic: &diagnostic)
                        continue
                    }
                    if annotationDepth > 0 {
                        annotationDepth &+= 1
                        index &+= 1
                        continue
                    }
                    if byte(index &+ 1) == UInt8(ascii: "@") {
                        try checkAnnotationID(at: index &+ 2, diagnostic: &diagnostic)
                        annotationDepth = 1
                        index &+= 1
                        continue
                    }
                    try emit(.leftParen, start: index, length: 1, into: &tokens)
                    index &+= 1
                case UInt8(ascii: ")"):
                    if annotationDepth > 0 {
                        annotationDepth &-= 1
                        index &+= 1
                        continue
                    }
                    try emit(.rightParen, start: index, length: 1, into: &tokens)
                    index &+= 1
                default:
                    if current == UInt8(ascii: "\"") || textIsIdentifierCharacter(current) || textIsReservedCharacter(current) {
                        let startLine = line
                        let startColumn = column
                        let start = index
                        let kind = try scanWord(diagnostic: &diagnostic)
                        if annotationDepth == 0 {
                            try tokens.append(TextToken(start: UInt32(truncatingIfNeeded: start),
                                                        length: UInt32(truncatingIfNeeded: index &- start),
                                                        line: startLine, column: startColumn, kind: kind))
                        }
                    } else if current >= 0x80 {
                        // Outside strings only ASCII is allowed, in annotations too.
                        let characterColumn = column
                        try skipUTF8(diagnostic: &diagnostic)
                        throw fail("illegal character", line: line, column: characterColumn, diagnostic: &diagnostic)
                    } else {
                        throw fail("illegal character", line: line, column: column, diagnostic: &diagnostic)
                    }
                }
            }
            if annotationDepth > 0 {
                throw fail("unexpected end of input in annotation", line: line, column: column, diagnostic: &diagnostic)
            }
        }

        mutating func emit(_ kind: TextTokenKind, start: Int, length: Int,
                           into tokens: inout FallibleVector<TextToken>) throws(SwasmError) {
            try tokens.append(TextToken(start: UInt32(truncatingIfNeeded: start), length: UInt32(truncatingIfNeeded: length),
                                        line: line, column: UInt32(truncatingIfNeeded: start &- lineStart &+ 1), kind: kind))
        }

        mutating func skipLineComment(diagnostic: inout Diagnostic) throws(SwasmError) {
            index &+= 2
            while index < source.count {
                let current = source[index]
                if current == UInt8(ascii: "\n") || current == UInt8(ascii: "\r") { return }
                if current >= 0x80 { try skipUTF8(diagnostic: &diagnostic) } else { index &+= 1 }
            }
        }

        mutating func skipBlockComment(diagnostic: inout Diagnostic) throws(SwasmError) {
            let startLine = line
            let startColumn = column
            index &+= 2
            var depth = 1
            while index < source.count {
                let current = source[index]
                if current == UInt8(ascii: "(") && byte(index &+ 1) == UInt8(ascii: ";") {
                    depth &+= 1
                    index &+= 2
                } else if current == UInt8(ascii: ";") && byte(index &+ 1) == UInt8(ascii: ")") {
                    depth &-= 1
                    index &+= 2
                    if depth == 0 { return }
                } else if current == UInt8(ascii: "\n") || current == UInt8(ascii: "\r") {
                    newline()
                } else if current >= 0x80 {
                    try skipUTF8(diagnostic: &diagnostic)
                } else {
                    index &+= 1
                }
            }
            throw fail("unclosed comment", line: startLine, column: startColumn, diagnostic: &diagnostic)
        }

        /// A maximal run of identifier characters and strings, classified.
        mutating func scanWord(diagnostic: inout Diagnostic) throws(SwasmError) -> TextTokenKind {
            let start = index
            let startLine = line
            let startColumn = column
            var pieces = 0
            var strings = 0
            var reserved = false
            while index < source.count {
                let current = source[index]
                if current == UInt8(ascii: "\"") {
                    try scanString(diagnostic: &diagnostic)
                    strings &+= 1
                    pieces &+= 1
                } else if textIsIdentifierCharacter(current) {
                    while index < source.count && textIsIdentifierCharacter(source[index]) { index &+= 1 }
                    pieces &+= 1
                } else if textIsReservedCharacter(current) && !(current == UInt8(ascii: ";") && byte(index &+ 1) == UInt8(ascii: ";")) {
                    reserved = true
                    index &+= 1
                    pieces &+= 1
                } else {
                    break
                }
            }
            if reserved { return .reserved }
            // `$"..."`: an identifier written as a string, whose name is the string's bytes.
            if strings == 1 && pieces == 2 && source[start] == UInt8(ascii: "$") && source[start &+ 1] == UInt8(ascii: "\"") {
                try checkQuotedName(TextSlice(base: source.baseAddress! + (start &+ 1), count: index &- start &- 1), empty: "empty identifier",
                                    line: startLine, column: startColumn, diagnostic: &diagnostic)
                return .identifier
            }
            if strings > 0 { return pieces == 1 ? .string : .reserved }
            let first = source[start]
            if first == UInt8(ascii: "$") { return index &- start > 1 ? .identifier : .reserved }
            if first >= UInt8(ascii: "a") && first <= UInt8(ascii: "z") { return .keyword }
            return .number
        }

        /// An annotation's id, after `(@`: identifier characters, or a string whose bytes are a
        /// name (not empty, well-formed UTF-8).
        func checkAnnotationID(at position: Int, diagnostic: inout Diagnostic) throws(SwasmError) {
            guard let first = byte(position) else { throw fail("empty annotation id", line: line, column: column, diagnostic: &diagnostic) }
            if textIsIdentifierCharacter(first) { return }
            guard first == UInt8(ascii: "\"") else { throw fail("empty annotation id", line: line, column: column, diagnostic: &diagnostic) }
            var scanner = Scanner(source: source)
            scanner.index = position
            scanner.line = line
            scanner.lineStart = lineStart
            try scanner.scanString(diagnostic: &diagnostic)
            try checkQuotedName(TextSlice(base: source.baseAddress! + position, count: scanner.index &- position), empty: "empty annotation id",
                                line: line, column: column, diagnostic: &diagnostic)
        }

        /// A string literal used as a name (quoted identifiers and annotation ids): its bytes must
        /// not be empty and must be well-formed UTF-8.
        func checkQuotedName(_ literal: TextSlice, empty: StaticString, line: UInt32, column: UInt32,
                             diagnostic: inout Diagnostic) throws(SwasmError) {
            var bytes = TextBuffer()
            try TextLexer.appendStringContents(literal, to: &bytes)
            guard bytes.count > 0 else { throw fail(empty, line: line, column: column, diagnostic: &diagnostic) }
            guard textIsValidUTF8(bytes.bytes) else { throw fail("malformed UTF-8 encoding", line: line, column: column, diagnostic: &diagnostic) }
        }

        /// Steps over a string literal, checking its escapes and characters.
        mutating func scanString(diagnostic: inout Diagnostic) throws(SwasmError) {
            let startLine = line
            let startColumn = column
            index &+= 1
            while true {
                guard index < source.count else {
                    throw fail("unclosed string literal", line: startLine, column: startColumn, diagnostic: &diagnostic)
                }
                let current = source[index]
                if current == UInt8(ascii: "\"") {
                    index &+= 1
                    return
                }
                if current == UInt8(ascii: "\n") || current == UInt8(ascii: "\r") {
                    throw fail("unclosed string literal", line: startLine, column: startColumn, diagnostic: &diagnostic)
                }
                if current < 0x20 || current == 0x7f {
                    throw fail("illegal control character in string literal", line: line, column: column, diagnostic: &diagnostic)
                }
                if current >= 0x80 {
                    try skipUTF8(diagnostic: &diagnostic)
                    continue
                }
                if current != UInt8(ascii: "\\") {
                    index &+= 1
                    continue
                }
                let escapeColumn = column
                index &+= 1
                guard let escape = byte(index) else { continue }
                switch escape {
                case UInt8(ascii: "t"), UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "\""),
                     UInt8(ascii: "'"), UInt8(ascii: "\\"):
                    index &+= 1
                case UInt8(ascii: "u"):
                    guard byte(index &+ 1) == UInt8(ascii: "{") else {
                        throw fail("illegal escape", line: line, column: escapeColumn, diagnostic: &diagnostic)
                    }
                    index &+= 2
                    var value: UInt32 = 0
                    var digits = 0
                    var lastWasDigit = false
                    while let next = byte(index), next != UInt8(ascii: "}") {
                        if next == UInt8(ascii: "_") && lastWasDigit {
                            lastWasDigit = false
                            index &+= 1
                            continue
                        }
                        guard let digit = textHexDigitValue(next) else {
                            throw fail("illegal escape", line: line, column: escapeColumn, diagnostic: &diagnostic)
                        }
                        value = value > 0x10ffff ? value : (value << 4) | UInt32(digit)
                        digits &+= 1
                        lastWasDigit = true
                        index &+= 1
                    }
                    guard byte(index) == UInt8(ascii: "}"), digits > 0, lastWasDigit,
                          value < 0xd800 || (value >= 0xe000 && value <= 0x10ffff) else {
                        throw fail("illegal escape", line: line, column: escapeColumn, diagnostic: &diagnostic)
                    }
                    index &+= 1
                default:
                    guard textHexDigitValue(escape) != nil, let second = byte(index &+ 1),
                          textHexDigitValue(second) != nil else {
                        throw fail("illegal escape", line: line, column: escapeColumn, diagnostic: &diagnostic)
                    }
                    index &+= 2
                }
            }
        }
    }

    /// Decodes the string literal `token` (already checked by the lexer) and appends its bytes.
    static func appendStringContents(_ literal: TextSlice, to output: inout TextBuffer) throws(SwasmError) {
        // Skip the quotes.
        var index = 1
        let end = literal.count &- 1
        while index < end {
            let current = literal[index]
            if current != UInt8(ascii: "\\") {
                // Copy a run of plain bytes at once.
                var runEnd = index &+ 1
                while runEnd < end && literal[runEnd] != UInt8(ascii: "\\") { runEnd &+= 1 }
                try output.append(literal.base! + index, count: runEnd &- index)
                index = runEnd
                continue
            }
            index &+= 1
            guard index < end else { return }
            let escape = literal[index]
            switch escape {
            case UInt8(ascii: "t"): try output.append(0x09); index &+= 1
            case UInt8(ascii: "n"): try output.append(0x0a); index &+= 1
            case UInt8(ascii: "r"): try output.append(0x0d); index &+= 1
            case UInt8(ascii: "\""), UInt8(ascii: "'"), UInt8(ascii: "\\"): try output.append(escape); index &+= 1
            case UInt8(ascii: "u"):
                index &+= 2
                var value: UInt32 = 0
                while index < end && literal[index] != UInt8(ascii: "}") {
                    if let digit = textHexDigitValue(literal[index]) { value = (value << 4) | UInt32(digit) }
                    index &+= 1
                }
                index &+= 1
                try appendUTF8(value, to: &output)
            default:
                let high = textHexDigitValue(escape) ?? 0
                let low = index &+ 1 < end ? (textHexDigitValue(literal[index &+ 1]) ?? 0) : 0
                try output.append(high << 4 | low)
                index &+= 2
            }
        }
    }

    static func appendUTF8(_ scalar: UInt32, to output: inout TextBuffer) throws(SwasmError) {
        if scalar < 0x80 {
            try output.append(UInt8(truncatingIfNeeded: scalar))
        } else if scalar < 0x800 {
            try output.append(UInt8(truncatingIfNeeded: 0xc0 | (scalar >> 6)))
            try output.append(UInt8(truncatingIfNeeded: 0x80 | (scalar & 0x3f)))
        } else if scalar < 0x10000 {
            try output.append(UInt8(truncatingIfNeeded: 0xe0 | (scalar >> 12)))
            try output.append(UInt8(truncatingIfNeeded: 0x80 | ((scalar >> 6) & 0x3f)))
            try output.append(UInt8(truncatingIfNeeded: 0x80 | (scalar & 0x3f)))
        } else {
            try output.append(UInt8(truncatingIfNeeded: 0xf0 | (scalar >> 18)))
            try output.append(UInt8(truncatingIfNeeded: 0x80 | ((scalar >> 12) & 0x3f)))
            try output.append(UInt8(truncatingIfNeeded: 0x80 | ((scalar >> 6) & 0x3f)))
            try output.append(UInt8(truncatingIfNeeded: 0x80 | (scalar & 0x3f)))
        }
    }
}
