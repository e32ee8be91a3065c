// WASI functions given values outside their types, and the poll and signal cases where wasmtime
// refuses the whole call: each case is a small module whose `run` makes one call, instantiated
// through wasmtime_linker_define_wasi with a fresh store. A flag or enumeration value with
// unknown bits ends the call with wasmtime's error ("In func wasi_snapshot_preview1::NAME at
// convert TYPE: Invalid flag value TYPE"), before the descriptor is looked at; the other cases
// return an errno. Built twice, against libswasm.so and against wasmtime 50.0.1's C library
// (the reference), with the same expectations (ctests wasi_values and wasi_values_wasmtime).
#define _GNU_SOURCE // memmem
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <wasi.h>
#include <wasmtime.h>

typedef struct {
  const char *name;
  const char *import;    // the imported function's name and signature
  const char *body;      // run's body, leaving the call's i32 result
  int expected_errno;    // when expected_error is NULL
  const char *expected_error;
} value_case;

#define IMPORT(name, params) "(import \"wasi_snapshot_preview1\" \"" name "\" (func $f (param " params ") (result i32)))"
#define CONVERT(function, type, what) "In func wasi_snapshot_preview1::" function " at convert " type ": Invalid " what " value " type

// Subscriptions for poll_oneoff at 0 (48 bytes: userdata, tag at 8, then clock id at 16,
// timeout at 24, precision at 32, flags at 40, or a descriptor at 16); events at 64.
#define POLL(tag, word16, flags40)                                                                  \
  "(i32.store8 (i32.const 8) (i32.const " tag "))"                                                  \
  "(i32.store (i32.const 16) (i32.const " word16 "))"                                               \
  "(i32.store16 (i32.const 40) (i32.const " flags40 "))"                                            \
  "(call $f (i32.const 0) (i32.const 64) (i32.const 1) (i32.const 200))"

static const value_case cases[] = {
    {"fd_seek whence 3", IMPORT("fd_seek", "i32 i64 i32 i32"), "(call $f (i32.const 3) (i64.const 0) (i32.const 3) (i32.const 100))",
     0, CONVERT("fd_seek", "Whence", "enum")},
    {"fd_advise advice 6", IMPORT("fd_advise", "i32 i64 i64 i32"), "(call $f (i32.const 3) (i64.const 0) (i64.const 0) (i32.const 6))",
     0, CONVERT("fd_advise", "Advice", "enum")},
    {"fd_fdstat_set_flags 0x20", IMPORT("fd_fdstat_set_flags", "i32 i32"), "(call $f (i32.const 3) (i32.const 0x20))",
     0, CONVERT("fd_fdstat_set_flags", "Fdflags", "flag")},
    {"fd_fdstat_set_rights bit 40 of a closed fd", IMPORT("fd_fdstat_set_rights", "i32 i64 i64"),
     "(call $f (i32.const 77) (i64.const 0x10000000000) (i64.const 0))", 0, CONVERT("fd_fdstat_set_rights", "Rights", "flag")},
    {"fd_fdstat_set_rights of the preopen", IMPORT("fd_fdstat_set_rights", "i32 i64 i64"),
     "(call $f (i32.const 3) (i64.const 0) (i64.const 0))", 58, NULL},
    {"fd_fdstat_set_rights of stdout", IMPORT("fd_fdstat_set_rights", "i32 i64 i64"),
     "(call $f (i32.const 1) (i64.const 0) (i64.const 0))", 8, NULL},
    {"fd_filestat_set_times fstflags 0x10", IMPORT("fd_filestat_set_times", "i32 i64 i64 i32"),
     "(call $f (i32.const 3) (i64.const 0) (i64.const 0) (i32.const 0x10))", 0, CONVERT("fd_filestat_set_times", "Fstflags", "flag")},
    {"path_open lookupflags 2", IMPORT("path_open", "i32 i32 i32 i32 i32 i64 i64 i32 i32"),
     "(call $f (i32.const 3) (i32.const 2) (i32.const 300) (i32.const 1) (i32.const 0) (i64.const 2) (i64.const 0) (i32.const 0) (i32.const 100))",
     0, CONVERT("path_open", "Lookupflags", "flag")},
    {"path_open oflags 0x10", IMPORT("path_open", "i32 i32 i32 i32 i32 i64 i64 i32 i32"),
     "(call $f (i32.const 3) (i32.const 0) (i32.const 300) (i32.const 1) (i32.const 0x10) (i64.const 2) (i64.const 0) (i32.const 0) (i32.const 100))",
     0, CONVERT("path_open", "Oflags", "flag")},
    {"path_open rights bit 30", IMPORT("path_open", "i32 i32 i32 i32 i32 i64 i64 i32 i32"),
     "(call $f (i32.const 3) (i32.const 0) (i32.const 300) (i32.const 1) (i32.const 0) (i64.const 0x40000000) (i64.const 0) (i32.const 0) (i32.const 100))",
     0, CONVERT("path_open", "Rights", "flag")},
    {"path_open inheriting bit 30", IMPORT("path_open", "i32 i32 i32 i32 i32 i64 i64 i32 i32"),
     "(call $f (i32.const 3) (i32.const 0) (i32.const 300) (i32.const 1) (i32.const 0) (i64.const 2) (i64.const 0x40000000) (i32.const 0) (i32.const 100))",
     0, CONVERT("path_open", "Rights", "flag")},
    {"path_open fdflags 0x20", IMPORT("path_open", "i32 i32 i32 i32 i32 i64 i64 i32 i32"),
     "(call $f (i32.const 3) (i32.const 0) (i32.const 300) (i32.const 1) (i32.const 0) (i64.const 2) (i64.const 0) (i32.const 0x20) (i32.const 100))",
     0, CONVERT("path_open", "Fdflags", "flag")},
    {"path_open of a closed fd with oflags 0x10", IMPORT("path_open", "i32 i32 i32 i32 i32 i64 i64 i32 i32"),
     "(call $f (i32.const 77) (i32.const 0) (i32.const 300) (i32.const 1) (i32.const 0x10) (i64.const 2) (i64.const 0) (i32.const 0) (i32.const 100))",
     0, CONVERT("path_open", "Oflags", "flag")},
    {"path_open with dsync", IMPORT("path_open", "i32 i32 i32 i32 i32 i64 i64 i32 i32"),
     "(call $f (i32.const 3) (i32.const 0) (i32.const 300) (i32.const 1) (i32.const 1) (i64.const 0x40) (i64.const 0) (i32.const 2) (i32.const 100))",
     58, NULL},
    {"path_open of stdout", IMPORT("path_open", "i32 i32 i32 i32 i32 i64 i64 i32 i32"),
     "(call $f (i32.const 1) (i32.const 0) (i32.const 300) (i32.const 1) (i32.const 0) (i64.const 2) (i64.const 0) (i32.const 0) (i32.const 100))",
     8, NULL},
    {"path_filestat_get lookupflags 2", IMPORT("path_filestat_get", "i32 i32 i32 i32 i32"),
     "(call $f (i32.const 3) (i32.const 2) (i32.const 300) (i32.const 1) (i32.const 400))", 0,
     CONVERT("path_filestat_get", "Lookupflags", "flag")},
    {"path_filestat_set_times fstflags 0x10", IMPORT("path_filestat_set_times", "i32 i32 i32 i32 i64 i64 i32"),
     "(call $f (i32.const 3) (i32.const 0) (i32.const 300) (i32.const 1) (i64.const 0) (i64.const 0) (i32.const 0x10))", 0,
     CONVERT("path_filestat_set_times", "Fstflags", "flag")},
    {"path_link lookupflags 2", IMPORT("path_link", "i32 i32 i32 i32 i32 i32 i32"),
     "(call $f (i32.const 3) (i32.const 2) (i32.const 300) (i32.const 1) (i32.const 3) (i32.const 301) (i32.const 1))", 0,
     CONVERT("path_link", "Lookupflags", "flag")},
    {"path_filestat_get of stdin", IMPORT("path_filestat_get", "i32 i32 i32 i32 i32"),
     "(call $f (i32.const 0) (i32.const 0) (i32.const 300) (i32.const 1) (i32.const 400))", 8, NULL},
    {"sock_accept fdflags 0x20", IMPORT("sock_accept", "i32 i32 i32"), "(call $f (i32.const 3) (i32.const 0x20) (i32.const 100))", 0,
     CONVERT("sock_accept", "Fdflags", "flag")},
    {"sock_recv riflags 4", IMPORT("sock_recv", "i32 i32 i32 i32 i32 i32"),
     "(call $f (i32.const 0) (i32.const 500) (i32.const 0) (i32.const 4) (i32.const 100) (i32.const 104))", 0,
     CONVERT("sock_recv", "Riflags", "flag")},
    {"sock_shutdown how 4", IMPORT("sock_shutdown", "i32 i32"), "(call $f (i32.const 1) (i32.const 4))", 0,
     CONVERT("sock_shutdown", "Sdflags", "flag")},
    {"sock_recv on stdin", IMPORT("sock_recv", "i32 i32 i32 i32 i32 i32"),
     "(call $f (i32.const 0) (i32.const 500) (i32.const 0) (i32.const 0) (i32.const 100) (i32.const 104))", 57, NULL},
    {"sock_send on stdout", IMPORT("sock_send", "i32 i32 i32 i32 i32"),
     "(call $f (i32.const 1) (i32.const 500) (i32.const 0) (i32.const 0) (i32.const 100))", 57, NULL},
    {"sock_accept on the preopen", IMPORT("sock_accept", "i32 i32 i32"), "(call $f (i32.const 3) (i32.const 0) (i32.const 100))", 57, NULL},
    {"proc_raise 99", IMPORT("proc_raise", "i32"), "(call $f (i32.const 99))", 0, CONVERT("proc_raise", "Signal", "enum")},
    {"proc_raise SIGTERM", IMPORT("proc_raise", "i32"), "(call $f (i32.const 15))", 58, NULL},
    {"clock_time_get clock 99", IMPORT("clock_time_get", "i32 i64 i32"), "(call $f (i32.const 99) (i64.const 0) (i32.const 100))", 0,
     CONVERT("clock_time_get", "Clockid", "enum")},
    {"clock_res_get clock 4", IMPORT("clock_res_get", "i32 i32"), "(call $f (i32.const 4) (i32.const 100))", 0,
     CONVERT("clock_res_get", "Clockid", "enum")},
    {"poll_oneoff event type 3", IMPORT("poll_oneoff", "i32 i32 i32 i32"), POLL("3", "0", "0"), 28, NULL},
    {"poll_oneoff clock 99", IMPORT("poll_oneoff", "i32 i32 i32 i32"), POLL("0", "99", "0"), 28, NULL},
    {"poll_oneoff clock flags 2", IMPORT("poll_oneoff", "i32 i32 i32 i32"), POLL("0", "1", "2"), 28, NULL},
    {"poll_oneoff reading stdout", IMPORT("poll_oneoff", "i32 i32 i32 i32"), POLL("1", "1", "0"), 8, NULL},
    {"poll_oneoff writing stdin", IMPORT("poll_oneoff", "i32 i32 i32 i32"), POLL("2", "0", "0"), 8, NULL},
    {"poll_oneoff reading the preopen", IMPORT("poll_oneoff", "i32 i32 i32 i32"), POLL("1", "3", "0"), 8, NULL},
    {"poll_oneoff a closed fd", IMPORT("poll_oneoff", "i32 i32 i32 i32"), POLL("1", "77", "0"), 8, NULL},
};

static char preopen_dir[] = "/tmp/wasi-values-XXXXXX";

// Runs one case: 0 when it behaves as expected, else 1 after saying how.
static int run_case(wasm_engine_t *engine, const value_case *c) {
  char wat[4096];
  snprintf(wat, sizeof wat,
           "(module %s (memory (export \"memory\") 1) (data (i32.const 300) \"ab\")"
           " (func (export \"run\") (result i32) %s))",
           c->import, c->body);
  wasm_byte_vec_t wasm;
  wasmtime_error_t *error = wasmtime_wat2wasm(wat, strlen(wat), &wasm);
  if (error) {
    wasm_name_t message;
    wasmtime_error_message(error, &message);
    printf("FAIL %s: the module does not assemble: %.*s\n", c->name, (int)message.size, message.data);
    wasm_byte_vec_delete(&message);
    wasmtime_error_delete(error);
    return 1;
  }
  wasmtime_module_t *module = NULL;
  error = wasmtime_module_new(engine, (const uint8_t *)wasm.data, wasm.size, &module);
  wasm_byte_vec_delete(&wasm);
  if (error) {
    printf("FAIL %s: the module does not compile\n", c->name);
    wasmtime_error_delete(error);
    return 1;
  }
  wasmtime_store_t *store = wasmtime_store_new(engine, NULL, NULL);
  wasmtime_context_t *context = wasmtime_store_context(store);
  wasi_config_t *config = wasi_config_new();
  wasi_config_preopen_dir(config, preopen_dir, ".", true);
  wasmtime_linker_t *linker = wasmtime_linker_new(engine);
  int failed = 0;
  wasmtime_instance_t instance;
  wasm_trap_t *trap = NULL;
  wasmtime_val_t result;
  wasmtime_extern_t run;
  if ((error = wasmtime_context_set_wasi(context, config)) || (error = wasmtime_linker_define_wasi(linker)) ||
      (error = wasmtime_linker_instantiate(linker, context, module, &instance, &trap)) || trap) {
    printf("FAIL %s: no instance\n", c->name);
    failed = 1;
  } else if (!wasmtime_instance_export_get(context, &instance, "run", 3, &run)) {
    printf("FAIL %s: no export run\n", c->name);
    failed = 1;
  } else {
    error = wasmtime_func_call(context, &run.of.func, NULL, 0, &result, 1, &trap);
    if (c->expected_error) {
      wasm_name_t message = {0};
      if (error) wasmtime_error_message(error, &message);
      else if (trap) wasm_trap_message(trap, &message);
      if (!message.data || !memmem(message.data, message.size, c->expected_error, strlen(c->expected_error))) {
        printf("FAIL %s: expected an error with \"%s\", got %s%.*s\n", c->name, c->expected_error,
               message.data ? "" : (trap || error) ? "no message" : "a result", (int)message.size, message.data ? message.data : "");
        failed = 1;
      }
      wasm_byte_vec_delete(&message);
    } else if (error || trap) {
      printf("FAIL %s: expected errno %d, got an error\n", c->name, c->expected_errno);
      failed = 1;
    } else if (result.of.i32 != c->expected_errno) {
      printf("FAIL %s: expected errno %d, got %d\n", c->name, c->expected_errno, result.of.i32);
      failed = 1;
    }
  }
  if (!failed) printf("ok %s\n", c->name);
  if (error) wasmtime_error_delete(error);
  if (trap) wasm_trap_delete(trap);
  wasmtime_linker_delete(linker);
  wasmtime_store_delete(store);
  wasmtime_module_delete(module);
  return failed;
}

int main(void) {
  if (!mkdtemp(preopen_dir)) {
    perror("mkdtemp");
    return 2;
  }
  wasm_engine_t *engine = wasm_engine_new();
  int failures = 0;
  size_t count = sizeof cases / sizeof cases[0];
  for (size_t i = 0; i < count; i++) failures += run_case(engine, &cases[i]);
  wasm_engine_delete(engine);
  rmdir(preopen_dir);
  printf("%zu cases, %d failed\n", count, failures);
  return failures ? 1 : 0;
}
