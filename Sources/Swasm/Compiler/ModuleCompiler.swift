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

    /// Each type index's canonical id: the first index of an equal type
    /// (`TypeDefinition.canonical`, from the decoder's canonicalization), so `call_indirect` and
    /// `call_ref` check a function of their own module with one comparison.
    public static func canonicalTypeIDs(_ module: UnsafePointer<ModuleDescription>) throws(SwasmError) -> FallibleVector<UInt32> {
        var ids = FallibleVector<UInt32>()
        let count = module.pointee.typeDefinitions.count
        try ids.reserve(max(count, 1))
        for index in 0..<count { try ids.append(module.pointee.typeDefinitions[index].canonical) }
        return ids
    }
}
