/// Instructions, flat and folded, with explicit stacks for nesting: `frames` for parenthesized
/// instructions, `labels` for blocks. Folded `(op operands...)` keeps `op`'s bytes in `pending`
/// until its operands are written.
extension TextParser {
    /// Parses `instr*` up to the `)` that closes the enclosing construct (not consumed), or, with
    /// `single`, exactly one folded instruction.
    mutating func parseInstructions(into output: inout TextBuffer, single: Bool) throws(SwasmError) {
        let baseFrames = frames.count
        let baseLabels = labels.count
        while true {
            let tokenKind = kind(position)
            if tokenKind == .rightParen || tokenKind == .end {
                if frames.count == baseFrames {
                    if labels.count > baseLabels { throw unexpected(position, expected: "'end'") }
                    return
                }
                guard tokenKind == .rightParen else { throw unexpected(position, expected: "')'") }
                try closeFrame(into: &output)
                if single && frames.count == baseFrames { return }
                continue
            }
            let top = frames.count > baseFrames ? frames[frames.count &- 1].kind : nil
            if tokenKind == .leftParen {
                if top == .ifCondition && isKeyword(position &+ 1, "then") {
                    try openThen(into: &output)
                } else if top == .ifAfterThen && isKeyword(position &+ 1, "else") {
                    position &+= 2
                    // An empty `(else)` keeps its opcode, as in wasm-tools.
                    try output.append(0x05)
                    try frames.append(TextFrame(kind: .elseClause, pendingStart: pending.count, labelName: .empty))
                } else if top == .ifAfterThen || top == .ifAfterElse {
                    throw unexpected(position, expected: "'(else' or ')'")
                } else {
                    try openFolded(into: &output)
                }
                continue
            }
            // A flat instruction: only inside blocks and clauses (and at the top level).
            if top == .plain || top == .ifCondition || top == .ifAfterThen || top == .ifAfterElse || (single && top == nil) {
                throw unexpected(position, expected: top == .ifCondition ? "'(' or '(then'" : "'(' or ')'")
            }
            try parseFlat(into: &output)
        }
    }

    // MARK: labels

    mutating func pushLabel(_ name: TextSlice, flat: Bool, state: TextLabelState) throws(SwasmError) {
        var shadowed = -1
        if !name.isEmpty {
            if let previous = try labelsByName.insert(name, labels.count) { shadowed = previous }
        }
        do throws(SwasmError) {
            try labels.append(TextLabel(name: name, shadowed: shadowed, frameDepth: frames.count, flat: flat, state: state))
        } catch {
            restoreLabelName(name, shadowed)
            throw error
        }
    }

    private mutating func restoreLabelName(_ name: TextSlice, _ shadowed: Int) {
        guard !name.isEmpty else { return }
        if shadowed >= 0 {
            if let slot = labelsByName.valuePointer(for: name) { slot.pointee = shadowed }
        } else {
            _ = labelsByName.remove(name)
        }
    }

    mutating func popLabel() {
        guard let label = labels.popLast() else { return }
        restoreLabelName(label.name, label.shadowed)
    }

    /// A branch target: `$label` or a relative depth.
    mutating func parseLabelIndex() throws(SwasmError) -> UInt32 {
        if kind(position) == .identifier {
            let name = slice(position)
            guard let index = labelsByName.withValue(for: name, { $0 }) else { throw fail("unknown label", showing: position) }
            position &+= 1
            return UInt32(truncatingIfNeeded: labels.count &- 1 &- index)
        }
        guard kind(position) == .number else { throw unexpected(position, expected: "a label") }
        return try parseU32("a label")
    }

    /// The optional label after `end` or `else` must repeat the block's label.
    mutating func checkClosingLabel(_ label: TextLabel) throws(SwasmError) {
        guard kind(position) == .identifier else { return }
        guard !label.name.isEmpty && label.name.isEqual(to: slice(position)) else {
            throw fail("mismatching label", showing: position)
        }
        position &+= 1
    }

    /// Flat blocks opened inside the frame being closed must have been ended.
    func checkNoOpenFlatBlocks() -> Bool {
        guard let top = labels.count > 0 ? labels[labels.count &- 1] : nil else { return true }
        return !(top.flat && top.frameDepth == frames.count)
    }

    // MARK: block types

    /// `(type x)? (param t*)* (result t*)*` of a block, encoded as 0x40, a value type or a type
    /// index. As in wasm-tools, a block written with `(type x)` keeps the index even when its type
    /// has a short form.
    mutating func parseBlockType(into output: inout TextBuffer) throws(SwasmError) {
        if isOpen(position, "type") {
            try output.appendS64(Int64(try parseTypeUse(allowNames: false)))
            return
        }
        _ = try parseSignatureClauses(allowNames: false)
        if parameters.isEmpty && results.count == 0 {
            try output.append(0x40)
        } else if parameters.isEmpty && results.count == 1 {
            try output.appendValueType(results[0])
        } else {
            try encodeSignature()
            try output.appendS64(Int64(try implicitType()))
        }
    }

    // MARK: catch clauses

    /// The catch clause keyword at `index` as its binary kind: `catch` 0, `catch_ref` 1,
    /// `catch_all` 2, `catch_all_ref` 3.
    func catchClauseKind(_ index: Int) -> UInt8? {
        guard kind(index) == .keyword else { return nil }
        let text = slice(index)
        if text.equals("catch") { return 0 }
        if text.equals("catch_ref") { return 1 }
        if text.equals("catch_all") { return 2 }
        if text.equals("catch_all_ref") { return 3 }
        return nil
    }

    /// `(catch x l)* (catch_ref x l)* (catch_all l)* (catch_all_ref l)*` (in any order) of a
    /// `try_table`, as a vector of clauses: kind, tag index for `catch` and `catch_ref`, label.
    /// Called before the try_table's own label is pushed: the clauses' labels are resolved
    /// outside it, as branches that leave the try_table.
    mutating func parseCatchClauses(into output: inout TextBuffer) throws(SwasmError) {
        // Counted first (the vector's length comes before the clauses).
        var count: UInt32 = 0
        var scan = position
        while kind(scan) == .leftParen && catchClauseKind(scan &+ 1) != nil, let close = findMatchingParen(scan) {
            count &+= 1
            scan = close &+ 1
        }
        try output.appendU32(count)
        for _ in 0..<count {
            guard let clause = catchClauseKind(position &+ 1) else { throw unexpected(position &+ 1, expected: "a catch clause") }
            position &+= 2
            try output.append(clause)
            if clause < 2 { try output.appendU32(try parseIndex(.tag)) }
            try output.appendU32(try parseLabelIndex())
            try expectRightParen()
        }
    }

    // MARK: folded instructions

    mutating func openFolded(into output: inout TextBuffer) throws(SwasmError) {
        position &+= 1
        let mnemonic = position
        guard kind(mnemonic) == .keyword, let opcode = instructions.pointee.lookup(slice(mnemonic)) else {
            throw unexpected(mnemonic, expected: "an instruction")
        }
        position &+= 1
        switch opcode.immediate {
        case .block, .loop, .tryTable:
            let label = optionalIdentifier()
            try opcode.write(to: &output)
            try parseBlockType(into: &output)
            if opcode.immediate == .tryTable { try parseCatchClauses(into: &output) }
            try frames.append(TextFrame(kind: .block, pendingStart: pending.count, labelName: label))
            try pushLabel(label, flat: false, state: .block)
        case .if:
            let label = optionalIdentifier()
            let start = pending.count
            var header = TextBuffer()
            swap(&header, &pending)
            defer { swap(&header, &pending) }
            try opcode.write(to: &header)
            try parseBlockType(into: &header)
            try frames.append(TextFrame(kind: .ifCondition, pendingStart: start, labelName: label))
        case .else, .end:
            throw unexpected(mnemonic, expected: "an instruction")
        default:
            let start = pending.count
            var operation = TextBuffer()
            swap(&operation, &pending)
            defer { swap(&operation, &pending) }
            try parseInstructionBody(opcode, mnemonic: mnemonic, into: &operation)
            try frames.append(TextFrame(kind: .plain, pendingStart: start, labelName: .empty))
        }
    }

    /// `(then`: the `if` opcode goes out after its condition operands.
    mutating func openThen(into output: inout TextBuffer) throws(SwasmError) {
        position &+= 2
        let frameIndex = frames.count &- 1
        let frame = frames[frameIndex]
        try output.append(pending, from: frame.pendingStart)
        pending.truncate(to: frame.pendingStart)
        frames[frameIndex].kind = .ifAfterThen
        try pushLabel(frame.labelName, flat: false, state: .ifThen)
        try frames.append(TextFrame(kind: .thenClause, pendingStart: pending.count, labelName: .empty))
    }

    /// Handles `)` closing the innermost frame.
    mutating func closeFrame(into output: inout TextBuffer) throws(SwasmError) {
        let frameIndex = frames.count &- 1
        let frame = frames[frameIndex]
        switch frame.kind {
        case .plain:
            try output.append(pending, from: frame.pendingStart)
            pending.truncate(to: frame.pendingStart)
            _ = frames.popLast()
        case .block:
            guard checkNoOpenFlatBlocks() else { throw unexpected(position, expected: "'end'") }
            try output.append(0x0b)
            _ = frames.popLast()
            popLabel()
        case .thenClause, .elseClause:
            guard checkNoOpenFlatBlocks() else { throw unexpected(position, expected: "'end'") }
            _ = frames.popLast()
            frames[frameIndex &- 1].kind = frame.kind == .thenClause ? .ifAfterThen : .ifAfterElse
        case .ifCondition:
            throw unexpected(position, expected: "'(then'")
        case .ifAfterThen, .ifAfterElse:
            try output.append(0x0b)
            _ = frames.popLast()
            popLabel()
        }
        position &+= 1
    }

    // MARK: flat instructions

    mutating func parseFlat(into output: inout TextBuffer) throws(SwasmError) {
        let mnemonic = position
        guard kind(mnemonic) == .keyword, let opcode = instructions.pointee.lookup(slice(mnemonic)) else {
            throw unexpected(mnemonic, expected: "an instruction")
        }
        position &+= 1
        switch opcode.immediate {
        case .block, .loop, .if, .tryTable:
            let label = optionalIdentifier()
            try opcode.write(to: &output)
            try parseBlockType(into: &output)
            if opcode.immediate == .tryTable { try parseCatchClauses(into: &output) }
            try pushLabel(label, flat: true, state: opcode.immediate == .if ? .ifThen : .block)
        case .else:
            guard labels.count > 0, labels[labels.count &- 1].flat, labels[labels.count &- 1].frameDepth == frames.count,
                  labels[labels.count &- 1].state == .ifThen else {
                throw unexpected(mnemonic, expected: "an instruction")
            }
            try checkClosingLabel(labels[labels.count &- 1])
            try output.append(0x05)
            labels[labels.count &- 1].state = .ifElse
        case .end:
            guard labels.count > 0, labels[labels.count &- 1].flat, labels[labels.count &- 1].frameDepth == frames.count else {
                throw unexpected(mnemonic, expected: "an instruction")
            }
            try checkClosingLabel(labels[labels.count &- 1])
            try output.append(0x0b)
            popLabel()
        default:
            try parseInstructionBody(opcode, mnemonic: mnemonic, into: &output)
        }
    }

    // MARK: immediates

    /// Writes a plain instruction's opcode and immediates.
    mutating func parseInstructionBody(_ opcode: TextOpcode, mnemonic: Int, into output: inout TextBuffer) throws(SwasmError) {
        switch opcode.immediate {
        case .none:
            try opcode.write(to: &output)
        case .label:
            try opcode.write(to: &output)
            try output.appendU32(try parseLabelIndex())
        case .branchTable:
            try opcode.write(to: &output)
            indexList.removeAll()
            while isIndex(position) { try indexList.append(try parseLabelIndex()) }
            guard indexList.count > 0 else { throw unexpected(position, expected: "a label") }
            try output.appendU32(UInt32(truncatingIfNeeded: indexList.count &- 1))
            for index in 0..<indexList.count { try output.appendU32(indexList[index]) }
        case .call, .referenceFunction:
            try opcode.write(to: &output)
            try output.appendU32(try parseIndex(.function))
        case .tag:
            try opcode.write(to: &output)
            try output.appendU32(try parseIndex(.tag))
        case .type:
            try opcode.write(to: &output)
            try output.appendU32(try parseIndex(.type))
        case .field:
            try opcode.write(to: &output)
            let type = try parseIndex(.type)
            try output.appendU32(type)
            try output.appendU32(try parseFieldIndex(ofType: type))
        case .typeCount:
            try opcode.write(to: &output)
            try output.appendU32(try parseIndex(.type))
            try output.appendU32(try parseU32("an element count"))
        case .typeData:
            try opcode.write(to: &output)
            try output.appendU32(try parseIndex(.type))
            try output.appendU32(try parseIndex(.data))
            if inFunction { module.needsDataCount = true }
        case .typeElement:
            try opcode.write(to: &output)
            try output.appendU32(try parseIndex(.type))
            try output.appendU32(try parseIndex(.element))
        case .typeType:
            try opcode.write(to: &output)
            try output.appendU32(try parseIndex(.type))
            try output.appendU32(try parseIndex(.type))
        case .castTest:
            // The table has the opcode for a non-null type; the next one takes a nullable type.
            let type = try parseReferenceType()
            var written = opcode
            if type.isNullable { written.code &+= 1 }
            try written.write(to: &output)
            try output.appendHeapType(type.heapType)
        case .castBranch:
            // Flags (bit 0: the source type is nullable, bit 1: the target type), label, heap types.
            let label = try parseLabelIndex()
            let source = try parseReferenceType()
            let target = try parseReferenceType()
            try opcode.write(to: &output)
            try output.append((source.isNullable ? 1 : 0) | (target.isNullable ? 2 : 0))
            try output.appendU32(label)
            try output.appendHeapType(source.heapType)
            try output.appendHeapType(target.heapType)
        case .callIndirect:
            try opcode.write(to: &output)
            var table: UInt32 = 0
            if isIndex(position) { table = try parseIndex(.table) }
            let type = try parseTypeUse(allowNames: false)
            try output.appendU32(type)
            try output.appendU32(table)
        case .select:
            if isOpen(position, "result") {
                _ = try parseSignatureClauses(allowNames: false)
                try output.append(0x1c)
                try output.appendU32(UInt32(truncatingIfNeeded: results.count))
                for index in 0..<results.count { try output.appendValueType(results[index]) }
            } else {
                try opcode.write(to: &output)
            }
        case .local:
            try opcode.write(to: &output)
            try output.appendU32(try parseIndex(.local))
        case .global:
            try opcode.write(to: &output)
            try output.appendU32(try parseIndex(.global))
        case .table:
            try opcode.write(to: &output)
            try output.appendU32(isIndex(position) ? try parseIndex(.table) : 0)
        case .memoryIndex:
            try opcode.write(to: &output)
            try output.appendU32(isIndex(position) ? try parseIndex(.memory) : 0)
        case .memory:
            try opcode.write(to: &output)
            let memory: UInt32 = isIndex(position) ? try parseIndex(.memory) : 0
            try parseMemoryArgument(memory: memory, naturalAlignment: opcode.argument, into: &output)
        case .memoryLane:
            try opcode.write(to: &output)
            var memory: UInt32 = 0
            if kind(position) == .identifier
                || (kind(position) == .number && (kind(position &+ 1) == .number || isMemoryArgumentKeyword(position &+ 1))) {
                memory = try parseIndex(.memory)
            }
            try parseMemoryArgument(memory: memory, naturalAlignment: opcode.argument, into: &output)
            try output.append(try parseLaneIndex())
        case .i32:
            try opcode.write(to: &output)
            let (value, status) = TextNumbers.parseInteger(numberToken(), bits: 32)
            guard status == .ok else { throw numberError(position, status) }
            position &+= 1
            try output.appendS32(Int32(bitPattern: UInt32(truncatingIfNeeded: value)))
        case .i64:
            try opcode.write(to: &output)
            let (value, status) = TextNumbers.parseInteger(numberToken(), bits: 64)
            guard status == .ok else { throw numberError(position, status) }
            position &+= 1
            try output.appendS64(Int64(bitPattern: value))
        case .f32:
            try opcode.write(to: &output)
            let (bits, status) = try TextNumbers.parseF32(numberToken())
            guard status == .ok else { throw numberError(position, status) }
            position &+= 1
            try output.appendLittleEndian32(bits)
        case .f64:
            try opcode.write(to: &output)
            let (bits, status) = try TextNumbers.parseF64(numberToken())
            guard status == .ok else { throw numberError(position, status) }
            position &+= 1
            try output.appendLittleEndian64(bits)
        case .v128:
            try opcode.write(to: &output)
            var low: UInt64 = 0
            var high: UInt64 = 0
            try parseV128(low: &low, high: &high)
            try output.appendLittleEndian64(low)
            try output.appendLittleEndian64(high)
        case .referenceNull:
            try opcode.write(to: &output)
            // The 2.0 spelling with the shorthand's name (`ref.null funcref`) reads as its heap type.
            if isKeyword(position, "funcref") || isKeyword(position, "externref") {
                try output.append(isKeyword(position, "funcref") ? 0x70 : 0x6f)
                position &+= 1
            } else {
                try output.appendHeapType(try parseHeapType())
            }
        case .memoryInit:
            try opcode.write(to: &output)
            var memory: UInt32 = 0
            if isIndex(position) && isIndex(position &+ 1) { memory = try parseIndex(.memory) }
            try output.appendU32(try parseIndex(.data))
            try output.appendU32(memory)
            if inFunction { module.needsDataCount = true }
        case .dataDrop:
            try opcode.write(to: &output)
            try output.appendU32(try parseIndex(.data))
            if inFunction { module.needsDataCount = true }
        case .memoryCopy:
            try opcode.write(to: &output)
            var destination: UInt32 = 0
            var source: UInt32 = 0
            if isIndex(position) {
                destination = try parseIndex(.memory)
                source = try parseIndex(.memory)
            }
            try output.appendU32(destination)
            try output.appendU32(source)
        case .tableInit:
            try opcode.write(to: &output)
            var table: UInt32 = 0
            if isIndex(position) && isIndex(position &+ 1) { table = try parseIndex(.table) }
            try output.appendU32(try parseIndex(.element))
            try output.appendU32(table)
        case .elementDrop:
            try opcode.write(to: &output)
            try output.appendU32(try parseIndex(.element))
        case .tableCopy:
            try opcode.write(to: &output)
            var destination: UInt32 = 0
            var source: UInt32 = 0
            if isIndex(position) {
                destination = try parseIndex(.table)
                source = try parseIndex(.table)
            }
            try output.appendU32(destination)
            try output.appendU32(source)
        case .shuffle:
            try opcode.write(to: &output)
            var lanes = 0
            while isLaneLiteral(position &+ lanes) { lanes &+= 1 }
            guard lanes == 16 else { throw fail("invalid lane length", at: position) }
            for _ in 0..<16 {
                // Any numeric literal is a lane; anything but a natural number below 32 bits of
                // value 0...255 is malformed.
                let (value, status) = TextNumbers.parseU32(slice(position))
                guard status == .ok, value < 256 else { throw fail("malformed lane index", showing: position) }
                try output.append(UInt8(truncatingIfNeeded: value))
                position &+= 1
            }
        case .lane:
            try opcode.write(to: &output)
            try output.append(try parseLaneIndex())
        case .atomicFence:
            try opcode.write(to: &output)
            try output.append(0)
        case .block, .loop, .if, .else, .end, .tryTable, .syntax:
            throw unexpected(mnemonic, expected: "an instruction")
        }
    }

    /// A field of struct type `type`: a name declared in that type, or an index.
    mutating func parseFieldIndex(ofType type: UInt32) throws(SwasmError) -> UInt32 {
        guard kind(position) == .identifier else { return try parseU32("a field index") }
        guard let field = fieldIndices.withValue(for: TextFieldKey(type: type, name: slice(position)), { $0 }) else {
            throw fail("unknown field", showing: position)
        }
        position &+= 1
        return field
    }

    /// The current token, as a number candidate (empty for tokens that cannot be numbers).
    func numberToken() -> TextSlice {
        let tokenKind = kind(position)
        guard tokenKind == .number || tokenKind == .keyword else { return .empty }
        return slice(position)
    }

    func isMemoryArgumentKeyword(_ index: Int) -> Bool {
        kind(index) == .keyword && (slice(index).hasPrefix("offset=") || slice(index).hasPrefix("align="))
    }

    /// `offset=N? align=N?`.
    mutating func parseMemoryArgument(memory: UInt32, naturalAlignment: UInt8, into output: inout TextBuffer) throws(SwasmError) {
        var offset: UInt64 = 0
        var alignment = UInt32(naturalAlignment)
        if kind(position) == .keyword && slice(position).hasPrefix("offset=") {
            let (value, status) = TextNumbers.parseUnsigned(slice(position).dropFirst(7))
            if status == .malformed { throw fail("unknown operator", showing: position) }
            // Any 64-bit offset assembles; validation refuses one beyond a 32-bit memory's range.
            if status == .outOfRange { throw fail("i64 constant out of range", showing: position) }
            offset = value
            position &+= 1
        }
        if kind(position) == .keyword && slice(position).hasPrefix("align=") {
            let (value, status) = TextNumbers.parseUnsigned(slice(position).dropFirst(6))
            if status == .malformed { throw fail("unknown operator", showing: position) }
            guard status == .ok, value != 0, value & (value &- 1) == 0 else {
                throw fail("alignment must be a power of two", showing: position)
            }
            alignment = UInt32(truncatingIfNeeded: value.trailingZeroBitCount)
            position &+= 1
        }
        if memory != 0 {
            try output.appendU32(alignment | 0x40)
            try output.appendU32(memory)
        } else {
            try output.appendU32(alignment)
        }
        try output.appendU64(offset)
    }

    /// A lane index: a natural number (other literals are unexpected), below 256.
    mutating func parseLaneIndex() throws(SwasmError) -> UInt8 {
        let (value, status) = TextNumbers.parseU32(numberToken())
        guard status != .malformed else { throw unexpected(position, expected: "a lane index") }
        guard status == .ok, value < 256 else { throw fail("malformed lane index", showing: position) }
        position &+= 1
        return UInt8(truncatingIfNeeded: value)
    }

    /// A token that may be a numeric lane: numbers, `inf`, `nan`, `nan:0x...`.
    func isLaneLiteral(_ index: Int) -> Bool {
        let tokenKind = kind(index)
        if tokenKind == .number { return true }
        guard tokenKind == .keyword else { return false }
        let text = slice(index)
        return text.equals("inf") || text.hasPrefix("nan")
    }

    /// `shape lane*` of `v128.const`.
    mutating func parseV128(low: inout UInt64, high: inout UInt64) throws(SwasmError) {
        let shapeToken = position
        let lanes: Int
        let laneBits: Int
        var isFloat = false
        let shape = slice(position)
        guard kind(position) == .keyword else { throw unexpected(position, expected: "a vector shape") }
        if shape.equals("i8x16") { lanes = 16; laneBits = 8 }
        else if shape.equals("i16x8") { lanes = 8; laneBits = 16 }
        else if shape.equals("i32x4") { lanes = 4; laneBits = 32 }
        else if shape.equals("i64x2") { lanes = 2; laneBits = 64 }
        else if shape.equals("f32x4") { lanes = 4; laneBits = 32; isFloat = true }
        else if shape.equals("f64x2") { lanes = 2; laneBits = 64; isFloat = true }
        else { throw unexpected(position, expected: "a vector shape") }
        position &+= 1
        var available = 0
        while available <= lanes && isLaneLiteral(position &+ available) { available &+= 1 }
        guard available == lanes else { throw fail("wrong number of lane literals", at: shapeToken) }
        low = 0
        high = 0
        for lane in 0..<lanes {
            var value: UInt64
            let text = slice(position)
            if isFloat {
                if laneBits == 32 {
                    let (bits, status) = try TextNumbers.parseF32(text)
                    guard status == .ok else { throw numberError(position, status) }
                    value = UInt64(bits)
                } else {
                    let (bits, status) = try TextNumbers.parseF64(text)
                    guard status == .ok else { throw numberError(position, status) }
                    value = bits
                }
            } else {
                let (bits, status) = TextNumbers.parseInteger(text, bits: laneBits)
                guard status == .ok else { throw numberError(position, status) }
                value = bits
            }
            position &+= 1
            let bitOffset = lane &* laneBits
            if bitOffset < 64 {
                low |= value << UInt64(bitOffset)
            } else {
                high |= value << UInt64(bitOffset &- 64)
            }
        }
    }
}
