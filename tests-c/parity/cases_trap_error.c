/* wasm.h traps and frames, wasmtime/trap.h, wasmtime/error.h. */
#include "parity.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- traps made by the host ---- */

CASE(trap_new) {
  report_trap("wasmtime_trap_new \"boom\"", wasmtime_trap_new("boom", 4));
}

CASE(trap_new_empty) { report_trap("wasmtime_trap_new \"\"", wasmtime_trap_new("", 0)); }

CASE(trap_new_embedded_nul) {
  report_trap("wasmtime_trap_new \"a\\0b\"", wasmtime_trap_new("a\0b", 3));
}

CASE(trap_new_invalid_utf8) {
  report_trap("wasmtime_trap_new \"\\xff\\xfe\"", wasmtime_trap_new("\xff\xfe", 2));
}

CASE(trap_new_code) {
  char l[64];
  snprintf(l, sizeof l, "wasmtime_trap_new_code %d", case_arg);
  report_trap(l, wasmtime_trap_new_code((wasmtime_trap_code_t)case_arg));
}

CASE(trap_wasm_new) {
  env_t e = env_new();
  wasm_store_t *s = wasm_store_new(e.engine);
  wasm_message_t m;
  switch (case_arg) {
    case 0:
      wasm_byte_vec_new(&m, 6, "hello");
      report_trap("wasm_trap_new \"hello\\0\"", wasm_trap_new(s, &m));
      break;
    case 1:
      wasm_byte_vec_new(&m, 5, "hello");
      report_trap("wasm_trap_new \"hello\" (no NUL)", wasm_trap_new(s, &m));
      break;
    default:
      wasm_byte_vec_new_empty(&m);
      report_trap("wasm_trap_new empty", wasm_trap_new(s, &m));
      break;
  }
  wasm_byte_vec_delete(&m);
  wasm_store_delete(s);
}

CASE(trap_copy) {
  wasm_trap_t *t = wasmtime_trap_new_code(WASMTIME_TRAP_CODE_UNREACHABLE_CODE_REACHED);
  wasm_trap_t *c = wasm_trap_copy(t);
  wasm_trap_delete(t);
  report_trap("copy", c);
}

CASE(trap_delete_null) {
  wasm_trap_delete(NULL);
  out("wasm_trap_delete(NULL): returned");
}

CASE(trap_code_null_trap) {
  wasmtime_trap_code_t code;
  out("wasmtime_trap_code(NULL): %d", wasmtime_trap_code(NULL, &code));
}

CASE(trap_message_null_trap) {
  wasm_message_t m;
  wasm_trap_message(NULL, &m);
  out_bytes("message", m.data, m.size);
}

/* ---- traps raised by Wasm ---- */

static const char *trap_module =
    "(module $traps\n"
    "  (type $v (func))\n"
    "  (type $i (func (param i32) (result i32)))\n"
    "  (table 2 funcref)\n"
    "  (elem (i32.const 0) $unreach)\n"
    "  (memory 1)\n"
    "  (func $unreach (export \"unreachable\") unreachable)\n"
    "  (func $mem (export \"memory_oob\") (drop (i32.load (i32.const 70000))))\n"
    "  (func $store (export \"memory_oob_store\") (i64.store offset=65535 (i32.const 0) (i64.const 1)))\n"
    "  (func $div (export \"div_zero\") (drop (i32.div_s (i32.const 1) (i32.const 0))))\n"
    "  (func $rem (export \"rem_zero\") (drop (i64.rem_u (i64.const 1) (i64.const 0))))\n"
    "  (func $ovf (export \"int_overflow\") (drop (i32.div_s (i32.const 0x80000000) (i32.const -1))))\n"
    "  (func $conv (export \"bad_conversion_nan\") (drop (i32.trunc_f32_s (f32.const nan))))\n"
    "  (func $conv2 (export \"bad_conversion_big\") (drop (i64.trunc_f64_u (f64.const 1e30))))\n"
    "  (func $null (export \"indirect_null\") (call_indirect (type $v) (i32.const 1)))\n"
    "  (func $sig (export \"bad_signature\") (drop (call_indirect (type $i) (i32.const 5) (i32.const 0))))\n"
    "  (func $toob (export \"table_oob\") (call_indirect (type $v) (i32.const 7)))\n"
    "  (func $tget (export \"table_get_oob\") (drop (table.get 0 (i32.const 9))))\n"
    "  (func $tfill (export \"table_fill_oob\") (table.fill 0 (i32.const 1) (ref.null func) (i32.const 5)))\n"
    "  (func $mfill (export \"memory_fill_oob\") (memory.fill (i32.const 65530) (i32.const 0) (i32.const 100)))\n"
    "  (func $mcopy (export \"memory_copy_oob\") (memory.copy (i32.const 0) (i32.const 65530) (i32.const 100)))\n"
    "  (func $deep3 (param i32) (result i32) (i32.div_u (i32.const 1) (local.get 0)))\n"
    "  (func $deep2 (param i32) (result i32) (i32.add (i32.const 1) (call $deep3 (local.get 0))))\n"
    "  (func $deep1 (export \"nested\") (param i32) (result i32) (call $deep2 (local.get 0)))\n"
    "  (func (export \"unnamed\") (call $deep1 (i32.const 0)) drop)\n"
    "  (func $stack (export \"stack_overflow\") (call $stack))\n"
    ")";

static void wasm_trap_case(const char *export_name, bool with_arg) {
  env_t e = env_new();
  wasmtime_instance_t inst;
  if (!instance_of(&e, trap_module, &inst)) return;
  wasmtime_val_t a = v_i32(0);
  call_export(&e, &inst, export_name, &a, with_arg ? 1 : 0, with_arg ? 1 : 0);
  /* The store is usable after a trap. */
  a = v_i32(1);
  call_export(&e, &inst, "nested", &a, 1, 1);
}

#define WASM_TRAP_CASE(name, arg) \
  CASE(trap_wasm_##name) { wasm_trap_case(#name, arg); }
WASM_TRAP_CASE(unreachable, false)
WASM_TRAP_CASE(memory_oob, false)
WASM_TRAP_CASE(memory_oob_store, false)
WASM_TRAP_CASE(div_zero, false)
WASM_TRAP_CASE(rem_zero, false)
WASM_TRAP_CASE(int_overflow, false)
WASM_TRAP_CASE(bad_conversion_nan, false)
WASM_TRAP_CASE(bad_conversion_big, false)
WASM_TRAP_CASE(indirect_null, false)
WASM_TRAP_CASE(bad_signature, false)
WASM_TRAP_CASE(table_oob, false)
WASM_TRAP_CASE(table_get_oob, false)
WASM_TRAP_CASE(table_fill_oob, false)
WASM_TRAP_CASE(memory_fill_oob, false)
WASM_TRAP_CASE(memory_copy_oob, false)
WASM_TRAP_CASE(nested, true)
WASM_TRAP_CASE(unnamed, false)

CASE(trap_wasm_stack_overflow) {
  env_t e = env_new();
  wasmtime_instance_t inst;
  if (!instance_of(&e, trap_module, &inst)) return;
  wasmtime_extern_t f = export_of(&e, &inst, "stack_overflow");
  wasm_trap_t *trap = NULL;
  wasmtime_error_t *err = wasmtime_func_call(e.cx, &f.of.func, NULL, 0, NULL, 0, &trap);
  out("error: %s", err ? "yes" : "no");
  if (!trap) return;
  out("code: %s", trap_code_str(trap));
  wasm_message_t msg;
  wasm_trap_message(trap, &msg);
  size_t n = 0;
  while (n < msg.size && msg.data[n] != '\n') n++;
  out_bytes("message first line", msg.data, n);
  /* The last line names the trap. */
  size_t end = msg.size;
  while (end > 0 && (msg.data[end - 1] == '\0' || msg.data[end - 1] == '\n')) end--;
  size_t start = end;
  while (start > 0 && msg.data[start - 1] != '\n') start--;
  out_bytes("message last line", msg.data + start, end - start);
  wasm_byte_vec_delete(&msg);
  /* The origin of a stack overflow is the function's entry check: its index and name only. */
  wasm_frame_t *origin = wasm_trap_origin(trap);
  if (origin) {
    const wasm_name_t *fname = wasmtime_frame_func_name(origin);
    out("origin: func_index=%u", wasm_frame_func_index(origin));
    report_name("origin func_name", fname);
    wasm_frame_delete(origin);
  } else {
    out("origin: none");
  }
  wasm_frame_vec_t trace;
  wasm_trap_trace(trap, &trace);
  out("trace: %s", trace.size > 0 ? "frames" : "no frames");
  if (trace.size > 0) report_frame("trace[last]", trace.data[trace.size - 1]);
  wasm_frame_vec_delete(&trace);
  wasm_trap_delete(trap);
}

CASE(trap_frame_copy) {
  env_t e = env_new();
  wasmtime_instance_t inst;
  if (!instance_of(&e, trap_module, &inst)) return;
  wasmtime_extern_t f = export_of(&e, &inst, "nested");
  wasmtime_val_t a = v_i32(0), r;
  wasm_trap_t *trap = NULL;
  report_error("call", wasmtime_func_call(e.cx, &f.of.func, &a, 1, &r, 1, &trap));
  if (!trap) return;
  wasm_frame_t *origin = wasm_trap_origin(trap);
  if (!origin) {
    out("origin: none");
    return;
  }
  wasm_frame_t *copy = wasm_frame_copy(origin);
  wasm_frame_delete(origin);
  /* The trap stays alive: in wasmtime a frame's names point into the trap. */
  report_frame("copy of origin, origin deleted", copy);
  wasm_frame_delete(copy);
  wasm_trap_delete(trap);
  out("deleted");
}

CASE(trap_frame_instance) {
  env_t e = env_new();
  wasmtime_instance_t inst;
  if (!instance_of(&e, trap_module, &inst)) return;
  wasmtime_extern_t f = export_of(&e, &inst, "unreachable");
  wasm_trap_t *trap = NULL;
  report_error("call", wasmtime_func_call(e.cx, &f.of.func, NULL, 0, NULL, 0, &trap));
  if (!trap) return;
  wasm_frame_t *origin = wasm_trap_origin(trap);
  if (!origin) return;
  wasm_instance_t *fi = wasm_frame_instance(origin);
  out("wasm_frame_instance: %s", fi ? "non-NULL" : "NULL");
}

CASE(trap_demangled_names) {
  /* Function names that are mangled C++ or Rust symbols. */
  env_t e = env_new();
  wasmtime_instance_t inst;
  if (!instance_of(&e,
                   "(module (func $_Z3fooi (param i32) unreachable)"
                   " (func $_ZN4core9panicking5panic17h0123456789abcdefE (call $_Z3fooi (i32.const 1)))"
                   " (func $a (call $_ZN4core9panicking5panic17h0123456789abcdefE))"
                   " (func (export \"run\") (call $a)))",
                   &inst))
    return;
  call_export(&e, &inst, "run", NULL, 0, 0);
}

/* Frames of a host trap raised below Wasm frames. */
static wasm_trap_t *host_trap_cb(void *env, wasmtime_caller_t *caller, const wasmtime_val_t *args,
                                 size_t nargs, wasmtime_val_t *results, size_t nresults) {
  (void)env, (void)caller, (void)args, (void)nargs, (void)results, (void)nresults;
  return wasmtime_trap_new("host says no", 12);
}

CASE(trap_host_below_wasm) {
  env_t e = env_new();
  wasmtime_module_t *m = module_of(&e, "(module $outer (import \"host\" \"fail\" (func $fail))"
                                           " (func $middle call $fail)"
                                           " (func $top (export \"run\") call $middle))");
  if (!m) return;
  wasmtime_func_t hf;
  wasm_functype_t *ft = functype(0, NULL, 0, NULL);
  wasmtime_func_new(e.cx, ft, host_trap_cb, NULL, NULL, &hf);
  wasm_functype_delete(ft);
  wasmtime_extern_t imp = {.kind = WASMTIME_EXTERN_FUNC, .of.func = hf};
  wasmtime_instance_t inst;
  wasm_trap_t *trap = NULL;
  report_call("instance_new", wasmtime_instance_new(e.cx, m, &imp, 1, &inst, &trap), trap);
  call_export(&e, &inst, "run", NULL, 0, 0);
  /* The host function called directly: no Wasm frames. */
  trap = NULL;
  report_call("direct call", wasmtime_func_call(e.cx, &hf, NULL, 0, NULL, 0, &trap), trap);
}

static wasm_trap_t *host_trap_code_cb(void *env, wasmtime_caller_t *caller,
                                      const wasmtime_val_t *args, size_t nargs,
                                      wasmtime_val_t *results, size_t nresults) {
  (void)env, (void)caller, (void)args, (void)nargs, (void)results, (void)nresults;
  return wasmtime_trap_new_code(WASMTIME_TRAP_CODE_INTEGER_OVERFLOW);
}

CASE(trap_host_code_below_wasm) {
  env_t e = env_new();
  wasmtime_module_t *m = module_of(&e, "(module (import \"host\" \"fail\" (func $fail))"
                                           " (func $top (export \"run\") call $fail))");
  if (!m) return;
  wasmtime_func_t hf;
  wasm_functype_t *ft = functype(0, NULL, 0, NULL);
  wasmtime_func_new(e.cx, ft, host_trap_code_cb, NULL, NULL, &hf);
  wasm_functype_delete(ft);
  wasmtime_extern_t imp = {.kind = WASMTIME_EXTERN_FUNC, .of.func = hf};
  wasmtime_instance_t inst;
  wasm_trap_t *trap = NULL;
  report_call("instance_new", wasmtime_instance_new(e.cx, m, &imp, 1, &inst, &trap), trap);
  call_export(&e, &inst, "run", NULL, 0, 0);
}

CASE(trap_start_function) {
  env_t e = env_new();
  wasmtime_module_t *m =
      module_of(&e, "(module $st (func $start unreachable) (start $start))");
  if (!m) return;
  wasmtime_instance_t inst;
  wasm_trap_t *trap = NULL;
  report_call("instance_new", wasmtime_instance_new(e.cx, m, NULL, 0, &inst, &trap), trap);
}

CASE(trap_frames_offsets) {
  /* Function offsets of frames in functions with locals and several instructions. */
  env_t e = env_new();
  wasmtime_instance_t inst;
  if (!instance_of(&e,
                   "(module\n"
                   "  (func $inner (param i32) (result i32) (local i64 f32)\n"
                   "    (drop (i32.const 1)) (drop (i32.const 2))\n"
                   "    (i32.div_s (i32.const 10) (local.get 0)))\n"
                   "  (func $outer (export \"b\") (param i32) (result i32) (local i32)\n"
                   "    (local.set 1 (i32.const 3))\n"
                   "    (i32.add (local.get 1) (call $inner (local.get 0)))))",
                   &inst))
    return;
  wasmtime_val_t a = v_i32(0);
  call_export(&e, &inst, "b", &a, 1, 1);
}

/* ---- errors ---- */

CASE(error_new) {
  wasmtime_error_t *err = wasmtime_error_new("custom failure");
  int status = -1;
  out("exit_status: %d", wasmtime_error_exit_status(err, &status));
  wasm_frame_vec_t trace;
  wasmtime_error_wasm_trace(err, &trace);
  report_frames("wasm_trace", &trace);
  wasm_frame_vec_delete(&trace);
  report_error("message", err);
}

CASE(error_new_empty) { report_error("message", wasmtime_error_new("")); }

CASE(error_new_invalid_utf8) { report_error("message", wasmtime_error_new("bad \xff\xfe utf8")); }

CASE(error_new_null) { report_error("message", wasmtime_error_new(NULL)); }

CASE(error_delete_null) {
  wasmtime_error_delete(NULL);
  out("wasmtime_error_delete(NULL): returned");
}

CASE(error_from_call_trace) {
  /* An error (not a trap) returned by a call: wrong argument count. */
  env_t e = env_new();
  wasmtime_instance_t inst;
  if (!instance_of(&e, "(module (func (export \"f\") (param i32)))", &inst)) return;
  wasmtime_extern_t f = export_of(&e, &inst, "f");
  wasm_trap_t *trap = NULL;
  wasmtime_error_t *err = wasmtime_func_call(e.cx, &f.of.func, NULL, 0, NULL, 0, &trap);
  out("trap: %s", trap ? "yes" : "no");
  if (!err) return;
  int status = -1;
  out("exit_status: %d", wasmtime_error_exit_status(err, &status));
  wasm_frame_vec_t trace;
  wasmtime_error_wasm_trace(err, &trace);
  report_frames("wasm_trace", &trace);
  wasm_frame_vec_delete(&trace);
  report_error("error", err);
}

static wasmtime_error_t *epoch_error_cb(wasmtime_context_t *cx, void *data, uint64_t *delta,
                                        wasmtime_update_deadline_kind_t *kind) {
  (void)cx, (void)data, (void)delta, (void)kind;
  return wasmtime_error_new("epoch callback failed");
}

CASE(error_from_epoch_callback_trace) {
  wasm_config_t *c = wasm_config_new();
  wasmtime_config_epoch_interruption_set(c, true);
  env_t e = env_with_config(c);
  wasmtime_store_epoch_deadline_callback(e.store, epoch_error_cb, NULL, NULL);
  wasmtime_context_set_epoch_deadline(e.cx, 1);
  wasmtime_instance_t inst;
  if (!instance_of(&e, "(module $ep (func $spin (export \"spin\") (loop $l (br $l))))", &inst))
    return;
  wasmtime_engine_increment_epoch(e.engine);
  wasmtime_extern_t f = export_of(&e, &inst, "spin");
  wasm_trap_t *trap = NULL;
  wasmtime_error_t *err = wasmtime_func_call(e.cx, &f.of.func, NULL, 0, NULL, 0, &trap);
  if (err) {
    wasm_frame_vec_t trace;
    wasmtime_error_wasm_trace(err, &trace);
    report_frames("error wasm_trace", &trace);
    wasm_frame_vec_delete(&trace);
  }
  report_call("call spin", err, trap);
}

#define CODE_CASE(n) {"trap.new_code." #n, trap_new_code, n}

const parity_case_t cases_trap_error[] = {
    {"trap.new", trap_new},
    {"trap.new_empty", trap_new_empty},
    {"trap.new_embedded_nul", trap_new_embedded_nul},
    {"trap.new_invalid_utf8", trap_new_invalid_utf8},
    CODE_CASE(00), CODE_CASE(01), CODE_CASE(02), CODE_CASE(03), CODE_CASE(04), CODE_CASE(05),
    CODE_CASE(06), CODE_CASE(07), {"trap.new_code.08", trap_new_code, 8},
    {"trap.new_code.09", trap_new_code, 9}, CODE_CASE(10), CODE_CASE(11), CODE_CASE(12),
    CODE_CASE(13), CODE_CASE(14), CODE_CASE(15), CODE_CASE(16), CODE_CASE(17), CODE_CASE(18),
    CODE_CASE(19), CODE_CASE(20), CODE_CASE(21), CODE_CASE(22), CODE_CASE(23), CODE_CASE(24),
    CODE_CASE(25), CODE_CASE(26), CODE_CASE(27), CODE_CASE(28), CODE_CASE(29), CODE_CASE(30),
    CODE_CASE(31), CODE_CASE(32), CODE_CASE(33), CODE_CASE(34), CODE_CASE(35), CODE_CASE(36),
    CODE_CASE(37), CODE_CASE(38), CODE_CASE(39), CODE_CASE(40), CODE_CASE(41), CODE_CASE(42),
    CODE_CASE(43), CODE_CASE(44), CODE_CASE(45), CODE_CASE(46), CODE_CASE(47), CODE_CASE(48),
    CODE_CASE(100), CODE_CASE(255),
    {"trap.wasm_trap_new.nul_terminated", trap_wasm_new, 0},
    {"trap.wasm_trap_new.no_nul", trap_wasm_new, 1},
    {"trap.wasm_trap_new.empty", trap_wasm_new, 2},
    {"trap.copy", trap_copy},
    {"trap.delete_null", trap_delete_null},
    {"trap.code_null_trap", trap_code_null_trap},
    {"trap.message_null_trap", trap_message_null_trap},
    {"trap.wasm.unreachable", trap_wasm_unreachable},
    {"trap.wasm.memory_oob", trap_wasm_memory_oob},
    {"trap.wasm.memory_oob_store", trap_wasm_memory_oob_store},
    {"trap.wasm.div_zero", trap_wasm_div_zero},
    {"trap.wasm.rem_zero", trap_wasm_rem_zero},
    {"trap.wasm.int_overflow", trap_wasm_int_overflow},
    {"trap.wasm.bad_conversion_nan", trap_wasm_bad_conversion_nan},
    {"trap.wasm.bad_conversion_big", trap_wasm_bad_conversion_big},
    {"trap.wasm.indirect_null", trap_wasm_indirect_null},
    {"trap.wasm.bad_signature", trap_wasm_bad_signature},
    {"trap.wasm.table_oob", trap_wasm_table_oob},
    {"trap.wasm.table_get_oob", trap_wasm_table_get_oob},
    {"trap.wasm.table_fill_oob", trap_wasm_table_fill_oob},
    {"trap.wasm.memory_fill_oob", trap_wasm_memory_fill_oob},
    {"trap.wasm.memory_copy_oob", trap_wasm_memory_copy_oob},
    {"trap.wasm.nested", trap_wasm_nested},
    {"trap.wasm.unnamed", trap_wasm_unnamed},
    {"trap.wasm.stack_overflow", trap_wasm_stack_overflow},
    {"trap.frame_copy", trap_frame_copy},
    {"trap.frame_instance", trap_frame_instance},
    {"trap.demangled_names", trap_demangled_names},
    {"trap.host_below_wasm", trap_host_below_wasm},
    {"trap.host_code_below_wasm", trap_host_code_below_wasm},
    {"trap.start_function", trap_start_function},
    {"trap.frames_offsets", trap_frames_offsets},
    {"error.new", error_new},
    {"error.new_empty", error_new_empty},
    {"error.new_invalid_utf8", error_new_invalid_utf8},
    {"error.new_null", error_new_null},
    {"error.delete_null", error_delete_null},
    {"error.from_call_trace", error_from_call_trace},
    {"error.from_epoch_callback_trace", error_from_epoch_callback_trace},
    CASES_END};
