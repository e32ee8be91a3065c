import CSwasm

/// Modules defined in a linker under a name (`wasmtime_linker_module`), as WASI defines them:
/// a reactor (no `_start` export) is instantiated once, `_initialize` runs, and its exports are
/// defined; a command (`_start` exported) is instantiated afresh on every call of each of its
/// exported functions, with the definitions the linker had when the module was defined.
extension Linker {
    public mutating func defineModule(_ name: UnsafeRawPointer?, _ nameLength: Int, _ module: Shared<CompiledModule>,
                                      in store: UnsafeMutablePointer<Store>, diagnostic: inout Diagnostic) throws(SwasmError) -> CallOutcome {
        try Self.checkName(name, nameLength)
        let description = withUnsafeMutablePointer(to: &module.pointer.pointee.description) { UnsafePointer($0) }
        var isCommand = false
        var hasInitialize = false
        for index in 0..<description.pointee.exports.count {
            let export = description.pointee.exports.base!.advanced(by: index)
            if Self.isNamed(export.pointee.name, "_start") { isCommand = true }
            if Self.isNamed(export.pointee.name, "_initialize") { hasInitialize = true }
        }
        if isCommand && hasInitialize {
            diagnostic.record("module has both `_start` and `_initialize` exports")
            throw .unlinkable
        }
        if !isCommand { return try defineReactor(name, nameLength, module, hasInitialize: hasInitialize, in: store, diagnostic: &diagnostic) }
        // As in wasmtime: a command exports functions only, besides the items toolchains export
        // for themselves (left out); checked before anything is defined.
        for index in 0..<description.pointee.exports.count {
            guard case .function = description.pointee.exportType(index) else {
                let export = description.pointee.exports.base!.advanced(by: index)
                if Self.isToolchainExport(export.pointee.name) { continue }
                diagnostic.record { (text: inout ByteBuffer) throws(SwasmError) in
                    try text.append("command export '")
                    try text.append(export.pointee.name)
                    try text.append("' is not a function")
                }
                throw .unlinkable
            }
        }
        // Every function export runs in a fresh instance linked with the definitions as they are now.
        let snapshot = try clone()
        for index in 0..<description.pointee.exports.count {
            let export = description.pointee.exports.base!.advanced(by: index)
            guard case .function(let typeIndex) = description.pointee.exportType(index) else { continue }
            let exportName = try export.pointee.name.clone()
            let linkerCopy = try snapshot.clone()
            module.retain()
            // From here each value owns what it holds: a failure releases the module and the copy.
            let environment = try Heap.create(CommandExport(pre: InstancePre(adopting: module, linker: linkerCopy), name: exportName))
            var function = try HostFunctionDefinition(trampoline: CommandExport.trampoline, callback: nil,
                                                      environment: UnsafeMutableRawPointer(environment), finalizer: CommandExport.destroy)
            let signature = description.pointee.functionType(typeIndex)
            function.parameters = try signature.pointee.parameters.clone()
            function.results = try signature.pointee.results.clone()
            try define(module: name, nameLength, name: export.pointee.name.bytes.map { UnsafeRawPointer($0) }, export.pointee.name.count,
                       .function(function), diagnostic: &diagnostic)
        }
        return .returned
    }

    /// Instantiates a reactor, runs its `_initialize`, and defines its exports.
    private mutating func defineReactor(_ name: UnsafeRawPointer?, _ nameLength: Int, _ module: Shared<CompiledModule>, hasInitialize: Bool,
                                        in store: UnsafeMutablePointer<Store>, diagnostic: inout Diagnostic) throws(SwasmError) -> CallOutcome {
        var index = 0
        let outcome = try instantiate(module, in: store, index: &index, diagnostic: &diagnostic)
        guard outcome.hasReturned else { return outcome }
        let initialize: StaticString = "_initialize"
        if hasInitialize, case .function(let function) = store.pointee.instances[index].pointee.export(named: UnsafeRawPointer(initialize.utf8Start),
                                                                                                       count: initialize.utf8CodeUnitCount) {
            var none: UInt64 = 0
            let initialized = try withUnsafeMutablePointer(to: &none) { (words) throws(SwasmError) -> CallOutcome in
                try store.pointee.invoke(function, arguments: words, argumentSlots: 0, results: words, resultSlots: 0)
            }
            guard initialized.hasReturned else { return initialized }
        }
        try defineInstance(name, nameLength, instance: index, of: store, diagnostic: &diagnostic)
        return .returned
    }

    /// Exports a command may have that are not functions: its memory and table, and symbols
    /// C toolchains export (wasmtime's list).
    private static func isToolchainExport(_ name: borrowing ByteBuffer) -> Bool {
        isNamed(name, "memory") || isNamed(name, "__indirect_function_table") || isNamed(name, "table")
            || isNamed(name, "__data_end") || isNamed(name, "__heap_base") || isNamed(name, "__dso_handle") || isNamed(name, "__rtti_base")
    }

    private static func isNamed(_ name: borrowing ByteBuffer, _ text: StaticString) -> Bool {
        name.equals(UnsafeRawPointer(text.utf8Start), count: text.utf8CodeUnitCount)
    }
}

/// The environment of one exported function of a command module: the module with its linker
/// snapshot, and the export's name.
struct CommandExport: ~Copyable {
    var pre: InstancePre
    var name: ByteBuffer

    static let destroy: HostFinalizer = { environment in
        environment.map { Heap.destroy($0.assumingMemoryBound(to: CommandExport.self)) }
    }

    /// Instantiates the command afresh and runs the export with the call's arguments.
    static let trampoline: HostTrampoline = { raw in
        let call = HostCall.from(raw)
        let command = call.pointee.function.pointee.environment!.assumingMemoryBound(to: CommandExport.self)
        let store = call.pointee.store
        var diagnostic = Diagnostic()
        do throws(SwasmError) {
            var index = 0
            let instantiated = try command.pointee.pre.instantiate(in: store, index: &index, diagnostic: &diagnostic)
            switch consume instantiated {
            case .returned: break
            case .trapped(let code):
                call.pointee.failure = store.pointee.failure(trapped: code)
                return
            case .failed(let cell):
                call.pointee.failure = Failure.take(cell)
                return
            }
            guard case .function(let function) = store.pointee.instances[index].pointee.export(named: command.pointee.name.bytes.map { UnsafeRawPointer($0) },
                                                                                               count: command.pointee.name.count) else {
                call.pointee.failure = Failure.trap(message: nil, count: 0)
                return
            }
            let host = call.pointee.function
            let outcome = try store.pointee.invoke(function, arguments: call.pointee.slots, argumentSlots: host.pointee.parameterSlots,
                                                   results: call.pointee.slots, resultSlots: host.pointee.resultSlots)
            switch consume outcome {
            case .returned: break
            case .trapped(let code): call.pointee.failure = store.pointee.failure(trapped: code)
            case .failed(let cell): call.pointee.failure = Failure.take(cell)
            }
        } catch {
            guard error != .outOfMemory else {
                call.pointee.failure = .outOfMemory
                return
            }
            if diagnostic.isEmpty { diagnostic.record("failed to instantiate the command") }
            var failure = Failure(kind: error, message: ByteBuffer())
            swap(&failure.message, &diagnostic.message)
            call.pointee.failure = consume failure
        }
    }
}
