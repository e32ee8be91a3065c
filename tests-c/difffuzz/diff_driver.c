// Differential-fuzzing driver: loads a wasmtime-C-API library with dlopen (libswasm.so or
// wasmtime's libwasmtime.so, both through the same headers), runs one module through it and prints
// a canonical, deterministic report on stdout. Two reports of the same module from two libraries
// are equal exactly when the libraries behaved the same as far as the driver can observe.
//
//   diff_driver [options] LIBRARY.so MODULE.wasm
//     --fuel N        fuel given to instantiation and to every call (default 100000)
//     --rounds N      argument patterns per exported function, 1..3 (default 3)
//     --max-wasm-stack BYTES  the engines' max_wasm_stack (default 64 MiB; the driver runs on a
//                     thread with a larger native stack)
//     --memdump       also print the non-zero 32-byte rows of exported memories after each step
//     --messages      print error and trap messages to stderr (never into the report)
//
// Report format: see README.md. Exit status 0 when a report was produced (whatever the module
// did), 2 for usage errors, 3 when the library lacks a needed symbol or cannot create an engine.

#define _GNU_SOURCE
#include <dlfcn.h>
#include <inttypes.h>
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <wasm.h>
#include <wasmtime.h>

// ---------------------------------------------------------------------------------------------
// The API, resolved from the library at run time. `__typeof__(&f)` takes each function's type
// from the headers without referencing the symbol itself, so this program links against nothing.

#define API_FUNCTIONS(X)                                                                          \
  X(wasm_config_new)                                                                              \
  X(wasmtime_config_consume_fuel_set)                                                             \
  X(wasmtime_config_parallel_compilation_set)                                                     \
  X(wasmtime_config_max_wasm_stack_set)                                                           \
  X(wasmtime_config_shared_memory_set)                                                            \
  X(wasmtime_sharedmemory_new)                                                                    \
  X(wasmtime_sharedmemory_delete)                                                                 \
  X(wasmtime_sharedmemory_data)                                                                   \
  X(wasmtime_sharedmemory_data_size)                                                              \
  X(wasmtime_sharedmemory_size)                                                                   \
  X(wasmtime_memorytype_isshared)                                                                 \
  X(wasmtime_extern_delete)                                                                       \
  X(wasm_engine_new_with_config)                                                                  \
  X(wasm_engine_delete)                                                                           \
  X(wasmtime_store_new)                                                                           \
  X(wasmtime_store_context)                                                                       \
  X(wasmtime_store_delete)                                                                        \
  X(wasmtime_store_limiter)                                                                       \
  X(wasmtime_context_set_fuel)                                                                    \
  X(wasmtime_context_get_fuel)                                                                    \
  X(wasmtime_module_new)                                                                          \
  X(wasmtime_module_delete)                                                                       \
  X(wasmtime_module_imports)                                                                      \
  X(wasmtime_module_exports)                                                                      \
  X(wasm_importtype_vec_delete)                                                                   \
  X(wasm_importtype_module)                                                                       \
  X(wasm_importtype_name)                                                                         \
  X(wasm_importtype_type)                                                                         \
  X(wasm_exporttype_vec_delete)                                                                   \
  X(wasm_exporttype_name)                                                                         \
  X(wasm_exporttype_type)                                                                         \
  X(wasm_externtype_kind)                                                                         \
  X(wasm_externtype_as_functype_const)                                                            \
  X(wasm_externtype_as_globaltype_const)                                                          \
  X(wasm_externtype_as_tabletype_const)                                                           \
  X(wasm_externtype_as_memorytype_const)                                                          \
  X(wasm_functype_params)                                                                         \
  X(wasm_functype_results)                                                                        \
  X(wasm_functype_delete)                                                                         \
  X(wasmtime_valtype_new)                                                                         \
  X(wasmtime_valtype_delete)                                                                      \
  X(wasm_globaltype_content)                                                                      \
  X(wasm_globaltype_mutability)                                                                   \
  X(wasm_globaltype_delete)                                                                       \
  X(wasm_tabletype_element)                                                                       \
  X(wasm_tabletype_limits)                                                                        \
  X(wasm_tabletype_delete)                                                                        \
  X(wasmtime_memorytype_minimum)                                                                  \
  X(wasmtime_memorytype_maximum)                                                                  \
  X(wasmtime_memorytype_is64)                                                                     \
  X(wasm_memorytype_delete)                                                                       \
  X(wasmtime_func_new)                                                                            \
  X(wasmtime_func_type)                                                                           \
  X(wasmtime_func_call)                                                                           \
  X(wasmtime_global_new)                                                                          \
  X(wasmtime_global_get)                                                                          \
  X(wasmtime_global_type)                                                                         \
  X(wasmtime_memory_new)                                                                          \
  X(wasmtime_memory_data)                                                                         \
  X(wasmtime_memory_data_size)                                                                    \
  X(wasmtime_memory_size)                                                                         \
  X(wasmtime_table_new)                                                                           \
  X(wasmtime_table_size)                                                                          \
  X(wasmtime_table_get)                                                                           \
  X(wasmtime_table_type)                                                                          \
  X(wasmtime_instance_new)                                                                        \
  X(wasmtime_instance_export_nth)                                                                 \
  X(wasmtime_error_delete)                                                                        \
  X(wasmtime_error_message)                                                                       \
  X(wasm_trap_delete)                                                                             \
  X(wasm_trap_message)                                                                            \
  X(wasmtime_trap_code)                                                                           \
  X(wasm_byte_vec_delete)                                                                         \
  X(wasmtime_val_unroot)                                                                          \
  X(wasmtime_context_has_exception)                                                               \
  X(wasmtime_context_take_exception)                                                              \
  X(wasmtime_exnref_unroot)

#define DECLARE_POINTER(name) static __typeof__(&name) p_##name;
API_FUNCTIONS(DECLARE_POINTER)
#undef DECLARE_POINTER
static __typeof__(&wasmtime_config_async_stack_size_set) p_wasmtime_config_async_stack_size_set;

static bool load_api(const char *path) {
  void *lib = dlopen(path, RTLD_LOCAL | RTLD_NOW);
  if (!lib) {
    fprintf(stderr, "diff_driver: cannot load %s: %s\n", path, dlerror());
    return false;
  }
  bool ok = true;
#define RESOLVE(name)                                                                             \
  p_##name = (__typeof__(&name))dlsym(lib, #name);                                                \
  if (!p_##name) {                                                                                \
    fprintf(stderr, "diff_driver: %s does not export " #name "\n", path);                         \
    ok = false;                                                                                   \
  }
  API_FUNCTIONS(RESOLVE)
#undef RESOLVE
  // Optional: wasmtime refuses a max_wasm_stack above its async stack size even when async is
  // unused; swasm has no async support and does not export the setter.
  p_wasmtime_config_async_stack_size_set =
      (__typeof__(&wasmtime_config_async_stack_size_set))dlsym(lib, "wasmtime_config_async_stack_size_set");
  return ok; // the library stays loaded for the life of the process
}

// ---------------------------------------------------------------------------------------------
// Options and small helpers.

static uint64_t opt_fuel = 100000;
static int opt_rounds = 3;
static bool opt_memdump = false;
static bool opt_messages = false;
static size_t opt_max_wasm_stack = 64u << 20;

// Resource limits applied identically to both libraries so that memory hashing stays cheap and
// neither side can exhaust the machine; growth beyond them fails (memory.grow returns -1).
#define LIMIT_MEMORY_BYTES (16 * 1024 * 1024)
#define LIMIT_TABLE_ELEMENTS 10000

static void out(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void out(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vprintf(fmt, ap);
  va_end(ap);
}

#define FNV_OFFSET 0xcbf29ce484222325ULL
#define FNV_PRIME 0x100000001b3ULL

static uint64_t fnv_bytes(uint64_t h, const void *data, size_t n) {
  const uint8_t *p = data;
  for (size_t i = 0; i < n; i++) {
    h ^= p[i];
    h *= FNV_PRIME;
  }
  return h;
}

static uint64_t fnv_u64(uint64_t h, uint64_t v) { return fnv_bytes(h, &v, sizeof v); }


// Names are arbitrary bytes: printed quoted, with anything but printable ASCII escaped.
static void print_name(const char *p, size_t n) {
  putchar('"');
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)p[i];
    if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\')
      putchar(c);
    else
      printf("\\%02x", c);
  }
  putchar('"');
}

static void report_error(const char *what, wasmtime_error_t *error) {
  if (opt_messages) {
    wasm_byte_vec_t msg = {0, NULL};
    p_wasmtime_error_message(error, &msg);
    fprintf(stderr, "[%s error] %.*s\n", what, (int)msg.size, msg.data ? msg.data : "");
    p_wasm_byte_vec_delete(&msg);
  }
  p_wasmtime_error_delete(error);
}

static const char *trap_code_name(wasmtime_trap_code_t code) {
  switch (code) {
  case WASMTIME_TRAP_CODE_STACK_OVERFLOW: return "stack_overflow";
  case WASMTIME_TRAP_CODE_MEMORY_OUT_OF_BOUNDS: return "memory_out_of_bounds";
  case WASMTIME_TRAP_CODE_HEAP_MISALIGNED: return "heap_misaligned";
  case WASMTIME_TRAP_CODE_TABLE_OUT_OF_BOUNDS: return "table_out_of_bounds";
  case WASMTIME_TRAP_CODE_INDIRECT_CALL_TO_NULL: return "indirect_call_to_null";
  case WASMTIME_TRAP_CODE_BAD_SIGNATURE: return "bad_signature";
  case WASMTIME_TRAP_CODE_INTEGER_OVERFLOW: return "integer_overflow";
  case WASMTIME_TRAP_CODE_INTEGER_DIVISION_BY_ZERO: return "integer_division_by_zero";
  case WASMTIME_TRAP_CODE_BAD_CONVERSION_TO_INTEGER: return "bad_conversion_to_integer";
  case WASMTIME_TRAP_CODE_UNREACHABLE_CODE_REACHED: return "unreachable";
  case WASMTIME_TRAP_CODE_INTERRUPT: return "interrupt";
  case WASMTIME_TRAP_CODE_OUT_OF_FUEL: return "out_of_fuel";
  case WASMTIME_TRAP_CODE_NULL_REFERENCE: return "null_reference";
  case WASMTIME_TRAP_CODE_ALLOCATION_TOO_LARGE: return "allocation_too_large";
  case WASMTIME_TRAP_CODE_UNHANDLED_TAG: return "unhandled_tag";
  default: return "other";
  }
}

// Prints " trap CODE_NAME(CODE)" (or " trap nocode") and frees the trap.
static void report_trap(const char *what, wasm_trap_t *trap) {
  wasmtime_trap_code_t code = 0;
  if (p_wasmtime_trap_code(trap, &code))
    out("trap %s(%u)", trap_code_name(code), (unsigned)code);
  else
    out("trap nocode");
  if (opt_messages) {
    wasm_byte_vec_t msg = {0, NULL};
    p_wasm_trap_message(trap, &msg);
    fprintf(stderr, "[%s trap] %.*s\n", what, (int)msg.size, msg.data ? msg.data : "");
    p_wasm_byte_vec_delete(&msg);
  }
  p_wasm_trap_delete(trap);
}

// Frees a trap, printing its message to stderr with --messages (nothing into the report).
static void report_trap_quietly(const char *what, wasm_trap_t *trap) {
  if (opt_messages) {
    wasm_byte_vec_t msg = {0, NULL};
    p_wasm_trap_message(trap, &msg);
    fprintf(stderr, "[%s trap] %.*s\n", what, (int)msg.size, msg.data ? msg.data : "");
    p_wasm_byte_vec_delete(&msg);
  }
  p_wasm_trap_delete(trap);
}

// ---------------------------------------------------------------------------------------------
// Types.

// exnref has no wasm.h kind: the driver's own code for it (wasm_valkind_t is a byte; wasm.h
// uses 0..4 and 128..129).
#define KIND_EXNREF ((wasm_valkind_t)0x90)

static const char *valkind_name(wasm_valkind_t k) {
  switch (k) {
  case WASM_I32: return "i32";
  case WASM_I64: return "i64";
  case WASM_F32: return "f32";
  case WASM_F64: return "f64";
  case WASMTIME_VALTYPE_KIND_V128: return "v128";
  case WASM_EXTERNREF: return "externref";
  case WASM_FUNCREF: return "funcref";
  case KIND_EXNREF: return "exnref";
  default: return "?";
  }
}

// The kind of a value type. wasm.h's wasm_valtype_kind has no v128 (wasmtime aborts on it), so
// the kind comes from wasmtime's richer type: numbers keep wasm.h's codes, v128 is 4.
static wasm_valkind_t valtype_kind(const wasm_valtype_t *vt) {
  wasmtime_valtype_t t;
  memset(&t, 0, sizeof t);
  p_wasmtime_valtype_new(vt, &t);
  wasm_valkind_t k;
  switch (t.kind) {
  case WASMTIME_VALTYPE_KIND_I32: k = WASM_I32; break;
  case WASMTIME_VALTYPE_KIND_I64: k = WASM_I64; break;
  case WASMTIME_VALTYPE_KIND_F32: k = WASM_F32; break;
  case WASMTIME_VALTYPE_KIND_F64: k = WASM_F64; break;
  case WASMTIME_VALTYPE_KIND_V128: k = WASMTIME_VALTYPE_KIND_V128; break;
  case WASMTIME_VALTYPE_KIND_REF:
    switch (t.reftype.heaptype.kind) {
    case WASMTIME_HEAPTYPE_KIND_EXTERN:
    case WASMTIME_HEAPTYPE_KIND_NOEXTERN: k = WASM_EXTERNREF; break;
    case WASMTIME_HEAPTYPE_KIND_FUNC:
    case WASMTIME_HEAPTYPE_KIND_CONCRETE_FUNC:
    case WASMTIME_HEAPTYPE_KIND_NOFUNC: k = WASM_FUNCREF; break;
    case WASMTIME_HEAPTYPE_KIND_EXN:
    case WASMTIME_HEAPTYPE_KIND_CONCRETE_EXN:
    case WASMTIME_HEAPTYPE_KIND_NOEXN: k = KIND_EXNREF; break;
    default: k = 0xfe; break;
    }
    break;
  default: k = 0xff; break;
  }
  p_wasmtime_valtype_delete(&t);
  return k;
}

static void print_valtypes(const wasm_valtype_vec_t *v) {
  putchar('(');
  for (size_t i = 0; i < v->size; i++)
    out("%s%s", i ? " " : "", valkind_name(valtype_kind(v->data[i])));
  putchar(')');
}

static void print_functype(const wasm_functype_t *ft) {
  print_valtypes(p_wasm_functype_params(ft));
  out("->");
  print_valtypes(p_wasm_functype_results(ft));
}

// A signature as a hash, for funcrefs found in tables, globals and results.
static uint64_t functype_hash(const wasm_functype_t *ft) {
  uint64_t h = FNV_OFFSET;
  const wasm_valtype_vec_t *ps = p_wasm_functype_params(ft), *rs = p_wasm_functype_results(ft);
  for (size_t i = 0; i < ps->size; i++)
    h = fnv_u64(h, valtype_kind(ps->data[i]));
  h = fnv_u64(h, 0xff);
  for (size_t i = 0; i < rs->size; i++)
    h = fnv_u64(h, valtype_kind(rs->data[i]));
  return h;
}

static void print_limits(const wasm_limits_t *l) {
  out("%" PRIu32, l->min);
  if (l->max != wasm_limits_max_default)
    out("..%" PRIu32, l->max);
}

static void print_externtype(const wasm_externtype_t *et) {
  switch (p_wasm_externtype_kind(et)) {
  case WASM_EXTERN_FUNC:
    out("func ");
    print_functype(p_wasm_externtype_as_functype_const(et));
    break;
  case WASM_EXTERN_GLOBAL: {
    const wasm_globaltype_t *gt = p_wasm_externtype_as_globaltype_const(et);
    out("global %s %s", p_wasm_globaltype_mutability(gt) == WASM_VAR ? "var" : "const",
        valkind_name(valtype_kind(p_wasm_globaltype_content(gt))));
    break;
  }
  case WASM_EXTERN_TABLE: {
    const wasm_tabletype_t *tt = p_wasm_externtype_as_tabletype_const(et);
    out("table %s ", valkind_name(valtype_kind(p_wasm_tabletype_element(tt))));
    print_limits(p_wasm_tabletype_limits(tt));
    break;
  }
  case WASM_EXTERN_MEMORY: {
    const wasm_memorytype_t *mt = p_wasm_externtype_as_memorytype_const(et);
    uint64_t max = 0;
    out("memory %s%" PRIu64, p_wasmtime_memorytype_is64(mt) ? "i64 " : "",
        p_wasmtime_memorytype_minimum(mt));
    if (p_wasmtime_memorytype_maximum(mt, &max))
      out("..%" PRIu64, max);
    break;
  }
  case WASM_EXTERN_TAG:
    out("tag"); // its payload type would need wasm_tagtype_functype, not in swasm's C API
    break;
  default:
    out("kind%u", (unsigned)p_wasm_externtype_kind(et));
  }
}

// ---------------------------------------------------------------------------------------------
// Values. Scalars print bit-exactly except that every f32/f64 NaN prints as `nan`: NaN bit
// patterns produced by arithmetic are nondeterministic by the spec. v128 values print raw (the
// orchestrator asks wasm-smith to canonicalise NaNs produced by vector arithmetic).

static wasmtime_context_t *ctx;
static wasm_engine_t *engine;

static void print_val(const wasmtime_val_t *v) {
  switch (v->kind) {
  case WASMTIME_I32: out("i32:%08" PRIx32, (uint32_t)v->of.i32); break;
  case WASMTIME_I64: out("i64:%016" PRIx64, (uint64_t)v->of.i64); break;
  case WASMTIME_F32: {
    uint32_t bits;
    memcpy(&bits, &v->of.f32, 4);
    if (isnan(v->of.f32)) out("f32:nan");
    else out("f32:%08" PRIx32, bits);
    break;
  }
  case WASMTIME_F64: {
    uint64_t bits;
    memcpy(&bits, &v->of.f64, 8);
    if (isnan(v->of.f64)) out("f64:nan");
    else out("f64:%016" PRIx64, bits);
    break;
  }
  case WASMTIME_V128:
    out("v128:");
    for (int i = 15; i >= 0; i--) out("%02x", v->of.v128[i]);
    break;
  case WASMTIME_FUNCREF:
    if (wasmtime_funcref_is_null(&v->of.funcref)) {
      out("funcref:null");
    } else {
      wasm_functype_t *ft = p_wasmtime_func_type(ctx, &v->of.funcref);
      out("funcref:");
      if (ft) {
        print_functype(ft);
        p_wasm_functype_delete(ft);
      } else {
        out("notype");
      }
    }
    break;
  case WASMTIME_EXTERNREF:
    out("externref:%s", v->of.externref.store_id == 0 ? "null" : "nonnull");
    break;
  case WASMTIME_EXNREF:
    out("exnref:%s", v->of.exnref.store_id == 0 ? "null" : "nonnull");
    break;
  default: out("kind%u", (unsigned)v->kind);
  }
}

// Hash of a value with NaNs folded, for host-call logs.
static uint64_t hash_val(uint64_t h, const wasmtime_val_t *v) {
  h = fnv_u64(h, v->kind);
  switch (v->kind) {
  case WASMTIME_I32: return fnv_u64(h, (uint32_t)v->of.i32);
  case WASMTIME_I64: return fnv_u64(h, (uint64_t)v->of.i64);
  case WASMTIME_F32: {
    uint32_t bits;
    memcpy(&bits, &v->of.f32, 4);
    return fnv_u64(h, isnan(v->of.f32) ? 0x7fc00000u : bits);
  }
  case WASMTIME_F64: {
    uint64_t bits;
    memcpy(&bits, &v->of.f64, 8);
    return fnv_u64(h, isnan(v->of.f64) ? 0x7ff8000000000000ULL : bits);
  }
  case WASMTIME_V128: return fnv_bytes(h, v->of.v128, 16);
  case WASMTIME_FUNCREF: return fnv_u64(h, wasmtime_funcref_is_null(&v->of.funcref));
  case WASMTIME_EXTERNREF: return fnv_u64(h, v->of.externref.store_id == 0);
  case WASMTIME_EXNREF: return fnv_u64(h, v->of.exnref.store_id == 0);
  default: return h;
  }
}

static void zero_val(wasmtime_val_t *v, wasm_valkind_t k) {
  memset(v, 0, sizeof *v);
  switch (k) {
  case WASM_I32: v->kind = WASMTIME_I32; break;
  case WASM_I64: v->kind = WASMTIME_I64; break;
  case WASM_F32: v->kind = WASMTIME_F32; break;
  case WASM_F64: v->kind = WASMTIME_F64; break;
  case WASMTIME_VALTYPE_KIND_V128: v->kind = WASMTIME_V128; break;
  case WASM_FUNCREF: v->kind = WASMTIME_FUNCREF; break; // store_id 0: null
  case WASM_EXTERNREF: v->kind = WASMTIME_EXTERNREF; break;
  case KIND_EXNREF: v->kind = WASMTIME_EXNREF; break; // store_id 0: null
  default: v->kind = 0xff; break;
  }
}

// Deterministic argument i of pattern `round` (0: zeros, 1: small values, 2: extremes).
static void make_arg(wasmtime_val_t *v, wasm_valkind_t k, int round, size_t i) {
  zero_val(v, k);
  if (round == 0) return;
  uint32_t u = (uint32_t)i;
  switch (k) {
  case WASM_I32:
    v->of.i32 = round == 1 ? (int32_t)(u + 1) : (int32_t)(0x80000000u ^ (u * 0x9e3779b9u));
    break;
  case WASM_I64:
    v->of.i64 = round == 1 ? (int64_t)(0x100000001ULL * (u + 1)) : (int64_t)(~0ULL - u);
    break;
  case WASM_F32: {
    static const uint32_t extremes[] = {0x7f7fffffu, 0x80000000u, 0xff800000u, 0x00000001u};
    uint32_t bits;
    if (round == 1) {
      float f = 1.5f + (float)u;
      memcpy(&bits, &f, 4);
    } else {
      bits = extremes[i % 4];
    }
    memcpy(&v->of.f32, &bits, 4);
    break;
  }
  case WASM_F64: {
    static const uint64_t extremes[] = {0x7fefffffffffffffULL, 0x8000000000000000ULL,
                                        0x7ff0000000000000ULL, 0x0000000000000001ULL};
    uint64_t bits;
    if (round == 1) {
      double d = -2.25 - (double)u;
      memcpy(&bits, &d, 8);
    } else {
      bits = extremes[i % 4];
    }
    memcpy(&v->of.f64, &bits, 8);
    break;
  }
  case WASMTIME_VALTYPE_KIND_V128:
    for (int b = 0; b < 16; b++)
      v->of.v128[b] = round == 1 ? (uint8_t)(16 * u + b) : (uint8_t)(0xff ^ (u + b));
    break;
  default: break; // references stay null
  }
}

// ---------------------------------------------------------------------------------------------
// Imports: every import is satisfied by an object the driver creates from the import's type, so
// the same module gets the same environment on both libraries. Host functions log their calls
// (count and a hash of the import index and arguments) and return values derived from that log.

static uint64_t host_calls = 0;
static uint64_t host_hash = FNV_OFFSET;

static wasm_trap_t *host_callback(void *env, wasmtime_caller_t *caller, const wasmtime_val_t *args,
                                  size_t nargs, wasmtime_val_t *results, size_t nresults) {
  (void)caller;
  host_calls++;
  host_hash = fnv_u64(host_hash, (uint64_t)(uintptr_t)env);
  for (size_t i = 0; i < nargs; i++)
    host_hash = hash_val(host_hash, &args[i]);
  for (size_t i = 0; i < nresults; i++) {
    // The result kinds are the callee's declared result types; the caller pre-sets them.
    wasmtime_valkind_t kind = results[i].kind;
    uint64_t r = fnv_u64(host_hash, i);
    memset(&results[i].of, 0, sizeof results[i].of);
    results[i].kind = kind;
    switch (kind) {
    case WASMTIME_I32: results[i].of.i32 = (int32_t)r; break;
    case WASMTIME_I64: results[i].of.i64 = (int64_t)r; break;
    case WASMTIME_F32: {
      uint32_t bits = (uint32_t)r & 0xbf7fffffu; // exponent never all ones: no NaN, no infinity
      memcpy(&results[i].of.f32, &bits, 4);
      break;
    }
    case WASMTIME_F64: {
      uint64_t bits = r & 0xbfefffffffffffffULL;
      memcpy(&results[i].of.f64, &bits, 8);
      break;
    }
    case WASMTIME_V128:
      for (int b = 0; b < 16; b++) results[i].of.v128[b] = (uint8_t)(r >> ((b % 8) * 8)) ^ (uint8_t)b;
      break;
    default: break; // references: null
    }
  }
  return NULL;
}

// Callers of host functions in wasmtime do not pre-set result kinds; keep the declared kinds per
// import so the callback can fill them in.
typedef struct {
  size_t import_index;
  size_t nresults;
  wasmtime_valkind_t *kinds;
} host_env_t;

static host_env_t *host_envs;

static wasm_trap_t *host_trampoline(void *env, wasmtime_caller_t *caller, const wasmtime_val_t *args,
                                    size_t nargs, wasmtime_val_t *results, size_t nresults) {
  host_env_t *he = env;
  for (size_t i = 0; i < nresults; i++)
    results[i].kind = i < he->nresults ? he->kinds[i] : WASMTIME_I32;
  return host_callback((void *)(uintptr_t)he->import_index, caller, args, nargs, results, nresults);
}

static wasmtime_valkind_t to_wasmtime_kind(wasm_valkind_t k) {
  wasmtime_val_t v;
  zero_val(&v, k);
  return v.kind;
}

// Global import value by index and type (never NaN).
static void import_global_value(wasmtime_val_t *v, wasm_valkind_t k, size_t index) {
  make_arg(v, k, 1, index + 7);
}

static bool make_import(size_t index, const wasm_externtype_t *et, wasmtime_extern_t *ext) {
  wasmtime_error_t *err = NULL;
  memset(ext, 0, sizeof *ext);
  switch (p_wasm_externtype_kind(et)) {
  case WASM_EXTERN_FUNC: {
    const wasm_functype_t *ft = p_wasm_externtype_as_functype_const(et);
    host_env_t *he = &host_envs[index];
    const wasm_valtype_vec_t *rs = p_wasm_functype_results(ft);
    he->import_index = index;
    he->nresults = rs->size;
    he->kinds = calloc(rs->size + 1, sizeof *he->kinds);
    for (size_t i = 0; i < rs->size; i++)
      he->kinds[i] = to_wasmtime_kind(valtype_kind(rs->data[i]));
    ext->kind = WASMTIME_EXTERN_FUNC;
    p_wasmtime_func_new(ctx, ft, host_trampoline, he, NULL, &ext->of.func);
    return true;
  }
  case WASM_EXTERN_GLOBAL: {
    const wasm_globaltype_t *gt = p_wasm_externtype_as_globaltype_const(et);
    wasmtime_val_t v;
    import_global_value(&v, valtype_kind(p_wasm_globaltype_content(gt)), index);
    ext->kind = WASMTIME_EXTERN_GLOBAL;
    err = p_wasmtime_global_new(ctx, gt, &v, &ext->of.global);
    break;
  }
  case WASM_EXTERN_TABLE: {
    const wasm_tabletype_t *tt = p_wasm_externtype_as_tabletype_const(et);
    wasmtime_val_t init;
    zero_val(&init, valtype_kind(p_wasm_tabletype_element(tt)));
    ext->kind = WASMTIME_EXTERN_TABLE;
    err = p_wasmtime_table_new(ctx, tt, &init, &ext->of.table);
    break;
  }
  case WASM_EXTERN_MEMORY: {
    const wasm_memorytype_t *mt = p_wasm_externtype_as_memorytype_const(et);
    if (p_wasmtime_memorytype_isshared(mt)) { // the handle stays alive for the process's run
      ext->kind = WASMTIME_EXTERN_SHAREDMEMORY;
      err = p_wasmtime_sharedmemory_new(engine, mt, &ext->of.sharedmemory);
      break;
    }
    ext->kind = WASMTIME_EXTERN_MEMORY;
    err = p_wasmtime_memory_new(ctx, mt, &ext->of.memory);
    break;
  }
  default:
    return false;
  }
  if (err) {
    report_error("import", err);
    return false;
  }
  return true;
}

// ---------------------------------------------------------------------------------------------
// State dumps of exported globals, memories and tables, and of the host-call log.

static bool page_is_zero(const uint8_t *p, size_t n) {
  const uint64_t *w = (const uint64_t *)p;
  uint64_t acc = 0;
  size_t words = n / 8;
  for (size_t i = 0; i < words; i++) acc |= w[i];
  for (size_t i = words * 8; i < n; i++) acc |= p[i];
  return acc == 0;
}

// FNV-1a over (page index, page bytes) for every non-zero 64 KiB page, so that large zero
// memories hash quickly. Equal contents give equal hashes.
static uint64_t hash_memory(const uint8_t *data, size_t size) {
  uint64_t h = FNV_OFFSET;
  const size_t page = 65536;
  for (size_t off = 0; off < size; off += page) {
    size_t n = size - off < page ? size - off : page;
    if (page_is_zero(data + off, n)) continue;
    h = fnv_u64(h, off / page);
    h = fnv_bytes(h, data + off, n);
  }
  return h;
}

static void dump_memory_rows(const uint8_t *data, size_t size) {
  for (size_t off = 0; off < size; off += 32) {
    size_t n = size - off < 32 ? size - off : 32;
    if (page_is_zero(data + off, n)) continue;
    out("    %08zx:", off);
    for (size_t i = 0; i < n; i++) out(" %02x", data[off + i]);
    out("\n");
  }
}

static wasmtime_instance_t instance;
static size_t export_count;

static void dump_state(void) {
  for (size_t i = 0; i < export_count; i++) {
    char *name;
    size_t name_len;
    wasmtime_extern_t ext;
    if (!p_wasmtime_instance_export_nth(ctx, &instance, i, &name, &name_len, &ext)) break;
    switch (ext.kind) {
    case WASMTIME_EXTERN_GLOBAL: {
      wasmtime_val_t v;
      p_wasmtime_global_get(ctx, &ext.of.global, &v);
      out("  global %zu ", i);
      print_val(&v);
      out("\n");
      p_wasmtime_val_unroot(&v);
      break;
    }
    case WASMTIME_EXTERN_MEMORY: {
      uint8_t *data = p_wasmtime_memory_data(ctx, &ext.of.memory);
      size_t size = p_wasmtime_memory_data_size(ctx, &ext.of.memory);
      uint64_t pages = p_wasmtime_memory_size(ctx, &ext.of.memory);
      out("  memory %zu pages=%" PRIu64 " bytes=%zu hash=%016" PRIx64 "\n", i, pages, size,
          data || size == 0 ? hash_memory(data, size) : 0);
      if (opt_memdump && data) dump_memory_rows(data, size);
      break;
    }
    case WASMTIME_EXTERN_SHAREDMEMORY: { // reported as a memory: its handle is deleted after
      uint8_t *data = p_wasmtime_sharedmemory_data(ext.of.sharedmemory);
      size_t size = p_wasmtime_sharedmemory_data_size(ext.of.sharedmemory);
      uint64_t pages = p_wasmtime_sharedmemory_size(ext.of.sharedmemory);
      out("  memory %zu pages=%" PRIu64 " bytes=%zu hash=%016" PRIx64 "\n", i, pages, size,
          data || size == 0 ? hash_memory(data, size) : 0);
      if (opt_memdump && data) dump_memory_rows(data, size);
      p_wasmtime_extern_delete(&ext);
      break;
    }
    case WASMTIME_EXTERN_TABLE: {
      uint64_t size = p_wasmtime_table_size(ctx, &ext.of.table);
      uint64_t h = FNV_OFFSET, nonnull = 0, missing = 0;
      char pattern[65];
      size_t plen = 0;
      for (uint64_t e = 0; e < size; e++) {
        wasmtime_val_t v;
        char c;
        if (!p_wasmtime_table_get(ctx, &ext.of.table, e, &v)) {
          missing++;
          c = '!';
          h = fnv_u64(h, 0xdead);
        } else if (v.kind == WASMTIME_FUNCREF) {
          if (wasmtime_funcref_is_null(&v.of.funcref)) {
            c = 'n';
            h = fnv_u64(h, 0);
          } else {
            wasm_functype_t *ft = p_wasmtime_func_type(ctx, &v.of.funcref);
            c = 'f';
            nonnull++;
            h = fnv_u64(h, ft ? functype_hash(ft) : 1);
            if (ft) p_wasm_functype_delete(ft);
          }
        } else if (v.kind == WASMTIME_EXTERNREF) {
          bool null = v.of.externref.store_id == 0;
          c = null ? 'n' : 'e';
          nonnull += !null;
          h = fnv_u64(h, null ? 0 : 2);
          p_wasmtime_val_unroot(&v);
        } else if (v.kind == WASMTIME_EXNREF) {
          bool null = v.of.exnref.store_id == 0;
          c = null ? 'n' : 'x';
          nonnull += !null;
          h = fnv_u64(h, null ? 0 : 3);
          p_wasmtime_val_unroot(&v);
        } else {
          c = '?';
          h = fnv_u64(h, 0x100 + v.kind);
        }
        if (e < 64) pattern[plen++] = c;
      }
      pattern[plen] = 0;
      out("  table %zu size=%" PRIu64 " nonnull=%" PRIu64 " hash=%016" PRIx64, i, size, nonnull, h);
      if (missing) out(" unreadable=%" PRIu64, missing);
      if (size > 0) out(" head=%s", pattern);
      out("\n");
      break;
    }
    default: break;
    }
  }
  out("  host calls=%" PRIu64 " hash=%016" PRIx64 "\n", host_calls, host_hash);
  fflush(stdout);
}

// ---------------------------------------------------------------------------------------------

static uint8_t *read_file(const char *path, size_t *size) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  size_t cap = 1 << 16, n = 0;
  uint8_t *buf = malloc(cap);
  for (;;) {
    if (n == cap) buf = realloc(buf, cap *= 2);
    size_t got = fread(buf + n, 1, cap - n, f);
    if (got == 0) break;
    n += got;
  }
  fclose(f);
  *size = n;
  return buf;
}

static uint64_t fuel_used(void) {
  uint64_t left = 0;
  wasmtime_error_t *err = p_wasmtime_context_get_fuel(ctx, &left);
  if (err) {
    report_error("get_fuel", err);
    return UINT64_MAX;
  }
  return opt_fuel - left;
}

// After a failed instantiation or call: when a Wasm exception escaped (pending in the store),
// takes and releases it so that the store is clean for the next call, and returns true. The
// libraries end such a call differently (swasm with an error, wasmtime with a trap without a
// code), so the report says only "uncaught exception".
static bool take_uncaught_exception(void) {
  if (!p_wasmtime_context_has_exception(ctx)) return false;
  wasmtime_exnref_t exn;
  memset(&exn, 0, sizeof exn);
  if (p_wasmtime_context_take_exception(ctx, &exn)) p_wasmtime_exnref_unroot(&exn);
  return true;
}

static bool set_fuel(void) {
  wasmtime_error_t *err = p_wasmtime_context_set_fuel(ctx, opt_fuel);
  if (err) {
    report_error("set_fuel", err);
    return false;
  }
  return true;
}

static int usage(void) {
  fprintf(stderr, "usage: diff_driver [--fuel N] [--rounds 1..3] [--max-wasm-stack BYTES] [--memdump] [--messages] LIBRARY.so MODULE.wasm\n");
  return 2;
}

static int run(int argc, char **argv) {
  int i = 1;
  for (; i < argc && argv[i][0] == '-'; i++) {
    if (!strcmp(argv[i], "--fuel") && i + 1 < argc) {
      char *end;
      opt_fuel = strtoull(argv[++i], &end, 10);
      if (*end || opt_fuel == 0) return usage();
    } else if (!strcmp(argv[i], "--rounds") && i + 1 < argc) {
      opt_rounds = atoi(argv[++i]);
      if (opt_rounds < 1 || opt_rounds > 3) return usage();
    } else if (!strcmp(argv[i], "--max-wasm-stack") && i + 1 < argc) {
      char *end;
      opt_max_wasm_stack = strtoull(argv[++i], &end, 10);
      if (*end || opt_max_wasm_stack == 0) return usage();
    } else if (!strcmp(argv[i], "--memdump")) {
      opt_memdump = true;
    } else if (!strcmp(argv[i], "--messages")) {
      opt_messages = true;
    } else {
      return usage();
    }
  }
  if (argc - i != 2) return usage();
  const char *lib_path = argv[i], *wasm_path = argv[i + 1];
  setvbuf(stdout, NULL, _IOFBF, 1 << 16);

  size_t wasm_size = 0;
  uint8_t *wasm = read_file(wasm_path, &wasm_size);
  if (!wasm) {
    fprintf(stderr, "diff_driver: cannot read %s\n", wasm_path);
    return 2;
  }
  if (!load_api(lib_path)) return 3;

  wasm_config_t *config = p_wasm_config_new();
  p_wasmtime_config_consume_fuel_set(config, true);
  p_wasmtime_config_parallel_compilation_set(config, false);
  p_wasmtime_config_max_wasm_stack_set(config, opt_max_wasm_stack);
  p_wasmtime_config_shared_memory_set(config, true); // modules with shared memories (threads)
  if (p_wasmtime_config_async_stack_size_set)
    p_wasmtime_config_async_stack_size_set(config, opt_max_wasm_stack + (1u << 20));
  engine = p_wasm_engine_new_with_config(config);
  if (!engine) {
    fprintf(stderr, "diff_driver: no engine\n");
    return 3;
  }
  wasmtime_store_t *store = p_wasmtime_store_new(engine, NULL, NULL);
  p_wasmtime_store_limiter(store, LIMIT_MEMORY_BYTES, LIMIT_TABLE_ELEMENTS, -1, -1, -1);
  ctx = p_wasmtime_store_context(store);

  out("difffuzz-report 1 fuel=%" PRIu64 " rounds=%d\n", opt_fuel, opt_rounds);

  // Compilation and the module's reflected imports and exports.
  wasmtime_module_t *module = NULL;
  wasmtime_error_t *err = p_wasmtime_module_new(engine, wasm, wasm_size, &module);
  if (err) {
    out("compile error\n");
    report_error("compile", err);
    goto done;
  }
  out("compile ok\n");
  wasm_importtype_vec_t imports = {0, NULL};
  p_wasmtime_module_imports(module, &imports);
  for (size_t k = 0; k < imports.size; k++) {
    const wasm_name_t *mod = p_wasm_importtype_module(imports.data[k]);
    const wasm_name_t *nm = p_wasm_importtype_name(imports.data[k]);
    out("import %zu ", k);
    print_name(mod->data, mod->size);
    out(" ");
    print_name(nm->data, nm->size);
    out(" ");
    print_externtype(p_wasm_importtype_type(imports.data[k]));
    out("\n");
  }
  wasm_exporttype_vec_t exports = {0, NULL};
  p_wasmtime_module_exports(module, &exports);
  for (size_t k = 0; k < exports.size; k++) {
    const wasm_name_t *nm = p_wasm_exporttype_name(exports.data[k]);
    out("export %zu ", k);
    print_name(nm->data, nm->size);
    out(" ");
    print_externtype(p_wasm_exporttype_type(exports.data[k]));
    out("\n");
  }
  p_wasm_exporttype_vec_delete(&exports);
  fflush(stdout);

  // Instantiation, with fuel (a start function runs under it).
  host_envs = calloc(imports.size + 1, sizeof *host_envs);
  wasmtime_extern_t *externs = calloc(imports.size + 1, sizeof *externs);
  bool imports_ok = true;
  for (size_t k = 0; k < imports.size && imports_ok; k++)
    imports_ok = make_import(k, p_wasm_importtype_type(imports.data[k]), &externs[k]);
  size_t nimports = imports.size;
  p_wasm_importtype_vec_delete(&imports);
  if (!imports_ok) {
    out("imports error\n");
    goto done_module;
  }
  if (!set_fuel()) {
    out("fuel error\n");
    goto done_module;
  }
  wasm_trap_t *trap = NULL;
  err = p_wasmtime_instance_new(ctx, module, externs, nimports, &instance, &trap);
  uint64_t used = fuel_used();
  if ((err || trap) && take_uncaught_exception()) {
    out("instantiate uncaught exception fuel=%" PRIu64 "\n", used);
    if (err) report_error("instantiate", err);
    if (trap) report_trap_quietly("instantiate", trap);
    goto done_module;
  }
  if (err) {
    out("instantiate error fuel=%" PRIu64 "\n", used);
    report_error("instantiate", err);
    goto done_module;
  }
  if (trap) {
    out("instantiate ");
    report_trap("instantiate", trap);
    out(" fuel=%" PRIu64 "\n", used);
    goto done_module;
  }
  out("instantiate ok fuel=%" PRIu64 "\n", used);

  // The instance's exports in order (names checked against the module's list by the diff).
  {
    char *name;
    size_t name_len;
    wasmtime_extern_t ext;
    while (p_wasmtime_instance_export_nth(ctx, &instance, export_count, &name, &name_len, &ext)) {
      out("instance-export %zu ", export_count);
      print_name(name, name_len);
      out(" kind=%u\n", (unsigned)ext.kind);
      export_count++;
    }
  }
  out("state initial\n");
  dump_state();

  // Calls: each round calls every exported function, in export order, with that round's
  // argument pattern; the store's state carries over from call to call (traps included).
  for (int round = 0; round < opt_rounds; round++) {
    for (size_t e = 0; e < export_count; e++) {
      char *name;
      size_t name_len;
      wasmtime_extern_t ext;
      if (!p_wasmtime_instance_export_nth(ctx, &instance, e, &name, &name_len, &ext)) break;
      if (ext.kind != WASMTIME_EXTERN_FUNC) continue;
      wasm_functype_t *ft = p_wasmtime_func_type(ctx, &ext.of.func);
      if (!ft) {
        out("call %d.%zu notype\n", round, e);
        continue;
      }
      const wasm_valtype_vec_t *ps = p_wasm_functype_params(ft), *rs = p_wasm_functype_results(ft);
      size_t np = ps->size, nr = rs->size;
      wasmtime_val_t *args = calloc(np + 1, sizeof *args);
      wasmtime_val_t *results = calloc(nr + 1, sizeof *results);
      for (size_t a = 0; a < np; a++) make_arg(&args[a], valtype_kind(ps->data[a]), round, a);
      out("call %d.%zu (", round, e);
      for (size_t a = 0; a < np; a++) {
        if (a) out(" ");
        print_val(&args[a]);
      }
      out(") -> ");
      p_wasm_functype_delete(ft);
      if (!set_fuel()) {
        out("fuel error\n");
        free(args);
        free(results);
        continue;
      }
      trap = NULL;
      err = p_wasmtime_func_call(ctx, &ext.of.func, args, np, results, nr, &trap);
      used = fuel_used();
      if ((err || trap) && take_uncaught_exception()) {
        out("uncaught exception");
        if (err) report_error("call", err);
        if (trap) report_trap_quietly("call", trap);
      } else if (err) {
        out("error");
        report_error("call", err);
      } else if (trap) {
        report_trap("call", trap);
      } else {
        out("ok");
        for (size_t r = 0; r < nr; r++) {
          out(" ");
          print_val(&results[r]);
          p_wasmtime_val_unroot(&results[r]);
        }
      }
      out(" fuel=%" PRIu64 "\n", used);
      free(args);
      free(results);
      dump_state();
    }
  }

done_module:
  free(externs);
  for (size_t k = 0; host_envs && k < nimports; k++) free(host_envs[k].kinds);
  free(host_envs);
  p_wasmtime_module_delete(module);
done:
  out("end\n");
  fflush(stdout);
  p_wasmtime_store_delete(store);
  p_wasm_engine_delete(engine);
  free(wasm);
  return 0;
}

// Wasm runs on the calling thread's native stack in wasmtime, so the driver runs on a thread whose
// stack is well above max_wasm_stack: then both libraries report deep recursion as a
// stack-overflow trap at their own configured limit, never by overflowing the thread.
struct run_args {
  int argc;
  char **argv;
  int status;
};

static void *run_thread(void *p) {
  struct run_args *ra = p;
  ra->status = run(ra->argc, ra->argv);
  return NULL;
}

int main(int argc, char **argv) {
  for (int i = 1; i + 1 < argc; i++)
    if (!strcmp(argv[i], "--max-wasm-stack")) opt_max_wasm_stack = strtoull(argv[i + 1], NULL, 10);
  struct run_args ra = {argc, argv, 1};
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setstacksize(&attr, opt_max_wasm_stack * 2 + (64u << 20));
  pthread_t thread;
  if (pthread_create(&thread, &attr, run_thread, &ra) != 0) {
    fprintf(stderr, "diff_driver: cannot create the run thread\n");
    return 3;
  }
  pthread_join(thread, NULL);
  return ra.status;
}
