/// A growable stack of plain values for the validator (operand types, control frames, local
/// types): growth goes through `Heap` and can fail with `SwasmError.outOfMemory`; popping and
/// truncating are single stores, so validation costs no allocation per instruction once the
/// stacks have grown (they are reused from one function to the next).
struct ValidationStack<Element: BitwiseCopyable>: ~Copyable {
    private(set) var base: UnsafeMutablePointer<Element>? = nil
    var count = 0
    private(set) var capacity = 0

    init() {}

    deinit { Heap.free(base) }

    @inline(__always)
    subscript(index: Int) -> Element {
        get { base.unsafelyUnwrapped[index] }
        nonmutating set { base.unsafelyUnwrapped[index] = newValue }
    }

    @inline(__always)
    mutating func push(_ element: Element) throws(SwasmError) {
        if count == capacity { try grow(minimum: count &+ 1) }
        base.unsafelyUnwrapped[count] = element
        count &+= 1
    }

    /// Makes room for `extra` more elements.
    @inline(__always)
    mutating func reserve(extra: Int) throws(SwasmError) {
        let needed = count &+ extra
        if needed > capacity { try grow(minimum: needed) }
    }

    /// Appends without a capacity check (after `reserve(extra:)`).
    @inline(__always)
    mutating func pushReserved(_ element: Element) {
        base.unsafelyUnwrapped[count] = element
        count &+= 1
    }

    @inline(never)
    private mutating func grow(minimum: Int) throws(SwasmError) {
        var newCapacity = capacity < 16 ? 16 : capacity
        while newCapacity < minimum {
            let (doubled, overflow) = newCapacity.multipliedReportingOverflow(by: 2)
            if overflow { throw .outOfMemory }
            newCapacity = doubled
        }
        base = try Heap.reallocate(base, Element.self, count: newCapacity)
        capacity = newCapacity
    }
}
