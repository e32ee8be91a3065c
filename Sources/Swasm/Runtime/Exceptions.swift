import CSwasm

/// A tag (exception handling): exceptions of it carry values of its parameter types. Tags are
/// compared by identity: an instance's own tags are new ones, imported tags are the exporter's.
public struct TagInstance: ~Copyable {
    public var parameters = FallibleVector<ValueType>()
    /// Slots the parameters take (a v128 takes two).
    public var slotWidth = 0
    /// The tag's function type in the engine's type registry (a module's tag); nil for a host
    /// tag, whose type is its signature.
    public var engineTypeID: UInt32? = nil

    /// A tag whose exceptions carry `parameters` (of `module`'s types, kept in the engine's
    /// index space; a host tag's have no concrete types).
    static func create(parameters: borrowing FallibleVector<ValueType>, module: UnsafePointer<CompiledModule>? = nil,
                       typeIndex: UInt32 = 0) throws(SwasmError) -> UnsafeMutablePointer<TagInstance> {
        var tag = TagInstance()
        if let module { tag.engineTypeID = module.pointee.engineTypeIDs[Int(typeIndex)] }
        try tag.parameters.reserve(parameters.count)
        for index in 0..<parameters.count {
            try tag.parameters.append(module?.pointee.engineType(parameters[index]) ?? parameters[index])
            tag.slotWidth &+= parameters[index].slotCount
        }
        return try Heap.create(tag)
    }
}

/// A thrown exception: its tag and its values, as slots.
public struct ExceptionObject: ~Copyable {
    public let tag: UnsafeMutablePointer<TagInstance>
    public let values: UnsafeMutablePointer<UInt64>?
    /// Whether an exnref to it may exist (a `_ref` catch delivered it, or the host held it): it
    /// then lives as long as the store; otherwise a catch frees it.
    public var exposed = false

    deinit { Heap.free(values) }
}

/// An entry of the store's exception table: the exception, and a generation that changes each
/// time the entry is freed, so a stale exnref never finds the entry's next exception.
struct ExceptionEntry: BitwiseCopyable {
    var object: UnsafeMutablePointer<ExceptionObject>?
    var generation: UInt32
}

/// The store's exceptions. An exnref is `index + 1 | generation << 32` of its entry (0 is null):
/// looked up with bounds and generation checks, a forged or stale exnref finds nothing.
extension Store {
    /// A new exception of `tag` with the values at `values` (the tag's slot width); its exnref.
    mutating func makeException(tag: UnsafeMutablePointer<TagInstance>, values: UnsafePointer<UInt64>) throws(SwasmError) -> UInt64 {
        var copy: UnsafeMutablePointer<UInt64>? = nil
        if tag.pointee.slotWidth > 0 {
            copy = try Heap.allocate(UInt64.self, count: tag.pointee.slotWidth)
            copy!.update(from: values, count: tag.pointee.slotWidth)
        }
        // The object owns `copy` from here on, also when it cannot be made (it is then freed).
        let object = try Heap.create(ExceptionObject(tag: tag, values: copy))
        if let index = freeExceptionEntries.popLast() {
            exceptions[Int(index)].object = object
            return UInt64(index &+ 1) | UInt64(exceptions[Int(index)].generation) << 32
        }
        do {
            try exceptions.append(ExceptionEntry(object: object, generation: 0))
            // Room to remember every entry as free later, so that freeing never allocates.
            try freeExceptionEntries.reserve(exceptions.capacity)
        } catch {
            if exceptions.count > 0 && exceptions[exceptions.count &- 1].object == object { _ = exceptions.popLast() }
            Heap.destroy(object)
            throw error
        }
        return UInt64(exceptions.count)
    }

    /// The exception an exnref names, if it is live.
    mutating func exception(_ reference: UInt64) -> UnsafeMutablePointer<ExceptionObject>? {
        let index = Int(truncatingIfNeeded: reference & 0xffff_ffff) &- 1
        guard index >= 0, index < exceptions.count, exceptions[index].generation == UInt32(truncatingIfNeeded: reference >> 32) else { return nil }
        return exceptions[index].object
    }

    /// Frees the exception an exnref names (no exnref to it may remain).
    mutating func releaseException(_ reference: UInt64) {
        let index = Int(truncatingIfNeeded: reference & 0xffff_ffff) &- 1
        guard index >= 0, index < exceptions.count, let object = exceptions[index].object else { return }
        Heap.destroy(object)
        exceptions[index].object = nil
        exceptions[index].generation &+= 1
        // `makeException` reserved room for every entry: this append never allocates.
        try? freeExceptionEntries.append(UInt32(truncatingIfNeeded: index))
    }

    /// Frees the exception of `reference` unless an exnref to it may exist.
    mutating func releaseUnexposed(_ reference: UInt64) {
        guard let object = exception(reference), !object.pointee.exposed else { return }
        releaseException(reference)
    }

    /// The exnref of the exception that escaped a call, now no longer pending; nil if none.
    public mutating func takePendingException() -> UInt64? {
        let reference = pendingException
        pendingException = 0
        return reference != 0 && exception(reference) != nil ? reference : nil
    }

    /// The exnref of the live exception in entry `raw - 1` (a raw exnref carries only the entry:
    /// `wasmtime_val_raw_t` has 32 bits for it); 0 when there is none.
    public func exceptionReference(raw: UInt32) -> UInt64 {
        let index = Int(raw) &- 1
        guard index >= 0, index < exceptions.count, exceptions[index].object != nil else { return 0 }
        return UInt64(raw) | UInt64(exceptions[index].generation) << 32
    }

    /// Frees every exception (the store's end).
    mutating func releaseExceptions() {
        for index in 0..<exceptions.count { if let object = exceptions[index].object { Heap.destroy(object) } }
        exceptions.removeAll()
    }
}

/// What `Store.makeHostException` gives: the new exception's exnref, or why it was refused.
public enum HostExceptionOutcome: ~Copyable {
    case made(UInt64)
    case refused(Failure)
}

/// Exceptions seen from the host: made, read and thrown by it.
extension Store {
    /// An exception of `tag` (one of this store's) with `count` field values (`field(i)`), each
    /// checked against the tag's parameters as wasmtime checks them. The host holds its exnref.
    public mutating func makeHostException(tag: UnsafeMutablePointer<TagInstance>, count: Int,
                                           field: (Int) -> HostValue) -> HostExceptionOutcome {
        let parameters = tag.pointee.parameters.count
        guard count == parameters else { return .refused(.arity(expected: parameters, "fields", got: count)) }
        var values: UnsafeMutablePointer<UInt64>? = nil
        defer { Heap.free(values) }
        if tag.pointee.slotWidth > 0 {
            do { values = try Heap.allocate(UInt64.self, count: tag.pointee.slotWidth) } catch { return .refused(.outOfMemory) }
        }
        var slot = 0
        for index in 0..<parameters {
            let type = tag.pointee.parameters[index]
            do throws(ValueRejection) {
                let words = try admit(field(index), as: type)
                values![slot] = words.0
                if type.slotCount > 1 { values![slot &+ 1] = words.1 }
            } catch {
                return .refused(.rejecting(error, expected: type, context: "field type mismatch"))
            }
            slot &+= type.slotCount
        }
        var empty: UInt64 = 0
        do {
            let reference = try makeException(tag: tag, values: values.map { UnsafePointer($0) } ?? withUnsafePointer(to: &empty) { $0 })
            exception(reference)!.pointee.exposed = true
            return .made(reference)
        } catch {
            return .refused(.outOfMemory)
        }
    }

    /// The value of field `index` of a live exception, as the host sees it (an externref rooted
    /// for the host); nil when the exception has no such field.
    public mutating func exceptionField(_ object: UnsafeMutablePointer<ExceptionObject>, _ index: Int) -> HostValue? {
        let tag = object.pointee.tag
        guard index >= 0, index < tag.pointee.parameters.count else { return nil }
        var slot = 0
        for earlier in 0..<index { slot &+= tag.pointee.parameters[earlier].slotCount }
        return hostValue(object.pointee.values!.advanced(by: slot), as: tag.pointee.parameters[index], rooting: true)
    }

    /// The host throws the live exception `reference`: it becomes the pending exception, which a
    /// host function's "thrown Wasm exception" trap (`Failure.thrownException()`) then throws
    /// into its WebAssembly caller.
    public mutating func setPendingException(_ reference: UInt64) {
        guard let object = exception(reference) else { return }
        object.pointee.exposed = true
        if pendingException != 0 && pendingException != reference { releaseUnexposed(pendingException) }
        pendingException = reference
    }
}

extension Failure {
    /// wasmtime's failure for an exception that no catch clause took, or that a host function
    /// throws (the exception itself is the store's pending one).
    public static func thrownException() -> Failure {
        var message = ByteBuffer()
        do { try message.append("thrown Wasm exception") } catch { return .outOfMemory }
        var failure = Failure(kind: .trap, message: message)
        failure.isUncaughtException = true
        return failure
    }
}
