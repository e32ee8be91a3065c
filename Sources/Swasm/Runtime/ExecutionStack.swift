import CSwasm

/// The interpreter's stacks for one store: value slots (bounded by `max_wasm_stack`) and call
/// records, plus the execution context handed to the threaded code. Allocated on first call.
public struct ExecutionStack: ~Copyable {
    public var context = swasm_exec()
    public let slots: UnsafeMutablePointer<UInt64>
    public let slotCount: Int
    public let calls: UnsafeMutablePointer<swasm_call_record>
    public let callCapacity: Int
    /// Memory and globals seen by code running outside any instance (none).
    var noMemory: UnsafeMutablePointer<UInt8>? = nil
    var noMemorySize: UInt64 = 0

    public static func create(maxWasmStack: Int) throws(SwasmError) -> UnsafeMutablePointer<ExecutionStack> {
        let slotCount = max(maxWasmStack / 8, 64)
        // A call costs at least one record; a frame needs at least a slot, so this bounds depth.
        let callCapacity = max(slotCount / 4, 16)
        let slots = try Heap.allocateZeroed(UInt64.self, count: slotCount)
        let calls: UnsafeMutablePointer<swasm_call_record>
        do {
            // Heap.allocate checks the size for overflow and throws .outOfMemory on failure; never aborts.
            calls = try Heap.allocate(swasm_call_record.self, count: callCapacity)
        } catch {
            Heap.free(slots)
            throw error
        }
        let stack: UnsafeMutablePointer<ExecutionStack>
        do {
            stack = try Heap.emplace { ExecutionStack(slots: slots, slotCount: slotCount, calls: calls, callCapacity: callCapacity) }
        } catch {
            Heap.free(slots)
            Heap.free(calls)
            throw error
        }
        stack.pointee.context.stack_limit = slots.advanced(by: slotCount)
        stack.pointee.context.calls = calls
        stack.pointee.context.call_limit = UInt32(truncatingIfNeeded: callCapacity)
        stack.pointee.context.halt_word = handlerAddress(Opcode.halt.rawValue)
        return stack
    }

    private init(slots: UnsafeMutablePointer<UInt64>, slotCount: Int, calls: UnsafeMutablePointer<swasm_call_record>, callCapacity: Int) {
        self.slots = slots
        self.slotCount = slotCount
        self.calls = calls
        self.callCapacity = callCapacity
    }

    deinit {
        Heap.free(slots)
        Heap.free(calls)
    }
}
