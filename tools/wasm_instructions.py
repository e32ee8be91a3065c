"""Every WebAssembly instruction swasm knows, described once (docs/contributing.md: adding an instruction).

`INSTRUCTIONS` lists them in opcode order within each prefix. Each has:
  name       the text format's mnemonic
  prefix     0 for single-byte opcodes, else the prefix byte (0xfc, 0xfd)
  code       the opcode (after the prefix: a LEB-encoded u32)
  immediate  the kind of its immediates, one of IMMEDIATES
  argument   memory instructions: the natural alignment (log2); lane instructions: the lane count
  typing     "OPERANDS -> RESULTS" (value types separated by spaces) for an instruction typed by its
             signature alone, else the name of the validator's rule for it (RULES)
  proposal   the feature that enables it, one of PROPOSALS
  fuel       what wasmtime charges for it: 0 for the purely structural instructions, else 1
  text       the immediates the text format parses for its mnemonic (usually `immediate`; None when
             the mnemonic belongs to another instruction: the typed `select` is written `select`)

tools/gen_wasm_instructions.py generates from it the immediate table the binary decoders and the
text format share, the validator's signatures, the features instructions need, the fuel costs and
the text format's mnemonic table.
"""

# The kinds of immediates: (name, what follows the opcode in the binary format).
IMMEDIATES = [
    ("none", "nothing"),
    ("block", "a block type"),
    ("loop", "a block type"),
    ("if", "a block type"),
    ("else", "nothing (ends the then-branch)"),
    ("end", "nothing (ends a block or the body)"),
    ("label", "a label index"),
    ("branchTable", "a vector of label indices, then the default label"),
    ("call", "a function index"),
    ("callIndirect", "a type index, then a table index"),
    ("select", "a vector of value types (the typed `select`)"),
    ("local", "a local index"),
    ("global", "a global index"),
    ("table", "a table index"),
    ("memory", "a memory argument (alignment and offset)"),
    ("memoryIndex", "a memory index (a zero byte before multi-memory)"),
    ("i32", "a signed LEB128 i32"),
    ("i64", "a signed LEB128 i64"),
    ("f32", "4 bytes"),
    ("f64", "8 bytes"),
    ("v128", "16 bytes"),
    ("referenceNull", "a heap type"),
    ("referenceFunction", "a function index"),
    ("memoryInit", "a data index, then a memory index"),
    ("dataDrop", "a data index"),
    ("memoryCopy", "two memory indices"),
    ("tableInit", "an element index, then a table index"),
    ("elementDrop", "an element index"),
    ("tableCopy", "two table indices"),
    ("shuffle", "16 lane index bytes"),
    ("lane", "a lane index byte"),
    ("memoryLane", "a memory argument, then a lane index byte"),
    ("tag", "a tag index"),
    ("type", "a type index (`call_ref`, `return_call_ref`, the GC instructions of one type)"),
    ("field", "a type index, then a field index (`struct.get*`, `struct.set`)"),
    ("typeCount", "a type index, then a count (`array.new_fixed`)"),
    ("typeData", "a type index, then a data index (`array.new_data`, `array.init_data`)"),
    ("typeElement", "a type index, then an element index (`array.new_elem`, `array.init_elem`)"),
    ("typeType", "two type indices (`array.copy`: destination, then source)"),
    ("castTest", "a heap type (`ref.test`, `ref.cast`: the text format writes a reference type whose nullability picks the opcode)"),
    ("castBranch", "a flags byte (bit 0: the source type is nullable, bit 1: the target type), a label, then two heap types"),
    ("tryTable", "a block type, then a vector of catch clauses (kind byte, tag index for catch and catch_ref, label index)"),
    ("atomicFence", "a zero byte (`atomic.fence`; nothing in the text format)"),
    ("syntax", "not an instruction: a keyword of the text format's other syntax"),
]

# Features (Sources/Swasm/Binary/Features.swift) instructions belong to.
PROPOSALS = {
    "mvp": None,
    "sign-extension": "signExtension",
    "saturating-conversions": "saturatingFloatToInt",
    "bulk-memory": "bulkMemory",
    "reference-types": "referenceTypes",
    "simd": "simd",
    "relaxed-simd": "relaxedSimd",
    "tail-call": "tailCall",
    "wide-arithmetic": "wideArithmetic",
    "exceptions": "exceptions",
    "threads": "threads",
    "function-references": "functionReferences",
    "gc": "gc",
}

# Validator rules for instructions their signature does not type (FunctionValidator.swift).
RULES = {"control", "parametric", "variable", "table", "memory", "constant", "reference", "bulk", "lane", "memoryLane", "wide", "atomic", "gc"}


class Instruction:
    def __init__(self, name, prefix, code, immediate, argument, typing, proposal, fuel, text):
        assert immediate in [kind for kind, _ in IMMEDIATES], immediate
        assert proposal in PROPOSALS, proposal
        assert "->" in typing or typing in RULES, typing
        self.name, self.prefix, self.code, self.immediate = name, prefix, code, immediate
        self.argument, self.typing, self.proposal, self.fuel = argument, typing, proposal, fuel
        self.text = text

    @property
    def signature(self):
        """(operands, results) as lists of value type names, or None when a rule types it."""
        if "->" not in self.typing:
            return None
        operands, results = self.typing.split("->")
        return operands.split(), results.split()


INSTRUCTIONS = []
STRUCTURAL = {"unreachable", "nop", "block", "loop", "else", "end", "return", "drop"}


def add(name, prefix, code, immediate, typing, proposal="mvp", argument=0, text="same"):
    INSTRUCTIONS.append(Instruction(name, prefix, code, immediate, argument, typing, proposal,
                                    0 if name in STRUCTURAL and prefix == 0 else 1,
                                    immediate if text == "same" else text))


def run(prefix, first, immediate, names, typing, proposal="mvp", argument=0):
    """Consecutive opcodes from `first`, one per space-separated name; `-` skips an opcode."""
    for offset, name in enumerate(names.split()):
        if name != "-":
            add(name, prefix, first + offset, immediate, typing, proposal, argument)


def runs(prefix, first, immediate, groups, proposal="mvp"):
    """Consecutive runs of names from `first`, each group (names, typing) with its own typing."""
    code = first
    for names, typing in groups:
        run(prefix, code, immediate, names, typing, proposal)
        code += len(names.split())


# ---------------------------------------------------------------------------------------------------
# Control and parametric instructions
# ---------------------------------------------------------------------------------------------------
add("unreachable", 0, 0x00, "none", "control")
add("nop", 0, 0x01, "none", "control")
add("block", 0, 0x02, "block", "control")
add("loop", 0, 0x03, "loop", "control")
add("if", 0, 0x04, "if", "control")
add("else", 0, 0x05, "else", "control")
add("end", 0, 0x0b, "end", "control")
add("br", 0, 0x0c, "label", "control")
add("br_if", 0, 0x0d, "label", "control")
add("br_table", 0, 0x0e, "branchTable", "control")
add("return", 0, 0x0f, "none", "control")
add("call", 0, 0x10, "call", "control")
add("call_indirect", 0, 0x11, "callIndirect", "control")
add("return_call", 0, 0x12, "call", "control", "tail-call")
add("return_call_indirect", 0, 0x13, "callIndirect", "control", "tail-call")
add("throw", 0, 0x08, "tag", "control", "exceptions")
add("throw_ref", 0, 0x0a, "none", "control", "exceptions")
add("try_table", 0, 0x1f, "tryTable", "control", "exceptions")
add("call_ref", 0, 0x14, "type", "control", "function-references")
add("return_call_ref", 0, 0x15, "type", "control", "function-references")
add("drop", 0, 0x1a, "none", "parametric")
# `select` in the text format, with or without `(result t)`, assembles to either form.
add("select", 0, 0x1b, "none", "parametric", text="select")
add("select", 0, 0x1c, "select", "parametric", "reference-types", text=None)

# ---------------------------------------------------------------------------------------------------
# Variables, tables, memory
# ---------------------------------------------------------------------------------------------------
run(0, 0x20, "local", "local.get local.set local.tee", "variable")
run(0, 0x23, "global", "global.get global.set", "variable")
run(0, 0x25, "table", "table.get table.set", "table", "reference-types")
for name, code, natural in [("i32.load", 0x28, 2), ("i64.load", 0x29, 3), ("f32.load", 0x2a, 2), ("f64.load", 0x2b, 3),
                            ("i32.load8_s", 0x2c, 0), ("i32.load8_u", 0x2d, 0), ("i32.load16_s", 0x2e, 1),
                            ("i32.load16_u", 0x2f, 1), ("i64.load8_s", 0x30, 0), ("i64.load8_u", 0x31, 0),
                            ("i64.load16_s", 0x32, 1), ("i64.load16_u", 0x33, 1), ("i64.load32_s", 0x34, 2),
                            ("i64.load32_u", 0x35, 2), ("i32.store", 0x36, 2), ("i64.store", 0x37, 3),
                            ("f32.store", 0x38, 2), ("f64.store", 0x39, 3), ("i32.store8", 0x3a, 0),
                            ("i32.store16", 0x3b, 1), ("i64.store8", 0x3c, 0), ("i64.store16", 0x3d, 1),
                            ("i64.store32", 0x3e, 2)]:
    add(name, 0, code, "memory", "memory", argument=natural)
add("memory.size", 0, 0x3f, "memoryIndex", "memory")
add("memory.grow", 0, 0x40, "memoryIndex", "memory")

# ---------------------------------------------------------------------------------------------------
# Numeric instructions
# ---------------------------------------------------------------------------------------------------
add("i32.const", 0, 0x41, "i32", "constant")
add("i64.const", 0, 0x42, "i64", "constant")
add("f32.const", 0, 0x43, "f32", "constant")
add("f64.const", 0, 0x44, "f64", "constant")
runs(0, 0x45, "none", [
    ("i32.eqz", "i32 -> i32"),
    ("i32.eq i32.ne i32.lt_s i32.lt_u i32.gt_s i32.gt_u i32.le_s i32.le_u i32.ge_s i32.ge_u", "i32 i32 -> i32"),
    ("i64.eqz", "i64 -> i32"),
    ("i64.eq i64.ne i64.lt_s i64.lt_u i64.gt_s i64.gt_u i64.le_s i64.le_u i64.ge_s i64.ge_u", "i64 i64 -> i32"),
    ("f32.eq f32.ne f32.lt f32.gt f32.le f32.ge", "f32 f32 -> i32"),
    ("f64.eq f64.ne f64.lt f64.gt f64.le f64.ge", "f64 f64 -> i32"),
    ("i32.clz i32.ctz i32.popcnt", "i32 -> i32"),
    ("i32.add i32.sub i32.mul i32.div_s i32.div_u i32.rem_s i32.rem_u i32.and i32.or i32.xor i32.shl i32.shr_s "
     "i32.shr_u i32.rotl i32.rotr", "i32 i32 -> i32"),
    ("i64.clz i64.ctz i64.popcnt", "i64 -> i64"),
    ("i64.add i64.sub i64.mul i64.div_s i64.div_u i64.rem_s i64.rem_u i64.and i64.or i64.xor i64.shl i64.shr_s "
     "i64.shr_u i64.rotl i64.rotr", "i64 i64 -> i64"),
    ("f32.abs f32.neg f32.ceil f32.floor f32.trunc f32.nearest f32.sqrt", "f32 -> f32"),
    ("f32.add f32.sub f32.mul f32.div f32.min f32.max f32.copysign", "f32 f32 -> f32"),
    ("f64.abs f64.neg f64.ceil f64.floor f64.trunc f64.nearest f64.sqrt", "f64 -> f64"),
    ("f64.add f64.sub f64.mul f64.div f64.min f64.max f64.copysign", "f64 f64 -> f64"),
    ("i32.wrap_i64", "i64 -> i32"),
    ("i32.trunc_f32_s i32.trunc_f32_u", "f32 -> i32"),
    ("i32.trunc_f64_s i32.trunc_f64_u", "f64 -> i32"),
    ("i64.extend_i32_s i64.extend_i32_u", "i32 -> i64"),
    ("i64.trunc_f32_s i64.trunc_f32_u", "f32 -> i64"),
    ("i64.trunc_f64_s i64.trunc_f64_u", "f64 -> i64"),
    ("f32.convert_i32_s f32.convert_i32_u", "i32 -> f32"),
    ("f32.convert_i64_s f32.convert_i64_u", "i64 -> f32"),
    ("f32.demote_f64", "f64 -> f32"),
    ("f64.convert_i32_s f64.convert_i32_u", "i32 -> f64"),
    ("f64.convert_i64_s f64.convert_i64_u", "i64 -> f64"),
    ("f64.promote_f32", "f32 -> f64"),
    ("i32.reinterpret_f32", "f32 -> i32"),
    ("i64.reinterpret_f64", "f64 -> i64"),
    ("f32.reinterpret_i32", "i32 -> f32"),
    ("f64.reinterpret_i64", "i64 -> f64"),
])
runs(0, 0xc0, "none", [("i32.extend8_s i32.extend16_s", "i32 -> i32"),
                       ("i64.extend8_s i64.extend16_s i64.extend32_s", "i64 -> i64")], "sign-extension")

# ---------------------------------------------------------------------------------------------------
# References
# ---------------------------------------------------------------------------------------------------
add("ref.null", 0, 0xd0, "referenceNull", "reference", "reference-types")
add("ref.is_null", 0, 0xd1, "none", "reference", "reference-types")
add("ref.func", 0, 0xd2, "referenceFunction", "reference", "reference-types")
add("ref.as_non_null", 0, 0xd4, "none", "reference", "function-references")
add("br_on_null", 0, 0xd5, "label", "control", "function-references")
add("br_on_non_null", 0, 0xd6, "label", "control", "function-references")
add("ref.eq", 0, 0xd3, "none", "gc", "gc")

# ---------------------------------------------------------------------------------------------------
# 0xFC: saturating conversions, bulk memory, tables
# ---------------------------------------------------------------------------------------------------
runs(0xfc, 0, "none", [("i32.trunc_sat_f32_s i32.trunc_sat_f32_u", "f32 -> i32"),
                       ("i32.trunc_sat_f64_s i32.trunc_sat_f64_u", "f64 -> i32"),
                       ("i64.trunc_sat_f32_s i64.trunc_sat_f32_u", "f32 -> i64"),
                       ("i64.trunc_sat_f64_s i64.trunc_sat_f64_u", "f64 -> i64")], "saturating-conversions")
add("memory.init", 0xfc, 8, "memoryInit", "bulk", "bulk-memory")
add("data.drop", 0xfc, 9, "dataDrop", "bulk", "bulk-memory")
add("memory.copy", 0xfc, 10, "memoryCopy", "bulk", "bulk-memory")
add("memory.fill", 0xfc, 11, "memoryIndex", "bulk", "bulk-memory")
add("table.init", 0xfc, 12, "tableInit", "bulk", "bulk-memory")
add("elem.drop", 0xfc, 13, "elementDrop", "bulk", "bulk-memory")
add("table.copy", 0xfc, 14, "tableCopy", "bulk", "bulk-memory")
run(0xfc, 15, "table", "table.grow table.size table.fill", "table", "reference-types")
# Two results each: [i64 i64 i64 i64] -> [i64 i64] and [i64 i64] -> [i64 i64].
run(0xfc, 19, "none", "i64.add128 i64.sub128 i64.mul_wide_s i64.mul_wide_u", "wide", "wide-arithmetic")

# ---------------------------------------------------------------------------------------------------
# 0xFE: threads (atomic memory accesses, wait and notify). Typed by the validator's `atomic` rule:
# the code says the access (FunctionValidator.atomic); `argument` is the natural alignment, which
# an atomic access's alignment must equal.
# ---------------------------------------------------------------------------------------------------
ATOMIC = 0xfe
add("memory.atomic.notify", ATOMIC, 0x00, "memory", "atomic", "threads", 2)
add("memory.atomic.wait32", ATOMIC, 0x01, "memory", "atomic", "threads", 2)
add("memory.atomic.wait64", ATOMIC, 0x02, "memory", "atomic", "threads", 3)
add("atomic.fence", ATOMIC, 0x03, "atomicFence", "atomic", "threads")
# Each group of seven: the i32 and i64 accesses, then the narrow ones (8 and 16 bits of an i32; 8,
# 16 and 32 bits of an i64), zero-extended.
ATOMIC_WIDTHS = [("i32", "", "", 2), ("i64", "", "", 3), ("i32", "8", "_u", 0), ("i32", "16", "_u", 1),
                 ("i64", "8", "_u", 0), ("i64", "16", "_u", 1), ("i64", "32", "_u", 2)]
for group, (kind, first) in enumerate([("load", 0x10), ("store", 0x17)]):
    for offset, (t, bits, _, natural) in enumerate(ATOMIC_WIDTHS):
        add(f"{t}.atomic.{kind}{bits}{'_u' if bits and kind == 'load' else ''}", ATOMIC, first + offset, "memory", "atomic", "threads", natural)
for group, operation in enumerate(["add", "sub", "and", "or", "xor", "xchg", "cmpxchg"]):
    for offset, (t, bits, suffix, natural) in enumerate(ATOMIC_WIDTHS):
        add(f"{t}.atomic.rmw{bits}.{operation}{suffix}", ATOMIC, 0x1e + 7 * group + offset, "memory", "atomic", "threads", natural)

# ---------------------------------------------------------------------------------------------------
# 0xFB: garbage collection (struct and array objects, i31, casts)
# ---------------------------------------------------------------------------------------------------
GC = 0xfb
add("struct.new", GC, 0x00, "type", "gc", "gc")
add("struct.new_default", GC, 0x01, "type", "gc", "gc")
run(GC, 0x02, "field", "struct.get struct.get_s struct.get_u struct.set", "gc", "gc")
add("array.new", GC, 0x06, "type", "gc", "gc")
add("array.new_default", GC, 0x07, "type", "gc", "gc")
add("array.new_fixed", GC, 0x08, "typeCount", "gc", "gc")
add("array.new_data", GC, 0x09, "typeData", "gc", "gc")
add("array.new_elem", GC, 0x0a, "typeElement", "gc", "gc")
run(GC, 0x0b, "type", "array.get array.get_s array.get_u array.set", "gc", "gc")
add("array.len", GC, 0x0f, "none", "gc", "gc")
add("array.fill", GC, 0x10, "type", "gc", "gc")
add("array.copy", GC, 0x11, "typeType", "gc", "gc")
add("array.init_data", GC, 0x12, "typeData", "gc", "gc")
add("array.init_elem", GC, 0x13, "typeElement", "gc", "gc")
# `ref.test (ref ht)` and `ref.test (ref null ht)` are one mnemonic with two opcodes; so is ref.cast.
add("ref.test", GC, 0x14, "castTest", "gc", "gc")
add("ref.test", GC, 0x15, "castTest", "gc", "gc", text=None)
add("ref.cast", GC, 0x16, "castTest", "gc", "gc")
add("ref.cast", GC, 0x17, "castTest", "gc", "gc", text=None)
add("br_on_cast", GC, 0x18, "castBranch", "gc", "gc")
add("br_on_cast_fail", GC, 0x19, "castBranch", "gc", "gc")
add("any.convert_extern", GC, 0x1a, "none", "gc", "gc")
add("extern.convert_any", GC, 0x1b, "none", "gc", "gc")
add("ref.i31", GC, 0x1c, "none", "gc", "gc")
run(GC, 0x1d, "none", "i31.get_s i31.get_u", "gc", "gc")

# ---------------------------------------------------------------------------------------------------
# 0xFD: fixed-width SIMD
# ---------------------------------------------------------------------------------------------------
SIMD = 0xfd
V1, V2, V3 = "v128 -> v128", "v128 v128 -> v128", "v128 v128 v128 -> v128"
add("v128.load", SIMD, 0x00, "memory", "memory", "simd", 4)
run(SIMD, 0x01, "memory", "v128.load8x8_s v128.load8x8_u v128.load16x4_s v128.load16x4_u v128.load32x2_s v128.load32x2_u",
    "memory", "simd", 3)
for name, code, natural in [("v128.load8_splat", 0x07, 0), ("v128.load16_splat", 0x08, 1), ("v128.load32_splat", 0x09, 2),
                            ("v128.load64_splat", 0x0a, 3), ("v128.store", 0x0b, 4)]:
    add(name, SIMD, code, "memory", "memory", "simd", natural)
add("v128.const", SIMD, 0x0c, "v128", "constant", "simd")
add("i8x16.shuffle", SIMD, 0x0d, "shuffle", "lane", "simd")
add("i8x16.swizzle", SIMD, 0x0e, "none", V2, "simd")
runs(SIMD, 0x0f, "none", [("i8x16.splat i16x8.splat i32x4.splat", "i32 -> v128"), ("i64x2.splat", "i64 -> v128"),
                          ("f32x4.splat", "f32 -> v128"), ("f64x2.splat", "f64 -> v128")], "simd")
for offset, (name, lanes) in enumerate([
        ("i8x16.extract_lane_s", 16), ("i8x16.extract_lane_u", 16), ("i8x16.replace_lane", 16),
        ("i16x8.extract_lane_s", 8), ("i16x8.extract_lane_u", 8), ("i16x8.replace_lane", 8),
        ("i32x4.extract_lane", 4), ("i32x4.replace_lane", 4), ("i64x2.extract_lane", 2), ("i64x2.replace_lane", 2),
        ("f32x4.extract_lane", 4), ("f32x4.replace_lane", 4), ("f64x2.extract_lane", 2), ("f64x2.replace_lane", 2)]):
    add(name, SIMD, 0x15 + offset, "lane", "lane", "simd", lanes)
runs(SIMD, 0x23, "none", [
    ("i8x16.eq i8x16.ne i8x16.lt_s i8x16.lt_u i8x16.gt_s i8x16.gt_u i8x16.le_s i8x16.le_u i8x16.ge_s i8x16.ge_u "
     "i16x8.eq i16x8.ne i16x8.lt_s i16x8.lt_u i16x8.gt_s i16x8.gt_u i16x8.le_s i16x8.le_u i16x8.ge_s i16x8.ge_u "
     "i32x4.eq i32x4.ne i32x4.lt_s i32x4.lt_u i32x4.gt_s i32x4.gt_u i32x4.le_s i32x4.le_u i32x4.ge_s i32x4.ge_u "
     "f32x4.eq f32x4.ne f32x4.lt f32x4.gt f32x4.le f32x4.ge f64x2.eq f64x2.ne f64x2.lt f64x2.gt f64x2.le f64x2.ge", V2),
    ("v128.not", V1), ("v128.and v128.andnot v128.or v128.xor", V2), ("v128.bitselect", V3), ("v128.any_true", "v128 -> i32"),
], "simd")
for offset, (name, natural) in enumerate([("v128.load8_lane", 0), ("v128.load16_lane", 1), ("v128.load32_lane", 2),
                                          ("v128.load64_lane", 3), ("v128.store8_lane", 0), ("v128.store16_lane", 1),
                                          ("v128.store32_lane", 2), ("v128.store64_lane", 3)]):
    add(name, SIMD, 0x54 + offset, "memoryLane", "memoryLane", "simd", natural)
add("v128.load32_zero", SIMD, 0x5c, "memory", "memory", "simd", 2)
add("v128.load64_zero", SIMD, 0x5d, "memory", "memory", "simd", 3)
SHIFT, TO_I32 = "v128 i32 -> v128", "v128 -> i32"
runs(SIMD, 0x5e, "none", [
    ("f32x4.demote_f64x2_zero f64x2.promote_low_f32x4 i8x16.abs i8x16.neg i8x16.popcnt", V1),
    ("i8x16.all_true i8x16.bitmask", TO_I32),
    ("i8x16.narrow_i16x8_s i8x16.narrow_i16x8_u", V2),
    ("f32x4.ceil f32x4.floor f32x4.trunc f32x4.nearest", V1),
    ("i8x16.shl i8x16.shr_s i8x16.shr_u", SHIFT),
    ("i8x16.add i8x16.add_sat_s i8x16.add_sat_u i8x16.sub i8x16.sub_sat_s i8x16.sub_sat_u", V2),
    ("f64x2.ceil f64x2.floor", V1),
    ("i8x16.min_s i8x16.min_u i8x16.max_s i8x16.max_u", V2),
    ("f64x2.trunc", V1),
    ("i8x16.avgr_u", V2),
    ("i16x8.extadd_pairwise_i8x16_s i16x8.extadd_pairwise_i8x16_u i32x4.extadd_pairwise_i16x8_s "
     "i32x4.extadd_pairwise_i16x8_u i16x8.abs i16x8.neg", V1),
    ("i16x8.q15mulr_sat_s", V2),
    ("i16x8.all_true i16x8.bitmask", TO_I32),
    ("i16x8.narrow_i32x4_s i16x8.narrow_i32x4_u", V2),
    ("i16x8.extend_low_i8x16_s i16x8.extend_high_i8x16_s i16x8.extend_low_i8x16_u i16x8.extend_high_i8x16_u", V1),
    ("i16x8.shl i16x8.shr_s i16x8.shr_u", SHIFT),
    ("i16x8.add i16x8.add_sat_s i16x8.add_sat_u i16x8.sub i16x8.sub_sat_s i16x8.sub_sat_u", V2),
    ("f64x2.nearest", V1),
    ("i16x8.mul i16x8.min_s i16x8.min_u i16x8.max_s i16x8.max_u - i16x8.avgr_u i16x8.extmul_low_i8x16_s "
     "i16x8.extmul_high_i8x16_s i16x8.extmul_low_i8x16_u i16x8.extmul_high_i8x16_u", V2),
    ("i32x4.abs i32x4.neg -", V1),
    ("i32x4.all_true i32x4.bitmask - -", TO_I32),
    ("i32x4.extend_low_i16x8_s i32x4.extend_high_i16x8_s i32x4.extend_low_i16x8_u i32x4.extend_high_i16x8_u", V1),
    ("i32x4.shl i32x4.shr_s i32x4.shr_u", SHIFT),
    ("i32x4.add - - i32x4.sub - - - i32x4.mul i32x4.min_s i32x4.min_u i32x4.max_s i32x4.max_u i32x4.dot_i16x8_s - "
     "i32x4.extmul_low_i16x8_s i32x4.extmul_high_i16x8_s i32x4.extmul_low_i16x8_u i32x4.extmul_high_i16x8_u", V2),
    ("i64x2.abs i64x2.neg -", V1),
    ("i64x2.all_true i64x2.bitmask - -", TO_I32),
    ("i64x2.extend_low_i32x4_s i64x2.extend_high_i32x4_s i64x2.extend_low_i32x4_u i64x2.extend_high_i32x4_u", V1),
    ("i64x2.shl i64x2.shr_s i64x2.shr_u", SHIFT),
    ("i64x2.add - - i64x2.sub - - - i64x2.mul i64x2.eq i64x2.ne i64x2.lt_s i64x2.gt_s i64x2.le_s i64x2.ge_s "
     "i64x2.extmul_low_i32x4_s i64x2.extmul_high_i32x4_s i64x2.extmul_low_i32x4_u i64x2.extmul_high_i32x4_u", V2),
    ("f32x4.abs f32x4.neg - f32x4.sqrt", V1),
    ("f32x4.add f32x4.sub f32x4.mul f32x4.div f32x4.min f32x4.max f32x4.pmin f32x4.pmax", V2),
    ("f64x2.abs f64x2.neg - f64x2.sqrt", V1),
    ("f64x2.add f64x2.sub f64x2.mul f64x2.div f64x2.min f64x2.max f64x2.pmin f64x2.pmax", V2),
    ("i32x4.trunc_sat_f32x4_s i32x4.trunc_sat_f32x4_u f32x4.convert_i32x4_s f32x4.convert_i32x4_u "
     "i32x4.trunc_sat_f64x2_s_zero i32x4.trunc_sat_f64x2_u_zero f64x2.convert_low_i32x4_s f64x2.convert_low_i32x4_u", V1),
], "simd")

# Relaxed SIMD.
runs(SIMD, 0x100, "none", [
    ("i8x16.relaxed_swizzle", V2),
    ("i32x4.relaxed_trunc_f32x4_s i32x4.relaxed_trunc_f32x4_u i32x4.relaxed_trunc_f64x2_s_zero "
     "i32x4.relaxed_trunc_f64x2_u_zero", V1),
    ("f32x4.relaxed_madd f32x4.relaxed_nmadd f64x2.relaxed_madd f64x2.relaxed_nmadd i8x16.relaxed_laneselect "
     "i16x8.relaxed_laneselect i32x4.relaxed_laneselect i64x2.relaxed_laneselect", V3),
    ("f32x4.relaxed_min f32x4.relaxed_max f64x2.relaxed_min f64x2.relaxed_max i16x8.relaxed_q15mulr_s "
     "i16x8.relaxed_dot_i8x16_i7x16_s", V2),
    ("i32x4.relaxed_dot_i8x16_i7x16_add_s", V3),
], "relaxed-simd")

# Keywords of the text format that are not instructions (the text parser's table holds them too).
SYNTAX_KEYWORDS = """
    module type func param result local import export table memory global elem data start offset
    item declare then mut funcref externref extern i32 i64 f32 f64 v128 i8x16 i16x8 i32x4 i64x2
    f32x4 f64x2 shared binary quote inf nan register invoke get ref.extern ref.host either
    assert_return assert_trap assert_exhaustion assert_malformed assert_invalid assert_unlinkable
    assert_uninstantiable script input output definition instance ref null nan:canonical nan:arithmetic
""".split()


def check():
    """Opcodes are unique within a prefix, and so are the mnemonics the text format knows."""
    seen, names = set(), set()
    for instruction in INSTRUCTIONS:
        key = (instruction.prefix, instruction.code)
        assert key not in seen, f"opcode {key} twice"
        seen.add(key)
        if instruction.text is not None:
            assert instruction.name not in names, f"{instruction.name} twice"
            names.add(instruction.name)


check()
