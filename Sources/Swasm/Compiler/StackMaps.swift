/// Where a function's frame holds references the collector must see (docs/gc.md, Frames).
///
/// A *safepoint* is an instruction during which a collection can happen while the frame is live:
/// a call (the callee, or a host function, may collect), an instruction that allocates a GC
/// object, an epoch check (the deadline callback may collect) and a fuel check (an async call
/// suspended there lets the host run). For each safepoint whose frame
/// holds references of the any or extern hierarchy, the map lists their slots: reference locals
/// and parameters, reference values on the operand stack, and the instruction's own reference
/// operands (the fields of a `struct.new`, which must survive the allocation). A call's map leaves
/// out its arguments: they are the callee's frame, which its own maps describe. Safepoints whose
/// frame holds no reference have no entry.
public struct StackMaps: ~Copyable {
    /// Code positions (words) of the safepoint instructions with a map, ascending.
    public var positions = FallibleVector<UInt32>()
    /// For each position, where its slots end in `slots` (each map starts where the previous ends).
    public var ends = FallibleVector<UInt32>()
    public var slots = FallibleVector<UInt16>()

    public init() {}

    public var count: Int { positions.count }

    /// The range of `slots` that is the map of position `index`.
    public func range(_ index: Int) -> Range<Int> {
        (index == 0 ? 0 : Int(ends[index &- 1]))..<Int(ends[index])
    }

    /// The index of the map of the safepoint at code position `position`; nil when it has none.
    public func index(at position: Int) -> Int? {
        var low = 0
        var high = positions.count
        while low < high {
            let middle = (low &+ high) / 2
            let value = Int(positions[middle])
            if value == position { return middle }
            if value < position { low = middle &+ 1 } else { high = middle }
        }
        return nil
    }

    /// Closes the map of the safepoint at `position`, whose slots were appended since the last
    /// one; a map without slots is dropped.
    mutating func finish(at position: Int) throws(SwasmError) {
        let start = positions.count == 0 ? 0 : Int(ends[positions.count &- 1])
        guard slots.count > start else { return }
        guard position <= Int(UInt32.max), slots.count <= Int(UInt32.max) else { throw .limitExceeded }
        try positions.append(UInt32(truncatingIfNeeded: position))
        do {
            try ends.append(UInt32(truncatingIfNeeded: slots.count))
        } catch {
            _ = positions.popLast()
            throw error
        }
    }

    /// Drops what was appended for a map not finished (after a failure).
    mutating func discardUnfinished() {
        let start = positions.count == 0 ? 0 : Int(ends[positions.count &- 1])
        while slots.count > start { _ = slots.popLast() }
    }
}

extension ValueType {
    /// Whether the collector must see values of this type: references of the any hierarchy (GC
    /// objects, i31s, internalized externrefs) and of the extern hierarchy (externref boxes).
    /// Function references and exception references are not collected.
    public var isCollected: Bool {
        guard isReference else { return false }
        let top = hierarchy
        return top == .anyref || top == .externref
    }
}

extension Opcode {
    /// Whether a collection can happen while the instruction runs: calls (not tail calls, whose
    /// frame is gone), allocations, epoch checks, and fuel checks (an async call suspended there
    /// lets the host run collections). Only these have stack maps.
    public var isSafepoint: Bool {
        switch self {
        case .call, .callIndirect, .callRef, .epochCheck, .fuelCheck, .fuelCheckEntry, .structNew, .structNewDefault,
             .arrayNew, .arrayNewDefault, .arrayNewFixed, .arrayNewData, .arrayNewElem:
            return true
        default:
            return false
        }
    }
}
