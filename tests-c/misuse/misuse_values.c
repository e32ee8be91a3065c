// Values family: every place a wasmtime_val_t enters the runtime (table_new/set/grow, global_new/
// set, wasmtime_func_call arguments, host-function results, wasmtime_val_clone) given every kind of
// wrong value: another number kind, v128, garbage kinds (9, 77, 255), anyref/exnref (not supported),
// a funcref where an externref is expected and the reverse, references of another store and of a
// deleted store, and forged references (the right store_id with a private part that is garbage,
// points to zeroed memory, or points to a real object of another or of a deleted store).
//
// Every wrong value must be refused (an error, or a failed call); the right values (the baseline,
// and a null reference whose private part is garbage: store_id 0 means null whatever follows) must
// be accepted and work. When a wrong value is accepted the case says so and then uses the stored
// value the way a program would (call_indirect through the table, reading an externref's data), so
// the damage shows.
//
// Detectability: store_id tells another store's or a deleted store's value apart; a forged private
// part with the right store_id can only be told apart by looking it up among the store's own
// objects, which the API allows, so forged values are expected to be refused too, except a real
// reference of another store relabelled with this store's id, which only a pointer representation
// can tell apart (see misuse_handles.c): for those no crash is required, the refusal only noted.
#include <stdlib.h>

#include "misuse.h"

enum vtype { T_I32, T_I64, T_F32, T_F64, T_V128, T_FUNCREF, T_EXTERNREF };
static const char *const vtype_names[] = {"i32", "i64", "f32", "f64", "v128", "funcref", "externref"};

// Which entry points a value variant is tried at: every variant at reference-typed entries; at
// numeric entries, the numeric, garbage-kind and plain reference variants.
enum { FOR_ALL = 1, FOR_REFS_ONLY = 2 };

typedef struct value_variant {
  const char *name;
  int fits;  // the entry type it is a valid value of, or -1
  int scope; // FOR_ALL or FOR_REFS_ONLY
  void (*make)(wasmtime_val_t *out);
  bool soft; // detectable only where references are pointers (see misuse_handles.c)
} value_variant;

static void fill(wasmtime_val_t *out, uint8_t kind) {
  memset(out, 0x41, sizeof *out);
  out->kind = kind;
}

static uint64_t store1_id(void) { return fx()->seven.store_id; }

// A zeroed block standing in for an object: readable, but not one of the store's.
static void *zero_block(void) { return calloc(1, 4096); }

// A table/memory/global handle's private part is opaque; forging copies another handle's bytes.
static void mk_i32(wasmtime_val_t *v) { *v = val_i32(0x41414141); }
static void mk_i64(wasmtime_val_t *v) { *v = val_i64(INT64_C(0x4141414141414141)); }
static void mk_f32(wasmtime_val_t *v) { *v = val_f32(1.5f); }
static void mk_f64(wasmtime_val_t *v) { *v = val_f64(2.5); }
static void mk_v128(wasmtime_val_t *v) {
  fill(v, WASMTIME_V128);
  for (int i = 0; i < 16; i++) v->of.v128[i] = (uint8_t)(0x41 + i);
}
static void mk_kind9(wasmtime_val_t *v) { fill(v, 9); }
static void mk_kind77(wasmtime_val_t *v) { fill(v, 77); }
static void mk_kind255(wasmtime_val_t *v) { fill(v, 255); }
static void mk_anyref(wasmtime_val_t *v) {
  fill(v, WASMTIME_ANYREF);
  v->of.anyref.store_id = store1_id();
}
static void mk_exnref(wasmtime_val_t *v) {
  fill(v, WASMTIME_EXNREF);
  v->of.exnref.store_id = store1_id();
}
static void mk_funcref(wasmtime_val_t *v) { *v = val_funcref(fx()->seven); }
static void mk_funcref_host(wasmtime_val_t *v) { *v = val_funcref(fx()->host_func); }
static void mk_funcref_null_garbage(wasmtime_val_t *v) {
  fill(v, WASMTIME_FUNCREF);
  v->of.funcref.store_id = 0;
}
static void mk_externref(wasmtime_val_t *v) { *v = val_externref(fx()->ext); }
static void mk_externref_null_garbage(wasmtime_val_t *v) {
  fill(v, WASMTIME_EXTERNREF);
  v->of.externref.store_id = 0;
}
static void mk_funcref_store2(wasmtime_val_t *v) { *v = val_funcref(fx()->seven2); }
static void mk_funcref_dead(wasmtime_val_t *v) { *v = val_funcref(fx()->dead_func); }
static void mk_funcref_forged_garbage(wasmtime_val_t *v) {
  *v = val_funcref((wasmtime_func_t){store1_id(), (void *)(uintptr_t)0x4141414141414141ULL});
}
static void mk_funcref_forged_small(wasmtime_val_t *v) { *v = val_funcref((wasmtime_func_t){store1_id(), (void *)16}); }
static void mk_funcref_forged_heap(wasmtime_val_t *v) { *v = val_funcref((wasmtime_func_t){store1_id(), zero_block()}); }
static void mk_funcref_forged_store2(wasmtime_val_t *v) {
  *v = val_funcref((wasmtime_func_t){store1_id(), fx()->seven2.__private});
}
static void mk_funcref_forged_dead(wasmtime_val_t *v) {
  *v = val_funcref((wasmtime_func_t){store1_id(), fx()->dead_func.__private});
}
static void mk_funcref_storeid_garbage(wasmtime_val_t *v) {
  *v = val_funcref((wasmtime_func_t){0x4141414141414141ULL, fx()->seven.__private});
}
static void mk_externref_store2(wasmtime_val_t *v) { *v = val_externref(fx()->ext2); }
static void mk_externref_dead(wasmtime_val_t *v) { *v = val_externref(fx()->dead_ext); }
static void mk_externref_forged_garbage(wasmtime_val_t *v) {
  mk_externref(v);
  v->of.externref.__private1 = 0x41414141;
  v->of.externref.__private2 = 0x41414141;
  v->of.externref.__private3 = (void *)(uintptr_t)0x4141414141414141ULL;
}
static void mk_externref_forged_heap(wasmtime_val_t *v) {
  mk_externref(v);
  v->of.externref.__private1 = 1;
  v->of.externref.__private2 = 1;
  v->of.externref.__private3 = zero_block();
}
static void mk_externref_forged_store2(wasmtime_val_t *v) {
  *v = val_externref(fx()->ext2);
  v->of.externref.store_id = store1_id();
}
static void mk_externref_forged_dead(wasmtime_val_t *v) {
  *v = val_externref(fx()->dead_ext);
  v->of.externref.store_id = store1_id();
}
static void mk_externref_storeid_garbage(wasmtime_val_t *v) {
  *v = val_externref(fx()->ext);
  v->of.externref.store_id = 0x4141414141414141ULL;
}

static const value_variant variants[] = {
    {"i32", T_I32, FOR_ALL, mk_i32},
    {"i64", T_I64, FOR_ALL, mk_i64},
    {"f32", T_F32, FOR_ALL, mk_f32},
    {"f64", T_F64, FOR_ALL, mk_f64},
    {"v128", T_V128, FOR_ALL, mk_v128},
    {"kind9", -1, FOR_ALL, mk_kind9},
    {"kind77", -1, FOR_ALL, mk_kind77},
    {"kind255", -1, FOR_ALL, mk_kind255},
    {"anyref", -1, FOR_ALL, mk_anyref},
    {"exnref", -1, FOR_ALL, mk_exnref},
    {"funcref", T_FUNCREF, FOR_ALL, mk_funcref},
    {"funcref_host", T_FUNCREF, FOR_REFS_ONLY, mk_funcref_host},
    {"funcref_null_garbage_private", T_FUNCREF, FOR_REFS_ONLY, mk_funcref_null_garbage},
    {"externref", T_EXTERNREF, FOR_ALL, mk_externref},
    {"externref_null_garbage_private", T_EXTERNREF, FOR_REFS_ONLY, mk_externref_null_garbage},
    {"funcref_other_store", -1, FOR_REFS_ONLY, mk_funcref_store2},
    {"funcref_deleted_store", -1, FOR_REFS_ONLY, mk_funcref_dead},
    {"funcref_forged_garbage", -1, FOR_REFS_ONLY, mk_funcref_forged_garbage},
    {"funcref_forged_small", -1, FOR_REFS_ONLY, mk_funcref_forged_small},
    {"funcref_forged_zeroed_heap", -1, FOR_REFS_ONLY, mk_funcref_forged_heap},
    {"funcref_forged_other_store_object", -1, FOR_REFS_ONLY, mk_funcref_forged_store2, true},
    {"funcref_forged_deleted_store_object", -1, FOR_REFS_ONLY, mk_funcref_forged_dead, true},
    {"funcref_garbage_store_id", -1, FOR_REFS_ONLY, mk_funcref_storeid_garbage},
    {"externref_other_store", -1, FOR_REFS_ONLY, mk_externref_store2},
    {"externref_deleted_store", -1, FOR_REFS_ONLY, mk_externref_dead},
    {"externref_forged_garbage", -1, FOR_REFS_ONLY, mk_externref_forged_garbage},
    {"externref_forged_zeroed_heap", -1, FOR_REFS_ONLY, mk_externref_forged_heap},
    {"externref_forged_other_store_object", -1, FOR_REFS_ONLY, mk_externref_forged_store2, true},
    {"externref_forged_deleted_store_object", -1, FOR_REFS_ONLY, mk_externref_forged_dead, true},
    {"externref_garbage_store_id", -1, FOR_REFS_ONLY, mk_externref_storeid_garbage},
};
enum { VARIANT_COUNT = sizeof variants / sizeof *variants };

// ---------------------------------------------------------------------------------------------
// Using what was stored, as a program would
// ---------------------------------------------------------------------------------------------

// A funcref that came back from the runtime: its type, then a call as () -> i32.
static void use_funcref(const wasmtime_val_t *got) {
  fixture *f = fx();
  if (got->kind != WASMTIME_FUNCREF) {
    note("read back kind %d", got->kind);
    return;
  }
  if (got->of.funcref.store_id == 0) {
    note("read back a null funcref");
    return;
  }
  wasm_functype_t *type = wasmtime_func_type(f->ctx, &got->of.funcref);
  if (type) {
    note("read back a funcref with %zu params, %zu results", wasm_functype_params(type)->size,
         wasm_functype_results(type)->size);
    wasm_functype_delete(type);
  } else {
    note("read back a funcref without a type");
  }
  wasmtime_val_t result = val_i32(0);
  wasm_trap_t *trap = NULL;
  wasmtime_error_t *error = wasmtime_func_call(f->ctx, &got->of.funcref, NULL, 0, &result, 1, &trap);
  if (!call_failed("calling it", error, trap)) note("it returned %d", result.of.i32);
}

// An externref that came back from the runtime: its data; then released.
static void use_externref(wasmtime_val_t *got) {
  fixture *f = fx();
  if (got->kind != WASMTIME_EXTERNREF) {
    note("read back kind %d", got->kind);
    return;
  }
  if (got->of.externref.store_id == 0) {
    note("read back a null externref");
    return;
  }
  void *data = wasmtime_externref_data(f->ctx, &got->of.externref);
  note("read back an externref with data %s", data == &fixture_ext_data ? "&fixture_ext_data"
                                              : data == NULL            ? "NULL"
                                                                        : "(other pointer)");
  wasmtime_val_unroot(got);
}

static void use_value(wasmtime_val_t *got) {
  switch (got->kind) {
  case WASMTIME_FUNCREF: use_funcref(got); break;
  case WASMTIME_EXTERNREF: use_externref(got); break;
  case WASMTIME_I32: note("read back i32 0x%x", (unsigned)got->of.i32); break;
  case WASMTIME_I64: note("read back i64 0x%llx", (unsigned long long)got->of.i64); break;
  case WASMTIME_V128: note("read back v128 starting %02x %02x", got->of.v128[0], got->of.v128[1]); break;
  default: note("read back kind %d", got->kind); break;
  }
}

// ---------------------------------------------------------------------------------------------
// Entry points: each takes the value and whether it is a right one; returns whether the runtime
// refused it (error or failed call).
// ---------------------------------------------------------------------------------------------

typedef bool (*entry_fn)(const wasmtime_val_t *v, bool right);

static wasm_valtype_t *valtype_of(enum vtype t) {
  switch (t) {
  case T_I32: return wasm_valtype_new(WASM_I32);
  case T_I64: return wasm_valtype_new(WASM_I64);
  case T_F32: return wasm_valtype_new(WASM_F32);
  case T_F64: return wasm_valtype_new(WASM_F64);
  case T_V128: return wasmtime_wasm_valtype_v128();
  case T_FUNCREF: return wasm_valtype_new(WASM_FUNCREF);
  case T_EXTERNREF: return wasm_valtype_new(WASM_EXTERNREF);
  }
  return NULL;
}

static bool table_new_entry(const wasmtime_val_t *v, enum vtype t) {
  fixture *f = fx();
  wasm_limits_t limits = {2, 10};
  wasm_tabletype_t *type = wasm_tabletype_new(valtype_of(t), &limits);
  wasmtime_table_t table;
  wasmtime_error_t *error = wasmtime_table_new(f->ctx, type, v, &table);
  wasm_tabletype_delete(type);
  if (show_error("wasmtime_table_new", error)) return true;
  note("wasmtime_table_new accepted it");
  wasmtime_val_t got;
  if (wasmtime_table_get(f->ctx, &table, 1, &got)) use_value(&got);
  return false;
}
static bool e_table_new_funcref(const wasmtime_val_t *v, bool right) { (void)right; return table_new_entry(v, T_FUNCREF); }
static bool e_table_new_externref(const wasmtime_val_t *v, bool right) { (void)right; return table_new_entry(v, T_EXTERNREF); }

static bool e_table_set_funcref(const wasmtime_val_t *v, bool right) {
  (void)right;
  fixture *f = fx();
  if (show_error("wasmtime_table_set", wasmtime_table_set(f->ctx, &f->tab, 3, v))) return true;
  note("wasmtime_table_set accepted it; call_indirect through it:");
  note("call_tab(3) = %d", call_i32(f->ctx, &f->call_tab, 1, 3));
  return false;
}

static bool e_table_set_externref(const wasmtime_val_t *v, bool right) {
  (void)right;
  fixture *f = fx();
  if (show_error("wasmtime_table_set", wasmtime_table_set(f->ctx, &f->etab, 0, v))) return true;
  note("wasmtime_table_set accepted it");
  wasmtime_val_t got;
  if (wasmtime_table_get(f->ctx, &f->etab, 0, &got)) use_value(&got);
  return false;
}

static bool table_grow_entry(const wasmtime_val_t *v, bool funcref, uint64_t delta) {
  fixture *f = fx();
  const wasmtime_table_t *table = funcref ? &f->tab : &f->etab;
  uint64_t previous = 12345;
  if (show_error("wasmtime_table_grow", wasmtime_table_grow(f->ctx, table, delta, v, &previous))) return true;
  note("wasmtime_table_grow accepted it (previous size %llu)", (unsigned long long)previous);
  if (delta == 0) return false;
  if (funcref) {
    note("call_tab(%llu) = %d", (unsigned long long)previous, call_i32(f->ctx, &f->call_tab, 1, (int32_t)previous));
  } else {
    wasmtime_val_t got;
    if (wasmtime_table_get(f->ctx, table, previous, &got)) use_value(&got);
  }
  return false;
}
static bool e_table_grow_funcref(const wasmtime_val_t *v, bool right) { (void)right; return table_grow_entry(v, true, 1); }
static bool e_table_grow_externref(const wasmtime_val_t *v, bool right) { (void)right; return table_grow_entry(v, false, 1); }
static bool e_table_grow0_funcref(const wasmtime_val_t *v, bool right) { (void)right; return table_grow_entry(v, true, 0); }
static bool e_table_grow0_externref(const wasmtime_val_t *v, bool right) { (void)right; return table_grow_entry(v, false, 0); }

static bool global_new_entry(const wasmtime_val_t *v, enum vtype t) {
  fixture *f = fx();
  wasm_globaltype_t *type = wasm_globaltype_new(valtype_of(t), WASM_VAR);
  wasmtime_global_t global;
  wasmtime_error_t *error = wasmtime_global_new(f->ctx, type, v, &global);
  wasm_globaltype_delete(type);
  if (show_error("wasmtime_global_new", error)) return true;
  note("wasmtime_global_new accepted it");
  wasmtime_val_t got;
  wasmtime_global_get(f->ctx, &global, &got);
  use_value(&got);
  return false;
}
static bool e_global_new_funcref(const wasmtime_val_t *v, bool right) { (void)right; return global_new_entry(v, T_FUNCREF); }
static bool e_global_new_externref(const wasmtime_val_t *v, bool right) { (void)right; return global_new_entry(v, T_EXTERNREF); }
static bool e_global_new_i32(const wasmtime_val_t *v, bool right) { (void)right; return global_new_entry(v, T_I32); }
static bool e_global_new_i64(const wasmtime_val_t *v, bool right) { (void)right; return global_new_entry(v, T_I64); }
static bool e_global_new_f32(const wasmtime_val_t *v, bool right) { (void)right; return global_new_entry(v, T_F32); }
static bool e_global_new_f64(const wasmtime_val_t *v, bool right) { (void)right; return global_new_entry(v, T_F64); }
static bool e_global_new_v128(const wasmtime_val_t *v, bool right) { (void)right; return global_new_entry(v, T_V128); }

static bool e_global_set_funcref(const wasmtime_val_t *v, bool right) {
  (void)right;
  fixture *f = fx();
  if (show_error("wasmtime_global_set", wasmtime_global_set(f->ctx, &f->gf, v))) return true;
  note("wasmtime_global_set accepted it; call_indirect through it:");
  note("call_gf() = %d", call_i32(f->ctx, &f->call_gf, 0, 0));
  return false;
}

static bool global_set_entry(const wasmtime_val_t *v, const wasmtime_global_t *global) {
  fixture *f = fx();
  if (show_error("wasmtime_global_set", wasmtime_global_set(f->ctx, global, v))) return true;
  note("wasmtime_global_set accepted it");
  wasmtime_val_t got;
  wasmtime_global_get(f->ctx, global, &got);
  use_value(&got);
  return false;
}
static bool e_global_set_externref(const wasmtime_val_t *v, bool right) { (void)right; return global_set_entry(v, &fx()->ge); }
static bool e_global_set_i32(const wasmtime_val_t *v, bool right) { (void)right; return global_set_entry(v, &fx()->g); }
static bool e_global_set_i64(const wasmtime_val_t *v, bool right) { (void)right; return global_set_entry(v, &fx()->gi64); }
static bool e_global_set_v128(const wasmtime_val_t *v, bool right) { (void)right; return global_set_entry(v, &fx()->gv); }

// wasmtime_func_call with the value as the only argument of `func`, which returns one result.
static bool call_entry(const wasmtime_val_t *v, const wasmtime_func_t *func, const char *name) {
  fixture *f = fx();
  wasmtime_val_t result;
  memset(&result, 0, sizeof result);
  wasm_trap_t *trap = NULL;
  wasmtime_error_t *error = wasmtime_func_call(f->ctx, func, v, 1, &result, 1, &trap);
  if (error) return show_error(name, error);
  if (trap) {
    // A trap is how a stored wrong funcref may surface; the argument itself was accepted.
    show_trap(name, trap);
    note("the argument was accepted (the call trapped)");
    return false;
  }
  note("%s accepted it", name);
  use_value(&result);
  return false;
}
static bool e_call_arg_funcref(const wasmtime_val_t *v, bool right) { (void)right; return call_entry(v, &fx()->call_ref_arg, "call_ref_arg"); }
static bool e_call_arg_externref(const wasmtime_val_t *v, bool right) { (void)right; return call_entry(v, &fx()->ext_id, "ext_id"); }
static bool e_call_arg_i32(const wasmtime_val_t *v, bool right) { (void)right; return call_entry(v, &fx()->i32id, "i32id"); }
static bool e_call_arg_i64(const wasmtime_val_t *v, bool right) { (void)right; return call_entry(v, &fx()->i64id, "i64id"); }
static bool e_call_arg_f64(const wasmtime_val_t *v, bool right) { (void)right; return call_entry(v, &fx()->f64id, "f64id"); }
static bool e_call_arg_v128(const wasmtime_val_t *v, bool right) { (void)right; return call_entry(v, &fx()->v128id, "v128id"); }

// A host function returns the value as its result; the Wasm caller uses it.
static bool host_result_entry(const wasmtime_val_t *v, const wasmtime_func_t *func, int nargs, wasmtime_val_t arg,
                              const char *name) {
  fixture *f = fx();
  host_mode = HOST_RESULT_VALUE;
  host_result = *v;
  wasmtime_val_t result;
  memset(&result, 0, sizeof result);
  wasm_trap_t *trap = NULL;
  wasmtime_error_t *error = wasmtime_func_call(f->ctx, func, &arg, (size_t)nargs, &result, 1, &trap);
  host_mode = HOST_NORMAL;
  if (error) return show_error(name, error);
  if (trap) {
    wasmtime_trap_code_t code = 255;
    bool used = wasmtime_trap_code(trap, &code) &&
                (code == WASMTIME_TRAP_CODE_INDIRECT_CALL_TO_NULL || code == WASMTIME_TRAP_CODE_BAD_SIGNATURE);
    show_trap(name, trap);
    if (!used) return true;
    note("the result was accepted (call_indirect through it trapped)");
    return false;
  }
  note("%s: the host's result was accepted", name);
  use_value(&result);
  return false;
}
static bool e_host_result_funcref(const wasmtime_val_t *v, bool right) {
  (void)right;
  return host_result_entry(v, &fx()->call_hfref, 0, val_i32(0), "call_hfref");
}
static bool e_host_result_externref(const wasmtime_val_t *v, bool right) {
  (void)right;
  return host_result_entry(v, &fx()->call_heref, 0, val_i32(0), "call_heref");
}
static bool e_host_result_i32(const wasmtime_val_t *v, bool right) {
  (void)right;
  return host_result_entry(v, &fx()->call_host, 1, val_i32(1), "call_host");
}
static bool e_host_result_i64(const wasmtime_val_t *v, bool right) {
  (void)right;
  return host_result_entry(v, &fx()->call_hosti64, 1, val_i64(1), "call_hosti64");
}

typedef struct entry {
  const char *name;
  const char *function; // the API function the value enters through
  enum vtype type;
  entry_fn fn;
} entry;

static const entry entries[] = {
    {"table_new_funcref", "wasmtime_table_new", T_FUNCREF, e_table_new_funcref},
    {"table_new_externref", "wasmtime_table_new", T_EXTERNREF, e_table_new_externref},
    {"table_set_funcref", "wasmtime_table_set", T_FUNCREF, e_table_set_funcref},
    {"table_set_externref", "wasmtime_table_set", T_EXTERNREF, e_table_set_externref},
    {"table_grow_funcref", "wasmtime_table_grow", T_FUNCREF, e_table_grow_funcref},
    {"table_grow_externref", "wasmtime_table_grow", T_EXTERNREF, e_table_grow_externref},
    {"table_grow_by_0_funcref", "wasmtime_table_grow", T_FUNCREF, e_table_grow0_funcref},
    {"table_grow_by_0_externref", "wasmtime_table_grow", T_EXTERNREF, e_table_grow0_externref},
    {"global_new_funcref", "wasmtime_global_new", T_FUNCREF, e_global_new_funcref},
    {"global_new_externref", "wasmtime_global_new", T_EXTERNREF, e_global_new_externref},
    {"global_new_i32", "wasmtime_global_new", T_I32, e_global_new_i32},
    {"global_new_i64", "wasmtime_global_new", T_I64, e_global_new_i64},
    {"global_new_f32", "wasmtime_global_new", T_F32, e_global_new_f32},
    {"global_new_f64", "wasmtime_global_new", T_F64, e_global_new_f64},
    {"global_new_v128", "wasmtime_global_new", T_V128, e_global_new_v128},
    {"global_set_funcref", "wasmtime_global_set", T_FUNCREF, e_global_set_funcref},
    {"global_set_externref", "wasmtime_global_set", T_EXTERNREF, e_global_set_externref},
    {"global_set_i32", "wasmtime_global_set", T_I32, e_global_set_i32},
    {"global_set_i64", "wasmtime_global_set", T_I64, e_global_set_i64},
    {"global_set_v128", "wasmtime_global_set", T_V128, e_global_set_v128},
    {"call_arg_funcref", "wasmtime_func_call", T_FUNCREF, e_call_arg_funcref},
    {"call_arg_externref", "wasmtime_func_call", T_EXTERNREF, e_call_arg_externref},
    {"call_arg_i32", "wasmtime_func_call", T_I32, e_call_arg_i32},
    {"call_arg_i64", "wasmtime_func_call", T_I64, e_call_arg_i64},
    {"call_arg_f64", "wasmtime_func_call", T_F64, e_call_arg_f64},
    {"call_arg_v128", "wasmtime_func_call", T_V128, e_call_arg_v128},
    {"host_result_funcref", "wasmtime_func_new", T_FUNCREF, e_host_result_funcref},
    {"host_result_externref", "wasmtime_func_new", T_EXTERNREF, e_host_result_externref},
    {"host_result_i32", "wasmtime_func_new", T_I32, e_host_result_i32},
    {"host_result_i64", "wasmtime_func_new", T_I64, e_host_result_i64},
};
enum { ENTRY_COUNT = sizeof entries / sizeof *entries };

static void value_case(const mcase *c) {
  const entry *e = &entries[c->a];
  const value_variant *variant = &variants[c->b];
  fx();
  wasmtime_val_t v;
  variant->make(&v);
  bool right = variant->fits == (int)e->type;
  note("%s value \"%s\" at %s (%s expected)", right ? "right" : "wrong", variant->name, e->name, vtype_names[e->type]);
  soft_expectations = variant->soft;
  bool refused = e->fn(&v, right);
  if (right)
    EXPECT(!refused, "a right value was refused");
  else
    EXPECT(refused, "a wrong value was accepted");
}

// A host function that leaves its results untouched: whatever the runtime put there must not be
// trusted blindly (no crash required; what comes back is printed).
static void untouched_results_case(const mcase *c) {
  fixture *f = fx();
  static const char *const names[] = {"call_hfref", "call_heref", "call_host", "call_hosti64"};
  const wasmtime_func_t *funcs[] = {&f->call_hfref, &f->call_heref, &f->call_host, &f->call_hosti64};
  host_mode = HOST_NO_RESULT;
  wasmtime_val_t arg = c->a == 3 ? val_i64(1) : val_i32(1), result;
  memset(&result, 0, sizeof result);
  wasm_trap_t *trap = NULL;
  int nargs = c->a >= 2 ? 1 : 0;
  wasmtime_error_t *error = wasmtime_func_call(f->ctx, funcs[c->a], &arg, (size_t)nargs, &result, 1, &trap);
  host_mode = HOST_NORMAL;
  if (!call_failed(names[c->a], error, trap)) use_value(&result);
}

// wasmtime_val_clone of values it can judge without a store: numbers, garbage kinds, right
// references, null references with a garbage private part. The clone is then released.
static void clone_case(const mcase *c) {
  const value_variant *variant = &variants[c->a];
  wasmtime_val_t v, copy;
  variant->make(&v);
  memset(&copy, 0x5a, sizeof copy);
  wasmtime_val_clone(&v, &copy);
  note("clone of %s has kind %d", variant->name, copy.kind);
  static const size_t widths[] = {4, 8, 4, 8, 16};
  if (v.kind <= WASMTIME_V128)
    EXPECT(copy.kind == v.kind && memcmp(&copy.of, &v.of, widths[v.kind]) == 0, "number not copied");
  if (copy.kind == WASMTIME_EXTERNREF && copy.of.externref.store_id != 0) {
    void *data = wasmtime_externref_data(fx()->ctx, &copy.of.externref);
    EXPECT(data == &fixture_ext_data, "cloned externref lost its data");
  }
  wasmtime_val_unroot(&copy);
}

REGISTER(register_values) {
  for (int e = 0; e < ENTRY_COUNT; e++) {
    bool ref_entry = entries[e].type == T_FUNCREF || entries[e].type == T_EXTERNREF;
    for (int v = 0; v < VARIANT_COUNT; v++) {
      if (!ref_entry && variants[v].scope == FOR_REFS_ONLY) continue;
      char variant[160];
      snprintf(variant, sizeof variant, "%s/%s", entries[e].name, variants[v].name);
      add_case("value", entries[e].function, variant, value_case, e, v, NULL);
    }
  }
  static const char *const untouched[] = {"host_result_funcref/untouched", "host_result_externref/untouched",
                                          "host_result_i32/untouched", "host_result_i64/untouched"};
  for (int i = 0; i < 4; i++) add_case("value", "wasmtime_func_new", untouched[i], untouched_results_case, i, 0, NULL);
  for (int v = 0; v < VARIANT_COUNT; v++) {
    const char *name = variants[v].name;
    // Only what a store-less function can judge (see the file comment of misuse_main.c).
    if (variants[v].scope == FOR_REFS_ONLY && strstr(name, "null") == NULL) continue;
    if (strcmp(name, "anyref") == 0 || strcmp(name, "exnref") == 0) continue; // forged GC references
    add_case("value", "wasmtime_val_clone", name, clone_case, v, 0, NULL);
  }
}
