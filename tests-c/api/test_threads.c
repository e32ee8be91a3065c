// The threads proposal through the C API, with the same expectations on libswasm.so and on
// wasmtime 50.0.1's C library: shared memories made by the host (all of sharedmemory.h: new and
// its refusals, clone, delete, type, data, data_size, size, grow), imported by instances directly
// and through a linker, defined and exported by modules (each export an owned handle); the atomic
// instructions (loads, stores, read-modify-writes, compare-exchanges, sub-word forms, fence) with
// their alignment-then-bounds traps; THREADS threads, each with its own stores, counting on one
// shared memory (32-bit rmw.add, 64-bit cmpxchg loop) to exact totals, while sharing one engine and
// one module whose clones they create and drop concurrently; memory.atomic.wait32/64 and notify
// across threads, values that differ, timeouts, non-shared memories; memory growth seen by every
// instance and by the host.
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <wasmtime.h>

#include "check.h"

#define I32(x) {.kind = WASMTIME_I32, .of.i32 = (int32_t)(x)}
#define I64(x) {.kind = WASMTIME_I64, .of.i64 = (int64_t)(x)}
// An argument array and its length.
#define ARGS(...) (const wasmtime_val_t[]){__VA_ARGS__}, sizeof((wasmtime_val_t[]){__VA_ARGS__}) / sizeof(wasmtime_val_t)
// Calls an export that must return normally; evaluates to its result (i32 sign-extended, 0 if none).
#define RUN(context, instance, ...) run_at(__LINE__, context, instance, __VA_ARGS__)

enum { THREADS = 32, COUNT = 20000, ROUNDS = 4, WAITERS = 2, RETRIES = 4000, PAGE = 65536 };
// Addresses in the shared memory of the atomics tests.
enum {
  RMW32 = 0, RMW64 = 8, SUBWORD = 64, SUBWORD64 = 72, NARROW = 80, COUNTER32 = 256, COUNTER64 = 264,
  WAIT32 = 512, WAIT64 = 520, HANDOFF = 528, IDLE32 = 536, IDLE64 = 544, HOST = 1024,
};
#define COUNTER64_START INT64_C(0xFFFF0000)  // the 64-bit count crosses into the upper word

// Every function of the atomics tests, on an imported shared memory of 1 to 4 pages.
static const char atomics_text[] =
    "(module"
    " (import \"env\" \"mem\" (memory 1 4 shared))"
    " (func (export \"load32\") (param i32) (result i32) (i32.atomic.load (local.get 0)))"
    " (func (export \"load32_off\") (param i32) (result i32) (i32.atomic.load offset=4 (local.get 0)))"
    " (func (export \"load64\") (param i32) (result i64) (i64.atomic.load (local.get 0)))"
    " (func (export \"load8\") (param i32) (result i32) (i32.atomic.load8_u (local.get 0)))"
    " (func (export \"load16\") (param i32) (result i32) (i32.atomic.load16_u (local.get 0)))"
    " (func (export \"load16_64\") (param i32) (result i64) (i64.atomic.load16_u (local.get 0)))"
    " (func (export \"load32_64\") (param i32) (result i64) (i64.atomic.load32_u (local.get 0)))"
    " (func (export \"store32\") (param i32 i32) (i32.atomic.store (local.get 0) (local.get 1)))"
    " (func (export \"store64\") (param i32 i64) (i64.atomic.store (local.get 0) (local.get 1)))"
    " (func (export \"store8\") (param i32 i32) (i32.atomic.store8 (local.get 0) (local.get 1)))"
    " (func (export \"store16_64\") (param i32 i64) (i64.atomic.store16 (local.get 0) (local.get 1)))"
    " (func (export \"add32\") (param i32 i32) (result i32) (i32.atomic.rmw.add (local.get 0) (local.get 1)))"
    " (func (export \"sub32\") (param i32 i32) (result i32) (i32.atomic.rmw.sub (local.get 0) (local.get 1)))"
    " (func (export \"and32\") (param i32 i32) (result i32) (i32.atomic.rmw.and (local.get 0) (local.get 1)))"
    " (func (export \"or32\") (param i32 i32) (result i32) (i32.atomic.rmw.or (local.get 0) (local.get 1)))"
    " (func (export \"xor32\") (param i32 i32) (result i32) (i32.atomic.rmw.xor (local.get 0) (local.get 1)))"
    " (func (export \"xchg32\") (param i32 i32) (result i32) (i32.atomic.rmw.xchg (local.get 0) (local.get 1)))"
    " (func (export \"cmpxchg32\") (param i32 i32 i32) (result i32)"
    "  (i32.atomic.rmw.cmpxchg (local.get 0) (local.get 1) (local.get 2)))"
    " (func (export \"add64\") (param i32 i64) (result i64) (i64.atomic.rmw.add (local.get 0) (local.get 1)))"
    " (func (export \"sub64\") (param i32 i64) (result i64) (i64.atomic.rmw.sub (local.get 0) (local.get 1)))"
    " (func (export \"and64\") (param i32 i64) (result i64) (i64.atomic.rmw.and (local.get 0) (local.get 1)))"
    " (func (export \"or64\") (param i32 i64) (result i64) (i64.atomic.rmw.or (local.get 0) (local.get 1)))"
    " (func (export \"xor64\") (param i32 i64) (result i64) (i64.atomic.rmw.xor (local.get 0) (local.get 1)))"
    " (func (export \"xchg64\") (param i32 i64) (result i64) (i64.atomic.rmw.xchg (local.get 0) (local.get 1)))"
    " (func (export \"cmpxchg64\") (param i32 i64 i64) (result i64)"
    "  (i64.atomic.rmw.cmpxchg (local.get 0) (local.get 1) (local.get 2)))"
    " (func (export \"add8\") (param i32 i32) (result i32) (i32.atomic.rmw8.add_u (local.get 0) (local.get 1)))"
    " (func (export \"xchg16\") (param i32 i32) (result i32) (i32.atomic.rmw16.xchg_u (local.get 0) (local.get 1)))"
    " (func (export \"cmpxchg8\") (param i32 i32 i32) (result i32)"
    "  (i32.atomic.rmw8.cmpxchg_u (local.get 0) (local.get 1) (local.get 2)))"
    " (func (export \"sub32_64\") (param i32 i64) (result i64) (i64.atomic.rmw32.sub_u (local.get 0) (local.get 1)))"
    " (func (export \"or16_64\") (param i32 i64) (result i64) (i64.atomic.rmw16.or_u (local.get 0) (local.get 1)))"
    " (func (export \"and8_64\") (param i32 i64) (result i64) (i64.atomic.rmw8.and_u (local.get 0) (local.get 1)))"
    " (func (export \"cmpxchg32_64\") (param i32 i64 i64) (result i64)"
    "  (i64.atomic.rmw32.cmpxchg_u (local.get 0) (local.get 1) (local.get 2)))"
    // A plain store, a fence, an atomic load.
    " (func (export \"fenced\") (param i32 i32) (result i32)"
    "  (i32.store (local.get 0) (local.get 1)) (atomic.fence) (i32.atomic.load (local.get 0)))"
    " (func (export \"wait32\") (param i32 i32 i64) (result i32)"
    "  (memory.atomic.wait32 (local.get 0) (local.get 1) (local.get 2)))"
    " (func (export \"wait64\") (param i32 i64 i64) (result i32)"
    "  (memory.atomic.wait64 (local.get 0) (local.get 1) (local.get 2)))"
    " (func (export \"notify\") (param i32 i32) (result i32) (memory.atomic.notify (local.get 0) (local.get 1)))"
    // Waits until the i32 at the address is non-zero, then returns it.
    " (func (export \"await\") (param $addr i32) (result i32)"
    "  (loop $again"
    "   (if (i32.eqz (i32.atomic.load (local.get $addr)))"
    "    (then (drop (memory.atomic.wait32 (local.get $addr) (i32.const 0) (i64.const -1))) (br $again))))"
    "  (i32.atomic.load (local.get $addr)))"
    " (func (export \"size\") (result i32) (memory.size))"
    " (func (export \"grow\") (param i32) (result i32) (memory.grow (local.get 0)))"
    // Adds 1 to the i32 at $addr, $n times.
    " (func (export \"count\") (param $addr i32) (param $n i32)"
    "  (loop $next"
    "   (if (local.get $n) (then"
    "    (drop (i32.atomic.rmw.add (local.get $addr) (i32.const 1)))"
    "    (local.set $n (i32.sub (local.get $n) (i32.const 1)))"
    "    (br $next)))))"
    // Adds 1 to the i64 at $addr, $n times, by compare-exchange.
    " (func (export \"count64\") (param $addr i32) (param $n i32) (local $old i64)"
    "  (loop $next"
    "   (if (local.get $n) (then"
    "    (local.set $old (i64.atomic.load (local.get $addr)))"
    "    (if (i64.eq (i64.atomic.rmw.cmpxchg (local.get $addr) (local.get $old)"
    "                                        (i64.add (local.get $old) (i64.const 1)))"
    "                (local.get $old))"
    "     (then (local.set $n (i32.sub (local.get $n) (i32.const 1)))))"
    "    (br $next)))))"
    ")";

// A module defining (and exporting) its own shared memory.
static const char own_text[] =
    "(module"
    " (memory (export \"mem\") 1 2 shared)"
    " (func (export \"add32\") (param i32 i32) (result i32) (i32.atomic.rmw.add (local.get 0) (local.get 1))))";

// Waits and notifies on a memory that is not shared.
static const char unshared_text[] =
    "(module"
    " (memory (export \"mem\") 1 1)"
    " (func (export \"wait32\") (param i32 i32 i64) (result i32)"
    "  (memory.atomic.wait32 (local.get 0) (local.get 1) (local.get 2)))"
    " (func (export \"wait64\") (param i32 i64 i64) (result i32)"
    "  (memory.atomic.wait64 (local.get 0) (local.get 1) (local.get 2)))"
    " (func (export \"notify\") (param i32 i32) (result i32) (memory.atomic.notify (local.get 0) (local.get 1)))"
    " (func (export \"add32\") (param i32 i32) (result i32) (i32.atomic.rmw.add (local.get 0) (local.get 1))))";

// Imports that the shared memory of 1 to 4 pages does not satisfy.
static const char want_unshared_text[] = "(module (import \"env\" \"mem\" (memory 1 4)))";
static const char want_max2_text[] = "(module (import \"env\" \"mem\" (memory 1 2 shared)))";

static wasmtime_module_t *compile(wasm_engine_t *engine, const char *text) {
  wasm_byte_vec_t wasm;
  wasmtime_module_t *module = NULL;
  if (check_error(wasmtime_wat2wasm(text, strlen(text), &wasm), "")) return NULL;
  CHECK(!check_error(wasmtime_module_new(engine, (const uint8_t *)wasm.data, wasm.size, &module), ""));
  wasm_byte_vec_delete(&wasm);
  return module;
}

static void module_delete(wasmtime_module_t *module) {
  if (module != NULL) wasmtime_module_delete(module);
}

static wasm_memorytype_t *memory_type(uint64_t min, uint64_t max, bool shared) {
  wasm_memorytype_t *type = NULL;
  CHECK(!check_error(wasmtime_memorytype_new(min, true, max, false, shared, 16, &type), ""));
  return type;
}

// Instantiates `module` with `memory` as its only import (none if NULL); true on success.
static bool instantiate(wasmtime_context_t *context, const wasmtime_module_t *module,
                        wasmtime_sharedmemory_t *memory, wasmtime_instance_t *instance) {
  wasmtime_extern_t import = {.kind = WASMTIME_EXTERN_SHAREDMEMORY, .of.sharedmemory = memory};
  wasm_trap_t *trap = NULL;
  bool failed = check_error(wasmtime_instance_new(context, module, &import, memory ? 1 : 0, instance, &trap), "");
  if (trap != NULL) wasm_trap_delete(trap);
  CHECK(!failed && trap == NULL);
  return !failed && trap == NULL;
}

static _Thread_local char trap_message[512];  // of the last trap seen by call()

// Calls export `name`. Returns -1 when it returns (its result, if any, in *result, an i32
// sign-extended), the trap code when it traps (message in trap_message), -2 on anything else.
static int call(wasmtime_context_t *context, const wasmtime_instance_t *instance, const char *name,
                const wasmtime_val_t *args, size_t nargs, int64_t *result) {
  wasmtime_extern_t func;
  if (!wasmtime_instance_export_get(context, instance, name, strlen(name), &func) || func.kind != WASMTIME_EXTERN_FUNC)
    return -2;
  wasm_functype_t *type = wasmtime_func_type(context, &func.of.func);
  size_t nresults = wasm_functype_results(type)->size;
  wasm_functype_delete(type);
  if (nresults > 1) return -2;
  wasmtime_val_t value = {.kind = WASMTIME_I32};
  wasm_trap_t *trap = NULL;
  if (check_error(wasmtime_func_call(context, &func.of.func, args, nargs, &value, nresults, &trap), NULL)) return -2;
  if (trap != NULL) {
    wasmtime_trap_code_t code;
    int outcome = wasmtime_trap_code(trap, &code) ? (int)code : -2;
    wasm_message_t message;
    wasm_trap_message(trap, &message);
    snprintf(trap_message, sizeof trap_message, "%.*s", (int)message.size, message.data);
    wasm_byte_vec_delete(&message);
    wasm_trap_delete(trap);
    return outcome;
  }
  if (result != NULL) *result = nresults == 0 ? 0 : value.kind == WASMTIME_I32 ? value.of.i32 : value.of.i64;
  return -1;
}

static int64_t run_at(int line, wasmtime_context_t *context, const wasmtime_instance_t *instance, const char *name,
                      const wasmtime_val_t *args, size_t nargs) {
  int64_t result = 0;
  int outcome = call(context, instance, name, args, nargs, &result);
  if (outcome != -1) {
    fprintf(stderr, "%s:%d: %s did not return (%d)\n", __FILE__, line, name, outcome);
    check_failures++;
  }
  return result;
}

// Calls an export that must trap; evaluates to the trap code.
#define TRAP(context, instance, name, ...) call(context, instance, name, __VA_ARGS__, NULL)

static int64_t elapsed_ns(const struct timespec *since) {
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  return (int64_t)(now.tv_sec - since->tv_sec) * 1000000000 + (now.tv_nsec - since->tv_nsec);
}

static void pause_briefly(void) {
  struct timespec delay = {0, 1000000};  // 1 ms
  nanosleep(&delay, NULL);
}

// 1. sharedmemory.h on its own: creation and its refusals, type, data, sizes, clone, grow.
static void test_sharedmemory(wasm_engine_t *engine, wasm_engine_t *plain_engine) {
  wasm_memorytype_t *shared = memory_type(1, 4, true), *unshared = memory_type(1, 4, false);
  wasmtime_sharedmemory_t *memory = NULL;
  // The engine must enable shared memories, and the type be shared (with a maximum, which
  // wasmtime_memorytype_new already requires).
  CHECK(check_error(wasmtime_sharedmemory_new(plain_engine, shared, &memory), "shared memory support is disabled"));
  CHECK(memory == NULL);
  CHECK(check_error(wasmtime_sharedmemory_new(engine, unshared, &memory), "shared"));
  CHECK(memory == NULL);
  wasm_memorytype_t *unbounded = NULL;
  CHECK(check_error(wasmtime_memorytype_new(1, false, 0, false, true, 16, &unbounded), "maximum"));
  CHECK(unbounded == NULL);

  CHECK(!check_error(wasmtime_sharedmemory_new(engine, shared, &memory), ""));
  if (memory == NULL) goto done;
  wasm_memorytype_t *type = wasmtime_sharedmemory_type(memory);
  uint64_t max = 0;
  CHECK(type != NULL && wasmtime_memorytype_isshared(type) && !wasmtime_memorytype_is64(type));
  CHECK(type != NULL && wasmtime_memorytype_minimum(type) == 1);
  CHECK(type != NULL && wasmtime_memorytype_maximum(type, &max) && max == 4);
  CHECK(type != NULL && wasmtime_memorytype_page_size_log2(type) == 16);
  wasm_memorytype_delete(type);
  uint8_t *data = wasmtime_sharedmemory_data(memory);
  CHECK(data != NULL);
  CHECK(wasmtime_sharedmemory_size(memory) == 1);
  CHECK(wasmtime_sharedmemory_data_size(memory) == PAGE);
  CHECK(data != NULL && data[0] == 0 && data[PAGE - 1] == 0);

  // A clone is another handle to the same memory, which outlives the deleted clone.
  wasmtime_sharedmemory_t *clone = wasmtime_sharedmemory_clone(memory);
  CHECK(clone != NULL && clone != memory);
  CHECK(wasmtime_sharedmemory_data(clone) == data && wasmtime_sharedmemory_size(clone) == 1);
  if (data != NULL) data[PAGE - 1] = 0x5a;
  CHECK(wasmtime_sharedmemory_data(clone)[PAGE - 1] == 0x5a);

  // Growth, through either handle, to the maximum and not beyond; the memory never moves.
  uint64_t previous = 99;
  CHECK(!check_error(wasmtime_sharedmemory_grow(clone, 1, &previous), ""));
  CHECK(previous == 1);
  CHECK(wasmtime_sharedmemory_size(memory) == 2 && wasmtime_sharedmemory_data_size(memory) == 2 * PAGE);
  CHECK(wasmtime_sharedmemory_data(memory) == data);
  wasmtime_sharedmemory_delete(clone);
  previous = 99;
  CHECK(check_error(wasmtime_sharedmemory_grow(memory, 3, &previous), "failed to grow memory"));
  CHECK(previous == 99 && wasmtime_sharedmemory_size(memory) == 2);
  CHECK(!check_error(wasmtime_sharedmemory_grow(memory, 0, &previous), ""));
  CHECK(previous == 2 && wasmtime_sharedmemory_size(memory) == 2);
  CHECK(!check_error(wasmtime_sharedmemory_grow(memory, 2, &previous), ""));
  CHECK(previous == 2 && wasmtime_sharedmemory_size(memory) == 4 && wasmtime_sharedmemory_data_size(memory) == 4 * PAGE);
  CHECK(check_error(wasmtime_sharedmemory_grow(memory, 1, &previous), "failed to grow memory"));
  CHECK(wasmtime_sharedmemory_size(memory) == 4);
  CHECK(data != NULL && data[PAGE - 1] == 0x5a && data[4 * PAGE - 1] == 0);
  // The type keeps its declared minimum after growth.
  type = wasmtime_sharedmemory_type(memory);
  CHECK(type != NULL && wasmtime_memorytype_minimum(type) == 1);
  wasm_memorytype_delete(type);
  wasmtime_sharedmemory_delete(memory);

  // A 64-bit shared memory.
  wasm_memorytype_t *type64 = NULL;
  CHECK(!check_error(wasmtime_memorytype_new(2, true, 3, true, true, 16, &type64), ""));
  memory = NULL;
  CHECK(!check_error(wasmtime_sharedmemory_new(engine, type64, &memory), ""));
  wasm_memorytype_delete(type64);
  if (memory != NULL) {
    type = wasmtime_sharedmemory_type(memory);
    CHECK(type != NULL && wasmtime_memorytype_is64(type) && wasmtime_memorytype_isshared(type));
    wasm_memorytype_delete(type);
    CHECK(wasmtime_sharedmemory_size(memory) == 2 && wasmtime_sharedmemory_data_size(memory) == 2 * PAGE);
    wasmtime_sharedmemory_delete(memory);
  }
done:
  wasm_memorytype_delete(shared);
  wasm_memorytype_delete(unshared);
}

// 2. Shared memories imported (directly, through a linker), refused by mismatched imports, and
// exported (defined by the module or imported).
static void test_import_export(wasm_engine_t *engine, wasm_engine_t *plain_engine, wasmtime_module_t *atomics,
                               wasmtime_sharedmemory_t *memory) {
  wasmtime_store_t *store = wasmtime_store_new(engine, NULL, NULL);
  wasmtime_context_t *context = wasmtime_store_context(store);
  uint8_t *data = wasmtime_sharedmemory_data(memory);

  // Imported directly: writes through the host's pointer are seen by Wasm and back.
  wasmtime_instance_t instance;
  bool instantiated = instantiate(context, atomics, memory, &instance);
  if (instantiated) {
    memcpy(data + HOST, "\x78\x56\x34\x12", 4);
    CHECK(RUN(context, &instance, "load32", ARGS(I32(HOST))) == 0x12345678);
    RUN(context, &instance, "store32", ARGS(I32(HOST + 4), I32(0x0a0b0c0d)));
    CHECK(memcmp(data + HOST + 4, "\x0d\x0c\x0b\x0a", 4) == 0);
    CHECK(RUN(context, &instance, "size", NULL, 0) == 1);

    // The instance exports no memory; the import is the host's memory.
    wasmtime_extern_t item;
    CHECK(!wasmtime_instance_export_get(context, &instance, "mem", 3, &item));
  }

  // Through a linker, which keeps its own handle: the definition can be read back (an owned handle).
  wasmtime_linker_t *linker = wasmtime_linker_new(engine);
  wasmtime_extern_t import = {.kind = WASMTIME_EXTERN_SHAREDMEMORY, .of.sharedmemory = memory};
  CHECK(!check_error(wasmtime_linker_define(linker, context, "env", 3, "mem", 3, &import), ""));
  wasmtime_extern_t item;
  CHECK(wasmtime_linker_get(linker, context, "env", 3, "mem", 3, &item));
  CHECK(item.kind == WASMTIME_EXTERN_SHAREDMEMORY);
  if (item.kind == WASMTIME_EXTERN_SHAREDMEMORY) {
    CHECK(item.of.sharedmemory != memory && wasmtime_sharedmemory_data(item.of.sharedmemory) == data);
    wasmtime_extern_delete(&item);
  }
  wasmtime_instance_t linked;
  wasm_trap_t *trap = NULL;
  CHECK(!check_error(wasmtime_linker_instantiate(linker, context, atomics, &linked, &trap), "") && trap == NULL);
  if (trap == NULL && instantiated) {
    CHECK(RUN(context, &linked, "add32", ARGS(I32(HOST), I32(1))) == 0x12345678);
    CHECK(RUN(context, &instance, "load32", ARGS(I32(HOST))) == 0x12345679);
  }

  // Imports the shared memory does not satisfy: not shared, or a smaller maximum.
  wasmtime_module_t *want_unshared = compile(engine, want_unshared_text);
  wasmtime_module_t *want_max2 = compile(engine, want_max2_text);
  wasmtime_instance_t refused;
  trap = NULL;
  if (want_unshared != NULL && want_max2 != NULL) {
    CHECK(check_error(wasmtime_instance_new(context, want_unshared, &import, 1, &refused, &trap), "incompatible import type"));
    CHECK(check_error(wasmtime_instance_new(context, want_max2, &import, 1, &refused, &trap), "incompatible import type"));
  }
  // ... nor does an unshared memory satisfy a shared import.
  wasm_memorytype_t *unshared_type = memory_type(1, 4, false);
  wasmtime_extern_t unshared = {.kind = WASMTIME_EXTERN_MEMORY};
  CHECK(!check_error(wasmtime_memory_new(context, unshared_type, &unshared.of.memory), ""));
  CHECK(check_error(wasmtime_instance_new(context, atomics, &unshared, 1, &refused, &trap), "incompatible import type"));
  CHECK(trap == NULL);
  wasm_memorytype_delete(unshared_type);
  module_delete(want_unshared);
  module_delete(want_max2);

  // A module defining its own shared memory: each export is a new owned handle to it.
  wasmtime_module_t *own = compile(engine, own_text);
  wasmtime_instance_t owner;
  if (own != NULL && instantiate(context, own, NULL, &owner)) {
    wasmtime_extern_t first, second;
    CHECK(wasmtime_instance_export_get(context, &owner, "mem", 3, &first));
    CHECK(first.kind == WASMTIME_EXTERN_SHAREDMEMORY);
    CHECK(wasmtime_instance_export_get(context, &owner, "mem", 3, &second));
    CHECK(second.kind == WASMTIME_EXTERN_SHAREDMEMORY);
    if (first.kind == WASMTIME_EXTERN_SHAREDMEMORY && second.kind == WASMTIME_EXTERN_SHAREDMEMORY) {
      CHECK(first.of.sharedmemory != second.of.sharedmemory);
      uint8_t *own_data = wasmtime_sharedmemory_data(first.of.sharedmemory);
      CHECK(own_data != NULL && own_data == wasmtime_sharedmemory_data(second.of.sharedmemory));
      CHECK(wasmtime_sharedmemory_size(first.of.sharedmemory) == 1);
      wasm_memorytype_t *type = wasmtime_sharedmemory_type(first.of.sharedmemory);
      uint64_t max = 0;
      CHECK(type != NULL && wasmtime_memorytype_isshared(type) && wasmtime_memorytype_maximum(type, &max) && max == 2);
      wasm_memorytype_delete(type);
      CHECK(RUN(context, &owner, "add32", ARGS(I32(12), I32(0x77))) == 0);
      CHECK(own_data != NULL && own_data[12] == 0x77);
      // The extern's type is a shared memory type.
      wasm_externtype_t *externtype = wasmtime_extern_type(context, &first);
      CHECK(externtype != NULL && wasm_externtype_kind(externtype) == WASM_EXTERN_MEMORY);
      if (externtype != NULL && wasm_externtype_kind(externtype) == WASM_EXTERN_MEMORY)
        CHECK(wasmtime_memorytype_isshared(wasm_externtype_as_memorytype_const(externtype)));
      wasm_externtype_delete(externtype);
      // Exported by index too, as an owned handle; it outlives the other handles and the store.
      char *name = NULL;
      size_t name_len = 0;
      wasmtime_extern_t nth;
      CHECK(wasmtime_instance_export_nth(context, &owner, 0, &name, &name_len, &nth));
      CHECK(name_len == 3 && memcmp(name, "mem", 3) == 0);
      CHECK(nth.kind == WASMTIME_EXTERN_SHAREDMEMORY);
      wasmtime_extern_delete(&first);
      wasmtime_extern_delete(&second);
      if (nth.kind == WASMTIME_EXTERN_SHAREDMEMORY) {
        wasmtime_store_delete(store);
        store = NULL;
        CHECK(wasmtime_sharedmemory_data(nth.of.sharedmemory)[12] == 0x77);
        wasmtime_extern_delete(&nth);
      }
    }
  }
  // Without the engine's switch, the module compiles but does not instantiate.
  wasmtime_module_t *own_plain = compile(plain_engine, own_text);
  wasmtime_store_t *plain_store = wasmtime_store_new(plain_engine, NULL, NULL);
  trap = NULL;
  if (own_plain != NULL)
    CHECK(check_error(wasmtime_instance_new(wasmtime_store_context(plain_store), own_plain, NULL, 0, &owner, &trap),
                   "shared memory support is disabled"));
  CHECK(trap == NULL);
  wasmtime_store_delete(plain_store);
  module_delete(own_plain);
  module_delete(own);
  wasmtime_linker_delete(linker);
  if (store != NULL) wasmtime_store_delete(store);
}

// 3. The atomic instructions on the shared memory, their results and traps.
static void test_atomics(wasmtime_context_t *context, const wasmtime_instance_t *instance) {
  const wasmtime_instance_t *in = instance;
  // 32-bit read-modify-writes return the old value.
  RUN(context, in, "store32", ARGS(I32(RMW32), I32(10)));
  CHECK(RUN(context, in, "add32", ARGS(I32(RMW32), I32(5))) == 10);
  CHECK(RUN(context, in, "sub32", ARGS(I32(RMW32), I32(20))) == 15);
  CHECK(RUN(context, in, "and32", ARGS(I32(RMW32), I32(0xff))) == -5);
  CHECK(RUN(context, in, "or32", ARGS(I32(RMW32), I32(0x100))) == 0xfb);
  CHECK(RUN(context, in, "xor32", ARGS(I32(RMW32), I32(0x1ff))) == 0x1fb);
  CHECK(RUN(context, in, "xchg32", ARGS(I32(RMW32), I32(42))) == 4);
  CHECK(RUN(context, in, "cmpxchg32", ARGS(I32(RMW32), I32(41), I32(7))) == 42);
  CHECK(RUN(context, in, "load32", ARGS(I32(RMW32))) == 42);
  CHECK(RUN(context, in, "cmpxchg32", ARGS(I32(RMW32), I32(42), I32(7))) == 42);
  CHECK(RUN(context, in, "load32", ARGS(I32(RMW32))) == 7);
  CHECK(RUN(context, in, "add32", ARGS(I32(RMW32), I32(INT32_MAX))) == 7);
  CHECK(RUN(context, in, "load32", ARGS(I32(RMW32))) == INT32_MIN + 6);  // wraps

  // 64-bit ones, with carries and comparisons across the words.
  RUN(context, in, "store64", ARGS(I32(RMW64), I64(INT64_C(0x100000000))));
  CHECK(RUN(context, in, "add64", ARGS(I32(RMW64), I64(0xffffffff))) == INT64_C(0x100000000));
  CHECK(RUN(context, in, "sub64", ARGS(I32(RMW64), I64(INT64_C(0x200000000)))) == INT64_C(0x1ffffffff));
  CHECK(RUN(context, in, "and64", ARGS(I32(RMW64), I64(UINT64_C(0xf0f0f0f0f0f0f0f0)))) == -1);
  CHECK(RUN(context, in, "or64", ARGS(I32(RMW64), I64(0x0f))) == (int64_t)UINT64_C(0xf0f0f0f0f0f0f0f0));
  CHECK(RUN(context, in, "xor64", ARGS(I32(RMW64), I64(UINT64_C(0xff00000000000000)))) ==
        (int64_t)UINT64_C(0xf0f0f0f0f0f0f0ff));
  CHECK(RUN(context, in, "xchg64", ARGS(I32(RMW64), I64(INT64_C(0x500000005)))) == INT64_C(0x0ff0f0f0f0f0f0ff));
  CHECK(RUN(context, in, "cmpxchg64", ARGS(I32(RMW64), I64(5), I64(9))) == INT64_C(0x500000005));
  CHECK(RUN(context, in, "cmpxchg64", ARGS(I32(RMW64), I64(INT64_C(0x500000005)), I64(-9))) == INT64_C(0x500000005));
  CHECK(RUN(context, in, "load64", ARGS(I32(RMW64))) == -9);
  CHECK(RUN(context, in, "load32", ARGS(I32(RMW64 + 4))) == -1);

  // Sub-word forms: operands and expected values wrapped to the width, results zero-extended, the
  // neighbouring bytes untouched.
  RUN(context, in, "store32", ARGS(I32(SUBWORD), I32(0x11223344)));
  CHECK(RUN(context, in, "load8", ARGS(I32(SUBWORD))) == 0x44);
  CHECK(RUN(context, in, "load8", ARGS(I32(SUBWORD + 3))) == 0x11);
  CHECK(RUN(context, in, "load16", ARGS(I32(SUBWORD + 2))) == 0x1122);
  CHECK(RUN(context, in, "add8", ARGS(I32(SUBWORD), I32(0x1ff))) == 0x44);
  CHECK(RUN(context, in, "load32", ARGS(I32(SUBWORD))) == 0x11223343);
  CHECK(RUN(context, in, "xchg16", ARGS(I32(SUBWORD + 2), I32(0x1abcd))) == 0x1122);
  CHECK(RUN(context, in, "load32", ARGS(I32(SUBWORD))) == (int32_t)0xabcd3343);
  CHECK(RUN(context, in, "cmpxchg8", ARGS(I32(SUBWORD), I32(0x143), I32(0x299))) == 0x43);
  CHECK(RUN(context, in, "cmpxchg8", ARGS(I32(SUBWORD + 1), I32(0x34), I32(0))) == 0x33);
  CHECK(RUN(context, in, "load32", ARGS(I32(SUBWORD))) == (int32_t)0xabcd3399);
  RUN(context, in, "store64", ARGS(I32(SUBWORD64), I64(INT64_C(0x0102030405060708))));
  CHECK(RUN(context, in, "sub32_64", ARGS(I32(SUBWORD64), I64(0x10))) == 0x05060708);
  CHECK(RUN(context, in, "sub32_64", ARGS(I32(SUBWORD64 + 4), I64(0x01020305))) == 0x01020304);
  CHECK(RUN(context, in, "load64", ARGS(I32(SUBWORD64))) == (int64_t)UINT64_C(0xffffffff050606f8));
  CHECK(RUN(context, in, "or16_64", ARGS(I32(SUBWORD64), I64(0x12340001))) == 0x06f8);
  CHECK(RUN(context, in, "and8_64", ARGS(I32(SUBWORD64 + 2), I64(-5))) == 0x06);
  CHECK(RUN(context, in, "load64", ARGS(I32(SUBWORD64))) == (int64_t)UINT64_C(0xffffffff050206f9));
  CHECK(RUN(context, in, "cmpxchg32_64", ARGS(I32(SUBWORD64), I64(UINT64_C(0xffffffff050206f9)),
                                              I64(INT64_C(0x123456789)))) == 0x050206f9);
  CHECK(RUN(context, in, "cmpxchg32_64", ARGS(I32(SUBWORD64), I64(0x050206f9), I64(0))) == 0x23456789);
  CHECK(RUN(context, in, "load64", ARGS(I32(SUBWORD64))) == (int64_t)UINT64_C(0xffffffff23456789));
  CHECK(RUN(context, in, "load16_64", ARGS(I32(SUBWORD64 + 2))) == 0x2345);
  CHECK(RUN(context, in, "load32_64", ARGS(I32(SUBWORD64 + 4))) == INT64_C(0xffffffff));
  RUN(context, in, "store8", ARGS(I32(NARROW), I32(0x1ff)));
  RUN(context, in, "store16_64", ARGS(I32(NARROW + 2), I64(UINT64_C(0xffffffffffff1234))));
  CHECK(RUN(context, in, "load32", ARGS(I32(NARROW))) == 0x123400ff);
  CHECK(RUN(context, in, "load32_off", ARGS(I32(NARROW - 4))) == 0x123400ff);
  CHECK(RUN(context, in, "fenced", ARGS(I32(NARROW), I32(0x600d))) == 0x600d);

  // Alignment (of the effective address) is checked before bounds; nothing is written by a trap.
  int code;
  CHECK((code = TRAP(context, in, "load32", ARGS(I32(RMW32 + 1)))) == WASMTIME_TRAP_CODE_HEAP_MISALIGNED);
  CHECK(code != WASMTIME_TRAP_CODE_HEAP_MISALIGNED || strstr(trap_message, "unaligned atomic") != NULL);
  CHECK(TRAP(context, in, "load32_off", ARGS(I32(2))) == WASMTIME_TRAP_CODE_HEAP_MISALIGNED);
  CHECK(TRAP(context, in, "load16", ARGS(I32(1))) == WASMTIME_TRAP_CODE_HEAP_MISALIGNED);
  CHECK(TRAP(context, in, "store32", ARGS(I32(RMW32 + 2), I32(-1))) == WASMTIME_TRAP_CODE_HEAP_MISALIGNED);
  CHECK(TRAP(context, in, "add64", ARGS(I32(RMW64 + 4), I64(1))) == WASMTIME_TRAP_CODE_HEAP_MISALIGNED);
  CHECK(TRAP(context, in, "xchg16", ARGS(I32(SUBWORD + 1), I32(0))) == WASMTIME_TRAP_CODE_HEAP_MISALIGNED);
  CHECK(TRAP(context, in, "cmpxchg64", ARGS(I32(RMW64 + 4), I64(-9), I64(0))) == WASMTIME_TRAP_CODE_HEAP_MISALIGNED);
  CHECK(TRAP(context, in, "sub32_64", ARGS(I32(SUBWORD64 + 2), I64(1))) == WASMTIME_TRAP_CODE_HEAP_MISALIGNED);
  CHECK(TRAP(context, in, "load32", ARGS(I32(PAGE + 2))) == WASMTIME_TRAP_CODE_HEAP_MISALIGNED);
  CHECK(TRAP(context, in, "add64", ARGS(I32(PAGE - 4), I64(1))) == WASMTIME_TRAP_CODE_HEAP_MISALIGNED);
  CHECK(TRAP(context, in, "load64", ARGS(I32(-4))) == WASMTIME_TRAP_CODE_HEAP_MISALIGNED);
  CHECK(RUN(context, in, "load32", ARGS(I32(RMW32))) == INT32_MIN + 6);
  CHECK(RUN(context, in, "load64", ARGS(I32(RMW64))) == -9);
  CHECK((code = TRAP(context, in, "load32", ARGS(I32(PAGE)))) == WASMTIME_TRAP_CODE_MEMORY_OUT_OF_BOUNDS);
  CHECK(code != WASMTIME_TRAP_CODE_MEMORY_OUT_OF_BOUNDS || strstr(trap_message, "out of bounds memory access") != NULL);
  CHECK(TRAP(context, in, "load32_off", ARGS(I32(PAGE - 4))) == WASMTIME_TRAP_CODE_MEMORY_OUT_OF_BOUNDS);
  CHECK(TRAP(context, in, "load64", ARGS(I32(-8))) == WASMTIME_TRAP_CODE_MEMORY_OUT_OF_BOUNDS);
  CHECK(TRAP(context, in, "add8", ARGS(I32(PAGE), I32(1))) == WASMTIME_TRAP_CODE_MEMORY_OUT_OF_BOUNDS);
  CHECK(TRAP(context, in, "cmpxchg8", ARGS(I32(PAGE), I32(0), I32(1))) == WASMTIME_TRAP_CODE_MEMORY_OUT_OF_BOUNDS);
  CHECK(TRAP(context, in, "store64", ARGS(I32(PAGE), I64(1))) == WASMTIME_TRAP_CODE_MEMORY_OUT_OF_BOUNDS);
  CHECK(TRAP(context, in, "xchg16", ARGS(I32(PAGE), I32(0))) == WASMTIME_TRAP_CODE_MEMORY_OUT_OF_BOUNDS);
  CHECK(RUN(context, in, "add8", ARGS(I32(PAGE - 1), I32(1))) == 0);  // the last byte is in bounds
  // wait and notify check alignment, then bounds, too.
  CHECK(TRAP(context, in, "wait32", ARGS(I32(IDLE32 + 2), I32(0), I64(0))) == WASMTIME_TRAP_CODE_HEAP_MISALIGNED);
  CHECK(TRAP(context, in, "wait64", ARGS(I32(IDLE64 + 4), I64(0), I64(0))) == WASMTIME_TRAP_CODE_HEAP_MISALIGNED);
  CHECK(TRAP(context, in, "notify", ARGS(I32(IDLE32 + 1), I32(1))) == WASMTIME_TRAP_CODE_HEAP_MISALIGNED);
  CHECK(TRAP(context, in, "wait32", ARGS(I32(PAGE + 1), I32(0), I64(0))) == WASMTIME_TRAP_CODE_HEAP_MISALIGNED);
  CHECK(TRAP(context, in, "wait32", ARGS(I32(PAGE), I32(0), I64(0))) == WASMTIME_TRAP_CODE_MEMORY_OUT_OF_BOUNDS);
  CHECK(TRAP(context, in, "wait64", ARGS(I32(PAGE), I64(0), I64(0))) == WASMTIME_TRAP_CODE_MEMORY_OUT_OF_BOUNDS);
  CHECK(TRAP(context, in, "notify", ARGS(I32(PAGE), I32(1))) == WASMTIME_TRAP_CODE_MEMORY_OUT_OF_BOUNDS);
}

// 4. Threads counting on the shared memory, each with its own stores and clones of the module.
struct counter {
  wasm_engine_t *engine;
  const wasmtime_module_t *module;
  wasmtime_sharedmemory_t *memory;  // this thread's handle, deleted by it
  pthread_barrier_t *start;
};

static void *count_thread(void *argument) {
  struct counter *counter = argument;
  pthread_barrier_wait(counter->start);
  for (int round = 0; round < ROUNDS; round++) {
    wasmtime_module_t *module = wasmtime_module_clone(counter->module);
    wasmtime_store_t *store = wasmtime_store_new(counter->engine, NULL, NULL);
    wasmtime_context_t *context = wasmtime_store_context(store);
    wasmtime_instance_t instance;
    CHECK(module != NULL);
    if (module != NULL && instantiate(context, module, counter->memory, &instance)) {
      RUN(context, &instance, "count", ARGS(I32(COUNTER32), I32(COUNT / ROUNDS)));
      RUN(context, &instance, "count64", ARGS(I32(COUNTER64), I32(COUNT / ROUNDS)));
    }
    wasmtime_store_delete(store);
    module_delete(module);
  }
  wasmtime_sharedmemory_delete(counter->memory);
  return NULL;
}

static void test_counting(wasm_engine_t *engine, const wasmtime_module_t *module, wasmtime_sharedmemory_t *memory) {
  uint8_t *data = wasmtime_sharedmemory_data(memory);
  int64_t start64 = COUNTER64_START;
  memset(data + COUNTER32, 0, 4);
  memcpy(data + COUNTER64, &start64, 8);
  pthread_barrier_t start;
  pthread_barrier_init(&start, NULL, THREADS);
  struct counter counters[THREADS];
  pthread_t threads[THREADS];
  for (int i = 0; i < THREADS; i++) {
    counters[i] = (struct counter){engine, module, wasmtime_sharedmemory_clone(memory), &start};
    pthread_create(&threads[i], NULL, count_thread, &counters[i]);
  }
  for (int i = 0; i < THREADS; i++) pthread_join(threads[i], NULL);
  pthread_barrier_destroy(&start);
  int32_t total32;
  int64_t total64;
  memcpy(&total32, data + COUNTER32, 4);
  memcpy(&total64, data + COUNTER64, 8);
  CHECK(total32 == THREADS * COUNT);
  CHECK(total64 == COUNTER64_START + THREADS * COUNT);
}

// 5. wait and notify: waiters in other threads woken by this one, values that differ, timeouts.
struct waiter {
  wasm_engine_t *engine;
  const wasmtime_module_t *module;
  wasmtime_sharedmemory_t *memory;
  const char *name;
  wasmtime_val_t args[3];
  size_t nargs;
  int64_t result;
};

static void *wait_thread(void *argument) {
  struct waiter *waiter = argument;
  wasmtime_store_t *store = wasmtime_store_new(waiter->engine, NULL, NULL);
  wasmtime_context_t *context = wasmtime_store_context(store);
  wasmtime_instance_t instance;
  waiter->result = -100;
  if (instantiate(context, waiter->module, waiter->memory, &instance))
    waiter->result = RUN(context, &instance, waiter->name, waiter->args, waiter->nargs);
  wasmtime_store_delete(store);
  return NULL;
}

// Starts `count` waiters in their threads. With `value` 0, notifies `address` (one waiter per call,
// retrying after a pause) until all are woken; otherwise stores `value` there and notifies once.
// Then joins the waiters and checks that each returned `expected`.
static void run_waiters(wasmtime_context_t *context, const wasmtime_instance_t *instance, struct waiter *waiters,
                        int count, int32_t address, int32_t value, int64_t expected) {
  pthread_t threads[WAITERS];
  for (int i = 0; i < count; i++) pthread_create(&threads[i], NULL, wait_thread, &waiters[i]);
  if (value != 0) {
    RUN(context, instance, "store32", ARGS(I32(address), I32(value)));
    int64_t n = RUN(context, instance, "notify", ARGS(I32(address), I32(count)));
    CHECK(n >= 0 && n <= count);
  } else {
    int64_t woken = 0;
    for (int tries = 0; tries < RETRIES && woken < count; tries++) {
      if (tries > 0) pause_briefly();
      int64_t n = RUN(context, instance, "notify", ARGS(I32(address), I32(1)));
      CHECK(n == 0 || n == 1);
      woken += n;
    }
    CHECK(woken == count);
  }
  for (int i = 0; i < count; i++) {
    pthread_join(threads[i], NULL);
    CHECK(waiters[i].result == expected);
  }
}

static void test_wait_notify(wasm_engine_t *engine, const wasmtime_module_t *module, wasmtime_sharedmemory_t *memory,
                             wasmtime_context_t *context, const wasmtime_instance_t *instance) {
  const wasmtime_instance_t *in = instance;
  // Nothing waits: notify wakes none; a value that differs returns 1 at once; timeouts return 2
  // after at least the time given (in nanoseconds).
  CHECK(RUN(context, in, "notify", ARGS(I32(WAIT32), I32(1))) == 0);
  CHECK(RUN(context, in, "notify", ARGS(I32(WAIT32), I32(0))) == 0);
  CHECK(RUN(context, in, "notify", ARGS(I32(WAIT64), I32(-1))) == 0);
  CHECK(RUN(context, in, "wait32", ARGS(I32(WAIT32), I32(1), I64(-1))) == 1);
  CHECK(RUN(context, in, "wait64", ARGS(I32(WAIT64), I64(INT64_C(0x100000000)), I64(-1))) == 1);
  CHECK(RUN(context, in, "wait32", ARGS(I32(IDLE32), I32(0), I64(0))) == 2);
  CHECK(RUN(context, in, "wait64", ARGS(I32(IDLE64), I64(0), I64(0))) == 2);
  struct timespec since;
  clock_gettime(CLOCK_MONOTONIC, &since);
  CHECK(RUN(context, in, "wait32", ARGS(I32(IDLE32), I32(0), I64(1000000))) == 2);
  CHECK(elapsed_ns(&since) >= 1000000);
  clock_gettime(CLOCK_MONOTONIC, &since);
  CHECK(RUN(context, in, "wait64", ARGS(I32(IDLE64), I64(0), I64(2000000))) == 2);
  CHECK(elapsed_ns(&since) >= 2000000);

  // Waiters with no timeout, woken one notify at a time: each returns 0 (woken).
  struct waiter waiters[WAITERS];
  for (int i = 0; i < WAITERS; i++)
    waiters[i] = (struct waiter){engine, module, memory, "wait32", {I32(WAIT32), I32(0), I64(-1)}, 3, 0};
  run_waiters(context, in, waiters, WAITERS, WAIT32, 0, 0);
  // ... a 64-bit one, whose value differs from another only in the upper word.
  RUN(context, in, "store64", ARGS(I32(WAIT64), I64(INT64_C(0x700000000))));
  waiters[0] = (struct waiter){engine, module, memory, "wait64", {I32(WAIT64), I64(INT64_C(0x700000000)), I64(-1)}, 3, 0};
  run_waiters(context, in, waiters, 1, WAIT64, 0, 0);
  // A hand-off: the waiter sleeps until it sees the value this thread stores, then returns it.
  waiters[0] = (struct waiter){engine, module, memory, "await", {I32(HANDOFF)}, 1, 0};
  run_waiters(context, in, waiters, 1, HANDOFF, 0x1234, 0x1234);
  CHECK(RUN(context, in, "notify", ARGS(I32(WAIT32), I32(WAITERS))) == 0);

  // A memory that is not shared: atomics work, notify wakes none, wait traps (after checking
  // alignment and bounds).
  wasmtime_module_t *unshared = compile(engine, unshared_text);
  wasmtime_instance_t plain;
  if (unshared != NULL && instantiate(context, unshared, NULL, &plain)) {
    CHECK(RUN(context, &plain, "add32", ARGS(I32(8), I32(3))) == 0);
    CHECK(RUN(context, &plain, "add32", ARGS(I32(8), I32(3))) == 3);
    CHECK(RUN(context, &plain, "notify", ARGS(I32(8), I32(1))) == 0);
    int code;
    CHECK((code = TRAP(context, &plain, "wait32", ARGS(I32(8), I32(6), I64(0)))) ==
          WASMTIME_TRAP_CODE_ATOMIC_WAIT_NON_SHARED_MEMORY);
    CHECK(code != WASMTIME_TRAP_CODE_ATOMIC_WAIT_NON_SHARED_MEMORY ||
          strstr(trap_message, "atomic wait on non-shared memory") != NULL);
    CHECK(TRAP(context, &plain, "wait32", ARGS(I32(8), I32(0), I64(-1))) ==
          WASMTIME_TRAP_CODE_ATOMIC_WAIT_NON_SHARED_MEMORY);
    CHECK(TRAP(context, &plain, "wait64", ARGS(I32(8), I64(0), I64(0))) ==
          WASMTIME_TRAP_CODE_ATOMIC_WAIT_NON_SHARED_MEMORY);
    CHECK(TRAP(context, &plain, "wait32", ARGS(I32(9), I32(0), I64(0))) == WASMTIME_TRAP_CODE_HEAP_MISALIGNED);
    CHECK(TRAP(context, &plain, "wait64", ARGS(I32(PAGE), I64(0), I64(0))) == WASMTIME_TRAP_CODE_MEMORY_OUT_OF_BOUNDS);
    CHECK(TRAP(context, &plain, "notify", ARGS(I32(9), I32(1))) == WASMTIME_TRAP_CODE_HEAP_MISALIGNED);
    CHECK(TRAP(context, &plain, "notify", ARGS(I32(PAGE), I32(1))) == WASMTIME_TRAP_CODE_MEMORY_OUT_OF_BOUNDS);
  }
  module_delete(unshared);
}

// 6. Growth by Wasm and by the host, seen by every instance and handle.
static void test_growth(wasm_engine_t *engine, const wasmtime_module_t *module) {
  wasm_memorytype_t *type = memory_type(1, 4, true);
  wasmtime_sharedmemory_t *memory = NULL;
  CHECK(!check_error(wasmtime_sharedmemory_new(engine, type, &memory), ""));
  wasm_memorytype_delete(type);
  if (memory == NULL) return;
  uint8_t *data = wasmtime_sharedmemory_data(memory);
  wasmtime_store_t *store_a = wasmtime_store_new(engine, NULL, NULL), *store_b = wasmtime_store_new(engine, NULL, NULL);
  wasmtime_context_t *a = wasmtime_store_context(store_a), *b = wasmtime_store_context(store_b);
  wasmtime_instance_t in_a, in_b;
  if (instantiate(a, module, memory, &in_a) && instantiate(b, module, memory, &in_b)) {
    CHECK(RUN(a, &in_a, "grow", ARGS(I32(1))) == 1);
    CHECK(RUN(b, &in_b, "size", NULL, 0) == 2);
    CHECK(wasmtime_sharedmemory_size(memory) == 2 && wasmtime_sharedmemory_data_size(memory) == 2 * PAGE);
    RUN(b, &in_b, "store32", ARGS(I32(2 * PAGE - 4), I32(0x0badcafe)));
    CHECK(RUN(a, &in_a, "load32", ARGS(I32(2 * PAGE - 4))) == 0x0badcafe);
    uint64_t previous = 0;
    CHECK(!check_error(wasmtime_sharedmemory_grow(memory, 1, &previous), ""));
    CHECK(previous == 2);
    CHECK(RUN(a, &in_a, "size", NULL, 0) == 3 && RUN(b, &in_b, "size", NULL, 0) == 3);
    CHECK(RUN(b, &in_b, "grow", ARGS(I32(2))) == -1);  // beyond the maximum
    CHECK(RUN(b, &in_b, "grow", ARGS(I32(-1))) == -1);
    CHECK(RUN(a, &in_a, "size", NULL, 0) == 3 && wasmtime_sharedmemory_size(memory) == 3);
    CHECK(RUN(b, &in_b, "grow", ARGS(I32(1))) == 3);
    CHECK(RUN(a, &in_a, "grow", ARGS(I32(0))) == 4);
    CHECK(RUN(a, &in_a, "grow", ARGS(I32(1))) == -1);
    CHECK(wasmtime_sharedmemory_size(memory) == 4 && wasmtime_sharedmemory_data_size(memory) == 4 * PAGE);
    CHECK(wasmtime_sharedmemory_data(memory) == data);
    RUN(a, &in_a, "store32", ARGS(I32(4 * PAGE - 4), I32(-2)));
    CHECK(data[4 * PAGE - 4] == 0xfe && data[4 * PAGE - 1] == 0xff);
    CHECK(TRAP(b, &in_b, "load32", ARGS(I32(4 * PAGE))) == WASMTIME_TRAP_CODE_MEMORY_OUT_OF_BOUNDS);
  }
  wasmtime_store_delete(store_a);
  wasmtime_store_delete(store_b);
  wasmtime_sharedmemory_delete(memory);
}

int main(void) {
  wasm_config_t *config = wasm_config_new();
  wasmtime_config_shared_memory_set(config, true);
  wasm_engine_t *engine = wasm_engine_new_with_config(config);
  wasm_engine_t *plain_engine = wasm_engine_new();

  test_sharedmemory(engine, plain_engine);

  wasmtime_module_t *atomics = compile(engine, atomics_text);
  wasm_memorytype_t *type = memory_type(1, 4, true);
  wasmtime_sharedmemory_t *memory = NULL;
  CHECK(!check_error(wasmtime_sharedmemory_new(engine, type, &memory), ""));
  wasm_memorytype_delete(type);
  if (atomics != NULL && memory != NULL) {
    test_import_export(engine, plain_engine, atomics, memory);
    wasmtime_store_t *store = wasmtime_store_new(engine, NULL, NULL);
    wasmtime_context_t *context = wasmtime_store_context(store);
    wasmtime_instance_t instance;
    if (instantiate(context, atomics, memory, &instance)) {
      test_atomics(context, &instance);
      test_counting(engine, atomics, memory);
      test_wait_notify(engine, atomics, memory, context, &instance);
    }
    wasmtime_store_delete(store);
    test_growth(engine, atomics);
  }
  if (memory != NULL) wasmtime_sharedmemory_delete(memory);
  module_delete(atomics);
  wasm_engine_delete(plain_engine);
  wasm_engine_delete(engine);
  return check_report("test_threads");
}
