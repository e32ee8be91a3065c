import CSwasm

// `wasmtime_linker_module`: defines a module's exports in a linker under one name.
// A reactor (no `_start` export) is instantiated once, `_initialize` is run, and its exports are
// defined. A command (`_start` exported) is instantiated afresh on every call of each of its
// exported functions, with the definitions the linker had when the module was defined.

/// The environment of one exported function of a command module.
struct CommandExport: ~Copyable {
    var pre: InstancePre
    var name: ByteBuffer
}

private let destroyCommandExport: HostFinalizer = { environment in
    environment.map { Heap.destroy($0.assumingMemoryBound(to: CommandExport.self)) }
}

private let callCommandExport: @convention(c) (UnsafeMutableRawPointer?, OpaquePointer?, UnsafePointer<wasmtime_val_t>?, Int,
                                               UnsafeMutablePointer<wasmtime_val_t>?, Int) -> OpaquePointer? = {
    environment, caller, arguments, argumentCount, results, resultCount in
    guard let environment, let context = wasmtime_caller_context(caller) else {
        return OpaquePointer(TrapReport.make(message: nil, count: 0))
    }
    let command = environment.assumingMemoryBound(to: CommandExport.self)
    let pre = OpaquePointer(withUnsafeMutablePointer(to: &command.pointee.pre) { $0 })
    var instance = wasmtime_instance_t()
    var trapped: OpaquePointer? = nil
    if let failure = wasmtime_instance_pre_instantiate(pre, context, &instance, &trapped) { return OpaquePointer(TrapReport.converting(ErrorReport.Handle(failure))) }
    if let trapped { return trapped }
    var item = wasmtime_extern_t()
    let name = command.pointee.name.bytes.map { UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self) }
    guard wasmtime_instance_export_get(context, &instance, name, command.pointee.name.count, &item),
          item.kind == UInt8(WASMTIME_EXTERN_FUNC) else {
        return OpaquePointer(TrapReport.make(message: nil, count: 0))
    }
    var function = item.of.func
    if let failure = wasmtime_func_call(context, &function, arguments, argumentCount, results, resultCount, &trapped) {
        return OpaquePointer(TrapReport.converting(ErrorReport.Handle(failure)))
    }
    return trapped
}

private func isNamed(_ name: borrowing ByteBuffer, _ text: StaticString) -> Bool {
    name.equals(UnsafeRawPointer(text.utf8Start), count: text.utf8CodeUnitCount)
}

@_cdecl("wasmtime_linker_module")
public func wasmtime_linker_module(_ linker: OpaquePointer?, _ context: OpaquePointer?, _ name: UnsafePointer<CChar>?, _ nameLength: Int,
                                   _ module: OpaquePointer?) -> OpaquePointer? {
    guard let linker, let context, let module, name != nil || nameLength == 0 else {
        return OpaquePointer(ErrorReport.make(.invalidArgument, "wasmtime_linker_module: arguments must not be NULL"))
    }
    guard isValidName(name, nameLength) else { return invalidNameError() }
    let compiled = ModuleHandle.from(module)
    let description = withUnsafeMutablePointer(to: &compiled.pointer.pointee.description) { UnsafePointer($0) }
    var isCommand = false
    var hasInitialize = false
    for index in 0..<description.pointee.exports.count {
        let export = description.pointee.exports.base!.advanced(by: index)
        if isNamed(export.pointee.name, "_start") { isCommand = true }
        if isNamed(export.pointee.name, "_initialize") { hasInitialize = true }
    }
    if isCommand && hasInitialize {
        return OpaquePointer(ErrorReport.make(.unlinkable, "module has both `_start` and `_initialize` exports"))
    }
    if !isCommand {
        var instance = wasmtime_instance_t()
        var trapped: OpaquePointer? = nil
        if let failure = wasmtime_linker_instantiate(linker, context, module, &instance, &trapped) { return failure }
        if let trapped { return OpaquePointer(ErrorReport.converting(TrapReport.Handle(trapped), kind: .trap)) }
        var item = wasmtime_extern_t()
        if hasInitialize, wasmtime_instance_export_get(context, &instance, "_initialize", 11, &item),
           item.kind == UInt8(WASMTIME_EXTERN_FUNC) {
            var function = item.of.func
            if let failure = wasmtime_func_call(context, &function, nil, 0, nil, 0, &trapped) { return failure }
            if let trapped { return OpaquePointer(ErrorReport.converting(TrapReport.Handle(trapped), kind: .trap)) }
        }
        return wasmtime_linker_define_instance(linker, context, name, nameLength, &instance)
    }
    // As in wasmtime: a command exports functions only (each call runs in its own instance),
    // checked before anything is defined.
    for index in 0..<description.pointee.exports.count {
        guard case .function = description.pointee.exportType(index) else {
            let export = description.pointee.exports.base!.advanced(by: index)
            return OpaquePointer(ErrorReport.make(.unlinkable) { (text: inout ByteBuffer) throws(SwasmError) in
                try text.append("command export '")
                try text.append(export.pointee.name)
                try text.append("' is not a function")
            })
        }
    }
    do throws(SwasmError) {
        // Every function export runs in a fresh instance linked with the definitions as they are now.
        let snapshot = try linkerPointer(linker).pointee.clone()
        for index in 0..<description.pointee.exports.count {
            let export = description.pointee.exports.base!.advanced(by: index)
            guard case .function(let typeIndex) = description.pointee.exportType(index) else { continue }
            let key = try Linker.key(module: name, nameLength, name: export.pointee.name.bytes.map { UnsafeRawPointer($0) },
                                     export.pointee.name.count)
            let exportName = try export.pointee.name.clone()
            let linkerCopy = try snapshot.clone()
            compiled.retain()
            // From here each value owns what it holds: a failure releases the module and the copy.
            let environment = try Heap.create(CommandExport(pre: InstancePre(adopting: compiled, linker: linkerCopy), name: exportName))
            var definition = try LinkerDefinition(callback: unsafeBitCast(callCommandExport, to: OpaquePointer.self),
                                                  environment: UnsafeMutableRawPointer(environment), finalizer: destroyCommandExport)
            let signature = description.pointee.functionType(typeIndex)
            definition.parameters = try signature.pointee.parameters.clone()
            definition.results = try signature.pointee.results.clone()
            try linkerPointer(linker).pointee.define(key, definition)
        }
        return nil
    } catch {
        return OpaquePointer(ErrorReport.make(error, "failed to define the module's exports"))
    }
}
