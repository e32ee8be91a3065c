import CSwasm

/// A call that runs in steps (`wasmtime_func_call_async`): each poll runs it until it finishes
/// or yields. WebAssembly frames live on the store's own stack, not the native one, so a yield
/// needs no stack switching: running code stops at a fuel or epoch check, the interpreter
/// returns, and the next poll continues at that instruction with the frames as they were.
///
/// Yields happen at fuel checks once the fuel of an interval is spent
/// (`wasmtime_context_fuel_async_yield_interval`), and at epoch checks past the deadline when the
/// store yields there (`wasmtime_context_epoch_deadline_async_yield_and_update`, or a deadline
/// callback asking to yield). While a host function runs (and calls back into WebAssembly) no
/// yield happens: the fuel of the next interval is taken, the deadline moved, and the call goes
/// on; it yields at the first check after the host function returns.
///
/// One async call at a time runs in a store; while it is pending, other calls into the store are
/// refused (wasmtime's futures borrow their store). Deleting a pending call abandons its frames.
public struct AsyncCall: ~Copyable {
    let store: UnsafeMutablePointer<Store>
    let function: UnsafeMutablePointer<swasm_function>
    /// The arguments, admitted when the call was made; the results once it returned.
    let slots: UnsafeMutablePointer<UInt64>
    let argumentSlots: Int
    let resultSlots: Int
    /// Where running code continues; nil before the first poll.
    var resume: UnsafePointer<UInt64>? = nil
    /// The failure that ended the call before it started (arguments refused), if any.
    var refusal: Failure.Cell? = nil
    public private(set) var finished = false
    /// The store's calls are linked, so that a store deleted before its futures detaches them
    /// (`storeGone`): they then finish with an error and touch nothing.
    var next: UnsafeMutablePointer<AsyncCall>? = nil
    var previous: UnsafeMutablePointer<AsyncCall>? = nil
    var storeGone = false

    /// An async call of `function` with `values`' arguments, checked now (a refused argument
    /// finishes the call at its first poll with that failure).
    public static func create<Values: CallValues & ~Copyable>(_ store: UnsafeMutablePointer<Store>, _ function: UnsafeMutablePointer<swasm_function>,
                                                               _ values: inout Values, argumentCount: Int, resultCount: Int) throws(SwasmError) -> UnsafeMutablePointer<AsyncCall> {
        let scope = store.pointee.enterPool()
        defer { Store.leavePool(scope) }
        let signature = ImportMatching.signature(of: function)
        var argumentSlots = 0
        for type in signature.parameters { argumentSlots &+= type.slotCount }
        var resultSlots = 0
        for type in signature.results { resultSlots &+= type.slotCount }
        let slots = try Heap.allocateZeroed(UInt64.self, count: max(argumentSlots, resultSlots, 1))
        // On failure the value is destroyed, and its deinit frees `slots`.
        let call = try Heap.create(AsyncCall(store: store, function: function, slots: slots, argumentSlots: argumentSlots, resultSlots: resultSlots))
        call.pointee.next = store.pointee.asyncCalls
        store.pointee.asyncCalls?.pointee.previous = call
        store.pointee.asyncCalls = call
        if argumentCount != signature.parameters.count {
            call.pointee.refusal = Failure.cell(.arity(expected: signature.parameters.count, "arguments", got: argumentCount))
        } else if resultCount != signature.results.count {
            call.pointee.refusal = Failure.cell(.arity(expected: signature.results.count, "results", got: resultCount))
        } else if let refused = store.pointee.admitArguments(function, &values, signature: signature, into: slots) {
            switch consume refused {
            case .failed(let cell): call.pointee.refusal = cell
            default: break
            }
        }
        if call.pointee.refusal == Failure.outOfMemoryCell {
            call.pointee.refusal = nil
            destroy(call)
            throw .outOfMemory
        }
        return call
    }

    private init(store: UnsafeMutablePointer<Store>, function: UnsafeMutablePointer<swasm_function>, slots: UnsafeMutablePointer<UInt64>,
                 argumentSlots: Int, resultSlots: Int) {
        self.store = store
        self.function = function
        self.slots = slots
        self.argumentSlots = argumentSlots
        self.resultSlots = resultSlots
    }

    deinit {
        if let refusal, refusal != Failure.outOfMemoryCell { _ = Failure.take(refusal) }
        Heap.free(slots)
    }

    /// Runs the call until it finishes (its outcome) or yields (nil).
    public static func poll(_ call: UnsafeMutablePointer<AsyncCall>) -> CallOutcome? {
        guard !call.pointee.finished else { return .failure(Failure.make(.invalidArgument, "the async call has already finished")) }
        // Polled from inside itself (a host function it called): it is running, not finished.
        let store = call.pointee.store
        if !call.pointee.storeGone && (store.pointee.runningAsyncCall || store.pointee.pollingHostWork)
            && store.pointee.activeAsyncCall == UnsafeMutableRawPointer(call) { return nil }
        guard !call.pointee.storeGone else {
            call.pointee.finished = true
            return .failure(Failure.make(.invalidArgument, "the store of this async call was deleted"))
        }
        if let refusal = call.pointee.refusal.take() {
            call.pointee.finished = true
            return .failed(refusal)
        }
        let scope = store.pointee.enterPool()
        defer { Store.leavePool(scope) }
        guard let outcome = call.pointee.store.pointee.step(call) else { return nil }
        call.pointee.finished = true
        return outcome
    }

    /// Hands the results of a call that returned to the host.
    public static func results<Values: CallValues & ~Copyable>(_ call: UnsafeMutablePointer<AsyncCall>, into values: inout Values) -> CallOutcome {
        call.pointee.store.pointee.handResults(ImportMatching.signature(of: call.pointee.function).results, from: call.pointee.slots, to: &values)
    }

    /// Deletes a call; one still pending is abandoned (its frames are dropped, the store can be
    /// used again).
    public static func destroy(_ call: UnsafeMutablePointer<AsyncCall>) {
        if !call.pointee.storeGone {
            let store = call.pointee.store
            if call.pointee.resume != nil && !call.pointee.finished { store.pointee.abandon(call) }
            if let previous = call.pointee.previous { previous.pointee.next = call.pointee.next } else { store.pointee.asyncCalls = call.pointee.next }
            call.pointee.next?.pointee.previous = call.pointee.previous
        }
        Heap.destroy(call)
    }

    /// The store is going away: its calls no longer touch it.
    static func detachAll(from store: UnsafeMutablePointer<AsyncCall>?) {
        var call = store
        while let current = call {
            current.pointee.storeGone = true
            call = current.pointee.next
        }
    }
}

extension Store {
    /// Refuses a call into the store while an async call is pending (outside its host functions;
    /// the work of an async host function is polled as while pending).
    var isBusyWithAsyncCall: Bool { activeAsyncCall != nil && (pollingHostWork || (nestedFrameBase == nil && !runningAsyncCall)) }

    /// Whether the host enters the store synchronously: no async call or instantiation runs, and
    /// no host function calls back in.
    var entersSynchronously: Bool { activeAsyncCall == nil && !inAsyncEntry && nestedFrameBase == nil }

    /// With fuel in intervals, or once an instance imports an async host function, calls and
    /// instantiations from the host must be async ones, as in wasmtime (host functions of an
    /// async call may still call back in).
    var requiresAsyncEntry: Bool { (fuelYieldInterval > 0 || asyncRequired) && entersSynchronously }
    static let asyncEntryRequired: StaticString = "store configuration requires that `*_async` functions are used instead"

    /// Marks what runs until the next call as an async entry point that completes in one step
    /// (async instantiation); returns the previous mark, to be put back.
    public mutating func markAsyncEntry(_ entering: Bool) -> Bool {
        let previous = inAsyncEntry
        inAsyncEntry = entering
        return previous
    }

    /// Whether running code may yield now: it runs an async call's own frames (no host function
    /// between them and the poll).
    var mayYield: Bool { runningAsyncCall && nestedFrameBase == nil && !inEpochCallback }

    /// One step of `call`: runs it until it finishes (its outcome) or yields (nil).
    mutating func step(_ call: UnsafeMutablePointer<AsyncCall>) -> CallOutcome? {
        let mine = UnsafeMutableRawPointer(call)
        guard activeAsyncCall == nil || activeAsyncCall == mine else {
            return .failure(Failure.make(.invalidArgument, "another async call of this store is pending"))
        }
        guard nestedFrameBase == nil, !inEpochCallback, !runningAsyncCall, !pollingHostWork else {
            return .failure(Failure.make(.invalidArgument, "an async call cannot run inside a call of its own store"))
        }
        do throws(SwasmError) {
            let stack = try executionStack()
            let ex = withUnsafeMutablePointer(to: &stack.pointee.context) { $0 }
            let halt = withUnsafeMutablePointer(to: &ex.pointee.halt_word) { UnsafePointer($0) }
            let frame = stack.pointee.slots
            guard try enterNativeStack(nested: false) else {
                if activeAsyncCall != nil { abandon(call) }
                lastTrapFrames.removeAll()
                lastTrapFramesComplete = true
                return .trapped(.stackOverflow)
            }
            var resume: UnsafePointer<UInt64>
            if var next = call.pointee.resume {
                if suspendedHostCall != nil {
                    // Suspended in an async host function: its work is polled first.
                    switch progressOfSuspendedHostCall(ex) {
                    case .pending: return nil
                    case .stopped:
                        if consumesFuel { ex.pointee.fuel = Int64(clamping: fuel) }
                        return finish(call, try stopped(ex), ex)
                    case .resume(let after): next = after
                    }
                }
                // Suspended: the frames are as they were; the host may have moved the deadline or
                // set fuel meanwhile.
                resume = next
                safepoints = nil
                ex.pointee.runtime = withUnsafeMutablePointer(to: &self) { UnsafeMutableRawPointer($0) }
                if let ticks = deadlineTicksAfterYield.take() { setEpochDeadline(ticksBeyondCurrent: ticks) }
                ex.pointee.epoch_deadline = epochDeadline
                if consumesFuel { ex.pointee.fuel = Int64(clamping: fuel) }
            } else {
                let needed = max(call.pointee.argumentSlots, call.pointee.resultSlots)
                guard ExecutionStack.hasRoom(ex, frameEnd: frame.advanced(by: needed), depth: 0) else {
                    lastTrapFrames.removeAll()
                    lastTrapFramesComplete = true
                    return .trapped(.stackOverflow)
                }
                frame.update(from: call.pointee.slots, count: call.pointee.argumentSlots)
                ex.pointee.trap = 0
                ex.pointee.trap_ip = nil
                ex.pointee.fault_address = UInt64.max
                ex.pointee.call_depth = 0
                ex.pointee.meters_fuel = consumesFuel ? 1 : 0
                ex.pointee.epoch_counter = UnsafePointer(Engine.epochPointer(engine))
                ex.pointee.epoch_deadline = epochDeadline
                if consumesFuel {
                    splitFuel()
                    ex.pointee.fuel = Int64(clamping: fuel)
                    ex.pointee.fuel_saved = ex.pointee.fuel
                }
                ex.pointee.runtime = withUnsafeMutablePointer(to: &self) { UnsafeMutableRawPointer($0) }
                if let context = call.pointee.function.pointee.context { swasm_switch_context(ex, context) } else { ex.pointee.context = nil }
                activeAsyncCall = mine
                runningAsyncCall = true
                let entry = swasm_enter_function(call.pointee.function, halt, frame, frame, ex)
                runningAsyncCall = false
                guard let entry else {
                    // The host function called directly left work pending.
                    if ex.pointee.trap == ExecutionStop.yield, suspendedHostCall != nil { return suspendInHostCall(call, ex) }
                    return finish(call, try stopped(ex), ex)
                }
                resume = entry
            }
            runningAsyncCall = true
            defer { runningAsyncCall = false }
            while resume != halt, swasm_enter(resume, ex.pointee.fp, ex) == nil {
                // An async host function left work pending.
                if ex.pointee.trap == ExecutionStop.yield, suspendedHostCall != nil { return suspendInHostCall(call, ex) }
                if ex.pointee.trap == ExecutionStop.yield, let next = yieldResume {
                    // An epoch check yielded.
                    ex.pointee.trap = 0
                    suspend(call, at: next, safepoint: next.advanced(by: -1), ex)
                    return nil
                }
                guard let next = continuation(afterStop: ex) else { return finish(call, try stopped(ex), ex) }
                if next == ex.pointee.trap_ip && mayYield && isFuelCheck(next) {
                    // The fuel of an interval is spent: yield, and go on with the next.
                    suspend(call, at: next, safepoint: next, ex)
                    return nil
                }
                resume = next
            }
            call.pointee.slots.update(from: frame, count: call.pointee.resultSlots)
            return finish(call, .returned, ex)
        } catch {
            if activeAsyncCall == mine { abandon(call) }
            return .outOfMemory
        }
    }

    /// Where running code goes on after it stopped without finishing, if it can: an access beyond
    /// a shared memory another thread grew runs again; when fuel runs out and the store holds more
    /// (an async call's later intervals), the next interval's fuel is taken and the check runs
    /// again (an instruction that charged after its work goes on after it). Nil when the stop
    /// ends the call.
    mutating func continuation(afterStop ex: UnsafeMutablePointer<swasm_exec>) -> UnsafePointer<UInt64>? {
        guard let stopped = ex.pointee.trap_ip else { return nil }
        if ex.pointee.trap == TrapCode.outOfFuel.stopValue {
            guard takeFuelInterval(ex) else { return nil }
            ex.pointee.trap = 0
            if isFuelCheck(stopped) { return stopped }
            guard let opcode = Disassembler.opcode(forHandler: stopped.pointee) else { return nil }
            return stopped.advanced(by: opcode.length(in: stopped, at: 0))
        }
        guard Interpreter.refreshGrownSharedMemory(ex) else { return nil }
        return stopped
    }

    func isFuelCheck(_ instruction: UnsafePointer<UInt64>) -> Bool {
        instruction.pointee == handlerAddress(Opcode.fuelCheck.rawValue) || instruction.pointee == handlerAddress(Opcode.fuelCheckEntry.rawValue)
    }

    /// The store's fuel as an async call starts: with a yield interval, running code gets one
    /// interval's worth and the rest waits in `fuelReserve`.
    mutating func splitFuel() {
        let total = fuel &+ fuelReserve
        let chunk = fuelYieldInterval > 0 ? min(total, fuelYieldInterval) : total
        fuel = chunk
        fuelReserve = total &- chunk
    }

    /// Running code's fuel ran out: it gets the next interval's from the reserve, which first
    /// pays what running code spent beyond its fuel (as wasmtime refuels). False, with the
    /// reserve spent, when nothing is left.
    mutating func takeFuelInterval(_ ex: UnsafeMutablePointer<swasm_exec>) -> Bool {
        let running = ex.pointee.fuel
        let overspent = running < 0 ? UInt64(bitPattern: 0 &- running) : 0
        guard fuelReserve > overspent else {
            fuelReserve = 0
            return false
        }
        let remaining = fuelReserve &- overspent
        let chunk = fuelYieldInterval > 0 ? min(remaining, fuelYieldInterval) : remaining
        fuelReserve = remaining &- chunk
        ex.pointee.fuel = Int64(clamping: UInt64(max(running, 0)) &+ chunk)
        ex.pointee.fuel_saved = ex.pointee.fuel
        return true
    }

    /// Running code's fuel back in the store (`fuel`) as its call suspends or ends: fuel spent
    /// beyond it since the last check is paid from the reserve.
    mutating func settleFuel(_ ex: UnsafeMutablePointer<swasm_exec>) {
        let running = ex.pointee.fuel
        if running >= 0 {
            fuel = UInt64(running)
        } else {
            fuelReserve &-= min(fuelReserve, UInt64(bitPattern: 0 &- running))
            fuel = 0
        }
    }

    /// Suspends `call`, to continue at `resume`; its frames stay on the stack, where collections
    /// meanwhile find them (the instruction at `safepoint` has a stack map).
    private mutating func suspend(_ call: UnsafeMutablePointer<AsyncCall>, at resume: UnsafePointer<UInt64>, safepoint: UnsafePointer<UInt64>,
                                  _ ex: UnsafeMutablePointer<swasm_exec>) {
        call.pointee.resume = resume
        yieldResume = nil
        if consumesFuel { settleFuel(ex) }
        suspendedPoint = Safepoint(fp: ex.pointee.fp, ip: safepoint, depth: Int(ex.pointee.call_depth), previous: nil)
        safepoints = withUnsafeMutablePointer(to: &suspendedPoint) { $0 }
    }

    /// Suspends `call` in the host call whose work is pending (`suspendHostCall` set the
    /// safepoint); it goes on after the call once the work completes.
    private mutating func suspendInHostCall(_ call: UnsafeMutablePointer<AsyncCall>, _ ex: UnsafeMutablePointer<swasm_exec>) -> CallOutcome? {
        ex.pointee.trap = 0
        call.pointee.resume = suspendedHostCall?.returnIP
        if consumesFuel { settleFuel(ex) }
        safepoints = withUnsafeMutablePointer(to: &suspendedPoint) { $0 }
        return nil
    }

    /// The end of `call` (returned, trapped or failed): the store is free again.
    private mutating func finish(_ call: UnsafeMutablePointer<AsyncCall>, _ outcome: consuming CallOutcome,
                                 _ ex: UnsafeMutablePointer<swasm_exec>) -> CallOutcome {
        if consumesFuel { settleFuel(ex) }
        endAsyncCall()
        return outcome
    }

    /// Drops the frames of a pending async call (its future was deleted).
    mutating func abandon(_ call: UnsafeMutablePointer<AsyncCall>) {
        guard activeAsyncCall == UnsafeMutableRawPointer(call) else { return }
        discardSuspendedHostCall()
        if let execution { execution.pointee.context.call_depth = 0 }
        endAsyncCall()
    }

    /// Forgets the async call that ran (finished or abandoned): the fuel held back for its
    /// intervals returns to the store (none without fuel), and nothing is suspended any more.
    private mutating func endAsyncCall() {
        fuel &+= fuelReserve
        fuelReserve = 0
        activeAsyncCall = nil
        safepoints = nil
        yieldResume = nil
        deadlineTicksAfterYield = nil
    }
}
