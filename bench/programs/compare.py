#!/usr/bin/env python3
"""Runs the programs build_and_run.sh built, under swasm and under wasmtime's C library, compares
what they did and times them (README.md beside this file).

    compare.py --work DIR --swasm PATH --wasmtime RUNNER [--runs N] [--only NAMES] [--quick] [--list]
               [--benchmarks] [--peers pulley,wasmkit --wasmkit PATH]

Each case runs in a fresh scratch folder per runtime (and per run): the same arguments, the same
environment, the same preopened directories, the same stdin. What must be identical between the
two runtimes: exit status, standard output and error after the case's normalization (times
masked), and the digests of the files the case names. A case's own check (the program's test
verdict, a round trip) must pass on each runtime. Tests run once, benchmarks --runs times (best
wall time counts). --peers adds runtimes for the benchmarks (wasmtime's Pulley interpreter,
WasmKit's CLI), whose outputs must equal swasm's; bench/compare.py --parts programs runs this with
them. Exit status 1 when anything differed or failed.
"""
import argparse
import glob
import hashlib
import math
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))


class Case:
    """name: lua/fib; kind: test or bench; steps(scratch) -> [Step]; setup(scratch) makes the
    fixture; check(scratch, results) -> None or what is wrong; normalize(text) -> text as compared;
    outputs(scratch) -> {name: digest} of the files compared between runtimes."""

    def __init__(self, name, kind, steps, setup=None, check=None, normalize=None, outputs=None,
                 timeout=1800, what="", native_outputs=True):
        self.name, self.kind, self.steps, self.setup = name, kind, steps, setup
        self.check, self.normalize, self.outputs = check, normalize, outputs
        self.native_outputs = native_outputs
        self.timeout, self.what = timeout, what


class Step:
    """A WASI program run (wasm, args, dirs [(host, guest, readonly)], env, stdin file), or a host
    command given the runtime (host(runtime, scratch) -> (argv, cwd, env))."""

    def __init__(self, wasm=None, args=(), dirs=(), env=None, stdin=None, host=None):
        self.wasm, self.args, self.dirs = wasm, list(args), list(dirs)
        self.env, self.stdin, self.host = dict(env or {}), stdin, host


class Runtime:
    """swasm (`swasm run`), wasmtime (the C runner on wasmtime's library), native (a folder of
    native builds), and the peers that run the benchmarks only: pulley (wasmtime's interpreter,
    through wasmtime_wasi_run.py) and wasmkit (`wasmkit-cli run`, which has no read-only
    directories: those are granted writable)."""

    def __init__(self, name, exe):
        self.name, self.exe = name, exe

    def argv(self, step):
        if self.name == "native":
            return [os.path.join(self.exe, os.path.basename(step.wasm)[:-len(".wasm")])] + step.args
        if self.name == "swasm":
            argv = [self.exe, "run"]
        elif self.name == "wasmkit":
            argv = [self.exe, "run"]
        elif self.name == "pulley":
            argv = [sys.executable, os.path.join(HERE, "wasmtime_wasi_run.py"), "--target", "pulley64"]
        else:
            argv = [self.exe, "--inherit-stdin", "--inherit-stdout", "--inherit-stderr"]
        for host, guest, readonly in step.dirs:
            option = "--dir-readonly" if readonly and self.name != "wasmkit" else "--dir"
            argv += [option, f"{host}::{guest}"]
        for key, value in step.env.items():
            argv += ["--env", f"{key}={value}"]
        return argv + [step.wasm] + step.args

    def wrapper(self, work, wasm, dirs, prologue=""):
        """A shell script running `wasm` under this runtime with the given preopens, for test
        drivers that want one command (brotli's BROTLI_WRAPPER); prologue: shell code first."""
        path = os.path.join(work, "bin", f"{os.path.basename(wasm)}-{self.name}.sh")
        argv = self.argv(Step(wasm=wasm, dirs=dirs))
        with open(path, "w") as f:
            f.write("#!/bin/sh\n" + prologue + "exec " + " ".join(shlex.quote(a) for a in argv) + ' "$@"\n')
        os.chmod(path, 0o755)
        return path


class Result:
    def __init__(self, status, stdout, stderr, seconds, cpu, rss_kib, argv):
        self.status, self.stdout, self.stderr = status, stdout, stderr
        self.seconds, self.cpu, self.rss_kib, self.argv = seconds, cpu, rss_kib, argv


def run_process(argv, cwd, env, stdin_path, timeout, scratch):
    """Runs argv with stdout/stderr in files, returns a Result (wall time, CPU time and peak RSS
    from wait4)."""
    out_path = os.path.join(scratch, ".stdout")
    err_path = os.path.join(scratch, ".stderr")
    stdin = open(stdin_path, "rb") if stdin_path else subprocess.DEVNULL
    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        start = time.perf_counter()
        process = subprocess.Popen(argv, cwd=cwd, env=env, stdin=stdin, stdout=out, stderr=err,
                                   start_new_session=True)
        timer = threading.Timer(timeout, lambda: os.killpg(process.pid, signal.SIGKILL))
        timer.start()
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        timer.cancel()
        process.returncode = os.waitstatus_to_exitcode(status)
    if stdin_path:
        stdin.close()
    with open(out_path, "rb") as f:
        stdout = f.read()
    with open(err_path, "rb") as f:
        stderr = f.read()
    os.unlink(out_path)
    os.unlink(err_path)
    return Result(process.returncode, stdout, stderr, seconds, usage.ru_utime + usage.ru_stime,
                  usage.ru_maxrss, argv)


def digest_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()[:16]


def digest_bytes(data):
    return hashlib.sha256(data).hexdigest()[:16]


def run_case(case, runtime, work):
    scratch = os.path.join(work, "runs", case.name.replace("/", "-"), runtime.name)
    shutil.rmtree(scratch, ignore_errors=True)
    os.makedirs(scratch)
    if case.setup:
        case.setup(scratch)
    results = []
    for step in case.steps(scratch):
        if step.host:
            argv, cwd, env = step.host(runtime, scratch)
        elif runtime.name == "native":
            cwd = next(host for host, guest, _ in step.dirs if guest == ".")
            argv, env = runtime.argv(step), dict(step.env, PATH=os.environ.get("PATH", "/usr/bin:/bin"))
        else:
            argv, cwd, env = runtime.argv(step), scratch, {"PATH": os.environ.get("PATH", "/usr/bin:/bin")}
        results.append(run_process(argv, cwd, env, step.stdin, case.timeout, scratch))
    return scratch, results


def identical(case, scratch_a, results_a, scratch_b, results_b, files=True):
    """What differs between two runtimes' runs of a case (a list of strings)."""
    normalize = case.normalize or (lambda text: text)
    differences = []
    if len(results_a) != len(results_b):
        return [f"{len(results_a)} steps against {len(results_b)}"]
    for i, (a, b) in enumerate(zip(results_a, results_b)):
        where = f"step {i + 1}" if len(results_a) > 1 else "the run"
        if a.status != b.status:
            differences.append(f"{where}: exit status {a.status} against {b.status}")
        for stream in ("stdout", "stderr"):
            ta = normalize(getattr(a, stream).decode("utf-8", "replace"))
            tb = normalize(getattr(b, stream).decode("utf-8", "replace"))
            if ta != tb:
                differences.append(f"{where}: {stream} differs: {first_difference(ta, tb)}")
    if case.outputs and files:
        files_a, files_b = case.outputs(scratch_a), case.outputs(scratch_b)
        for name in sorted(set(files_a) | set(files_b)):
            if files_a.get(name) != files_b.get(name):
                differences.append(f"file {name}: {files_a.get(name)} against {files_b.get(name)}")
    return differences


def first_difference(a, b):
    la, lb = a.splitlines(), b.splitlines()
    for i in range(max(len(la), len(lb))):
        x = la[i] if i < len(la) else "<end>"
        y = lb[i] if i < len(lb) else "<end>"
        if x != y:
            return f"line {i + 1}: {x[:200]!r} against {y[:200]!r}"
    return "(line endings)"


# ---- the cases --------------------------------------------------------------------------------------

def make_cases(work, quick):
    wasm = os.path.join(work, "wasm")
    src = os.path.join(work, "src")
    lua_tests = os.path.join(src, "lupa-2.8", "third-party", "lua54", "testes")
    brotli_src = os.path.join(src, "brotli-1.2.1")
    sqlite_src = os.path.join(src, "sqlite3-3.40.1")
    data = os.path.join(work, "data")
    os.makedirs(data, exist_ok=True)
    cases = []

    def mask_times(text):
        text = re.sub(r"\s+\d+\.\d+s\b", " T.TTTs", text)   # speedtest1's "%8.3fs" widens past 9.999s
        return re.sub(r"in \d+\.\d+ seconds", "in T seconds", text)

    # -- Lua --
    # _port: skip what needs processes and a Linux system (WASI has neither); _U (quick): also
    # skip the long and memory-hungry tests.
    lua_mode = "_U=true" if quick else "_port=true _nomsg=true"

    def lua_suite_setup(scratch):
        shutil.copytree(lua_tests, os.path.join(scratch, "testes"))
        os.makedirs(os.path.join(scratch, "tmp"))

    def lua_suite_check(scratch, results):
        r = results[0]
        if r.status != 0 or b"final OK !!!" not in r.stdout:
            tail = (r.stdout + r.stderr).decode("utf-8", "replace").strip().splitlines()[-6:]
            return f"exit status {r.status}, no 'final OK !!!': " + " | ".join(tail)
        return None

    def lua_suite_normalize(text):
        # Seeds, times, addresses and memory figures vary from run to run: compare which test
        # files ran, what they announced, and the verdict.
        keep = re.compile(r"^(\*\*\*\*\* FILE|testing|final OK|OK$|Lua warning)")
        lines = (re.sub(r"^(testing short-circuit optimizations) \(\d+\)", r"\1 (N)", line)   # a random choice
                 for line in text.splitlines() if keep.match(line))
        return "\n".join(lines)

    cases.append(Case(
        "lua/testsuite", "test",
        lambda scratch: [Step(os.path.join(wasm, "lua-sjlj.wasm"), ["-e", lua_mode, "all.lua"],
                              dirs=[(os.path.join(scratch, "testes"), ".", False),
                                    (os.path.join(scratch, "tmp"), "/tmp", False)],
                              env={"PATH": "/bin"})],
        setup=lua_suite_setup, check=lua_suite_check, normalize=lua_suite_normalize,
        what=f"Lua 5.4.8's test suite (testes/all.lua with {lua_mode})"))

    bench_dir = os.path.join(HERE, "lua", "bench")
    for script, arg in (("fib", "32"), ("strings", "100000"), ("sort", "100000"),
                        ("binarytrees", "14"), ("nbody", "100000")):
        cases.append(Case(
            f"lua/{script}", "bench",
            lambda scratch, script=script, arg=arg: [Step(os.path.join(wasm, "lua.wasm"), [f"{script}.lua", arg],
                                                          dirs=[(bench_dir, ".", True)])],
            check=lambda scratch, results: None if results[0].status == 0 and results[0].stdout else
            f"exit status {results[0].status}",
            what=f"lua {script}.lua {arg}"))

    # -- brotli --
    testdata = os.path.join(brotli_src, "tests", "testdata")

    def brotli_compat_steps(scratch):
        steps = []
        for path in sorted(glob.glob(os.path.join(testdata, "*.compressed*"))):
            name = os.path.basename(path)
            steps.append(Step(os.path.join(wasm, "brotli.wasm"), ["-d", "-f", f"in/{name}", "-o", f"out/{name}.unbr"],
                              dirs=[(scratch, ".", False)]))
        return steps

    def brotli_compat_setup(scratch):
        shutil.copytree(testdata, os.path.join(scratch, "in"))
        os.makedirs(os.path.join(scratch, "out"))

    def brotli_compat_check(scratch, results):
        bad = []
        for path in sorted(glob.glob(os.path.join(testdata, "*.compressed*"))):
            name = os.path.basename(path)
            original = os.path.join(testdata, name.split(".compressed")[0])
            out = os.path.join(scratch, "out", name + ".unbr")
            if not os.path.exists(out) or digest_file(out) != digest_file(original):
                bad.append(name)
        failed = [i for i, r in enumerate(results) if r.status != 0]
        if bad or failed:
            return f"{len(bad)} of {len(results)} decompressed files differ from the originals: {bad[:5]}"
        return None

    cases.append(Case(
        "brotli/compat", "test", brotli_compat_steps, setup=brotli_compat_setup, check=brotli_compat_check,
        outputs=lambda scratch: {os.path.basename(p): digest_file(p) for p in glob.glob(os.path.join(scratch, "out", "*"))},
        what="decompress each of brotli's tests/testdata/*.compressed* (one process each), compare with the original"))

    # bro_test.py drives a command with the options of brotli's Python tool (python/bro.py): `-i FILE`
    # and `--lgwin N`, which the C tool spells `FILE` and `--lgwin=N`; its pipe tests also extend the
    # shared BRO_ARGS list, so `-q` and `--lgwin` pile up, where bro.py's argparse takes the last
    # value and the C tool refuses a repeated option. The wrapper translates both; everything else
    # (-f, -d, -o FILE, stdin to stdout without -i) is the same.
    translate = """n=$#; q=; w=
while [ "$n" -gt 0 ]; do
  a=$1; shift; n=$((n - 1))
  case "$a" in
    -i) a=$1; shift; n=$((n - 1)); set -- "$@" "$a" ;;
    -q) q=$1; shift; n=$((n - 1)) ;;
    --lgwin) w=$1; shift; n=$((n - 1)) ;;
    *) set -- "$@" "$a" ;;
  esac
done
if [ -n "$w" ]; then set -- "--lgwin=$w" "$@"; fi
if [ -n "$q" ]; then set -- -q "$q" "$@"; fi
"""

    def bro_test_host(runtime, scratch):
        wrapper = runtime.wrapper(work, os.path.join(wasm, "brotli.wasm"), [("/", "/", False)], translate)
        argv = [sys.executable, "-m", "unittest", "tests.bro_test"]
        if quick:
            argv += ["-k", "decompress", "-k", "quality_9_lgwin_22", "-k", "quality_11_lgwin_24", "-k", "quality_1_lgwin_10"]
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "BROTLI_WRAPPER": wrapper, "TMPDIR": scratch}
        return argv, os.path.join(brotli_src, "python"), env

    def bro_test_check(scratch, results):
        text = results[0].stderr.decode("utf-8", "replace")
        ran = re.search(r"^Ran (\d+) tests?", text, re.M)
        if results[0].status != 0 or not ran or not re.search(r"^OK\s*$", text, re.M):
            return "unittest: " + " | ".join(text.strip().splitlines()[-4:])
        return None

    def bro_test_normalize(text):
        # unittest's verdict lines (its stderr), the run time masked
        lines = (re.sub(r" in [\d.]+s$", "", line) for line in text.splitlines()
                 if re.match(r"^(Ran \d+ tests?|OK|FAILED|FAIL:|ERROR:)", line))
        return "\n".join(lines)

    cases.append(Case(
        "brotli/cli-tests", "test", lambda scratch: [Step(host=bro_test_host)], check=bro_test_check,
        normalize=bro_test_normalize,
        timeout=3600,
        what="brotli's CLI tests, python/tests/bro_test.py, with BROTLI_WRAPPER running brotli.wasm (bro.py's option spelling "
             "translated; file and pipe modes, qualities 1/6/9/11 x windows 10/15/20/24)" + (" (quick: a subset)" if quick else "")))

    corpus = os.path.join(sqlite_src, "bld", "sqlite3.c")   # 8.6 MB of C: a real file to compress

    def corpus_setup(scratch):
        os.link(corpus, os.path.join(scratch, "corpus")) if same_device(corpus, scratch) else shutil.copy(corpus, os.path.join(scratch, "corpus"))

    for quality in ("5", "9"):
        cases.append(Case(
            f"brotli/compress-q{quality}", "bench",
            lambda scratch, q=quality: [Step(os.path.join(wasm, "brotli.wasm"), ["-f", "-q", q, "corpus", "-o", "corpus.br"],
                                             dirs=[(scratch, ".", False)])],
            setup=corpus_setup,
            check=lambda scratch, results: None if results[0].status == 0 else f"exit status {results[0].status}",
            outputs=lambda scratch: {"corpus.br": digest_file(os.path.join(scratch, "corpus.br"))},
            what=f"brotli -q {quality} of SQLite's sqlite3.c (8.6 MB)"))

    def decompress_setup(scratch):
        corpus_setup(scratch)
        shutil.copy(os.path.join(data, "corpus.q9.br"), os.path.join(scratch, "corpus.br"))

    cases.append(Case(
        "brotli/decompress", "bench",
        lambda scratch: [Step(os.path.join(wasm, "brotli.wasm"), ["-d", "-f", "corpus.br", "-o", "corpus.out"],
                              dirs=[(scratch, ".", False)])] * 5,
        setup=decompress_setup,
        check=lambda scratch, results: None if all(r.status == 0 for r in results) and
        digest_file(os.path.join(scratch, "corpus.out")) == digest_file(corpus) else "the output is not the original",
        outputs=lambda scratch: {"corpus.out": digest_file(os.path.join(scratch, "corpus.out"))},
        what="brotli -d of sqlite3.c compressed at -q 9, five times"))

    # -- SQLite --
    fuzzdata = sorted(glob.glob(os.path.join(sqlite_src, "test", "fuzzdata*.db")))
    if quick:
        fuzzdata = fuzzdata[:1]

    def fuzz_check(scratch, results):
        text = results[0].stdout.decode("utf-8", "replace")
        m = re.search(r"fuzzcheck: 0 errors out of (\d+) tests", text)
        if results[0].status != 0 or not m:
            return "fuzzcheck: " + " | ".join((text + results[0].stderr.decode("utf-8", "replace")).strip().splitlines()[-8:])
        return None

    cases.append(Case(
        "sqlite/fuzzcheck", "test",
        lambda scratch: [Step(os.path.join(wasm, "fuzzcheck.wasm"), [os.path.basename(p) for p in fuzzdata],
                              dirs=[(os.path.join(sqlite_src, "test"), ".", True)])],
        check=fuzz_check, normalize=mask_times,
        what="SQLite's `make fuzztest` (fuzzcheck on test/fuzzdata*.db: " + ", ".join(os.path.basename(p) for p in fuzzdata) + ")"))

    script = os.path.join(HERE, "sqlite", "workload.sql")

    def shell_check(scratch, results):
        r = results[0]
        if r.status != 0 or r.stderr or b"\nok\n" not in r.stdout:
            return f"exit status {r.status}: {r.stderr.decode('utf-8', 'replace').strip()[:300]}"
        return None

    cases.append(Case(
        "sqlite/shell", "bench",
        lambda scratch: [Step(os.path.join(wasm, "sqlite3.wasm"), ["-batch", "-bail", "work.db"], stdin=script,
                              dirs=[(scratch, ".", False)], env={"HOME": "/"})],
        check=shell_check,
        outputs=lambda scratch: {"work.db": digest_file(os.path.join(scratch, "work.db"))},
        # A native build's database differs from wasm32's in the FTS5 index layout (FTS5 flushes
        # its pending terms by a memory size that counts 8-byte pointers natively, 4-byte ones in
        # wasm32; without the FTS5 table the files are identical): natively, compare the output.
        native_outputs=False,
        what="sqlite3 shell running sqlite/workload.sql (100,000 rows: insert, index, group, sort, join, FTS5, update, delete, vacuum)"))

    size = "10" if quick else "40"

    def speedtest_check(scratch, results):
        r = results[0]
        if r.status != 0 or b"Verification Hash:" not in r.stdout:
            return f"exit status {r.status}: " + (r.stdout + r.stderr).decode("utf-8", "replace").strip()[-300:]
        return None

    cases.append(Case(
        "sqlite/speedtest1", "bench",
        lambda scratch: [Step(os.path.join(wasm, "speedtest1.wasm"), ["--size", size, "--verify", "--output", "out.txt", "speedtest1.db"],
                              dirs=[(scratch, ".", False)])],
        check=speedtest_check, normalize=mask_times,
        outputs=lambda scratch: {"out.txt": digest_file(os.path.join(scratch, "out.txt")),
                                 "speedtest1.db": digest_file(os.path.join(scratch, "speedtest1.db"))},
        what=f"SQLite's speedtest1 --size {size} --verify (its own benchmark; verification hash and SQL output compared)"))
    return cases


def same_device(a, b):
    return os.stat(a).st_dev == os.stat(b).st_dev


# ---- main ---------------------------------------------------------------------------------------------

def prepare_data(work, wasmtime):
    """corpus.q9.br, the decompression benchmark's input, made once by brotli.wasm on wasmtime."""
    out = os.path.join(work, "data", "corpus.q9.br")
    corpus = os.path.join(work, "src", "sqlite3-3.40.1", "bld", "sqlite3.c")
    if os.path.exists(out):
        return
    tmp = os.path.join(work, "data", "tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    os.makedirs(tmp)
    shutil.copy(corpus, os.path.join(tmp, "corpus"))
    subprocess.run([wasmtime, "--dir", f"{tmp}::.", os.path.join(work, "wasm", "brotli.wasm"), "-q", "9", "corpus", "-o", "corpus.br"],
                   check=True)
    os.rename(os.path.join(tmp, "corpus.br"), out)
    shutil.rmtree(tmp)


WASM3_UNAVAILABLE = ("wasm3 does not run these: PyPI's pywasm3 has no WASI, bench/wasi's stdio-only runner for it "
                     "opens no files, and wasm3 0.5.0 cannot load brotli.wasm")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--work", required=True)
    parser.add_argument("--swasm", required=True)
    parser.add_argument("--wasmtime", required=True)
    parser.add_argument("--native", help="folder of native builds: reference outputs and times for the benchmarks")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--only", default="")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--benchmarks", action="store_true", help="the benchmark cases only")
    parser.add_argument("--peers", default="", help="more runtimes for the benchmarks: pulley, wasmkit (comma-separated)")
    parser.add_argument("--wasmkit", help="wasmkit-cli, for --peers wasmkit")
    parser.add_argument("--list", action="store_true")
    args = parser.parse_args()
    work = os.path.abspath(args.work)
    runtimes = [Runtime("swasm", os.path.abspath(args.swasm)), Runtime("wasmtime", os.path.abspath(args.wasmtime))]
    native = Runtime("native", os.path.abspath(args.native)) if args.native else None
    peers = []
    for name in filter(None, args.peers.split(",")):
        if name == "wasmkit" and not args.wasmkit:
            parser.error("--peers wasmkit needs --wasmkit PATH")
        if name not in ("pulley", "wasmkit"):
            parser.error(f"unknown peer {name}" + (f" ({WASM3_UNAVAILABLE})" if name == "wasm3" else ""))
        peers.append(Runtime(name, os.path.abspath(args.wasmkit) if name == "wasmkit" else None))
    cases = make_cases(work, args.quick)
    if args.only:
        wanted = [w.strip() for w in args.only.split(",") if w.strip()]
        cases = [c for c in cases if any(c.name == w or c.name.startswith(w.rstrip("/") + "/") for w in wanted)]
    if args.benchmarks:
        cases = [c for c in cases if c.kind == "bench"]
    if args.list:
        for c in cases:
            print(f"{c.name:22s} {c.kind:5s} {c.what}")
        return 0
    if any(c.name == "brotli/decompress" for c in cases):
        prepare_data(work, args.wasmtime)
    runs = 1 if args.quick else args.runs
    rows, peer_rows, problems = [], [], []
    for case in cases:
        count = runs if case.kind == "bench" else 1
        samples, first, checks = {}, {}, {}   # runtime -> [(seconds, cpu, rss)], first run, failed check
        with_native = native is not None and case.kind == "bench" and all(
            os.path.exists(native.argv(step)[0]) for step in case.steps(os.path.join(work, "runs")) if not step.host)
        timed = runtimes + ([native] if with_native else []) + (peers if case.kind == "bench" else [])
        for index in range(count):
            for runtime in timed:   # alternate: the same machine load
                scratch, results = run_case(case, runtime, work)
                samples.setdefault(runtime.name, []).append(
                    (sum(r.seconds for r in results), sum(r.cpu for r in results), max(r.rss_kib for r in results)))
                verdict = case.check(scratch, results) if case.check else None
                if verdict:
                    checks.setdefault(runtime.name, verdict)
                if index == 0:
                    first[runtime.name] = (scratch + ".first", results)
                    shutil.rmtree(scratch + ".first", ignore_errors=True)
                    os.rename(scratch, scratch + ".first")
        best = {name: min(values) for name, values in samples.items()}
        differences = identical(case, *first["swasm"], *first["wasmtime"])
        native_same = "-"
        if with_native:
            native_differences = identical(case, *first["swasm"], *first["native"], files=case.native_outputs)
            native_same = "identical" if not native_differences else "DIFFERENT"
            for difference in native_differences:
                problems.append(f"{case.name}: swasm and native differ: {difference}")
        for runtime in runtimes + (peers if case.kind == "bench" else []):
            if runtime.name in checks:
                problems.append(f"{case.name} on {runtime.name}: {checks[runtime.name]}")
                r = first[runtime.name][1][-1]
                problems.append("    command: " + " ".join(r.argv))
        for difference in differences:
            problems.append(f"{case.name}: swasm and wasmtime differ: {difference}")
        peer_same = {}
        for peer in peers if case.kind == "bench" else []:
            peer_differences = identical(case, *first["swasm"], *first[peer.name])
            peer_same[peer.name] = not peer_differences and peer.name not in checks
            problems += [f"{case.name}: swasm and {peer.name} differ: {d}" for d in peer_differences]
        s, w, n = best["swasm"], best["wasmtime"], best.get("native")
        rows.append((case.name, case.kind, s, w, "identical" if not differences else "DIFFERENT",
                     "pass" if "swasm" not in checks else "FAIL", "pass" if "wasmtime" not in checks else "FAIL",
                     n, native_same))
        if peers and case.kind == "bench":
            peer_rows.append((case.name, samples, peer_same))
        print(f"{case.name}: " + ", ".join(f"{name} {best[name][0]:.2f} s" for name in samples) +
              f", {'identical' if not differences else 'DIFFERENT'}, check swasm {rows[-1][5]} wasmtime {rows[-1][6]}", flush=True)

    print()
    print(f"swasm: {args.swasm}; wasmtime: {args.wasmtime}; benchmarks: best of {runs} (wall time, the runtime's start and compilation included)")
    print()
    header = ("case", "kind", "swasm s", "wasmtime s", "swasm/wasmtime", "swasm CPU s", "wasmtime CPU s",
              "swasm MiB", "wasmtime MiB", "outputs", "check swasm", "check wasmtime", "native s", "native output")
    print("| " + " | ".join(header) + " |")
    print("|" + "|".join("---" for _ in header) + "|")
    for name, kind, s, w, same, cs, cw, n, ns in rows:
        print(f"| {name} | {kind} | {s[0]:.2f} | {w[0]:.2f} | {s[0] / w[0]:.2f} | {s[1]:.2f} | {w[1]:.2f} | "
              f"{s[2] / 1024:.0f} | {w[2] / 1024:.0f} | {same} | {cs} | {cw} | {f'{n[0]:.2f}' if n else '-'} | {ns} |")
    if peer_rows:
        print_peer_table(peer_rows, [r.name for r in runtimes + peers], runs)
    if problems:
        print("\nproblems:")
        for p in problems:
            print("  " + p)
    passed = sum(1 for r in rows if r[4] == "identical" and r[5] == "pass" and r[6] == "pass" and r[8] != "DIFFERENT")
    passed_peers = all(all(same.values()) for _, _, same in peer_rows)
    print(f"\nprograms: {passed} passed, {len(rows) - passed} failed" + ("" if passed_peers else "; a peer's output differed"))
    return 0 if passed == len(rows) and passed_peers else 1


PEER_NAMES = {"swasm": "swasm", "wasmtime": "wasmtime Cranelift", "pulley": "wasmtime Pulley", "wasmkit": "WasmKit"}


def print_peer_table(peer_rows, names, runs):
    """The benchmarks in every runtime: min / median wall seconds of `runs` and the least CPU
    seconds, each with its ratio to swasm's; swasm's speedup over WasmKit; whether each peer's
    outputs equal swasm's; and the geomean of the ratios per runtime."""
    print(f"\nBenchmarks in every runtime, whole process (start and compilation included), {runs} interleaved runs: "
          f"wall seconds min / median, least CPU seconds (user + system, all threads); (ratio) = min / swasm's min. "
          f"{WASM3_UNAVAILABLE}.\n")
    header = ["case"] + [PEER_NAMES[n] for n in names] + (["swasm speedup over WasmKit"] if "wasmkit" in names else []) + ["peers' outputs"]
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    ratios = {name: [] for name in names}
    for case, samples, same in peer_rows:
        wall_base, cpu_base = min(t[0] for t in samples["swasm"]), min(t[1] for t in samples["swasm"])
        cells = []
        for name in names:
            walls = sorted(t[0] for t in samples[name])
            cpu = min(t[1] for t in samples[name])
            median = (walls[(len(walls) - 1) // 2] + walls[len(walls) // 2]) / 2
            ratios[name].append((walls[0] / wall_base, cpu / cpu_base))
            ratio = lambda r: "" if name == "swasm" else f" ({r:.2f}x)"
            cells.append(f"{walls[0]:.2f} / {median:.2f}{ratio(walls[0] / wall_base)}, CPU {cpu:.2f}{ratio(cpu / cpu_base)}")
        if "wasmkit" in names:
            wall, cpu = ratios["wasmkit"][-1]
            cells.append(f"{wall:.2f}x wall, {cpu:.2f}x CPU")
        cells.append("identical" if all(same.values()) else "DIFFERENT: " + ", ".join(n for n, ok in same.items() if not ok))
        print(f"| {case} | " + " | ".join(cells) + " |")
    geomean = lambda values: math.exp(sum(math.log(v) for v in values) / len(values))
    print("| geomean of the ratios | " + " | ".join(
        "1" if name == "swasm" else f"{geomean([w for w, _ in ratios[name]]):.2f}x wall, {geomean([c for _, c in ratios[name]]):.2f}x CPU"
        for name in names) + (" | | |" if "wasmkit" in names else " | |"))


if __name__ == "__main__":
    sys.exit(main())
