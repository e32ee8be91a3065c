/// Serializes a compiled module into an artifact (layout in `ArtifactFormat`).
enum ArtifactWriter {
    static func serialize(_ module: UnsafeMutablePointer<CompiledModule>) throws(SwasmError) -> ByteBuffer {
        let handlers = try HandlerMap()
        let description = withUnsafeMutablePointer(to: &module.pointee.description) { UnsafePointer($0) }
        let moduleSize = description.pointee.bytes.count
        var payloadSize = 8 &+ padded(moduleSize) &+ 8
        for index in 0..<module.pointee.functions.count {
            let function = module.pointee.functions.base!.advanced(by: index)
            let code = function.pointee.code.count
            payloadSize &+= ArtifactFormat.functionHeaderSize &+ 8 &* (code &+ ArtifactFormat.bitmapWords(code) &+ function.pointee.offsets.count
                                                                        &+ ArtifactFormat.handlerWords &* function.pointee.handlers.count)
            payloadSize &+= ArtifactFormat.stackMapsSize(function.pointee.stackMaps.count, slots: function.pointee.stackMaps.slots.count)
        }
        let images = try MemoryImageLayout.layouts(of: description)
        payloadSize &+= 8 &+ 16 &* images.count
        let imagePadding = images.count == 0 ? 0 : imagePaddingAt(ArtifactFormat.headerSize &+ payloadSize)
        payloadSize &+= imagePadding
        for index in 0..<images.count { payloadSize &+= Int(images.base![index].byteCount) }
        var out = ByteBuffer()
        try out.reserve(ArtifactFormat.headerSize &+ payloadSize)
        let config = module.pointee.engine.pointer.pointee.config

        // Header; the checksum is filled in at the end.
        try append(&out, ArtifactFormat.magic)
        try append(&out, ArtifactFormat.version)
        try append(&out, UInt32(ArtifactFormat.headerSize))
        try append(&out, Opcode.instructionSetHash)
        try append(&out, UInt64(config.features.rawValue))
        try append(&out, ArtifactFormat.codeFlags(config))
        try append(&out, UInt32(0))
        try append(&out, UInt64(payloadSize))
        try append(&out, UInt64(0))
        var version: UInt64 = 0
        withUnsafeMutableBytes(of: &version) { raw in
            let text = ArtifactFormat.writerVersion
            for index in 0..<min(text.utf8CodeUnitCount, 8) { raw[index] = text.utf8Start[index] }
        }
        try append(&out, version)

        // The module description, as the module's own bytes.
        try append(&out, UInt64(moduleSize))
        try out.append(description.pointee.bytes.bytes.map { UnsafeRawPointer($0) }, count: moduleSize)
        try out.appendZeros(padded(moduleSize) &- moduleSize)

        // The internal code, with opcodes in place of handler addresses.
        try append(&out, UInt32(module.pointee.functions.count))
        try append(&out, UInt32(0))
        for index in 0..<module.pointee.functions.count {
            let function = module.pointee.functions.base!.advanced(by: index)
            try append(&out, UInt32(truncatingIfNeeded: function.pointee.bodyStart))
            try append(&out, UInt32(truncatingIfNeeded: function.pointee.parameterSlots))
            try append(&out, UInt32(truncatingIfNeeded: function.pointee.localsStart))
            try append(&out, UInt32(truncatingIfNeeded: function.pointee.localsEnd))
            try append(&out, UInt32(truncatingIfNeeded: function.pointee.frameSlots))
            try append(&out, UInt32(function.pointee.supported ? 1 : 0) | UInt32(truncatingIfNeeded: function.pointee.handlers.count) << 8)
            try append(&out, UInt32(truncatingIfNeeded: function.pointee.code.count))
            try append(&out, UInt32(truncatingIfNeeded: function.pointee.offsets.count))
            let codeStart = out.count
            let words = function.pointee.code.count
            try out.append(function.pointee.code.base.map { UnsafeRawPointer($0) }, count: 8 &* words)
            let bitmapStart = out.count
            try out.appendZeros(8 &* ArtifactFormat.bitmapWords(words))
            try unthread(out.bytes!.advanced(by: codeStart), words: words, starts: out.bytes!.advanced(by: bitmapStart), handlers: handlers)
            try out.append(function.pointee.offsets.base.map { UnsafeRawPointer($0) }, count: 8 &* function.pointee.offsets.count)
            for entry in 0..<function.pointee.handlers.count {
                let handler = function.pointee.handlers[entry]
                try append(&out, UInt64(handler.start) | UInt64(handler.end) << 32)
                try append(&out, UInt64(handler.pad) | UInt64(handler.payload) << 32)
                try append(&out, UInt64(handler.tag) | UInt64(handler.kind) << 32)
            }
            let maps = withUnsafePointer(to: &function.pointee.stackMaps) { $0 }
            try append(&out, UInt64(maps.pointee.count) | UInt64(maps.pointee.slots.count) << 32)
            for entry in 0..<maps.pointee.count { try append(&out, UInt64(maps.pointee.positions[entry]) | UInt64(maps.pointee.ends[entry]) << 32) }
            for entry in 0..<maps.pointee.slots.count { try append(&out, maps.pointee.slots[entry]) }
            try out.appendZeros(padded(2 &* maps.pointee.slots.count) &- 2 &* maps.pointee.slots.count)
        }

        // The memory images, page-aligned in the artifact.
        try append(&out, UInt32(images.count))
        try append(&out, UInt32(0))
        for index in 0..<images.count {
            let image = images.base!.advanced(by: index)
            try append(&out, image.pointee.memory)
            try append(&out, UInt32(0))
            try append(&out, image.pointee.byteCount)
        }
        try out.appendZeros(imagePadding)
        for index in 0..<images.count {
            let image = images.base!.advanced(by: index)
            let start = out.count
            try out.appendZeros(Int(image.pointee.byteCount))
            image.pointee.write(into: UnsafeMutableRawPointer(out.bytes!.advanced(by: start)), module: description)
        }

        let payload = UnsafeRawBufferPointer(start: out.bytes!.advanced(by: ArtifactFormat.headerSize), count: payloadSize)
        let checksum = ArtifactFormat.checksum(payload)
        UnsafeMutableRawPointer(out.bytes!).storeBytes(of: checksum.littleEndian, toByteOffset: 48, as: UInt64.self)
        return out
    }

    static func padded(_ count: Int) -> Int { (count &+ 7) & ~7 }

    /// Zero bytes that take an artifact offset to the next memory image boundary.
    static func imagePaddingAt(_ offset: Int) -> Int {
        (ArtifactFormat.imageAlignment &- offset % ArtifactFormat.imageAlignment) % ArtifactFormat.imageAlignment
    }

    static func append<T: FixedWidthInteger>(_ out: inout ByteBuffer, _ value: T) throws(SwasmError) {
        var little = value.littleEndian
        try withUnsafeBytes(of: &little) { (raw) throws(SwasmError) in try out.append(raw.baseAddress, count: raw.count) }
    }

    /// Rewrites each instruction's handler word (a threaded address) as its opcode, and flags each
    /// instruction start in the bitmap at `starts` (zeroed, one bit per word).
    static func unthread(_ bytes: UnsafeMutablePointer<UInt8>, words: Int, starts: UnsafeMutablePointer<UInt8>,
                         handlers: borrowing HandlerMap) throws(SwasmError) {
        let raw = UnsafeMutableRawPointer(bytes)
        var position = 0
        while position < words {
            let address = raw.loadUnaligned(fromByteOffset: position &* 8, as: UInt64.self)
            guard let opcode = handlers.opcode(at: address) else { throw .invalidArgument }
            raw.storeBytes(of: UInt64(opcode.rawValue).littleEndian, toByteOffset: position &* 8, as: UInt64.self)
            starts[position >> 3] |= UInt8(1) << UInt8(position & 7)
            if let length = opcode.length {
                position &+= length
            } else {
                let count = raw.loadUnaligned(fromByteOffset: (position &+ 2) &* 8, as: UInt64.self)
                position &+= 4 &+ Int(truncatingIfNeeded: count)
            }
        }
    }
}
