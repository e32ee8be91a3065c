import CSwasm

/// The runtime objects of wasm.h (`wasm_func_t`, `wasm_global_t`, `wasm_table_t`,
/// `wasm_memory_t`, `wasm_extern_t`, `wasm_instance_t`, `wasm_foreign_t`), as handed to C.
///
/// Every one starts with the same header, a `RefKind` byte and the `HostInfo` (so do
/// `ModuleReference` and `TrapReport`), so a `wasm_ref_t *` is a pointer to any of them and the
/// `wasm_*_as_ref` / `wasm_ref_as_*` conversions are pointer casts with a kind check. The four extern kinds share one layout
/// (`ExternObject`), so `wasm_func_as_extern` and `wasm_extern_as_func` return the same object.
/// Objects refer to items owned by their store; deleting an object leaves the item alone.
public enum RefKind: UInt8, BitwiseCopyable {
    case function = 0 // the extern kinds first: RefKind raw value == ExternKind raw value
    case global = 1
    case table = 2
    case memory = 3
    case tag = 4
    case instance = 16
    case foreign = 17
    case module = 18 // ModuleReference
    case trap = 19 // TrapReport (the static out-of-memory trap is recognized by its address)
    case externref = 20 // ExternRefObject

    var isExtern: Bool { rawValue <= 4 }
}

/// The common header, and the whole of a `wasm_foreign_t`.
public struct RefObject: ~Copyable {
    public let kind: RefKind
    public var hostInfo = HostInfo()
    /// Identity shared by copies (foreign objects only).
    public let identity: UInt64

    public init(kind: RefKind, identity: UInt64) {
        self.kind = kind
        self.identity = identity
    }
}

/// `wasm_func_t`, `wasm_global_t`, `wasm_table_t`, `wasm_memory_t` and `wasm_extern_t`.
public struct ExternObject: ~Copyable {
    public let kind: RefKind
    public var hostInfo = HostInfo()
    public let store: UnsafeMutablePointer<Store>
    public let value: ExternValue

    public init(store: UnsafeMutablePointer<Store>, value: ExternValue) {
        switch value {
        case .function: kind = .function
        case .global: kind = .global
        case .table: kind = .table
        case .memory: kind = .memory
        case .tag: kind = .tag
        }
        self.store = store
        self.value = value
    }

    /// The address of the item (identity for `wasm_*_same`). An instance's imported global or
    /// table has its own object pointing at the exporter's storage: the storage is the identity.
    public var address: UnsafeMutableRawPointer {
        switch value {
        case .function(let function): return UnsafeMutableRawPointer(function)
        case .global(let global): return UnsafeMutableRawPointer(global.pointee.cell)
        case .table(let table): return UnsafeMutableRawPointer(table.pointee.table)
        case .memory(let memory): return UnsafeMutableRawPointer(memory)
        case .tag(let tag): return UnsafeMutableRawPointer(tag)
        }
    }

    public static func make(_ value: ExternValue, store: UnsafeMutablePointer<Store>) -> OpaquePointer? {
        (try? Heap.create(ExternObject(store: store, value: value))).map { OpaquePointer($0) }
    }

    @inline(__always)
    public static func pointer(_ object: OpaquePointer) -> UnsafeMutablePointer<ExternObject> { UnsafeMutablePointer(object) }
}

/// `wasm_instance_t`: an instance of a store, by index.
public struct InstanceObject: ~Copyable {
    public let kind: RefKind = .instance
    public var hostInfo = HostInfo()
    public let store: UnsafeMutablePointer<Store>
    public let index: Int

    public init(store: UnsafeMutablePointer<Store>, index: Int) {
        self.store = store
        self.index = index
    }

    @inline(__always)
    public static func pointer(_ object: OpaquePointer) -> UnsafeMutablePointer<InstanceObject> { UnsafeMutablePointer(object) }
}

/// A `wasm_ref_t` for an externref value that `wasmtime_externref_new` made (an externref made
/// from a wasm.h object reads back as a copy of that object instead).
public struct ExternRefObject: ~Copyable {
    public let kind: RefKind = .externref
    public var hostInfo = HostInfo()
    public let store: UnsafeMutablePointer<Store>
    public let box: UnsafeMutablePointer<ExternRefBox>

    public init(store: UnsafeMutablePointer<Store>, box: UnsafeMutablePointer<ExternRefBox>) {
        self.store = store
        self.box = box
    }

    public static func make(store: UnsafeMutablePointer<Store>, box: UnsafeMutablePointer<ExternRefBox>) -> OpaquePointer? {
        (try? Heap.create(ExternRefObject(store: store, box: box))).map { OpaquePointer($0) }
    }

    @inline(__always)
    public static func pointer(_ object: OpaquePointer) -> UnsafeMutablePointer<ExternRefObject> { UnsafeMutablePointer(object) }
}

/// Operations on any runtime object through its header.
public enum RefObjects {
    static func isOutOfMemoryTrap(_ object: OpaquePointer) -> Bool {
        UnsafeMutableRawPointer(object) == cswasm_out_of_memory_trap_address()
    }

    public static func kind(_ object: OpaquePointer) -> RefKind {
        if isOutOfMemoryTrap(object) { return .trap }
        return UnsafeRawPointer(object).load(as: RefKind.self)
    }

    public static func header(_ object: OpaquePointer) -> UnsafeMutablePointer<RefObject> { UnsafeMutablePointer(object) }

    /// The host info of any object; the static out-of-memory trap keeps none.
    public static func hostInfo(_ object: OpaquePointer?) -> UnsafeMutableRawPointer? {
        guard let object, !isOutOfMemoryTrap(object) else { return nil }
        return header(object).pointee.hostInfo.info
    }

    /// Sets the host info; on NULL or the out-of-memory trap the finalizer runs at once.
    public static func setHostInfo(_ object: OpaquePointer?, _ info: UnsafeMutableRawPointer?, _ finalizer: HostFinalizer?) {
        guard let object, !isOutOfMemoryTrap(object) else { finalizer?(info); return }
        header(object).pointee.hostInfo.set(info, finalizer: finalizer)
    }

    public static func delete(_ object: OpaquePointer) {
        switch kind(object) {
        case .module: Heap.destroy(UnsafeMutablePointer<ModuleReference>(object))
        case .trap: TrapReport.destroy(TrapReport.Handle(object))
        case .instance: Heap.destroy(InstanceObject.pointer(object))
        case .foreign: Heap.destroy(header(object))
        case .externref: Heap.destroy(ExternRefObject.pointer(object))
        default: Heap.destroy(ExternObject.pointer(object))
        }
    }

    /// A new object for the same item, with no host info; NULL on allocation failure.
    public static func copy(_ object: OpaquePointer) -> OpaquePointer? {
        switch kind(object) {
        case .module: return makeModuleReference(UnsafeMutablePointer<ModuleReference>(object).pointee.module)
        case .trap: return OpaquePointer(TrapReport.copy(TrapReport.Handle(object)))
        case .instance:
            let source = InstanceObject.pointer(object)
            return (try? Heap.create(InstanceObject(store: source.pointee.store, index: source.pointee.index))).map { OpaquePointer($0) }
        case .foreign:
            return (try? Heap.create(RefObject(kind: .foreign, identity: header(object).pointee.identity))).map { OpaquePointer($0) }
        case .externref:
            let source = ExternRefObject.pointer(object)
            return ExternRefObject.make(store: source.pointee.store, box: source.pointee.box)
        default:
            let source = ExternObject.pointer(object)
            return ExternObject.make(source.pointee.value, store: source.pointee.store)
        }
    }

    public static func same(_ a: OpaquePointer?, _ b: OpaquePointer?) -> Bool {
        guard let a, let b else { return a == b }
        let kindA = kind(a)
        guard kindA == kind(b) else { return false }
        switch kindA {
        case .module:
            return UnsafeMutablePointer<ModuleReference>(a).pointee.module.cell == UnsafeMutablePointer<ModuleReference>(b).pointee.module.cell
        case .trap:
            return a == b
        case .instance:
            let x = InstanceObject.pointer(a), y = InstanceObject.pointer(b)
            return x.pointee.store == y.pointee.store && x.pointee.index == y.pointee.index
        case .foreign:
            return header(a).pointee.identity == header(b).pointee.identity
        case .externref:
            return ExternRefObject.pointer(a).pointee.box == ExternRefObject.pointer(b).pointee.box
        default:
            return ExternObject.pointer(a).pointee.address == ExternObject.pointer(b).pointee.address
        }
    }

    /// `object` if it is of kind `wanted`.
    public static func cast(_ object: OpaquePointer?, to wanted: RefKind) -> OpaquePointer? {
        guard let object, kind(object) == wanted else { return nil }
        return object
    }

    /// `object` if it is a function, global, table or memory.
    public static func castExtern(_ object: OpaquePointer?) -> OpaquePointer? {
        guard let object, kind(object).isExtern else { return nil }
        return object
    }
}
