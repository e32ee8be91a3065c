// Names and buffers family.
//
// Names: every function taking a (pointer, length) name — linker definitions and lookups, instance
// and caller export lookups, import/export type constructors — given invalid UTF-8 (a lone 0xff, a
// truncated sequence, an overlong encoding, a surrogate, a code point above U+10FFFF, a lone
// continuation byte), and tricky valid names (empty, an embedded NUL, a 4-byte character). Every
// name is passed in a buffer that ends right before an inaccessible page, so reading past the
// length faults. Definitions must refuse invalid UTF-8 with an error (wasmtime: "input was not
// valid utf-8") and run the finalizer of a host function they refuse; lookups must not find
// anything; an embedded NUL must not truncate the name ("mem\0x" is not "mem").
//
// Buffers: module binaries, artifacts, text, messages, scripts passed unterminated at the end of a
// page, truncated by one byte, with length 0 at the inaccessible page, and NULL with length 0;
// paths that are empty, directories, devices (/dev/zero, /dev/urandom: endless), /proc files.
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "misuse.h"

typedef struct name_variant {
  const char *name;
  const char *bytes;
  size_t length;
  bool valid;
} name_variant;

static const name_variant names[] = {
    {"utf8_ff", "\xff", 1, false},
    {"utf8_truncated", "ab\xc3", 3, false},
    {"utf8_overlong", "\xc0\xaf", 2, false},
    {"utf8_surrogate", "\xed\xa0\x80", 3, false},
    {"utf8_above_10ffff", "\xf4\x90\x80\x80", 4, false},
    {"utf8_lone_continuation", "a\x80z", 3, false},
    {"empty", "", 0, true},
    {"embedded_nul", "m\0x", 3, true},
    {"four_byte_char", "\xf0\x9f\x98\x80", 4, true},
};
enum { NAME_COUNT = sizeof names / sizeof *names };

static int finalizer_runs;
static void count_finalizer(void *data) {
  (void)data;
  finalizer_runs++;
}

static wasm_trap_t *noop_callback(void *env, wasmtime_caller_t *caller, const wasmtime_val_t *args, size_t nargs,
                                  wasmtime_val_t *results, size_t nresults) {
  (void)env, (void)caller, (void)args, (void)nargs;
  for (size_t i = 0; i < nresults; i++) results[i] = val_i32(0);
  return NULL;
}
static wasm_trap_t *noop_raw(void *env, wasmtime_caller_t *caller, wasmtime_val_raw_t *values, size_t n) {
  (void)env, (void)caller, (void)values, (void)n;
  return NULL;
}

// Where the name goes: which function, which of its name arguments.
enum {
  P_DEFINE_MODULE,
  P_DEFINE_NAME,
  P_DEFINE_FUNC_MODULE,
  P_DEFINE_FUNC_NAME,
  P_DEFINE_FUNC_UNCHECKED_MODULE,
  P_DEFINE_FUNC_UNCHECKED_NAME,
  P_DEFINE_INSTANCE,
  P_LINKER_MODULE,
  P_LINKER_GET_MODULE,
  P_LINKER_GET_NAME,
  P_LINKER_GET_DEFAULT,
  P_INSTANCE_EXPORT_GET,
  P_CALLER_EXPORT_GET,
  P_IMPORTTYPE_MODULE,
  P_IMPORTTYPE_NAME,
  P_EXPORTTYPE_NAME,
  P_COUNT
};
static const char *const position_names[] = {
    "module",   "name",     "module",  "name",   "module", "name", "name", "name",
    "module",   "name",     "name",    "name",   "name",   "module", "name", "name"};
static const char *const position_functions[] = {
    "wasmtime_linker_define",           "wasmtime_linker_define",
    "wasmtime_linker_define_func",      "wasmtime_linker_define_func",
    "wasmtime_linker_define_func_unchecked", "wasmtime_linker_define_func_unchecked",
    "wasmtime_linker_define_instance",  "wasmtime_linker_module",
    "wasmtime_linker_get",              "wasmtime_linker_get",
    "wasmtime_linker_get_default",      "wasmtime_instance_export_get",
    "wasmtime_caller_export_get",       "wasm_importtype_new",
    "wasm_importtype_new",              "wasm_exporttype_new"};

static const name_variant *current_name;
static const char *current_bytes;
static int current_position;

static wasm_trap_t *caller_lookup_hook(wasmtime_caller_t *caller, const wasmtime_val_t *args, size_t nargs,
                                       wasmtime_val_t *results, size_t nresults) {
  (void)args, (void)nargs;
  wasmtime_extern_t item;
  bool found = wasmtime_caller_export_get(caller, current_bytes, current_name->length, &item);
  note("wasmtime_caller_export_get: %s", found ? "found" : "not found");
  EXPECT(!found, "an export named %s", current_name->name);
  if (nresults) results[0] = val_i32(0);
  return NULL;
}

// Defines under the name (invalid: must be refused), or looks it up (must not be found).
static void name_case(const mcase *c) {
  fixture *f = fx();
  const name_variant *n = &names[c->b];
  const char *bytes = guarded_copy(n->bytes, n->length);
  current_name = n;
  current_bytes = bytes;
  current_position = c->a;
  note("%s name \"%s\" as the %s argument", n->valid ? "valid" : "invalid", n->name, position_names[c->a]);
  wasmtime_linker_t *linker = wasmtime_linker_new(f->engine);
  wasmtime_extern_t item = {.kind = WASMTIME_EXTERN_FUNC, .of.func = f->seven};
  wasm_functype_t *type = functype_i_i();
  const char *m = "m", *x = "x";
  size_t ml = 1, xl = 1;
  bool is_module_arg = strcmp(position_names[c->a], "module") == 0;
  if (is_module_arg) m = bytes, ml = n->length;
  else x = bytes, xl = n->length;
  wasmtime_error_t *error = NULL;
  bool definition = true;
  finalizer_runs = 0;
  switch (c->a) {
  case P_DEFINE_MODULE:
  case P_DEFINE_NAME:
    error = wasmtime_linker_define(linker, f->ctx, m, ml, x, xl, &item);
    break;
  case P_DEFINE_FUNC_MODULE:
  case P_DEFINE_FUNC_NAME:
    error = wasmtime_linker_define_func(linker, m, ml, x, xl, type, noop_callback, &finalizer_runs, count_finalizer);
    break;
  case P_DEFINE_FUNC_UNCHECKED_MODULE:
  case P_DEFINE_FUNC_UNCHECKED_NAME:
    error = wasmtime_linker_define_func_unchecked(linker, m, ml, x, xl, type, noop_raw, &finalizer_runs, count_finalizer);
    break;
  case P_DEFINE_INSTANCE:
    error = wasmtime_linker_define_instance(linker, f->ctx, x, xl, &f->inst);
    break;
  case P_LINKER_MODULE: {
    wasmtime_module_t *module = compile_wat(f->engine, "(module (func (export \"f\")))");
    error = wasmtime_linker_module(linker, f->ctx, x, xl, module);
    wasmtime_module_delete(module);
    break;
  }
  default:
    definition = false;
    break;
  }
  if (definition) {
    if (n->valid) {
      EXPECT_OK(position_functions[c->a], error);
      // The name round-trips: found under exactly these bytes, not under a truncation.
      if (c->a <= P_DEFINE_FUNC_UNCHECKED_NAME) {
        wasmtime_extern_t got;
        EXPECT(wasmtime_linker_get(linker, f->ctx, m, ml, x, xl, &got), "not found under its own name");
        if (n->length == 3 && n->bytes[1] == '\0')
          EXPECT(!wasmtime_linker_get(linker, f->ctx, is_module_arg ? "m" : m, is_module_arg ? 1 : ml,
                                      is_module_arg ? x : "m", is_module_arg ? xl : 1, &got),
                 "found under the name truncated at its NUL");
      }
    } else {
      EXPECT_ERROR(position_functions[c->a], error);
      if (c->a >= P_DEFINE_FUNC_MODULE && c->a <= P_DEFINE_FUNC_UNCHECKED_NAME) {
        note("finalizer ran %d time(s)", finalizer_runs);
        EXPECT(finalizer_runs == 1, "the refused function's finalizer did not run");
      }
    }
  } else {
    switch (c->a) {
    case P_LINKER_GET_MODULE:
    case P_LINKER_GET_NAME: {
      // A linker holding "m" "x" and "mem"; the lookup must not find the (other) name.
      wasmtime_error_t *e = wasmtime_linker_define(linker, f->ctx, "m", 1, "x", 1, &item);
      if (e) show_error("setup", e);
      e = wasmtime_linker_define(linker, f->ctx, "m", 1, "m", 1, &item);
      if (e) show_error("setup", e);
      wasmtime_extern_t got;
      bool found = wasmtime_linker_get(linker, f->ctx, m, ml, x, xl, &got);
      note("wasmtime_linker_get: %s", found ? "found" : "not found");
      EXPECT(!found, "found a definition named %s", n->name);
      break;
    }
    case P_LINKER_GET_DEFAULT: {
      wasmtime_func_t func;
      wasmtime_error_t *e = wasmtime_linker_get_default(linker, f->ctx, bytes, n->length, &func);
      // Invalid UTF-8: an error. A valid unknown name gets wasmtime's no-op default function.
      if (n->valid) show_error("wasmtime_linker_get_default", e);
      else EXPECT_ERROR("wasmtime_linker_get_default", e);
      break;
    }
    case P_INSTANCE_EXPORT_GET: {
      wasmtime_extern_t got;
      bool found = wasmtime_instance_export_get(f->ctx, &f->inst, bytes, n->length, &got);
      note("wasmtime_instance_export_get: %s", found ? "found" : "not found");
      EXPECT(!found, "an export named %s", n->name);
      break;
    }
    case P_CALLER_EXPORT_GET:
      host_mode = HOST_HOOK;
      host_hook = caller_lookup_hook;
      call_i32(f->ctx, &f->call_host, 1, 1);
      host_mode = HOST_NORMAL;
      break;
    case P_IMPORTTYPE_MODULE:
    case P_IMPORTTYPE_NAME:
    case P_EXPORTTYPE_NAME: {
      wasm_name_t first, second;
      wasm_byte_vec_new(&first, is_module_arg ? n->length : 1, is_module_arg ? bytes : "m");
      wasm_byte_vec_new(&second, is_module_arg ? 1 : n->length, is_module_arg ? "x" : bytes);
      wasm_externtype_t *extern_type = wasm_functype_as_externtype(functype_i_i());
      void *made;
      if (c->a == P_EXPORTTYPE_NAME) {
        wasm_byte_vec_delete(&first);
        made = wasm_exporttype_new(&second, extern_type);
        wasm_exporttype_delete(made);
      } else {
        made = wasm_importtype_new(&first, &second, extern_type);
        wasm_importtype_delete(made);
      }
      note("%s: %s", position_functions[c->a], made ? "made" : "NULL");
      if (n->valid) EXPECT(made != NULL, "a valid name refused");
      else EXPECT(made == NULL, "an invalid UTF-8 name accepted");
      break;
    }
    }
  }
  wasm_functype_delete(type);
  wasmtime_linker_delete(linker);
}

// Lookups of a name with an embedded NUL after an existing export ("mem\0x" is not "mem").
static void nul_truncation_case(const mcase *c) {
  fixture *f = fx();
  static const char name[] = "mem\0x";
  const char *bytes = guarded_copy(name, 5);
  wasmtime_extern_t item;
  if (c->a == 0) {
    EXPECT(!wasmtime_instance_export_get(f->ctx, &f->inst, bytes, 5, &item), "\"mem\\0x\" found as \"mem\"");
    EXPECT(wasmtime_instance_export_get(f->ctx, &f->inst, bytes, 3, &item), "\"mem\" not found");
  } else {
    wasmtime_linker_t *linker = wasmtime_linker_new(f->engine);
    wasmtime_error_t *error = wasmtime_linker_define_instance(linker, f->ctx, "inst", 4, &f->inst);
    if (error) show_error("setup", error);
    EXPECT(!wasmtime_linker_get(linker, f->ctx, "inst", 4, bytes, 5, &item), "\"mem\\0x\" found as \"mem\"");
    EXPECT(wasmtime_linker_get(linker, f->ctx, "inst", 4, bytes, 3, &item), "\"mem\" not found");
    wasmtime_linker_delete(linker);
  }
}

// ---------------------------------------------------------------------------------------------
// Buffers
// ---------------------------------------------------------------------------------------------

enum { B_EXACT, B_TRUNCATED, B_EMPTY_AT_GUARD, B_NULL_EMPTY, B_COUNT };
static const char *const buffer_names[] = {"unterminated_exact", "truncated_by_one", "length_0_at_guard_page", "NULL_length_0"};

static const char *buffer_of(int variant, const void *data, size_t size, size_t *length) {
  switch (variant) {
  case B_EXACT: *length = size; return guarded_copy(data, size);
  case B_TRUNCATED: *length = size - 1; return guarded_copy(data, size - 1);
  case B_EMPTY_AT_GUARD: *length = 0; return guarded_copy("", 0);
  default: *length = 0; return NULL;
  }
}

static void buffer_case(const mcase *c) {
  fixture *f = fx();
  int variant = c->b;
  bool whole = variant == B_EXACT;
  size_t length = 0;
  switch (c->a) {
  case 0: { // wasmtime_module_new
    const char *b = buffer_of(variant, f->wasm.data, f->wasm.size, &length);
    wasmtime_module_t *module = NULL;
    EXPECT_ERROR_UNLESS(whole, "wasmtime_module_new", wasmtime_module_new(f->engine, (const uint8_t *)b, length, &module));
    wasmtime_module_delete(module);
    break;
  }
  case 1: { // wasmtime_module_validate
    const char *b = buffer_of(variant, f->wasm.data, f->wasm.size, &length);
    EXPECT_ERROR_UNLESS(whole, "wasmtime_module_validate", wasmtime_module_validate(f->engine, (const uint8_t *)b, length));
    break;
  }
  case 2: { // wasmtime_module_deserialize
    wasm_byte_vec_t artifact;
    wasmtime_error_t *error = wasmtime_module_serialize(f->module, &artifact);
    if (error) {
      show_error("serialize", error);
      skip("no artifact");
    }
    const char *b = buffer_of(variant, artifact.data, artifact.size, &length);
    wasmtime_module_t *module = NULL;
    EXPECT_ERROR_UNLESS(whole, "wasmtime_module_deserialize",
                        wasmtime_module_deserialize(f->engine, (const uint8_t *)b, length, &module));
    wasmtime_module_delete(module);
    wasm_byte_vec_delete(&artifact);
    break;
  }
  case 3: { // wasm_module_new / validate / deserialize through byte vectors
    wasm_store_t *store = wasm_store_new(f->engine);
    const char *b = buffer_of(variant, f->wasm.data, f->wasm.size, &length);
    wasm_byte_vec_t vec = {.size = length, .data = (char *)b};
    wasm_module_t *module = wasm_module_new(store, &vec);
    note("wasm_module_new: %s", module ? "a module" : "NULL");
    EXPECT((module != NULL) == whole, "wasm_module_new");
    EXPECT(wasm_module_validate(store, &vec) == whole, "wasm_module_validate");
    if (module) wasm_module_delete(module);
    wasm_module_t *from_bytes = wasm_module_deserialize(store, &vec); // not an artifact: refused
    EXPECT(from_bytes == NULL, "a binary deserialized as an artifact");
    if (from_bytes) wasm_module_delete(from_bytes);
    wasm_store_delete(store);
    break;
  }
  case 4: { // wasmtime_wat2wasm
    static const char text[] = "(module (func (export \"f\") (result i32) (i32.const 1)))";
    const char *b = buffer_of(variant, text, sizeof text - 1, &length);
    wasm_byte_vec_t out;
    wasmtime_error_t *error = wasmtime_wat2wasm(b, length, &out);
    if (variant == B_EXACT || variant == B_TRUNCATED) {
      EXPECT_ERROR_UNLESS(whole, "wasmtime_wat2wasm", error);
    } else {
      // Empty text is an empty module in wasmtime; either answer is fine, no read is not.
      show_error("wasmtime_wat2wasm", error);
    }
    if (!error && variant != B_TRUNCATED) wasm_byte_vec_delete(&out);
    break;
  }
  case 5: { // wasmtime_trap_new
    static const char message[] = "unterminated message";
    const char *b = buffer_of(variant, message, sizeof message - 1, &length);
    wasm_trap_t *trap = wasmtime_trap_new(b, length);
    EXPECT(trap != NULL, "no trap");
    if (trap) {
      wasm_message_t got;
      wasm_trap_message(trap, &got);
      note("message of %zu bytes", got.size);
      EXPECT(got.size >= length && memcmp(got.data, b ? b : "", length) == 0, "message differs");
      wasm_byte_vec_delete(&got);
      wasm_trap_delete(trap);
    }
    break;
  }
  case 6: { // wasm_trap_new with a message not ending in NUL
    static const char message[] = "no terminating NUL";
    const char *b = buffer_of(variant, message, sizeof message - 1, &length);
    wasm_store_t *store = wasm_store_new(f->engine);
    wasm_message_t vec = {.size = length, .data = (char *)b};
    wasm_trap_t *trap = wasm_trap_new(store, &vec);
    if (trap) {
      wasm_message_t got;
      wasm_trap_message(trap, &got);
      note("message of %zu bytes", got.size);
      EXPECT(got.size >= length && memcmp(got.data, b ? b : "", length) == 0, "message differs");
      wasm_byte_vec_delete(&got);
      wasm_trap_delete(trap);
    } else {
      note("wasm_trap_new: NULL");
    }
    wasm_store_delete(store);
    break;
  }
  case 7: { // wasm_byte_vec_new from an unterminated buffer
    static const char bytes[] = "0123456789";
    const char *b = buffer_of(variant, bytes, 10, &length);
    wasm_byte_vec_t v;
    wasm_byte_vec_new(&v, length, b);
    EXPECT(v.size == length && (length == 0 || memcmp(v.data, b, length) == 0), "copy differs");
    wasm_byte_vec_delete(&v);
    break;
  }
  case 8: { // swasm_script_parse
    if (!HAVE(swasm_script_parse)) skip("not swasm");
    static const char text[] = "(module (func (export \"f\") (result i32) (i32.const 1)))\n"
                               "(assert_return (invoke \"f\") (i32.const 1))";
    const char *b = buffer_of(variant, text, sizeof text - 1, &length);
    wasmtime_error_t *error = NULL;
    swasm_script_t *script = swasm_script_parse(b, length, &error);
    note("script: %s, %zu commands", script ? "parsed" : "refused", swasm_script_command_count(script));
    show_error("swasm_script_parse", error);
    if (variant == B_EXACT) EXPECT(script && swasm_script_command_count(script) == 2, "the script");
    if (variant == B_TRUNCATED) EXPECT(script == NULL, "a truncated script parsed");
    swasm_script_delete(script);
    break;
  }
  }
}

// Paths for wasmtime_module_deserialize_file and wasmtime_config_cache_config_load: refused (an
// error), in bounded time, for files that are not what they should be.
static void path_case(const mcase *c) {
  fixture *f = fx();
  static const char *const paths[] = {"", "/", "/dev/null", "/dev/zero", "/dev/urandom", "/proc/self/maps",
                                      "/nonexistent/file", NULL /* empty regular file */, NULL /* a module binary */};
  char temporary[] = "/tmp/host_misuse_path_XXXXXX";
  const char *path = paths[c->b];
  if (!path) {
    int fd = mkstemp(temporary);
    if (fd < 0) skip("no temporary file");
    if (c->b == 8 && write(fd, f->wasm.data, f->wasm.size) != (ssize_t)f->wasm.size) skip("write failed");
    close(fd);
    path = temporary;
  }
  if (c->a == 0) {
    wasmtime_module_t *module = NULL;
    EXPECT_ERROR("wasmtime_module_deserialize_file", wasmtime_module_deserialize_file(f->engine, path, &module));
    wasmtime_module_delete(module);
  } else {
    wasm_config_t *config = wasm_config_new();
    wasmtime_error_t *error = wasmtime_config_cache_config_load(config, path);
    // A missing file, a directory, an empty path cannot be loaded: an error. /dev/null and an
    // empty file are an empty (valid) configuration for wasmtime; whether endless devices and
    // non-TOML files are refused depends on parsing a configuration swasm does not use: only a
    // bounded time is required of them.
    if (c->b == 0 || c->b == 1 || c->b == 6) EXPECT_ERROR("wasmtime_config_cache_config_load", error);
    else show_error("wasmtime_config_cache_config_load", error);
    wasm_config_delete(config);
  }
  if (path == temporary) unlink(temporary);
}
static const char *const path_names[] = {"empty",  "root_directory", "dev_null",          "dev_zero",     "dev_urandom",
                                         "proc_self_maps", "nonexistent", "empty_regular_file", "module_binary"};

// A module binary whose names are not UTF-8: malformed, refused by the decoder.
static void binary_name_case(const mcase *c) {
  fixture *f = fx();
  // (module (import "\xff" "f" (func))) and (module (func (export "\xc0\xaf")))
  static const uint8_t import_bad[] = {0, 'a', 's', 'm', 1, 0, 0, 0, 1, 4, 1, 0x60, 0, 0,
                                       2, 7, 1, 1, 0xff, 1, 'f', 0, 0};
  static const uint8_t export_bad[] = {0, 'a', 's', 'm', 1, 0, 0, 0, 1, 4, 1, 0x60, 0, 0, 3, 2, 1, 0,
                                       7, 6, 1, 2, 0xc0, 0xaf, 0, 0, 10, 4, 1, 2, 0, 0x0b};
  const uint8_t *bytes = c->a == 0 ? import_bad : export_bad;
  size_t size = c->a == 0 ? sizeof import_bad : sizeof export_bad;
  const char *b = guarded_copy(bytes, size);
  wasmtime_module_t *module = NULL;
  EXPECT_ERROR("wasmtime_module_new", wasmtime_module_new(f->engine, (const uint8_t *)b, size, &module));
  wasmtime_module_delete(module);
}

REGISTER(register_names) {
  char variant[128];
  for (int p = 0; p < P_COUNT; p++)
    for (int n = 0; n < NAME_COUNT; n++) {
      snprintf(variant, sizeof variant, "%s_%s", position_names[p], names[n].name);
      add_case("name", position_functions[p], variant, name_case, p, n, NULL);
    }
  add_case("name", "wasmtime_instance_export_get", "embedded_nul_not_truncated", nul_truncation_case, 0, 0, NULL);
  add_case("name", "wasmtime_linker_get", "embedded_nul_not_truncated", nul_truncation_case, 1, 0, NULL);
  static const char *const buffer_functions[] = {"wasmtime_module_new", "wasmtime_module_validate",
                                                 "wasmtime_module_deserialize", "wasm_module_new",
                                                 "wasmtime_wat2wasm", "wasmtime_trap_new",
                                                 "wasm_trap_new", "wasm_byte_vec_new", "swasm_script_parse"};
  for (int fn = 0; fn < 9; fn++)
    for (int b = 0; b < B_COUNT; b++) {
      if ((fn == 5 || fn == 6 || fn == 7) && b == B_TRUNCATED) continue; // any prefix is a valid message
      add_case("buffer", buffer_functions[fn], buffer_names[b], buffer_case, fn, b, NULL);
    }
  add_coverage("wasm_module_validate");
  add_coverage("wasm_module_deserialize");
  for (int p = 0; p < 9; p++) {
    add_case("buffer", "wasmtime_module_deserialize_file", path_names[p], path_case, 0, p, NULL);
    add_case("buffer", "wasmtime_config_cache_config_load", path_names[p], path_case, 1, p, NULL);
  }
  add_case("name", "wasmtime_module_new", "binary_import_module_not_utf8", binary_name_case, 0, 0, NULL);
  add_case("name", "wasmtime_module_new", "binary_export_name_not_utf8", binary_name_case, 1, 0, NULL);
}
