#!/usr/bin/env python3
"""Time and resident set of growing a linear memory, in swasm and in wasmtime: one memory.grow from
WebAssembly takes a memory of one page to 4 GiB (and, with memory64, to 8 GiB), then the last
byte is written. Each figure comes from a fresh process (bench/memory_growth.c): the growth's
time, the resident set and its peak (VmRSS, VmHWM) after it, and the resident set after the
write. wasmtime runs the same program built against its C library (PyPI `wasmtime` ships it);
--baseline LIB runs swasm's program on another libswasm.so (an older build, say) too.
Usage: memory_growth.py MEMORY_GROWTH [--baseline LIBSWASM] [--repeat N]
(MEMORY_GROWTH is CMake's memory_growth target: build/bench/memory_growth)"""
import argparse
import os
import statistics
import subprocess
import tempfile

import wasmtime_peer

CASES = [("4 GiB", ["65535"]), ("8 GiB, memory64", ["131071", "--memory64"])]


def wasmtime_program(directory):
    """The program built against wasmtime's C library, or None (with the reason on stderr)."""
    return wasmtime_peer.build("bench/memory_growth.c", directory, "memory_growth_wasmtime")


def measure(program, arguments, repeat, environment=None):
    """The runs' figures: the median of each (times in ms, sizes in MiB)."""
    runs = []
    for _ in range(repeat):
        out = subprocess.run([program, *arguments], check=True, capture_output=True, text=True, env=environment).stdout.split()
        runs.append({key: float(value) for key, value in zip(out[::2], out[1::2])})
    median = lambda key: statistics.median(run[key] for run in runs)
    return {"grow": median("grow_ms"), "rss": median("rss_kib") / 1024, "peak": median("peak_kib") / 1024,
            "touched": median("rss_touched_kib") / 1024}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("program", help="build/bench/memory_growth")
    parser.add_argument("--baseline", help="another libswasm.so to run the program on")
    parser.add_argument("--repeat", type=int, default=3)
    options = parser.parse_args()
    runtimes = [("swasm", options.program, None)]
    with tempfile.TemporaryDirectory() as directory:
        if options.baseline:
            for name in ("libswasm.so.0", "libswasm.so"):
                os.symlink(os.path.abspath(options.baseline), os.path.join(directory, name))
            runtimes.append(("swasm baseline", options.program, dict(os.environ, LD_LIBRARY_PATH=directory)))
        program = wasmtime_program(directory)
        if program:
            runtimes.append(("wasmtime", program, None))
        print(f"{'runtime':<16} {'memory':<16} {'grow (ms)':>10} {'RSS (MiB)':>10} {'peak (MiB)':>11} {'touched (MiB)':>14}")
        for case, arguments in CASES:
            for name, runner, environment in runtimes:
                repeat = 1 if name == "swasm baseline" else options.repeat
                try:
                    figures = measure(runner, arguments, repeat, environment)
                except subprocess.CalledProcessError as error:
                    reason = (error.stderr or "").strip().splitlines()
                    print(f"{name:<16} {case:<16} n/a ({reason[-1] if reason else f'exit status {error.returncode}'})")
                    continue
                print(f"{name:<16} {case:<16} {figures['grow']:>10.3f} {figures['rss']:>10.1f} {figures['peak']:>11.1f} "
                      f"{figures['touched']:>14.1f}")


if __name__ == "__main__":
    main()
