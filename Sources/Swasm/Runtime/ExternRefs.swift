import CSwasm

/// Host references (`externref`): boxes owned by their store, each with a raw number for the
/// raw-value API, kept while reachable from WebAssembly state or held by the host, and finalized
/// by a collection (`wasmtime_context_gc`) or when the store goes.
extension Store {
    /// Takes ownership of a new box (destroying it if that fails) and numbers it.
    public mutating func adoptExternRef(_ box: UnsafeMutablePointer<ExternRefBox>, hostRoots: Int) throws(SwasmError) {
        box.pointee.rawID = nextExternRefID
        box.pointee.hostRoots = hostRoots
        do {
            try register(UnsafeMutableRawPointer(box), LiveObjectKind.externRef)
        } catch {
            Heap.destroy(box)
            throw error
        }
        do {
            try externRefs.append(box)
        } catch {
            unregister(UnsafeMutableRawPointer(box))
            Heap.destroy(box)
            throw error
        }
        nextExternRefID = nextExternRefID == UInt32.max ? 1 : nextExternRefID &+ 1
    }

    /// The live box a raw externref number names (nil for 0 or an unknown number).
    public mutating func externRef(rawID: UInt32) -> UnsafeMutablePointer<ExternRefBox>? {
        guard rawID != 0 else { return nil }
        for index in 0..<externRefs.count where externRefs[index].pointee.rawID == rawID { return externRefs[index] }
        return nil
    }
}

/// A pointer-sized key for `FallibleHashMap`.
struct AddressKey: HashMapKey, BitwiseCopyable {
    var address: UInt
    var hashCode: UInt64 { UInt64(address) &* 0x9e37_79b9_7f4a_7c15 }
    func isEqual(to other: borrowing AddressKey) -> Bool { address == other.address }
}
