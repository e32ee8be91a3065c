/// The `name` custom section: the module's name and function names (other subsections are
/// skipped). Read best effort: if it is malformed, or function names are not in increasing index
/// order, what it would have said is dropped and the module stays valid. Only running out of memory
/// is an error.
extension ModuleDecoderState {
    mutating func decodeNameSection(_ contents: ByteRange, into description: inout ModuleDescription) throws(SwasmError) {
        var names = ByteReader(base: reader.base, length: reader.length)
        names.position = contents.start
        names.end = contents.end
        names.section = 0
        var moduleName: ByteRange? = nil
        var functionNames = FallibleVector<FunctionName>()
        var wellFormed = true
        do throws(SwasmError) {
            var lastID = -1
            while !names.isAtEnd {
                let id = try names.readByte()
                guard Int(id) > lastID else { wellFormed = false; break }
                lastID = Int(id)
                let size = Int(try names.readU32())
                guard size <= names.remaining else { wellFormed = false; break }
                let subsectionEnd = names.position &+ size
                let sectionEnd = names.end
                names.end = subsectionEnd
                switch id {
                case 0:
                    moduleName = try names.readName()
                case 1:
                    let count = try names.readCount()
                    try functionNames.reserve(names.reservation(count, minimumSize: 2))
                    var previous: Int64 = -1
                    for _ in 0..<count {
                        let index = try names.readU32()
                        let name = try names.readName()
                        guard Int64(index) > previous else { throw SwasmError.malformed }
                        previous = Int64(index)
                        try functionNames.append(FunctionName(index: index, name: name))
                    }
                default:
                    names.position = subsectionEnd
                }
                guard names.position == subsectionEnd else { wellFormed = false; break }
                names.end = sectionEnd
            }
        } catch {
            if error == .outOfMemory { throw error }
            wellFormed = false
        }
        guard wellFormed else { return }
        description.moduleName = moduleName
        description.functionNames = functionNames
    }
}
