import Testing
@testable import Swasm

// MARK: - Building test modules by hand

/// Unsigned LEB128.
func leb(_ value: UInt64) -> [UInt8] {
    var value = value
    var bytes: [UInt8] = []
    repeat {
        var byte = UInt8(value & 0x7f)
        value >>= 7
        if value != 0 { byte |= 0x80 }
        bytes.append(byte)
    } while value != 0
    return bytes
}

/// Signed LEB128.
func sleb(_ value: Int64) -> [UInt8] {
    var value = value
    var bytes: [UInt8] = []
    while true {
        let byte = UInt8(value & 0x7f)
        value >>= 7
        if (value == 0 && byte & 0x40 == 0) || (value == -1 && byte & 0x40 != 0) {
            bytes.append(byte)
            return bytes
        }
        bytes.append(byte | 0x80)
    }
}

func vec(_ items: [[UInt8]]) -> [UInt8] { leb(UInt64(items.count)) + items.flatMap { $0 } }
func name(_ text: String) -> [UInt8] { leb(UInt64(text.utf8.count)) + Array(text.utf8) }
func section(_ id: UInt8, _ contents: [UInt8]) -> [UInt8] { [id] + leb(UInt64(contents.count)) + contents }
func module(_ sections: [UInt8]...) -> [UInt8] { [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00] + sections.flatMap { $0 } }

let i32: UInt8 = 0x7f, i64: UInt8 = 0x7e, f32: UInt8 = 0x7d, f64: UInt8 = 0x7c, v128: UInt8 = 0x7b
let funcref: UInt8 = 0x70, externref: UInt8 = 0x6f

func functionType(_ parameters: [UInt8], _ results: [UInt8]) -> [UInt8] {
    [0x60] + leb(UInt64(parameters.count)) + parameters + leb(UInt64(results.count)) + results
}
func typeSection(_ types: [UInt8]...) -> [UInt8] { section(1, vec(types)) }
func functionSection(_ typeIndices: UInt32...) -> [UInt8] { section(3, vec(typeIndices.map { leb(UInt64($0)) })) }
/// A body: local groups (count, type) and instructions (without the final `end`).
func body(locals: [(UInt32, UInt8)] = [], _ code: [UInt8]) -> [UInt8] {
    let contents = vec(locals.map { leb(UInt64($0.0)) + [$0.1] }) + code + [0x0b]
    return leb(UInt64(contents.count)) + contents
}
func codeSection(_ bodies: [UInt8]...) -> [UInt8] { section(10, vec(bodies)) }
/// A module with one function of type `(parameters) -> (results)` and the given body.
func oneFunction(_ parameters: [UInt8] = [], _ results: [UInt8] = [], locals: [(UInt32, UInt8)] = [],
                 _ code: [UInt8], before: [UInt8] = [], between: [UInt8] = []) -> [UInt8] {
    module(typeSection(functionType(parameters, results)), before, functionSection(0), between,
           codeSection(body(locals: locals, code)))
}
let memorySection1 = section(5, vec([[0x00, 0x01]]))

struct DecodeOutcome {
    var error: SwasmError?
    var message: String
}

func decode(_ bytes: [UInt8], features: Features = .webAssembly2) -> DecodeOutcome {
    var diagnostic = Diagnostic()
    let error: SwasmError? = bytes.withUnsafeBytes { buffer in
        do throws(SwasmError) {
            _ = try ModuleDecoder.decode(buffer, features: features, diagnostic: &diagnostic)
            return nil
        } catch {
            return error
        }
    }
    return DecodeOutcome(error: error, message: string(diagnostic.message))
}

/// Decodes a module that must be valid and hands its description to `inspect`.
func decodeValid(_ bytes: [UInt8], features: Features = .webAssembly2, _ inspect: (borrowing ModuleDescription) -> Void) {
    var diagnostic = Diagnostic()
    bytes.withUnsafeBytes { buffer in
        do throws(SwasmError) {
            let description = try ModuleDecoder.decode(buffer, features: features, diagnostic: &diagnostic)
            inspect(description)
        } catch {
            Issue.record("expected a valid module, got \(error): \(string(diagnostic.message))")
        }
    }
}

func expectFailure(_ bytes: [UInt8], _ expected: SwasmError, _ prefix: String, features: Features = .webAssembly2,
                   sourceLocation: SourceLocation = #_sourceLocation) {
    let outcome = decode(bytes, features: features)
    #expect(outcome.error == expected, "message: \(outcome.message)", sourceLocation: sourceLocation)
    #expect(outcome.message.hasPrefix(prefix), "message: \(outcome.message)", sourceLocation: sourceLocation)
}

func expectValid(_ bytes: [UInt8], features: Features = .webAssembly2, sourceLocation: SourceLocation = #_sourceLocation) {
    let outcome = decode(bytes, features: features)
    #expect(outcome.error == nil, "message: \(outcome.message)", sourceLocation: sourceLocation)
}

// MARK: - Reader

@Suite struct ByteReaderTests {
    func reading<T>(_ bytes: [UInt8], _ read: (inout ByteReader) throws(SwasmError) -> T) -> (T?, String) {
        bytes.withUnsafeBufferPointer { buffer in
            var reader = ByteReader(base: buffer.baseAddress!, length: buffer.count)
            reader.section = 1
            do throws(SwasmError) {
                return (try read(&reader), "")
            } catch {
                return (nil, "\(reader.failure.message)")
            }
        }
    }

    @Test func unsignedLEB128() {
        #expect(reading([0x00]) { (r) throws(SwasmError) in try r.readU32() }.0 == 0)
        #expect(reading([0xe5, 0x8e, 0x26]) { (r) throws(SwasmError) in try r.readU32() }.0 == 624_485)
        #expect(reading([0x80, 0x01]) { (r) throws(SwasmError) in try r.readU32() }.0 == 128)
        #expect(reading([0xff, 0x7f]) { (r) throws(SwasmError) in try r.readU32() }.0 == 16_383)
        #expect(reading([0xff, 0xff, 0xff, 0xff, 0x0f]) { (r) throws(SwasmError) in try r.readU32() }.0 == UInt32.max)
        // Overlong but within 5 bytes is fine.
        #expect(reading([0x80, 0x80, 0x80, 0x80, 0x00]) { (r) throws(SwasmError) in try r.readU32() }.0 == 0)
        #expect(reading([0x80, 0x80, 0x80, 0x80, 0x80, 0x00]) { (r) throws(SwasmError) in try r.readU32() }.1 == "integer representation too long")
        #expect(reading([0xff, 0xff, 0xff, 0xff, 0x1f]) { (r) throws(SwasmError) in try r.readU32() }.1 == "integer too large")
        #expect(reading([0x80, 0x80]) { (r) throws(SwasmError) in try r.readU32() }.1 == "unexpected end of section or function")
        #expect(reading([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]) { (r) throws(SwasmError) in try r.readU64() }.0 == UInt64.max)
        #expect(reading([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02]) { (r) throws(SwasmError) in try r.readU64() }.1 == "integer too large")
        #expect(reading([0x81, 0x00]) { (r) throws(SwasmError) in try r.readU1() }.1 == "integer representation too long")
        #expect(reading([0x02]) { (r) throws(SwasmError) in try r.readU1() }.1 == "integer too large")
    }

    @Test func signedLEB128() {
        #expect(reading([0x7f]) { (r) throws(SwasmError) in try r.readS32() }.0 == -1)
        #expect(reading([0x3f]) { (r) throws(SwasmError) in try r.readS32() }.0 == 63)
        #expect(reading([0x80, 0x7f]) { (r) throws(SwasmError) in try r.readS32() }.0 == -128)
        #expect(reading([0xff, 0x00]) { (r) throws(SwasmError) in try r.readS32() }.0 == 127)
        #expect(reading([0xff, 0x3f]) { (r) throws(SwasmError) in try r.readS32() }.0 == 8191)
        #expect(reading([0x80, 0x40]) { (r) throws(SwasmError) in try r.readS32() }.0 == -8192)
        #expect(reading([0x80]) { (r) throws(SwasmError) in try r.readS32() }.1 == "unexpected end of section or function")
        #expect(reading([0xc0, 0xbb, 0x78]) { (r) throws(SwasmError) in try r.readS32() }.0 == -123_456)
        #expect(reading([0x80, 0x80, 0x80, 0x80, 0x78]) { (r) throws(SwasmError) in try r.readS32() }.0 == Int32.min)
        #expect(reading([0xff, 0xff, 0xff, 0xff, 0x07]) { (r) throws(SwasmError) in try r.readS32() }.0 == Int32.max)
        #expect(reading([0xff, 0xff, 0xff, 0xff, 0x0f]) { (r) throws(SwasmError) in try r.readS32() }.1 == "integer too large")
        #expect(reading([0x80, 0x80, 0x80, 0x80, 0x70]) { (r) throws(SwasmError) in try r.readS32() }.1 == "integer too large")
        #expect(reading([0xff, 0xff, 0xff, 0xff, 0xff, 0x7f]) { (r) throws(SwasmError) in try r.readS32() }.1 == "integer representation too long")
        #expect(reading(sleb(Int64.min)) { (r) throws(SwasmError) in try r.readS64() }.0 == Int64.min)
        #expect(reading(sleb(Int64.max)) { (r) throws(SwasmError) in try r.readS64() }.0 == Int64.max)
        #expect(reading([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f]) { (r) throws(SwasmError) in try r.readS64() }.0 == -1)
        #expect(reading([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x41]) { (r) throws(SwasmError) in try r.readS64() }.1 == "integer too large")
        #expect(reading([0xff, 0xff, 0xff, 0xff, 0x0f]) { (r) throws(SwasmError) in try r.readS33() }.0 == 0xffff_ffff)
        #expect(reading([0x80, 0x80, 0x80, 0x80, 0x70]) { (r) throws(SwasmError) in try r.readS33() }.0 == -(1 << 32))
    }

    @Test func floatsAndBytes() {
        #expect(reading([0x00, 0x00, 0x80, 0x3f]) { (r) throws(SwasmError) in try r.readF32Bits() }.0 == Float(1).bitPattern)
        #expect(reading([0, 0, 0, 0, 0, 0, 0xf0, 0x3f]) { (r) throws(SwasmError) in try r.readF64Bits() }.0 == Double(1).bitPattern)
        #expect(reading([0x00, 0x00, 0x80]) { (r) throws(SwasmError) in try r.readF32Bits() }.1 == "unexpected end of section or function")
        #expect(reading([0x01]) { (r) throws(SwasmError) in try r.readZeroByte() }.1 == "zero byte expected")
    }

    @Test func names() {
        #expect(reading(name("héllo")) { (r) throws(SwasmError) in try r.readName().count }.0 == 6)
        #expect(reading([0x02, 0xc0, 0x80]) { (r) throws(SwasmError) in try r.readName() }.1 == "malformed UTF-8 encoding") // overlong NUL
        #expect(reading([0x03, 0xed, 0xa0, 0x80]) { (r) throws(SwasmError) in try r.readName() }.1 == "malformed UTF-8 encoding") // surrogate
        #expect(reading([0x04, 0xf4, 0x90, 0x80, 0x80]) { (r) throws(SwasmError) in try r.readName() }.1 == "malformed UTF-8 encoding") // > U+10FFFF
        #expect(reading([0x02, 0xe2, 0x82]) { (r) throws(SwasmError) in try r.readName() }.1 == "malformed UTF-8 encoding") // truncated
        #expect(reading([0x01, 0xff]) { (r) throws(SwasmError) in try r.readName() }.1 == "malformed UTF-8 encoding")
        #expect(reading([0x05, 0x61]) { (r) throws(SwasmError) in try r.readName() }.1 == "length out of bounds")
        #expect(reading(name("\u{10FFFF}")) { (r) throws(SwasmError) in try r.readName().count }.0 == 4)
    }
}

// MARK: - Module structure

@Suite struct ModuleStructureTests {
    @Test func emptyModule() {
        decodeValid(module()) { description in
            do { let value = description.types.count; #expect(value == 0) }
            do { let value = description.bytes.count; #expect(value == 8) }
        }
    }

    @Test func header() {
        expectFailure([], .malformed, "unexpected end")
        expectFailure([0x00, 0x61, 0x73], .malformed, "unexpected end")
        expectFailure([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00], .malformed, "unexpected end")
        expectFailure([0x00, 0x41, 0x53, 0x4d, 0x01, 0x00, 0x00, 0x00], .malformed, "magic header not detected")
        expectFailure([0x00, 0x61, 0x73, 0x6d, 0x02, 0x00, 0x00, 0x00], .malformed, "unknown binary version")
        expectFailure([0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00], .malformed, "unknown binary version")
    }

    @Test func sectionFraming() {
        expectFailure(module([0x0e, 0x00]), .malformed, "malformed section id")
        expectFailure(module([0x0f, 0x00]), .malformed, "malformed section id")
        // The tag section (exceptions) goes between the memory and global sections.
        expectFailure(module(section(6, vec([])), section(13, vec([]))), .malformed, "unexpected content after last section")
        expectFailure(module(section(13, vec([[0x00, 0x00]]))), .invalid, "exceptions support is not enabled")
        expectFailure(module(section(3, vec([])), section(1, vec([]))), .malformed, "unexpected content after last section")
        expectFailure(module(section(1, vec([])), section(1, vec([]))), .malformed, "unexpected content after last section")
        expectFailure(module([0x01, 0x05, 0x00]), .malformed, "length out of bounds")
        expectFailure(module([0x01, 0x02, 0x00, 0x00]), .malformed, "section size mismatch")
        expectFailure(module([0x01]), .malformed, "unexpected end")
        // The data count section goes between the element and code sections.
        expectValid(module(section(9, vec([])), section(12, [0x00]), section(10, vec([]))))
        expectFailure(module(section(10, vec([])), section(12, [0x00])), .malformed, "unexpected content after last section")
    }

    @Test func diagnosticSaysWhere() {
        let outcome = decode(oneFunction([], [i32], [0x44] + [UInt8](repeating: 0, count: 8)))
        #expect(outcome.error == .invalid)
        #expect(outcome.message == "type mismatch: expected i32 but got f64 (function 0, offset 0x21)")
        let framing = decode(module([0x01, 0x02, 0x00, 0x00]))
        #expect(framing.message == "section size mismatch (section 1, offset 0xa)")
    }

    @Test func customSections() {
        let bytes = module(section(0, name("hello") + [1, 2, 3]), typeSection(), section(0, name("x")))
        decodeValid(bytes) { description in
            do { let value = description.customSections.count; #expect(value == 2) }
            let first = description.customSections[0]
            do { let value = first.name.count; #expect(value == 5) }
            do { let value = first.contents.count; #expect(value == 3) }
        }
        expectFailure(module(section(0, [0x02, 0xc0, 0x80])), .malformed, "malformed UTF-8 encoding")
        expectFailure(module([0x00, 0x00]), .malformed, "unexpected end")
    }

    @Test func nameSection() {
        let functionNames = [UInt8]([0x01]) + { let c = vec([leb(0) + name("first"), leb(1) + name("second")]); return leb(UInt64(c.count)) + c }()
        let moduleName = [UInt8]([0x00]) + { let c = name("mod"); return leb(UInt64(c.count)) + c }()
        let bytes = module(typeSection(functionType([], [])), functionSection(0, 0),
                           codeSection(body([]), body([])), section(0, name("name") + moduleName + functionNames))
        decodeValid(bytes) { description in
            do { let value = description.moduleName?.count; #expect(value == 3) }
            do { let value = description.functionNames.count; #expect(value == 2) }
            do { let value = description.functionName(1)?.count; #expect(value == 6) }
            do { let value = description.functionName(2); #expect(value == nil) }
        }
        // A malformed name section is ignored.
        let broken = module(section(0, name("name") + [0x01, 0x05, 0x01]))
        decodeValid(broken) { description in
            do { let value = description.functionNames.count; #expect(value == 0) }
            do { let value = description.customSections.count; #expect(value == 1) }
        }
    }
}

// MARK: - Sections

@Suite struct SectionTests {
    @Test func decodesTypeSection() {
        decodeValid(module(typeSection(functionType([i32, i64], [f32]), functionType([], [f64, v128])))) { description in
            do { let value = description.types.count; #expect(value == 2) }
            do { let value = description.types[0].parameters.count; #expect(value == 2) }
            do { let value = description.types[0].parameters[1]; #expect(value == .i64) }
            do { let value = description.types[0].results[0]; #expect(value == .f32) }
            do { let value = description.types[1].results[1]; #expect(value == .v128) }
        }
        expectFailure(module(section(1, vec([[0x61, 0x00, 0x00]]))), .malformed, "malformed function type")
        expectFailure(module(section(1, vec([[0x60, 0x01, 0x7a, 0x00]]))), .malformed, "malformed value type")
        expectFailure(module(typeSection(functionType([], [i32, i32]))), .invalid, "invalid result arity",
                      features: Features.webAssembly2.subtracting(.multiValue))
    }

    @Test func decodesImportSection() {
        let imports = section(2, vec([
            name("env") + name("f") + [0x00] + leb(0),
            name("env") + name("t") + [0x01, funcref, 0x01, 0x01, 0x02],
            name("env") + name("m") + [0x02, 0x00, 0x01],
            name("env") + name("g") + [0x03, i32, 0x01],
        ]))
        decodeValid(module(typeSection(functionType([], [])), imports)) { description in
            do { let value = description.imports.count; #expect(value == 4) }
            do { let value = description.importedFunctionCount; #expect(value == 1) }
            do { let value = description.importedTableCount; #expect(value == 1) }
            do { let value = description.importedMemoryCount; #expect(value == 1) }
            do { let value = description.importedGlobalCount; #expect(value == 1) }
            #expect(string(description.imports[0].module) == "env")
            #expect(string(description.imports[3].name) == "g")
            do { let value = description.imports[1].type; #expect(value == .table(TableType(element: .funcref, limits: Limits(minimum: 1, maximum: 2)))) }
            do { let value = description.globals[0]; #expect(value == GlobalType(content: .i32, isMutable: true)) }
        }
        expectFailure(module(section(2, vec([name("a") + name("b") + [0x05, 0x00]]))), .malformed, "malformed import kind")
        expectFailure(module(section(2, vec([name("a") + name("b") + [0x04, 0x01, 0x00]]))), .malformed, "malformed tag attribute")
        expectFailure(module(section(2, vec([name("a") + name("b") + [0x00, 0x00]]))), .invalid, "unknown type 0")
        expectFailure(module(section(2, vec([name("a") + name("b") + [0x03, i32, 0x02]]))), .malformed, "malformed mutability")
        expectFailure(module(section(2, vec([name("a") + name("b") + [0x02, 0x03, 0x01, 0x01]]))), .invalid, "threads must be enabled for shared memories") // shared memory
        expectFailure(module(section(2, vec([name("a") + name("b") + [0x03, i32, 0x01]]))), .invalid, "mutable global import",
                      features: Features.webAssembly2.subtracting(.mutableGlobals))
    }

    @Test func decodesFunctionAndCodeSections() {
        decodeValid(oneFunction([i32], [i32], locals: [(2, i64), (1, f32)], [0x20, 0x00])) { description in
            do { let value = description.functions.count; #expect(value == 1) }
            do { let value = description.bodies.count; #expect(value == 1) }
            do { let value = description.bodies[0].localCount; #expect(value == 3) }
            do { let value = description.bodies[0].locals.count; #expect(value == 2) }
            do { let value = description.bodies[0].locals[0].count; #expect(value == 2) }
            do { let value = description.bodies[0].locals[0].type; #expect(value == .i64) }
            do { let value = description.bodies[0].maxStackHeight; #expect(value == 1) }
            do { let value = description.bodies[0].code.count; #expect(value == 3) }
            do { let (end, total) = (description.bodies[0].range.end, description.bytes.count); #expect(end == total) }
        }
        expectFailure(module(typeSection(functionType([], [])), functionSection(0, 0), codeSection(body([]))),
                      .malformed, "function and code section have inconsistent lengths")
        expectFailure(module(typeSection(functionType([], [])), functionSection(0)),
                      .malformed, "function and code section have inconsistent lengths")
        expectFailure(module(typeSection(functionType([], [])), functionSection(1), codeSection(body([]))), .invalid, "unknown type 1")
        // Too many locals: malformed from 2^32 on, an implementation limit before.
        expectFailure(oneFunction(locals: [(0xffff_ffff, i32), (1, i32)], []), .malformed, "too many locals")
        expectFailure(oneFunction(locals: [(50_001, i32)], []), .limitExceeded, "too many locals")
        expectValid(oneFunction(locals: [(50_000, i32)], [0x20] + leb(49_999) + [0x1a]))
        // Missing end, bytes after the end.
        expectFailure(module(typeSection(functionType([], [])), functionSection(0), codeSection([0x02, 0x00, 0x01])),
                      .malformed, "unexpected end")
        expectFailure(module(typeSection(functionType([], [])), functionSection(0), codeSection([0x03, 0x00, 0x0b, 0x01])),
                      .malformed, "section size mismatch")
    }

    @Test func manyLocalsAreLookedUpByRuns() {
        // 600 parameters and 49,999 locals in three runs, most beyond the directly stored ones:
        // i64 600..<20600, f32 20600..<50199, f64 50199..<50599.
        let parameters = [UInt8](repeating: i32, count: 600)
        let locals: [(UInt32, UInt8)] = [(20_000, i64), (29_599, f32), (400, f64)]
        let code: [UInt8] = [0x20] + leb(1) + [0x1a, 0x20] + leb(30_000) + [0x8c, 0x1a, 0x20] + leb(50_300) + [0x9a, 0x1a]
        expectValid(oneFunction(parameters, [], locals: locals, code))
        expectFailure(oneFunction(parameters, [], locals: locals, [0x20] + leb(50_599) + [0x1a]), .invalid, "unknown local 50599")
        expectFailure(oneFunction(parameters, [], locals: locals, [0x20] + leb(20_000) + [0x9a, 0x1a]),
                      .invalid, "type mismatch: expected f64 but got i64")
        expectFailure(oneFunction(parameters, [], locals: locals, [0x20] + leb(50_198) + [0x9a, 0x1a]),
                      .invalid, "type mismatch: expected f64 but got f32")
    }

    @Test func decodesTableSection() {
        decodeValid(module(section(4, vec([[funcref, 0x00, 0x05], [externref, 0x01, 0x00, 0x10]])))) { description in
            do { let value = description.tables.count; #expect(value == 2) }
            do { let value = description.tables[1].element; #expect(value == .externref) }
            do { let value = description.tables[1].limits; #expect(value == Limits(minimum: 0, maximum: 16)) }
        }
        expectFailure(module(section(4, vec([[funcref, 0x01, 0x02, 0x01]]))), .invalid, "size minimum must not be greater than maximum")
        expectFailure(module(section(4, vec([[i32, 0x00, 0x00]]))), .malformed, "malformed reference type")
        // Large minimums compile (instantiation refuses them, as wasmtime's does when memory runs out).
        decodeValid(module(section(4, vec([[funcref, 0x00] + leb(10_000_001)])))) { description in
            do { let value = description.tables[0].limits.minimum; #expect(value == 10_000_001) }
        }
        expectFailure(module(section(4, vec([[funcref, 0x00] + leb(0x1_0000_0000)]))), .malformed, "integer too large")
        expectFailure(module(section(4, vec([[funcref, 0x04] + leb(1 << 40)]))), .invalid, "memory64 support is not enabled")
        decodeValid(module(section(4, vec([[funcref, 0x05] + leb(0) + leb(UInt64.max)]))), features: .defaults) { description in
            do { let value = description.tables[0]; #expect(value == TableType(element: .funcref, limits: Limits(minimum: 0, maximum: UInt64.max), is64: true)) }
        }
        expectFailure(module(section(4, vec([[funcref, 0x00, 0x00], [funcref, 0x00, 0x00]]))), .invalid, "multiple tables",
                      features: Features.webAssembly2.subtracting(.referenceTypes))
    }

    @Test func decodesMemorySection() {
        decodeValid(module(section(5, vec([[0x01, 0x01, 0x02]])))) { description in
            do { let value = description.memories.count; #expect(value == 1) }
            do { let value = description.memories[0].limits; #expect(value == Limits(minimum: 1, maximum: 2)) }
        }
        expectFailure(module(section(5, vec([[0x00] + leb(65_537)]))), .invalid, "memory size must be at most 65536 pages (4GiB)")
        expectFailure(module(section(5, vec([[0x01, 0x00] + leb(65_537)]))), .invalid, "memory size must be at most 65536 pages (4GiB)")
        expectFailure(module(section(5, vec([[0x01, 0x02, 0x01]]))), .invalid, "size minimum must not be greater than maximum")
        expectFailure(module(section(5, vec([[0x00, 0x00], [0x00, 0x00]]))), .invalid, "multiple memories")
        expectFailure(module(section(5, vec([[0x04, 0x00]]))), .invalid, "memory64 support is not enabled")
        expectFailure(module(section(5, vec([[0x08, 0x00, 0x10]]))), .invalid, "custom page sizes support is not enabled")
        expectFailure(module(section(5, vec([[0x10, 0x00]]))), .malformed, "malformed limits flags")
        expectFailure(module(section(5, vec([[0x04] + leb(1 << 48 + 1)]))), .invalid, "memory size must be at most 2**48 pages",
                      features: .defaults)
        decodeValid(module(section(5, vec([[0x05, 0x00] + leb(1 << 40)]))), features: .defaults) { description in
            do { let value = description.memories[0]; #expect(value == MemoryType(limits: Limits(minimum: 0, maximum: 1 << 40), is64: true)) }
        }
        decodeValid(module(section(5, vec([[0x00, 0x00], [0x00, 0x01]]))), features: .defaults) { description in
            do { let value = description.memories.count; #expect(value == 2) }
        }
    }

    @Test func decodesGlobalSection() {
        let imported = section(2, vec([name("a") + name("g") + [0x03, i32, 0x00], name("a") + name("m") + [0x03, i32, 0x01]]))
        let globals = section(6, vec([
            [i32, 0x00, 0x41] + sleb(-5) + [0x0b],
            [i64, 0x01, 0x42] + sleb(1 << 40) + [0x0b],
            [f32, 0x00, 0x43, 0, 0, 0, 0, 0x0b],
            [f64, 0x00, 0x44, 0, 0, 0, 0, 0, 0, 0, 0, 0x0b],
            [i32, 0x00, 0x23, 0x00, 0x0b],
            [funcref, 0x00, 0xd0, funcref, 0x0b],
            [externref, 0x00, 0xd0, externref, 0x0b],
            [v128, 0x00, 0xfd, 0x0c] + [UInt8](repeating: 7, count: 16) + [0x0b],
        ]))
        decodeValid(module(imported, globals)) { description in
            do { let value = description.globals.count; #expect(value == 10) }
            do { let value = description.importedGlobalCount; #expect(value == 2) }
            do { let value = description.globalInitializers.count; #expect(value == 8) }
            do { let value = description.globals[3].isMutable; #expect(value) }
            do { let value = description.globalInitializers[0].count; #expect(value == 3) }
        }
        expectFailure(module(section(6, vec([[i32, 0x00, 0x42, 0x00, 0x0b]]))), .invalid, "type mismatch: expected i32 but got i64")
        expectFailure(module(section(6, vec([[i32, 0x00, 0x0b]]))), .invalid, "type mismatch")
        expectFailure(module(section(6, vec([[i32, 0x00, 0x41, 0x00, 0x41, 0x00, 0x0b]]))), .invalid, "type mismatch")
        expectFailure(module(section(6, vec([[i32, 0x00, 0x41, 0x00, 0x41, 0x00, 0x6a, 0x0b]]))), .invalid, "constant expression required")
        expectFailure(module(section(6, vec([[i32, 0x00, 0x01, 0x41, 0x00, 0x0b]]))), .invalid, "constant expression required")
        expectFailure(module(imported, section(6, vec([[i32, 0x00, 0x23, 0x01, 0x0b]]))), .invalid, "constant expression required")
        expectFailure(module(imported, section(6, vec([[i32, 0x00, 0x23, 0x02, 0x0b]]))), .invalid, "unknown global 2")
        // Only imported globals, in WebAssembly 2.0.
        expectFailure(module(section(6, vec([[i32, 0x00, 0x41, 0x00, 0x0b], [i32, 0x00, 0x23, 0x00, 0x0b]]))), .invalid, "unknown global 0")
        expectFailure(module(section(6, vec([[i32, 0x00, 0x41, 0x00]]))), .malformed, "unexpected end")
        expectFailure(module(section(6, vec([[i32, 0x00, 0x06, 0x0b]]))), .malformed, "illegal opcode")
        expectFailure(module(section(6, vec([[i32, 0x02, 0x41, 0x00, 0x0b]]))), .malformed, "malformed mutability")
        expectFailure(module(section(6, vec([[v128, 0x00, 0xfd, 0x0c] + [UInt8](repeating: 7, count: 16) + [0x0b]]))), .invalid, "SIMD",
                      features: Features.webAssembly2.subtracting(.simd))
    }

    @Test func decodesExportSection() {
        let bytes = module(typeSection(functionType([], [])), functionSection(0), section(4, vec([[funcref, 0x00, 0x00]])),
                           memorySection1, section(6, vec([[i32, 0x00, 0x41, 0x00, 0x0b]])),
                           section(7, vec([name("f") + [0x00, 0x00], name("t") + [0x01, 0x00], name("m") + [0x02, 0x00], name("g") + [0x03, 0x00]])),
                           codeSection(body([])))
        decodeValid(bytes) { description in
            do { let value = description.exports.count; #expect(value == 4) }
            #expect(string(description.exports[2].name) == "m")
            do { let value = description.exports[2].kind; #expect(value == .memory) }
            do { let value = description.exportType(0); #expect(value == .function(typeIndex: 0)) }
            do { let value = description.exportType(3); #expect(value == .global(GlobalType(content: .i32, isMutable: false))) }
        }
        let duplicate = module(typeSection(functionType([], [])), functionSection(0),
                               section(7, vec([name("f") + [0x00, 0x00], name("f") + [0x00, 0x00]])), codeSection(body([])))
        expectFailure(duplicate, .invalid, "duplicate export name")
        expectFailure(module(section(7, vec([name("f") + [0x00, 0x00]]))), .invalid, "unknown function 0")
        expectFailure(module(section(7, vec([name("t") + [0x01, 0x00]]))), .invalid, "unknown table 0")
        expectFailure(module(section(7, vec([name("m") + [0x02, 0x03]]))), .invalid, "unknown memory 3")
        expectFailure(module(section(7, vec([name("g") + [0x03, 0x00]]))), .invalid, "unknown global 0")
        expectFailure(module(section(7, vec([name("x") + [0x04, 0x00]]))), .invalid, "unknown tag 0")
        expectFailure(module(section(7, vec([name("x") + [0x05, 0x00]]))), .malformed, "malformed export kind")
    }

    @Test func decodesStartSection() {
        let valid = module(typeSection(functionType([], [])), functionSection(0), section(8, leb(0)), codeSection(body([])))
        decodeValid(valid) { description in #expect(description.start == 0) }
        let withParameter = module(typeSection(functionType([i32], [])), functionSection(0), section(8, leb(0)), codeSection(body([])))
        expectFailure(withParameter, .invalid, "start function")
        expectFailure(module(section(8, leb(0))), .invalid, "unknown function 0")
    }

    @Test func decodesElementSection() {
        let table = section(4, vec([[funcref, 0x00, 0x04], [externref, 0x00, 0x04]]))
        let elements = section(9, vec([
            [0x00, 0x41, 0x00, 0x0b] + vec([leb(0), leb(1)]),                  // active, table 0, function indices
            [0x01, 0x00] + vec([leb(1)]),                                       // passive, function indices
            [0x02, 0x00, 0x41, 0x01, 0x0b, 0x00] + vec([leb(0)]),               // active, explicit table
            [0x03, 0x00] + vec([leb(1)]),                                       // declarative
            [0x04, 0x41, 0x02, 0x0b] + vec([[0xd2, 0x00, 0x0b], [0xd0, funcref, 0x0b]]), // active, expressions
            [0x05, externref] + vec([[0xd0, externref, 0x0b]]),                 // passive, expressions
            [0x06, 0x01, 0x41, 0x00, 0x0b, externref] + vec([[0xd0, externref, 0x0b]]),  // active table 1
            [0x07, funcref] + vec([[0xd2, 0x01, 0x0b]]),                        // declarative, expressions
        ]))
        let bytes = module(typeSection(functionType([], [])), functionSection(0, 0), table, elements,
                           codeSection(body([0xd2, 0x00, 0x1a]), body([0xd2, 0x01, 0x1a])))
        decodeValid(bytes) { description in
            do { let value = description.elements.count; #expect(value == 8) }
            do { let value = description.elements[0].functionIndices.count; #expect(value == 2) }
            do { let value = description.elements[1].mode; #expect(value == .passive) }
            do { let value = description.elements[3].mode; #expect(value == .declarative) }
            do { let value = description.elements[4].usesExpressions; #expect(value) }
            do { let value = description.elements[4].expressions.count; #expect(value == 2) }
            do { let value = description.elements[5].type; #expect(value == .externref) }
            if case .active(let index, _) = description.elements[6].mode { #expect(index == 1) } else { Issue.record("segment 6 should be active") }
        }
        expectFailure(module(section(9, vec([[0x08]]))), .malformed, "malformed elements segment kind")
        expectFailure(module(typeSection(functionType([], [])), functionSection(0), section(9, vec([[0x01, 0x01] + vec([leb(0)])])), codeSection(body([]))),
                      .malformed, "malformed element kind")
        expectFailure(module(section(9, vec([[0x05, i32] + vec([])]))), .malformed, "malformed reference type")
        expectFailure(module(section(9, vec([[0x00, 0x41, 0x00, 0x0b] + vec([])]))), .invalid, "unknown table 0")
        expectFailure(module(table, section(9, vec([[0x01, 0x00] + vec([leb(3)])]))), .invalid, "unknown function 3")
        expectFailure(module(table, section(9, vec([[0x06, 0x01, 0x41, 0x00, 0x0b, funcref] + vec([])]))), .invalid, "type mismatch")
        expectFailure(module(table, section(9, vec([[0x05, funcref] + vec([[0xd0, externref, 0x0b]])]))), .invalid, "type mismatch")
        expectFailure(module(table, section(9, vec([[0x05, funcref] + vec([[0x41, 0x00, 0x0b]])]))), .invalid, "type mismatch")
    }

    @Test func undeclaredFunctionReference() {
        let bytes = module(typeSection(functionType([], [])), functionSection(0), codeSection(body([0xd2, 0x00, 0x1a])))
        expectFailure(bytes, .invalid, "undeclared function reference")
        // An export declares it.
        let exported = module(typeSection(functionType([], [])), functionSection(0), section(7, vec([name("f") + [0x00, 0x00]])),
                              codeSection(body([0xd2, 0x00, 0x1a])))
        expectValid(exported)
    }

    @Test func decodesDataSections() {
        let data = section(11, vec([
            [0x00, 0x41, 0x08, 0x0b] + leb(3) + [1, 2, 3],
            [0x01] + leb(2) + [4, 5],
            [0x02, 0x00, 0x41, 0x00, 0x0b] + leb(0),
        ]))
        decodeValid(module(memorySection1, section(12, leb(3)), data)) { description in
            do { let value = description.dataCount; #expect(value == 3) }
            do { let value = description.data.count; #expect(value == 3) }
            do { let value = description.data[0].bytes.count; #expect(value == 3) }
            do { let value = description.data[1].mode; #expect(value == .passive) }
        }
        expectFailure(module(memorySection1, section(12, leb(2)), data), .malformed, "data count and data section have inconsistent lengths")
        expectFailure(module(memorySection1, section(12, leb(1))), .malformed, "data count and data section have inconsistent lengths")
        expectFailure(module(section(11, vec([[0x00, 0x41, 0x00, 0x0b, 0x00]]))), .invalid, "unknown memory 0")
        expectFailure(module(memorySection1, section(11, vec([[0x03]]))), .malformed, "malformed data segment kind")
        expectFailure(module(memorySection1, section(11, vec([[0x01, 0x05, 0x01]]))), .malformed, "unexpected end")
        // memory.init needs a data count section when the module has data.
        let initCode: [UInt8] = [0x41, 0x00, 0x41, 0x00, 0x41, 0x00, 0xfc, 0x08, 0x00, 0x00]
        expectFailure(module(typeSection(functionType([], [])), functionSection(0), memorySection1,
                             codeSection(body(initCode)), section(11, vec([[0x01, 0x00]]))),
                      .malformed, "data count section required")
        expectValid(module(typeSection(functionType([], [])), functionSection(0), memorySection1, section(12, leb(1)),
                           codeSection(body(initCode + [0xfc, 0x09, 0x00])), section(11, vec([[0x01, 0x00]]))))
        expectFailure(module(typeSection(functionType([], [])), functionSection(0), memorySection1, section(12, leb(1)),
                             codeSection(body([0xfc, 0x09, 0x01])), section(11, vec([[0x01, 0x00]]))),
                      .invalid, "unknown data segment 1")
    }

    @Test func malformedWinsOverInvalid() {
        // An invalid body, then an illegal opcode or a misplaced else later in the same body.
        expectFailure(oneFunction([], [], [0x6a, 0x06]), .malformed, "illegal opcode")
        expectFailure(oneFunction([], [], [0x02, 0x40, 0x6a, 0x05, 0x0b]), .malformed, "END opcode expected")
        expectFailure(oneFunction([], [], [0x41, 0x00, 0x04, 0x40, 0x6a, 0x05, 0x05, 0x0b]), .malformed, "END opcode expected")
        expectFailure(oneFunction([], [], [0x41, 0x00, 0x04, 0x40, 0x6a, 0x05, 0x0b]), .invalid, "type mismatch")
        // After an invalid global, bodies are only decoded, and still checked for misplaced else.
        expectFailure(module(typeSection(functionType([], [])), functionSection(0), section(6, vec([[i32, 0x00, 0x42, 0x00, 0x0b]])),
                             codeSection(body([0x05]))), .malformed, "END opcode expected")
        // An invalid body, then a malformed section.
        let bytes = module(typeSection(functionType([], [])), functionSection(0), codeSection(body([0x6a])), [0x0e, 0x00])
        expectFailure(bytes, .malformed, "malformed section id")
        // Invalid global, then a malformed export section.
        expectFailure(module(section(6, vec([[i32, 0x00, 0x42, 0x00, 0x0b]])), section(7, vec([name("x") + [0x09, 0x00]]))),
                      .malformed, "malformed export kind")
        // An invalid instruction inside nested blocks: the rest of the body is still decoded.
        do {
            let outcome = decode(oneFunction([], [], [0x02, 0x40, 0x02, 0x40, 0x6a, 0x0b, 0x41, 0x00, 0x1a, 0x0b]))
            #expect(outcome.error == .invalid, "message: \(outcome.message)")
        }
    }
}

// MARK: - Function bodies

@Suite struct FunctionValidationTests {
    @Test func operandsAndLocals() {
        expectValid(oneFunction([i32, i32], [i32], [0x20, 0x00, 0x20, 0x01, 0x6a]))
        expectFailure(oneFunction([i32], [i32], [0x20, 0x01]), .invalid, "unknown local 1")
        expectFailure(oneFunction([], [i32], []), .invalid, "type mismatch: expected i32 but nothing on stack")
        expectFailure(oneFunction([], [], [0x41, 0x00]), .invalid, "type mismatch")
        expectFailure(oneFunction([], [], [0x6a]), .invalid, "type mismatch")
        expectFailure(oneFunction([f32], [], locals: [(1, i32)], [0x20, 0x00, 0x21, 0x01]), .invalid, "type mismatch: expected i32 but got f32")
        decodeValid(oneFunction([], [i32], [0x41, 0x01, 0x41, 0x02, 0x41, 0x03, 0x6a, 0x6a])) { description in
            do { let value = description.bodies[0].maxStackHeight; #expect(value == 3) }
        }
    }

    @Test func blocks() {
        // block (result i32) i32.const 1 end
        expectValid(oneFunction([], [i32], [0x02, i32, 0x41, 0x01, 0x0b]))
        expectFailure(oneFunction([], [i32], [0x02, i32, 0x0b]), .invalid, "type mismatch")
        expectFailure(oneFunction([], [], [0x02, 0x40, 0x41, 0x01, 0x0b]), .invalid, "type mismatch")
        // Block with a type index: (param i32) (result i64).
        let types = typeSection(functionType([], [i64]), functionType([i32], [i64]))
        expectValid(module(types, functionSection(0), codeSection(body([0x41, 0x05, 0x02, 0x01, 0xad, 0x0b]))))
        expectFailure(module(types, functionSection(0), codeSection(body([0x41, 0x05, 0x02, 0x07, 0xad, 0x0b]))), .invalid, "unknown type")
        expectFailure(module(types, functionSection(0), codeSection(body([0x41, 0x05, 0x02, 0x01, 0xad, 0x0b]))), .invalid, "multi-value",
                      features: Features.webAssembly2.subtracting(.multiValue))
        // if without else must have equal parameters and results.
        expectFailure(oneFunction([], [i32], [0x41, 0x00, 0x04, i32, 0x41, 0x01, 0x0b]), .invalid, "type mismatch")
        expectValid(oneFunction([], [i32], [0x41, 0x00, 0x04, i32, 0x41, 0x01, 0x05, 0x41, 0x02, 0x0b]))
        // else without if, end mismatch.
        expectFailure(oneFunction([], [], [0x02, 0x40, 0x05, 0x0b]), .malformed, "END opcode expected")
        expectFailure(oneFunction([], [], [0x0b]), .malformed, "section size mismatch")
        // Loops branch to their start with their parameters.
        let loopTypes = typeSection(functionType([], [i32]), functionType([i32], [i32]))
        expectValid(module(loopTypes, functionSection(0), codeSection(body([0x41, 0x00, 0x03, 0x01, 0x41, 0x01, 0x6a, 0x41, 0x00, 0x0d, 0x00, 0x0b]))))
    }

    @Test func branches() {
        expectValid(oneFunction([], [i32], [0x02, i32, 0x41, 0x01, 0x0c, 0x00, 0x0b]))
        expectFailure(oneFunction([], [], [0x0c, 0x01]), .invalid, "unknown label 1")
        expectFailure(oneFunction([], [i32], [0x02, i32, 0x42, 0x01, 0x0c, 0x00, 0x0b]), .invalid, "type mismatch")
        // Polymorphic stack after br: anything typechecks.
        expectValid(oneFunction([], [i32], [0x41, 0x00, 0x0c, 0x00, 0x6a]))
        expectValid(oneFunction([], [i32], [0x00, 0x1a, 0x1a, 0x45]))
        expectFailure(oneFunction([], [i32], [0x00, 0x42, 0x00, 0x45]), .invalid, "type mismatch: expected i32 but got i64")
        // br_if keeps the label's values.
        expectValid(oneFunction([], [i32], [0x02, i32, 0x41, 0x01, 0x41, 0x00, 0x0d, 0x00, 0x0b]))
        // br_table: all targets need the same arity.
        expectValid(oneFunction([], [i32], [0x02, i32, 0x02, i32, 0x41, 0x01, 0x41, 0x00, 0x0e, 0x01, 0x00, 0x01, 0x0b, 0x0b]))
        expectFailure(oneFunction([], [], [0x02, 0x40, 0x02, i32, 0x41, 0x01, 0x41, 0x00, 0x0e, 0x01, 0x00, 0x01, 0x0b, 0x1a, 0x0b]),
                      .invalid, "type mismatch")
        expectFailure(oneFunction([], [], [0x41, 0x00, 0x0e, 0x00, 0x05]), .invalid, "unknown label 5")
        expectFailure(oneFunction([], [], [0x41, 0x00, 0x0e] + leb(65_521) + [UInt8](repeating: 0, count: 65_522)), .limitExceeded, "too many br_table targets")
        expectValid(oneFunction([], [i32], [0x41, 0x00, 0x0f]))
    }

    @Test func calls() {
        let types = typeSection(functionType([i32, i64], [f32]), functionType([], []))
        let table = section(4, vec([[funcref, 0x00, 0x01]]))
        expectValid(module(types, functionSection(0, 1), table, codeSection(
            body([0x43, 0, 0, 0, 0]), body([0x41, 0x01, 0x42, 0x02, 0x10, 0x00, 0x1a, 0x41, 0x01, 0x42, 0x02, 0x41, 0x00, 0x11, 0x00, 0x00, 0x1a]))))
        expectFailure(module(types, functionSection(1), codeSection(body([0x10, 0x03]))), .invalid, "unknown function 3")
        expectFailure(module(types, functionSection(1), codeSection(body([0x41, 0x00, 0x11, 0x01, 0x00]))), .invalid, "unknown table 0")
        expectFailure(module(types, functionSection(1), table, codeSection(body([0x41, 0x00, 0x11, 0x05, 0x00]))), .invalid, "unknown type 5")
        expectFailure(module(types, functionSection(1), table, codeSection(body([0x41, 0x00, 0x11, 0x01, 0x01]))), .invalid, "zero byte expected",
                      features: Features.webAssembly2.subtracting(.referenceTypes))
    }

    @Test func selectAndReferences() {
        expectValid(oneFunction([], [i32], [0x41, 0x01, 0x41, 0x02, 0x41, 0x00, 0x1b]))
        expectFailure(oneFunction([], [], [0x41, 0x01, 0x42, 0x02, 0x41, 0x00, 0x1b, 0x1a]), .invalid, "type mismatch")
        expectFailure(oneFunction([], [], [0xd0, funcref, 0xd0, funcref, 0x41, 0x00, 0x1b, 0x1a]), .invalid, "type mismatch")
        expectValid(oneFunction([], [], [0xd0, funcref, 0xd0, funcref, 0x41, 0x00, 0x1c, 0x01, funcref, 0x1a]))
        expectFailure(oneFunction([], [], [0x41, 0x01, 0x41, 0x01, 0x41, 0x00, 0x1c, 0x02, i32, i32, 0x1a]), .invalid, "invalid result arity")
        expectValid(oneFunction([], [i32], [0xd0, externref, 0xd1]))
        expectFailure(oneFunction([], [i32], [0x41, 0x00, 0xd1]), .invalid, "type mismatch")
        expectFailure(oneFunction([], [], [0xd0, i32, 0x1a]), .malformed, "malformed heap type")
        expectFailure(oneFunction([], [], [0xd0, funcref, 0x1a]), .invalid, "reference types",
                      features: Features.webAssembly2.subtracting(.referenceTypes))
    }

    @Test func globals() {
        let globals = section(6, vec([[i32, 0x00, 0x41, 0x00, 0x0b], [i64, 0x01, 0x42, 0x00, 0x0b]]))
        expectValid(oneFunction([], [], [0x42, 0x05, 0x24, 0x01, 0x23, 0x00, 0x1a], between: globals))
        expectFailure(oneFunction([], [], [0x41, 0x05, 0x24, 0x00], between: globals), .invalid, "global is immutable")
        expectFailure(oneFunction([], [], [0x23, 0x02, 0x1a], between: globals), .invalid, "unknown global 2")
    }

    @Test func memoryInstructions() {
        expectValid(oneFunction([], [i32], [0x41, 0x00, 0x28, 0x02, 0x00], between: memorySection1))
        expectFailure(oneFunction([], [i32], [0x41, 0x00, 0x28, 0x03, 0x00], between: memorySection1), .invalid,
                      "alignment must not be larger than natural")
        expectFailure(oneFunction([], [i32], [0x41, 0x00, 0x28, 0x20, 0x00], between: memorySection1), .malformed, "malformed memop flags")
        expectFailure(oneFunction([], [i32], [0x41, 0x00, 0x28, 0x02, 0x00]), .invalid, "unknown memory 0")
        expectValid(oneFunction([], [], [0x41, 0x00, 0x42, 0x00, 0x3e, 0x02, 0x10], between: memorySection1))
        expectValid(oneFunction([], [i32], [0x3f, 0x00, 0x40, 0x00], between: memorySection1))
        expectFailure(oneFunction([], [i32], [0x3f, 0x01], between: memorySection1), .malformed, "zero byte expected")
        expectValid(oneFunction([], [], [0x41, 0x00, 0x41, 0x00, 0x41, 0x00, 0xfc, 0x0a, 0x00, 0x00,
                                         0x41, 0x00, 0x41, 0x00, 0x41, 0x00, 0xfc, 0x0b, 0x00], between: memorySection1))
        expectFailure(oneFunction([], [], [0x41, 0x00, 0x41, 0x00, 0x41, 0x00, 0xfc, 0x0b, 0x00], between: memorySection1), .invalid,
                      "bulk memory", features: Features.webAssembly2.subtracting(.bulkMemory))
    }

    @Test func tableInstructions() {
        let tables = section(4, vec([[funcref, 0x00, 0x01], [externref, 0x00, 0x01]]))
        let elements = section(9, vec([[0x05, externref] + vec([])]))
        let code: [UInt8] = [0x41, 0x00, 0x25, 0x00, 0x1a,                       // table.get 0
                             0x41, 0x00, 0xd0, externref, 0x26, 0x01,            // table.set 1
                             0xd0, funcref, 0x41, 0x01, 0xfc, 0x0f, 0x00, 0x1a,  // table.grow 0
                             0xfc, 0x10, 0x01, 0x1a,                             // table.size 1
                             0x41, 0x00, 0xd0, externref, 0x41, 0x01, 0xfc, 0x11, 0x01, // table.fill 1
                             0x41, 0x00, 0x41, 0x00, 0x41, 0x00, 0xfc, 0x0c, 0x00, 0x01, // table.init 1 0
                             0xfc, 0x0d, 0x00,                                   // elem.drop 0
                             0x41, 0x00, 0x41, 0x00, 0x41, 0x00, 0xfc, 0x0e, 0x00, 0x00] // table.copy 0 0
        expectValid(module(typeSection(functionType([], [])), functionSection(0), tables, elements, codeSection(body(code))))
        expectFailure(module(typeSection(functionType([], [])), functionSection(0), tables, elements,
                             codeSection(body([0x41, 0x00, 0x41, 0x00, 0x41, 0x00, 0xfc, 0x0e, 0x00, 0x01]))), .invalid, "type mismatch")
        expectFailure(module(typeSection(functionType([], [])), functionSection(0), tables, elements,
                             codeSection(body([0x41, 0x00, 0x41, 0x00, 0x41, 0x00, 0xfc, 0x0c, 0x00, 0x00]))), .invalid, "type mismatch")
        expectFailure(module(typeSection(functionType([], [])), functionSection(0), tables, codeSection(body([0xfc, 0x0d, 0x04]))),
                      .invalid, "unknown elem segment 4")
        expectFailure(module(typeSection(functionType([], [])), functionSection(0), codeSection(body([0xfc, 0x10, 0x00, 0x1a]))),
                      .invalid, "unknown table 0")
        expectFailure(oneFunction([], [], [0xfc, 0x12]), .malformed, "illegal opcode")
    }

    @Test func numericFeatures() {
        expectValid(oneFunction([], [i32], [0x41, 0x00, 0xc0]))
        expectFailure(oneFunction([], [i32], [0x41, 0x00, 0xc0]), .invalid, "sign extension",
                      features: Features.webAssembly2.subtracting(.signExtension))
        expectValid(oneFunction([], [i64], [0x44, 0, 0, 0, 0, 0, 0, 0, 0, 0xfc, 0x06]))
        expectFailure(oneFunction([], [i64], [0x44, 0, 0, 0, 0, 0, 0, 0, 0, 0xfc, 0x06]), .invalid, "saturating",
                      features: Features.webAssembly2.subtracting(.saturatingFloatToInt))
        expectFailure(oneFunction([], [i32], [0x43, 0, 0, 0, 0, 0xfc, 0x02]), .invalid, "type mismatch: expected f64 but got f32")
        // return_call: valid with tail calls, refused as wasmtime refuses it without them.
        expectValid(oneFunction([], [], [0x12, 0x00]), features: .defaults)
        expectFailure(oneFunction([], [], [0x12, 0x00]), .invalid, "tail calls support is not enabled")
        // struct.new decodes (WebAssembly 3.0) and is refused with GC off; an unknown 0xFB code is illegal.
        expectFailure(oneFunction([], [], [0xfb, 0x00, 0x00, 0x1a]), .invalid, "gc support is not enabled",
                      features: Features.defaults.subtracting(.gc))
        expectFailure(oneFunction([], [], [0xfb, 0x00, 0x00, 0x1a]), .invalid, "type mismatch: the type index must name a struct type",
                      features: .defaults)
        expectFailure(oneFunction([], [], [0xfb, 0x7f]), .malformed, "illegal opcode")
    }

    @Test func vectorInstructions() {
        let constant: [UInt8] = [0xfd, 0x0c] + [UInt8](repeating: 1, count: 16)
        expectValid(oneFunction([], [v128], constant + constant + [0xfd, 0x6e]))                   // i8x16.add
        expectValid(oneFunction([], [i32], constant + [0xfd, 0x15, 0x0f]))                          // i8x16.extract_lane_s 15
        expectFailure(oneFunction([], [i32], constant + [0xfd, 0x15, 0x10]), .invalid, "invalid lane index")
        expectValid(oneFunction([], [v128], constant + [0x42, 0x00, 0xfd, 0x1e, 0x01]))            // i64x2.replace_lane 1
        expectFailure(oneFunction([], [v128], constant + [0x41, 0x00, 0xfd, 0x1e, 0x01]), .invalid, "type mismatch")
        expectValid(oneFunction([], [v128], constant + constant + [0xfd, 0x0d] + [UInt8](0..<16).map { $0 * 2 }))
        expectFailure(oneFunction([], [v128], constant + constant + [0xfd, 0x0d] + [UInt8](repeating: 32, count: 16)), .invalid, "invalid lane index")
        expectValid(oneFunction([], [v128], [0x41, 0x00, 0xfd, 0x00, 0x04, 0x00], between: memorySection1))  // v128.load align=16
        expectFailure(oneFunction([], [v128], [0x41, 0x00, 0xfd, 0x00, 0x05, 0x00], between: memorySection1), .invalid,
                      "alignment must not be larger than natural")
        expectValid(oneFunction([], [v128], [0x41, 0x00] + constant + [0xfd, 0x57, 0x03, 0x00, 0x01], between: memorySection1)) // load64_lane 1
        expectFailure(oneFunction([], [v128], [0x41, 0x00] + constant + [0xfd, 0x57, 0x03, 0x00, 0x02], between: memorySection1), .invalid,
                      "invalid lane index")
        expectValid(oneFunction([], [v128], constant + [0x41, 0x03, 0xfd, 0x6b]))                  // i8x16.shl
        expectValid(oneFunction([], [i32], constant + [0xfd, 0x64]))                                // i8x16.bitmask
        expectValid(oneFunction([], [v128], constant + constant + constant + [0xfd, 0x52]))        // bitselect
        expectFailure(oneFunction([], [], [0xfd, 0x9a, 0x01]), .malformed, "illegal opcode")
        // i8x16.relaxed_swizzle: valid with relaxed SIMD, refused as wasmtime refuses it without.
        expectValid(oneFunction([], [v128], constant + constant + [0xfd, 0x80, 0x02]), features: .defaults)
        expectFailure(oneFunction([], [v128], constant + constant + [0xfd, 0x80, 0x02]), .invalid, "relaxed SIMD support is not enabled")
        expectFailure(oneFunction([], [], [0xfd, 0x94, 0x02]), .malformed, "illegal opcode")       // past relaxed SIMD
        expectFailure(oneFunction([], [v128], constant), .invalid, "SIMD", features: Features.webAssembly2.subtracting(.simd))
        expectFailure(oneFunction([v128], [], []), .invalid, "SIMD", features: Features.webAssembly2.subtracting(.simd))
    }

    @Test func limits() {
        // Nesting has no limit of its own, as in wasmtime: a million nested blocks validate, and
        // the body-size limit is what stops deeper nesting.
        let depth = 1_000_000
        var nested: [UInt8] = []
        nested.reserveCapacity(depth * 3)
        for _ in 0..<depth { nested += [0x02, 0x40] }
        expectValid(oneFunction([], [], nested + [UInt8](repeating: 0x0b, count: depth)))
        let tooLarge = ImplementationLimits.functionBodySize / 2
        var deeper: [UInt8] = []
        deeper.reserveCapacity(tooLarge * 3)
        for _ in 0..<tooLarge { deeper += [0x02, 0x40] }
        expectFailure(oneFunction([], [], deeper + [UInt8](repeating: 0x0b, count: tooLarge)), .limitExceeded, "function body too large")
        // Too many parameters.
        expectFailure(module(typeSection(functionType([UInt8](repeating: i32, count: 1001), []))), .limitExceeded, "too many parameters")
        // A count larger than the bytes left is malformed, whatever the limit.
        expectFailure(module(section(1, leb(2_000_000))), .malformed, "unexpected end")
    }
}
