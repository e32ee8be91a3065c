// Precompiled modules: wasmtime_module_serialize / deserialize / deserialize_file and the wasm.h
// pair. Round trips must behave like the compiled module; damaged, foreign and crafted artifacts
// must be refused with an error that says why (docs/artifact-format.md).
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <swasm.h>
#include <wasmtime.h>

#include "../api/check.h"
#include "artifact_layout.h"

static const char *program =
    "(module\n"
    "  (type $binary (func (param i32 i32) (result i32)))\n"
    "  (import \"env\" \"scale\" (func $scale (param i32) (result i32)))\n"
    "  (memory (export \"memory\") 1)\n"
    "  (table $funcs 4 funcref)\n"
    "  (table $things 2 externref)\n"
    "  (global $counter (mut i32) (i32.const 0))\n"
    "  (global $last (mut funcref) (ref.null func))\n"
    "  (elem (table $funcs) (i32.const 0) func $add $sub)\n"
    "  (data (i32.const 16) \"swasm\")\n"
    "  (func $add (type $binary) (i32.add (local.get 0) (local.get 1)))\n"
    "  (func $sub (type $binary) (i32.sub (local.get 0) (local.get 1)))\n"
    "  (func (export \"fib\") (param $n i32) (result i32) (local $a i32) (local $b i32)\n"
    "    (local.set $b (i32.const 1))\n"
    "    (block $done (loop $next\n"
    "      (br_if $done (i32.eqz (local.get $n)))\n"
    "      (local.set $b (i32.add (local.get $a) (local.tee $a (local.get $b))))\n"
    "      (local.set $n (i32.sub (local.get $n) (i32.const 1)))\n"
    "      (br $next)))\n"
    "    (local.get $a))\n"
    "  (func (export \"dispatch\") (param i32 i32 i32) (result i32)\n"
    "    (global.set $counter (i32.add (global.get $counter) (i32.const 1)))\n"
    "    (global.set $last (table.get $funcs (local.get 0)))\n"
    "    (call_indirect $funcs (type $binary) (local.get 1) (local.get 2) (local.get 0)))\n"
    "  (func (export \"scaled_sum\") (param i32) (result i32)\n"
    "    (i32.add (call $scale (local.get 0)) (i32.load8_u offset=16 (i32.and (local.get 0) (i32.const 0)))))\n"
    "  (func (export \"keep\") (param externref) (result externref)\n"
    "    (table.set $things (i32.const 1) (local.get 0))\n"
    "    (table.get $things (i32.const 1)))\n"
    "  (func (export \"null_ref\") (table.set $funcs (i32.const 3) (ref.null func)))\n"
    "  (func (export \"counter\") (result i32) (global.get $counter)))\n";

// The defined function whose code `null_ref` is (imports come first in the index space).
enum { FIB_FUNCTION = 3, FIB_DEFINED = 2, NULL_REF_FUNCTION = 7, NULL_REF_DEFINED = 6 };

static wasm_trap_t *scale(void *env, wasmtime_caller_t *caller, const wasmtime_val_t *args, size_t nargs,
                          wasmtime_val_t *results, size_t nresults) {
  (void)env, (void)caller, (void)nargs, (void)nresults;
  results[0].kind = WASMTIME_I32;
  results[0].of.i32 = args[0].of.i32 * 10;
  return NULL;
}

static char *message_of(wasmtime_error_t *error) {
  wasm_name_t message;
  wasmtime_error_message(error, &message);
  char *text = malloc(message.size + 1);
  memcpy(text, message.data, message.size);
  text[message.size] = '\0';
  wasm_byte_vec_delete(&message);
  wasmtime_error_delete(error);
  return text;
}

// Expects `error` to be non-NULL with a message containing `needle`.
#define CHECK_ERROR(error, needle)                                                               \
  do {                                                                                           \
    wasmtime_error_t *e_ = (error);                                                              \
    if (e_ == NULL) {                                                                            \
      fprintf(stderr, "%s:%d: expected an error containing \"%s\"\n", __FILE__, __LINE__, needle); \
      check_failures++;                                                                          \
    } else {                                                                                     \
      char *m_ = message_of(e_);                                                                 \
      if (strstr(m_, needle) == NULL) {                                                          \
        fprintf(stderr, "%s:%d: message \"%s\" lacks \"%s\"\n", __FILE__, __LINE__, m_, needle);  \
        check_failures++;                                                                        \
      }                                                                                          \
      free(m_);                                                                                  \
    }                                                                                            \
  } while (0)

static wasmtime_module_t *compile(wasm_engine_t *engine, const char *wat) {
  wasm_byte_vec_t wasm;
  wasmtime_error_t *error = wasmtime_wat2wasm(wat, strlen(wat), &wasm);
  CHECK(error == NULL);
  if (error) { wasmtime_error_delete(error); return NULL; }
  wasmtime_module_t *module = NULL;
  error = wasmtime_module_new(engine, (const uint8_t *)wasm.data, wasm.size, &module);
  CHECK(error == NULL && module != NULL);
  if (error) wasmtime_error_delete(error);
  wasm_byte_vec_delete(&wasm);
  return module;
}

static wasmtime_module_t *deserialize(wasm_engine_t *engine, const wasm_byte_vec_t *bytes, wasmtime_error_t **error) {
  wasmtime_module_t *module = NULL;
  *error = wasmtime_module_deserialize(engine, (const uint8_t *)bytes->data, bytes->size, &module);
  return module;
}

static int32_t call_i32(wasmtime_context_t *context, wasmtime_instance_t *instance, const char *name,
                        const int32_t *args, size_t nargs) {
  wasmtime_extern_t item;
  if (!wasmtime_instance_export_get(context, instance, name, strlen(name), &item) || item.kind != WASMTIME_EXTERN_FUNC) {
    fprintf(stderr, "no function export %s\n", name);
    check_failures++;
    return -1;
  }
  wasmtime_val_t params[4], result;
  for (size_t i = 0; i < nargs; i++) { params[i].kind = WASMTIME_I32; params[i].of.i32 = args[i]; }
  wasm_trap_t *trap = NULL;
  wasmtime_error_t *error = wasmtime_func_call(context, &item.of.func, params, nargs, &result, 1, &trap);
  CHECK(error == NULL && trap == NULL);
  if (error) wasmtime_error_delete(error);
  if (trap) wasm_trap_delete(trap);
  return result.of.i32;
}

// Runs the program's exports on `module`, writing the observed results into `out`.
static void exercise(wasm_engine_t *engine, wasmtime_module_t *module, int32_t out[8]) {
  memset(out, 0, 8 * sizeof(int32_t));
  wasmtime_store_t *store = wasmtime_store_new(engine, NULL, NULL);
  wasmtime_context_t *context = wasmtime_store_context(store);
  wasmtime_linker_t *linker = wasmtime_linker_new(engine);
  wasm_valtype_t *i32_param = wasm_valtype_new(WASM_I32), *i32_result = wasm_valtype_new(WASM_I32);
  wasm_functype_t *type = wasm_functype_new_1_1(i32_param, i32_result);
  CHECK(wasmtime_linker_define_func(linker, "env", 3, "scale", 5, type, scale, NULL, NULL) == NULL);
  wasm_functype_delete(type);
  wasmtime_instance_t instance;
  wasm_trap_t *trap = NULL;
  wasmtime_error_t *error = wasmtime_linker_instantiate(linker, context, module, &instance, &trap);
  CHECK(error == NULL && trap == NULL);
  if (error == NULL && trap == NULL) {
    out[0] = call_i32(context, &instance, "fib", (int32_t[]){30}, 1);
    out[1] = call_i32(context, &instance, "dispatch", (int32_t[]){0, 40, 2}, 3);
    out[2] = call_i32(context, &instance, "dispatch", (int32_t[]){1, 40, 2}, 3);
    out[3] = call_i32(context, &instance, "scaled_sum", (int32_t[]){7}, 1);
    out[4] = call_i32(context, &instance, "counter", NULL, 0);
    // A trap keeps its code and frames through the round trip.
    wasmtime_extern_t dispatch;
    CHECK(wasmtime_instance_export_get(context, &instance, "dispatch", 8, &dispatch));
    wasmtime_val_t args[3] = {{.kind = WASMTIME_I32, .of.i32 = 3}, {.kind = WASMTIME_I32}, {.kind = WASMTIME_I32}}, result;
    trap = NULL;
    CHECK(wasmtime_func_call(context, &dispatch.of.func, args, 3, &result, 1, &trap) == NULL && trap != NULL);
    if (trap) {
      wasmtime_trap_code_t code;
      out[5] = wasmtime_trap_code(trap, &code) ? (int32_t)code : -1;
      wasm_frame_vec_t frames;
      wasm_trap_trace(trap, &frames);
      out[6] = (int32_t)frames.size;
      out[7] = frames.size > 0 ? (int32_t)wasm_frame_module_offset(frames.data[0]) : -1;
      wasm_frame_vec_delete(&frames);
      wasm_trap_delete(trap);
    }
  } else {
    if (error) wasmtime_error_delete(error);
    if (trap) wasm_trap_delete(trap);
  }
  wasmtime_linker_delete(linker);
  wasmtime_store_delete(store);
}

static void test_round_trip(wasm_engine_t *engine, wasmtime_module_t *module, const wasm_byte_vec_t *artifact) {
  int32_t direct[8], loaded[8];
  exercise(engine, module, direct);
  CHECK(direct[0] == 832040 && direct[1] == 42 && direct[2] == 38 && direct[3] == 70 + 's' && direct[4] == 2);
  CHECK(direct[5] == WASMTIME_TRAP_CODE_INDIRECT_CALL_TO_NULL && direct[6] == 1);

  wasmtime_error_t *error = NULL;
  wasmtime_module_t *copy = deserialize(engine, artifact, &error);
  CHECK(error == NULL && copy != NULL);
  if (error) wasmtime_error_delete(error);
  if (!copy) return;
  exercise(engine, copy, loaded);
  CHECK(memcmp(direct, loaded, sizeof direct) == 0);

  // Reflection survives: the same imports and exports.
  wasm_exporttype_vec_t a, b;
  wasmtime_module_exports(module, &a);
  wasmtime_module_exports(copy, &b);
  CHECK(a.size == b.size && a.size == 7);
  wasm_exporttype_vec_delete(&a);
  wasm_exporttype_vec_delete(&b);

  // Serializing a deserialized module gives the same bytes.
  wasm_byte_vec_t again;
  CHECK(wasmtime_module_serialize(copy, &again) == NULL);
  CHECK(again.size == artifact->size && memcmp(again.data, artifact->data, again.size) == 0);
  wasm_byte_vec_delete(&again);
  wasmtime_module_delete(copy);
}

static void test_file(wasm_engine_t *engine, const wasm_byte_vec_t *artifact) {
  char path[] = "/tmp/swasm-artifact-XXXXXX";
  int fd = mkstemp(path);
  CHECK(fd >= 0);
  if (fd < 0) return;
  CHECK(write(fd, artifact->data, artifact->size) == (ssize_t)artifact->size);
  close(fd);
  wasmtime_module_t *module = NULL;
  CHECK(wasmtime_module_deserialize_file(engine, path, &module) == NULL && module != NULL);
  if (module) {
    int32_t results[8];
    exercise(engine, module, results);
    CHECK(results[0] == 832040 && results[3] == 70 + 's');
    wasmtime_module_delete(module);
  }
  // A truncated file is refused.
  CHECK(truncate(path, (off_t)artifact->size - 1) == 0);
  module = NULL;
  CHECK_ERROR(wasmtime_module_deserialize_file(engine, path, &module), "size does not match");
  CHECK(module == NULL);
  unlink(path);
  CHECK_ERROR(wasmtime_module_deserialize_file(engine, path, &module), "No such file");
  CHECK_ERROR(wasmtime_module_deserialize_file(engine, "/tmp", &module), "Is a directory");
  CHECK_ERROR(wasmtime_module_deserialize_file(engine, NULL, &module), "must not be NULL");
}

static void test_wasm_h(wasm_engine_t *engine) {
  wasm_store_t *store = wasm_store_new(engine);
  wasm_byte_vec_t wasm;
  const char *wat = "(module (func (export \"f\") (result i32) (i32.const 7)))";
  CHECK(wasmtime_wat2wasm(wat, strlen(wat), &wasm) == NULL);
  wasm_module_t *module = wasm_module_new(store, &wasm);
  CHECK(module != NULL);
  wasm_byte_vec_t artifact;
  wasm_module_serialize(module, &artifact);
  CHECK(artifact.size > ARTIFACT_HEADER_SIZE);
  wasm_module_t *copy = wasm_module_deserialize(store, &artifact);
  CHECK(copy != NULL);
  if (copy) {
    wasm_extern_vec_t imports = WASM_EMPTY_VEC;
    wasm_instance_t *instance = wasm_instance_new(store, copy, &imports, NULL);
    CHECK(instance != NULL);
    if (instance) {
      wasm_extern_vec_t exports;
      wasm_instance_exports(instance, &exports);
      wasm_val_t result = WASM_INIT_VAL;
      wasm_val_vec_t args = WASM_EMPTY_VEC, results = {1, &result};
      CHECK(exports.size == 1 && wasm_func_call(wasm_extern_as_func(exports.data[0]), &args, &results) == NULL);
      CHECK(result.kind == WASM_I32 && result.of.i32 == 7);
      wasm_extern_vec_delete(&exports);
      wasm_instance_delete(instance);
    }
    wasm_module_delete(copy);
  }
  CHECK(wasm_module_deserialize(store, &wasm) == NULL); // a plain module is not an artifact
  wasm_byte_vec_delete(&artifact);
  wasm_byte_vec_delete(&wasm);
  wasm_module_delete(module);
  wasm_store_delete(store);
}

// Applies `edit` to a copy of the artifact (resealing the checksum if asked) and expects
// deserialization to fail with `needle` in the message.
static void expect_refusal(wasm_engine_t *engine, const wasm_byte_vec_t *artifact, size_t size, int reseal,
                           void (*edit)(uint8_t *, size_t, void *), void *context, const char *needle, int line) {
  wasm_byte_vec_t copy;
  wasm_byte_vec_new_uninitialized(&copy, size);
  memcpy(copy.data, artifact->data, size < artifact->size ? size : artifact->size);
  if (size > artifact->size) memset(copy.data + artifact->size, 0, size - artifact->size);
  if (edit) edit((uint8_t *)copy.data, size, context);
  if (reseal) artifact_reseal((uint8_t *)copy.data, size);
  wasmtime_error_t *error = NULL;
  wasmtime_module_t *module = deserialize(engine, &copy, &error);
  if (module != NULL || error == NULL) {
    fprintf(stderr, "line %d: an artifact that should fail (\"%s\") was accepted\n", line, needle);
    check_failures++;
    if (module) wasmtime_module_delete(module);
    if (error) wasmtime_error_delete(error);
  } else {
    char *message = message_of(error);
    if (getenv("SWASM_TEST_VERBOSE")) printf("refused as expected: %s\n", message);
    if (strstr(message, needle) == NULL) {
      fprintf(stderr, "line %d: message \"%s\" lacks \"%s\"\n", line, message, needle);
      check_failures++;
    }
    free(message);
  }
  wasm_byte_vec_delete(&copy);
}

static void set_u32(uint8_t *bytes, size_t size, void *context) {
  (void)size;
  uint32_t *edit = context; // {offset, value}
  memcpy(bytes + edit[0], &edit[1], 4);
}

static void flip_byte(uint8_t *bytes, size_t size, void *context) {
  (void)size;
  bytes[*(size_t *)context] ^= 0x20;
}

// A code edit: word `word` of defined function `function` becomes `value`.
typedef struct { uint32_t function; uint32_t word; uint64_t value; } code_edit;

static void set_code_word(uint8_t *bytes, size_t size, void *context) {
  code_edit *edit = context;
  uint32_t words = 0;
  size_t at = artifact_function_code(bytes, size, edit->function, &words);
  if (at == 0 || edit->word >= words) { fprintf(stderr, "code edit out of range\n"); check_failures++; return; }
  memcpy(bytes + at + 8 * (size_t)edit->word, &edit->value, 8);
}

static uint64_t code_word(const wasm_byte_vec_t *artifact, uint32_t function, uint32_t word) {
  uint32_t words = 0;
  size_t at = artifact_function_code((const uint8_t *)artifact->data, artifact->size, function, &words);
  if (at == 0 || word >= words) return UINT64_MAX;
  return artifact_load64((const uint8_t *)artifact->data + at + 8 * (size_t)word);
}

// The position of the first `mnemonic` instruction in the listing of function `index` whose
// line contains `detail` (NULL: any).
static long find_instruction(wasmtime_module_t *module, uint32_t index, const char *mnemonic, const char *detail) {
  wasm_byte_vec_t listing;
  if (!swasm_module_disassemble(module, index, &listing)) return -1;
  long found = -1;
  char *text = malloc(listing.size + 1);
  memcpy(text, listing.data, listing.size);
  text[listing.size] = '\0';
  for (char *line = strtok(text, "\n"); line && found < 0; line = strtok(NULL, "\n")) {
    char name[64];
    long position;
    if (sscanf(line, "%ld %63s", &position, name) == 2 && strcmp(name, mnemonic) == 0 &&
        (detail == NULL || strstr(line, detail) != NULL))
      found = position;
  }
  free(text);
  wasm_byte_vec_delete(&listing);
  return found;
}

static void test_refusals(wasm_engine_t *engine, wasmtime_module_t *module, const wasm_byte_vec_t *artifact) {
  size_t size = artifact->size;
  // Not an artifact at all, or damaged in transit.
  expect_refusal(engine, artifact, 0, 0, NULL, NULL, "magic", __LINE__);
  expect_refusal(engine, artifact, 40, 0, NULL, NULL, "truncated", __LINE__);
  expect_refusal(engine, artifact, size - 8, 0, NULL, NULL, "size does not match", __LINE__);
  expect_refusal(engine, artifact, size + 8, 0, NULL, NULL, "size does not match", __LINE__);
  size_t flipped = 0;
  for (size_t at = ARTIFACT_HEADER_SIZE; at < size; at += 61) {
    expect_refusal(engine, artifact, size, 0, flip_byte, &at, "checksum", __LINE__);
    flipped++;
  }
  CHECK(flipped > 10);
  // From another format version or instruction set.
  uint32_t version[2] = {8, 2};
  expect_refusal(engine, artifact, size, 1, set_u32, version, "format version 2", __LINE__);
  uint32_t instruction_set[2] = {16, 0x12345678};
  expect_refusal(engine, artifact, size, 1, set_u32, instruction_set, "instruction set", __LINE__);

  // Crafted code with a valid checksum: the verifier must catch it. `null_ref` stores a null
  // constant into a funcref table; its const64 instruction is [opcode][slot word][value].
  long at = find_instruction(module, NULL_REF_FUNCTION, "const64", "imm=0");
  CHECK(at >= 0);
  if (at < 0) return;
  uint64_t const64 = code_word(artifact, NULL_REF_DEFINED, (uint32_t)at);
  code_edit forged_reference = {NULL_REF_DEFINED, (uint32_t)at + 2, 0x4141414141};
  expect_refusal(engine, artifact, size, 1, set_code_word, &forged_reference, "may hold something else", __LINE__);
  code_edit far_slot = {NULL_REF_DEFINED, (uint32_t)at + 1, 0xfff0};
  expect_refusal(engine, artifact, size, 1, set_code_word, &far_slot, "outside the frame", __LINE__);
  code_edit unknown = {NULL_REF_DEFINED, (uint32_t)at, 0xfffff};
  expect_refusal(engine, artifact, size, 1, set_code_word, &unknown, "unknown opcode", __LINE__);
  // A memory offset beyond 32 bits would wrap the bounds check (scaled_sum's load at offset 16).
  long load = find_instruction(module, 5, "i32_load8_u", NULL);
  CHECK(load >= 0);
  if (load >= 0) {
    code_edit wrap = {4, (uint32_t)load + 2, UINT64_MAX};
    expect_refusal(engine, artifact, size, 1, set_code_word, &wrap, "offset exceeds 32 bits", __LINE__);
  }
  // `halt` (opcode 0, one word) in place of the function's `return` (also one word).
  long ret = find_instruction(module, NULL_REF_FUNCTION, "return", NULL);
  CHECK(ret > 0);
  code_edit halt = {NULL_REF_DEFINED, (uint32_t)ret, 0};
  expect_refusal(engine, artifact, size, 1, set_code_word, &halt, "halt", __LINE__);
  // Moving an instruction boundary (a three-word const64 made a one-word return) is caught by
  // the start bitmap.
  code_edit shifted = {NULL_REF_DEFINED, (uint32_t)at, code_word(artifact, NULL_REF_DEFINED, (uint32_t)ret)};
  expect_refusal(engine, artifact, size, 1, set_code_word, &shifted, "bitmap does not match", __LINE__);
  CHECK(const64 != UINT64_MAX);

  // A branch that leaves its function (fib's loop).
  long branch = find_instruction(module, FIB_FUNCTION, "br", NULL);
  CHECK(branch >= 0);
  if (branch >= 0) {
    code_edit away = {FIB_DEFINED, (uint32_t)branch + 1, 100000};
    expect_refusal(engine, artifact, size, 1, set_code_word, &away, "branch", __LINE__);
    code_edit inside = {FIB_DEFINED, (uint32_t)branch + 1, 1}; // into the middle of itself
    expect_refusal(engine, artifact, size, 1, set_code_word, &inside, "does not land on an instruction", __LINE__);
  }
}

// A tail call hands the callee's results to the caller's caller as the caller's: an artifact whose
// return_call (or return_call_indirect) names a callee with other results is refused, or a caller
// expecting a reference could be handed a number. The unforged artifact loads.
static void test_tail_call_forgery(wasm_engine_t *engine) {
  const char *wat = "(module (type $i32 (func (result i32))) (type $i64 (func (result i64))) (table 2 funcref)"
                    " (func $f (result i64) (i64.const 1)) (func $g (result i32) (i32.const 2))"
                    " (func (export \"direct\") (result i32) (return_call $g))"
                    " (func (export \"indirect\") (result i32) (return_call_indirect (type $i32) (i32.const 1))))";
  wasmtime_module_t *module = compile(engine, wat);
  if (!module) return;
  wasm_byte_vec_t artifact;
  CHECK(wasmtime_module_serialize(module, &artifact) == NULL);
  wasmtime_error_t *error = NULL;
  wasmtime_module_t *copy = deserialize(engine, &artifact, &error);
  CHECK(copy != NULL && error == NULL);
  if (copy) wasmtime_module_delete(copy);
  if (error) wasmtime_error_delete(error);
  long direct = find_instruction(module, 2, "return_call", NULL);
  CHECK(direct >= 0);
  if (direct >= 0) {
    code_edit other_callee = {2, (uint32_t)direct + 2, 0}; // $f returns i64
    expect_refusal(engine, &artifact, artifact.size, 1, set_code_word, &other_callee, "results differ", __LINE__);
  }
  long indirect = find_instruction(module, 3, "return_call_indirect", NULL);
  CHECK(indirect >= 0);
  if (indirect >= 0) {
    code_edit other_type = {3, (uint32_t)indirect + 2, 1}; // type $i64
    expect_refusal(engine, &artifact, artifact.size, 1, set_code_word, &other_type, "results differ", __LINE__);
  }
  wasm_byte_vec_delete(&artifact);
  wasmtime_module_delete(module);
}

// A stack map edit: in defined function `function`, the 64-bit word `word` of its stack map section
// (0: the counts, 1..n: the maps, then the slots, four per word) becomes `value`.
typedef struct { uint32_t function; uint32_t word; uint64_t value; } stack_map_edit;

static void set_stack_map_word(uint8_t *bytes, size_t size, void *context) {
  stack_map_edit *edit = context;
  artifact_function_layout layout;
  if (!artifact_function_find(bytes, size, edit->function, &layout) || layout.stack_maps + 8 * (size_t)edit->word + 8 > size) {
    fprintf(stderr, "stack map edit out of range\n");
    check_failures++;
    return;
  }
  memcpy(bytes + layout.stack_maps + 8 * (size_t)edit->word, &edit->value, 8);
}

// Stack maps travel in artifacts, and the verifier holds them to the code: a map must belong to a
// safepoint and stay inside the frame, and a reference the map of a call leaves out is not trusted
// after the call (the collector may have freed it), so code that reads it is refused.
static void test_stack_map_forgery(wasm_engine_t *engine) {
  const char *wat = "(module (type $box (struct (field i32)))"
                    " (func $alloc (result (ref $box)) (struct.new $box (i32.const 1)))"
                    " (func (export \"keep\") (result i32) (local $b (ref null $box))"
                    "  (local.set $b (struct.new $box (i32.const 7)))"
                    "  (drop (call $alloc))"
                    "  (struct.get $box 0 (local.get $b))))";
  wasmtime_module_t *module = compile(engine, wat);
  if (!module) return;
  wasm_byte_vec_t artifact;
  CHECK(wasmtime_module_serialize(module, &artifact) == NULL);
  // The call's map names the local (slot 0) and nothing else.
  long call = find_instruction(module, 1, "call", "refs=0");
  CHECK(call >= 0);
  artifact_function_layout layout = {0, 0, 0};
  CHECK(artifact_function_find((const uint8_t *)artifact.data, artifact.size, 1, &layout));
  uint64_t counts = artifact_load64((const uint8_t *)artifact.data + layout.stack_maps);
  uint64_t map = artifact_load64((const uint8_t *)artifact.data + layout.stack_maps + 8 * (size_t)(uint32_t)counts);
  uint64_t slots = artifact_load64((const uint8_t *)artifact.data + layout.stack_maps + 8 * (1 + (size_t)(uint32_t)counts));
  // Maps at struct.new (the local, still null) and at the call; both name slot 0.
  CHECK(counts == (2 | (uint64_t)2 << 32));
  CHECK(call >= 0 && map == ((uint64_t)call | (uint64_t)2 << 32));
  CHECK(slots == 0);

  wasmtime_error_t *error = NULL;
  wasmtime_module_t *copy = deserialize(engine, &artifact, &error);
  CHECK(copy != NULL && error == NULL);
  if (copy) wasmtime_module_delete(copy);
  if (error) wasmtime_error_delete(error);

  uint32_t last = 1 + (uint32_t)counts; // the slots' word
  stack_map_edit dropped = {1, last, 0x00010000}; // the call's map names slot 1 (a temporary) instead
  expect_refusal(engine, &artifact, artifact.size, 1, set_stack_map_word, &dropped, "may hold something else", __LINE__);
  stack_map_edit outside = {1, last, 0xffff0000}; // slot 65535
  expect_refusal(engine, &artifact, artifact.size, 1, set_stack_map_word, &outside, "outside the frame", __LINE__);
  stack_map_edit elsewhere = {1, (uint32_t)counts, (uint64_t)(call + 3) | (uint64_t)2 << 32}; // the struct.get
  expect_refusal(engine, &artifact, artifact.size, 1, set_stack_map_word, &elsewhere, "no safepoint", __LINE__);
  stack_map_edit unordered = {1, (uint32_t)counts, (uint64_t)call | (uint64_t)1 << 32}; // ends before the previous map
  expect_refusal(engine, &artifact, artifact.size, 1, set_stack_map_word, &unordered, "out of order", __LINE__);
  stack_map_edit huge = {1, 0, 0xffffffffffffffffULL};
  expect_refusal(engine, &artifact, artifact.size, 1, set_stack_map_word, &huge, "stack maps are truncated", __LINE__);
  stack_map_edit none = {1, 0, 0}; // no maps: the local is not trusted after the first safepoint
  expect_refusal(engine, &artifact, artifact.size, 1, set_stack_map_word, &none, "", __LINE__);
  wasm_byte_vec_delete(&artifact);
  wasmtime_module_delete(module);
}

static void test_engine_mismatch(const wasm_byte_vec_t *artifact) {
  wasm_config_t *config = wasm_config_new();
  wasmtime_config_consume_fuel_set(config, true);
  wasm_engine_t *fuel = wasm_engine_new_with_config(config);
  wasmtime_error_t *error = NULL;
  CHECK(deserialize(fuel, artifact, &error) == NULL);
  CHECK_ERROR(error, "fuel");
  wasm_engine_delete(fuel);

  config = wasm_config_new();
  wasmtime_config_epoch_interruption_set(config, true);
  wasm_engine_t *epoch = wasm_engine_new_with_config(config);
  CHECK(deserialize(epoch, artifact, &error) == NULL);
  CHECK_ERROR(error, "epoch");
  wasm_engine_delete(epoch);

  config = wasm_config_new();
  wasmtime_config_wasm_relaxed_simd_deterministic_set(config, true);
  wasm_engine_t *deterministic = wasm_engine_new_with_config(config);
  CHECK(deserialize(deterministic, artifact, &error) == NULL);
  CHECK_ERROR(error, "deterministic relaxed SIMD");
  wasm_engine_delete(deterministic);

  config = wasm_config_new();
  wasmtime_config_wasm_simd_set(config, false);
  wasmtime_config_wasm_relaxed_simd_set(config, false); // relaxed SIMD needs SIMD
  wasm_engine_t *no_simd = wasm_engine_new_with_config(config);
  CHECK(deserialize(no_simd, artifact, &error) == NULL);
  CHECK_ERROR(error, "features");
  wasm_engine_delete(no_simd);
}

// Crafted code must not escape fuel metering or epoch checks of the engine it loads into.
static void test_interruption_bypass(void) {
  for (int epoch = 0; epoch <= 1; epoch++) {
    wasm_config_t *config = wasm_config_new();
    if (epoch) wasmtime_config_epoch_interruption_set(config, true);
    else wasmtime_config_consume_fuel_set(config, true);
    wasm_engine_t *engine = wasm_engine_new_with_config(config);
    wasmtime_module_t *module = compile(engine, program);
    wasm_byte_vec_t artifact;
    CHECK(module && wasmtime_module_serialize(module, &artifact) == NULL);
    if (!module) { wasm_engine_delete(engine); continue; }
    wasmtime_error_t *error = NULL;
    wasmtime_module_t *copy = deserialize(engine, &artifact, &error);
    CHECK(error == NULL && copy != NULL); // the honest artifact loads
    if (copy) wasmtime_module_delete(copy);
    if (error) wasmtime_error_delete(error);
    // fib's loop branch, retargeted at itself: a loop around no check.
    long branch = find_instruction(module, FIB_FUNCTION, "br", NULL);
    CHECK(branch >= 0);
    if (branch >= 0) {
      code_edit spin = {FIB_DEFINED, (uint32_t)branch + 1, 0};
      expect_refusal(engine, &artifact, artifact.size, 1, set_code_word, &spin,
                     epoch ? "past an epoch check" : "without charging fuel", __LINE__);
    }
    if (!epoch) {
      // The entry charge (every call consumes fuel) cannot be zeroed.
      CHECK(find_instruction(module, FIB_FUNCTION, "fuel_check_entry", NULL) == 0);
      code_edit free_call = {FIB_DEFINED, 2, 0};
      expect_refusal(engine, &artifact, artifact.size, 1, set_code_word, &free_call, "fuel charge", __LINE__);
      // A charge of 2^64 - 1 would subtract -1: fuel given back on every loop iteration.
      if (branch >= 0) {
        long head = branch + (int64_t)code_word(&artifact, FIB_DEFINED, (uint32_t)branch + 1);
        long loop_check = find_instruction(module, FIB_FUNCTION, "fuel_check", NULL);
        CHECK(loop_check == head); // the loop header's checking fuel_check
        CHECK(loop_check >= 0 && code_word(&artifact, FIB_DEFINED, (uint32_t)head) == code_word(&artifact, FIB_DEFINED, (uint32_t)loop_check));
        // A plain charge never traps, so it cannot stand in for the loop header's check.
        long charge = find_instruction(module, FIB_FUNCTION, "fuel_charge", NULL);
        CHECK(charge > 0);
        if (charge > 0) {
          code_edit demote = {FIB_DEFINED, (uint32_t)head, code_word(&artifact, FIB_DEFINED, (uint32_t)charge)};
          expect_refusal(engine, &artifact, artifact.size, 1, set_code_word, &demote, "without charging fuel", __LINE__);
        }
        code_edit refund = {FIB_DEFINED, (uint32_t)head + 2, UINT64_MAX};
        expect_refusal(engine, &artifact, artifact.size, 1, set_code_word, &refund, "negative amount", __LINE__);
      }
    } else {
      CHECK(find_instruction(module, FIB_FUNCTION, "epoch_check", NULL) == 0);
      long ret = find_instruction(module, FIB_FUNCTION, "return", NULL); // one word, like epoch_check
      CHECK(ret > 0);
      code_edit no_check = {FIB_DEFINED, 0, code_word(&artifact, FIB_DEFINED, (uint32_t)ret)};
      expect_refusal(engine, &artifact, artifact.size, 1, set_code_word, &no_check, "epoch check", __LINE__);
    }
    wasm_byte_vec_delete(&artifact);
    wasmtime_module_delete(module);
    wasm_engine_delete(engine);
  }
}

// Memory images (copy-on-write initialization): a module with a few pages of data carries the
// pages its segments write, page-aligned; loading checks them against the segments, so a forged
// image (or image table) is refused even with a valid checksum, and the round trip is exact.
static void test_memory_images(wasm_engine_t *engine) {
  enum { DATA = 6000 };
  char *text = malloc(256 + 3 * DATA);
  char *at = text + sprintf(text, "(module (memory (export \"m\") 1) (data (i32.const 5000) \"");
  for (int i = 0; i < DATA; i++) at += sprintf(at, "\\%02x", (unsigned)(i % 251) + 1);
  sprintf(at, "\") (func (export \"peek\") (param i32) (result i32) (i32.load8_u (local.get 0))))");
  wasmtime_module_t *module = compile(engine, text);
  free(text);
  if (!module) return;
  wasm_byte_vec_t artifact;
  CHECK(wasmtime_module_serialize(module, &artifact) == NULL);
  const uint8_t *bytes = (const uint8_t *)artifact.data;
  size_t table = 0, images = 0;
  CHECK(artifact_images_find(bytes, artifact.size, &table, &images));
  // One image: pages 1 and 2 of memory 0 (bytes 4096..12287), ending the artifact.
  CHECK(artifact_load32(bytes + table) == 1 && artifact_load32(bytes + table + 8) == 0);
  CHECK(artifact_load64(bytes + table + 16) == 8192 && images % 4096 == 0 && images + 8192 == artifact.size);
  CHECK(bytes[images + 5000 - 4096] == 1 && bytes[images + 5000 - 4096 + DATA - 1] == (DATA - 1) % 251 + 1);
  CHECK(bytes[images + 5000 - 4096 - 1] == 0 && bytes[images + 5000 - 4096 + DATA] == 0);

  wasmtime_error_t *error = NULL;
  wasmtime_module_t *copy = deserialize(engine, &artifact, &error);
  CHECK(copy != NULL && error == NULL);
  if (copy) {
    wasm_byte_vec_t again;
    CHECK(wasmtime_module_serialize(copy, &again) == NULL);
    CHECK(again.size == artifact.size && memcmp(again.data, artifact.data, artifact.size) == 0);
    wasm_byte_vec_delete(&again);
    wasmtime_module_delete(copy);
  }
  if (error) wasmtime_error_delete(error);

  // A byte of the image changed, in the data or in the zeros around it.
  size_t in_data = images + 5000 - 4096 + 17, in_zeros = images + 12;
  expect_refusal(engine, &artifact, artifact.size, 1, flip_byte, &in_data, "memory image does not match", __LINE__);
  expect_refusal(engine, &artifact, artifact.size, 1, flip_byte, &in_zeros, "memory image does not match", __LINE__);
  // The table naming another memory, another size, or no image at all.
  uint32_t other_memory[2] = {(uint32_t)table + 8, 1};
  expect_refusal(engine, &artifact, artifact.size, 1, set_u32, other_memory, "do not match the module's data segments", __LINE__);
  uint32_t other_size[2] = {(uint32_t)table + 16, 4096};
  expect_refusal(engine, &artifact, artifact.size, 1, set_u32, other_size, "do not match the module's data segments", __LINE__);
  uint32_t no_image[2] = {(uint32_t)table, 0};
  expect_refusal(engine, &artifact, artifact.size, 1, set_u32, no_image, "do not match the module's data segments", __LINE__);
  // Data in the padding before the image.
  size_t in_padding = images - 1;
  expect_refusal(engine, &artifact, artifact.size, 1, flip_byte, &in_padding, "memory images", __LINE__);
  wasm_byte_vec_delete(&artifact);
  wasmtime_module_delete(module);

  // Without a page of data (the program's 5 bytes) there is no image.
  module = compile(engine, program);
  if (module) {
    CHECK(wasmtime_module_serialize(module, &artifact) == NULL);
    CHECK(artifact_images_find((const uint8_t *)artifact.data, artifact.size, &table, &images));
    CHECK(artifact_load32((const uint8_t *)artifact.data + table) == 0 && table + 8 == artifact.size);
    wasm_byte_vec_delete(&artifact);
    wasmtime_module_delete(module);
  }
}

int main(void) {
  wasm_engine_t *engine = wasm_engine_new();
  wasmtime_module_t *module = compile(engine, program);
  if (!module) return check_report("test_artifact");
  wasm_byte_vec_t artifact;
  CHECK(wasmtime_module_serialize(module, &artifact) == NULL);
  CHECK(artifact.size > ARTIFACT_HEADER_SIZE && memcmp(artifact.data, "\0swasmcw", 8) == 0);

  test_round_trip(engine, module, &artifact);
  test_file(engine, &artifact);
  test_wasm_h(engine);
  test_refusals(engine, module, &artifact);
  test_tail_call_forgery(engine);
  test_stack_map_forgery(engine);
  test_engine_mismatch(&artifact);
  test_interruption_bypass();
  test_memory_images(engine);
  CHECK_ERROR(wasmtime_module_serialize(NULL, &artifact), "must not be NULL");

  wasm_byte_vec_delete(&artifact);
  wasmtime_module_delete(module);
  wasm_engine_delete(engine);
  return check_report("test_artifact");
}
