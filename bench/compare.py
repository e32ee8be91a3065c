#!/usr/bin/env python3
"""Measures swasm against its peers in one run on one machine: the one benchmark command.

    bench/compare.py [--repeat N] [--quick] [--parts workloads,overhead,programs | --all]
                     [--clock cpu|wall] [--statistic min|median] [--workloads SET_OR_NAME,...]
                     [--build-dir DIR] [--no-build] [--wasmkit PATH | --no-wasmkit] [--peers-dir DIR]

Parts (default: workloads):
  workloads  every workload in swasm (bench/run_workload, libswasm's C API), wasm3 (PyPI pywasm3),
             WasmKit 0.4.2's CLI, wasmtime 50.0.1's Pulley interpreter and Cranelift JIT (PyPI
             wasmtime), interleaved, --repeat times; per workload the min and median seconds of the
             run() call alone and the ratio to wasm3, swasm's speedup over WasmKit, the checksums
             (which must agree), and the geomean per runtime relative to wasm3 over the shared and
             extra sets, against the targets (swasm <= 0.45x wasm3, >= 1.25x faster than WasmKit).
  overhead   every workload in swasm plain, fuel-metered (a budget it cannot exhaust) and
             epoch-checked (a deadline out of reach), interleaved: the ratios to plain (target 1.05).
  programs   the real programs of bench/programs (Lua, brotli, SQLite as WASI commands) under swasm,
             wasmtime (Cranelift), Pulley and WasmKit: bench/programs/build_and_run.sh --benchmarks.

Workload sets: `shared` (../shared/bench), `extra` (bench/workloads), `gc` (bench/workloads, GC
proposal; wasm3 and WasmKit have no GC). Clocks: `cpu` (default) is the calling thread's CPU time of
the call (swasm, wasm3, wasmtime) and, for WasmKit's CLI, which can time the call only by wall
clock, its process's CPU time less that of a run of the empty module; `wall` is the monotonic time
of the call. On a shared machine the wall clock counts the time other processes had the core (3x
the CPU time at a load of 5 on 2 cores); the summary gives the geomeans by both clocks.
What it needs is made first: swasm's build (cmake --build BUILD -j1 --target ...), the pip
packages when missing, WasmKit's CLI built once into --peers-dir (default
$XDG_CACHE_HOME/swasm-bench-peers). Exit status 1 when checksums or program outputs disagree.
"""
import argparse
import os
import subprocess
import sys

import peers
import report
from report import Timings

HERE = os.path.dirname(os.path.abspath(__file__))
PROJECT = os.path.dirname(HERE)

WORKLOAD_SETS = {
    "shared": ["fib", "sieve", "xorshift", "matmul", "sha256"],
    "extra": ["nbody", "mandelbrot", "stackvm", "calls", "lzcompress", "bignum", "floatconv", "tailcalls", "exceptions"],
    "gc": ["binarytrees", "listsort"],
}
WORKLOAD_SETS["all"] = WORKLOAD_SETS["shared"] + WORKLOAD_SETS["extra"] + WORKLOAD_SETS["gc"]
GEOMEAN_SET = WORKLOAD_SETS["shared"] + WORKLOAD_SETS["extra"]
TARGET_VS_WASM3 = 0.45
TARGET_VS_WASMKIT = 1.25
TARGET_OVERHEAD = 1.05
FUEL_BUDGET = 10 ** 18
CLOCK_NAMES = {"cpu": "CPU time", "wall": "wall-clock time"}
DISPLAY_NAMES = {"swasm": "swasm", "wasm3": "wasm3", "wasmkit": "WasmKit 0.4.2", "pulley": "wasmtime Pulley",
                 "cranelift": "wasmtime Cranelift (JIT)"}


def selected_workloads(spec):
    names = []
    for item in filter(None, (part.strip() for part in spec.split(","))):
        for name in WORKLOAD_SETS.get(item, [item]):
            if name not in names:
                names.append(name)
    return names


def failure_reason(error):
    """A short reason for an "n/a" cell: the last line of a child's stderr, or the error's text."""
    if isinstance(error, subprocess.CalledProcessError) and not (error.stderr or "").strip():
        return f"exit status {error.returncode}"
    text = (getattr(error, "stderr", None) or str(error) or type(error).__name__).strip()
    line = text.splitlines()[-1].strip() if text else type(error).__name__
    return line if len(line) <= 60 else line[:57] + "..."


def measure(workloads, variants, wasm_dir, repeat):
    """Runs each workload in every variant (name, run(path) -> Sample), interleaved `repeat` times,
    so that machine load falls on all alike. Yields (workload, {name: Timings}, {name: reason})."""
    for workload in workloads:
        path = os.path.join(wasm_dir, workload + ".wasm")
        if not os.path.exists(path):
            print(f"skipping {workload}: no {path}", file=sys.stderr)
            continue
        timings = {name: Timings() for name, _ in variants}
        failures = {}
        for _ in range(repeat):
            for name, run in variants:
                if name in failures:
                    continue
                try:
                    timings[name].add(run(path))
                except Exception as error:  # a peer that lacks a feature
                    failures[name] = failure_reason(error)
        yield workload, {n: t for n, t in timings.items() if n not in failures}, failures


def checksum_problem(workload, timings):
    sums = {name: t.checksums() for name, t in timings.items()}
    if len(set().union(*sums.values())) <= 1:
        return None
    return f"CHECKSUMS DISAGREE on {workload}: " + ", ".join(f"{n}={sorted(v)}" for n, v in sums.items())


def workloads_part(args, runtimes):
    names = [name for name, _ in runtimes]
    clock, statistic = args.clock, args.statistic
    print(f"\n## Workloads: {CLOCK_NAMES[clock]} of the run() call in seconds, min / median of {args.repeat} interleaved runs; "
          f"(ratio) = {statistic} / wasm3's {statistic}\n")
    header = ["workload"] + [DISPLAY_NAMES[n] for n in names] + (["swasm speedup over WasmKit"] if "wasmkit" in names else []) + ["checksum"]
    print("| " + " | ".join(header) + " |\n|" + "---|" * len(header), flush=True)
    ratios = {name: {} for name in names}           # runtime -> workload -> {clock: time / wasm3's}
    speedups, problems, gc_notes = {}, [], []
    for workload, timings, failures in measure(selected_workloads(args.workloads), runtimes, args.wasm_dir, args.repeat):
        base = timings.get("wasm3")
        cells = []
        for name in names:
            if name in failures:
                cells.append(f"n/a ({failures[name]})")
                continue
            if base:
                ratios[name][workload] = {c: report.statistic_of(timings[name], c, statistic) /
                                          report.statistic_of(base, c, statistic) for c in ("wall", "cpu")}
            cells.append(report.cell(timings[name], clock, ratios[name].get(workload, {}).get(clock)))
        if "swasm" in timings and "wasmkit" in timings:
            speedups[workload] = (report.statistic_of(timings["wasmkit"], clock, statistic) /
                                  report.statistic_of(timings["swasm"], clock, statistic))
            cells.append(f"{speedups[workload]:.3f}x" + ("" if speedups[workload] >= TARGET_VS_WASMKIT else " (below)"))
        elif "wasmkit" in names:
            cells.append("n/a")
        problem = checksum_problem(workload, timings)
        if problem:
            problems.append(problem)
            print(report.loud(problem), file=sys.stderr)
        sums = set().union(*(t.checksums() for t in timings.values())) if timings else set()
        cells.append("DISAGREE" if problem else (str(sums.pop()) if sums else "n/a"))
        print(f"| {workload} | " + " | ".join(cells) + " |", flush=True)
        if "swasm" in timings and timings["swasm"].samples[-1].gc:
            gc_notes.append(f"{workload}: {timings['swasm'].samples[-1].gc}")

    for note in gc_notes:
        print(f"swasm's GC, {note}")
    print_summary(names, ratios, speedups, clock, statistic)
    return problems


def print_summary(names, ratios, speedups, clock, statistic):
    """The geomeans relative to wasm3 by both clocks, and the issue's targets."""
    print(f"\nGeomean of time relative to wasm3 over the shared + extra workloads both ran ({statistic} of each clock):\n")
    rows = []
    for name in names:
        shared = [w for w in GEOMEAN_SET if w in ratios[name]]
        wall = report.geomean(ratios[name][w]["wall"] for w in shared)
        cpu = report.geomean(ratios[name][w]["cpu"] for w in shared)
        rows.append([DISPLAY_NAMES[name], f"{wall:.3f}x" if wall else "n/a", f"{cpu:.3f}x" if cpu else "n/a", f"{len(shared)}: " + " ".join(shared)])
    print(report.table(["runtime", "wall clock", "CPU time", "workloads"], rows))
    swasm_geomean = report.geomean(ratios["swasm"][w][clock] for w in GEOMEAN_SET if w in ratios["swasm"])
    print()
    if swasm_geomean:
        verdict = "met" if swasm_geomean <= TARGET_VS_WASM3 else "NOT met"
        print(f"target geomean <= {TARGET_VS_WASM3}x wasm3 ({clock} clock): {swasm_geomean:.3f}x, {verdict}")
    if speedups:
        below = [f"{w} {s:.3f}x" for w, s in speedups.items() if s < TARGET_VS_WASMKIT]
        print(f"target swasm >= {TARGET_VS_WASMKIT}x faster than WasmKit on every workload: "
              f"{len(speedups) - len(below)} of {len(speedups)} met, geomean {report.geomean(speedups.values()):.2f}x"
              + (f"; below: {', '.join(below)}" if below else ""))


def overhead_part(args):
    variants = [("plain", lambda p: peers.swasm(args.run_workload, p)),
                ("fuel", lambda p: peers.swasm(args.run_workload, p, ["--fuel", str(FUEL_BUDGET)])),
                ("epoch", lambda p: peers.swasm(args.run_workload, p, ["--epoch"]))]
    clock, statistic = args.clock, args.statistic
    print(f"\n## Fuel and epoch overhead in swasm: {CLOCK_NAMES[clock]} of the run() call in seconds, min / median of "
          f"{args.repeat} interleaved runs; (ratio) = {statistic} / plain's (target <= {TARGET_OVERHEAD})\n")
    header = ["workload", "plain", "fuel", "epoch", "fuel consumed"]
    print("| " + " | ".join(header) + " |\n|" + "---|" * len(header), flush=True)
    ratios, problems = {"fuel": [], "epoch": []}, []
    for workload, timings, failures in measure(selected_workloads(args.workloads), variants, args.wasm_dir, args.repeat):
        cells = []
        for name, _ in variants:
            if name in failures:
                cells.append(f"n/a ({failures[name]})")
            elif name == "plain" or "plain" not in timings:
                cells.append(report.cell(timings[name], clock))
            else:
                ratio = report.statistic_of(timings[name], clock, statistic) / report.statistic_of(timings["plain"], clock, statistic)
                ratios[name].append(ratio)
                cells.append(report.cell(timings[name], clock, ratio) + ("" if ratio <= TARGET_OVERHEAD else " above 1.05"))
        fuel = timings["fuel"].samples[-1].fuel if "fuel" in timings else None
        cells.append(f"{fuel:.3g}" if fuel is not None else "n/a")
        problem = checksum_problem(workload, timings)
        if problem:
            problems.append(problem)
            print(report.loud(problem), file=sys.stderr)
        print(f"| {workload} | " + " | ".join(cells) + " |", flush=True)
    for name, values in ratios.items():
        if values:
            over = sum(1 for r in values if r > TARGET_OVERHEAD)
            print(f"{name}: geomean {report.geomean(values):.3f}x plain, worst {max(values):.3f}x; "
                  f"{len(values) - over} of {len(values)} within {TARGET_OVERHEAD}x")
    return problems


def programs_part(args, wasmkit_cli):
    command = [os.path.join(HERE, "programs", "build_and_run.sh"), "--benchmarks", "--runs", str(args.program_runs),
               "--peers", "pulley" + (",wasmkit" if wasmkit_cli else ""), "--swasm", os.path.join(args.build_dir, "bin", "swasm")]
    if wasmkit_cli:
        command += ["--wasmkit", wasmkit_cli]
    if args.quick:
        command.append("--quick")
    print("\n## Real programs: " + " ".join(command), flush=True)
    status = subprocess.run(command).returncode
    return [] if status == 0 else [f"bench/programs: exit status {status} (outputs differed, a check failed or a build failed)"]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, help="interleaved runs of each workload (default 5, 2 with --quick)")
    parser.add_argument("--quick", action="store_true", help="the CI's short run: 2 repeats, programs --quick")
    parser.add_argument("--program-runs", type=int, default=3, help="interleaved runs of each program (default 3)")
    parser.add_argument("--parts", default="workloads", help="comma-separated: workloads, overhead, programs")
    parser.add_argument("--all", action="store_true", help="every part")
    parser.add_argument("--clock", choices=["cpu", "wall"], default="cpu")
    parser.add_argument("--statistic", choices=["min", "median"], default="min", help="what the ratios compare")
    parser.add_argument("--workloads", default="all", help="sets (" + ", ".join(WORKLOAD_SETS) + ") or names, comma-separated")
    parser.add_argument("--build-dir", default=os.path.join(PROJECT, "build"))
    parser.add_argument("--no-build", action="store_true", help="use the build as it is")
    parser.add_argument("--wasmkit", help="a wasmkit-cli to use instead of building WasmKit 0.4.2")
    parser.add_argument("--no-wasmkit", action="store_true")
    parser.add_argument("--peers-dir", default=peers.default_cache_dir(), help="cache of built peers")
    parser.add_argument("--jobs", type=int, default=1, help="parallel jobs of the builds (the machine is shared)")
    args = parser.parse_args()
    args.repeat = args.repeat or (2 if args.quick else 5)
    parts = {"workloads", "overhead", "programs"} if args.all else set(filter(None, args.parts.split(",")))
    args.build_dir = os.path.abspath(args.build_dir)
    args.run_workload = os.path.join(args.build_dir, "bench", "run_workload")
    args.wasm_dir = os.path.join(args.build_dir, "bench-wasm")

    if not args.no_build:
        targets = ["run_workload", "swasm_test_modules", "swasm_extra_workloads"] + (["swasm_cli"] if "programs" in parts else [])
        subprocess.run(["cmake", "--build", args.build_dir, "-j", str(args.jobs), "--target", *targets], check=True)
    wasmkit_cli = None
    if ("workloads" in parts or "programs" in parts) and not args.no_wasmkit:
        try:
            wasmkit_cli = args.wasmkit or peers.ensure_wasmkit(args.peers_dir, args.jobs)
        except Exception as error:
            print(report.loud(f"WasmKit unavailable: {failure_reason(error)}"), file=sys.stderr)
    problems = []
    if "workloads" in parts:
        peers.ensure_python_peers()
        runtimes = [("swasm", lambda p: peers.swasm(args.run_workload, p)), ("wasm3", peers.wasm3)]
        if wasmkit_cli:
            baseline = peers.wasmkit_cpu_baseline(wasmkit_cli, os.path.join(args.wasm_dir, "empty.wasm"))
            runtimes.append(("wasmkit", lambda p: peers.wasmkit(wasmkit_cli, p, baseline)))
        runtimes += [("pulley", lambda p: peers.wasmtime(p, True)), ("cranelift", lambda p: peers.wasmtime(p, False))]
        print(f"runtimes: swasm {args.run_workload}; wasm3 pywasm3 {peers.installed_version('pywasm3')}; "
              f"WasmKit {wasmkit_cli or 'not run'}; Pulley and Cranelift: wasmtime {peers.installed_version('wasmtime')}")
        problems += workloads_part(args, runtimes)
    if "overhead" in parts:
        problems += overhead_part(args)
    if "programs" in parts:
        problems += programs_part(args, wasmkit_cli)
    for problem in problems:
        print(report.loud(problem))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
