#!/usr/bin/env python3
"""Compares the guest profiles of libswasm.so with wasmtime's (ctest guest_profiler_compare).

Runs test_guest_profiler (libswasm.so) and test_guest_profiler_wasmtime (wasmtime 50.0.1's C
library), each writing its profiles as NAME.json into a directory of its own, then for every
profile: both parse as JSON (Python's parser); the shapes are the same (keys in order, value types,
array lengths); every value is the same except those that measure time or native code (listed in
MAY_DIFFER), which are checked for sense instead (times nonnegative and within the profile,
swasm's frame addresses inside their function's body); and, said in names, each sample's stack is
the same list of functions of the same libraries.

usage: compare_profiles.py SWASM_TEST WASMTIME_TEST SCRATCH_DIR
"""
import json
import os
import subprocess
import sys
import time

PROFILES = ["calls", "unlisted", "nested", "recursion", "names", "empty"]
# Paths (keys joined by '/', array positions left out) whose values are times or addresses.
MAY_DIFFER = {
    "meta/startTime",
    "threads/processShutdownTime",
    "threads/unregisterTime",
    "threads/samples/timeDeltas",
    "threads/frameTable/address",
    "threads/nativeSymbols/address",
    "threads/nativeSymbols/functionSize",
}

failures = []


def fail(profile, message):
    failures.append(f"{profile}: {message}")


def kind(value):
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int"
    return type(value).__name__


def compare(profile, path, ours, theirs):
    """Same shape everywhere; same values outside MAY_DIFFER."""
    where = "/".join(path) or "(root)"
    if kind(ours) != kind(theirs):
        fail(profile, f"{where}: {kind(ours)} on swasm, {kind(theirs)} on wasmtime")
        return
    if isinstance(ours, dict):
        if list(ours) != list(theirs):
            fail(profile, f"{where}: keys {list(ours)} on swasm, {list(theirs)} on wasmtime")
            return
        for key in ours:
            compare(profile, path + [key], ours[key], theirs[key])
    elif isinstance(ours, list):
        if len(ours) != len(theirs):
            fail(profile, f"{where}: {len(ours)} elements on swasm, {len(theirs)} on wasmtime")
            return
        for a, b in zip(ours, theirs):
            compare(profile, path, a, b)
    elif where not in MAY_DIFFER and ours != theirs:
        fail(profile, f"{where}: {ours!r} on swasm, {theirs!r} on wasmtime")


def stacks_by_name(data):
    thread = data["threads"][0]
    strings = thread["stringArray"]
    frames, funcs, stacks = thread["frameTable"], thread["funcTable"], thread["stackTable"]
    libs = data["libs"]
    out = []
    for stack in thread["samples"]["stack"]:
        names = []
        while stack is not None:
            func = frames["func"][stacks["frame"][stack]]
            lib = thread["resourceTable"]["lib"][funcs["resource"][func]]
            names.append(f"{libs[lib]['name']}:{strings[funcs['name'][func]]}")
            stack = stacks["prefix"][stack]
        out.append(list(reversed(names)))
    return out


def check_times_and_addresses(profile, data, swasm):
    thread = data["threads"][0]
    end = thread["processShutdownTime"]
    deltas = thread["samples"]["timeDeltas"]
    if any(delta < 0 for delta in deltas) or sum(deltas) > end + 1e-6:
        fail(profile, f"time deltas {deltas} do not fit in the profile's {end} ms")
    if thread["unregisterTime"] != end:
        fail(profile, "unregisterTime differs from processShutdownTime")
    start = data["meta"]["startTime"] / 1000
    if abs(start - time.time()) > 600:
        fail(profile, f"startTime {data['meta']['startTime']} is not about now")
    if swasm:
        frames, symbols = thread["frameTable"], thread["nativeSymbols"]
        for address, symbol in zip(frames["address"], frames["nativeSymbol"]):
            low, size = symbols["address"][symbol], symbols["functionSize"][symbol]
            if not (low <= address < low + size):
                fail(profile, f"frame address {address} outside its function's body {low}+{size}")


def main():
    swasm_test, wasmtime_test, scratch = sys.argv[1:4]
    dirs = {}
    for label, program in (("swasm", swasm_test), ("wasmtime", wasmtime_test)):
        dirs[label] = os.path.join(scratch, label)
        os.makedirs(dirs[label], exist_ok=True)
        for name in PROFILES:
            path = os.path.join(dirs[label], name + ".json")
            if os.path.exists(path):
                os.remove(path)
        run = subprocess.run([program, dirs[label]], capture_output=True, text=True)
        if run.returncode != 0:
            print(run.stdout, run.stderr)
            print(f"FAIL: {program} exited with {run.returncode}")
            return 1
    samples = 0
    for name in PROFILES:
        loaded = {}
        for label in dirs:
            with open(os.path.join(dirs[label], name + ".json"), encoding="utf-8") as file:
                loaded[label] = json.load(file)
        ours, theirs = loaded["swasm"], loaded["wasmtime"]
        compare(name, [], ours, theirs)
        if stacks_by_name(ours) != stacks_by_name(theirs):
            fail(name, f"stacks {stacks_by_name(ours)} on swasm, {stacks_by_name(theirs)} on wasmtime")
        check_times_and_addresses(name, ours, True)
        check_times_and_addresses(name, theirs, False)
        samples += ours["threads"][0]["samples"]["length"]
        print(f"{name}: {ours['threads'][0]['samples']['length']} samples, "
              f"{ours['threads'][0]['funcTable']['length']} functions, stack depths {[len(s) for s in stacks_by_name(ours)]}")
    for failure in failures:
        print("FAIL:", failure)
    print(f"{len(PROFILES)} profiles, {samples} samples compared: {len(failures)} difference(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
