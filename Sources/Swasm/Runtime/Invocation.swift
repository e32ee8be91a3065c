import CSwasm

/// How a call from the host into WebAssembly ended.
public enum CallOutcome: ~Copyable {
    case returned
    /// WebAssembly trapped; the store holds the backtrace (`Store.failure(trapped:)`).
    case trapped(TrapCode)
    /// The call could not run or did not complete: the host's values were refused, memory ran
    /// out, or a host function or callback failed (a trap or an error, with the frames it
    /// passed through). The failure is in a heap cell the receiver owns (`Failure.take`), so that
    /// outcomes stay small on the call path.
    case failed(Failure.Cell)

    /// A failed outcome holding `failure`.
    static func failure(_ failure: consuming Failure) -> CallOutcome { .failed(Failure.cell(failure)) }

    static var outOfMemory: CallOutcome { .failed(Failure.outOfMemoryCell) }
}

extension CallOutcome {
    public var hasReturned: Bool {
        switch self {
        case .returned: return true
        default: return false
        }
    }
}

/// `swasm_exec.trap` values beyond the trap codes (which are stored as code + 1).
enum ExecutionStop {
    /// A host function or callback failed: `Store.pendingFailure` says how.
    static let hostFailure = UInt32(SWASM_STOP_HOST_FAILURE)
    static let outOfMemory = UInt32(SWASM_STOP_OUT_OF_MEMORY)
    /// An async call yields (`Store.yieldResume` says where it goes on).
    static let yield = UInt32(SWASM_STOP_YIELD)
}

/// Instantiation and calls into WebAssembly from the host.
extension Store {
    /// Instantiates `module` with `imports` (already resolved, in the module's import order).
    /// Sets `index` to the new instance's index and returns the outcome of its start (a trap
    /// leaves the instance half initialized, as the specification says).
    public mutating func instantiate(_ module: Shared<CompiledModule>, imports: UnsafePointer<ExternValue>?, index: inout Int,
                                     diagnostic: inout Diagnostic) throws(SwasmError) -> CallOutcome {
        guard module.pointer.pointee.engine.cell == engine.cell else {
            diagnostic.record("cross-`Engine` instantiation is not currently supported")
            throw .invalidArgument
        }
        if requiresAsyncEntry {
            diagnostic.record(Store.asyncEntryRequired)
            throw .invalidArgument
        }
        let scope = enterPool()
        defer { Store.leavePool(scope) }
        let description = withUnsafeMutablePointer(to: &module.pointer.pointee.description) { UnsafePointer($0) }
        if Self.importsAsyncHostFunction(imports, count: description.pointee.imports.count) {
            // As in wasmtime: such an instance needs an async instantiation, and from then on the
            // store only async entries.
            if entersSynchronously {
                diagnostic.record(Store.asyncEntryRequired)
                throw .invalidArgument
            }
            asyncRequired = true
        }
        for index in 0..<description.pointee.imports.count {
            let entry = description.pointee.imports.base!.advanced(by: index)
            guard ImportMatching.matches(imports![index], entry.pointee.type, in: UnsafePointer(module.pointer)) else {
                diagnostic.record { (text: inout ByteBuffer) throws(SwasmError) in
                    try text.append("incompatible import type for `")
                    try text.append(entry.pointee.module)
                    try text.append("::")
                    try text.append(entry.pointee.name)
                    try text.append("`\n\nCaused by:\n    ")
                    try ImportMatching.describeMismatch(imports![index], entry.pointee.type, in: description.pointee, into: &text)
                    try text.append("\n")
                }
                throw .unlinkable
            }
        }
        let newTables = description.pointee.tables.count &- description.pointee.importedTableCount
        let newMemories = description.pointee.memories.count &- description.pointee.importedMemoryCount
        // As wasmtime counts them: an instantiation that passes the instance check counts, even
        // if a later limit or step fails.
        try checkLimit(countedInstances &+ 1, limits.instances, "instance", &diagnostic)
        countedInstances &+= 1
        try checkLimit(definedMemories &+ newMemories, limits.memories, "memory", &diagnostic)
        try checkLimit(definedTables &+ newTables, limits.tables, "table", &diagnostic)
        try checkTotal(forInstanceOf: description, &diagnostic)
        try instances.reserve(instances.count &+ 1)
        let pooling = engine.pointer.pointee.pool.isPooling
        if pooling {
            try engine.pointer.pointee.pool.takeInstance(&diagnostic)
            do {
                try engine.pointer.pointee.pool.takeTables(newTables, &diagnostic)
            } catch {
                engine.pointer.pointee.pool.giveBack(instances: 1, tables: 0)
                throw error
            }
        }
        // Objects that constant expressions make are reachable only from the instance until it
        // is registered: no collection meanwhile.
        gc.collectionsInhibited &+= 1
        let instance: UnsafeMutablePointer<Instance>
        do {
            instance = try withUnsafeMutablePointer(to: &self) { (store) throws(SwasmError) in
                try Instance.create(module, store: store, imports: imports, diagnostic: &diagnostic)
            }
        } catch {
            if pooling { engine.pointer.pointee.pool.giveBack(instances: 1, tables: newTables) }
            gc.collectionsInhibited &-= 1
            // A constant expression's array too large for any heap traps, as in wasmtime.
            guard error == .trap else { throw error }
            lastTrapFrames.removeAll()
            lastTrapFramesComplete = true
            lastTrapFault = nil
            return .trapped(.allocationTooLarge)
        }
        gc.collectionsInhibited &-= 1
        do {
            try registerObjects(of: instance)
        } catch {
            Heap.destroy(instance)
            if pooling { engine.pointer.pointee.pool.giveBack(instances: 1, tables: newTables) }
            throw error
        }
        try instances.append(instance) // reserved above: cannot fail
        countInstance(instance)
        if pooling {
            pooledInstances &+= 1
            pooledTables &+= newTables
        }
        definedTables &+= newTables
        definedMemories &+= newMemories
        index = instances.count &- 1
        if consumesFuel {
            // wasmtime runs instantiation's work as metered code: its entry traps when fuel is out
            // (no WebAssembly frame then), and its charges (the start call counts 2) are not
            // checked again before the start function's own entry check.
            let cost = Self.initializationFuel(description) &+ (description.pointee.start == nil ? 0 : 2)
            if cost > 0 {
                guard fuel > 1 else {
                    fuel = 0
                    lastTrapFrames.removeAll()
                    lastTrapFramesComplete = true
                    lastTrapFault = nil
                    return .trapped(.outOfFuel)
                }
                fuel = fuel &- min(fuel, cost)
            }
        }
        if let trap = try instance.pointee.initializeSegments() {
            lastTrapFrames.removeAll()
            lastTrapFramesComplete = true
            lastTrapFault = nil
            return .trapped(trap)
        }
        if let start = description.pointee.start, let function = instance.pointee.functionTable[Int(start)] {
            var none: UInt64 = 0
            return try withUnsafeMutablePointer(to: &none) { (words) throws(SwasmError) -> CallOutcome in
                try invoke(function, arguments: words, argumentSlots: 0, results: words, resultSlots: 0)
            }
        }
        return .returned
    }

    /// Whether one of `imports` is an async host function.
    static func importsAsyncHostFunction(_ imports: UnsafePointer<ExternValue>?, count: Int) -> Bool {
        for index in 0..<count {
            guard case .function(let function) = imports![index], function.pointee.host != nil else { continue }
            if HostFunction.from(function).pointee.suspends { return true }
        }
        return false
    }

    /// The fuel wasmtime 50 charges for initializing an instance, before its start function
    /// (measured; docs/interpreter.md): 1 once reference-typed constant expressions, computed
    /// (extended) constant expressions or passive segments are evaluated, 1 per reference-typed
    /// global initializer, 1 per instruction of a computed global initializer, 1 per item of an
    /// expression-form element segment, and for an active one 1 more (its offset's instructions
    /// when it is computed) plus 1 per element written; another active segment with a computed
    /// offset costs its instructions plus 1.
    static func initializationFuel(_ description: UnsafePointer<ModuleDescription>) -> UInt64 {
        var total: UInt64 = 0
        var evaluates = false
        let globals = description.pointee.globalInitializers.count
        for index in 0..<globals {
            let type = description.pointee.globals[description.pointee.importedGlobalCount &+ index].content
            let computed = ConstantEvaluator.computedInstructions(description.pointee.globalInitializers[index], in: description)
            if computed > 0 {
                total &+= computed
                evaluates = true
            } else if type.isReference {
                total &+= 1
                evaluates = true
            }
        }
        for index in 0..<description.pointee.elements.count {
            let segment = description.pointee.elements.base!.advanced(by: index)
            let items = UInt64(segment.pointee.count)
            switch segment.pointee.mode {
            case .declarative:
                continue
            case .passive:
                if segment.pointee.usesExpressions { total &+= items }
                evaluates = true
            case .active(_, let offset):
                let computed = ConstantEvaluator.computedInstructions(offset, in: description)
                if segment.pointee.usesExpressions {
                    total &+= items &+ (computed > 0 ? computed : 1) &+ items
                    evaluates = true
                } else if computed > 0 {
                    total &+= computed &+ 1
                    evaluates = true
                }
            }
        }
        for index in 0..<description.pointee.data.count {
            guard case .active(_, let offset) = description.pointee.data[index].mode else { continue }
            let computed = ConstantEvaluator.computedInstructions(offset, in: description)
            if computed > 0 {
                total &+= computed &+ 1
                evaluates = true
            }
        }
        return evaluates ? total &+ 1 : total
    }

    /// Fails with wasmtime's message when `count` would pass the limiter's `limit` of `what`.
    private func checkLimit(_ count: Int, _ limit: UInt64, _ what: StaticString, _ diagnostic: inout Diagnostic) throws(SwasmError) {
        guard UInt64(count) > limit else { return }
        diagnostic.record { (text: inout ByteBuffer) throws(SwasmError) in
            try text.append("resource limit exceeded: ")
            try text.append(what)
            try text.append(" count too high at ")
            try text.appendDecimal(UInt64(count))
        }
        throw .limitExceeded
    }

    /// Runs `function` with `argumentSlots` slots of arguments; writes `resultSlots` slots of
    /// results. Calls may nest (a host function calling back into WebAssembly).
    public mutating func invoke(_ function: UnsafeMutablePointer<swasm_function>, arguments: UnsafePointer<UInt64>, argumentSlots: Int,
                                results: UnsafeMutablePointer<UInt64>, resultSlots: Int) throws(SwasmError) -> CallOutcome {
        if inEpochCallback {
            lastTrapFrames.removeAll()
            lastTrapFramesComplete = true
            lastTrapFault = nil
            return .trapped(.interrupt)
        }
        if isBusyWithAsyncCall {
            return .failure(Failure.make(.invalidArgument, "the store has an async call pending: finish or delete its future first"))
        }
        if requiresAsyncEntry { return .failure(Failure.make(.invalidArgument, Store.asyncEntryRequired)) }
        let scope = enterPool()
        defer { Store.leavePool(scope) }
        let stack = try executionStack()
        let ex = withUnsafeMutablePointer(to: &stack.pointee.context) { $0 }
        let nested = nestedFrameBase != nil
        let frame = nestedFrameBase ?? stack.pointee.slots
        let needed = max(argumentSlots, resultSlots)
        guard ExecutionStack.hasRoom(ex, frameEnd: frame.advanced(by: needed), depth: nested ? Int(ex.pointee.call_depth) : 0),
              try enterNativeStack(nested: nested) else {
            lastTrapFrames.removeAll()
            lastTrapFramesComplete = true
            return .trapped(.stackOverflow)
        }
        // A nested call saves the state of the call it runs inside.
        let savedFP = ex.pointee.fp
        let savedDepth = ex.pointee.call_depth
        let savedContext = ex.pointee.context
        let savedNestedBase = nestedFrameBase
        defer {
            if nested {
                ex.pointee.fp = savedFP
                ex.pointee.call_depth = savedDepth
                if let savedContext { swasm_switch_context(ex, savedContext) }
                nestedFrameBase = savedNestedBase
            }
        }
        frame.update(from: arguments, count: argumentSlots)
        ex.pointee.trap = 0
        ex.pointee.trap_ip = nil
        ex.pointee.fault_address = UInt64.max
        if !nested {
            ex.pointee.call_depth = 0
            ex.pointee.meters_fuel = consumesFuel ? 1 : 0
            ex.pointee.epoch_counter = UnsafePointer(Engine.epochPointer(engine))
        }
        ex.pointee.epoch_deadline = epochDeadline
        // The store's fuel is the truth outside running code (a host function may have set it
        // before calling back in); running code keeps it in `ex`, and hands it back when done.
        if consumesFuel {
            ex.pointee.fuel = Int64(clamping: fuel)
            ex.pointee.fuel_saved = ex.pointee.fuel
        }
        ex.pointee.runtime = withUnsafeMutablePointer(to: &self) { UnsafeMutableRawPointer($0) }
        defer { if consumesFuel { fuel = UInt64(clamping: max(ex.pointee.fuel, 0)) } }
        if let context = function.pointee.context {
            swasm_switch_context(ex, context)
        } else {
            // A host function called straight from the host has no calling instance (its
            // caller's export lookups find nothing).
            ex.pointee.context = nil
        }
        let halt = withUnsafeMutablePointer(to: &ex.pointee.halt_word) { UnsafePointer($0) }
        if let entry = swasm_enter_function(function, halt, frame, frame, ex) {
            // A host function returns straight to `halt`; WebAssembly runs until it gets there.
            var resume = entry
            while resume != halt, swasm_enter(resume, ex.pointee.fp, ex) == nil {
                // A stop that need not end the call (Runtime/AsyncCalls.swift): more fuel in
                // reserve, a shared memory another thread grew.
                guard let next = continuation(afterStop: ex) else { return try stopped(ex) }
                resume = next
            }
        } else {
            return try stopped(ex)
        }
        results.update(from: frame, count: resultSlots)
        return .returned
    }

    /// Before a host function runs: the fuel left is the store's, for the host to read or set.
    /// Returns what the store then holds.
    mutating func lendFuel(_ ex: UnsafeMutablePointer<swasm_exec>) -> UInt64 {
        guard consumesFuel else { return 0 }
        fuel = UInt64(clamping: max(ex.pointee.fuel, 0))
        return fuel
    }

    /// After a host function ran: running code continues with the fuel the host set, if it set
    /// any (otherwise with the exact amount, which may be below zero between checks).
    mutating func reclaimFuel(_ ex: UnsafeMutablePointer<swasm_exec>, lent: UInt64) {
        // The host may also have moved the epoch deadline; running code sees it at its next check.
        ex.pointee.epoch_deadline = epochDeadline
        guard consumesFuel, fuel != lent else { return }
        ex.pointee.fuel = Int64(clamping: fuel)
    }

    /// Native stack the interpreter and the host's callbacks may need between two entries from
    /// the host; an entry with less left on the thread's stack traps instead.
    static let nativeStackReserve: UInt = 64 * 1024

    /// Whether a call from the host may start here: the thread's stack must have the reserve left,
    /// and a nested entry (a host function calling back into WebAssembly) must stay within
    /// `max_wasm_stack` bytes of native stack below the outermost entry, as in wasmtime. The
    /// thread's stack bounds are asked once per thread change; the C library may need memory for
    /// that, and its failure is this call's out-of-memory error.
    mutating func enterNativeStack(nested: Bool) throws(SwasmError) -> Bool {
        let here = cswasm_stack_pointer()
        let thread = cswasm_thread_id()
        if thread != stackBoundThread || stackLowBound == 0 {
            var low: UInt = 0
            let failure = cswasm_stack_low_bound(&low)
            if failure == cswasm_enomem() { throw .outOfMemory }
            stackBoundThread = thread
            stackLowBound = failure == 0 ? low : 1
        }
        if stackLowBound > 1, here < stackLowBound &+ Self.nativeStackReserve { return false }
        if !nested {
            let budget = UInt(max(engine.pointer.pointee.config.maxWasmStack, 0))
            nativeStackLimit = here > budget ? here &- budget : 0
            return true
        }
        return here >= nativeStackLimit
    }

    mutating func stopped(_ ex: UnsafeMutablePointer<swasm_exec>) throws(SwasmError) -> CallOutcome {
        let raw = ex.pointee.trap
        ex.pointee.trap = 0
        if raw == ExecutionStop.outOfMemory { throw .outOfMemory }
        if raw == ExecutionStop.hostFailure, var failure = pendingFailure.take() {
            // The frames it passed through, unless it carries its own (a trap from a nested call)
            // or is a program's exit.
            if !failure.isOutOfMemory && failure.frames.isEmpty && failure.exitStatus == nil {
                guard captureBacktrace(ex), attachLastBacktrace(to: &failure) else { throw .outOfMemory }
            }
            return .failure(failure)
        }
        lastTrapFramesComplete = captureBacktrace(ex)
        let code = TrapCode(stopValue: raw) ?? .unreachable
        lastTrapFault = code == .memoryOutOfBounds && ex.pointee.fault_address != UInt64.max
            ? (address: ex.pointee.fault_address, memorySize: ex.pointee.memory_size) : nil
        // After a trap, wasmtime's store holds the fuel of its last save point (see `saveFuel`).
        if consumesFuel { ex.pointee.fuel = code == .outOfFuel ? 0 : ex.pointee.fuel_saved }
        return .trapped(code)
    }
}
