#!/usr/bin/env python3
"""Runs WASI preview 1 test programs described in the WASI test suite's format (docs/wasi.md).

By default the 72 programs of ../shared/wasi-testsuite (the `wasm32-wasip1` folders of its
assemblyscript, c and rust parts; the shared folder is --shared, else $SWASM_SHARED_DIR, else
<project>/../shared, and a missing suite is an error); folders given on the command line replace them
(build_programs.sh's output folder holds the project's own programs in the same format).

Each `NAME.wasm` is a test; `NAME.json` beside it, when present, is its specification
(doc/specification.md of the suite): the legacy form (`args`, `env`, `root`, `dirs`, `exit_code`,
`stdout`, `stderr`) or the operation-based one (`run`, `write` to stdin, `read`, `wait`; sockets
and proposals are refused as unsupported). One extension: `dirs_readonly`, folders preopened
read-only under their own names. Every fixture folder the test names (`root`, `dirs`,
`dirs_readonly`) is copied into a fresh temporary directory, made writable (the shared copy is
read-only) and cleared of `*.cleanup` artifacts, and the copy is preopened: `root` as `/`, the
others under their names, in that order (from descriptor 3 on). The program's environment is
exactly `env`; its stdin is the concatenated payloads of the `write` operations (empty without);
its argv[0] is the module's file name. The test passes when the exit code is the expected one and
each stream that the specification reads (`stdout`, `stderr`) holds exactly the expected text.

Runtimes (--runtime):
  cli       `swasm run --dir HOST::GUEST... --env NAME=VALUE... FILE ARGS...` (--exe: the swasm binary)
  capi      tests-c/wasi/wasi_capi_runner.c linked against libswasm.so (--exe: that runner)
  wasmtime  the same runner linked against wasmtime 50.0.1's C library from its PyPI wheel, the
            reference (--exe: that runner; without --exe it is compiled here with `cc`)
The C runner captures stdout and stderr through the C API, one stream with a custom callback
(wasi_config_set_*_custom) and the other with a file (wasi_config_set_*_file), swapped from one
test to the next; stdin comes from wasi_config_set_stdin_bytes or _file, and the module runs
through wasmtime_linker_module + get_default or through wasmtime_linker_instantiate + `_start`,
also alternating (--capture pins one combination).

Prints one line per test and a summary ("N passed, M failed"); exits 1 when a test fails, 2 when
the tests or the runtime cannot be found.
"""

import argparse
import concurrent.futures
import fnmatch
import hashlib
import json
import os
import shutil
import stat
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
PROJECT = os.path.dirname(os.path.dirname(HERE))
SUITE_PARTS = ["assemblyscript", "c", "rust"]
LEGACY_KEYS = {"args", "dirs", "root", "env", "exit_code", "stderr", "stdout", "dirs_readonly"}
OPERATION_KEYS = {"operations", "proposals"}


class Unsupported(Exception):
    pass


def die(message):
    """Stops with status 2: the tests or the runtime cannot be found."""
    print(f"run_testsuite.py: {message}", file=sys.stderr, flush=True)
    sys.exit(2)


def find_shared(explicit):
    """The wasi-testsuite folder: in --shared when given, else in $SWASM_SHARED_DIR, else beside the project."""
    if explicit:
        shared = explicit
    elif os.environ.get("SWASM_SHARED_DIR"):
        shared = os.environ["SWASM_SHARED_DIR"]
    else:
        shared = os.path.join(PROJECT, "..", "shared")
    suite = os.path.abspath(os.path.join(shared, "wasi-testsuite"))
    if not os.path.isdir(suite):
        die(f"the WASI test suite is missing: no folder {suite} "
                 "(the shared folder comes from --shared, SWASM_SHARED_DIR or <project>/../shared)")
    return suite


def load_spec(wasm):
    """The test's specification as (run, stdin, reads, exit_code): run = {args, env, dirs}."""
    path = wasm[:-len(".wasm")] + ".json"
    spec = {}
    if os.path.exists(path):
        with open(path, encoding="utf-8") as file:
            spec = json.load(file)
    keys = set(spec)
    if keys & OPERATION_KEYS and keys & LEGACY_KEYS:
        raise Unsupported("the specification mixes the legacy and operation-based forms")
    if keys - OPERATION_KEYS - LEGACY_KEYS:
        raise Unsupported(f"unknown keys in the specification: {sorted(keys - OPERATION_KEYS - LEGACY_KEYS)}")
    if keys & OPERATION_KEYS:
        if spec.get("proposals"):
            raise Unsupported(f"proposals {spec['proposals']}")
        operations = spec.get("operations") or [{"type": "run"}, {"type": "wait"}]
    else:
        operations = [dict(spec, type="run")]
        for stream in ("stdout", "stderr"):
            if spec.get(stream) is not None:
                operations.append({"type": "read", "id": stream, "payload": spec[stream]})
        operations.append({"type": "wait", "exit_code": spec.get("exit_code", 0)})
    run, stdin, reads, exit_code = None, b"", {}, None
    for operation in operations:
        kind = operation.get("type")
        if kind == "run":
            if run is not None:
                raise Unsupported("more than one run operation")
            dirs = []
            if operation.get("root") is not None:
                dirs.append((operation["root"], "/", True))
            dirs += [(d, d, True) for d in operation.get("dirs", [])]
            dirs += [(d, d, False) for d in operation.get("dirs_readonly", [])]
            run = {"args": list(operation.get("args", [])), "env": dict(operation.get("env", {})), "dirs": dirs}
        elif run is None or exit_code is not None:
            raise Unsupported(f"a {kind} operation outside run ... wait")
        elif kind == "write":
            if operation.get("id", "write") != "stdin":
                raise Unsupported(f"write to {operation.get('id')}")
            stdin += operation.get("payload", "").encode("utf-8")
        elif kind == "read":
            stream = operation.get("id", "stdout")
            if stream not in ("stdout", "stderr"):
                raise Unsupported(f"read from {stream}")
            reads[stream] = reads.get(stream, b"") + operation.get("payload", "").encode("utf-8")
        elif kind == "wait":
            exit_code = operation.get("exit_code", 0)
        else:
            raise Unsupported(f"operation {kind}")
    if run is None or exit_code is None:
        raise Unsupported("no run and wait operations")
    return run, stdin, reads, exit_code


def make_writable(root):
    for folder, subfolders, files in os.walk(root):
        for name in [folder] + [os.path.join(folder, f) for f in files + subfolders]:
            if not os.path.islink(name):
                os.chmod(name, os.stat(name).st_mode | stat.S_IWUSR | stat.S_IRUSR | (stat.S_IXUSR if os.path.isdir(name) else 0))


def remove_cleanup_artifacts(root):
    for folder, subfolders, files in os.walk(root, topdown=True):
        for name in list(subfolders) + files:
            if name.endswith(".cleanup"):
                path = os.path.join(folder, name)
                if os.path.isdir(path) and not os.path.islink(path):
                    shutil.rmtree(path)
                    subfolders.remove(name)
                else:
                    os.unlink(path)


def copy_name(folder, source):
    """The name of a fixture folder's copy in the test's temporary directory."""
    return os.path.basename(os.path.normpath(os.path.join(folder, source)))


def stable_index(name):
    return int(hashlib.sha256(name.encode()).hexdigest(), 16)


class Runner:
    def __init__(self, options):
        self.options = options

    def command(self, test, work, wasm, run, stdin):
        """The command line, the stdin bytes to pipe, and where the captured streams end up."""
        options = self.options
        preopens = []
        for source, guest, mutable in run["dirs"]:
            copy = os.path.join(work, copy_name(os.path.dirname(wasm), source))
            preopens.append(("--dir" if mutable else "--dir-readonly", f"{copy}::{guest}"))
        if options.runtime == "cli":
            command = [options.exe, "run"]
            for flag, value in preopens:
                command += [flag, value]
            for name, value in run["env"].items():
                command += ["--env", f"{name}={value}"]
            return command + [wasm] + run["args"], stdin, None
        # The C runner: alternate (or pin) how the streams are captured and how the module runs.
        choice = options.capture
        if choice == "mixed":
            choice = "custom" if stable_index(test) % 2 == 0 else "file"
        other = "file" if choice == "custom" else "custom"
        outputs = {"stdout": os.path.join(work, ".stdout"), "stderr": os.path.join(work, ".stderr")}
        command = [options.exe]
        for flag, value in preopens:
            command += [flag, value]
        for name, value in run["env"].items():
            command += ["--env", f"{name}={value}"]
        command += [f"--stdout-{choice}", outputs["stdout"], f"--stderr-{other}", outputs["stderr"]]
        if stdin:
            stdin_path = os.path.join(work, ".stdin")
            with open(stdin_path, "wb") as file:
                file.write(stdin)
            command += ["--stdin-bytes" if choice == "custom" else "--stdin-file", stdin_path]
        if choice == "file":
            command.append("--instantiate")
        return command + [wasm] + run["args"], b"", outputs

    def run_test(self, test, wasm):
        start = time.monotonic()
        try:
            run, stdin, reads, exit_code = load_spec(wasm)
        except (Unsupported, ValueError) as problem:
            return test, False, f"unsupported specification: {problem}", time.monotonic() - start
        work = tempfile.mkdtemp(prefix=f"{test.replace('/', '-')}-", dir=self.options.scratch)
        try:
            folder = os.path.dirname(wasm)
            for source, _guest, _mutable in run["dirs"]:
                origin = os.path.join(folder, source)
                if not os.path.isdir(origin):
                    return test, False, f"fixture folder {origin} is missing", time.monotonic() - start
                copy = os.path.join(work, copy_name(folder, source))
                if not os.path.exists(copy):
                    shutil.copytree(origin, copy, symlinks=True)
                    make_writable(copy)
                    remove_cleanup_artifacts(copy)
            command, piped, outputs = self.command(test, work, wasm, run, stdin)
            command = self.options.wrapper.split() + command if self.options.wrapper else command
            try:
                process = subprocess.run(command, input=piped, capture_output=True, timeout=self.options.timeout,
                                         env=dict(os.environ), cwd=work)
            except subprocess.TimeoutExpired:
                return test, False, f"timed out after {self.options.timeout} s\n  command: {' '.join(command)}", time.monotonic() - start
            streams = {"stdout": process.stdout, "stderr": process.stderr}
            if outputs:
                for stream, path in outputs.items():
                    streams[stream] = open(path, "rb").read() if os.path.exists(path) else b""
            problems = []
            if process.returncode != exit_code:
                problems.append(f"exit code {process.returncode}, expected {exit_code}")
            for stream, expected in reads.items():
                if streams[stream] != expected:
                    problems.append(f"{stream} differs: got {streams[stream]!r}, expected {expected!r}")
            elapsed = time.monotonic() - start
            if not problems:
                return test, True, "", elapsed
            detail = "; ".join(problems) + f"\n  command: {' '.join(command)}"
            for stream in ("stdout", "stderr"):
                if streams[stream] and stream not in reads:
                    detail += f"\n  {stream}: {streams[stream][-2000:].decode('utf-8', 'replace')}"
            if outputs and process.stderr:
                detail += f"\n  runner's stderr: {process.stderr[-2000:].decode('utf-8', 'replace')}"
            return test, False, detail, elapsed
        finally:
            if not self.options.keep:
                shutil.rmtree(work, ignore_errors=True)


def build_reference_runner(scratch):
    """Compiles wasi_capi_runner.c against wasmtime's C library from the PyPI wheel."""
    try:
        import wasmtime  # noqa: F401 (only to find the library)
    except ImportError:
        die("--runtime wasmtime needs the PyPI package wasmtime==50.0.1 (.ci/setup installs it)")
    library_dir = os.path.join(os.path.dirname(wasmtime.__file__), "linux-x86_64")
    if not os.path.exists(os.path.join(library_dir, "_libwasmtime.so")):
        die(f"no _libwasmtime.so in {library_dir}")
    output = os.path.join(scratch, "wasi_capi_runner_wasmtime")
    subprocess.run([os.environ.get("CC", "cc"), "-O1", "-g", "-Wall", "-Wextra", "-Werror",
                    "-I", os.path.join(PROJECT, "include"), os.path.join(HERE, "wasi_capi_runner.c"),
                    f"-L{library_dir}", "-l:_libwasmtime.so", f"-Wl,-rpath,{library_dir}", "-o", output], check=True)
    return output


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runtime", choices=["cli", "capi", "wasmtime"], required=True)
    parser.add_argument("--exe", help="the swasm binary (cli) or the C runner (capi, wasmtime)")
    parser.add_argument("--shared", help="the shared folder holding wasi-testsuite")
    parser.add_argument("--only", action="append", default=[], metavar="PATTERN",
                        help="run the tests whose name (PART/NAME) contains PATTERN, or matches it as a shell pattern")
    parser.add_argument("-j", "--jobs", type=int, default=1)
    parser.add_argument("--wrapper", help="a command the runtime runs under (e.g. valgrind and its options)")
    parser.add_argument("--timeout", type=float, default=120, help="seconds per test")
    parser.add_argument("--capture", choices=["mixed", "custom", "file"], default="mixed",
                        help="C runner: stdout through a callback and stderr to a file (custom), the reverse (file), or alternating")
    parser.add_argument("--expect-count", type=int, help="fail unless exactly this many tests are found (before --only)")
    parser.add_argument("--keep", action="store_true", help="keep each test's temporary directory")
    parser.add_argument("--scratch", help="where the temporary directories go (default: the system's)")
    parser.add_argument("folders", nargs="*", help="folders of NAME.wasm (+ NAME.json) tests, instead of the suite")
    options = parser.parse_args()

    folders = options.folders
    if not folders:
        suite = find_shared(options.shared)
        folders = [os.path.join(suite, part, "wasm32-wasip1") for part in SUITE_PARTS]
    tests = []
    for folder in folders:
        if not os.path.isdir(folder):
            die(f"test folder {folder} is missing")
        part = os.path.basename(os.path.dirname(os.path.abspath(folder))) if os.path.basename(folder.rstrip("/")) == "wasm32-wasip1" \
            else os.path.basename(os.path.abspath(folder))
        for name in sorted(os.listdir(folder)):
            if name.endswith(".wasm"):
                tests.append((f"{part}/{name[:-5]}", os.path.abspath(os.path.join(folder, name))))
    if options.expect_count is not None and len(tests) != options.expect_count:
        die(f"found {len(tests)} tests in {', '.join(folders)}, expected {options.expect_count}")
    if options.only:
        tests = [t for t in tests if any(p in t[0] or fnmatch.fnmatch(t[0], p) for p in options.only)]
    if not tests:
        die("no test to run")

    scratch_owner = None
    if options.scratch is None:
        scratch_owner = tempfile.mkdtemp(prefix="wasi-testsuite-")
        options.scratch = scratch_owner
    try:
        if options.runtime == "wasmtime" and not options.exe:
            options.exe = build_reference_runner(options.scratch)
        if not options.exe or not os.path.exists(options.exe):
            die(f"--runtime {options.runtime} needs --exe (the {'swasm binary' if options.runtime == 'cli' else 'C runner'}); got {options.exe}")
        options.exe = os.path.abspath(options.exe)
        runner = Runner(options)
        print(f"WASI tests: {len(tests)} through {options.runtime} ({options.exe})", flush=True)
        lock = threading.Lock()
        failures = []

        def one(test):
            name, passed, detail, elapsed = runner.run_test(*test)
            with lock:
                print(f"{'PASS' if passed else 'FAIL'} {name} ({elapsed:.2f} s){'' if passed else ': ' + detail}", flush=True)
                if not passed:
                    failures.append(name)

        with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, options.jobs)) as pool:
            list(pool.map(one, tests))
        if failures:
            print("failed: " + " ".join(sorted(failures)))
        print(f"wasi: {len(tests) - len(failures)} passed, {len(failures)} failed", flush=True)
        return 1 if failures else 0
    finally:
        if scratch_owner and not options.keep:
            shutil.rmtree(scratch_owner, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
