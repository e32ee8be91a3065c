// The guest profiler (wasmtime/profiling.h), with the same program on libswasm.so and on wasmtime
// 50.0.1's C library (test_guest_profiler_wasmtime). Samples come from an epoch deadline callback
// and from host functions, before, during and after calls, through nested calls and deep
// recursion, from a store of another engine, with modules listed, unlisted and never run. The
// program checks what it can in C (samples counted, out-of-memory-free results, refusals of bad
// arguments on swasm, a sampler on another thread); given a directory, it writes each profile
// there as NAME.json, which compare_profiles.py compares between the two libraries (same keys,
// libraries, function names, stacks by name, sample count and CPU deltas).
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wasmtime.h>

#include "check.h"

static wasm_engine_t *engine;
static wasmtime_guestprofiler_t *profiler;
static wasmtime_store_t *store;
static const char *output_dir;

// Module B: no name section; `work` is its second defined function.
static const char b_wat[] =
    "(module (func (param i32) (result i32) local.get 0 i32.const 3 i32.mul)\n"
    " (func (export \"work\") (param i32) (result i32) (call 0 (local.get 0))))\n";
// Module A, named: `run` (unnamed) loops over `middle`, which calls the host (a sample there, and
// the epoch moves on) and then B's `work`, whose entry reaches the deadline (a sample there);
// `rec` recurses N deep and calls the host at the bottom.
static const char a_wat[] =
    "(module $main (import \"env\" \"host\" (func $host)) (import \"b\" \"work\" (func $work (param i32) (result i32)))\n"
    " (func $leaf (param i32) (result i32) (local.get 0) (i32.const 1) (i32.add))\n"
    " (func $middle (param i32) (result i32) (call $host) (drop (call $work (local.get 0))) (call $leaf (local.get 0)))\n"
    " (func (export \"run\") (param i32) (result i32) (local i32)\n"
    "   (loop $l (local.set 1 (call $middle (local.get 1))) (br_if $l (i32.lt_u (local.get 1) (local.get 0))))\n"
    "   (local.get 1))\n"
    " (func $rec (export \"rec\") (param i32)\n"
    "   (if (i32.eqz (local.get 0)) (then (call $host)) (else (call $rec (i32.sub (local.get 0) (i32.const 1)))))))\n";
static const char unused_wat[] = "(module (func $never))";

static int host_samples, epoch_samples;
// What the host function does besides sampling: move the epoch on, or call B's `work` from the
// host (a nested call, in which the epoch callback samples).
static int host_moves_epoch = 1;
static wasmtime_func_t nested_work;
static int host_calls_nested;

static wasmtime_error_t *on_epoch(wasmtime_context_t *context, void *data, uint64_t *delta,
                                  wasmtime_update_deadline_kind_t *kind) {
  (void)context, (void)data;
  wasmtime_guestprofiler_sample(profiler, store, 1000000);
  epoch_samples++;
  *delta = 1;
  *kind = WASMTIME_UPDATE_DEADLINE_CONTINUE;
  return NULL;
}

static wasm_trap_t *host(void *env, wasmtime_caller_t *caller, const wasmtime_val_t *args, size_t nargs,
                         wasmtime_val_t *results, size_t nresults) {
  (void)env, (void)args, (void)nargs, (void)results, (void)nresults;
  wasmtime_guestprofiler_sample(profiler, store, 2500); // 2 µs
  host_samples++;
  if (host_moves_epoch) wasmtime_engine_increment_epoch(engine);
  if (host_calls_nested) {
    wasmtime_engine_increment_epoch(engine);
    wasmtime_val_t arg = {.kind = WASMTIME_I32, .of.i32 = 5}, result;
    wasm_trap_t *trap = NULL;
    CHECK(wasmtime_func_call(wasmtime_caller_context(caller), &nested_work, &arg, 1, &result, 1, &trap) == NULL);
    CHECK(trap == NULL);
  }
  return NULL;
}

static wasmtime_module_t *compile(wasm_engine_t *on, const char *wat) {
  wasm_byte_vec_t wasm;
  wasmtime_module_t *module = NULL;
  wasmtime_error_t *error = wasmtime_wat2wasm(wat, strlen(wat), &wasm);
  CHECK(error == NULL);
  if (error) return NULL;
  CHECK(wasmtime_module_new(on, (uint8_t *)wasm.data, wasm.size, &module) == NULL);
  wasm_byte_vec_delete(&wasm);
  return module;
}

// The JSON of `out` as a NUL-terminated string (freed by the caller).
static char *text_of(const wasm_byte_vec_t *out) {
  char *text = malloc(out->size + 1);
  if (!text) abort();
  memcpy(text, out->data, out->size);
  text[out->size] = '\0';
  return text;
}

static wasm_name_t name_of(const char *text) {
  wasm_name_t name;
  wasm_name_new(&name, strlen(text), text);
  return name;
}

static wasmtime_guestprofiler_t *new_profiler(const char *name, const wasmtime_guestprofiler_modules_t *modules,
                                              size_t count) {
  wasm_name_t profile_name = name_of(name);
  wasmtime_guestprofiler_t *made = wasmtime_guestprofiler_new(engine, &profile_name, 1000000, modules, count);
  wasm_name_delete(&profile_name);
  CHECK(made != NULL);
  return made;
}

// Finishes `profiler` (consuming it); writes the profile to OUTPUT_DIR/NAME.json when a directory
// was given. Returns the number of samples the JSON says it holds (-1 without a profile).
static long finish_profile(const char *name) {
  wasm_byte_vec_t out;
  wasmtime_error_t *error = wasmtime_guestprofiler_finish(profiler, &out);
  profiler = NULL;
  CHECK(error == NULL);
  if (check_error(error, NULL)) return -1;
  long samples = -1;
  char *text = text_of(&out);
  const char *found = strstr(text, "\"samples\":{\"length\":");
  CHECK(found != NULL);
  if (found) samples = strtol(found + strlen("\"samples\":{\"length\":"), NULL, 10);
  free(text);
  CHECK(out.size > 0 && out.data[0] == '{' && out.data[out.size - 1] == '}');
  if (output_dir) {
    char path[4096];
    snprintf(path, sizeof path, "%s/%s.json", output_dir, name);
    FILE *file = fopen(path, "wb");
    CHECK(file != NULL);
    if (file) {
      CHECK(fwrite(out.data, 1, out.size, file) == out.size);
      fclose(file);
    }
  }
  wasm_byte_vec_delete(&out);
  return samples;
}

typedef struct {
  wasmtime_module_t *a, *b, *unused;
  wasmtime_instance_t instance_a, instance_b;
  wasmtime_func_t run, rec, work;
} program;

// Instantiates B, then A with the host function and B's `work`, in `store`.
static void instantiate(program *p) {
  wasmtime_context_t *context = wasmtime_store_context(store);
  wasm_trap_t *trap = NULL;
  CHECK(wasmtime_instance_new(context, p->b, NULL, 0, &p->instance_b, &trap) == NULL && trap == NULL);
  wasmtime_extern_t work;
  CHECK(wasmtime_instance_export_get(context, &p->instance_b, "work", 4, &work));
  p->work = work.of.func;
  wasm_functype_t *type = wasm_functype_new_0_0();
  wasmtime_func_t host_func;
  wasmtime_func_new(context, type, host, NULL, NULL, &host_func);
  wasm_functype_delete(type);
  wasmtime_extern_t imports[2] = {{.kind = WASMTIME_EXTERN_FUNC, .of.func = host_func}, work};
  CHECK(wasmtime_instance_new(context, p->a, imports, 2, &p->instance_a, &trap) == NULL && trap == NULL);
  wasmtime_extern_t item;
  CHECK(wasmtime_instance_export_get(context, &p->instance_a, "run", 3, &item));
  p->run = item.of.func;
  CHECK(wasmtime_instance_export_get(context, &p->instance_a, "rec", 3, &item));
  p->rec = item.of.func;
}

static void call_i32(const wasmtime_func_t *func, int32_t argument, int has_result) {
  wasmtime_val_t arg = {.kind = WASMTIME_I32, .of.i32 = argument}, result;
  wasm_trap_t *trap = NULL;
  CHECK(wasmtime_func_call(wasmtime_store_context(store), func, &arg, 1, &result, has_result ? 1 : 0, &trap) == NULL);
  CHECK(trap == NULL);
}

static void new_store(void) {
  store = wasmtime_store_new(engine, NULL, NULL);
  wasmtime_store_epoch_deadline_callback(store, on_epoch, NULL, NULL);
  wasmtime_context_set_epoch_deadline(wasmtime_store_context(store), 1);
}

// Samples from the host function and the epoch callback, with A, B and an unused module listed,
// a sample before any call, one of a store of another engine, and one after the call.
static void scenario_calls(program *p, int list_b) {
  wasm_name_t a_name = name_of("a.wasm"), b_name = name_of("b.wasm"), unused_name = name_of("unused.wasm");
  wasmtime_guestprofiler_modules_t modules[3] = {{&a_name, p->a}, {&unused_name, p->unused}, {&b_name, p->b}};
  profiler = new_profiler("calls", modules, list_b ? 3 : 1);
  wasm_name_delete(&a_name), wasm_name_delete(&b_name), wasm_name_delete(&unused_name);
  new_store();
  wasmtime_guestprofiler_sample(profiler, store, 7000); // nothing runs yet
  wasm_engine_t *other_engine = wasm_engine_new();
  wasmtime_store_t *other_store = wasmtime_store_new(other_engine, NULL, NULL);
  wasmtime_guestprofiler_sample(profiler, other_store, 0);
  wasmtime_store_delete(other_store);
  wasm_engine_delete(other_engine);
  instantiate(p);
  host_samples = epoch_samples = 0;
  call_i32(&p->run, 3, 1);
  CHECK(host_samples == 3 && epoch_samples == 3);
  wasmtime_guestprofiler_sample(profiler, store, 0);
  CHECK(finish_profile(list_b ? "calls" : "unlisted") == 9);
  wasmtime_store_delete(store);
}

// A host function calling into WebAssembly: the epoch callback samples inside the nested call.
static void scenario_nested(program *p) {
  wasm_name_t a_name = name_of("a.wasm"), b_name = name_of("b.wasm");
  wasmtime_guestprofiler_modules_t modules[2] = {{&b_name, p->b}, {&a_name, p->a}};
  profiler = new_profiler("nested", modules, 2);
  wasm_name_delete(&a_name), wasm_name_delete(&b_name);
  new_store();
  instantiate(p);
  nested_work = p->work;
  host_moves_epoch = 0, host_calls_nested = 1;
  host_samples = epoch_samples = 0;
  call_i32(&p->run, 1, 1);
  host_moves_epoch = 1, host_calls_nested = 0;
  // The nested call reaches the deadline at `work`'s entry; its callback moves the deadline on,
  // so the outer call's `work` does not reach it.
  CHECK(host_samples == 1 && epoch_samples == 1);
  CHECK(finish_profile("nested") == 2);
  wasmtime_store_delete(store);
}

// A sample 64 calls deep.
static void scenario_recursion(program *p) {
  wasm_name_t a_name = name_of("a.wasm");
  wasmtime_guestprofiler_modules_t modules[1] = {{&a_name, p->a}};
  profiler = new_profiler("recursion", modules, 1);
  wasm_name_delete(&a_name);
  new_store();
  instantiate(p);
  host_moves_epoch = 0;
  host_samples = epoch_samples = 0;
  call_i32(&p->rec, 63, 0);
  call_i32(&p->rec, 63, 0); // the same stack again: nothing new in the tables
  host_moves_epoch = 1;
  CHECK(host_samples == 2 && epoch_samples == 0);
  CHECK(finish_profile("recursion") == 2);
  wasmtime_store_delete(store);
}

// Names that JSON must escape, in the profile's name, a module's name and a name section.
static void scenario_names(void) {
  // (module (func (export "f")) (custom "name": function 0 named "q\"b\\s\n\x01\xc3\xa9"))
  static const uint8_t module_bytes[] = {
      0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,       // header
      0x01, 0x04, 0x01, 0x60, 0x00, 0x00,                   // type section: () -> ()
      0x03, 0x02, 0x01, 0x00,                               // function section
      0x07, 0x05, 0x01, 0x01, 'f', 0x00, 0x00,              // export "f"
      0x0a, 0x04, 0x01, 0x02, 0x00, 0x0b,                   // code: empty body
      0x00, 0x15, 0x04, 'n', 'a', 'm', 'e',                 // custom section "name"
      0x01, 0x0e, 0x01, 0x00, 0x0b,                         // function names: 1 entry, index 0, 11 bytes
      'q', '"', 'b', '\\', 's', '\n', 0x01, 0x7f, 0xc3, 0xa9, '/'};
  wasmtime_module_t *module = NULL;
  CHECK(wasmtime_module_new(engine, module_bytes, sizeof module_bytes, &module) == NULL);
  wasm_name_t module_name = name_of("m\"\\\t\x1f\xe2\x82\xac.wasm");
  wasmtime_guestprofiler_modules_t modules[1] = {{&module_name, module}};
  profiler = new_profiler("names \"quoted\"\n", modules, 1);
  wasm_name_delete(&module_name);
  new_store();
  wasm_trap_t *trap = NULL;
  wasmtime_instance_t instance;
  CHECK(wasmtime_instance_new(wasmtime_store_context(store), module, NULL, 0, &instance, &trap) == NULL);
  wasmtime_extern_t f;
  CHECK(wasmtime_instance_export_get(wasmtime_store_context(store), &instance, "f", 1, &f));
  // The deadline is reached at the entry of `f`.
  wasmtime_engine_increment_epoch(engine);
  epoch_samples = 0;
  CHECK(wasmtime_func_call(wasmtime_store_context(store), &f.of.func, NULL, 0, NULL, 0, &trap) == NULL);
  CHECK(epoch_samples == 1);
  CHECK(finish_profile("names") == 1);
  wasmtime_store_delete(store);
  wasmtime_module_delete(module);
}

// No modules at all (NULL with a length of 0), a store that never ran, a zero interval.
static void scenario_empty(void) {
  wasm_name_t name = name_of("empty");
  profiler = wasmtime_guestprofiler_new(engine, &name, 0, NULL, 0);
  wasm_name_delete(&name);
  CHECK(profiler != NULL);
  new_store();
  wasmtime_guestprofiler_sample(profiler, store, 999);
  wasmtime_guestprofiler_sample(profiler, store, UINT64_MAX);
  CHECK(finish_profile("empty") == 2);
  wasmtime_store_delete(store);
  // A profiler deleted without output; delete(NULL) does nothing on swasm (wasmtime 50 crashes).
  wasm_name_t other = name_of("deleted");
  wasmtime_guestprofiler_t *deleted = wasmtime_guestprofiler_new(engine, &other, 1000, NULL, 0);
  wasm_name_delete(&other);
  CHECK(deleted != NULL);
  wasmtime_guestprofiler_delete(deleted);
#ifndef ON_WASMTIME
  wasmtime_guestprofiler_delete(NULL);
#endif
}

#ifndef ON_WASMTIME
// Where wasmtime aborts (a NULL, a name that is not UTF-8, a module of another engine), swasm
// refuses: NULL from new, nothing from sample, an error from finish.
static void refusals(program *p) {
  wasm_name_t good = name_of("good"), bad;
  wasm_name_new(&bad, 3, "a\xff" "b");
  wasmtime_guestprofiler_modules_t listed[1] = {{&good, p->a}};
  CHECK(wasmtime_guestprofiler_new(NULL, &good, 1, listed, 1) == NULL);
  CHECK(wasmtime_guestprofiler_new(engine, NULL, 1, listed, 1) == NULL);
  CHECK(wasmtime_guestprofiler_new(engine, &good, 1, NULL, 1) == NULL);
  CHECK(wasmtime_guestprofiler_new(engine, &good, 1, NULL, SIZE_MAX) == NULL);
  CHECK(wasmtime_guestprofiler_new(engine, &bad, 1, listed, 1) == NULL);
  wasmtime_guestprofiler_modules_t bad_name[1] = {{&bad, p->a}}, no_name[1] = {{NULL, p->a}}, no_module[1] = {{&good, NULL}};
  CHECK(wasmtime_guestprofiler_new(engine, &good, 1, bad_name, 1) == NULL);
  CHECK(wasmtime_guestprofiler_new(engine, &good, 1, no_name, 1) == NULL);
  CHECK(wasmtime_guestprofiler_new(engine, &good, 1, no_module, 1) == NULL);
  wasm_engine_t *other_engine = wasm_engine_new();
  wasmtime_module_t *foreign = compile(other_engine, unused_wat);
  wasmtime_guestprofiler_modules_t other[2] = {{&good, p->a}, {&good, foreign}};
  CHECK(wasmtime_guestprofiler_new(engine, &good, 1, other, 2) == NULL);
  wasmtime_module_delete(foreign);
  wasm_engine_delete(other_engine);
  // The same module twice is fine (its frames go to the first entry).
  wasmtime_guestprofiler_modules_t twice[2] = {{&good, p->a}, {&good, p->a}};
  wasmtime_guestprofiler_t *made = wasmtime_guestprofiler_new(engine, &good, 1, twice, 2);
  CHECK(made != NULL);
  wasmtime_guestprofiler_sample(NULL, store, 1);
  wasmtime_guestprofiler_sample(made, NULL, 1);
  wasm_byte_vec_t out = {.size = 5, .data = (char *)"poison"};
  CHECK(check_error(wasmtime_guestprofiler_finish(NULL, &out), "NULL"));
  CHECK(check_error(wasmtime_guestprofiler_finish(made, NULL), "NULL")); // consumed all the same
  wasm_name_delete(&good);
  wasm_name_delete(&bad);
}

// A thread sampling the store while the main thread runs it: the samples have empty stacks
// (its frames are not read from another thread); nothing crashes.
static atomic_int sampler_stop;
static wasmtime_guestprofiler_t *thread_profiler;
static atomic_long thread_samples;
static void *sampler(void *arg) {
  (void)arg;
  while (!atomic_load(&sampler_stop)) {
    wasmtime_guestprofiler_sample(thread_profiler, store, 1000);
    atomic_fetch_add(&thread_samples, 1);
  }
  return NULL;
}

static void scenario_other_thread(program *p) {
  wasm_name_t a_name = name_of("a.wasm"), b_name = name_of("b.wasm");
  wasmtime_guestprofiler_modules_t modules[2] = {{&a_name, p->a}, {&b_name, p->b}};
  profiler = new_profiler("main thread", modules, 2);
  thread_profiler = new_profiler("other thread", modules, 2);
  wasm_name_delete(&a_name), wasm_name_delete(&b_name);
  new_store();
  instantiate(p);
  pthread_t thread;
  CHECK(pthread_create(&thread, NULL, sampler, NULL) == 0);
  host_samples = epoch_samples = 0;
  for (int i = 0; i < 20 || atomic_load(&thread_samples) < 2000; i++) call_i32(&p->run, 200, 1);
  atomic_store(&sampler_stop, 1);
  pthread_join(thread, NULL);
  CHECK(host_samples >= 20 * 200 && epoch_samples >= 20 * 200);
  wasm_byte_vec_t out;
  wasmtime_error_t *error = wasmtime_guestprofiler_finish(thread_profiler, &out);
  CHECK(error == NULL);
  if (!check_error(error, NULL)) {
    // Every stack of the other thread's samples is null.
    char *text = text_of(&out);
    const char *stacks = strstr(text, "\"stack\":[");
    CHECK(stacks != NULL);
    if (stacks) {
      const char *end = strchr(stacks, ']');
      long nulls = 0;
      for (const char *at = stacks + strlen("\"stack\":["); at && at < end; at = strchr(at, ',')) {
        if (*at == ',') at++;
        CHECK(strncmp(at, "null", 4) == 0);
        nulls++;
      }
      CHECK(nulls == atomic_load(&thread_samples));
    }
    free(text);
    wasm_byte_vec_delete(&out);
  }
  // The main thread's samples do have stacks.
  wasm_byte_vec_t main_out;
  CHECK(wasmtime_guestprofiler_finish(profiler, &main_out) == NULL);
  profiler = NULL;
  char *main_text = text_of(&main_out);
  CHECK(strstr(main_text, "\"middle\"") != NULL);
  free(main_text);
  wasm_byte_vec_delete(&main_out);
  wasmtime_store_delete(store);
}
#endif

int main(int argc, char **argv) {
  output_dir = argc > 1 ? argv[1] : NULL;
  wasm_config_t *config = wasm_config_new();
  wasmtime_config_epoch_interruption_set(config, true);
  engine = wasm_engine_new_with_config(config);
  program p;
  p.a = compile(engine, a_wat);
  p.b = compile(engine, b_wat);
  p.unused = compile(engine, unused_wat);
  if (!p.a || !p.b || !p.unused) return check_report("test_guest_profiler");
  scenario_calls(&p, 1);
  scenario_calls(&p, 0);
  scenario_nested(&p);
  scenario_recursion(&p);
  scenario_names();
  scenario_empty();
#ifndef ON_WASMTIME
  new_store();
  refusals(&p);
  wasmtime_store_delete(store);
  scenario_other_thread(&p);
#endif
  wasmtime_module_delete(p.a);
  wasmtime_module_delete(p.b);
  wasmtime_module_delete(p.unused);
  wasm_engine_delete(engine);
  return check_report("test_guest_profiler");
}
