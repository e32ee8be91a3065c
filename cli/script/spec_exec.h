// Execution half of the spec-test runners: compiling (cross-checked), instances, the
// registered-module table, the "spectest" host module, invocations, global reads, and the trap
// kinds the spec names by message. Shared by tests-c/spec/spec_runner.c (wast2json's JSON) and
// cli/wast.c (`swasm wast`, scripts parsed by the library); they judge outcomes, everything that
// needs a store, a linker or a call goes through this interface.
//
// Built with -DSPEC_EXEC_RUNTIME=1 (swasm_cli and tests-c's spec_runner_exec), spec_exec.c runs
// every command through wasmtime_store_*, wasmtime_linker_*, wasmtime_instance_*,
// wasmtime_func_call, wasmtime_global_get, wasmtime_externref_*, wasmtime_anyref_* (GC results:
// i31, struct, array), swasm_anyref_convert_extern / swasm_externref_convert_any (ref.host N) and
// (for calls that end with an uncaught exception) wasmtime_context_has_exception /
// _take_exception. With the default below
// (SPEC_EXEC_RUNTIME=0, tests-c's compile-only spec_runner for ctest spec_testsuite) it only
// compiles: every execution request reports SPEC_EXEC_UNSUPPORTED ("runtime not implemented
// yet"), which the runner counts as skipped.
#ifndef SPEC_EXEC_H
#define SPEC_EXEC_H

#include <stdbool.h>
#include <stddef.h>

#include <wasmtime.h>

#include "spec_values.h"

#ifndef SPEC_EXEC_RUNTIME
#define SPEC_EXEC_RUNTIME 0
#endif

typedef struct spec_exec spec_exec_t;

typedef enum spec_compile_status {
  SPEC_COMPILED, // *module set (the caller deletes it)
  SPEC_REJECTED, // the library refused the module: *message is its error message
  SPEC_BROKEN,   // wasmtime_module_new and wasmtime_module_validate disagree, or out of memory:
                 // *message says what happened (a bug to report as a failure)
} spec_compile_status_t;

// Compiles `wasm` (`len` bytes) with wasmtime_module_new, cross-checked with
// wasmtime_module_validate. The caller frees `*message` (set for SPEC_REJECTED and SPEC_BROKEN;
// NULL only if even the message could not be allocated).
spec_compile_status_t spec_exec_compile(wasm_engine_t *engine, const uint8_t *wasm, size_t len,
                                        wasmtime_module_t **module, char **message);

// Artifact mode: every module that compiles is then serialized with wasmtime_module_serialize
// and replaced by what wasmtime_module_deserialize makes of the bytes, so that the script runs
// on deserialized modules. A failure of the round trip is SPEC_BROKEN.
void spec_exec_set_artifact_mode(bool enabled);

// The trap code the spec's expected message `text` stands for ("out of bounds memory access" ->
// WASMTIME_TRAP_CODE_MEMORY_OUT_OF_BOUNDS, ...). False if `text` (NULL allowed) names none.
bool spec_exec_expected_trap_code(const char *text, wasmtime_trap_code_t *code);

// "STACK_OVERFLOW", "MEMORY_OUT_OF_BOUNDS", ... ("another trap code" for unknown ones).
const char *spec_exec_trap_code_name(wasmtime_trap_code_t code);

typedef enum spec_exec_status {
  SPEC_EXEC_OK,          // instantiated / registered / returned normally
  SPEC_EXEC_TRAP,        // a WebAssembly trap (including stack exhaustion)
  SPEC_EXEC_ERROR,       // any other failure: link error, unknown module or export, bad arguments
  SPEC_EXEC_UNAVAILABLE, // the module named (or the current one) failed earlier: see message
  SPEC_EXEC_UNSUPPORTED, // the library cannot do this yet (counted as skipped): see message
} spec_exec_status_t;

typedef struct spec_exec_result {
  spec_exec_status_t status;
  bool has_trap_code;   // SPEC_EXEC_TRAP: whether the trap carries a code (wasmtime_trap_code)
  wasmtime_trap_code_t trap_code; // ... and which (WASMTIME_TRAP_CODE_*)
  bool exception;       // SPEC_EXEC_TRAP: an uncaught WebAssembly exception ended the call (or
                        // the start function); it has been taken from the store and released
  char message[512];    // what happened (empty for SPEC_EXEC_OK)
  spec_value_t *values; // SPEC_EXEC_OK from invoke/get: the results (owned; see _clear)
  size_t count;
} spec_exec_result_t;

// Creates the execution state for one script (one JSON file) in `engine` (borrowed; must outlive
// it): a store, a linker with the "spectest" module defined, an empty instance table. Returns
// NULL on allocation failure, with a reason in `err`.
spec_exec_t *spec_exec_new(wasm_engine_t *engine, char *err, size_t err_len);

// Deletes the state and every library object it owns. NULL is ignored.
void spec_exec_delete(spec_exec_t *ex);

// Releases the results held by `r` and resets it (safe on a zeroed or already cleared result).
void spec_exec_result_clear(spec_exec_result_t *r);

// "module": instantiates `module` (borrowed) with imports resolved from the registered modules
// and "spectest". When `make_current` is true the instance becomes the current module and, if
// `name` ("$id") is non-NULL, is also known by that name; a failed instantiation then makes the
// current module (and `name`) unavailable. assert_unlinkable / assert_uninstantiable pass false:
// the attempt must fail and changes nothing (though a partly initialised instance's writes to
// imported tables and memories persist, as the spec requires).
void spec_exec_instantiate(spec_exec_t *ex, const wasmtime_module_t *module, const char *name,
                           bool make_current, spec_exec_result_t *out);

// A "module" command whose module could not be used (it failed to compile, or it is a text
// module the runner cannot build): it becomes the current module (and `name`'s, if non-NULL) in
// the unavailable state, so later actions on it report SPEC_EXEC_UNAVAILABLE with `why` (or, with
// `skipped` true, SPEC_EXEC_UNSUPPORTED: counted as skipped instead of failed).
void spec_exec_module_unavailable(spec_exec_t *ex, const char *name, bool skipped, const char *why);

// "register": makes the exports of module `name` (NULL: the current one) importable under the
// module name `as` (`as_len` bytes, may hold any bytes).
void spec_exec_register(spec_exec_t *ex, const char *name, const char *as, size_t as_len,
                        spec_exec_result_t *out);

// "invoke": calls export `field` (`field_len` bytes) of module `module` (NULL: the current one)
// with `args`. On SPEC_EXEC_OK, `out->values` holds the results. A call that ends with an
// uncaught exception (wasmtime_context_has_exception afterwards) is SPEC_EXEC_TRAP with
// `out->exception` set, whether the library reported it as a trap or as an error.
void spec_exec_invoke(spec_exec_t *ex, const char *module, const char *field, size_t field_len,
                      const spec_value_t *args, size_t nargs, spec_exec_result_t *out);

// "get": reads exported global `field` of `module` (NULL: the current one) into `out->values[0]`.
void spec_exec_get(spec_exec_t *ex, const char *module, const char *field, size_t field_len,
                   spec_exec_result_t *out);

#endif
