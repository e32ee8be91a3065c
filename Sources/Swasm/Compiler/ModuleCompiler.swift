/// Compiles every defined function of a validated module into threaded internal code.
public enum ModuleCompiler {
    public static func compile(_ module: UnsafePointer<ModuleDescription>, config: EngineConfig) throws(SwasmError) -> FallibleVector<CompiledFunction> {
        var functions = FallibleVector<CompiledFunction>()
        let count = module.pointee.bodies.count
        try functions.reserve(count)
        for index in 0..<count {
            var function = try FunctionCompiler.compile(module, function: index, meterFuel: config.consumeFuel,
                                                        checkEpoch: config.epochInterruption)
            if function.supported { Threading.thread(&function.code) }
            try functions.append(function)
        }
        return functions
    }
}
