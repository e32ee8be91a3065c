/// Validation of the 0xFD-prefixed fixed-width SIMD instructions of WebAssembly 2.0: memory,
/// constants and lanes here, the rest by their signature (tools/wasm_instructions.py).
extension FunctionValidator {
    mutating func vector(_ module: borrowing ModuleDescription) throws(SwasmError) {
        let code = try reader.readU32()
        guard WasmInstructions.immediateFD(code) != nil, Features.implemented.isSuperset(of: WasmInstructions.featureFD(code)) else {
            throw reader.illegalOpcode(code, prefix: 0xfd, at: instructionStart)
        }
        if let signature = WasmInstructions.signatureFD(code) { return try apply(signature) }
        try require(.simd, "SIMD support is not enabled")
        switch code {
        // Memory.
        case 0x00: try load(4, .v128, module)
        case 0x01...0x06: try load(3, .v128, module)
        case 0x07: try load(0, .v128, module)
        case 0x08: try load(1, .v128, module)
        case 0x09, 0x5c: try load(2, .v128, module)
        case 0x0a, 0x5d: try load(3, .v128, module)
        case 0x0b: try store(4, .v128, module)
        case 0x54: try loadLane(0, lanes: 16, module)
        case 0x55: try loadLane(1, lanes: 8, module)
        case 0x56: try loadLane(2, lanes: 4, module)
        case 0x57: try loadLane(3, lanes: 2, module)
        case 0x58: try storeLane(0, lanes: 16, module)
        case 0x59: try storeLane(1, lanes: 8, module)
        case 0x5a: try storeLane(2, lanes: 4, module)
        case 0x5b: try storeLane(3, lanes: 2, module)

        // Constants and lanes.
        case 0x0c:
            _ = try reader.skip(16)
            try push(.v128)
        case 0x0d:
            let lanes = try reader.skip(16)
            for lane in 0..<16 where reader.base[lanes &+ lane] >= 32 {
                throw invalid("invalid lane index", .index(UInt64(reader.base[lanes &+ lane])))
            }
            try binary(.v128, .v128)
        case 0x15, 0x16: try extractLane(lanes: 16, .i32)
        case 0x17: try replaceLane(lanes: 16, .i32)
        case 0x18, 0x19: try extractLane(lanes: 8, .i32)
        case 0x1a: try replaceLane(lanes: 8, .i32)
        case 0x1b: try extractLane(lanes: 4, .i32)
        case 0x1c: try replaceLane(lanes: 4, .i32)
        case 0x1d: try extractLane(lanes: 2, .i64)
        case 0x1e: try replaceLane(lanes: 2, .i64)
        case 0x1f: try extractLane(lanes: 4, .f32)
        case 0x20: try replaceLane(lanes: 4, .f32)
        case 0x21: try extractLane(lanes: 2, .f64)
        case 0x22: try replaceLane(lanes: 2, .f64)

        default:
            throw reader.illegalOpcode(code, prefix: 0xfd, at: instructionStart) // not reached: typed above
        }
    }

    @inline(__always)
    mutating func extractLane(lanes: UInt8, _ result: ValueType) throws(SwasmError) {
        let lane = try reader.readLaneIndex()
        if lane >= lanes { throw invalid("invalid lane index", .index(UInt64(lane))) }
        try unary(.v128, result)
    }

    @inline(__always)
    mutating func replaceLane(lanes: UInt8, _ scalar: ValueType) throws(SwasmError) {
        let lane = try reader.readLaneIndex()
        if lane >= lanes { throw invalid("invalid lane index", .index(UInt64(lane))) }
        try pop(scalar)
        try unary(.v128, .v128)
    }

    mutating func loadLane(_ natural: UInt32, lanes: UInt8, _ module: borrowing ModuleDescription) throws(SwasmError) {
        let argument = try reader.readMemoryArgument(features: features)
        let lane = try reader.readLaneIndex()
        let address = try checkMemoryArgument(argument, natural: natural, module)
        if lane >= lanes { throw invalid("invalid lane index", .index(UInt64(lane))) }
        try pop(.v128)
        try unary(address, .v128)
    }

    mutating func storeLane(_ natural: UInt32, lanes: UInt8, _ module: borrowing ModuleDescription) throws(SwasmError) {
        let argument = try reader.readMemoryArgument(features: features)
        let lane = try reader.readLaneIndex()
        let address = try checkMemoryArgument(argument, natural: natural, module)
        if lane >= lanes { throw invalid("invalid lane index", .index(UInt64(lane))) }
        try pop(.v128)
        try pop(address)
    }
}
