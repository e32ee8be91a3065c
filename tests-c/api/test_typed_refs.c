// Typed function references through the C API, with the same expectations on libswasm.so and on
// wasmtime 50.0.1's C library (ctests typed_refs_capi and typed_refs_capi_wasmtime): what the host
// may pass where a module expects `(ref $t)`, `(ref null $t)` or `(ref func)` (call arguments,
// table elements, globals), functions of other modules and host functions of the same
// signature, call_ref and call_indirect across modules, and what such values read as.
#include <stdio.h>
#include <string.h>
#include <wasmtime.h>

#include "check.h"

static const char module_text[] =
    "(module"
    " (type $t (func (param i32) (result i32)))"
    " (type $u (func))"
    " (type $a (func (param (ref $t) i32) (result i32)))"
    " (func $inc (export \"inc\") (type $t) (i32.add (local.get 0) (i32.const 1)))"
    " (func $nothing (export \"nothing\") (type $u))"
    " (table $typed (export \"typed\") 2 (ref null $t))"
    " (table $filled (export \"filled\") 1 (ref $t) (ref.func $inc))"
    " (table $any (export \"any\") 2 funcref)"
    " (global $g (export \"g\") (mut (ref null $t)) (ref.null $t))"
    " (elem declare func $inc $nothing)"
    " (func (export \"apply\") (param (ref $t)) (param i32) (result i32) (call_ref $t (local.get 1) (local.get 0)))"
    " (func (export \"apply_null\") (param (ref null $t)) (param i32) (result i32) (call_ref $t (local.get 1) (local.get 0)))"
    " (func (export \"apply_table\") (param i32 i32) (result i32) (call_indirect $any (type $t) (local.get 1) (local.get 0)))"
    " (func (export \"get_inc\") (result (ref $t)) (ref.func $inc))"
    " (func (export \"non_null\") (param funcref) (result (ref func)) (ref.as_non_null (local.get 0)))"
    " (func (export \"is_null\") (param (ref null func)) (result i32) (ref.is_null (local.get 0)))"
    // Calls a function of type $a (which takes a (ref $t)) through call_ref.
    " (func (export \"apply_via\") (param (ref $a)) (result i32) (call_ref $a (ref.func $inc) (i32.const 1) (local.get 0))))";

// A second module whose $t2 is the same type as the first's $t (and $v another).
static const char other_text[] =
    "(module"
    " (type $t2 (func (param i32) (result i32)))"
    " (type $v (func (param i64) (result i32)))"
    " (func (export \"double\") (type $t2) (i32.mul (local.get 0) (i32.const 2)))"
    " (func (export \"wrong\") (type $v) (i32.const 0)))";

static wasm_trap_t *host_triple(void *env, wasmtime_caller_t *caller, const wasmtime_val_t *args, size_t nargs,
                                wasmtime_val_t *results, size_t nresults) {
  (void)env, (void)caller, (void)nargs, (void)nresults;
  results[0].kind = WASMTIME_I32;
  results[0].of.i32 = args[0].of.i32 * 3;
  return NULL;
}

// A host function of type $a: checks that its first argument is a function, returns 99.
static wasm_trap_t *host_apply(void *env, wasmtime_caller_t *caller, const wasmtime_val_t *args, size_t nargs,
                               wasmtime_val_t *results, size_t nresults) {
  (void)env, (void)caller, (void)nresults;
  CHECK(nargs == 2 && args[0].kind == WASMTIME_FUNCREF && !wasmtime_funcref_is_null(&args[0].of.funcref) && args[1].of.i32 == 1);
  results[0].kind = WASMTIME_I32;
  results[0].of.i32 = 99;
  return NULL;
}

static wasmtime_module_t *compile(wasm_engine_t *engine, const char *text) {
  wasm_byte_vec_t wasm;
  wasmtime_error_t *error = wasmtime_wat2wasm(text, strlen(text), &wasm);
  if (check_error(error, NULL)) return NULL;
  wasmtime_module_t *module = NULL;
  error = wasmtime_module_new(engine, (const uint8_t *)wasm.data, wasm.size, &module);
  wasm_byte_vec_delete(&wasm);
  if (check_error(error, NULL)) return NULL;
  return module;
}

static wasmtime_extern_t get(wasmtime_context_t *context, wasmtime_instance_t *instance, const char *name) {
  wasmtime_extern_t item;
  memset(&item, 0, sizeof item);
  CHECK(wasmtime_instance_export_get(context, instance, name, strlen(name), &item));
  return item;
}

static wasmtime_val_t i32(int32_t value) {
  wasmtime_val_t v = {.kind = WASMTIME_I32, .of.i32 = value};
  return v;
}

static wasmtime_val_t funcref(const wasmtime_func_t *function) {
  wasmtime_val_t v = {.kind = WASMTIME_FUNCREF};
  if (function) v.of.funcref = *function; else wasmtime_funcref_set_null(&v.of.funcref);
  return v;
}

// Calls `function` with (reference, argument); the i32 result, or -1000 after an error (its
// message must contain `expected_error`) or -2000 after a trap.
static int call_with(wasmtime_context_t *context, wasmtime_func_t *function, wasmtime_val_t reference, int32_t argument,
                     const char *expected_error) {
  wasmtime_val_t args[2] = {reference, i32(argument)};
  wasmtime_val_t result;
  wasm_trap_t *trap = NULL;
  wasmtime_error_t *error = wasmtime_func_call(context, function, args, 2, &result, 1, &trap);
  if (error != NULL) {
    if (expected_error == NULL) fprintf(stderr, "unexpected error\n");
    CHECK(expected_error != NULL);
    check_error(error, expected_error);
    return -1000;
  }
  CHECK(expected_error == NULL);
  if (trap != NULL) {
    wasm_trap_delete(trap);
    return -2000;
  }
  return result.of.i32;
}

// A module with a chain of `count` function types, each taking a reference to the previous one
// (types enough that the decoder's type storage grows while later types are read), a function
// "last" of the last type and a function "take" taking a (ref $last).
static wasmtime_module_t *chain_module(wasm_engine_t *engine, int count) {
  static char text[16384];
  size_t used = (size_t)snprintf(text, sizeof text, "(module (type $t0 (func))");
  for (int i = 1; i < count; i++)
    used += (size_t)snprintf(text + used, sizeof text - used, " (type $t%d (func (param (ref null $t%d))))", i, i - 1);
  snprintf(text + used, sizeof text - used,
           " (func (export \"last\") (type $t%d))"
           " (func (export \"take\") (param (ref $t%d)) (result i32) (i32.const 7)))", count - 1, count - 1);
  return compile(engine, text);
}

// Two modules of the same chain of types: a function of one is accepted where the other expects
// its type; a chain one type shorter names a different last type.
static void test_type_chains(wasm_engine_t *engine) {
  wasmtime_module_t *first = chain_module(engine, 60), *second = chain_module(engine, 60), *shorter = chain_module(engine, 59);
  CHECK(first != NULL && second != NULL && shorter != NULL);
  if (first == NULL || second == NULL || shorter == NULL) return;
  wasmtime_store_t *store = wasmtime_store_new(engine, NULL, NULL);
  wasmtime_context_t *context = wasmtime_store_context(store);
  wasmtime_instance_t a, b, c;
  wasm_trap_t *trap = NULL;
  CHECK(!check_error(wasmtime_instance_new(context, first, NULL, 0, &a, &trap), NULL));
  CHECK(!check_error(wasmtime_instance_new(context, second, NULL, 0, &b, &trap), NULL));
  CHECK(!check_error(wasmtime_instance_new(context, shorter, NULL, 0, &c, &trap), NULL));
  wasmtime_extern_t take = get(context, &b, "take"), last = get(context, &a, "last"), other = get(context, &c, "last");
  wasmtime_val_t argument = {.kind = WASMTIME_FUNCREF, .of.funcref = last.of.func}, result;
  CHECK(!check_error(wasmtime_func_call(context, &take.of.func, &argument, 1, &result, 1, &trap), NULL) && trap == NULL &&
        result.of.i32 == 7);
  argument.of.funcref = other.of.func;
  CHECK(check_error(wasmtime_func_call(context, &take.of.func, &argument, 1, &result, 1, &trap), "argument type mismatch"));
  wasmtime_store_delete(store);
  wasmtime_module_delete(first);
  wasmtime_module_delete(second);
  wasmtime_module_delete(shorter);
}

int main(void) {
  wasm_engine_t *engine = wasm_engine_new();
  wasmtime_module_t *module = compile(engine, module_text);
  wasmtime_module_t *other_module = compile(engine, other_text);
  CHECK(module != NULL && other_module != NULL);
  if (module == NULL || other_module == NULL) return check_report("typed_refs");
  wasmtime_store_t *store = wasmtime_store_new(engine, NULL, NULL);
  wasmtime_context_t *context = wasmtime_store_context(store);
  wasmtime_instance_t instance, other;
  wasm_trap_t *trap = NULL;
  CHECK(!check_error(wasmtime_instance_new(context, module, NULL, 0, &instance, &trap), NULL) && trap == NULL);
  CHECK(!check_error(wasmtime_instance_new(context, other_module, NULL, 0, &other, &trap), NULL) && trap == NULL);

  wasmtime_func_t apply = get(context, &instance, "apply").of.func;
  wasmtime_func_t apply_null = get(context, &instance, "apply_null").of.func;
  wasmtime_func_t inc = get(context, &instance, "inc").of.func;
  wasmtime_func_t nothing = get(context, &instance, "nothing").of.func;
  wasmtime_func_t doubled = get(context, &other, "double").of.func;
  wasmtime_func_t wrong = get(context, &other, "wrong").of.func;

  // call_ref of the module's own function, of another module's function of the same type, and
  // of a host function of the same signature.
  CHECK(call_with(context, &apply, funcref(&inc), 41, NULL) == 42);
  CHECK(call_with(context, &apply, funcref(&doubled), 21, NULL) == 42);
  wasm_valtype_t *parameter = wasm_valtype_new_i32(), *result = wasm_valtype_new_i32();
  wasm_functype_t *signature = wasm_functype_new_1_1(parameter, result);
  wasmtime_func_t triple;
  wasmtime_func_new(context, signature, host_triple, NULL, NULL, &triple);
  wasm_functype_delete(signature);
  CHECK(call_with(context, &apply, funcref(&triple), 14, NULL) == 42);
  // Refused as arguments: null where null is excluded, functions of other types.
  CHECK(call_with(context, &apply, funcref(NULL), 1, "argument type mismatch") == -1000);
  CHECK(call_with(context, &apply, funcref(&nothing), 1, "argument type mismatch") == -1000);
  CHECK(call_with(context, &apply, funcref(&wrong), 1, "argument type mismatch") == -1000);
  wasmtime_val_t number = i32(7);
  CHECK(call_with(context, &apply, number, 1, "argument type mismatch") == -1000);
  // Null is admitted where the type allows it, and call_ref of it traps.
  CHECK(call_with(context, &apply_null, funcref(NULL), 1, NULL) == -2000);
  CHECK(call_with(context, &apply_null, funcref(&inc), 1, NULL) == 2);

  // Tables of typed references.
  wasmtime_table_t typed = get(context, &instance, "typed").of.table;
  wasmtime_table_t filled = get(context, &instance, "filled").of.table;
  wasmtime_table_t any = get(context, &instance, "any").of.table;
  wasmtime_val_t value = funcref(&doubled);
  CHECK(!check_error(wasmtime_table_set(context, &typed, 0, &value), NULL));
  value = funcref(&triple);
  CHECK(!check_error(wasmtime_table_set(context, &typed, 1, &value), NULL));
  value = funcref(&nothing);
  CHECK(check_error(wasmtime_table_set(context, &typed, 0, &value), "type mismatch"));
  value = funcref(NULL);
  CHECK(!check_error(wasmtime_table_set(context, &typed, 0, &value), NULL));
  CHECK(check_error(wasmtime_table_set(context, &filled, 0, &value), "type mismatch"));
  uint64_t previous = 0;
  CHECK(check_error(wasmtime_table_grow(context, &filled, 1, &value, &previous), "type mismatch"));
  wasmtime_val_t element;
  CHECK(wasmtime_table_get(context, &filled, 0, &element));
  CHECK(element.kind == WASMTIME_FUNCREF && !wasmtime_funcref_is_null(&element.of.funcref));
  value = funcref(&inc);
  CHECK(!check_error(wasmtime_table_grow(context, &filled, 2, &value, &previous), NULL) && previous == 1);

  // call_indirect of a funcref table: the type is checked when called, across modules too.
  wasmtime_func_t apply_table = get(context, &instance, "apply_table").of.func;
  value = funcref(&doubled);
  CHECK(!check_error(wasmtime_table_set(context, &any, 0, &value), NULL));
  value = funcref(&wrong);
  CHECK(!check_error(wasmtime_table_set(context, &any, 1, &value), NULL));
  wasmtime_val_t args[2] = {i32(0), i32(5)};
  wasmtime_val_t out;
  CHECK(!check_error(wasmtime_func_call(context, &apply_table, args, 2, &out, 1, &trap), NULL) && trap == NULL && out.of.i32 == 10);
  args[0] = i32(1);
  CHECK(!check_error(wasmtime_func_call(context, &apply_table, args, 2, &out, 1, &trap), NULL) && trap != NULL);
  if (trap) {
    wasmtime_trap_code_t code;
    CHECK(wasmtime_trap_code(trap, &code) && code == WASMTIME_TRAP_CODE_BAD_SIGNATURE);
    wasm_trap_delete(trap);
    trap = NULL;
  }

  // A global of a typed reference.
  wasmtime_global_t global = get(context, &instance, "g").of.global;
  value = funcref(&nothing);
  CHECK(check_error(wasmtime_global_set(context, &global, &value), "type mismatch"));
  value = funcref(&doubled);
  CHECK(!check_error(wasmtime_global_set(context, &global, &value), NULL));
  wasmtime_global_get(context, &global, &out);
  CHECK(out.kind == WASMTIME_FUNCREF && !wasmtime_funcref_is_null(&out.of.funcref));

  // Results of typed reference types read as funcrefs; ref.as_non_null traps on null.
  wasmtime_func_t get_inc = get(context, &instance, "get_inc").of.func;
  CHECK(!check_error(wasmtime_func_call(context, &get_inc, NULL, 0, &out, 1, &trap), NULL) && trap == NULL);
  CHECK(out.kind == WASMTIME_FUNCREF && !wasmtime_funcref_is_null(&out.of.funcref));
  CHECK(call_with(context, &apply, out, 9, NULL) == 10);
  wasmtime_func_t non_null = get(context, &instance, "non_null").of.func;
  value = funcref(NULL);
  CHECK(!check_error(wasmtime_func_call(context, &non_null, &value, 1, &out, 1, &trap), NULL) && trap != NULL);
  if (trap) {
    wasmtime_trap_code_t code;
    CHECK(wasmtime_trap_code(trap, &code) && code == WASMTIME_TRAP_CODE_NULL_REFERENCE);
    wasm_trap_delete(trap);
    trap = NULL;
  }
  wasmtime_func_t is_null = get(context, &instance, "is_null").of.func;
  value = funcref(NULL);
  CHECK(!check_error(wasmtime_func_call(context, &is_null, &value, 1, &out, 1, &trap), NULL) && out.of.i32 == 1);

  // A host function made with the type of an export that takes a (ref $t): it has type $a.
  wasm_functype_t *apply_type = wasmtime_func_type(context, &apply);
  wasmtime_func_t host_typed;
  wasmtime_func_new(context, apply_type, host_apply, NULL, NULL, &host_typed);
  wasm_functype_delete(apply_type);
  wasmtime_func_t apply_via = get(context, &instance, "apply_via").of.func;
  value = funcref(&host_typed);
  CHECK(!check_error(wasmtime_func_call(context, &apply_via, &value, 1, &out, 1, &trap), NULL) && trap == NULL && out.of.i32 == 99);
  value = funcref(&triple); // (i32) -> i32 is not $a
  CHECK(check_error(wasmtime_func_call(context, &apply_via, &value, 1, &out, 1, &trap), "argument type mismatch"));

  // Hostile type sections: a recursion group, a type count and a field count claiming 2^32-1
  // entries are refused with an error.
  static const uint8_t huge_group[] = {0, 'a', 's', 'm', 1, 0, 0, 0, 1, 7, 1, 0x4e, 0xff, 0xff, 0xff, 0xff, 0x0f};
  static const uint8_t huge_types[] = {0, 'a', 's', 'm', 1, 0, 0, 0, 1, 5, 0xff, 0xff, 0xff, 0xff, 0x0f};
  static const uint8_t huge_struct[] = {0, 'a', 's', 'm', 1, 0, 0, 0, 1, 7, 1, 0x5f, 0xff, 0xff, 0xff, 0xff, 0x0f};
  const uint8_t *hostile[] = {huge_group, huge_types, huge_struct};
  size_t hostile_sizes[] = {sizeof huge_group, sizeof huge_types, sizeof huge_struct};
  for (int i = 0; i < 3; i++) {
    wasmtime_module_t *refused = NULL;
    CHECK(check_error(wasmtime_module_new(engine, hostile[i], hostile_sizes[i], &refused), NULL) && refused == NULL);
  }

#ifndef ON_WASMTIME
  // Handles of another store, of a deleted store and forged ones, where a typed reference is
  // expected, are refused (wasmtime aborts: "object used with the wrong store").
  wasmtime_store_t *other_store = wasmtime_store_new(engine, NULL, NULL);
  wasmtime_instance_t foreign;
  CHECK(!check_error(wasmtime_instance_new(wasmtime_store_context(other_store), module, NULL, 0, &foreign, &trap), NULL));
  wasmtime_func_t foreign_inc = get(wasmtime_store_context(other_store), &foreign, "inc").of.func;
  CHECK(call_with(context, &apply, funcref(&foreign_inc), 1, "argument type mismatch") == -1000);
  value = funcref(&foreign_inc);
  CHECK(check_error(wasmtime_table_set(context, &typed, 0, &value), NULL));
  wasmtime_store_delete(other_store);
  CHECK(call_with(context, &apply, funcref(&foreign_inc), 1, "argument type mismatch") == -1000);
  wasmtime_func_t forged = inc;
  forged.__private = (void *)&forged;
  CHECK(call_with(context, &apply, funcref(&forged), 1, "argument type mismatch") == -1000);

  // The types as the host sees them: a (ref $t) parameter is a funcref (wasmtime aborts in
  // wasm_valtype_kind for typed references: docs/wasmtime-differences.md).
  wasm_functype_t *type = wasmtime_func_type(context, &apply);
  CHECK(type != NULL);
  if (type) {
    const wasm_valtype_vec_t *params = wasm_functype_params(type);
    CHECK(params->size == 2 && wasm_valtype_kind(params->data[0]) == WASM_FUNCREF);
    wasm_functype_delete(type);
  }
  wasm_tabletype_t *table_type = wasmtime_table_type(context, &filled);
  CHECK(wasm_valtype_kind(wasm_tabletype_element(table_type)) == WASM_FUNCREF);
  wasm_tabletype_delete(table_type);
#endif

  wasmtime_store_delete(store);
  test_type_chains(engine);
  wasmtime_module_delete(module);
  wasmtime_module_delete(other_module);
  wasm_engine_delete(engine);
  return check_report("typed_refs");
}
