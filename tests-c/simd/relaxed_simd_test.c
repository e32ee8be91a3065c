// Relaxed SIMD in both of wasmtime's modes: the default (the results of wasmtime's x86-64 code)
// and `wasmtime_config_wasm_relaxed_simd_deterministic_set(true)` (the deterministic results:
// swizzle, saturating truncation, bitselect, NaN-propagating min and max, saturating Q15, signed
// dot products). Each case runs one instruction on fixed inputs and compares all 16 bytes. Built
// against libswasm.so and against wasmtime 50.0.1's C library with the same expectations (ctests
// relaxed_simd and relaxed_simd_wasmtime). Fused multiply-add is checked in tests-c/wast.
#include <stdio.h>
#include <string.h>
#include <wasmtime.h>

typedef struct {
  const char *op;
  int operands;
  uint8_t in[3][16];
  uint8_t relaxed[16];       // default mode (x86-64)
  uint8_t deterministic[16]; // relaxed_simd_deterministic
} relaxed_case;

#define U32(v) (uint8_t)(v), (uint8_t)((v) >> 8), (uint8_t)((v) >> 16), (uint8_t)((v) >> 24)
#define U16(v) (uint8_t)(v), (uint8_t)((v) >> 8)
#define F32_NAN U32(0x7fc00000u)
#define F32(bits) U32(bits)

static const relaxed_case cases[] = {
    {"i8x16.relaxed_swizzle", 2,
     {{100, 101, 102, 103, 104, 105, 106, 107, 108, 109, 110, 111, 112, 113, 114, 115},
      {0, 15, 16, 17, 31, 32, 0x7f, 0x80, 0x81, 0x8f, 0xf0, 0xff, 1, 2, 3, 4}},
     {100, 115, 100, 101, 115, 100, 115, 0, 0, 0, 0, 0, 101, 102, 103, 104},
     {100, 115, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 101, 102, 103, 104}},
    // NaN, 3e9, -3e9, -1.5
    {"i32x4.relaxed_trunc_f32x4_s", 1,
     {{F32_NAN, F32(0x4f32d05eu), F32(0xcf32d05eu), F32(0xbfc00000u)}},
     {U32(0x80000000u), U32(0x80000000u), U32(0x80000000u), U32(0xffffffffu)},
     {U32(0), U32(0x7fffffffu), U32(0x80000000u), U32(0xffffffffu)}},
    {"i32x4.relaxed_trunc_f32x4_u", 1,
     {{F32_NAN, F32(0x4f9502f9u), F32(0xc0400000u), F32(0x4f32d05eu)}},
     {U32(0), U32(0xffffffffu), U32(0), U32(3000000000u)},
     {U32(0), U32(0xffffffffu), U32(0), U32(3000000000u)}},
    {"i8x16.relaxed_laneselect", 3,
     {{1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1}, {2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2},
      {0x80, 0x7f, 0xff, 0, 1, 0x40, 0x81, 0xc0, 0, 0, 0, 0, 0, 0, 0, 0}},
     {1, 2, 1, 2, 2, 2, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2},
     {2, 1, 1, 2, 3, 2, 3, 2, 2, 2, 2, 2, 2, 2, 2, 2}},
    {"i32x4.relaxed_laneselect", 3,
     {{U32(1), U32(1), U32(1), U32(1)}, {U32(2), U32(2), U32(2), U32(2)},
      {U32(0x80000000u), U32(0x80u), U32(0x7fffffffu), U32(0x00ff00ffu)}},
     {U32(1), U32(2), U32(2), U32(2)},
     {U32(2), U32(2), U32(1), U32(1)}},
    // min(NaN, 1), min(1, NaN), min(0, -0), min(-0, 0)
    {"f32x4.relaxed_min", 2,
     {{F32_NAN, F32(0x3f800000u), F32(0), F32(0x80000000u)}, {F32(0x3f800000u), F32_NAN, F32(0x80000000u), F32(0)}},
     {F32_NAN, F32(0x3f800000u), F32(0), F32(0x80000000u)},
     {F32_NAN, F32_NAN, F32(0x80000000u), F32(0x80000000u)}},
    {"f32x4.relaxed_max", 2,
     {{F32_NAN, F32(0x3f800000u), F32(0), F32(0x80000000u)}, {F32(0x3f800000u), F32_NAN, F32(0x80000000u), F32(0)}},
     {F32_NAN, F32(0x3f800000u), F32(0), F32(0x80000000u)},
     {F32_NAN, F32_NAN, F32(0), F32(0)}},
    {"i16x8.relaxed_q15mulr_s", 2,
     {{U16(0x8000), U16(0x8000), U16(16384), U16(0xffff), U16(1), U16(0), U16(32767), U16(0x8001)},
      {U16(0x8000), U16(32767), U16(16384), U16(0xffff), U16(1), U16(0), U16(32767), U16(0x8000)}},
     {U16(0x8000), U16(0x8001), U16(8192), U16(0), U16(0), U16(0), U16(32766), U16(32767)},
     {U16(32767), U16(0x8001), U16(8192), U16(0), U16(0), U16(0), U16(32766), U16(32767)}},
    {"i16x8.relaxed_dot_i8x16_i7x16_s", 2,
     {{0x80, 0x80, 127, 127, 1, 2, 0xff, 0xff, 0, 0, 5, 5, 0x80, 0x80, 127, 127},
      {0x80, 0x80, 0x80, 0x80, 3, 4, 0xff, 0xff, 0, 0, 127, 127, 127, 127, 0xff, 0xff}},
     {U16(0x8000), U16(32512), U16(11), U16(0xfe02), U16(0), U16(1270), U16(0x8100), U16(32767)},
     {U16(0x8000), U16(0x8100), U16(11), U16(2), U16(0), U16(1270), U16(0x8100), U16(0xff02)}},
    {"i32x4.relaxed_dot_i8x16_i7x16_add_s", 3,
     {{0x80, 0x80, 0x80, 0x80, 127, 127, 127, 127, 1, 2, 3, 4, 0, 0, 0, 0},
      {0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 1, 1, 1, 1, 0, 0, 0, 0},
      {U32(1), U32(2), U32(3), U32(4)}},
     {U32(0xffff0001u), U32(65026), U32(13), U32(4)},
     {U32(65537), U32(0xffff0202u), U32(13), U32(4)}},
};

static int is_nan32(const uint8_t *lane) {
  uint32_t bits;
  memcpy(&bits, lane, 4);
  return (bits & 0x7f800000u) == 0x7f800000u && (bits & 0x7fffffu) != 0;
}

// The 16 bytes are the same, but for the sign of NaN lanes of f32x4 results (NaN's sign is not
// specified: wasmtime's deterministic min gives -NaN, swasm +NaN).
static int same_result(const relaxed_case *c, const uint8_t *actual, const uint8_t *expected) {
  int floats = strncmp(c->op, "f32x4", 5) == 0;
  for (int lane = 0; lane < 16; lane += 4) {
    if (floats && is_nan32(actual + lane) && is_nan32(expected + lane)) continue;
    if (memcmp(actual + lane, expected + lane, 4) != 0) return 0;
  }
  return 1;
}

static int run(int deterministic, const relaxed_case *c) {
  wasm_config_t *config = wasm_config_new();
  wasmtime_config_wasm_relaxed_simd_deterministic_set(config, deterministic);
  wasm_engine_t *engine = wasm_engine_new_with_config(config);
  char wat[512];
  const char *args[] = {"", "(v128.load (i32.const 0))", "(v128.load (i32.const 0)) (v128.load (i32.const 16))",
                        "(v128.load (i32.const 0)) (v128.load (i32.const 16)) (v128.load (i32.const 32))"};
  snprintf(wat, sizeof wat, "(module (memory (export \"m\") 1) (func (export \"f\") (v128.store (i32.const 48) (%s %s))))",
           c->op, args[c->operands]);
  wasm_byte_vec_t wasm;
  wasmtime_module_t *module = NULL;
  wasmtime_error_t *error = wasmtime_wat2wasm(wat, strlen(wat), &wasm);
  if (!error) {
    error = wasmtime_module_new(engine, (const uint8_t *)wasm.data, wasm.size, &module);
    wasm_byte_vec_delete(&wasm);
  }
  int failed = 1;
  if (!error) {
    wasmtime_store_t *store = wasmtime_store_new(engine, NULL, NULL);
    wasmtime_context_t *context = wasmtime_store_context(store);
    wasmtime_instance_t instance;
    wasm_trap_t *trap = NULL;
    wasmtime_extern_t memory, function;
    if (!wasmtime_instance_new(context, module, NULL, 0, &instance, &trap) && !trap &&
        wasmtime_instance_export_get(context, &instance, "m", 1, &memory) &&
        wasmtime_instance_export_get(context, &instance, "f", 1, &function)) {
      uint8_t *bytes = wasmtime_memory_data(context, &memory.of.memory);
      for (int i = 0; i < c->operands; i++) memcpy(bytes + 16 * i, c->in[i], 16);
      error = wasmtime_func_call(context, &function.of.func, NULL, 0, NULL, 0, &trap);
      if (!error && !trap) {
        const uint8_t *expected = deterministic ? c->deterministic : c->relaxed;
        failed = !same_result(c, bytes + 48, expected);
        if (failed) {
          printf("FAIL %s (%s): got", c->op, deterministic ? "deterministic" : "relaxed");
          for (int i = 0; i < 16; i++) printf(" %02x", bytes[48 + i]);
          printf(", expected");
          for (int i = 0; i < 16; i++) printf(" %02x", expected[i]);
          printf("\n");
        }
      }
    }
    if (trap) wasm_trap_delete(trap);
    wasmtime_store_delete(store);
  }
  if (error) {
    printf("FAIL %s: error\n", c->op);
    wasmtime_error_delete(error);
  }
  if (!failed) printf("ok %s (%s)\n", c->op, deterministic ? "deterministic" : "relaxed");
  if (module) wasmtime_module_delete(module);
  wasm_engine_delete(engine);
  return failed;
}

int main(void) {
  int failures = 0, count = 0;
  for (int deterministic = 0; deterministic < 2; deterministic++)
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++, count++) failures += run(deterministic, &cases[i]);
  printf("%d cases, %d failed\n", count, failures);
  return failures ? 1 : 0;
}
