#!/usr/bin/env python3
"""The guest profiler's cost in swasm and in wasmtime: the same program (bench/guest_profiler.c)
built against each library runs workloads plainly, with epoch interruption ticking every
millisecond (the callback only continues), and with the callback sampling into a guest profiler
each tick (as `wasmtime --profile=guest,...,1ms` does). Prints median times of --repeat
interleaved runs, the sampling overhead over epoch ticks alone, samples taken, the mean time of
one sample call (the profiler's own cost, unlike the run times insensitive to other load on the
machine), the time of finish and the profile's size.
Usage: guest_profiler.py GUEST_PROFILER BENCH_WASM_DIR [--repeat N] [WORKLOAD...]
(GUEST_PROFILER is CMake's guest_profiler target: build/bench/guest_profiler)"""
import argparse
import os
import statistics
import subprocess
import tempfile

import wasmtime_peer

MODES = ["plain", "epoch", "sample"]


def run(program, module, mode):
    out = subprocess.run([program, module, mode], check=True, capture_output=True, text=True).stdout.split()
    return {key: float(value) for key, value in zip(out[::2], out[1::2])}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("program")
    parser.add_argument("wasm_dir")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("workloads", nargs="*", default=["fib", "sieve", "matmul", "sha256", "calls"])
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        runtimes = [("swasm", options.program)]
        peer = wasmtime_peer.build("bench/guest_profiler.c", directory, "guest_profiler_wasmtime")
        if peer:
            runtimes.append(("wasmtime", peer))
        print(f"{'workload':<9} {'runtime':<9} {'plain s':>8} {'epoch s':>8} {'sample s':>9} {'overhead':>9} "
              f"{'samples':>8} {'µs/sample':>10} {'finish ms':>10} {'profile KiB':>12}")
        for workload in options.workloads:
            module = os.path.join(options.wasm_dir, workload + ".wasm")
            figures = {}
            for _ in range(options.repeat):
                for mode in MODES:
                    for name, program in runtimes:
                        figures.setdefault((name, mode), []).append(run(program, module, mode))
            for name, _ in runtimes:
                median = {mode: statistics.median(f["seconds"] for f in figures[(name, mode)]) for mode in MODES}
                sampled = figures[(name, "sample")]
                overhead = (median["sample"] / median["epoch"] - 1) * 100
                print(f"{workload:<9} {name:<9} {median['plain']:>8.3f} {median['epoch']:>8.3f} {median['sample']:>9.3f} "
                      f"{overhead:>+8.1f}% {statistics.median(f['samples'] for f in sampled):>8.0f} "
                      f"{statistics.median(f['sample_us'] for f in sampled):>10.2f} "
                      f"{statistics.median(f['finish_ms'] for f in sampled):>10.2f} "
                      f"{statistics.median(f['profile_bytes'] for f in sampled) / 1024:>12.1f}")


if __name__ == "__main__":
    main()
