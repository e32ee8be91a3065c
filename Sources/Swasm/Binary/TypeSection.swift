/// The type section: function signatures.
extension ModuleDecoderState {
    mutating func decodeTypeSection(into description: inout ModuleDescription) throws(SwasmError) {
        let countAt = reader.position
        let count = try reader.readCount()
        try checkLimit(count, ImplementationLimits.types, "too many types", at: countAt)
        try description.types.reserve(reader.reservation(count, minimumSize: 3))
        for _ in 0..<count {
            let formAt = reader.position
            let form = try reader.readByte()
            guard form == 0x60 else {
                // The reference interpreter reads the form as a 7-bit signed LEB128 integer.
                if form & 0x80 != 0 { throw reader.malformed("integer representation too long", at: formAt &+ 1) }
                throw reader.malformed("malformed function type", at: formAt)
            }
            var type = FunctionType()
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
            try description.types.append(type)
        }
    }
}
