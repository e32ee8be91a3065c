#!/usr/bin/env python3
"""Writes multi_memory64.wast (next to this file): multi-memory, memory64 and 64-bit tables.

Every expected value and trap in the script is wasmtime's: this generator builds each module's
text, instantiates it with the `wasmtime` Python package (50.x, whose defaults enable multi-memory,
memory64, SIMD and tail calls), runs every call in script order against it and records what
wasmtime returned, or the trap it reported (its message shortened to the specification's phrase).
Nothing is taken from swasm. The output depends only on this file, so running it again gives the
same script:

    python3 tests-c/wast/gen_multi_memory64.py
"""

import os
import sys

import wasmtime

PAGE = 65536
M32 = (1 << 32) - 1
M64 = (1 << 64) - 1

TRAP_PHRASES = {
    wasmtime.TrapCode.MEMORY_OUT_OF_BOUNDS: "out of bounds memory access",
    wasmtime.TrapCode.INDIRECT_CALL_TO_NULL: "uninitialized element",
    wasmtime.TrapCode.BAD_SIGNATURE: "indirect call type mismatch",
}


def wat_bytes(data):
    return '"' + "".join("\\%02x" % b for b in data) + '"'


def pattern(seed, n):
    """n bytes that differ from each other and from other seeds, half with the top bit set."""
    return bytes((seed + 0x25 * i) & 0xFF for i in range(n))


def fmt_int(v, bits):
    u = v & ((1 << bits) - 1)
    s = u - (1 << bits) if u >> (bits - 1) else u
    if -0x10000 <= s <= 0x10000:
        return str(s)
    return "0x%x" % u


def fmt_float(v):
    if v != v:
        raise ValueError("NaN results are not recorded")
    return repr(v)


def fmt_value(ty, v):
    if ty == "i32":
        return "(i32.const %s)" % fmt_int(v, 32)
    if ty == "i64":
        return "(i64.const %s)" % fmt_int(v, 64)
    if ty in ("f32", "f64"):
        return "(%s.const %s)" % (ty, fmt_float(v))
    raise ValueError("unsupported value type " + ty)


def to_wasmtime(ty, v):
    if ty in ("i32", "i64"):
        bits = 32 if ty == "i32" else 64
        u = v & ((1 << bits) - 1)
        return u - (1 << bits) if u >> (bits - 1) else u
    return float(v)


class Script:
    def __init__(self):
        self.engine = wasmtime.Engine(wasmtime.Config())
        self.store = wasmtime.Store(self.engine)
        self.linker = wasmtime.Linker(self.engine)
        self.lines = []
        self.instance = None
        self.named = {}
        self.commands = 0

    def emit(self, text):
        self.lines.append(text)

    def comment(self, text):
        for line in text.strip().split("\n"):
            self.lines.append(";; " + line.strip())

    def blank(self):
        self.lines.append("")

    @staticmethod
    def module_text(fields, name=None):
        head = "(module" + (" $" + name if name else "")
        return head + "\n" + "\n".join("  " + f for f in fields) + ")"

    def module(self, fields, name=None):
        text = self.module_text(fields, name)
        module = wasmtime.Module(self.engine, text)
        self.instance = self.linker.instantiate(self.store, module)
        if name:
            self.named[name] = self.instance
        self.emit(text)
        self.commands += 1

    def module_trap(self, fields):
        """A module whose instantiation traps (assert_trap on a module)."""
        text = self.module_text(fields)
        module = wasmtime.Module(self.engine, text)
        try:
            self.linker.instantiate(self.store, module)
        except wasmtime.Trap as trap:
            self.emit("(assert_trap %s\n  %s)" % (text.replace("\n", "\n  "), self.phrase(trap, False)))
            self.commands += 1
            return
        raise AssertionError("instantiation did not trap:\n" + text)

    def register(self, as_name, name):
        self.linker.define_instance(self.store, as_name, self.named[name])
        self.emit('(register "%s" $%s)' % (as_name, name))
        self.commands += 1

    @staticmethod
    def phrase(trap, indirect_call):
        code = trap.trap_code
        if code == wasmtime.TrapCode.TABLE_OUT_OF_BOUNDS:
            # wasmtime says "undefined element: out of bounds table access" for both; the
            # specification's scripts say the first half for call_indirect, the second otherwise.
            text = "undefined element" if indirect_call else "out of bounds table access"
        elif code in TRAP_PHRASES:
            text = TRAP_PHRASES[code]
        else:
            raise AssertionError("unexpected trap: %s" % trap)
        assert text in str(trap), (text, str(trap))
        return '"%s"' % text

    def invoke(self, name, *args, instance=None, on=None):
        inst = instance or self.instance
        func = inst.exports(self.store)[name]
        ftype = func.type(self.store)
        params = [str(t) for t in ftype.params]
        results = [str(t) for t in ftype.results]
        assert len(params) == len(args), (name, params, args)
        call = '(invoke %s"%s"%s)' % ("$" + on + " " if on else "", name,
                                      "".join(" " + fmt_value(t, a) for t, a in zip(params, args)))
        try:
            got = func(self.store, *[to_wasmtime(t, a) for t, a in zip(params, args)])
        except wasmtime.Trap as trap:
            indirect = name.startswith("call") or name.startswith("tail")
            self.emit("(assert_trap %s %s)" % (call, self.phrase(trap, indirect)))
            self.commands += 1
            return None
        if len(results) == 0:
            values = []
        elif len(results) == 1:
            values = [got]
        else:
            values = list(got)
        self.emit("(assert_return %s%s)" % (call, "".join(" " + fmt_value(t, v) for t, v in zip(results, values))))
        self.commands += 1
        return got


# Loads: (instruction, result type, bytes accessed).
LOADS = [
    ("i32.load", "i32", 4), ("i32.load8_s", "i32", 1), ("i32.load8_u", "i32", 1),
    ("i32.load16_s", "i32", 2), ("i32.load16_u", "i32", 2),
    ("i64.load", "i64", 8), ("i64.load8_s", "i64", 1), ("i64.load8_u", "i64", 1),
    ("i64.load16_s", "i64", 2), ("i64.load16_u", "i64", 2),
    ("i64.load32_s", "i64", 4), ("i64.load32_u", "i64", 4),
    ("f32.load", "f32", 4), ("f64.load", "f64", 8),
]
# Stores: (instruction, value type, bytes written, value stored, load that reads it back).
STORES = [
    ("i32.store", "i32", 4, 0x89ABCDEF, "i32.load"),
    ("i32.store8", "i32", 1, 0x89ABCDEF, "i32.load8_s"),
    ("i32.store16", "i32", 2, 0x89ABCDEF, "i32.load16_s"),
    ("i64.store", "i64", 8, 0xFEDCBA9876543210, "i64.load"),
    ("i64.store8", "i64", 1, 0xFEDCBA9876543290, "i64.load8_s"),
    ("i64.store16", "i64", 2, 0xFEDCBA987654B210, "i64.load16_s"),
    ("i64.store32", "i64", 4, 0xFEDCBA98F6543210, "i64.load32_s"),
    ("f32.store", "f32", 4, -1234.5, "f32.load"),
    ("f64.store", "f64", 8, -0.1, "f64.load"),
]
WIDTH = {op: w for op, _, w in LOADS}


def access_funcs(prefix, mem, addr):
    """One export per load and store of memory `mem` with an address of type `addr`."""
    out = []
    for op, ty, _ in LOADS:
        out.append('(func (export "%s%s") (param $a %s) (result %s) (%s %s (local.get $a)))'
                   % (prefix, op, addr, ty, op, mem))
    for op, ty, _, _, _ in STORES:
        out.append('(func (export "%s%s") (param $a %s) (param $v %s) (%s %s (local.get $a) (local.get $v)))'
                   % (prefix, op, addr, ty, op, mem))
    return out


def simd_funcs(prefix, mem):
    """SIMD accesses of a 64-bit memory; vectors cross the boundary as i64 or i32 lanes."""
    v = "(v128.const i64x2 -1 -1)"
    lanes = "(result i64 i64) (local $r v128) (local.set $r %s) (i64x2.extract_lane 0 (local.get $r)) (i64x2.extract_lane 1 (local.get $r))"
    out = []
    for op, extra in [("v128.load", ""), ("v128.load8x8_s", ""), ("v128.load16x4_u", ""),
                      ("v128.load32x2_s", ""), ("v128.load32_zero", ""), ("v128.load64_zero", "")]:
        out.append('(func (export "%s%s") (param $a i64) %s)'
                   % (prefix, op, lanes % ("(%s %s (local.get $a))" % (op, mem))))
    out.append('(func (export "%sv128.load.offwrap") (param $a i64) %s)'
               % (prefix, lanes % ("(v128.load %s offset=0xfffffffffffffff0 (local.get $a))" % mem)))
    out.append('(func (export "%sv128.store") (param $a i64) (param $x i64) (param $y i64)'
               ' (v128.store %s (local.get $a) (i64x2.replace_lane 1 (i64x2.splat (local.get $x)) (local.get $y))))'
               % (prefix, mem))
    for op, lane, extract in [("v128.load8_lane", 15, "i8x16.extract_lane_u 15"),
                              ("v128.load16_lane", 6, "i16x8.extract_lane_u 6"),
                              ("v128.load32_lane", 2, "i32x4.extract_lane 2")]:
        out.append('(func (export "%s%s") (param $a i64) (result i32) (%s (%s %s %d (local.get $a) %s)))'
                   % (prefix, op, extract, op, mem, lane, v))
    out.append('(func (export "%sv128.load64_lane") (param $a i64) (result i64)'
               ' (i64x2.extract_lane 1 (v128.load64_lane %s 1 (local.get $a) %s)))' % (prefix, mem, v))
    for op, lane in [("v128.store8_lane", 3), ("v128.store16_lane", 2), ("v128.store32_lane", 1),
                     ("v128.store64_lane", 1)]:
        out.append('(func (export "%s%s") (param $a i64) (param $x i64)'
                   ' (%s %s %d (local.get $a) (i64x2.replace_lane 0 (i64x2.splat (local.get $x)) (i64.const 0))))'
                   % (prefix, op, op, mem, lane))
    for op, extract in [("v128.load8_splat", "i8x16.extract_lane_u 9"), ("v128.load16_splat", "i16x8.extract_lane_u 5"),
                        ("v128.load32_splat", "i32x4.extract_lane 3")]:
        out.append('(func (export "%s%s") (param $a i64) (result i32) (%s (%s %s (local.get $a))))'
                   % (prefix, op, extract, op, mem))
    out.append('(func (export "%sv128.load64_splat") (param $a i64) (result i64)'
               ' (i64x2.extract_lane 1 (v128.load64_splat %s (local.get $a))))' % (prefix, mem))
    return out


SIMD_WIDTH = [("v128.load", 16), ("v128.load8x8_s", 8), ("v128.load16x4_u", 8), ("v128.load32x2_s", 8),
              ("v128.load32_zero", 4), ("v128.load64_zero", 8), ("v128.load8_lane", 1),
              ("v128.load16_lane", 2), ("v128.load32_lane", 4), ("v128.load64_lane", 8),
              ("v128.load8_splat", 1), ("v128.load16_splat", 2), ("v128.load32_splat", 4),
              ("v128.load64_splat", 8)]


def mem64_funcs(prefix, mem, size):
    """Loads, stores, offsets, fusion candidates and SIMD of the 64-bit memory `mem`."""
    out = access_funcs(prefix, mem, "i64")
    out += [
        '(func (export "%sload8.offmax") (param $a i64) (result i32) (i32.load8_u %s offset=0xffffffffffffffff (local.get $a)))' % (prefix, mem),
        '(func (export "%sload64.offwrap") (param $a i64) (result i64) (i64.load %s offset=0xfffffffffffffff8 (local.get $a)))' % (prefix, mem),
        '(func (export "%sload.off2^32") (param $a i64) (result i32) (i32.load %s offset=0x100000000 (local.get $a)))' % (prefix, mem),
        '(func (export "%sload.off2^32-1") (param $a i64) (result i32) (i32.load %s offset=0xffffffff (local.get $a)))' % (prefix, mem),
        '(func (export "%sload8.offlast") (param $a i64) (result i32) (i32.load8_u %s offset=%d (local.get $a)))' % (prefix, mem, size - 1),
        '(func (export "%sload64.offlast") (param $a i64) (result i64) (i64.load %s offset=%d (local.get $a)))' % (prefix, mem, size - 8),
        # i64.add wraps before the access: -1 + 1 is address 0, a valid one.
        '(func (export "%sload8.add") (param $a i64) (result i32) (i32.load8_u %s (i64.add (local.get $a) (i64.const 1))))' % (prefix, mem),
        '(func (export "%sload.add2^32") (param $a i64) (result i32) (i32.load %s offset=4 (i64.add (local.get $a) (i64.const 0x100000000))))' % (prefix, mem),
        '(func (export "%sload.shl") (param $a i64) (result i32) (i32.load %s (i64.add (i64.const 4) (i64.shl (local.get $a) (i64.const 2)))))' % (prefix, mem),
        '(func (export "%sload.const_end") (result i32) (i32.load %s (i64.const %d)))' % (prefix, mem, size - 4),
        '(func (export "%sload.const_2^32") (result i32) (i32.load %s (i64.const 0x100000000)))' % (prefix, mem),
        '(func (export "%sstore64.offwrap") (param $a i64) (param $v i64) (i64.store %s offset=0xfffffffffffffff8 (local.get $a) (local.get $v)))' % (prefix, mem),
        '(func (export "%sstore8.offlast") (param $a i64) (param $v i32) (i32.store8 %s offset=%d (local.get $a) (local.get $v)))' % (prefix, mem, size - 1),
        '(func (export "%sstore.add") (param $a i64) (param $v i32) (i32.store %s (i64.add (local.get $a) (i64.const 4)) (local.get $v)))' % (prefix, mem),
        '(func (export "%sstore.const_2^32") (i32.store %s (i64.const 0x100000008) (i32.const -1)))' % (prefix, mem),
    ]
    out += simd_funcs(prefix, mem)
    return out


def mem64_commands(S, prefix, size):
    """Commands for mem64_funcs's exports; the memory holds its 32-byte pattern at 0 and 16 bytes at its end."""
    S.comment("Every load at 0, at the last in-bounds address, one past it, and at addresses 2^32 and above")
    S.comment("that must not wrap to small ones.")
    for op, _, w in LOADS:
        for a in [0, size - w, size - w + 1, 1 << 32, (1 << 32) + 4, 1 << 63, (1 << 64) - w]:
            S.invoke(prefix + op, a)
    S.comment("Offsets: address + offset is computed without wrapping, so a sum past 2^64 traps.")
    for a in [0, 1, M64]:
        S.invoke(prefix + "load8.offmax", a)
    for a in [0, 8, 16]:
        S.invoke(prefix + "load64.offwrap", a)
    for a in [0, (1 << 64) - (1 << 32), (1 << 64) - (1 << 32) + 4]:
        S.invoke(prefix + "load.off2^32", a)
    for a in [0, (1 << 64) - M32, size]:
        S.invoke(prefix + "load.off2^32-1", a)
    for a in [0, 1, M64]:
        S.invoke(prefix + "load8.offlast", a)
    for a in [0, 1, (1 << 64) - 8]:
        S.invoke(prefix + "load64.offlast", a)
    for a in [M64, 0, size - 2, size - 1, M32]:
        S.invoke(prefix + "load8.add", a)
    for a in [(1 << 64) - (1 << 32), 0, (1 << 64) - (1 << 32) + size - 8, (1 << 64) - (1 << 32) + size - 7]:
        S.invoke(prefix + "load.add2^32", a)
    for a in [0, 1, (size - 8) // 4, (size - 7) // 4, 1 << 62, (1 << 62) + 1]:
        S.invoke(prefix + "load.shl", a)
    S.invoke(prefix + "load.const_end")
    S.invoke(prefix + "load.const_2^32")
    S.comment("Stores at the last in-bounds address, then one past it, 2^32 + 8 and 2^64 - 1: a trapping")
    S.comment("store writes nothing (the bytes at the end and at 8 keep their values).")
    for op, ty, w, v, back in STORES:
        S.invoke(prefix + op, size - w, v)
        S.invoke(prefix + back, size - w)
        S.invoke(prefix + op, size - w + 1, v)
        S.invoke(prefix + op, (1 << 32) + 8, v)
        S.invoke(prefix + op, M64, v)
        S.invoke(prefix + back, 8)
    S.invoke(prefix + "store64.offwrap", 8, 0x1111111111111111)
    S.invoke(prefix + "store64.offwrap", 0, 0x1111111111111111)
    S.invoke(prefix + "i64.load", 0)
    S.invoke(prefix + "store8.offlast", 0, 0x77)
    S.invoke(prefix + "i32.load8_u", size - 1)
    S.invoke(prefix + "store8.offlast", 1, 0x66)
    S.invoke(prefix + "store8.offlast", M64, 0x66)
    S.invoke(prefix + "i32.load8_u", size - 1)
    S.invoke(prefix + "store.add", (1 << 64) - 4, 0x0BADF00D)
    S.invoke(prefix + "i32.load", 0)
    S.invoke(prefix + "store.add", size - 8, 0x12345678)
    S.invoke(prefix + "i32.load", size - 4)
    S.invoke(prefix + "store.add", size - 7, 0x12345678)
    S.invoke(prefix + "store.const_2^32")
    S.invoke(prefix + "i64.load", 8)
    S.comment("SIMD loads, lanes and splats: last in-bounds address, one past it, 2^32 and 2^64 - width.")
    for op, w in SIMD_WIDTH:
        for a in [0, size - w, size - w + 1, 1 << 32, (1 << 64) - w]:
            S.invoke(prefix + op, a)
    for a in [0, 0x10, 0x20]:
        S.invoke(prefix + "v128.load.offwrap", a)
    for a, x, y in [(size - 16, 0x0102030405060708, 0x1112131415161718), (size - 15, -1, -1),
                    ((1 << 32) + 16, -1, -1), ((1 << 64) - 16, -1, -1)]:
        S.invoke(prefix + "v128.store", a, x, y)
    S.invoke(prefix + "v128.load", size - 16)
    S.invoke(prefix + "v128.load", 16)
    for op, w in [("v128.store8_lane", 1), ("v128.store16_lane", 2), ("v128.store32_lane", 4),
                  ("v128.store64_lane", 8)]:
        S.invoke(prefix + op, 24, 0x8899AABBCCDDEEFF)
        S.invoke(prefix + "i64.load", 24)
        S.invoke(prefix + op, size - w, 0x0123456789ABCDEF)
        S.invoke(prefix + op, size - w + 1, -1)
        S.invoke(prefix + op, (1 << 32) + 24, -1)
        S.invoke(prefix + "i64.load", size - 8)
        S.invoke(prefix + "i64.load", 24)


def main():
    S = Script()
    S.comment("""
Multi-memory, memory64 and 64-bit tables beyond the specification's scripts: each memory's own
bounds for every access width (memory 0 with 32-bit addresses keeps its fast and fused forms,
other memories become the pinned one around one access, so memory 0 must be unaffected, also
after a trap); 64-bit addresses and offsets checked without wrapping (T_load_a64/T_store_a64,
SIMD); memory.size, memory.grow and bulk operations of other and 64-bit memories (the *_ext
instructions, which read each operand as i32 or i64 by the memory's type); 64-bit table indices,
which are saturated to 32 bits and must trap rather than wrap; and segments with i64 offsets.
Every expected value and trap was recorded from wasmtime 50 by gen_multi_memory64.py, which
writes this file: change the generator and run it again rather than editing here.""")
    S.blank()

    # ------------------------------------------------------------------------------------------
    S.comment("""
Three 32-bit memories of different sizes: memory 0 has 2 pages, memory 1 one and memory 2
three, so an address valid in memory 0 can be out of bounds in memory 1 and the other way
round. Each holds its own bytes at 0 and at its end (memory 0 also at memory 1's end).""")
    sizes = [2 * PAGE, PAGE, 3 * PAGE]
    fields = ["(memory $m0 2)", "(memory $m1 1)", "(memory $m2 3)"]
    seeds = [0x11, 0x83, 0xC7]
    for k in range(3):
        fields.append("(data (memory $m%d) (i32.const 0) %s)" % (k, wat_bytes(pattern(seeds[k], 32))))
        fields.append("(data (memory $m%d) (i32.const %d) %s)" % (k, sizes[k] - 16, wat_bytes(pattern(seeds[k] + 0x40, 16))))
    fields.append("(data (memory $m0) (i32.const %d) %s)" % (PAGE - 16, wat_bytes(pattern(0x5A, 16))))
    fields.append('(func $read0 (param $a i32) (result i32) (i32.load8_u $m0 (local.get $a)))')
    for k in range(3):
        m = "$m%d" % k
        p = "m%d." % k
        fields += access_funcs(p, m, "i32")
        fields += [
            '(func (export "%sload.offmax") (param $a i32) (result i32) (i32.load %s offset=0xffffffff (local.get $a)))' % (p, m),
            '(func (export "%sload64.off") (param $a i32) (result i64) (i64.load %s offset=65536 (local.get $a)))' % (p, m),
            '(func (export "%sload.add") (param $a i32) (result i32) (i32.load %s (i32.add (local.get $a) (i32.const 16))))' % (p, m),
            '(func (export "%sload.shl") (param $a i32) (result i32) (i32.load %s (i32.add (i32.const 4) (i32.shl (local.get $a) (i32.const 2)))))' % (p, m),
            '(func (export "%sload.const") (result i32) (i32.load %s (i32.const 8)))' % (p, m),
            '(func (export "%sload64.const_end") (result i64) (i64.load %s (i32.const %d)))' % (p, m, sizes[k] - 8),
            '(func (export "%sadd_load") (param $x i32) (param $a i32) (result i32) (i32.add (local.get $x) (i32.load %s offset=4 (local.get $a))))' % (p, m),
            '(func (export "%sstore.add") (param $a i32) (param $v i32) (i32.store %s offset=2 (i32.add (local.get $a) (i32.const 100)) (local.get $v)))' % (p, m),
            '(func (export "%sstore16.add_const") (param $a i32) (i32.store16 %s (i32.add (local.get $a) (i32.const 100)) (i32.const 0xbeef)))' % (p, m),
            '(func (export "%sstore64.const") (i64.store %s (i32.const 200) (i64.const 0x1122334455667788)))' % (p, m),
        ]
    fields += [
        # One byte of each memory at the same address: (m0 << 16) | (m1 << 8) | m2.
        '(func (export "mix") (param $a i32) (result i32)'
        ' (i32.or (i32.shl (i32.load8_u $m0 (local.get $a)) (i32.const 16))'
        ' (i32.or (i32.shl (i32.load8_u $m1 (local.get $a)) (i32.const 8)) (i32.load8_u $m2 (local.get $a)))))',
        '(func (export "store1_read0") (param $a i32) (param $v i32) (result i32)'
        ' (i32.store $m1 (local.get $a) (local.get $v)) (i32.load $m0 (local.get $a)))',
        # memory 1's byte before and after a call that reads memory 0.
        '(func (export "around_call") (param $a i32) (result i32)'
        ' (i32.sub (i32.sub (i32.load8_u $m1 (local.get $a)) (call $read0 (local.get $a))) (i32.load8_u $m1 (local.get $a))))',
        # m2[64 + i] = m1[i] + m0[i] for i < n, then the sum of m2[64 .. 64 + n).
        '(func (export "loop") (param $n i32) (result i32) (local $i i32) (local $s i32)'
        ' (block $done (loop $next (br_if $done (i32.ge_u (local.get $i) (local.get $n)))'
        ' (i32.store8 $m2 offset=64 (local.get $i) (i32.add (i32.load8_u $m1 (local.get $i)) (i32.load8_u $m0 (local.get $i))))'
        ' (local.set $s (i32.add (local.get $s) (i32.load8_u $m2 offset=64 (local.get $i))))'
        ' (local.set $i (i32.add (local.get $i) (i32.const 1))) (br $next)))'
        ' (local.get $s))',
    ]
    S.module(fields)
    S.comment("Every load of each memory at 0, 3, the last in-bounds address and the first ones past it.")
    for k in range(3):
        for op, _, w in LOADS:
            for a in sorted({0, 3, sizes[k] - w, sizes[k] - w + 1, sizes[k]}):
                S.invoke("m%d.%s" % (k, op), a)
    for k in range(3):
        S.invoke("m%d.i32.load8_u" % k, 100000)
        S.invoke("m%d.i32.load8_u" % k, 150000)
        S.invoke("m%d.i64.load" % k, M32)
    S.comment("Offsets and the fused forms (address + constant, shifted index, constant address,")
    S.comment("operation on a load) on each memory: each reads its own memory and its own bounds.")
    for k in range(3):
        p = "m%d." % k
        for a in [0, 1]:
            S.invoke(p + "load.offmax", a)
        for a in [0, 8, PAGE - 8, PAGE - 7, 2 * PAGE - 8]:
            S.invoke(p + "load64.off", a)
        for a in [0, sizes[k] - 20, sizes[k] - 19, (1 << 32) - 16]:
            S.invoke(p + "load.add", a)
        for a in [0, 1, (sizes[k] - 8) // 4, (sizes[k] - 7) // 4, 1 << 30]:
            S.invoke(p + "load.shl", a)
        S.invoke(p + "load.const")
        S.invoke(p + "load64.const_end")
        for x, a in [(1, 0), (-1, 12), (5, sizes[k] - 8), (5, sizes[k] - 7)]:
            S.invoke(p + "add_load", x, a)
    S.comment("Stores of every width at the end of each memory, one past it (a trap that writes nothing),")
    S.comment("read back with the sign-extending load of the same width.")
    for k in range(3):
        for op, ty, w, v, back in STORES:
            p = "m%d." % k
            S.invoke(p + op, sizes[k] - w, v)
            S.invoke(p + back, sizes[k] - w)
            S.invoke(p + op, sizes[k] - w + 1, v)
            S.invoke(p + back, sizes[k] - w)
    S.comment("A store to memory 1 leaves memories 0 and 2 alone, as do the fused stores.")
    S.invoke("m1.i64.store", 8, 0x0102030405060708)
    S.invoke("m1.i64.load", 8)
    S.invoke("m0.i64.load", 8)
    S.invoke("m2.i64.load", 8)
    S.invoke("store1_read0", 16, 0x55AA55AA)
    S.invoke("m1.i32.load", 16)
    S.invoke("m2.i32.load", 16)
    for k in range(3):
        p = "m%d." % k
        S.invoke(p + "store.add", 0, 0x10000000 * (k + 1) + 0x1234)
        S.invoke(p + "store16.add_const", 8)
        S.invoke(p + "store64.const")
        S.invoke(p + "store.add", sizes[k] - 105, 1)
        S.invoke(p + "store.add", -100, 0x7777)
        S.invoke(p + "store16.add_const", -102)
    for k in range(3):
        p = "m%d." % k
        S.invoke(p + "i64.load", 100)
        S.invoke(p + "i64.load", 200)
        S.invoke(p + "i32.load", 0)
    S.comment("Accesses of several memories in one function, around a call and in a loop.")
    for a in [0, 5, 31, PAGE - 1, PAGE]:
        S.invoke("mix", a)
    S.invoke("around_call", 3)
    S.invoke("loop", 32)
    S.invoke("m2.i64.load", 64)
    S.comment("A trap in memory 1 does not leave memory 1 in memory 0's place.")
    S.invoke("m1.i32.load", PAGE)
    S.invoke("m0.i32.load", 4)
    S.invoke("m0.i32.load", PAGE)
    S.invoke("m1.i32.store", PAGE - 2, 0)
    S.invoke("m0.i32.store", PAGE + 4, 0x31415926)
    S.invoke("m0.i32.load", PAGE + 4)
    S.invoke("m2.i32.load", PAGE + 4)
    S.blank()

    # ------------------------------------------------------------------------------------------
    S.comment("""
memory.size and memory.grow of memories 1 and 2 (a grown memory's storage may move: the data of
every memory must still be found), and of memory 0 in their presence.""")
    fields = ["(memory $m0 1)", "(memory $m1 1 3)", "(memory $m2 2 2)"]
    fields.append("(data (memory $m0) (i32.const 0) %s)" % wat_bytes(pattern(0x21, 8)))
    fields.append("(data (memory $m1) (i32.const 0) %s)" % wat_bytes(pattern(0x93, 8)))
    fields.append("(data (memory $m1) (i32.const %d) %s)" % (PAGE - 8, wat_bytes(pattern(0x37, 8))))
    fields.append("(data (memory $m2) (i32.const 0) %s)" % wat_bytes(pattern(0xD5, 8)))
    for k in range(3):
        m = "$m%d" % k
        fields += [
            '(func (export "size%d") (result i32) (memory.size %s))' % (k, m),
            '(func (export "grow%d") (param $d i32) (result i32) (memory.grow %s (local.get $d)))' % (k, m),
            '(func (export "m%d.i64.load") (param $a i32) (result i64) (i64.load %s (local.get $a)))' % (k, m),
            '(func (export "m%d.i32.load8_u") (param $a i32) (result i32) (i32.load8_u %s (local.get $a)))' % (k, m),
        ]
    fields += [
        # Grows memory 1 by a page, writes 0x5a to its new last byte, and returns
        # (m1[0..4) << 32) | (m1[last] << 24) | m0[0..2).
        '(func (export "grow1_then") (result i64) (local $end i32)'
        ' (drop (memory.grow $m1 (i32.const 1)))'
        ' (local.set $end (i32.sub (i32.mul (memory.size $m1) (i32.const 65536)) (i32.const 1)))'
        ' (i32.store8 $m1 (local.get $end) (i32.const 0x5a))'
        ' (i64.or (i64.shl (i64.load32_u $m1 (i32.const 0)) (i64.const 32))'
        ' (i64.or (i64.shl (i64.load8_u $m1 (local.get $end)) (i64.const 24)) (i64.load16_u $m0 (i32.const 0)))))',
        # Grows memory 0 by a page and returns memory 1's and memory 2's first bytes and memory 0's size.
        '(func (export "grow0_then") (result i32)'
        ' (drop (memory.grow $m0 (i32.const 1)))'
        ' (i32.or (i32.shl (i32.load8_u $m1 (i32.const 0)) (i32.const 16))'
        ' (i32.or (i32.shl (i32.load8_u $m2 (i32.const 0)) (i32.const 8)) (memory.size $m0))))',
    ]
    S.module(fields)
    for k in range(3):
        S.invoke("size%d" % k)
    S.invoke("m1.i64.load", PAGE - 8)
    S.invoke("m1.i32.load8_u", PAGE)
    S.invoke("grow1", 0)
    S.invoke("grow1", 1)
    S.invoke("size1")
    S.invoke("size0")
    S.invoke("m1.i64.load", 0)
    S.invoke("m0.i64.load", 0)
    S.invoke("m2.i64.load", 0)
    S.invoke("m1.i64.load", PAGE - 8)
    S.invoke("m1.i32.load8_u", 2 * PAGE - 1)
    S.invoke("m1.i32.load8_u", 2 * PAGE)
    S.invoke("m0.i32.load8_u", PAGE)
    S.invoke("grow1", 2)
    S.invoke("grow1", M32)
    S.invoke("grow1", 0x10000)
    S.invoke("size1")
    S.invoke("grow1_then")
    S.invoke("size1")
    S.invoke("m1.i32.load8_u", 3 * PAGE - 1)
    S.invoke("m1.i32.load8_u", 3 * PAGE)
    S.invoke("grow1", 1)
    S.invoke("grow2", 0)
    S.invoke("grow2", 1)
    S.invoke("grow2", M32)
    S.invoke("size2")
    S.invoke("grow0_then")
    S.invoke("size0")
    S.invoke("m0.i32.load8_u", 2 * PAGE - 1)
    S.invoke("m0.i32.load8_u", 2 * PAGE)
    S.invoke("grow0", 0x10000)
    S.invoke("grow0", 0)
    S.invoke("m0.i64.load", 0)
    S.invoke("m1.i64.load", 0)
    S.invoke("m1.i64.load", PAGE - 8)
    S.invoke("m2.i64.load", 0)
    S.invoke("m2.i32.load8_u", 2 * PAGE)
    S.blank()

    # ------------------------------------------------------------------------------------------
    S.comment("""
memory.fill, memory.copy and memory.init on memories 1 and 2 (sizes as above: 2, 1 and 3
pages): each operation checks the bounds of its own memories, traps before writing anything,
and allows a zero length at exactly the end.""")
    sizes = [2 * PAGE, PAGE, 3 * PAGE]
    fields = ["(memory $m0 2)", "(memory $m1 1)", "(memory $m2 3)"]
    for k in range(3):
        fields.append("(data (memory $m%d) (i32.const 0) %s)" % (k, wat_bytes(pattern(seeds[k], 32))))
    fields.append("(data $seg %s)" % wat_bytes(pattern(0x01, 16)))
    for k in range(3):
        m = "$m%d" % k
        fields += [
            '(func (export "m%d.i32.load8_u") (param $a i32) (result i32) (i32.load8_u %s (local.get $a)))' % (k, m),
            '(func (export "m%d.i64.load") (param $a i32) (result i64) (i64.load %s (local.get $a)))' % (k, m),
            '(func (export "fill%d") (param $d i32) (param $v i32) (param $n i32) (memory.fill %s (local.get $d) (local.get $v) (local.get $n)))' % (k, m),
            '(func (export "init%d") (param $d i32) (param $s i32) (param $n i32) (memory.init %s $seg (local.get $d) (local.get $s) (local.get $n)))' % (k, m),
        ]
    for d, s in [(0, 1), (1, 0), (1, 1), (2, 1), (1, 2), (2, 2)]:
        fields.append('(func (export "copy%d%d") (param $d i32) (param $s i32) (param $n i32)'
                      ' (memory.copy $m%d $m%d (local.get $d) (local.get $s) (local.get $n)))' % (d, s, d, s))
    fields.append('(func (export "drop") (data.drop $seg))')
    S.module(fields)
    for k in [1, 2]:
        size = sizes[k]
        f = "fill%d" % k
        r = "m%d.i32.load8_u" % k
        S.invoke(f, 100, 0xAB, 5)
        for a in [99, 100, 104, 105]:
            S.invoke(r, a)
        S.invoke("m0.i32.load8_u", 100)
        S.invoke(f, size - 3, 0xCD, 3)
        S.invoke(f, size - 3, 0xEF, 4)
        S.invoke(r, size - 3)
        S.invoke(r, size - 1)
        S.invoke(f, size, 0, 0)
        S.invoke(f, size + 1, 0, 0)
        S.invoke(f, 0, 0, M32)
        S.invoke(f, M32, 0, 2)
        S.invoke(r, 0)
        S.invoke(f, PAGE + 5, 0x42, 2)
        S.invoke(r, PAGE + 5)
    S.invoke("fill2", 2 * PAGE + 5, 0x43, 1)
    S.invoke("m2.i32.load8_u", 2 * PAGE + 5)
    S.comment("Copies between memories 0 and 1, within memory 1 (overlapping both ways) and with memory 2.")
    S.invoke("copy01", 200, 0, 16)
    S.invoke("m0.i64.load", 200)
    S.invoke("m1.i64.load", 200)
    S.invoke("copy10", 300, 8, 16)
    S.invoke("m1.i64.load", 300)
    S.invoke("m0.i64.load", 300)
    S.invoke("copy11", 1, 0, 8)
    S.invoke("m1.i64.load", 0)
    S.invoke("m1.i64.load", 8)
    S.invoke("copy11", 16, 17, 8)
    S.invoke("m1.i64.load", 16)
    S.invoke("m1.i64.load", 24)
    S.invoke("copy10", PAGE - 8, PAGE + 100, 8)  # source valid in memory 0, destination at memory 1's end
    S.invoke("copy10", PAGE - 7, 0, 8)
    S.invoke("copy01", 2 * PAGE - 8, PAGE - 8, 8)
    S.invoke("copy01", PAGE + 16, PAGE - 7, 8)
    S.invoke("m0.i64.load", PAGE + 16)
    S.invoke("copy21", 2 * PAGE + 16, 0, 32)
    S.invoke("m2.i64.load", 2 * PAGE + 16)
    S.invoke("copy12", 64, 2 * PAGE + 16, 8)
    S.invoke("m1.i64.load", 64)
    S.invoke("copy12", PAGE, 3 * PAGE, 0)
    S.invoke("copy12", PAGE + 1, 0, 0)
    S.invoke("copy21", 3 * PAGE, PAGE, 0)
    S.invoke("copy21", 0, PAGE + 1, 0)
    S.invoke("copy21", 0, PAGE - 4, 8)
    S.invoke("m2.i64.load", 0)
    S.invoke("copy22", 3 * PAGE - 8, 0, 8)
    S.invoke("copy22", 3 * PAGE - 7, 0, 8)
    S.invoke("copy22", 1, 0, 16)
    S.invoke("m2.i64.load", 0)
    S.invoke("m2.i64.load", 8)
    S.invoke("copy22", 0, 1, 16)
    S.invoke("m2.i64.load", 0)
    S.invoke("copy11", 0, 0, M32)
    S.invoke("m1.i64.load", 0)
    S.comment("memory.init into memories 1 and 2, then after data.drop.")
    for k in [1, 2]:
        size = sizes[k]
        i = "init%d" % k
        S.invoke(i, size - 16, 0, 16)
        S.invoke("m%d.i64.load" % k, size - 16)
        S.invoke("m%d.i64.load" % k, size - 8)
        S.invoke(i, 400, 0, 16)
        S.invoke(i, size - 15, 0, 16)
        S.invoke(i, 500, 10, 7)
        S.invoke(i, 500, 16, 0)
        S.invoke(i, 500, 17, 0)
        S.invoke(i, size, 0, 0)
        S.invoke(i, size + 1, 0, 0)
        S.invoke("m%d.i64.load" % k, 496)
    S.invoke("init2", 2 * PAGE + 8, 4, 4)
    S.invoke("m2.i64.load", 2 * PAGE + 8)
    S.invoke("drop")
    S.invoke("init1", 0, 0, 0)
    S.invoke("init2", 0, 0, 1)
    S.invoke("init1", 0, 0, 1)
    S.blank()

    # ------------------------------------------------------------------------------------------
    S.comment("""
A 64-bit memory as memory 0 (one page, at most three), with a 32-bit memory 1.""")
    size = PAGE
    fields = ["(memory $m i64 1 3)", "(memory $n 1)",
              "(data (memory $m) (i64.const 0) %s)" % wat_bytes(pattern(0x15, 32)),
              "(data (memory $m) (i64.const %d) %s)" % (size - 16, wat_bytes(pattern(0x66, 16))),
              "(data (memory $n) (i32.const 0) %s)" % wat_bytes(pattern(0xA9, 32)),
              "(data $seg %s)" % wat_bytes(pattern(0x01, 16))]
    fields += mem64_funcs("", "$m", size)
    fields += [
        '(func (export "n.i32.load8_u") (param $a i32) (result i32) (i32.load8_u $n (local.get $a)))',
        '(func (export "n.i64.load") (param $a i32) (result i64) (i64.load $n (local.get $a)))',
        '(func (export "n.i32.store") (param $a i32) (param $v i32) (i32.store $n (local.get $a) (local.get $v)))',
        '(func (export "size") (result i64) (memory.size $m))',
        '(func (export "grow") (param $d i64) (result i64) (memory.grow $m (local.get $d)))',
        '(func (export "size_n") (result i32) (memory.size $n))',
        '(func (export "grow_n") (param $d i32) (result i32) (memory.grow $n (local.get $d)))',
        '(func (export "fill") (param $d i64) (param $v i32) (param $n i64) (memory.fill $m (local.get $d) (local.get $v) (local.get $n)))',
        '(func (export "copy") (param $d i64) (param $s i64) (param $n i64) (memory.copy $m $m (local.get $d) (local.get $s) (local.get $n)))',
        '(func (export "init") (param $d i64) (param $s i32) (param $n i32) (memory.init $m $seg (local.get $d) (local.get $s) (local.get $n)))',
        '(func (export "copy_m_n") (param $d i64) (param $s i32) (param $n i32) (memory.copy $m $n (local.get $d) (local.get $s) (local.get $n)))',
        '(func (export "copy_n_m") (param $d i32) (param $s i64) (param $n i32) (memory.copy $n $m (local.get $d) (local.get $s) (local.get $n)))',
    ]
    S.module(fields)
    mem64_commands(S, "", size)
    S.comment("Memory 1 (32 bits) keeps its own bytes and bounds.")
    S.invoke("n.i64.load", 8)
    S.invoke("n.i64.load", 24)
    S.invoke("n.i32.load8_u", PAGE - 1)
    S.invoke("n.i32.load8_u", PAGE)
    S.invoke("n.i32.store", 24, 0x600DF00D)
    S.invoke("i64.load", 24)
    S.comment("Bulk operations of the 64-bit memory: 64-bit lengths of 2^32 and above trap, they do not wrap.")
    S.invoke("fill", 100, 0x11, 4)
    S.invoke("i64.load", 98)
    S.invoke("fill", size - 4, 0x11, 4)
    S.invoke("fill", size - 4, 0x22, 5)
    S.invoke("i32.load", size - 4)
    S.invoke("fill", size, 0x22, 0)
    S.invoke("fill", size + 1, 0x22, 0)
    S.invoke("fill", 1 << 32, 0x22, 0)
    S.invoke("fill", 0, 0x22, 1 << 32)
    S.invoke("fill", 0, 0x22, (1 << 32) + 1)
    S.invoke("fill", M64, 0x22, 2)
    S.invoke("fill", M64, 0x22, 1)
    S.invoke("fill", 1, 0x22, M64)
    S.invoke("i64.load", 0)
    S.invoke("copy", 200, 0, 16)
    S.invoke("i64.load", 200)
    S.invoke("copy", 201, 200, 8)
    S.invoke("i64.load", 200)
    S.invoke("copy", 199, 200, 8)
    S.invoke("i64.load", 192)
    S.invoke("i64.load", 200)
    S.invoke("copy", 0, size - 8, 8)
    S.invoke("i64.load", 0)
    S.invoke("copy", 8, size - 7, 8)
    S.invoke("copy", 8, 1 << 32, 0)
    S.invoke("copy", 1 << 32, 8, 0)
    S.invoke("copy", 8, 0, (1 << 32) + 1)
    S.invoke("copy", 8, (1 << 64) - 4, 8)
    S.invoke("copy", (1 << 64) - 4, 8, 8)
    S.invoke("copy", size, 0, 0)
    S.invoke("copy", 0, size, 0)
    S.invoke("i64.load", 8)
    S.invoke("init", size - 16, 0, 16)
    S.invoke("i64.load", size - 8)
    S.invoke("init", size - 15, 0, 16)
    S.invoke("init", 1 << 32, 0, 0)
    S.invoke("init", 1 << 32, 0, 1)
    S.invoke("init", (1 << 32) + 300, 0, 4)
    S.invoke("i32.load", 300)
    S.invoke("init", size, 0, 0)
    S.invoke("init", 300, 16, 0)
    S.invoke("init", 300, 17, 0)
    S.invoke("init", 300, 0, M32)
    S.comment("memory.copy between the 64-bit memory and the 32-bit one: the length is an i32.")
    S.invoke("copy_m_n", size - 4, 0, 4)
    S.invoke("i32.load", size - 4)
    S.invoke("copy_m_n", 1 << 32, 0, 0)
    S.invoke("copy_m_n", (1 << 32) + 8, 0, 4)
    S.invoke("copy_m_n", 0, PAGE - 3, 4)
    S.invoke("copy_m_n", 0, PAGE, 0)
    S.invoke("copy_m_n", 0, 0, M32)
    S.invoke("i64.load", 0)
    S.invoke("copy_n_m", 40, size - 8, 8)
    S.invoke("n.i64.load", 40)
    S.invoke("copy_n_m", 0, 1 << 32, 0)
    S.invoke("copy_n_m", 0, (1 << 32) + 40, 8)
    S.invoke("copy_n_m", PAGE, 0, 0)
    S.invoke("copy_n_m", PAGE + 1, 0, 0)
    S.invoke("copy_n_m", PAGE - 7, 0, 8)
    S.invoke("n.i64.load", 0)
    S.comment("memory.size and memory.grow with i64 deltas: past the maximum, 2^32 and above, 2^63, -1.")
    S.invoke("size")
    S.invoke("grow", 0)
    S.invoke("grow", 1)
    S.invoke("size")
    S.invoke("grow", 2)
    S.invoke("grow", 1 << 32)
    S.invoke("grow", (1 << 32) + 1)
    S.invoke("grow", 1 << 63)
    S.invoke("grow", M64)
    S.invoke("size")
    S.invoke("grow", 1)
    S.invoke("size")
    S.invoke("grow", 1)
    S.invoke("grow", 0)
    S.invoke("i32.load8_u", 3 * PAGE - 1)
    S.invoke("i32.load8_u", 3 * PAGE)
    S.invoke("i64.load", size - 8)
    S.invoke("v128.load", 3 * PAGE - 16)
    S.invoke("size_n")
    S.invoke("grow_n", 1)
    S.invoke("size")
    S.invoke("n.i32.load8_u", 2 * PAGE - 1)
    S.invoke("i32.load8_u", 2)
    S.blank()

    # ------------------------------------------------------------------------------------------
    S.comment("""
A 64-bit memory as memory 1 (two pages, at most four) after a 32-bit memory 0, and an empty
64-bit memory 2 without a maximum.""")
    size = 2 * PAGE
    fields = ["(memory $m0 1)", "(memory $m1 i64 2 4)", "(memory $m2 i64 0)",
              "(data (memory $m0) (i32.const 0) %s)" % wat_bytes(pattern(0x29, 32)),
              "(data (memory $m0) (i32.const %d) %s)" % (PAGE - 16, wat_bytes(pattern(0x3B, 16))),
              "(data (memory $m1) (i64.const 0) %s)" % wat_bytes(pattern(0x15, 32)),
              "(data (memory $m1) (i64.const %d) %s)" % (size - 16, wat_bytes(pattern(0x66, 16))),
              "(data $seg %s)" % wat_bytes(pattern(0x01, 16))]
    fields += mem64_funcs("m1.", "$m1", size)
    fields += [
        '(func (export "m0.i64.load") (param $a i32) (result i64) (i64.load $m0 (local.get $a)))',
        '(func (export "m0.i32.load8_u") (param $a i32) (result i32) (i32.load8_u $m0 (local.get $a)))',
        '(func (export "m2.i32.load8_u") (param $a i64) (result i32) (i32.load8_u $m2 (local.get $a)))',
        '(func (export "m2.i64.store") (param $a i64) (param $v i64) (i64.store $m2 (local.get $a) (local.get $v)))',
        '(func (export "m2.v128.load") (param $a i64) (result i64) (i64x2.extract_lane 0 (v128.load $m2 (local.get $a))))',
        '(func (export "size0") (result i32) (memory.size $m0))',
        '(func (export "size1") (result i64) (memory.size $m1))',
        '(func (export "size2") (result i64) (memory.size $m2))',
        '(func (export "grow1") (param $d i64) (result i64) (memory.grow $m1 (local.get $d)))',
        '(func (export "grow2") (param $d i64) (result i64) (memory.grow $m2 (local.get $d)))',
        '(func (export "fill1") (param $d i64) (param $v i32) (param $n i64) (memory.fill $m1 (local.get $d) (local.get $v) (local.get $n)))',
        '(func (export "fill2") (param $d i64) (param $v i32) (param $n i64) (memory.fill $m2 (local.get $d) (local.get $v) (local.get $n)))',
        '(func (export "copy01") (param $d i32) (param $s i64) (param $n i32) (memory.copy $m0 $m1 (local.get $d) (local.get $s) (local.get $n)))',
        '(func (export "copy10") (param $d i64) (param $s i32) (param $n i32) (memory.copy $m1 $m0 (local.get $d) (local.get $s) (local.get $n)))',
        '(func (export "copy11") (param $d i64) (param $s i64) (param $n i64) (memory.copy $m1 $m1 (local.get $d) (local.get $s) (local.get $n)))',
        '(func (export "copy12") (param $d i64) (param $s i64) (param $n i64) (memory.copy $m1 $m2 (local.get $d) (local.get $s) (local.get $n)))',
        '(func (export "copy21") (param $d i64) (param $s i64) (param $n i64) (memory.copy $m2 $m1 (local.get $d) (local.get $s) (local.get $n)))',
        '(func (export "init1") (param $d i64) (param $s i32) (param $n i32) (memory.init $m1 $seg (local.get $d) (local.get $s) (local.get $n)))',
        '(func (export "init2") (param $d i64) (param $s i32) (param $n i32) (memory.init $m2 $seg (local.get $d) (local.get $s) (local.get $n)))',
    ]
    S.module(fields)
    mem64_commands(S, "m1.", size)
    S.comment("Memory 0 was not written by any of memory 1's stores.")
    for a in [0, 8, 24, PAGE - 16, PAGE - 8]:
        S.invoke("m0.i64.load", a)
    S.comment("The empty memory 2: every access traps, zero lengths at 0 do not.")
    for a in [0, 1 << 32]:
        S.invoke("m2.i32.load8_u", a)
        S.invoke("m2.i64.store", a, 1)
        S.invoke("m2.v128.load", a)
    S.invoke("fill2", 0, 1, 0)
    S.invoke("fill2", 1, 1, 0)
    S.invoke("fill2", 0, 1, 1)
    S.invoke("copy12", 0, 0, 0)
    S.invoke("copy12", 0, 1, 0)
    S.invoke("copy21", 0, 0, 0)
    S.invoke("copy21", 0, 0, 1)
    S.invoke("init2", 0, 0, 0)
    S.invoke("init2", 0, 0, 1)
    S.invoke("size2")
    S.comment("Bulk operations of memory 1 and between memories 0 (32-bit) and 1 (64-bit).")
    S.invoke("fill1", PAGE + 100, 0x11, 4)
    S.invoke("m1.i64.load", PAGE + 98)
    S.invoke("m0.i64.load", 98)
    S.invoke("fill1", size - 1, 0x33, 1)
    S.invoke("fill1", size - 1, 0x44, 2)
    S.invoke("m1.i32.load8_u", size - 1)
    S.invoke("fill1", 0, 0x44, (1 << 32) + 1)
    S.invoke("fill1", (1 << 32) + 1, 0x44, 1)
    S.invoke("m1.i64.load", 0)
    S.invoke("copy01", 100, size - 8, 8)
    S.invoke("m0.i64.load", 100)
    S.invoke("copy01", 100, (1 << 32) + 8, 8)
    S.invoke("copy01", PAGE - 4, 0, 8)
    S.invoke("copy01", 0, size - 4, 8)
    S.invoke("copy01", PAGE, size, 0)
    S.invoke("copy01", PAGE + 1, 0, 0)
    S.invoke("copy01", 0, size + 1, 0)
    S.invoke("copy10", PAGE + 200, PAGE - 16, 16)
    S.invoke("m1.i64.load", PAGE + 200)
    S.invoke("copy10", (1 << 32) + 200, 0, 1)
    S.invoke("copy10", size - 4, 0, 8)
    S.invoke("copy10", size, PAGE, 0)
    S.invoke("copy10", size + 1, 0, 0)
    S.invoke("copy10", 0, PAGE + 1, 0)
    S.invoke("copy10", 0, 0, M32)
    S.invoke("m1.i64.load", 0)
    S.invoke("copy11", 1, 0, 16)
    S.invoke("m1.i64.load", 0)
    S.invoke("copy11", 0, 1, 16)
    S.invoke("m1.i64.load", 0)
    S.invoke("copy11", PAGE, 0, (1 << 32) + 16)
    S.invoke("copy11", 0, (1 << 64) - 8, 16)
    S.invoke("m1.i64.load", PAGE)
    S.invoke("init1", size - 16, 0, 16)
    S.invoke("m1.i64.load", size - 16)
    S.invoke("init1", size - 15, 0, 16)
    S.invoke("init1", (1 << 32) + 16, 0, 16)
    S.invoke("init1", size, 16, 0)
    S.invoke("init1", size + 1, 0, 0)
    S.invoke("m0.i64.load", 0)
    S.comment("memory.size and memory.grow of each: i32 for memory 0, i64 for memories 1 and 2.")
    S.invoke("size0")
    S.invoke("size1")
    S.invoke("grow1", (1 << 32) + 1)
    S.invoke("grow1", 3)
    S.invoke("grow1", 2)
    S.invoke("grow1", 0)
    S.invoke("size1")
    S.invoke("m1.i64.load", 0)
    S.invoke("m1.i64.load", size - 8)
    S.invoke("m1.i32.load8_u", 4 * PAGE - 1)
    S.invoke("m1.i32.load8_u", 4 * PAGE)
    S.invoke("m0.i64.load", 0)
    S.invoke("grow2", (1 << 32) + 1)
    S.invoke("grow2", 1 << 48)
    S.invoke("grow2", M64)
    S.invoke("grow2", 0)
    S.invoke("grow2", 1)
    S.invoke("size2")
    S.invoke("m2.i64.store", PAGE - 8, 0x0102030405060708)
    S.invoke("m2.v128.load", PAGE - 16 + 8)
    S.invoke("m2.i32.load8_u", PAGE)
    S.invoke("size0")
    S.invoke("m0.i64.load", 0)
    S.blank()

    # ------------------------------------------------------------------------------------------
    S.comment("""
64-bit tables: $t64 (six elements, at most ten) next to the 32-bit $t32. Indices, lengths and
deltas of 2^32 and above trap or fail; they must not wrap to small ones. "get64" returns the
called element's value, -1 for null.""")
    fields = [
        "(type $r (func (result i32)))",
        "(type $s (func (param i32) (result i32)))",
        "(table $t32 4 8 funcref)",
        "(table $t64 i64 6 10 funcref)",
        "(table $u64 i64 3 funcref)",
        "(table $scratch 1 funcref)",
        "(func $f0 (type $r) (i32.const 100))",
        "(func $f1 (type $r) (i32.const 101))",
        "(func $f2 (type $r) (i32.const 102))",
        "(func $f3 (type $r) (i32.const 103))",
        "(func $g (type $s) (local.get 0))",
        "(elem (table $t64) (i64.const 1) func $f1 $f2)",
        "(elem (table $t64) (i64.const 4) func $g)",
        "(elem (table $t32) (i32.const 0) func $f0 $f1 $f2 $f3)",
        "(elem (table $u64) (i64.const 2) func $f2)",
        "(elem $pass func $f3 $f2 $f1 $f0)",
        '(func (export "call64") (param $i i64) (result i32) (call_indirect $t64 (type $r) (local.get $i)))',
        '(func (export "tail64") (param $i i64) (result i32) (return_call_indirect $t64 (type $r) (local.get $i)))',
        '(func (export "call_u64") (param $i i64) (result i32) (call_indirect $u64 (type $r) (local.get $i)))',
        '(func (export "call32") (param $i i32) (result i32) (call_indirect $t32 (type $r) (local.get $i)))',
        '(func (export "get64") (param $i i64) (result i32) (local $f funcref)'
        ' (local.set $f (table.get $t64 (local.get $i)))'
        ' (if (result i32) (ref.is_null (local.get $f)) (then (i32.const -1))'
        ' (else (table.set $scratch (i32.const 0) (local.get $f)) (call_indirect $scratch (type $r) (i32.const 0)))))',
        '(func (export "get32") (param $i i32) (result i32) (local $f funcref)'
        ' (local.set $f (table.get $t32 (local.get $i)))'
        ' (if (result i32) (ref.is_null (local.get $f)) (then (i32.const -1))'
        ' (else (table.set $scratch (i32.const 0) (local.get $f)) (call_indirect $scratch (type $r) (i32.const 0)))))',
        '(func (export "set64") (param $i i64) (param $j i32) (table.set $t64 (local.get $i) (table.get $t32 (local.get $j))))',
        '(func (export "set64_null") (param $i i64) (table.set $t64 (local.get $i) (ref.null func)))',
        '(func (export "size64") (result i64) (table.size $t64))',
        '(func (export "size_u64") (result i64) (table.size $u64))',
        '(func (export "size32") (result i32) (table.size $t32))',
        '(func (export "grow64") (param $n i64) (result i64) (table.grow $t64 (ref.null func) (local.get $n)))',
        '(func (export "grow64_f3") (param $n i64) (result i64) (table.grow $t64 (ref.func $f3) (local.get $n)))',
        '(func (export "grow_u64") (param $n i64) (result i64) (table.grow $u64 (ref.func $f1) (local.get $n)))',
        '(func (export "grow32") (param $n i32) (result i32) (table.grow $t32 (ref.null func) (local.get $n)))',
        '(func (export "fill64") (param $i i64) (param $j i32) (param $n i64) (table.fill $t64 (local.get $i) (table.get $t32 (local.get $j)) (local.get $n)))',
        '(func (export "copy64") (param $d i64) (param $s i64) (param $n i64) (table.copy $t64 $t64 (local.get $d) (local.get $s) (local.get $n)))',
        '(func (export "copy_32_64") (param $d i32) (param $s i64) (param $n i32) (table.copy $t32 $t64 (local.get $d) (local.get $s) (local.get $n)))',
        '(func (export "copy_64_32") (param $d i64) (param $s i32) (param $n i32) (table.copy $t64 $t32 (local.get $d) (local.get $s) (local.get $n)))',
        '(func (export "copy_u64_64") (param $d i64) (param $s i64) (param $n i64) (table.copy $u64 $t64 (local.get $d) (local.get $s) (local.get $n)))',
        '(func (export "init64") (param $d i64) (param $s i32) (param $n i32) (table.init $t64 $pass (local.get $d) (local.get $s) (local.get $n)))',
        '(func (export "drop") (elem.drop $pass))',
    ]
    S.module(fields)
    S.invoke("size64")
    S.invoke("size_u64")
    S.comment("call_indirect and return_call_indirect through the 64-bit table.")
    for i in [0, 1, 2, 4, 5, 6, 1 << 32, (1 << 32) + 1, (1 << 32) + 2, 1 << 63, M64, M32]:
        S.invoke("call64", i)
    for i in [1, 0, 4, 6, (1 << 32) + 1, M64]:
        S.invoke("tail64", i)
    for i in [2, 3, (1 << 32) + 2]:
        S.invoke("call_u64", i)
    S.invoke("call32", 3)
    S.comment("table.get and table.set.")
    for i in [0, 1, 2, 5, 6, 1 << 32, (1 << 32) + 1, M64]:
        S.invoke("get64", i)
    S.invoke("set64", (1 << 32) + 3, 0)
    S.invoke("set64", M64, 0)
    S.invoke("set64", 6, 0)
    S.invoke("get64", 3)
    S.invoke("set64", 3, 3)
    S.invoke("get64", 3)
    S.invoke("call64", 3)
    S.invoke("set64_null", (1 << 32) + 1)
    S.invoke("get64", 1)
    S.comment("table.fill: a start of 2^32 traps even with length 0; a length of 2^32 + 1 is not 1.")
    S.invoke("fill64", 1 << 32, 0, 0)
    S.invoke("fill64", 6, 0, 0)
    S.invoke("fill64", 7, 0, 0)
    S.invoke("fill64", 0, 0, (1 << 32) + 1)
    S.invoke("fill64", 0, 0, 1 << 32)
    S.invoke("fill64", M64, 0, 2)
    S.invoke("fill64", 5, 0, 2)
    S.invoke("get64", 0)
    S.invoke("get64", 5)
    S.invoke("fill64", 5, 0, 1)
    S.invoke("get64", 5)
    S.comment("table.copy within the 64-bit table, between it and the 32-bit one (i32 length), and into $u64.")
    S.invoke("copy64", 0, 1, 2)
    S.invoke("get64", 0)
    S.invoke("get64", 1)
    S.invoke("copy64", 0, (1 << 32) + 3, 1)
    S.invoke("copy64", (1 << 32), 3, 1)
    S.invoke("copy64", 0, 1, 1 << 32)
    S.invoke("copy64", 0, 1, (1 << 32) + 1)
    S.invoke("copy64", 6, 0, 0)
    S.invoke("copy64", 0, 6, 0)
    S.invoke("copy64", 7, 0, 0)
    S.invoke("copy64", 0, M64, 2)
    S.invoke("get64", 0)
    S.invoke("copy_32_64", 2, 4, 2)
    S.invoke("copy_32_64", 0, (1 << 32) + 1, 1)
    S.invoke("copy_32_64", 3, 5, 2)
    S.invoke("copy_32_64", 4, 6, 0)
    S.invoke("copy_32_64", 0, 7, 0)
    S.invoke("get32", 0)
    S.invoke("get32", 3)
    S.invoke("call32", 2)
    S.invoke("copy_64_32", 1 << 32, 0, 0)
    S.invoke("copy_64_32", (1 << 32) + 1, 0, 1)
    S.invoke("copy_64_32", 4, 0, 2)
    S.invoke("copy_64_32", 5, 0, 2)
    S.invoke("get64", 4)
    S.invoke("get64", 5)
    S.invoke("copy_u64_64", 0, 3, 3)
    S.invoke("copy_u64_64", 1, 1 << 32, 0)
    S.invoke("call_u64", 0)
    S.invoke("call_u64", 1)
    S.comment("table.init into the 64-bit table (i64 destination, i32 source and length), then elem.drop.")
    S.invoke("init64", 1 << 32, 0, 0)
    S.invoke("init64", (1 << 32) + 2, 0, 1)
    S.invoke("init64", 2, 0, 4)
    for i in range(6):
        S.invoke("call64", i)
    S.invoke("init64", 3, 0, 4)
    S.invoke("get64", 3)
    S.invoke("init64", 6, 4, 0)
    S.invoke("init64", 6, 5, 0)
    S.invoke("init64", M64, 0, 2)
    S.invoke("drop")
    S.invoke("init64", 0, 0, 0)
    S.invoke("init64", 0, 0, 1)
    S.comment("table.size and table.grow: i64 deltas past the maximum, of 2^32 and above, and -1 fail with -1.")
    S.invoke("grow64", 0)
    for n in [1 << 32, (1 << 32) + 1, M32, M64, 1 << 63, 5]:
        S.invoke("grow64", n)
    S.invoke("size64")
    S.invoke("grow64_f3", 2)
    S.invoke("size64")
    S.invoke("get64", 6)
    S.invoke("call64", 7)
    S.invoke("call64", 8)
    S.invoke("grow64", 2)
    S.invoke("grow64", 1)
    S.invoke("size64")
    S.invoke("call64", 9)
    S.invoke("call64", 10)
    S.invoke("grow_u64", 0)
    S.invoke("grow_u64", 2)
    S.invoke("size_u64")
    S.invoke("call_u64", 4)
    S.invoke("call_u64", 5)
    S.invoke("grow32", 4)
    S.invoke("grow32", 1)
    S.invoke("size32")
    S.blank()

    # ------------------------------------------------------------------------------------------
    S.comment("""
Active segments with i64 offsets: data into 64-bit memories 1 and 2 (next to 32-bit memories 0
and 3), elements into a 64-bit table, including offsets computed by extended constant
expressions; an offset of 2^32 or above in a small memory or table traps at instantiation, also
with an empty segment, while an empty one at exactly the end is fine.""")
    fields = [
        "(memory $m0 1)", "(memory $m1 i64 1)", "(memory $m2 i64 2 2)", "(memory $m3 1)",
        "(table $t32 2 funcref)", "(table $t64 i64 8 funcref)",
        "(type $r (func (result i32)))",
        "(func $f7 (type $r) (i32.const 7))",
        "(func $f8 (type $r) (i32.const 8))",
        "(data (memory $m1) (i64.const 65532) \"\\01\\02\\03\\04\")",
        "(data (memory $m1) (i64.const 65536) \"\")",
        "(data (memory $m2) (i64.const 131064) \"\\f1\\f2\\f3\\f4\\f5\\f6\\f7\\f8\")",
        "(data (memory $m2) (i64.add (i64.const 0x10000) (i64.const 0x10)) \"\\aa\\bb\")",
        "(data (memory $m3) (i32.const 65535) \"\\cc\")",
        "(elem (table $t64) (i64.const 6) func $f7 $f8)",
        "(elem (table $t64) (i64.sub (i64.const 3) (i64.const 1)) func $f8)",
        "(elem (table $t64) (i64.const 8) func)",
        '(func (export "m1.i32.load") (param $a i64) (result i32) (i32.load $m1 (local.get $a)))',
        '(func (export "m2.i64.load") (param $a i64) (result i64) (i64.load $m2 (local.get $a)))',
        '(func (export "m2.i32.load16_u") (param $a i64) (result i32) (i32.load16_u $m2 (local.get $a)))',
        '(func (export "m3.i32.load8_u") (param $a i32) (result i32) (i32.load8_u $m3 (local.get $a)))',
        '(func (export "m0.i32.load") (param $a i32) (result i32) (i32.load $m0 (local.get $a)))',
        '(func (export "call64") (param $i i64) (result i32) (call_indirect $t64 (type $r) (local.get $i)))',
    ]
    S.module(fields)
    S.invoke("m1.i32.load", 65532)
    S.invoke("m2.i64.load", 131064)
    S.invoke("m2.i32.load16_u", 0x10010)
    S.invoke("m3.i32.load8_u", 65535)
    S.invoke("m0.i32.load", 65532)
    for i in [2, 6, 7, 8, (1 << 32) + 6]:
        S.invoke("call64", i)
    S.module_trap(["(memory i64 1)", '(data (i64.const 0x100000000) "")'])
    S.module_trap(["(memory i64 1)", '(data (i64.const 0x100000000) "\\01")'])
    S.module_trap(["(memory i64 1)", '(data (i64.const 0xffffffffffffffff) "\\01")'])
    S.module_trap(["(memory i64 1)", '(data (i64.const 65536) "\\01")'])
    S.module_trap(["(memory 1)", "(memory i64 1)", '(data (memory 1) (i64.const 0x10000fffc) "\\01")'])
    S.module_trap(["(memory 1)", "(memory 1)", "(memory 1)", '(data (memory 2) (i32.const 65535) "\\01\\02")'])
    S.module_trap(["(table i64 4 funcref)", "(elem (table 0) (i64.const 0x100000000) func)"])
    S.module_trap(["(table i64 4 funcref)", "(func $f)", "(elem (table 0) (i64.const 0x100000001) func $f)"])
    S.module_trap(["(table i64 4 funcref)", "(func $f)", "(elem (table 0) (i64.const 0xffffffffffffffff) func $f $f)"])
    S.module_trap(["(table i64 4 funcref)", "(func $f)", "(elem (table 0) (i64.const 4) func $f)"])
    S.blank()

    # ------------------------------------------------------------------------------------------
    S.comment("""
Imported memories and tables: a module that exports a 32-bit and a 64-bit memory and a 64-bit
table, and modules that import them as memories 0 and 1 and table 0. Segments are applied in
order, so those before a trapping one stay written; growth by one instance is seen by the other.""")
    fields = [
        '(memory $a (export "m32") 1)',
        '(memory $b (export "m64") i64 1 3)',
        '(table $t (export "t64") i64 4 8 funcref)',
        "(type $r (func (result i32)))",
        '(func (export "b.i64.load") (param $x i64) (result i64) (i64.load $b (local.get $x)))',
        '(func (export "a.i64.load") (param $x i32) (result i64) (i64.load $a (local.get $x)))',
        '(func (export "b.size") (result i64) (memory.size $b))',
        '(func (export "call") (param $i i64) (result i32) (call_indirect $t (type $r) (local.get $i)))',
    ]
    S.module(fields, name="exporter")
    S.register("mm", "exporter")
    S.module_trap([
        '(import "mm" "m32" (memory 1))', '(import "mm" "m64" (memory i64 1))',
        '(import "mm" "t64" (table i64 4 funcref))',
        "(func $f (result i32) (i32.const 42))",
        '(elem (table 0) (i64.const 3) func $f)',
        '(data (memory 1) (i64.const 100) "\\01\\02\\03\\04\\05\\06\\07\\08")',
        '(data (memory 0) (i32.const 100) "\\11\\12\\13\\14\\15\\16\\17\\18")',
        '(data (memory 1) (i64.const 0x100000064) "\\ff")',
        '(data (memory 0) (i32.const 200) "\\ff")',
    ])
    S.invoke("b.i64.load", 100, instance=S.named["exporter"], on="exporter")
    S.invoke("a.i64.load", 100, instance=S.named["exporter"], on="exporter")
    S.invoke("a.i64.load", 200, instance=S.named["exporter"], on="exporter")
    S.invoke("call", 3, instance=S.named["exporter"], on="exporter")
    fields = [
        '(import "mm" "m32" (memory $a 1))', '(import "mm" "m64" (memory $b i64 1))',
        '(import "mm" "t64" (table $t i64 4 funcref))',
        "(type $r (func (result i32)))",
        "(func $f (result i32) (i32.const 43))",
        '(elem (table $t) (i64.const 0) func $f)',
        '(func (export "grow") (param $d i64) (result i64) (memory.grow $b (local.get $d)))',
        '(func (export "store_end") (param $v i64) (i64.store $b (i64.sub (i64.mul (memory.size $b) (i64.const 65536)) (i64.const 8)) (local.get $v)))',
        '(func (export "b.i64.load") (param $x i64) (result i64) (i64.load $b (local.get $x)))',
        '(func (export "a.i64.load") (param $x i32) (result i64) (i64.load $a (local.get $x)))',
        '(func (export "grow_t") (param $d i64) (result i64) (table.grow $t (ref.func $f) (local.get $d)))',
        '(func (export "call") (param $i i64) (result i32) (call_indirect $t (type $r) (local.get $i)))',
    ]
    S.module(fields, name="importer")
    S.invoke("b.i64.load", 100)
    S.invoke("a.i64.load", 100)
    S.invoke("grow", 1)
    S.invoke("store_end", 0x0123456789ABCDEF)
    S.invoke("b.i64.load", 2 * PAGE - 8)
    S.invoke("b.size", instance=S.named["exporter"], on="exporter")
    S.invoke("b.i64.load", 2 * PAGE - 8, instance=S.named["exporter"], on="exporter")
    S.invoke("grow", 2)
    S.invoke("grow", (1 << 32) + 1)
    S.invoke("grow_t", (1 << 32) + 1)
    S.invoke("grow_t", 2)
    S.invoke("call", 5, instance=S.named["exporter"], on="exporter")
    S.invoke("call", 0, instance=S.named["exporter"], on="exporter")
    S.invoke("call", 6)
    S.invoke("call", (1 << 32) + 5)
    S.blank()

    # ------------------------------------------------------------------------------------------
    S.comment("""
Growth of a 64-bit memory to exactly 2^48 pages, the most its type allows (2^64 bytes, which
does not fit in 64 bits): it fails with -1 and the size stays, from 0 pages, from 1 or 2 pages,
with and without a maximum of 2^48, as memory 0, 1 and 2.""")
    fields = [
        "(memory $a i64 2)", "(memory $b i64 0)", "(memory $c i64 1 0x1000000000000)",
        '(func (export "grow_a") (param $d i64) (result i64) (memory.grow $a (local.get $d)))',
        '(func (export "grow_b") (param $d i64) (result i64) (memory.grow $b (local.get $d)))',
        '(func (export "grow_c") (param $d i64) (result i64) (memory.grow $c (local.get $d)))',
        '(func (export "sizes") (result i64 i64 i64) (memory.size $a) (memory.size $b) (memory.size $c))',
    ]
    S.module(fields)
    S.invoke("grow_b", 1 << 48)
    S.invoke("grow_b", (1 << 48) - 1)
    S.invoke("sizes")
    S.invoke("grow_b", 0)
    S.invoke("grow_a", (1 << 48) - 2)
    S.invoke("sizes")
    S.invoke("grow_c", (1 << 48) - 1)
    S.invoke("sizes")
    S.invoke("grow_a", 1)
    S.invoke("grow_c", 1)
    S.invoke("sizes")

    out = "\n".join(S.lines) + "\n"
    # `--out PATH` writes elsewhere (ctest multi_memory64_regenerated compares the two).
    path = (sys.argv[sys.argv.index("--out") + 1] if "--out" in sys.argv
            else os.path.join(os.path.dirname(os.path.abspath(__file__)), "multi_memory64.wast"))
    with open(path, "w") as f:
        f.write(out)
    print("%s: %d commands" % (path, S.commands), file=sys.stderr)


if __name__ == "__main__":
    main()
