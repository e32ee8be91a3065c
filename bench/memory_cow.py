#!/usr/bin/env python3
"""Instantiation from an artifact file with a 16 MiB data segment, copy-on-write memory
initialization on and off, in swasm and in wasmtime (bench/memory_cow.c, each figure from a fresh
process): the time to load the file, the time per instantiation (16 instances), what each
instance adds to the resident set, and what reading all its data adds to one. wasmtime runs the
same program built against its C library (PyPI `wasmtime` ships it).
Usage: memory_cow.py MEMORY_COW [--repeat N] [--instances N]
(MEMORY_COW is CMake's memory_cow target: build/bench/memory_cow)"""
import argparse
import os
import statistics
import subprocess
import tempfile

import wasmtime_peer


def figures(program, arguments, repeat):
    runs = []
    for _ in range(repeat):
        out = subprocess.run([program, *arguments], check=True, capture_output=True, text=True).stdout.split()
        runs.append({key: float(value) for key, value in zip(out[::2], out[1::2])})
    return {key: statistics.median(run[key] for run in runs) for key in runs[0]}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("program", help="build/bench/memory_cow")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--instances", type=int, default=16)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        runtimes = [("swasm", options.program)]
        peer = wasmtime_peer.build("bench/memory_cow.c", directory, "memory_cow_wasmtime")
        if peer:
            runtimes.append(("wasmtime", peer))
        print(f"{'runtime':<10} {'cow':<4} {'artifact (MiB)':>14} {'load (ms)':>10} {'instantiate (ms)':>17} "
              f"{'RSS/instance (MiB)':>19} {'RSS read (MiB)':>15}")
        for name, program in runtimes:
            for cow in ("on", "off"):
                path = os.path.join(directory, f"{name}-{cow}.cwasm")
                written = figures(program, ["write", path, "--cow", cow], 1)
                run = figures(program, ["run", path, "--cow", cow, str(options.instances)], options.repeat)
                print(f"{name:<10} {cow:<4} {written['artifact_kib'] / 1024:>14.1f} {run['load_ms']:>10.2f} "
                      f"{run['instantiate_ms']:>17.4f} {run['instance_rss_kib'] / 1024:>19.2f} {run['read_rss_kib'] / 1024:>15.1f}")


if __name__ == "__main__":
    main()
