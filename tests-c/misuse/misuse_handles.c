// Handles family: every function taking a store item (func, table, memory, global, instance,
// externref, and the wasmtime_extern_t union) given a handle that is not one of the calling
// store's objects: another live store's, a deleted store's, a forged one (the right store_id and a
// private part that is garbage, points to zeroed memory, or is a real object of another or of a
// deleted store relabelled with this store's id), a zero or foreign store_id on a real handle.
//
// Expected: the refusal each function documents (an error, NULL, false, 0) and no crash.
// Detectability: another store's and a deleted store's handles differ in store_id; a forged private
// part (garbage, random bits, a pointer to zeroed memory) is not one of the store's objects, which
// the store can check by looking it up among its own (wasmtime uses indices and checks their range;
// swasm's handles carry pointers and need a lookup). Those must be refused. A real object of
// another store relabelled with this store's id is detectable only where handles are pointers (an
// index of another store is usually a valid index here: wasmtime accepts it as the object of this
// store with that index), so for those variants, and for a handle tagged as another kind, the case
// only requires no crash and notes whether it was refused. Functions that return nothing or a
// number with no error value (wasmtime_global_get, wasmtime_memory_page_size,
// wasmtime_func_to_raw) are only required not to crash; what they return is printed.
#include <stdlib.h>

#include "misuse.h"

enum hkind { H_FUNC, H_TABLE, H_MEMORY, H_GLOBAL, H_INSTANCE, H_EXTERNREF };

typedef struct handle_variant {
  const char *name;
  bool right;
  bool soft; // representation-dependent: refusal noted, not required
} handle_variant;

enum {
  V_RIGHT,
  V_OTHER_STORE,
  V_DELETED_STORE,
  V_FORGED_GARBAGE,
  V_FORGED_RANDOM,
  V_FORGED_ZEROED_HEAP,
  V_FORGED_OTHER_STORE_OBJECT,
  V_FORGED_DELETED_STORE_OBJECT,
  V_STORE_ID_ZERO,
  V_STORE_ID_GARBAGE,
  V_COUNT
};

static const handle_variant hvariants[V_COUNT] = {
    {"right", true},
    {"other_store", false},
    {"deleted_store", false},
    {"forged_garbage", false},
    {"forged_random", false},
    {"forged_zeroed_heap", false},
    {"forged_other_store_object", false, true},
    {"forged_deleted_store_object", false, true},
    {"store_id_zero", false},
    {"store_id_garbage", false},
};

// Handles are at most 24 bytes after the store id; the private part is filled byte-wise so that
// the family does not depend on the layout beyond "store_id first".
static void set_private(void *handle, size_t size, int variant) {
  unsigned char *bytes = (unsigned char *)handle + 8;
  size_t n = size - 8;
  switch (variant) {
  case V_FORGED_GARBAGE: memset(bytes, 0x41, n); break;
  case V_FORGED_RANDOM: {
    uint64_t x = 0x9e3779b97f4a7c15ULL;
    for (size_t i = 0; i < n; i++) {
      x ^= x << 13, x ^= x >> 7, x ^= x << 17;
      bytes[i] = (unsigned char)x;
    }
    break;
  }
  case V_FORGED_ZEROED_HEAP: {
    // A pointer to zeroed, readable memory in every pointer-sized slot.
    void *block = calloc(1, 4096);
    for (size_t i = 0; i + sizeof block <= n; i += sizeof block) memcpy(bytes + i, &block, sizeof block);
    break;
  }
  }
}

// The handle of kind `k` for `variant`, as an extern (instances and externrefs in their own slot).
typedef struct any_handle {
  wasmtime_extern_t item;
  wasmtime_instance_t instance;
  wasmtime_externref_t externref;
} any_handle;

static void right_handle(enum hkind k, int which_store, any_handle *h) {
  // which_store: 1 live store 1, 2 live store 2, 3 deleted store
  fixture *f = fx();
  memset(h, 0, sizeof *h);
  switch (k) {
  case H_FUNC:
    h->item.kind = WASMTIME_EXTERN_FUNC;
    h->item.of.func = which_store == 1 ? f->seven : which_store == 2 ? f->seven2 : f->dead_func;
    break;
  case H_TABLE:
    h->item.kind = WASMTIME_EXTERN_TABLE;
    h->item.of.table = which_store == 1 ? f->tab : which_store == 2 ? f->tab2 : f->dead_table;
    break;
  case H_MEMORY:
    h->item.kind = WASMTIME_EXTERN_MEMORY;
    h->item.of.memory = which_store == 1 ? f->mem : which_store == 2 ? f->mem2 : f->dead_memory;
    break;
  case H_GLOBAL:
    h->item.kind = WASMTIME_EXTERN_GLOBAL;
    h->item.of.global = which_store == 1 ? f->g : which_store == 2 ? f->g2 : f->dead_global;
    break;
  case H_INSTANCE:
    h->instance = which_store == 1 ? f->inst : which_store == 2 ? f->inst2 : f->dead_instance;
    break;
  case H_EXTERNREF:
    h->externref = which_store == 1 ? f->ext : which_store == 2 ? f->ext2 : f->dead_ext;
    break;
  }
}

// The handle's bytes (store_id first) and size.
static void *handle_bytes(enum hkind k, any_handle *h, size_t *size) {
  switch (k) {
  case H_FUNC: *size = sizeof h->item.of.func; return &h->item.of.func;
  case H_TABLE: *size = sizeof h->item.of.table; return &h->item.of.table;
  case H_MEMORY: *size = sizeof h->item.of.memory; return &h->item.of.memory;
  case H_GLOBAL: *size = sizeof h->item.of.global; return &h->item.of.global;
  case H_INSTANCE: *size = sizeof h->instance; return &h->instance;
  case H_EXTERNREF: *size = sizeof h->externref; return &h->externref;
  }
  return NULL;
}

static void make_handle(enum hkind k, int variant, any_handle *h) {
  uint64_t id1 = fx()->seven.store_id;
  switch (variant) {
  case V_OTHER_STORE: right_handle(k, 2, h); return;
  case V_DELETED_STORE: right_handle(k, 3, h); return;
  case V_FORGED_OTHER_STORE_OBJECT:
  case V_FORGED_DELETED_STORE_OBJECT: {
    right_handle(k, variant == V_FORGED_OTHER_STORE_OBJECT ? 2 : 3, h);
    size_t size;
    memcpy(handle_bytes(k, h, &size), &id1, 8);
    return;
  }
  default: break;
  }
  right_handle(k, 1, h);
  size_t size;
  void *bytes = handle_bytes(k, h, &size);
  if (variant == V_STORE_ID_ZERO) memset(bytes, 0, 8);
  if (variant == V_STORE_ID_GARBAGE) memset(bytes, 0x41, 8);
  set_private(bytes, size, variant);
}

// ---------------------------------------------------------------------------------------------
// Operations
// ---------------------------------------------------------------------------------------------

// A module importing one item of each kind, matching the fixture's objects.
static const char importer_wat[] = "(module (import \"m\" \"f\" (func (result i32))))";
static const char importer_table_wat[] = "(module (import \"m\" \"t\" (table 1 funcref)))";
static const char importer_memory_wat[] = "(module (import \"m\" \"mem\" (memory 1)))";
static const char importer_global_wat[] = "(module (import \"m\" \"g\" (global (mut i32))))";

static void op_instance_new(const any_handle *h, bool right, const char *wat) {
  fixture *f = fx();
  wasmtime_module_t *module = compile_wat(f->engine, wat);
  wasmtime_instance_t instance;
  wasm_trap_t *trap = NULL;
  wasmtime_error_t *error = wasmtime_instance_new(f->ctx, module, &h->item, 1, &instance, &trap);
  bool failed = call_failed("wasmtime_instance_new", error, trap);
  EXPECT(failed != right, right ? "instantiation with the right import failed" : "a wrong import was accepted");
  wasmtime_module_delete(module);
}

static void op_extern_type(const any_handle *h, bool right) {
  wasm_externtype_t *type = wasmtime_extern_type(fx()->ctx, &h->item);
  note("wasmtime_extern_type: %s", type ? "a type" : "NULL");
  EXPECT((type != NULL) == right, right ? "no type for a right item" : "a type for a wrong item");
  if (type) wasm_externtype_delete(type);
}

static void op_linker_define(const any_handle *h, bool right) {
  fixture *f = fx();
  wasmtime_linker_t *linker = wasmtime_linker_new(f->engine);
  EXPECT_ERROR_UNLESS(right, "wasmtime_linker_define", wasmtime_linker_define(linker, f->ctx, "m", 1, "x", 1, &h->item));
  wasmtime_linker_delete(linker);
}

static void op_func_call(const any_handle *h, bool right) {
  fixture *f = fx();
  wasmtime_val_t result = val_i32(0);
  wasm_trap_t *trap = NULL;
  wasmtime_error_t *error = wasmtime_func_call(f->ctx, &h->item.of.func, NULL, 0, &result, 1, &trap);
  bool failed = call_failed("wasmtime_func_call", error, trap);
  EXPECT(failed != right, right ? "the right call failed" : "a call of a wrong function was made");
  if (right) EXPECT(result.of.i32 == 7, "wrong result %d", result.of.i32);
}

static void op_func_call_unchecked(const any_handle *h, bool right) {
  fixture *f = fx();
  wasmtime_val_raw_t raw[2];
  memset(raw, 0, sizeof raw);
  wasm_trap_t *trap = NULL;
  wasmtime_error_t *error = wasmtime_func_call_unchecked(f->ctx, &h->item.of.func, raw, 2, &trap);
  bool failed = call_failed("wasmtime_func_call_unchecked", error, trap);
  EXPECT(failed != right, right ? "the right call failed" : "a call of a wrong function was made");
}

static void op_func_type(const any_handle *h, bool right) {
  wasm_functype_t *type = wasmtime_func_type(fx()->ctx, &h->item.of.func);
  note("wasmtime_func_type: %s", type ? "a type" : "NULL");
  EXPECT((type != NULL) == right, right ? "no type" : "a type for a wrong function");
  if (type) wasm_functype_delete(type);
}

static void op_func_to_raw(const any_handle *h, bool right) {
  void *raw = wasmtime_func_to_raw(fx()->ctx, &h->item.of.func);
  note("wasmtime_func_to_raw: %s", raw ? "a pointer" : "NULL");
  if (right) EXPECT(raw != NULL, "no raw form of a right function");
}

static void op_table_get(const any_handle *h, bool right) {
  wasmtime_val_t v;
  bool ok = wasmtime_table_get(fx()->ctx, &h->item.of.table, 0, &v);
  note("wasmtime_table_get: %s", ok ? "true" : "false");
  EXPECT(ok == right, right ? "get failed" : "get of a wrong table succeeded");
}

static void op_table_set(const any_handle *h, bool right) {
  wasmtime_val_t null_ref = {.kind = WASMTIME_FUNCREF};
  null_ref.of.funcref.store_id = 0;
  EXPECT_ERROR_UNLESS(right, "wasmtime_table_set", wasmtime_table_set(fx()->ctx, &h->item.of.table, 0, &null_ref));
}

static void op_table_size(const any_handle *h, bool right) {
  uint64_t size = wasmtime_table_size(fx()->ctx, &h->item.of.table);
  note("wasmtime_table_size: %llu", (unsigned long long)size);
  EXPECT(right ? size == 4 : size == 0, "unexpected size");
}

static void op_table_grow(const any_handle *h, bool right) {
  wasmtime_val_t null_ref = {.kind = WASMTIME_FUNCREF};
  null_ref.of.funcref.store_id = 0;
  uint64_t previous = 0;
  EXPECT_ERROR_UNLESS(right, "wasmtime_table_grow",
                      wasmtime_table_grow(fx()->ctx, &h->item.of.table, 1, &null_ref, &previous));
}

static void op_table_type(const any_handle *h, bool right) {
  wasm_tabletype_t *type = wasmtime_table_type(fx()->ctx, &h->item.of.table);
  note("wasmtime_table_type: %s", type ? "a type" : "NULL");
  EXPECT((type != NULL) == right, right ? "no type" : "a type for a wrong table");
  if (type) wasm_tabletype_delete(type);
}

static void op_memory_data(const any_handle *h, bool right) {
  uint8_t *data = wasmtime_memory_data(fx()->ctx, &h->item.of.memory);
  note("wasmtime_memory_data: %s", data ? "a pointer" : "NULL");
  EXPECT((data != NULL) == right, right ? "no data" : "data of a wrong memory");
  if (data) data[0] = 1; // usable
}

static void op_memory_data_size(const any_handle *h, bool right) {
  size_t size = wasmtime_memory_data_size(fx()->ctx, &h->item.of.memory);
  note("wasmtime_memory_data_size: %zu", size);
  EXPECT(right ? size == 65536 : size == 0, "unexpected size");
}

static void op_memory_size(const any_handle *h, bool right) {
  uint64_t size = wasmtime_memory_size(fx()->ctx, &h->item.of.memory);
  note("wasmtime_memory_size: %llu", (unsigned long long)size);
  EXPECT(right ? size == 1 : size == 0, "unexpected size");
}

static void op_memory_grow(const any_handle *h, bool right) {
  uint64_t previous = 0;
  EXPECT_ERROR_UNLESS(right, "wasmtime_memory_grow", wasmtime_memory_grow(fx()->ctx, &h->item.of.memory, 1, &previous));
}

static void op_memory_type(const any_handle *h, bool right) {
  wasm_memorytype_t *type = wasmtime_memory_type(fx()->ctx, &h->item.of.memory);
  note("wasmtime_memory_type: %s", type ? "a type" : "NULL");
  EXPECT((type != NULL) == right, right ? "no type" : "a type for a wrong memory");
  if (type) wasm_memorytype_delete(type);
}

static void op_memory_page_size(const any_handle *h, bool right) {
  uint64_t size = wasmtime_memory_page_size(fx()->ctx, &h->item.of.memory);
  note("wasmtime_memory_page_size: %llu", (unsigned long long)size);
  if (right) EXPECT(size == 65536, "unexpected page size");
}

static void op_memory_page_size_log2(const any_handle *h, bool right) {
  uint8_t log2 = wasmtime_memory_page_size_log2(fx()->ctx, &h->item.of.memory);
  note("wasmtime_memory_page_size_log2: %u", log2);
  if (right) EXPECT(log2 == 16, "unexpected page size");
}

static void op_global_get(const any_handle *h, bool right) {
  wasmtime_val_t v;
  memset(&v, 0x5a, sizeof v);
  wasmtime_global_get(fx()->ctx, &h->item.of.global, &v);
  note("wasmtime_global_get: kind %d, i32 %d", v.kind, v.of.i32);
  if (right) EXPECT(v.kind == WASMTIME_I32 && v.of.i32 == 7, "unexpected value");
}

static void op_global_set(const any_handle *h, bool right) {
  wasmtime_val_t v = val_i32(8);
  EXPECT_ERROR_UNLESS(right, "wasmtime_global_set", wasmtime_global_set(fx()->ctx, &h->item.of.global, &v));
}

static void op_global_type(const any_handle *h, bool right) {
  wasm_globaltype_t *type = wasmtime_global_type(fx()->ctx, &h->item.of.global);
  note("wasmtime_global_type: %s", type ? "a type" : "NULL");
  EXPECT((type != NULL) == right, right ? "no type" : "a type for a wrong global");
  if (type) wasm_globaltype_delete(type);
}

static void op_instance_export_get(const any_handle *h, bool right) {
  wasmtime_extern_t item;
  bool found = wasmtime_instance_export_get(fx()->ctx, &h->instance, "add", 3, &item);
  note("wasmtime_instance_export_get: %s", found ? "found" : "not found");
  EXPECT(found == right, right ? "export not found" : "export of a wrong instance found");
}

static void op_instance_export_nth(const any_handle *h, bool right) {
  wasmtime_extern_t item;
  char *name = NULL;
  size_t length = 0;
  bool found = wasmtime_instance_export_nth(fx()->ctx, &h->instance, 0, &name, &length, &item);
  note("wasmtime_instance_export_nth: %s", found ? "found" : "not found");
  EXPECT(found == right, right ? "export not found" : "export of a wrong instance found");
}

static void op_linker_define_instance(const any_handle *h, bool right) {
  fixture *f = fx();
  wasmtime_linker_t *linker = wasmtime_linker_new(f->engine);
  EXPECT_ERROR_UNLESS(right, "wasmtime_linker_define_instance",
                      wasmtime_linker_define_instance(linker, f->ctx, "i", 1, &h->instance));
  wasmtime_linker_delete(linker);
}

static void op_externref_data(const any_handle *h, bool right) {
  void *data = wasmtime_externref_data(fx()->ctx, &h->externref);
  note("wasmtime_externref_data: %s", data == &fixture_ext_data ? "the fixture's data" : data ? "a pointer" : "NULL");
  EXPECT(right ? data == &fixture_ext_data : data == NULL, "unexpected data");
}

// An externref used as a Wasm argument (is_null_ext) and through wasmtime_externref_to_raw.
static void op_externref_to_raw(const any_handle *h, bool right) {
  if (!HAVE(wasmtime_externref_to_raw)) skip("wasmtime_externref_to_raw is not exported");
  uint32_t raw = wasmtime_externref_to_raw(fx()->ctx, &h->externref);
  note("wasmtime_externref_to_raw: %u", raw);
  if (!right) EXPECT(raw == 0, "a raw form of a wrong externref");
}

typedef struct operation {
  const char *name;
  const char *function;
  enum hkind kind;
  void (*run)(const any_handle *h, bool right);
} operation;

static void op_instance_new_func(const any_handle *h, bool right) { op_instance_new(h, right, importer_wat); }
static void op_instance_new_table(const any_handle *h, bool right) { op_instance_new(h, right, importer_table_wat); }
static void op_instance_new_memory(const any_handle *h, bool right) { op_instance_new(h, right, importer_memory_wat); }
static void op_instance_new_global(const any_handle *h, bool right) { op_instance_new(h, right, importer_global_wat); }

static const operation operations[] = {
    {"func", "wasmtime_func_call", H_FUNC, op_func_call},
    {"func", "wasmtime_func_call_unchecked", H_FUNC, op_func_call_unchecked},
    {"func", "wasmtime_func_type", H_FUNC, op_func_type},
    {"func", "wasmtime_func_to_raw", H_FUNC, op_func_to_raw},
    {"func", "wasmtime_extern_type", H_FUNC, op_extern_type},
    {"func", "wasmtime_linker_define", H_FUNC, op_linker_define},
    {"func", "wasmtime_instance_new", H_FUNC, op_instance_new_func},
    {"table", "wasmtime_table_get", H_TABLE, op_table_get},
    {"table", "wasmtime_table_set", H_TABLE, op_table_set},
    {"table", "wasmtime_table_size", H_TABLE, op_table_size},
    {"table", "wasmtime_table_grow", H_TABLE, op_table_grow},
    {"table", "wasmtime_table_type", H_TABLE, op_table_type},
    {"table", "wasmtime_extern_type", H_TABLE, op_extern_type},
    {"table", "wasmtime_linker_define", H_TABLE, op_linker_define},
    {"table", "wasmtime_instance_new", H_TABLE, op_instance_new_table},
    {"memory", "wasmtime_memory_data", H_MEMORY, op_memory_data},
    {"memory", "wasmtime_memory_data_size", H_MEMORY, op_memory_data_size},
    {"memory", "wasmtime_memory_size", H_MEMORY, op_memory_size},
    {"memory", "wasmtime_memory_grow", H_MEMORY, op_memory_grow},
    {"memory", "wasmtime_memory_type", H_MEMORY, op_memory_type},
    {"memory", "wasmtime_memory_page_size", H_MEMORY, op_memory_page_size},
    {"memory", "wasmtime_memory_page_size_log2", H_MEMORY, op_memory_page_size_log2},
    {"memory", "wasmtime_extern_type", H_MEMORY, op_extern_type},
    {"memory", "wasmtime_linker_define", H_MEMORY, op_linker_define},
    {"memory", "wasmtime_instance_new", H_MEMORY, op_instance_new_memory},
    {"global", "wasmtime_global_get", H_GLOBAL, op_global_get},
    {"global", "wasmtime_global_set", H_GLOBAL, op_global_set},
    {"global", "wasmtime_global_type", H_GLOBAL, op_global_type},
    {"global", "wasmtime_extern_type", H_GLOBAL, op_extern_type},
    {"global", "wasmtime_linker_define", H_GLOBAL, op_linker_define},
    {"global", "wasmtime_instance_new", H_GLOBAL, op_instance_new_global},
    {"instance", "wasmtime_instance_export_get", H_INSTANCE, op_instance_export_get},
    {"instance", "wasmtime_instance_export_nth", H_INSTANCE, op_instance_export_nth},
    {"instance", "wasmtime_linker_define_instance", H_INSTANCE, op_linker_define_instance},
    {"externref", "wasmtime_externref_data", H_EXTERNREF, op_externref_data},
    {"externref", "wasmtime_externref_to_raw", H_EXTERNREF, op_externref_to_raw},
};
enum { OPERATION_COUNT = sizeof operations / sizeof *operations };

static void handle_case(const mcase *c) {
  const operation *op = &operations[c->a];
  any_handle h;
  make_handle(op->kind, c->b, &h);
  note("%s %s handle", hvariants[c->b].right ? "right" : "wrong", hvariants[c->b].name);
  soft_expectations = hvariants[c->b].soft;
  op->run(&h, hvariants[c->b].right);
}

// ---------------------------------------------------------------------------------------------
// wasmtime_extern_t with a kind that is not an item kind swasm has (garbage, shared memory and
// tag with garbage payloads): refused wherever an extern enters.
// ---------------------------------------------------------------------------------------------

static void bad_extern(int which, wasmtime_extern_t *item) {
  memset(item, 0x41, sizeof *item);
  static const uint8_t kinds[] = {77, 255, WASMTIME_EXTERN_SHAREDMEMORY, 5 /* WASMTIME_EXTERN_TAG */, 6};
  item->kind = kinds[which];
  // The store id (where the payload has one) is this store's, so that only the kind is wrong.
  uint64_t id = fx()->seven.store_id;
  memcpy(&item->of, &id, 8);
}
static const char *const bad_extern_names[] = {"kind77", "kind255", "sharedmemory_garbage", "tag_garbage", "kind6"};
enum { BAD_EXTERN_COUNT = 5 };

static void bad_extern_case(const mcase *c) {
  fixture *f = fx();
  wasmtime_extern_t item;
  bad_extern(c->b, &item);
  switch (c->a) {
  case 0: {
    wasm_externtype_t *type = wasmtime_extern_type(f->ctx, &item);
    note("wasmtime_extern_type: %s", type ? "a type" : "NULL");
    EXPECT(type == NULL, "a type for a bad extern");
    if (type) wasm_externtype_delete(type);
    break;
  }
  case 1: {
    wasmtime_linker_t *linker = wasmtime_linker_new(f->engine);
    EXPECT_ERROR("wasmtime_linker_define", wasmtime_linker_define(linker, f->ctx, "m", 1, "x", 1, &item));
    wasmtime_linker_delete(linker);
    break;
  }
  case 2: {
    wasmtime_module_t *module = compile_wat(f->engine, importer_wat);
    wasmtime_instance_t instance;
    wasm_trap_t *trap = NULL;
    wasmtime_error_t *error = wasmtime_instance_new(f->ctx, module, &item, 1, &instance, &trap);
    EXPECT(call_failed("wasmtime_instance_new", error, trap), "a bad extern was accepted as an import");
    wasmtime_module_delete(module);
    break;
  }
  case 3:
    // Only kinds whose payload owns nothing (wasmtime_extern_delete releases a shared memory).
    wasmtime_extern_delete(&item);
    note("wasmtime_extern_delete returned");
    break;
  }
}

// ---------------------------------------------------------------------------------------------
// The right kind of handle in the wrong slot: a memory's handle where a table is expected, and so
// on (a wasmtime_extern_t whose kind says one thing and whose payload is another item's).
// ---------------------------------------------------------------------------------------------

static void kind_confusion_case(const mcase *c) {
  fixture *f = fx();
  wasmtime_extern_t item;
  memset(&item, 0, sizeof item);
  // Payload of one kind, tag of another.
  static const int payloads[] = {H_MEMORY, H_TABLE, H_GLOBAL, H_FUNC};
  static const uint8_t tags[] = {WASMTIME_EXTERN_TABLE, WASMTIME_EXTERN_MEMORY, WASMTIME_EXTERN_FUNC,
                                 WASMTIME_EXTERN_GLOBAL};
  any_handle h;
  right_handle((enum hkind)payloads[c->a], 1, &h);
  item = h.item;
  item.kind = tags[c->a];
  wasm_externtype_t *type = wasmtime_extern_type(f->ctx, &item);
  note("wasmtime_extern_type: %s", type ? "a type" : "NULL");
  if (type) wasm_externtype_delete(type);
  // Used as an import of the tagged kind: the payload is not an item of that kind.
  static const char *const importers[] = {importer_table_wat, importer_memory_wat, importer_wat, importer_global_wat};
  wasmtime_module_t *module = compile_wat(f->engine, importers[c->a]);
  wasmtime_instance_t instance;
  wasm_trap_t *trap = NULL;
  wasmtime_error_t *error = wasmtime_instance_new(f->ctx, module, &item, 1, &instance, &trap);
  soft_expectations = true; // an index representation cannot tell (see the file comment)
  EXPECT(call_failed("wasmtime_instance_new", error, trap), "a mislabelled extern was accepted as an import");
  wasmtime_module_delete(module);
}

// Immutable globals refuse wasmtime_global_set even with a right value.
static void immutable_global_case(const mcase *c) {
  (void)c;
  fixture *f = fx();
  wasmtime_val_t v = val_i32(1);
  EXPECT_ERROR("wasmtime_global_set(immutable)", wasmtime_global_set(f->ctx, &f->gc, &v));
  wasmtime_val_t got;
  wasmtime_global_get(f->ctx, &f->gc, &got);
  EXPECT(got.of.i32 == 9, "immutable global changed");
}

REGISTER(register_handles) {
  for (int o = 0; o < OPERATION_COUNT; o++)
    for (int v = 0; v < V_COUNT; v++) {
      char variant[128];
      snprintf(variant, sizeof variant, "%s/%s", operations[o].name, hvariants[v].name);
      add_case("handle", operations[o].function, variant, handle_case, o, v, NULL);
    }
  static const char *const functions[] = {"wasmtime_extern_type", "wasmtime_linker_define", "wasmtime_instance_new",
                                          "wasmtime_extern_delete"};
  for (int fn = 0; fn < 4; fn++)
    for (int b = 0; b < BAD_EXTERN_COUNT; b++) {
      // wasmtime_extern_delete of a shared memory releases its payload: a garbage pointer there
      // is a forged object pointer, which nothing can detect.
      if (fn == 3 && b == 2) continue;
      char variant[64];
      snprintf(variant, sizeof variant, "extern_%s", bad_extern_names[b]);
      add_case("handle", functions[fn], variant, bad_extern_case, fn, b, NULL);
    }
  static const char *const confusions[] = {"memory_tagged_table", "table_tagged_memory", "global_tagged_func",
                                           "func_tagged_global"};
  for (int i = 0; i < 4; i++) add_case("handle", "wasmtime_instance_new", confusions[i], kind_confusion_case, i, 0, NULL);
  add_case("handle", "wasmtime_global_set", "immutable_global", immutable_global_case, 0, 0, NULL);
}
