#!/usr/bin/env python3
"""Compile throughput: MB/s of wasmtime_module_new on a large module, beside the peers in the same
run (wasmtime's Cranelift and Pulley from the PyPI `wasmtime` package; the WasmKit CLI of the
Swift toolchain, whose `run` includes instantiation and call and translates functions lazily).

Usage: compile_throughput.py RUN_WORKLOAD [--functions N] [--wasm FILE]
Generates the module with gen_large_c.py and the toolchain's clang unless --wasm is given."""
import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time


def build_module(functions, workdir):
    here = os.path.dirname(os.path.abspath(__file__))
    source = os.path.join(workdir, "large.c")
    with open(source, "w") as f:
        subprocess.run([sys.executable, os.path.join(here, "gen_large_c.py"), str(functions)], stdout=f, check=True)
    clang = os.path.join(os.path.dirname(shutil.which("swift")), "clang")
    wasm = os.path.join(workdir, "large.wasm")
    subprocess.run([clang, "--target=wasm32", "-mcpu=mvp", "-nostdlib", "-O1", "-Wl,--no-entry", "-Wl,--export=run",
                    "-o", wasm, source], check=True)
    return wasm


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("run_workload")
    parser.add_argument("--functions", type=int, default=20000)
    parser.add_argument("--wasm")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    workdir = tempfile.mkdtemp()
    wasm = args.wasm or build_module(args.functions, workdir)
    data = open(wasm, "rb").read()
    megabytes = len(data) / 1e6
    print(f"module: {wasm}, {megabytes:.2f} MB")
    results = {}
    times = []
    for _ in range(args.repeat):
        out = subprocess.run([args.run_workload, wasm], capture_output=True, text=True, check=True).stdout
        times.append(float(re.search(r"compile ([0-9.]+) s", out).group(1)))
    results["swasm (decode, validate, translate all)"] = statistics.median(times)
    try:
        import wasmtime
        for name, target in (("wasmtime Cranelift", None), ("wasmtime Pulley", "pulley64")):
            samples = []
            for _ in range(args.repeat):
                config = wasmtime.Config()
                if target:
                    config.target = target
                engine = wasmtime.Engine(config)
                start = time.perf_counter()
                wasmtime.Module(engine, data)
                samples.append(time.perf_counter() - start)
            results[name] = statistics.median(samples)
    except ImportError:
        print("wasmtime (PyPI) not installed: skipped", file=sys.stderr)
    wasmkit = shutil.which("wasmkit")
    if wasmkit:
        samples = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            subprocess.run([wasmkit, "run", wasm, "run"], capture_output=True, check=True)
            samples.append(time.perf_counter() - start)
        results["WasmKit CLI (whole process, lazy translation)"] = statistics.median(samples)
    print("| runtime | seconds | MB/s |\n|---|---|---|")
    for name, seconds in results.items():
        print(f"| {name} | {seconds:.4f} | {megabytes / seconds:.1f} |")
    shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
