// `swasm wast [--verbose] [--no-fork] [--via-artifacts] [--timeout SECONDS] FILE.wast...`: runs .wast scripts (the
// format of the WebAssembly spec tests) with nothing but libswasm.
//
// The library parses each script (swasm_script_parse: text and quoted modules come back already
// assembled, binary modules as written); the commands run through the same execution layer as the
// wast2json-based spec runner of the tests (script/spec_exec.c: the "spectest" module, the linker,
// instances, calls; script/spec_values.c: NaN patterns and v128 lanes) and the same driver
// (script/spec_driver.c: counts, reports, a child process per file), with the same judgement:
//  - module: must assemble, compile (wasmtime_module_new, cross-checked with
//    wasmtime_module_validate) and instantiate;
//  - assert_malformed: a text or quoted module must fail to assemble, a binary one to compile;
//  - assert_invalid: the module must assemble and then fail to compile;
//  - assert_unlinkable: compile, then fail to link (an error, not a trap);
//  - assert_uninstantiable, and assert_trap on a module: compile, link, then trap;
//  - assert_trap / assert_exhaustion on a call: trap with the code the spec's message stands for
//    (a message of other words is only a note, shown with --verbose); an uncaught exception is
//    not a trap;
//  - assert_exception: the call must end with an uncaught WebAssembly exception (the store then
//    has one pending, which the execution layer takes and releases);
//  - assert_return: results must match (floats bit for bit, NaN patterns, v128 lanes, references
//    of every hierarchy: ref.extern N, ref.host N, (ref.i31), (ref.struct) ..., nulls; either).
//
// Per file it prints "FILE: P passed, F failed", then a summary by command and the final line
// "N passed, M failed". Each file runs in a child process (unless --no-fork), so that a crash or a
// hang (--timeout, default 300 s, 0 for none) fails that file only. Exit status: 0 if everything
// passed, 1 if anything failed, 2 on a usage error.
#include "wast.h"

#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <swasm.h>
#include <wasmtime.h>

#include "numbers.h"
#include "script/spec_driver.h"
#include "script/spec_exec.h"
#include "script/spec_values.h"

// A compiled `(module definition $name ...)`, for `(module instance ... $name)`.
typedef struct definition {
  char *name;
  wasmtime_module_t *module;
  struct definition *next;
} definition_t;

typedef struct ctx {
  spec_reporter_t rep; // the file's name, the command in flight, the counts
  wasm_engine_t *engine;
  spec_exec_t *ex;
  definition_t *definitions; // newest first
} ctx_t;

// ----------------------------------------------------------------------------------------------
// Texts and names.

// A NUL-terminated copy of `size` bytes at `data` (NULL with size 0: the empty string). Sets
// `*oom` when the copy cannot be made.
static char *copy_text(const char *data, size_t size, bool *oom) {
  char *s = malloc(size + 1);
  if (s == NULL) {
    *oom = true;
    return NULL;
  }
  if (size > 0) memcpy(s, data, size);
  s[size] = '\0';
  return s;
}

// A module name (`$id` without its `$`, `size` bytes at `data`) as "$id", the form the
// execution layer keys modules by; NULL for no name. Sets `*oom` when the copy cannot be made.
static char *copy_name(const char *data, size_t size, bool *oom) {
  if (data == NULL) return NULL;
  char *s = malloc(size + 2);
  if (s == NULL) {
    *oom = true;
    return NULL;
  }
  s[0] = '$';
  memcpy(s + 1, data, size);
  s[size + 1] = '\0';
  return s;
}

// ----------------------------------------------------------------------------------------------
// Values.

static spec_lane_type_t lane_type_of(swasm_script_lane_shape_t shape) {
  switch (shape) {
  case SWASM_SCRIPT_I8X16: return SPEC_LANE_I8;
  case SWASM_SCRIPT_I16X8: return SPEC_LANE_I16;
  case SWASM_SCRIPT_I64X2: return SPEC_LANE_I64;
  case SWASM_SCRIPT_F32X4: return SPEC_LANE_F32;
  case SWASM_SCRIPT_F64X2: return SPEC_LANE_F64;
  default: return SPEC_LANE_I32;
  }
}

static spec_value_t from_script(const swasm_script_value_t *v) {
  switch (v->kind) {
  case SWASM_SCRIPT_I32: return spec_value_i32((uint32_t)v->bits);
  case SWASM_SCRIPT_I64: return spec_value_i64(v->bits);
  case SWASM_SCRIPT_F32: return spec_value_f32((uint32_t)v->bits);
  case SWASM_SCRIPT_F64: return spec_value_f64(v->bits);
  case SWASM_SCRIPT_V128: return spec_value_v128(v->v128);
  case SWASM_SCRIPT_FUNCREF_NULL: return spec_value_funcref(true);
  case SWASM_SCRIPT_EXTERNREF_NULL: return spec_value_externref(true, 0);
  case SWASM_SCRIPT_EXTERNREF: return spec_value_externref(false, v->bits);
  case SWASM_SCRIPT_ANYREF_NULL: return spec_value_null(SPEC_ANYREF);
  case SWASM_SCRIPT_EXNREF_NULL: return spec_value_null(SPEC_EXNREF);
  case SWASM_SCRIPT_TYPED_NULL: return spec_value_null(SPEC_NULLREF); // hierarchy: the parameter's
  case SWASM_SCRIPT_HOSTREF: return spec_value_anyref(SPEC_ANY_HOST, v->bits);
  default: return spec_value_funcref(false); // (ref.func N): some function
  }
}

// The spec_values form of an expectation (EITHER: its first alternative).
static spec_value_t expected_value(const swasm_script_command_t *cmd, const swasm_script_expected_t *e) {
  spec_value_t v;
  switch (e->kind) {
  case SWASM_SCRIPT_EXPECT_CANONICAL_NAN:
  case SWASM_SCRIPT_EXPECT_ARITHMETIC_NAN:
    v = e->value.kind == SWASM_SCRIPT_F32 ? spec_value_f32(0) : spec_value_f64(0);
    v.pattern = e->kind == SWASM_SCRIPT_EXPECT_CANONICAL_NAN ? SPEC_NAN_CANONICAL : SPEC_NAN_ARITHMETIC;
    return v;
  case SWASM_SCRIPT_EXPECT_LANES:
    v = spec_value_v128(e->value.v128);
    v.lane_type = lane_type_of(e->shape);
    for (size_t i = 0; i < 4 && i < spec_lane_count(v.lane_type); i++) {
      v.lane_patterns[i] = e->lane_patterns[i] == SWASM_SCRIPT_LANE_CANONICAL_NAN    ? SPEC_NAN_CANONICAL
                           : e->lane_patterns[i] == SWASM_SCRIPT_LANE_ARITHMETIC_NAN ? SPEC_NAN_ARITHMETIC
                                                                                     : SPEC_EXACT;
    }
    return v;
  case SWASM_SCRIPT_EXPECT_ANY_EXTERNREF: return spec_value_non_null(SPEC_EXTERNREF);
  case SWASM_SCRIPT_EXPECT_ANY_FUNCREF: return spec_value_non_null(SPEC_FUNCREF);
  case SWASM_SCRIPT_EXPECT_ANY_ANYREF: return spec_value_non_null(SPEC_ANYREF);
  case SWASM_SCRIPT_EXPECT_ANY_EQREF: return spec_value_non_null(SPEC_EQREF);
  case SWASM_SCRIPT_EXPECT_ANY_I31REF: return spec_value_non_null(SPEC_I31REF);
  case SWASM_SCRIPT_EXPECT_ANY_STRUCTREF: return spec_value_non_null(SPEC_STRUCTREF);
  case SWASM_SCRIPT_EXPECT_ANY_ARRAYREF: return spec_value_non_null(SPEC_ARRAYREF);
  case SWASM_SCRIPT_EXPECT_ANY_NULL: return spec_value_null(SPEC_NULLREF);
  case SWASM_SCRIPT_EXPECT_EITHER:
    if (e->either_count > 0 && e->either_start < cmd->alternative_count &&
        cmd->alternatives[e->either_start].kind != SWASM_SCRIPT_EXPECT_EITHER) {
      return expected_value(cmd, &cmd->alternatives[e->either_start]);
    }
    return spec_value_i32(0);
  default:
    v = from_script(&e->value);
    if (v.kind == SPEC_V128) v.lane_type = lane_type_of(e->shape);
    return v;
  }
}

static bool expected_matches(const swasm_script_command_t *cmd, const swasm_script_expected_t *e,
                             const spec_value_t *actual, bool nested) {
  if (e->kind == SWASM_SCRIPT_EXPECT_EITHER) {
    if (nested) return false;
    for (size_t i = 0; i < e->either_count; i++) {
      size_t index = e->either_start + i;
      if (index < e->either_start || index >= cmd->alternative_count) return false;
      if (expected_matches(cmd, &cmd->alternatives[index], actual, true)) return true;
    }
    return false;
  }
  spec_value_t want = expected_value(cmd, e);
  return spec_value_matches(&want, actual);
}

static void format_expected(const swasm_script_command_t *cmd, char *buf, size_t len) {
  size_t pos = 0;
  buf[0] = '\0';
  for (size_t i = 0; i < cmd->expected_count && pos + 1 < len; i++) {
    const swasm_script_expected_t *e = &cmd->expected[i];
    char one[1200];
    if (e->kind == SWASM_SCRIPT_EXPECT_EITHER) {
      size_t at = (size_t)snprintf(one, sizeof one, "either(");
      for (size_t k = 0; k < e->either_count && at + 1 < sizeof one; k++) {
        size_t index = e->either_start + k;
        if (index >= cmd->alternative_count) break;
        spec_value_t v = expected_value(cmd, &cmd->alternatives[index]);
        char part[400];
        spec_value_format(&v, part, sizeof part);
        int n = snprintf(one + at, sizeof one - at, "%s%s", k > 0 ? " | " : "", part);
        if (n < 0) break;
        at = (size_t)n >= sizeof one - at ? sizeof one - 1 : at + (size_t)n;
      }
      if (at + 1 < sizeof one) snprintf(one + at, sizeof one - at, ")");
    } else {
      spec_value_t v = expected_value(cmd, e);
      spec_value_format(&v, one, sizeof one);
    }
    int n = snprintf(buf + pos, len - pos, "%s%s", i == 0 ? "[" : ", ", one);
    if (n < 0) break;
    pos = (size_t)n >= len - pos ? len - 1 : pos + (size_t)n;
  }
  if (cmd->expected_count == 0) snprintf(buf, len, "[]");
  else if (pos + 1 < len) snprintf(buf + pos, len - pos, "]");
}

// ----------------------------------------------------------------------------------------------
// Modules.

// Compiles the command's module. On SPEC_COMPILED the caller owns `*module`; on SPEC_REJECTED
// it owns `*message`. A module that did not assemble, or SPEC_BROKEN, is already failed.
static spec_compile_status_t compile_module(ctx_t *c, const swasm_script_command_t *cmd,
                                            wasmtime_module_t **module, char **message) {
  *module = NULL;
  *message = NULL;
  if (!cmd->module_well_formed) {
    spec_fail(&c->rep, "the module does not assemble: %.*s", (int)cmd->module_error_size,
              cmd->module_error != NULL ? cmd->module_error : "");
    return SPEC_BROKEN;
  }
  spec_compile_status_t status =
      spec_exec_compile(c->engine, cmd->module_binary, cmd->module_binary_size, module, message);
  if (status == SPEC_BROKEN) {
    spec_fail(&c->rep, "%s", *message != NULL ? *message : "out of memory");
    free(*message);
    *message = NULL;
  }
  return status;
}

// Judges a trap against the expected message `text`: passes (with a text note if the message
// differs) or fails if its code is not the one the message stands for.

static void instantiate_current(ctx_t *c, wasmtime_module_t *module, const char *name);

static void cmd_module(ctx_t *c, const swasm_script_command_t *cmd) {
  bool oom = false;
  char *name = copy_name(cmd->module_name, cmd->module_name_size, &oom);
  char why[600];
  wasmtime_module_t *module;
  char *message;
  if (oom) {
    spec_fail(&c->rep, "out of memory");
    spec_exec_module_unavailable(c->ex, NULL, false, "out of memory");
    return;
  }
  switch (compile_module(c, cmd, &module, &message)) {
  case SPEC_BROKEN:
    snprintf(why, sizeof why, "module at line %" PRIu64 " is broken", c->rep.line);
    spec_exec_module_unavailable(c->ex, name, false, why);
    free(name);
    return;
  case SPEC_REJECTED:
    spec_fail(&c->rep, "the module failed to compile: %s", message);
    snprintf(why, sizeof why, "module at line %" PRIu64 " failed to compile: %s", c->rep.line, message);
    spec_exec_module_unavailable(c->ex, name, false, why);
    free(message);
    free(name);
    return;
  case SPEC_COMPILED:
    break;
  }
  if (cmd->module_definition) { // compiled; kept under its name for `module instance`
    definition_t *definition = name != NULL ? malloc(sizeof *definition) : NULL;
    if (definition != NULL) {
      *definition = (definition_t){.name = name, .module = module, .next = c->definitions};
      c->definitions = definition;
    } else {
      wasmtime_module_delete(module);
      free(name);
    }
    spec_pass(&c->rep);
    return;
  }
  instantiate_current(c, module, name);
  wasmtime_module_delete(module);
  free(name);
}

// `(module instance $name? $definition)`.
static void cmd_module_instance(ctx_t *c, const swasm_script_command_t *cmd) {
  bool oom = false;
  char *name = copy_name(cmd->module_name, cmd->module_name_size, &oom);
  char *wanted = copy_name(cmd->definition, cmd->definition_size, &oom);
  definition_t *definition = c->definitions;
  while (definition != NULL && wanted != NULL && strcmp(definition->name, wanted) != 0) definition = definition->next;
  if (oom || definition == NULL) {
    spec_fail(&c->rep, oom ? "out of memory" : "no module definition $%s", wanted != NULL ? wanted : "");
    spec_exec_module_unavailable(c->ex, name, false, "its definition is missing");
  } else {
    instantiate_current(c, definition->module, name);
  }
  free(wanted);
  free(name);
}

// Instantiates `module` as the current module (named `name` too, if not NULL).
static void instantiate_current(ctx_t *c, wasmtime_module_t *module, const char *name) {
  spec_exec_result_t r;
  spec_exec_instantiate(c->ex, module, name, true, &r);
  switch (r.status) {
  case SPEC_EXEC_OK:
    spec_pass(&c->rep);
    break;
  case SPEC_EXEC_TRAP:
    spec_fail(&c->rep, "instantiation trapped: %s", r.message);
    break;
  default:
    spec_fail(&c->rep, "%s", r.message);
    break;
  }
  spec_exec_result_clear(&r);
}

// assert_malformed and assert_invalid.
static void cmd_expect_rejected(ctx_t *c, const swasm_script_command_t *cmd, const char *text) {
  if (cmd->kind == SWASM_SCRIPT_ASSERT_MALFORMED && cmd->module_form != SWASM_SCRIPT_MODULE_BINARY) {
    // Malformed text: the assembler must refuse it. On a 2.0 engine, text that WebAssembly 3.0's
    // format reads (64-bit memory offsets and limits) must be refused by validation instead.
    if (cmd->module_well_formed) {
      wasmtime_module_t *module;
      char *message;
      if (c->rep.opt->wasm2) {
        spec_compile_status_t status = compile_module(c, cmd, &module, &message);
        if (status == SPEC_REJECTED) {
          spec_pass(&c->rep);
          spec_check_text(&c->rep, message, text);
          free(message);
          return;
        }
        wasmtime_module_delete(module);
        free(message);
        if (status == SPEC_BROKEN) return;
      }
      spec_fail(&c->rep, "the module assembled, expected it to be malformed (\"%s\")", text ? text : "");
      return;
    }
    spec_pass(&c->rep);
    bool oom = false;
    char *message = copy_text(cmd->module_error, cmd->module_error_size, &oom);
    spec_check_text(&c->rep, message, text);
    free(message);
    return;
  }
  wasmtime_module_t *module;
  char *message;
  switch (compile_module(c, cmd, &module, &message)) {
  case SPEC_BROKEN:
    return;
  case SPEC_COMPILED:
    wasmtime_module_delete(module);
    spec_fail(&c->rep, "the module compiled, expected an error (\"%s\")", text ? text : "");
    return;
  case SPEC_REJECTED:
    spec_pass(&c->rep);
    spec_check_text(&c->rep, message, text);
    free(message);
    return;
  }
}

// assert_unlinkable (`trap` false: a link error) and assert_uninstantiable or assert_trap on a
// module (`trap` true): the module compiles, then instantiation must fail that way.
static void cmd_expect_instantiation_failure(ctx_t *c, const swasm_script_command_t *cmd,
                                             const char *text, bool trap) {
  wasmtime_module_t *module;
  char *message;
  switch (compile_module(c, cmd, &module, &message)) {
  case SPEC_BROKEN:
    return;
  case SPEC_REJECTED:
    spec_fail(&c->rep, "the module failed to compile: %s", message);
    free(message);
    return;
  case SPEC_COMPILED:
    break;
  }
  spec_exec_result_t r;
  spec_exec_instantiate(c->ex, module, NULL, false, &r);
  wasmtime_module_delete(module);
  switch (r.status) {
  case SPEC_EXEC_OK:
    spec_fail(&c->rep, "the module instantiated, expected an error (\"%s\")", text ? text : "");
    break;
  case SPEC_EXEC_TRAP:
    if (trap && r.exception) {
      spec_fail(&c->rep, "expected a trap (\"%s\"), got an %s", text ? text : "", r.message);
    } else if (trap) {
      spec_judge_trap(&c->rep, &r, text);
    } else {
      spec_fail(&c->rep, "expected a link error (\"%s\"), instantiation trapped: %s", text ? text : "",
                r.message);
    }
    break;
  case SPEC_EXEC_ERROR:
    if (trap) {
      spec_fail(&c->rep, "expected a trap (\"%s\"), instantiation failed: %s", text ? text : "", r.message);
    } else {
      spec_pass(&c->rep);
      spec_check_text(&c->rep, r.message, text);
    }
    break;
  default:
    spec_fail(&c->rep, "%s", r.message);
    break;
  }
  spec_exec_result_clear(&r);
}

static void cmd_register(ctx_t *c, const swasm_script_command_t *cmd) {
  bool oom = false;
  char *name = copy_name(cmd->register_module, cmd->register_module_size, &oom);
  if (oom) {
    spec_fail(&c->rep, "out of memory");
    return;
  }
  spec_exec_result_t r;
  spec_exec_register(c->ex, name, cmd->text != NULL ? cmd->text : "", cmd->text_size, &r);
  if (r.status == SPEC_EXEC_OK) {
    spec_pass(&c->rep);
  } else {
    spec_fail(&c->rep, "register as \"%.*s\": %s", (int)cmd->text_size, cmd->text != NULL ? cmd->text : "",
              r.message);
  }
  spec_exec_result_clear(&r);
  free(name);
}

// ----------------------------------------------------------------------------------------------
// Actions.

// Runs the command's action. Returns false if the command is already judged (failed); otherwise
// `*r` holds the outcome (a return or a trap; to be cleared).
static bool run_action(ctx_t *c, const swasm_script_command_t *cmd, spec_exec_result_t *r) {
  memset(r, 0, sizeof *r);
  if (!cmd->has_action) {
    spec_fail(&c->rep, "the command has no action");
    return false;
  }
  bool oom = false;
  char *module = copy_name(cmd->action_module, cmd->action_module_size, &oom);
  const char *field = cmd->action_field != NULL ? cmd->action_field : "";
  int field_len = (int)cmd->action_field_size;
  bool invoke = cmd->action_kind == SWASM_SCRIPT_INVOKE;
  spec_value_t *args = NULL;
  if (!oom && invoke && cmd->argument_count > 0) {
    args = calloc(cmd->argument_count, sizeof *args);
    oom = args == NULL;
    for (size_t i = 0; !oom && i < cmd->argument_count; i++) args[i] = from_script(&cmd->arguments[i]);
  }
  if (oom) {
    free(module);
    spec_fail(&c->rep, "out of memory");
    return false;
  }
  if (invoke) {
    spec_exec_invoke(c->ex, module, field, cmd->action_field_size, args, cmd->argument_count, r);
  } else {
    spec_exec_get(c->ex, module, field, cmd->action_field_size, r);
  }
  free(args);
  free(module);
  if (r->status == SPEC_EXEC_OK || r->status == SPEC_EXEC_TRAP) return true;
  spec_fail(&c->rep, "%s \"%.*s\": %s", invoke ? "invoke" : "get", field_len, field, r->message);
  spec_exec_result_clear(r);
  return false;
}

static void cmd_action(ctx_t *c, const swasm_script_command_t *cmd) {
  spec_exec_result_t r;
  if (!run_action(c, cmd, &r)) return;
  if (r.status == SPEC_EXEC_TRAP) {
    spec_fail(&c->rep, "unexpected trap: %s", r.message);
  } else {
    spec_pass(&c->rep);
  }
  spec_exec_result_clear(&r);
}

static void cmd_assert_return(ctx_t *c, const swasm_script_command_t *cmd) {
  spec_exec_result_t r;
  if (!run_action(c, cmd, &r)) return;
  if (r.status == SPEC_EXEC_TRAP) {
    spec_fail(&c->rep, "unexpected trap: %s", r.message);
    spec_exec_result_clear(&r);
    return;
  }
  bool ok = r.count == cmd->expected_count;
  for (size_t i = 0; ok && i < r.count; i++) ok = expected_matches(cmd, &cmd->expected[i], &r.values[i], false);
  if (ok) {
    spec_pass(&c->rep);
  } else {
    char want[2048], got[2048];
    spec_value_t like[16];
    size_t nlike = cmd->expected_count < 16 ? cmd->expected_count : 16;
    for (size_t i = 0; i < nlike; i++) like[i] = expected_value(cmd, &cmd->expected[i]);
    format_expected(cmd, want, sizeof want);
    spec_values_format_list(r.values, r.count, like, nlike, got, sizeof got);
    spec_fail(&c->rep, "expected %s, got %s", want, got);
  }
  spec_exec_result_clear(&r);
}

// assert_trap on a call, and assert_exhaustion ("call stack exhausted" maps to its code).
static void cmd_assert_trap(ctx_t *c, const swasm_script_command_t *cmd, const char *text) {
  spec_exec_result_t r;
  if (!run_action(c, cmd, &r)) return;
  if (r.status == SPEC_EXEC_OK) {
    char got[2048];
    spec_values_format_list(r.values, r.count, NULL, 0, got, sizeof got);
    spec_fail(&c->rep, "expected a trap (\"%s\"), got %s", text ? text : "", got);
  } else if (r.exception) {
    spec_fail(&c->rep, "expected a trap (\"%s\"), got an %s", text ? text : "", r.message);
  } else {
    spec_judge_trap(&c->rep, &r, text);
  }
  spec_exec_result_clear(&r);
}

// assert_exception: the call must end with an uncaught exception, not return nor trap.
static void cmd_assert_exception(ctx_t *c, const swasm_script_command_t *cmd) {
  spec_exec_result_t r;
  if (!run_action(c, cmd, &r)) return;
  spec_judge_exception(&c->rep, &r);
  spec_exec_result_clear(&r);
}

static void run_command(ctx_t *c, const swasm_script_command_t *cmd) {
  spec_reporter_t *r = &c->rep;
  r->line = cmd->line;
  r->st->current_line = cmd->line;
  bool oom = false;
  char *text = copy_text(cmd->text, cmd->text_size, &oom);
  switch (cmd->kind) {
  case SWASM_SCRIPT_MODULE: r->cat = SPEC_CAT_MODULE; r->command = "module"; break;
  case SWASM_SCRIPT_MODULE_INSTANCE: r->cat = SPEC_CAT_MODULE; r->command = "module instance"; break;
  case SWASM_SCRIPT_REGISTER: r->cat = SPEC_CAT_REGISTER; r->command = "register"; break;
  case SWASM_SCRIPT_ACTION: r->cat = SPEC_CAT_ACTION; r->command = "action"; break;
  case SWASM_SCRIPT_ASSERT_RETURN: r->cat = SPEC_CAT_ASSERT_RETURN; r->command = "assert_return"; break;
  case SWASM_SCRIPT_ASSERT_TRAP:
    r->cat = cmd->has_module ? SPEC_CAT_ASSERT_UNINSTANTIABLE : SPEC_CAT_ASSERT_TRAP;
    r->command = "assert_trap";
    break;
  case SWASM_SCRIPT_ASSERT_EXHAUSTION:
    r->cat = SPEC_CAT_ASSERT_EXHAUSTION;
    r->command = "assert_exhaustion";
    break;
  case SWASM_SCRIPT_ASSERT_MALFORMED:
    r->cat = cmd->module_form == SWASM_SCRIPT_MODULE_BINARY ? SPEC_CAT_ASSERT_MALFORMED_BINARY
                                                            : SPEC_CAT_ASSERT_MALFORMED_TEXT;
    r->command = "assert_malformed";
    break;
  case SWASM_SCRIPT_ASSERT_INVALID: r->cat = SPEC_CAT_ASSERT_INVALID; r->command = "assert_invalid"; break;
  case SWASM_SCRIPT_ASSERT_UNLINKABLE:
    r->cat = SPEC_CAT_ASSERT_UNLINKABLE;
    r->command = "assert_unlinkable";
    break;
  case SWASM_SCRIPT_ASSERT_UNINSTANTIABLE:
    r->cat = SPEC_CAT_ASSERT_UNINSTANTIABLE;
    r->command = "assert_uninstantiable";
    break;
  case SWASM_SCRIPT_ASSERT_EXCEPTION: // counted with the traps (the driver has no category of its own)
    r->cat = SPEC_CAT_ASSERT_TRAP;
    r->command = "assert_exception";
    break;
  default: r->cat = SPEC_CAT_OTHER; r->command = "?"; break;
  }
  if (oom) {
    spec_fail(r, "out of memory");
    return;
  }
  switch (cmd->kind) {
  case SWASM_SCRIPT_MODULE: cmd_module(c, cmd); break;
  case SWASM_SCRIPT_MODULE_INSTANCE: cmd_module_instance(c, cmd); break;
  case SWASM_SCRIPT_REGISTER: cmd_register(c, cmd); break;
  case SWASM_SCRIPT_ACTION: cmd_action(c, cmd); break;
  case SWASM_SCRIPT_ASSERT_RETURN: cmd_assert_return(c, cmd); break;
  case SWASM_SCRIPT_ASSERT_TRAP:
    if (cmd->has_module) cmd_expect_instantiation_failure(c, cmd, text, true);
    else cmd_assert_trap(c, cmd, text);
    break;
  case SWASM_SCRIPT_ASSERT_EXHAUSTION: cmd_assert_trap(c, cmd, text); break;
  case SWASM_SCRIPT_ASSERT_MALFORMED:
  case SWASM_SCRIPT_ASSERT_INVALID: cmd_expect_rejected(c, cmd, text); break;
  case SWASM_SCRIPT_ASSERT_UNLINKABLE: cmd_expect_instantiation_failure(c, cmd, text, false); break;
  case SWASM_SCRIPT_ASSERT_UNINSTANTIABLE: cmd_expect_instantiation_failure(c, cmd, text, true); break;
  case SWASM_SCRIPT_ASSERT_EXCEPTION: cmd_assert_exception(c, cmd); break;
  default: spec_fail(r, "unknown command kind %u", (unsigned)cmd->kind); break;
  }
  free(text);
}

// ----------------------------------------------------------------------------------------------
// Files.

static void run_file(const char *path, const char *name, spec_stats_t *st, const spec_options_t *opt) {
  ctx_t c = {.rep = {.opt = opt,
                     .script = name,
                     .st = st,
                     .command = "file",
                     .cat = SPEC_CAT_OTHER,
                     .file_failures_without_line = true}};
  size_t len = 0;
  char *text = spec_read_file(path, &len);
  if (text == NULL) {
    spec_fail(&c.rep, "cannot read %s: %s", path, strerror(errno));
    return;
  }
  wasmtime_error_t *error = NULL;
  swasm_script_t *script = swasm_script_parse(text, len, &error);
  free(text);
  if (script == NULL) {
    wasm_name_t msg = {0, NULL};
    if (error != NULL) wasmtime_error_message(error, &msg);
    spec_fail(&c.rep, "cannot parse the script: %.*s", (int)msg.size,
              msg.data != NULL ? msg.data : "(no error)");
    wasm_byte_vec_delete(&msg);
    wasmtime_error_delete(error);
    return;
  }
  char err[256] = "";
  c.engine = spec_engine_new(c.rep.opt);
  c.ex = c.engine != NULL ? spec_exec_new(c.engine, err, sizeof err) : NULL;
  if (c.ex == NULL) {
    spec_fail(&c.rep, "setup failed: %s", c.engine == NULL ? "wasm_engine_new returned NULL" : err);
  } else {
    size_t count = swasm_script_command_count(script);
    for (size_t i = 0; i < count; i++) {
      swasm_script_command_t cmd;
      if (!swasm_script_command(script, i, &cmd)) {
        spec_fail(&c.rep, "swasm_script_command(%zu) failed", i);
        break;
      }
      run_command(&c, &cmd);
    }
  }
  while (c.definitions != NULL) {
    definition_t *next = c.definitions->next;
    wasmtime_module_delete(c.definitions->module);
    free(c.definitions->name);
    free(c.definitions);
    c.definitions = next;
  }
  spec_exec_delete(c.ex); // before the engine
  wasm_engine_delete(c.engine);
  swasm_script_delete(script);
}

static int usage(FILE *out) {
  fprintf(out,
          "usage: swasm wast [--verbose] [--no-fork] [--via-artifacts] [--wasm2] [-W NAME[=y|n]]... [--timeout SECONDS] FILE.wast...\n"
          "  --verbose        print every failure and every message difference\n"
          "  --no-fork        run the files in this process (for debuggers and valgrind)\n"
          "  --via-artifacts  run every module after a serialize/deserialize round trip\n"
          "  --wasm2          run on a WebAssembly 2.0 engine (later proposals switched off)\n"
          "  -W NAME[=y|n]    switch a proposal on or off (wasmtime's names: custom-page-sizes, ...)\n"
          "  --timeout N      seconds allowed per file when forking (default 300, 0: none)\n");
  return 2;
}

int swasm_wast_main(int argc, char **argv) {
  spec_options_t opt = {.verbose = false, .fork = true, .timeout = 300};
  int first = 0;
  for (; first < argc && (strncmp(argv[first], "--", 2) == 0 || strcmp(argv[first], "-W") == 0); first++) {
    const char *a = argv[first];
    if (strcmp(a, "--") == 0) {
      first++;
      break;
    } else if (strcmp(a, "--verbose") == 0) {
      opt.verbose = true;
    } else if (strcmp(a, "--via-artifacts") == 0) {
      spec_exec_set_artifact_mode(true);
    } else if (strcmp(a, "--wasm2") == 0) {
      opt.wasm2 = true;
    } else if (strcmp(a, "-W") == 0 && first + 1 < argc) {
      if (!spec_parse_feature(argv[++first], &opt)) return 2;
    } else if (strcmp(a, "--no-fork") == 0) {
      opt.fork = false;
    } else if (strcmp(a, "--timeout") == 0 && first + 1 < argc) {
      uint64_t t;
      if (!cli_parse_unsigned(argv[++first], 86400, &t)) {
        fprintf(stderr, "swasm wast: invalid value '%s' for --timeout: expected an unsigned integer from 0 to 86400 (seconds)\n",
                argv[first]);
        return 2;
      }
      opt.timeout = (unsigned)t;
    } else if (strcmp(a, "--help") == 0) {
      usage(stdout);
      return 0;
    } else {
      fprintf(stderr, "swasm wast: unknown option \"%s\"\n", a);
      return usage(stderr);
    }
  }
  if (first >= argc) return usage(stderr);
  setvbuf(stdout, NULL, _IOLBF, 0);

  spec_stats_t total;
  memset(&total, 0, sizeof total);
  for (int i = first; i < argc; i++) {
    const char *base = strrchr(argv[i], '/');
    const char *name = base != NULL ? base + 1 : argv[i];
    spec_stats_t st;
    memset(&st, 0, sizeof st);
    if (opt.fork) {
      spec_run_file_isolated(run_file, argv[i], name, &st, &opt);
    } else {
      run_file(argv[i], name, &st, &opt);
    }
    st.files = 1;
    spec_print_file_result(name, &st, false);
    spec_add_stats(&total, &st);
  }
  spec_print_summary(&total, false);
  return spec_sum(total.failed) > 0 ? 1 : 0;
}
