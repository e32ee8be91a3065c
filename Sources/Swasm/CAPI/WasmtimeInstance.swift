// wasmtime/instance.h: instantiation and exports.
import CSwasm

/// The out-of-memory error or trap outcome of a runtime call, as the C API reports it.
func trapOutParameter(_ trap: UnsafeMutablePointer<OpaquePointer?>?, _ code: TrapCode) {
    let report = TrapReport.make(code)
    if let trap { trap.pointee = OpaquePointer(report) } else { TrapReport.destroy(report) }
}

@_cdecl("wasmtime_instance_new")
public func wasmtime_instance_new(_ context: OpaquePointer?, _ module: OpaquePointer?, _ imports: UnsafeRawPointer?, _ importCount: Int,
                                  _ out: UnsafeMutablePointer<wasmtime_instance_t>?, _ trap: UnsafeMutablePointer<OpaquePointer?>?) -> OpaquePointer? {
    trap?.pointee = nil
    guard let context, let module, let out else {
        return OpaquePointer(ErrorReport.make(.invalidArgument, "wasmtime_instance_new: store, module and result must not be NULL"))
    }
    let store = storePointer(context)
    let compiled = ModuleHandle.from(module)
    guard compiled.pointer.pointee.engine.cell == store.pointee.engine.cell else {
        return OpaquePointer(ErrorReport.make(.invalidArgument, "cross-`Engine` instantiation is not currently supported"))
    }
    guard importCount == compiled.pointer.pointee.description.imports.count else {
        return OpaquePointer(ErrorReport.make(.unlinkable) { (text: inout ByteBuffer) throws(SwasmError) in
            try text.append("expected ")
            try text.appendDecimal(UInt64(compiled.pointer.pointee.description.imports.count))
            try text.append(" imports, found ")
            try text.appendDecimal(UInt64(importCount))
        })
    }
    var diagnostic = Diagnostic()
    do throws(SwasmError) {
        let (index, trapCode) = try store.pointee.instantiate(compiled, diagnostic: &diagnostic)
        out.pointee = wasmtime_instance_t(store_id: store.pointee.id, __private: index)
        if let trapCode {
            trapOutParameter(trap, trapCode)
        }
        return nil
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
    guard instance.pointee.store_id == store.pointee.id, instance.pointee.__private < store.pointee.instances.count else { return false }
    let target = store.pointee.instances[instance.pointee.__private]
    let description = withUnsafeMutablePointer(to: &target.pointee.module.pointer.pointee.description) { UnsafePointer($0) }
    for index in 0..<description.pointee.exports.count {
        let export = description.pointee.exports.base!.advanced(by: index)
        guard export.pointee.name.equals(name, count: nameLength) else { continue }
        return ExternHandles.make(export.pointee.kind, index: Int(export.pointee.index), of: target, in: store, into: item)
    }
    return false
}

/// Conversions between instance items and `wasmtime_extern_t` handles.
enum ExternHandles {
    static func make(_ kind: ExternKind, index: Int, of instance: UnsafeMutablePointer<Instance>, in store: UnsafeMutablePointer<Store>,
                     into item: UnsafeMutablePointer<wasmtime_extern_t>) -> Bool {
        switch kind {
        case .function:
            guard let function = instance.pointee.functionTable[index] else { return false }
            item.pointee.kind = UInt8(WASMTIME_EXTERN_FUNC)
            item.pointee.of.func = wasmtime_func_t(store_id: store.pointee.id, __private: UnsafeMutableRawPointer(function))
            return true
        case .memory:
            guard index == 0, let memory = instance.pointee.memory else { return false }
            item.pointee.kind = UInt8(WASMTIME_EXTERN_MEMORY)
            item.pointee.of.memory.store_id = store.pointee.id
            item.pointee.of.memory.__private1 = UInt32(truncatingIfNeeded: UInt(bitPattern: memory))
            item.pointee.of.memory.__private2 = UInt32(truncatingIfNeeded: UInt(bitPattern: memory) >> 32)
            return true
        default:
            return false // globals and tables come with the runtime issue
        }
    }

    static func memory(_ handle: UnsafePointer<wasmtime_memory_t>) -> UnsafeMutablePointer<LinearMemory>? {
        let bits = UInt(handle.pointee.__private1) | UInt(handle.pointee.__private2) << 32
        return UnsafeMutablePointer(bitPattern: bits)
    }
}
