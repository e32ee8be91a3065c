// NULL family: for every exported function, a baseline call with every argument valid, then one
// case per pointer argument with that argument NULL (NUL(i, x) in the bodies). swasm documents that
// where wasmtime aborts on a NULL it returns NULL, false, an error or an empty output instead; the
// cases assert that refusal where the function has a way to express it (a pointer, bool or error
// result, an output vector left empty) and otherwise require only that the call returns. Optional
// pointers (host data, finalizers, an init value of NULL meaning "null reference") are not nulled
// as misuse; where NULL is legal the case says so. Out-parameters that swasm may treat as optional
// (a trap pointer while nothing traps, a previous-size pointer) are only required not to crash.
// Arguments whose ownership passes to the callee (`own` in wasm.h) are not released by the case
// after a refused call: whether the callee took them is unspecified, so they are left to leak.
#include <stdlib.h>
#include <unistd.h>

#include "misuse.h"

#pragma weak swasm_store_limiter_total
#pragma weak swasm_context_usage

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

#define EXPECT_NONNULL_IFF_BASELINE(p, what)                                             \
  do {                                                                                   \
    note("%s: %s", what, (p) ? "non-NULL" : "NULL");                                     \
    if (BASELINE) EXPECT((p) != NULL, "%s: NULL in the baseline", what);                \
    else EXPECT((p) == NULL, "%s: non-NULL with a NULL argument", what);                \
  } while (0)
// An output vector: poisoned before the call, empty after a refused one.
#define POISON(v) memset(&(v), 0x5a, sizeof(v))
#define EXPECT_EMPTY_UNLESS_BASELINE(v, what)                                            \
  do {                                                                                   \
    if (NULLED && c->a != 0) {                                                           \
      EXPECT((v).size == 0 && (v).data == NULL, "%s: output not emptied", what);         \
    }                                                                                    \
  } while (0)

static wasm_store_t *the_wasm_store;
static wasm_store_t *wstore(void) {
  if (!the_wasm_store) the_wasm_store = wasm_store_new(fx()->engine);
  return the_wasm_store;
}

static const char small_wat[] = "(module (func (export \"f\") (result i32) (i32.const 5)) (memory (export \"m\") 1))";

static void binary_of(const char *wat, wasm_byte_vec_t *out) { wat_to_binary(wat, out); }

static wasm_trap_t *wasm_callback(const wasm_val_vec_t *args, wasm_val_vec_t *results) {
  (void)args;
  if (results && results->size) results->data[0] = (wasm_val_t){.kind = WASM_I32, .of.i32 = 3};
  return NULL;
}
static wasm_trap_t *wasm_callback_env(void *env, const wasm_val_vec_t *args, wasm_val_vec_t *results) {
  (void)env;
  return wasm_callback(args, results);
}
static wasm_trap_t *wasmtime_callback(void *env, wasmtime_caller_t *caller, const wasmtime_val_t *args, size_t nargs,
                                      wasmtime_val_t *results, size_t nresults) {
  (void)env, (void)caller, (void)args, (void)nargs;
  if (nresults) results[0] = val_i32(3);
  return NULL;
}
static wasm_trap_t *wasmtime_callback_raw(void *env, wasmtime_caller_t *caller, wasmtime_val_raw_t *values, size_t n) {
  (void)env, (void)caller;
  if (n) values[0].i32 = 3;
  return NULL;
}
static int finalized;
static void finalizer(void *data) {
  (void)data;
  finalized++;
}

// wasm.h objects used as elements and arguments.
static wasm_func_t *make_wasm_func(void) {
  wasm_functype_t *type = functype_1(WASM_I32, 0, WASM_I32, 1);
  wasm_func_t *func = wasm_func_new(wstore(), type, wasm_callback);
  wasm_functype_delete(type);
  return func;
}
static wasm_global_t *make_wasm_global(void) {
  wasm_globaltype_t *type = wasm_globaltype_new(wasm_valtype_new(WASM_I32), WASM_VAR);
  wasm_val_t v = {.kind = WASM_I32, .of.i32 = 4};
  wasm_global_t *global = wasm_global_new(wstore(), type, &v);
  wasm_globaltype_delete(type);
  return global;
}
static wasm_table_t *make_wasm_table(void) {
  wasm_limits_t limits = {2, 10};
  wasm_tabletype_t *type = wasm_tabletype_new(wasm_valtype_new(WASM_FUNCREF), &limits);
  wasm_table_t *table = wasm_table_new(wstore(), type, NULL);
  wasm_tabletype_delete(type);
  return table;
}
static wasm_memory_t *make_wasm_memory(void) {
  wasm_limits_t limits = {1, 2};
  wasm_memorytype_t *type = wasm_memorytype_new(&limits);
  wasm_memory_t *memory = wasm_memory_new(wstore(), type);
  wasm_memorytype_delete(type);
  return memory;
}
static wasm_module_t *make_wasm_module(void) {
  wasm_byte_vec_t binary;
  binary_of(small_wat, &binary);
  wasm_module_t *module = wasm_module_new(wstore(), &binary);
  wasm_byte_vec_delete(&binary);
  return module;
}
static wasm_instance_t *make_wasm_instance(void) {
  wasm_module_t *module = make_wasm_module();
  wasm_extern_vec_t imports = WASM_EMPTY_VEC;
  wasm_instance_t *instance = wasm_instance_new(wstore(), module, &imports, NULL);
  wasm_module_delete(module);
  return instance;
}
static wasm_trap_t *make_wasm_trap(void) {
  wasm_message_t message;
  wasm_name_new_from_string_nt(&message, "boom");
  wasm_trap_t *trap = wasm_trap_new(wstore(), &message);
  wasm_byte_vec_delete(&message);
  return trap;
}
static wasm_foreign_t *make_wasm_foreign(void) { return wasm_foreign_new(wstore()); }
static wasm_extern_t *make_wasm_extern(void) { return wasm_func_as_extern(make_wasm_func()); }
static wasm_ref_t *make_wasm_ref(void) {
  wasm_func_t *func = make_wasm_func();
  wasm_ref_t *ref = wasm_ref_copy(wasm_func_as_ref(func));
  wasm_func_delete(func);
  return ref;
}

// A frame: the origin of a trap raised by Wasm.
static wasm_trap_t *wasm_raised_trap(void) {
  fixture *f = fx();
  wasmtime_val_t arg = val_i32(3), result;
  wasm_trap_t *trap = NULL;
  wasmtime_func_t table_call = f->call_tab; // entry 3 is null: traps
  wasmtime_error_t *error = wasmtime_func_call(f->ctx, &table_call, &arg, 1, &result, 1, &trap);
  if (error || !trap) {
    FAIL("the fixture call did not trap");
    _exit(3);
  }
  return trap;
}
static wasm_frame_t *make_frame(void) {
  wasm_trap_t *trap = wasm_raised_trap();
  wasm_frame_t *frame = wasm_trap_origin(trap);
  wasm_trap_delete(trap);
  if (!frame) {
    FAIL("no frame");
    _exit(3);
  }
  return frame;
}

static wasm_valtype_t *make_valtype(void) { return wasm_valtype_new(WASM_I32); }
static wasm_functype_t *make_functype(void) { return functype_i_i(); }
static wasm_globaltype_t *make_globaltype(void) { return wasm_globaltype_new(wasm_valtype_new(WASM_I64), WASM_VAR); }
static wasm_tabletype_t *make_tabletype(void) {
  wasm_limits_t limits = {1, 5};
  return wasm_tabletype_new(wasm_valtype_new(WASM_FUNCREF), &limits);
}
static wasm_memorytype_t *make_memorytype(void) {
  wasm_limits_t limits = {1, 5};
  return wasm_memorytype_new(&limits);
}
static wasm_externtype_t *make_externtype(void) { return wasm_functype_as_externtype(make_functype()); }
static wasm_tagtype_t *make_tagtype(void) { return wasm_tagtype_new(wasm_functype_new_1_0(wasm_valtype_new(WASM_I32))); }
static wasm_importtype_t *make_importtype(void) {
  wasm_name_t module, name;
  wasm_name_new_from_string(&module, "m");
  wasm_name_new_from_string(&name, "n");
  return wasm_importtype_new(&module, &name, make_externtype());
}
static wasm_exporttype_t *make_exporttype(void) {
  wasm_name_t name;
  wasm_name_new_from_string(&name, "n");
  return wasm_exporttype_new(&name, make_externtype());
}

// ---------------------------------------------------------------------------------------------
// wasm.h vectors: new_empty, new_uninitialized, new, copy, delete of every vector type.
// ---------------------------------------------------------------------------------------------

#define VEC_CASES(T, ELEM, MAKE, FREE)                                                          \
  NULL_CASE(wasm_##T##_vec_new_empty, "out") {                                                  \
    wasm_##T##_vec_t v;                                                                         \
    POISON(v);                                                                                  \
    wasm_##T##_vec_new_empty(NUL(0, &v));                                                       \
    if (BASELINE) {                                                                             \
      EXPECT(v.size == 0, "not empty");                                                         \
      wasm_##T##_vec_delete(&v);                                                                \
    }                                                                                           \
  }                                                                                             \
  NULL_CASE(wasm_##T##_vec_new_uninitialized, "out") {                                          \
    wasm_##T##_vec_t v;                                                                         \
    POISON(v);                                                                                  \
    wasm_##T##_vec_new_uninitialized(NUL(0, &v), 3);                                            \
    if (BASELINE) {                                                                             \
      EXPECT(v.size == 3 && v.data != NULL, "no room");                                         \
      memset(v.data, 0, 3 * sizeof *v.data);                                                    \
      wasm_##T##_vec_delete(&v);                                                                \
    }                                                                                           \
  }                                                                                             \
  NULL_CASE(wasm_##T##_vec_new, "out,data") {                                                   \
    ELEM elems[2] = {MAKE(), MAKE()};                                                           \
    wasm_##T##_vec_t v;                                                                         \
    POISON(v);                                                                                  \
    wasm_##T##_vec_new(NUL(0, &v), 2, NUL(1, elems));                                           \
    if (BASELINE) EXPECT(v.size == 2, "wrong size");                                            \
    /* NULL data: an empty vector or one of zeroed elements, never a read of NULL. */          \
    if (c->a == 1) note("NULL data of 2 elements gave a vector of size %zu", v.size);           \
    if (c->a != 0) wasm_##T##_vec_delete(&v);                                                   \
    (void)FREE;                                                                                 \
  }                                                                                             \
  NULL_CASE(wasm_##T##_vec_copy, "out,source") {                                                \
    ELEM elems[2] = {MAKE(), MAKE()};                                                           \
    wasm_##T##_vec_t source, v;                                                                 \
    wasm_##T##_vec_new(&source, 2, elems);                                                      \
    POISON(v);                                                                                  \
    wasm_##T##_vec_copy(NUL(0, &v), NUL(1, &source));                                           \
    if (BASELINE) EXPECT(v.size == 2, "wrong size");                                            \
    EXPECT_EMPTY_UNLESS_BASELINE(v, "wasm_" #T "_vec_copy");                                    \
    if (c->a != 0) wasm_##T##_vec_delete(&v);                                                   \
    wasm_##T##_vec_delete(&source);                                                             \
  }                                                                                             \
  NULL_CASE(wasm_##T##_vec_delete, "vec") {                                                     \
    wasm_##T##_vec_t v;                                                                         \
    ELEM elems[1] = {MAKE()};                                                                   \
    wasm_##T##_vec_new(&v, 1, elems);                                                           \
    wasm_##T##_vec_delete(NUL(0, &v));                                                          \
    if (NULLED) wasm_##T##_vec_delete(&v);                                                      \
  }

static char make_byte(void) { return 'x'; }
static wasm_val_t make_val(void) { return (wasm_val_t){.kind = WASM_I32, .of.i32 = 1}; }

VEC_CASES(byte, char, make_byte, 0)
VEC_CASES(val, wasm_val_t, make_val, 0)
VEC_CASES(valtype, wasm_valtype_t *, make_valtype, wasm_valtype_delete)
VEC_CASES(functype, wasm_functype_t *, make_functype, wasm_functype_delete)
VEC_CASES(globaltype, wasm_globaltype_t *, make_globaltype, wasm_globaltype_delete)
VEC_CASES(tabletype, wasm_tabletype_t *, make_tabletype, wasm_tabletype_delete)
VEC_CASES(memorytype, wasm_memorytype_t *, make_memorytype, wasm_memorytype_delete)
VEC_CASES(tagtype, wasm_tagtype_t *, make_tagtype, wasm_tagtype_delete)
VEC_CASES(externtype, wasm_externtype_t *, make_externtype, wasm_externtype_delete)
VEC_CASES(importtype, wasm_importtype_t *, make_importtype, wasm_importtype_delete)
VEC_CASES(exporttype, wasm_exporttype_t *, make_exporttype, wasm_exporttype_delete)
VEC_CASES(frame, wasm_frame_t *, make_frame, wasm_frame_delete)
VEC_CASES(extern, wasm_extern_t *, make_wasm_extern, wasm_extern_delete)

// A vector whose size claims elements its data pointer does not have (NULL data): copy and delete
// must not read it (detectable: data is NULL).
#define VEC_INCONSISTENT_CASES(T)                                                               \
  static void inconsistent_##T(const mcase *c) {                                                \
    wasm_##T##_vec_t v = {.size = 5, .data = NULL}, copy;                                       \
    POISON(copy);                                                                               \
    if (c->a == 0) {                                                                            \
      wasm_##T##_vec_copy(&copy, &v);                                                           \
      /* Empty, or 5 zeroed elements: anything but a read of NULL. */                          \
      note("copy of {5, NULL}: size %zu", copy.size);                                           \
      wasm_##T##_vec_delete(&copy);                                                             \
    } else {                                                                                    \
      wasm_##T##_vec_delete(&v);                                                                \
    }                                                                                           \
  }                                                                                             \
  REGISTER(register_inconsistent_##T) {                                                         \
    add_case("vector", "wasm_" #T "_vec_copy", "size5_data_NULL", inconsistent_##T, 0, 0, NULL); \
    add_case("vector", "wasm_" #T "_vec_delete", "size5_data_NULL", inconsistent_##T, 1, 0, NULL); \
  }
VEC_INCONSISTENT_CASES(byte)
VEC_INCONSISTENT_CASES(val)
VEC_INCONSISTENT_CASES(valtype)
VEC_INCONSISTENT_CASES(functype)
VEC_INCONSISTENT_CASES(externtype)
VEC_INCONSISTENT_CASES(importtype)
VEC_INCONSISTENT_CASES(frame)
VEC_INCONSISTENT_CASES(extern)

// Pointer vectors holding NULL elements (legal in wasmtime: the elements are optional).
#define VEC_NULL_ELEMENT_CASES(T)                                                               \
  static void null_elements_##T(const mcase *c) {                                               \
    (void)c;                                                                                    \
    wasm_##T##_vec_t v, copy;                                                                   \
    wasm_##T##_vec_new_uninitialized(&v, 2);                                                    \
    if (!v.data) skip("no vector");                                                            \
    v.data[0] = NULL;                                                                           \
    v.data[1] = NULL;                                                                           \
    wasm_##T##_vec_copy(&copy, &v);                                                             \
    note("copy of two NULL elements: size %zu", copy.size);                                     \
    wasm_##T##_vec_delete(&copy);                                                               \
    wasm_##T##_vec_delete(&v);                                                                  \
  }                                                                                             \
  REGISTER(register_null_elements_##T) {                                                        \
    add_case("vector", "wasm_" #T "_vec_copy", "NULL_elements", null_elements_##T, 0, 0, NULL);  \
  }
VEC_NULL_ELEMENT_CASES(valtype)
VEC_NULL_ELEMENT_CASES(functype)
VEC_NULL_ELEMENT_CASES(globaltype)
VEC_NULL_ELEMENT_CASES(tabletype)
VEC_NULL_ELEMENT_CASES(memorytype)
VEC_NULL_ELEMENT_CASES(externtype)
VEC_NULL_ELEMENT_CASES(importtype)
VEC_NULL_ELEMENT_CASES(exporttype)
VEC_NULL_ELEMENT_CASES(frame)
VEC_NULL_ELEMENT_CASES(extern)

// ---------------------------------------------------------------------------------------------
// wasm.h types
// ---------------------------------------------------------------------------------------------

#define TYPE_COPY_DELETE_CASES(T, MAKE)                                                         \
  NULL_CASE(wasm_##T##_copy, "type") {                                                          \
    wasm_##T##_t *t = MAKE();                                                                   \
    wasm_##T##_t *copy = wasm_##T##_copy(NUL(0, t));                                            \
    EXPECT_NONNULL_IFF_BASELINE(copy, "wasm_" #T "_copy");                                      \
    wasm_##T##_delete(copy);                                                                    \
    wasm_##T##_delete(t);                                                                       \
  }                                                                                             \
  NULL_CASE(wasm_##T##_delete, "type") {                                                        \
    wasm_##T##_t *t = MAKE();                                                                   \
    wasm_##T##_delete(NUL(0, t));                                                               \
    if (NULLED) wasm_##T##_delete(t);                                                           \
  }
TYPE_COPY_DELETE_CASES(valtype, make_valtype)
TYPE_COPY_DELETE_CASES(functype, make_functype)
TYPE_COPY_DELETE_CASES(globaltype, make_globaltype)
TYPE_COPY_DELETE_CASES(tabletype, make_tabletype)
TYPE_COPY_DELETE_CASES(memorytype, make_memorytype)
TYPE_COPY_DELETE_CASES(tagtype, make_tagtype)
TYPE_COPY_DELETE_CASES(externtype, make_externtype)
TYPE_COPY_DELETE_CASES(importtype, make_importtype)
TYPE_COPY_DELETE_CASES(exporttype, make_exporttype)

NULL_CASE(wasm_valtype_new, "") {
  wasm_valtype_t *t = wasm_valtype_new(WASM_F64);
  EXPECT(t && wasm_valtype_kind(t) == WASM_F64, "no f64 type");
  wasm_valtype_delete(t);
}
NULL_CASE(wasm_valtype_kind, "type") {
  wasm_valtype_t *t = make_valtype();
  note("kind %d", wasm_valtype_kind(NUL(0, t)));
  wasm_valtype_delete(t);
}
NULL_CASE(wasm_functype_new, "params,results") {
  wasm_valtype_vec_t params, results;
  wasm_valtype_vec_new_empty(&params);
  wasm_valtype_vec_new_empty(&results);
  wasm_functype_t *t = wasm_functype_new(NUL(0, &params), NUL(1, &results));
  // A NULL vector may be taken as empty; either way no crash.
  note("wasm_functype_new: %s", t ? "non-NULL" : "NULL");
  if (BASELINE) EXPECT(t != NULL, "no type");
  wasm_functype_delete(t);
}
NULL_CASE(wasm_functype_params, "type") {
  wasm_functype_t *t = make_functype();
  EXPECT_NONNULL_IFF_BASELINE(wasm_functype_params(NUL(0, t)), "wasm_functype_params");
  wasm_functype_delete(t);
}
NULL_CASE(wasm_functype_results, "type") {
  wasm_functype_t *t = make_functype();
  EXPECT_NONNULL_IFF_BASELINE(wasm_functype_results(NUL(0, t)), "wasm_functype_results");
  wasm_functype_delete(t);
}
NULL_CASE(wasm_globaltype_new, "content") {
  wasm_valtype_t *content = make_valtype();
  wasm_globaltype_t *t = wasm_globaltype_new(NUL(0, content), WASM_CONST);
  EXPECT_NONNULL_IFF_BASELINE(t, "wasm_globaltype_new");
  wasm_globaltype_delete(t);
}
NULL_CASE(wasm_globaltype_content, "type") {
  wasm_globaltype_t *t = make_globaltype();
  EXPECT_NONNULL_IFF_BASELINE(wasm_globaltype_content(NUL(0, t)), "wasm_globaltype_content");
  wasm_globaltype_delete(t);
}
NULL_CASE(wasm_globaltype_mutability, "type") {
  wasm_globaltype_t *t = make_globaltype();
  note("mutability %d", wasm_globaltype_mutability(NUL(0, t)));
  wasm_globaltype_delete(t);
}
NULL_CASE(wasm_tabletype_new, "element,limits") {
  wasm_valtype_t *element = wasm_valtype_new(WASM_FUNCREF);
  wasm_limits_t limits = {1, 2};
  wasm_tabletype_t *t = wasm_tabletype_new(NUL(0, element), NUL(1, &limits));
  EXPECT_NONNULL_IFF_BASELINE(t, "wasm_tabletype_new");
  wasm_tabletype_delete(t);
}
NULL_CASE(wasm_tabletype_element, "type") {
  wasm_tabletype_t *t = make_tabletype();
  EXPECT_NONNULL_IFF_BASELINE(wasm_tabletype_element(NUL(0, t)), "wasm_tabletype_element");
  wasm_tabletype_delete(t);
}
NULL_CASE(wasm_tabletype_limits, "type") {
  wasm_tabletype_t *t = make_tabletype();
  EXPECT_NONNULL_IFF_BASELINE(wasm_tabletype_limits(NUL(0, t)), "wasm_tabletype_limits");
  wasm_tabletype_delete(t);
}
NULL_CASE(wasm_memorytype_new, "limits") {
  wasm_limits_t limits = {1, 2};
  wasm_memorytype_t *t = wasm_memorytype_new(NUL(0, &limits));
  EXPECT_NONNULL_IFF_BASELINE(t, "wasm_memorytype_new");
  wasm_memorytype_delete(t);
}
NULL_CASE(wasm_memorytype_limits, "type") {
  wasm_memorytype_t *t = make_memorytype();
  EXPECT_NONNULL_IFF_BASELINE(wasm_memorytype_limits(NUL(0, t)), "wasm_memorytype_limits");
  wasm_memorytype_delete(t);
}
NULL_CASE(wasm_externtype_kind, "type") {
  wasm_externtype_t *t = make_externtype();
  note("kind %d", wasm_externtype_kind(NUL(0, t)));
  wasm_externtype_delete(t);
}

// as_externtype / externtype_as_* (and their _const forms).
#define AS_EXTERNTYPE_CASES(T, MAKE)                                                            \
  NULL_CASE(wasm_##T##_as_externtype, "type") {                                                 \
    wasm_##T##_t *t = MAKE();                                                                   \
    EXPECT_NONNULL_IFF_BASELINE(wasm_##T##_as_externtype(NUL(0, t)), "as_externtype");          \
    wasm_##T##_delete(t);                                                                       \
  }                                                                                             \
  NULL_CASE(wasm_##T##_as_externtype_const, "type") {                                           \
    wasm_##T##_t *t = MAKE();                                                                   \
    EXPECT_NONNULL_IFF_BASELINE(wasm_##T##_as_externtype_const(NUL(0, t)), "as_externtype");    \
    wasm_##T##_delete(t);                                                                       \
  }                                                                                             \
  NULL_CASE(wasm_externtype_as_##T, "type") {                                                   \
    wasm_externtype_t *t = wasm_##T##_as_externtype(MAKE());                                    \
    EXPECT_NONNULL_IFF_BASELINE(wasm_externtype_as_##T(NUL(0, t)), "externtype_as");            \
    wasm_externtype_delete(t);                                                                  \
  }                                                                                             \
  NULL_CASE(wasm_externtype_as_##T##_const, "type") {                                           \
    wasm_externtype_t *t = wasm_##T##_as_externtype(MAKE());                                    \
    EXPECT_NONNULL_IFF_BASELINE(wasm_externtype_as_##T##_const(NUL(0, t)), "externtype_as");    \
    wasm_externtype_delete(t);                                                                  \
  }
AS_EXTERNTYPE_CASES(functype, make_functype)
AS_EXTERNTYPE_CASES(globaltype, make_globaltype)
AS_EXTERNTYPE_CASES(tabletype, make_tabletype)
AS_EXTERNTYPE_CASES(memorytype, make_memorytype)
NULL_CASE(wasm_tagtype_as_externtype, "type") {
  wasm_tagtype_t *t = make_tagtype();
  EXPECT_NONNULL_IFF_BASELINE(wasm_tagtype_as_externtype(NUL(0, t)), "as_externtype");
  wasm_tagtype_delete(t);
}
NULL_CASE(wasm_tagtype_as_externtype_const, "type") {
  wasm_tagtype_t *t = make_tagtype();
  EXPECT_NONNULL_IFF_BASELINE(wasm_tagtype_as_externtype_const(NUL(0, t)), "as_externtype");
  wasm_tagtype_delete(t);
}
NULL_CASE(wasm_externtype_as_tagtype, "type") {
  wasm_externtype_t *t = wasm_tagtype_as_externtype(make_tagtype());
  EXPECT_NONNULL_IFF_BASELINE(wasm_externtype_as_tagtype(NUL(0, t)), "externtype_as");
  wasm_externtype_delete(t);
}
NULL_CASE(wasm_tagtype_new, "functype") {
  wasm_tagtype_t *t = wasm_tagtype_new(NUL(0, wasm_functype_new_1_0(wasm_valtype_new(WASM_I64))));
  EXPECT_NONNULL_IFF_BASELINE(t, "wasm_tagtype_new");
  wasm_tagtype_delete(t);
}
NULL_CASE(wasm_tagtype_functype, "type") {
  wasm_tagtype_t *t = make_tagtype();
  const wasm_functype_t *f = wasm_tagtype_functype(NUL(0, t));
  EXPECT_NONNULL_IFF_BASELINE(f, "wasm_tagtype_functype");
  if (BASELINE && f) EXPECT(wasm_functype_params(f)->size == 1, "the tag's parameters");
  wasm_tagtype_delete(t);
}

// wasm_externtype_as_tagtype(_const): declared; C++ programs need the const one (issue 11).
NULL_CASE(wasm_externtype_as_tagtype_const, "type") {
  if (!HAVE(wasm_externtype_as_tagtype_const)) skip("wasm_externtype_as_tagtype_const is not exported");
  wasm_externtype_t *t = make_externtype();
  const wasm_tagtype_t *tag = wasm_externtype_as_tagtype_const(NUL(0, t));
  note("as_tagtype of a function type: %s", tag ? "non-NULL" : "NULL");
  EXPECT(tag == NULL, "a function type viewed as a tag type");
  wasm_externtype_delete(t);
}

NULL_CASE(wasm_importtype_new, "module,name,type") {
  wasm_name_t module, name;
  wasm_name_new_from_string(&module, "m");
  wasm_name_new_from_string(&name, "n");
  wasm_externtype_t *type = make_externtype();
  wasm_importtype_t *t = wasm_importtype_new(NUL(0, &module), NUL(1, &name), NUL(2, type));
  EXPECT_NONNULL_IFF_BASELINE(t, "wasm_importtype_new");
  wasm_importtype_delete(t);
}
NULL_CASE(wasm_importtype_module, "type") {
  wasm_importtype_t *t = make_importtype();
  EXPECT_NONNULL_IFF_BASELINE(wasm_importtype_module(NUL(0, t)), "wasm_importtype_module");
  wasm_importtype_delete(t);
}
NULL_CASE(wasm_importtype_name, "type") {
  wasm_importtype_t *t = make_importtype();
  EXPECT_NONNULL_IFF_BASELINE(wasm_importtype_name(NUL(0, t)), "wasm_importtype_name");
  wasm_importtype_delete(t);
}
NULL_CASE(wasm_importtype_type, "type") {
  wasm_importtype_t *t = make_importtype();
  EXPECT_NONNULL_IFF_BASELINE(wasm_importtype_type(NUL(0, t)), "wasm_importtype_type");
  wasm_importtype_delete(t);
}
NULL_CASE(wasm_exporttype_new, "name,type") {
  wasm_name_t name;
  wasm_name_new_from_string(&name, "n");
  wasm_externtype_t *type = make_externtype();
  wasm_exporttype_t *t = wasm_exporttype_new(NUL(0, &name), NUL(1, type));
  EXPECT_NONNULL_IFF_BASELINE(t, "wasm_exporttype_new");
  wasm_exporttype_delete(t);
}
NULL_CASE(wasm_exporttype_name, "type") {
  wasm_exporttype_t *t = make_exporttype();
  EXPECT_NONNULL_IFF_BASELINE(wasm_exporttype_name(NUL(0, t)), "wasm_exporttype_name");
  wasm_exporttype_delete(t);
}
NULL_CASE(wasm_exporttype_type, "type") {
  wasm_exporttype_t *t = make_exporttype();
  EXPECT_NONNULL_IFF_BASELINE(wasm_exporttype_type(NUL(0, t)), "wasm_exporttype_type");
  wasm_exporttype_delete(t);
}

// ---------------------------------------------------------------------------------------------
// wasm.h references: copy, same, host info, delete, as_ref and back, of every reference type.
// ---------------------------------------------------------------------------------------------

#define REF_BASE_CASES(T, MAKE)                                                                 \
  NULL_CASE(wasm_##T##_copy, "object") {                                                        \
    wasm_##T##_t *x = MAKE();                                                                   \
    wasm_##T##_t *copy = wasm_##T##_copy(NUL(0, x));                                            \
    EXPECT_NONNULL_IFF_BASELINE(copy, "wasm_" #T "_copy");                                      \
    wasm_##T##_delete(copy);                                                                    \
    wasm_##T##_delete(x);                                                                       \
  }                                                                                             \
  NULL_CASE(wasm_##T##_same, "first,second") {                                                  \
    wasm_##T##_t *x = MAKE();                                                                   \
    EXPECT_TRUE_IFF_BASELINE(wasm_##T##_same(NUL(0, x), NUL(1, x)), "wasm_" #T "_same");        \
    wasm_##T##_delete(x);                                                                       \
  }                                                                                             \
  NULL_CASE(wasm_##T##_get_host_info, "object") {                                               \
    wasm_##T##_t *x = MAKE();                                                                   \
    wasm_##T##_set_host_info(x, &finalized);                                                    \
    void *info = wasm_##T##_get_host_info(NUL(0, x));                                           \
    EXPECT_NONNULL_IFF_BASELINE(info, "wasm_" #T "_get_host_info");                             \
    wasm_##T##_delete(x);                                                                       \
  }                                                                                             \
  NULL_CASE(wasm_##T##_set_host_info, "object") {                                               \
    wasm_##T##_t *x = MAKE();                                                                   \
    wasm_##T##_set_host_info(NUL(0, x), &finalized);                                            \
    if (BASELINE) EXPECT(wasm_##T##_get_host_info(x) == &finalized, "host info lost");          \
    wasm_##T##_delete(x);                                                                       \
  }                                                                                             \
  NULL_CASE(wasm_##T##_set_host_info_with_finalizer, "object") {                                \
    wasm_##T##_t *x = MAKE();                                                                   \
    wasm_##T##_set_host_info_with_finalizer(NUL(0, x), &finalized, finalizer);                  \
    wasm_##T##_delete(x);                                                                       \
    note("finalizer ran %d time(s)", finalized);                                                \
  }                                                                                             \
  NULL_CASE(wasm_##T##_delete, "object") {                                                      \
    wasm_##T##_t *x = MAKE();                                                                   \
    wasm_##T##_delete(NUL(0, x));                                                               \
    if (NULLED) wasm_##T##_delete(x);                                                           \
  }

#define REF_CONVERSION_CASES(T, MAKE)                                                           \
  NULL_CASE(wasm_##T##_as_ref, "object") {                                                      \
    wasm_##T##_t *x = MAKE();                                                                   \
    EXPECT_NONNULL_IFF_BASELINE(wasm_##T##_as_ref(NUL(0, x)), "as_ref");                        \
    wasm_##T##_delete(x);                                                                       \
  }                                                                                             \
  NULL_CASE(wasm_##T##_as_ref_const, "object") {                                                \
    wasm_##T##_t *x = MAKE();                                                                   \
    EXPECT_NONNULL_IFF_BASELINE(wasm_##T##_as_ref_const(NUL(0, x)), "as_ref_const");            \
    wasm_##T##_delete(x);                                                                       \
  }                                                                                             \
  NULL_CASE(wasm_ref_as_##T, "ref") {                                                           \
    wasm_##T##_t *x = MAKE();                                                                   \
    EXPECT_NONNULL_IFF_BASELINE(wasm_ref_as_##T(NUL(0, wasm_##T##_as_ref(x))), "ref_as");       \
    wasm_##T##_delete(x);                                                                       \
  }                                                                                             \
  NULL_CASE(wasm_ref_as_##T##_const, "ref") {                                                   \
    wasm_##T##_t *x = MAKE();                                                                   \
    EXPECT_NONNULL_IFF_BASELINE(wasm_ref_as_##T##_const(NUL(0, wasm_##T##_as_ref_const(x))), "ref_as"); \
    wasm_##T##_delete(x);                                                                       \
  }

REF_BASE_CASES(ref, make_wasm_ref)
REF_BASE_CASES(trap, make_wasm_trap)
REF_CONVERSION_CASES(trap, make_wasm_trap)
REF_BASE_CASES(foreign, make_wasm_foreign)
REF_CONVERSION_CASES(foreign, make_wasm_foreign)
REF_BASE_CASES(module, make_wasm_module)
REF_CONVERSION_CASES(module, make_wasm_module)
REF_BASE_CASES(func, make_wasm_func)
REF_CONVERSION_CASES(func, make_wasm_func)
REF_BASE_CASES(global, make_wasm_global)
REF_CONVERSION_CASES(global, make_wasm_global)
REF_BASE_CASES(table, make_wasm_table)
REF_CONVERSION_CASES(table, make_wasm_table)
REF_BASE_CASES(memory, make_wasm_memory)
REF_CONVERSION_CASES(memory, make_wasm_memory)
REF_BASE_CASES(extern, make_wasm_extern)
REF_CONVERSION_CASES(extern, make_wasm_extern)
REF_BASE_CASES(instance, make_wasm_instance)
REF_CONVERSION_CASES(instance, make_wasm_instance)

// Extern views: X_as_extern(_const) and extern_as_X(_const).
#define EXTERN_VIEW_CASES(T, MAKE)                                                              \
  NULL_CASE(wasm_##T##_as_extern, "object") {                                                   \
    wasm_##T##_t *x = MAKE();                                                                   \
    EXPECT_NONNULL_IFF_BASELINE(wasm_##T##_as_extern(NUL(0, x)), "as_extern");                  \
    wasm_##T##_delete(x);                                                                       \
  }                                                                                             \
  NULL_CASE(wasm_##T##_as_extern_const, "object") {                                             \
    wasm_##T##_t *x = MAKE();                                                                   \
    EXPECT_NONNULL_IFF_BASELINE(wasm_##T##_as_extern_const(NUL(0, x)), "as_extern_const");      \
    wasm_##T##_delete(x);                                                                       \
  }                                                                                             \
  NULL_CASE(wasm_extern_as_##T, "extern") {                                                     \
    wasm_##T##_t *x = MAKE();                                                                   \
    EXPECT_NONNULL_IFF_BASELINE(wasm_extern_as_##T(NUL(0, wasm_##T##_as_extern(x))), "extern_as"); \
    wasm_##T##_delete(x);                                                                       \
  }                                                                                             \
  NULL_CASE(wasm_extern_as_##T##_const, "extern") {                                             \
    wasm_##T##_t *x = MAKE();                                                                   \
    EXPECT_NONNULL_IFF_BASELINE(wasm_extern_as_##T##_const(NUL(0, wasm_##T##_as_extern_const(x))), "extern_as"); \
    wasm_##T##_delete(x);                                                                       \
  }
EXTERN_VIEW_CASES(func, make_wasm_func)
EXTERN_VIEW_CASES(global, make_wasm_global)
EXTERN_VIEW_CASES(table, make_wasm_table)
EXTERN_VIEW_CASES(memory, make_wasm_memory)

// ---------------------------------------------------------------------------------------------
// wasm.h runtime
// ---------------------------------------------------------------------------------------------

NULL_CASE(wasm_config_new, "") {
  wasm_config_t *config = wasm_config_new();
  EXPECT(config != NULL, "no config");
  wasm_config_delete(config);
}
NULL_CASE(wasm_config_delete, "config") {
  wasm_config_t *config = wasm_config_new();
  wasm_config_delete(NUL(0, config));
  if (NULLED) wasm_config_delete(config);
}
NULL_CASE(wasm_engine_new, "") {
  wasm_engine_t *engine = wasm_engine_new();
  EXPECT(engine != NULL, "no engine");
  wasm_engine_delete(engine);
}
NULL_CASE(wasm_engine_new_with_config, "config") {
  wasm_engine_t *engine = wasm_engine_new_with_config(NUL(0, wasm_config_new()));
  note("engine: %s", engine ? "non-NULL" : "NULL");
  if (BASELINE) EXPECT(engine != NULL, "no engine");
  wasm_engine_delete(engine);
}
NULL_CASE(wasm_engine_delete, "engine") {
  wasm_engine_t *engine = wasm_engine_new();
  wasm_engine_delete(NUL(0, engine));
  if (NULLED) wasm_engine_delete(engine);
}
NULL_CASE(wasm_store_new, "engine") {
  wasm_store_t *store = wasm_store_new(NUL(0, fx()->engine));
  EXPECT_NONNULL_IFF_BASELINE(store, "wasm_store_new");
  wasm_store_delete(store);
}
NULL_CASE(wasm_store_delete, "store") {
  wasm_store_t *store = wasm_store_new(fx()->engine);
  wasm_store_delete(NUL(0, store));
  if (NULLED) wasm_store_delete(store);
}
NULL_CASE(wasm_module_new, "store,binary") {
  wasm_byte_vec_t binary;
  binary_of(small_wat, &binary);
  wasm_module_t *module = wasm_module_new(NUL(0, wstore()), NUL(1, &binary));
  EXPECT_NONNULL_IFF_BASELINE(module, "wasm_module_new");
  wasm_module_delete(module);
  wasm_byte_vec_delete(&binary);
}
NULL_CASE(wasm_module_validate, "store,binary") {
  wasm_byte_vec_t binary;
  binary_of(small_wat, &binary);
  EXPECT_TRUE_IFF_BASELINE(wasm_module_validate(NUL(0, wstore()), NUL(1, &binary)), "wasm_module_validate");
  wasm_byte_vec_delete(&binary);
}
NULL_CASE(wasm_module_imports, "module,out") {
  wasm_module_t *module = make_wasm_module();
  wasm_importtype_vec_t out;
  POISON(out);
  wasm_module_imports(NUL(0, module), NUL(1, &out));
  if (c->a == 0) EXPECT(out.size == 0 && out.data == NULL, "output not emptied");
  if (c->a != 1) wasm_importtype_vec_delete(&out);
  wasm_module_delete(module);
}
NULL_CASE(wasm_module_exports, "module,out") {
  wasm_module_t *module = make_wasm_module();
  wasm_exporttype_vec_t out;
  POISON(out);
  wasm_module_exports(NUL(0, module), NUL(1, &out));
  if (BASELINE) EXPECT(out.size == 2, "exports");
  if (c->a == 0) EXPECT(out.size == 0 && out.data == NULL, "output not emptied");
  if (c->a != 1) wasm_exporttype_vec_delete(&out);
  wasm_module_delete(module);
}
NULL_CASE(wasm_module_serialize, "module,out") {
  wasm_module_t *module = make_wasm_module();
  wasm_byte_vec_t out;
  POISON(out);
  wasm_module_serialize(NUL(0, module), NUL(1, &out));
  if (BASELINE) EXPECT(out.size > 0, "no bytes");
  if (c->a == 0) EXPECT(out.size == 0 && out.data == NULL, "output not emptied");
  if (c->a != 1) wasm_byte_vec_delete(&out);
  wasm_module_delete(module);
}
NULL_CASE(wasm_module_deserialize, "store,bytes") {
  wasm_module_t *module = make_wasm_module();
  wasm_byte_vec_t bytes;
  wasm_module_serialize(module, &bytes);
  wasm_module_t *copy = wasm_module_deserialize(NUL(0, wstore()), NUL(1, &bytes));
  EXPECT_NONNULL_IFF_BASELINE(copy, "wasm_module_deserialize");
  wasm_module_delete(copy);
  wasm_byte_vec_delete(&bytes);
  wasm_module_delete(module);
}
NULL_CASE(wasm_module_share, "module") {
  wasm_module_t *module = make_wasm_module();
  wasm_shared_module_t *shared = wasm_module_share(NUL(0, module));
  EXPECT_NONNULL_IFF_BASELINE(shared, "wasm_module_share");
  wasm_shared_module_delete(shared);
  wasm_module_delete(module);
}
NULL_CASE(wasm_module_obtain, "store,shared") {
  wasm_module_t *module = make_wasm_module();
  wasm_shared_module_t *shared = wasm_module_share(module);
  wasm_module_t *obtained = wasm_module_obtain(NUL(0, wstore()), NUL(1, shared));
  EXPECT_NONNULL_IFF_BASELINE(obtained, "wasm_module_obtain");
  wasm_module_delete(obtained);
  wasm_shared_module_delete(shared);
  wasm_module_delete(module);
}
NULL_CASE(wasm_shared_module_delete, "shared") {
  wasm_module_t *module = make_wasm_module();
  wasm_shared_module_t *shared = wasm_module_share(module);
  wasm_shared_module_delete(NUL(0, shared));
  if (NULLED) wasm_shared_module_delete(shared);
  wasm_module_delete(module);
}
NULL_CASE(wasm_func_new, "store,type,callback") {
  wasm_functype_t *type = functype_1(WASM_I32, 0, WASM_I32, 1);
  wasm_func_t *func = wasm_func_new(NUL(0, wstore()), NUL(1, type), NUL(2, wasm_callback));
  EXPECT_NONNULL_IFF_BASELINE(func, "wasm_func_new");
  wasm_func_delete(func);
  wasm_functype_delete(type);
}
NULL_CASE(wasm_func_new_with_env, "store,type,callback") {
  wasm_functype_t *type = functype_1(WASM_I32, 0, WASM_I32, 1);
  wasm_func_t *func =
      wasm_func_new_with_env(NUL(0, wstore()), NUL(1, type), NUL(2, wasm_callback_env), &finalized, finalizer);
  EXPECT_NONNULL_IFF_BASELINE(func, "wasm_func_new_with_env");
  wasm_func_delete(func);
  wasm_functype_delete(type);
  note("finalizer ran %d time(s)", finalized);
}
NULL_CASE(wasm_func_type, "func") {
  wasm_func_t *func = make_wasm_func();
  wasm_functype_t *type = wasm_func_type(NUL(0, func));
  EXPECT_NONNULL_IFF_BASELINE(type, "wasm_func_type");
  wasm_functype_delete(type);
  wasm_func_delete(func);
}
NULL_CASE(wasm_func_param_arity, "func") {
  wasm_func_t *func = make_wasm_func();
  note("param arity %zu", wasm_func_param_arity(NUL(0, func)));
  wasm_func_delete(func);
}
NULL_CASE(wasm_func_result_arity, "func") {
  wasm_func_t *func = make_wasm_func();
  size_t arity = wasm_func_result_arity(NUL(0, func));
  note("result arity %zu", arity);
  EXPECT(arity == (BASELINE ? 1u : 0u), "arity");
  wasm_func_delete(func);
}
NULL_CASE(wasm_func_call, "func,args,results") {
  // A Wasm function of two parameters, so that NULL arguments matter.
  wasm_instance_t *instance = NULL;
  wasm_module_t *module;
  wasm_byte_vec_t binary;
  binary_of("(module (func (export \"add\") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1))))",
            &binary);
  module = wasm_module_new(wstore(), &binary);
  wasm_byte_vec_delete(&binary);
  wasm_extern_vec_t imports = WASM_EMPTY_VEC, exports;
  instance = wasm_instance_new(wstore(), module, &imports, NULL);
  wasm_instance_exports(instance, &exports);
  wasm_func_t *func = wasm_extern_as_func(exports.data[0]);
  wasm_val_t args_data[2] = {{.kind = WASM_I32, .of.i32 = 2}, {.kind = WASM_I32, .of.i32 = 3}};
  wasm_val_t results_data[1] = {{.kind = WASM_I32, .of.i32 = 0}};
  wasm_val_vec_t args = WASM_ARRAY_VEC(args_data), results = WASM_ARRAY_VEC(results_data);
  wasm_trap_t *trap = wasm_func_call(NUL(0, func), NUL(1, &args), NUL(2, &results));
  if (BASELINE) EXPECT(!trap && results_data[0].of.i32 == 5, "call");
  else EXPECT(trap != NULL, "a call with a NULL argument did not trap");
  show_trap("wasm_func_call", trap);
  wasm_extern_vec_delete(&exports);
  wasm_instance_delete(instance);
  wasm_module_delete(module);
}
NULL_CASE(wasm_global_new, "store,type,value") {
  wasm_globaltype_t *type = wasm_globaltype_new(wasm_valtype_new(WASM_I32), WASM_VAR);
  wasm_val_t v = {.kind = WASM_I32, .of.i32 = 4};
  wasm_global_t *global = wasm_global_new(NUL(0, wstore()), NUL(1, type), NUL(2, &v));
  EXPECT_NONNULL_IFF_BASELINE(global, "wasm_global_new");
  wasm_global_delete(global);
  wasm_globaltype_delete(type);
}
NULL_CASE(wasm_global_type, "global") {
  wasm_global_t *global = make_wasm_global();
  wasm_globaltype_t *type = wasm_global_type(NUL(0, global));
  EXPECT_NONNULL_IFF_BASELINE(type, "wasm_global_type");
  wasm_globaltype_delete(type);
  wasm_global_delete(global);
}
NULL_CASE(wasm_global_get, "global,out") {
  wasm_global_t *global = make_wasm_global();
  wasm_val_t out;
  memset(&out, 0, sizeof out);
  wasm_global_get(NUL(0, global), NUL(1, &out));
  note("kind %d value %d", out.kind, out.of.i32);
  if (BASELINE) EXPECT(out.of.i32 == 4, "value");
  wasm_global_delete(global);
}
NULL_CASE(wasm_global_set, "global,value") {
  wasm_global_t *global = make_wasm_global();
  wasm_val_t v = {.kind = WASM_I32, .of.i32 = 9}, out;
  wasm_global_set(NUL(0, global), NUL(1, &v));
  wasm_global_get(global, &out);
  EXPECT(out.of.i32 == (BASELINE ? 9 : 4), "value %d", out.of.i32);
  wasm_global_delete(global);
}
NULL_CASE(wasm_table_new, "store,type") {
  wasm_limits_t limits = {2, 10};
  wasm_tabletype_t *type = wasm_tabletype_new(wasm_valtype_new(WASM_FUNCREF), &limits);
  wasm_table_t *table = wasm_table_new(NUL(0, wstore()), NUL(1, type), NULL); // init NULL: null refs
  EXPECT_NONNULL_IFF_BASELINE(table, "wasm_table_new");
  wasm_table_delete(table);
  wasm_tabletype_delete(type);
}
NULL_CASE(wasm_table_type, "table") {
  wasm_table_t *table = make_wasm_table();
  wasm_tabletype_t *type = wasm_table_type(NUL(0, table));
  EXPECT_NONNULL_IFF_BASELINE(type, "wasm_table_type");
  wasm_tabletype_delete(type);
  wasm_table_delete(table);
}
NULL_CASE(wasm_table_get, "table") {
  wasm_table_t *table = make_wasm_table();
  wasm_ref_t *ref = wasm_table_get(NUL(0, table), 0);
  note("ref: %s", ref ? "non-NULL" : "NULL");
  EXPECT(ref == NULL, "a null element read as non-null");
  wasm_table_delete(table);
}
NULL_CASE(wasm_table_set, "table") {
  wasm_table_t *table = make_wasm_table();
  wasm_func_t *func = make_wasm_func();
  EXPECT_TRUE_IFF_BASELINE(wasm_table_set(NUL(0, table), 0, wasm_func_as_ref(func)), "wasm_table_set");
  // A NULL reference is the null reference: legal.
  EXPECT(wasm_table_set(table, 1, NULL), "setting the null reference failed");
  wasm_func_delete(func);
  wasm_table_delete(table);
}
NULL_CASE(wasm_table_size, "table") {
  wasm_table_t *table = make_wasm_table();
  wasm_table_size_t size = wasm_table_size(NUL(0, table));
  note("size %u", size);
  EXPECT(size == (BASELINE ? 2u : 0u), "size");
  wasm_table_delete(table);
}
NULL_CASE(wasm_table_grow, "table") {
  wasm_table_t *table = make_wasm_table();
  EXPECT_TRUE_IFF_BASELINE(wasm_table_grow(NUL(0, table), 1, NULL), "wasm_table_grow");
  wasm_table_delete(table);
}
NULL_CASE(wasm_memory_new, "store,type") {
  wasm_limits_t limits = {1, 2};
  wasm_memorytype_t *type = wasm_memorytype_new(&limits);
  wasm_memory_t *memory = wasm_memory_new(NUL(0, wstore()), NUL(1, type));
  EXPECT_NONNULL_IFF_BASELINE(memory, "wasm_memory_new");
  wasm_memory_delete(memory);
  wasm_memorytype_delete(type);
}
NULL_CASE(wasm_memory_type, "memory") {
  wasm_memory_t *memory = make_wasm_memory();
  wasm_memorytype_t *type = wasm_memory_type(NUL(0, memory));
  EXPECT_NONNULL_IFF_BASELINE(type, "wasm_memory_type");
  wasm_memorytype_delete(type);
  wasm_memory_delete(memory);
}
NULL_CASE(wasm_memory_data, "memory") {
  wasm_memory_t *memory = make_wasm_memory();
  EXPECT_NONNULL_IFF_BASELINE(wasm_memory_data(NUL(0, memory)), "wasm_memory_data");
  wasm_memory_delete(memory);
}
NULL_CASE(wasm_memory_data_size, "memory") {
  wasm_memory_t *memory = make_wasm_memory();
  size_t size = wasm_memory_data_size(NUL(0, memory));
  EXPECT(size == (BASELINE ? 65536u : 0u), "size %zu", size);
  wasm_memory_delete(memory);
}
NULL_CASE(wasm_memory_size, "memory") {
  wasm_memory_t *memory = make_wasm_memory();
  wasm_memory_pages_t size = wasm_memory_size(NUL(0, memory));
  EXPECT(size == (BASELINE ? 1u : 0u), "size %u", size);
  wasm_memory_delete(memory);
}
NULL_CASE(wasm_memory_grow, "memory") {
  wasm_memory_t *memory = make_wasm_memory();
  EXPECT_TRUE_IFF_BASELINE(wasm_memory_grow(NUL(0, memory), 1), "wasm_memory_grow");
  wasm_memory_delete(memory);
}
NULL_CASE(wasm_extern_kind, "extern") {
  wasm_extern_t *item = make_wasm_extern();
  note("kind %d", wasm_extern_kind(NUL(0, item)));
  wasm_extern_delete(item);
}
NULL_CASE(wasm_extern_type, "extern") {
  wasm_extern_t *item = make_wasm_extern();
  wasm_externtype_t *type = wasm_extern_type(NUL(0, item));
  EXPECT_NONNULL_IFF_BASELINE(type, "wasm_extern_type");
  wasm_externtype_delete(type);
  wasm_extern_delete(item);
}
NULL_CASE(wasm_instance_new, "store,module,imports") {
  wasm_module_t *module = make_wasm_module();
  wasm_extern_vec_t imports = WASM_EMPTY_VEC;
  wasm_trap_t *trap = NULL;
  wasm_instance_t *instance = wasm_instance_new(NUL(0, wstore()), NUL(1, module), NUL(2, &imports), &trap);
  note("instance: %s", instance ? "non-NULL" : "NULL");
  show_trap("wasm_instance_new", trap);
  // A module without imports: NULL imports is tolerable (nothing to read), NULL store or module not.
  if (BASELINE || c->a == 2) EXPECT(instance != NULL || c->a == 2, "no instance");
  else EXPECT(instance == NULL, "an instance with a NULL argument");
  wasm_instance_delete(instance);
  wasm_module_delete(module);
}
NULL_CASE(wasm_instance_exports, "instance,out") {
  wasm_instance_t *instance = make_wasm_instance();
  wasm_extern_vec_t out;
  POISON(out);
  wasm_instance_exports(NUL(0, instance), NUL(1, &out));
  if (c->a == 0) EXPECT(out.size == 0 && out.data == NULL, "output not emptied");
  if (c->a != 1) wasm_extern_vec_delete(&out);
  wasm_instance_delete(instance);
}
NULL_CASE(wasm_trap_new, "store,message") {
  wasm_message_t message;
  wasm_name_new_from_string_nt(&message, "boom");
  wasm_trap_t *trap = wasm_trap_new(NUL(0, wstore()), NUL(1, &message));
  note("trap: %s", trap ? "non-NULL" : "NULL");
  if (BASELINE) EXPECT(trap != NULL, "no trap");
  wasm_trap_delete(trap);
  wasm_byte_vec_delete(&message);
}
NULL_CASE(wasm_trap_message, "trap,out") {
  wasm_trap_t *trap = make_wasm_trap();
  wasm_message_t out;
  POISON(out);
  wasm_trap_message(NUL(0, trap), NUL(1, &out));
  if (c->a == 0) EXPECT(out.size == 0 && out.data == NULL, "output not emptied");
  if (c->a != 1) wasm_byte_vec_delete(&out);
  wasm_trap_delete(trap);
}
NULL_CASE(wasm_trap_origin, "trap") {
  wasm_trap_t *trap = wasm_raised_trap();
  wasm_frame_t *frame = wasm_trap_origin(NUL(0, trap));
  EXPECT_NONNULL_IFF_BASELINE(frame, "wasm_trap_origin");
  wasm_frame_delete(frame);
  wasm_trap_delete(trap);
}
NULL_CASE(wasm_trap_trace, "trap,out") {
  wasm_trap_t *trap = wasm_raised_trap();
  wasm_frame_vec_t out;
  POISON(out);
  wasm_trap_trace(NUL(0, trap), NUL(1, &out));
  if (BASELINE) EXPECT(out.size >= 1, "no frames");
  if (c->a == 0) EXPECT(out.size == 0 && out.data == NULL, "output not emptied");
  if (c->a != 1) wasm_frame_vec_delete(&out);
  wasm_trap_delete(trap);
}
NULL_CASE(wasm_frame_copy, "frame") {
  wasm_frame_t *frame = make_frame();
  wasm_frame_t *copy = wasm_frame_copy(NUL(0, frame));
  EXPECT_NONNULL_IFF_BASELINE(copy, "wasm_frame_copy");
  wasm_frame_delete(copy);
  wasm_frame_delete(frame);
}
NULL_CASE(wasm_frame_delete, "frame") {
  wasm_frame_t *frame = make_frame();
  wasm_frame_delete(NUL(0, frame));
  if (NULLED) wasm_frame_delete(frame);
}
NULL_CASE(wasm_frame_instance, "frame") {
  wasm_frame_t *frame = make_frame();
  wasm_instance_t *instance = wasm_frame_instance(NUL(0, frame));
  note("instance: %s", instance ? "non-NULL" : "NULL");
  if (NULLED) EXPECT(instance == NULL, "an instance of no frame");
  wasm_frame_delete(frame);
}
NULL_CASE(wasm_frame_func_index, "frame") {
  wasm_frame_t *frame = make_frame();
  note("func index %u", wasm_frame_func_index(NUL(0, frame)));
  wasm_frame_delete(frame);
}
NULL_CASE(wasm_frame_func_offset, "frame") {
  wasm_frame_t *frame = make_frame();
  note("func offset %zu", wasm_frame_func_offset(NUL(0, frame)));
  wasm_frame_delete(frame);
}
NULL_CASE(wasm_frame_module_offset, "frame") {
  wasm_frame_t *frame = make_frame();
  note("module offset %zu", wasm_frame_module_offset(NUL(0, frame)));
  wasm_frame_delete(frame);
}
NULL_CASE(wasm_foreign_new, "store") {
  wasm_foreign_t *foreign = wasm_foreign_new(NUL(0, wstore()));
  EXPECT_NONNULL_IFF_BASELINE(foreign, "wasm_foreign_new");
  wasm_foreign_delete(foreign);
}
NULL_CASE(wasm_val_copy, "out,source") {
  wasm_func_t *func = make_wasm_func();
  wasm_val_t source = {.kind = WASM_FUNCREF, .of.ref = wasm_func_as_ref(func)}, out;
  memset(&out, 0, sizeof out);
  wasm_val_copy(NUL(0, &out), NUL(1, &source));
  if (BASELINE) EXPECT(out.kind == WASM_FUNCREF && out.of.ref != NULL, "copy");
  if (c->a != 0) wasm_val_delete(&out);
  wasm_func_delete(func);
}
NULL_CASE(wasm_val_delete, "value") {
  wasm_func_t *func = make_wasm_func();
  wasm_val_t v = {.kind = WASM_FUNCREF, .of.ref = wasm_ref_copy(wasm_func_as_ref(func))};
  wasm_val_delete(NUL(0, &v));
  if (NULLED) wasm_val_delete(&v);
  wasm_func_delete(func);
}

// ---------------------------------------------------------------------------------------------
// wasmtime.h: configuration and engines
// ---------------------------------------------------------------------------------------------

#define CONFIG_CASE(name, value)                                                                \
  NULL_CASE(wasmtime_config_##name##_set, "config") {                                           \
    wasm_config_t *config = wasm_config_new();                                                  \
    wasmtime_config_##name##_set(NUL(0, config), value);                                        \
    wasm_engine_t *engine = wasm_engine_new_with_config(config);                                \
    note("engine: %s", engine ? "non-NULL" : "NULL");                                           \
    wasm_engine_delete(engine);                                                                 \
  }
CONFIG_CASE(debug_info, true)
CONFIG_CASE(consume_fuel, true)
CONFIG_CASE(epoch_interruption, true)
CONFIG_CASE(max_wasm_stack, 1 << 20)
CONFIG_CASE(wasm_threads, false)
CONFIG_CASE(shared_memory, false)
CONFIG_CASE(wasm_tail_call, false)
CONFIG_CASE(wasm_reference_types, true)
CONFIG_CASE(wasm_function_references, false)
CONFIG_CASE(wasm_gc, false)
CONFIG_CASE(gc_support, true)
CONFIG_CASE(wasm_simd, true)
CONFIG_CASE(wasm_relaxed_simd, false)
CONFIG_CASE(wasm_relaxed_simd_deterministic, false)
CONFIG_CASE(wasm_bulk_memory, true)
CONFIG_CASE(wasm_multi_value, true)
CONFIG_CASE(wasm_multi_memory, false)
CONFIG_CASE(wasm_memory64, false)
CONFIG_CASE(wasm_wide_arithmetic, false)
CONFIG_CASE(wasm_branch_hinting, false)
CONFIG_CASE(wasm_exceptions, false)
CONFIG_CASE(wasm_custom_page_sizes, false)
CONFIG_CASE(wasm_stack_switching, false)
CONFIG_CASE(strategy, WASMTIME_STRATEGY_AUTO)
CONFIG_CASE(parallel_compilation, true)
CONFIG_CASE(cranelift_debug_verifier, false)
CONFIG_CASE(cranelift_nan_canonicalization, false)
CONFIG_CASE(cranelift_opt_level, WASMTIME_OPT_LEVEL_SPEED)
CONFIG_CASE(cranelift_regalloc_algorithm, WASMTIME_REGALLOC_BACKTRACKING)
CONFIG_CASE(profiler, WASMTIME_PROFILING_STRATEGY_NONE)
CONFIG_CASE(memory_may_move, true)
CONFIG_CASE(memory_reservation, 1 << 20)
CONFIG_CASE(memory_guard_size, 1 << 16)
CONFIG_CASE(memory_reservation_for_growth, 1 << 16)
CONFIG_CASE(native_unwind_info, true)
CONFIG_CASE(macos_use_mach_ports, false)
CONFIG_CASE(signals_based_traps, true)
CONFIG_CASE(memory_init_cow, true)

// The pooling settings: NULL settings are ignored; absurd sizes make engine creation fail (NULL),
// never abort.
#define POOLING_CASE(name, value)                                                               \
  NULL_CASE(wasmtime_pooling_allocation_config_##name##_set, "settings") {                      \
    wasmtime_pooling_allocation_config_t *settings = wasmtime_pooling_allocation_config_new();  \
    wasmtime_pooling_allocation_config_##name##_set(NUL(0, settings), value);                   \
    wasm_config_t *config = wasm_config_new();                                                  \
    wasmtime_pooling_allocation_strategy_set(config, settings);                                 \
    wasmtime_pooling_allocation_config_delete(settings);                                        \
    wasm_engine_t *engine = wasm_engine_new_with_config(config);                                \
    note("engine: %s", engine ? "non-NULL" : "NULL");                                           \
    wasm_engine_delete(engine);                                                                 \
  }
POOLING_CASE(max_unused_warm_slots, 10)
POOLING_CASE(decommit_batch_size, 4)
POOLING_CASE(async_stack_keep_resident, 4096)
POOLING_CASE(linear_memory_keep_resident, SIZE_MAX)
POOLING_CASE(table_keep_resident, 4096)
POOLING_CASE(total_component_instances, 10)
POOLING_CASE(max_component_instance_size, 4096)
POOLING_CASE(max_core_instances_per_component, 10)
POOLING_CASE(max_memories_per_component, 10)
POOLING_CASE(max_tables_per_component, 10)
POOLING_CASE(total_memories, UINT32_MAX)
POOLING_CASE(total_tables, UINT32_MAX)
POOLING_CASE(total_stacks, UINT32_MAX)
POOLING_CASE(total_core_instances, UINT32_MAX)
POOLING_CASE(max_core_instance_size, SIZE_MAX)
POOLING_CASE(max_tables_per_module, UINT32_MAX)
POOLING_CASE(table_elements, SIZE_MAX)
POOLING_CASE(max_memories_per_module, UINT32_MAX)
POOLING_CASE(max_memory_size, SIZE_MAX)
POOLING_CASE(total_gc_heaps, 0)

NULL_CASE(wasmtime_pooling_allocation_config_new, "") {
  wasmtime_pooling_allocation_config_delete(wasmtime_pooling_allocation_config_new());
}

NULL_CASE(wasmtime_pooling_allocation_config_delete, "settings") {
  wasmtime_pooling_allocation_config_t *settings = wasmtime_pooling_allocation_config_new();
  wasmtime_pooling_allocation_config_delete(NUL(0, settings));
  if (NULLED) wasmtime_pooling_allocation_config_delete(settings);
}

NULL_CASE(wasmtime_pooling_allocation_strategy_set, "config,settings") {
  wasm_config_t *config = wasm_config_new();
  wasmtime_pooling_allocation_config_t *settings = wasmtime_pooling_allocation_config_new();
  wasmtime_pooling_allocation_strategy_set(NUL(0, config), NUL(1, settings));
  wasmtime_pooling_allocation_config_delete(settings);
  wasm_engine_t *engine = wasm_engine_new_with_config(config);
  note("engine: %s", engine ? "non-NULL" : "NULL");
  wasm_engine_delete(engine);
}

NULL_CASE(wasmtime_config_target_set, "config,target") {
  wasm_config_t *config = wasm_config_new();
  wasmtime_error_t *error = wasmtime_config_target_set(NUL(0, config), NUL(1, "x86_64-unknown-linux-gnu"));
  if (NULLED) EXPECT_ERROR("wasmtime_config_target_set", error);
  else show_error("wasmtime_config_target_set", error);
  wasm_config_delete(config);
}
NULL_CASE(wasmtime_config_cache_config_load, "config") {
  // A NULL path means the default cache configuration (wasmtime); a NULL config is misuse.
  wasm_config_t *config = wasm_config_new();
  wasmtime_error_t *error = wasmtime_config_cache_config_load(NUL(0, config), NULL);
  if (NULLED) EXPECT_ERROR("wasmtime_config_cache_config_load", error);
  else show_error("wasmtime_config_cache_config_load(NULL path)", error);
  wasm_config_delete(config);
}
// A memory creator whose memories are malloc blocks (never grown past their first size).
static int creator_memories, creator_finalized;
static uint8_t *creator_get(void *env, size_t *size, size_t *capacity) {
  *size = *capacity = 65536;
  return env;
}
static wasmtime_error_t *creator_grow(void *env, size_t size) {
  (void)env, (void)size;
  return wasmtime_error_new("fixed size");
}
static wasmtime_error_t *creator_new_memory(void *env, const wasm_memorytype_t *type, size_t minimum, size_t maximum,
                                            size_t reserved, size_t guard, wasmtime_linear_memory_t *out) {
  (void)env, (void)type, (void)maximum, (void)reserved, (void)guard;
  if (minimum > 65536) return wasmtime_error_new("too large");
  creator_memories++;
  *out = (wasmtime_linear_memory_t){calloc(1, 65536), creator_get, creator_grow, free};
  return NULL;
}
static void creator_finalizer(void *env) {
  (void)env;
  creator_finalized++;
}
NULL_CASE(wasmtime_config_host_memory_creator_set, "config,creator,creator.new_memory") {
  // Without a configuration or a new_memory callback the creator is not taken: its finalizer
  // never runs, and memories are swasm's own.
  wasm_config_t *config = wasm_config_new();
  wasmtime_memory_creator_t creator = {NULL, NUL(2, creator_new_memory), creator_finalizer};
  wasmtime_config_host_memory_creator_set(NUL(0, config), NUL(1, &creator));
  wasm_engine_t *engine = wasm_engine_new_with_config(config);
  EXPECT(creator_finalized == 0, "the creator's finalizer ran before its engine was released");
  wasm_byte_vec_t binary;
  binary_of(small_wat, &binary);
  wasmtime_module_t *module = NULL;
  wasmtime_error_t *error = wasmtime_module_new(engine, (const uint8_t *)binary.data, binary.size, &module);
  wasm_byte_vec_delete(&binary);
  EXPECT(error == NULL, "module_new failed");
  if (error) wasmtime_error_delete(error);
  wasmtime_store_t *store = wasmtime_store_new(engine, NULL, NULL);
  wasmtime_instance_t instance;
  wasm_trap_t *trap = NULL;
  error = module ? wasmtime_instance_new(wasmtime_store_context(store), module, NULL, 0, &instance, &trap) : NULL;
  EXPECT(error == NULL && trap == NULL, "instantiation failed");
  if (error) wasmtime_error_delete(error);
  if (trap) wasm_trap_delete(trap);
  EXPECT(creator_memories == (BASELINE ? 1 : 0), "memories from the creator: %d", creator_memories);
  wasmtime_store_delete(store);
  if (module) wasmtime_module_delete(module);
  wasm_engine_delete(engine);
  EXPECT(creator_finalized == (BASELINE ? 1 : 0), "creator finalizer runs: %d", creator_finalized);
}
NULL_CASE(wasmtime_config_cranelift_flag_enable, "config,flag") {
  wasm_config_t *config = wasm_config_new();
  wasmtime_config_cranelift_flag_enable(NUL(0, config), NUL(1, "enable_verifier"));
  wasm_config_delete(config);
}
NULL_CASE(wasmtime_config_cranelift_flag_set, "config,key,value") {
  wasm_config_t *config = wasm_config_new();
  wasmtime_config_cranelift_flag_set(NUL(0, config), NUL(1, "opt_level"), NUL(2, "speed"));
  wasm_config_delete(config);
}
NULL_CASE(wasmtime_engine_clone, "engine") {
  wasm_engine_t *clone = wasmtime_engine_clone(NUL(0, fx()->engine));
  EXPECT_NONNULL_IFF_BASELINE(clone, "wasmtime_engine_clone");
  wasm_engine_delete(clone);
}
NULL_CASE(wasmtime_engine_increment_epoch, "engine") { wasmtime_engine_increment_epoch(NUL(0, fx()->engine)); }
NULL_CASE(wasmtime_engine_is_pulley, "engine") {
  note("is_pulley: %d", wasmtime_engine_is_pulley(NUL(0, fx()->engine)));
}

// ---------------------------------------------------------------------------------------------
// Stores and contexts
// ---------------------------------------------------------------------------------------------

NULL_CASE(wasmtime_store_new, "engine") {
  wasmtime_store_t *store = wasmtime_store_new(NUL(0, fx()->engine), &finalized, finalizer);
  EXPECT_NONNULL_IFF_BASELINE(store, "wasmtime_store_new");
  wasmtime_store_delete(store);
  note("finalizer ran %d time(s)", finalized);
}
NULL_CASE(wasmtime_store_context, "store") {
  EXPECT_NONNULL_IFF_BASELINE(wasmtime_store_context(NUL(0, fx()->store)), "wasmtime_store_context");
}
NULL_CASE(wasmtime_store_limiter, "store") { wasmtime_store_limiter(NUL(0, fx()->store), 1 << 20, 100, 10, 10, 10); }

NULL_CASE(swasm_store_limiter_total, "store") {
  if (!HAVE(swasm_store_limiter_total)) skip("swasm_store_limiter_total is swasm's own");
  swasm_store_limiter_total(NUL(0, fx()->store), 1 << 30);
}

NULL_CASE(swasm_context_usage, "context,out") {
  if (!HAVE(swasm_context_usage)) skip("swasm_context_usage is swasm's own");
  fixture *f = fx();
  swasm_store_usage_t usage;
  memset(&usage, 0x41, sizeof usage);
  bool got = swasm_context_usage(NUL(0, f->ctx), NUL(1, &usage));
  EXPECT_TRUE_IFF_BASELINE(got, "swasm_context_usage");
  if (got)
    EXPECT(usage.memories >= 65536 && usage.instances > 0 &&
               usage.total == usage.instances + usage.host_objects + usage.stacks + usage.tables + usage.memories + usage.gc_heap,
           "the fixture's instances and memory counted");
}
NULL_CASE(wasmtime_store_delete, "store") {
  wasmtime_store_t *store = wasmtime_store_new(fx()->engine, NULL, NULL);
  wasmtime_store_delete(NUL(0, store));
  if (NULLED) wasmtime_store_delete(store);
}
static wasmtime_error_t *deadline_callback(wasmtime_context_t *context, void *data, uint64_t *delta,
                                           wasmtime_update_deadline_kind_t *kind) {
  (void)context, (void)data;
  *delta = 1;
  *kind = WASMTIME_UPDATE_DEADLINE_CONTINUE;
  return NULL;
}
NULL_CASE(wasmtime_store_epoch_deadline_callback, "store,callback") {
  // A NULL callback removes the callback (legal); a NULL store is misuse.
  wasmtime_store_t *store = wasmtime_store_new(fx()->engine, NULL, NULL);
  wasmtime_store_epoch_deadline_callback(NUL(0, store), NUL(1, deadline_callback), &finalized, finalizer);
  wasmtime_store_delete(store);
  note("finalizer ran %d time(s)", finalized);
}
NULL_CASE(wasmtime_context_get_data, "context") {
  wasmtime_store_t *store = wasmtime_store_new(fx()->engine, &finalized, NULL);
  void *data = wasmtime_context_get_data(NUL(0, wasmtime_store_context(store)));
  EXPECT_NONNULL_IFF_BASELINE(data, "wasmtime_context_get_data");
  wasmtime_store_delete(store);
}
NULL_CASE(wasmtime_context_set_data, "context") {
  wasmtime_context_set_data(NUL(0, fx()->ctx), &finalized);
  if (BASELINE) EXPECT(wasmtime_context_get_data(fx()->ctx) == &finalized, "data");
}
NULL_CASE(wasmtime_context_gc, "context") {
  if (!HAVE(wasmtime_context_gc)) skip("wasmtime_context_gc is not exported");
  EXPECT_ERROR_UNLESS(BASELINE, "wasmtime_context_gc", wasmtime_context_gc(NUL(0, fx()->ctx)));
}
NULL_CASE(wasmtime_context_set_fuel, "context") {
  // The fixture's engine does not consume fuel: even the baseline is refused.
  wasm_config_t *config = wasm_config_new();
  wasmtime_config_consume_fuel_set(config, true);
  wasm_engine_t *engine = wasm_engine_new_with_config(config);
  wasmtime_store_t *store = wasmtime_store_new(engine, NULL, NULL);
  EXPECT_ERROR_UNLESS(BASELINE, "wasmtime_context_set_fuel", wasmtime_context_set_fuel(NUL(0, wasmtime_store_context(store)), 100));
  wasmtime_store_delete(store);
  wasm_engine_delete(engine);
}
NULL_CASE(wasmtime_context_get_fuel, "context,fuel") {
  wasm_config_t *config = wasm_config_new();
  wasmtime_config_consume_fuel_set(config, true);
  wasm_engine_t *engine = wasm_engine_new_with_config(config);
  wasmtime_store_t *store = wasmtime_store_new(engine, NULL, NULL);
  uint64_t fuel = 0;
  EXPECT_ERROR_UNLESS(BASELINE, "wasmtime_context_get_fuel",
                      wasmtime_context_get_fuel(NUL(0, wasmtime_store_context(store)), NUL(1, &fuel)));
  wasmtime_store_delete(store);
  wasm_engine_delete(engine);
}
NULL_CASE(wasmtime_context_set_epoch_deadline, "context") { wasmtime_context_set_epoch_deadline(NUL(0, fx()->ctx), 5); }

// An exception that escapes a call stays pending in the store until taken.
static void throw_escaping_exception(wasmtime_context_t *ctx) {
  static const char text[] = "(module (tag $t (param i32)) (func (export \"f\") i32.const 7 throw $t))";
  wasm_byte_vec_t wasm;
  wasmtime_module_t *module = NULL;
  if (wasmtime_wat2wasm(text, sizeof text - 1, &wasm) != NULL) return;
  wasmtime_error_t *error = wasmtime_module_new(fx()->engine, (const uint8_t *)wasm.data, wasm.size, &module);
  wasm_byte_vec_delete(&wasm);
  if (error != NULL) { wasmtime_error_delete(error); return; }
  wasmtime_instance_t instance;
  wasm_trap_t *trap = NULL;
  if (wasmtime_instance_new(ctx, module, NULL, 0, &instance, &trap) == NULL && trap == NULL) {
    wasmtime_extern_t f;
    if (wasmtime_instance_export_get(ctx, &instance, "f", 1, &f)) {
      error = wasmtime_func_call(ctx, &f.of.func, NULL, 0, NULL, 0, &trap);
      wasmtime_error_delete(error);
    }
  }
  if (trap != NULL) wasm_trap_delete(trap);
  wasmtime_module_delete(module);
}
NULL_CASE(wasmtime_context_has_exception, "context") {
  wasmtime_store_t *store = wasmtime_store_new(fx()->engine, NULL, NULL);
  throw_escaping_exception(wasmtime_store_context(store));
  EXPECT_TRUE_IFF_BASELINE(wasmtime_context_has_exception(NUL(0, wasmtime_store_context(store))), "wasmtime_context_has_exception");
  wasmtime_store_delete(store);
}
NULL_CASE(wasmtime_context_take_exception, "context,exn_ret") {
  wasmtime_store_t *store = wasmtime_store_new(fx()->engine, NULL, NULL);
  throw_escaping_exception(wasmtime_store_context(store));
  wasmtime_exnref_t exn;
  memset(&exn, 0, sizeof exn);
  bool taken = wasmtime_context_take_exception(NUL(0, wasmtime_store_context(store)), NUL(1, &exn));
  EXPECT_TRUE_IFF_BASELINE(taken, "wasmtime_context_take_exception");
  if (BASELINE) EXPECT(!wasmtime_context_has_exception(wasmtime_store_context(store)), "taken, no longer pending");
  if (taken) wasmtime_exnref_unroot(&exn);
  wasmtime_store_delete(store);
}
NULL_CASE(wasmtime_tag_new, "context,type,ret") {
  wasm_tagtype_t *type = make_tagtype();
  wasmtime_tag_t tag;
  EXPECT_ERROR_UNLESS(BASELINE, "wasmtime_tag_new", wasmtime_tag_new(NUL(0, fx()->ctx), NUL(1, type), NUL(2, &tag)));
  wasm_tagtype_delete(type);
}
NULL_CASE(wasmtime_tag_type, "context,tag") {
  wasm_tagtype_t *type = make_tagtype();
  wasmtime_tag_t tag;
  memset(&tag, 0, sizeof tag);
  wasmtime_error_t *error = wasmtime_tag_new(fx()->ctx, type, &tag);
  wasm_tagtype_delete(type);
  if (error) { wasmtime_error_delete(error); return; }
  wasm_tagtype_t *reported = wasmtime_tag_type(NUL(0, fx()->ctx), NUL(1, &tag));
  EXPECT_NONNULL_IFF_BASELINE(reported, "wasmtime_tag_type");
  wasm_tagtype_delete(reported);
}
NULL_CASE(wasmtime_tag_eq, "context,a,b") {
  wasm_tagtype_t *type = make_tagtype();
  wasmtime_tag_t tag;
  memset(&tag, 0, sizeof tag);
  wasmtime_error_t *error = wasmtime_tag_new(fx()->ctx, type, &tag);
  wasm_tagtype_delete(type);
  if (error) { wasmtime_error_delete(error); return; }
  EXPECT_TRUE_IFF_BASELINE(wasmtime_tag_eq(NUL(0, fx()->ctx), NUL(1, &tag), NUL(2, &tag)), "wasmtime_tag_eq");
}
NULL_CASE(wasmtime_exnref_unroot, "exn") {
  wasmtime_exnref_t exn;
  memset(&exn, 0, sizeof exn);
  wasmtime_exnref_unroot(NUL(0, &exn));
}
// An exception of a new host tag (param i32) carrying 7, made in the fixture's store.
static bool make_exnref(wasmtime_exnref_t *exn) {
  wasm_tagtype_t *type = make_tagtype();
  wasmtime_tag_t tag;
  wasmtime_error_t *error = wasmtime_tag_new(fx()->ctx, type, &tag);
  wasm_tagtype_delete(type);
  if (error) { wasmtime_error_delete(error); return false; }
  wasmtime_val_t field = {.kind = WASMTIME_I32, .of.i32 = 7};
  error = wasmtime_exnref_new(fx()->ctx, &tag, &field, 1, exn);
  if (error) { wasmtime_error_delete(error); return false; }
  return true;
}
NULL_CASE(wasmtime_exnref_new, "context,tag,fields,exn_ret") {
  wasm_tagtype_t *type = make_tagtype();
  wasmtime_tag_t tag;
  wasmtime_error_t *error = wasmtime_tag_new(fx()->ctx, type, &tag);
  wasm_tagtype_delete(type);
  if (error) { wasmtime_error_delete(error); return; }
  wasmtime_val_t field = {.kind = WASMTIME_I32, .of.i32 = 7};
  wasmtime_exnref_t exn;
  memset(&exn, 0, sizeof exn);
  EXPECT_ERROR_UNLESS(BASELINE, "wasmtime_exnref_new", wasmtime_exnref_new(NUL(0, fx()->ctx), NUL(1, &tag), NUL(2, &field), 1, NUL(3, &exn)));
  if (BASELINE) wasmtime_exnref_unroot(&exn);
}
NULL_CASE(wasmtime_exnref_clone, "ref,out") {
  wasmtime_exnref_t exn, copy;
  if (!make_exnref(&exn)) return;
  memset(&copy, 0, sizeof copy);
  wasmtime_exnref_clone(NUL(0, &exn), NUL(1, &copy));
  if (BASELINE) EXPECT(wasmtime_exnref_field_count(fx()->ctx, &copy) == 1, "a clone of another exception");
  wasmtime_exnref_unroot(&exn);
  if (BASELINE) wasmtime_exnref_unroot(&copy);
}
NULL_CASE(wasmtime_exnref_from_raw, "context,out") {
  wasmtime_exnref_t exn, back;
  if (!make_exnref(&exn)) return;
  uint32_t raw = wasmtime_exnref_to_raw(fx()->ctx, &exn);
  memset(&back, 0, sizeof back);
  wasmtime_exnref_from_raw(NUL(0, fx()->ctx), raw, NUL(1, &back));
  if (BASELINE) EXPECT(wasmtime_exnref_field_count(fx()->ctx, &back) == 1, "round trip");
  wasmtime_exnref_unroot(&exn);
  if (BASELINE) wasmtime_exnref_unroot(&back);
}
NULL_CASE(wasmtime_exnref_to_raw, "context,ref") {
  wasmtime_exnref_t exn;
  if (!make_exnref(&exn)) return;
  uint32_t raw = wasmtime_exnref_to_raw(NUL(0, fx()->ctx), NUL(1, &exn));
  note("raw %u", raw);
  if (BASELINE) EXPECT(raw != 0, "no raw form");
  else EXPECT(raw == 0, "a raw form with a NULL argument");
  wasmtime_exnref_unroot(&exn);
}
NULL_CASE(wasmtime_exnref_tag, "context,exn,tag_ret") {
  wasmtime_exnref_t exn;
  if (!make_exnref(&exn)) return;
  wasmtime_tag_t tag;
  EXPECT_ERROR_UNLESS(BASELINE, "wasmtime_exnref_tag", wasmtime_exnref_tag(NUL(0, fx()->ctx), NUL(1, &exn), NUL(2, &tag)));
  wasmtime_exnref_unroot(&exn);
}
NULL_CASE(wasmtime_exnref_field_count, "context,exn") {
  wasmtime_exnref_t exn;
  if (!make_exnref(&exn)) return;
  size_t count = wasmtime_exnref_field_count(NUL(0, fx()->ctx), NUL(1, &exn));
  note("count %zu", count);
  if (BASELINE) EXPECT(count == 1, "one field");
  else EXPECT(count == 0, "fields with a NULL argument");
  wasmtime_exnref_unroot(&exn);
}
NULL_CASE(wasmtime_exnref_field, "context,exn,val_ret") {
  wasmtime_exnref_t exn;
  if (!make_exnref(&exn)) return;
  wasmtime_val_t value;
  EXPECT_ERROR_UNLESS(BASELINE, "wasmtime_exnref_field", wasmtime_exnref_field(NUL(0, fx()->ctx), NUL(1, &exn), 0, NUL(2, &value)));
  if (BASELINE) EXPECT(value.kind == WASMTIME_I32 && value.of.i32 == 7, "the field");
  wasmtime_exnref_unroot(&exn);
}
NULL_CASE(wasmtime_exnref_type, "context,exnref") {
  wasmtime_exnref_t exn;
  if (!make_exnref(&exn)) return;
  wasmtime_exn_type_t *type = wasmtime_exnref_type(NUL(0, fx()->ctx), NUL(1, &exn));
  EXPECT_NONNULL_IFF_BASELINE(type, "wasmtime_exnref_type");
  if (type) wasmtime_exn_type_delete(type);
  wasmtime_exnref_unroot(&exn);
}
NULL_CASE(wasmtime_context_set_exception, "context,exn") {
  wasmtime_store_t *store = wasmtime_store_new(fx()->engine, NULL, NULL);
  wasmtime_context_t *context = wasmtime_store_context(store);
  wasm_tagtype_t *type = make_tagtype();
  wasmtime_tag_t tag;
  wasmtime_error_t *error = wasmtime_tag_new(context, type, &tag);
  wasm_tagtype_delete(type);
  wasmtime_val_t field = {.kind = WASMTIME_I32, .of.i32 = 7};
  wasmtime_exnref_t exn;
  if (error == NULL) error = wasmtime_exnref_new(context, &tag, &field, 1, &exn);
  if (error) { wasmtime_error_delete(error); wasmtime_store_delete(store); return; }
  wasm_trap_t *trap = wasmtime_context_set_exception(NUL(0, context), NUL(1, &exn));
  show_trap("wasmtime_context_set_exception", trap);
  bool pending = wasmtime_context_has_exception(context);
  if (BASELINE) EXPECT(pending, "not pending");
  else EXPECT(!pending, "pending with a NULL argument");
  wasmtime_exnref_unroot(&exn);
  wasmtime_store_delete(store);
}
NULL_CASE(wasmtime_exn_type_new, "engine,params,out") {
  wasm_valtype_vec_t params;
  wasm_valtype_t *one = wasm_valtype_new(WASM_I64);
  wasm_valtype_vec_new(&params, 1, &one);
  wasmtime_exn_type_t *type = NULL;
  EXPECT_ERROR_UNLESS(BASELINE, "wasmtime_exn_type_new", wasmtime_exn_type_new(NUL(0, fx()->engine), NUL(1, &params), NUL(2, &type)));
  if (BASELINE && type) {
    wasmtime_exn_type_t *copy = wasmtime_exn_type_copy(type);
    wasm_tagtype_t *tag_type = wasmtime_exn_type_tag_type(copy);
    EXPECT(tag_type && wasm_functype_params(wasm_tagtype_functype(tag_type))->size == 1, "the tag type's parameters");
    wasm_tagtype_delete(tag_type);
    wasmtime_exn_type_delete(copy);
    wasmtime_exn_type_delete(type);
  }
  wasm_valtype_vec_delete(&params);
}
static wasmtime_exn_type_t *make_exn_type(void) {
  wasm_valtype_vec_t params;
  wasm_valtype_vec_new_empty(&params);
  wasmtime_exn_type_t *type = NULL;
  wasmtime_error_t *error = wasmtime_exn_type_new(fx()->engine, &params, &type);
  if (error) { wasmtime_error_delete(error); return NULL; }
  return type;
}
NULL_CASE(wasmtime_exn_type_copy, "ty") {
  wasmtime_exn_type_t *type = make_exn_type();
  wasmtime_exn_type_t *copy = wasmtime_exn_type_copy(NUL(0, type));
  EXPECT_NONNULL_IFF_BASELINE(copy, "wasmtime_exn_type_copy");
  if (copy) wasmtime_exn_type_delete(copy);
  wasmtime_exn_type_delete(type);
}
NULL_CASE(wasmtime_exn_type_tag_type, "ty") {
  wasmtime_exn_type_t *type = make_exn_type();
  wasm_tagtype_t *tag_type = wasmtime_exn_type_tag_type(NUL(0, type));
  EXPECT_NONNULL_IFF_BASELINE(tag_type, "wasmtime_exn_type_tag_type");
  if (tag_type) wasm_tagtype_delete(tag_type);
  wasmtime_exn_type_delete(type);
}
NULL_CASE(wasmtime_exn_type_delete, "ty") {
  wasmtime_exn_type_t *type = make_exn_type();
  wasmtime_exn_type_delete(NUL(0, type));
  if (NULLED) wasmtime_exn_type_delete(type);
}

// ---------------------------------------------------------------------------------------------
// Errors, traps, frames
// ---------------------------------------------------------------------------------------------

NULL_CASE(wasmtime_error_new, "message") {
  wasmtime_error_t *error = wasmtime_error_new(NUL(0, "problem"));
  note("error: %s", error ? "non-NULL" : "NULL");
  if (BASELINE) EXPECT(error != NULL, "no error");
  show_error("wasmtime_error_new", error);
}
NULL_CASE(wasmtime_error_delete, "error") {
  wasmtime_error_t *error = wasmtime_error_new("problem");
  wasmtime_error_delete(NUL(0, error));
  if (NULLED) wasmtime_error_delete(error);
}
NULL_CASE(wasmtime_error_message, "error,out") {
  wasmtime_error_t *error = wasmtime_error_new("problem");
  wasm_name_t out;
  POISON(out);
  wasmtime_error_message(NUL(0, error), NUL(1, &out));
  if (BASELINE) EXPECT(out.size == 7, "message size %zu", out.size);
  if (c->a == 0) EXPECT(out.size == 0 && out.data == NULL, "output not emptied");
  if (c->a != 1) wasm_byte_vec_delete(&out);
  wasmtime_error_delete(error);
}
NULL_CASE(wasmtime_error_exit_status, "error,status") {
  wasmtime_error_t *error = wasmtime_error_new("problem");
  int status = 0;
  bool has = wasmtime_error_exit_status(NUL(0, error), NUL(1, &status));
  note("exit status: %s", has ? "yes" : "no");
  EXPECT(!has, "an exit status for an ordinary error");
  wasmtime_error_delete(error);
}
NULL_CASE(wasmtime_error_wasm_trace, "error,out") {
  wasmtime_error_t *error = wasmtime_error_new("problem");
  wasm_frame_vec_t out;
  POISON(out);
  wasmtime_error_wasm_trace(NUL(0, error), NUL(1, &out));
  if (c->a != 1) {
    EXPECT(out.size == 0, "frames of a host error");
    wasm_frame_vec_delete(&out);
  }
  wasmtime_error_delete(error);
}
NULL_CASE(wasmtime_trap_new, "message") {
  wasm_trap_t *trap = wasmtime_trap_new(NUL(0, "boom"), 4);
  note("trap: %s", trap ? "non-NULL" : "NULL");
  if (BASELINE) EXPECT(trap != NULL, "no trap");
  show_trap("wasmtime_trap_new", trap);
}
NULL_CASE(wasmtime_trap_new_code, "") {
  wasm_trap_t *trap = wasmtime_trap_new_code(WASMTIME_TRAP_CODE_UNREACHABLE_CODE_REACHED);
  EXPECT(trap != NULL, "no trap");
  show_trap("wasmtime_trap_new_code", trap);
}
NULL_CASE(wasmtime_trap_code, "trap,code") {
  wasm_trap_t *trap = wasmtime_trap_new_code(WASMTIME_TRAP_CODE_INTEGER_OVERFLOW);
  wasmtime_trap_code_t code = 255;
  bool has = wasmtime_trap_code(NUL(0, trap), NUL(1, &code));
  note("wasmtime_trap_code: %s", has ? "true" : "false");
  if (BASELINE) EXPECT(has && code == WASMTIME_TRAP_CODE_INTEGER_OVERFLOW, "code");
  if (c->a == 0) EXPECT(!has, "a code of no trap"); // a NULL code pointer may be tolerated
  wasm_trap_delete(trap);
}
NULL_CASE(wasmtime_frame_func_name, "frame") {
  wasm_frame_t *frame = make_frame();
  const wasm_name_t *name = wasmtime_frame_func_name(NUL(0, frame));
  note("name: %s", name ? "non-NULL" : "NULL");
  if (NULLED) EXPECT(name == NULL, "a name of no frame");
  wasm_frame_delete(frame);
}
NULL_CASE(wasmtime_frame_module_name, "frame") {
  wasm_frame_t *frame = make_frame();
  const wasm_name_t *name = wasmtime_frame_module_name(NUL(0, frame));
  note("name: %s", name ? "non-NULL" : "NULL");
  if (NULLED) EXPECT(name == NULL, "a name of no frame");
  wasm_frame_delete(frame);
}

// ---------------------------------------------------------------------------------------------
// Modules
// ---------------------------------------------------------------------------------------------

NULL_CASE(wasmtime_module_new, "engine,wasm,out") {
  fixture *f = fx();
  wasmtime_module_t *module = NULL;
  wasmtime_error_t *error =
      wasmtime_module_new(NUL(0, f->engine), NUL(1, (const uint8_t *)f->wasm.data), f->wasm.size, NUL(2, &module));
  EXPECT_ERROR_UNLESS(BASELINE, "wasmtime_module_new", error);
  wasmtime_module_delete(module);
}
NULL_CASE(wasmtime_module_validate, "engine,wasm") {
  fixture *f = fx();
  EXPECT_ERROR_UNLESS(BASELINE, "wasmtime_module_validate",
                      wasmtime_module_validate(NUL(0, f->engine), NUL(1, (const uint8_t *)f->wasm.data), f->wasm.size));
}
NULL_CASE(wasmtime_module_clone, "module") {
  wasmtime_module_t *clone = wasmtime_module_clone(NUL(0, fx()->module));
  EXPECT_NONNULL_IFF_BASELINE(clone, "wasmtime_module_clone");
  wasmtime_module_delete(clone);
}
NULL_CASE(wasmtime_module_delete, "module") {
  wasmtime_module_t *clone = wasmtime_module_clone(fx()->module);
  wasmtime_module_delete(NUL(0, clone));
  if (NULLED) wasmtime_module_delete(clone);
}
NULL_CASE(wasmtime_module_imports, "module,out") {
  wasm_importtype_vec_t out;
  POISON(out);
  wasmtime_module_imports(NUL(0, fx()->module), NUL(1, &out));
  if (BASELINE) EXPECT(out.size == 4, "imports");
  if (c->a == 0) EXPECT(out.size == 0 && out.data == NULL, "output not emptied");
  if (c->a != 1) wasm_importtype_vec_delete(&out);
}
NULL_CASE(wasmtime_module_exports, "module,out") {
  wasm_exporttype_vec_t out;
  POISON(out);
  wasmtime_module_exports(NUL(0, fx()->module), NUL(1, &out));
  if (c->a == 0) EXPECT(out.size == 0 && out.data == NULL, "output not emptied");
  if (c->a != 1) wasm_exporttype_vec_delete(&out);
}
NULL_CASE(wasmtime_module_serialize, "module,out") {
  wasm_byte_vec_t out;
  POISON(out);
  EXPECT_ERROR_UNLESS(BASELINE, "wasmtime_module_serialize", wasmtime_module_serialize(NUL(0, fx()->module), NUL(1, &out)));
  if (BASELINE) wasm_byte_vec_delete(&out);
}
NULL_CASE(wasmtime_module_deserialize, "engine,bytes,out") {
  fixture *f = fx();
  wasm_byte_vec_t bytes;
  wasmtime_error_t *error = wasmtime_module_serialize(f->module, &bytes);
  if (error) {
    show_error("serialize", error);
    skip("no artifact");
  }
  wasmtime_module_t *module = NULL;
  EXPECT_ERROR_UNLESS(BASELINE, "wasmtime_module_deserialize",
                      wasmtime_module_deserialize(NUL(0, f->engine), NUL(1, (const uint8_t *)bytes.data), bytes.size,
                                                  NUL(2, &module)));
  wasmtime_module_delete(module);
  wasm_byte_vec_delete(&bytes);
}
NULL_CASE(wasmtime_module_deserialize_file, "engine,path,out") {
  fixture *f = fx();
  wasm_byte_vec_t bytes;
  wasmtime_error_t *error = wasmtime_module_serialize(f->module, &bytes);
  if (error) {
    show_error("serialize", error);
    skip("no artifact");
  }
  char path[] = "/tmp/host_misuse_XXXXXX";
  int fd = mkstemp(path);
  if (fd < 0 || write(fd, bytes.data, bytes.size) != (ssize_t)bytes.size) skip("no temporary file");
  close(fd);
  wasmtime_module_t *module = NULL;
  EXPECT_ERROR_UNLESS(BASELINE, "wasmtime_module_deserialize_file",
                      wasmtime_module_deserialize_file(NUL(0, f->engine), NUL(1, path), NUL(2, &module)));
  wasmtime_module_delete(module);
  unlink(path);
  wasm_byte_vec_delete(&bytes);
}
NULL_CASE(wasmtime_module_image_range, "module,start,end") {
  void *start = (void *)1, *end = (void *)1;
  wasmtime_module_image_range(NUL(0, fx()->module), NUL(1, &start), NUL(2, &end));
  note("image range %p..%p", start, end);
}

// ---------------------------------------------------------------------------------------------
// Instances, linkers
// ---------------------------------------------------------------------------------------------

static void fixture_imports_for(wasmtime_context_t *ctx, wasmtime_extern_t imports[4]) {
  // The fixture module's four imports, as host functions of `ctx` (same types as in misuse_main).
  wasm_functype_t *types[4] = {functype_i_i(), functype_1(WASM_I32, 0, WASM_FUNCREF, 1),
                               functype_1(WASM_I32, 0, WASM_EXTERNREF, 1), functype_1(WASM_I64, 1, WASM_I64, 1)};
  for (int i = 0; i < 4; i++) {
    imports[i].kind = WASMTIME_EXTERN_FUNC;
    wasmtime_func_new(ctx, types[i], wasmtime_callback, NULL, NULL, &imports[i].of.func);
    wasm_functype_delete(types[i]);
  }
}

NULL_CASE(wasmtime_instance_new, "context,module,imports,instance,trap") {
  fixture *f = fx();
  wasmtime_extern_t imports[4];
  fixture_imports_for(f->ctx, imports);
  wasmtime_instance_t instance;
  wasm_trap_t *trap = NULL;
  wasmtime_error_t *error =
      wasmtime_instance_new(NUL(0, f->ctx), NUL(1, f->module), NUL(2, imports), 4, NUL(3, &instance), NUL(4, &trap));
  // A NULL trap pointer is tolerable while nothing traps (see the reentry family for a trap).
  EXPECT_ERROR_UNLESS(BASELINE || c->a == 4, "wasmtime_instance_new", error);
  show_trap("wasmtime_instance_new", trap);
}
NULL_CASE(wasmtime_instance_export_get, "context,instance,name,item") {
  fixture *f = fx();
  wasmtime_extern_t item;
  EXPECT_TRUE_IFF_BASELINE(wasmtime_instance_export_get(NUL(0, f->ctx), NUL(1, &f->inst), NUL(2, "add"), 3, NUL(3, &item)),
                           "wasmtime_instance_export_get");
}
NULL_CASE(wasmtime_instance_export_nth, "context,instance,name,name_len,item") {
  fixture *f = fx();
  wasmtime_extern_t item;
  char *name = NULL;
  size_t length = 0;
  bool found =
      wasmtime_instance_export_nth(NUL(0, f->ctx), NUL(1, &f->inst), 0, NUL(2, &name), NUL(3, &length), NUL(4, &item));
  note("wasmtime_instance_export_nth: %s", found ? "found" : "not found");
  // NULL name outputs may be tolerated (the item is still returned); the others must refuse.
  if (BASELINE) EXPECT(found && length == 3 && name && memcmp(name, "mem", 3) == 0, "first export");
  else if (c->a != 2 && c->a != 3) EXPECT(!found, "found with a NULL argument");
}
static wasmtime_instance_pre_t *make_instance_pre(void) {
  fixture *f = fx();
  wasmtime_linker_t *linker = wasmtime_linker_new(f->engine);
  wasmtime_module_t *module = compile_wat(f->engine, small_wat);
  wasmtime_instance_pre_t *pre = NULL;
  wasmtime_error_t *error = wasmtime_linker_instantiate_pre(linker, module, &pre);
  if (error) {
    show_error("instantiate_pre", error);
    _exit(3);
  }
  wasmtime_module_delete(module);
  wasmtime_linker_delete(linker);
  return pre;
}
NULL_CASE(wasmtime_instance_pre_instantiate, "instance_pre,context,instance,trap") {
  wasmtime_instance_pre_t *pre = make_instance_pre();
  wasmtime_instance_t instance;
  wasm_trap_t *trap = NULL;
  wasmtime_error_t *error =
      wasmtime_instance_pre_instantiate(NUL(0, pre), NUL(1, fx()->ctx), NUL(2, &instance), NUL(3, &trap));
  EXPECT_ERROR_UNLESS(BASELINE || c->a == 3, "wasmtime_instance_pre_instantiate", error); // NULL trap pointer: tolerable
  wasmtime_instance_pre_delete(pre);
}
NULL_CASE(wasmtime_instance_pre_module, "instance_pre") {
  wasmtime_instance_pre_t *pre = make_instance_pre();
  wasmtime_module_t *module = wasmtime_instance_pre_module(NUL(0, pre));
  EXPECT_NONNULL_IFF_BASELINE(module, "wasmtime_instance_pre_module");
  wasmtime_module_delete(module);
  wasmtime_instance_pre_delete(pre);
}
NULL_CASE(wasmtime_instance_pre_delete, "instance_pre") {
  wasmtime_instance_pre_t *pre = make_instance_pre();
  wasmtime_instance_pre_delete(NUL(0, pre));
  if (NULLED) wasmtime_instance_pre_delete(pre);
}
NULL_CASE(wasmtime_linker_new, "engine") {
  wasmtime_linker_t *linker = wasmtime_linker_new(NUL(0, fx()->engine));
  EXPECT_NONNULL_IFF_BASELINE(linker, "wasmtime_linker_new");
  wasmtime_linker_delete(linker);
}
NULL_CASE(wasmtime_linker_clone, "linker") {
  wasmtime_linker_t *clone = wasmtime_linker_clone(NUL(0, fx()->linker));
  EXPECT_NONNULL_IFF_BASELINE(clone, "wasmtime_linker_clone");
  wasmtime_linker_delete(clone);
}
NULL_CASE(wasmtime_linker_delete, "linker") {
  wasmtime_linker_t *linker = wasmtime_linker_new(fx()->engine);
  wasmtime_linker_delete(NUL(0, linker));
  if (NULLED) wasmtime_linker_delete(linker);
}
NULL_CASE(wasmtime_linker_allow_shadowing, "linker") { wasmtime_linker_allow_shadowing(NUL(0, fx()->linker), true); }
NULL_CASE(wasmtime_linker_define_unknown_imports_as_traps, "linker,module") {
  fixture *f = fx();
  EXPECT_ERROR_UNLESS(BASELINE, "define_unknown_imports_as_traps",
                      wasmtime_linker_define_unknown_imports_as_traps(NUL(0, f->linker), NUL(1, f->module)));
}
NULL_CASE(wasmtime_linker_define_unknown_imports_as_default_values, "linker,context,module") {
  fixture *f = fx();
  EXPECT_ERROR_UNLESS(BASELINE, "define_unknown_imports_as_default_values",
                      wasmtime_linker_define_unknown_imports_as_default_values(NUL(0, f->linker), NUL(1, f->ctx),
                                                                               NUL(2, f->module)));
}
NULL_CASE(wasmtime_linker_define, "linker,context,module,name,item") {
  fixture *f = fx();
  wasmtime_extern_t item = {.kind = WASMTIME_EXTERN_FUNC, .of.func = f->seven};
  EXPECT_ERROR_UNLESS(BASELINE, "wasmtime_linker_define",
                      wasmtime_linker_define(NUL(0, f->linker), NUL(1, f->ctx), NUL(2, "m"), 1, NUL(3, "n"), 1, NUL(4, &item)));
}
NULL_CASE(wasmtime_linker_define_func, "linker,module,name,type,callback") {
  fixture *f = fx();
  wasm_functype_t *type = functype_i_i();
  EXPECT_ERROR_UNLESS(BASELINE, "wasmtime_linker_define_func",
                      wasmtime_linker_define_func(NUL(0, f->linker), NUL(1, "m"), 1, NUL(2, "n"), 1, NUL(3, type),
                                                  NUL(4, wasmtime_callback), &finalized, finalizer));
  wasm_functype_delete(type);
  note("finalizer ran %d time(s)", finalized);
}
NULL_CASE(wasmtime_linker_define_func_unchecked, "linker,module,name,type,callback") {
  fixture *f = fx();
  wasm_functype_t *type = functype_i_i();
  EXPECT_ERROR_UNLESS(BASELINE, "wasmtime_linker_define_func_unchecked",
                      wasmtime_linker_define_func_unchecked(NUL(0, f->linker), NUL(1, "m"), 1, NUL(2, "n"), 1,
                                                            NUL(3, type), NUL(4, wasmtime_callback_raw), &finalized,
                                                            finalizer));
  wasm_functype_delete(type);
  note("finalizer ran %d time(s)", finalized);
}
NULL_CASE(wasmtime_linker_define_instance, "linker,context,name,instance") {
  fixture *f = fx();
  EXPECT_ERROR_UNLESS(BASELINE, "wasmtime_linker_define_instance",
                      wasmtime_linker_define_instance(NUL(0, f->linker), NUL(1, f->ctx), NUL(2, "i"), 1, NUL(3, &f->inst)));
}
NULL_CASE(wasmtime_linker_instantiate, "linker,context,module,instance,trap") {
  fixture *f = fx();
  wasmtime_module_t *module = compile_wat(f->engine, small_wat);
  wasmtime_instance_t instance;
  wasm_trap_t *trap = NULL;
  EXPECT_ERROR_UNLESS(BASELINE || c->a == 4, "wasmtime_linker_instantiate", // NULL trap pointer: tolerable
                      wasmtime_linker_instantiate(NUL(0, f->linker), NUL(1, f->ctx), NUL(2, module), NUL(3, &instance),
                                                  NUL(4, &trap)));
  wasmtime_module_delete(module);
}
NULL_CASE(wasmtime_linker_module, "linker,context,name,module") {
  fixture *f = fx();
  wasmtime_module_t *module = compile_wat(f->engine, small_wat);
  EXPECT_ERROR_UNLESS(BASELINE, "wasmtime_linker_module",
                      wasmtime_linker_module(NUL(0, f->linker), NUL(1, f->ctx), NUL(2, "mod"), 3, NUL(3, module)));
  wasmtime_module_delete(module);
}
NULL_CASE(wasmtime_linker_get_default, "linker,context,name,func") {
  fixture *f = fx();
  wasmtime_module_t *module = compile_wat(f->engine, "(module (func (export \"\")))");
  wasmtime_error_t *error = wasmtime_linker_module(f->linker, f->ctx, "d", 1, module);
  if (error) show_error("setup", error);
  wasmtime_module_delete(module);
  wasmtime_func_t func;
  EXPECT_ERROR_UNLESS(BASELINE, "wasmtime_linker_get_default",
                      wasmtime_linker_get_default(NUL(0, f->linker), NUL(1, f->ctx), NUL(2, "d"), 1, NUL(3, &func)));
}
NULL_CASE(wasmtime_linker_get, "linker,context,module,name,item") {
  fixture *f = fx();
  wasmtime_extern_t item = {.kind = WASMTIME_EXTERN_FUNC, .of.func = f->seven};
  wasmtime_error_t *error = wasmtime_linker_define(f->linker, f->ctx, "m", 1, "n", 1, &item);
  if (error) show_error("setup", error);
  EXPECT_TRUE_IFF_BASELINE(
      wasmtime_linker_get(NUL(0, f->linker), NUL(1, f->ctx), NUL(2, "m"), 1, NUL(3, "n"), 1, NUL(4, &item)),
      "wasmtime_linker_get");
}
NULL_CASE(wasmtime_linker_instantiate_pre, "linker,module,instance_pre") {
  fixture *f = fx();
  wasmtime_module_t *module = compile_wat(f->engine, small_wat);
  wasmtime_instance_pre_t *pre = NULL;
  EXPECT_ERROR_UNLESS(BASELINE, "wasmtime_linker_instantiate_pre",
                      wasmtime_linker_instantiate_pre(NUL(0, f->linker), NUL(1, module), NUL(2, &pre)));
  wasmtime_instance_pre_delete(pre);
  wasmtime_module_delete(module);
}

// ---------------------------------------------------------------------------------------------
// Functions, callers
// ---------------------------------------------------------------------------------------------

NULL_CASE(wasmtime_func_new, "context,type,callback,out") {
  fixture *f = fx();
  wasm_functype_t *type = functype_i_i();
  wasmtime_func_t func;
  memset(&func, 0x41, sizeof func);
  wasmtime_func_new(NUL(0, f->ctx), NUL(1, type), NUL(2, wasmtime_callback), &finalized, finalizer, NUL(3, &func));
  wasm_functype_delete(type);
  if (c->a != 3) {
    note("func store_id %s", func.store_id ? "set" : "0 (null)");
    if (BASELINE) EXPECT(func.store_id != 0, "no function");
    else EXPECT(func.store_id == 0, "a function made with a NULL argument");
  }
  note("finalizer ran %d time(s)", finalized);
}
NULL_CASE(wasmtime_func_new_unchecked, "context,type,callback,out") {
  fixture *f = fx();
  wasm_functype_t *type = functype_i_i();
  wasmtime_func_t func;
  memset(&func, 0x41, sizeof func);
  wasmtime_func_new_unchecked(NUL(0, f->ctx), NUL(1, type), NUL(2, wasmtime_callback_raw), &finalized, finalizer,
                              NUL(3, &func));
  wasm_functype_delete(type);
  if (c->a != 3) {
    if (BASELINE) EXPECT(func.store_id != 0, "no function");
    else EXPECT(func.store_id == 0, "a function made with a NULL argument");
  }
  note("finalizer ran %d time(s)", finalized);
}
NULL_CASE(wasmtime_func_type, "context,func") {
  fixture *f = fx();
  wasm_functype_t *type = wasmtime_func_type(NUL(0, f->ctx), NUL(1, &f->add));
  EXPECT_NONNULL_IFF_BASELINE(type, "wasmtime_func_type");
  wasm_functype_delete(type);
}
NULL_CASE(wasmtime_func_call, "context,func,args,results,trap") {
  fixture *f = fx();
  wasmtime_val_t args[2] = {val_i32(2), val_i32(3)}, result = val_i32(0);
  wasm_trap_t *trap = NULL;
  wasmtime_error_t *error = wasmtime_func_call(NUL(0, f->ctx), NUL(1, &f->add), NUL(2, args), 2, NUL(3, &result), 1, NUL(4, &trap));
  // A NULL trap pointer is tolerable while nothing traps.
  if (BASELINE || c->a == 4) {
    EXPECT_OK("wasmtime_func_call", error);
    EXPECT(result.of.i32 == 5, "result %d", result.of.i32);
  } else {
    EXPECT_ERROR("wasmtime_func_call", error);
  }
}
NULL_CASE(wasmtime_func_call_unchecked, "context,func,values,trap") {
  fixture *f = fx();
  wasmtime_val_raw_t values[2];
  memset(values, 0, sizeof values);
  values[0].i32 = 2;
  values[1].i32 = 3;
  wasm_trap_t *trap = NULL;
  wasmtime_error_t *error = wasmtime_func_call_unchecked(NUL(0, f->ctx), NUL(1, &f->add), NUL(2, values), 2, NUL(3, &trap));
  if (BASELINE || c->a == 3) {
    EXPECT_OK("wasmtime_func_call_unchecked", error);
    EXPECT(values[0].i32 == 5, "result %d", values[0].i32);
  } else {
    EXPECT_ERROR("wasmtime_func_call_unchecked", error);
  }
}
static const mcase *caller_case;
static wasm_trap_t *caller_hook(wasmtime_caller_t *caller, const wasmtime_val_t *args, size_t nargs,
                                wasmtime_val_t *results, size_t nresults) {
  (void)args, (void)nargs;
  const mcase *c = caller_case;
  if (strcmp(c->function, "wasmtime_caller_export_get") == 0) {
    wasmtime_extern_t item;
    EXPECT_TRUE_IFF_BASELINE(wasmtime_caller_export_get(NUL(0, caller), NUL(1, "mem"), 3, NUL(2, &item)),
                             "wasmtime_caller_export_get");
  } else {
    EXPECT_NONNULL_IFF_BASELINE(wasmtime_caller_context(NUL(0, caller)), "wasmtime_caller_context");
  }
  if (nresults) results[0] = val_i32(0);
  return NULL;
}
static void run_with_caller(const mcase *c) {
  fixture *f = fx();
  caller_case = c;
  host_mode = HOST_HOOK;
  host_hook = caller_hook;
  call_i32(f->ctx, &f->call_host, 1, 1);
  host_mode = HOST_NORMAL;
  EXPECT(host_calls == 1, "the host function did not run");
}
NULL_CASE(wasmtime_caller_export_get, "caller,name,item") { run_with_caller(c); }
NULL_CASE(wasmtime_caller_context, "caller") { run_with_caller(c); }
NULL_CASE(wasmtime_func_from_raw, "context,out") {
  fixture *f = fx();
  void *raw = wasmtime_func_to_raw(f->ctx, &f->seven);
  wasmtime_func_t func;
  memset(&func, 0x41, sizeof func);
  wasmtime_func_from_raw(NUL(0, f->ctx), raw, NUL(1, &func));
  if (BASELINE) EXPECT(func.store_id == f->seven.store_id, "round trip");
  if (c->a == 0) EXPECT(func.store_id == 0, "a function without a store");
  // NULL raw: the null funcref.
  wasmtime_func_from_raw(f->ctx, NULL, &func);
  EXPECT(func.store_id == 0, "NULL raw is not the null funcref");
}
NULL_CASE(wasmtime_func_to_raw, "context,func") {
  fixture *f = fx();
  void *raw = wasmtime_func_to_raw(NUL(0, f->ctx), NUL(1, &f->seven));
  EXPECT_NONNULL_IFF_BASELINE(raw, "wasmtime_func_to_raw");
}

// ---------------------------------------------------------------------------------------------
// Globals, tables, memories
// ---------------------------------------------------------------------------------------------

NULL_CASE(wasmtime_global_new, "context,type,value,out") {
  fixture *f = fx();
  wasm_globaltype_t *type = wasm_globaltype_new(wasm_valtype_new(WASM_I32), WASM_VAR);
  wasmtime_val_t v = val_i32(3);
  wasmtime_global_t global;
  EXPECT_ERROR_UNLESS(BASELINE, "wasmtime_global_new",
                      wasmtime_global_new(NUL(0, f->ctx), NUL(1, type), NUL(2, &v), NUL(3, &global)));
  wasm_globaltype_delete(type);
}
NULL_CASE(wasmtime_global_type, "context,global") {
  fixture *f = fx();
  wasm_globaltype_t *type = wasmtime_global_type(NUL(0, f->ctx), NUL(1, &f->g));
  EXPECT_NONNULL_IFF_BASELINE(type, "wasmtime_global_type");
  wasm_globaltype_delete(type);
}
NULL_CASE(wasmtime_global_get, "context,global,out") {
  fixture *f = fx();
  wasmtime_val_t v;
  memset(&v, 0, sizeof v);
  wasmtime_global_get(NUL(0, f->ctx), NUL(1, &f->g), NUL(2, &v));
  note("kind %d value %d", v.kind, v.of.i32);
  if (BASELINE) EXPECT(v.of.i32 == 7, "value");
}
NULL_CASE(wasmtime_global_set, "context,global,value") {
  fixture *f = fx();
  wasmtime_val_t v = val_i32(8);
  EXPECT_ERROR_UNLESS(BASELINE, "wasmtime_global_set", wasmtime_global_set(NUL(0, f->ctx), NUL(1, &f->g), NUL(2, &v)));
}
NULL_CASE(wasmtime_table_new, "context,type,init,out") {
  fixture *f = fx();
  wasm_limits_t limits = {1, 3};
  wasm_tabletype_t *type = wasm_tabletype_new(wasm_valtype_new(WASM_FUNCREF), &limits);
  wasmtime_val_t init = val_funcref(f->seven);
  wasmtime_table_t table;
  EXPECT_ERROR_UNLESS(BASELINE, "wasmtime_table_new",
                      wasmtime_table_new(NUL(0, f->ctx), NUL(1, type), NUL(2, &init), NUL(3, &table)));
  wasm_tabletype_delete(type);
}
NULL_CASE(wasmtime_table_type, "context,table") {
  fixture *f = fx();
  wasm_tabletype_t *type = wasmtime_table_type(NUL(0, f->ctx), NUL(1, &f->tab));
  EXPECT_NONNULL_IFF_BASELINE(type, "wasmtime_table_type");
  wasm_tabletype_delete(type);
}
NULL_CASE(wasmtime_table_get, "context,table,out") {
  fixture *f = fx();
  wasmtime_val_t v;
  EXPECT_TRUE_IFF_BASELINE(wasmtime_table_get(NUL(0, f->ctx), NUL(1, &f->tab), 0, NUL(2, &v)), "wasmtime_table_get");
}
NULL_CASE(wasmtime_table_set, "context,table,value") {
  fixture *f = fx();
  wasmtime_val_t v = val_funcref(f->seven);
  EXPECT_ERROR_UNLESS(BASELINE, "wasmtime_table_set", wasmtime_table_set(NUL(0, f->ctx), NUL(1, &f->tab), 3, NUL(2, &v)));
}
NULL_CASE(wasmtime_table_size, "context,table") {
  fixture *f = fx();
  uint64_t size = wasmtime_table_size(NUL(0, f->ctx), NUL(1, &f->tab));
  EXPECT(size == (BASELINE ? 4u : 0u), "size %llu", (unsigned long long)size);
}
NULL_CASE(wasmtime_table_grow, "context,table,init,previous") {
  fixture *f = fx();
  wasmtime_val_t init = val_funcref(f->seven);
  uint64_t previous = 0;
  EXPECT_ERROR_UNLESS(BASELINE || c->a == 3, "wasmtime_table_grow", // NULL previous-size pointer: tolerable
                      wasmtime_table_grow(NUL(0, f->ctx), NUL(1, &f->tab), 1, NUL(2, &init), NUL(3, &previous)));
}
NULL_CASE(wasmtime_memorytype_new, "out") {
  wasm_memorytype_t *type = NULL;
  EXPECT_ERROR_UNLESS(BASELINE, "wasmtime_memorytype_new", wasmtime_memorytype_new(1, true, 2, false, false, 16, NUL(0, &type)));
  wasm_memorytype_delete(type);
}
#define MEMORYTYPE_QUERY_CASE(fn)                                                               \
  NULL_CASE(fn, "type") {                                                                       \
    wasm_memorytype_t *type = make_memorytype();                                                \
    note(#fn ": %llu", (unsigned long long)fn(NUL(0, type)));                                   \
    wasm_memorytype_delete(type);                                                               \
  }
MEMORYTYPE_QUERY_CASE(wasmtime_memorytype_minimum)
MEMORYTYPE_QUERY_CASE(wasmtime_memorytype_is64)
MEMORYTYPE_QUERY_CASE(wasmtime_memorytype_isshared)
MEMORYTYPE_QUERY_CASE(wasmtime_memorytype_page_size)
MEMORYTYPE_QUERY_CASE(wasmtime_memorytype_page_size_log2)
NULL_CASE(wasmtime_memorytype_maximum, "type,max") {
  wasm_memorytype_t *type = make_memorytype();
  uint64_t max = 0;
  bool has = wasmtime_memorytype_maximum(NUL(0, type), NUL(1, &max));
  note("wasmtime_memorytype_maximum: %s", has ? "true" : "false");
  if (BASELINE) EXPECT(has && max == 5, "maximum");
  if (c->a == 0) EXPECT(!has, "a maximum of no type"); // a NULL output may be tolerated
  wasm_memorytype_delete(type);
}
NULL_CASE(wasmtime_memory_new, "context,type,out") {
  fixture *f = fx();
  wasm_memorytype_t *type = make_memorytype();
  wasmtime_memory_t memory;
  EXPECT_ERROR_UNLESS(BASELINE, "wasmtime_memory_new", wasmtime_memory_new(NUL(0, f->ctx), NUL(1, type), NUL(2, &memory)));
  wasm_memorytype_delete(type);
}
NULL_CASE(wasmtime_memory_type, "context,memory") {
  fixture *f = fx();
  wasm_memorytype_t *type = wasmtime_memory_type(NUL(0, f->ctx), NUL(1, &f->mem));
  EXPECT_NONNULL_IFF_BASELINE(type, "wasmtime_memory_type");
  wasm_memorytype_delete(type);
}
NULL_CASE(wasmtime_memory_data, "context,memory") {
  fixture *f = fx();
  EXPECT_NONNULL_IFF_BASELINE(wasmtime_memory_data(NUL(0, f->ctx), NUL(1, &f->mem)), "wasmtime_memory_data");
}
NULL_CASE(wasmtime_memory_data_size, "context,memory") {
  fixture *f = fx();
  size_t size = wasmtime_memory_data_size(NUL(0, f->ctx), NUL(1, &f->mem));
  EXPECT(size == (BASELINE ? 65536u : 0u), "size %zu", size);
}
NULL_CASE(wasmtime_memory_size, "context,memory") {
  fixture *f = fx();
  uint64_t size = wasmtime_memory_size(NUL(0, f->ctx), NUL(1, &f->mem));
  EXPECT(size == (BASELINE ? 1u : 0u), "size %llu", (unsigned long long)size);
}
// Shared memories: an engine with the switch on, a (memory 1 2 shared) and its type.
static wasm_engine_t *shared_memory_engine(void) {
  wasm_config_t *config = wasm_config_new();
  wasmtime_config_shared_memory_set(config, true);
  return wasm_engine_new_with_config(config);
}
static wasm_memorytype_t *shared_memory_type(void) {
  wasm_memorytype_t *type = NULL;
  wasmtime_error_t *error = wasmtime_memorytype_new(1, true, 2, false, true, 16, &type);
  if (error) wasmtime_error_delete(error);
  return type;
}
static wasmtime_sharedmemory_t *make_shared_memory(wasm_engine_t *engine) {
  wasm_memorytype_t *type = shared_memory_type();
  wasmtime_sharedmemory_t *memory = NULL;
  wasmtime_error_t *error = wasmtime_sharedmemory_new(engine, type, &memory);
  if (error) wasmtime_error_delete(error);
  wasm_memorytype_delete(type);
  return memory;
}
NULL_CASE(wasmtime_sharedmemory_new, "engine,ty,ret") {
  wasm_engine_t *engine = shared_memory_engine();
  wasm_memorytype_t *type = shared_memory_type();
  wasmtime_sharedmemory_t *memory = NULL;
  EXPECT_ERROR_UNLESS(BASELINE, "wasmtime_sharedmemory_new", wasmtime_sharedmemory_new(NUL(0, engine), NUL(1, type), NUL(2, &memory)));
  if (memory) wasmtime_sharedmemory_delete(memory);
  wasm_memorytype_delete(type);
  wasm_engine_delete(engine);
}
NULL_CASE(wasmtime_sharedmemory_delete, "memory") {
  wasm_engine_t *engine = shared_memory_engine();
  wasmtime_sharedmemory_t *memory = make_shared_memory(engine);
  wasmtime_sharedmemory_delete(NUL(0, memory));
  if (NULLED) wasmtime_sharedmemory_delete(memory);
  wasm_engine_delete(engine);
}
NULL_CASE(wasmtime_sharedmemory_clone, "memory") {
  wasm_engine_t *engine = shared_memory_engine();
  wasmtime_sharedmemory_t *memory = make_shared_memory(engine);
  wasmtime_sharedmemory_t *clone = wasmtime_sharedmemory_clone(NUL(0, memory));
  EXPECT_NONNULL_IFF_BASELINE(clone, "wasmtime_sharedmemory_clone");
  if (clone) wasmtime_sharedmemory_delete(clone);
  wasmtime_sharedmemory_delete(memory);
  wasm_engine_delete(engine);
}
NULL_CASE(wasmtime_sharedmemory_type, "memory") {
  wasm_engine_t *engine = shared_memory_engine();
  wasmtime_sharedmemory_t *memory = make_shared_memory(engine);
  wasm_memorytype_t *type = wasmtime_sharedmemory_type(NUL(0, memory));
  EXPECT_NONNULL_IFF_BASELINE(type, "wasmtime_sharedmemory_type");
  if (type) wasm_memorytype_delete(type);
  wasmtime_sharedmemory_delete(memory);
  wasm_engine_delete(engine);
}
NULL_CASE(wasmtime_sharedmemory_data, "memory") {
  wasm_engine_t *engine = shared_memory_engine();
  wasmtime_sharedmemory_t *memory = make_shared_memory(engine);
  uint8_t *data = wasmtime_sharedmemory_data(NUL(0, memory));
  EXPECT_NONNULL_IFF_BASELINE(data, "wasmtime_sharedmemory_data");
  wasmtime_sharedmemory_delete(memory);
  wasm_engine_delete(engine);
}
NULL_CASE(wasmtime_sharedmemory_data_size, "memory") {
  wasm_engine_t *engine = shared_memory_engine();
  wasmtime_sharedmemory_t *memory = make_shared_memory(engine);
  size_t size = wasmtime_sharedmemory_data_size(NUL(0, memory));
  note("size %zu", size);
  if (BASELINE) EXPECT(size == 65536, "one page");
  else EXPECT(size == 0, "a size with a NULL argument");
  wasmtime_sharedmemory_delete(memory);
  wasm_engine_delete(engine);
}
NULL_CASE(wasmtime_sharedmemory_size, "memory") {
  wasm_engine_t *engine = shared_memory_engine();
  wasmtime_sharedmemory_t *memory = make_shared_memory(engine);
  uint64_t pages = wasmtime_sharedmemory_size(NUL(0, memory));
  note("pages %llu", (unsigned long long)pages);
  if (BASELINE) EXPECT(pages == 1, "one page");
  else EXPECT(pages == 0, "pages with a NULL argument");
  wasmtime_sharedmemory_delete(memory);
  wasm_engine_delete(engine);
}
NULL_CASE(wasmtime_sharedmemory_grow, "memory,prev_size") {
  wasm_engine_t *engine = shared_memory_engine();
  wasmtime_sharedmemory_t *memory = make_shared_memory(engine);
  uint64_t previous = 0;
  EXPECT_ERROR_UNLESS(BASELINE || c->a == 1, "wasmtime_sharedmemory_grow", // NULL previous-size pointer: tolerable
                      wasmtime_sharedmemory_grow(NUL(0, memory), 1, NUL(1, &previous)));
  wasmtime_sharedmemory_delete(memory);
  wasm_engine_delete(engine);
}
NULL_CASE(wasmtime_memory_grow, "context,memory,previous") {
  fixture *f = fx();
  uint64_t previous = 0;
  EXPECT_ERROR_UNLESS(BASELINE || c->a == 2, "wasmtime_memory_grow", // NULL previous-size pointer: tolerable
                      wasmtime_memory_grow(NUL(0, f->ctx), NUL(1, &f->mem), 1, NUL(2, &previous)));
}
NULL_CASE(wasmtime_memory_page_size, "context,memory") {
  fixture *f = fx();
  note("page size %llu", (unsigned long long)wasmtime_memory_page_size(NUL(0, f->ctx), NUL(1, &f->mem)));
}
NULL_CASE(wasmtime_memory_page_size_log2, "context,memory") {
  fixture *f = fx();
  note("page size log2 %u", wasmtime_memory_page_size_log2(NUL(0, f->ctx), NUL(1, &f->mem)));
}

// ---------------------------------------------------------------------------------------------
// Externs, externrefs, values, value types
// ---------------------------------------------------------------------------------------------

NULL_CASE(wasmtime_extern_delete, "item") {
  wasmtime_extern_t item = {.kind = WASMTIME_EXTERN_FUNC, .of.func = fx()->seven};
  wasmtime_extern_delete(NUL(0, &item));
}
NULL_CASE(wasmtime_extern_type, "context,item") {
  fixture *f = fx();
  wasmtime_extern_t item = {.kind = WASMTIME_EXTERN_FUNC, .of.func = f->seven};
  wasm_externtype_t *type = wasmtime_extern_type(NUL(0, f->ctx), NUL(1, &item));
  EXPECT_NONNULL_IFF_BASELINE(type, "wasmtime_extern_type");
  wasm_externtype_delete(type);
}
NULL_CASE(wasmtime_externref_new, "context,out") {
  wasmtime_externref_t ref;
  bool made = wasmtime_externref_new(NUL(0, fx()->ctx), &finalized, finalizer, NUL(1, &ref));
  EXPECT_TRUE_IFF_BASELINE(made, "wasmtime_externref_new");
  if (made) wasmtime_externref_unroot(&ref);
  note("finalizer ran %d time(s)", finalized);
}
NULL_CASE(wasmtime_externref_data, "context,ref") {
  fixture *f = fx();
  EXPECT_NONNULL_IFF_BASELINE(wasmtime_externref_data(NUL(0, f->ctx), NUL(1, &f->ext)), "wasmtime_externref_data");
}
NULL_CASE(wasmtime_externref_clone, "ref,out") {
  fixture *f = fx();
  wasmtime_externref_t copy;
  memset(&copy, 0, sizeof copy);
  wasmtime_externref_clone(NUL(0, &f->ext), NUL(1, &copy));
  if (BASELINE) EXPECT(copy.store_id == f->ext.store_id, "clone");
  if (c->a == 0) EXPECT(copy.store_id == 0, "a clone of nothing");
  if (c->a != 1) wasmtime_externref_unroot(&copy);
}
NULL_CASE(wasmtime_externref_unroot, "ref") {
  fixture *f = fx();
  wasmtime_externref_t copy;
  wasmtime_externref_clone(&f->ext, &copy);
  wasmtime_externref_unroot(NUL(0, &copy));
  if (NULLED) wasmtime_externref_unroot(&copy);
}
NULL_CASE(wasmtime_externref_from_raw, "context,out") {
  if (!HAVE(wasmtime_externref_from_raw) || !HAVE(wasmtime_externref_to_raw)) skip("externref raw functions are not exported");
  fixture *f = fx();
  uint32_t raw = wasmtime_externref_to_raw(f->ctx, &f->ext);
  wasmtime_externref_t ref;
  memset(&ref, 0x41, sizeof ref);
  wasmtime_externref_from_raw(NUL(0, f->ctx), raw, NUL(1, &ref));
  if (BASELINE) {
    EXPECT(wasmtime_externref_data(f->ctx, &ref) == &fixture_ext_data, "round trip");
    wasmtime_externref_unroot(&ref);
  }
  if (c->a == 0) EXPECT(ref.store_id == 0, "an externref without a store");
}
NULL_CASE(wasmtime_externref_to_raw, "context,ref") {
  if (!HAVE(wasmtime_externref_to_raw)) skip("wasmtime_externref_to_raw is not exported");
  fixture *f = fx();
  uint32_t raw = wasmtime_externref_to_raw(NUL(0, f->ctx), NUL(1, &f->ext));
  note("raw %u", raw);
  if (BASELINE) EXPECT(raw != 0, "no raw form");
  else EXPECT(raw == 0, "a raw form with a NULL argument");
}
NULL_CASE(wasmtime_val_clone, "source,out") {
  fixture *f = fx();
  wasmtime_val_t source = val_externref(f->ext), copy;
  memset(&copy, 0, sizeof copy);
  wasmtime_val_clone(NUL(0, &source), NUL(1, &copy));
  if (BASELINE) EXPECT(copy.kind == WASMTIME_EXTERNREF && copy.of.externref.store_id != 0, "clone");
  if (c->a != 1) wasmtime_val_unroot(&copy);
}
NULL_CASE(wasmtime_val_unroot, "value") {
  fixture *f = fx();
  wasmtime_val_t source = val_externref(f->ext), copy;
  wasmtime_val_clone(&source, &copy);
  wasmtime_val_unroot(NUL(0, &copy));
  if (NULLED) wasmtime_val_unroot(&copy);
}
NULL_CASE(wasmtime_wasm_valtype_v128, "") {
  wasm_valtype_t *t = wasmtime_wasm_valtype_v128();
  EXPECT(t != NULL, "no v128 type");
  wasm_valtype_delete(t);
}
NULL_CASE(wasmtime_wasm_valtype_equal, "first,second") {
  wasm_valtype_t *a = make_valtype(), *b = make_valtype();
  EXPECT_TRUE_IFF_BASELINE(wasmtime_wasm_valtype_equal(NUL(0, a), NUL(1, b)), "wasmtime_wasm_valtype_equal");
  wasm_valtype_delete(a);
  wasm_valtype_delete(b);
}
NULL_CASE(wasmtime_valtype_new, "type,out") {
  wasm_valtype_t *t = wasm_valtype_new(WASM_FUNCREF);
  wasmtime_valtype_t out;
  memset(&out, 0, sizeof out);
  wasmtime_valtype_new(NUL(0, t), NUL(1, &out));
  if (BASELINE) EXPECT(out.kind == WASMTIME_VALTYPE_KIND_REF, "kind %d", out.kind);
  if (c->a != 1) wasmtime_valtype_delete(&out);
  wasm_valtype_delete(t);
}
NULL_CASE(wasmtime_valtype_clone, "type,out") {
  wasm_valtype_t *t = wasm_valtype_new(WASM_EXTERNREF);
  wasmtime_valtype_t source, out;
  wasmtime_valtype_new(t, &source);
  memset(&out, 0, sizeof out);
  wasmtime_valtype_clone(NUL(0, &source), NUL(1, &out));
  if (BASELINE) EXPECT(out.kind == source.kind, "kind");
  if (c->a != 1) wasmtime_valtype_delete(&out);
  wasmtime_valtype_delete(&source);
  wasm_valtype_delete(t);
}
NULL_CASE(wasmtime_valtype_delete, "type") {
  wasm_valtype_t *t = wasm_valtype_new(WASM_FUNCREF);
  wasmtime_valtype_t v;
  wasmtime_valtype_new(t, &v);
  wasmtime_valtype_delete(NUL(0, &v));
  if (NULLED) wasmtime_valtype_delete(&v);
  wasm_valtype_delete(t);
}
NULL_CASE(wasmtime_valtype_to_wasm, "engine,type") {
  wasm_valtype_t *t = wasm_valtype_new(WASM_I64);
  wasmtime_valtype_t v;
  wasmtime_valtype_new(t, &v);
  wasm_valtype_t *back = wasmtime_valtype_to_wasm(NUL(0, fx()->engine), NUL(1, &v));
  note("to_wasm: %s", back ? "non-NULL" : "NULL");
  if (BASELINE) EXPECT(back && wasm_valtype_kind(back) == WASM_I64, "round trip");
  if (c->a == 1) EXPECT(back == NULL, "a type from NULL");
  wasm_valtype_delete(back);
  wasmtime_valtype_delete(&v);
  wasm_valtype_delete(t);
}
NULL_CASE(wasmtime_heaptype_clone, "type,out") {
  wasmtime_heaptype_t source = {.kind = WASMTIME_HEAPTYPE_KIND_CONCRETE_FUNC, .of.concrete_func = make_functype()}, out;
  memset(&out, 0, sizeof out);
  wasmtime_heaptype_clone(NUL(0, &source), NUL(1, &out));
  if (BASELINE) EXPECT(out.kind == source.kind && out.of.concrete_func != NULL, "clone");
  if (c->a != 1) wasmtime_heaptype_delete(&out);
  wasmtime_heaptype_delete(&source);
}
NULL_CASE(wasmtime_heaptype_delete, "type") {
  wasmtime_heaptype_t t = {.kind = WASMTIME_HEAPTYPE_KIND_CONCRETE_FUNC, .of.concrete_func = make_functype()};
  wasmtime_heaptype_delete(NUL(0, &t));
  if (NULLED) wasmtime_heaptype_delete(&t);
}
NULL_CASE(wasmtime_reftype_clone, "type,out") {
  wasmtime_reftype_t source = {.nullable = true,
                               .heaptype = {.kind = WASMTIME_HEAPTYPE_KIND_CONCRETE_FUNC, .of.concrete_func = make_functype()}};
  wasmtime_reftype_t out;
  memset(&out, 0, sizeof out);
  wasmtime_reftype_clone(NUL(0, &source), NUL(1, &out));
  if (BASELINE) EXPECT(out.heaptype.kind == source.heaptype.kind && out.heaptype.of.concrete_func, "clone");
  if (c->a != 1) wasmtime_reftype_delete(&out);
  wasmtime_reftype_delete(&source);
}
NULL_CASE(wasmtime_reftype_delete, "type") {
  wasmtime_reftype_t t = {.nullable = true,
                          .heaptype = {.kind = WASMTIME_HEAPTYPE_KIND_CONCRETE_FUNC, .of.concrete_func = make_functype()}};
  wasmtime_reftype_delete(NUL(0, &t));
  if (NULLED) wasmtime_reftype_delete(&t);
}
NULL_CASE(wasmtime_wat2wasm, "text,out") {
  wasm_byte_vec_t out;
  POISON(out);
  EXPECT_ERROR_UNLESS(BASELINE, "wasmtime_wat2wasm", wasmtime_wat2wasm(NUL(0, "(module)"), 8, NUL(1, &out)));
  if (BASELINE) wasm_byte_vec_delete(&out);
  if (c->a == 0) EXPECT(out.size == 0 && out.data == NULL, "output not emptied");
}

// ---------------------------------------------------------------------------------------------
// swasm.h
// ---------------------------------------------------------------------------------------------

NULL_CASE(swasm_error_is_oom, "error") {
  if (!HAVE(swasm_error_is_oom)) skip("not swasm");
  wasmtime_error_t *error = wasmtime_error_new("x");
  EXPECT(!swasm_error_is_oom(NUL(0, error)), "an ordinary error is out of memory");
  wasmtime_error_delete(error);
}
NULL_CASE(swasm_trap_is_oom, "trap") {
  if (!HAVE(swasm_trap_is_oom)) skip("not swasm");
  wasm_trap_t *trap = wasmtime_trap_new_code(WASMTIME_TRAP_CODE_INTERRUPT);
  EXPECT(!swasm_trap_is_oom(NUL(0, trap)), "an ordinary trap is out of memory");
  wasm_trap_delete(trap);
}
NULL_CASE(swasm_module_disassemble, "module,out") {
  if (!HAVE(swasm_module_disassemble)) skip("not swasm");
  wasm_byte_vec_t out;
  POISON(out);
  // Function 4 is the fixture's first defined function (after four imports).
  bool ok = swasm_module_disassemble(NUL(0, fx()->module), 4, NUL(1, &out));
  EXPECT_TRUE_IFF_BASELINE(ok, "swasm_module_disassemble");
  if (c->a != 1) {
    if (!ok) EXPECT(out.size == 0, "output not emptied");
    wasm_byte_vec_delete(&out);
  }
}
static void *misuse_malloc(void *user, size_t size) { return user ? NULL : malloc(size); }
static void *misuse_realloc(void *user, void *ptr, size_t size) { return user ? NULL : realloc(ptr, size); }
static void misuse_free(void *user, void *ptr) { (void)user, free(ptr); }
NULL_CASE(swasm_set_allocator, "allocator") {
  if (!HAVE(swasm_set_allocator)) skip("not swasm");
  swasm_allocator_t allocator = {misuse_malloc, misuse_realloc, misuse_free, NULL};
  // Whether the library allocated before this case or not: NULL is refused, and once something
  // is allocated (the engine here) so is any allocator; the library goes on working.
  if (c->a == 0) EXPECT(!swasm_set_allocator(NULL), "a NULL allocator was installed");
  wasm_engine_t *engine = wasm_engine_new();
  EXPECT(engine != NULL, "no engine");
  EXPECT(!swasm_set_allocator(NUL(0, &allocator)), "an allocator was installed after an engine");
  wasm_engine_delete(engine);
  wasm_engine_delete(wasm_engine_new());
}
static const char script_text[] = "(module (func (export \"f\") (result i32) (i32.const 1)))\n"
                                  "(assert_return (invoke \"f\") (i32.const 1))\n";
NULL_CASE(swasm_script_parse, "text,error") {
  if (!HAVE(swasm_script_parse)) skip("not swasm");
  wasmtime_error_t *error = NULL;
  swasm_script_t *script = swasm_script_parse(NUL(0, script_text), sizeof script_text - 1, NUL(1, &error));
  note("script: %s", script ? "non-NULL" : "NULL");
  if (c->a == 0) EXPECT(script == NULL, "a script from NULL text");
  if (BASELINE) EXPECT(script != NULL, "no script");
  show_error("swasm_script_parse", error);
  swasm_script_delete(script);
}
NULL_CASE(swasm_script_command_count, "script") {
  if (!HAVE(swasm_script_command_count)) skip("not swasm");
  wasmtime_error_t *error = NULL;
  swasm_script_t *script = swasm_script_parse(script_text, sizeof script_text - 1, &error);
  size_t count = swasm_script_command_count(NUL(0, script));
  EXPECT(count == (BASELINE ? 2u : 0u), "count %zu", count);
  swasm_script_delete(script);
}
NULL_CASE(swasm_script_command, "script,out") {
  if (!HAVE(swasm_script_command)) skip("not swasm");
  wasmtime_error_t *error = NULL;
  swasm_script_t *script = swasm_script_parse(script_text, sizeof script_text - 1, &error);
  swasm_script_command_t command;
  EXPECT_TRUE_IFF_BASELINE(swasm_script_command(NUL(0, script), 0, NUL(1, &command)), "swasm_script_command");
  swasm_script_delete(script);
}
NULL_CASE(swasm_script_delete, "script") {
  if (!HAVE(swasm_script_delete)) skip("not swasm");
  wasmtime_error_t *error = NULL;
  swasm_script_t *script = swasm_script_parse(script_text, sizeof script_text - 1, &error);
  swasm_script_delete(NUL(0, script));
  if (NULLED) swasm_script_delete(script);
}

// MARK: async.h

// Polls a future to the end and deletes it (NULL: nothing to do).
static void finish_future(wasmtime_call_future_t *future) {
  if (!future) return;
  while (!wasmtime_call_future_poll(future)) {
  }
  wasmtime_call_future_delete(future);
}
NULL_CASE(wasmtime_config_async_stack_size_set, "config") {
  wasm_config_t *config = wasm_config_new();
  wasmtime_config_async_stack_size_set(NUL(0, config), 1 << 20);
  wasm_config_delete(config);
}
NULL_CASE(wasmtime_context_fuel_async_yield_interval, "context") {
  // The fixture's engine does not meter fuel: an error either way, never a crash.
  wasmtime_error_t *error = wasmtime_context_fuel_async_yield_interval(NUL(0, fx()->ctx), 1000);
  EXPECT_ERROR("wasmtime_context_fuel_async_yield_interval", error);
}
NULL_CASE(wasmtime_context_epoch_deadline_async_yield_and_update, "context") {
  // A store of its own: the setting changes how its deadlines end.
  wasmtime_store_t *store = wasmtime_store_new(fx()->engine, NULL, NULL);
  wasmtime_error_t *error = wasmtime_context_epoch_deadline_async_yield_and_update(NUL(0, wasmtime_store_context(store)), 1);
  EXPECT_ERROR_UNLESS(BASELINE, "wasmtime_context_epoch_deadline_async_yield_and_update", error);
  wasmtime_store_delete(store);
}
NULL_CASE(wasmtime_func_call_async, "context,func,args,results,trap,error") {
  fixture *f = fx();
  wasmtime_val_t args[2] = {val_i32(2), val_i32(3)}, result = val_i32(0);
  wasm_trap_t *trap = NULL;
  wasmtime_error_t *error = NULL;
  wasmtime_call_future_t *future =
      wasmtime_func_call_async(NUL(0, f->ctx), NUL(1, &f->add), NUL(2, args), 2, NUL(3, &result), 1, NUL(4, &trap), NUL(5, &error));
  // NULL trap or error pointers are tolerable while nothing fails.
  bool fine = BASELINE || c->a >= 4;
  EXPECT(fine == (future != NULL), "future %p", (void *)future);
  finish_future(future);
  if (fine) {
    EXPECT_OK("wasmtime_func_call_async", error);
    EXPECT(result.of.i32 == 5, "result %d", result.of.i32);
  } else {
    EXPECT_ERROR("wasmtime_func_call_async", error);
  }
}
NULL_CASE(wasmtime_call_future_poll, "future") {
  EXPECT(wasmtime_call_future_poll(NUL(0, (wasmtime_call_future_t *)"not a future")), "poll of a non-future is done");
}
NULL_CASE(wasmtime_call_future_delete, "future") {
  wasmtime_call_future_delete(NUL(0, (wasmtime_call_future_t *)"not a future")); // ignored either way
}
NULL_CASE(wasmtime_linker_instantiate_async, "linker,context,module,instance,trap,error") {
  fixture *f = fx();
  wasmtime_module_t *module = compile_wat(f->engine, small_wat);
  wasmtime_instance_t instance;
  wasm_trap_t *trap = NULL;
  wasmtime_error_t *error = NULL;
  wasmtime_call_future_t *future = wasmtime_linker_instantiate_async(NUL(0, f->linker), NUL(1, f->ctx), NUL(2, module), NUL(3, &instance),
                                                                     NUL(4, &trap), NUL(5, &error));
  bool fine = BASELINE || c->a >= 4;
  EXPECT(fine == (future != NULL), "future %p", (void *)future);
  finish_future(future);
  EXPECT_ERROR_UNLESS(fine, "wasmtime_linker_instantiate_async", error);
  wasmtime_module_delete(module);
}
static bool async_done(void *env) {
  (void)env;
  return true;
}
static void async_callback(void *env, wasmtime_caller_t *caller, const wasmtime_val_t *args, size_t nargs, wasmtime_val_t *results,
                           size_t nresults, wasm_trap_t **trap_ret, wasmtime_async_continuation_t *continuation) {
  (void)env, (void)caller, (void)args, (void)nargs, (void)trap_ret;
  if (nresults) results[0] = val_i32(3);
  continuation->callback = async_done;
  continuation->env = &finalized;
  continuation->finalizer = finalizer;
}
NULL_CASE(wasmtime_linker_define_async_func, "linker,module,name,type,callback") {
  // A linker of its own: one defining an async function instantiates only asynchronously.
  wasmtime_linker_t *linker = wasmtime_linker_new(fx()->engine);
  wasm_functype_t *type = functype_i_i();
  EXPECT_ERROR_UNLESS(BASELINE, "wasmtime_linker_define_async_func",
                      wasmtime_linker_define_async_func(NUL(0, linker), NUL(1, "m"), 1, NUL(2, "n"), 1, NUL(3, type),
                                                        NUL(4, async_callback), &finalized, finalizer));
  wasm_functype_delete(type);
  if (NULLED) EXPECT(finalized == 1, "the data's finalizer ran %d time(s)", finalized);
  if (BASELINE) {
    // The function suspends an async call and gives its result.
    wasmtime_module_t *module = compile_wat(fx()->engine, "(module (import \"m\" \"n\" (func $n (param i32) (result i32)))"
                                                          " (func (export \"f\") (result i32) (call $n (i32.const 1))))");
    wasmtime_store_t *store = wasmtime_store_new(fx()->engine, NULL, NULL);
    wasmtime_context_t *context = wasmtime_store_context(store);
    wasmtime_instance_t instance;
    wasm_trap_t *trap = NULL;
    wasmtime_error_t *error = NULL;
    finish_future(wasmtime_linker_instantiate_async(linker, context, module, &instance, &trap, &error));
    EXPECT_OK("wasmtime_linker_instantiate_async", error);
    wasmtime_extern_t item;
    EXPECT(wasmtime_instance_export_get(context, &instance, "f", 1, &item), "export f");
    wasmtime_val_t result = val_i32(0);
    finish_future(wasmtime_func_call_async(context, &item.of.func, NULL, 0, &result, 1, &trap, &error));
    EXPECT_OK("wasmtime_func_call_async", error);
    EXPECT(trap == NULL && result.of.i32 == 3 && finalized == 1, "result %d, continuation finalized %d time(s)", result.of.i32, finalized);
    wasmtime_store_delete(store);
    wasmtime_module_delete(module);
  }
  wasmtime_linker_delete(linker);
  if (BASELINE) EXPECT(finalized == 2, "finalizers ran %d time(s)", finalized);
}
static wasmtime_error_t *refuse_stack(void *env, size_t size, bool zeroed, wasmtime_stack_memory_t *stack) {
  (void)env, (void)size, (void)zeroed, (void)stack;
  return wasmtime_error_new("no stacks");
}
NULL_CASE(wasmtime_config_host_stack_creator_set, "config,creator") {
  // The creator's environment is finalized once: with the configuration, or at once without one
  // (nothing takes it over); a NULL creator changes nothing.
  wasmtime_stack_creator_t creator = {&finalized, refuse_stack, finalizer};
  wasm_config_t *config = wasm_config_new();
  wasmtime_config_host_stack_creator_set(NUL(0, config), NUL(1, &creator));
  wasm_config_delete(config);
  int expected = c->a == 1 ? 0 : 1;
  EXPECT(finalized == expected, "the creator's finalizer ran %d time(s)", finalized);
}
NULL_CASE(wasmtime_instance_pre_instantiate_async, "instance_pre,context,instance,trap,error") {
  wasmtime_instance_pre_t *pre = make_instance_pre();
  wasmtime_instance_t instance;
  wasm_trap_t *trap = NULL;
  wasmtime_error_t *error = NULL;
  wasmtime_call_future_t *future =
      wasmtime_instance_pre_instantiate_async(NUL(0, pre), NUL(1, fx()->ctx), NUL(2, &instance), NUL(3, &trap), NUL(4, &error));
  bool fine = BASELINE || c->a >= 3;
  EXPECT(fine == (future != NULL), "future %p", (void *)future);
  finish_future(future);
  EXPECT_ERROR_UNLESS(fine, "wasmtime_instance_pre_instantiate_async", error);
  wasmtime_instance_pre_delete(pre);
}

// Whether `size` bytes at `data` (not NUL-terminated) contain `text`.
static int json_contains(const char *data, size_t size, const char *text) {
  size_t length = strlen(text);
  for (size_t at = 0; data && at + length <= size; at++)
    if (memcmp(data + at, text, length) == 0) return 1;
  return 0;
}

// The guest profiler: NULL where wasmtime aborts is refused (NULL from new, an error from finish,
// which still consumes a profiler it is given); sample and delete ignore NULL.
static wasmtime_guestprofiler_t *new_guest_profiler(void) {
  wasm_name_t name = {4, (char *)"prof"};
  wasmtime_guestprofiler_modules_t modules[1] = {{&name, fx()->module}};
  return wasmtime_guestprofiler_new(fx()->engine, &name, 1000, modules, 1);
}
NULL_CASE(wasmtime_guestprofiler_new, "engine,module_name") {
  wasm_name_t name = {4, (char *)"prof"};
  wasmtime_guestprofiler_t *profiler = wasmtime_guestprofiler_new(NUL(0, fx()->engine), NUL(1, &name), 1000, NULL, 0);
  EXPECT_NONNULL_IFF_BASELINE(profiler, "wasmtime_guestprofiler_new");
  wasmtime_guestprofiler_delete(profiler);
}
NULL_CASE(wasmtime_guestprofiler_sample, "guestprofiler,store") {
  wasmtime_guestprofiler_t *profiler = new_guest_profiler();
  EXPECT(profiler != NULL, "no profiler");
  wasmtime_guestprofiler_sample(NUL(0, profiler), NUL(1, fx()->store), 1000);
  wasm_byte_vec_t out;
  EXPECT_OK("wasmtime_guestprofiler_finish", wasmtime_guestprofiler_finish(profiler, &out));
  // Only the baseline recorded a sample.
  EXPECT(json_contains(out.data, out.size, BASELINE ? "\"samples\":{\"length\":1," : "\"samples\":{\"length\":0,"), "samples");
  wasm_byte_vec_delete(&out);
}
NULL_CASE(wasmtime_guestprofiler_finish, "guestprofiler,out") {
  wasmtime_guestprofiler_t *profiler = new_guest_profiler();
  wasm_byte_vec_t out;
  POISON(out);
  EXPECT_ERROR_UNLESS(BASELINE, "wasmtime_guestprofiler_finish", wasmtime_guestprofiler_finish(NUL(0, profiler), NUL(1, &out)));
  if (BASELINE) wasm_byte_vec_delete(&out);
  if (c->a == 0) wasmtime_guestprofiler_delete(profiler); // not consumed: it was not given
}
NULL_CASE(wasmtime_guestprofiler_delete, "guestprofiler") {
  wasmtime_guestprofiler_t *profiler = new_guest_profiler();
  wasmtime_guestprofiler_delete(NUL(0, profiler));
  if (NULLED) wasmtime_guestprofiler_delete(profiler);
}
