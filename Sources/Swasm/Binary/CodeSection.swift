/// The code section: the body of each defined function (local declarations, then instructions),
/// validated here by `FunctionValidator` as it is decoded.
extension ModuleDecoderState {
    mutating func decodeCodeSection(into description: inout ModuleDescription) throws(SwasmError) {
        let count = try reader.readCount()
        // A count that differs from the function section's is malformed, reported at the end of
        // the module as the specification does (bodies without a declared type are only decoded).
        let declared = functionSectionCount ?? 0
        sawCodeSection = true
        codeCount = count
        try description.bodies.reserve(reader.reservation(count, minimumSize: 3))
        let context = instructionContext(description)
        let sectionEnd = reader.end
        defer { reader.function = nil }
        for index in 0..<count {
            let functionIndex = description.importedFunctionCount &+ index
            reader.function = functionIndex
            let sizeAt = reader.position
            let size = Int(try reader.readU32())
            guard size <= reader.remaining else {
                throw reader.malformed("unexpected end of section or function", at: sizeAt)
            }
            if size > ImplementationLimits.functionBodySize {
                throw reader.limitExceeded("function body too large", at: sizeAt, count: UInt64(size), limit: ImplementationLimits.functionBodySize)
            }
            let bodyStart = reader.position
            let bodyEnd = bodyStart &+ size
            reader.end = bodyEnd
            var body = FunctionBody(range: ByteRange(start: sizeAt, count: bodyEnd &- sizeAt), code: ByteRange(start: bodyStart, count: 0))

            // Local declarations: the total is checked after all of them, as the specification does.
            let groupsAt = reader.position
            let groupCount = try reader.readCount()
            try body.locals.reserve(reader.reservation(groupCount, minimumSize: 2))
            var total: UInt64 = 0
            for _ in 0..<groupCount {
                let localCount = try reader.readU32()
                let type = try reader.readValueType(features: features)
                total &+= UInt64(localCount)
                try body.locals.append(LocalGroup(count: localCount, type: type))
            }
            if total >= 1 << 32 {
                throw reader.malformed("too many locals", at: groupsAt)
            }
            if total > UInt64(ImplementationLimits.locals) {
                throw reader.limitExceeded("too many locals", at: groupsAt, count: total, limit: ImplementationLimits.locals)
            }
            body.localCount = Int(total)
            let codeStart = reader.position

            if !validatingBodies {
                reader.position = bodyEnd
            } else if validating && index < declared {
                let typeIndex = description.functions[functionIndex]
                try validator.beginFunction(typeIndex: typeIndex, locals: body.locals, in: description)
                do throws(SwasmError) {
                    body.maxStackHeight = try validator.validateBody(reader: &reader, typeIndex: typeIndex, in: description)
                } catch {
                    guard error == .invalid else { throw error }
                    // Decode the rest of the body without validating it, from the failing instruction.
                    reader.position = validator.instructionStart
                    skipFrames.removeAll()
                    try validator.openFrameKinds(into: &skipFrames)
                    try reader.skipInstructions(frames: &skipFrames, context: context)
                }
            } else {
                skipFrames.removeAll()
                try skipFrames.append(0)
                try reader.skipInstructions(frames: &skipFrames, context: context)
            }
            guard reader.position == bodyEnd else {
                throw reader.malformed("section size mismatch", at: reader.position, .note("bytes after the function's end"))
            }
            body.code = ByteRange(start: codeStart, count: bodyEnd &- codeStart)
            reader.end = sectionEnd
            try description.bodies.append(body)
        }
    }
}
