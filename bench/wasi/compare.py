#!/usr/bin/env python3
"""WASI programs under swasm, wasmtime's C library and wasm3, in one run on one machine: wall time
of each program (best of --repeat), its ratio to swasm's, and a check that every runtime printed
the same thing (README.md beside this file).

    compare.py [--work DIR] [--swasm PATH] [--wasmtime RUNNER] [--repeat N] [--input-mb N] [--brotli WASM]

Programs (built here from this folder with tests-c/wasi/build_programs.sh's toolchain):
  call_heavy  9 million WASI calls that do little (clock, environment sizes, stdout's status) and
              200,000 one-line fd_writes to stdout (a file)
  io_heavy    copies stdin to stdout in 64 KiB reads and writes (an input of --input-mb MB)
  brotli      with --brotli PATH (bench/programs builds it): `brotli -c -q 5` from stdin to stdout
              of the same input, a real program doing both compute and I/O

Runtimes: `swasm run` (build/bin/swasm), wasmtime 50.0.1's C library through
tests-c/wasi/wasi_capi_runner.c (build/tests-c/wasi/wasi_capi_runner_wasmtime, stdio inherited),
and wasm3 (the core of the PyPI sdist pywasm3==0.5.0, downloaded into --work, with
wasm3_wasi_runner.c: this project's minimal stdio-only WASI layer for it, since the sdist has no
WASI of its own).
"""
import argparse
import glob
import hashlib
import os
import shutil
import subprocess
import sys
import tarfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
PROJECT = os.path.dirname(os.path.dirname(HERE))
PROGRAMS = ["call_heavy", "io_heavy"]


def run(command, **kwargs):
    return subprocess.run(command, check=True, **kwargs)


def clang():
    swift = shutil.which("swift")
    if not swift:
        sys.exit("compare.py: no swift on PATH (its clang builds the programs)")
    return os.path.join(os.path.dirname(os.path.realpath(swift)), "clang")


def build_programs(work):
    """The programs of this folder for wasm32-wasi, with the toolchain build_programs.sh lays out."""
    toolchain_parent = os.path.join(work, "toolchain-programs")
    run([os.path.join(PROJECT, "tests-c", "wasi", "build_programs.sh"), toolchain_parent], stdout=subprocess.DEVNULL)
    toolchain = os.path.join(toolchain_parent, "toolchain")
    for name in PROGRAMS:
        run([clang(), "--target=wasm32-wasi", f"--sysroot={toolchain}/sysroot", "-resource-dir", f"{toolchain}/resource",
             "-O2", "-Wall", "-Wextra", "-Werror", os.path.join(HERE, f"{name}.c"), "-o", os.path.join(work, f"{name}.wasm")])


def build_wasm3(work):
    """wasm3's core from the pywasm3 sdist, with this folder's WASI runner."""
    runner = os.path.join(work, "wasm3_wasi_runner")
    if os.path.exists(runner):
        return runner
    downloads = os.path.join(work, "downloads")
    os.makedirs(downloads, exist_ok=True)
    if not glob.glob(os.path.join(downloads, "pywasm3-0.5.0.tar.gz")):
        run([sys.executable, "-m", "pip", "download", "pywasm3==0.5.0", "--no-binary", ":all:", "--no-deps", "-d", downloads, "-q"])
    with tarfile.open(os.path.join(downloads, "pywasm3-0.5.0.tar.gz")) as archive:
        archive.extractall(downloads)
    core = os.path.join(downloads, "pywasm3-0.5.0", "wasm3")
    # The runner with warnings on; wasm3's own sources as their build does (-O3, warnings off).
    run(["cc", "-O3", "-DNDEBUG", "-Wall", "-Wextra", "-Wno-unused-parameter", "-I", core, "-c",
         os.path.join(HERE, "wasm3_wasi_runner.c"), "-o", runner + ".o"])
    run(["cc", "-O3", "-DNDEBUG", "-w", "-I", core, runner + ".o"] + sorted(glob.glob(os.path.join(core, "*.c"))) + ["-lm", "-o", runner])
    return runner


def timed(command, stdin_path, stdout_path):
    with open(stdin_path or os.devnull, "rb") as stdin, open(stdout_path, "wb") as stdout:
        start = time.perf_counter()
        process = subprocess.run(command, stdin=stdin, stdout=stdout, stderr=subprocess.PIPE)
        elapsed = time.perf_counter() - start
    if process.returncode != 0:
        raise RuntimeError(f"exit status {process.returncode}: {process.stderr.decode(errors='replace').strip()[-200:]}")
    with open(stdout_path, "rb") as output:
        digest = hashlib.sha256(output.read()).hexdigest()[:16]
    return elapsed, digest + "/" + hashlib.sha256(process.stderr).hexdigest()[:8]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--work", default="/tmp/swasm-wasi-bench")
    parser.add_argument("--swasm", default=os.path.join(PROJECT, "build", "bin", "swasm"))
    parser.add_argument("--wasmtime", default=os.path.join(PROJECT, "build", "tests-c", "wasi", "wasi_capi_runner_wasmtime"))
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--input-mb", type=int, default=256)
    parser.add_argument("--brotli", help="brotli.wasm built by bench/programs/build_and_run.sh")
    args = parser.parse_args()
    os.makedirs(args.work, exist_ok=True)
    build_programs(args.work)
    runtimes = [("swasm", [args.swasm, "run"]),
                ("wasmtime", [args.wasmtime, "--inherit-stdin", "--inherit-stdout", "--inherit-stderr"]),
                ("wasm3", [build_wasm3(args.work)])]
    data = os.path.join(args.work, f"input-{args.input_mb}mb.bin")
    if not os.path.exists(data):
        # Compressible but not trivial: the project's sources repeated, with a counter.
        sources = b"".join(open(path, "rb").read() for path in sorted(glob.glob(os.path.join(PROJECT, "Sources", "Swasm", "**", "*.swift"), recursive=True)))
        with open(data, "wb") as out:
            written, round_number = 0, 0
            while written < args.input_mb << 20:
                chunk = b"round %d\n" % round_number + sources
                out.write(chunk)
                written += len(chunk)
                round_number += 1
    cases = [("call_heavy", [os.path.join(args.work, "call_heavy.wasm")], None),
             ("io_heavy", [os.path.join(args.work, "io_heavy.wasm")], data)]
    if args.brotli:
        cases.append(("brotli -c -q 5", [args.brotli, "-c", "-q", "5"], data))
    print(f"best of {args.repeat} wall-clock runs; ratio = time / swasm's time")
    print(f"{'program':<16}" + "".join(f"{name:>20}" for name, _ in runtimes) + "   outputs")
    failed = False
    for label, program, stdin_path in cases:
        times, digests = {}, {}
        for name, command in runtimes:
            best = None
            try:
                for _ in range(args.repeat):
                    elapsed, digest = timed(command + program, stdin_path, os.path.join(args.work, f"out-{name}"))
                    best = elapsed if best is None else min(best, elapsed)
                times[name], digests[name] = best, digest
            except (RuntimeError, OSError) as error:
                times[name], digests[name] = None, f"n/a ({error})"
        cells = []
        for name, _ in runtimes:
            if times[name] is None:
                cells.append(f"{'n/a':>20}")
            else:
                ratio = times[name] / times["swasm"] if times.get("swasm") else float("nan")
                cells.append(f"{times[name]:>10.3f} s {ratio:>5.2f}x")
        ran = {digests[name] for name in times if times[name] is not None}
        same = len(ran) == 1
        failed |= not same
        notes = "; ".join(f"{name}: {digests[name]}" for name in times if times[name] is None)
        print(f"{label:<16}" + "".join(cells) + ("   identical" if same else f"   DIFFER: {digests}") + (f" ({notes})" if notes else ""))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
