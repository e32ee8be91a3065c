/// The type section: recursion groups of function, struct and array types, each possibly a
/// declared subtype of an earlier one. Each group is canonicalized as soon as it is read
/// (`TypeCanonicalizer`), so later value types name canonical indices.
extension ModuleDecoderState {
    mutating func decodeTypeSection(into description: inout ModuleDescription) throws(SwasmError) {
        let countAt = reader.position
        let count = try reader.readCount()
        try checkLimit(count, ImplementationLimits.types, "too many types", at: countAt)
        try description.types.reserve(reader.reservation(count, minimumSize: 3))
        try description.typeDefinitions.reserve(reader.reservation(count, minimumSize: 3))
        var canonicalizer = TypeCanonicalizer()
        for _ in 0..<count {
            let groupAt = reader.position
            guard groupAt < reader.end else { throw reader.unexpectedEnd() }
            let groupStart = description.types.count
            var groupCount = 1
            if reader.base[groupAt] == 0x4e {
                reader.position = groupAt &+ 1
                if !features.contains(.gc) { reader.recordInvalid("gc support is not enabled (recursion groups)", at: groupAt) }
                let groupCountAt = reader.position
                groupCount = try reader.readCount()
                try checkLimit(groupStart &+ groupCount, ImplementationLimits.types, "too many types", at: groupCountAt)
            }
            // Types of the group may name each other, in any order. The definitions do not move
            // while the group is decoded: reading a value type looks up earlier ones through
            // `reader.types.definitions`.
            // (Each type takes at least two bytes: a group cannot outgrow what the bytes allow.)
            let room = groupStart &+ reader.reservation(groupCount, minimumSize: 2)
            try description.types.reserve(room)
            try description.typeDefinitions.reserve(room)
            reader.types.definitions = UnsafePointer(description.typeDefinitions.base)
            reader.types.count = groupStart &+ groupCount
            for member in 0..<groupCount {
                try decodeSubtype(index: groupStart &+ member, groupStart: groupStart, groupCount: groupCount, into: &description)
            }
            try canonicalizer.canonicalize(group: groupStart, count: groupCount, in: &description)
            reader.types.canonicalCount = description.types.count
            if validating { validateSupertypes(group: groupStart, count: groupCount, &description) }
        }
        reader.types.count = description.types.count
    }

    /// One type: `sub`/`sub final` with its supertypes, or a bare composite type (final, no
    /// supertype).
    private mutating func decodeSubtype(index: Int, groupStart: Int, groupCount: Int, into description: inout ModuleDescription) throws(SwasmError) {
        let at = reader.position
        guard at < reader.end else { throw reader.unexpectedEnd() }
        var isFinal = true
        var supertype = TypeDefinition.noSupertype
        let prefix = reader.base[at]
        if prefix == 0x50 || prefix == 0x4f {
            reader.position = at &+ 1
            if !features.contains(.gc) { reader.recordInvalid("gc support is not enabled (subtypes)", at: at) }
            isFinal = prefix == 0x4f
            let supertypesAt = reader.position
            let supertypeCount = try reader.readCount()
            if supertypeCount > 1 { reader.recordInvalid("sub type", at: supertypesAt, .note("a type has at most one supertype")) }
            for _ in 0..<supertypeCount {
                let supertypeAt = reader.position
                let value = try reader.readU32()
                if Int(value) >= index {
                    reader.recordInvalid("unknown type", at: supertypeAt, .index(UInt64(value)))
                } else {
                    supertype = Int(value) < reader.types.canonicalCount ? description.typeDefinitions[Int(value)].canonical : value
                }
            }
        }
        let formAt = reader.position
        let form = try reader.readByte()
        var function = FunctionType()
        var definition = TypeDefinition(kind: .function, isFinal: isFinal, supertype: supertype, groupStart: UInt32(groupStart),
                                        groupCount: UInt32(groupCount), canonical: UInt32(index))
        switch form {
        case 0x60:
            try decodeFunctionType(&function)
        case 0x5f, 0x5e:
            if !features.contains(.gc) { reader.recordInvalid("gc support is not enabled (struct and array types)", at: formAt) }
            definition.kind = form == 0x5f ? .structure : .array
            definition.fieldsStart = UInt32(description.fields.count)
            let fieldsAt = reader.position
            let fieldCount = form == 0x5f ? try reader.readCount() : 1
            try checkLimit(fieldCount, ImplementationLimits.structFields, "too many struct fields", at: fieldsAt)
            try description.fields.reserve(description.fields.count &+ reader.reservation(fieldCount, minimumSize: 2))
            for _ in 0..<fieldCount {
                let storage = try reader.readStorageType(features: features)
                let mutabilityAt = reader.position
                let mutability = try reader.readByte()
                guard mutability <= 1 else { throw reader.malformed("malformed mutability", at: mutabilityAt) }
                try description.fields.append(FieldType(storage: storage, isMutable: mutability == 1))
            }
            definition.fieldCount = UInt32(fieldCount)
        default:
            // The reference interpreter reads the form as a 7-bit signed LEB128 integer.
            if form & 0x80 != 0 { throw reader.malformed("integer representation too long", at: formAt &+ 1) }
            throw reader.malformed(features.contains(.gc) ? "malformed definition type" : "malformed function type", at: formAt)
        }
        try description.types.append(function)
        try description.typeDefinitions.append(definition)
        // (Reserved for the group, so this does not move; kept current all the same.)
        reader.types.definitions = UnsafePointer(description.typeDefinitions.base)
    }

    private mutating func decodeFunctionType(_ type: inout FunctionType) throws(SwasmError) {
        let parametersAt = reader.position
        let parameterCount = try reader.readCount()
        try checkLimit(parameterCount, ImplementationLimits.parameters, "too many parameters", at: parametersAt)
        try type.parameters.reserve(parameterCount)
        for _ in 0..<parameterCount {
            try type.parameters.append(try reader.readValueType(features: features))
        }
        let resultsAt = reader.position
        let resultCount = try reader.readCount()
        try checkLimit(resultCount, ImplementationLimits.results, "too many results", at: resultsAt)
        try type.results.reserve(resultCount)
        for _ in 0..<resultCount {
            try type.results.append(try reader.readValueType(features: features))
        }
        if resultCount > 1 && !features.contains(.multiValue) {
            reader.recordInvalid("invalid result arity", at: resultsAt, .note("multiple results need the multi-value feature"))
        }
    }

    /// Each declared supertype is not final, of the same kind, and this type matches it
    /// (`ModuleDescription.matchesDeclaredSupertype`); subtyping chains stay within the limit.
    private mutating func validateSupertypes(group start: Int, count: Int, _ description: inout ModuleDescription) {
        for index in start..<(start &+ count) {
            let supertype = description.typeDefinitions[index].supertype
            guard supertype != TypeDefinition.noSupertype else { continue }
            let parent = description.typeDefinitions[Int(supertype)]
            if parent.isFinal {
                return reader.recordInvalid("sub type", at: reader.position, .note("the supertype is final"))
            }
            if !description.matchesDeclaredSupertype(UInt32(index)) {
                return reader.recordInvalid("sub type", at: reader.position, .note("the type does not match its supertype"))
            }
            let depth = parent.depth &+ 1
            if depth > ImplementationLimits.subtypingDepth {
                return reader.recordInvalid("sub type", at: reader.position, .note("subtyping chain too deep"))
            }
            // The canonical definition holds the depth that later subtype checks read.
            let canonical = Int(description.typeDefinitions[index].canonical)
            description.typeDefinitions[index].depth = depth
            description.typeDefinitions[canonical].depth = depth
        }
    }
}
