#!/usr/bin/env python3
"""Precompiled modules: compile versus deserialize, for a generated multi-megabyte module and the
benchmark modules, with wasmtime's own figures (PyPI `wasmtime`: Cranelift and Pulley compile
versus Module.deserialize) measured in the same run for context.

Usage: artifact_load.py ARTIFACT_LOAD BENCH_WASM_DIR [--functions N] [--repeat N]"""
import argparse
import glob
import os
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from compile_throughput import build_module  # noqa: E402


def wasmtime_figures(path, repeat):
    try:
        import wasmtime
    except ImportError:
        return None
    data = open(path, "rb").read()
    rows = []
    for name, target in (("Cranelift", None), ("Pulley", "pulley64")):
        config = wasmtime.Config()
        if target:
            config.target = target
        engine = wasmtime.Engine(config)
        compile_times, load_times = [], []
        module = None
        for _ in range(repeat):
            start = time.perf_counter()
            module = wasmtime.Module(engine, data)
            compile_times.append(time.perf_counter() - start)
        artifact = module.serialize()
        for _ in range(repeat):
            start = time.perf_counter()
            wasmtime.Module.deserialize(engine, artifact)
            load_times.append(time.perf_counter() - start)
        rows.append((name, statistics.median(compile_times), statistics.median(load_times)))
    return rows


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("artifact_load")
    parser.add_argument("bench_dir")
    parser.add_argument("--functions", type=int, default=20000)
    parser.add_argument("--repeat", type=int, default=9)
    args = parser.parse_args()
    workdir = tempfile.mkdtemp()
    large = build_module(args.functions, workdir)
    modules = [large] + sorted(glob.glob(os.path.join(args.bench_dir, "*.wasm")))
    print("swasm (median of %d, milliseconds):" % args.repeat)
    subprocess.run([args.artifact_load, "--repeat", str(args.repeat)] + modules, check=True)
    rows = wasmtime_figures(large, max(3, args.repeat // 3))
    if rows:
        print("\nwasmtime (PyPI), generated module, same run:")
        print("| engine | compile ms | deserialize ms | speedup |\n|---|---|---|---|")
        for name, compile_time, load_time in rows:
            print(f"| {name} | {compile_time * 1e3:.3f} | {load_time * 1e3:.3f} | {compile_time / load_time:.1f}x |")
    else:
        print("wasmtime (PyPI) not installed: its figures are skipped", file=sys.stderr)


if __name__ == "__main__":
    main()
