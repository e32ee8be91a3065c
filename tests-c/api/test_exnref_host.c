// The host's side of exceptions, with the same expectations on libswasm.so and on wasmtime
// 50.0.1's C library (ctests exnref_host_capi and exnref_host_capi_wasmtime): exceptions made by
// the host (wasmtime_exnref_new) with their fields checked against the tag, read back (tag, field
// count, fields, type), cloned and passed through raw values; host functions that throw
// (wasmtime_context_set_exception) into try_table clauses of their callers, through a tail call,
// and out to the host; a host function passing on the exception of a nested call.
#include <stdio.h>
#include <string.h>
#include <wasmtime.h>

#include "check.h"

static wasmtime_tag_t host_tag;       // (param i32 i64)
static wasmtime_tag_t empty_tag;      // (param)
static int thrower_calls = 0;

// Throws an exception of host_tag carrying (its argument, 99) as an i64.
static wasm_trap_t *thrower(void *env, wasmtime_caller_t *caller, const wasmtime_val_t *args, size_t nargs,
                            wasmtime_val_t *results, size_t nresults) {
  (void)env, (void)nargs, (void)results, (void)nresults;
  thrower_calls++;
  wasmtime_context_t *context = wasmtime_caller_context(caller);
  wasmtime_val_t fields[2] = {{.kind = WASMTIME_I32, .of.i32 = args[0].of.i32}, {.kind = WASMTIME_I64, .of.i64 = 99}};
  wasmtime_exnref_t exn;
  wasmtime_error_t *error = wasmtime_exnref_new(context, &host_tag, fields, 2, &exn);
  if (error != NULL) {
    wasmtime_error_delete(error);
    return wasmtime_trap_new("exnref_new failed", 17);
  }
  wasm_trap_t *trap = wasmtime_context_set_exception(context, &exn);
  wasmtime_exnref_unroot(&exn);
  return trap;
}

// Calls the instance's export "inner" (which throws) and passes its failure on unchanged.
static wasm_trap_t *relay(void *env, wasmtime_caller_t *caller, const wasmtime_val_t *args, size_t nargs,
                          wasmtime_val_t *results, size_t nresults) {
  (void)env, (void)nargs, (void)results, (void)nresults;
  wasmtime_extern_t inner;
  if (!wasmtime_caller_export_get(caller, "inner", 5, &inner) || inner.kind != WASMTIME_EXTERN_FUNC)
    return wasmtime_trap_new("no inner", 8);
  wasm_trap_t *trap = NULL;
  wasmtime_error_t *error = wasmtime_func_call(wasmtime_caller_context(caller), &inner.of.func, args, 1, NULL, 0, &trap);
  if (error != NULL) {
    wasmtime_error_delete(error);
    return wasmtime_trap_new("inner failed with an error", 26);
  }
  return trap;
}

static const char module_text[] =
    "(module"
    " (import \"host\" \"tag\" (tag $t (param i32 i64)))"
    " (import \"host\" \"throw\" (func $throw (param i32)))"
    " (import \"host\" \"relay\" (func $relay (param i32)))"
    " (tag $own (param i32))"
    " (func (export \"inner\") (param i32) (throw $own (local.get 0)))"
    // The host's exception caught by tag: its fields.
    " (func (export \"catch_tag\") (param i32) (result i32 i64)"
    "   (block $h (result i32 i64) (try_table (catch $t $h) (call $throw (local.get 0))) (unreachable)))"
    // Caught by catch_all.
    " (func (export \"catch_all\") (param i32) (result i32)"
    "   (block $h (try_table (catch_all $h) (call $throw (local.get 0))) (return (i32.const 0))) (i32.const 1))"
    // Caught with catch_ref and handed back to the host.
    " (func (export \"catch_ref\") (param i32) (result exnref) (local $x exnref)"
    "   (block $h (result i32 i64 exnref) (try_table (catch_ref $t $h) (call $throw (local.get 0))) (unreachable))"
    "   (local.set $x) (drop) (drop) (local.get $x))"
    // A tail call of the thrower: the tail caller's own clause no longer covers it; its caller's does.
    " (func $tail (param i32) (block $h (try_table (catch_all $h) (return_call $throw (local.get 0)))) (unreachable))"
    " (func (export \"through_tail\") (param i32) (result i32)"
    "   (block $h (result i32 i64) (try_table (catch $t $h) (call $tail (local.get 0))) (unreachable)) (drop))"
    // Not caught at all.
    " (func (export \"uncaught\") (param i32) (call $throw (local.get 0)))"
    // The relay's nested exception, caught here.
    " (func (export \"relayed\") (param i32) (result i32)"
    "   (block $h (result i32) (try_table (catch $own $h) (call $relay (local.get 0))) (unreachable)))"
    " (func (export \"rethrow\") (param exnref) (result i32 i64)"
    "   (block $h (result i32 i64) (try_table (catch $t $h) (throw_ref (local.get 0))) (unreachable))))";

static wasmtime_func_t get_func(wasmtime_context_t *context, wasmtime_instance_t *instance, const char *name) {
  wasmtime_extern_t item;
  memset(&item, 0, sizeof item);
  CHECK(wasmtime_instance_export_get(context, instance, name, strlen(name), &item));
  CHECK(item.kind == WASMTIME_EXTERN_FUNC);
  return item.of.func;
}

// Calls `name` with one i32 argument; returns -1 on error, 1 on a trap (kept in *trap), 0 on success.
static int call(wasmtime_context_t *context, wasmtime_instance_t *instance, const char *name, const wasmtime_val_t *args,
                size_t nargs, wasmtime_val_t *results, size_t nresults, wasm_trap_t **trap) {
  wasmtime_func_t func = get_func(context, instance, name);
  *trap = NULL;
  wasmtime_error_t *error = wasmtime_func_call(context, &func, args, nargs, results, nresults, trap);
  if (error != NULL) {
    wasmtime_error_delete(error);
    return -1;
  }
  return *trap != NULL ? 1 : 0;
}

static wasmtime_tag_t make_tag(wasmtime_context_t *context, wasm_valtype_vec_t *params) {
  wasm_valtype_vec_t results;
  wasm_valtype_vec_new_empty(&results);
  wasm_tagtype_t *type = wasm_tagtype_new(wasm_functype_new(params, &results));
  wasmtime_tag_t tag;
  memset(&tag, 0, sizeof tag);
  CHECK(type != NULL && wasmtime_tag_new(context, type, &tag) == NULL);
  wasm_tagtype_delete(type);
  return tag;
}

int main(void) {
  wasm_engine_t *engine = wasm_engine_new();
  wasmtime_store_t *store = wasmtime_store_new(engine, NULL, NULL);
  wasmtime_context_t *context = wasmtime_store_context(store);

  wasm_valtype_t *pair[2] = {wasm_valtype_new(WASM_I32), wasm_valtype_new(WASM_I64)};
  wasm_valtype_vec_t params;
  wasm_valtype_vec_new(&params, 2, pair);
  host_tag = make_tag(context, &params);
  wasm_valtype_vec_new_empty(&params);
  empty_tag = make_tag(context, &params);

  // Exceptions made by the host: checked against the tag's parameters.
  wasmtime_val_t fields[2] = {{.kind = WASMTIME_I32, .of.i32 = -5}, {.kind = WASMTIME_I64, .of.i64 = 1LL << 40}};
  wasmtime_exnref_t exn;
  memset(&exn, 0, sizeof exn);
  CHECK(wasmtime_exnref_new(context, &host_tag, fields, 2, &exn) == NULL);
  CHECK(!wasmtime_exnref_is_null(&exn));
  CHECK(wasmtime_exnref_field_count(context, &exn) == 2);
  wasmtime_val_t field;
  CHECK(wasmtime_exnref_field(context, &exn, 0, &field) == NULL && field.kind == WASMTIME_I32 && field.of.i32 == -5);
  CHECK(wasmtime_exnref_field(context, &exn, 1, &field) == NULL && field.kind == WASMTIME_I64 && field.of.i64 == 1LL << 40);
  CHECK(check_error(wasmtime_exnref_field(context, &exn, 2, &field), NULL));
  wasmtime_tag_t tag_of;
  CHECK(wasmtime_exnref_tag(context, &exn, &tag_of) == NULL && wasmtime_tag_eq(context, &tag_of, &host_tag));
  CHECK(!wasmtime_tag_eq(context, &tag_of, &empty_tag));
  wasmtime_exn_type_t *exn_type = wasmtime_exnref_type(context, &exn);
  CHECK(exn_type != NULL);
  if (exn_type != NULL) {
    wasmtime_exn_type_t *copy = wasmtime_exn_type_copy(exn_type);
    wasm_tagtype_t *tag_type = wasmtime_exn_type_tag_type(copy);
    CHECK(tag_type != NULL);
    if (tag_type != NULL) {
      const wasm_valtype_vec_t *tag_params = wasm_functype_params(wasm_tagtype_functype(tag_type));
      CHECK(tag_params->size == 2 && wasm_valtype_kind(tag_params->data[1]) == WASM_I64);
      wasm_tagtype_delete(tag_type);
    }
    wasmtime_exn_type_delete(copy);
    wasmtime_exn_type_delete(exn_type);
  }
  // Wrong count, wrong kind: errors, nothing made.
  wasmtime_exnref_t bad;
  CHECK(check_error(wasmtime_exnref_new(context, &host_tag, fields, 1, &bad), NULL));
  CHECK(check_error(wasmtime_exnref_new(context, &empty_tag, fields, 2, &bad), NULL));
  wasmtime_val_t swapped[2] = {fields[1], fields[0]};
  CHECK(check_error(wasmtime_exnref_new(context, &host_tag, swapped, 2, &bad), NULL));
  // No fields.
  wasmtime_exnref_t empty;
  CHECK(wasmtime_exnref_new(context, &empty_tag, NULL, 0, &empty) == NULL && wasmtime_exnref_field_count(context, &empty) == 0);
  wasmtime_exnref_unroot(&empty);
  // Clones and raw values name the same exception.
  wasmtime_exnref_t clone;
  wasmtime_exnref_clone(&exn, &clone);
  CHECK(wasmtime_exnref_field(context, &clone, 0, &field) == NULL && field.of.i32 == -5);
  uint32_t raw = wasmtime_exnref_to_raw(context, &clone);
  CHECK(raw != 0);
  wasmtime_exnref_t from_raw;
  wasmtime_exnref_from_raw(context, raw, &from_raw);
  CHECK(!wasmtime_exnref_is_null(&from_raw) && wasmtime_exnref_field(context, &from_raw, 1, &field) == NULL &&
        field.of.i64 == 1LL << 40);
  wasmtime_exnref_unroot(&from_raw);
  wasmtime_exnref_unroot(&clone);
  wasmtime_exnref_from_raw(context, 0, &from_raw);
  CHECK(wasmtime_exnref_is_null(&from_raw));
  wasmtime_exnref_t null_ref;
  wasmtime_exnref_set_null(&null_ref);
  CHECK(wasmtime_exnref_to_raw(context, &null_ref) == 0);

  // A module importing the host's tag and functions.
  wasm_byte_vec_t wasm;
  CHECK(wasmtime_wat2wasm(module_text, sizeof module_text - 1, &wasm) == NULL);
  wasmtime_module_t *module = NULL;
  CHECK(wasmtime_module_new(engine, (const uint8_t *)wasm.data, wasm.size, &module) == NULL);
  wasm_byte_vec_delete(&wasm);
  wasm_functype_t *takes_i32 = wasm_functype_new_1_0(wasm_valtype_new(WASM_I32));
  wasmtime_func_t throw_func, relay_func;
  wasmtime_func_new(context, takes_i32, thrower, NULL, NULL, &throw_func);
  wasmtime_func_new(context, takes_i32, relay, NULL, NULL, &relay_func);
  wasm_functype_delete(takes_i32);
  wasmtime_extern_t imports[3] = {{.kind = WASMTIME_EXTERN_TAG, .of.tag = host_tag},
                                  {.kind = WASMTIME_EXTERN_FUNC, .of.func = throw_func},
                                  {.kind = WASMTIME_EXTERN_FUNC, .of.func = relay_func}};
  wasmtime_instance_t instance;
  wasm_trap_t *trap = NULL;
  CHECK(wasmtime_instance_new(context, module, imports, 3, &instance, &trap) == NULL && trap == NULL);

  wasmtime_val_t argument = {.kind = WASMTIME_I32, .of.i32 = 17}, results[2];
  // A host function throws; the caller's clause takes the exception's fields.
  CHECK(call(context, &instance, "catch_tag", &argument, 1, results, 2, &trap) == 0);
  CHECK(results[0].of.i32 == 17 && results[1].of.i64 == 99);
  CHECK(call(context, &instance, "catch_all", &argument, 1, results, 1, &trap) == 0 && results[0].of.i32 == 1);
  CHECK(!wasmtime_context_has_exception(context));
  // catch_ref: the exception itself reaches the host; its fields, and rethrown by a module.
  argument.of.i32 = 23;
  CHECK(call(context, &instance, "catch_ref", &argument, 1, results, 1, &trap) == 0);
  CHECK(results[0].kind == WASMTIME_EXNREF && !wasmtime_exnref_is_null(&results[0].of.exnref));
  CHECK(wasmtime_exnref_field(context, &results[0].of.exnref, 0, &field) == NULL && field.of.i32 == 23);
  CHECK(wasmtime_exnref_tag(context, &results[0].of.exnref, &tag_of) == NULL && wasmtime_tag_eq(context, &tag_of, &host_tag));
  wasmtime_val_t caught = results[0];
  CHECK(call(context, &instance, "rethrow", &caught, 1, results, 2, &trap) == 0 && results[0].of.i32 == 23);
  wasmtime_val_unroot(&caught);
  // The host's own exception, thrown by a module.
  wasmtime_val_t made = {.kind = WASMTIME_EXNREF, .of.exnref = exn};
  CHECK(call(context, &instance, "rethrow", &made, 1, results, 2, &trap) == 0);
  CHECK(results[0].of.i32 == -5 && results[1].of.i64 == 1LL << 40);
  // Through a tail call.
  argument.of.i32 = 3;
  CHECK(call(context, &instance, "through_tail", &argument, 1, results, 1, &trap) == 0 && results[0].of.i32 == 3);
  // Uncaught: a trap without code, the exception pending in the store.
  argument.of.i32 = 11;
  CHECK(call(context, &instance, "uncaught", &argument, 1, NULL, 0, &trap) == 1);
  if (trap != NULL) {
    wasmtime_trap_code_t code;
    CHECK(!wasmtime_trap_code(trap, &code));
    wasm_trap_delete(trap);
  }
  CHECK(wasmtime_context_has_exception(context));
  wasmtime_exnref_t pending;
  CHECK(wasmtime_context_take_exception(context, &pending));
  CHECK(wasmtime_exnref_field(context, &pending, 0, &field) == NULL && field.of.i32 == 11);
  wasmtime_exnref_unroot(&pending);
  // A host function passing on the exception of its nested call: caught by the outer caller.
  argument.of.i32 = 8;
  CHECK(call(context, &instance, "relayed", &argument, 1, results, 1, &trap) == 0 && results[0].of.i32 == 8);
  CHECK(!wasmtime_context_has_exception(context));

  // The host throws from outside any call: the exception is pending; the trap reports it.
  trap = wasmtime_context_set_exception(context, &exn);
  CHECK(trap != NULL && wasmtime_context_has_exception(context));
  if (trap != NULL) wasm_trap_delete(trap);
  CHECK(wasmtime_context_take_exception(context, &pending));
  wasmtime_exnref_unroot(&pending);

  // The store keeps working.
  argument.of.i32 = 1;
  CHECK(call(context, &instance, "catch_tag", &argument, 1, results, 2, &trap) == 0 && results[0].of.i32 == 1);
  CHECK(thrower_calls == 6);

  wasmtime_exnref_unroot(&exn);
  wasmtime_module_delete(module);
  wasmtime_store_delete(store);
  wasm_engine_delete(engine);
  return check_report("test_exnref_host");
}
