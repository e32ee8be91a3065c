// wasmtime/store.h. `wasmtime_store_t *` and `wasmtime_context_t *` point at the same `Store`.

import CSwasm

@inline(__always)
func storePointer(_ pointer: OpaquePointer) -> UnsafeMutablePointer<Store> { UnsafeMutablePointer(pointer) }

@_cdecl("wasmtime_store_new")
public func wasmtime_store_new(_ engine: OpaquePointer?, _ data: UnsafeMutableRawPointer?, _ finalizer: HostFinalizer?) -> OpaquePointer? {
    guard let engine else { return nil }
    return (try? Store.create(engine: EngineHandle.from(engine), hostData: data, hostFinalizer: finalizer)).map { OpaquePointer($0) }
}

@_cdecl("wasmtime_store_context")
public func wasmtime_store_context(_ store: OpaquePointer?) -> OpaquePointer? { store }

@_cdecl("wasmtime_store_delete")
public func wasmtime_store_delete(_ store: OpaquePointer?) {
    guard let store else { return }
    Heap.destroy(storePointer(store))
}

@_cdecl("wasmtime_store_limiter")
public func wasmtime_store_limiter(_ store: OpaquePointer?, _ memorySize: Int64, _ tableElements: Int64,
                                   _ instances: Int64, _ tables: Int64, _ memories: Int64) {
    guard let store else { return }
    var limits = StoreLimits()
    if memorySize >= 0 { limits.memorySize = UInt64(memorySize) }
    if tableElements >= 0 { limits.tableElements = UInt64(tableElements) }
    if instances >= 0 { limits.instances = UInt64(instances) }
    if tables >= 0 { limits.tables = UInt64(tables) }
    if memories >= 0 { limits.memories = UInt64(memories) }
    limits.totalBytes = storePointer(store).pointee.limits.totalBytes
    storePointer(store).pointee.limits = limits
}

@_cdecl("swasm_store_limiter_total")
public func swasm_store_limiter_total(_ store: OpaquePointer?, _ totalBytes: Int64) {
    guard let store else { return }
    storePointer(store).pointee.limits.totalBytes = totalBytes >= 0 ? UInt64(totalBytes) : nil
}

@_cdecl("swasm_context_usage")
public func swasm_context_usage(_ context: OpaquePointer?, _ out: UnsafeMutablePointer<swasm_store_usage_t>?) -> Bool {
    guard let context, let out else { return false }
    let usage = storePointer(context).pointee.usage
    out.pointee = swasm_store_usage_t(instances: usage.instances, host_objects: usage.hostObjects, stacks: usage.stacks,
                                      tables: usage.tables, memories: usage.memories, gc_heap: usage.gcHeap, total: usage.total)
    return true
}

@_cdecl("wasmtime_context_get_data")
public func wasmtime_context_get_data(_ context: OpaquePointer?) -> UnsafeMutableRawPointer? {
    context.flatMap { storePointer($0).pointee.hostData }
}

@_cdecl("wasmtime_context_set_data")
public func wasmtime_context_set_data(_ context: OpaquePointer?, _ data: UnsafeMutableRawPointer?) {
    guard let context else { return }
    storePointer(context).pointee.hostData = data
}

@_cdecl("wasmtime_context_set_fuel")
public func wasmtime_context_set_fuel(_ context: OpaquePointer?, _ fuel: UInt64) -> OpaquePointer? {
    guard let context else { return OpaquePointer(ErrorReport.make(.invalidArgument, "wasmtime_context_set_fuel: context is NULL")) }
    do throws(SwasmError) {
        try storePointer(context).pointee.setFuel(fuel)
        return nil
    } catch {
        return OpaquePointer(ErrorReport.make(error, "fuel is not configured in this store"))
    }
}

@_cdecl("wasmtime_context_get_fuel")
public func wasmtime_context_get_fuel(_ context: OpaquePointer?, _ fuel: UnsafeMutablePointer<UInt64>?) -> OpaquePointer? {
    guard let context, let fuel else {
        return OpaquePointer(ErrorReport.make(.invalidArgument, "wasmtime_context_get_fuel: context and fuel must not be NULL"))
    }
    do throws(SwasmError) {
        fuel.pointee = try storePointer(context).pointee.getFuel()
        return nil
    } catch {
        return OpaquePointer(ErrorReport.make(error, "fuel is not configured in this store"))
    }
}

@_cdecl("wasmtime_context_set_epoch_deadline")
public func wasmtime_context_set_epoch_deadline(_ context: OpaquePointer?, _ ticksBeyondCurrent: UInt64) {
    guard let context else { return }
    storePointer(context).pointee.setEpochDeadline(ticksBeyondCurrent: ticksBeyondCurrent)
}

@_cdecl("wasmtime_store_epoch_deadline_callback")
public func wasmtime_store_epoch_deadline_callback(_ store: OpaquePointer?, _ callback: EpochDeadlineCallback?,
                                                   _ data: UnsafeMutableRawPointer?, _ finalizer: HostFinalizer?) {
    guard let store else { finalizer?(data); return }
    storePointer(store).pointee.setEpochCallback(callback, data: data, finalizer: finalizer)
}
