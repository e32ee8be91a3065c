import CSwasm

/// A global as the API sees it: its two-word cell and its type. Instances keep one per global
/// (imported ones point at their exporter's cell); globals made by the host live in the store.
public struct GlobalObject: BitwiseCopyable {
    public var cell: UnsafeMutablePointer<UInt64>
    public var type: GlobalType
}

/// A table as the API sees it.
public struct TableObject: BitwiseCopyable {
    public var table: UnsafeMutablePointer<swasm_table>
    public var type: TableType
}

/// An item an instance can import.
public enum ExternValue {
    case function(UnsafeMutablePointer<swasm_function>)
    case global(UnsafeMutablePointer<GlobalObject>)
    case table(UnsafeMutablePointer<TableObject>)
    case memory(UnsafeMutablePointer<LinearMemory>)
    case tag(UnsafeMutablePointer<TagInstance>)
}

/// A global created by the host (`wasmtime_global_new`), owned by its store.
public struct HostGlobal: ~Copyable {
    public var object: GlobalObject

    deinit { Heap.free(object.cell) }

    static func create(_ type: GlobalType, value: (UInt64, UInt64)) throws(SwasmError) -> UnsafeMutablePointer<HostGlobal> {
        let cell = try Heap.allocateZeroed(UInt64.self, count: 2)
        cell[0] = value.0
        cell[1] = value.1
        do {
            return try Heap.emplace { HostGlobal(object: GlobalObject(cell: cell, type: type)) }
        } catch {
            Heap.free(cell)
            throw error
        }
    }
}

/// A table created by the host (`wasmtime_table_new`), owned by its store.
public struct HostTable: ~Copyable {
    public var object: TableObject

    deinit {
        Heap.free(object.table.pointee.elements)
        Heap.free(object.table)
    }

    static func create(_ type: TableType, initial: UInt64) throws(SwasmError) -> UnsafeMutablePointer<HostTable> {
        guard type.limits.minimum <= UInt64(UInt32.max) else { throw .limitExceeded }
        let size = Int(type.limits.minimum)
        // Heap.allocate checks the size for overflow and throws .outOfMemory on failure; never aborts.
        let elements: UnsafeMutablePointer<UInt64>? = size > 0 ? try Heap.allocate(UInt64.self, count: size) : nil
        elements?.update(repeating: initial, count: size)
        let table: UnsafeMutablePointer<swasm_table>
        do {
            table = try Heap.create(swasm_table(elements: elements, size: UInt64(size), maximum: type.limits.maximum ?? UInt64.max))
        } catch {
            Heap.free(elements)
            throw error
        }
        do {
            return try Heap.emplace { HostTable(object: TableObject(table: table, type: type)) }
        } catch {
            Heap.free(elements)
            Heap.free(table)
            throw error
        }
    }
}

/// Host data behind an `externref`, owned by its store; the finalizer runs when the store goes.
/// A box the host still holds handles of when its store goes is detached: its data is finalized
/// then, and the box itself is freed when the last handle is unrooted (a handle may outlive its
/// store, and unrooting it must not touch freed memory).
public struct ExternRefBox: ~Copyable {
    public let data: UnsafeMutableRawPointer?
    var finalizer: HostFinalizer?
    /// `data` is a wasm.h reference object (`wasm_ref_t *`) that the box owns: the externref was
    /// made from that object, and reads back as a copy of it.
    public var holdsWasmReference = false
    /// Its number in `wasmtime_val_raw_t.externref` (never 0, which is null), given by its store.
    public var rawID: UInt32 = 0
    /// `wasmtime_externref_t`s and wasm.h objects the host holds for it; while any is held, a
    /// collection (`wasmtime_context_gc`) keeps it.
    public var hostRoots = 0
    var marked = false
    /// Its store is gone (see above).
    public private(set) var detached = false

    deinit { finalizer?(data) }

    /// Finalizes the data as the store goes, leaving the box to its remaining handles.
    mutating func detach() {
        finalizer?(data)
        finalizer = nil
        detached = true
    }

    /// Releases one host handle; a detached box goes with its last one.
    public static func unroot(_ box: UnsafeMutablePointer<ExternRefBox>) {
        if box.pointee.hostRoots > 0 { box.pointee.hostRoots &-= 1 }
        if box.pointee.detached && box.pointee.hostRoots == 0 { Heap.destroy(box) }
    }
}

/// Host data shared by a linker's function definition and every store function made from it:
/// finalized when the last of them goes (the linker may be deleted before the stores).
public struct HostEnvironment: ~Copyable {
    public let data: UnsafeMutableRawPointer?
    let finalizer: HostFinalizer?

    public init(data: UnsafeMutableRawPointer?, finalizer: HostFinalizer?) {
        self.data = data
        self.finalizer = finalizer
    }

    deinit { finalizer?(data) }
}
