import CSwasm

/// A growable array whose growth can fail with `SwasmError.outOfMemory` instead of aborting.
/// Non-copyable: it owns its elements and frees them in `deinit`. Copying is explicit (`clone`).
public struct FallibleVector<Element: ~Copyable>: ~Copyable {
    public private(set) var base: UnsafeMutablePointer<Element>?
    public private(set) var count: Int = 0
    public private(set) var capacity: Int = 0

    public init() {}

    /// Takes over `count` initialized elements at `base`, storage that came from `Heap`.
    public init(adopting base: UnsafeMutablePointer<Element>?, count: Int) {
        self.base = base
        self.count = base == nil ? 0 : count
        self.capacity = self.count
    }

    /// An empty vector with room for `capacity` elements.
    public init(capacity: Int) throws(SwasmError) {
        try reserve(capacity)
    }

    deinit {
        if let base {
            base.deinitialize(count: count)
            Heap.free(base)
        }
    }

    public var isEmpty: Bool { count == 0 }

    public subscript(index: Int) -> Element {
        unsafeAddress {
            assert(index >= 0 && index < count, "FallibleVector index out of range")
            return UnsafePointer(base!.advanced(by: index))
        }
        unsafeMutableAddress {
            assert(index >= 0 && index < count, "FallibleVector index out of range")
            return base!.advanced(by: index)
        }
    }

    /// Makes room for at least `minimumCapacity` elements in total.
    public mutating func reserve(_ minimumCapacity: Int) throws(SwasmError) {
        guard minimumCapacity > capacity else { return }
        base = try Heap.reallocate(base, Element.self, count: minimumCapacity)
        capacity = minimumCapacity
    }

    public mutating func append(_ element: consuming Element) throws(SwasmError) {
        if count == capacity {
            let (doubled, overflow) = capacity.multipliedReportingOverflow(by: 2)
            try reserve(overflow ? Int.max : max(doubled, 4))
        }
        base!.advanced(by: count).initialize(to: element)
        count &+= 1
    }

    /// Removes and returns the last element, or nil when empty.
    public mutating func popLast() -> Element? {
        guard count > 0 else { return nil }
        count &-= 1
        return base!.advanced(by: count).move()
    }

    /// Destroys all elements, keeping the storage.
    public mutating func removeAll() {
        if let base { base.deinitialize(count: count) }
        count = 0
    }

    /// Hands the storage to the caller (who must free it with `Heap.free` after deinitializing the
    /// elements) and leaves the vector empty.
    public mutating func takeStorage() -> (base: UnsafeMutablePointer<Element>?, count: Int) {
        let result = (base, count)
        base = nil
        count = 0
        capacity = 0
        return result
    }
}

extension FallibleVector where Element: Copyable {
    /// A copy of the elements in new storage.
    public func clone() throws(SwasmError) -> FallibleVector<Element> {
        var copy = FallibleVector<Element>()
        try copy.reserve(count)
        for index in 0..<count { try copy.append(self[index]) }
        return copy
    }

    /// Appends every element of a buffer, growing once.
    public mutating func append(contentsOf elements: UnsafeBufferPointer<Element>) throws(SwasmError) {
        let (total, overflow) = count.addingReportingOverflow(elements.count)
        guard !overflow else { throw .outOfMemory }
        if total > capacity {
            let (doubled, doubledOverflow) = capacity.multipliedReportingOverflow(by: 2)
            try reserve(doubledOverflow ? total : max(total, doubled))
        }
        for element in elements {
            base!.advanced(by: count).initialize(to: element)
            count &+= 1
        }
    }
}

extension FallibleVector where Element: BitwiseCopyable {
    /// Appends the elements whose bytes `raw` holds (at any alignment), growing once.
    public mutating func appendBytes(_ raw: UnsafeRawBufferPointer) throws(SwasmError) {
        let added = raw.count / MemoryLayout<Element>.stride
        guard added > 0, let source = raw.baseAddress else { return }
        let (total, overflow) = count.addingReportingOverflow(added)
        guard !overflow else { throw .outOfMemory }
        if total > capacity {
            let (doubled, doubledOverflow) = capacity.multipliedReportingOverflow(by: 2)
            try reserve(doubledOverflow ? total : max(total, doubled))
        }
        UnsafeMutableRawPointer(base!.advanced(by: count)).copyMemory(from: source, byteCount: added &* MemoryLayout<Element>.stride)
        count = total
    }
}

extension FallibleVector where Element: BitwiseCopyable {
    /// Sets the count to `newCount`, growing storage as needed; elements beyond the old count
    /// are uninitialized bits (fine for plain data the caller writes before reading).
    public mutating func resizeUninitialized(_ newCount: Int) throws(SwasmError) {
        guard newCount >= 0 else { throw .outOfMemory }
        if newCount > capacity { try reserve(newCount) }
        count = newCount
    }
}
