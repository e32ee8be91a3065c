#!/usr/bin/env python3
"""Check that swasm's public headers declare every non-component function of
wasmtime's C API.

Usage: check_declared.py [TSV]

TSV is the function list (columns: header, function, tier, feature_gate,
inline_in_header). It defaults to ../shared/reference/capi-functions.tsv
relative to the project root. Relative paths given on the command line are
taken relative to the current directory.

The script preprocesses include/wasmtime.h, include/wasi.h and include/swasm.h
with `gcc -E -I include` (override the compiler with $CC), finds the
file-scope function declarations and definitions in the output, and checks
for every tsv row whose tier is not `component`:

  * the function is declared (or, for inline_in_header=yes, defined);
  * it is declared in the header the tsv names (include/<header>);
  * inline_in_header=yes functions are `static inline` definitions, the
    others are non-static declarations without a body.

It also checks that every header named by those rows compiles on its own,
and that the headers declare no exported function missing from the tsv
(other than swasm's own `swasm_*` extensions).
Exits with status 1 on any failure, 2 on a usage or environment problem.
"""

import collections
import os
import re
import subprocess
import sys
import tempfile

SCRIPT_DIR = os.path.dirname(os.path.abspath(__file__))
PROJECT_ROOT = os.path.normpath(os.path.join(SCRIPT_DIR, "..", ".."))
INCLUDE_DIR = os.path.join(PROJECT_ROOT, "include")
DEFAULT_TSV = os.path.join(PROJECT_ROOT, "..", "shared", "reference",
                           "capi-functions.tsv")
CC = os.environ.get("CC", "gcc")

Row = collections.namedtuple("Row", "header function tier gate inline")
Decl = collections.namedtuple("Decl", "file is_definition is_static is_inline")

TOKEN_RE = re.compile(
    r'"(?:[^"\\]|\\.)*"'          # string literal
    r"|'(?:[^'\\]|\\.)*'"         # character literal
    r"|[A-Za-z_][A-Za-z0-9_]*"    # identifier / keyword
    r"|\d[\w.]*"                  # number
    r"|\S")                       # any other single character
LINEMARKER_RE = re.compile(r'^#\s*(?:line\s+)?\d+\s+"((?:[^"\\]|\\.)*)"')
NOT_NAMES = {"__attribute__", "__declspec", "_Static_assert", "static_assert",
             "__typeof__", "typeof", "_Alignas", "alignas", "sizeof"}


def die(msg, status=2):
    sys.stderr.write("check_declared: error: %s\n" % msg)
    sys.exit(status)


def read_tsv(path):
    if not os.path.isfile(path):
        die("function list not found: %s (pass its path as the first "
            "argument)" % path)
    rows = []
    with open(path, encoding="utf-8") as f:
        lines = f.read().splitlines()
    if not lines or not lines[0].startswith("header\tfunction"):
        die("%s does not look like capi-functions.tsv (bad header line)" % path)
    for lineno, line in enumerate(lines[1:], start=2):
        if not line.strip():
            continue
        cols = line.split("\t")
        if len(cols) < 5:
            cols += [""] * (5 - len(cols))
        row = Row(*[c.strip() for c in cols[:5]])
        if not row.header or not row.function:
            die("%s:%d: malformed row" % (path, lineno))
        rows.append(row)
    if not rows:
        die("%s lists no functions" % path)
    return rows


def is_component(row):
    return row.tier == "component" or row.header.startswith("wasmtime/component/")


def preprocess(headers):
    src = "".join("#include <%s>\n" % h for h in headers)
    with tempfile.NamedTemporaryFile("w", suffix=".c", delete=False) as tmp:
        tmp.write(src)
        name = tmp.name
    try:
        proc = subprocess.run([CC, "-E", "-std=c11", "-I", INCLUDE_DIR, name],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              universal_newlines=True)
    except OSError as e:
        die("cannot run %s: %s" % (CC, e))
    finally:
        os.unlink(name)
    if proc.returncode != 0:
        die("preprocessing failed:\n%s" % proc.stderr)
    return proc.stdout


def tokens_with_files(text):
    """Yields (token, file) for the preprocessed text, following linemarkers."""
    current = "<unknown>"
    for line in text.splitlines():
        if line.startswith("#"):
            m = LINEMARKER_RE.match(line)
            if m:
                current = os.path.normpath(m.group(1))
            continue
        for tok in TOKEN_RE.findall(line):
            yield tok, current


def top_level_statements(toks):
    """Splits the token stream into file-scope statements.

    Each statement is a list of (token, file, brace_depth) entries, brace_depth
    being relative to the statement. A statement ends at a `;` outside braces,
    or at the `}` closing a function body (a `{` that follows `)`).
    """
    stmt = []
    depth = 0
    body = False
    prev = None
    for tok, fname in toks:
        if tok == "{":
            if depth == 0 and prev == ")":
                body = True
            stmt.append((tok, fname, depth))
            depth += 1
        elif tok == "}":
            depth -= 1
            stmt.append((tok, fname, depth))
            if depth == 0 and body:
                yield stmt
                stmt, body = [], False
        elif tok == ";" and depth == 0:
            stmt.append((tok, fname, depth))
            yield stmt
            stmt = []
        else:
            stmt.append((tok, fname, depth))
        prev = tok
    if stmt:
        yield stmt


def function_of(stmt):
    """Returns (name, Decl) if the statement declares or defines a function."""
    toks = [(t, f) for t, f, d in stmt if d == 0]
    if not toks or toks[0][0] == "typedef":
        return None
    words = [t for t, _ in toks]
    i = 0
    paren = 0
    while i < len(toks):
        tok = words[i]
        if tok in ("__attribute__", "__declspec", "__asm__", "asm"):
            # skip the parenthesised argument of the attribute
            i += 1
            level = 0
            while i < len(toks):
                if words[i] == "(":
                    level += 1
                elif words[i] == ")":
                    level -= 1
                    if level == 0:
                        break
                i += 1
            i += 1
            continue
        if tok == "(" and paren == 0:
            prev = words[i - 1] if i > 0 else ""
            if re.match(r"[A-Za-z_]\w*$", prev) and prev not in NOT_NAMES:
                name_file = toks[i - 1][1]
                head = words[:i - 1]
                is_def = "{" in [t for t, _, _ in stmt]
                return prev, Decl(file=name_file, is_definition=is_def,
                                  is_static="static" in head,
                                  is_inline=("inline" in head or
                                             "__inline" in head or
                                             "__inline__" in head))
            return None
        if tok == "(":
            paren += 1
        elif tok == ")":
            paren -= 1
        elif tok == "=" and paren == 0:
            return None  # an initialised variable
        i += 1
    return None


def collect_declarations(text):
    decls = collections.defaultdict(list)
    for stmt in top_level_statements(tokens_with_files(text)):
        fn = function_of(stmt)
        if fn:
            decls[fn[0]].append(fn[1])
    return decls


def header_compiles(header):
    src = "#include <%s>\nint swasm_header_check_dummy;\n" % header
    proc = subprocess.run([CC, "-std=c11", "-fsyntax-only", "-Wall", "-Wextra",
                           "-I", INCLUDE_DIR, "-x", "c", "-"],
                          input=src, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, universal_newlines=True)
    return proc.returncode == 0, proc.stderr


def main(argv):
    if len(argv) > 2 or (len(argv) == 2 and argv[1] in ("-h", "--help")):
        sys.stdout.write(__doc__)
        return 0 if len(argv) == 2 else 2
    tsv = os.path.abspath(argv[1]) if len(argv) == 2 else os.path.normpath(DEFAULT_TSV)
    rows = read_tsv(tsv)
    wanted = [r for r in rows if not is_component(r)]
    if not os.path.isdir(INCLUDE_DIR):
        die("include directory not found: %s" % INCLUDE_DIR)

    text = preprocess(["wasmtime.h", "wasi.h", "swasm.h"])
    decls = collect_declarations(text)

    problems = []
    for row in wanted:
        found = decls.get(row.function)
        if not found:
            problems.append("missing: %s (expected in %s)" % (row.function, row.header))
            continue
        expected_file = os.path.normpath(os.path.join(INCLUDE_DIR, row.header))
        in_right_file = [d for d in found if os.path.abspath(d.file) == expected_file]
        if not in_right_file:
            where = sorted({os.path.relpath(os.path.abspath(d.file), PROJECT_ROOT)
                            for d in found})
            problems.append("wrong header: %s declared in %s, expected %s"
                            % (row.function, ", ".join(where), row.header))
            continue
        if row.inline == "yes":
            if not any(d.is_definition and d.is_static and d.is_inline
                       for d in in_right_file):
                problems.append("not static inline: %s (%s) must be defined "
                                "static inline" % (row.function, row.header))
        else:
            bad = [d for d in in_right_file if d.is_definition or d.is_static]
            if bad:
                problems.append("not an exported declaration: %s (%s) is "
                                "static or defined in the header"
                                % (row.function, row.header))

    # Declarations of library functions that the tsv does not list would be
    # unresolved symbols for users; only swasm's own extensions may be extra.
    listed = {r.function for r in rows}
    for name in sorted(decls):
        if name in listed or name.startswith("swasm_"):
            continue
        ours = [d for d in decls[name]
                if os.path.abspath(d.file).startswith(INCLUDE_DIR + os.sep)]
        if ours and not all(d.is_static for d in ours):
            problems.append("not in the function list: %s (declared in %s)"
                            % (name, os.path.relpath(os.path.abspath(ours[0].file),
                                                     PROJECT_ROOT)))

    for header in sorted({r.header for r in wanted}):
        ok, err = header_compiles(header)
        if not ok:
            problems.append("header does not compile on its own: %s\n%s"
                            % (header, err.rstrip()))

    skipped = len(rows) - len(wanted)
    print("check_declared: %d functions checked (%d component functions "
          "skipped), %d headers compiled standalone"
          % (len(wanted), skipped, len({r.header for r in wanted})))
    if problems:
        for p in problems:
            print("  FAIL " + p)
        print("check_declared: %d problem(s)" % len(problems))
        return 1
    print("check_declared: OK")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
