#!/usr/bin/env python3
"""Generates the mechanical parts of swasm's knowledge of WebAssembly instructions from their one
description, tools/wasm_instructions.py:

  Sources/Swasm/Binary/Generated/WasmInstructions.swift
      WasmImmediate          the kinds of immediates
      WasmSignature          operand and result types of an instruction typed by them alone
      WasmInstructions       per opcode: its immediates (for the decoders, which read or skip them),
                             its signature and the feature it belongs to (for the validator), wasmtime's
                             fuel cost (for the compiler), and the text format's mnemonics

Run from anywhere; writes into the source tree, or under DIR with `--out DIR` (ctest
generated_files compares the two).
"""
import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import wasm_instructions as W  # noqa: E402

OUTPUT = "Sources/Swasm/Binary/Generated/WasmInstructions.swift"
SWIFT_KEYWORDS = {"if", "else"}

# The validator's message when an instruction's feature is off, per feature.
DISABLED = {
    "signExtension": "sign extension support is not enabled",
    "saturatingFloatToInt": "saturating float-to-int support is not enabled",
    "bulkMemory": "bulk memory support is not enabled",
    "referenceTypes": "reference types support is not enabled",
    "simd": "SIMD support is not enabled",
    "relaxedSimd": "relaxed SIMD support is not enabled",
    "tailCall": "tail call support is not enabled",
    "wideArithmetic": "wide arithmetic support is not enabled",
    "exceptions": "exceptions support is not enabled",
    "threads": "threads support is not enabled",
    "functionReferences": "function references support is not enabled",
    "gc": "gc support is not enabled",
}


def case_name(name):
    return f"`{name}`" if name in SWIFT_KEYWORDS else name


def ranges(codes):
    """Swift case patterns for a sorted list of codes: single values and closed ranges."""
    parts, start, previous = [], None, None
    for code in codes + [None]:
        if start is not None and (code is None or code != previous + 1):
            if previous - start >= 2:
                parts.append(f"{hex_(start)}...{hex_(previous)}")
            else:
                parts.extend(hex_(c) for c in range(start, previous + 1))
            start = None
        if code is not None and start is None:
            start = code
        previous = code
    return parts


def hex_(code):
    return f"0x{code:02x}"


def wrap(items, indent, width=100):
    """Comma-separated items wrapped at `width` columns."""
    lines, line = [], ""
    for item in items:
        piece = item if not line else ", " + item
        if len(indent) + len(line) + len(piece) > width:
            lines.append(line + ",")
            line = item
        else:
            line += piece
    lines.append(line)
    return ("\n" + indent).join(lines)


def grouped_switch(subject, entries, default, indent="        "):
    """A switch over `subject` returning the value of each entry's group: entries are (code, value)."""
    groups = {}
    for code, value in entries:
        groups.setdefault(value, []).append(code)
    out = [f"{indent}switch {subject} {{"]
    for value, codes in sorted(groups.items(), key=lambda item: min(item[1])):
        patterns = wrap(ranges(sorted(codes)), indent + "     ")
        out.append(f"{indent}case {patterns}: return {value}")
    out.append(f"{indent}default: return {default}")
    out.append(f"{indent}}}")
    return "\n".join(out)


def by_prefix(prefix):
    return [i for i in W.INSTRUCTIONS if i.prefix == prefix]


def signature_value(instruction):
    signature = instruction.signature
    if signature is None:
        return None
    operands, results = signature
    assert len(results) == 1 and 1 <= len(operands) <= 3, instruction.name
    feature = W.PROPOSALS[instruction.proposal]
    padded = operands + [operands[-1]] * (3 - len(operands))
    feature_text = f".{feature}" if feature else "[]"
    return (f"WasmSignature(operandCount: {len(operands)}, first: .{padded[0]}, second: .{padded[1]}, "
            f"third: .{padded[2]}, result: .{results[0]}, feature: {feature_text})")


def immediate_functions():
    out = []
    out.append("""    /// The immediates of single-byte instruction `opcode`, or nil when no instruction has it.
    @inline(__always)
    static func immediate(_ opcode: UInt8) -> WasmImmediate? {""")
    out.append(grouped_switch("opcode", [(i.code, "WasmImmediate." + case_name(i.immediate)) for i in by_prefix(0)], "nil"))
    out.append("    }\n")
    for prefix, label in [(0xfb, "FB"), (0xfc, "FC"), (0xfd, "FD"), (0xfe, "FE")]:
        out.append(f"""    /// The immediates of the {hex_(prefix)}-prefixed instruction `code`, or nil when none has it.
    @inline(__always)
    static func immediate{label}(_ code: UInt32) -> WasmImmediate? {{""")
        out.append(grouped_switch("code", [(i.code, "WasmImmediate." + case_name(i.immediate)) for i in by_prefix(prefix)], "nil"))
        out.append("    }\n")
    return "\n".join(out)


def signature_functions():
    out = []
    for prefix, label, subject, kind in [(0, "", "opcode", "UInt8"), (0xfb, "FB", "code", "UInt32"), (0xfc, "FC", "code", "UInt32"),
                                         (0xfd, "FD", "code", "UInt32"), (0xfe, "FE", "code", "UInt32")]:
        entries = [(i.code, signature_value(i)) for i in by_prefix(prefix) if i.signature]
        what = "single-byte instruction" if prefix == 0 else f"{hex_(prefix)}-prefixed instruction"
        out.append(f"""    /// The signature of {what} `{subject}` when its operand and result types alone type it
    /// (nil for instructions a validator rule types, and for unknown opcodes).
    @inline(__always)
    static func signature{label}(_ {subject}: {kind}) -> WasmSignature? {{""")
        out.append(grouped_switch(subject, entries, "nil"))
        out.append("    }\n")
    return "\n".join(out)


def feature_functions():
    out = []
    for prefix, label, subject, kind in [(0, "", "opcode", "UInt8"), (0xfb, "FB", "code", "UInt32"), (0xfc, "FC", "code", "UInt32"),
                                         (0xfd, "FD", "code", "UInt32"), (0xfe, "FE", "code", "UInt32")]:
        entries = [(i.code, f".{W.PROPOSALS[i.proposal]}") for i in by_prefix(prefix) if W.PROPOSALS[i.proposal]]
        what = "single-byte instruction" if prefix == 0 else f"{hex_(prefix)}-prefixed instruction"
        out.append(f"""    /// The feature {what} `{subject}` belongs to (empty for WebAssembly 1.0's and unknown ones).
    static func feature{label}(_ {subject}: {kind}) -> Features {{""")
        out.append(grouped_switch(subject, entries, "[]"))
        out.append("    }\n")
    return "\n".join(out)


def fuel_function():
    free = [i.code for i in by_prefix(0) if i.fuel == 0]
    assert all(i.fuel == 1 for i in W.INSTRUCTIONS if i.prefix != 0)
    return f"""    /// wasmtime's fuel cost of single-byte instruction `opcode` (prefixed ones cost 1): 0 for
    /// the purely structural ones ({", ".join(i.name for i in by_prefix(0) if i.fuel == 0)}), 1 otherwise.
    @inline(__always)
    static func fuelCost(_ opcode: UInt8) -> UInt64 {{
        switch opcode {{
        case {", ".join(hex_(c) for c in free)}: return 0
        default: return 1
        }}
    }}
"""


def disabled_function():
    lines = ["    /// The validator's message for an instruction whose feature `feature` is not enabled.",
             "    static func disabledMessage(_ feature: Features) -> StaticString {"]
    first = True
    for feature, message in DISABLED.items():
        keyword = "if" if first else "} else if"
        lines.append(f"        {keyword} feature == .{feature} {{")
        lines.append(f'            return "{message}"')
        first = False
    lines.append("        }")
    lines.append('        return "a WebAssembly feature is not enabled"')
    lines.append("    }")
    return "\n".join(lines) + "\n"


def mnemonic_function():
    lines = ["    /// Adds every instruction's mnemonic, then the text format's other keywords, to `table`.",
             "    static func addMnemonics(to table: inout TextInstructionTable) throws(SwasmError) {"]
    for i in W.INSTRUCTIONS:
        if i.text is not None:
            lines.append(f'        try table.add("{i.name}", {hex_(i.prefix)}, {hex_(i.code)}, .{case_name(i.text)}, {i.argument})')
    for keyword in W.SYNTAX_KEYWORDS:
        lines.append(f'        try table.add("{keyword}", 0, 0, .syntax, 0)')
    lines.append("    }")
    return "\n".join(lines) + "\n"


def generate():
    immediates = "\n".join(f"    /// Followed by {what}.\n    case {case_name(name)}" if name != "syntax"
                           else f"    /// Not an instruction: a keyword of the text format's other syntax.\n    case {name}"
                           for name, what in W.IMMEDIATES)
    return f"""// Generated by tools/gen_wasm_instructions.py from tools/wasm_instructions.py: edit those, then
// run `python3 tools/gen_wasm_instructions.py` (ctest generated_files checks this file).

/// The kinds of immediates that follow an instruction's opcode.
enum WasmImmediate: UInt8, BitwiseCopyable {{
{immediates}
}}

/// The operand types (1 to 3, unused ones repeat the last) and result type of an instruction that
/// its signature alone types, and the feature it needs (empty for WebAssembly 1.0's).
struct WasmSignature: BitwiseCopyable {{
    var operandCount: Int
    var first: ValueType
    var second: ValueType
    var third: ValueType
    var result: ValueType
    var feature: Features
}}

/// What swasm knows of each WebAssembly instruction ({len(W.INSTRUCTIONS)} of them), by opcode.
enum WasmInstructions {{
{immediate_functions()}
{signature_functions()}
{feature_functions()}
{fuel_function()}
{disabled_function()}
{mnemonic_function()}}}
"""


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", metavar="DIR", help="write under DIR instead of the source tree")
    root = parser.parse_args().out or os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    path = os.path.join(root, OUTPUT)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(generate())


if __name__ == "__main__":
    main()
