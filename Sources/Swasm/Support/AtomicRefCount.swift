import CSwasm

/// A thread-safe reference count, stored inside a heap cell whose address never changes.
/// Starts at one (the creator's reference).
public struct AtomicRefCount: ~Copyable {
    private var value: Int = 1

    public init() {}

    /// Adds a reference. Must be called through a stable address (a heap cell).
    @inline(__always)
    public static func retain(_ count: UnsafeMutablePointer<AtomicRefCount>) {
        _ = cswasm_atomic_increment_size(rawValue(count))
    }

    /// Drops a reference; true when it was the last one and the owner must be destroyed.
    @inline(__always)
    public static func release(_ count: UnsafeMutablePointer<AtomicRefCount>) -> Bool {
        cswasm_atomic_decrement_size(rawValue(count)) == 0
    }

    public static func current(_ count: UnsafeMutablePointer<AtomicRefCount>) -> Int {
        cswasm_atomic_load_size(rawValue(count))
    }

    @inline(__always)
    private static func rawValue(_ count: UnsafeMutablePointer<AtomicRefCount>) -> UnsafeMutablePointer<Int> {
        UnsafeMutableRawPointer(count).assumingMemoryBound(to: Int.self)
    }
}

/// A heap cell holding an immutable value shared between owners (engines, compiled modules),
/// freed when the last owner releases it. The handle itself is a plain pointer: retain and
/// release are explicit, because handles cross the C boundary.
public struct Shared<Value: ~Copyable>: Copyable {
    public struct Cell: ~Copyable {
        var refCount = AtomicRefCount()
        public var value: Value
    }

    public let cell: UnsafeMutablePointer<Cell>

    public init(cell: UnsafeMutablePointer<Cell>) { self.cell = cell }

    /// Moves `value` into a new shared cell with one reference.
    public static func create(_ value: consuming Value) throws(SwasmError) -> Shared<Value> {
        Shared(cell: try Heap.create(Cell(value: value)))
    }

    public var pointer: UnsafeMutablePointer<Value> {
        withUnsafeMutablePointer(to: &cell.pointee.value) { $0 }
    }

    @discardableResult
    public func retain() -> Shared<Value> {
        withUnsafeMutablePointer(to: &cell.pointee.refCount) { AtomicRefCount.retain($0) }
        return self
    }

    /// Drops this owner's reference, destroying the value with the last one.
    public func release() {
        let last = withUnsafeMutablePointer(to: &cell.pointee.refCount) { AtomicRefCount.release($0) }
        if last { Heap.destroy(cell) }
    }

    public var referenceCount: Int {
        withUnsafeMutablePointer(to: &cell.pointee.refCount) { AtomicRefCount.current($0) }
    }
}
