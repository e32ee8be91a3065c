import CSwasm

/// Host functions the runtime itself provides, working on the call's slots directly.
public enum NativeFunctions {
    /// Traps with the message its environment holds (a `ByteBuffer` cell): the functions
    /// `define_unknown_imports_as_traps` defines.
    public static let trapWithMessage: HostTrampoline = { raw in
        let call = HostCall.from(raw)
        guard let environment = call.pointee.function.pointee.environment else {
            call.pointee.failure = Failure.trap(message: nil, count: 0)
            return
        }
        let message = environment.assumingMemoryBound(to: ByteBuffer.self)
        call.pointee.failure = Failure.trap(message: message.pointee.bytes.map { UnsafeRawPointer($0) }, count: message.pointee.count)
    }

    /// Frees the message of `trapWithMessage`.
    public static let freeMessage: HostFinalizer = { environment in
        environment.map { Heap.destroy($0.assumingMemoryBound(to: ByteBuffer.self)) }
    }

    /// Returns the default value of each result type (0, +0.0, null: all-zero slots).
    public static let returnDefaults: HostTrampoline = { raw in
        let call = HostCall.from(raw)
        call.pointee.slots.update(repeating: 0, count: call.pointee.function.pointee.resultSlots)
    }

    /// Does nothing (`get_default` of a module without a default export).
    public static let doNothing: HostTrampoline = { _ in }
}
