import CSwasm

/// The interpreter's stacks for one store, plus the execution context handed to the threaded
/// code. Allocated on first call. One region of `max_wasm_stack` bytes holds both: value slots
/// (frames) grow up from its start, call records grow down from its end, and a call that would
/// make them meet is a stack overflow, so the memory of the WebAssembly stack is bounded by the
/// setting whatever the frames' shapes.
public struct ExecutionStack: ~Copyable {
    public var context = swasm_exec()
    public let slots: UnsafeMutablePointer<UInt64>
    public let slotCount: Int
    /// Bytes mapped for `slots` (whole pages), or 0 when they came from `Heap`.
    let mappedBytes: Int
    /// Memory and globals seen by code running outside any instance (none).
    var noMemory: UnsafeMutablePointer<UInt8>? = nil
    var noMemorySize: UInt64 = 0

    /// Words of a stack for `max_wasm_stack` bytes: at least room for a few records and frames.
    static func slotCount(maxWasmStack: Int) -> Int { max(maxWasmStack / 8, 64) }

    public static func create(maxWasmStack: Int) throws(SwasmError) -> UnsafeMutablePointer<ExecutionStack> {
        let slotCount = Self.slotCount(maxWasmStack: maxWasmStack)
        // Mapped, so that a store's stack costs the pages its frames (from the start) and call
        // records (from the end) touch, whatever the allocator did with earlier stacks. The
        // embedder's allocator (swasm_set_allocator) and a pooled store's arena serve it instead.
        var mappedBytes = 0
        let slots: UnsafeMutablePointer<UInt64>
        if !cswasm_allocator_is_custom() && cswasm_pool_current() == nil {
            let pageMask = Int(cswasm_system_page_size()) &- 1
            mappedBytes = (slotCount &* 8 &+ pageMask) & ~pageMask
            guard let raw = cswasm_map_zeroed(mappedBytes) else { throw .outOfMemory }
            slots = raw.assumingMemoryBound(to: UInt64.self)
        } else {
            slots = try Heap.allocateZeroed(UInt64.self, count: slotCount)
        }
        let stack: UnsafeMutablePointer<ExecutionStack>
        do {
            stack = try Heap.emplace { ExecutionStack(slots: slots, slotCount: slotCount, mappedBytes: mappedBytes) }
        } catch {
            if mappedBytes > 0 { cswasm_release(slots, mappedBytes) } else { Heap.free(slots) }
            throw error
        }
        let end = slots.advanced(by: slotCount)
        stack.pointee.context.stack_limit = end
        stack.pointee.context.calls = UnsafeMutableRawPointer(end).assumingMemoryBound(to: swasm_call_record.self)
        stack.pointee.context.halt_word = handlerAddress(Opcode.halt.rawValue)
        return stack
    }

    private init(slots: UnsafeMutablePointer<UInt64>, slotCount: Int, mappedBytes: Int) {
        self.slots = slots
        self.slotCount = slotCount
        self.mappedBytes = mappedBytes
    }

    deinit {
        if mappedBytes > 0 { cswasm_release(slots, mappedBytes) } else { Heap.free(slots) }
    }

    /// The record of call `depth` (0 is the outermost).
    static func record(_ ex: UnsafePointer<swasm_exec>, _ depth: Int) -> UnsafeMutablePointer<swasm_call_record> {
        ex.pointee.calls.advanced(by: -1 &- depth)
    }

    /// Whether a frame ending at `end` leaves room for the record of call `depth`.
    static func hasRoom(_ ex: UnsafePointer<swasm_exec>, frameEnd end: UnsafePointer<UInt64>, depth: Int) -> Bool {
        UInt(bitPattern: end) <= UInt(bitPattern: ex.pointee.calls) &- UInt(depth &+ 1) &* UInt(MemoryLayout<swasm_call_record>.stride)
    }
}
