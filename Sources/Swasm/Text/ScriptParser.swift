extension Script {
    /// Parses a `.wast` script. Modules are assembled as they are met; a module whose text is
    /// malformed does not fail the script (it is recorded with `isWellFormed == false`, which
    /// `assert_malformed` expects). Errors: `.malformed` for a script that is not well-formed
    /// (with the position in `diagnostic`), `.outOfMemory`, `.limitExceeded`.
    public static func parse(_ text: UnsafeRawBufferPointer, diagnostic: inout Diagnostic) throws(SwasmError) -> Script {
        var tokens = FallibleVector<TextToken>()
        try TextLexer.tokenize(text, into: &tokens, diagnostic: &diagnostic)
        let table = try Heap.create(try TextInstructionTable())
        defer { Heap.destroy(table) }
        var script = Script()
        try parse(text, tokens: tokens, instructions: UnsafePointer(table), into: &script, diagnostic: &diagnostic)
        return script
    }

    /// Parses with `tokens` borrowed for the whole call (the parser keeps pointers into them).
    static func parse(_ text: UnsafeRawBufferPointer, tokens: borrowing FallibleVector<TextToken>,
                      instructions: UnsafePointer<TextInstructionTable>, into script: inout Script,
                      diagnostic: inout Diagnostic) throws(SwasmError) {
        var parser = TextParser(source: text, tokens: tokens.base.map { UnsafePointer($0) }, start: 0, end: tokens.count,
                                instructions: instructions)
        do throws(SwasmError) {
            try parser.parseScript(into: &script)
        } catch {
            swap(&diagnostic, &parser.diagnostic)
            throw error
        }
    }
}

extension TextParser {
    mutating func parseScript(into script: inout Script) throws(SwasmError) {
        // A script that is just module fields is one module.
        if kind(position) == .leftParen && isModuleFieldKeyword(position &+ 1) {
            var command = ScriptCommand(kind: .module, line: 1, column: 1)
            try assembleTextModule(start: position, end: tokenEnd, into: &command.module)
            command.hasModule = true
            try script.commands.append(command)
            return
        }
        while kind(position) != .end {
            let start = position
            guard kind(start) == .leftParen else { throw unexpected(start, expected: "'(' starting a command") }
            let close = try matchingParen(start)
            let (line, column) = location(start)
            let keyword = start &+ 1
            var command: ScriptCommand
            if isKeyword(keyword, "module") && isKeyword(keyword &+ 1, "instance") {
                command = ScriptCommand(kind: .moduleInstance, line: line, column: column)
                position = keyword &+ 2
                if kind(position) == .identifier && kind(position &+ 1) == .identifier {
                    command.instanceName = try Self.identifierName(slice(position))
                    command.hasInstanceName = true
                    position &+= 1
                }
                guard kind(position) == .identifier else { throw unexpected(position, expected: "a module definition's name") }
                command.definition = try Self.identifierName(slice(position))
                position &+= 1
                try expectRightParen()
            } else if isKeyword(keyword, "module") {
                command = ScriptCommand(kind: .module, line: line, column: column)
                try parseScriptModule(start, into: &command.module)
                command.hasModule = true
            } else if isKeyword(keyword, "register") {
                command = ScriptCommand(kind: .register, line: line, column: column)
                position = keyword &+ 1
                command.text = try parseName()
                if kind(position) == .identifier {
                    command.registerModule = try Self.identifierName(slice(position))
                    command.hasRegisterModule = true
                    position &+= 1
                }
                try expectRightParen()
            } else if isKeyword(keyword, "invoke") || isKeyword(keyword, "get") {
                command = ScriptCommand(kind: .action, line: line, column: column)
                position = start
                try parseAction(into: &command.action)
                command.hasAction = true
            } else if isKeyword(keyword, "assert_return") {
                command = ScriptCommand(kind: .assertReturn, line: line, column: column)
                position = keyword &+ 1
                try parseAction(into: &command.action)
                command.hasAction = true
                while kind(position) == .leftParen {
                    let expectation = try parseExpectation(alternatives: &command.alternatives, allowEither: true)
                    try command.expected.append(expectation)
                }
                try expectRightParen()
            } else if isKeyword(keyword, "assert_trap") || isKeyword(keyword, "assert_exhaustion")
                        || isKeyword(keyword, "assert_malformed") || isKeyword(keyword, "assert_invalid")
                        || isKeyword(keyword, "assert_unlinkable") || isKeyword(keyword, "assert_uninstantiable") {
                let commandKind: ScriptCommandKind
                if isKeyword(keyword, "assert_trap") { commandKind = .assertTrap }
                else if isKeyword(keyword, "assert_exhaustion") { commandKind = .assertExhaustion }
                else if isKeyword(keyword, "assert_malformed") { commandKind = .assertMalformed }
                else if isKeyword(keyword, "assert_invalid") { commandKind = .assertInvalid }
                else if isKeyword(keyword, "assert_unlinkable") { commandKind = .assertUnlinkable }
                else { commandKind = .assertUninstantiable }
                command = ScriptCommand(kind: commandKind, line: line, column: column)
                position = keyword &+ 1
                if isOpen(position, "module") {
                    guard commandKind != .assertExhaustion else { throw unexpected(position &+ 1, expected: "an action") }
                    let moduleStart = position
                    position = try matchingParen(moduleStart) &+ 1
                    try parseScriptModule(moduleStart, into: &command.module)
                    command.hasModule = true
                } else {
                    guard commandKind == .assertTrap || commandKind == .assertExhaustion else {
                        throw unexpected(position, expected: "'(module'")
                    }
                    try parseAction(into: &command.action)
                    command.hasAction = true
                }
                var message = TextBuffer()
                try parseString(into: &message)
                command.text = try message.makeByteBuffer()
                try expectRightParen()
            } else if isKeyword(keyword, "assert_exception") {
                // `(assert_exception action)`: no message.
                command = ScriptCommand(kind: .assertException, line: line, column: column)
                position = keyword &+ 1
                try parseAction(into: &command.action)
                command.hasAction = true
                try expectRightParen()
            } else {
                throw unexpected(keyword, expected: "a script command")
            }
            guard position == close &+ 1 else {
                throw unexpected(position, expected: "')'")
            }
            position = close &+ 1
            try script.commands.append(command)
        }
    }

    func isModuleFieldKeyword(_ index: Int) -> Bool {
        isKeyword(index, "type") || isKeyword(index, "import") || isKeyword(index, "func") || isKeyword(index, "table")
            || isKeyword(index, "memory") || isKeyword(index, "global") || isKeyword(index, "export")
            || isKeyword(index, "start") || isKeyword(index, "elem") || isKeyword(index, "data")
            || isKeyword(index, "tag") || isKeyword(index, "rec")
    }

    /// `(module definition? $id? binary "..."*)`, `(module definition? $id? quote "..."*)` or a
    /// text module at `start`.
    mutating func parseScriptModule(_ start: Int, into module: inout ScriptModule) throws(SwasmError) {
        let close = try matchingParen(start)
        var next = start &+ 2
        if isKeyword(next, "definition") {
            module.isDefinition = true
            next &+= 1
        }
        if kind(next) == .identifier {
            module.name = try Self.identifierName(slice(next))
            module.hasName = true
            next &+= 1
        }
        if isKeyword(next, "binary") || isKeyword(next, "quote") {
            let quote = isKeyword(next, "quote")
            module.form = quote ? .quote : .binary
            position = next &+ 1
            var bytes = TextBuffer()
            while kind(position) == .string {
                if quote && !bytes.isEmpty { try bytes.append(UInt8(ascii: " ")) }
                try parseString(into: &bytes)
            }
            try expectRightParen()
            if quote {
                module.text = try bytes.makeByteBuffer()
                try assembleQuotedModule(bytes, into: &module)
            } else {
                module.binary = try bytes.makeByteBuffer()
            }
            return
        }
        module.form = .text
        try assembleTextModule(start: start, end: close &+ 1, into: &module)
        position = close &+ 1
    }

    /// Assembles tokens `start..<end` of this script; malformed text is recorded, not thrown.
    mutating func assembleTextModule(start: Int, end: Int, into module: inout ScriptModule) throws(SwasmError) {
        var output = TextBuffer()
        var failure = Diagnostic()
        do throws(SwasmError) {
            try TextAssembler.assembleModule(source: source, tokens: tokens, start: start, end: end,
                                             instructions: instructions, into: &output, diagnostic: &failure,
                                             definition: module.isDefinition)
            module.binary = try output.makeByteBuffer()
            module.isWellFormed = true
        } catch {
            if error == .outOfMemory { throw error }
            module.isWellFormed = false
            swap(&module.failure, &failure.message)
        }
    }

    /// Lexes and assembles quoted text; malformed text is recorded, not thrown.
    mutating func assembleQuotedModule(_ quoted: borrowing TextBuffer, into module: inout ScriptModule) throws(SwasmError) {
        let text = quoted.bytes
        var quotedTokens = FallibleVector<TextToken>()
        var failure = Diagnostic()
        do throws(SwasmError) {
            try TextLexer.tokenize(text, into: &quotedTokens, diagnostic: &failure)
            var output = TextBuffer()
            if quotedTokens.count == 0 {
                // Quoted text without a field (only whitespace, comments or annotations) is the
                // empty module, as `(module)` is.
                try TextEncoder.encode(TextModule(), into: &output)
            } else {
                try TextAssembler.assembleModule(source: text, tokens: quotedTokens, start: 0, end: quotedTokens.count,
                                                 instructions: instructions, into: &output, diagnostic: &failure)
            }
            module.binary = try output.makeByteBuffer()
            module.isWellFormed = true
        } catch {
            if error == .outOfMemory { throw error }
            module.isWellFormed = false
            swap(&module.failure, &failure.message)
        }
    }

    /// `(invoke $id? "name" const*)` or `(get $id? "name")`.
    mutating func parseAction(into action: inout ScriptAction) throws(SwasmError) {
        try expectLeftParen("'(invoke' or '(get'")
        if isKeyword(position, "invoke") {
            action.kind = .invoke
        } else if isKeyword(position, "get") {
            action.kind = .get
        } else {
            throw unexpected(position, expected: "invoke or get")
        }
        position &+= 1
        if kind(position) == .identifier {
            action.moduleName = try Self.identifierName(slice(position))
            action.hasModuleName = true
            position &+= 1
        }
        action.field = try parseName()
        if action.kind == .invoke {
            while kind(position) == .leftParen { try action.arguments.append(try parseScriptValue()) }
        }
        try expectRightParen()
    }

    /// `(i32.const n)`, `(i64.const n)`, `(f32.const z)`, `(f64.const z)`, `(v128.const shape lanes)`,
    /// `(ref.null heaptype)`, `(ref.extern n)`, `(ref.host n)`, `(ref.func n)`.
    mutating func parseScriptValue() throws(SwasmError) -> ScriptValue {
        try expectLeftParen("a constant")
        let head = position
        let value: ScriptValue
        position &+= 1
        if isKeyword(head, "i32.const") {
            let (bits, status) = TextNumbers.parseInteger(numberToken(), bits: 32)
            guard status == .ok else { throw numberError(position, status) }
            value = ScriptValue(kind: .i32, low: bits)
            position &+= 1
        } else if isKeyword(head, "i64.const") {
            let (bits, status) = TextNumbers.parseInteger(numberToken(), bits: 64)
            guard status == .ok else { throw numberError(position, status) }
            value = ScriptValue(kind: .i64, low: bits)
            position &+= 1
        } else if isKeyword(head, "f32.const") {
            let (bits, status) = try TextNumbers.parseF32(numberToken())
            guard status == .ok else { throw numberError(position, status) }
            value = ScriptValue(kind: .f32, low: UInt64(bits))
            position &+= 1
        } else if isKeyword(head, "f64.const") {
            let (bits, status) = try TextNumbers.parseF64(numberToken())
            guard status == .ok else { throw numberError(position, status) }
            value = ScriptValue(kind: .f64, low: bits)
            position &+= 1
        } else if isKeyword(head, "v128.const") {
            var low: UInt64 = 0
            var high: UInt64 = 0
            try parseV128(low: &low, high: &high)
            value = ScriptValue(kind: .v128, low: low, high: high)
        } else if isKeyword(head, "ref.null") {
            value = try parseNullHeapType()
        } else if isKeyword(head, "ref.extern") {
            value = ScriptValue(kind: .externReference, low: try parseU64("a reference number"))
        } else if isKeyword(head, "ref.host") {
            value = ScriptValue(kind: .hostReference, low: try parseU64("a reference number"))
        } else if isKeyword(head, "ref.func") {
            value = ScriptValue(kind: .functionReference, low: try parseU64("a reference number"))
        } else {
            throw unexpected(head, expected: "a constant")
        }
        try expectRightParen()
        return value
    }

    /// The heap type of `(ref.null heaptype)`, as the null of its hierarchy.
    mutating func parseNullHeapType() throws(SwasmError) -> ScriptValue {
        let valueKind: ScriptValueKind
        var low: UInt64 = 0
        if isKeyword(position, "func") || isKeyword(position, "funcref") || isKeyword(position, "nofunc") {
            valueKind = .nullFunctionReference
        } else if isKeyword(position, "extern") || isKeyword(position, "externref") || isKeyword(position, "noextern") {
            valueKind = .nullExternReference
        } else if isKeyword(position, "any") || isKeyword(position, "none") || isKeyword(position, "eq")
                    || isKeyword(position, "i31") || isKeyword(position, "struct") || isKeyword(position, "array") {
            valueKind = .nullAnyReference
        } else if isKeyword(position, "exn") || isKeyword(position, "noexn") {
            valueKind = .nullExceptionReference
        } else if kind(position) == .identifier {
            valueKind = .nullTypedReference
            low = UInt64.max
        } else if kind(position) == .number {
            return ScriptValue(kind: .nullTypedReference, low: UInt64(try parseU32("a type index")))
        } else {
            throw unexpected(position, expected: "a heap type")
        }
        position &+= 1
        return ScriptValue(kind: valueKind, low: low)
    }

    /// An expected result: a constant, a NaN pattern, a v128 lane pattern, `(ref.extern)`,
    /// `(ref.func)`, `(ref.any)`, `(ref.eq)`, `(ref.i31)`, `(ref.struct)`, `(ref.array)`, `(ref.null)` or
    /// `(either ...)`.
    mutating func parseExpectation(alternatives: inout FallibleVector<ScriptExpectation>,
                                   allowEither: Bool) throws(SwasmError) -> ScriptExpectation {
        let open = position
        let head = position &+ 1
        if allowEither && isKeyword(head, "either") {
            position = head &+ 1
            // Alternatives are parsed first (into a scratch list) so nested results stay contiguous.
            var choices = FallibleVector<ScriptExpectation>()
            while kind(position) == .leftParen {
                try choices.append(try parseExpectation(alternatives: &alternatives, allowEither: false))
            }
            try expectRightParen()
            var expectation = ScriptExpectation(kind: .either, value: ScriptValue(kind: .i32))
            expectation.alternativeStart = alternatives.count
            expectation.alternativeCount = choices.count
            for index in 0..<choices.count { try alternatives.append(choices[index]) }
            return expectation
        }
        if isKeyword(head, "f32.const") || isKeyword(head, "f64.const") {
            let valueKind: ScriptValueKind = isKeyword(head, "f32.const") ? .f32 : .f64
            if isKeyword(head &+ 1, "nan:canonical") || isKeyword(head &+ 1, "nan:arithmetic") {
                let canonical = isKeyword(head &+ 1, "nan:canonical")
                position = head &+ 2
                try expectRightParen()
                return ScriptExpectation(kind: canonical ? .canonicalNaN : .arithmeticNaN, value: ScriptValue(kind: valueKind))
            }
        }
        if isKeyword(head, "ref.null") && kind(head &+ 1) == .rightParen {
            position = head &+ 2
            return ScriptExpectation(kind: .anyNullReference, value: ScriptValue(kind: .functionReference))
        }
        if (isKeyword(head, "ref.extern") || isKeyword(head, "ref.func")) && kind(head &+ 1) == .rightParen {
            position = head &+ 2
            return ScriptExpectation(kind: isKeyword(head, "ref.extern") ? .anyExternReference : .anyFunctionReference,
                                     value: ScriptValue(kind: isKeyword(head, "ref.extern") ? .externReference : .functionReference))
        }
        if kind(head &+ 1) == .rightParen {
            let anyOf: ScriptExpectationKind?
            if isKeyword(head, "ref.any") { anyOf = .anyAnyReference }
            else if isKeyword(head, "ref.eq") { anyOf = .anyEqReference }
            else if isKeyword(head, "ref.i31") { anyOf = .anyI31Reference }
            else if isKeyword(head, "ref.struct") { anyOf = .anyStructReference }
            else if isKeyword(head, "ref.array") { anyOf = .anyArrayReference }
            else { anyOf = nil }
            if let anyOf {
                position = head &+ 2
                return ScriptExpectation(kind: anyOf, value: ScriptValue(kind: .hostReference))
            }
        }
        if isKeyword(head, "v128.const") && (isKeyword(head &+ 1, "f32x4") || isKeyword(head &+ 1, "f64x2")) {
            return try parseVectorExpectation(open)
        }
        position = open
        var expectation = ScriptExpectation(kind: .value, value: try parseScriptValue())
        if isKeyword(head, "v128.const") {
            // Keep the shape the value was written in: it decides how a runner shows the lanes.
            if isKeyword(head &+ 1, "i8x16") { expectation.shape = .i8x16 }
            else if isKeyword(head &+ 1, "i16x8") { expectation.shape = .i16x8 }
            else if isKeyword(head &+ 1, "i64x2") { expectation.shape = .i64x2 }
            else { expectation.shape = .i32x4 }
        }
        return expectation
    }

    /// `(v128.const f32x4|f64x2 lane*)` where lanes may be `nan:canonical` / `nan:arithmetic`.
    mutating func parseVectorExpectation(_ open: Int) throws(SwasmError) -> ScriptExpectation {
        let shapeToken = open &+ 2
        let is32 = isKeyword(shapeToken, "f32x4")
        let lanes = is32 ? 4 : 2
        position = shapeToken &+ 1
        var available = 0
        while available <= lanes && isLaneLiteral(position &+ available) { available &+= 1 }
        guard available == lanes else { throw fail("wrong number of lane literals", at: shapeToken) }
        var patterns: UInt8 = 0
        var low: UInt64 = 0
        var high: UInt64 = 0
        for lane in 0..<lanes {
            var bits: UInt64 = 0
            if isKeyword(position, "nan:canonical") {
                patterns |= UInt8(ScriptLanePattern.canonicalNaN.rawValue) << UInt8(lane &* 2)
            } else if isKeyword(position, "nan:arithmetic") {
                patterns |= UInt8(ScriptLanePattern.arithmeticNaN.rawValue) << UInt8(lane &* 2)
            } else if is32 {
                let (value, status) = try TextNumbers.parseF32(slice(position))
                guard status == .ok else { throw numberError(position, status) }
                bits = UInt64(value)
            } else {
                let (value, status) = try TextNumbers.parseF64(slice(position))
                guard status == .ok else { throw numberError(position, status) }
                bits = value
            }
            position &+= 1
            let offset = lane &* (is32 ? 32 : 64)
            if offset < 64 { low |= bits << UInt64(offset) } else { high |= bits << UInt64(offset &- 64) }
        }
        try expectRightParen()
        var expectation = ScriptExpectation(kind: .vectorLanes, value: ScriptValue(kind: .v128, low: low, high: high))
        expectation.shape = is32 ? .f32x4 : .f64x2
        expectation.lanePatterns = patterns
        return expectation
    }
}
