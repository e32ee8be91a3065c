// wasmtime/linker.h
import CSwasm

@inline(__always)
func linkerPointer(_ pointer: OpaquePointer) -> UnsafeMutablePointer<Linker> { UnsafeMutablePointer(pointer) }

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

/// The error for a name defined twice, or out of memory.
/// wasmtime's error for a name that is not valid UTF-8.
func invalidNameError() -> OpaquePointer { OpaquePointer(ErrorReport.make(.invalidArgument, "input was not valid utf-8")) }

/// Whether the host's name is valid UTF-8 (wasmtime refuses others).
func isValidName(_ name: UnsafePointer<CChar>?, _ length: Int) -> Bool {
    (try? Linker.checkName(UnsafeRawPointer(name), length)) != nil
}

func defineError(_ error: SwasmError, module: UnsafePointer<CChar>?, _ moduleLength: Int, name: UnsafePointer<CChar>?, _ nameLength: Int) -> OpaquePointer {
    if error == .malformed { return invalidNameError() }
    return OpaquePointer(ErrorReport.make(error) { (text: inout ByteBuffer) throws(SwasmError) in
        try text.append("import of `")
        try text.append(module, count: moduleLength)
        try text.append("::")
        try text.append(name, count: nameLength)
        try text.append("` defined twice")
    })
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
    do throws(SwasmError) {
        let key = try Linker.key(module: module, moduleLength, name: name, nameLength)
        try linkerPointer(linker).pointee.define(key, LinkerDefinition(storeID: store.pointee.id, item: value))
        return nil
    } catch {
        return defineError(error, module: module, moduleLength, name: name, nameLength)
    }
}

@_cdecl("wasmtime_linker_define_func")
public func wasmtime_linker_define_func(_ linker: OpaquePointer?, _ module: UnsafePointer<CChar>?, _ moduleLength: Int,
                                        _ name: UnsafePointer<CChar>?, _ nameLength: Int, _ type: OpaquePointer?,
                                        _ callback: OpaquePointer?, _ data: UnsafeMutableRawPointer?, _ finalizer: HostFinalizer?) -> OpaquePointer? {
    defineFunction(unchecked: false, linker, module, moduleLength, name, nameLength, type, callback, data, finalizer)
}

@_cdecl("wasmtime_linker_define_func_unchecked")
public func wasmtime_linker_define_func_unchecked(_ linker: OpaquePointer?, _ module: UnsafePointer<CChar>?, _ moduleLength: Int,
                                                  _ name: UnsafePointer<CChar>?, _ nameLength: Int, _ type: OpaquePointer?,
                                                  _ callback: OpaquePointer?, _ data: UnsafeMutableRawPointer?, _ finalizer: HostFinalizer?) -> OpaquePointer? {
    defineFunction(unchecked: true, linker, module, moduleLength, name, nameLength, type, callback, data, finalizer)
}

func defineFunction(unchecked: Bool, _ linker: OpaquePointer?, _ module: UnsafePointer<CChar>?, _ moduleLength: Int,
                                        _ name: UnsafePointer<CChar>?, _ nameLength: Int, _ type: OpaquePointer?,
                                        _ callback: OpaquePointer?, _ data: UnsafeMutableRawPointer?, _ finalizer: HostFinalizer?) -> OpaquePointer? {
    guard let linker, let type, let callback else {
        finalizer?(data)
        return OpaquePointer(ErrorReport.make(.invalidArgument, "wasmtime_linker_define_func: arguments must not be NULL"))
    }
    guard isValidName(module, moduleLength), isValidName(name, nameLength) else {
        finalizer?(data)
        return invalidNameError()
    }
    do throws(SwasmError) {
        // The definition owns `data` from here on: if anything below fails, its deinit finalizes it.
        var definition = try LinkerDefinition(callback: callback, environment: data, finalizer: finalizer)
        definition.unchecked = unchecked
        for element in CVector.pointers(UnsafeRawPointer(FuncTypeObject.paramsVector(type))) {
            try definition.parameters.append(element.map(ValTypeObject.get) ?? .i32)
        }
        for element in CVector.pointers(UnsafeRawPointer(FuncTypeObject.resultsVector(type))) {
            try definition.results.append(element.map(ValTypeObject.get) ?? .i32)
        }
        let key = try Linker.key(module: module, moduleLength, name: name, nameLength)
        try linkerPointer(linker).pointee.define(key, definition)
        return nil
    } catch {
        return defineError(error, module: module, moduleLength, name: name, nameLength)
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
    guard isValidName(name, nameLength) else { return invalidNameError() }
    let target = store.pointee.instances[instance.pointee.__private]
    let description = withUnsafeMutablePointer(to: &target.pointee.module.pointer.pointee.description) { UnsafePointer($0) }
    for index in 0..<description.pointee.exports.count {
        let export = description.pointee.exports.base!.advanced(by: index)
        guard let value = target.pointee.exportValue(index) else { continue }
        let exportName = export.pointee.name.bytes.map { UnsafeRawPointer($0) }
        do throws(SwasmError) {
            let key = try Linker.key(module: name, nameLength, name: exportName, export.pointee.name.count)
            try linkerPointer(linker).pointee.define(key, LinkerDefinition(storeID: store.pointee.id, item: value))
        } catch {
            return defineError(error, module: name, nameLength, name: exportName?.assumingMemoryBound(to: CChar.self), export.pointee.name.count)
        }
    }
    return nil
}

/// The item a definition gives in `store`: its own item, or a new host function.
func linkerItem(_ definition: borrowing LinkerDefinition, store: UnsafeMutablePointer<Store>) throws(SwasmError) -> ExternValue? {
    if let item = definition.item { return definition.storeID == store.pointee.id ? item : nil }
    guard let callback = definition.callback else { return nil }
    let parameters = try definition.parameters.clone()
    let results = try definition.results.clone()
    let function = try Heap.create(HostFunction(callback: callback, environment: definition.environment, finalizer: nil,
                                                parameters: parameters, results: results))
    function.pointee.unchecked = definition.unchecked
    function.pointee.environmentOwner = definition.environmentOwner?.retain()
    function.pointee.record.host = UnsafeMutableRawPointer(function)
    try store.pointee.adoptHostFunction(function)
    return .function(withUnsafeMutablePointer(to: &function.pointee.record) { $0 })
}

@_cdecl("wasmtime_linker_instantiate")
public func wasmtime_linker_instantiate(_ linker: OpaquePointer?, _ context: OpaquePointer?, _ module: OpaquePointer?,
                                        _ out: UnsafeMutablePointer<wasmtime_instance_t>?, _ trap: UnsafeMutablePointer<OpaquePointer?>?) -> OpaquePointer? {
    trap?.pointee = nil
    guard let linker, let context, let module, let out else {
        return OpaquePointer(ErrorReport.make(.invalidArgument, "wasmtime_linker_instantiate: arguments must not be NULL"))
    }
    let store = storePointer(context)
    let compiled = ModuleHandle.from(module)
    guard linkerPointer(linker).pointee.engine.cell == store.pointee.engine.cell else {
        return OpaquePointer(ErrorReport.make(.invalidArgument, "cross-`Engine` instantiation is not currently supported"))
    }
    let description = withUnsafeMutablePointer(to: &compiled.pointer.pointee.description) { UnsafePointer($0) }
    var values = FallibleVector<ExternValue>()
    do throws(SwasmError) {
        try values.reserve(max(description.pointee.imports.count, 1))
        for index in 0..<description.pointee.imports.count {
            let entry = description.pointee.imports.base!.advanced(by: index)
            let key = try Linker.key(module: entry.pointee.module.bytes.map { UnsafeRawPointer($0) }, entry.pointee.module.count,
                                     name: entry.pointee.name.bytes.map { UnsafeRawPointer($0) }, entry.pointee.name.count)
            let definition = linkerPointer(linker).pointee.definitions.valuePointer(for: key)
            let found = try definition.map { (definition) throws(SwasmError) -> ExternValue? in try linkerItem(definition.pointee, store: store) }
            guard let resolved = found, let value = resolved else {
                return OpaquePointer(ErrorReport.make(.unlinkable) { (text: inout ByteBuffer) throws(SwasmError) in
                    try text.append("unknown import: `")
                    try text.append(entry.pointee.module)
                    try text.append("::")
                    try text.append(entry.pointee.name)
                    try text.append("` has not been defined")
                })
            }
            try values.append(value)
        }
    } catch {
        return OpaquePointer(ErrorReport.make(error, "failed to resolve imports"))
    }
    return instantiate(store, compiled, imports: UnsafePointer(values.base), out: out, trap: trap)
}

@_cdecl("wasmtime_linker_get")
public func wasmtime_linker_get(_ linker: OpaquePointer?, _ context: OpaquePointer?, _ module: UnsafePointer<CChar>?, _ moduleLength: Int,
                                _ name: UnsafePointer<CChar>?, _ nameLength: Int, _ item: UnsafeMutablePointer<wasmtime_extern_t>?) -> Bool {
    guard let linker, let context, let item, let key = try? Linker.key(module: module, moduleLength, name: name, nameLength) else { return false }
    let store = storePointer(context)
    guard let definition = linkerPointer(linker).pointee.definitions.valuePointer(for: key),
          let value = (try? linkerItem(definition.pointee, store: store)) ?? nil else { return false }
    ExternHandles.make(value, store: store, into: item)
    return true
}

/// The host function behind `define_unknown_imports_as_traps`: it traps with the message in its
/// environment (a `ByteBuffer` cell the linker owns).
private let unknownImportTrap: @convention(c) (UnsafeMutableRawPointer?, OpaquePointer?, UnsafePointer<wasmtime_val_t>?, Int,
                                               UnsafeMutablePointer<wasmtime_val_t>?, Int) -> OpaquePointer? = { environment, _, _, _, _, _ in
    guard let environment else { return OpaquePointer(TrapReport.make(message: nil, count: 0)) }
    let message = environment.assumingMemoryBound(to: ByteBuffer.self)
    return OpaquePointer(TrapReport.make(message: message.pointee.bytes.map { UnsafeRawPointer($0) }, count: message.pointee.count))
}

/// The host function behind `define_unknown_imports_as_default_values`: a raw-value callback
/// that leaves the values zeroed, which is every type's default (0, +0.0, null).
private let defaultValues: @convention(c) (UnsafeMutableRawPointer?, OpaquePointer?, UnsafeMutablePointer<wasmtime_val_raw_t>?, Int) -> OpaquePointer? = { _, _, values, count in
    if let values { values.update(repeating: wasmtime_val_raw_t(), count: count) }
    return nil
}

private let freeMessage: HostFinalizer = { environment in
    environment.map { Heap.destroy($0.assumingMemoryBound(to: ByteBuffer.self)) }
}

/// Defines a host function for every function import of `module` the linker lacks.
private func defineUnknownFunctions(_ linker: OpaquePointer, _ module: OpaquePointer, traps: Bool) -> OpaquePointer? {
    let description = withUnsafeMutablePointer(to: &ModuleHandle.from(module).pointer.pointee.description) { UnsafePointer($0) }
    do throws(SwasmError) {
        for index in 0..<description.pointee.imports.count {
            let entry = description.pointee.imports.base!.advanced(by: index)
            guard case .function(let typeIndex) = entry.pointee.type else { continue }
            let key = try Linker.key(module: entry.pointee.module.bytes.map { UnsafeRawPointer($0) }, entry.pointee.module.count,
                                     name: entry.pointee.name.bytes.map { UnsafeRawPointer($0) }, entry.pointee.name.count)
            if linkerPointer(linker).pointee.definitions.contains(key) { continue }
            var environment: UnsafeMutableRawPointer? = nil
            if traps {
                var message = ByteBuffer()
                try message.append("unknown import: `")
                try message.append(entry.pointee.module)
                try message.append("::")
                try message.append(entry.pointee.name)
                try message.append("` has not been defined")
                environment = UnsafeMutableRawPointer(try Heap.create(message))
            }
            let callback = traps ? unsafeBitCast(unknownImportTrap, to: OpaquePointer.self) : unsafeBitCast(defaultValues, to: OpaquePointer.self)
            // From here the definition owns the environment (its deinit frees it on failure).
            var definition = try LinkerDefinition(callback: callback, environment: environment, finalizer: traps ? freeMessage : nil)
            definition.unchecked = !traps
            let signature = description.pointee.functionType(typeIndex)
            definition.parameters = try signature.pointee.parameters.clone()
            definition.results = try signature.pointee.results.clone()
            try linkerPointer(linker).pointee.define(key, definition)
        }
        return nil
    } catch {
        return OpaquePointer(ErrorReport.make(error, "failed to define the unknown imports"))
    }
}

@_cdecl("wasmtime_linker_define_unknown_imports_as_traps")
public func wasmtime_linker_define_unknown_imports_as_traps(_ linker: OpaquePointer?, _ module: OpaquePointer?) -> OpaquePointer? {
    guard let linker, let module else {
        return OpaquePointer(ErrorReport.make(.invalidArgument, "wasmtime_linker_define_unknown_imports_as_traps: arguments must not be NULL"))
    }
    return defineUnknownFunctions(linker, module, traps: true)
}

/// Functions return zeros of their result types. (Unknown global, table and memory imports are
/// left undefined: instantiation then reports them.)
@_cdecl("wasmtime_linker_define_unknown_imports_as_default_values")
public func wasmtime_linker_define_unknown_imports_as_default_values(_ linker: OpaquePointer?, _ context: OpaquePointer?,
                                                                     _ module: OpaquePointer?) -> OpaquePointer? {
    guard let linker, let context, let module else {
        return OpaquePointer(ErrorReport.make(.invalidArgument, "wasmtime_linker_define_unknown_imports_as_default_values: arguments must not be NULL"))
    }
    if let error = defineUnknownFunctions(linker, module, traps: false) { return error }
    return defineUnknownItems(linker, storePointer(context), module)
}

/// Defines, in `store`, a global (zero or null), table (null elements) or memory (zeroed) of the
/// declared type for every such import of `module` the linker lacks, as wasmtime does.
private func defineUnknownItems(_ linker: OpaquePointer, _ store: UnsafeMutablePointer<Store>, _ module: OpaquePointer) -> OpaquePointer? {
    let description = withUnsafeMutablePointer(to: &ModuleHandle.from(module).pointer.pointee.description) { UnsafePointer($0) }
    do throws(SwasmError) {
        for index in 0..<description.pointee.imports.count {
            let entry = description.pointee.imports.base!.advanced(by: index)
            let key = try Linker.key(module: entry.pointee.module.bytes.map { UnsafeRawPointer($0) }, entry.pointee.module.count,
                                     name: entry.pointee.name.bytes.map { UnsafeRawPointer($0) }, entry.pointee.name.count)
            if linkerPointer(linker).pointee.definitions.contains(key) { continue }
            let item: ExternValue
            switch entry.pointee.type {
            case .global(let type):
                let global = try HostGlobal.create(type, value: (0, 0))
                try store.pointee.adoptHostGlobal(global)
                item = .global(withUnsafeMutablePointer(to: &global.pointee.object) { $0 })
            case .table(let type):
                let table = try HostTable.create(type, initial: 0)
                try store.pointee.adoptHostTable(table)
                item = .table(withUnsafeMutablePointer(to: &table.pointee.object) { $0 })
            case .memory(let type):
                let memory = try LinearMemory.create(type, limits: store.pointee.limits)
                try store.pointee.adoptHostMemory(memory)
                item = .memory(memory)
            default:
                continue
            }
            try linkerPointer(linker).pointee.define(key, LinkerDefinition(storeID: store.pointee.id, item: item))
        }
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
    let compiled = ModuleHandle.from(module)
    let description = withUnsafeMutablePointer(to: &compiled.pointer.pointee.description) { UnsafePointer($0) }
    do throws(SwasmError) {
        // Every import must have a definition now; store items are checked at instantiation.
        for index in 0..<description.pointee.imports.count {
            let entry = description.pointee.imports.base!.advanced(by: index)
            let key = try Linker.key(module: entry.pointee.module.bytes.map { UnsafeRawPointer($0) }, entry.pointee.module.count,
                                     name: entry.pointee.name.bytes.map { UnsafeRawPointer($0) }, entry.pointee.name.count)
            guard linkerPointer(linker).pointee.definitions.contains(key) else {
                return OpaquePointer(ErrorReport.make(.unlinkable) { (text: inout ByteBuffer) throws(SwasmError) in
                    try text.append("unknown import: `")
                    try text.append(entry.pointee.module)
                    try text.append("::")
                    try text.append(entry.pointee.name)
                    try text.append("` has not been defined")
                })
            }
        }
        let snapshot = try linkerPointer(linker).pointee.clone()
        compiled.retain()
        // On allocation failure `create` destroys the value, which releases the module again.
        let pre = try Heap.create(InstancePre(adopting: compiled, linker: snapshot))
        out.pointee = OpaquePointer(pre)
        return nil
    } catch {
        return OpaquePointer(ErrorReport.make(error, "failed to pre-link the module"))
    }
}

@inline(__always)
func instancePrePointer(_ pointer: OpaquePointer) -> UnsafeMutablePointer<InstancePre> { UnsafeMutablePointer(pointer) }

@_cdecl("wasmtime_instance_pre_delete")
public func wasmtime_instance_pre_delete(_ pre: OpaquePointer?) {
    pre.map { Heap.destroy(instancePrePointer($0)) }
}

@_cdecl("wasmtime_instance_pre_instantiate")
public func wasmtime_instance_pre_instantiate(_ pre: OpaquePointer?, _ context: OpaquePointer?,
                                              _ out: UnsafeMutablePointer<wasmtime_instance_t>?,
                                              _ trap: UnsafeMutablePointer<OpaquePointer?>?) -> OpaquePointer? {
    guard let pre else {
        trap?.pointee = nil
        return OpaquePointer(ErrorReport.make(.invalidArgument, "wasmtime_instance_pre_instantiate: instance_pre must not be NULL"))
    }
    let linker = OpaquePointer(withUnsafeMutablePointer(to: &instancePrePointer(pre).pointee.linker) { $0 })
    return wasmtime_linker_instantiate(linker, context, ModuleHandle.pointer(instancePrePointer(pre).pointee.module), out, trap)
}

@_cdecl("wasmtime_instance_pre_module")
public func wasmtime_instance_pre_module(_ pre: OpaquePointer?) -> OpaquePointer? {
    pre.map { ModuleHandle.pointer(instancePrePointer($0).pointee.module.retain()) }
}

/// The function `get_default` returns for a module without a default export: it does nothing.
private let doNothing: @convention(c) (UnsafeMutableRawPointer?, OpaquePointer?, UnsafePointer<wasmtime_val_t>?, Int,
                                       UnsafeMutablePointer<wasmtime_val_t>?, Int) -> OpaquePointer? = { _, _, _, _, _, _ in nil }

@_cdecl("wasmtime_linker_get_default")
public func wasmtime_linker_get_default(_ linker: OpaquePointer?, _ context: OpaquePointer?, _ name: UnsafePointer<CChar>?, _ nameLength: Int,
                                        _ out: UnsafeMutablePointer<wasmtime_func_t>?) -> OpaquePointer? {
    guard let linker, let context, let out, name != nil || nameLength == 0 else {
        return OpaquePointer(ErrorReport.make(.invalidArgument, "wasmtime_linker_get_default: arguments must not be NULL"))
    }
    guard isValidName(name, nameLength) else { return invalidNameError() }
    out.pointee = wasmtime_func_t(store_id: 0, __private: nil)
    let store = storePointer(context)
    let start: StaticString = "_start"
    do throws(SwasmError) {
        // The empty-named export is the default; `_start` stands in for it.
        for candidate in 0..<2 {
            let key = try Linker.key(module: name, nameLength, name: candidate == 0 ? nil : UnsafeRawPointer(start.utf8Start),
                                     candidate == 0 ? 0 : start.utf8CodeUnitCount)
            guard let definition = linkerPointer(linker).pointee.definitions.valuePointer(for: key) else { continue }
            guard let value = try linkerItem(definition.pointee, store: store), case .function(let function) = value else {
                return OpaquePointer(ErrorReport.make(.unlinkable) { (text: inout ByteBuffer) throws(SwasmError) in
                    try text.append("default export in `")
                    try text.append(UnsafeRawPointer(name), count: nameLength)
                    try text.append("` is not a function of this store")
                })
            }
            out.pointee = wasmtime_func_t(store_id: store.pointee.id, __private: UnsafeMutableRawPointer(function))
            return nil
        }
        let function = try Heap.create(HostFunction(callback: unsafeBitCast(doNothing, to: OpaquePointer.self), environment: nil, finalizer: nil,
                                                    parameters: FallibleVector(), results: FallibleVector()))
        function.pointee.record.host = UnsafeMutableRawPointer(function)
        try store.pointee.adoptHostFunction(function)
        out.pointee = wasmtime_func_t(store_id: store.pointee.id, __private: UnsafeMutableRawPointer(withUnsafeMutablePointer(to: &function.pointee.record) { $0 }))
        return nil
    } catch {
        return OpaquePointer(ErrorReport.make(error, "failed to look up the default export"))
    }
}
