"""The runtimes bench/compare.py measures swasm against, made ready when missing, and one timed call of
a workload's `run()` in each.

- wasm3: PyPI `pywasm3`; wasmtime's Pulley interpreter and Cranelift JIT: PyPI `wasmtime==50.0.1`.
  Both are pip-installed when missing and called in this process.
- WasmKit 0.4.2: its release CLI built from the Swift package copy of this machine's toolchain, as
  ../shared/bench/README.md built it for the reference numbers (`swift build -c release --product
  wasmkit-cli` in a checkout of the tag), in a cache folder outside the source tree, reused when present.

Every runner returns a Sample: the wall time and the CPU time of the call alone where the runtime
lets us time it alone, and the checksum it returned (u32).
"""
import contextlib
import fcntl
import importlib
import importlib.metadata
import os
import re
import resource
import subprocess
import sys
import time
from dataclasses import dataclass

WASMTIME_VERSION = "50.0.1"
WASMKIT_VERSION = "0.4.2"
WASMKIT_REPOSITORY = "https://github.com/swiftwasm/WasmKit"


@dataclass
class Sample:
    wall: float      # seconds of the run() call
    cpu: float       # CPU seconds of the call (thread time), or of the whole process where marked
    checksum: int
    fuel: int = None  # swasm with --fuel: the units the call consumed
    gc: str = None    # swasm: its GC statistics, for workloads that collected


# ---- making the peers ready --------------------------------------------------------------------------

def pip_install(requirement):
    print(f"peers: pip install {requirement}", file=sys.stderr, flush=True)
    command = [sys.executable, "-m", "pip", "install", "--quiet", requirement]
    # Debian's system Python refuses installs outside a virtual environment (PEP 668).
    if subprocess.run(command).returncode != 0:
        subprocess.run(command + ["--break-system-packages"], check=True)
    importlib.invalidate_caches()


def installed_version(distribution):
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return None


def ensure_python_peers():
    """pywasm3 and wasmtime 50.0.1, installed with pip when missing (or another wasmtime version)."""
    if installed_version("pywasm3") is None:
        pip_install("pywasm3")
    if installed_version("wasmtime") != WASMTIME_VERSION:
        pip_install(f"wasmtime=={WASMTIME_VERSION}")


def default_cache_dir():
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "swasm-bench-peers")


@contextlib.contextmanager
def locked(path):
    """Holds an exclusive lock on `path` (several worktrees share the cache)."""
    with open(path, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def ensure_wasmkit(cache_dir, jobs):
    """The path of WasmKit 0.4.2's release wasmkit-cli, built into cache_dir/wasmkit-0.4.2 first when
    missing (a checkout of the tag, then `swift build -c release --product wasmkit-cli`: 7 minutes
    with 2 jobs on an idle 2-core machine, 21 with one job on the loaded development machine)."""
    root = os.path.join(cache_dir, f"wasmkit-{WASMKIT_VERSION}")
    source = os.path.join(root, "src")
    scratch = os.path.join(root, "build")
    stamp = os.path.join(root, "built")
    os.makedirs(root, exist_ok=True)
    with locked(os.path.join(root, ".lock")):
        if os.path.exists(stamp):
            cli = open(stamp).read().strip()
            if os.access(cli, os.X_OK):
                return cli
        if not os.path.isdir(os.path.join(source, ".git")):
            print(f"peers: cloning WasmKit {WASMKIT_VERSION} into {source}", file=sys.stderr, flush=True)
            subprocess.run(["git", "clone", "--quiet", "--branch", WASMKIT_VERSION, WASMKIT_REPOSITORY, source], check=True)
        build = ["swift", "build", "-c", "release", "--product", "wasmkit-cli", "--package-path", source,
                 "--scratch-path", scratch, "-j", str(jobs)]
        print(f"peers: building WasmKit's CLI ({' '.join(build)}); this takes minutes", file=sys.stderr, flush=True)
        subprocess.run(build, check=True)
        bin_dir = subprocess.run(build + ["--show-bin-path"], check=True, capture_output=True, text=True).stdout.strip()
        cli = os.path.join(bin_dir, "wasmkit-cli")
        with open(stamp, "w") as f:
            f.write(cli + "\n")
        return cli


# ---- one timed call in each runtime ------------------------------------------------------------------

def swasm(run_workload, path, flags=()):
    """bench/run_workload (libswasm's C API) in a child process; it times the call itself."""
    out = subprocess.run([run_workload, *flags, path], check=True, capture_output=True, text=True).stdout
    match = re.search(r" run ([0-9.]+) s +cpu ([0-9.]+) s .* checksum (\d+)", out)
    if not match:
        raise RuntimeError(f"unexpected output of run_workload: {out.strip()[:200]}")
    fuel = re.search(r" fuel consumed (\d+)", out)
    gc = re.search(r" gc (.*)$", out, re.MULTILINE)
    return Sample(float(match.group(1)), float(match.group(2)), int(match.group(3)),
                  fuel=int(fuel.group(1)) if fuel else None, gc=gc.group(1) if gc else None)


def wasm3(path):
    import wasm3 as w3
    with open(path, "rb") as f:
        module = f.read()
    with stderr_silenced():  # wasm3 prints a backtrace of thousands of frames on a trap
        env = w3.Environment()
        runtime = env.new_runtime(64 * 1024)
        runtime.load(env.parse_module(module))
        function = runtime.find_function("run")
        return timed_call(lambda: function())


@contextlib.contextmanager
def stderr_silenced():
    sys.stderr.flush()
    saved = os.dup(2)
    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, 2)
    try:
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(null)


def wasmtime(path, pulley):
    import wasmtime as wt
    config = wt.Config()
    if pulley:
        config.target = "pulley64"
    engine = wt.Engine(config)
    store = wt.Store(engine)
    instance = wt.Instance(store, wt.Module.from_file(engine, path), [])
    function = instance.exports(store)["run"]
    return timed_call(lambda: function(store))


def timed_call(call):
    start, cpu_start = time.perf_counter(), time.thread_time()
    result = call()
    cpu, wall = time.thread_time() - cpu_start, time.perf_counter() - start
    return Sample(wall, cpu, result & 0xffffffff)


# Eager compilation translates every function at instantiation, as swasm does before run(): the
# default, lazy, would translate during the timed call.
WASMKIT_RUN = ["run", "--compilation-mode", "eager"]


def wasmkit(cli, path, cpu_baseline=0.0):
    """`wasmkit-cli run -v FILE run`, which prints the wall time of the invocation alone. It cannot
    time the call's CPU: the cpu field is the process's CPU time less cpu_baseline, that of a run of
    an empty module (start and exit), so what remains is parsing, translation and the call."""
    before = children_cpu()
    out = subprocess.run([cli, *WASMKIT_RUN, "-v", path, "run"], check=True, capture_output=True, text=True)
    cpu = children_cpu() - before - cpu_baseline  # the children run one at a time
    text = out.stdout + out.stderr
    seconds = re.search(r"Finished invoking function .*: ([0-9.e-]+) seconds", text)
    checksum = re.search(r"\[i32\((-?\d+)\)\]", text)
    if not seconds or not checksum:
        raise RuntimeError(f"unexpected output of wasmkit-cli: {text.strip()[-200:]}")
    return Sample(float(seconds.group(1)), cpu, int(checksum.group(1)) & 0xffffffff)


def wasmkit_cpu_baseline(cli, empty_wasm, runs=5):
    """The least CPU time of a WasmKit CLI process running the empty workload."""
    times = []
    for _ in range(runs):
        before = children_cpu()
        subprocess.run([cli, *WASMKIT_RUN, empty_wasm, "run"], check=True, capture_output=True)
        times.append(children_cpu() - before)
    return min(times)


def children_cpu():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime
