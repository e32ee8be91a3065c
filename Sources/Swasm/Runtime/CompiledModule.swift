import CSwasm

/// A compiled module: immutable once made, shared by every store and thread that uses it
/// (`Shared<CompiledModule>`), and tied to the engine whose settings it was compiled with.
public struct CompiledModule: ~Copyable {
    public let engine: Shared<Engine>
    // Not public: a public non-copyable property gets a read coroutine whose frame is malloc'ed
    // without a failure check (tests-c/static catches it).
    var description: ModuleDescription
    /// Internal code of the defined functions, threaded for this process.
    var functions = FallibleVector<CompiledFunction>()
    /// For each type index, its canonical index in the module (`TypeDefinition.canonical`) ...
    var typeIDs = FallibleVector<UInt32>()
    /// ... and its id in the engine's type registry.
    var engineTypeIDs = FallibleVector<UInt32>()
    /// ... and, for struct and array types, their layout (`GCType`, owned by the registry).
    var gcLayouts = FallibleVector<UnsafeRawPointer?>()
    /// The runs of the memory images of a module loaded from an artifact (MemoryImage.swift), in
    /// memory order, and the artifact file they are mapped from (an open descriptor; -1 when the
    /// module did not come from a file, or has no image).
    var imageRuns = FallibleVector<ImageRun>()
    var imageFile: Int32 = -1

    init(engine: Shared<Engine>, description: consuming ModuleDescription) {
        self.engine = engine.retain()
        self.description = description
    }

    deinit {
        cswasm_close_file(imageFile)
        engine.release()
    }

    /// Decodes, validates and compiles `bytes` for `engine`.
    public static func compile(engine: Shared<Engine>, bytes: UnsafeRawBufferPointer, diagnostic: inout Diagnostic) throws(SwasmError) -> Shared<CompiledModule> {
        // Modules belong to the engine: never to the pool of a store whose host function compiles one.
        let scope = cswasm_pool_enter(nil)
        defer { Store.leavePool(scope) }
        let features = engine.pointer.pointee.config.features
        let description = try ModuleDecoder.decode(bytes, features: features, diagnostic: &diagnostic)
        if engine.pointer.pointee.pool.isPooling { try engine.pointer.pointee.pool.config.check(description, diagnostic: &diagnostic) }
        let module = try Shared.create(CompiledModule(engine: engine, description: description))
        do {
            let described = withUnsafeMutablePointer(to: &module.pointer.pointee.description) { UnsafePointer($0) }
            module.pointer.pointee.typeIDs = try ModuleCompiler.canonicalTypeIDs(described)
            module.pointer.pointee.engineTypeIDs = try engine.pointer.pointee.types.register(described.pointee)
            module.pointer.pointee.gcLayouts = try engine.pointer.pointee.types.layouts(of: module.pointer.pointee.engineTypeIDs)
            module.pointer.pointee.functions = try ModuleCompiler.compile(described, typeIDs: UnsafePointer(module.pointer.pointee.typeIDs.base),
                                                                          config: engine.pointer.pointee.config)
        } catch {
            module.release()
            if error == .limitExceeded { diagnostic.record("a function's frame is too large for the interpreter") }
            throw error
        }
        return module
    }

    /// Decodes and validates without keeping anything.
    public static func validate(engine: Shared<Engine>, bytes: UnsafeRawBufferPointer, diagnostic: inout Diagnostic) throws(SwasmError) {
        let features = engine.pointer.pointee.config.features
        _ = try ModuleDecoder.decode(bytes, features: features, diagnostic: &diagnostic)
    }
}
