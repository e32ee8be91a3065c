// Linear memory that costs nothing until touched, with the same expectations on libswasm.so and on
// wasmtime 50.0.1's C library (test_lazy_memory_wasmtime): growth to 4 GiB (65536 pages) from
// WebAssembly and from the host is quick and adds little to the resident set; the last byte reads
// 0, then what was written; accesses past the size still trap; growth past the maximum, the index
// range or the store limiter fails (-1 in WebAssembly, an error from the host) and leaves the
// memory as it was; contents survive growth page by page (past reservations: the memory moves);
// a 64-bit memory grows past 4 GiB; a shared memory grows to its 4 GiB maximum in place.
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <wasmtime.h>
#ifndef ON_WASMTIME
#include <swasm.h>
#endif

#include "check.h"

#define I32(x) {.kind = WASMTIME_I32, .of.i32 = (int32_t)(x)}
#define I64(x) {.kind = WASMTIME_I64, .of.i64 = (int64_t)(x)}
#define ARGS(...) (const wasmtime_val_t[]){__VA_ARGS__}, sizeof((wasmtime_val_t[]){__VA_ARGS__}) / sizeof(wasmtime_val_t)

static const uint64_t PAGE = 65536, GIB = 1ull << 30;
// Growth to 4 GiB must take less than this (wasmtime: well under a millisecond)...
static const double QUICK_SECONDS = 0.5;
// ...and add less than this to the resident set (wasmtime: nothing measurable).
static const uint64_t SMALL_RSS = 64ull << 20;

static double now_seconds(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

// The process's resident set in bytes (/proc/self/statm, second field, in pages).
static uint64_t resident_bytes(void) {
  FILE *file = fopen("/proc/self/statm", "r");
  unsigned long long size = 0, resident = 0;
  if (file) {
    if (fscanf(file, "%llu %llu", &size, &resident) != 2) resident = 0;
    fclose(file);
  }
  return (uint64_t)resident * (uint64_t)sysconf(_SC_PAGESIZE);
}

static wasmtime_module_t *compile(wasm_engine_t *engine, const char *text) {
  wasm_byte_vec_t binary;
  wasmtime_module_t *module = NULL;
  if (check_error(wasmtime_wat2wasm(text, strlen(text), &binary), "")) return NULL;
  CHECK(!check_error(wasmtime_module_new(engine, (const uint8_t *)binary.data, binary.size, &module), ""));
  wasm_byte_vec_delete(&binary);
  return module;
}

typedef struct {
  wasmtime_store_t *store;
  wasmtime_context_t *context;
  wasmtime_module_t *module;
  wasmtime_instance_t instance;
} fixture;

static int instantiate(fixture *f, wasm_engine_t *engine, const char *text) {
  memset(f, 0, sizeof *f);
  f->module = compile(engine, text);
  if (!f->module) return 0;
  f->store = wasmtime_store_new(engine, NULL, NULL);
  f->context = wasmtime_store_context(f->store);
  wasm_trap_t *trap = NULL;
  CHECK(!check_error(wasmtime_instance_new(f->context, f->module, NULL, 0, &f->instance, &trap), ""));
  CHECK(trap == NULL);
  return trap == NULL;
}

static void finish(fixture *f) {
  if (f->store) wasmtime_store_delete(f->store);
  if (f->module) wasmtime_module_delete(f->module);
}

// Calls export `name` with one result; *trapped tells whether it trapped (then the result is 0).
static int64_t call(fixture *f, const char *name, const wasmtime_val_t *arguments, size_t count, int *trapped) {
  wasmtime_extern_t item;
  *trapped = 0;
  if (!wasmtime_instance_export_get(f->context, &f->instance, name, strlen(name), &item)) {
    fprintf(stderr, "no export %s\n", name);
    check_failures++;
    return 0;
  }
  wasmtime_val_t result = I64(0);
  wasm_trap_t *trap = NULL;
  CHECK(!check_error(wasmtime_func_call(f->context, &item.of.func, arguments, count, &result, 1, &trap), ""));
  if (trap) {
    *trapped = 1;
    wasm_trap_delete(trap);
    return 0;
  }
  return result.kind == WASMTIME_I32 ? result.of.i32 : result.of.i64;
}

// The result of a call that must not trap.
#define RUN(f, name, ...) run_at(__LINE__, f, name, ARGS(__VA_ARGS__))
static int64_t run_at(int line, fixture *f, const char *name, const wasmtime_val_t *arguments, size_t count) {
  int trapped;
  int64_t value = call(f, name, arguments, count, &trapped);
  if (trapped) {
    fprintf(stderr, "line %d: %s trapped\n", line, name);
    check_failures++;
  }
  return value;
}

// Whether a call traps.
#define TRAPS(f, name, ...) traps(f, name, ARGS(__VA_ARGS__))
static int traps(fixture *f, const char *name, const wasmtime_val_t *arguments, size_t count) {
  int trapped;
  call(f, name, arguments, count, &trapped);
  return trapped;
}

static wasmtime_memory_t exported_memory(fixture *f) {
  wasmtime_extern_t item;
  memset(&item, 0, sizeof item);
  CHECK(wasmtime_instance_export_get(f->context, &f->instance, "mem", 3, &item) && item.kind == WASMTIME_EXTERN_MEMORY);
  return item.of.memory;
}

// A host growth error that must be a refusal (a limit), not a lack of memory.
#define check_refused(error) check_refused_at(__LINE__, error)
static void check_refused_at(int line, wasmtime_error_t *error) {
  if (error == NULL) {
    fprintf(stderr, "line %d: growth was not refused\n", line);
    check_failures++;
  }
#ifndef ON_WASMTIME
  if (error) CHECK(!swasm_error_is_oom(error));
#endif
  check_error(error, NULL);
}

// The accessors every 32-bit test module has, on memory "mem".
#define ACCESSORS32                                                                                \
  " (func (export \"grow\") (param i32) (result i32) (memory.grow (local.get 0)))"                \
  " (func (export \"size\") (result i32) (memory.size))"                                           \
  " (func (export \"load8\") (param i32) (result i32) (i32.load8_u (local.get 0)))"                \
  " (func (export \"load8_next\") (param i32) (result i32) (i32.load8_u offset=1 (local.get 0)))"  \
  " (func (export \"load32\") (param i32) (result i32) (i32.load (local.get 0)))"                  \
  " (func (export \"store8\") (param i32 i32) (result i32) (i32.store8 (local.get 0) (local.get 1)) (i32.const 0))"

// A memory without a maximum grows to 4 GiB from WebAssembly, quickly and without committing it.
static void test_grow_to_4gib(wasm_engine_t *engine) {
  fixture f;
  if (!instantiate(&f, engine, "(module (memory (export \"mem\") 1)" ACCESSORS32 ")")) return finish(&f);
  RUN(&f, "store8", I32(100), I32(42));
  uint64_t resident = resident_bytes();
  double start = now_seconds();
  CHECK(RUN(&f, "grow", I32(65535)) == 1);
  double seconds = now_seconds() - start;
  uint64_t added = resident_bytes() - resident;
  printf("grow to 4 GiB: %.3f ms, resident set +%.1f MiB\n", seconds * 1e3, (double)added / (1 << 20));
  CHECK(seconds < QUICK_SECONDS);
  CHECK(added < SMALL_RSS);
  CHECK(RUN(&f, "size") == 65536);
  CHECK(RUN(&f, "load8", I32(100)) == 42);  // the contents stay where growth moved them
  CHECK(RUN(&f, "load8", I32(0xFFFFFFFF)) == 0);
  RUN(&f, "store8", I32(0xFFFFFFFF), I32(0xAB));
  CHECK(RUN(&f, "load8", I32(0xFFFFFFFF)) == 0xAB);
  CHECK((uint32_t)RUN(&f, "load32", I32(0xFFFFFFFC)) == 0xAB000000u);
  CHECK(TRAPS(&f, "load32", I32(0xFFFFFFFD)));
  CHECK(TRAPS(&f, "load8_next", I32(0xFFFFFFFF)));
  CHECK(RUN(&f, "grow", I32(1)) == -1);  // past the index range
  CHECK(RUN(&f, "grow", I32(0)) == 65536);
  CHECK(resident_bytes() - resident < SMALL_RSS);
  // The host sees all of it.
  wasmtime_memory_t memory = exported_memory(&f);
  CHECK(wasmtime_memory_data_size(f.context, &memory) == (size_t)(4 * GIB));
  uint8_t *data = wasmtime_memory_data(f.context, &memory);
  CHECK(data != NULL && data[4 * GIB - 1] == 0xAB && data[100] == 42 && data[4 * GIB - 2] == 0);
  check_refused(wasmtime_memory_grow(f.context, &memory, 1, NULL));
  finish(&f);
}

// A memory made by the host with a maximum of 65536 pages grows to it through the API.
static void test_host_memory_to_maximum(wasm_engine_t *engine) {
  wasmtime_store_t *store = wasmtime_store_new(engine, NULL, NULL);
  wasmtime_context_t *context = wasmtime_store_context(store);
  wasm_memorytype_t *type = NULL;
  CHECK(!check_error(wasmtime_memorytype_new(1, true, 65536, false, false, 16, &type), ""));
  wasmtime_memory_t memory;
  CHECK(!check_error(wasmtime_memory_new(context, type, &memory), ""));
  wasm_memorytype_delete(type);
  uint64_t resident = resident_bytes(), previous = 0;
  double start = now_seconds();
  CHECK(!check_error(wasmtime_memory_grow(context, &memory, 65535, &previous), ""));
  double seconds = now_seconds() - start;
  CHECK(previous == 1 && wasmtime_memory_size(context, &memory) == 65536);
  CHECK(seconds < QUICK_SECONDS);
  uint8_t *data = wasmtime_memory_data(context, &memory);
  CHECK(data[4 * GIB - 1] == 0 && data[2 * GIB] == 0);
  data[4 * GIB - 1] = 7;
  CHECK(resident_bytes() - resident < SMALL_RSS);
  check_refused(wasmtime_memory_grow(context, &memory, 1, &previous));  // past the maximum
  CHECK(wasmtime_memory_size(context, &memory) == 65536 && wasmtime_memory_data(context, &memory)[4 * GIB - 1] == 7);
  wasmtime_store_delete(store);
}

// The store limiter refuses growth past its memory size, in WebAssembly and from the host.
static void test_limiter(wasm_engine_t *engine) {
  fixture f;
  if (!instantiate(&f, engine, "(module (memory (export \"mem\") 1)" ACCESSORS32 ")")) return finish(&f);
  wasmtime_store_limiter(f.store, (int64_t)(256ull << 20), -1, -1, -1, -1);
  CHECK(RUN(&f, "grow", I32(4096)) == -1);  // 4097 pages: one too many
  CHECK(RUN(&f, "size") == 1);
  CHECK(RUN(&f, "grow", I32(4095)) == 1);
  RUN(&f, "store8", I32(4096 * 65536 - 1), I32(5));
  CHECK(RUN(&f, "grow", I32(1)) == -1);
  wasmtime_memory_t memory = exported_memory(&f);
  check_refused(wasmtime_memory_grow(f.context, &memory, 1, NULL));
  CHECK(RUN(&f, "size") == 4096 && RUN(&f, "load8", I32(4096 * 65536 - 1)) == 5);
  CHECK(TRAPS(&f, "load8", I32(4096 * 65536)));
  finish(&f);
}

// Growth one page at a time, each new page written: the contents survive every growth (past
// reservations, a memory that is not shared may move).
static void test_grow_page_by_page(wasm_engine_t *engine) {
  enum { PAGES = 3000 };
  fixture f;
  if (!instantiate(&f, engine,
                   "(module (memory (export \"mem\") 1)"
                   " (func (export \"grow_and_fill\") (param $n i32) (result i32) (local $i i32)"
                   "  (loop $next"
                   "   (local.set $i (i32.add (local.get $i) (i32.const 1)))"
                   "   (if (i32.eq (memory.grow (i32.const 1)) (i32.const -1)) (then (return (i32.const -1))))"
                   "   (i32.store (i32.mul (local.get $i) (i32.const 65532)) (local.get $i))"
                   "   (br_if $next (i32.lt_u (local.get $i) (local.get $n))))"
                   "  (memory.size))"
                   " (func (export \"sum\") (param $n i32) (result i64) (local $i i32) (local $sum i64)"
                   "  (loop $next"
                   "   (local.set $i (i32.add (local.get $i) (i32.const 1)))"
                   "   (local.set $sum (i64.add (local.get $sum) (i64.load32_u (i32.mul (local.get $i) (i32.const 65532)))))"
                   "   (br_if $next (i32.lt_u (local.get $i) (local.get $n))))"
                   "  (local.get $sum)))"))
    return finish(&f);
  CHECK(RUN(&f, "grow_and_fill", I32(PAGES)) == PAGES + 1);
  CHECK(RUN(&f, "sum", I32(PAGES)) == (int64_t)PAGES * (PAGES + 1) / 2);
  finish(&f);
}

// A 64-bit memory grows past 4 GiB.
static void test_memory64(wasm_engine_t *engine) {
  fixture f;
  if (!instantiate(&f, engine,
                   "(module (memory (export \"mem\") i64 1)"
                   " (func (export \"grow\") (param i64) (result i64) (memory.grow (local.get 0)))"
                   " (func (export \"size\") (result i64) (memory.size))"
                   " (func (export \"load8\") (param i64) (result i32) (i32.load8_u (local.get 0)))"
                   " (func (export \"store8\") (param i64 i32) (result i32) (i32.store8 (local.get 0) (local.get 1)) (i32.const 0)))"))
    return finish(&f);
  RUN(&f, "store8", I64(100), I32(9));
  uint64_t resident = resident_bytes();
  double start = now_seconds();
  CHECK(RUN(&f, "grow", I64(2 * 65536)) == 1);  // 8 GiB and a page
  double seconds = now_seconds() - start;
  uint64_t bytes = (2 * 65536 + 1) * PAGE;
  CHECK(seconds < QUICK_SECONDS);
  CHECK(RUN(&f, "size") == 2 * 65536 + 1);
  CHECK(RUN(&f, "load8", I64(bytes - 1)) == 0);
  RUN(&f, "store8", I64(bytes - 1), I32(0xCD));
  CHECK(RUN(&f, "load8", I64(bytes - 1)) == 0xCD && RUN(&f, "load8", I64(100)) == 9);
  CHECK(TRAPS(&f, "load8", I64(bytes)));
  CHECK(RUN(&f, "grow", I64(1)) == 2 * 65536 + 1);  // past the reservation again
  CHECK(RUN(&f, "load8", I64(bytes - 1)) == 0xCD && RUN(&f, "load8", I64(100)) == 9);
  CHECK(resident_bytes() - resident < SMALL_RSS);
  CHECK(RUN(&f, "grow", I64(1ll << 48)) == -1);  // past the index range
  finish(&f);
}

// A shared memory with a maximum of 4 GiB grows to it without moving.
static void test_shared_memory(void) {
  wasm_config_t *config = wasm_config_new();
  wasmtime_config_shared_memory_set(config, true);
  wasm_engine_t *engine = wasm_engine_new_with_config(config);
  wasm_memorytype_t *type = NULL;
  CHECK(!check_error(wasmtime_memorytype_new(1, true, 65536, false, true, 16, &type), ""));
  wasmtime_sharedmemory_t *memory = NULL;
  CHECK(!check_error(wasmtime_sharedmemory_new(engine, type, &memory), ""));
  wasm_memorytype_delete(type);
  if (memory) {
    uint8_t *before = wasmtime_sharedmemory_data(memory);
    before[100] = 3;
    uint64_t resident = resident_bytes(), previous = 0;
    double start = now_seconds();
    CHECK(!check_error(wasmtime_sharedmemory_grow(memory, 65535, &previous), ""));
    CHECK(now_seconds() - start < QUICK_SECONDS);
    CHECK(previous == 1 && wasmtime_sharedmemory_size(memory) == 65536);
    CHECK(wasmtime_sharedmemory_data_size(memory) == (size_t)(4 * GIB));
    uint8_t *data = wasmtime_sharedmemory_data(memory);
    CHECK(data == before && data[100] == 3 && data[4 * GIB - 1] == 0);
    data[4 * GIB - 1] = 1;
    CHECK(resident_bytes() - resident < SMALL_RSS);
    check_refused(wasmtime_sharedmemory_grow(memory, 1, &previous));
    wasmtime_sharedmemory_delete(memory);
  }
  wasm_engine_delete(engine);
}

int main(void) {
  setvbuf(stdout, NULL, _IOLBF, 0);
  wasm_config_t *config = wasm_config_new();
  wasmtime_config_wasm_memory64_set(config, true);
  wasm_engine_t *engine = wasm_engine_new_with_config(config);
  test_grow_to_4gib(engine);
  test_host_memory_to_maximum(engine);
  test_limiter(engine);
  test_grow_page_by_page(engine);
  test_memory64(engine);
  test_shared_memory();
  wasm_engine_delete(engine);
  return check_report("test_lazy_memory");
}
