/// The instruction mnemonics of WebAssembly 2.0 (plus tail calls and relaxed SIMD) with their
/// binary opcodes and the shape of their immediates.
enum TextImmediate: UInt8 {
    case none
    case block
    case loop
    case `if`
    case `else`
    case end
    case label
    case branchTable
    case call
    case callIndirect
    case select
    case local
    case global
    /// An optional table index (table.get/set/size/grow/fill).
    case table
    /// A memory argument; `argument` is the natural alignment (log2).
    case memory
    /// An optional memory index encoded as a byte/LEB (memory.size/grow/fill).
    case memoryIndex
    case i32
    case i64
    case f32
    case f64
    case v128
    case referenceNull
    case referenceFunction
    case memoryInit
    case dataDrop
    case memoryCopy
    case tableInit
    case elementDrop
    case tableCopy
    case shuffle
    /// A lane index byte.
    case lane
    /// A memory argument and a lane index; `argument` is the natural alignment.
    case memoryLane
    /// Not an instruction: a keyword of the text format's other syntax.
    case syntax
}

struct TextOpcode: BitwiseCopyable {
    /// 0 for single-byte opcodes, otherwise the prefix byte (0xfc, 0xfd).
    var prefix: UInt8
    var code: UInt32
    var immediate: TextImmediate
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

    private mutating func add(_ name: StaticString, _ prefix: UInt8, _ code: UInt32,
                              _ immediate: TextImmediate, _ argument: UInt8 = 0) throws(SwasmError) {
        try map.insert(TextSlice(name), TextOpcode(prefix: prefix, code: code, immediate: immediate, argument: argument))
    }

    /// Adds the space-separated mnemonics of `names` with consecutive opcodes from `first`; a `-`
    /// skips an opcode.
    private mutating func addRun(_ prefix: UInt8, _ first: UInt32, _ immediate: TextImmediate,
                                 _ names: StaticString, argument: UInt8 = 0) throws(SwasmError) {
        let text = UnsafeRawPointer(names.utf8Start)
        let length = names.utf8CodeUnitCount
        var code = first
        var index = 0
        while index < length {
            while index < length && text.load(fromByteOffset: index, as: UInt8.self) <= UInt8(ascii: " ") { index &+= 1 }
            let start = index
            while index < length && text.load(fromByteOffset: index, as: UInt8.self) > UInt8(ascii: " ") { index &+= 1 }
            guard index > start else { break }
            let name = TextSlice(base: text + start, count: index &- start)
            if !name.equals("-") {
                try map.insert(name, TextOpcode(prefix: prefix, code: code, immediate: immediate, argument: argument))
            }
            code &+= 1
        }
    }

    init() throws(SwasmError) {
        // Control.
        try add("unreachable", 0, 0x00, .none)
        try add("nop", 0, 0x01, .none)
        try add("block", 0, 0x02, .block)
        try add("loop", 0, 0x03, .loop)
        try add("if", 0, 0x04, .if)
        try add("else", 0, 0x05, .else)
        try add("end", 0, 0x0b, .end)
        try add("br", 0, 0x0c, .label)
        try add("br_if", 0, 0x0d, .label)
        try add("br_table", 0, 0x0e, .branchTable)
        try add("return", 0, 0x0f, .none)
        try add("call", 0, 0x10, .call)
        try add("call_indirect", 0, 0x11, .callIndirect)
        try add("return_call", 0, 0x12, .call)
        try add("return_call_indirect", 0, 0x13, .callIndirect)
        try add("drop", 0, 0x1a, .none)
        try add("select", 0, 0x1b, .select)
        // Variables and tables.
        try addRun(0, 0x20, .local, "local.get local.set local.tee")
        try addRun(0, 0x23, .global, "global.get global.set")
        try addRun(0, 0x25, .table, "table.get table.set")
        // Memory.
        try add("i32.load", 0, 0x28, .memory, 2)
        try add("i64.load", 0, 0x29, .memory, 3)
        try add("f32.load", 0, 0x2a, .memory, 2)
        try add("f64.load", 0, 0x2b, .memory, 3)
        try addRun(0, 0x2c, .memory, "i32.load8_s i32.load8_u", argument: 0)
        try addRun(0, 0x2e, .memory, "i32.load16_s i32.load16_u", argument: 1)
        try addRun(0, 0x30, .memory, "i64.load8_s i64.load8_u", argument: 0)
        try addRun(0, 0x32, .memory, "i64.load16_s i64.load16_u", argument: 1)
        try addRun(0, 0x34, .memory, "i64.load32_s i64.load32_u", argument: 2)
        try add("i32.store", 0, 0x36, .memory, 2)
        try add("i64.store", 0, 0x37, .memory, 3)
        try add("f32.store", 0, 0x38, .memory, 2)
        try add("f64.store", 0, 0x39, .memory, 3)
        try add("i32.store8", 0, 0x3a, .memory, 0)
        try add("i32.store16", 0, 0x3b, .memory, 1)
        try add("i64.store8", 0, 0x3c, .memory, 0)
        try add("i64.store16", 0, 0x3d, .memory, 1)
        try add("i64.store32", 0, 0x3e, .memory, 2)
        try add("memory.size", 0, 0x3f, .memoryIndex)
        try add("memory.grow", 0, 0x40, .memoryIndex)
        // Constants.
        try add("i32.const", 0, 0x41, .i32)
        try add("i64.const", 0, 0x42, .i64)
        try add("f32.const", 0, 0x43, .f32)
        try add("f64.const", 0, 0x44, .f64)
        // Numeric.
        try addRun(0, 0x45, .none, """
            i32.eqz i32.eq i32.ne i32.lt_s i32.lt_u i32.gt_s i32.gt_u i32.le_s i32.le_u i32.ge_s i32.ge_u \
            i64.eqz i64.eq i64.ne i64.lt_s i64.lt_u i64.gt_s i64.gt_u i64.le_s i64.le_u i64.ge_s i64.ge_u \
            f32.eq f32.ne f32.lt f32.gt f32.le f32.ge \
            f64.eq f64.ne f64.lt f64.gt f64.le f64.ge \
            i32.clz i32.ctz i32.popcnt i32.add i32.sub i32.mul i32.div_s i32.div_u i32.rem_s i32.rem_u \
            i32.and i32.or i32.xor i32.shl i32.shr_s i32.shr_u i32.rotl i32.rotr \
            i64.clz i64.ctz i64.popcnt i64.add i64.sub i64.mul i64.div_s i64.div_u i64.rem_s i64.rem_u \
            i64.and i64.or i64.xor i64.shl i64.shr_s i64.shr_u i64.rotl i64.rotr \
            f32.abs f32.neg f32.ceil f32.floor f32.trunc f32.nearest f32.sqrt f32.add f32.sub f32.mul \
            f32.div f32.min f32.max f32.copysign \
            f64.abs f64.neg f64.ceil f64.floor f64.trunc f64.nearest f64.sqrt f64.add f64.sub f64.mul \
            f64.div f64.min f64.max f64.copysign \
            i32.wrap_i64 i32.trunc_f32_s i32.trunc_f32_u i32.trunc_f64_s i32.trunc_f64_u \
            i64.extend_i32_s i64.extend_i32_u i64.trunc_f32_s i64.trunc_f32_u i64.trunc_f64_s i64.trunc_f64_u \
            f32.convert_i32_s f32.convert_i32_u f32.convert_i64_s f32.convert_i64_u f32.demote_f64 \
            f64.convert_i32_s f64.convert_i32_u f64.convert_i64_s f64.convert_i64_u f64.promote_f32 \
            i32.reinterpret_f32 i64.reinterpret_f64 f32.reinterpret_i32 f64.reinterpret_i64 \
            i32.extend8_s i32.extend16_s i64.extend8_s i64.extend16_s i64.extend32_s
            """)
        // References.
        try add("ref.null", 0, 0xd0, .referenceNull)
        try add("ref.is_null", 0, 0xd1, .none)
        try add("ref.func", 0, 0xd2, .referenceFunction)
        // 0xFC: saturating truncation, bulk memory, tables.
        try addRun(0xfc, 0, .none, """
            i32.trunc_sat_f32_s i32.trunc_sat_f32_u i32.trunc_sat_f64_s i32.trunc_sat_f64_u \
            i64.trunc_sat_f32_s i64.trunc_sat_f32_u i64.trunc_sat_f64_s i64.trunc_sat_f64_u
            """)
        try add("memory.init", 0xfc, 8, .memoryInit)
        try add("data.drop", 0xfc, 9, .dataDrop)
        try add("memory.copy", 0xfc, 10, .memoryCopy)
        try add("memory.fill", 0xfc, 11, .memoryIndex)
        try add("table.init", 0xfc, 12, .tableInit)
        try add("elem.drop", 0xfc, 13, .elementDrop)
        try add("table.copy", 0xfc, 14, .tableCopy)
        try addRun(0xfc, 15, .table, "table.grow table.size table.fill")
        try addSIMD()
        try addRun(0, 0, .syntax, """
            module type func param result local import export table memory global elem data start offset \
            item declare then mut funcref externref extern i32 i64 f32 f64 v128 i8x16 i16x8 i32x4 i64x2 \
            f32x4 f64x2 shared binary quote inf nan register invoke get ref.extern ref.host either \
            assert_return assert_trap assert_exhaustion assert_malformed assert_invalid assert_unlinkable \
            assert_uninstantiable script input output definition instance ref null nan:canonical nan:arithmetic
            """)
    }

    private mutating func addSIMD() throws(SwasmError) {
        let simd: UInt8 = 0xfd
        try add("v128.load", simd, 0x00, .memory, 4)
        try addRun(simd, 0x01, .memory, """
            v128.load8x8_s v128.load8x8_u v128.load16x4_s v128.load16x4_u v128.load32x2_s v128.load32x2_u
            """, argument: 3)
        try add("v128.load8_splat", simd, 0x07, .memory, 0)
        try add("v128.load16_splat", simd, 0x08, .memory, 1)
        try add("v128.load32_splat", simd, 0x09, .memory, 2)
        try add("v128.load64_splat", simd, 0x0a, .memory, 3)
        try add("v128.store", simd, 0x0b, .memory, 4)
        try add("v128.const", simd, 0x0c, .v128)
        try add("i8x16.shuffle", simd, 0x0d, .shuffle)
        try addRun(simd, 0x0e, .none, "i8x16.swizzle i8x16.splat i16x8.splat i32x4.splat i64x2.splat f32x4.splat f64x2.splat")
        try addRun(simd, 0x15, .lane, """
            i8x16.extract_lane_s i8x16.extract_lane_u i8x16.replace_lane \
            i16x8.extract_lane_s i16x8.extract_lane_u i16x8.replace_lane \
            i32x4.extract_lane i32x4.replace_lane i64x2.extract_lane i64x2.replace_lane \
            f32x4.extract_lane f32x4.replace_lane f64x2.extract_lane f64x2.replace_lane
            """)
        try addRun(simd, 0x23, .none, """
            i8x16.eq i8x16.ne i8x16.lt_s i8x16.lt_u i8x16.gt_s i8x16.gt_u i8x16.le_s i8x16.le_u i8x16.ge_s i8x16.ge_u \
            i16x8.eq i16x8.ne i16x8.lt_s i16x8.lt_u i16x8.gt_s i16x8.gt_u i16x8.le_s i16x8.le_u i16x8.ge_s i16x8.ge_u \
            i32x4.eq i32x4.ne i32x4.lt_s i32x4.lt_u i32x4.gt_s i32x4.gt_u i32x4.le_s i32x4.le_u i32x4.ge_s i32x4.ge_u \
            f32x4.eq f32x4.ne f32x4.lt f32x4.gt f32x4.le f32x4.ge \
            f64x2.eq f64x2.ne f64x2.lt f64x2.gt f64x2.le f64x2.ge \
            v128.not v128.and v128.andnot v128.or v128.xor v128.bitselect v128.any_true
            """)
        try add("v128.load8_lane", simd, 0x54, .memoryLane, 0)
        try add("v128.load16_lane", simd, 0x55, .memoryLane, 1)
        try add("v128.load32_lane", simd, 0x56, .memoryLane, 2)
        try add("v128.load64_lane", simd, 0x57, .memoryLane, 3)
        try add("v128.store8_lane", simd, 0x58, .memoryLane, 0)
        try add("v128.store16_lane", simd, 0x59, .memoryLane, 1)
        try add("v128.store32_lane", simd, 0x5a, .memoryLane, 2)
        try add("v128.store64_lane", simd, 0x5b, .memoryLane, 3)
        try add("v128.load32_zero", simd, 0x5c, .memory, 2)
        try add("v128.load64_zero", simd, 0x5d, .memory, 3)
        try addRun(simd, 0x5e, .none, """
            f32x4.demote_f64x2_zero f64x2.promote_low_f32x4 \
            i8x16.abs i8x16.neg i8x16.popcnt i8x16.all_true i8x16.bitmask i8x16.narrow_i16x8_s i8x16.narrow_i16x8_u \
            f32x4.ceil f32x4.floor f32x4.trunc f32x4.nearest \
            i8x16.shl i8x16.shr_s i8x16.shr_u i8x16.add i8x16.add_sat_s i8x16.add_sat_u i8x16.sub i8x16.sub_sat_s \
            i8x16.sub_sat_u f64x2.ceil f64x2.floor i8x16.min_s i8x16.min_u i8x16.max_s i8x16.max_u f64x2.trunc \
            i8x16.avgr_u i16x8.extadd_pairwise_i8x16_s i16x8.extadd_pairwise_i8x16_u \
            i32x4.extadd_pairwise_i16x8_s i32x4.extadd_pairwise_i16x8_u \
            i16x8.abs i16x8.neg i16x8.q15mulr_sat_s i16x8.all_true i16x8.bitmask i16x8.narrow_i32x4_s \
            i16x8.narrow_i32x4_u i16x8.extend_low_i8x16_s i16x8.extend_high_i8x16_s i16x8.extend_low_i8x16_u \
            i16x8.extend_high_i8x16_u i16x8.shl i16x8.shr_s i16x8.shr_u i16x8.add i16x8.add_sat_s i16x8.add_sat_u \
            i16x8.sub i16x8.sub_sat_s i16x8.sub_sat_u f64x2.nearest i16x8.mul i16x8.min_s i16x8.min_u i16x8.max_s \
            i16x8.max_u - i16x8.avgr_u i16x8.extmul_low_i8x16_s i16x8.extmul_high_i8x16_s i16x8.extmul_low_i8x16_u \
            i16x8.extmul_high_i8x16_u \
            i32x4.abs i32x4.neg - i32x4.all_true i32x4.bitmask - - i32x4.extend_low_i16x8_s i32x4.extend_high_i16x8_s \
            i32x4.extend_low_i16x8_u i32x4.extend_high_i16x8_u i32x4.shl i32x4.shr_s i32x4.shr_u i32x4.add - - \
            i32x4.sub - - - i32x4.mul i32x4.min_s i32x4.min_u i32x4.max_s i32x4.max_u i32x4.dot_i16x8_s - \
            i32x4.extmul_low_i16x8_s i32x4.extmul_high_i16x8_s i32x4.extmul_low_i16x8_u i32x4.extmul_high_i16x8_u \
            i64x2.abs i64x2.neg - i64x2.all_true i64x2.bitmask - - i64x2.extend_low_i32x4_s i64x2.extend_high_i32x4_s \
            i64x2.extend_low_i32x4_u i64x2.extend_high_i32x4_u i64x2.shl i64x2.shr_s i64x2.shr_u i64x2.add - - \
            i64x2.sub - - - i64x2.mul i64x2.eq i64x2.ne i64x2.lt_s i64x2.gt_s i64x2.le_s i64x2.ge_s \
            i64x2.extmul_low_i32x4_s i64x2.extmul_high_i32x4_s i64x2.extmul_low_i32x4_u i64x2.extmul_high_i32x4_u \
            f32x4.abs f32x4.neg - f32x4.sqrt f32x4.add f32x4.sub f32x4.mul f32x4.div f32x4.min f32x4.max \
            f32x4.pmin f32x4.pmax \
            f64x2.abs f64x2.neg - f64x2.sqrt f64x2.add f64x2.sub f64x2.mul f64x2.div f64x2.min f64x2.max \
            f64x2.pmin f64x2.pmax \
            i32x4.trunc_sat_f32x4_s i32x4.trunc_sat_f32x4_u f32x4.convert_i32x4_s f32x4.convert_i32x4_u \
            i32x4.trunc_sat_f64x2_s_zero i32x4.trunc_sat_f64x2_u_zero f64x2.convert_low_i32x4_s \
            f64x2.convert_low_i32x4_u
            """)
        // Relaxed SIMD.
        try addRun(simd, 0x100, .none, """
            i8x16.relaxed_swizzle i32x4.relaxed_trunc_f32x4_s i32x4.relaxed_trunc_f32x4_u \
            i32x4.relaxed_trunc_f64x2_s_zero i32x4.relaxed_trunc_f64x2_u_zero f32x4.relaxed_madd \
            f32x4.relaxed_nmadd f64x2.relaxed_madd f64x2.relaxed_nmadd i8x16.relaxed_laneselect \
            i16x8.relaxed_laneselect i32x4.relaxed_laneselect i64x2.relaxed_laneselect f32x4.relaxed_min \
            f32x4.relaxed_max f64x2.relaxed_min f64x2.relaxed_max i16x8.relaxed_q15mulr_s \
            i16x8.relaxed_dot_i8x16_i7x16_s i32x4.relaxed_dot_i8x16_i7x16_add_s
            """)
    }
}
