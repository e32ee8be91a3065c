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
    public func externRef(rawID: UInt32) -> UnsafeMutablePointer<ExternRefBox>? {
        guard rawID != 0 else { return nil }
        for index in 0..<externRefs.count where externRefs[index].pointee.rawID == rawID { return externRefs[index] }
        return nil
    }

    /// Finalizes every box that neither the host holds nor WebAssembly state reaches: globals,
    /// tables and element segments of every instance, the host's globals and tables, and the
    /// frames of calls in progress (scanned conservatively: any slot holding a box's address
    /// keeps it). Does nothing if the index it needs cannot be allocated.
    public mutating func collectExternRefs() {
        guard externRefs.count > 0 else { return }
        var index = FallibleHashMap<AddressKey, Bool>()
        do throws(SwasmError) {
            for position in 0..<externRefs.count {
                externRefs[position].pointee.marked = false
                _ = try index.insert(AddressKey(address: UInt(bitPattern: externRefs[position])), true)
            }
        } catch {
            return
        }
        for position in 0..<instances.count {
            let instance = instances[position]
            let description = withUnsafeMutablePointer(to: &instance.pointee.module.pointer.pointee.description) { UnsafePointer($0) }
            let definedGlobals = description.pointee.globals.count &- description.pointee.importedGlobalCount
            Self.mark(instance.pointee.globalCells, count: definedGlobals &* 2, boxes: index)
            if let tables = instance.pointee.tables {
                for table in 0..<instance.pointee.definedTableCount {
                    Self.mark(tables[table].elements, count: Int(tables[table].size), boxes: index)
                }
            }
            if let segments = instance.pointee.elementSegments {
                for segment in 0..<instance.pointee.elementSegmentCount {
                    Self.mark(segments[segment].bytes.map { UnsafeRawPointer($0).assumingMemoryBound(to: UInt64.self) },
                              count: Int(segments[segment].size), boxes: index)
                }
            }
        }
        for position in 0..<hostGlobals.count { Self.mark(hostGlobals[position].pointee.object.cell, count: 2, boxes: index) }
        for position in 0..<hostTables.count {
            let table = hostTables[position].pointee.object.table
            Self.mark(table.pointee.elements, count: Int(table.pointee.size), boxes: index)
        }
        if let execution, let top = nestedFrameBase {
            Self.mark(execution.pointee.slots, count: execution.pointee.slots.distance(to: top), boxes: index)
        }
        var kept = 0
        for position in 0..<externRefs.count {
            let box = externRefs[position]
            if box.pointee.marked || box.pointee.hostRoots > 0 {
                externRefs[kept] = box
                kept &+= 1
            } else {
                unregister(UnsafeMutableRawPointer(box))
                Heap.destroy(box)
            }
        }
        while externRefs.count > kept { _ = externRefs.popLast() }
    }

    /// Marks the boxes whose addresses appear among `words`.
    private static func mark(_ words: UnsafePointer<UInt64>?, count: Int, boxes: borrowing FallibleHashMap<AddressKey, Bool>) {
        guard let words else { return }
        for position in 0..<count where words[position] != 0 && boxes.contains(AddressKey(address: UInt(words[position]))) {
            UnsafeMutablePointer<ExternRefBox>(bitPattern: UInt(words[position]))!.pointee.marked = true
        }
    }
}

/// A pointer-sized key for `FallibleHashMap`.
struct AddressKey: HashMapKey, BitwiseCopyable {
    var address: UInt
    var hashCode: UInt64 { UInt64(address) &* 0x9e37_79b9_7f4a_7c15 }
    func isEqual(to other: borrowing AddressKey) -> Bool { address == other.address }
}
