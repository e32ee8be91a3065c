/// The instruction mnemonics of the text format with their binary opcodes and the shape of their
/// immediates (from tools/wasm_instructions.py through `WasmInstructions.addMnemonics`).
struct TextOpcode: BitwiseCopyable {
    /// 0 for single-byte opcodes, otherwise the prefix byte (0xfc, 0xfd).
    var prefix: UInt8
    var code: UInt32
    var immediate: WasmImmediate
    var argument: UInt8

    func write(to output: inout TextBuffer) throws(SwasmError) {
        if prefix == 0 {
            try output.append(UInt8(truncatingIfNeeded: code))
        } else {
            try output.append(prefix)
            try output.appendU32(code)
        }
    }
}

/// Mnemonic → opcode, built once per assembly (or per script) in a hash map keyed by static text.
struct TextInstructionTable: ~Copyable {
    private var map = FallibleHashMap<TextSlice, TextOpcode>()

    /// The instruction named `name`.
    func lookup(_ name: TextSlice) -> TextOpcode? {
        guard let opcode = map.withValue(for: name, { $0 }), opcode.immediate != .syntax else { return nil }
        return opcode
    }

    /// Whether `name` is a keyword of the text format that is not an instruction.
    func isSyntaxKeyword(_ name: TextSlice) -> Bool {
        map.withValue(for: name) { $0.immediate == .syntax } ?? false
    }

    /// Adds mnemonic `name` (`WasmInstructions.addMnemonics` adds them all).
    mutating func add(_ name: StaticString, _ prefix: UInt8, _ code: UInt32,
                      _ immediate: WasmImmediate, _ argument: UInt8) throws(SwasmError) {
        try map.insert(TextSlice(name), TextOpcode(prefix: prefix, code: code, immediate: immediate, argument: argument))
    }

    init() throws(SwasmError) {
        try WasmInstructions.addMnemonics(to: &self)
    }
}
