"""SIMD instructions of the interpreter (see gen_instructions.py for formats and kinds).

`describe(op)` adds each instruction by calling op(name, format, kind, body). A v128 value takes
two consecutive slots: slot s holds the low 8 bytes, slot s + 1 the high 8 bytes (little endian).
Bodies read every input into a value before writing the destination, so a destination may
overlap its inputs. The lane-wise helpers are in Sources/Swasm/Interpreter/VectorSemantics.swift.

Operand conventions beyond the formats' own fields:
  extract_lane   dxy   y is the lane number (not a slot)
  replace_lane   dxyz  y the scalar, z the lane number
  load lane      dxyi  x address, y the vector, imm offset; the lane in bits 48...63 of word 1
  store lane     xyi   x address, y the vector, imm offset; the lane in bits 32...47 of word 1
  const_v128     dxyii imm low word, imm2 high word
  shuffle        dxyii imm lanes 0...7, imm2 lanes 8...15 (one byte per lane)
"""

INTS = {  # shape: (signed vector, unsigned vector, lane bits)
    "i8x16": ("I8x16", "U8x16", 8),
    "i16x8": ("I16x8", "U16x8", 16),
    "i32x4": ("I32x4", "U32x4", 32),
    "i64x2": ("I64x2", "U64x2", 64),
}
FLOATS = {"f32x4": ("F32x4", "Float", "I32x4"), "f64x2": ("F64x2", "Double", "I64x2")}


def describe(op):
    def unary(name, T, expr):
        op(name, "dx", "plain", f"let a = fp.v(x, as: {T}.self); fp.setV(d, {expr})")

    def binary(name, T, expr):
        op(name, "dxy", "plain", f"let a = fp.v(x, as: {T}.self); let b = fp.v(y, as: {T}.self); fp.setV(d, {expr})")

    def to_i32(name, T, expr):
        op(name, "dx", "plain", f"let a = fp.v(x, as: {T}.self); fp.setI32(d, {expr})")

    # -----------------------------------------------------------------------------------------
    # Constants, globals, memory
    # -----------------------------------------------------------------------------------------
    op("global_get_v128", "dxi", "plain",
       "let cell = ex.pointee.globals[Int(truncatingIfNeeded: imm)]!; fp[d] = cell[0]; fp[d &+ 1] = cell[1]")
    op("global_set_v128", "dxi", "plain",
       "let cell = ex.pointee.globals[Int(truncatingIfNeeded: imm)]!; cell[0] = fp[x]; cell[1] = fp[x &+ 1]")

    # Every memory instruction also gets a memory64 form (`_a64`): an i64 address, checked by
    # Vector.address64 without wrapping.
    memory_ops = []
    plain_op = op

    def op(name, fmt, kind, body):
        plain_op(name, fmt, kind, body)
        memory_ops.append((name, fmt, kind, body))

    bounds = "else { return Interpreter.memoryFault(ex, UInt64(fp.i32(x)) &+ imm, memSize) }"
    op("v128_load", "dxi", "trap",
       f"guard let p = Vector.address(mem, memSize, fp.i32(x), imm, 16) {bounds}; "
       "fp[d] = p.loadUnaligned(as: UInt64.self); fp[d &+ 1] = p.loadUnaligned(fromByteOffset: 8, as: UInt64.self)")
    op("v128_store", "xyi", "trap",
       f"guard let p = Vector.address(mem, memSize, fp.i32(x), imm, 16) {bounds}; "
       "p.storeBytes(of: fp[y], as: UInt64.self); p.storeBytes(of: fp[y &+ 1], toByteOffset: 8, as: UInt64.self)")
    # Loads of 8 bytes extended to 16: the half-width vector, then the conversion.
    for name, (half, full) in {
        "v128_load8x8_s": ("SIMD8<Int8>", "I16x8"), "v128_load8x8_u": ("SIMD8<UInt8>", "U16x8"),
        "v128_load16x4_s": ("SIMD4<Int16>", "I32x4"), "v128_load16x4_u": ("SIMD4<UInt16>", "U32x4"),
        "v128_load32x2_s": ("SIMD2<Int32>", "I64x2"), "v128_load32x2_u": ("SIMD2<UInt32>", "U64x2"),
    }.items():
        op(name, "dxi", "trap",
           f"guard let p = Vector.address(mem, memSize, fp.i32(x), imm, 8) {bounds}; "
           f"fp.setV(d, {full}(truncatingIfNeeded: unsafeBitCast(p.loadUnaligned(as: UInt64.self), to: {half}.self)))")
    for name, (scalar, T, size) in {
        "v128_load8_splat": ("UInt8", "U8x16", 1), "v128_load16_splat": ("UInt16", "U16x8", 2),
        "v128_load32_splat": ("UInt32", "U32x4", 4), "v128_load64_splat": ("UInt64", "U64x2", 8),
    }.items():
        op(name, "dxi", "trap",
           f"guard let p = Vector.address(mem, memSize, fp.i32(x), imm, {size}) {bounds}; "
           f"fp.setV(d, {T}(repeating: p.loadUnaligned(as: {scalar}.self)))")
    for name, (scalar, size) in {"v128_load32_zero": ("UInt32", 4), "v128_load64_zero": ("UInt64", 8)}.items():
        op(name, "dxi", "trap",
           f"guard let p = Vector.address(mem, memSize, fp.i32(x), imm, {size}) {bounds}; "
           f"fp[d] = UInt64(p.loadUnaligned(as: {scalar}.self)); fp[d &+ 1] = 0")
    for bits, (T, scalar) in {8: ("U8x16", "UInt8"), 16: ("U16x8", "UInt16"), 32: ("U32x4", "UInt32"), 64: ("U64x2", "UInt64")}.items():
        size = bits // 8
        op(f"v128_load{bits}_lane", "dxyi", "trap",
           f"guard let p = Vector.address(mem, memSize, fp.i32(x), imm, {size}) {bounds}; "
           f"var v = fp.v(y, as: {T}.self); v[Vector.lane(ip[1] >> 48, {T}.self)] = p.loadUnaligned(as: {scalar}.self); fp.setV(d, v)")
        op(f"v128_store{bits}_lane", "xyi", "trap",
           f"guard let p = Vector.address(mem, memSize, fp.i32(x), imm, {size}) {bounds}; "
           f"p.storeBytes(of: fp.v(y, as: {T}.self)[Vector.lane(ip[1] >> 32, {T}.self)], as: {scalar}.self)")

    op = plain_op
    for name, fmt, kind, body in memory_ops:
        wide = (body.replace("UInt64(fp.i32(x)) &+ imm", "fp.i64(x) &+ imm")
                    .replace("Vector.address(mem, memSize, fp.i32(x),", "Vector.address64(mem, memSize, fp.i64(x),"))
        assert "fp.i32(x)" not in wide, name
        op(name + "_a64", fmt, kind, wide)

    # -----------------------------------------------------------------------------------------
    # Lanes: shuffle, swizzle, splat, extract, replace
    # -----------------------------------------------------------------------------------------
    op("i8x16_shuffle", "dxyii", "plain",
       "fp.setV(d, Vector.shuffle(fp.v(x, as: U8x16.self), fp.v(y, as: U8x16.self), imm, imm2))")
    binary("i8x16_swizzle", "U8x16", "Vector.swizzle(a, b)")
    for shape, (T, scalar) in {"i8x16": ("U8x16", "UInt8"), "i16x8": ("U16x8", "UInt16"), "i32x4": ("U32x4", "UInt32"),
                               "i64x2": ("U64x2", "UInt64"), "f32x4": ("U32x4", "UInt32"), "f64x2": ("U64x2", "UInt64")}.items():
        op(f"{shape}_splat", "dx", "plain", f"fp.setV(d, {T}(repeating: {scalar}(truncatingIfNeeded: fp[x])))")
        replace = f"var v = fp.v(x, as: {T}.self); v[Vector.lane(UInt64(z), {T}.self)] = {scalar}(truncatingIfNeeded: fp[y]); fp.setV(d, v)"
        op(f"{shape}_replace_lane", "dxyz", "plain", replace)
    for shape, (T, scalar) in {"i8x16": ("I8x16", "Int8"), "i16x8": ("I16x8", "Int16")}.items():
        op(f"{shape}_extract_lane_s", "dxy", "plain",
           f"fp.setI32(d, UInt32(bitPattern: Int32(fp.v(x, as: {T}.self)[Vector.lane(UInt64(y), {T}.self)])))")
        U = "U" + T[1:]
        op(f"{shape}_extract_lane_u", "dxy", "plain",
           f"fp.setI32(d, UInt32(fp.v(x, as: {U}.self)[Vector.lane(UInt64(y), {U}.self)]))")
    op("i32x4_extract_lane", "dxy", "plain", "fp[d] = UInt64(fp.v(x, as: U32x4.self)[Vector.lane(UInt64(y), U32x4.self)])")
    op("f32x4_extract_lane", "dxy", "plain", "fp[d] = UInt64(fp.v(x, as: U32x4.self)[Vector.lane(UInt64(y), U32x4.self)])")
    op("i64x2_extract_lane", "dxy", "plain", "fp[d] = fp[x &+ (y & 1)]")
    op("f64x2_extract_lane", "dxy", "plain", "fp[d] = fp[x &+ (y & 1)]")

    # -----------------------------------------------------------------------------------------
    # Bitwise
    # -----------------------------------------------------------------------------------------
    op("v128_not", "dx", "plain", "let lo = ~fp[x], hi = ~fp[x &+ 1]; fp[d] = lo; fp[d &+ 1] = hi")
    for name, expr in {"and": "{a} & {b}", "andnot": "{a} & ~{b}", "or": "{a} | {b}", "xor": "{a} ^ {b}"}.items():
        lo = expr.format(a="fp[x]", b="fp[y]")
        hi = expr.format(a="fp[x &+ 1]", b="fp[y &+ 1]")
        op(f"v128_{name}", "dxy", "plain", f"let lo = {lo}, hi = {hi}; fp[d] = lo; fp[d &+ 1] = hi")
    op("v128_bitselect", "dxyz", "plain",
       "let lo = (fp[x] & fp[z]) | (fp[y] & ~fp[z]), hi = (fp[x &+ 1] & fp[z &+ 1]) | (fp[y &+ 1] & ~fp[z &+ 1]); "
       "fp[d] = lo; fp[d &+ 1] = hi")
    op("v128_any_true", "dx", "plain", "fp.setI32(d, (fp[x] | fp[x &+ 1]) != 0 ? 1 : 0)")

    # -----------------------------------------------------------------------------------------
    # Integer lanes
    # -----------------------------------------------------------------------------------------
    for shape, (S, U, bits) in INTS.items():
        for name, (T, cmp) in {"eq": (U, ".=="), "ne": (U, ".!="), "lt_s": (S, ".<"), "lt_u": (U, ".<"),
                               "gt_s": (S, ".>"), "gt_u": (U, ".>"), "le_s": (S, ".<="), "le_u": (U, ".<="),
                               "ge_s": (S, ".>="), "ge_u": (U, ".>=")}.items():
            if shape == "i64x2" and name.endswith("_u"):
                continue
            binary(f"{shape}_{name}", T, f"Vector.mask(a {cmp} b, {S}.self)")
        unary(f"{shape}_abs", S, f"a.replacing(with: {S}() &- a, where: a .< 0)")
        unary(f"{shape}_neg", S, f"{S}() &- a")
        to_i32(f"{shape}_all_true", U, "Vector.allTrue(a)")
        to_i32(f"{shape}_bitmask", S, "Vector.bitmask(a)")
        for name, (T, operator) in {"shl": (U, "&<<"), "shr_s": (S, "&>>"), "shr_u": (U, "&>>")}.items():
            op(f"{shape}_{name}", "dxy", "plain",
               f"fp.setV(d, fp.v(x, as: {T}.self) {operator} {T}.Scalar(truncatingIfNeeded: fp[y] & {bits - 1}))")
        binary(f"{shape}_add", U, "a &+ b")
        binary(f"{shape}_sub", U, "a &- b")
        if bits != 8:
            binary(f"{shape}_mul", U, "a &* b")
        if bits <= 32:
            binary(f"{shape}_min_s", S, "a.replacing(with: b, where: b .< a)")
            binary(f"{shape}_min_u", U, "a.replacing(with: b, where: b .< a)")
            binary(f"{shape}_max_s", S, "a.replacing(with: b, where: b .> a)")
            binary(f"{shape}_max_u", U, "a.replacing(with: b, where: b .> a)")
        if bits <= 16:
            binary(f"{shape}_add_sat_s", S, "Vector.addSaturating(a, b)")
            binary(f"{shape}_add_sat_u", U, "Vector.addSaturating(a, b)")
            binary(f"{shape}_sub_sat_s", S, "Vector.subtractSaturating(a, b)")
            binary(f"{shape}_sub_sat_u", U, "Vector.subtractSaturating(a, b)")
            binary(f"{shape}_avgr_u", U, "Vector.averageRounded(a, b)")

    unary("i8x16_popcnt", "U8x16", "Vector.popcount(a)")
    binary("i8x16_narrow_i16x8_s", "I16x8", "Vector.narrow(a, b, Int8.self)")
    binary("i8x16_narrow_i16x8_u", "I16x8", "Vector.narrow(a, b, UInt8.self)")
    binary("i16x8_narrow_i32x4_s", "I32x4", "Vector.narrow(a, b, Int16.self)")
    binary("i16x8_narrow_i32x4_u", "I32x4", "Vector.narrow(a, b, UInt16.self)")
    binary("i16x8_q15mulr_sat_s", "I16x8", "Vector.q15MultiplyRoundSaturate(a, b)")
    binary("i32x4_dot_i16x8_s", "I16x8", "Vector.dot(a, b)")
    # Widening: (wide, narrow source signed, narrow source unsigned)
    for wide, narrow in (("i16x8", "i8x16"), ("i32x4", "i16x8"), ("i64x2", "i32x4")):
        WS, WU, _ = INTS[wide]
        NS, NU, _ = INTS[narrow]
        for half in ("low", "high"):
            for sign, N, W in (("s", NS, WS), ("u", NU, WU)):
                unary(f"{wide}_extend_{half}_{narrow}_{sign}", N, f"{W}(truncatingIfNeeded: a.{half}Half)")
                binary(f"{wide}_extmul_{half}_{narrow}_{sign}", N,
                       f"{W}(truncatingIfNeeded: a.{half}Half) &* {W}(truncatingIfNeeded: b.{half}Half)")
        if wide != "i64x2":
            for sign, N, W in (("s", NS, WS), ("u", NU, WU)):
                unary(f"{wide}_extadd_pairwise_{narrow}_{sign}", N,
                      f"{W}(truncatingIfNeeded: a.evenHalf) &+ {W}(truncatingIfNeeded: a.oddHalf)")

    # -----------------------------------------------------------------------------------------
    # Floating-point lanes
    # -----------------------------------------------------------------------------------------
    for shape, (T, F, M) in FLOATS.items():
        for name, cmp in {"eq": ".==", "ne": ".!=", "lt": ".<", "gt": ".>", "le": ".<=", "ge": ".>="}.items():
            binary(f"{shape}_{name}", T, f"Vector.mask(a {cmp} b, {M}.self)")
        U = "U32x4" if F == "Float" else "U64x2"
        sign = "0x8000_0000" if F == "Float" else "0x8000_0000_0000_0000"
        unary(f"{shape}_abs", U, f"a & {U}(repeating: ~{sign})")
        unary(f"{shape}_neg", U, f"a ^ {U}(repeating: {sign})")
        binary(f"{shape}_add", T, "a + b")
        binary(f"{shape}_sub", T, "a - b")
        binary(f"{shape}_mul", T, "a * b")
        binary(f"{shape}_div", T, "a / b")
        binary(f"{shape}_min", T, f"Vector.minimum(a, b, bits: {U}.self)")
        binary(f"{shape}_max", T, f"Vector.maximum(a, b, bits: {U}.self)")
        binary(f"{shape}_pmin", T, "a.replacing(with: b, where: b .< a)")
        binary(f"{shape}_pmax", T, "a.replacing(with: b, where: a .< b)")
        for name in ("sqrt", "ceil", "floor", "trunc", "nearest"):
            unary(f"{shape}_{name}", T, f"Vector.{name}(a)")

    unary("i32x4_trunc_sat_f32x4_s", "F32x4", "Vector.saturate(a, Int32.self)")
    unary("i32x4_trunc_sat_f32x4_u", "F32x4", "Vector.saturate(a, UInt32.self)")
    unary("f32x4_convert_i32x4_s", "I32x4", "F32x4(a)")
    unary("f32x4_convert_i32x4_u", "U32x4", "F32x4(a)")
    unary("i32x4_trunc_sat_f64x2_s_zero", "F64x2", "Vector.saturateZero(a, Int32.self)")
    unary("i32x4_trunc_sat_f64x2_u_zero", "F64x2", "Vector.saturateZero(a, UInt32.self)")
    unary("f64x2_convert_low_i32x4_s", "I32x4", "F64x2(a.lowHalf)")
    unary("f64x2_convert_low_i32x4_u", "U32x4", "F64x2(a.lowHalf)")
    unary("f32x4_demote_f64x2_zero", "F64x2", "F32x4(lowHalf: SIMD2<Float>(a), highHalf: SIMD2<Float>())")
    unary("f64x2_promote_low_f32x4", "F32x4", "F64x2(a.lowHalf)")

    # -----------------------------------------------------------------------------------------
    # Relaxed SIMD, as wasmtime computes it on x86-64 (RelaxedVectorSemantics.swift); the relaxed
    # instructions that equal a deterministic one (min, max, the unsigned truncations,
    # i16x8.relaxed_laneselect) compile to it and have no instruction of their own.
    # -----------------------------------------------------------------------------------------
    def ternary(name, T, expr, C=None):
        op(name, "dxyz", "plain", f"let a = fp.v(x, as: {T}.self); let b = fp.v(y, as: {T}.self); "
                                  f"let c = fp.v(z, as: {C or T}.self); fp.setV(d, {expr})")

    binary("i8x16_relaxed_swizzle", "U8x16", "Vector.relaxedSwizzle(a, b)")
    unary("i32x4_relaxed_trunc_f32x4_s", "F32x4", "Vector.relaxedTruncate(a)")
    unary("i32x4_relaxed_trunc_f64x2_s_zero", "F64x2", "Vector.relaxedTruncateZero(a)")
    for shape, T in (("f32x4", "F32x4"), ("f64x2", "F64x2")):
        ternary(f"{shape}_relaxed_madd", T, "Vector.multiplyAdd(a, b, c, negate: false)")
        ternary(f"{shape}_relaxed_nmadd", T, "Vector.multiplyAdd(a, b, c, negate: true)")
    for shape, T in (("i8x16", "I8x16"), ("i32x4", "I32x4"), ("i64x2", "I64x2")):
        ternary(f"{shape}_relaxed_laneselect", T, "Vector.blend(a, b, c)")
    binary("i16x8_relaxed_q15mulr_s", "I16x8", "Vector.relaxedQ15MultiplyRound(a, b)")
    op("i16x8_relaxed_dot_i8x16_i7x16_s", "dxy", "plain",
       "let a = fp.v(x, as: I8x16.self); let b = fp.v(y, as: U8x16.self); fp.setV(d, Vector.relaxedDot(a, b))")
    # The deterministic forms of the dot products (relaxed_simd_deterministic): signed lanes,
    # wrapping sums.
    op("i16x8_dot_i8x16_i7x16_s", "dxy", "plain",
       "let a = fp.v(x, as: I8x16.self); let b = fp.v(y, as: I8x16.self); fp.setV(d, Vector.signedDot(a, b))")
    op("i32x4_dot_i8x16_i7x16_add_s", "dxyz", "plain",
       "let a = fp.v(x, as: I8x16.self); let b = fp.v(y, as: I8x16.self); let c = fp.v(z, as: I32x4.self); "
       "fp.setV(d, Vector.signedDotAdd(a, b, c))")
    op("i32x4_relaxed_dot_i8x16_i7x16_add_s", "dxyz", "plain",
       "let a = fp.v(x, as: I8x16.self); let b = fp.v(y, as: U8x16.self); let c = fp.v(z, as: I32x4.self); "
       "fp.setV(d, Vector.relaxedDotAdd(a, b, c))")
