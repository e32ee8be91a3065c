#!/usr/bin/env python3
"""Instantiation cost in swasm and in wasmtime, with and without the pooling allocator: the same
program (bench/instantiation.c) built against each library runs a small module (one memory with
data, a table, globals, four functions) and a large one (5,000 functions, 1 MiB of data, a table
of 5,000 elements) and reports the median time of store new + instantiate + store delete, the
allocation calls per such cycle, and the resident memory each live instance (with one call made)
adds. Runs are interleaved; medians of --repeat runs.
Usage: instantiation.py INSTANTIATION [--repeat N]
(INSTANTIATION is CMake's instantiation target: build/bench/instantiation)"""
import argparse
import statistics
import subprocess
import tempfile

import wasmtime_peer

CASES = [("small", []), ("small", ["--pooled"]), ("large", []), ("large", ["--pooled"])]


def run(program, module, flags):
    out = subprocess.run([program, module, *flags], check=True, capture_output=True, text=True).stdout.split()
    return {key: float(value) for key, value in zip(out[::2], out[1::2])}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("program", help="build/bench/instantiation")
    parser.add_argument("--repeat", type=int, default=3)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        runtimes = [("swasm", options.program)]
        peer = wasmtime_peer.build("bench/instantiation.c", directory, "instantiation_wasmtime")
        if peer:
            runtimes.append(("wasmtime", peer))
        figures = {}
        for _ in range(options.repeat):
            for module, flags in CASES:
                for name, program in runtimes:
                    figures.setdefault((module, tuple(flags), name), []).append(run(program, module, flags))
        print(f"{'module':<8} {'allocator':<10} {'runtime':<9} {'cycle (µs)':>11} {'allocations':>12} {'KiB/instance':>13}")
        for module, flags in CASES:
            for name, _ in runtimes:
                runs = figures[(module, tuple(flags), name)]
                median = lambda key: statistics.median(run[key] for run in runs)
                print(f"{module:<8} {'pooling' if flags else 'on demand':<10} {name:<9} {median('cycle_us'):>11.2f} "
                      f"{median('allocs'):>12.1f} {median('kib_per_inst'):>13.1f}")


if __name__ == "__main__":
    main()
