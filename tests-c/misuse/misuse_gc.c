// NULL family for the references of WebAssembly GC (anyref.h, eqref.h and swasm's conversions
// between the hierarchies): a baseline with valid arguments, then each pointer argument NULL. The
// functions return false, 0 or a null reference for a NULL argument instead of dereferencing it.
#include <string.h>

#include "misuse.h"

#pragma weak swasm_anyref_convert_extern
#pragma weak swasm_externref_convert_any
#pragma weak swasm_context_gc_statistics

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

// types/structref.h, types/arrayref.h: storage, field, struct and array types.
static wasmtime_field_type_t i32_field(bool is_mutable) {
  wasmtime_field_type_t field = {.mutable_ = is_mutable, .storage = {.kind = WASMTIME_STORAGE_TYPE_KIND_VALTYPE}};
  field.storage.valtype = wasm_valtype_new(WASM_I32);
  return field;
}
static wasmtime_struct_type_t *make_struct_type(void) {
  wasmtime_field_type_t fields[2] = {i32_field(true), {.mutable_ = false, .storage = {.kind = WASMTIME_STORAGE_TYPE_KIND_I8}}};
  wasmtime_struct_type_t *type = wasmtime_struct_type_new(fx()->engine, fields, 2);
  wasmtime_field_type_delete(&fields[0]);
  return type;
}
static wasmtime_array_type_t *make_array_type(void) {
  wasmtime_field_type_t field = i32_field(true);
  wasmtime_array_type_t *type = wasmtime_array_type_new(fx()->engine, &field);
  wasmtime_field_type_delete(&field);
  return type;
}

NULL_CASE(wasmtime_storage_type_clone, "storage,out") {
  wasmtime_field_type_t field = i32_field(true);
  wasmtime_storage_type_t out = {.kind = WASMTIME_STORAGE_TYPE_KIND_I8, .valtype = NULL};
  wasmtime_storage_type_clone(NUL(0, &field.storage), NUL(1, &out));
  if (BASELINE) EXPECT(out.kind == WASMTIME_STORAGE_TYPE_KIND_VALTYPE && out.valtype != NULL, "a copy");
  if (c->a == 0) EXPECT(out.valtype == NULL, "a copy of nothing");
  wasmtime_storage_type_delete(&out);
  wasmtime_field_type_delete(&field);
}
NULL_CASE(wasmtime_storage_type_delete, "storage") {
  wasmtime_field_type_t field = i32_field(true);
  wasmtime_storage_type_delete(NUL(0, &field.storage));
  if (NULLED) wasmtime_storage_type_delete(&field.storage);
  EXPECT(field.storage.valtype == NULL, "released");
}
NULL_CASE(wasmtime_field_type_clone, "field,out") {
  wasmtime_field_type_t field = i32_field(true), out = {.mutable_ = false, .storage = {.kind = WASMTIME_STORAGE_TYPE_KIND_I16}};
  wasmtime_field_type_clone(NUL(0, &field), NUL(1, &out));
  if (BASELINE) EXPECT(out.mutable_ && out.storage.valtype != NULL, "a copy");
  wasmtime_field_type_delete(&out);
  wasmtime_field_type_delete(&field);
}
NULL_CASE(wasmtime_field_type_delete, "field") {
  wasmtime_field_type_t field = i32_field(false);
  wasmtime_field_type_delete(NUL(0, &field));
  if (NULLED) wasmtime_field_type_delete(&field);
  EXPECT(field.storage.valtype == NULL, "released");
}
NULL_CASE(wasmtime_struct_type_new, "engine,fields") {
  wasmtime_field_type_t field = i32_field(true);
  wasmtime_struct_type_t *type = wasmtime_struct_type_new(NUL(0, fx()->engine), NUL(1, &field), 1);
  EXPECT_TRUE_IFF_BASELINE(type != NULL, "wasmtime_struct_type_new");
  wasmtime_struct_type_delete(type);
  wasmtime_field_type_delete(&field);
}
NULL_CASE(wasmtime_struct_type_copy, "ty") {
  wasmtime_struct_type_t *type = make_struct_type();
  wasmtime_struct_type_t *copy = wasmtime_struct_type_copy(NUL(0, type));
  EXPECT_TRUE_IFF_BASELINE(copy != NULL, "wasmtime_struct_type_copy");
  wasmtime_struct_type_delete(copy);
  wasmtime_struct_type_delete(type);
}
NULL_CASE(wasmtime_struct_type_delete, "ty") {
  wasmtime_struct_type_t *type = make_struct_type();
  wasmtime_struct_type_delete(NUL(0, type));
  if (NULLED) wasmtime_struct_type_delete(type);
}
NULL_CASE(wasmtime_struct_type_num_fields, "ty") {
  wasmtime_struct_type_t *type = make_struct_type();
  size_t count = wasmtime_struct_type_num_fields(NUL(0, type));
  EXPECT(count == (BASELINE ? 2u : 0u), "number of fields");
  wasmtime_struct_type_delete(type);
}
NULL_CASE(wasmtime_struct_type_field, "ty,out") {
  wasmtime_struct_type_t *type = make_struct_type();
  wasmtime_field_type_t field;
  memset(&field, 0, sizeof field);
  bool got = wasmtime_struct_type_field(NUL(0, type), 1, NUL(1, &field));
  EXPECT_TRUE_IFF_BASELINE(got, "wasmtime_struct_type_field");
  if (got) EXPECT(field.storage.kind == WASMTIME_STORAGE_TYPE_KIND_I8 && !field.mutable_, "the i8 field");
  wasmtime_field_type_delete(&field);
  wasmtime_struct_type_delete(type);
}
NULL_CASE(wasmtime_array_type_new, "engine,field") {
  wasmtime_field_type_t field = i32_field(true);
  wasmtime_array_type_t *type = wasmtime_array_type_new(NUL(0, fx()->engine), NUL(1, &field));
  EXPECT_TRUE_IFF_BASELINE(type != NULL, "wasmtime_array_type_new");
  wasmtime_array_type_delete(type);
  wasmtime_field_type_delete(&field);
}
NULL_CASE(wasmtime_array_type_copy, "ty") {
  wasmtime_array_type_t *type = make_array_type();
  wasmtime_array_type_t *copy = wasmtime_array_type_copy(NUL(0, type));
  EXPECT_TRUE_IFF_BASELINE(copy != NULL, "wasmtime_array_type_copy");
  wasmtime_array_type_delete(copy);
  wasmtime_array_type_delete(type);
}
NULL_CASE(wasmtime_array_type_delete, "ty") {
  wasmtime_array_type_t *type = make_array_type();
  wasmtime_array_type_delete(NUL(0, type));
  if (NULLED) wasmtime_array_type_delete(type);
}
NULL_CASE(wasmtime_array_type_element, "ty,out") {
  wasmtime_array_type_t *type = make_array_type();
  wasmtime_field_type_t field;
  memset(&field, 0, sizeof field);
  wasmtime_array_type_element(NUL(0, type), NUL(1, &field));
  if (BASELINE) EXPECT(field.mutable_ && field.storage.valtype != NULL, "the element type");
  if (c->a == 0) EXPECT(field.storage.valtype == NULL, "an element of nothing");
  wasmtime_field_type_delete(&field);
  wasmtime_array_type_delete(type);
}

// structref.h, arrayref.h: allocators, allocation, the objects' types.
NULL_CASE(wasmtime_struct_ref_pre_new, "context,ty") {
  wasmtime_struct_type_t *type = make_struct_type();
  wasmtime_struct_ref_pre_t *pre = wasmtime_struct_ref_pre_new(NUL(0, fx()->ctx), NUL(1, type));
  EXPECT_TRUE_IFF_BASELINE(pre != NULL, "wasmtime_struct_ref_pre_new");
  wasmtime_struct_ref_pre_delete(pre);
  wasmtime_struct_type_delete(type);
}
NULL_CASE(wasmtime_struct_ref_pre_delete, "pre") {
  wasmtime_struct_type_t *type = make_struct_type();
  wasmtime_struct_ref_pre_t *pre = wasmtime_struct_ref_pre_new(fx()->ctx, type);
  wasmtime_struct_ref_pre_delete(NUL(0, pre));
  if (NULLED) wasmtime_struct_ref_pre_delete(pre);
  wasmtime_struct_type_delete(type);
}
// A struct of make_struct_type's type, made by the host (the caller unroots it).
static wasmtime_structref_t host_struct(void) {
  wasmtime_struct_type_t *type = make_struct_type();
  wasmtime_struct_ref_pre_t *pre = wasmtime_struct_ref_pre_new(fx()->ctx, type);
  wasmtime_val_t values[2] = {{.kind = WASMTIME_I32, .of.i32 = 1}, {.kind = WASMTIME_I32, .of.i32 = 2}};
  wasmtime_structref_t object;
  memset(&object, 0, sizeof object);
  show_error("wasmtime_structref_new", wasmtime_structref_new(fx()->ctx, pre, values, 2, &object));
  wasmtime_struct_ref_pre_delete(pre);
  wasmtime_struct_type_delete(type);
  return object;
}
static wasmtime_arrayref_t host_array(void) {
  wasmtime_array_type_t *type = make_array_type();
  wasmtime_array_ref_pre_t *pre = wasmtime_array_ref_pre_new(fx()->ctx, type);
  wasmtime_val_t value = {.kind = WASMTIME_I32, .of.i32 = 5};
  wasmtime_arrayref_t object;
  memset(&object, 0, sizeof object);
  show_error("wasmtime_arrayref_new", wasmtime_arrayref_new(fx()->ctx, pre, &value, 3, &object));
  wasmtime_array_ref_pre_delete(pre);
  wasmtime_array_type_delete(type);
  return object;
}
NULL_CASE(wasmtime_structref_new, "context,pre,fields,out") {
  wasmtime_struct_type_t *type = make_struct_type();
  wasmtime_struct_ref_pre_t *pre = wasmtime_struct_ref_pre_new(fx()->ctx, type);
  wasmtime_val_t values[2] = {{.kind = WASMTIME_I32, .of.i32 = 1}, {.kind = WASMTIME_I32, .of.i32 = 2}};
  wasmtime_structref_t object;
  memset(&object, 0, sizeof object);
  wasmtime_error_t *error = wasmtime_structref_new(NUL(0, fx()->ctx), NUL(1, pre), NUL(2, values), 2, NUL(3, &object));
  EXPECT_ERROR_UNLESS(BASELINE, "wasmtime_structref_new", error);
  if (BASELINE) {
    wasmtime_val_t field;
    EXPECT_OK("field 1", wasmtime_structref_field(fx()->ctx, &object, 1, &field));
    EXPECT(field.of.i32 == 2, "field 1 is 2");
  }
  wasmtime_structref_unroot(&object);
  wasmtime_struct_ref_pre_delete(pre);
  wasmtime_struct_type_delete(type);
}
NULL_CASE(wasmtime_structref_type, "context,ref") {
  wasmtime_structref_t object = host_struct();
  wasmtime_struct_type_t *type = wasmtime_structref_type(NUL(0, fx()->ctx), NUL(1, &object));
  EXPECT_TRUE_IFF_BASELINE(type != NULL, "wasmtime_structref_type");
  if (type) EXPECT(wasmtime_struct_type_num_fields(type) == 2, "two fields");
  wasmtime_struct_type_delete(type);
  wasmtime_structref_unroot(&object);
}
NULL_CASE(wasmtime_array_ref_pre_new, "context,ty") {
  wasmtime_array_type_t *type = make_array_type();
  wasmtime_array_ref_pre_t *pre = wasmtime_array_ref_pre_new(NUL(0, fx()->ctx), NUL(1, type));
  EXPECT_TRUE_IFF_BASELINE(pre != NULL, "wasmtime_array_ref_pre_new");
  wasmtime_array_ref_pre_delete(pre);
  wasmtime_array_type_delete(type);
}
NULL_CASE(wasmtime_array_ref_pre_delete, "pre") {
  wasmtime_array_type_t *type = make_array_type();
  wasmtime_array_ref_pre_t *pre = wasmtime_array_ref_pre_new(fx()->ctx, type);
  wasmtime_array_ref_pre_delete(NUL(0, pre));
  if (NULLED) wasmtime_array_ref_pre_delete(pre);
  wasmtime_array_type_delete(type);
}
NULL_CASE(wasmtime_arrayref_new, "context,pre,elem,out") {
  wasmtime_array_type_t *type = make_array_type();
  wasmtime_array_ref_pre_t *pre = wasmtime_array_ref_pre_new(fx()->ctx, type);
  wasmtime_val_t value = {.kind = WASMTIME_I32, .of.i32 = 5};
  wasmtime_arrayref_t object;
  memset(&object, 0, sizeof object);
  wasmtime_error_t *error = wasmtime_arrayref_new(NUL(0, fx()->ctx), NUL(1, pre), NUL(2, &value), 3, NUL(3, &object));
  EXPECT_ERROR_UNLESS(BASELINE, "wasmtime_arrayref_new", error);
  if (BASELINE) {
    uint32_t length = 0;
    EXPECT_OK("length", wasmtime_arrayref_len(fx()->ctx, &object, &length));
    EXPECT(length == 3, "three elements");
  }
  wasmtime_arrayref_unroot(&object);
  wasmtime_array_ref_pre_delete(pre);
  wasmtime_array_type_delete(type);
}
NULL_CASE(wasmtime_arrayref_type, "context,ref") {
  wasmtime_arrayref_t object = host_array();
  wasmtime_array_type_t *type = wasmtime_arrayref_type(NUL(0, fx()->ctx), NUL(1, &object));
  EXPECT_TRUE_IFF_BASELINE(type != NULL, "wasmtime_arrayref_type");
  wasmtime_array_type_delete(type);
  wasmtime_arrayref_unroot(&object);
}
NULL_CASE(wasmtime_anyref_type, "context,ref,out") {
  wasmtime_anyref_t object = make_struct();
  wasmtime_heaptype_t heap;
  memset(&heap, 0, sizeof heap);
  bool got = wasmtime_anyref_type(NUL(0, fx()->ctx), NUL(1, &object), NUL(2, &heap));
  EXPECT_TRUE_IFF_BASELINE(got, "wasmtime_anyref_type");
  if (got) EXPECT(heap.kind == WASMTIME_HEAPTYPE_KIND_CONCRETE_STRUCT && heap.of.concrete_struct != NULL, "a concrete struct type");
  if (got) wasmtime_heaptype_delete(&heap);
  wasmtime_anyref_unroot(&object);
}
NULL_CASE(wasmtime_eqref_type, "context,ref,out") {
  wasmtime_eqref_t object = make_struct_eqref();
  wasmtime_heaptype_t heap;
  memset(&heap, 0, sizeof heap);
  bool got = wasmtime_eqref_type(NUL(0, fx()->ctx), NUL(1, &object), NUL(2, &heap));
  EXPECT_TRUE_IFF_BASELINE(got, "wasmtime_eqref_type");
  if (got) EXPECT(heap.kind == WASMTIME_HEAPTYPE_KIND_CONCRETE_STRUCT, "a concrete struct type");
  if (got) wasmtime_heaptype_delete(&heap);
  wasmtime_eqref_unroot(&object);
}

// structref.h, arrayref.h: handles, fields and elements of host-made objects.
#define GC_CLONE(function, ref_type, make, unroot)                                            \
  NULL_CASE(function, "ref,out") {                                                            \
    ref_type object = make(), copy;                                                           \
    memset(&copy, 0, sizeof copy);                                                            \
    function(NUL(0, &object), NUL(1, &copy));                                                 \
    if (BASELINE) EXPECT(copy.store_id == object.store_id && copy.store_id != 0, "clone");   \
    if (c->a == 0) EXPECT(copy.store_id == 0, "a clone of nothing");                         \
    if (c->a != 1) unroot(&copy);                                                             \
    unroot(&object);                                                                          \
  }
GC_CLONE(wasmtime_structref_clone, wasmtime_structref_t, host_struct, wasmtime_structref_unroot)
GC_CLONE(wasmtime_arrayref_clone, wasmtime_arrayref_t, host_array, wasmtime_arrayref_unroot)
#define GC_UNROOT(function, ref_type, make)                                                   \
  NULL_CASE(function, "ref") {                                                                \
    ref_type object = make();                                                                 \
    function(NUL(0, &object));                                                                \
    if (NULLED) function(&object);                                                            \
    EXPECT(object.store_id == 0, "an unrooted reference reads as null");                     \
  }
GC_UNROOT(wasmtime_structref_unroot, wasmtime_structref_t, host_struct)
GC_UNROOT(wasmtime_arrayref_unroot, wasmtime_arrayref_t, host_array)
#define GC_CONVERT(function, ref_type, make, unroot, out_type, predicate, out_unroot)         \
  NULL_CASE(function, "ref,out") {                                                            \
    ref_type object = make();                                                                 \
    out_type out;                                                                             \
    memset(&out, 0, sizeof out);                                                              \
    function(NUL(0, &object), NUL(1, &out));                                                  \
    if (BASELINE) EXPECT(predicate(fx()->ctx, &out), "the same object");                     \
    if (c->a == 0) EXPECT(out.store_id == 0, "a reference of nothing");                      \
    if (c->a != 1) out_unroot(&out);                                                          \
    unroot(&object);                                                                          \
  }
GC_CONVERT(wasmtime_structref_to_anyref, wasmtime_structref_t, host_struct, wasmtime_structref_unroot, wasmtime_anyref_t,
           wasmtime_anyref_is_struct, wasmtime_anyref_unroot)
GC_CONVERT(wasmtime_structref_to_eqref, wasmtime_structref_t, host_struct, wasmtime_structref_unroot, wasmtime_eqref_t,
           wasmtime_eqref_is_struct, wasmtime_eqref_unroot)
GC_CONVERT(wasmtime_arrayref_to_anyref, wasmtime_arrayref_t, host_array, wasmtime_arrayref_unroot, wasmtime_anyref_t,
           wasmtime_anyref_is_array, wasmtime_anyref_unroot)
GC_CONVERT(wasmtime_arrayref_to_eqref, wasmtime_arrayref_t, host_array, wasmtime_arrayref_unroot, wasmtime_eqref_t,
           wasmtime_eqref_is_array, wasmtime_eqref_unroot)
NULL_CASE(wasmtime_structref_field, "context,ref,out") {
  wasmtime_structref_t object = host_struct();
  wasmtime_val_t value;
  memset(&value, 0, sizeof value);
  wasmtime_error_t *error = wasmtime_structref_field(NUL(0, fx()->ctx), NUL(1, &object), 0, NUL(2, &value));
  EXPECT_ERROR_UNLESS(BASELINE, "wasmtime_structref_field", error);
  if (BASELINE) EXPECT(value.kind == WASMTIME_I32 && value.of.i32 == 1, "field 0 is 1");
  wasmtime_structref_unroot(&object);
}
NULL_CASE(wasmtime_structref_set_field, "context,ref,val") {
  wasmtime_structref_t object = host_struct();
  wasmtime_val_t value = {.kind = WASMTIME_I32, .of.i32 = 8};
  wasmtime_error_t *error = wasmtime_structref_set_field(NUL(0, fx()->ctx), NUL(1, &object), 0, NUL(2, &value));
  EXPECT_ERROR_UNLESS(BASELINE, "wasmtime_structref_set_field", error);
  wasmtime_structref_unroot(&object);
}
NULL_CASE(wasmtime_arrayref_len, "context,ref,out") {
  wasmtime_arrayref_t object = host_array();
  uint32_t length = 0;
  wasmtime_error_t *error = wasmtime_arrayref_len(NUL(0, fx()->ctx), NUL(1, &object), NUL(2, &length));
  EXPECT_ERROR_UNLESS(BASELINE, "wasmtime_arrayref_len", error);
  if (BASELINE) EXPECT(length == 3, "three elements");
  wasmtime_arrayref_unroot(&object);
}
NULL_CASE(wasmtime_arrayref_get, "context,ref,out") {
  wasmtime_arrayref_t object = host_array();
  wasmtime_val_t value;
  memset(&value, 0, sizeof value);
  wasmtime_error_t *error = wasmtime_arrayref_get(NUL(0, fx()->ctx), NUL(1, &object), 2, NUL(2, &value));
  EXPECT_ERROR_UNLESS(BASELINE, "wasmtime_arrayref_get", error);
  if (BASELINE) EXPECT(value.kind == WASMTIME_I32 && value.of.i32 == 5, "element 2 is 5");
  wasmtime_arrayref_unroot(&object);
}
NULL_CASE(wasmtime_arrayref_set, "context,ref,val") {
  wasmtime_arrayref_t object = host_array();
  wasmtime_val_t value = {.kind = WASMTIME_I32, .of.i32 = 6};
  wasmtime_error_t *error = wasmtime_arrayref_set(NUL(0, fx()->ctx), NUL(1, &object), 0, NUL(2, &value));
  EXPECT_ERROR_UNLESS(BASELINE, "wasmtime_arrayref_set", error);
  wasmtime_arrayref_unroot(&object);
}

NULL_CASE(swasm_context_gc_statistics, "context,out") {
  if (!HAVE(swasm_context_gc_statistics)) skip("swasm_context_gc_statistics is swasm's own");
  fixture *f = fx();
  wasmtime_anyref_t object = make_struct();
  swasm_gc_statistics_t statistics;
  memset(&statistics, 0x41, sizeof statistics);
  bool got = swasm_context_gc_statistics(NUL(0, f->ctx), NUL(1, &statistics));
  EXPECT_TRUE_IFF_BASELINE(got, "swasm_context_gc_statistics");
  if (got) EXPECT(statistics.objects >= 1 && statistics.heap_bytes >= statistics.objects, "the struct counted");
  wasmtime_anyref_unroot(&object);
}
