// wasmtime/global.h
import CSwasm

@_cdecl("wasmtime_global_new")
public func wasmtime_global_new(_ context: OpaquePointer?, _ type: OpaquePointer?, _ value: UnsafePointer<wasmtime_val_t>?,
                                _ out: UnsafeMutablePointer<wasmtime_global_t>?) -> OpaquePointer? {
    guard let context, let type, let value, let out else {
        return OpaquePointer(ErrorReport.make(.invalidArgument, "wasmtime_global_new: arguments must not be NULL"))
    }
    let globalType = GlobalTypeObject.type(type)
    guard value.pointee.kind == globalType.content.wasmtimeKind else {
        return OpaquePointer(ErrorReport.make(.invalidArgument, "global value does not match the global's type"))
    }
    let store = storePointer(context)
    var words: (UInt64, UInt64) = (0, 0)
    withUnsafeMutablePointer(to: &words) { ValueSlots.write(value, type: globalType.content, to: UnsafeMutableRawPointer($0).assumingMemoryBound(to: UInt64.self)) }
    do throws(SwasmError) {
        let global = try HostGlobal.create(globalType, value: words)
        try store.pointee.adopt(global, into: &store.pointee.hostGlobals)
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
    guard let global, let object = ExternHandles.global(global) else { return nil }
    return try? GlobalTypeObject.make(object.pointee.type)
}

@_cdecl("wasmtime_global_get")
public func wasmtime_global_get(_ context: OpaquePointer?, _ global: UnsafePointer<wasmtime_global_t>?, _ out: UnsafeMutablePointer<wasmtime_val_t>?) {
    guard let context, let global, let out, let object = ExternHandles.global(global) else { return }
    ValueSlots.read(object.pointee.cell, type: object.pointee.type.content, into: out, storeID: storePointer(context).pointee.id)
}

@_cdecl("wasmtime_global_set")
public func wasmtime_global_set(_ context: OpaquePointer?, _ global: UnsafePointer<wasmtime_global_t>?, _ value: UnsafePointer<wasmtime_val_t>?) -> OpaquePointer? {
    guard let global, let value, let object = ExternHandles.global(global) else {
        return OpaquePointer(ErrorReport.make(.invalidArgument, "wasmtime_global_set: arguments must not be NULL"))
    }
    guard object.pointee.type.isMutable else { return OpaquePointer(ErrorReport.make(.invalidArgument, "immutable global cannot be set")) }
    guard value.pointee.kind == object.pointee.type.content.wasmtimeKind else {
        return OpaquePointer(ErrorReport.make(.invalidArgument, "global value does not match the global's type"))
    }
    ValueSlots.write(value, type: object.pointee.type.content, to: object.pointee.cell)
    return nil
}
