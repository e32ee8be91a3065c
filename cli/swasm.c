// The swasm command line, written over the public C API.
//
//   swasm run [--fuel N] [--invoke NAME] [--preload NAME=PATH]... [--unknown-imports trap|default]
//             [--dir HOST[::GUEST]]... [--dir-readonly HOST[::GUEST]]... [--env NAME[=VALUE]]...
//             [--inherit-env] [--argv0 NAME] [--profile=guest[,PATH[,INTERVAL]]]
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
// imports fail to link. Traps and errors are printed to stderr with a non-zero exit status (134
// for a trap, as wasmtime). A precompiled module (recognized by its contents, whatever its name)
// is loaded with wasmtime_module_deserialize_file instead of being compiled.
//
// A main module that imports `wasi_snapshot_preview1` (or `wasi_unstable`) is a WASI program, run
// as `wasmtime run` runs one (docs/wasi.md): ARGS become its arguments after argv[0] (the last
// component of FILE, or --argv0), --dir/--dir-readonly preopen host directories (mutable or not)
// under GUEST (default: HOST) from descriptor 3 on, --env NAME=VALUE sets a variable, --env NAME
// passes swasm's own value (none when unset), --inherit-env passes swasm's whole environment first;
// stdin, stdout and stderr are swasm's. WASI is defined in the linker before the preloads, which may
// import it too. After instantiation, `_initialize` runs if exported (a reactor), then --invoke
// NAME (ARGS are then also the function's arguments, and its results are printed), else the export
// named "" or `_start`. A `proc_exit(N)` ends swasm with status N, without a message; a trap
// prints its message and backtrace and exits with 134; other errors exit with 1. These options are
// ignored for a module without WASI imports, which runs as described above.
//
// --profile=guest[,PATH[,INTERVAL]] (or --profile VALUE) samples the main module's WebAssembly
// stack every INTERVAL (default 10ms) with the guest profiler and writes the profile to PATH
// (default wasmtime-guest-profile.json) when the run ends, as wasmtime's run does
// (guest_profile.h, docs/profiling.md). It needs epoch interruption: a precompiled module must be
// compiled with --epoch.
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
#include <sys/stat.h>

#include "guest_profile.h"

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

// Reports the failure of running (instantiating, preloading or calling) a WASI command as wasmtime's
// `run` does: a `proc_exit(N)` ends swasm silently with status N; a trap prints its message (and
// backtrace) and gives 134, an abnormal termination (128 + SIGABRT); any other error prints its
// message and gives 1.
static int report_command(const char *what, wasmtime_error_t *error, wasm_trap_t *trap) {
  int exit_status;
  if (error && wasmtime_error_exit_status(error, &exit_status)) {
    wasmtime_error_delete(error);
    return exit_status;
  }
  return report(what, error, trap);
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
                  "                 [--dir HOST[::GUEST]]... [--dir-readonly HOST[::GUEST]]... [--env NAME[=VALUE]]...\n"
                  "                 [--inherit-env] [--argv0 NAME] [--profile=guest[,PATH[,INTERVAL]]]\n"
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
  wasmtime_config_shared_memory_set(config, true); // modules with shared memories run
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
// NAME. Returns 0, or the exit status after reporting the failure under "preload NAME=PATH" (for a
// WASI command, `wasi`, as report_command does).
static int preload(wasm_engine_t *engine, wasmtime_linker_t *linker, wasmtime_context_t *context,
                   const char *argument, int wasi) {
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
    if (error || trap) status = wasi ? report_command(label, error, trap) : report(label, error, trap);
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

// ---------------------------------------------------------------------------------------------
// WASI commands: a main module that imports `wasi_snapshot_preview1` (or its older name
// `wasi_unstable`) runs as `wasmtime run` runs it (docs/wasi.md).
// ---------------------------------------------------------------------------------------------

// The options of `run` that configure WASI; they apply only when the main module imports WASI.
struct wasi_options {
  const char **dirs;  // --dir and --dir-readonly values (HOST[::GUEST]), in the order given
  bool *dir_mutable;  // whether each of them came from --dir
  int dir_count;
  const char **envs;  // --env values (NAME=VALUE or NAME), in the order given
  int env_count;
  int inherit_env;    // --inherit-env
  const char *argv0;  // --argv0, else the last component of the module's path
};

static int is_wasi_module_name(const wasm_name_t *name) {
  return name && ((name->size == strlen("wasi_snapshot_preview1") &&
                   memcmp(name->data, "wasi_snapshot_preview1", name->size) == 0) ||
                  (name->size == strlen("wasi_unstable") && memcmp(name->data, "wasi_unstable", name->size) == 0));
}

// Whether `module` imports anything from WASI preview 1.
static int imports_wasi(const wasmtime_module_t *module) {
  wasm_importtype_vec_t imports = {0, NULL};
  wasmtime_module_imports(module, &imports); // empty on allocation failure: linking then names the import
  int found = 0;
  for (size_t i = 0; i < imports.size && !found; i++)
    found = is_wasi_module_name(wasm_importtype_module(imports.data[i]));
  wasm_importtype_vec_delete(&imports);
  return found;
}

// wasmtime's argv[0]: the last component of the module's path, so that the host's directories do
// not leak into the program.
static const char *last_component(const char *path) {
  const char *slash = strrchr(path, '/');
  return slash && slash[1] != '\0' ? slash + 1 : path;
}

// A --dir or --dir-readonly value: HOST, or HOST::GUEST with both parts non-empty.
static int is_dir_argument(const char *text) {
  const char *separator = strstr(text, "::");
  return text[0] != '\0' && separator != text && (!separator || separator[2] != '\0');
}

// A --env value: NAME=VALUE or NAME, with NAME non-empty.
static int is_env_argument(const char *text) { return text[0] != '\0' && text[0] != '='; }

extern char **environ;

// Gives the guest's configuration the environment wasmtime's `run` gives: the host's when
// --inherit-env, then each --env NAME=VALUE, and each --env NAME whose NAME the host has, with the
// host's value (an unset NAME is left unset). Returns 0, or the exit status after reporting why.
static int configure_environment(wasi_config_t *config, const struct wasi_options *options) {
  if (options->env_count == 0) {
    if (options->inherit_env) wasi_config_inherit_env(config);
    return 0;
  }
  size_t capacity = (size_t)options->env_count;
  if (options->inherit_env)
    for (char **entry = environ; *entry; entry++) capacity++;
  const char **names = calloc(capacity, sizeof *names), **values = calloc(capacity, sizeof *values);
  char **copies = calloc(capacity, sizeof *copies);
  size_t count = 0;
  int status = 0;
  if (!names || !values || !copies) { status = report("out of memory", NULL, NULL); goto done; }
  for (char **entry = options->inherit_env ? environ : NULL; entry && *entry; entry++) {
    const char *equals = strchr(*entry, '=');
    if (!equals) continue;
    if (!(copies[count] = strdup(*entry))) { status = report("out of memory", NULL, NULL); goto done; }
    copies[count][equals - *entry] = '\0';
    names[count] = copies[count];
    values[count] = copies[count] + (equals - *entry) + 1;
    count++;
  }
  for (int i = 0; i < options->env_count; i++) {
    const char *text = options->envs[i], *equals = strchr(text, '=');
    if (equals) {
      if (!(copies[count] = strdup(text))) { status = report("out of memory", NULL, NULL); goto done; }
      copies[count][equals - text] = '\0';
      names[count] = copies[count];
      values[count] = copies[count] + (equals - text) + 1;
    } else {
      const char *value = getenv(text);
      if (!value) continue;
      names[count] = text;
      values[count] = value;
    }
    count++;
  }
  if (!wasi_config_set_env(config, count, names, values)) {
    fprintf(stderr, "swasm: cannot give the program its environment (a name or value is not valid UTF-8, or out of memory)\n");
    status = 1;
  }
done:
  for (size_t i = 0; copies && i < count; i++) free(copies[i]);
  free(copies);
  free(names);
  free(values);
  return status;
}

// Configures WASI in `context` as wasmtime's `run` does: argv is ARGV0 followed by `args`, the
// environment of --inherit-env and --env, stdin, stdout and stderr inherited, and the preopened
// directories in the order given (the guest sees them from descriptor 3 on). Returns 0, or the
// exit status after reporting why.
static int configure_wasi(wasmtime_context_t *context, const struct wasi_options *options, const char *path,
                          int argc, char **args) {
  wasi_config_t *config = wasi_config_new();
  if (!config) return report("out of memory", NULL, NULL);
  int status = 0;
  const char **guest_argv = malloc(((size_t)argc + 1) * sizeof *guest_argv);
  if (!guest_argv) { status = report("out of memory", NULL, NULL); goto done; }
  guest_argv[0] = options->argv0 ? options->argv0 : last_component(path);
  for (int i = 0; i < argc; i++) guest_argv[i + 1] = args[i];
  if (!wasi_config_set_argv(config, (size_t)argc + 1, guest_argv)) {
    fprintf(stderr, "swasm: cannot give the program its arguments (one is not valid UTF-8, or out of memory)\n");
    status = 1;
    goto done;
  }
  if ((status = configure_environment(config, options)) != 0) goto done;
  wasi_config_inherit_stdin(config);
  wasi_config_inherit_stdout(config);
  wasi_config_inherit_stderr(config);
  for (int i = 0; i < options->dir_count; i++) {
    const char *text = options->dirs[i], *separator = strstr(text, "::");
    char *host = separator ? strndup(text, (size_t)(separator - text)) : strdup(text);
    if (!host) { status = report("out of memory", NULL, NULL); goto done; }
    const char *guest = separator ? separator + 2 : host;
    if (!wasi_config_preopen_dir(config, host, guest, options->dir_mutable[i])) {
      struct stat info;
      const char *reason = stat(host, &info) != 0 ? strerror(errno)
                           : !S_ISDIR(info.st_mode) ? "not a directory"
                                                    : "cannot be opened, or a path is not valid UTF-8";
      fprintf(stderr, "swasm: failed to open directory '%s' (%s %s): %s\n", host,
              options->dir_mutable[i] ? "--dir" : "--dir-readonly", text, reason);
      status = 1;
    }
    free(host);
    if (status) goto done;
  }
  wasmtime_error_t *error = wasmtime_context_set_wasi(context, config);
  config = NULL; // taken over, even on failure
  if (error) status = report("WASI", error, NULL);
done:
  if (config) wasi_config_delete(config);
  free(guest_argv);
  return status;
}

static int run(int argc, char **argv) {
  const char *invoke = NULL;
  uint64_t fuel = 0;
  int metered = 0, unknown_as_traps = 0, unknown_as_defaults = 0;
  // The --preload, --dir and --env arguments in the order given, pointing into argv.
  const char **preloads = malloc((size_t)argc * sizeof *preloads);
  struct wasi_options wasi_options = {
    .dirs = malloc((size_t)argc * sizeof(const char *)),
    .dir_mutable = malloc((size_t)argc * sizeof(bool)),
    .envs = malloc((size_t)argc * sizeof(const char *)),
  };
  int status = 0;
  wasm_engine_t *engine = NULL;
  wasmtime_store_t *store = NULL;
  wasmtime_linker_t *linker = NULL;
  wasmtime_module_t *module = NULL;
  wasmtime_error_t *error = NULL;
  struct guest_profile profile = {0};
  if (!preloads || !wasi_options.dirs || !wasi_options.dir_mutable || !wasi_options.envs) {
    status = report("out of memory", NULL, NULL);
    goto done;
  }
  int preload_count = 0;
  int index = 0;
  while (index < argc && argv[index][0] == '-') {
    const char *option = argv[index], *value = index + 1 < argc ? argv[index + 1] : NULL;
    if (strcmp(option, "--inherit-env") == 0) { // the only option without a value
      wasi_options.inherit_env = 1;
      index++;
      continue;
    }
    if (strncmp(option, "--profile=", 10) == 0) { // wasmtime's spelling, the value attached
      if (!guest_profile_parse(&profile, option + 10)) { status = 2; goto done; }
      index++;
      continue;
    }
    if (strcmp(option, "--profile") == 0 && value) {
      if (!guest_profile_parse(&profile, value)) { status = 2; goto done; }
      index += 2;
      continue;
    }
    if (strcmp(option, "--invoke") == 0 && value) {
      invoke = value;
    } else if (strcmp(option, "--fuel") == 0 && value) {
      if (!cli_parse_unsigned(value, UINT64_MAX, &fuel)) {
        fprintf(stderr, "swasm: invalid value '%s' for --fuel: expected an unsigned integer from 0 to %" PRIu64 "\n",
                value, UINT64_MAX);
        status = 2;
        goto done;
      }
      metered = 1;
    } else if (strcmp(option, "--preload") == 0 && value) {
      if (!is_preload_argument(value)) {
        fprintf(stderr, "swasm: --preload expects NAME=PATH, got '%s'\n", value);
        status = usage();
        goto done;
      }
      preloads[preload_count++] = value;
    } else if (strcmp(option, "--unknown-imports") == 0 && value &&
               (strcmp(value, "trap") == 0 || strcmp(value, "default") == 0)) {
      unknown_as_traps = strcmp(value, "trap") == 0;
      unknown_as_defaults = !unknown_as_traps;
    } else if (strcmp(option, "-W") == 0 && value) {
      if (!parse_wasm_option(value, &unknown_as_traps, &unknown_as_defaults)) {
        fprintf(stderr, "swasm: unsupported -W %s (swasm knows unknown-imports-trap and unknown-imports-default)\n", value);
        status = usage();
        goto done;
      }
    } else if ((strcmp(option, "--dir") == 0 || strcmp(option, "--dir-readonly") == 0) && value) {
      if (!is_dir_argument(value)) {
        fprintf(stderr, "swasm: %s expects HOST or HOST::GUEST, got '%s'\n", option, value);
        status = usage();
        goto done;
      }
      wasi_options.dir_mutable[wasi_options.dir_count] = strcmp(option, "--dir") == 0;
      wasi_options.dirs[wasi_options.dir_count++] = value;
    } else if (strcmp(option, "--env") == 0 && value) {
      if (!is_env_argument(value)) {
        fprintf(stderr, "swasm: --env expects NAME=VALUE or NAME, got '%s'\n", value);
        status = usage();
        goto done;
      }
      wasi_options.envs[wasi_options.env_count++] = value;
    } else if (strcmp(option, "--argv0") == 0 && value) {
      wasi_options.argv0 = value;
    } else {
      status = usage();
      goto done;
    }
    index += 2; // every other option takes a value
  }
  if (index >= argc) { status = usage(); goto done; }
  const char *path = argv[index++];

  wasm_config_t *config = wasm_config_new();
  if (!config) { status = report("out of memory", NULL, NULL); goto done; }
  if (metered) wasmtime_config_consume_fuel_set(config, true);
  if (profile.enabled) wasmtime_config_epoch_interruption_set(config, true);
  wasmtime_config_shared_memory_set(config, true); // modules with shared memories run
  engine = wasm_engine_new_with_config(config);
  if (!engine) { status = report("cannot create the engine", NULL, NULL); goto done; }
  module = load_module(engine, path, NULL, &status);
  if (!module) goto done;
  // A WASI command: ARGS are the program's arguments (and, with --invoke, the function's too).
  int wasi = imports_wasi(module);
  store = wasmtime_store_new(engine, NULL, NULL);
  linker = wasmtime_linker_new(engine);
  if (!store || !linker) { status = report("out of memory", NULL, NULL); goto done; }
  wasmtime_context_t *context = wasmtime_store_context(store);
  if (profile.enabled && (status = guest_profile_start(&profile, engine, store, module, path)) != 0) goto done;
  // Preloads share the store, and so the fuel, with the main module.
  if (metered && (error = wasmtime_context_set_fuel(context, fuel))) { status = report("fuel", error, NULL); goto done; }
  // WASI is defined before the preloads, so that they can import it too (as in wasmtime).
  if (wasi) {
    if ((status = configure_wasi(context, &wasi_options, path, argc - index, argv + index)) != 0) goto done;
    if ((error = wasmtime_linker_define_wasi(linker))) { status = report("WASI", error, NULL); goto done; }
  }
  for (int i = 0; i < preload_count; i++)
    if ((status = preload(engine, linker, context, preloads[i], wasi)) != 0) goto done;
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
  if (error || trap) {
    status = wasi ? report_command("instantiation", error, trap) : report("instantiation", error, trap);
    goto done;
  }

  wasmtime_extern_t item;
  int found = 0, invoked = invoke != NULL;
  if (wasi) {
    // As wasmtime: a reactor's _initialize runs first, then --invoke NAME, else the export named
    // "" or _start; a module with neither has nothing more to run.
    if (wasmtime_instance_export_get(context, &instance, "_initialize", strlen("_initialize"), &item) &&
        item.kind == WASMTIME_EXTERN_FUNC) {
      error = wasmtime_func_call(context, &item.of.func, NULL, 0, NULL, 0, &trap);
      if (error || trap) { status = report_command("_initialize", error, trap); goto done; }
    }
    if (invoke) {
      found = wasmtime_instance_export_get(context, &instance, invoke, strlen(invoke), &item);
    } else {
      const char *defaults[] = {"", "_start"};
      for (int i = 0; i < 2 && !found; i++) {
        found = wasmtime_instance_export_get(context, &instance, defaults[i], strlen(defaults[i]), &item) &&
                item.kind == WASMTIME_EXTERN_FUNC;
        if (found) invoke = defaults[i][0] ? defaults[i] : "command default";
      }
      if (!found) goto done;
    }
  } else if (invoke) {
    // Without WASI: --invoke, else _start, else run.
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
  // The function's arguments: ARGS, except for a WASI command's default function (ARGS are then
  // the program's alone).
  int argument_count = wasi && !invoked ? 0 : argc - index;
  wasm_functype_t *type = wasmtime_func_type(context, &item.of.func);
  if (!type) { status = report("out of memory", NULL, NULL); goto done; }
  const wasm_valtype_vec_t *params = wasm_functype_params(type);
  size_t param_count = params->size;
  size_t result_count = wasm_functype_results(type)->size;
  if ((size_t)argument_count != params->size) {
    fprintf(stderr, "swasm: %s expects %zu argument(s), got %d\n", invoke, params->size, argument_count);
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
  if (error || trap) {
    status = wasi ? report_command(invoke, error, trap) : report(invoke, error, trap);
    goto done;
  }
  for (size_t i = 0; i < result_count; i++) print_value(&results[i]);
done:;
  // The profile is written whatever the run's outcome (the thread stops before the engine goes).
  int profile_status = guest_profile_finish(&profile);
  if (status == 0) status = profile_status;
  if (linker) wasmtime_linker_delete(linker);
  if (store) wasmtime_store_delete(store);
  if (module) wasmtime_module_delete(module);
  if (engine) wasm_engine_delete(engine);
  free(preloads);
  free(wasi_options.dirs);
  free(wasi_options.dir_mutable);
  free(wasi_options.envs);
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
