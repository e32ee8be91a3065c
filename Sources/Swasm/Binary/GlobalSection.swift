/// The global section: the module's own globals with their constant initializers.
extension ModuleDecoderState {
    mutating func decodeGlobalSection(into description: inout ModuleDescription) throws(SwasmError) {
        let countAt = reader.position
        let count = try reader.readCount()
        try checkLimit(description.globals.count &+ count, ImplementationLimits.globals, "too many globals", at: countAt)
        let reserved = reader.reservation(count, minimumSize: 3)
        try description.globals.reserve(description.globals.count &+ reserved)
        try description.globalInitializers.reserve(reserved)
        for _ in 0..<count {
            let global = try reader.readGlobalType(features: features)
            let initializer = try decodeConstantExpression(type: global.content, in: description)
            try description.globals.append(global)
            try description.globalInitializers.append(initializer)
        }
    }
}
