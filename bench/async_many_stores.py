#!/usr/bin/env python3
"""One thread serving many stores with async calls, in swasm and in wasmtime: the same program
(examples/async_many_stores.c: STORES stores, each an async call of a counting loop yielding every
INTERVAL units of fuel, polled round-robin until all finish) built against each library (PyPI
`wasmtime` ships wasmtime's), run alternately REPEAT times. Prints the minimum and median time per
yield, the setup time (stores, async instantiations, futures) and the peak resident set.
Usage: async_many_stores.py ASYNC_MANY_STORES [--stores N] [--iterations N] [--interval N] [--repeat N]
(ASYNC_MANY_STORES is CMake's async_many_stores target: build/examples/async_many_stores)"""
import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile

import wasmtime_peer

LINE = re.compile(r"(\d+) stores, (\d+) yields, setup ([\d.]+) s, run ([\d.]+) s, (\d+) ns per yield, peak RSS ([\d.]+) MiB")


def wasmtime_program(directory):
    """The program built against wasmtime's C library, or None (with the reason on stderr)."""
    return wasmtime_peer.build("examples/async_many_stores.c", directory, "async_many_stores_wasmtime")


def run(program, arguments):
    out = subprocess.run([program, *arguments], check=True, capture_output=True, text=True).stdout
    match = LINE.search(out)
    if not match:
        sys.exit(f"{program}: unexpected output: {out!r}")
    _, yields, setup, total, per_yield, rss = match.groups()
    return {"yields": int(yields), "setup": float(setup), "run": float(total), "per_yield": int(per_yield), "rss": float(rss)}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("program")
    parser.add_argument("--stores", default="10000")
    parser.add_argument("--iterations", default="2000")
    parser.add_argument("--interval", default="1000")
    parser.add_argument("--repeat", type=int, default=5)
    options = parser.parse_args()
    arguments = [options.stores, options.iterations, options.interval]
    with tempfile.TemporaryDirectory() as directory:
        programs = {"swasm": options.program}
        other = wasmtime_program(directory)
        if other:
            programs["wasmtime"] = other
        runs = {name: [] for name in programs}
        for _ in range(options.repeat):  # interleaved, so that both see the same machine
            for name, program in programs.items():
                runs[name].append(run(program, arguments))
    print(f"{options.stores} stores, {options.iterations} iterations each, a yield every {options.interval} units of fuel; "
          f"{options.repeat} runs each, interleaved")
    print(f"{'runtime':10} {'yields':>8} {'ns/yield min':>13} {'median':>8} {'setup s':>8} {'peak RSS MiB':>13}")
    for name, results in runs.items():
        per_yield = [r["per_yield"] for r in results]
        print(f"{name:10} {results[0]['yields']:>8} {min(per_yield):>13} {statistics.median(per_yield):>8.0f} "
              f"{statistics.median(r['setup'] for r in results):>8.3f} {statistics.median(r['rss'] for r in results):>13.1f}")
    if "wasmtime" in runs:
        ratio = statistics.median(r["per_yield"] for r in runs["swasm"]) / statistics.median(r["per_yield"] for r in runs["wasmtime"])
        print(f"swasm / wasmtime time per yield: {ratio:.2f}")


if __name__ == "__main__":
    main()
