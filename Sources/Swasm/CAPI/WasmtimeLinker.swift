// wasmtime/linker.h: conversion between the C API and the runtime's `Linker`
// (Runtime/Linker.swift, Runtime/CommandModules.swift).
import CSwasm

@inline(__always)
func linkerPointer(_ pointer: OpaquePointer) -> UnsafeMutablePointer<Linker> { UnsafeMutablePointer(pointer) }

@inline(__always)
func instancePrePointer(_ pointer: OpaquePointer) -> UnsafeMutablePointer<InstancePre> { UnsafeMutablePointer(pointer) }

/// wasmtime's error for a name that is not valid UTF-8.
func invalidNameError() -> OpaquePointer { OpaquePointer(ErrorReport.make(.invalidArgument, "input was not valid utf-8")) }

/// Whether the host's name is valid UTF-8 (wasmtime refuses others).
func isValidName(_ name: UnsafePointer<CChar>?, _ length: Int) -> Bool {
    (try? Linker.checkName(UnsafeRawPointer(name), length)) != nil
}

/// A linker operation's failure as an error: wasmtime's message for a name that is not UTF-8,
/// the diagnostic's message, or `fallback`.
func linkerError(_ error: SwasmError, _ diagnostic: consuming Diagnostic, fallback: StaticString) -> OpaquePointer {
    if error == .malformed { return invalidNameError() }
    return OpaquePointer(ErrorReport.make(error, diagnostic, fallback: fallback))
}

@_cdecl("wasmtime_linker_new")
public func wasmtime_linker_new(_ engine: OpaquePointer?) -> OpaquePointer? {
    guard let engine else { return nil }
    return (try? Heap.emplace { Linker(engine: EngineHandle.from(engine)) }).map { OpaquePointer($0) }
}

@_cdecl("wasmtime_linker_delete")
public func wasmtime_linker_delete(_ linker: OpaquePointer?) {
    linker.map { Heap.destroy(linkerPointer($0)) }
}

@_cdecl("wasmtime_linker_allow_shadowing")
public func wasmtime_linker_allow_shadowing(_ linker: OpaquePointer?, _ allow: Bool) {
    linker.map { linkerPointer($0).pointee.allowShadowing = allow }
}

@_cdecl("wasmtime_linker_define")
public func wasmtime_linker_define(_ linker: OpaquePointer?, _ context: OpaquePointer?, _ module: UnsafePointer<CChar>?, _ moduleLength: Int,
                                   _ name: UnsafePointer<CChar>?, _ nameLength: Int, _ item: UnsafePointer<wasmtime_extern_t>?) -> OpaquePointer? {
    guard let linker, let context, let item else {
        return OpaquePointer(ErrorReport.make(.invalidArgument, "wasmtime_linker_define: arguments must not be NULL"))
    }
    let store = storePointer(context)
    guard let value = ExternHandles.resolve(item, in: store) else {
        return OpaquePointer(ErrorReport.make(.invalidArgument, "item belongs to another store or is not a valid item"))
    }
    var diagnostic = Diagnostic()
    do throws(SwasmError) {
        if case .memory(let memory) = value, memory.pointee.type.isShared {
            try linkerPointer(linker).pointee.define(module: module, moduleLength, name: name, nameLength,
                                                     .sharedMemory(SharedMemoryShare(memory)), diagnostic: &diagnostic)
        } else {
            try linkerPointer(linker).pointee.define(module: module, moduleLength, name: name, nameLength,
                                                     .item(storeID: store.pointee.id, value), diagnostic: &diagnostic)
        }
        return nil
    } catch {
        return linkerError(error, diagnostic, fallback: "failed to define the item")
    }
}

@_cdecl("wasmtime_linker_define_func")
public func wasmtime_linker_define_func(_ linker: OpaquePointer?, _ module: UnsafePointer<CChar>?, _ moduleLength: Int,
                                        _ name: UnsafePointer<CChar>?, _ nameLength: Int, _ type: OpaquePointer?,
                                        _ callback: OpaquePointer?, _ data: UnsafeMutableRawPointer?, _ finalizer: HostFinalizer?) -> OpaquePointer? {
    defineFunction(checkedCallbackTrampoline, linker, module, moduleLength, name, nameLength, type, callback, data, finalizer)
}

@_cdecl("wasmtime_linker_define_func_unchecked")
public func wasmtime_linker_define_func_unchecked(_ linker: OpaquePointer?, _ module: UnsafePointer<CChar>?, _ moduleLength: Int,
                                                  _ name: UnsafePointer<CChar>?, _ nameLength: Int, _ type: OpaquePointer?,
                                                  _ callback: OpaquePointer?, _ data: UnsafeMutableRawPointer?, _ finalizer: HostFinalizer?) -> OpaquePointer? {
    defineFunction(uncheckedCallbackTrampoline, linker, module, moduleLength, name, nameLength, type, callback, data, finalizer)
}

/// `wasmtime_linker_define_func` and its kin: a host function running `callback` through
/// `trampoline` (`suspends`: an async one).
func defineFunction(_ trampoline: HostTrampoline, _ linker: OpaquePointer?, _ module: UnsafePointer<CChar>?, _ moduleLength: Int,
                    _ name: UnsafePointer<CChar>?, _ nameLength: Int, _ type: OpaquePointer?,
                    _ callback: OpaquePointer?, _ data: UnsafeMutableRawPointer?, _ finalizer: HostFinalizer?,
                    suspends: Bool = false) -> OpaquePointer? {
    guard let linker, let type, let callback else {
        finalizer?(data)
        return OpaquePointer(ErrorReport.make(.invalidArgument, suspends ? "wasmtime_linker_define_async_func: arguments must not be NULL"
                                                                         : "wasmtime_linker_define_func: arguments must not be NULL"))
    }
    guard isValidName(module, moduleLength), isValidName(name, nameLength) else {
        finalizer?(data)
        return invalidNameError()
    }
    var diagnostic = Diagnostic()
    do throws(SwasmError) {
        // The definition owns `data` from here on: if anything below fails, its deinit finalizes it.
        var function = try HostFunctionDefinition(trampoline: trampoline, callback: UnsafeRawPointer(callback), environment: data, finalizer: finalizer)
        try functionTypes(type, &function.parameters, &function.results)
        function.engineTypeID = FuncTypeObject.pointer(type).pointee.engineTypeID
        function.suspends = suspends
        try linkerPointer(linker).pointee.define(module: module, moduleLength, name: name, nameLength, .function(function), diagnostic: &diagnostic)
        return nil
    } catch {
        return linkerError(error, diagnostic, fallback: "failed to define the function")
    }
}

@_cdecl("wasmtime_linker_define_instance")
public func wasmtime_linker_define_instance(_ linker: OpaquePointer?, _ context: OpaquePointer?, _ name: UnsafePointer<CChar>?, _ nameLength: Int,
                                            _ instance: UnsafePointer<wasmtime_instance_t>?) -> OpaquePointer? {
    guard let linker, let context, let instance else {
        return OpaquePointer(ErrorReport.make(.invalidArgument, "wasmtime_linker_define_instance: arguments must not be NULL"))
    }
    let store = storePointer(context)
    guard instance.pointee.store_id == store.pointee.id, instance.pointee.__private >= 0, instance.pointee.__private < store.pointee.instances.count else {
        return OpaquePointer(ErrorReport.make(.invalidArgument, "instance belongs to another store"))
    }
    var diagnostic = Diagnostic()
    do throws(SwasmError) {
        try linkerPointer(linker).pointee.defineInstance(UnsafeRawPointer(name), nameLength, instance: instance.pointee.__private, of: store,
                                                         diagnostic: &diagnostic)
        return nil
    } catch {
        return linkerError(error, diagnostic, fallback: "failed to define the instance")
    }
}

@_cdecl("wasmtime_linker_instantiate")
public func wasmtime_linker_instantiate(_ linker: OpaquePointer?, _ context: OpaquePointer?, _ module: OpaquePointer?,
                                        _ out: UnsafeMutablePointer<wasmtime_instance_t>?, _ trap: UnsafeMutablePointer<OpaquePointer?>?) -> OpaquePointer? {
    linkerInstantiate(linker, context, module, out, trap)
}

/// `wasmtime_linker_instantiate` (and the step of `wasmtime_linker_instantiate_async`).
func linkerInstantiate(_ linker: OpaquePointer?, _ context: OpaquePointer?, _ module: OpaquePointer?,
                       _ out: UnsafeMutablePointer<wasmtime_instance_t>?, _ trap: UnsafeMutablePointer<OpaquePointer?>?) -> OpaquePointer? {
    trap?.pointee = nil
    guard let linker, let context, let module, let out else {
        return OpaquePointer(ErrorReport.make(.invalidArgument, "wasmtime_linker_instantiate: arguments must not be NULL"))
    }
    let store = storePointer(context)
    var diagnostic = Diagnostic()
    var index = 0
    do throws(SwasmError) {
        let outcome = try linkerPointer(linker).pointee.instantiate(ModuleHandle.from(module), in: store, index: &index, diagnostic: &diagnostic)
        out.pointee = wasmtime_instance_t(store_id: store.pointee.id, __private: index)
        return report(outcome, store, trap)
    } catch {
        return OpaquePointer(ErrorReport.make(error, diagnostic, fallback: "instantiation failed"))
    }
}

@_cdecl("wasmtime_linker_get")
public func wasmtime_linker_get(_ linker: OpaquePointer?, _ context: OpaquePointer?, _ module: UnsafePointer<CChar>?, _ moduleLength: Int,
                                _ name: UnsafePointer<CChar>?, _ nameLength: Int, _ item: UnsafeMutablePointer<wasmtime_extern_t>?) -> Bool {
    guard let linker, let context, let item else { return false }
    let store = storePointer(context)
    guard let definition = (try? linkerPointer(linker).pointee.definition(module: module, moduleLength, name: name, nameLength)) ?? nil,
          let value = (try? definition.pointee.item(in: store)) ?? nil else { return false }
    return ExternHandles.make(value, store: store, into: item)
}

@_cdecl("wasmtime_linker_define_unknown_imports_as_traps")
public func wasmtime_linker_define_unknown_imports_as_traps(_ linker: OpaquePointer?, _ module: OpaquePointer?) -> OpaquePointer? {
    guard let linker, let module else {
        return OpaquePointer(ErrorReport.make(.invalidArgument, "wasmtime_linker_define_unknown_imports_as_traps: arguments must not be NULL"))
    }
    do throws(SwasmError) {
        try linkerPointer(linker).pointee.defineUnknownFunctions(of: ModuleHandle.from(module), traps: true)
        return nil
    } catch {
        return OpaquePointer(ErrorReport.make(error, "failed to define the unknown imports"))
    }
}

/// Functions return zeros of their result types; globals, tables and memories are made in the store.
@_cdecl("wasmtime_linker_define_unknown_imports_as_default_values")
public func wasmtime_linker_define_unknown_imports_as_default_values(_ linker: OpaquePointer?, _ context: OpaquePointer?,
                                                                     _ module: OpaquePointer?) -> OpaquePointer? {
    guard let linker, let context, let module else {
        return OpaquePointer(ErrorReport.make(.invalidArgument, "wasmtime_linker_define_unknown_imports_as_default_values: arguments must not be NULL"))
    }
    do throws(SwasmError) {
        try linkerPointer(linker).pointee.defineUnknownFunctions(of: ModuleHandle.from(module), traps: false)
        try linkerPointer(linker).pointee.defineUnknownItems(of: ModuleHandle.from(module), in: storePointer(context))
        return nil
    } catch {
        return OpaquePointer(ErrorReport.make(error, "failed to define the unknown imports"))
    }
}

@_cdecl("wasmtime_linker_clone")
public func wasmtime_linker_clone(_ linker: OpaquePointer?) -> OpaquePointer? {
    guard let linker, let copy = try? linkerPointer(linker).pointee.clone() else { return nil }
    return (try? Heap.create(copy)).map { OpaquePointer($0) }
}

@_cdecl("wasmtime_linker_instantiate_pre")
public func wasmtime_linker_instantiate_pre(_ linker: OpaquePointer?, _ module: OpaquePointer?,
                                            _ out: UnsafeMutablePointer<OpaquePointer?>?) -> OpaquePointer? {
    guard let linker, let module, let out else {
        return OpaquePointer(ErrorReport.make(.invalidArgument, "wasmtime_linker_instantiate_pre: arguments must not be NULL"))
    }
    out.pointee = nil
    var diagnostic = Diagnostic()
    do throws(SwasmError) {
        out.pointee = OpaquePointer(try InstancePre.make(linkerPointer(linker).pointee, ModuleHandle.from(module), diagnostic: &diagnostic))
        return nil
    } catch {
        return OpaquePointer(ErrorReport.make(error, diagnostic, fallback: "failed to pre-link the module"))
    }
}

@_cdecl("wasmtime_instance_pre_delete")
public func wasmtime_instance_pre_delete(_ pre: OpaquePointer?) {
    pre.map { Heap.destroy(instancePrePointer($0)) }
}

@_cdecl("wasmtime_instance_pre_instantiate")
public func wasmtime_instance_pre_instantiate(_ pre: OpaquePointer?, _ context: OpaquePointer?,
                                              _ out: UnsafeMutablePointer<wasmtime_instance_t>?,
                                              _ trap: UnsafeMutablePointer<OpaquePointer?>?) -> OpaquePointer? {
    preInstantiate(pre, context, out, trap)
}

/// `wasmtime_instance_pre_instantiate` (and the step of `wasmtime_instance_pre_instantiate_async`).
func preInstantiate(_ pre: OpaquePointer?, _ context: OpaquePointer?, _ out: UnsafeMutablePointer<wasmtime_instance_t>?,
                    _ trap: UnsafeMutablePointer<OpaquePointer?>?) -> OpaquePointer? {
    trap?.pointee = nil
    guard let pre, let context, let out else {
        return OpaquePointer(ErrorReport.make(.invalidArgument, "wasmtime_instance_pre_instantiate: arguments must not be NULL"))
    }
    let store = storePointer(context)
    var diagnostic = Diagnostic()
    var index = 0
    do throws(SwasmError) {
        let outcome = try instancePrePointer(pre).pointee.instantiate(in: store, index: &index, diagnostic: &diagnostic)
        out.pointee = wasmtime_instance_t(store_id: store.pointee.id, __private: index)
        return report(outcome, store, trap)
    } catch {
        return OpaquePointer(ErrorReport.make(error, diagnostic, fallback: "instantiation failed"))
    }
}

@_cdecl("wasmtime_instance_pre_module")
public func wasmtime_instance_pre_module(_ pre: OpaquePointer?) -> OpaquePointer? {
    pre.map { ModuleHandle.pointer(instancePrePointer($0).pointee.module.retain()) }
}

@_cdecl("wasmtime_linker_get_default")
public func wasmtime_linker_get_default(_ linker: OpaquePointer?, _ context: OpaquePointer?, _ name: UnsafePointer<CChar>?, _ nameLength: Int,
                                        _ out: UnsafeMutablePointer<wasmtime_func_t>?) -> OpaquePointer? {
    guard let linker, let context, let out, name != nil || nameLength == 0 else {
        return OpaquePointer(ErrorReport.make(.invalidArgument, "wasmtime_linker_get_default: arguments must not be NULL"))
    }
    guard isValidName(name, nameLength) else { return invalidNameError() }
    out.pointee = wasmtime_func_t(store_id: 0, __private: nil)
    let store = storePointer(context)
    var diagnostic = Diagnostic()
    do throws(SwasmError) {
        let function = try linkerPointer(linker).pointee.defaultFunction(UnsafeRawPointer(name), nameLength, in: store, diagnostic: &diagnostic)
        out.pointee = wasmtime_func_t(store_id: store.pointee.id, __private: UnsafeMutableRawPointer(function))
        return nil
    } catch {
        return OpaquePointer(ErrorReport.make(error, diagnostic, fallback: "failed to look up the default export"))
    }
}

@_cdecl("wasmtime_linker_module")
public func wasmtime_linker_module(_ linker: OpaquePointer?, _ context: OpaquePointer?, _ name: UnsafePointer<CChar>?, _ nameLength: Int,
                                   _ module: OpaquePointer?) -> OpaquePointer? {
    guard let linker, let context, let module, name != nil || nameLength == 0 else {
        return OpaquePointer(ErrorReport.make(.invalidArgument, "wasmtime_linker_module: arguments must not be NULL"))
    }
    let store = storePointer(context)
    var diagnostic = Diagnostic()
    do throws(SwasmError) {
        let outcome = try linkerPointer(linker).pointee.defineModule(UnsafeRawPointer(name), nameLength, ModuleHandle.from(module), in: store,
                                                                     diagnostic: &diagnostic)
        return report(outcome, store, nil)
    } catch {
        return linkerError(error, diagnostic, fallback: "failed to define the module's exports")
    }
}
