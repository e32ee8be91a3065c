#!/usr/bin/env python3
"""Runs a WASI command under wasmtime through its PyPI package, with the options of
tests-c/wasi/wasi_capi_runner.c that compare.py uses, for targets the C runner does not select:

    wasmtime_wasi_run.py [--target pulley64] [--dir HOST::GUEST] [--dir-readonly HOST::GUEST]
                         [--env KEY=VALUE] FILE.wasm [ARGS...]

The standard streams are inherited; argv[0] is the file's name; the exit status is the program's
(134 after a trap, as the C runner's)."""
import os
import sys

import wasmtime


def main(argv):
    target, dirs, env = None, [], []
    index = 0
    while index < len(argv) and argv[index].startswith("--"):
        option, value = argv[index], argv[index + 1]
        if option == "--target":
            target = value
        elif option in ("--dir", "--dir-readonly"):
            host, guest = value.split("::", 1)
            dirs.append((host, guest, option == "--dir"))
        elif option == "--env":
            env.append(tuple(value.split("=", 1)))
        else:
            sys.exit(f"wasmtime_wasi_run.py: unknown option {option}")
        index += 2
    path, args = argv[index], argv[index + 1:]

    config = wasmtime.Config()
    if target:
        config.target = target
    engine = wasmtime.Engine(config)
    wasi = wasmtime.WasiConfig()
    wasi.argv = [os.path.basename(path)] + args
    wasi.env = env
    wasi.inherit_stdin()
    wasi.inherit_stdout()
    wasi.inherit_stderr()
    for host, guest, mutable in dirs:
        wasi.preopen_dir(host, guest, mutable)
    store = wasmtime.Store(engine)
    store.set_wasi(wasi)
    linker = wasmtime.Linker(engine)
    linker.define_wasi()
    instance = linker.instantiate(store, wasmtime.Module.from_file(engine, path))
    try:
        instance.exports(store)["_start"](store)
    except wasmtime.ExitTrap as exit_trap:
        return exit_trap.code
    except wasmtime.Trap as trap:
        print(f"wasmtime_wasi_run.py: {trap}", file=sys.stderr)
        return 134
    return 0


if __name__ == "__main__":
    sys.stdout.flush()
    sys.exit(main(sys.argv[1:]))
