// Allocation-failure sweeps of wasmtime_wat2wasm and swasm_script_parse (see tests-c/oom/README.md):
// every allocation the text assembler and the script parser make is failed in turn, in the
// transient, persistent and strict modes. A failure must come back as the out-of-memory error with
// the output vector left empty (or no script), with nothing leaked and no allocation after the
// failure inside the call.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <swasm.h>
#include <wasmtime.h>

#include "../oom/oom_harness.h"

// A module touching most of the assembler: every kind of field, inline imports and exports,
// implicit types, folded and flat control, labels, locals, SIMD, long float literals (the
// big-integer rounding path), data and element segments, and the name section.
static const char module_text[] =
    "(module $m\n"
    "  (type $t (func (param i32) (result i32)))\n"
    "  (import \"env\" \"f\" (func $imp (param i32 i64) (result f32)))\n"
    "  (func $inline (import \"env\" \"g\") (param f64))\n"
    "  (global $g (import \"env\" \"glob\") (mut i32))\n"
    "  (memory $mem (export \"memory\") 1 2)\n"
    "  (table $tab 4 funcref)\n"
    "  (table $refs externref (elem (ref.null extern) (ref.null extern)))\n"
    "  (global $h f64 (f64.const 0.1000000000000000055511151231257827021181583404541015625))\n"
    "  (global $k f32 (f32.const 1.00000005960464477539062500000000000000000000000000000001))\n"
    "  (func $add (export \"add\") (param $a i32) (param $b i32) (result i32) (local $x i64) (local f32 f32)\n"
    "    (block $out (result i32)\n"
    "      (loop $again\n"
    "        (br_if $again (i32.eqz (local.get $a)))\n"
    "        (if (result i32) (local.get $b) (then (br $out (i32.const 1))) (else (i32.const 2)))\n"
    "        drop)\n"
    "      block $flat (param) (result i32) i32.const 3 end\n"
    "      (call_indirect $tab (type $t) (i32.const 0)))\n"
    "    (i32.add (local.get $a)))\n"
    "  (func (type $t) (param i32) (result i32)\n"
    "    (i32.load offset=4 align=2 (local.get 0))\n"
    "    (v128.const f32x4 1.5 -inf nan:0x1 0x1p-149)\n"
    "    (i8x16.shuffle 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 (v128.const i8x16 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15))\n"
    "    (i32x4.extract_lane 3) (i32.add)\n"
    "    (memory.init $d (i32.const 0) (i32.const 0) (i32.const 1))\n"
    "    (data.drop $d)\n"
    "    (select (result i32) (i32.const 1) (i32.const 2) (i32.const 3)) (i32.add))\n"
    "  (func $multi (param i32 i32) (result i32 i32) (local.get 0) (local.get 1)\n"
    "    (block (param i32 i32) (result i32 i32)))\n"
    "  (elem (table $tab) (i32.const 0) func $add $multi)\n"
    "  (elem $e funcref (ref.func $add) (item ref.null func))\n"
    "  (elem declare func $inline)\n"
    "  (data $d \"passive \\00\\ff \\u{1F600}\")\n"
    "  (data (memory $mem) (offset (i32.const 16)) \"active\" \"segment\")\n"
    "  (start $inline-start)\n"
    "  (func $inline-start)\n"
    "  (export \"table\" (table $tab))\n"
    // Typed function references and GC: recursion groups, subtypes, struct and array types with
    // named fields, typed references, tables with initializers and the GC instructions.
    "  (rec (type $node (sub (struct (field $value i32) (field $next (ref null $node)))))\n"
    "       (type $leaf (sub final $node (struct (field $value i32) (field $next (ref null $node)) (field (mut i8))))))\n"
    "  (type $bytes (array (mut i8)))\n"
    "  (table $typed 2 (ref null $t) (ref.func $add))\n"
    "  (func $gc (param $n (ref null $node)) (result i32) (local $l (ref $node))\n"
    "    (local.set $l (struct.new $node (i32.const 1) (local.get $n)))\n"
    "    (drop (array.new_fixed $bytes 2 (i32.const 1) (i32.const 2)))\n"
    "    (drop (ref.test (ref $leaf) (local.get $l)))\n"
    "    (block $b (result (ref $node)) (br_on_cast $b anyref (ref $node) (ref.i31 (i32.const 5))) (unreachable))\n"
    "    (struct.get $node $value)\n"
    "    (call_ref $t (i32.const 4) (table.get $typed (i32.const 0)))\n"
    "    (i32.add))\n"
    ")\n";

// An error near the end, after most of the module has been parsed.
static const char malformed_text[] =
    "(module\n"
    "  (func $f (param $x i32) (result i32) (i32.add (local.get $x) (i32.const 1)))\n"
    "  (func (call $f (i32.const 2)) (drop) (i32.bogus))\n"
    ")\n";

static oom_result error_result(wasmtime_error_t *error) {
  if (error == NULL) return OOM_RESULT_OK;
  int oom = swasm_error_is_oom(error);
  OOM_CALL_VOID(wasmtime_error_delete(error));
  return oom ? OOM_RESULT_OOM : OOM_RESULT_OTHER_ERROR;
}

static oom_result scenario_wat2wasm_module(void) {
  wasm_byte_vec_t binary;
  wasmtime_error_t *error = OOM_CALL(wasmtime_wat2wasm(module_text, sizeof module_text - 1, &binary));
  if (error) {
    OOM_EXPECT(binary.size == 0 && binary.data == NULL);
    return error_result(error);
  }
  OOM_EXPECT(binary.size > 8 && memcmp(binary.data, "\0asm\1\0\0\0", 8) == 0);
  OOM_CALL_VOID(wasm_byte_vec_delete(&binary));
  return OOM_RESULT_OK;
}

// The malformed module must be rejected: with the out-of-memory error when an allocation failed,
// otherwise with its full message.
static oom_result scenario_wat2wasm_malformed(void) {
  wasm_byte_vec_t binary;
  wasmtime_error_t *error = OOM_CALL(wasmtime_wat2wasm(malformed_text, sizeof malformed_text - 1, &binary));
  OOM_EXPECT(error != NULL);
  OOM_EXPECT(binary.size == 0 && binary.data == NULL);
  if (!error) return OOM_RESULT_OTHER_ERROR;
  if (swasm_error_is_oom(error)) return error_result(error);
  // An error other than out of memory: nothing failed before it was found, and its message is
  // complete (running out of memory while writing it gives the out-of-memory error instead).
  OOM_EXPECT(!oom_injected());
  {
    // Reading the message is not under test.
    oom_suspend();
    wasm_byte_vec_t message;
    wasmtime_error_message(error, &message);
    static const char expected[] = "unknown operator i32.bogus at 3:41";
    OOM_EXPECT(message.size == sizeof expected - 1 && memcmp(message.data, expected, message.size) == 0);
    wasm_byte_vec_delete(&message);
    oom_resume();
  }
  OOM_CALL_VOID(wasmtime_error_delete(error));
  return OOM_RESULT_OK;
}

// A script with every kind of command and of expected result: text, binary and quoted modules (one
// malformed), register, invoke and get, NaN patterns, v128 lanes, (either ...), references.
static const char script_text[] =
    "(module $M (func (export \"f\") (param i32) (result i32) (local.get 0))\n"
    "  (global (export \"g\") i32 (i32.const 7))\n"
    "  (func (export \"v\") (result v128) (v128.const i32x4 1 2 3 4)))\n"
    "(register \"m\" $M)\n"
    "(module binary \"\\00asm\" \"\\01\\00\\00\\00\")\n"
    "(module quote \"(func (export \\\"q\\\") (result f32) (f32.const nan))\")\n"
    "(assert_malformed (module quote \"(func i32.bogus)\") \"unknown operator\")\n"
    "(invoke $M \"f\" (i32.const 1))\n"
    "(assert_return (invoke $M \"f\" (i32.const 3)) (i32.const 3))\n"
    "(assert_return (get $M \"g\") (either (i32.const 7) (i32.const 8)))\n"
    "(assert_return (invoke \"q\") (f32.const nan:canonical))\n"
    "(assert_return (invoke $M \"v\") (v128.const i32x4 1 2 3 4))\n"
    "(assert_return (invoke \"x\" (v128.const i64x2 1 2) (ref.null extern) (ref.extern 1))\n"
    "  (v128.const f32x4 nan:arithmetic 1.5 -0x1p-3 nan:canonical) (ref.extern) (ref.func) (ref.null func))\n"
    "(assert_trap (invoke \"t\") \"unreachable\")\n"
    "(assert_exhaustion (invoke \"r\") \"call stack exhausted\")\n"
    "(assert_invalid (module (func (result i32))) \"type mismatch\")\n"
    "(assert_unlinkable (module (import \"m\" \"nope\" (func))) \"unknown import\")\n"
    "(assert_uninstantiable (module (func $s unreachable) (start $s)) \"unreachable\")\n"
    "(assert_malformed (module binary \"\\00asm\") \"unexpected end\")\n";

// Parses the script and reads every command (which allocates nothing).
static oom_result scenario_script_parse(void) {
  wasmtime_error_t *error = NULL;
  swasm_script_t *script = OOM_CALL(swasm_script_parse(script_text, sizeof script_text - 1, &error));
  if (script == NULL) {
    OOM_EXPECT(error != NULL);
    return error_result(error);
  }
  OOM_EXPECT(error == NULL);
  size_t count = OOM_CALL(swasm_script_command_count(script));
  OOM_EXPECT(count == 17);
  size_t before = oom_alloc_count();
  size_t arguments = 0, expected = 0, malformed = 0;
  for (size_t i = 0; i < count; i++) {
    swasm_script_command_t command;
    OOM_EXPECT(OOM_CALL(swasm_script_command(script, i, &command)));
    arguments += command.argument_count;
    expected += command.expected_count + command.alternative_count;
    if (command.has_module && !command.module_well_formed) malformed++;
  }
  OOM_EXPECT(oom_alloc_count() == before);
  OOM_EXPECT(arguments == 5 && expected == 10 && malformed == 1);
  swasm_script_command_t past;
  OOM_EXPECT(!OOM_CALL(swasm_script_command(script, count, &past)));
  OOM_CALL_VOID(swasm_script_delete(script));
  return OOM_RESULT_OK;
}

// A script that is not well-formed: the out-of-memory error when an allocation failed, otherwise
// the complete message with the position.
static oom_result scenario_script_malformed(void) {
  static const char text[] = "(module (func))\n(assert_return (invoke \"f\") (i32.const 1)\n  (bogus))\n";
  wasmtime_error_t *error = NULL;
  swasm_script_t *script = OOM_CALL(swasm_script_parse(text, sizeof text - 1, &error));
  OOM_EXPECT(script == NULL && error != NULL);
  if (script != NULL) {
    OOM_CALL_VOID(swasm_script_delete(script));
    return OOM_RESULT_OTHER_ERROR;
  }
  if (error == NULL) return OOM_RESULT_OTHER_ERROR;
  if (swasm_error_is_oom(error)) return error_result(error);
  OOM_EXPECT(!oom_injected());
  {
    oom_suspend();
    wasm_byte_vec_t message;
    wasmtime_error_message(error, &message);
    static const char expected[] = "unknown operator bogus at 3:4";
    OOM_EXPECT(message.size == sizeof expected - 1 && memcmp(message.data, expected, message.size) == 0);
    wasm_byte_vec_delete(&message);
    oom_resume();
  }
  OOM_CALL_VOID(wasmtime_error_delete(error));
  return OOM_RESULT_OK;
}

int main(int argc, char **argv) {
  static const oom_scenario scenarios[] = {
      {"wat2wasm_module", scenario_wat2wasm_module, 0},
      {"wat2wasm_malformed", scenario_wat2wasm_malformed, 0},
      {"script_parse", scenario_script_parse, 0},
      {"script_malformed", scenario_script_malformed, 0},
  };
  return oom_run_scenarios(scenarios, OOM_COUNTOF(scenarios), argc, argv);
}
