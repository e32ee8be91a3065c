/// Decodes and validates a binary module in one pass over its bytes.
///
/// The module is decoded section by section (one file per section in this folder) and validated as
/// it goes (`Validation/`): module-level checks while each section is read, function bodies by
/// `FunctionValidator` while the code section is read. Only WebAssembly 2.0 is accepted (MVP, sign
/// extension, non-trapping float-to-int, multi-value, reference types, bulk memory, fixed-width
/// SIMD), each part subject to the engine's `Features`; later proposals' encodings are malformed.
///
/// Errors follow the specification's classification: `.malformed` for decoding errors, `.invalid`
/// for validation errors, `.limitExceeded` for `ImplementationLimits`, `.outOfMemory` when an
/// allocation fails. When a module is both malformed and invalid it is malformed, as in the
/// specification (which decodes a whole module before validating it): after the first validation
/// failure the rest of the module is still decoded (see `ByteReader.recordInvalid`).
public enum ModuleDecoder {
    /// Decodes and validates a binary module; on failure `diagnostic` says what and where.
    ///
    /// With `validatingBodies` false the function bodies' instructions are neither decoded nor
    /// validated (only their local declarations are): for a deserialized artifact, whose internal
    /// code is verified instead (`Artifact/CodeVerifier.swift`). Everything else is checked as usual.
    ///
    /// `validatingUnimplemented` lets the decoder and validator of a proposal being built run on
    /// their own (tests of work in progress); engines never set it.
    public static func decode(_ bytes: UnsafeRawBufferPointer, features: Features, validatingBodies: Bool = true,
                              validatingUnimplemented: Bool = false, diagnostic: inout Diagnostic) throws(SwasmError) -> ModuleDescription {
        if !validatingUnimplemented, let unsupported = features.firstUnsupported {
            // A proposal switched on that swasm does not implement: say so, instead of failing
            // later on the first instruction or field of the proposal.
            diagnostic.record { (text: inout ByteBuffer) throws(SwasmError) in
                try text.append("WebAssembly feature `")
                try text.append(unsupported)
                try text.append("` is not supported by swasm (disable it in the engine's configuration)")
            }
            throw .unsupported
        }
        var description = ModuleDescription()
        guard bytes.count > 0, let source = bytes.baseAddress else {
            diagnostic.record("unexpected end (module, offset 0x0)")
            throw .malformed
        }
        guard bytes.count <= ImplementationLimits.moduleSize else {
            diagnostic.record { (text: inout ByteBuffer) throws(SwasmError) in
                try text.append("module too large: ")
                try text.appendDecimal(UInt64(bytes.count))
                try text.append(" bytes exceeds the limit of ")
                try text.appendDecimal(UInt64(ImplementationLimits.moduleSize))
            }
            throw .limitExceeded
        }
        // Out of memory is reported without a message: the error is the static out-of-memory
        // one, and composing text would need the memory that just ran out.
        description.bytes = try ByteBuffer(copying: source, count: bytes.count)
        guard let copy = description.bytes.bytes else { throw .outOfMemory }
        var state = ModuleDecoderState(reader: ByteReader(base: UnsafePointer(copy), length: bytes.count), features: features)
        state.validatingBodies = validatingBodies
        do throws(SwasmError) {
            try state.decodeModule(into: &description)
        } catch {
            if error != .outOfMemory {
                let failure = state.reader.failure
                diagnostic.record { (text: inout ByteBuffer) throws(SwasmError) in try failure.compose(into: &text) }
            }
            throw error
        }
        if !state.reader.validating {
            let failure = state.reader.failure
            diagnostic.record { (text: inout ByteBuffer) throws(SwasmError) in try failure.compose(into: &text) }
            throw .invalid
        }
        return description
    }
}

/// Where a section may appear: known sections in this order, custom sections anywhere.
enum SectionID {
    static let custom: UInt8 = 0
    static let type: UInt8 = 1
    static let `import`: UInt8 = 2
    static let function: UInt8 = 3
    static let table: UInt8 = 4
    static let memory: UInt8 = 5
    static let global: UInt8 = 6
    static let export: UInt8 = 7
    static let start: UInt8 = 8
    static let element: UInt8 = 9
    static let code: UInt8 = 10
    static let data: UInt8 = 11
    static let dataCount: UInt8 = 12
    static let tag: UInt8 = 13

    /// The position of a known section in the required order (the tag section goes between the
    /// memory and global sections, the data count section between the element and code
    /// sections); nil for an unknown id.
    static func rank(_ id: UInt8) -> Int? {
        switch id {
        case 1...5: return Int(id) &* 2
        case tag: return 11
        case 6...9: return Int(id) &* 2
        case dataCount: return 19
        case code: return 20
        case data: return 21
        default: return nil
        }
    }
}

/// The state of one decode.
struct ModuleDecoderState: ~Copyable {
    var reader: ByteReader
    let features: Features
    /// Function body validation, with its reusable stacks and the module facts it needs.
    var validator: FunctionValidator
    /// Open blocks while a body is decoded without validation (reused).
    var skipFrames = FallibleVector<UInt8>()
    /// Export names seen so far.
    var exportNames = FallibleHashMap<NameKey, UInt8>()
    /// Number of entries of the function section (nil without one).
    var functionSectionCount: Int? = nil
    var sawCodeSection = false
    /// False when bodies are only split, not decoded (see `ModuleDecoder.decode`).
    var validatingBodies = true
    var sawDataSection = false
    /// Entries of the code and data sections (0 without them).
    var codeCount = 0
    var dataSegmentCount = 0
    var lastSectionRank = 0

    init(reader: ByteReader, features: Features) {
        self.reader = reader
        self.features = features
        self.validator = FunctionValidator(reader: reader, features: features)
    }

    var validating: Bool { reader.validating }

    func instructionContext(_ description: borrowing ModuleDescription) -> InstructionContext {
        InstructionContext(features: features, typeCount: description.types.count, hasDataCount: description.dataCount != nil)
    }

    mutating func decodeModule(into description: inout ModuleDescription) throws(SwasmError) {
        let length = reader.length
        guard length >= 4 else { throw reader.unexpectedEnd() }
        guard try reader.readFixedUInt32() == 0x6d73_6100 else {
            throw reader.malformed("magic header not detected", at: 0)
        }
        guard length >= 8 else { throw reader.unexpectedEnd() }
        guard try reader.readFixedUInt32() == 1 else {
            throw reader.malformed("unknown binary version", at: 4)
        }

        while reader.position < length {
            let idAt = reader.position
            let id = try reader.readByte()
            var rank = 0
            if id != SectionID.custom {
                guard let known = SectionID.rank(id) else {
                    throw reader.malformed("malformed section id", at: idAt, .index(UInt64(id)))
                }
                guard known > lastSectionRank else {
                    throw reader.malformed("unexpected content after last section", at: idAt, .index(UInt64(id)))
                }
                rank = known
            }
            let sizeAt = reader.position
            let size = Int(try reader.readU32())
            guard size <= reader.remaining else {
                throw reader.malformed("length out of bounds", at: sizeAt)
            }
            let start = reader.position
            let sectionEnd = start &+ size
            reader.section = id
            reader.end = sectionEnd
            reader.sectionEnd = sectionEnd
            if rank != 0 { lastSectionRank = rank }
            switch id {
            case SectionID.custom: try decodeCustomSection(into: &description)
            case SectionID.type: try decodeTypeSection(into: &description)
            case SectionID.import: try decodeImportSection(into: &description)
            case SectionID.function: try decodeFunctionSection(into: &description)
            case SectionID.table: try decodeTableSection(into: &description)
            case SectionID.memory: try decodeMemorySection(into: &description)
            case SectionID.global: try decodeGlobalSection(into: &description)
            case SectionID.export: try decodeExportSection(into: &description)
            case SectionID.start: try decodeStartSection(into: &description)
            case SectionID.element: try decodeElementSection(into: &description)
            case SectionID.dataCount: try decodeDataCountSection(into: &description)
            case SectionID.tag: try decodeTagSection(into: &description)
            case SectionID.code: try decodeCodeSection(into: &description)
            default: try decodeDataSection(into: &description)
            }
            guard reader.position == sectionEnd else {
                throw reader.malformed("section size mismatch", at: start)
            }
            reader.end = length
            reader.sectionEnd = length
            reader.section = nil
        }

        // Checks the specification makes once everything is decoded.
        if functionSectionCount ?? 0 != codeCount {
            throw reader.malformed("function and code section have inconsistent lengths", at: length)
        }
        if let count = description.dataCount, Int(count) != dataSegmentCount {
            throw reader.malformed("data count and data section have inconsistent lengths", at: length)
        }
        // The specification requires a data count section whenever a function body uses
        // `memory.init` or `data.drop`. Without a data section, such a module is instead reported
        // invalid ("unknown data segment", from validation): that is how the spec suite expects
        // binaries without data segments, made from its text modules, to fail.
        if reader.usesDataWithoutCount && sawDataSection {
            throw reader.malformed("data count section required", at: length)
        }
    }

    /// A count of module items checked against an implementation limit (after the bytes check).
    mutating func checkLimit(_ total: Int, _ limit: Int, _ message: StaticString, at: Int) throws(SwasmError) {
        if total > limit {
            throw reader.limitExceeded(message, at: at, count: UInt64(total), limit: limit)
        }
    }

    /// A copy of a range of the module's bytes (import and export names).
    func copyBytes(_ range: ByteRange) throws(SwasmError) -> ByteBuffer {
        try ByteBuffer(copying: UnsafeRawPointer(reader.base + range.start), count: range.count)
    }
}

/// A name in the module's bytes, as a hash map key (export name uniqueness).
struct NameKey: HashMapKey, BitwiseCopyable {
    var start: UnsafePointer<UInt8>
    var count: Int

    var hashCode: UInt64 { fnv1aHash(UnsafeRawPointer(start), count: count) }

    func isEqual(to other: borrowing NameKey) -> Bool {
        guard count == other.count else { return false }
        for index in 0..<count where start[index] != other.start[index] { return false }
        return true
    }
}
