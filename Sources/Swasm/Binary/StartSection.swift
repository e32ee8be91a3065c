/// The start section: the function run when the module is instantiated.
extension ModuleDecoderState {
    mutating func decodeStartSection(into description: inout ModuleDescription) throws(SwasmError) {
        let at = reader.position
        let index = try reader.readU32()
        validateStartFunction(index, in: description, at: at)
        description.start = index
    }
}
