// NULL family for the references of WebAssembly GC (anyref.h, eqref.h and swasm's conversions
// between the hierarchies): a baseline with valid arguments, then each pointer argument NULL. The
// functions return false, 0 or a null reference for a NULL argument instead of dereferencing it.
#include <string.h>

#include "misuse.h"

#pragma weak swasm_anyref_convert_extern
#pragma weak swasm_externref_convert_any

// A struct made by WebAssembly in store 1, as a rooted anyref (the caller unroots it).
static wasmtime_anyref_t make_struct(void) {
  static const char wat[] = "(module (type $s (struct (field i32)))"
                            "  (func (export \"s\") (result anyref) (struct.new $s (i32.const 7))))";
  fixture *f = fx();
  wasm_byte_vec_t wasm;
  wasmtime_anyref_t result;
  memset(&result, 0, sizeof result);
  wasmtime_error_t *error = wasmtime_wat2wasm(wat, sizeof wat - 1, &wasm);
  if (error) { wasmtime_error_delete(error); return result; }
  wasmtime_module_t *module = NULL;
  error = wasmtime_module_new(f->engine, (const uint8_t *)wasm.data, wasm.size, &module);
  wasm_byte_vec_delete(&wasm);
  if (error) { wasmtime_error_delete(error); return result; }
  wasmtime_instance_t instance;
  wasm_trap_t *trap = NULL;
  error = wasmtime_instance_new(f->ctx, module, NULL, 0, &instance, &trap);
  wasmtime_module_delete(module);
  if (error || trap) { wasmtime_error_delete(error); wasm_trap_delete(trap); return result; }
  wasmtime_extern_t item;
  if (!wasmtime_instance_export_get(f->ctx, &instance, "s", 1, &item)) return result;
  wasmtime_val_t value;
  error = wasmtime_func_call(f->ctx, &item.of.func, NULL, 0, &value, 1, &trap);
  if (error || trap) { wasmtime_error_delete(error); wasm_trap_delete(trap); return result; }
  if (value.kind == WASMTIME_ANYREF) result = value.of.anyref;
  return result;
}

NULL_CASE(wasmtime_anyref_clone, "ref,out") {
  wasmtime_anyref_t object = make_struct(), copy;
  memset(&copy, 0, sizeof copy);
  wasmtime_anyref_clone(NUL(0, &object), NUL(1, &copy));
  if (BASELINE) EXPECT(copy.store_id == object.store_id && copy.store_id != 0, "clone");
  if (c->a == 0) EXPECT(copy.store_id == 0, "a clone of nothing");
  if (c->a != 1) wasmtime_anyref_unroot(&copy);
  wasmtime_anyref_unroot(&object);
}
NULL_CASE(wasmtime_anyref_unroot, "ref") {
  wasmtime_anyref_t object = make_struct();
  wasmtime_anyref_unroot(NUL(0, &object));
  if (NULLED) wasmtime_anyref_unroot(&object);
  EXPECT(object.store_id == 0, "an unrooted reference reads as null");
}
NULL_CASE(wasmtime_anyref_to_raw, "context,ref") {
  wasmtime_anyref_t object = make_struct();
  uint32_t raw = wasmtime_anyref_to_raw(NUL(0, fx()->ctx), NUL(1, &object));
  if (BASELINE) EXPECT(raw != 0, "no raw form");
  else EXPECT(raw == 0, "a raw form with a NULL argument");
  wasmtime_anyref_unroot(&object);
}
NULL_CASE(wasmtime_anyref_from_raw, "context,out") {
  fixture *f = fx();
  wasmtime_anyref_t object = make_struct(), back;
  memset(&back, 0x41, sizeof back);
  uint32_t raw = wasmtime_anyref_to_raw(f->ctx, &object);
  wasmtime_anyref_from_raw(NUL(0, f->ctx), raw, NUL(1, &back));
  if (BASELINE) {
    EXPECT(wasmtime_anyref_is_struct(f->ctx, &back), "round trip");
    wasmtime_anyref_unroot(&back);
  }
  if (c->a == 0) EXPECT(back.store_id == 0, "an anyref without a store");
  wasmtime_anyref_unroot(&object);
}
NULL_CASE(wasmtime_anyref_from_i31, "context,out") {
  wasmtime_anyref_t ref;
  memset(&ref, 0x41, sizeof ref);
  wasmtime_anyref_from_i31(NUL(0, fx()->ctx), 0x7fffffffu, NUL(1, &ref));
  if (BASELINE) {
    int32_t value = 0;
    EXPECT(wasmtime_anyref_i31_get_s(fx()->ctx, &ref, &value) && value == -1, "i31 round trip");
  }
  if (c->a == 0) EXPECT(ref.store_id == 0, "an anyref without a store");
}

// The predicates: false with a NULL context or reference.
#define ANYREF_PREDICATE(function, expected)                                                  \
  NULL_CASE(function, "context,ref") {                                                        \
    wasmtime_anyref_t object = make_struct();                                                 \
    bool answer = function(NUL(0, fx()->ctx), NUL(1, &object));                               \
    if (BASELINE) EXPECT(answer == (expected), #function " in the baseline");                \
    else EXPECT(!answer, #function " with a NULL argument");                                  \
    wasmtime_anyref_unroot(&object);                                                          \
  }
ANYREF_PREDICATE(wasmtime_anyref_is_i31, false)
ANYREF_PREDICATE(wasmtime_anyref_is_eqref, true)
ANYREF_PREDICATE(wasmtime_anyref_is_struct, true)
ANYREF_PREDICATE(wasmtime_anyref_is_array, false)

NULL_CASE(wasmtime_anyref_i31_get_u, "context,ref,dst") {
  wasmtime_anyref_t ref;
  wasmtime_anyref_from_i31(fx()->ctx, 5, &ref);
  uint32_t value = 0;
  bool got = wasmtime_anyref_i31_get_u(NUL(0, fx()->ctx), NUL(1, &ref), NUL(2, &value));
  if (BASELINE) EXPECT(got && value == 5, "i31 value");
  if (c->a < 2 && c->a >= 0) EXPECT(!got, "a value with a NULL argument");
}
NULL_CASE(wasmtime_anyref_i31_get_s, "context,ref,dst") {
  wasmtime_anyref_t ref;
  wasmtime_anyref_from_i31(fx()->ctx, 0x40000000u, &ref);
  int32_t value = 0;
  bool got = wasmtime_anyref_i31_get_s(NUL(0, fx()->ctx), NUL(1, &ref), NUL(2, &value));
  if (BASELINE) EXPECT(got && value == -0x40000000, "i31 value");
  if (c->a < 2 && c->a >= 0) EXPECT(!got, "a value with a NULL argument");
}

#define ANYREF_CAST(function, out_type, expected, unroot)                                     \
  NULL_CASE(function, "context,ref,out") {                                                    \
    wasmtime_anyref_t object = make_struct();                                                 \
    out_type out;                                                                             \
    memset(&out, 0x41, sizeof out);                                                           \
    bool cast = function(NUL(0, fx()->ctx), NUL(1, &object), NUL(2, &out));                  \
    if (BASELINE) EXPECT(cast == (expected), #function " in the baseline");                  \
    if (c->a == 0 || c->a == 1) EXPECT(!cast, #function " with a NULL argument");            \
    if (cast && c->a != 2) unroot(&out);                                                      \
    wasmtime_anyref_unroot(&object);                                                          \
  }
ANYREF_CAST(wasmtime_anyref_as_eqref, wasmtime_eqref_t, true, wasmtime_eqref_unroot)
ANYREF_CAST(wasmtime_anyref_as_struct, wasmtime_structref_t, true, wasmtime_structref_unroot)
ANYREF_CAST(wasmtime_anyref_as_array, wasmtime_arrayref_t, false, wasmtime_arrayref_unroot)

// eqref.h, on an eqref of the same struct.
static wasmtime_eqref_t make_struct_eqref(void) {
  wasmtime_anyref_t object = make_struct();
  wasmtime_eqref_t eq;
  memset(&eq, 0, sizeof eq);
  wasmtime_anyref_as_eqref(fx()->ctx, &object, &eq);
  wasmtime_anyref_unroot(&object);
  return eq;
}

NULL_CASE(wasmtime_eqref_clone, "ref,out") {
  wasmtime_eqref_t object = make_struct_eqref(), copy;
  memset(&copy, 0, sizeof copy);
  wasmtime_eqref_clone(NUL(0, &object), NUL(1, &copy));
  if (BASELINE) EXPECT(copy.store_id != 0, "clone");
  if (c->a == 0) EXPECT(copy.store_id == 0, "a clone of nothing");
  if (c->a != 1) wasmtime_eqref_unroot(&copy);
  wasmtime_eqref_unroot(&object);
}
NULL_CASE(wasmtime_eqref_unroot, "ref") {
  wasmtime_eqref_t object = make_struct_eqref();
  wasmtime_eqref_unroot(NUL(0, &object));
  if (NULLED) wasmtime_eqref_unroot(&object);
  EXPECT(object.store_id == 0, "an unrooted reference reads as null");
}
NULL_CASE(wasmtime_eqref_to_anyref, "ref,out") {
  wasmtime_eqref_t object = make_struct_eqref();
  wasmtime_anyref_t any;
  memset(&any, 0, sizeof any);
  wasmtime_eqref_to_anyref(NUL(0, &object), NUL(1, &any));
  if (BASELINE) EXPECT(wasmtime_anyref_is_struct(fx()->ctx, &any), "the same struct");
  if (c->a == 0) EXPECT(any.store_id == 0, "an anyref of nothing");
  if (c->a != 1) wasmtime_anyref_unroot(&any);
  wasmtime_eqref_unroot(&object);
}
NULL_CASE(wasmtime_eqref_from_i31, "context,out") {
  wasmtime_eqref_t ref;
  memset(&ref, 0x41, sizeof ref);
  wasmtime_eqref_from_i31(NUL(0, fx()->ctx), 3, NUL(1, &ref));
  if (BASELINE) EXPECT(wasmtime_eqref_is_i31(fx()->ctx, &ref), "an i31");
  if (c->a == 0) EXPECT(ref.store_id == 0, "an eqref without a store");
}
#define EQREF_PREDICATE(function, expected)                                                   \
  NULL_CASE(function, "context,ref") {                                                        \
    wasmtime_eqref_t object = make_struct_eqref();                                            \
    bool answer = function(NUL(0, fx()->ctx), NUL(1, &object));                               \
    if (BASELINE) EXPECT(answer == (expected), #function " in the baseline");                \
    else EXPECT(!answer, #function " with a NULL argument");                                  \
    wasmtime_eqref_unroot(&object);                                                           \
  }
EQREF_PREDICATE(wasmtime_eqref_is_i31, false)
EQREF_PREDICATE(wasmtime_eqref_is_struct, true)
EQREF_PREDICATE(wasmtime_eqref_is_array, false)
NULL_CASE(wasmtime_eqref_i31_get_u, "context,ref,dst") {
  wasmtime_eqref_t ref;
  wasmtime_eqref_from_i31(fx()->ctx, 9, &ref);
  uint32_t value = 0;
  bool got = wasmtime_eqref_i31_get_u(NUL(0, fx()->ctx), NUL(1, &ref), NUL(2, &value));
  if (BASELINE) EXPECT(got && value == 9, "i31 value");
  if (c->a < 2 && c->a >= 0) EXPECT(!got, "a value with a NULL argument");
}
NULL_CASE(wasmtime_eqref_i31_get_s, "context,ref,dst") {
  wasmtime_eqref_t ref;
  wasmtime_eqref_from_i31(fx()->ctx, 0x7ffffffeu, &ref);
  int32_t value = 0;
  bool got = wasmtime_eqref_i31_get_s(NUL(0, fx()->ctx), NUL(1, &ref), NUL(2, &value));
  if (BASELINE) EXPECT(got && value == -2, "i31 value");
  if (c->a < 2 && c->a >= 0) EXPECT(!got, "a value with a NULL argument");
}
#define EQREF_CAST(function, out_type, expected, unroot)                                      \
  NULL_CASE(function, "context,ref,out") {                                                    \
    wasmtime_eqref_t object = make_struct_eqref();                                            \
    out_type out;                                                                             \
    memset(&out, 0x41, sizeof out);                                                           \
    bool cast = function(NUL(0, fx()->ctx), NUL(1, &object), NUL(2, &out));                  \
    if (BASELINE) EXPECT(cast == (expected), #function " in the baseline");                  \
    if (c->a == 0 || c->a == 1) EXPECT(!cast, #function " with a NULL argument");            \
    if (cast && c->a != 2) unroot(&out);                                                      \
    wasmtime_eqref_unroot(&object);                                                           \
  }
EQREF_CAST(wasmtime_eqref_as_struct, wasmtime_structref_t, true, wasmtime_structref_unroot)
EQREF_CAST(wasmtime_eqref_as_array, wasmtime_arrayref_t, false, wasmtime_arrayref_unroot)

// swasm.h: the conversions between the hierarchies.
NULL_CASE(swasm_anyref_convert_extern, "context,ref,out") {
  if (!HAVE(swasm_anyref_convert_extern)) skip("swasm_anyref_convert_extern is swasm's own");
  fixture *f = fx();
  wasmtime_anyref_t any;
  memset(&any, 0x41, sizeof any);
  bool converted = swasm_anyref_convert_extern(NUL(0, f->ctx), NUL(1, &f->ext), NUL(2, &any));
  EXPECT_TRUE_IFF_BASELINE(converted, "swasm_anyref_convert_extern");
  if (converted) {
    EXPECT(!wasmtime_anyref_is_eqref(f->ctx, &any), "a host value is not an eqref");
    wasmtime_externref_t back;
    EXPECT(swasm_externref_convert_any(f->ctx, &any, &back) && wasmtime_externref_data(f->ctx, &back) == wasmtime_externref_data(f->ctx, &f->ext),
           "converted back, the same host value");
    wasmtime_externref_unroot(&back);
    wasmtime_anyref_unroot(&any);
  }
}
NULL_CASE(swasm_externref_convert_any, "context,ref,out") {
  if (!HAVE(swasm_externref_convert_any)) skip("swasm_externref_convert_any is swasm's own");
  fixture *f = fx();
  wasmtime_anyref_t object = make_struct();
  wasmtime_externref_t ext;
  memset(&ext, 0x41, sizeof ext);
  bool converted = swasm_externref_convert_any(NUL(0, f->ctx), NUL(1, &object), NUL(2, &ext));
  EXPECT_TRUE_IFF_BASELINE(converted, "swasm_externref_convert_any");
  if (converted) {
    EXPECT(wasmtime_externref_data(f->ctx, &ext) == NULL, "a struct made external has no host data");
    wasmtime_externref_unroot(&ext);
  }
  wasmtime_anyref_unroot(&object);
}
