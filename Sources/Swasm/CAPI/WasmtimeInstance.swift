// wasmtime/instance.h: instantiation and exports.
import CSwasm

/// Hands a WebAssembly trap, with the store's backtrace, to the caller's out-parameter; without
/// one (NULL), the trap comes back as the function's error instead of being lost.
func trapOutParameter(_ trap: UnsafeMutablePointer<OpaquePointer?>?, _ code: TrapCode, _ store: UnsafeMutablePointer<Store>) -> OpaquePointer? {
    let report = TrapReport.make(code, backtraceOf: store)
    if let trap {
        trap.pointee = OpaquePointer(report)
        return nil
    }
    return OpaquePointer(ErrorReport.converting(report, kind: .trap))
}

@_cdecl("wasmtime_instance_new")
public func wasmtime_instance_new(_ context: OpaquePointer?, _ module: OpaquePointer?, _ imports: UnsafePointer<wasmtime_extern_t>?, _ importCount: Int,
                                  _ out: UnsafeMutablePointer<wasmtime_instance_t>?, _ trap: UnsafeMutablePointer<OpaquePointer?>?) -> OpaquePointer? {
    trap?.pointee = nil
    guard let context, let module, let out, imports != nil || importCount == 0 else {
        return OpaquePointer(ErrorReport.make(.invalidArgument, "wasmtime_instance_new: store, module, imports and result must not be NULL"))
    }
    let store = storePointer(context)
    let compiled = ModuleHandle.from(module)
    guard compiled.pointer.pointee.engine.cell == store.pointee.engine.cell else {
        return OpaquePointer(ErrorReport.make(.invalidArgument, "cross-`Engine` instantiation is not currently supported"))
    }
    let expected = compiled.pointer.pointee.description.imports.count
    guard importCount == expected else {
        return OpaquePointer(ErrorReport.make(.unlinkable) { (text: inout ByteBuffer) throws(SwasmError) in
            try text.append("expected ")
            try text.appendDecimal(UInt64(expected))
            try text.append(" imports, found ")
            try text.appendDecimal(UInt64(UInt(bitPattern: importCount)))
        })
    }
    // The imports' conversion is part of the store's work: from its pool, if its engine has one.
    let scope = store.pointee.enterPool()
    defer { Store.leavePool(scope) }
    var values = FallibleVector<ExternValue>()
    do throws(SwasmError) {
        try values.reserve(max(importCount, 1))
        for index in 0..<importCount {
            guard let value = ExternHandles.resolve(imports!.advanced(by: index), in: store) else {
                // Every kind of handle starts with its store's id.
                if imports![index].of.func.store_id != store.pointee.id {
                    return OpaquePointer(ErrorReport.make(.invalidArgument, "cross-`Store` instantiation is not currently supported"))
                }
                return OpaquePointer(ErrorReport.make(.invalidArgument, "import belongs to another store or is not a valid item"))
            }
            try values.append(value)
        }
    } catch {
        return OpaquePointer(ErrorReport.outOfMemory)
    }
    return instantiate(store, compiled, imports: UnsafePointer(values.base), out: out, trap: trap)
}

/// Instantiates with resolved imports and reports the outcome as the C API does.
func instantiate(_ store: UnsafeMutablePointer<Store>, _ module: Shared<CompiledModule>, imports: UnsafePointer<ExternValue>?,
                 out: UnsafeMutablePointer<wasmtime_instance_t>, trap: UnsafeMutablePointer<OpaquePointer?>?) -> OpaquePointer? {
    var diagnostic = Diagnostic()
    do throws(SwasmError) {
        var index = 0
        let outcome = try store.pointee.instantiate(module, imports: imports, index: &index, diagnostic: &diagnostic)
        out.pointee = wasmtime_instance_t(store_id: store.pointee.id, __private: index)
        return report(outcome, store, trap)
    } catch {
        return OpaquePointer(ErrorReport.make(error, diagnostic, fallback: "instantiation failed"))
    }
}

@_cdecl("wasmtime_instance_export_get")
public func wasmtime_instance_export_get(_ context: OpaquePointer?, _ instance: UnsafePointer<wasmtime_instance_t>?,
                                         _ name: UnsafePointer<CChar>?, _ nameLength: Int,
                                         _ item: UnsafeMutablePointer<wasmtime_extern_t>?) -> Bool {
    guard let context, let instance, let item, name != nil || nameLength == 0 else { return false }
    let store = storePointer(context)
    guard instance.pointee.store_id == store.pointee.id, instance.pointee.__private >= 0, instance.pointee.__private < store.pointee.instances.count else { return false }
    return ExternHandles.export(of: store.pointee.instances[instance.pointee.__private], named: name, length: nameLength, store: store, into: item)
}

@_cdecl("wasmtime_instance_export_nth")
public func wasmtime_instance_export_nth(_ context: OpaquePointer?, _ instance: UnsafePointer<wasmtime_instance_t>?, _ index: Int,
                                         _ name: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?, _ nameLength: UnsafeMutablePointer<Int>?,
                                         _ item: UnsafeMutablePointer<wasmtime_extern_t>?) -> Bool {
    guard let context, let instance, let item else { return false }
    let store = storePointer(context)
    guard instance.pointee.store_id == store.pointee.id, instance.pointee.__private >= 0, instance.pointee.__private < store.pointee.instances.count else { return false }
    let target = store.pointee.instances[instance.pointee.__private]
    let description = withUnsafeMutablePointer(to: &target.pointee.module.pointer.pointee.description) { UnsafePointer($0) }
    guard index >= 0, index < description.pointee.exports.count, let value = target.pointee.exportValue(index) else { return false }
    // The name stays valid as long as the module does (the instance holds it).
    let export = description.pointee.exports.base!.advanced(by: index)
    // An empty name is a valid pointer with length 0, as in wasmtime.
    let empty: StaticString = ""
    name?.pointee = export.pointee.name.bytes.map { UnsafeMutableRawPointer($0).assumingMemoryBound(to: CChar.self) }
        ?? UnsafeMutableRawPointer(mutating: UnsafeRawPointer(empty.utf8Start)).assumingMemoryBound(to: CChar.self)
    nameLength?.pointee = export.pointee.name.count
    return ExternHandles.make(value, store: store, into: item)
}

@_cdecl("wasmtime_extern_type")
public func wasmtime_extern_type(_ context: OpaquePointer?, _ item: UnsafePointer<wasmtime_extern_t>?) -> OpaquePointer? {
    guard let context, let item, let value = ExternHandles.resolve(item, in: storePointer(context)) else { return nil }
    switch value {
    case .function(let function):
        return try? ModuleTypeObjects.makeFunctionType(of: function)
    case .global(let global):
        return try? GlobalTypeObject.make(global.pointee.type)
    case .table(let table):
        let type = table.pointee.type
        return try? TableTypeObject.make(type)
    case .memory(let memory):
        let type = memory.pointee.type
        return try? MemoryTypeObject.make(type)
    case .tag(let tag):
        return TagTypeObject.make(describing: tag)
    }
}

/// Conversions between runtime items and `wasmtime_extern_t` handles. Handles carry the store's
/// id and the item's address (split over two 32-bit fields where the layout asks for it).
enum ExternHandles {
    static func split(_ pointer: UnsafeMutableRawPointer) -> (UInt32, UInt32) {
        let bits = UInt(bitPattern: pointer)
        return (UInt32(truncatingIfNeeded: bits), UInt32(truncatingIfNeeded: bits >> 32))
    }

    static func join(_ low: UInt32, _ high: UInt32) -> UnsafeMutableRawPointer? {
        UnsafeMutableRawPointer(bitPattern: UInt(low) | UInt(high) << 32)
    }

    /// Writes the handle of `value`; false only when a shared memory's handle (the host's own
    /// object) cannot be allocated.
    @discardableResult
    static func make(_ value: ExternValue, store: UnsafeMutablePointer<Store>, into item: UnsafeMutablePointer<wasmtime_extern_t>) -> Bool {
        let id = store.pointee.id
        switch value {
        case .function(let function):
            item.pointee.kind = UInt8(WASMTIME_EXTERN_FUNC)
            item.pointee.of.func = wasmtime_func_t(store_id: id, __private: UnsafeMutableRawPointer(function))
        case .global(let global):
            let (low, high) = split(UnsafeMutableRawPointer(global))
            item.pointee.kind = UInt8(WASMTIME_EXTERN_GLOBAL)
            item.pointee.of.global = wasmtime_global_t(store_id: id, __private1: low, __private2: high, __private3: 0)
        case .table(let table):
            let (low, high) = split(UnsafeMutableRawPointer(table))
            item.pointee.kind = UInt8(WASMTIME_EXTERN_TABLE)
            item.pointee.of.table.store_id = id
            item.pointee.of.table.__private1 = low
            item.pointee.of.table.__private2 = high
        case .memory(let memory) where memory.pointee.type.isShared:
            // A shared memory leaves as a handle of its own, which the host deletes.
            guard let handle = SharedMemoryHandle.make(memory) else { return false }
            item.pointee.kind = UInt8(WASMTIME_EXTERN_SHAREDMEMORY)
            item.pointee.of.sharedmemory = handle
        case .memory(let memory):
            let (low, high) = split(UnsafeMutableRawPointer(memory))
            item.pointee.kind = UInt8(WASMTIME_EXTERN_MEMORY)
            item.pointee.of.memory.store_id = id
            item.pointee.of.memory.__private1 = low
            item.pointee.of.memory.__private2 = high
        case .tag(let tag):
            let (low, high) = split(UnsafeMutableRawPointer(tag))
            item.pointee.kind = UInt8(WASMTIME_EXTERN_TAG)
            item.pointee.of.tag.store_id = id
            item.pointee.of.tag.__private1 = low
            item.pointee.of.tag.__private2 = high
        }
        return true
    }

    /// The item a handle names, if it belongs to `store`.
    static func resolve(_ item: UnsafePointer<wasmtime_extern_t>, in store: UnsafeMutablePointer<Store>) -> ExternValue? {
        let id = store.pointee.id
        switch Int32(item.pointee.kind) {
        case WASMTIME_EXTERN_FUNC:
            guard item.pointee.of.func.store_id == id, let raw = item.pointee.of.func.__private,
                  store.pointee.isLive(raw, LiveObjectKind.function) else { return nil }
            return .function(raw.assumingMemoryBound(to: swasm_function.self))
        case WASMTIME_EXTERN_GLOBAL:
            guard item.pointee.of.global.store_id == id, let global = withUnsafePointer(to: item.pointee.of.global, { global($0) }),
                  store.pointee.isLive(global, LiveObjectKind.global) else { return nil }
            return .global(global)
        case WASMTIME_EXTERN_TABLE:
            guard item.pointee.of.table.store_id == id, let table = withUnsafePointer(to: item.pointee.of.table, { table($0) }),
                  store.pointee.isLive(table, LiveObjectKind.table) else { return nil }
            return .table(table)
        case WASMTIME_EXTERN_MEMORY:
            guard item.pointee.of.memory.store_id == id, let memory = withUnsafePointer(to: item.pointee.of.memory, { memory($0) }),
                  store.pointee.isLive(memory, LiveObjectKind.memory) else { return nil }
            return .memory(memory)
        case WASMTIME_EXTERN_SHAREDMEMORY:
            return SharedMemoryHandle.memory(item.pointee.of.sharedmemory).map { .memory($0) }
        case WASMTIME_EXTERN_TAG:
            guard item.pointee.of.tag.store_id == id, let raw = join(item.pointee.of.tag.__private1, item.pointee.of.tag.__private2),
                  store.pointee.isLive(raw, LiveObjectKind.tag) else { return nil }
            return .tag(raw.assumingMemoryBound(to: TagInstance.self))
        default:
            return nil
        }
    }

    static func export(of instance: UnsafeMutablePointer<Instance>, named name: UnsafePointer<CChar>?, length: Int,
                       store: UnsafeMutablePointer<Store>, into item: UnsafeMutablePointer<wasmtime_extern_t>) -> Bool {
        let description = withUnsafeMutablePointer(to: &instance.pointee.module.pointer.pointee.description) { UnsafePointer($0) }
        for index in 0..<description.pointee.exports.count {
            let export = description.pointee.exports.base!.advanced(by: index)
            guard export.pointee.name.equals(name, count: length), let value = instance.pointee.exportValue(index) else { continue }
            return make(value, store: store, into: item)
        }
        return false
    }

    static func memory(_ handle: UnsafePointer<wasmtime_memory_t>) -> UnsafeMutablePointer<LinearMemory>? {
        join(handle.pointee.__private1, handle.pointee.__private2)?.assumingMemoryBound(to: LinearMemory.self)
    }

    static func global(_ handle: UnsafePointer<wasmtime_global_t>) -> UnsafeMutablePointer<GlobalObject>? {
        join(handle.pointee.__private1, handle.pointee.__private2)?.assumingMemoryBound(to: GlobalObject.self)
    }

    static func table(_ handle: UnsafePointer<wasmtime_table_t>) -> UnsafeMutablePointer<TableObject>? {
        join(handle.pointee.__private1, handle.pointee.__private2)?.assumingMemoryBound(to: TableObject.self)
    }

    /// The store of `context` and the table `handle` names, when both are given and the handle
    /// belongs to that store (a handle of another store, live or deleted, is refused).
    static func table(_ handle: UnsafePointer<wasmtime_table_t>?, in context: OpaquePointer?) -> (UnsafeMutablePointer<Store>, UnsafeMutablePointer<TableObject>)? {
        guard let handle, let context, handle.pointee.store_id == storePointer(context).pointee.id, let object = table(handle),
              storePointer(context).pointee.isLive(object, LiveObjectKind.table) else { return nil }
        return (storePointer(context), object)
    }

    static func global(_ handle: UnsafePointer<wasmtime_global_t>?, in context: OpaquePointer?) -> (UnsafeMutablePointer<Store>, UnsafeMutablePointer<GlobalObject>)? {
        guard let handle, let context, handle.pointee.store_id == storePointer(context).pointee.id, let object = global(handle),
              storePointer(context).pointee.isLive(object, LiveObjectKind.global) else { return nil }
        return (storePointer(context), object)
    }

    static func memory(_ handle: UnsafePointer<wasmtime_memory_t>?, in context: OpaquePointer?) -> (UnsafeMutablePointer<Store>, UnsafeMutablePointer<LinearMemory>)? {
        guard let handle, let context, handle.pointee.store_id == storePointer(context).pointee.id, let object = memory(handle),
              storePointer(context).pointee.isLive(object, LiveObjectKind.memory) else { return nil }
        return (storePointer(context), object)
    }

    /// The function record a handle names, if it is a live function of `context`'s store.
    static func function(_ handle: UnsafePointer<wasmtime_func_t>?, in context: OpaquePointer?) -> (UnsafeMutablePointer<Store>, UnsafeMutablePointer<swasm_function>)? {
        guard let handle, let context, handle.pointee.store_id == storePointer(context).pointee.id, let raw = handle.pointee.__private,
              storePointer(context).pointee.isLive(raw, LiveObjectKind.function) else { return nil }
        return (storePointer(context), raw.assumingMemoryBound(to: swasm_function.self))
    }
}

/// Items returned by the library live in their store, so deleting one does nothing, except a
/// shared memory, whose handle is the host's own share.
@_cdecl("wasmtime_extern_delete")
public func wasmtime_extern_delete(_ item: UnsafeMutablePointer<wasmtime_extern_t>?) {
    guard let item, Int32(item.pointee.kind) == WASMTIME_EXTERN_SHAREDMEMORY, let handle = item.pointee.of.sharedmemory else { return }
    SharedMemoryHandle.delete(handle)
    item.pointee.of.sharedmemory = nil
}
