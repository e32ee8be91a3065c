import CSwasm

/// A finalizer for host data: called once with the data pointer when its owner goes away.
public typealias HostFinalizer = @convention(c) (UnsafeMutableRawPointer?) -> Void

/// Called when running code reaches the store's epoch deadline, with the store, the callback's
/// data, and where to write the ticks to the next deadline and whether to yield
/// (`EpochDeadlineUpdate`). Returns nil to continue, or a failure in a heap cell (`Failure.Cell`,
/// which is what a `wasmtime_error_t *` is) to stop the call.
public typealias EpochDeadlineCallback = @convention(c) (OpaquePointer?, UnsafeMutableRawPointer?, UnsafeMutablePointer<UInt64>?, UnsafeMutablePointer<UInt8>?) -> OpaquePointer?

/// What the epoch deadline callback asks for after continuing (`wasmtime_update_deadline_kind_t`).
public enum EpochDeadlineUpdate {
    public static let `continue`: UInt8 = 0
    public static let yield: UInt8 = 1
}

/// Limits installed with `wasmtime_store_limiter`; nil means unlimited.
public struct StoreLimits: BitwiseCopyable {
    public var memorySize: UInt64? = nil
    public var tableElements: UInt64? = nil
    public var instances: UInt64 = 10_000
    public var tables: UInt64 = 10_000
    public var memories: UInt64 = 10_000
    /// The bound on all the store holds (`StoreUsage`, `swasm_store_limiter_total`); nil: none.
    public var totalBytes: UInt64? = nil
    public init() {}
}

extension StoreLimits {
    /// Fails with wasmtime's message when a new memory's minimum passes the memory limit.
    public func check(_ type: MemoryType, _ diagnostic: inout Diagnostic) throws(SwasmError) {
        guard let limit = memorySize else { return }
        let (bytes, overflow) = type.limits.minimum.multipliedReportingOverflow(by: UInt64(1) << UInt64(type.pageSizeLog2))
        guard overflow || bytes > limit else { return }
        diagnostic.record { (text: inout ByteBuffer) throws(SwasmError) in
            try text.append("memory minimum size of ")
            try text.appendDecimal(type.limits.minimum)
            try text.append(" pages exceeds memory limits")
        }
        throw .limitExceeded
    }

    /// Fails with wasmtime's message when a new table's minimum passes the element limit.
    /// Tables above `ImplementationLimits.tableSize` elements are refused the same way, whatever
    /// the limiter (modules declaring them compile, as in wasmtime).
    public func check(_ type: TableType, _ diagnostic: inout Diagnostic) throws(SwasmError) {
        let limit = Swift.min(tableElements ?? UInt64.max, UInt64(ImplementationLimits.tableSize))
        guard type.limits.minimum > limit else { return }
        diagnostic.record { (text: inout ByteBuffer) throws(SwasmError) in
            try text.append("table minimum size of ")
            try text.appendDecimal(type.limits.minimum)
            try text.append(" elements exceeds table limits")
        }
        throw .limitExceeded
    }
}

/// A store: the owner of all runtime objects of one embedding context, used by one thread at a
/// time. `wasmtime_store_t`, `wasmtime_context_t` and `wasm_store_t` all point at one of these.
/// Methods that the C boundary calls through a store pointer on every call (handle and value
/// checks) are `mutating` even when they only read: a non-mutating call through
/// `UnsafeMutablePointer<Store>.pointee` that is not inlined copies the whole store (over a
/// kilobyte) to pass it, which cost host calls half their time.
public struct Store: ~Copyable {
    public let engine: Shared<Engine>
    /// Unique among the process's stores, never zero: C handles (`wasmtime_func_t`, ...) carry it.
    public let id: UInt64 = cswasm_next_store_id()
    /// Instances, owned; a `wasmtime_instance_t` is an index here.
    public var instances = FallibleVector<UnsafeMutablePointer<Instance>>()
    /// The interpreter's stacks, made on the first call.
    public var execution: UnsafeMutablePointer<ExecutionStack>?
    /// Objects the host made in this store (they live as long as the store).
    public var hostFunctions = FallibleVector<UnsafeMutablePointer<HostFunction>>()
    public var hostGlobals = FallibleVector<UnsafeMutablePointer<HostGlobal>>()
    public var hostTables = FallibleVector<UnsafeMutablePointer<HostTable>>()
    public var hostMemories = FallibleVector<UnsafeMutablePointer<LinearMemory>>()
    public var hostTags = FallibleVector<UnsafeMutablePointer<TagInstance>>()
    public var externRefs = FallibleVector<UnsafeMutablePointer<ExternRefBox>>()
    var nextExternRefID: UInt32 = 1
    /// GC objects and the host's references to them (Runtime/GCHeap.swift).
    var gc = GCHeap()
    /// Any-hierarchy references given out in raw form (`wasmtime_val_raw_t.anyref`): raw value
    /// `2 * (index + 1)` names entry `index` (odd raw values are i31s); 0 once the object is gone.
    var rawReferences = FallibleVector<UInt64>()
    /// What C handles and references may name (Runtime/LiveObjects.swift).
    var liveObjects = FallibleHashMap<AddressKey, UInt8>()
    /// The arrays of objects instances define (`LiveRange`), ordered by address.
    var liveRanges = FallibleVector<LiveRange>()
    /// The address and kind of the last object `isLive` found (0: none).
    var lastLiveObject: UInt = 0
    var lastLiveKind: UInt8 = 0
    /// The last function called from the host that had just been found live, and its signature
    /// (`Store.calleeSignature`; 0: none). Forgotten with `lastLiveObject`.
    var lastCallee: UInt = 0
    var lastCalleeSignature = (parameters: UnsafeBufferPointer<ValueType>(start: nil, count: 0),
                               results: UnsafeBufferPointer<ValueType>(start: nil, count: 0))
    /// While a host function runs: where a nested call's frame may start.
    var nestedFrameBase: UnsafeMutablePointer<UInt64>?
    /// The lowest native stack address nested entries may reach (set by the outermost entry).
    var nativeStackLimit: UInt = 0
    /// While the epoch deadline callback runs (calls into the store then trap with an interrupt).
    var inEpochCallback = false
    /// Where running code left the interpreter for code that may collect, innermost first
    /// (Runtime/Safepoints.swift).
    var safepoints: UnsafeMutablePointer<Safepoint>?
    /// Async calls (Runtime/AsyncCalls.swift): the one pending (at most one per store), whether
    /// its code is running, where it goes on after an epoch check yields, and the safepoint of
    /// its frames while it is suspended.
    var activeAsyncCall: UnsafeMutableRawPointer?
    /// Every async call made in the store and not yet deleted (linked through the calls).
    var asyncCalls: UnsafeMutablePointer<AsyncCall>?
    var runningAsyncCall = false
    /// An async instantiation runs (Runtime/AsyncCalls.swift, `requiresAsyncEntry`).
    var inAsyncEntry = false
    var yieldResume: UnsafePointer<UInt64>?
    /// After a yield at an epoch check: the deadline on resuming, in ticks beyond the epoch then.
    var deadlineTicksAfterYield: UInt64?
    var suspendedPoint = Safepoint(fp: nil, ip: nil, depth: 0, previous: nil)
    /// The host call a suspended async call waits in, and whether its work is being polled
    /// (Runtime/AsyncHostCalls.swift).
    var suspendedHostCall: SuspendedHostCall?
    var pollingHostWork = false
    /// An instance imports an async host function: calls and instantiations from the host must be
    /// async ones from then on, as in wasmtime (`requiresAsyncEntry`).
    var asyncRequired = false
    /// Fuel an async call runs on in intervals: `fuel` holds the current interval's, the rest
    /// waits here (`wasmtime_context_fuel_async_yield_interval`; 0: no intervals).
    var fuelReserve: UInt64 = 0
    public var fuelYieldInterval: UInt64 = 0
    /// An async call reaching the epoch deadline yields and moves it this many ticks on
    /// (`wasmtime_context_epoch_deadline_async_yield_and_update`); nil: the deadline traps or
    /// calls the callback.
    public var epochYieldDelta: UInt64?
    /// The thread whose stack bounds were last asked, and its stack's low end (1: unknown).
    var stackBoundThread: UInt = 0
    var stackLowBound: UInt = 0
    /// How a host function or callback failed, until the call that ran it reports it.
    var pendingFailure: Failure?
    /// Thrown exceptions (Runtime/Exceptions.swift), the entries free for reuse, and the exnref of
    /// the exception that escaped the last call, if any (`wasmtime_context_take_exception`).
    var exceptions = FallibleVector<ExceptionEntry>()
    var freeExceptionEntries = FallibleVector<UInt32>()
    public var pendingException: UInt64 = 0
    /// The backtrace of the last trap, innermost frame first, and whether it could be recorded.
    public var lastTrapFrames = FallibleVector<TrapFrame>()
    public var lastTrapFramesComplete = true
    /// For the last trap, when a load or store went out of bounds: where, and the memory's size.
    public var lastTrapFault: (address: UInt64, memorySize: UInt64)?
    public var hostData: UnsafeMutableRawPointer?
    public var hostFinalizer: HostFinalizer?
    /// WASI state (`wasmtime_context_set_wasi`), owned.
    public var wasi: UnsafeMutablePointer<WasiContext>?
    /// Fuel left, meaningful only when the engine consumes fuel.
    public var fuel: UInt64 = 0
    /// Epoch value at which running code is interrupted.
    public var epochDeadline: UInt64 = 0
    public var epochCallback: EpochDeadlineCallback?
    public var epochCallbackData: UnsafeMutableRawPointer?
    public var epochCallbackFinalizer: HostFinalizer?
    public var limits = StoreLimits()
    /// What the store holds, but for the GC heap, which `gc` counts (`StoreUsage`).
    var held = StoreUsage()
    /// Tables and memories that instances of this store defined, counted against `limits`.
    public var definedTables = 0
    public var definedMemories = 0
    /// Instantiations counted against `limits.instances` (failed ones included, as in wasmtime).
    public var countedInstances = 0
    /// Instances and tables counted against a pooling engine's totals, given back when the store
    /// goes.
    var pooledInstances = 0
    var pooledTables = 0

    public init(engine: Shared<Engine>, hostData: UnsafeMutableRawPointer?, hostFinalizer: HostFinalizer?) {
        self.engine = engine.retain()
        self.hostData = hostData
        self.hostFinalizer = hostFinalizer
    }

    /// A new store in its own heap cell. Host data handed over with a finalizer is finalized
    /// exactly once: when the store is deleted, or at once if the store cannot be created.
    public static func create(engine: Shared<Engine>, hostData: UnsafeMutableRawPointer?, hostFinalizer: HostFinalizer?) throws(SwasmError) -> UnsafeMutablePointer<Store> {
        let scope = cswasm_pool_enter(engine.pointer.pointee.pool.pool)
        defer { Store.leavePool(scope) }
        return try Heap.create(Store(engine: engine, hostData: hostData, hostFinalizer: hostFinalizer))
    }

    deinit {
        // The work of an async host function the store's pending call waits in will not complete.
        if let suspended = suspendedHostCall { suspended.work.discard(suspended.work.state) }
        AsyncCall.detachAll(from: asyncCalls)
        for index in 0..<instances.count { Heap.destroy(instances[index]) }
        for index in 0..<hostFunctions.count { Heap.destroy(hostFunctions[index]) }
        for index in 0..<hostGlobals.count { Heap.destroy(hostGlobals[index]) }
        for index in 0..<hostTables.count { Heap.destroy(hostTables[index]) }
        for index in 0..<hostMemories.count { Heap.destroy(hostMemories[index]) }
        for index in 0..<hostTags.count { Heap.destroy(hostTags[index]) }
        for index in 0..<externRefs.count {
            // Boxes the host still holds handles of outlive the store until they are unrooted.
            if externRefs[index].pointee.hostRoots > 0 { externRefs[index].pointee.detach() } else { Heap.destroy(externRefs[index]) }
        }
        for index in 0..<exceptions.count { if let object = exceptions[index].object { Heap.destroy(object) } }
        if let execution { Heap.destroy(execution) }
        if let wasi { Heap.destroy(wasi) }
        if let epochCallbackFinalizer { epochCallbackFinalizer(epochCallbackData) }
        if let hostFinalizer { hostFinalizer(hostData) }
        engine.pointer.pointee.pool.giveBack(instances: pooledInstances, tables: pooledTables)
        engine.release()
    }

    /// Keeps a host-made object alive as long as the store; destroys it if that fails.
    public mutating func adopt<T: ~Copyable>(_ object: UnsafeMutablePointer<T>, into list: inout FallibleVector<UnsafeMutablePointer<T>>) throws(SwasmError) {
        do {
            try list.append(object)
        } catch {
            Heap.destroy(object)
            throw error
        }
    }

    public var consumesFuel: Bool { engine.pointer.pointee.config.consumeFuel }

    public mutating func setFuel(_ amount: UInt64) throws(SwasmError) {
        guard consumesFuel else { throw .unsupported }
        fuel = amount
        fuelReserve = 0
        // During an async call, in intervals again.
        if activeAsyncCall != nil { splitFuel() }
    }

    public func getFuel() throws(SwasmError) -> UInt64 {
        guard consumesFuel else { throw .unsupported }
        return fuel &+ fuelReserve
    }

    /// Sets the deadline `ticks` epochs beyond the engine's current epoch.
    public mutating func setEpochDeadline(ticksBeyondCurrent ticks: UInt64) {
        // Saturating, as wasmtime's: a deadline far away never wraps into the past.
        let (deadline, overflow) = Engine.currentEpoch(engine).addingReportingOverflow(ticks)
        epochDeadline = overflow ? UInt64.max : deadline
    }

    /// Replaces the epoch deadline callback, finalizing the previous callback's data.
    public mutating func setEpochCallback(_ callback: EpochDeadlineCallback?, data: UnsafeMutableRawPointer?, finalizer: HostFinalizer?) {
        if let epochCallbackFinalizer { epochCallbackFinalizer(epochCallbackData) }
        epochCallback = callback
        epochCallbackData = data
        epochCallbackFinalizer = finalizer
        epochYieldDelta = nil
    }

    /// Async calls yield at the epoch deadline and then move it `delta` ticks on; replaces the
    /// deadline callback, as in wasmtime.
    public mutating func setEpochYield(delta: UInt64) {
        setEpochCallback(nil, data: nil, finalizer: nil)
        epochYieldDelta = delta
    }
}
