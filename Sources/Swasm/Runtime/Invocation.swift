import CSwasm

/// Calling into WebAssembly from the host.
extension Store {
    /// Instantiates `module` in this store; the instance's index (for `wasmtime_instance_t`).
    /// Returns a trap code when a data segment is out of bounds or the start function traps.
    public mutating func instantiate(_ module: Shared<CompiledModule>, diagnostic: inout Diagnostic) throws(SwasmError) -> (index: Int, trap: TrapCode?) {
        guard instances.count < Int(limits.instances) else {
            diagnostic.record("instance limit exceeded")
            throw .limitExceeded
        }
        try instances.reserve(instances.count &+ 1)
        let instance = try withUnsafeMutablePointer(to: &self) { (store) throws(SwasmError) in
            try Instance.create(module, store: store, diagnostic: &diagnostic)
        }
        try instances.append(instance) // reserved above: cannot fail
        let index = instances.count &- 1
        if let trap = instance.pointee.initializeSegments() { return (index, trap) }
        if let start = module.pointer.pointee.description.start {
            let function = instance.pointee.functionTable[Int(start)]!
            let noArguments: UInt64 = 0
            var noResults: UInt64 = 0
            if let trap = try invoke(function, arguments: withUnsafePointer(to: noArguments) { $0 }, argumentSlots: 0, results: &noResults, resultSlots: 0) {
                return (index, trap)
            }
        }
        return (index, nil)
    }

    /// Runs `function` with `argumentSlots` slots of arguments; writes `resultSlots` slots of
    /// results. Returns the trap that stopped it, or nil when it returned.
    public mutating func invoke(_ function: UnsafeMutablePointer<swasm_function>, arguments: UnsafePointer<UInt64>, argumentSlots: Int,
                                results: UnsafeMutablePointer<UInt64>, resultSlots: Int) throws(SwasmError) -> TrapCode? {
        if execution == nil { execution = try ExecutionStack.create(maxWasmStack: engine.pointer.pointee.config.maxWasmStack) }
        let stack = execution!
        let ex = withUnsafeMutablePointer(to: &stack.pointee.context) { $0 }
        let frame = stack.pointee.slots
        guard argumentSlots <= stack.pointee.slotCount, resultSlots <= stack.pointee.slotCount else { return .stackOverflow }
        frame.update(from: arguments, count: argumentSlots)
        ex.pointee.trap = 0
        ex.pointee.call_depth = 0
        ex.pointee.runtime = withUnsafeMutablePointer(to: &self) { UnsafeMutableRawPointer($0) }
        ex.pointee.fuel = Int64(clamping: fuel)
        ex.pointee.epoch_deadline = epochDeadline
        ex.pointee.epoch_counter = UnsafePointer(Engine.epochPointer(engine))
        defer { if consumesFuel { fuel = UInt64(clamping: max(ex.pointee.fuel, 0)) } }
        swasm_switch_context(ex, function.pointee.context)
        let halt = withUnsafeMutablePointer(to: &ex.pointee.halt_word) { UnsafePointer($0) }
        guard let entry = swasm_enter_function(function, halt, frame, frame, ex) else {
            return Interpreter.trapCode(ex) ?? .unreachable
        }
        guard swasm_enter(entry, ex.pointee.fp, ex) != nil else {
            return Interpreter.trapCode(ex) ?? .unreachable
        }
        results.update(from: frame, count: resultSlots)
        return nil
    }
}
