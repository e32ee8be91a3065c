/// Compiles every defined function of a validated module into threaded internal code.
public enum ModuleCompiler {
    public static func compile(_ module: UnsafePointer<ModuleDescription>, typeIDs: UnsafePointer<UInt32>?,
                               config: EngineConfig) throws(SwasmError) -> FallibleVector<CompiledFunction> {
        var functions = FallibleVector<CompiledFunction>()
        let count = module.pointee.bodies.count
        try functions.reserve(count)
        for index in 0..<count {
            var function = try FunctionCompiler.compile(module, function: index, typeIDs: typeIDs, meterFuel: config.consumeFuel,
                                                        checkEpoch: config.epochInterruption,
                                                        deterministicRelaxedSimd: config.relaxedSimdDeterministic)
            if function.supported { Threading.thread(&function.code) }
            try functions.append(function)
        }
        return functions
    }

    /// Gives structurally equal function types the same id (the index of the first of them), so
    /// `call_indirect` checks a signature with one comparison. Hashes the types' encodings, so
    /// a module with many types costs linear time.
    public static func canonicalTypeIDs(_ module: UnsafePointer<ModuleDescription>) throws(SwasmError) -> FallibleVector<UInt32> {
        var ids = FallibleVector<UInt32>()
        let count = module.pointee.types.count
        try ids.reserve(max(count, 1))
        var seen = FallibleHashMap<ByteBuffer, UInt32>()
        for index in 0..<count {
            let type = module.pointee.functionType(UInt32(index))
            var key = ByteBuffer()
            try key.appendDecimal(UInt64(type.pointee.parameters.count))
            try key.append(":")
            for parameter in 0..<type.pointee.parameters.count { try key.append(type.pointee.parameters[parameter].code) }
            try key.append(":")
            for result in 0..<type.pointee.results.count { try key.append(type.pointee.results[result].code) }
            if let existing = seen.withValue(for: key, { $0 }) {
                try ids.append(existing)
            } else {
                try seen.insert(key, UInt32(index))
                try ids.append(UInt32(index))
            }
        }
        return ids
    }
}
