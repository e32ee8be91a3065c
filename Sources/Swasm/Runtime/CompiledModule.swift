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
    private(set) var imageFile: Int32 = -1
    /// The id of memory 0's image (`cswasm_next_image_ids`); memory N's is this plus N. A pooled
    /// memory slot that held an image keeps it for the next instance of the module.
    private(set) var firstImageID: UInt64 = 0

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
            try module.pointer.pointee.makeMemoryImages()
        } catch {
            module.release()
            if error == .limitExceeded { diagnostic.record("a function's frame is too large for the interpreter") }
            throw error
        }
        return module
    }

    /// Copy-on-write images for a module compiled from bytes, as an artifact loaded from a file
    /// carries them (`wasmtime_config_memory_init_cow_set`): the pages are written once into an
    /// anonymous file, which every instance maps privately instead of copying the segments. None
    /// (the segments are copied) when the engine's memories could not map them, or when the
    /// system refuses the file; allocation failures are reported.
    mutating func makeMemoryImages() throws(SwasmError) {
        let config = engine.pointer.pointee.config
        guard config.memoryInitCow, config.memoryCreator == nil || engine.pointer.pointee.pool.isPooling,
              !cswasm_allocator_is_custom(), UInt64(cswasm_system_page_size()) == MemoryImageLayout.pageSize else { return }
        let described = withUnsafeMutablePointer(to: &description) { UnsafePointer($0) }
        let layouts = try MemoryImageLayout.layouts(of: described)
        guard let layout = layouts.base else { return }
        var total: UInt64 = 0, runCount = 0
        for index in 0..<layouts.count {
            total &+= layout[index].byteCount
            runCount &+= layout[index].runs.count
        }
        var runs = FallibleVector<ImageRun>()
        try runs.reserve(runCount)
        guard total > 0, total <= UInt64(Int.max) else { return }
        var contents: UnsafeMutableRawPointer? = nil
        let file = cswasm_anonymous_file(Int(total), &contents)
        guard file >= 0, let contents else { return }
        var start: UInt64 = 0
        for index in 0..<layouts.count {
            let memory = layout.advanced(by: index)
            memory.pointee.write(into: contents.advanced(by: Int(start)), module: described)
            for run in 0..<memory.pointee.runs.count {
                var moved = memory.pointee.runs[run]
                moved.fileOffset &+= start
                try runs.append(moved) // reserved above: cannot fail
            }
            start &+= memory.pointee.byteCount
        }
        cswasm_finish_anonymous_file(contents, Int(total))
        imageRuns = runs
        adoptImageFile(file)
    }

    /// Makes the open descriptor `file` the one instances map the runs of `imageRuns` from.
    mutating func adoptImageFile(_ file: Int32) {
        imageFile = file
        firstImageID = cswasm_next_image_ids(UInt64(description.memories.count))
    }

    /// The id of the image of memory `index` (defined by this module) that its instances map, or
    /// 0 when they copy its segments.
    func imageID(ofMemory index: Int) -> UInt64 {
        guard imageFile >= 0, engine.pointer.pointee.config.memoryInitCow, let runs = imageRuns.base else { return 0 }
        for run in 0..<imageRuns.count where Int(runs[run].memory) == index { return firstImageID &+ UInt64(index) }
        return 0
    }

    /// Decodes and validates without keeping anything.
    public static func validate(engine: Shared<Engine>, bytes: UnsafeRawBufferPointer, diagnostic: inout Diagnostic) throws(SwasmError) {
        let features = engine.pointer.pointee.config.features
        _ = try ModuleDecoder.decode(bytes, features: features, diagnostic: &diagnostic)
    }
}
