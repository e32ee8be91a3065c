// The spec-test runner: drives libswasm's public C API with the commands of the WebAssembly spec
// test suite, as converted by wabt's wast2json (one NAME.json per script, its .wasm modules beside
// it).
//
//   spec_runner [--verbose] [--no-fork] [--timeout SECONDS] DIR/NAME.json...
//
// For each file it prints "NAME: P passed, F failed, S skipped", then a summary by command and
// skip reason, and last "N passed, M failed, S skipped". Exits 1 if anything failed, 2 on a usage
// error.
//
// Compilation ("module", assert_malformed, assert_invalid, the compile half of assert_unlinkable /
// assert_uninstantiable) uses wasmtime_module_new, cross-checked with wasmtime_module_validate
// (spec_exec_compile). Everything that runs code goes through spec_exec.h, which lives in
// cli/script/ with spec_values.h, json.h and spec_driver.h (categories, counts, reports, the child
// process per file, the summary): `swasm wast` (cli/wast.c) shares them. Text-format modules
// (module_type "text") are skipped. Traps are judged by their wasmtime_trap_code_t where the
// spec's message names one ("out of bounds memory access" -> MEMORY_OUT_OF_BOUNDS, ...);
// assert_unlinkable wants a link error and assert_uninstantiable a trap; assert_exception wants
// the call to end with an uncaught WebAssembly exception (which is not a trap). Otherwise the spec's
// expected texts are compared with the library's messages, and a different wording only counts
// as a "message differs" note.
//
// Each file runs in a child process (unless --no-fork), so that a crash or a hang (--timeout,
// default 300 s, 0 for none) in the library fails that file only, reported with the line of the
// command in flight.
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <wasmtime.h>

#include "json.h"
#include "spec_driver.h"
#include "spec_exec.h"
#include "spec_values.h"

// State while running one file.
// A compiled "module_definition", for "module_instance".
typedef struct definition {
  char *name;
  wasmtime_module_t *module;
  struct definition *next;
} definition_t;

typedef struct ctx {
  spec_reporter_t rep; // script: NAME.wast (from source_filename); the command in flight, counts
  const char *name;    // NAME, for the per-file line
  char *dir;           // directory of the JSON file (the modules sit there)
  wasm_engine_t *engine;
  spec_exec_t *ex;
  definition_t *definitions; // newest first
} ctx_t;

// ----------------------------------------------------------------------------------------------
// Files.

static char *path_join(const char *dir, const char *file) {
  size_t a = strlen(dir), b = strlen(file);
  char *p = malloc(a + b + 2);
  if (p == NULL) return NULL;
  memcpy(p, dir, a);
  p[a] = '/';
  memcpy(p + a + 1, file, b + 1);
  return p;
}

// ----------------------------------------------------------------------------------------------
// Compiling modules.

// Compiles the module file `filename` of the current command. On SPEC_COMPILED the caller owns
// `*module`; on SPEC_REJECTED it owns `*message` (the library's error message). On SPEC_BROKEN
// the command has already been counted as failed.
static spec_compile_status_t compile_module(ctx_t *c, const char *filename, wasmtime_module_t **module,
                                            char **message) {
  *module = NULL;
  *message = NULL;
  char *path = path_join(c->dir, filename);
  if (path == NULL) {
    spec_fail(&c->rep, "out of memory");
    return SPEC_BROKEN;
  }
  size_t len = 0;
  char *bytes = spec_read_file(path, &len);
  if (bytes == NULL) {
    spec_fail(&c->rep, "cannot read %s: %s", path, strerror(errno));
    free(path);
    return SPEC_BROKEN;
  }
  free(path);
  spec_compile_status_t status =
      spec_exec_compile(c->engine, (const uint8_t *)bytes, len, module, message);
  free(bytes);
  if (status == SPEC_BROKEN) {
    spec_fail(&c->rep, "%s: %s", filename, *message != NULL ? *message : "out of memory");
    free(*message);
    *message = NULL;
  }
  return status;
}

// ----------------------------------------------------------------------------------------------
// Traps: the spec names a trap by its message, the library by a code. Where the expected message
// stands for a code, a trap with a different code fails; a trap without a code (or an expected
// message not in the table) can only be compared by text, which is a note, not a failure.

// Judges a trap against the expected message `text`: passes (with a text note if the message
// differs) or fails if its code is not the one the message stands for.

// ----------------------------------------------------------------------------------------------
// Commands.

static const char *opt_string(const json_value_t *cmd, const char *key) {
  return json_get_string(cmd, key, NULL);
}

// Whether the command's module is text (skipped); counts the skip.
static bool skip_text_module(ctx_t *c, const json_value_t *cmd) {
  const char *type = opt_string(cmd, "module_type");
  if (type == NULL || strcmp(type, "text") != 0) return false;
  const char *filename = opt_string(cmd, "filename");
  spec_skip(&c->rep, SPEC_SKIP_TEXT, "text-format module %s", filename != NULL ? filename : "?");
  return true;
}

static const char *required_filename(ctx_t *c, const json_value_t *cmd) {
  const char *filename = opt_string(cmd, "filename");
  if (filename == NULL) spec_fail(&c->rep, "malformed command: no \"filename\" string");
  return filename;
}

static void instantiate_current(ctx_t *c, wasmtime_module_t *module, const char *name, const char *filename);

// "module" (compiled and instantiated) or, with `definition`, "module_definition" (compiled).
static void cmd_module(ctx_t *c, const json_value_t *cmd, bool definition) {
  const char *name = opt_string(cmd, "name");
  if (skip_text_module(c, cmd)) {
    spec_exec_module_unavailable(c->ex, name, true, "text-format module");
    return;
  }
  const char *filename = required_filename(c, cmd);
  if (filename == NULL) {
    spec_exec_module_unavailable(c->ex, name, false, "malformed module command");
    return;
  }
  wasmtime_module_t *module;
  char *message;
  char why[600];
  switch (compile_module(c, filename, &module, &message)) {
  case SPEC_BROKEN:
    snprintf(why, sizeof why, "module at line %" PRIu64 " is broken", c->rep.line);
    spec_exec_module_unavailable(c->ex, name, false, why);
    return;
  case SPEC_REJECTED:
    spec_fail(&c->rep, "%s failed to compile: %s", filename, message);
    snprintf(why, sizeof why, "module at line %" PRIu64 " failed to compile: %s", c->rep.line, message);
    spec_exec_module_unavailable(c->ex, name, false, why);
    free(message);
    return;
  case SPEC_COMPILED:
    break;
  }
  if (definition) { // compiled; kept under its name for "module_instance"
    definition_t *kept = name != NULL ? malloc(sizeof *kept) : NULL;
    char *copy = kept != NULL ? strdup(name) : NULL;
    if (copy != NULL) {
      *kept = (definition_t){.name = copy, .module = module, .next = c->definitions};
      c->definitions = kept;
    } else {
      free(kept);
      wasmtime_module_delete(module);
    }
    spec_pass(&c->rep);
    return;
  }
  instantiate_current(c, module, name, filename);
  wasmtime_module_delete(module);
}

// "module_instance": instantiates the definition "module", named "instance" if given.
static void cmd_module_instance(ctx_t *c, const json_value_t *cmd) {
  const char *name = opt_string(cmd, "instance");
  const char *wanted = opt_string(cmd, "module");
  definition_t *definition = c->definitions;
  while (definition != NULL && (wanted == NULL || strcmp(definition->name, wanted) != 0)) definition = definition->next;
  if (definition == NULL) {
    spec_fail(&c->rep, "no module definition %s", wanted != NULL ? wanted : "(unnamed)");
    spec_exec_module_unavailable(c->ex, name, false, "its definition is missing");
    return;
  }
  instantiate_current(c, definition->module, name, wanted);
}

static void instantiate_current(ctx_t *c, wasmtime_module_t *module, const char *name, const char *filename) {
  spec_exec_result_t r;
  spec_exec_instantiate(c->ex, module, name, true, &r);
  switch (r.status) {
  case SPEC_EXEC_OK:
  case SPEC_EXEC_UNSUPPORTED: // compiled: all that can be checked today
    spec_pass(&c->rep);
    break;
  case SPEC_EXEC_TRAP:
    spec_fail(&c->rep, "%s: instantiation trapped: %s", filename, r.message);
    break;
  case SPEC_EXEC_ERROR:
  case SPEC_EXEC_UNAVAILABLE:
    spec_fail(&c->rep, "%s: %s", filename, r.message);
    break;
  }
  spec_exec_result_clear(&r);
}

static void cmd_expect_rejected(ctx_t *c, const json_value_t *cmd) {
  if (skip_text_module(c, cmd)) return;
  const char *filename = required_filename(c, cmd);
  if (filename == NULL) return;
  const char *text = opt_string(cmd, "text");
  wasmtime_module_t *module;
  char *message;
  switch (compile_module(c, filename, &module, &message)) {
  case SPEC_BROKEN:
    return;
  case SPEC_COMPILED:
    wasmtime_module_delete(module);
    spec_fail(&c->rep, "%s compiled, expected an error (\"%s\")", filename, text ? text : "");
    return;
  case SPEC_REJECTED:
    spec_pass(&c->rep);
    spec_check_text(&c->rep, message, text);
    free(message);
    return;
  }
}

// assert_unlinkable / assert_uninstantiable: compiles, then instantiation must fail: with a link
// error (not a trap) for assert_unlinkable, with a trap (of the expected kind) for
// assert_uninstantiable.
static void cmd_expect_instantiation_failure(ctx_t *c, const json_value_t *cmd, bool trap) {
  if (skip_text_module(c, cmd)) return;
  const char *filename = required_filename(c, cmd);
  if (filename == NULL) return;
  const char *text = opt_string(cmd, "text");
  wasmtime_module_t *module;
  char *message;
  switch (compile_module(c, filename, &module, &message)) {
  case SPEC_BROKEN:
    return;
  case SPEC_REJECTED:
    spec_fail(&c->rep, "%s failed to compile: %s", filename, message);
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
    spec_fail(&c->rep, "%s instantiated, expected an error (\"%s\")", filename, text ? text : "");
    break;
  case SPEC_EXEC_TRAP:
    if (trap && r.exception) {
      spec_fail(&c->rep, "%s: expected a trap (\"%s\"), got an %s", filename, text ? text : "", r.message);
    } else if (trap) {
      spec_judge_trap(&c->rep, &r, text);
    } else {
      spec_fail(&c->rep, "%s: expected a link error (\"%s\"), instantiation trapped: %s",
                filename, text ? text : "", r.message);
    }
    break;
  case SPEC_EXEC_ERROR:
    if (trap) {
      spec_fail(&c->rep, "%s: expected a trap (\"%s\"), instantiation failed: %s", filename,
                text ? text : "", r.message);
    } else {
      spec_pass(&c->rep);
      spec_check_text(&c->rep, r.message, text);
    }
    break;
  case SPEC_EXEC_UNAVAILABLE: // not produced by instantiation
    spec_fail(&c->rep, "%s: %s", filename, r.message);
    break;
  case SPEC_EXEC_UNSUPPORTED:
    spec_skip(&c->rep, SPEC_SKIP_RUNTIME, "%s compiled; instantiation: %s", filename, r.message);
    break;
  }
  spec_exec_result_clear(&r);
}

static void cmd_register(ctx_t *c, const json_value_t *cmd) {
  size_t as_len;
  const char *as = json_get_string(cmd, "as", &as_len);
  if (as == NULL) {
    spec_fail(&c->rep, "malformed command: no \"as\" string");
    return;
  }
  spec_exec_result_t r;
  spec_exec_register(c->ex, opt_string(cmd, "name"), as, as_len, &r);
  switch (r.status) {
  case SPEC_EXEC_OK:
    spec_pass(&c->rep);
    break;
  case SPEC_EXEC_UNSUPPORTED:
    spec_skip(&c->rep, SPEC_SKIP_RUNTIME, "%s", r.message);
    break;
  default:
    spec_fail(&c->rep, "register as \"%s\": %s", as, r.message);
    break;
  }
  spec_exec_result_clear(&r);
}

// Runs the command's "action". Returns false if the command is already judged (malformed, or
// skipped/failed for an unusable module); otherwise `*r` holds the outcome (to be cleared).
static bool run_action(ctx_t *c, const json_value_t *cmd, spec_exec_result_t *r) {
  memset(r, 0, sizeof *r);
  const json_value_t *action = json_get(cmd, "action");
  const char *type = opt_string(action, "type");
  size_t field_len;
  const char *field = json_get_string(action, "field", &field_len);
  if (type == NULL || field == NULL) {
    spec_fail(&c->rep, "malformed command: no action with \"type\" and \"field\" strings");
    return false;
  }
  const char *module = opt_string(action, "module");
  if (strcmp(type, "invoke") == 0) {
    spec_value_t *args;
    size_t nargs;
    char err[256];
    const json_value_t *json_args = json_get(action, "args");
    if (json_args == NULL) {
      args = NULL;
      nargs = 0;
    } else if (!spec_values_parse(json_args, false, &args, &nargs, err, sizeof err)) {
      spec_fail(&c->rep, "arguments: %s", err);
      return false;
    }
    spec_exec_invoke(c->ex, module, field, field_len, args, nargs, r);
    free(args);
  } else if (strcmp(type, "get") == 0) {
    spec_exec_get(c->ex, module, field, field_len, r);
  } else {
    spec_fail(&c->rep, "unknown action type \"%s\"", type);
    return false;
  }
  switch (r->status) {
  case SPEC_EXEC_UNSUPPORTED:
    spec_skip(&c->rep, SPEC_SKIP_RUNTIME, "%s \"%.*s\": %s", type, (int)field_len, field, r->message);
    spec_exec_result_clear(r);
    return false;
  case SPEC_EXEC_UNAVAILABLE:
  case SPEC_EXEC_ERROR:
    spec_fail(&c->rep, "%s \"%.*s\": %s", type, (int)field_len, field, r->message);
    spec_exec_result_clear(r);
    return false;
  case SPEC_EXEC_OK:
  case SPEC_EXEC_TRAP:
    break;
  }
  return true;
}

static void cmd_action(ctx_t *c, const json_value_t *cmd) {
  spec_exec_result_t r;
  if (!run_action(c, cmd, &r)) return;
  if (r.status == SPEC_EXEC_TRAP) {
    spec_fail(&c->rep, "unexpected trap: %s", r.message);
  } else {
    spec_pass(&c->rep);
  }
  spec_exec_result_clear(&r);
}

// Whether result `actual` matches expected item `item`: a value, or (wasm-tools' form of the 3.0
// scripts' `(either ...)`) an object {"type": "either", "values": [...]} matched by any of them.
static bool either_matches(const json_value_t *item, const spec_value_t *actual, char *err, size_t err_len) {
  const json_value_t *values = json_get(item, "values");
  if (values == NULL || values->kind != JSON_ARRAY) {
    snprintf(err, err_len, "an either without a \"values\" array");
    return false;
  }
  for (size_t i = 0; i < values->as.array.count; i++) {
    spec_value_t alternative;
    if (!spec_value_parse(&values->as.array.items[i], true, &alternative, err, err_len)) return false;
    if (spec_value_matches(&alternative, actual)) return true;
  }
  snprintf(err, err_len, "none of the %zu alternatives", values->as.array.count);
  return false;
}

// assert_return whose expected results include `either`s: each position is checked on its own.
static void assert_return_either(ctx_t *c, const json_value_t *cmd, const json_value_t *json_expected) {
  spec_exec_result_t r;
  if (!run_action(c, cmd, &r)) return;
  size_t count = json_expected->as.array.count;
  if (r.status == SPEC_EXEC_TRAP) {
    spec_fail(&c->rep, "unexpected trap: %s", r.message);
  } else if (r.count != count) {
    spec_fail(&c->rep, "expected %zu results, got %zu", count, r.count);
  } else {
    char err[256] = "";
    size_t i = 0;
    for (; i < count; i++) {
      const json_value_t *item = &json_expected->as.array.items[i];
      const char *type = json_get_string(item, "type", NULL);
      spec_value_t value;
      bool ok = type && strcmp(type, "either") == 0
                    ? either_matches(item, &r.values[i], err, sizeof err)
                    : spec_value_parse(item, true, &value, err, sizeof err) && spec_value_matches(&value, &r.values[i]);
      if (!ok) break;
    }
    if (i == count) {
      spec_pass(&c->rep);
    } else {
      char got[2048];
      spec_values_format_list(r.values, r.count, NULL, 0, got, sizeof got);
      spec_fail(&c->rep, "result %zu: %s; got %s", i, err[0] ? err : "no match", got);
    }
  }
  spec_exec_result_clear(&r);
}

static void cmd_assert_return(ctx_t *c, const json_value_t *cmd) {
  spec_value_t *expected;
  size_t nexpected;
  char err[256];
  const json_value_t *json_expected = json_get(cmd, "expected");
  if (json_expected == NULL) {
    spec_fail(&c->rep, "malformed command: no \"expected\" array");
    return;
  }
  if (json_expected->kind == JSON_ARRAY) {
    for (size_t i = 0; i < json_expected->as.array.count; i++) {
      const char *type = json_get_string(&json_expected->as.array.items[i], "type", NULL);
      if (type && strcmp(type, "either") == 0) return assert_return_either(c, cmd, json_expected);
    }
  }
  if (!spec_values_parse(json_expected, true, &expected, &nexpected, err, sizeof err)) {
    spec_fail(&c->rep, "expected results: %s", err);
    return;
  }
  spec_exec_result_t r;
  if (!run_action(c, cmd, &r)) {
    free(expected);
    return;
  }
  if (r.status == SPEC_EXEC_TRAP) {
    spec_fail(&c->rep, "unexpected trap: %s", r.message);
  } else {
    bool ok = r.count == nexpected;
    for (size_t i = 0; ok && i < nexpected; i++) ok = spec_value_matches(&expected[i], &r.values[i]);
    if (ok) {
      spec_pass(&c->rep);
    } else {
      char want[2048], got[2048];
      spec_values_format_list(expected, nexpected, NULL, 0, want, sizeof want);
      spec_values_format_list(r.values, r.count, expected, nexpected, got, sizeof got);
      spec_fail(&c->rep, "expected %s, got %s", want, got);
    }
  }
  spec_exec_result_clear(&r);
  free(expected);
}

// assert_trap / assert_exhaustion (whose text, "call stack exhausted", maps to its code).
static void cmd_assert_trap(ctx_t *c, const json_value_t *cmd) {
  const char *text = opt_string(cmd, "text");
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
static void cmd_assert_exception(ctx_t *c, const json_value_t *cmd) {
  spec_exec_result_t r;
  if (!run_action(c, cmd, &r)) return;
  spec_judge_exception(&c->rep, &r);
  spec_exec_result_clear(&r);
}

static void run_command(ctx_t *c, const json_value_t *cmd) {
  const char *type = opt_string(cmd, "type");
  const json_value_t *line = json_get(cmd, "line");
  c->rep.line = 0;
  if (line != NULL && line->kind == JSON_NUMBER) c->rep.line = strtoull(line->as.string.data, NULL, 10);
  c->rep.st->current_line = c->rep.line;
  c->rep.command = type != NULL ? type : "?";
  c->rep.cat = SPEC_CAT_OTHER;
  if (type == NULL) {
    spec_fail(&c->rep, "malformed command: no \"type\" string");
  } else if (strcmp(type, "module") == 0 || strcmp(type, "module_definition") == 0) {
    c->rep.cat = SPEC_CAT_MODULE;
    cmd_module(c, cmd, strcmp(type, "module_definition") == 0);
  } else if (strcmp(type, "module_instance") == 0) {
    c->rep.cat = SPEC_CAT_MODULE;
    cmd_module_instance(c, cmd);
  } else if (strcmp(type, "register") == 0) {
    c->rep.cat = SPEC_CAT_REGISTER;
    cmd_register(c, cmd);
  } else if (strcmp(type, "action") == 0) {
    c->rep.cat = SPEC_CAT_ACTION;
    cmd_action(c, cmd);
  } else if (strcmp(type, "assert_return") == 0) {
    c->rep.cat = SPEC_CAT_ASSERT_RETURN;
    cmd_assert_return(c, cmd);
  } else if (strcmp(type, "assert_trap") == 0) {
    c->rep.cat = SPEC_CAT_ASSERT_TRAP;
    cmd_assert_trap(c, cmd);
  } else if (strcmp(type, "assert_exhaustion") == 0) {
    c->rep.cat = SPEC_CAT_ASSERT_EXHAUSTION;
    cmd_assert_trap(c, cmd);
  } else if (strcmp(type, "assert_exception") == 0) {
    c->rep.cat = SPEC_CAT_ASSERT_TRAP; // counted with the traps (the driver has no category of its own)
    cmd_assert_exception(c, cmd);
  } else if (strcmp(type, "assert_malformed") == 0) {
    const char *mt = opt_string(cmd, "module_type");
    c->rep.cat = mt != NULL && strcmp(mt, "text") == 0 ? SPEC_CAT_ASSERT_MALFORMED_TEXT
                                                       : SPEC_CAT_ASSERT_MALFORMED_BINARY;
    cmd_expect_rejected(c, cmd);
  } else if (strcmp(type, "assert_invalid") == 0) {
    c->rep.cat = SPEC_CAT_ASSERT_INVALID;
    cmd_expect_rejected(c, cmd);
  } else if (strcmp(type, "assert_unlinkable") == 0) {
    c->rep.cat = SPEC_CAT_ASSERT_UNLINKABLE;
    cmd_expect_instantiation_failure(c, cmd, false);
  } else if (strcmp(type, "assert_uninstantiable") == 0) {
    c->rep.cat = SPEC_CAT_ASSERT_UNINSTANTIABLE;
    cmd_expect_instantiation_failure(c, cmd, true);
  } else {
    spec_fail(&c->rep, "unknown command type");
  }
}

// ----------------------------------------------------------------------------------------------
// Running files.

// NAME of DIR/NAME.json.
static char *file_name(const char *path) {
  const char *base = strrchr(path, '/');
  base = base != NULL ? base + 1 : path;
  size_t n = strlen(base);
  if (n > 5 && strcmp(base + n - 5, ".json") == 0) n -= 5;
  char *name = malloc(n + 1);
  if (name != NULL) {
    memcpy(name, base, n);
    name[n] = '\0';
  }
  return name;
}

static char *dir_name(const char *path) {
  const char *slash = strrchr(path, '/');
  if (slash == NULL) return strdup(".");
  if (slash == path) return strdup("/");
  return strndup(path, (size_t)(slash - path));
}

// Runs every command of one JSON file, counting into `st`.
static void run_file(const char *path, const char *name, spec_stats_t *st, const spec_options_t *opt) {
  ctx_t c = {.rep = {.opt = opt, .script = name, .st = st, .command = "file", .cat = SPEC_CAT_OTHER},
             .name = name};
  char script[512];
  size_t len;
  char *text = spec_read_file(path, &len);
  if (text == NULL) {
    spec_fail(&c.rep, "cannot read %s: %s", path, strerror(errno));
    return;
  }
  json_error_t jerr;
  json_value_t *root = json_parse(text, len, 0, &jerr);
  free(text);
  if (root == NULL) {
    spec_fail(&c.rep, "%s: invalid JSON at line %zu, column %zu (offset %zu): %s", path,
              jerr.line, jerr.column, jerr.offset, jerr.message);
    return;
  }
  const json_value_t *commands = json_get_array(root, "commands");
  const char *source = opt_string(root, "source_filename");
  if (source != NULL) {
    const char *base = strrchr(source, '/');
    snprintf(script, sizeof script, "%s", base != NULL ? base + 1 : source);
  } else {
    snprintf(script, sizeof script, "%s.wast", name);
  }
  c.rep.script = script;
  char err[256];
  c.dir = dir_name(path);
  c.engine = spec_engine_new(c.rep.opt);
  c.ex = c.engine != NULL ? spec_exec_new(c.engine, err, sizeof err) : NULL;
  if (commands == NULL) {
    spec_fail(&c.rep, "%s: no \"commands\" array", path);
  } else if (c.dir == NULL || c.engine == NULL || c.ex == NULL) {
    spec_fail(&c.rep, "setup failed: %s",
              c.engine == NULL                ? "wasm_engine_new returned NULL"
              : c.ex == NULL && c.dir != NULL ? err
                                              : "out of memory");
  } else {
    for (size_t i = 0; i < commands->as.array.count; i++) {
      run_command(&c, &commands->as.array.items[i]);
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
  free(c.dir);
  json_free(root);
}

static void usage(FILE *out) {
  fprintf(out,
          "usage: spec_runner [--verbose] [--no-fork] [--wasm2] [-W NAME[=y|n]]... [--timeout SECONDS] DIR/NAME.json...\n"
          "  --verbose        print every failure, skip and message difference\n"
          "  --no-fork        run the files in this process (for debuggers and valgrind)\n"
          "  --wasm2          run on a WebAssembly 2.0 engine (later proposals switched off)\n"
          "  -W NAME[=y|n]    switch a proposal on or off (wasmtime's names: custom-page-sizes, ...)\n"
          "  --timeout N      seconds allowed per file when forking (default 300, 0: none)\n");
}

int main(int argc, char **argv) {
  spec_options_t opt = {.verbose = false, .fork = true, .timeout = 300};
  int first = 1;
  for (; first < argc && (strncmp(argv[first], "--", 2) == 0 || strcmp(argv[first], "-W") == 0); first++) {
    const char *a = argv[first];
    if (strcmp(a, "--") == 0) {
      first++;
      break;
    } else if (strcmp(a, "--verbose") == 0) {
      opt.verbose = true;
    } else if (strcmp(a, "--no-fork") == 0) {
      opt.fork = false;
    } else if (strcmp(a, "--wasm2") == 0) {
      opt.wasm2 = true;
    } else if (strcmp(a, "-W") == 0 && first + 1 < argc) {
      if (!spec_parse_feature(argv[++first], &opt)) return 2;
    } else if (strcmp(a, "--timeout") == 0 && first + 1 < argc) {
      char *end;
      unsigned long t = strtoul(argv[++first], &end, 10);
      if (*argv[first] == '\0' || *end != '\0' || t > 86400) {
        fprintf(stderr, "spec_runner: invalid --timeout value \"%s\"\n", argv[first]);
        return 2;
      }
      opt.timeout = (unsigned)t;
    } else if (strcmp(a, "--help") == 0) {
      usage(stdout);
      return 0;
    } else {
      fprintf(stderr, "spec_runner: unknown option \"%s\"\n", a);
      usage(stderr);
      return 2;
    }
  }
  if (first >= argc) {
    usage(stderr);
    return 2;
  }
  setvbuf(stdout, NULL, _IOLBF, 0);

  spec_stats_t total;
  memset(&total, 0, sizeof total);
  for (int i = first; i < argc; i++) {
    char *name = file_name(argv[i]);
    if (name == NULL) {
      fprintf(stderr, "spec_runner: out of memory\n");
      return 2;
    }
    spec_stats_t st;
    memset(&st, 0, sizeof st);
    if (opt.fork) {
      spec_run_file_isolated(run_file, argv[i], name, &st, &opt);
    } else {
      run_file(argv[i], name, &st, &opt);
    }
    st.files = 1;
    spec_print_file_result(name, &st, true);
    spec_add_stats(&total, &st);
    free(name);
  }
  spec_print_summary(&total, true);
  return spec_sum(total.failed) > 0 ? 1 : 0;
}
