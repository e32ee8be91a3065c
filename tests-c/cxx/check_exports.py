#!/usr/bin/env python3
"""Every C function that wasmtime's C++ headers call, with the features of swasm's wasmtime/conf.h,
is exported by libswasm.so, except the ones listed (by feature) in not_exported.txt.

A C++ program links only the inline functions it uses, so a missing export shows up only in the
programs that happen to call it; this check finds them all at once. It takes the functions called
in the preprocessed C++ headers (templates included), keeps those the C headers declare and do
not define inline, and compares them with the library's dynamic symbols. The list must be exact:
a listed function that is now exported (or no longer called) is reported too, so that the list
keeps describing what C++ embedders cannot use yet.

usage: check_exports.py CXX NM LIBRARY WASMTIME_CPP_INCLUDE SWASM_INCLUDE NOT_EXPORTED_LIST
"""
import os
import re
import subprocess
import sys
import tempfile

CALL = re.compile(r"\b((?:wasm|wasmtime|wasi)_[A-Za-z0-9_]+)\s*\(")
LINE_MARKER = re.compile(r'^# \d+ "([^"]+)"')


def main():
    cxx, nm, library, cpp_include, swasm_include, listing = sys.argv[1:7]
    cpp_include = os.path.realpath(cpp_include)
    swasm_include = os.path.realpath(swasm_include)
    flags = ["-std=c++17", "-isystem", cpp_include, "-isystem", swasm_include, "-x", "c++"]
    source = "#include <wasmtime.hh>\n"

    # Functions called from the C++ headers, and functions the C headers declare.
    preprocessed = subprocess.run([cxx, *flags, "-E", "-"], input=source, capture_output=True, text=True,
                                  check=True).stdout
    called, declared, current = {}, set(), None
    for line in preprocessed.splitlines():
        marker = LINE_MARKER.match(line)
        if marker:
            current = os.path.realpath(marker.group(1)) if os.path.exists(marker.group(1)) else marker.group(1)
            continue
        if current is None:
            continue
        names = CALL.findall(line)
        if current.startswith(cpp_include + os.sep):
            for name in names:
                called.setdefault(name, set()).add(os.path.relpath(current, cpp_include))
        elif current.startswith(swasm_include + os.sep):
            declared.update(names)

    # Functions the C headers define inline are not the library's to export: compile every inline
    # function of the headers and drop the ones the object file defines itself.
    with tempfile.TemporaryDirectory() as scratch:
        obj = os.path.join(scratch, "all.o")
        subprocess.run([cxx, *flags, "-fkeep-inline-functions", "-c", "-", "-o", obj], input=source,
                       capture_output=True, text=True, check=True)
        defined_in_object = set(subprocess.run([nm, "--defined-only", obj], capture_output=True, text=True,
                                               check=True).stdout.split())

    exported = set()
    for line in subprocess.run([nm, "-D", "--defined-only", library], capture_output=True, text=True,
                               check=True).stdout.splitlines():
        parts = line.split()
        if len(parts) == 3:
            exported.add(parts[2])

    required = {name for name in called if name in declared and name not in defined_in_object}
    missing = required - exported

    allowed = set()
    with open(listing) as handle:
        for line in handle:
            line = line.strip()
            if line and not line.startswith("#"):
                allowed.add(line)

    unexpected = sorted(missing - allowed)
    stale = sorted(allowed - missing)
    print(f"check_exports: the C++ headers call {len(required)} C functions of the library; "
          f"{len(missing)} not exported, {len(missing & allowed)} of them listed in {os.path.basename(listing)}")
    for name in unexpected:
        print(f"  not exported and not listed: {name} (called in {', '.join(sorted(called[name]))})")
    for name in stale:
        state = "now exported" if name in exported else "no longer called by the C++ headers"
        print(f"  listed but {state}: {name} (remove it from the list)")
    return 1 if unexpected or stale else 0


if __name__ == "__main__":
    sys.exit(main())
