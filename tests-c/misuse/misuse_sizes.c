// Sizes family: huge counts, lengths, deltas and indices (2^31, 2^32, 2^48, 2^62, 2^63, UINT64_MAX,
// SIZE_MAX, values that truncate to a valid 32-bit one, sums that wrap), out-of-range enums and
// limits, and extreme configuration values. Everything huge must be refused (an error, false, an
// empty vector, -1 from memory.grow) without reading or writing what it does not have, without
// truncating (index 2^32 is not index 0), and without crashing while formatting the error.
// A length that fits the address space but exceeds the real buffer cannot be detected and is not
// tried; lengths above 2^63 describe no object and are.
#include <stdlib.h>

#include "misuse.h"

#pragma weak swasm_store_limiter_total

static const size_t huge_sizes[] = {SIZE_MAX, (size_t)1 << 63, (size_t)1 << 62, SIZE_MAX / 8 + 1, (size_t)1 << 40};
static const char *const huge_size_names[] = {"SIZE_MAX", "2^63", "2^62", "SIZE_MAX/8+1", "2^40"};
enum { HUGE_SIZE_COUNT = 5 };

// ---------------------------------------------------------------------------------------------
// Vectors of huge sizes: allocation fails, the output is empty.
// ---------------------------------------------------------------------------------------------

#define VEC_HUGE(T)                                                                             \
  static void vec_huge_##T(const mcase *c) {                                                    \
    size_t size = huge_sizes[c->b];                                                             \
    wasm_##T##_vec_t v;                                                                         \
    memset(&v, 0x5a, sizeof v);                                                                 \
    if (c->a == 0) {                                                                            \
      wasm_##T##_vec_new_uninitialized(&v, size);                                               \
    } else if (c->a == 1) {                                                                     \
      static wasm_##T##_t *elements[4];                                                         \
      wasm_##T##_vec_new(&v, size, (void *)elements);                                           \
    } else {                                                                                    \
      static wasm_##T##_t *elements[4];                                                         \
      wasm_##T##_vec_t source = {.size = size, .data = (void *)elements};                       \
      wasm_##T##_vec_copy(&v, &source);                                                         \
    }                                                                                           \
    note("size %zu, data %s", v.size, v.data ? "non-NULL" : "NULL");                            \
    EXPECT(v.size == 0 && v.data == NULL, "a vector of %s elements", huge_size_names[c->b]);    \
    wasm_##T##_vec_delete(&v);                                                                  \
  }                                                                                             \
  REGISTER(register_vec_huge_##T) {                                                             \
    static const char *const fns[] = {"wasm_" #T "_vec_new_uninitialized", "wasm_" #T "_vec_new", \
                                      "wasm_" #T "_vec_copy"};                                  \
    for (int f = 0; f < 3; f++)                                                                 \
      for (int s = 0; s < HUGE_SIZE_COUNT; s++)                                                 \
        /* new() with 2^40 elements: that many could exist (8 TiB), and a failed allocation     \
           releases them (their ownership was passed): not a detectable misuse. */             \
        if (!(f == 1 && s == 4)) add_case("size", fns[f], huge_size_names[s], vec_huge_##T, f, s, NULL); \
  }
VEC_HUGE(valtype)
VEC_HUGE(functype)
VEC_HUGE(extern)
VEC_HUGE(frame)
VEC_HUGE(exporttype)

// byte and val vectors hold values, not pointers.
static void byte_vec_huge(const mcase *c) {
  size_t size = huge_sizes[c->b];
  static char bytes[16];
  wasm_byte_vec_t v;
  memset(&v, 0x5a, sizeof v);
  if (c->a == 0) wasm_byte_vec_new_uninitialized(&v, size);
  else if (c->a == 1) wasm_byte_vec_new(&v, size, bytes);
  else {
    wasm_byte_vec_t source = {.size = size, .data = bytes};
    wasm_byte_vec_copy(&v, &source);
  }
  note("size %zu, data %s", v.size, v.data ? "non-NULL" : "NULL");
  // 2^40 bytes may be granted by an overcommitting allocator for new_uninitialized: then it is
  // a real vector (deleted below), not an error.
  if (!(c->a == 0 && c->b == 4)) EXPECT(v.size == 0 && v.data == NULL, "a vector of %s bytes", huge_size_names[c->b]);
  wasm_byte_vec_delete(&v);
}
static void val_vec_huge(const mcase *c) {
  size_t size = huge_sizes[c->b];
  static wasm_val_t values[4];
  wasm_val_vec_t v;
  memset(&v, 0x5a, sizeof v);
  if (c->a == 0) wasm_val_vec_new_uninitialized(&v, size);
  else if (c->a == 1) wasm_val_vec_new(&v, size, values);
  else {
    wasm_val_vec_t source = {.size = size, .data = values};
    wasm_val_vec_copy(&v, &source);
  }
  note("size %zu, data %s", v.size, v.data ? "non-NULL" : "NULL");
  EXPECT(v.size == 0 && v.data == NULL, "a vector of %s values", huge_size_names[c->b]);
  wasm_val_vec_delete(&v);
}
REGISTER(register_plain_vec_huge) {
  static const char *const byte_fns[] = {"wasm_byte_vec_new_uninitialized", "wasm_byte_vec_new", "wasm_byte_vec_copy"};
  static const char *const val_fns[] = {"wasm_val_vec_new_uninitialized", "wasm_val_vec_new", "wasm_val_vec_copy"};
  for (int f = 0; f < 3; f++)
    for (int s = 0; s < HUGE_SIZE_COUNT; s++) {
      add_case("size", byte_fns[f], huge_size_names[s], byte_vec_huge, f, s, NULL);
      add_case("size", val_fns[f], huge_size_names[s], val_vec_huge, f, s, NULL);
    }
}

// ---------------------------------------------------------------------------------------------
// Calls: argument and result counts
// ---------------------------------------------------------------------------------------------

static const size_t bad_counts[] = {SIZE_MAX, (size_t)1 << 63, ((size_t)1 << 32) + 2, ((size_t)1 << 32) + 1, 3, 1, 0};
static const char *const bad_count_names[] = {"SIZE_MAX", "2^63", "2^32+2", "2^32+1", "3", "1", "0"};
enum { BAD_COUNT_COUNT = 7 };

// add(i32, i32) -> i32 with a wrong argument count (a = 0) or result count (a = 1).
static void call_count_case(const mcase *c) {
  fixture *f = fx();
  wasmtime_val_t args[4] = {val_i32(2), val_i32(3), val_i32(4), val_i32(5)};
  wasmtime_val_t results[4];
  memset(results, 0, sizeof results);
  size_t nargs = c->a == 0 ? bad_counts[c->b] : 2, nresults = c->a == 1 ? bad_counts[c->b] : 1;
  if (c->a == 1 && nresults == 1) skip("the right count");
  if (c->a == 0 && nargs == 2) skip("the right count");
  wasm_trap_t *trap = NULL;
  wasmtime_error_t *error = wasmtime_func_call(f->ctx, &f->add, args, nargs, results, nresults, &trap);
  EXPECT(call_failed("wasmtime_func_call", error, trap), "a wrong count was accepted");
  EXPECT(results[1].kind == 0 && results[1].of.i64 == 0, "a result slot beyond the right count was written");
}

// func_call_unchecked with too few slots (the others are "at least": legal).
static void call_unchecked_len_case(const mcase *c) {
  fixture *f = fx();
  static const size_t lengths[] = {0, 1, SIZE_MAX, (size_t)1 << 63};
  wasmtime_val_raw_t values[4];
  memset(values, 0, sizeof values);
  values[0].i32 = 2;
  values[1].i32 = 3;
  wasm_trap_t *trap = NULL;
  wasmtime_error_t *error = wasmtime_func_call_unchecked(f->ctx, &f->add, values, lengths[c->a], &trap);
  bool failed = call_failed("wasmtime_func_call_unchecked", error, trap);
  if (lengths[c->a] < 2) EXPECT(failed, "fewer slots than parameters were accepted");
  else note("a length of at least the parameter count: %s", failed ? "refused" : "accepted");
}

// wasm_func_call with vectors whose sizes do not match the function's type.
static void wasm_func_call_size_case(const mcase *c) {
  fixture *f = fx();
  wasm_store_t *store = wasm_store_new(f->engine);
  wasm_byte_vec_t binary;
  wat_to_binary("(module (func (export \"add\") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1))))", &binary);
  wasm_module_t *module = wasm_module_new(store, &binary);
  wasm_byte_vec_delete(&binary);
  wasm_extern_vec_t imports = WASM_EMPTY_VEC, exports;
  wasm_instance_t *instance = wasm_instance_new(store, module, &imports, NULL);
  wasm_instance_exports(instance, &exports);
  wasm_func_t *func = wasm_extern_as_func(exports.data[0]);
  wasm_val_t argv[4] = {{.kind = WASM_I32, .of.i32 = 2}, {.kind = WASM_I32, .of.i32 = 3}};
  wasm_val_t resv[4];
  memset(resv, 0, sizeof resv);
  static const size_t sizes[] = {0, 1, 3, SIZE_MAX, (size_t)1 << 32 | 2};
  wasm_val_vec_t args = {.size = c->a == 0 ? sizes[c->b] : 2, .data = argv};
  wasm_val_vec_t results = {.size = c->a == 1 ? sizes[c->b] : 1, .data = resv};
  wasm_trap_t *trap = wasm_func_call(func, &args, &results);
  EXPECT(trap != NULL, "a call with a wrong vector size did not trap");
  show_trap("wasm_func_call", trap);
  wasm_extern_vec_delete(&exports);
  wasm_instance_delete(instance);
  wasm_module_delete(module);
  wasm_store_delete(store);
}

static void instance_nimports_case(const mcase *c) {
  fixture *f = fx();
  static const size_t counts[] = {SIZE_MAX, (size_t)1 << 63, ((size_t)1 << 32) + 4, 3, 5, 0};
  wasmtime_extern_t imports[8];
  for (int i = 0; i < 8; i++) imports[i] = (wasmtime_extern_t){.kind = WASMTIME_EXTERN_FUNC, .of.func = f->host_func};
  wasmtime_instance_t instance;
  wasm_trap_t *trap = NULL;
  wasmtime_error_t *error = wasmtime_instance_new(f->ctx, f->module, imports, counts[c->a], &instance, &trap);
  EXPECT(call_failed("wasmtime_instance_new", error, trap), "a wrong import count was accepted");
}

static void export_nth_case(const mcase *c) {
  fixture *f = fx();
  static const size_t indices[] = {SIZE_MAX, (size_t)1 << 63, (size_t)1 << 32, 1000};
  wasmtime_extern_t item;
  char *name = NULL;
  size_t length = 0;
  bool found = wasmtime_instance_export_nth(f->ctx, &f->inst, indices[c->a], &name, &length, &item);
  note("found: %d", found);
  EXPECT(!found, "an export at a huge index");
}

// ---------------------------------------------------------------------------------------------
// Tables and memories: indices and growth
// ---------------------------------------------------------------------------------------------

static const uint64_t bad_indices[] = {4, UINT64_C(1) << 32, (UINT64_C(1) << 32) + 1, UINT64_C(1) << 63, UINT64_MAX};
static const char *const bad_index_names[] = {"size", "2^32", "2^32+1", "2^63", "UINT64_MAX"};
enum { BAD_INDEX_COUNT = 5 };

static void table_index_case(const mcase *c) {
  fixture *f = fx();
  uint64_t index = bad_indices[c->b];
  if (c->a == 0) {
    wasmtime_val_t v;
    bool ok = wasmtime_table_get(f->ctx, &f->tab, index, &v);
    note("wasmtime_table_get: %d", ok);
    EXPECT(!ok, "an element at index %s", bad_index_names[c->b]);
  } else {
    wasmtime_val_t v = val_funcref(f->seven);
    EXPECT_ERROR("wasmtime_table_set", wasmtime_table_set(f->ctx, &f->tab, index, &v));
    // Index 2^32 must not have written element 0 (or 1).
    wasmtime_val_t e0, e1;
    wasmtime_table_get(f->ctx, &f->tab, 0, &e0);
    wasmtime_table_get(f->ctx, &f->tab, 1, &e1);
    EXPECT(call_i32(f->ctx, &f->call_tab, 1, 1) == 7, "element 1 changed");
    (void)e0, (void)e1;
  }
}

static const uint64_t bad_deltas[] = {UINT64_C(1) << 32, (UINT64_C(1) << 32) - 4, UINT32_MAX, UINT64_C(1) << 31,
                                      UINT64_C(1) << 48, UINT64_C(1) << 63, UINT64_MAX, UINT64_MAX - 3};
static const char *const bad_delta_names[] = {"2^32", "2^32-4", "UINT32_MAX", "2^31", "2^48", "2^63", "UINT64_MAX", "UINT64_MAX-3"};
enum { BAD_DELTA_COUNT = 8 };

static void table_grow_case(const mcase *c) {
  fixture *f = fx();
  uint64_t delta = bad_deltas[c->a];
  wasmtime_val_t init = {.kind = WASMTIME_FUNCREF};
  init.of.funcref.store_id = 0;
  uint64_t previous = 12345;
  wasmtime_error_t *error = wasmtime_table_grow(f->ctx, &f->tab, delta, &init, &previous);
  EXPECT(show_error("wasmtime_table_grow", error), "a table grew by %s", bad_delta_names[c->a]);
  uint64_t size = wasmtime_table_size(f->ctx, &f->tab);
  EXPECT(size == 4, "size changed to %llu", (unsigned long long)size);
  EXPECT(call_i32(f->ctx, &f->call_tab, 1, 1) == 7, "the table no longer works");
}

static void memory_grow_case(const mcase *c) {
  fixture *f = fx();
  static const uint64_t deltas[] = {65536, 65537, UINT64_C(1) << 32, UINT64_C(1) << 48, UINT64_C(1) << 63, UINT64_MAX,
                                    UINT64_MAX - 0x10, UINT32_MAX};
  static const char *const names[] = {"65536", "65537", "2^32", "2^48", "2^63", "UINT64_MAX", "UINT64_MAX-16", "UINT32_MAX"};
  uint64_t previous = 12345;
  wasmtime_error_t *error = wasmtime_memory_grow(f->ctx, &f->mem, deltas[c->a], &previous);
  EXPECT(show_error("wasmtime_memory_grow", error), "a memory grew by %s pages", names[c->a]);
  uint64_t size = wasmtime_memory_size(f->ctx, &f->mem);
  EXPECT(size == 1, "size changed to %llu", (unsigned long long)size);
  // Still usable from Wasm.
  wasmtime_val_t args[2] = {val_i32(100), val_i32(42)};
  wasm_trap_t *trap = NULL;
  call_failed("store", wasmtime_func_call(f->ctx, &f->store_fn, args, 2, NULL, 0, &trap), trap);
  EXPECT(call_i32(f->ctx, &f->load, 1, 100) == 42, "memory no longer works");
}
// swasm_store_limiter_total with bounds from none to below what the store holds: the store keeps
// what it has, refuses growth past the bound, works again once the bound is lifted.
static void total_limit_case(const mcase *c) {
  if (!HAVE(swasm_store_limiter_total)) skip("swasm_store_limiter_total is swasm's own");
  static const int64_t bounds[] = {0, 1, INT64_MAX, INT64_MIN, -1};
  fixture *f = fx();
  // The first call takes the store's execution stack, which a bound of 0 would refuse.
  EXPECT(call_i32(f->ctx, &f->load, 1, 100) == 0, "memory does not work");
  swasm_store_limiter_total(f->store, bounds[c->a]);
  uint64_t previous = 12345;
  wasmtime_error_t *error = wasmtime_memory_grow(f->ctx, &f->mem, 1, &previous);
  if (bounds[c->a] >= 0 && bounds[c->a] < INT64_MAX)
    EXPECT(show_error("wasmtime_memory_grow", error), "a memory grew past a total bound of %lld", (long long)bounds[c->a]);
  else if (error)
    wasmtime_error_delete(error);
  EXPECT(call_i32(f->ctx, &f->load, 1, 100) == 0, "memory no longer works");
  swasm_store_limiter_total(f->store, -1);
  error = wasmtime_memory_grow(f->ctx, &f->mem, 1, &previous);
  EXPECT(error == NULL, "no growth once the bound is lifted");
  if (error) wasmtime_error_delete(error);
}
static const char *const total_limit_names[] = {"0", "1", "INT64_MAX", "INT64_MIN", "-1"};

static const char *const memory_grow_names[] = {"65536", "65537", "2^32", "2^48", "2^63", "UINT64_MAX", "UINT64_MAX-16", "UINT32_MAX"};

// memory.grow from Wasm with huge page counts (as i32: -1, 65536, 2^31).
static void wasm_memory_grow_case(const mcase *c) {
  fixture *f = fx();
  static const int32_t deltas[] = {-1, 65536, INT32_MIN, 65535};
  int32_t result = call_i32(f->ctx, &f->grow, 1, deltas[c->a]);
  note("memory.grow(%d) = %d", deltas[c->a], result);
  if (c->a < 3) EXPECT(result == -1, "memory.grow(%d) did not fail", deltas[c->a]);
  else EXPECT(result == -1 || result == 1, "memory.grow(65535) = %d", result);
}

static void wasm_table_grow_case(const mcase *c) {
  fixture *f = fx();
  wasm_store_t *store = wasm_store_new(f->engine);
  wasm_limits_t limits = {1, wasm_limits_max_default};
  wasm_tabletype_t *type = wasm_tabletype_new(wasm_valtype_new(WASM_FUNCREF), &limits);
  wasm_table_t *table = wasm_table_new(store, type, NULL);
  static const uint32_t deltas[] = {UINT32_MAX, UINT32_MAX - 1, 1u << 31};
  bool grew = wasm_table_grow(table, deltas[c->a], NULL);
  note("wasm_table_grow(%u): %d, size %u", deltas[c->a], grew, wasm_table_size(table));
  EXPECT(!grew && wasm_table_size(table) == 1, "a table grew by %u", deltas[c->a]);
  EXPECT(wasm_table_get(table, UINT32_MAX) == NULL, "an element at UINT32_MAX");
  EXPECT(!wasm_table_set(table, UINT32_MAX, NULL), "set at UINT32_MAX");
  wasm_table_delete(table);
  wasm_tabletype_delete(type);
  wasm_store_delete(store);
}

static void wasm_memory_grow_h_case(const mcase *c) {
  fixture *f = fx();
  wasm_store_t *store = wasm_store_new(f->engine);
  wasm_limits_t limits = {1, wasm_limits_max_default};
  wasm_memorytype_t *type = wasm_memorytype_new(&limits);
  wasm_memory_t *memory = wasm_memory_new(store, type);
  static const uint32_t deltas[] = {UINT32_MAX, 65536, 1u << 31};
  bool grew = wasm_memory_grow(memory, deltas[c->a]);
  note("wasm_memory_grow(%u): %d, size %u", deltas[c->a], grew, wasm_memory_size(memory));
  EXPECT(!grew && wasm_memory_size(memory) == 1, "a memory grew by %u pages", deltas[c->a]);
  wasm_memory_delete(memory);
  wasm_memorytype_delete(type);
  wasm_store_delete(store);
}

// ---------------------------------------------------------------------------------------------
// Types with impossible limits and out-of-range enums
// ---------------------------------------------------------------------------------------------

static void memorytype_case(const mcase *c) {
  fixture *f = fx();
  static const struct {
    uint64_t min;
    bool max_present;
    uint64_t max;
    bool is64, shared;
    uint8_t log2;
    bool valid;
  } t[] = {
      {UINT64_C(1) << 48, false, 0, false, false, 16, false}, // 32-bit memory above 65536 pages
      {65537, false, 0, false, false, 16, false},
      {2, true, 1, false, false, 16, false},                 // max < min
      {1, true, UINT64_MAX, false, false, 16, false},
      {1, false, 0, false, false, 200, false},               // page size 2^200
      {1, false, 0, false, false, 17, false},
      {1, false, 0, false, true, 16, false},                 // shared without max
      {UINT64_MAX, false, 0, true, false, 16, false},        // 64-bit, absurd minimum
      {1, true, 2, false, false, 16, true},                  // control
  };
  wasm_memorytype_t *type = NULL;
  wasmtime_error_t *error = wasmtime_memorytype_new(t[c->a].min, t[c->a].max_present, t[c->a].max, t[c->a].is64,
                                                    t[c->a].shared, t[c->a].log2, &type);
  if (t[c->a].valid) {
    EXPECT_OK("wasmtime_memorytype_new", error);
  } else if (show_error("wasmtime_memorytype_new", error)) {
    // refused: fine
  } else {
    // Some combinations may be representable as a type (wasmtime validates some only when a
    // memory is created): then creating the memory must fail.
    wasmtime_memory_t memory;
    note("type accepted; creating a memory of it");
    EXPECT_ERROR("wasmtime_memory_new", wasmtime_memory_new(f->ctx, type, &memory));
  }
  wasm_memorytype_delete(type);
}
static const char *const memorytype_names[] = {"min_2^48",     "min_65537",        "max_below_min",
                                               "max_UINT64_MAX", "page_size_log2_200", "page_size_log2_17",
                                               "shared_without_max", "memory64_min_UINT64_MAX", "control"};

static void wasm_limits_case(const mcase *c) {
  fixture *f = fx();
  wasm_limits_t limits[] = {{70000, wasm_limits_max_default}, {2, 1}, {UINT32_MAX, UINT32_MAX}};
  wasm_store_t *store = wasm_store_new(f->engine);
  if (c->a < 3) {
    wasm_memorytype_t *type = wasm_memorytype_new(&limits[c->a]);
    wasm_memory_t *memory = type ? wasm_memory_new(store, type) : NULL;
    note("memory type %s, memory %s", type ? "made" : "refused", memory ? "made" : "refused");
    EXPECT(memory == NULL, "a memory with impossible limits");
    wasm_memory_delete(memory);
    wasm_memorytype_delete(type);
  } else {
    wasm_tabletype_t *type = wasm_tabletype_new(wasm_valtype_new(WASM_FUNCREF), &limits[c->a - 3]);
    wasm_table_t *table = type ? wasm_table_new(store, type, NULL) : NULL;
    note("table type %s, table %s", type ? "made" : "refused", table ? "made" : "refused");
    if (c->a != 3) EXPECT(table == NULL, "a table with impossible limits");
    wasm_table_delete(table);
    wasm_tabletype_delete(type);
  }
  wasm_store_delete(store);
}
static const char *const wasm_limits_names[] = {"memory_min_70000", "memory_max_below_min", "memory_min_UINT32_MAX",
                                                "table_min_70000", "table_max_below_min", "table_min_UINT32_MAX"};

static void wasmtime_table_new_huge_case(const mcase *c) {
  fixture *f = fx();
  wasm_limits_t limits = {c->a == 0 ? UINT32_MAX : (1u << 31), wasm_limits_max_default};
  wasm_tabletype_t *type = wasm_tabletype_new(wasm_valtype_new(WASM_FUNCREF), &limits);
  wasmtime_val_t init = {.kind = WASMTIME_FUNCREF};
  init.of.funcref.store_id = 0;
  wasmtime_table_t table;
  EXPECT_ERROR("wasmtime_table_new", wasmtime_table_new(f->ctx, type, &init, &table));
  wasm_tabletype_delete(type);
}

static void valtype_kind_case(const mcase *c) {
  // (4 is v128 in swasm and wasmtime: wasm_valtype_kind of wasmtime_wasm_valtype_v128() is 4.)
  static const uint8_t kinds[] = {5, 77, 127, 130, 255};
  wasm_valtype_t *t = wasm_valtype_new(kinds[c->a]);
  note("wasm_valtype_new(%u): %s", kinds[c->a], t ? "non-NULL" : "NULL");
  EXPECT(t == NULL, "a value type of kind %u", kinds[c->a]);
  wasm_valtype_delete(t);
}

static void globaltype_mutability_case(const mcase *c) {
  (void)c;
  wasm_globaltype_t *t = wasm_globaltype_new(wasm_valtype_new(WASM_I32), 77);
  note("wasm_globaltype_new(mutability 77): %s", t ? "non-NULL" : "NULL");
  if (t) {
    note("mutability reads %d", wasm_globaltype_mutability(t));
    wasm_store_t *store = wasm_store_new(fx()->engine);
    wasm_val_t v = {.kind = WASM_I32, .of.i32 = 1};
    wasm_global_t *g = wasm_global_new(store, t, &v);
    wasm_global_delete(g);
    wasm_store_delete(store);
  }
  wasm_globaltype_delete(t);
}

static void wasmtime_valtype_garbage_case(const mcase *c) {
  wasmtime_valtype_t t;
  memset(&t, 0, sizeof t);
  if (c->a == 0) {
    t.kind = 77;
  } else {
    t.kind = WASMTIME_VALTYPE_KIND_REF;
    t.reftype.nullable = true;
    t.reftype.heaptype.kind = 99; // not a heap type: no payload to read
  }
  wasm_valtype_t *w = wasmtime_valtype_to_wasm(fx()->engine, &t);
  note("to_wasm: %s", w ? "non-NULL" : "NULL");
  EXPECT(w == NULL, "a wasm type from a garbage kind");
  wasm_valtype_delete(w);
  wasmtime_valtype_t copy;
  wasmtime_valtype_clone(&t, &copy);
  wasmtime_valtype_delete(&copy);
  wasmtime_heaptype_t h = {.kind = 99}, hcopy;
  wasmtime_heaptype_clone(&h, &hcopy);
  wasmtime_heaptype_delete(&hcopy);
  wasmtime_reftype_t r = {.nullable = false, .heaptype = {.kind = 99}}, rcopy;
  wasmtime_reftype_clone(&r, &rcopy);
  wasmtime_reftype_delete(&rcopy);
}

static void trap_code_case(const mcase *c) {
  uint8_t code = (uint8_t)c->b;
  wasm_trap_t *trap = wasmtime_trap_new_code(code);
  note("wasmtime_trap_new_code(%u): %s", code, trap ? "a trap" : "NULL");
  if (trap) {
    wasmtime_trap_code_t got = 0;
    bool has = wasmtime_trap_code(trap, &got);
    note("code: %s %u", has ? "yes" : "no", got);
    if (code <= WASMTIME_TRAP_CODE_UNCAUGHT_EXCEPTION) EXPECT(has && got == code, "code lost");
    show_trap("trap", trap);
  } else {
    EXPECT(code > WASMTIME_TRAP_CODE_UNCAUGHT_EXCEPTION, "no trap for a defined code");
  }
}

// ---------------------------------------------------------------------------------------------
// Store limits, fuel, epochs, configuration extremes
// ---------------------------------------------------------------------------------------------

static void limiter_case(const mcase *c) {
  fixture *f = fx();
  static const int64_t values[] = {-1, 0, INT64_MIN, INT64_MAX, 1};
  wasmtime_store_t *store = wasmtime_store_new(f->engine, NULL, NULL);
  wasmtime_context_t *ctx = wasmtime_store_context(store);
  int64_t v = values[c->a];
  wasmtime_store_limiter(store, v, v, v, v, v);
  wasmtime_module_t *module = compile_wat(f->engine, "(module (memory (export \"m\") 1) (table (export \"t\") 1 funcref)"
                                                      " (func (export \"g\") (param i32) (result i32) (memory.grow (local.get 0))))");
  wasmtime_instance_t instance;
  wasm_trap_t *trap = NULL;
  wasmtime_error_t *error = wasmtime_instance_new(ctx, module, NULL, 0, &instance, &trap);
  if (!call_failed("instantiate", error, trap)) {
    wasmtime_func_t g = fx_export_func(ctx, &instance, "g");
    note("memory.grow(1) = %d", call_i32(ctx, &g, 1, 1));
    note("memory.grow(-1) = %d", call_i32(ctx, &g, 1, -1));
  }
  wasmtime_module_delete(module);
  wasmtime_store_delete(store);
}
static const char *const limiter_names[] = {"-1", "0", "INT64_MIN", "INT64_MAX", "1"};

static void fuel_case(const mcase *c) {
  fixture *f = fx();
  wasm_config_t *config = wasm_config_new();
  wasmtime_config_consume_fuel_set(config, true);
  wasm_engine_t *engine = wasm_engine_new_with_config(config);
  wasmtime_store_t *store = wasmtime_store_new(engine, NULL, NULL);
  wasmtime_context_t *ctx = wasmtime_store_context(store);
  static const uint64_t fuels[] = {UINT64_MAX, UINT64_C(1) << 63, (UINT64_C(1) << 63) - 1, 0};
  EXPECT_OK("wasmtime_context_set_fuel", wasmtime_context_set_fuel(ctx, fuels[c->a]));
  uint64_t fuel = 0;
  EXPECT_OK("wasmtime_context_get_fuel", wasmtime_context_get_fuel(ctx, &fuel));
  note("fuel reads %llu", (unsigned long long)fuel);
  wasmtime_module_t *module = compile_wat(engine, "(module (func (export \"f\") (result i32) (local i32)"
                                                  " (loop (local.set 0 (i32.add (local.get 0) (i32.const 1)))"
                                                  "  (br_if 0 (i32.lt_u (local.get 0) (i32.const 1000)))) (local.get 0)))");
  wasmtime_instance_t instance;
  wasm_trap_t *trap = NULL;
  wasmtime_error_t *error = wasmtime_instance_new(ctx, module, NULL, 0, &instance, &trap);
  if (!call_failed("instantiate", error, trap)) {
    wasmtime_func_t func = fx_export_func(ctx, &instance, "f");
    int32_t r = call_i32(ctx, &func, 0, 0);
    note("f() = %d", r);
    if (fuels[c->a] > 100000) EXPECT(r == 1000, "the call did not complete with plenty of fuel");
    EXPECT_OK("wasmtime_context_get_fuel", wasmtime_context_get_fuel(ctx, &fuel));
    note("fuel left %llu", (unsigned long long)fuel);
  }
  (void)f;
  wasmtime_module_delete(module);
  wasmtime_store_delete(store);
  wasm_engine_delete(engine);
}
static const char *const fuel_names[] = {"UINT64_MAX", "2^63", "2^63-1", "0"};

static void epoch_case(const mcase *c) {
  wasm_config_t *config = wasm_config_new();
  wasmtime_config_epoch_interruption_set(config, true);
  wasm_engine_t *engine = wasm_engine_new_with_config(config);
  wasmtime_store_t *store = wasmtime_store_new(engine, NULL, NULL);
  wasmtime_context_t *ctx = wasmtime_store_context(store);
  for (int i = 0; i < 3; i++) wasmtime_engine_increment_epoch(engine);
  static const uint64_t deadlines[] = {UINT64_MAX, UINT64_MAX - 2, UINT64_C(1) << 63};
  wasmtime_context_set_epoch_deadline(ctx, deadlines[c->a]);
  wasmtime_module_t *module = compile_wat(engine, "(module (func (export \"f\") (result i32) (local i32)"
                                                  " (loop (local.set 0 (i32.add (local.get 0) (i32.const 1)))"
                                                  "  (br_if 0 (i32.lt_u (local.get 0) (i32.const 1000)))) (local.get 0)))");
  wasmtime_instance_t instance;
  wasm_trap_t *trap = NULL;
  wasmtime_error_t *error = wasmtime_instance_new(ctx, module, NULL, 0, &instance, &trap);
  if (!call_failed("instantiate", error, trap)) {
    wasmtime_func_t func = fx_export_func(ctx, &instance, "f");
    // A deadline that far away must not wrap around into the past.
    EXPECT(call_i32(ctx, &func, 0, 0) == 1000, "interrupted long before the deadline");
  }
  wasmtime_module_delete(module);
  wasmtime_store_delete(store);
  wasm_engine_delete(engine);
}
static const char *const epoch_names[] = {"UINT64_MAX", "UINT64_MAX-2", "2^63"};

// Unbounded Wasm recursion with a max_wasm_stack of 0, 1, SIZE_MAX, 2^63: a trap, never a crash.
static void max_wasm_stack_case(const mcase *c) {
  static const size_t sizes[] = {0, 1, SIZE_MAX, (size_t)1 << 63, 4096};
  wasm_config_t *config = wasm_config_new();
  wasmtime_config_max_wasm_stack_set(config, sizes[c->a]);
  wasm_engine_t *engine = wasm_engine_new_with_config(config);
  if (!engine) {
    note("engine refused");
    return;
  }
  wasmtime_store_t *store = wasmtime_store_new(engine, NULL, NULL);
  wasmtime_context_t *ctx = wasmtime_store_context(store);
  wasmtime_module_t *module = compile_wat(engine, "(module (func $f (export \"f\") (param i32) (result i32)"
                                                  " (i32.add (i32.const 1) (call $f (local.get 0))))"
                                                  " (func (export \"g\") (result i32) (i32.const 3)))");
  wasmtime_instance_t instance;
  wasm_trap_t *trap = NULL;
  wasmtime_error_t *error = wasmtime_instance_new(ctx, module, NULL, 0, &instance, &trap);
  if (!call_failed("instantiate", error, trap)) {
    wasmtime_func_t f = fx_export_func(ctx, &instance, "f");
    wasmtime_val_t arg = val_i32(0), result;
    error = wasmtime_func_call(ctx, &f, &arg, 1, &result, 1, &trap);
    EXPECT(call_failed("unbounded recursion", error, trap), "unbounded recursion returned");
    wasmtime_func_t g = fx_export_func(ctx, &instance, "g");
    EXPECT(call_i32(ctx, &g, 0, 0) == 3, "the store is not usable afterwards");
  }
  wasmtime_module_delete(module);
  wasmtime_store_delete(store);
  wasm_engine_delete(engine);
}
static const char *const max_wasm_stack_names[] = {"0", "1", "SIZE_MAX", "2^63", "4096"};

// Configuration values out of range: an engine or NULL, and a working engine does work.
static void config_extreme_case(const mcase *c) {
  wasm_config_t *config = wasm_config_new();
  switch (c->a) {
  case 0: wasmtime_config_strategy_set(config, 77); break;
  case 1: wasmtime_config_cranelift_opt_level_set(config, 77); break;
  case 2: wasmtime_config_profiler_set(config, 77); break;
  case 3: wasmtime_config_cranelift_regalloc_algorithm_set(config, 77); break;
  case 4: wasmtime_config_memory_reservation_set(config, UINT64_MAX); break;
  case 5: wasmtime_config_memory_guard_size_set(config, UINT64_MAX); break;
  case 6: wasmtime_config_memory_reservation_for_growth_set(config, UINT64_MAX); break;
  case 7: wasmtime_config_cranelift_flag_set(config, "\xff\xfe", "\x80"); break;
  case 8: wasmtime_config_cranelift_flag_enable(config, ""); break;
  case 9:
    // swasm documents that it accepts any target (it has no code generator); wasmtime refuses.
    show_error("wasmtime_config_target_set", wasmtime_config_target_set(config, "not-a-target"));
    break;
  case 10:
    EXPECT_ERROR("wasmtime_config_cache_config_load",
                 wasmtime_config_cache_config_load(config, "/nonexistent/swasm-cache.toml"));
    break;
  case 11: show_error("wasmtime_config_cache_config_load", wasmtime_config_cache_config_load(config, "/dev/null")); break;
  case 12: show_error("wasmtime_config_target_set", wasmtime_config_target_set(config, "")); break;
  }
  wasm_engine_t *engine = wasm_engine_new_with_config(config);
  note("engine: %s", engine ? "made" : "refused");
  if (engine) {
    wasmtime_store_t *store = wasmtime_store_new(engine, NULL, NULL);
    wasmtime_context_t *ctx = wasmtime_store_context(store);
    wasmtime_module_t *module = compile_wat(engine, "(module (memory (export \"m\") 1) (func (export \"f\") (result i32)"
                                                    " (i32.store (i32.const 8) (i32.const 5)) (i32.load (i32.const 8))))");
    wasmtime_instance_t instance;
    wasm_trap_t *trap = NULL;
    wasmtime_error_t *error = wasmtime_instance_new(ctx, module, NULL, 0, &instance, &trap);
    if (!call_failed("instantiate", error, trap)) {
      wasmtime_func_t f = fx_export_func(ctx, &instance, "f");
      EXPECT(call_i32(ctx, &f, 0, 0) == 5, "the engine does not work");
    }
    wasmtime_module_delete(module);
    wasmtime_store_delete(store);
    wasm_engine_delete(engine);
  }
}
static const char *const config_extreme_names[] = {
    "strategy_77",           "cranelift_opt_level_77",      "profiler_77",
    "regalloc_77",           "memory_reservation_UINT64_MAX", "memory_guard_size_UINT64_MAX",
    "reservation_for_growth_UINT64_MAX", "cranelift_flag_invalid_utf8", "cranelift_flag_empty",
    "target_garbage",        "cache_config_missing_file",   "cache_config_dev_null",
    "target_empty"};
static const char *const config_extreme_functions[] = {
    "wasmtime_config_strategy_set", "wasmtime_config_cranelift_opt_level_set", "wasmtime_config_profiler_set",
    "wasmtime_config_cranelift_regalloc_algorithm_set", "wasmtime_config_memory_reservation_set",
    "wasmtime_config_memory_guard_size_set", "wasmtime_config_memory_reservation_for_growth_set",
    "wasmtime_config_cranelift_flag_set", "wasmtime_config_cranelift_flag_enable", "wasmtime_config_target_set",
    "wasmtime_config_cache_config_load", "wasmtime_config_cache_config_load", "wasmtime_config_target_set"};

// swasm extensions with out-of-range indices.
static void swasm_index_case(const mcase *c) {
  if (c->a == 0) {
    if (!HAVE(swasm_module_disassemble)) skip("not swasm");
    static const uint32_t indices[] = {UINT32_MAX, 0 /* imported */, 1000};
    wasm_byte_vec_t out;
    for (int i = 0; i < 3; i++) {
      bool ok = swasm_module_disassemble(fx()->module, indices[i], &out);
      note("disassemble(%u): %d, %zu bytes", indices[i], ok, out.size);
      EXPECT(!ok && out.size == 0, "a listing of function %u", indices[i]);
      wasm_byte_vec_delete(&out);
    }
  } else {
    if (!HAVE(swasm_script_parse)) skip("not swasm");
    static const char text[] = "(module)";
    wasmtime_error_t *error = NULL;
    swasm_script_t *script = swasm_script_parse(text, sizeof text - 1, &error);
    show_error("parse", error);
    swasm_script_command_t command;
    static const size_t indices[] = {SIZE_MAX, 1, (size_t)1 << 32};
    for (int i = 0; i < 3; i++) {
      memset(&command, 0x5a, sizeof command);
      bool ok = swasm_script_command(script, indices[i], &command);
      EXPECT(!ok, "a command at index %zu", indices[i]);
      EXPECT(command.kind == 0 && command.module_binary == NULL, "output not zeroed");
    }
    swasm_script_delete(script);
  }
}

// Raw externref indices that name nothing (the raw API is unchecked in wasmtime; swasm must
// still not crash on an index it does not have).
static void externref_raw_case(const mcase *c) {
  if (!HAVE(wasmtime_externref_from_raw)) skip("wasmtime_externref_from_raw is not exported");
  static const uint32_t raws[] = {UINT32_MAX, 0x41414141, 12345};
  wasmtime_externref_t ref;
  memset(&ref, 0x5a, sizeof ref);
  wasmtime_externref_from_raw(fx()->ctx, raws[c->a], &ref);
  note("from_raw(0x%x): store_id %s", raws[c->a], ref.store_id ? "set" : "0 (null)");
  if (ref.store_id) {
    void *data = wasmtime_externref_data(fx()->ctx, &ref);
    note("data %p", data);
    wasmtime_externref_unroot(&ref);
  }
}

// (pointer, length) inputs whose length no object can have (above 2^63): refused before anything
// is read (the bytes sit before an inaccessible page, so reading on faults).
static const size_t absurd_lengths[] = {SIZE_MAX, (size_t)1 << 63};

static wasm_trap_t *length_hook(wasmtime_caller_t *caller, const wasmtime_val_t *args, size_t nargs,
                                wasmtime_val_t *results, size_t nresults);
static size_t hook_length;

static void length_case(const mcase *c) {
  fixture *f = fx();
  size_t length = absurd_lengths[c->b];
  wasmtime_linker_t *linker = wasmtime_linker_new(f->engine);
  wasmtime_extern_t item = {.kind = WASMTIME_EXTERN_FUNC, .of.func = f->seven};
  const char *name = guarded_copy("mem", 3);
  const char *wasm = guarded_copy(f->wasm.data, f->wasm.size);
  switch (c->a) {
  case 0: {
    wasmtime_module_t *module = NULL;
    EXPECT_ERROR("wasmtime_module_new", wasmtime_module_new(f->engine, (const uint8_t *)wasm, length, &module));
    break;
  }
  case 1: EXPECT_ERROR("wasmtime_module_validate", wasmtime_module_validate(f->engine, (const uint8_t *)wasm, length)); break;
  case 2: {
    wasm_byte_vec_t artifact;
    wasmtime_error_t *error = wasmtime_module_serialize(f->module, &artifact);
    if (error) {
      show_error("serialize", error);
      skip("no artifact");
    }
    const char *bytes = guarded_copy(artifact.data, artifact.size);
    wasmtime_module_t *module = NULL;
    EXPECT_ERROR("wasmtime_module_deserialize", wasmtime_module_deserialize(f->engine, (const uint8_t *)bytes, length, &module));
    wasm_byte_vec_delete(&artifact);
    break;
  }
  case 3: {
    static const char text[] = "(module)";
    wasm_byte_vec_t out;
    EXPECT_ERROR("wasmtime_wat2wasm", wasmtime_wat2wasm(guarded_copy(text, 8), length, &out));
    break;
  }
  case 4: {
    wasm_trap_t *trap = wasmtime_trap_new(guarded_copy("boom", 4), length);
    // No error channel but NULL: NULL, an out-of-memory trap or a trap without the message.
    note("wasmtime_trap_new: %s", trap ? "a trap" : "NULL");
    show_trap("wasmtime_trap_new", trap);
    break;
  }
  case 5: EXPECT_ERROR("wasmtime_linker_define(module)", wasmtime_linker_define(linker, f->ctx, name, length, "x", 1, &item)); break;
  case 6: EXPECT_ERROR("wasmtime_linker_define(name)", wasmtime_linker_define(linker, f->ctx, "m", 1, name, length, &item)); break;
  case 7: {
    wasm_functype_t *type = functype_i_i();
    EXPECT_ERROR("wasmtime_linker_define_func",
                 wasmtime_linker_define_func(linker, "m", 1, name, length, type, NULL, NULL, NULL));
    wasm_functype_delete(type);
    break;
  }
  case 8:
    EXPECT_ERROR("wasmtime_linker_define_instance", wasmtime_linker_define_instance(linker, f->ctx, name, length, &f->inst));
    break;
  case 9: EXPECT_ERROR("wasmtime_linker_module", wasmtime_linker_module(linker, f->ctx, name, length, f->module)); break;
  case 10: {
    wasmtime_extern_t got;
    EXPECT(!wasmtime_linker_get(linker, f->ctx, "m", 1, name, length, &got), "found");
    break;
  }
  case 11: {
    wasmtime_func_t func;
    EXPECT_ERROR("wasmtime_linker_get_default", wasmtime_linker_get_default(linker, f->ctx, name, length, &func));
    break;
  }
  case 12: {
    wasmtime_extern_t got;
    EXPECT(!wasmtime_instance_export_get(f->ctx, &f->inst, name, length, &got), "found");
    break;
  }
  case 13:
    hook_length = length;
    host_mode = HOST_HOOK;
    host_hook = length_hook;
    call_i32(f->ctx, &f->call_host, 1, 1);
    host_mode = HOST_NORMAL;
    break;
  case 14: {
    if (!HAVE(swasm_script_parse)) skip("not swasm");
    wasmtime_error_t *error = NULL;
    swasm_script_t *script = swasm_script_parse(guarded_copy("(module)", 8), length, &error);
    EXPECT(script == NULL, "a script of an impossible length");
    EXPECT_ERROR("swasm_script_parse", error);
    swasm_script_delete(script);
    break;
  }
  }
  wasmtime_linker_delete(linker);
}
static wasm_trap_t *length_hook(wasmtime_caller_t *caller, const wasmtime_val_t *args, size_t nargs,
                                wasmtime_val_t *results, size_t nresults) {
  (void)args, (void)nargs;
  wasmtime_extern_t got;
  EXPECT(!wasmtime_caller_export_get(caller, guarded_copy("mem", 3), hook_length, &got), "found");
  if (nresults) results[0] = val_i32(0);
  return NULL;
}
static const char *const length_functions[] = {
    "wasmtime_module_new",           "wasmtime_module_validate",    "wasmtime_module_deserialize",
    "wasmtime_wat2wasm",             "wasmtime_trap_new",           "wasmtime_linker_define",
    "wasmtime_linker_define",        "wasmtime_linker_define_func", "wasmtime_linker_define_instance",
    "wasmtime_linker_module",        "wasmtime_linker_get",         "wasmtime_linker_get_default",
    "wasmtime_instance_export_get",  "wasmtime_caller_export_get",  "swasm_script_parse"};

REGISTER(register_sizes) {
  char name[96];
  for (int s = 0; s < BAD_COUNT_COUNT; s++) {
    snprintf(name, sizeof name, "nargs_%s", bad_count_names[s]);
    add_case("size", "wasmtime_func_call", name, call_count_case, 0, s, NULL);
    if (s == 5) continue; // one result is the right count
    snprintf(name, sizeof name, "nresults_%s", bad_count_names[s]);
    add_case("size", "wasmtime_func_call", name, call_count_case, 1, s, NULL);
  }
  static const char *const unchecked_names[] = {"len_0", "len_1", "len_SIZE_MAX", "len_2^63"};
  for (int i = 0; i < 4; i++) add_case("size", "wasmtime_func_call_unchecked", unchecked_names[i], call_unchecked_len_case, i, 0, NULL);
  static const char *const vec_size_names[] = {"0", "1", "3", "SIZE_MAX", "2^32+2"};
  for (int i = 0; i < 5; i++) {
    snprintf(name, sizeof name, "args_size_%s", vec_size_names[i]);
    add_case("size", "wasm_func_call", name, wasm_func_call_size_case, 0, i, NULL);
    if (i == 1) continue; // one result is the right size
    snprintf(name, sizeof name, "results_size_%s", vec_size_names[i]);
    add_case("size", "wasm_func_call", name, wasm_func_call_size_case, 1, i, NULL);
  }
  static const char *const nimport_names[] = {"SIZE_MAX", "2^63", "2^32+4", "3", "5", "0"};
  for (int i = 0; i < 6; i++) {
    snprintf(name, sizeof name, "nimports_%s", nimport_names[i]);
    add_case("size", "wasmtime_instance_new", name, instance_nimports_case, i, 0, NULL);
  }
  static const char *const nth_names[] = {"SIZE_MAX", "2^63", "2^32", "1000"};
  for (int i = 0; i < 4; i++) {
    snprintf(name, sizeof name, "index_%s", nth_names[i]);
    add_case("size", "wasmtime_instance_export_nth", name, export_nth_case, i, 0, NULL);
  }
  for (int i = 0; i < BAD_INDEX_COUNT; i++) {
    snprintf(name, sizeof name, "index_%s", bad_index_names[i]);
    add_case("size", "wasmtime_table_get", name, table_index_case, 0, i, NULL);
    add_case("size", "wasmtime_table_set", name, table_index_case, 1, i, NULL);
  }
  for (int i = 0; i < BAD_DELTA_COUNT; i++) {
    snprintf(name, sizeof name, "delta_%s", bad_delta_names[i]);
    add_case("size", "wasmtime_table_grow", name, table_grow_case, i, 0, NULL);
  }
  for (int i = 0; i < 8; i++) {
    snprintf(name, sizeof name, "delta_%s", memory_grow_names[i]);
    add_case("size", "wasmtime_memory_grow", name, memory_grow_case, i, 0, NULL);
  }
  for (int i = 0; i < 5; i++) {
    snprintf(name, sizeof name, "total_%s", total_limit_names[i]);
    add_case("size", "swasm_store_limiter_total", name, total_limit_case, i, 0, NULL);
  }

  static const char *const wasm_grow_names[] = {"-1", "65536", "INT32_MIN", "65535"};
  for (int i = 0; i < 4; i++) {
    snprintf(name, sizeof name, "memory.grow_%s", wasm_grow_names[i]);
    add_case("size", "wasmtime_func_call", name, wasm_memory_grow_case, i, 0, NULL);
  }
  static const char *const u32_names[] = {"UINT32_MAX", "UINT32_MAX-1", "2^31"};
  for (int i = 0; i < 3; i++) {
    snprintf(name, sizeof name, "delta_%s", u32_names[i]);
    add_case("size", "wasm_table_grow", name, wasm_table_grow_case, i, 0, NULL);
  }
  static const char *const mem_u32_names[] = {"UINT32_MAX", "65536", "2^31"};
  for (int i = 0; i < 3; i++) {
    snprintf(name, sizeof name, "delta_%s", mem_u32_names[i]);
    add_case("size", "wasm_memory_grow", name, wasm_memory_grow_h_case, i, 0, NULL);
  }
  for (int i = 0; i < 9; i++) add_case("size", "wasmtime_memorytype_new", memorytype_names[i], memorytype_case, i, 0, NULL);
  for (int i = 0; i < 6; i++)
    add_case("size", i < 3 ? "wasm_memory_new" : "wasm_table_new", wasm_limits_names[i], wasm_limits_case, i, 0, NULL);
  add_case("size", "wasmtime_table_new", "min_UINT32_MAX", wasmtime_table_new_huge_case, 0, 0, NULL);
  add_case("size", "wasmtime_table_new", "min_2^31", wasmtime_table_new_huge_case, 1, 0, NULL);
  static const char *const kind_names[] = {"kind_5", "kind_77", "kind_127", "kind_130", "kind_255"};
  for (int i = 0; i < 5; i++) add_case("size", "wasm_valtype_new", kind_names[i], valtype_kind_case, i, 0, NULL);
  add_case("size", "wasm_globaltype_new", "mutability_77", globaltype_mutability_case, 0, 0, NULL);
  add_case("size", "wasmtime_valtype_to_wasm", "kind_77", wasmtime_valtype_garbage_case, 0, 0, NULL);
  add_case("size", "wasmtime_valtype_to_wasm", "heaptype_kind_99", wasmtime_valtype_garbage_case, 1, 0, NULL);
  static const int codes[] = {0, 9, 11, 12, 40, 49, 50, 77, 255};
  for (int i = 0; i < 9; i++) {
    snprintf(name, sizeof name, "code_%d", codes[i]);
    add_case("size", "wasmtime_trap_new_code", name, trap_code_case, 0, codes[i], NULL);
  }
  for (int i = 0; i < 5; i++) add_case("size", "wasmtime_store_limiter", limiter_names[i], limiter_case, i, 0, NULL);
  for (int i = 0; i < 4; i++) add_case("size", "wasmtime_context_set_fuel", fuel_names[i], fuel_case, i, 0, NULL);
  for (int i = 0; i < 3; i++) add_case("size", "wasmtime_context_set_epoch_deadline", epoch_names[i], epoch_case, i, 0, NULL);
  for (int i = 0; i < 5; i++)
    add_case("size", "wasmtime_config_max_wasm_stack_set", max_wasm_stack_names[i], max_wasm_stack_case, i, 0, NULL);
  for (int i = 0; i < 13; i++) add_case("size", config_extreme_functions[i], config_extreme_names[i], config_extreme_case, i, 0, NULL);
  add_case("size", "swasm_module_disassemble", "bad_indices", swasm_index_case, 0, 0, NULL);
  add_case("size", "swasm_script_command", "bad_indices", swasm_index_case, 1, 0, NULL);
  for (int fn = 0; fn < 15; fn++)
    for (int l = 0; l < 2; l++) {
      snprintf(name, sizeof name, "%slength_%s", fn == 5 ? "module_" : "", l == 0 ? "SIZE_MAX" : "2^63");
      add_case("size", length_functions[fn], name, length_case, fn, l, NULL);
    }
  static const char *const raw_names[] = {"UINT32_MAX", "0x41414141", "12345"};
  for (int i = 0; i < 3; i++) add_case("size", "wasmtime_externref_from_raw", raw_names[i], externref_raw_case, i, 0, NULL);
}
