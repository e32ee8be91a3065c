/// Translation of the SIMD (0xFD-prefixed) instructions.
extension FunctionCompiler {
    /// Translates one 0xFD instruction (the prefix is read); false when the interpreter cannot
    /// run it yet.
    mutating func vector(_ reader: inout CodeReader) throws(SwasmError) -> Bool {
        _ = reader.u32()
        return false
    }
}
