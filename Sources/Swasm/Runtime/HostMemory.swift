import CSwasm

/// `get_memory` of a memory the embedder provides: its base address, with its size in bytes and
/// the bytes it can hold without moving written through the two pointers.
public typealias HostMemoryGet = @convention(c) (UnsafeMutableRawPointer?, UnsafeMutablePointer<Int>?, UnsafeMutablePointer<Int>?) -> UnsafeMutablePointer<UInt8>?
/// `grow_memory`: grows the memory to a size in bytes; nil, or an error (a `Failure.Cell`).
public typealias HostMemoryGrow = @convention(c) (UnsafeMutableRawPointer?, Int) -> OpaquePointer?

/// A linear memory the embedder's memory creator made: its callbacks and their environment, in
/// the order of the C API's `wasmtime_linear_memory_t` (which the C API fills in place).
public struct HostMemoryCallbacks: BitwiseCopyable {
    public var environment: UnsafeMutableRawPointer? = nil
    public var get: HostMemoryGet? = nil
    public var grow: HostMemoryGrow? = nil
    public var finalizer: HostFinalizer? = nil

    public init() {}
}

/// What a memory creator is asked for: a memory of `type` holding at least `minimum` bytes, that
/// will never be asked to grow past `maximum` bytes.
public struct HostMemoryRequest: BitwiseCopyable {
    public let type: MemoryType
    public let minimum: UInt64
    public let maximum: UInt64
}

/// The C API's half of a creator call: calls the embedder's `new_memory` of a `MemoryCreator` with
/// a `HostMemoryRequest` (making the memory type object it receives), which fills in the
/// `HostMemoryCallbacks`. Nil, or the callback's error. (Raw pointers: C cannot name the types.)
public typealias MemoryCreatorTrampoline = @convention(c) (UnsafeRawPointer, UnsafeRawPointer, UnsafeMutableRawPointer) -> OpaquePointer?

/// The engine's memory creator (`wasmtime_config_host_memory_creator_set`): every memory an
/// instance defines, unless shared, comes from it. A plain value kept in the configuration, then
/// in the engine made from it; whichever owns it last runs `finalize` once (deleting a
/// configuration, replacing its creator, releasing the engine or failing to make it).
public struct MemoryCreator: BitwiseCopyable {
    public let environment: UnsafeMutableRawPointer?
    /// The embedder's `new_memory` callback (the trampoline knows its type).
    public let newMemory: UnsafeRawPointer
    public let finalizer: HostFinalizer?
    public let trampoline: MemoryCreatorTrampoline

    public init(environment: UnsafeMutableRawPointer?, newMemory: UnsafeRawPointer, finalizer: HostFinalizer?, trampoline: MemoryCreatorTrampoline) {
        self.environment = environment
        self.newMemory = newMemory
        self.finalizer = finalizer
        self.trampoline = trampoline
    }

    public func finalize() { finalizer?(environment) }
}

/// Memories from the embedder's creator. swasm asks for memories that may move (no reservation,
/// no guard region: every access is checked against the size) and trusts a memory with no more
/// than the size it reports: a memory reporting less than asked for, or no base, is an error,
/// never an access.
extension LinearMemory {
    /// A memory of `type`'s minimum size from `creator`. The creator's error fails with its
    /// message in `diagnostic` (`.host`); so does a memory that reports less than it was asked for.
    public static func create(_ type: MemoryType, limits: StoreLimits, creator: MemoryCreator,
                              diagnostic: inout Diagnostic) throws(SwasmError) -> UnsafeMutablePointer<LinearMemory> {
        let bytes = try minimumBytes(type, limits: limits)
        let pageBytes = UInt64(1) << UInt64(type.pageSizeLog2)
        let maximumPages = min(type.limits.maximum ?? type.maximumPages, type.maximumPages)
        let (maximum, overflow) = maximumPages.multipliedReportingOverflow(by: pageBytes)
        var request = HostMemoryRequest(type: type, minimum: bytes, maximum: overflow ? UInt64.max & ~(pageBytes &- 1) : maximum)
        var callbacks = HostMemoryCallbacks()
        var owner = creator
        let error = withUnsafePointer(to: &owner) { creatorPointer in
            withUnsafePointer(to: &request) { requestPointer in
                withUnsafeMutablePointer(to: &callbacks) { creator.trampoline(creatorPointer, requestPointer, $0) }
            }
        }
        if let error {
            diagnostic.message.removeAll()
            try rethrowHostError(error, reason: &diagnostic.message)
        }
        guard let get = callbacks.get else {
            callbacks.finalizer?(callbacks.environment)
            try fail(&diagnostic.message) { (text: inout ByteBuffer) throws(SwasmError) in
                try text.append("the memory creator returned a memory without a `get_memory` callback")
            }
        }
        var size = 0, capacity = 0
        let base = get(callbacks.environment, &size, &capacity)
        if base == nil && bytes > 0 || UInt64(UInt(bitPattern: size)) < bytes {
            callbacks.finalizer?(callbacks.environment)
            try fail(&diagnostic.message) { (text: inout ByteBuffer) throws(SwasmError) in
                try text.append("the memory creator's memory reports ")
                try text.appendDecimal(UInt64(UInt(bitPattern: size)))
                try text.append(base == nil ? " bytes and no base address" : " bytes")
                try text.append(" for a memory of ")
                try text.appendDecimal(bytes)
                try text.append(" bytes")
            }
        }
        // From here the memory owns the host's: its deinit runs the finalizer, on failure too.
        return try Heap.create(LinearMemory(base: base, byteCount: bytes, type: type, reservedBytes: 0, backing: .host(callbacks)))
    }

    /// Growth of a host memory to `newBytes`: its `grow_memory`, then the size and base it
    /// reports (it may have moved). Whatever the callback says, the memory is re-read, and holds no
    /// more than it reports: a refusal keeps the size (`.host`, the reason in `explain`); a memory
    /// reporting less than it should hold shrinks to what it reports, in whole pages.
    mutating func growHosted(_ callbacks: HostMemoryCallbacks, to newBytes: UInt64, reason: inout ByteBuffer) throws(SwasmError) {
        guard let grow = callbacks.grow else {
            try Self.fail(&reason) { (text: inout ByteBuffer) throws(SwasmError) in try text.append("the memory has no `grow_memory` callback") }
        }
        let refusal = grow(callbacks.environment, Int(newBytes))
        let expected = refusal == nil ? newBytes : byteCount
        let heldAll = adoptReportedView(callbacks, expecting: expected)
        if let refusal { try Self.rethrowHostError(refusal, reason: &reason) }
        guard heldAll else {
            try Self.fail(&reason) { (text: inout ByteBuffer) throws(SwasmError) in
                try text.append("the memory reports fewer than the ")
                try text.appendDecimal(newBytes)
                try text.append(" bytes it grew to")
            }
        }
    }

    /// Takes the base and size the host's memory reports: `expected` bytes when it holds them
    /// (true), otherwise as many whole pages as it reports up to the size before (a failed
    /// growth never enlarges a memory), and none without a base (false).
    private mutating func adoptReportedView(_ callbacks: HostMemoryCallbacks, expecting expected: UInt64) -> Bool {
        var size = 0, capacity = 0
        // A host memory has a `get_memory` (checked when it was made).
        guard let get = callbacks.get else { return false }
        let reported = get(callbacks.environment, &size, &capacity)
        let usable = UInt64(UInt(bitPattern: size))
        base = reported
        if (reported != nil || expected == 0) && usable >= expected {
            byteCount = expected
            return true
        }
        let pageMask = (UInt64(1) << UInt64(type.pageSizeLog2)) &- 1
        byteCount = reported == nil ? 0 : min(usable, byteCount) & ~pageMask
        return false
    }

    /// Throws the failure in the host's error `cell` (freed): out of memory as such, any other as
    /// `.host` with its message moved into `reason` (nothing is copied).
    private static func rethrowHostError(_ cell: OpaquePointer, reason: inout ByteBuffer) throws(SwasmError) -> Never {
        var failure = Failure.take(Failure.Cell(cell))
        if failure.isOutOfMemory { throw .outOfMemory }
        swap(&reason, &failure.message)
        throw .host
    }

    /// Throws `.host` with the message `compose` writes into `reason`, or `.outOfMemory` when it
    /// cannot be written.
    private static func fail(_ reason: inout ByteBuffer, _ compose: (inout ByteBuffer) throws(SwasmError) -> Void) throws(SwasmError) -> Never {
        reason.removeAll()
        do { try compose(&reason) } catch { throw .outOfMemory }
        throw .host
    }
}
