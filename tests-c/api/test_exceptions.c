// Exceptions across the C API, with the same expectations on libswasm.so and on wasmtime 50.0.1's
// C library (ctests exceptions_capi and exceptions_capi_wasmtime): exnref results and arguments
// of wasmtime_func_call (an exception caught with catch_ref handed to the host, and back to be
// rethrown), exnref globals, a null exnref rethrown (a trap), an exception escaping a call (a
// trap without code, pending in the store until taken; the taken exnref rethrown later), and an
// exnref of another store refused (on swasm only: wasmtime aborts the process); a tag made by the
// host, imported, thrown and caught by a module, compared by identity.
#include <stdio.h>
#include <string.h>
#include <wasmtime.h>

#include "check.h"

static const char module_text[] =
    "(module (tag $e (param i32))"
    " (global (export \"g\") (mut exnref) (ref.null exn))"
    " (func (export \"make\") (param i32) (result exnref) (local $x exnref)"
    "   (block $h (result i32 exnref) (try_table (catch_ref $e $h) (throw $e (local.get 0)))"
    "     (unreachable))"
    "   (local.set $x) (drop) (local.get $x))"
    " (func (export \"rethrow\") (param exnref) (result i32)"
    "   (block $h (result i32) (try_table (catch $e $h) (throw_ref (local.get 0)))"
    "     (unreachable)))"
    " (func (export \"keep\") (param exnref) (global.set 0 (local.get 0)))"
    " (func (export \"null\") (result exnref) (ref.null exn))"
    " (func (export \"escape\") (param i32) (throw $e (local.get 0))))";

static wasmtime_func_t get_func(wasmtime_context_t *context, wasmtime_instance_t *instance, const char *name) {
  wasmtime_extern_t item;
  memset(&item, 0, sizeof item);
  CHECK(wasmtime_instance_export_get(context, instance, name, strlen(name), &item));
  CHECK(item.kind == WASMTIME_EXTERN_FUNC);
  return item.of.func;
}

// Calls `name` with up to one argument and one result; returns the error (deleted) or trap state.
static int call(wasmtime_context_t *context, wasmtime_instance_t *instance, const char *name, const wasmtime_val_t *argument,
                wasmtime_val_t *result, wasm_trap_t **trap) {
  wasmtime_func_t func = get_func(context, instance, name);
  *trap = NULL;
  wasmtime_error_t *error = wasmtime_func_call(context, &func, argument, argument ? 1 : 0, result, result ? 1 : 0, trap);
  if (error != NULL) {
    wasmtime_error_delete(error);
    return -1;
  }
  return *trap != NULL ? 1 : 0;
}

static int instantiate(wasm_engine_t *engine, wasmtime_context_t *context, wasmtime_instance_t *instance) {
  wasm_byte_vec_t wasm;
  if (wasmtime_wat2wasm(module_text, sizeof module_text - 1, &wasm) != NULL) return 0;
  wasmtime_module_t *module = NULL;
  wasmtime_error_t *error = wasmtime_module_new(engine, (const uint8_t *)wasm.data, wasm.size, &module);
  wasm_byte_vec_delete(&wasm);
  if (error != NULL) {
    wasmtime_error_delete(error);
    return 0;
  }
  wasm_trap_t *trap = NULL;
  error = wasmtime_instance_new(context, module, NULL, 0, instance, &trap);
  wasmtime_module_delete(module);
  if (error != NULL) wasmtime_error_delete(error);
  if (trap != NULL) wasm_trap_delete(trap);
  return error == NULL && trap == NULL;
}

int main(void) {
  wasm_engine_t *engine = wasm_engine_new();
  wasmtime_store_t *store = wasmtime_store_new(engine, NULL, NULL);
  wasmtime_context_t *context = wasmtime_store_context(store);
  wasmtime_instance_t instance;
  CHECK(instantiate(engine, context, &instance));
  wasm_trap_t *trap = NULL;

  // An exception caught with catch_ref reaches the host as an exnref, and goes back in.
  wasmtime_val_t argument = {.kind = WASMTIME_I32, .of.i32 = 42}, made, result;
  memset(&made, 0, sizeof made);
  CHECK(call(context, &instance, "make", &argument, &made, &trap) == 0);
  CHECK(made.kind == WASMTIME_EXNREF && made.of.exnref.store_id != 0);
  CHECK(call(context, &instance, "rethrow", &made, &result, &trap) == 0);
  CHECK(result.kind == WASMTIME_I32 && result.of.i32 == 42);
  // Through a global: kept, read back, rethrown.
  CHECK(call(context, &instance, "keep", &made, NULL, &trap) == 0);
  wasmtime_extern_t global;
  CHECK(wasmtime_instance_export_get(context, &instance, "g", 1, &global) && global.kind == WASMTIME_EXTERN_GLOBAL);
  wasmtime_val_t kept;
  memset(&kept, 0, sizeof kept);
  wasmtime_global_get(context, &global.of.global, &kept);
  CHECK(kept.kind == WASMTIME_EXNREF && kept.of.exnref.store_id != 0);
  CHECK(call(context, &instance, "rethrow", &kept, &result, &trap) == 0 && result.of.i32 == 42);
  wasmtime_val_unroot(&kept);

  // A null exnref: a value of its own kind; rethrowing it traps.
  wasmtime_val_t null;
  memset(&null, 0, sizeof null);
  CHECK(call(context, &instance, "null", NULL, &null, &trap) == 0);
  CHECK(null.kind == WASMTIME_EXNREF && null.of.exnref.store_id == 0);
  CHECK(call(context, &instance, "rethrow", &null, &result, &trap) == 1);
  if (trap != NULL) {
    wasmtime_trap_code_t code;
    CHECK(wasmtime_trap_code(trap, &code) && code == WASMTIME_TRAP_CODE_NULL_REFERENCE);
    wasm_trap_delete(trap);
  }
  CHECK(!wasmtime_context_has_exception(context));

  // An exception escaping a call: a trap without code, pending until taken, then usable.
  argument.of.i32 = 7;
  CHECK(call(context, &instance, "escape", &argument, NULL, &trap) == 1);
  if (trap != NULL) {
    wasmtime_trap_code_t code;
    CHECK(!wasmtime_trap_code(trap, &code));
    wasm_message_t message;
    wasm_trap_message(trap, &message);
    CHECK(message.size > 0 && strstr(message.data, "thrown Wasm exception") != NULL);
    wasm_byte_vec_delete(&message);
    wasm_trap_delete(trap);
  }
  CHECK(wasmtime_context_has_exception(context));
  wasmtime_exnref_t taken;
  memset(&taken, 0, sizeof taken);
  CHECK(wasmtime_context_take_exception(context, &taken));
  CHECK(!wasmtime_context_has_exception(context));
  CHECK(!wasmtime_context_take_exception(context, &taken) || 1); // nothing pending any more
  wasmtime_val_t rethrown = {.kind = WASMTIME_EXNREF};
  CHECK(wasmtime_context_take_exception(context, &rethrown.of.exnref) == false);
  rethrown.of.exnref = taken;
  CHECK(call(context, &instance, "rethrow", &rethrown, &result, &trap) == 0 && result.of.i32 == 7);

#ifndef ON_WASMTIME
  // An exnref of another store is refused (wasmtime panics: "object used with wrong store"; see
  // docs/wasmtime-differences.md).
  wasmtime_store_t *other = wasmtime_store_new(engine, NULL, NULL);
  wasmtime_instance_t other_instance;
  CHECK(instantiate(engine, wasmtime_store_context(other), &other_instance));
  wasmtime_val_t foreign;
  memset(&foreign, 0, sizeof foreign);
  argument.of.i32 = 5;
  CHECK(call(wasmtime_store_context(other), &other_instance, "make", &argument, &foreign, &trap) == 0);
  CHECK(call(context, &instance, "rethrow", &foreign, &result, &trap) == -1);
  wasmtime_val_unroot(&foreign);
  wasmtime_store_delete(other);
  // A forged exnref of this store (an entry that does not exist) is refused as well, and so is a
  // forged tag handle (wasmtime would read through both).
  wasmtime_val_t forged = made;
  forged.of.exnref.__private1 = 0xdead;
  CHECK(call(context, &instance, "rethrow", &forged, &result, &trap) == -1);
  wasmtime_tag_t forged_tag = {{.store_id = made.of.exnref.store_id, .__private1 = 0x1234}, .__private2 = 0};
  CHECK(wasmtime_tag_type(context, &forged_tag) == NULL && !wasmtime_tag_eq(context, &forged_tag, &forged_tag));
#endif

  // A tag made by the host: a module importing it throws and catches its exceptions; tags
  // compare by identity.
  {
    static const char importer[] =
        "(module (import \"host\" \"t\" (tag $t (param i32))) (export \"t\" (tag $t))"
        " (func (export \"catchit\") (param i32) (result i32)"
        "   (block $h (result i32) (try_table (catch $t $h) (throw $t (local.get 0))) (unreachable))))";
    wasm_tagtype_t *tagtype = wasm_tagtype_new(wasm_functype_new_1_0(wasm_valtype_new(WASM_I32)));
    CHECK(tagtype != NULL);
    wasmtime_tag_t tag, other_tag;
    CHECK(wasmtime_tag_new(context, tagtype, &tag) == NULL);
    CHECK(wasmtime_tag_new(context, tagtype, &other_tag) == NULL);
    wasm_tagtype_delete(tagtype);
    CHECK(wasmtime_tag_eq(context, &tag, &tag) && !wasmtime_tag_eq(context, &tag, &other_tag));
    wasm_tagtype_t *reported = wasmtime_tag_type(context, &tag);
    CHECK(reported != NULL && wasm_functype_params(wasm_tagtype_functype(reported))->size == 1);
    wasm_tagtype_delete(reported);
    wasm_byte_vec_t wasm;
    CHECK(wasmtime_wat2wasm(importer, sizeof importer - 1, &wasm) == NULL);
    wasmtime_module_t *module = NULL;
    CHECK(wasmtime_module_new(engine, (const uint8_t *)wasm.data, wasm.size, &module) == NULL);
    wasm_byte_vec_delete(&wasm);
    wasmtime_extern_t import = {.kind = WASMTIME_EXTERN_TAG, .of.tag = tag};
    wasmtime_instance_t tagged;
    CHECK(wasmtime_instance_new(context, module, &import, 1, &tagged, &trap) == NULL && trap == NULL);
    wasmtime_extern_t exported;
    CHECK(wasmtime_instance_export_get(context, &tagged, "t", 1, &exported) && exported.kind == WASMTIME_EXTERN_TAG);
    CHECK(wasmtime_tag_eq(context, &exported.of.tag, &tag));
    argument.of.i32 = 31;
    CHECK(call(context, &tagged, "catchit", &argument, &result, &trap) == 0 && result.of.i32 == 31);
    wasmtime_module_delete(module);
  }

  wasmtime_val_unroot(&made);
  wasmtime_exnref_unroot(&taken);
  wasmtime_store_delete(store);
  wasm_engine_delete(engine);
  return check_report("test_exceptions");
}
