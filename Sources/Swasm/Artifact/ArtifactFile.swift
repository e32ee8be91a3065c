import CSwasm

/// Artifacts on disk: a file is mapped read-only and deserialized straight from the mapping, so
/// its bytes are read once, into the module's own structures; a module with memory images keeps
/// the file open to map them into its instances.
extension CompiledModule {
    public static func deserialize(engine: Shared<Engine>, path: UnsafePointer<CChar>,
                                   diagnostic: inout Diagnostic) throws(SwasmError) -> Shared<CompiledModule> {
        var file = cswasm_mapped_file()
        let failure = cswasm_map_file(path, &file)
        guard failure == 0 else {
            diagnostic.record { (text: inout ByteBuffer) throws(SwasmError) in
                try text.append("failed to read the artifact ")
                try text.append(UnsafeRawPointer(path), count: cswasm_strlen(path))
                try text.append(": ")
                let reason = cswasm_error_text(failure)!
                try text.append(UnsafeRawPointer(reason), count: cswasm_strlen(reason))
            }
            throw .invalidArgument
        }
        defer { cswasm_unmap_file(&file) }
        let module = try deserialize(engine: engine, bytes: UnsafeRawBufferPointer(start: file.data, count: file.size), diagnostic: &diagnostic)
        // Instances map the memory images from the file (copy-on-write initialization): the
        // module keeps it open.
        if module.pointer.pointee.imageRuns.count > 0 { module.pointer.pointee.adoptImageFile(cswasm_take_file(&file)) }
        return module
    }

    /// The module as an artifact (`ArtifactFormat`).
    public static func serialize(_ module: Shared<CompiledModule>) throws(SwasmError) -> ByteBuffer {
        try ArtifactWriter.serialize(module.pointer)
    }
}
