"""Builds a C program of the benchmark harness against wasmtime's C library (the PyPI `wasmtime`
package ships it), so that the same program runs on swasm and on wasmtime."""
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def build(source, directory, name):
    """`source` (relative to the project's root) built into `directory`/`name` against wasmtime's
    library; None (with the reason on stderr) when the package is missing."""
    try:
        import wasmtime
    except ImportError:
        print("wasmtime: PyPI package not installed (pip install wasmtime)", file=sys.stderr)
        return None
    library = os.path.join(os.path.dirname(wasmtime.__file__), "linux-x86_64")
    program = os.path.join(directory, name)
    subprocess.run(["cc", "-O2", "-I", os.path.join(ROOT, "include"), os.path.join(ROOT, source),
                    "-o", program, f"-L{library}", "-l:_libwasmtime.so", f"-Wl,-rpath,{library}"], check=True)
    return program
