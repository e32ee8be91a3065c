// The swasm command line, written over the public C API.
//
//   swasm run [--fuel N] [--invoke NAME] [--preload NAME=PATH]... [--unknown-imports trap|default]
//             FILE.wasm|FILE.wat|FILE.cwasm [ARGS...]
//   swasm compile [--fuel] [--epoch] FILE.wasm|FILE.wat [-o FILE.cwasm]
//   swasm wast [--verbose] [--no-fork] [--via-artifacts] [--timeout SECONDS] FILE.wast...
//   swasm --version
//
// `run` compiles the module and instantiates it through a linker, then calls the exported function
// NAME (default: `_start`, else `run`) with ARGS parsed by the parameter types as wasmtime parses
// them (numbers.h: a malformed or out-of-range argument, like a malformed --fuel, is an error
// naming it), and prints the results one per line. Imports come from the --preload modules,
// each instantiated in the order given (in the same store, so under the same fuel) and defined
// under its NAME, so later ones can import from earlier ones. --unknown-imports makes the main
// module's function imports that nothing defines trap when called or return zeros (wasmtime's
// `-W unknown-imports-trap=y` and `-W unknown-imports-default=y` are accepted too); other missing
// imports fail to link. There is no WASI. Traps and errors are printed to stderr with a non-zero
// exit status. A precompiled module (recognized by its contents, whatever its name) is loaded
// with wasmtime_module_deserialize_file instead of being compiled.
//
// `compile` writes the module's artifact (wasmtime_module_serialize), by default beside the input
// with the extension .cwasm. --fuel and --epoch compile for engines that meter fuel or check
// epochs; `run` must then be given the same setting (--fuel N for fuel).
//
// `wast` runs .wast scripts (the spec test format): see wast.c.
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <swasm.h>
#include <wasmtime.h>

#include "numbers.h"
#include "wast.h"

static int report(const char *what, wasmtime_error_t *error, wasm_trap_t *trap) {
  wasm_name_t message = {0, NULL};
  if (error) wasmtime_error_message(error, &message);
  else if (trap) wasm_trap_message(trap, &message);
  size_t length = message.size;
  if (trap && length > 0 && message.data[length - 1] == '\0') length--;
  fprintf(stderr, "swasm: %s: %.*s\n", what, (int)length, message.data ? message.data : "");
  wasm_byte_vec_delete(&message);
  int status = 1;
  if (error) {
    int exit_status;
    if (wasmtime_error_exit_status(error, &exit_status)) status = exit_status;
    wasmtime_error_delete(error);
  }
  if (trap) {
    wasm_trap_delete(trap);
    status = 134; // like wasmtime: a trap is an abnormal termination
  }
  return status;
}

// `context`, when not NULL, prefixes the error messages (it names what the file is for).
static int read_file(const char *path, const char *context, wasm_byte_vec_t *out) {
  const char *separator = context ? ": " : "";
  if (!context) context = "";
  FILE *file = fopen(path, "rb");
  if (!file) {
    fprintf(stderr, "swasm: %s%scannot open %s: %s\n", context, separator, path, strerror(errno));
    return 0;
  }
  fseek(file, 0, SEEK_END);
  long size = ftell(file);
  fseek(file, 0, SEEK_SET);
  wasm_byte_vec_new_uninitialized(out, size > 0 ? (size_t)size : 0);
  int ok = size >= 0 && (size == 0 || out->data) && fread(out->data, 1, (size_t)size, file) == (size_t)size;
  fclose(file);
  if (!ok) fprintf(stderr, "swasm: %s%scannot read %s\n", context, separator, path);
  return ok;
}

// Reads the command-line argument `text` as a value of `kind` (cli/numbers.h: wasmtime's syntax).
// Returns 1, or 0 after reporting under "argument NUMBER of FUNCTION" what was expected.
static int parse_argument(const char *text, wasm_valkind_t kind, const char *function, size_t number,
                          wasmtime_val_t *out) {
  int64_t integer;
  const char *type, *expected;
  switch (kind) {
  case WASM_I32:
    if (cli_parse_signed(text, INT32_MIN, INT32_MAX, &integer)) {
      out->kind = WASMTIME_I32;
      out->of.i32 = (int32_t)integer;
      return 1;
    }
    type = "i32";
    expected = "expected an integer from -2147483648 to 2147483647";
    break;
  case WASM_I64:
    if (cli_parse_signed(text, INT64_MIN, INT64_MAX, &integer)) {
      out->kind = WASMTIME_I64;
      out->of.i64 = integer;
      return 1;
    }
    type = "i64";
    expected = "expected an integer from -9223372036854775808 to 9223372036854775807";
    break;
  case WASM_F32:
    if (cli_parse_f32(text, &out->of.f32)) { out->kind = WASMTIME_F32; return 1; }
    type = "f32";
    expected = "expected a number (digits, an optional fraction and exponent), inf or nan";
    break;
  case WASM_F64:
    if (cli_parse_f64(text, &out->of.f64)) { out->kind = WASMTIME_F64; return 1; }
    type = "f64";
    expected = "expected a number (digits, an optional fraction and exponent), inf or nan";
    break;
  default:
    // As wasmtime: v128 and reference parameters cannot be given on the command line.
    fprintf(stderr, "swasm: argument %zu of '%s': unsupported parameter type %s (only i32, i64, f32 and f64 can be passed)\n",
            number, function,
            kind == WASMTIME_V128 ? "v128" : kind == WASM_EXTERNREF ? "externref" : kind == WASM_FUNCREF ? "funcref" : "reference");
    return 0;
  }
  fprintf(stderr, "swasm: invalid value '%s' for argument %zu of '%s' (%s): %s\n", text, number, function, type, expected);
  return 0;
}

static void print_value(const wasmtime_val_t *value) {
  switch (value->kind) {
  case WASMTIME_I32: printf("%" PRId32 "\n", value->of.i32); break;
  case WASMTIME_I64: printf("%" PRId64 "\n", value->of.i64); break;
  case WASMTIME_F32: printf("%.9g\n", value->of.f32); break;
  case WASMTIME_F64: printf("%.17g\n", value->of.f64); break;
  case WASMTIME_V128:
    printf("0x");
    for (int i = 15; i >= 0; i--) printf("%02x", value->of.v128[i]);
    printf("\n");
    break;
  default: printf("<reference>\n"); break;
  }
}

static int usage(void) {
  fprintf(stderr, "usage: swasm run [--fuel N] [--invoke NAME] [--preload NAME=PATH]... [--unknown-imports trap|default]\n"
                  "                 FILE.wasm|FILE.wat|FILE.cwasm [ARGS...]\n"
                  "       swasm compile [--fuel] [--epoch] FILE.wasm|FILE.wat [-o FILE.cwasm]\n"
                  "       swasm wast [--verbose] [--no-fork] [--via-artifacts] [--timeout SECONDS] FILE.wast...\n"
                  "       swasm --version\n");
  return 2;
}

// Whether the file at `path` starts with the artifact magic bytes.
static int is_artifact(const char *path) {
  FILE *file = fopen(path, "rb");
  if (!file) return 0;
  char magic[8];
  int found = fread(magic, 1, 8, file) == 8 && memcmp(magic, "\0swasmcw", 8) == 0;
  fclose(file);
  return found;
}

// Reads a module as binary WebAssembly (assembling .wat files). Errors are reported under
// `context`, else under the path.
static int read_module(const char *path, const char *context, wasm_byte_vec_t *bytes) {
  if (!read_file(path, context, bytes)) return 0;
  size_t length = strlen(path);
  if (length > 4 && strcmp(path + length - 4, ".wat") == 0) {
    wasm_byte_vec_t binary;
    wasmtime_error_t *error = wasmtime_wat2wasm(bytes->data, bytes->size, &binary);
    wasm_byte_vec_delete(bytes);
    if (error) { report(context ? context : path, error, NULL); return 0; }
    *bytes = binary;
  }
  return 1;
}

// Compiles the module at `path`, or loads it when it is an artifact. NULL after reporting why
// (under `context`, else under the path) with the exit status in `*status`.
static wasmtime_module_t *load_module(wasm_engine_t *engine, const char *path, const char *context, int *status) {
  wasmtime_module_t *module = NULL;
  wasmtime_error_t *error;
  if (is_artifact(path)) {
    error = wasmtime_module_deserialize_file(engine, path, &module);
  } else {
    wasm_byte_vec_t bytes;
    if (!read_module(path, context, &bytes)) { *status = 1; return NULL; }
    error = wasmtime_module_new(engine, (const uint8_t *)bytes.data, bytes.size, &module);
    wasm_byte_vec_delete(&bytes);
  }
  if (error) { *status = report(context ? context : path, error, NULL); return NULL; }
  return module;
}

static int compile(int argc, char **argv) {
  const char *input = NULL, *output = NULL;
  wasm_config_t *config = wasm_config_new();
  if (!config) return report("out of memory", NULL, NULL);
  for (int index = 0; index < argc; index++) {
    if (strcmp(argv[index], "--fuel") == 0) wasmtime_config_consume_fuel_set(config, true);
    else if (strcmp(argv[index], "--epoch") == 0) wasmtime_config_epoch_interruption_set(config, true);
    else if (strcmp(argv[index], "-o") == 0 && index + 1 < argc) output = argv[++index];
    else if (argv[index][0] != '-' && !input) input = argv[index];
    else { wasm_config_delete(config); return usage(); }
  }
  if (!input) { wasm_config_delete(config); return usage(); }
  char default_output[4096];
  if (!output) {
    const char *dot = strrchr(input, '.'), *slash = strrchr(input, '/');
    size_t stem = dot && (!slash || dot > slash) ? (size_t)(dot - input) : strlen(input);
    if (stem + 7 > sizeof default_output) { wasm_config_delete(config); return usage(); }
    snprintf(default_output, sizeof default_output, "%.*s.cwasm", (int)stem, input);
    output = default_output;
  }
  wasm_engine_t *engine = wasm_engine_new_with_config(config);
  if (!engine) return report("cannot create the engine", NULL, NULL);
  int status = 0;
  wasm_byte_vec_t bytes, artifact = {0, NULL};
  wasmtime_module_t *module = NULL;
  if (!read_module(input, NULL, &bytes)) { wasm_engine_delete(engine); return 1; }
  wasmtime_error_t *error = wasmtime_module_new(engine, (const uint8_t *)bytes.data, bytes.size, &module);
  wasm_byte_vec_delete(&bytes);
  if (!error) error = wasmtime_module_serialize(module, &artifact);
  if (error) {
    status = report(input, error, NULL);
  } else {
    FILE *file = fopen(output, "wb");
    if (!file || fwrite(artifact.data, 1, artifact.size, file) != artifact.size) {
      fprintf(stderr, "swasm: cannot write %s: %s\n", output, strerror(errno));
      status = 1;
    }
    if (file && fclose(file) != 0 && status == 0) {
      fprintf(stderr, "swasm: cannot write %s: %s\n", output, strerror(errno));
      status = 1;
    }
  }
  wasm_byte_vec_delete(&artifact);
  wasmtime_module_delete(module);
  wasm_engine_delete(engine);
  return status;
}

// Whether `text` is a valid --preload argument: NAME=PATH with both parts non-empty.
static int is_preload_argument(const char *text) {
  const char *equals = strchr(text, '=');
  return equals && equals != text && equals[1] != '\0';
}

// Instantiates the preload `argument` (NAME=PATH) through `linker` and defines its exports under
// NAME. Returns 0, or the exit status after reporting the failure under "preload NAME=PATH".
static int preload(wasm_engine_t *engine, wasmtime_linker_t *linker, wasmtime_context_t *context,
                   const char *argument) {
  const char *equals = strchr(argument, '=');
  const char *path = equals + 1;
  char *label = malloc(strlen(argument) + sizeof "preload ");
  if (!label) return report("out of memory", NULL, NULL);
  sprintf(label, "preload %s", argument);
  int status = 0;
  wasmtime_module_t *module = load_module(engine, path, label, &status);
  if (module) {
    wasmtime_instance_t instance;
    wasm_trap_t *trap = NULL;
    wasmtime_error_t *error = wasmtime_linker_instantiate(linker, context, module, &instance, &trap);
    if (!error && !trap)
      error = wasmtime_linker_define_instance(linker, context, argument, (size_t)(equals - argument), &instance);
    if (error || trap) status = report(label, error, trap);
    wasmtime_module_delete(module);
  }
  free(label);
  return status;
}

// wasmtime's spelling of the unknown-imports settings: `-W unknown-imports-trap[=y|n]` and
// `-W unknown-imports-default[=y|n]`. Returns 0 for anything else.
static int parse_wasm_option(const char *text, int *traps, int *defaults) {
  const char *equals = strchr(text, '=');
  size_t key_length = equals ? (size_t)(equals - text) : strlen(text);
  int *setting;
  if (key_length == strlen("unknown-imports-trap") && strncmp(text, "unknown-imports-trap", key_length) == 0)
    setting = traps;
  else if (key_length == strlen("unknown-imports-default") && strncmp(text, "unknown-imports-default", key_length) == 0)
    setting = defaults;
  else
    return 0;
  const char *value = equals ? equals + 1 : "y";
  if (strcmp(value, "y") == 0 || strcmp(value, "yes") == 0 || strcmp(value, "true") == 0) *setting = 1;
  else if (strcmp(value, "n") == 0 || strcmp(value, "no") == 0 || strcmp(value, "false") == 0) *setting = 0;
  else return 0;
  return 1;
}

static int run(int argc, char **argv) {
  const char *invoke = NULL;
  uint64_t fuel = 0;
  int metered = 0, unknown_as_traps = 0, unknown_as_defaults = 0;
  // The --preload arguments in the order given, pointing into argv.
  const char **preloads = malloc((size_t)argc * sizeof *preloads);
  if (!preloads) return report("out of memory", NULL, NULL);
  int preload_count = 0;
  int index = 0;
  for (; index < argc && argv[index][0] == '-'; index += 2) { // every option takes a value
    const char *option = argv[index], *value = index + 1 < argc ? argv[index + 1] : NULL;
    if (strcmp(option, "--invoke") == 0 && value) {
      invoke = value;
    } else if (strcmp(option, "--fuel") == 0 && value) {
      if (!cli_parse_unsigned(value, UINT64_MAX, &fuel)) {
        fprintf(stderr, "swasm: invalid value '%s' for --fuel: expected an unsigned integer from 0 to %" PRIu64 "\n",
                value, UINT64_MAX);
        free(preloads);
        return 2;
      }
      metered = 1;
    } else if (strcmp(option, "--preload") == 0 && value) {
      if (!is_preload_argument(value)) {
        fprintf(stderr, "swasm: --preload expects NAME=PATH, got '%s'\n", value);
        free(preloads);
        return usage();
      }
      preloads[preload_count++] = value;
    } else if (strcmp(option, "--unknown-imports") == 0 && value &&
               (strcmp(value, "trap") == 0 || strcmp(value, "default") == 0)) {
      unknown_as_traps = strcmp(value, "trap") == 0;
      unknown_as_defaults = !unknown_as_traps;
    } else if (strcmp(option, "-W") == 0 && value) {
      if (!parse_wasm_option(value, &unknown_as_traps, &unknown_as_defaults)) {
        fprintf(stderr, "swasm: unsupported -W %s (swasm knows unknown-imports-trap and unknown-imports-default)\n", value);
        free(preloads);
        return usage();
      }
    } else {
      free(preloads);
      return usage();
    }
  }
  if (index >= argc) { free(preloads); return usage(); }
  const char *path = argv[index++];

  wasm_config_t *config = wasm_config_new();
  if (!config) { free(preloads); return report("out of memory", NULL, NULL); }
  if (metered) wasmtime_config_consume_fuel_set(config, true);
  wasm_engine_t *engine = wasm_engine_new_with_config(config);
  if (!engine) { free(preloads); return report("cannot create the engine", NULL, NULL); }
  int status = 0;
  wasmtime_store_t *store = NULL;
  wasmtime_linker_t *linker = NULL;
  wasmtime_error_t *error = NULL;
  wasmtime_module_t *module = load_module(engine, path, NULL, &status);
  if (!module) goto done;
  store = wasmtime_store_new(engine, NULL, NULL);
  linker = wasmtime_linker_new(engine);
  if (!store || !linker) { status = report("out of memory", NULL, NULL); goto done; }
  wasmtime_context_t *context = wasmtime_store_context(store);
  // Preloads share the store, and so the fuel, with the main module.
  if (metered && (error = wasmtime_context_set_fuel(context, fuel))) { status = report("fuel", error, NULL); goto done; }
  for (int i = 0; i < preload_count; i++)
    if ((status = preload(engine, linker, context, preloads[i])) != 0) goto done;
  // As wasmtime: traps first, then defaults for the function imports still undefined.
  if (unknown_as_traps && (error = wasmtime_linker_define_unknown_imports_as_traps(linker, module))) {
    status = report("unknown imports", error, NULL);
    goto done;
  }
  if (unknown_as_defaults && (error = wasmtime_linker_define_unknown_imports_as_default_values(linker, context, module))) {
    status = report("unknown imports", error, NULL);
    goto done;
  }
  wasmtime_instance_t instance;
  wasm_trap_t *trap = NULL;
  error = wasmtime_linker_instantiate(linker, context, module, &instance, &trap);
  if (error || trap) { status = report("instantiation", error, trap); goto done; }

  // Pick the function: --invoke, else _start, else run.
  wasmtime_extern_t item;
  int found = 0;
  if (invoke) {
    found = wasmtime_instance_export_get(context, &instance, invoke, strlen(invoke), &item);
  } else {
    const char *defaults[] = {"_start", "run"};
    for (int i = 0; i < 2 && !found; i++) {
      found = wasmtime_instance_export_get(context, &instance, defaults[i], strlen(defaults[i]), &item);
      if (found) invoke = defaults[i];
    }
  }
  if (!found || item.kind != WASMTIME_EXTERN_FUNC) {
    fprintf(stderr, "swasm: %s: no exported function %s\n", path, invoke ? invoke : "_start or run (use --invoke NAME)");
    status = 1;
    goto done;
  }
  wasm_functype_t *type = wasmtime_func_type(context, &item.of.func);
  if (!type) { status = report("out of memory", NULL, NULL); goto done; }
  const wasm_valtype_vec_t *params = wasm_functype_params(type);
  size_t param_count = params->size;
  size_t result_count = wasm_functype_results(type)->size;
  if ((size_t)(argc - index) != params->size) {
    fprintf(stderr, "swasm: %s expects %zu argument(s), got %d\n", invoke, params->size, argc - index);
    wasm_functype_delete(type);
    status = 2;
    goto done;
  }
  wasmtime_val_t arguments[16], results[16];
  if (params->size > 16 || result_count > 16) {
    fprintf(stderr, "swasm: %s has too many parameters or results for the command line\n", invoke);
    wasm_functype_delete(type);
    status = 2;
    goto done;
  }
  for (size_t i = 0; i < params->size; i++) {
    if (!parse_argument(argv[index + i], wasm_valtype_kind(params->data[i]), invoke, i + 1, &arguments[i])) {
      wasm_functype_delete(type);
      status = 2;
      goto done;
    }
  }
  wasm_functype_delete(type);
  error = wasmtime_func_call(context, &item.of.func, arguments, param_count, results, result_count, &trap);
  if (error || trap) { status = report(invoke, error, trap); goto done; }
  for (size_t i = 0; i < result_count; i++) print_value(&results[i]);
done:
  if (linker) wasmtime_linker_delete(linker);
  wasmtime_store_delete(store);
  wasmtime_module_delete(module);
  wasm_engine_delete(engine);
  free(preloads);
  return status;
}

int main(int argc, char **argv) {
  if (argc >= 2 && strcmp(argv[1], "--version") == 0) {
    printf("swasm %s (wasmtime C API %s)\n", SWASM_VERSION, WASMTIME_VERSION);
    return 0;
  }
  if (argc >= 3 && strcmp(argv[1], "run") == 0) return run(argc - 2, argv + 2);
  if (argc >= 3 && strcmp(argv[1], "compile") == 0) return compile(argc - 2, argv + 2);
  if (argc >= 2 && strcmp(argv[1], "wast") == 0) return swasm_wast_main(argc - 2, argv + 2);
  return usage();
}
