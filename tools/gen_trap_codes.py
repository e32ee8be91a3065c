#!/usr/bin/env python3
"""The trap codes and execution stops, described once for Swift and C.

Generates (run from anywhere; writes into the source tree, or under DIR with `--out DIR`):
  Sources/Swasm/Interpreter/TrapCode.swift   the `TrapCode` enum, its messages, its `swasm_exec.trap` value
  Sources/CSwasm/include/SwasmTrapCodes.h    the same codes and the other stops as C constants

`swasm_exec.trap` (SwasmExec.h) is 0 while code runs; a trap stores its code + 1
(`SWASM_TRAP_STOP(code)` in C, `TrapCode.stopValue` in Swift); the values at the top of the range
stop execution for reasons that are not traps (STOPS). The codes are wasmtime's
`wasmtime_trap_code_t` (include/wasmtime/trap.h, checked here) with wasmtime's messages.
"""
import argparse
import os
import re
import sys

# (Swift case, C constant, number, wasmtime's constant in include/wasmtime/trap.h, message)
TRAP_CODES = [
    ("stackOverflow", "SWASM_TRAP_STACK_OVERFLOW", 0, "STACK_OVERFLOW",
     "call stack exhausted"),
    ("memoryOutOfBounds", "SWASM_TRAP_MEMORY_OUT_OF_BOUNDS", 1, "MEMORY_OUT_OF_BOUNDS",
     "out of bounds memory access"),
    ("heapMisaligned", "SWASM_TRAP_HEAP_MISALIGNED", 2, "HEAP_MISALIGNED",
     "unaligned atomic"),
    ("tableOutOfBounds", "SWASM_TRAP_TABLE_OUT_OF_BOUNDS", 3, "TABLE_OUT_OF_BOUNDS",
     "undefined element: out of bounds table access"),
    ("indirectCallToNull", "SWASM_TRAP_INDIRECT_CALL_TO_NULL", 4, "INDIRECT_CALL_TO_NULL",
     "uninitialized element"),
    ("badSignature", "SWASM_TRAP_BAD_SIGNATURE", 5, "BAD_SIGNATURE",
     "indirect call type mismatch"),
    ("integerOverflow", "SWASM_TRAP_INTEGER_OVERFLOW", 6, "INTEGER_OVERFLOW",
     "integer overflow"),
    ("integerDivisionByZero", "SWASM_TRAP_INTEGER_DIVISION_BY_ZERO", 7, "INTEGER_DIVISION_BY_ZERO",
     "integer divide by zero"),
    ("badConversionToInteger", "SWASM_TRAP_BAD_CONVERSION_TO_INTEGER", 8, "BAD_CONVERSION_TO_INTEGER",
     "invalid conversion to integer"),
    ("unreachable", "SWASM_TRAP_UNREACHABLE", 9, "UNREACHABLE_CODE_REACHED",
     "wasm `unreachable` instruction executed"),
    ("interrupt", "SWASM_TRAP_INTERRUPT", 10, "INTERRUPT",
     "interrupt"),
    ("outOfFuel", "SWASM_TRAP_OUT_OF_FUEL", 11, "OUT_OF_FUEL",
     "all fuel consumed by WebAssembly"),
    ("atomicWaitNonSharedMemory", "SWASM_TRAP_ATOMIC_WAIT_NON_SHARED_MEMORY", 12, "ATOMIC_WAIT_NON_SHARED_MEMORY",
     "atomic wait on non-shared memory"),
    ("nullReference", "SWASM_TRAP_NULL_REFERENCE", 13, "NULL_REFERENCE",
     "null reference"),
    ("arrayOutOfBounds", "SWASM_TRAP_ARRAY_OUT_OF_BOUNDS", 14, "ARRAY_OUT_OF_BOUNDS",
     "out of bounds array access"),
    ("allocationTooLarge", "SWASM_TRAP_ALLOCATION_TOO_LARGE", 15, "ALLOCATION_TOO_LARGE",
     "allocation size too large"),
    ("castFailure", "SWASM_TRAP_CAST_FAILURE", 16, "CAST_FAILURE",
     "cast failure"),
    ("cannotEnterComponent", "SWASM_TRAP_CANNOT_ENTER_COMPONENT", 17, "CANNOT_ENTER_COMPONENT",
     "cannot enter component instance"),
    ("noAsyncResult", "SWASM_TRAP_NO_ASYNC_RESULT", 18, "NO_ASYNC_RESULT",
     "async-lifted export failed to produce a result"),
    ("unhandledTag", "SWASM_TRAP_UNHANDLED_TAG", 19, "UNHANDLED_TAG",
     "unhandled tag"),
    ("continuationAlreadyConsumed", "SWASM_TRAP_CONTINUATION_ALREADY_CONSUMED", 20, "CONTINUATION_ALREADY_CONSUMED",
     "continuation already consumed"),
    ("disabledOpcode", "SWASM_TRAP_DISABLED_OPCODE", 21, "DISABLED_OPCODE",
     "pulley opcode disabled at compile time was executed"),
    ("asyncDeadlock", "SWASM_TRAP_ASYNC_DEADLOCK", 22, "ASYNC_DEADLOCK",
     "deadlock detected: event loop cannot make further progress"),
    ("cannotLeaveComponent", "SWASM_TRAP_CANNOT_LEAVE_COMPONENT", 23, "CANNOT_LEAVE_COMPONENT",
     "cannot leave component instance"),
    ("cannotBlockSyncTask", "SWASM_TRAP_CANNOT_BLOCK_SYNC_TASK", 24, "CANNOT_BLOCK_SYNC_TASK",
     "cannot block a synchronous task before returning"),
    ("invalidChar", "SWASM_TRAP_INVALID_CHAR", 25, "INVALID_CHAR",
     "invalid `char` bit pattern"),
    ("debugAssertStringEncodingFinished", "SWASM_TRAP_DEBUG_ASSERT_STRING_ENCODING_FINISHED", 26,
     "DEBUG_ASSERT_STRING_ENCODING_FINISHED",
     "should have finished string encoding"),
    ("debugAssertEqualCodeUnits", "SWASM_TRAP_DEBUG_ASSERT_EQUAL_CODE_UNITS", 27, "DEBUG_ASSERT_EQUAL_CODE_UNITS",
     "code units should be equal"),
    ("debugAssertPointerAligned", "SWASM_TRAP_DEBUG_ASSERT_POINTER_ALIGNED", 28, "DEBUG_ASSERT_POINTER_ALIGNED",
     "pointer should be aligned"),
    ("debugAssertUpperBitsUnset", "SWASM_TRAP_DEBUG_ASSERT_UPPER_BITS_UNSET", 29, "DEBUG_ASSERT_UPPER_BITS_UNSET",
     "upper bits should be unset"),
    ("stringOutOfBounds", "SWASM_TRAP_STRING_OUT_OF_BOUNDS", 30, "STRING_OUT_OF_BOUNDS",
     "string content out-of-bounds"),
    ("listOutOfBounds", "SWASM_TRAP_LIST_OUT_OF_BOUNDS", 31, "LIST_OUT_OF_BOUNDS",
     "list content out-of-bounds"),
    ("invalidDiscriminant", "SWASM_TRAP_INVALID_DISCRIMINANT", 32, "INVALID_DISCRIMINANT",
     "invalid variant discriminant"),
    ("unalignedPointer", "SWASM_TRAP_UNALIGNED_POINTER", 33, "UNALIGNED_POINTER",
     "unaligned pointer"),
    ("taskCancelNotCancelled", "SWASM_TRAP_TASK_CANCEL_NOT_CANCELLED", 34, "TASK_CANCEL_NOT_CANCELLED",
     "`task.cancel` called by task which has not been cancelled"),
    ("taskCancelOrReturnTwice", "SWASM_TRAP_TASK_CANCEL_OR_RETURN_TWICE", 35, "TASK_CANCEL_OR_RETURN_TWICE",
     "`task.return` or `task.cancel` called more than once for current task"),
    ("subtaskCancelAfterTerminal", "SWASM_TRAP_SUBTASK_CANCEL_AFTER_TERMINAL", 36, "SUBTASK_CANCEL_AFTER_TERMINAL",
     "`subtask.cancel` called after terminal status delivered"),
    ("taskReturnInvalid", "SWASM_TRAP_TASK_RETURN_INVALID", 37, "TASK_RETURN_INVALID",
     "invalid `task.return` signature and/or options for current task"),
    ("waitableSetDropHasWaiters", "SWASM_TRAP_WAITABLE_SET_DROP_HAS_WAITERS", 38, "WAITABLE_SET_DROP_HAS_WAITERS",
     "cannot drop waitable set with waiters"),
    ("subtaskDropNotResolved", "SWASM_TRAP_SUBTASK_DROP_NOT_RESOLVED", 39, "SUBTASK_DROP_NOT_RESOLVED",
     "cannot drop a subtask which has not yet resolved"),
    ("threadNewIndirectInvalidType", "SWASM_TRAP_THREAD_NEW_INDIRECT_INVALID_TYPE", 40, "THREAD_NEW_INDIRECT_INVALID_TYPE",
     "start function does not match expected type (currently only `(i32) -> ()` is supported)"),
    ("threadNewIndirectUninitialized", "SWASM_TRAP_THREAD_NEW_INDIRECT_UNINITIALIZED", 41,
     "THREAD_NEW_INDIRECT_UNINITIALIZED",
     "the start function index points to an uninitialized function"),
    ("backpressureOverflow", "SWASM_TRAP_BACKPRESSURE_OVERFLOW", 42, "BACKPRESSURE_OVERFLOW",
     "backpressure counter overflow"),
    ("unsupportedCallbackCode", "SWASM_TRAP_UNSUPPORTED_CALLBACK_CODE", 43, "UNSUPPORTED_CALLBACK_CODE",
     "unsupported callback code"),
    ("cannotResumeThread", "SWASM_TRAP_CANNOT_RESUME_THREAD", 44, "CANNOT_RESUME_THREAD",
     "cannot resume thread which is not suspended"),
    ("concurrentFutureStreamOp", "SWASM_TRAP_CONCURRENT_FUTURE_STREAM_OP", 45, "CONCURRENT_FUTURE_STREAM_OP",
     "cannot have concurrent operations active on a future/stream"),
    ("referenceCountOverflow", "SWASM_TRAP_REFERENCE_COUNT_OVERFLOW", 46, "REFERENCE_COUNT_OVERFLOW",
     "reference count overflow"),
    ("streamOpTooBig", "SWASM_TRAP_STREAM_OP_TOO_BIG", 47, "STREAM_OP_TOO_BIG",
     "stream read/write count too large"),
    ("waitableSyncAndAsync", "SWASM_TRAP_WAITABLE_SYNC_AND_ASYNC", 48, "WAITABLE_SYNC_AND_ASYNC",
     "waitable cannot be used synchronously while added to a waitable set"),
    ("uncaughtException", "SWASM_TRAP_UNCAUGHT_EXCEPTION", 49, "UNCAUGHT_EXCEPTION",
     "uncaught exception propagated out of component"),
]

# `swasm_exec.trap` values that stop execution for another reason than a trap:
# (C constant, value, meaning).
STOPS = [
    ("SWASM_STOP_HOST_FAILURE", 0xFFFF_FFFF,
     "a host function or callback failed (the store's pendingFailure says how)"),
    ("SWASM_STOP_OUT_OF_MEMORY", 0xFFFF_FFFE,
     "an allocation failed: the call ends in the out-of-memory error"),
    ("SWASM_STOP_YIELD", 0xFFFF_FFFD,
     "an async call yields: it resumes where the store's yieldResume says"),
]

SWIFT_OUTPUT = "Sources/Swasm/Interpreter/TrapCode.swift"
C_OUTPUT = "Sources/CSwasm/include/SwasmTrapCodes.h"
WASMTIME_HEADER = "include/wasmtime/trap.h"


def check_table(source_root):
    """The numbers run 0, 1, 2, ... in wasmtime's order; names and numbers are distinct."""
    for index, (case, c_name, number, _, message) in enumerate(TRAP_CODES):
        assert number == index, f"{case}: number {number}, expected {index}"
        assert re.fullmatch(r"[a-z][A-Za-z0-9]*", case), case
        assert re.fullmatch(r"SWASM_TRAP_[A-Z0-9_]+", c_name), c_name
        assert '"' not in message and "\\" not in message and "*/" not in message, case
    for column in (0, 1):
        names = [row[column] for row in TRAP_CODES]
        assert len(set(names)) == len(names), f"duplicate names in column {column}"
    assert len(TRAP_CODES) < 256, "codes are UInt8 (wasmtime_trap_code_t)"
    # Stops must not collide with a trap's stored value (code + 1) nor with 0 (running).
    for name, value, _ in STOPS:
        assert len(TRAP_CODES) < value <= 0xFFFF_FFFF, name
    header = os.path.join(source_root, WASMTIME_HEADER)
    with open(header) as f:
        text = f.read()
    enum = re.search(r"enum wasmtime_trap_code_enum \{(.*?)\};", text, re.S)
    assert enum, f"no wasmtime_trap_code_enum in {WASMTIME_HEADER}"
    wasmtime = re.findall(r"^\s*WASMTIME_TRAP_CODE_([A-Z0-9_]+),", enum.group(1), re.M)
    ours = [row[3] for row in TRAP_CODES]
    if wasmtime != ours:
        index = next(i for i in range(max(len(wasmtime), len(ours)))
                     if i >= len(wasmtime) or i >= len(ours) or wasmtime[i] != ours[i])
        header_name = wasmtime[index] if index < len(wasmtime) else "(none)"
        table_name = ours[index] if index < len(ours) else "(none)"
        sys.exit(f"gen_trap_codes.py: code {index} is WASMTIME_TRAP_CODE_{header_name} in {WASMTIME_HEADER} "
                 f"but {table_name} in the table")


def swift_file():
    out = ["// Generated by tools/gen_trap_codes.py: do not edit.",
           "/// Why WebAssembly execution stopped, numbered as wasmtime's `wasmtime_trap_code_t` (wasmtime 50:",
           f"/// codes 0-{len(TRAP_CODES) - 1}, the last ones for the component model and exceptions). The same codes",
           "/// are C constants in SwasmTrapCodes.h (`SWASM_TRAP_*`).",
           "public enum TrapCode: UInt8, BitwiseCopyable, Sendable {"]
    for case, _, number, _, _ in TRAP_CODES:
        out.append(f"    case {case} = {number}")
    out += ["",
            "    /// The text wasmtime gives for the trap (its trap message is \"wasm trap: \" and this).",
            "    public var message: StaticString {",
            "        switch self {"]
    for case, _, _, _, message in TRAP_CODES:
        out.append(f'        case .{case}: return "{message}"')
    out += ["        }", "    }", "}", "",
            "extension TrapCode {",
            "    /// The value `swasm_exec.trap` holds after this trap: the code + 1, as C's `SWASM_TRAP_STOP`.",
            "    @inline(__always)",
            "    public var stopValue: UInt32 { UInt32(rawValue) &+ 1 }",
            "",
            "    /// The trap a `swasm_exec.trap` value records; nil for 0 (still running) and for the stops",
            "    /// that are not traps (`SWASM_STOP_*` in SwasmTrapCodes.h).",
            "    @inline(__always)",
            "    public init?(stopValue: UInt32) {",
            "        let code = stopValue &- 1",
            "        guard code <= UInt32(UInt8.max) else { return nil }",
            "        self.init(rawValue: UInt8(truncatingIfNeeded: code))",
            "    }",
            "}", ""]
    return "\n".join(out)


def c_file():
    width = max(len(c_name) for _, c_name, _, _, _ in TRAP_CODES) + 1
    out = ["// Generated by tools/gen_trap_codes.py: do not edit.",
           "// Trap codes (wasmtime's `wasmtime_trap_code_t`, with the message wasmtime gives) and the",
           "// values of `swasm_exec.trap`: 0 while running, SWASM_TRAP_STOP(code) after a trap, or one of",
           "// the SWASM_STOP_* values. Swift sees the same codes as `TrapCode` (Interpreter/TrapCode.swift).",
           "#ifndef SWASM_TRAP_CODES_H", "#define SWASM_TRAP_CODES_H", "", "#include <stdint.h>", ""]
    for _, c_name, number, _, message in TRAP_CODES:
        out.append(f"#define {c_name:<{width}}{number} /* {message} */")
    out += ["", f"/// The number of trap codes.",
            f"#define SWASM_TRAP_CODE_COUNT {len(TRAP_CODES)}", "",
            "/// The value `swasm_exec.trap` holds after the trap `code`.",
            "#define SWASM_TRAP_STOP(code) ((uint32_t)(code) + 1u)", "",
            "/// Values of `swasm_exec.trap` for stops that are not traps."]
    width = max(len(name) for name, _, _ in STOPS) + 1
    for name, value, meaning in STOPS:
        out.append(f"#define {name:<{width}}0x{value:08x}u /* {meaning} */")
    out += ["", "#endif", ""]
    return "\n".join(out)


def write(root, relative, text):
    path = os.path.join(root, relative)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", metavar="DIR", help="write under DIR instead of the source tree")
    args = parser.parse_args()
    source_root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    check_table(source_root)
    root = args.out or source_root
    write(root, SWIFT_OUTPUT, swift_file())
    write(root, C_OUTPUT, c_file())


if __name__ == "__main__":
    main()
