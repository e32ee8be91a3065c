import CSwasm

/// Deserializes an artifact (layout in `ArtifactFormat`) from untrusted bytes: every count and
/// offset is checked against the bytes that remain before anything is allocated or read, the
/// module is decoded (without re-validating the bodies), and the internal code is verified
/// (`CodeVerifier`) before it is threaded for this process.
extension CompiledModule {
    public static func deserialize(engine: Shared<Engine>, bytes: UnsafeRawBufferPointer,
                                   diagnostic: inout Diagnostic) throws(SwasmError) -> Shared<CompiledModule> {
        let scope = cswasm_pool_enter(nil) // the engine's, never a store's pool (CompiledModule.compile)
        defer { Store.leavePool(scope) }
        var reader = ArtifactCursor(bytes)
        let config = engine.pointer.pointee.config
        let checksum = try checkHeader(&reader, config: config, diagnostic: &diagnostic)
        // The payload is hashed piece by piece as it is read (while in cache), and compared at the
        // end. When reading fails first, a wrong checksum is the better explanation: report that.
        let payload = reader.rest
        reader.startHashing()
        do throws(SwasmError) {
            let module = try readPayload(&reader, engine: engine, config: config, diagnostic: &diagnostic)
            guard reader.finishHashing() == checksum else {
                module.release()
                try refuse("the checksum does not match (the bytes are corrupted)", &diagnostic)
            }
            return module
        } catch {
            if error != .outOfMemory && ArtifactFormat.checksum(payload) != checksum {
                try refuse("the checksum does not match (the bytes are corrupted)", &diagnostic)
            }
            throw error
        }
    }

    /// The module bytes, then every function's code.
    private static func readPayload(_ reader: inout ArtifactCursor, engine: Shared<Engine>, config: EngineConfig,
                                    diagnostic: inout Diagnostic) throws(SwasmError) -> Shared<CompiledModule> {
        guard let moduleSize = reader.u64(), moduleSize <= UInt64(reader.remaining),
              let moduleBytes = reader.bytes(Int(moduleSize)), reader.skip(ArtifactWriter.padded(Int(moduleSize)) &- Int(moduleSize)) else {
            try refuse("the module section is truncated", &diagnostic)
        }
        reader.hashThrough()
        var moduleDiagnostic = Diagnostic()
        let description: ModuleDescription
        do throws(SwasmError) {
            description = try ModuleDecoder.decode(moduleBytes, features: config.features, validatingBodies: false, diagnostic: &moduleDiagnostic)
        } catch {
            if error == .outOfMemory { throw error }
            diagnostic.record { (text: inout ByteBuffer) throws(SwasmError) in
                try text.append("invalid artifact: its module does not decode: ")
                try text.append(moduleDiagnostic.message)
            }
            throw .malformed
        }
        if engine.pointer.pointee.pool.isPooling { try engine.pointer.pointee.pool.config.check(description, diagnostic: &diagnostic) }
        let module = try Shared.create(CompiledModule(engine: engine, description: description))
        do throws(SwasmError) {
            let described = withUnsafeMutablePointer(to: &module.pointer.pointee.description) { UnsafePointer($0) }
            module.pointer.pointee.typeIDs = try ModuleCompiler.canonicalTypeIDs(described)
            module.pointer.pointee.engineTypeIDs = try engine.pointer.pointee.types.register(described.pointee)
            module.pointer.pointee.gcLayouts = try engine.pointer.pointee.types.layouts(of: module.pointer.pointee.engineTypeIDs)
            var verifier = CodeVerifier(module: described, typeIDs: UnsafePointer(module.pointer.pointee.typeIDs.base!),
                                        meterFuel: config.consumeFuel, checkEpoch: config.epochInterruption)
            module.pointer.pointee.functions = try readFunctions(&reader, module: described, verifier: &verifier, diagnostic: &diagnostic)
            module.pointer.pointee.imageRuns = try readImages(&reader, module: described, diagnostic: &diagnostic)
            guard reader.remaining == 0 else { try refuse("bytes follow the last memory image", &diagnostic) }
        } catch {
            module.release()
            throw error
        }
        return module
    }

    private static func refuse(_ reason: StaticString, _ diagnostic: inout Diagnostic) throws(SwasmError) -> Never {
        diagnostic.record { (text: inout ByteBuffer) throws(SwasmError) in
            try text.append("invalid artifact: ")
            try text.append(reason)
        }
        throw .malformed
    }

    /// Magic, format version, size and the engine settings the code was compiled for. Returns the
    /// payload's checksum, leaving `reader` at the payload.
    private static func checkHeader(_ reader: inout ArtifactCursor, config: EngineConfig, diagnostic: inout Diagnostic) throws(SwasmError) -> UInt64 {
        guard reader.remaining >= 8, reader.peekU64() == ArtifactFormat.magic else {
            try refuse("not a swasm artifact (the magic bytes are wrong)", &diagnostic)
        }
        guard reader.remaining >= ArtifactFormat.headerSize else { try refuse("the header is truncated", &diagnostic) }
        _ = reader.u64()
        let format = reader.u32() ?? 0, headerSize = reader.u32() ?? 0
        let instructionSet = reader.u64() ?? 0, features = reader.u64() ?? 0
        let flags = reader.u32() ?? 0
        _ = reader.u32()
        let payloadSize = reader.u64() ?? 0, checksum = reader.u64() ?? 0
        _ = reader.u64()
        guard format == ArtifactFormat.version, headerSize == UInt32(ArtifactFormat.headerSize) else {
            diagnostic.record { (text: inout ByteBuffer) throws(SwasmError) in
                try text.append("incompatible artifact: format version ")
                try text.appendDecimal(UInt64(format))
                try text.append(", this swasm reads version ")
                try text.appendDecimal(UInt64(ArtifactFormat.version))
            }
            throw .unsupported
        }
        guard instructionSet == Opcode.instructionSetHash else {
            try incompatible("it was compiled by a swasm with a different interpreter instruction set", &diagnostic)
        }
        guard features == UInt64(config.features.rawValue) else {
            try incompatible("it was compiled for an engine with other WebAssembly features enabled", &diagnostic)
        }
        let expected = ArtifactFormat.codeFlags(config)
        guard flags & ArtifactFormat.fuelFlag == expected & ArtifactFormat.fuelFlag else {
            try incompatible(flags & ArtifactFormat.fuelFlag != 0
                ? "it was compiled with fuel consumption, which this engine does not enable"
                : "it was compiled without fuel consumption, which this engine enables", &diagnostic)
        }
        guard flags & ArtifactFormat.deterministicFlag == expected & ArtifactFormat.deterministicFlag else {
            try incompatible(flags & ArtifactFormat.deterministicFlag != 0
                ? "it was compiled with deterministic relaxed SIMD, which this engine does not enable"
                : "it was compiled without deterministic relaxed SIMD, which this engine enables", &diagnostic)
        }
        guard flags == expected else {
            try incompatible(flags & ArtifactFormat.epochFlag != 0
                ? "it was compiled with epoch interruption, which this engine does not enable"
                : "it was compiled without epoch interruption, which this engine enables", &diagnostic)
        }
        guard payloadSize == UInt64(reader.remaining) else {
            try refuse("its size does not match its header (truncated or extended)", &diagnostic)
        }
        return checksum
    }

    private static func incompatible(_ reason: StaticString, _ diagnostic: inout Diagnostic) throws(SwasmError) -> Never {
        diagnostic.record { (text: inout ByteBuffer) throws(SwasmError) in
            try text.append("incompatible artifact: ")
            try text.append(reason)
        }
        throw .unsupported
    }

    /// Reads a function's stack maps (checked by `CodeVerifier.checkStackMaps`).
    private static func readStackMaps(_ reader: inout ArtifactCursor, into maps: inout StackMaps, diagnostic: inout Diagnostic) throws(SwasmError) {
        guard let counts = reader.u64() else { try refuse("a function's stack maps are truncated", &diagnostic) }
        let count = Int(counts & 0xffff_ffff), slots = Int(counts >> 32)
        guard count <= reader.remaining / 8, (2 &* slots &+ 7) & ~7 <= reader.remaining &- 8 &* count else {
            try refuse("a function's stack maps are truncated", &diagnostic)
        }
        try maps.positions.reserve(count)
        try maps.ends.reserve(count)
        for _ in 0..<count {
            let entry = reader.u64() ?? 0
            try maps.positions.append(UInt32(truncatingIfNeeded: entry))
            try maps.ends.append(UInt32(truncatingIfNeeded: entry >> 32))
        }
        try maps.slots.reserve(slots)
        for _ in 0..<slots { try maps.slots.append(reader.u16() ?? 0) }
        _ = reader.skip(((2 &* slots &+ 7) & ~7) &- 2 &* slots)
    }

    /// Reads the memory images: the module's own layouts (`MemoryImageLayout`, derived from its
    /// segments) say which memories have one and how large; the artifact's pages must be exactly
    /// what the segments write. Returns the runs with their offsets in the artifact.
    private static func readImages(_ reader: inout ArtifactCursor, module: UnsafePointer<ModuleDescription>,
                                   diagnostic: inout Diagnostic) throws(SwasmError) -> FallibleVector<ImageRun> {
        let layouts = try MemoryImageLayout.layouts(of: module)
        guard let count = reader.u32(), reader.u32() == 0, Int(count) <= reader.remaining / 16 else {
            try refuse("the memory images are truncated", &diagnostic)
        }
        guard Int(count) == layouts.count else { try refuse("the memory images do not match the module's data segments", &diagnostic) }
        for index in 0..<layouts.count {
            let layout = layouts.base!.advanced(by: index)
            let memory = reader.u32() ?? 0, reserved = reader.u32() ?? 0, bytes = reader.u64() ?? 0
            guard memory == layout.pointee.memory, reserved == 0, bytes == layout.pointee.byteCount else {
                try refuse("the memory images do not match the module's data segments", &diagnostic)
            }
        }
        var runs = FallibleVector<ImageRun>()
        guard layouts.count > 0 else { return runs }
        guard let padding = reader.bytes(ArtifactWriter.imagePaddingAt(reader.position)) else {
            try refuse("the memory images are truncated", &diagnostic)
        }
        guard cswasm_is_zero(padding.baseAddress, padding.count) else { try refuse("the padding before the memory images is not zeros", &diagnostic) }
        for index in 0..<layouts.count {
            let layout = layouts.base!.advanced(by: index)
            let start = reader.position
            guard layout.pointee.byteCount <= UInt64(reader.remaining), let image = reader.bytes(Int(layout.pointee.byteCount)),
                  let bytes = image.baseAddress else {
                try refuse("the memory images are truncated", &diagnostic)
            }
            reader.hashThrough()
            guard layout.pointee.matches(bytes, module: module) else {
                try refuse("a memory image does not match the module's data segments", &diagnostic)
            }
            try runs.reserve(runs.count &+ layout.pointee.runs.count)
            for run in 0..<layout.pointee.runs.count {
                var placed = layout.pointee.runs[run]
                placed.fileOffset &+= UInt64(start)
                try runs.append(placed)
            }
        }
        return runs
    }

    /// Reads and verifies the internal code of every defined function, then threads it.
    private static func readFunctions(_ reader: inout ArtifactCursor, module: UnsafePointer<ModuleDescription>, verifier: inout CodeVerifier,
                                      diagnostic: inout Diagnostic) throws(SwasmError) -> FallibleVector<CompiledFunction> {
        guard let count = reader.u32(), reader.u32() == 0 else { try refuse("the function table is truncated", &diagnostic) }
        guard Int(count) == module.pointee.bodies.count else {
            try refuse("the number of functions does not match the module", &diagnostic)
        }
        var functions = FallibleVector<CompiledFunction>()
        try functions.reserve(Int(count))
        for index in 0..<Int(count) {
            guard reader.remaining >= ArtifactFormat.functionHeaderSize else { try refuse("a function header is truncated", &diagnostic) }
            let bodyStart = Int(reader.u32() ?? 0), parameterSlots = Int(reader.u32() ?? 0)
            let localsStart = Int(reader.u32() ?? 0), localsEnd = Int(reader.u32() ?? 0)
            let frameSlots = Int(reader.u32() ?? 0), flags = reader.u32() ?? 0
            let codeWords = Int(reader.u32() ?? 0), offsetCount = Int(reader.u32() ?? 0)
            guard flags & 0xfe == 0 else { try refuse("a function has unknown flags", &diagnostic) }
            let handlerCount = Int(flags >> 8)
            let bitmapWords = ArtifactFormat.bitmapWords(codeWords)
            guard codeWords <= reader.remaining / 8, bitmapWords &+ offsetCount <= (reader.remaining / 8) &- codeWords,
                  ArtifactFormat.handlerWords &* handlerCount <= (reader.remaining / 8) &- codeWords &- bitmapWords &- offsetCount else {
                try refuse("a function's code is truncated", &diagnostic)
            }
            var function = CompiledFunction(parameterSlots: parameterSlots, localsStart: localsStart, localsEnd: localsEnd,
                                            frameSlots: frameSlots, supported: flags & 1 != 0)
            function.bodyStart = bodyStart
            try reader.readWords(codeWords, into: &function.code)
            verifier.starts.removeAll()
            try reader.readWords(bitmapWords, into: &verifier.starts)
            try reader.readWords(offsetCount, into: &function.offsets)
            try function.handlers.reserve(handlerCount)
            for _ in 0..<handlerCount {
                let span = reader.u64() ?? 0, landing = reader.u64() ?? 0, catching = reader.u64() ?? 0
                try function.handlers.append(ExceptionHandler(start: UInt32(truncatingIfNeeded: span), end: UInt32(truncatingIfNeeded: span >> 32),
                                                              pad: UInt32(truncatingIfNeeded: landing), payload: UInt32(truncatingIfNeeded: landing >> 32),
                                                              tag: UInt32(truncatingIfNeeded: catching), kind: UInt32(truncatingIfNeeded: catching >> 32)))
            }
            try readStackMaps(&reader, into: &function.stackMaps, diagnostic: &diagnostic)
            try withUnsafePointer(to: &function) { (pointer) throws(SwasmError) in
                try verifier.verify(pointer, index: index, diagnostic: &diagnostic)
            }
            try functions.append(function)
        }
        return functions
    }
}

/// A read position in untrusted bytes; every read is bounds-checked. Once hashing starts, every
/// byte read is fed to the checksum (reads are sequential).
struct ArtifactCursor {
    let base: UnsafeRawPointer?
    let count: Int
    var position = 0
    private var hashing = false
    private var hashedUpTo = 0
    private var stream = ChecksumStream()

    mutating func startHashing() {
        hashing = true
        hashedUpTo = position
    }

    /// Feeds the bytes read since the last call to the checksum.
    mutating func hashThrough() {
        guard hashing, position > hashedUpTo, let base else { return }
        stream.feed(UnsafeRawBufferPointer(start: base.advanced(by: hashedUpTo), count: position &- hashedUpTo))
        hashedUpTo = position
    }

    /// The checksum of everything from `startHashing` to the end of the bytes.
    mutating func finishHashing() -> UInt64 {
        position = count
        hashThrough()
        return stream.finish()
    }

    init(_ bytes: UnsafeRawBufferPointer) {
        base = bytes.baseAddress
        count = bytes.count
    }

    var remaining: Int { count &- position }
    var rest: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base.map { $0.advanced(by: position) }, count: remaining) }

    func peekU64() -> UInt64? {
        guard remaining >= 8, let base else { return nil }
        return UInt64(littleEndian: base.loadUnaligned(fromByteOffset: position, as: UInt64.self))
    }

    mutating func u16() -> UInt16? {
        guard remaining >= 2, let base else { return nil }
        defer { position &+= 2 }
        return UInt16(littleEndian: base.loadUnaligned(fromByteOffset: position, as: UInt16.self))
    }

    mutating func u64() -> UInt64? {
        guard let value = peekU64() else { return nil }
        position &+= 8
        return value
    }

    mutating func u32() -> UInt32? {
        guard remaining >= 4, let base else { return nil }
        let value = UInt32(littleEndian: base.loadUnaligned(fromByteOffset: position, as: UInt32.self))
        position &+= 4
        return value
    }

    mutating func bytes(_ length: Int) -> UnsafeRawBufferPointer? {
        guard length >= 0, length <= remaining else { return nil }
        let slice = UnsafeRawBufferPointer(start: base.map { $0.advanced(by: position) }, count: length)
        position &+= length
        return slice
    }

    mutating func skip(_ length: Int) -> Bool { bytes(length) != nil }

    /// Appends `words` 64-bit words (already checked to remain) to `vector`.
    mutating func readWords(_ words: Int, into vector: inout FallibleVector<UInt64>) throws(SwasmError) {
        guard words > 0, let base else { return }
        try vector.reserve(words)
        hashThrough()
        let source = UnsafeRawBufferPointer(start: base.advanced(by: position), count: words &* 8)
        try vector.appendBytes(source)
        position &+= words &* 8
        hashThrough()
    }
}
