"""SIMD instructions of the interpreter (see gen_instructions.py for formats and kinds).

`describe(op)` adds each instruction by calling op(name, format, kind, body). A v128 value takes
two consecutive slots: slot s holds the low 8 bytes, slot s + 1 the high 8 bytes (little endian).
"""


def describe(op):
    pass  # filled in by the SIMD work
