/// Custom sections: a name and uninterpreted contents. The `name` section is read for function
/// names (best effort: a malformed one is ignored, as custom sections must not make a module fail).
extension ModuleDecoderState {
    mutating func decodeCustomSection(into description: inout ModuleDescription) throws(SwasmError) {
        let name = try reader.readName()
        let contentsStart = reader.position
        let contents = ByteRange(start: contentsStart, count: reader.end &- contentsStart)
        reader.position = reader.end
        try description.customSections.append(CustomSection(name: name, contents: contents))
        if name.count == 4 && reader.base[name.start] == 0x6e && reader.base[name.start &+ 1] == 0x61
            && reader.base[name.start &+ 2] == 0x6d && reader.base[name.start &+ 3] == 0x65 {
            try decodeNameSection(contents, into: &description)
        }
    }
}
