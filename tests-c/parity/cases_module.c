/* wasmtime/module.h: compiling, validating, reflecting, serializing modules. */
#include "parity.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *reflect_module =
    "(module $reflect\n"
    "  (import \"env\" \"f\" (func (param i32 i64) (result f32)))\n"
    "  (import \"env\" \"g\" (global (mut f64)))\n"
    "  (import \"env\" \"t\" (table 1 10 funcref))\n"
    "  (import \"env\" \"m\" (memory 1))\n"
    "  (import \"env\" \"gc\" (global externref))\n"
    "  (import \"\" \"\" (func))\n"
    "  (import \"\xc3\xa9t\xc3\xa9\" \"\xe2\x82\xac\" (func))\n"
    "  (func (export \"e_f\") (param v128) (result v128) local.get 0)\n"
    "  (global (export \"e_g\") i64 (i64.const 0))\n"
    "  (table (export \"e_t\") 2 externref)\n"
    "  (export \"e_m\" (memory 0))\n"
    "  (export \"e_imported_f\" (func 0))\n"
    "  (export \"\" (global 0)))";

CASE(module_imports_exports) {
  env_t e = env_new();
  wasmtime_module_t *m = module_of(&e, reflect_module);
  if (!m) return;
  wasm_importtype_vec_t imports;
  wasmtime_module_imports(m, &imports);
  report_importtypes("imports", &imports);
  wasm_importtype_vec_delete(&imports);
  wasm_exporttype_vec_t exports;
  wasmtime_module_exports(m, &exports);
  report_exporttypes("exports", &exports);
  wasm_exporttype_vec_delete(&exports);
  wasmtime_module_t *c = wasmtime_module_clone(m);
  wasmtime_module_delete(m);
  wasmtime_module_exports(c, &exports);
  out("clone exports after original deleted: %zu", exports.size);
  wasm_exporttype_vec_delete(&exports);
  wasmtime_module_delete(c);
}

CASE(module_empty) {
  env_t e = env_new();
  wasmtime_module_t *m = module_of(&e, "(module)");
  if (!m) return;
  wasm_importtype_vec_t imports;
  wasmtime_module_imports(m, &imports);
  out("imports: %zu", imports.size);
  wasm_importtype_vec_delete(&imports);
  void *start = (void *)1, *end = (void *)1;
  wasmtime_module_image_range(m, &start, &end);
  out("image_range: start %s, end %s, end>=start %d", start ? "non-NULL" : "NULL", end ? "non-NULL" : "NULL",
      (char *)end >= (char *)start);
}

CASE(module_image_range) {
  env_t e = env_new();
  wasmtime_module_t *m = module_of(&e, reflect_module);
  if (!m) return;
  void *start = NULL, *end = NULL;
  wasmtime_module_image_range(m, &start, &end);
  out("image_range: start %s, end %s, end>=start %d", start ? "non-NULL" : "NULL", end ? "non-NULL" : "NULL",
      (char *)end >= (char *)start);
}

/* ---- invalid modules: each through module_new and module_validate ---- */

typedef struct {
  const char *name;
  const uint8_t *bytes;
  size_t size;
} bad_module_t;

#define HDR 0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00
static const uint8_t b_empty[] = {0};
static const uint8_t b_magic[] = {0x00, 0x61, 0x73, 0x6e, 0x01, 0x00, 0x00, 0x00};
static const uint8_t b_version[] = {0x00, 0x61, 0x73, 0x6d, 0x02, 0x00, 0x00, 0x00};
static const uint8_t b_truncated_header[] = {0x00, 0x61, 0x73};
static const uint8_t b_component[] = {0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00};
static const uint8_t b_section_id[] = {HDR, 0x0e, 0x00};
static const uint8_t b_section_too_long[] = {HDR, 0x01, 0x10, 0x01};
static const uint8_t b_type_bad_form[] = {HDR, 0x01, 0x04, 0x01, 0x61, 0x00, 0x00};
static const uint8_t b_bad_valtype[] = {HDR, 0x01, 0x05, 0x01, 0x60, 0x01, 0x55, 0x00};
static const uint8_t b_func_count_mismatch[] = {HDR, 0x01, 0x04, 0x01, 0x60, 0x00, 0x00, 0x03, 0x02, 0x01, 0x00};
static const uint8_t b_leb_too_long[] = {HDR, 0x01, 0x85, 0x80, 0x80, 0x80, 0x80, 0x00};
static const uint8_t b_section_order[] = {HDR, 0x03, 0x01, 0x00, 0x01, 0x01, 0x00};
static const uint8_t b_bad_utf8_import[] = {HDR, 0x01, 0x04, 0x01, 0x60, 0x00, 0x00,
                                            0x02, 0x07, 0x01, 0x01, 0xff, 0x01, 0x66, 0x00, 0x00};
static const uint8_t b_bad_utf8_export[] = {HDR, 0x01, 0x04, 0x01, 0x60, 0x00, 0x00, 0x03, 0x02, 0x01, 0x00,
                                            0x07, 0x05, 0x01, 0x01, 0xc3, 0x00, 0x00,
                                            0x0a, 0x04, 0x01, 0x02, 0x00, 0x0b};
static const uint8_t b_bad_utf8_custom[] = {HDR, 0x00, 0x03, 0x02, 0xff, 0xfe};
static const uint8_t b_unknown_opcode[] = {HDR, 0x01, 0x04, 0x01, 0x60, 0x00, 0x00, 0x03, 0x02, 0x01, 0x00,
                                           0x0a, 0x05, 0x01, 0x03, 0x00, 0xff, 0x0b};
static const uint8_t b_missing_end[] = {HDR, 0x01, 0x04, 0x01, 0x60, 0x00, 0x00, 0x03, 0x02, 0x01, 0x00,
                                        0x0a, 0x04, 0x01, 0x02, 0x00, 0x01};
static const uint8_t b_trailing[] = {HDR, 0x00, 0x01, 0x00, 0x01};
static const uint8_t b_too_many_locals[] = {HDR, 0x01, 0x04, 0x01, 0x60, 0x00, 0x00, 0x03, 0x02, 0x01, 0x00,
                                            0x0a, 0x0a, 0x01, 0x08, 0x01, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x7f, 0x0b};

static const bad_module_t bad_modules[] = {
    {"empty", b_empty, 0},
    {"bad_magic", b_magic, sizeof b_magic},
    {"bad_version", b_version, sizeof b_version},
    {"truncated_header", b_truncated_header, sizeof b_truncated_header},
    {"component", b_component, sizeof b_component},
    {"unknown_section_id", b_section_id, sizeof b_section_id},
    {"section_too_long", b_section_too_long, sizeof b_section_too_long},
    {"type_bad_form", b_type_bad_form, sizeof b_type_bad_form},
    {"bad_valtype", b_bad_valtype, sizeof b_bad_valtype},
    {"function_and_code_count_mismatch", b_func_count_mismatch, sizeof b_func_count_mismatch},
    {"leb_too_long", b_leb_too_long, sizeof b_leb_too_long},
    {"section_out_of_order", b_section_order, sizeof b_section_order},
    {"import_name_not_utf8", b_bad_utf8_import, sizeof b_bad_utf8_import},
    {"export_name_not_utf8", b_bad_utf8_export, sizeof b_bad_utf8_export},
    {"custom_section_name_not_utf8", b_bad_utf8_custom, sizeof b_bad_utf8_custom},
    {"unknown_opcode", b_unknown_opcode, sizeof b_unknown_opcode},
    {"missing_end", b_missing_end, sizeof b_missing_end},
    {"trailing_bytes_in_section", b_trailing, sizeof b_trailing},
    {"too_many_locals", b_too_many_locals, sizeof b_too_many_locals},
};
#define NBAD (sizeof bad_modules / sizeof bad_modules[0])

/* Modules wabt assembles with --no-check: invalid, but well formed. */
static const struct {
  const char *name;
  const char *text;
} invalid_texts[] = {
    {"type_mismatch", "(module (func (result i32) i64.const 1))"},
    {"stack_underflow", "(module (func (result i32) i32.add))"},
    {"unknown_local", "(module (func (drop (local.get 3))))"},
    {"unknown_function", "(module (func (call 5)))"},
    {"unknown_global", "(module (func (drop (global.get 1))))"},
    {"immutable_global_set", "(module (global i32 (i32.const 0)) (func (global.set 0 (i32.const 1))))"},
    {"no_memory", "(module (func (drop (i32.load (i32.const 0)))))"},
    {"bad_alignment", "(module (memory 1) (func (drop (i32.load align=8 (i32.const 0)))))"},
    {"duplicate_export", "(module (func) (export \"a\" (func 0)) (export \"a\" (func 0)))"},
    {"start_with_params", "(module (func (param i32)) (start 0))"},
    {"memory_too_big", "(module (memory 65537))"},
    {"memory_min_gt_max", "(module (memory 2 1))"},
    {"table_min_gt_max", "(module (table 2 1 funcref))"},
    {"br_depth", "(module (func (br 1)))"},
    {"global_init_not_const", "(module (global i32 (i32.add (i32.const 1) (i32.const 2))))"},
    {"data_without_memory", "(module (data (i32.const 0) \"x\"))"},
    {"elem_type_mismatch", "(module (table 1 externref) (func $f) (elem (i32.const 0) func $f))"},
    {"undeclared_func_ref", "(module (func (drop (ref.func 0))))"},
    {"select_needs_type", "(module (func (param funcref) (drop (select (local.get 0) (local.get 0) (i32.const 1)))))"},
    {"multiple_memories", "(module (memory 1) (memory 1))"},
    {"unreachable_code_typed_ok", "(module (func (result i32) unreachable i64.const 0 drop))"},
};
#define NINVALID (sizeof invalid_texts / sizeof invalid_texts[0])

static void bad_module(const uint8_t *bytes, size_t size) {
  env_t e = env_new();
  report_error("validate", wasmtime_module_validate(e.engine, bytes, size));
  wasmtime_module_t *m = NULL;
  report_error("module_new", wasmtime_module_new(e.engine, bytes, size, &m));
  out("module: %s", m ? "non-NULL" : "NULL");
}

CASE(module_malformed) {
  const bad_module_t *b = &bad_modules[case_arg];
  out("module: %s", b->name);
  bad_module(b->size ? b->bytes : NULL, b->size);
}

CASE(module_invalid) {
  out("module: %s", invalid_texts[case_arg].name);
  bytes_t b = wat_flags(invalid_texts[case_arg].text, "--no-check");
  bad_module(b.data, b.size);
}

CASE(module_new_null_bytes) {
  env_t e = env_new();
  wasmtime_module_t *m = NULL;
  report_error("module_new(NULL, 0)", wasmtime_module_new(e.engine, NULL, 0, &m));
  report_error("validate(NULL, 0)", wasmtime_module_validate(e.engine, NULL, 0));
}

CASE(module_wat_text_given_as_binary) {
  /* wasmtime_module_new takes only the binary format (wasm_module_new alike). */
  env_t e = env_new();
  const char *text = "(module (func (export \"f\")))";
  wasmtime_module_t *m = NULL;
  report_error("module_new of text", wasmtime_module_new(e.engine, (const uint8_t *)text, strlen(text), &m));
}

/* ---- serialization ---- */

static const char *serial_module =
    "(module $ser (memory (export \"m\") 1) (data (i32.const 0) \"abc\")"
    " (func $f (export \"f\") (param i32) (result i32) (i32.mul (local.get 0) (i32.const 3)))"
    " (func (export \"t\") unreachable))";

CASE(module_serialize_roundtrip) {
  env_t e = env_new();
  wasmtime_module_t *m = module_of(&e, serial_module);
  if (!m) return;
  wasm_byte_vec_t ser;
  report_error("serialize", wasmtime_module_serialize(m, &ser));
  out("serialized: %s", ser.size > 0 ? "non-empty" : "empty");
  wasmtime_module_t *d = NULL;
  report_error("deserialize", wasmtime_module_deserialize(e.engine, (const uint8_t *)ser.data, ser.size, &d));
  if (d) {
    wasm_exporttype_vec_t exports;
    wasmtime_module_exports(d, &exports);
    report_exporttypes("deserialized exports", &exports);
    wasm_exporttype_vec_delete(&exports);
    wasmtime_instance_t inst;
    wasm_trap_t *trap = NULL;
    report_call("instantiate deserialized", wasmtime_instance_new(e.cx, d, NULL, 0, &inst, &trap), trap);
    wasmtime_val_t a = v_i32(14);
    call_export(&e, &inst, "f", &a, 1, 1);
    call_export(&e, &inst, "t", NULL, 0, 0);
  }
  /* Through a file. */
  char path[] = "/tmp/parity-artifact-XXXXXX";
  int fd = mkstemp(path);
  if (write(fd, ser.data, ser.size) != (ssize_t)ser.size) out("harness: write failed");
  close(fd);
  wasmtime_module_t *df = NULL;
  report_error("deserialize_file", wasmtime_module_deserialize_file(e.engine, path, &df));
  unlink(path);
  if (df) {
    wasmtime_instance_t inst;
    wasm_trap_t *trap = NULL;
    report_call("instantiate from file", wasmtime_instance_new(e.cx, df, NULL, 0, &inst, &trap), trap);
    wasmtime_val_t a = v_i32(5);
    call_export(&e, &inst, "f", &a, 1, 1);
  }
  /* In another engine with the same settings. */
  wasm_engine_t *e2 = wasm_engine_new();
  wasmtime_module_t *d2 = NULL;
  report_error("deserialize in another engine", wasmtime_module_deserialize(e2, (const uint8_t *)ser.data, ser.size, &d2));
  wasm_byte_vec_delete(&ser);
}

CASE(module_deserialize_garbage) {
  env_t e = env_new();
  wasmtime_module_t *d = NULL;
  const uint8_t junk[] = "this is not a precompiled module";
  report_error("deserialize junk", wasmtime_module_deserialize(e.engine, junk, sizeof junk, &d));
  bytes_t b = wat(serial_module);
  report_error("deserialize a .wasm binary", wasmtime_module_deserialize(e.engine, b.data, b.size, &d));
  report_error("deserialize empty", wasmtime_module_deserialize(e.engine, junk, 0, &d));
  out("module: %s", d ? "non-NULL" : "NULL");
}

CASE(module_deserialize_truncated) {
  env_t e = env_new();
  wasmtime_module_t *m = module_of(&e, serial_module);
  if (!m) return;
  wasm_byte_vec_t ser;
  report_error("serialize", wasmtime_module_serialize(m, &ser));
  wasmtime_module_t *d = NULL;
  wasmtime_error_t *err = wasmtime_module_deserialize(e.engine, (const uint8_t *)ser.data, ser.size / 2, &d);
  out("deserialize half: %s", err ? "error" : "ok");
  if (err) wasmtime_error_delete(err);
  /* Flip one byte in the middle. */
  ser.data[ser.size / 2] ^= 0x5a;
  err = wasmtime_module_deserialize(e.engine, (const uint8_t *)ser.data, ser.size, &d);
  out("deserialize with a flipped byte: %s", err ? "error" : "ok (not detected)");
  if (err) wasmtime_error_delete(err);
}

CASE(module_deserialize_other_config) {
  env_t e = env_new();
  wasmtime_module_t *m = module_of(&e, serial_module);
  if (!m) return;
  wasm_byte_vec_t ser;
  report_error("serialize", wasmtime_module_serialize(m, &ser));
  const char *settings[] = {"consume_fuel", "epoch_interruption", "wasm_simd off"};
  for (int i = 0; i < 3; i++) {
    wasm_config_t *c = wasm_config_new();
    if (i == 0) wasmtime_config_consume_fuel_set(c, true);
    if (i == 1) wasmtime_config_epoch_interruption_set(c, true);
    if (i == 2) {
      wasmtime_config_wasm_relaxed_simd_set(c, false);
      wasmtime_config_wasm_simd_set(c, false);
    }
    wasm_engine_t *e2 = wasm_engine_new_with_config(c);
    if (!e2) {
      out("%s: engine NULL", settings[i]);
      continue;
    }
    wasmtime_module_t *d = NULL;
    char l[100];
    snprintf(l, sizeof l, "deserialize into engine with %s", settings[i]);
    report_error(l, wasmtime_module_deserialize(e2, (const uint8_t *)ser.data, ser.size, &d));
    wasm_engine_delete(e2);
  }
}

CASE(module_deserialize_file_missing) {
  env_t e = env_new();
  wasmtime_module_t *d = NULL;
  report_error("deserialize_file missing", wasmtime_module_deserialize_file(e.engine, "/nonexistent-parity/x.cwasm", &d));
  report_error("deserialize_file directory", wasmtime_module_deserialize_file(e.engine, "/tmp", &d));
  char path[] = "/tmp/parity-empty-XXXXXX";
  int fd = mkstemp(path);
  close(fd);
  wasmtime_error_t *err = wasmtime_module_deserialize_file(e.engine, path, &d);
  unlink(path);
  out("deserialize_file empty file: %s", err ? "error" : "ok");
  if (err) wasmtime_error_delete(err);
}

CASE(module_validate_ok) {
  env_t e = env_new();
  bytes_t b = wat(reflect_module);
  report_validate("validate reflect module", e.engine, b);
  b = wat(serial_module);
  report_validate("validate serial module", e.engine, b);
}

CASE(module_delete_null) {
  wasmtime_module_delete(NULL);
  out("wasmtime_module_delete(NULL): returned");
}

CASE(module_large_function_count) {
  /* 10,000 functions and a deep block nest. */
  size_t cap = 1 << 20;
  char *text = malloc(cap);
  size_t k = (size_t)sprintf(text, "(module");
  for (int i = 0; i < 10000; i++) k += (size_t)sprintf(text + k, " (func (result i32) i32.const %d)", i);
  k += (size_t)sprintf(text + k, " (func (export \"deep\") (result i32)");
  for (int i = 0; i < 2000; i++) k += (size_t)sprintf(text + k, " (block (result i32)");
  k += (size_t)sprintf(text + k, " i32.const 9");
  for (int i = 0; i < 2000; i++) k += (size_t)sprintf(text + k, ")");
  sprintf(text + k, "))");
  env_t e = env_new();
  wasmtime_instance_t inst;
  if (!instance_of(&e, text, &inst)) return;
  call_export(&e, &inst, "deep", NULL, 0, 1);
}

const parity_case_t cases_module[] = {
    {"module.imports_exports", module_imports_exports},
    {"module.empty", module_empty},
    {"module.image_range", module_image_range},
    {"module.new_null_bytes", module_new_null_bytes},
    {"module.wat_text_given_as_binary", module_wat_text_given_as_binary},
    {"module.serialize_roundtrip", module_serialize_roundtrip},
    {"module.deserialize_garbage", module_deserialize_garbage},
    {"module.deserialize_truncated", module_deserialize_truncated},
    {"module.deserialize_other_config", module_deserialize_other_config},
    {"module.deserialize_file_missing", module_deserialize_file_missing},
    {"module.validate_ok", module_validate_ok},
    {"module.delete_null", module_delete_null},
    {"module.large_function_count", module_large_function_count},
    {"module.malformed.empty", module_malformed, 0},
    {"module.malformed.bad_magic", module_malformed, 1},
    {"module.malformed.bad_version", module_malformed, 2},
    {"module.malformed.truncated_header", module_malformed, 3},
    {"module.malformed.component", module_malformed, 4},
    {"module.malformed.unknown_section_id", module_malformed, 5},
    {"module.malformed.section_too_long", module_malformed, 6},
    {"module.malformed.type_bad_form", module_malformed, 7},
    {"module.malformed.bad_valtype", module_malformed, 8},
    {"module.malformed.function_and_code_count_mismatch", module_malformed, 9},
    {"module.malformed.leb_too_long", module_malformed, 10},
    {"module.malformed.section_out_of_order", module_malformed, 11},
    {"module.malformed.import_name_not_utf8", module_malformed, 12},
    {"module.malformed.export_name_not_utf8", module_malformed, 13},
    {"module.malformed.custom_section_name_not_utf8", module_malformed, 14},
    {"module.malformed.unknown_opcode", module_malformed, 15},
    {"module.malformed.missing_end", module_malformed, 16},
    {"module.malformed.trailing_bytes_in_section", module_malformed, 17},
    {"module.malformed.too_many_locals", module_malformed, 18},
    {"module.invalid.type_mismatch", module_invalid, 0},
    {"module.invalid.stack_underflow", module_invalid, 1},
    {"module.invalid.unknown_local", module_invalid, 2},
    {"module.invalid.unknown_function", module_invalid, 3},
    {"module.invalid.unknown_global", module_invalid, 4},
    {"module.invalid.immutable_global_set", module_invalid, 5},
    {"module.invalid.no_memory", module_invalid, 6},
    {"module.invalid.bad_alignment", module_invalid, 7},
    {"module.invalid.duplicate_export", module_invalid, 8},
    {"module.invalid.start_with_params", module_invalid, 9},
    {"module.invalid.memory_too_big", module_invalid, 10},
    {"module.invalid.memory_min_gt_max", module_invalid, 11},
    {"module.invalid.table_min_gt_max", module_invalid, 12},
    {"module.invalid.br_depth", module_invalid, 13},
    {"module.invalid.global_init_not_const", module_invalid, 14},
    {"module.invalid.data_without_memory", module_invalid, 15},
    {"module.invalid.elem_type_mismatch", module_invalid, 16},
    {"module.invalid.undeclared_func_ref", module_invalid, 17},
    {"module.invalid.select_needs_type", module_invalid, 18},
    {"module.invalid.multiple_memories", module_invalid, 19},
    {"module.invalid.unreachable_code_typed_ok", module_invalid, 20},
    CASES_END};
