#!/usr/bin/env python3
"""Runs the benchmark workloads in swasm and in the peer runtimes, in one run on one machine, and
prints each runtime's time for the `run()` call and its ratio to swasm's, with the checksums.

Peers: wasm3 (PyPI `pywasm3`), wasmtime's Pulley interpreter and Cranelift JIT (PyPI `wasmtime`),
and with --wasmkit PATH the CLI of WasmKit built from its Swift package (`wasmkit-cli run -v`
prints the time of the call alone; ../shared/bench/README.md says how to build 0.4.2).
Workloads: the `shared` set of ../shared/bench, the `extra` set of bench/workloads (floats,
dispatch, calls, bulk memory, i64, tail calls, exceptions) and its `gc` set (binary trees, a list
sort); --workloads picks sets or single workloads, default all.
A runtime that cannot run a workload gets "n/a (reason)" in its cell.
Usage: compare.py RUN_WORKLOAD WASM_DIR [--repeat N] [--best] [--wasmkit PATH] [--workloads SET_OR_NAME,...]
(RUN_WORKLOAD and the modules in WASM_DIR come from CMake's `bench` target)"""
import argparse
import os
import re
import statistics
import subprocess
import sys
import time

WORKLOAD_SETS = {
    "shared": ["fib", "sieve", "xorshift", "matmul", "sha256"],
    "extra": ["nbody", "mandelbrot", "stackvm", "calls", "lzcompress", "bignum", "floatconv", "tailcalls", "exceptions"],
    # WebAssembly GC (structs and arrays allocated and collected); wasm3 has no GC.
    "gc": ["binarytrees", "listsort"],
}
WORKLOAD_SETS["all"] = WORKLOAD_SETS["shared"] + WORKLOAD_SETS["extra"] + WORKLOAD_SETS["gc"]


def selected_workloads(spec):
    """Expands a comma-separated list of set names and workload names, keeping the first of duplicates."""
    names = []
    for item in filter(None, (part.strip() for part in spec.split(","))):
        for name in WORKLOAD_SETS.get(item, [item]):
            if name not in names:
                names.append(name)
    return names


def failure_reason(error):
    """A short reason for an "n/a" cell: the last line of a subprocess's stderr, or the error's text."""
    if isinstance(error, subprocess.CalledProcessError) and not (error.stderr or "").strip():
        return f"exit status {error.returncode}"
    text = (getattr(error, "stderr", None) or str(error) or type(error).__name__).strip()
    line = text.splitlines()[-1].strip() if text else type(error).__name__
    return line if len(line) <= 60 else line[:57] + "..."


# The GC statistics run_workload printed for each workload (its last run), shown after the table.
GC_STATISTICS = {}


def swasm(run_workload, path):
    out = subprocess.run([run_workload, path], check=True, capture_output=True, text=True).stdout
    match = re.search(r"run ([0-9.]+) s .* checksum (\d+)", out)
    gc = re.search(r" gc (.*)$", out, re.MULTILINE)
    if gc:
        GC_STATISTICS[os.path.basename(path)] = gc.group(1)
    return float(match.group(1)), int(match.group(2))


def wasm3(path):
    import wasm3 as w3
    env = w3.Environment()
    runtime = env.new_runtime(64 * 1024)
    runtime.load(env.parse_module(open(path, "rb").read()))
    function = runtime.find_function("run")
    start = time.perf_counter()
    result = function()
    return time.perf_counter() - start, result & 0xffffffff


def wasmkit(cli, path):
    out = subprocess.run([cli, "run", "-v", path, "run"], check=True, capture_output=True, text=True)
    text = out.stdout + out.stderr
    seconds = float(re.search(r"Finished invoking function .*: ([0-9.]+) seconds", text).group(1))
    checksum = int(re.search(r"\[i32\((-?\d+)\)\]", text).group(1))
    return seconds, checksum & 0xffffffff


def wasmtime(path, pulley):
    import wasmtime as wt
    config = wt.Config()
    if pulley:
        config.target = "pulley64"
    engine = wt.Engine(config)
    store = wt.Store(engine)
    instance = wt.Instance(store, wt.Module.from_file(engine, path), [])
    function = instance.exports(store)["run"]
    start = time.perf_counter()
    result = function(store)
    return time.perf_counter() - start, result & 0xffffffff


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("run_workload")
    parser.add_argument("wasm_dir")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--best", action="store_true",
                        help="report each runtime's fastest run instead of the median (steadier on a shared machine)")
    parser.add_argument("--wasmkit", help="path of a wasmkit-cli executable")
    parser.add_argument("--workloads", default="all",
                        help="comma-separated sets (" + ", ".join(WORKLOAD_SETS) + ") or workload names")
    args = parser.parse_args()
    runtimes = [("swasm", lambda p: swasm(args.run_workload, p)), ("wasm3", wasm3)]
    if args.wasmkit:
        runtimes.append(("wasmkit", lambda p: wasmkit(args.wasmkit, p)))
    runtimes += [("pulley", lambda p: wasmtime(p, True)), ("wasmtime-jit", lambda p: wasmtime(p, False))]
    statistic = min if args.best else statistics.median
    print(f"{'fastest' if args.best else 'median'} of {args.repeat} runs, seconds of the run() call; ratio = time / swasm time")
    print("| workload | " + " | ".join(name for name, _ in runtimes) + " | checksums agree |")
    print("|---|" + "---|" * (len(runtimes) + 1))
    for workload in selected_workloads(args.workloads):
        path = os.path.join(args.wasm_dir, workload + ".wasm")
        if not os.path.exists(path):
            print(f"skipping {workload}: no {path} (build the bench target)", file=sys.stderr)
            continue
        times = {name: [] for name, _ in runtimes}
        sums = {}  # runtime -> checksums it returned
        failures = {}  # runtime -> reason of its first failure
        for _ in range(args.repeat):
            for name, run in runtimes:  # interleaved, so machine load affects all alike
                if name in failures:
                    continue
                try:
                    seconds, checksum = run(path)
                    times[name].append(seconds)
                    sums.setdefault(name, set()).add(checksum)
                except Exception as error:  # a peer that is not installed or lacks a feature
                    failures[name] = failure_reason(error)
                    print(f"{name} {workload}: {error}", file=sys.stderr)
        medians = {name: statistic(values) for name, values in times.items() if name not in failures}
        base = medians.get("swasm")
        cells = []
        for name, _ in runtimes:
            if name in failures:
                cells.append(f"n/a ({failures[name]})")
            else:
                ratio = f" ({medians[name] / base:.2f}x)" if base else ""
                cells.append(f"{medians[name]:.3f}{ratio}")
        distinct = set().union(*sums.values()) if sums else set()
        if not distinct:
            agreement = "n/a (no runtime ran it)"
        elif len(distinct) == 1:
            agreement = f"yes ({distinct.pop()})"
        else:
            agreement = "NO: " + ", ".join(f"{name}={sorted(values)}" for name, values in sums.items())
        print(f"| {workload} | " + " | ".join(cells) + f" | {agreement} |", flush=True)
    for name, text in GC_STATISTICS.items():
        print(f"swasm gc, {name}: {text}")


if __name__ == "__main__":
    main()
