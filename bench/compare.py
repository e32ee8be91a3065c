#!/usr/bin/env python3
"""Runs the benchmark workloads in swasm and in the peer runtimes, in one run on one machine, and
prints each runtime's time for the `run()` call and its ratio to swasm's, with the checksums.

Peers: wasm3 (PyPI `pywasm3`), wasmtime's Pulley interpreter and Cranelift JIT (PyPI `wasmtime`),
and with --wasmkit PATH the CLI of WasmKit built from its Swift package (`wasmkit-cli run -v`
prints the time of the call alone; ../shared/bench/README.md says how to build 0.4.2).
Usage: compare.py RUN_WORKLOAD WASM_DIR [--repeat N] [--wasmkit PATH]   (run_workload: CMake)"""
import argparse
import os
import re
import statistics
import subprocess
import sys
import time

WORKLOADS = ["fib", "sieve", "xorshift", "matmul", "sha256"]


def swasm(run_workload, path):
    out = subprocess.run([run_workload, path], check=True, capture_output=True, text=True).stdout
    match = re.search(r"run ([0-9.]+) s .* checksum (\d+)", out)
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
    parser.add_argument("--wasmkit", help="path of a wasmkit-cli executable")
    args = parser.parse_args()
    runtimes = [("swasm", lambda p: swasm(args.run_workload, p)), ("wasm3", wasm3)]
    if args.wasmkit:
        runtimes.append(("wasmkit", lambda p: wasmkit(args.wasmkit, p)))
    runtimes += [("pulley", lambda p: wasmtime(p, True)), ("wasmtime-jit", lambda p: wasmtime(p, False))]
    print(f"median of {args.repeat} runs, seconds of the run() call; ratio = time / swasm time")
    print("| workload | " + " | ".join(name for name, _ in runtimes) + " | checksums agree |")
    print("|---|" + "---|" * (len(runtimes) + 1))
    for workload in WORKLOADS:
        path = os.path.join(args.wasm_dir, workload + ".wasm")
        times = {name: [] for name, _ in runtimes}
        sums = set()
        for _ in range(args.repeat):
            for name, run in runtimes:  # interleaved, so machine load affects all alike
                try:
                    seconds, checksum = run(path)
                    times[name].append(seconds)
                    sums.add(checksum)
                except Exception as error:  # a peer that is not installed
                    times[name].append(float("nan"))
                    print(f"{name} {workload}: {error}", file=sys.stderr)
        medians = {name: statistics.median(values) for name, values in times.items()}
        base = medians["swasm"]
        cells = [f"{medians[name]:.3f} ({medians[name] / base:.2f}x)" for name, _ in runtimes]
        print(f"| {workload} | " + " | ".join(cells) + f" | {'yes' if len(sums) == 1 else 'NO: ' + str(sums)} |", flush=True)


if __name__ == "__main__":
    main()
