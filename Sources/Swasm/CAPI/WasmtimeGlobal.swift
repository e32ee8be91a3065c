// wasmtime/global.h
import CSwasm

@_cdecl("wasmtime_global_new")
public func wasmtime_global_new(_ context: OpaquePointer?, _ type: OpaquePointer?, _ value: UnsafePointer<wasmtime_val_t>?,
                                _ out: UnsafeMutablePointer<wasmtime_global_t>?) -> OpaquePointer? {
    guard let context, let type, let value, let out else {
        return OpaquePointer(ErrorReport.make(.invalidArgument, "wasmtime_global_new: arguments must not be NULL"))
    }
    let globalType = GlobalTypeObject.type(type)
    let store = storePointer(context)
    let (words, rejected) = ValueSlots.admit(value, as: globalType.content, in: store,
                                             context: "type mismatch: initial value provided does not match the type of this global")
    if let rejected { return rejected }
    do throws(SwasmError) {
        let global = try HostGlobal.create(globalType, value: words)
        try store.pointee.adoptHostGlobal(global)
        var item = wasmtime_extern_t()
        ExternHandles.make(.global(withUnsafeMutablePointer(to: &global.pointee.object) { $0 }), store: store, into: &item)
        out.pointee = item.of.global
        return nil
    } catch {
        return OpaquePointer(ErrorReport.make(error, "failed to create the global"))
    }
}

@_cdecl("wasmtime_global_type")
public func wasmtime_global_type(_ context: OpaquePointer?, _ global: UnsafePointer<wasmtime_global_t>?) -> OpaquePointer? {
    guard let (_, object) = ExternHandles.global(global, in: context) else { return nil }
    return try? GlobalTypeObject.make(object.pointee.type)
}

@_cdecl("wasmtime_global_get")
public func wasmtime_global_get(_ context: OpaquePointer?, _ global: UnsafePointer<wasmtime_global_t>?, _ out: UnsafeMutablePointer<wasmtime_val_t>?) {
    guard let out, let (store, object) = ExternHandles.global(global, in: context) else { return }
    ValueSlots.read(object.pointee.cell, type: object.pointee.type.content, into: out, storeID: store.pointee.id)
}

@_cdecl("wasmtime_global_set")
public func wasmtime_global_set(_ context: OpaquePointer?, _ global: UnsafePointer<wasmtime_global_t>?, _ value: UnsafePointer<wasmtime_val_t>?) -> OpaquePointer? {
    guard let value, let (store, object) = ExternHandles.global(global, in: context) else {
        return OpaquePointer(ErrorReport.make(.invalidArgument, "wasmtime_global_set: the store, a global of that store and the value are required"))
    }
    guard object.pointee.type.isMutable else { return OpaquePointer(ErrorReport.make(.invalidArgument, "immutable global cannot be set")) }
    let (words, rejected) = ValueSlots.admit(value, as: object.pointee.type.content, in: store,
                                             context: "type mismatch: attempt to set global to value of wrong type")
    if let rejected { return rejected }
    object.pointee.cell[0] = words.0
    if object.pointee.type.content == .v128 { object.pointee.cell[1] = words.1 }
    return nil
}
