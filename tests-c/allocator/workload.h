// The workload of the allocator-hook tests (README.md here): a realistic life of the library from
// the first allocation to the last free, written so that any failed allocation shows as an
// out-of-memory result and everything is torn down on every path. Text format to a module, an
// artifact round trip, a linker with a host function and WASI, an instance, calls (host to Wasm,
// Wasm to host, call_indirect), linear memory and table growth from WebAssembly and from the
// host, GC structs and arrays (with collections at a large scale), an externref with a
// finalizer, a trap with its frames and message, an error message, then deletion of everything.
#ifndef SWASM_ALLOCATOR_WORKLOAD_H
#define SWASM_ALLOCATOR_WORKLOAD_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <swasm.h>
#include <wasi.h>
#include <wasmtime.h>

typedef enum {
  WORKLOAD_OK,   // everything succeeded and every result was right
  WORKLOAD_OOM,  // an API call reported out of memory (checked to be that error, trap or NULL)
  WORKLOAD_FAIL, // something else went wrong: `workload_failure` says what
} workload_status;

// What went wrong in a WORKLOAD_FAIL run (a static string and the workload's line).
static const char *workload_failure;
static int workload_failure_line;
// Finalizer runs of the externref (1 after a complete run: the store's deletion runs it).
static int workload_finalized;

static const char workload_text[] =
    "(module\n"
    "  (import \"host\" \"add\" (func $add (param i32 i32) (result i32)))\n"
    "  (import \"wasi_snapshot_preview1\" \"random_get\" (func $random (param i32 i32) (result i32)))\n"
    "  (type $pair (struct (field i32) (field (mut i64))))\n"
    "  (type $ints (array (mut i32)))\n"
    "  (type $binary (func (param i32) (result i32)))\n"
    "  (memory (export \"memory\") 1 512)\n"
    "  (table $funcs (export \"table\") 4 4096 funcref)\n"
    "  (table $refs 1 16 externref)\n"
    "  (global $counter (export \"counter\") (mut i32) (i32.const 7))\n"
    "  (elem (table $funcs) (i32.const 0) func $fib $boom)\n"
    "  (data (i32.const 16) \"swasm allocator\")\n"
    "  (func $fib (export \"fib\") (param i32) (result i32)\n"
    "    (if (result i32) (i32.lt_u (local.get 0) (i32.const 2)) (then (local.get 0))\n"
    "      (else (call $add (call $fib (i32.sub (local.get 0) (i32.const 1)))\n"
    "                       (call $fib (i32.sub (local.get 0) (i32.const 2)))))))\n"
    "  (func $boom (param i32) (result i32)\n"
    "    (if (i32.eqz (local.get 0)) (then unreachable))\n"
    "    (call $boom (i32.sub (local.get 0) (i32.const 1))))\n"
    "  (func (export \"boom\") (param i32) (result i32)\n"
    "    (call_indirect $funcs (type $binary) (local.get 0) (i32.const 1)))\n"
    "  (func (export \"run\") (param i32) (result i32)\n"
    "    (drop (call $random (i32.const 64) (i32.const 32)))\n"
    "    (global.set $counter (i32.add (global.get $counter) (i32.const 1)))\n"
    "    (i32.add (call_indirect $funcs (type $binary) (local.get 0) (i32.const 0))\n"
    "             (i32.load8_u (i32.const 16))))\n"
    "  (func (export \"grow\") (param i32) (result i32)\n"
    "    (local $old i32)\n"
    "    (local.set $old (memory.grow (local.get 0)))\n"
    "    (if (i32.ge_s (local.get $old) (i32.const 0))\n"
    "      (then (i32.store (i32.sub (i32.mul (memory.size) (i32.const 65536)) (i32.const 4)) (i32.const 42))))\n"
    "    (local.get $old))\n"
    "  (func (export \"grow_table\") (param i32) (result i32)\n"
    "    (table.grow $funcs (ref.func $fib) (local.get 0)))\n"
    "  (func (export \"keep\") (param externref) (table.set $refs (i32.const 0) (local.get 0)))\n"
    "  (func (export \"forget\") (table.set $refs (i32.const 0) (ref.null extern)))\n"
    "  (func (export \"objects\") (param $count i32) (result i64)\n"
    "    (local $sum i64) (local $p (ref null $pair)) (local $a (ref null $ints))\n"
    "    (block $done (loop $next\n"
    "      (br_if $done (i32.eqz (local.get $count)))\n"
    "      (local.set $p (struct.new $pair (local.get $count) (i64.const 3)))\n"
    "      (local.set $a (array.new $ints (local.get $count) (i32.const 8)))\n"
    "      (struct.set $pair 1 (local.get $p) (i64.add (struct.get $pair 1 (local.get $p))\n"
    "                                                 (i64.extend_i32_u (array.get $ints (local.get $a) (i32.const 7)))))\n"
    "      (local.set $sum (i64.add (local.get $sum) (struct.get $pair 1 (local.get $p))))\n"
    "      (local.set $count (i32.sub (local.get $count) (i32.const 1)))\n"
    "      (br $next)))\n"
    "    (local.get $sum))\n"
    ")\n";

#define WORKLOAD_FAIL_HERE(what)       \
  do {                                 \
    workload_failure = (what);         \
    workload_failure_line = __LINE__;  \
    return WORKLOAD_FAIL;              \
  } while (0)

// The status of an API call that returned `error` (deleted here).
#define WORKLOAD_ERROR(call)                                        \
  do {                                                              \
    wasmtime_error_t *workload_error = (call);                      \
    if (workload_error != NULL) {                                   \
      bool oom = swasm_error_is_oom(workload_error);                \
      wasmtime_error_delete(workload_error);                        \
      if (oom) return WORKLOAD_OOM;                                 \
      WORKLOAD_FAIL_HERE(#call " failed with another error");       \
    }                                                               \
  } while (0)

// A pointer result that is NULL exactly when memory ran out.
#define WORKLOAD_NEW(target, call)   \
  do {                               \
    (target) = (call);               \
    if ((target) == NULL) return WORKLOAD_OOM; \
  } while (0)

typedef struct {
  wasm_engine_t *engine;
  wasmtime_module_t *module;
  wasmtime_module_t *loaded; // the artifact round trip's module, the one instantiated
  wasmtime_linker_t *linker;
  wasmtime_store_t *store;
  wasmtime_context_t *context;
  wasmtime_instance_t instance;
  wasm_byte_vec_t wasm;
  wasm_byte_vec_t artifact;
  wasm_trap_t *trap;
  wasm_frame_vec_t frames;
  wasm_message_t message;
  wasmtime_externref_t ref;
  bool have_ref;
} workload_objects;

static wasm_trap_t *workload_host_add(void *env, wasmtime_caller_t *caller, const wasmtime_val_t *args, size_t nargs,
                                      wasmtime_val_t *results, size_t nresults) {
  (void)env, (void)caller, (void)nargs, (void)nresults;
  results[0].kind = WASMTIME_I32;
  results[0].of.i32 = args[0].of.i32 + args[1].of.i32;
  return NULL;
}

static void workload_finalizer(void *data) {
  (void)data;
  workload_finalized++;
}

static bool workload_export(workload_objects *w, const char *name, wasmtime_extern_kind_t kind, wasmtime_extern_t *out) {
  memset(out, 0, sizeof *out);
  return wasmtime_instance_export_get(w->context, &w->instance, name, strlen(name), out) && out->kind == kind;
}

// Calls export `name` with one i32 argument (or `ref` when `ref` is not NULL) and at most one
// result. A trap is left in `w->trap` for the caller; OK means it returned normally.
static workload_status workload_call(workload_objects *w, const char *name, int32_t argument, const wasmtime_externref_t *ref,
                                     wasmtime_val_t *result) {
  wasmtime_extern_t item;
  if (!workload_export(w, name, WASMTIME_EXTERN_FUNC, &item)) WORKLOAD_FAIL_HERE("missing export");
  wasmtime_val_t arg;
  memset(&arg, 0, sizeof arg);
  if (ref != NULL) {
    arg.kind = WASMTIME_EXTERNREF;
    arg.of.externref = *ref;
  } else {
    arg.kind = WASMTIME_I32;
    arg.of.i32 = argument;
  }
  bool takes_nothing = strcmp(name, "forget") == 0;
  WORKLOAD_ERROR(wasmtime_func_call(w->context, &item.of.func, &arg, takes_nothing ? 0 : 1, result, result ? 1 : 0, &w->trap));
  if (w->trap != NULL && swasm_trap_is_oom(w->trap)) return WORKLOAD_OOM;
  return WORKLOAD_OK;
}

#define WORKLOAD_STEP(step)                                    \
  do {                                                         \
    workload_status workload_step_status = (step);             \
    if (workload_step_status != WORKLOAD_OK) return workload_step_status; \
  } while (0)

// The workload proper, filling `w` (whose contents workload_teardown deletes). `scale` sets how
// many GC objects are made (100 000 make several collections) and how far memory grows.
static workload_status workload_body(workload_objects *w, int scale) {
  wasm_config_t *config;
  WORKLOAD_NEW(config, wasm_config_new());
  wasmtime_config_wasm_gc_set(config, true);
  wasmtime_config_wasm_function_references_set(config, true);
  WORKLOAD_NEW(w->engine, wasm_engine_new_with_config(config));

  WORKLOAD_ERROR(wasmtime_wat2wasm(workload_text, sizeof workload_text - 1, &w->wasm));
  WORKLOAD_ERROR(wasmtime_module_new(w->engine, (const uint8_t *)w->wasm.data, w->wasm.size, &w->module));
  WORKLOAD_ERROR(wasmtime_module_serialize(w->module, &w->artifact));
  WORKLOAD_ERROR(wasmtime_module_deserialize(w->engine, (const uint8_t *)w->artifact.data, w->artifact.size, &w->loaded));

  WORKLOAD_NEW(w->store, wasmtime_store_new(w->engine, NULL, NULL));
  w->context = wasmtime_store_context(w->store);
  WORKLOAD_NEW(w->linker, wasmtime_linker_new(w->engine));
  wasm_valtype_t *a = wasm_valtype_new_i32();
  wasm_valtype_t *b = wasm_valtype_new_i32();
  wasm_valtype_t *r = wasm_valtype_new_i32();
  wasm_functype_t *type = wasm_functype_new_2_1(a, b, r); // takes the value types, NULL or not
  if (type == NULL) return WORKLOAD_OOM;
  wasmtime_error_t *defined = wasmtime_linker_define_func(w->linker, "host", 4, "add", 3, type, workload_host_add, NULL, NULL);
  wasm_functype_delete(type);
  WORKLOAD_ERROR(defined);
  WORKLOAD_ERROR(wasmtime_linker_define_wasi(w->linker));
  wasi_config_t *wasi;
  WORKLOAD_NEW(wasi, wasi_config_new());
  WORKLOAD_ERROR(wasmtime_context_set_wasi(w->context, wasi)); // takes `wasi` in every case

  WORKLOAD_ERROR(wasmtime_linker_instantiate(w->linker, w->context, w->loaded, &w->instance, &w->trap));
  if (w->trap != NULL) {
    if (swasm_trap_is_oom(w->trap)) return WORKLOAD_OOM;
    WORKLOAD_FAIL_HERE("instantiation trapped");
  }

  wasmtime_val_t result;
  WORKLOAD_STEP(workload_call(w, "run", 15, NULL, &result));
  if (w->trap != NULL) WORKLOAD_FAIL_HERE("run trapped");
  if (result.kind != WASMTIME_I32 || result.of.i32 != 610 + 's') WORKLOAD_FAIL_HERE("run: wrong result");

  // Linear memory: from WebAssembly, then from the host.
  WORKLOAD_STEP(workload_call(w, "grow", scale > 1000 ? 255 : 3, NULL, &result));
  if (w->trap != NULL) WORKLOAD_FAIL_HERE("grow trapped");
  if (result.of.i32 == -1) return WORKLOAD_OOM; // memory.grow's way of saying out of memory
  if (result.of.i32 != 1) WORKLOAD_FAIL_HERE("grow: wrong result");
  wasmtime_extern_t memory;
  if (!workload_export(w, "memory", WASMTIME_EXTERN_MEMORY, &memory)) WORKLOAD_FAIL_HERE("no memory export");
  uint64_t previous = 0;
  // Growth refused for want of memory is an error ("failed to grow memory by ..."), reported
  // like out of memory here; the tests check that it happens only when an allocation failed.
  wasmtime_error_t *grown = wasmtime_memory_grow(w->context, &memory.of.memory, 2, &previous);
  if (grown != NULL) {
    wasmtime_error_delete(grown);
    return WORKLOAD_OOM;
  }
  uint8_t *bytes = wasmtime_memory_data(w->context, &memory.of.memory);
  if (memcmp(bytes + 16, "swasm allocator", 15) != 0) WORKLOAD_FAIL_HERE("data segment lost");

  // Tables: from WebAssembly, then from the host.
  WORKLOAD_STEP(workload_call(w, "grow_table", scale > 1000 ? 2000 : 20, NULL, &result));
  if (w->trap != NULL) WORKLOAD_FAIL_HERE("grow_table trapped");
  if (result.of.i32 == -1) return WORKLOAD_OOM;
  if (result.of.i32 != 4) WORKLOAD_FAIL_HERE("grow_table: wrong result");
  wasmtime_extern_t table;
  if (!workload_export(w, "table", WASMTIME_EXTERN_TABLE, &table)) WORKLOAD_FAIL_HERE("no table export");
  wasmtime_val_t null_func;
  memset(&null_func, 0, sizeof null_func);
  null_func.kind = WASMTIME_FUNCREF;
  uint64_t previous_size = 0;
  wasmtime_error_t *table_grown = wasmtime_table_grow(w->context, &table.of.table, 10, &null_func, &previous_size);
  if (table_grown != NULL) { // as for memory
    wasmtime_error_delete(table_grown);
    return WORKLOAD_OOM;
  }

  // GC objects (a collection every few MiB at a large scale), and one on request.
  WORKLOAD_STEP(workload_call(w, "objects", scale, NULL, &result));
  if (w->trap != NULL) WORKLOAD_FAIL_HERE("objects trapped");
  if (result.kind != WASMTIME_I64 || result.of.i64 != (int64_t)scale * 3 + (int64_t)scale * (scale + 1) / 2) WORKLOAD_FAIL_HERE("objects: wrong result");
  WORKLOAD_ERROR(wasmtime_context_gc(w->context));

  // An externref kept by a table, with a finalizer.
  if (!wasmtime_externref_new(w->context, &workload_finalized, workload_finalizer, &w->ref)) return WORKLOAD_OOM;
  w->have_ref = true;
  WORKLOAD_STEP(workload_call(w, "keep", 0, &w->ref, NULL));
  if (w->trap != NULL) WORKLOAD_FAIL_HERE("keep trapped");

  // A trap through several frames, its frames and message; an error's message.
  WORKLOAD_STEP(workload_call(w, "boom", 5, NULL, &result));
  if (w->trap == NULL) WORKLOAD_FAIL_HERE("boom did not trap");
  wasmtime_trap_code_t code;
  if (!wasmtime_trap_code(w->trap, &code) || code != WASMTIME_TRAP_CODE_UNREACHABLE_CODE_REACHED)
    WORKLOAD_FAIL_HERE("boom: wrong trap");
  wasm_trap_trace(w->trap, &w->frames);
  if (w->frames.size == 0) return WORKLOAD_OOM; // the trace is empty only when it could not be allocated
  if (w->frames.size != 7) WORKLOAD_FAIL_HERE("boom: wrong frame count"); // $boom 5 ... 0 and the export
  wasm_trap_message(w->trap, &w->message);
  if (w->message.size == 0) return WORKLOAD_OOM;
  if (memmem(w->message.data, w->message.size, "unreachable", 11) == NULL) WORKLOAD_FAIL_HERE("boom: wrong message");
  wasm_byte_vec_delete(&w->message);
  wasm_frame_vec_delete(&w->frames);
  wasm_trap_delete(w->trap);
  w->trap = NULL;
  wasmtime_error_t *error = wasmtime_error_new("a host error");
  if (error == NULL) return WORKLOAD_OOM;
  wasmtime_error_message(error, &w->message);
  bool oom_error = swasm_error_is_oom(error);
  wasmtime_error_delete(error);
  if (oom_error || w->message.size == 0) return WORKLOAD_OOM;

  // The store keeps working after a trap.
  WORKLOAD_STEP(workload_call(w, "fib", 12, NULL, &result));
  if (w->trap != NULL) WORKLOAD_FAIL_HERE("fib trapped");
  if (result.of.i32 != 144) WORKLOAD_FAIL_HERE("fib: wrong result");
  WORKLOAD_STEP(workload_call(w, "forget", 0, NULL, NULL));
  if (w->trap != NULL) WORKLOAD_FAIL_HERE("forget trapped");
  return WORKLOAD_OK;
}

// Deletes whatever `w` holds, in an order that needs no memory.
static void workload_teardown(workload_objects *w) {
  wasm_byte_vec_delete(&w->message);
  wasm_frame_vec_delete(&w->frames);
  if (w->trap) wasm_trap_delete(w->trap);
  if (w->have_ref) wasmtime_externref_unroot(&w->ref);
  if (w->store) wasmtime_store_delete(w->store);
  if (w->linker) wasmtime_linker_delete(w->linker);
  if (w->loaded) wasmtime_module_delete(w->loaded);
  if (w->module) wasmtime_module_delete(w->module);
  wasm_byte_vec_delete(&w->artifact);
  wasm_byte_vec_delete(&w->wasm);
  if (w->engine) wasm_engine_delete(w->engine);
  memset(w, 0, sizeof *w);
}

// The whole workload, torn down on every path.
static workload_status workload_run(int scale) {
  workload_objects w;
  memset(&w, 0, sizeof w);
  workload_failure = NULL;
  workload_failure_line = 0;
  workload_status status = workload_body(&w, scale);
  workload_teardown(&w);
  return status;
}

#endif
