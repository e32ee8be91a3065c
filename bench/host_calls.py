#!/usr/bin/env python3
"""The cost of crossing the C boundary in swasm and in wasmtime: the same program
(bench/host_calls.c) built against each library calls an identity function from the host
(wasmtime_func_call and wasmtime_func_call_unchecked) and runs a loop in WebAssembly that calls a
host function (a checked and a raw-value callback). Each run reports the best of five rounds in ns
per call; runs alternate between the libraries, and the table gives the minimum and the median of
--repeat runs and swasm's median over wasmtime's.
Usage: host_calls.py HOST_CALLS [--wasmtime PROGRAM] [--repeat N] [--iterations N]
(HOST_CALLS is CMake's host_calls target: build/bench/host_calls; without --wasmtime the program
is built against the PyPI wasmtime package's library)"""
import argparse
import statistics
import subprocess
import tempfile

import wasmtime_peer

PATHS = [("host_to_wasm_checked_ns", "host -> wasm, wasmtime_func_call"),
         ("host_to_wasm_raw_ns", "host -> wasm, wasmtime_func_call_unchecked"),
         ("wasm_to_host_checked_ns", "wasm -> host, checked callback"),
         ("wasm_to_host_raw_ns", "wasm -> host, raw callback")]


def run(program, iterations):
    out = subprocess.run([program, str(iterations)], check=True, capture_output=True, text=True).stdout.split()
    return {key: float(value) for key, value in zip(out[::2], out[1::2])}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("program", help="build/bench/host_calls")
    parser.add_argument("--wasmtime", help="bench/host_calls.c already built against wasmtime's library")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--iterations", type=int, default=2000000)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        runtimes = [("swasm", options.program)]
        peer = options.wasmtime or wasmtime_peer.build("bench/host_calls.c", directory, "host_calls_wasmtime")
        if peer:
            runtimes.append(("wasmtime", peer))
        figures = {}
        for _ in range(options.repeat):
            for name, program in runtimes:
                for key, value in run(program, options.iterations).items():
                    figures.setdefault((key, name), []).append(value)
    header = f"{'path (ns per call)':<45}" + "".join(f" {name + ' min':>13} {name + ' median':>15}" for name, _ in runtimes)
    print(header + (f" {'ratio':>6}" if len(runtimes) == 2 else ""))
    for key, label in PATHS:
        line = f"{label:<45}"
        medians = []
        for name, _ in runtimes:
            values = figures[(key, name)]
            medians.append(statistics.median(values))
            line += f" {min(values):>13.1f} {medians[-1]:>15.1f}"
        if len(medians) == 2:
            line += f" {medians[0] / medians[1]:>6.2f}"
        print(line)


if __name__ == "__main__":
    main()
