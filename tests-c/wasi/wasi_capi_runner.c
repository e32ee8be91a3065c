// Runs a WASI preview 1 program through the C API alone, for the WASI test suite
// (run_testsuite.py --runtime capi|wasmtime). The same source is linked against libswasm.so
// (ctest wasi_testsuite_capi) and against wasmtime 50.0.1's C library from its PyPI wheel (ctest
// wasi_testsuite_wasmtime, the reference), so everything it does is wasmtime's C API.
//
//   wasi_capi_runner [OPTIONS] FILE.wasm [ARGS...]
//
// The program's argv is ARGV0 ARGS... (ARGV0: --argv0, else the last component of FILE, as
// `wasmtime run` gives it). Options (each may be repeated where that makes sense):
//
//   --env NAME=VALUE         an environment variable (wasi_config_set_env, once, with all of them)
//   --inherit-env            the runner's environment (wasi_config_inherit_env; not with --env)
//   --dir HOST::GUEST        preopen HOST as GUEST, mutable   (wasi_config_preopen_dir(..., true))
//   --dir-readonly HOST::GUEST  the same, read-only          (wasi_config_preopen_dir(..., false))
//   --stdin-file PATH        stdin reads the file            (wasi_config_set_stdin_file)
//   --stdin-bytes PATH       stdin reads the file's bytes, read by the runner first
//                            (wasi_config_set_stdin_bytes)
//   --inherit-stdin          the runner's stdin              (default: empty stdin)
//   --stdout-file PATH       stdout goes to the file         (wasi_config_set_stdout_file)
//   --stdout-custom PATH     stdout goes to a callback       (wasi_config_set_stdout_custom) that
//                            collects it; the runner writes it to PATH after deleting the store,
//                            and checks that the finalizer ran exactly once by then
//   --inherit-stdout         the runner's stdout             (default: discarded)
//   --stderr-file, --stderr-custom, --inherit-stderr   likewise for stderr
//   --fuel N                 an engine that consumes fuel, N units in the store
//   --invoke NAME            call export NAME (no arguments) instead of the default function
//   --instantiate            wasmtime_linker_instantiate, `_initialize` if exported, then `_start`
//                            (or --invoke NAME) of that instance; by default the module is defined
//                            with wasmtime_linker_module and run with wasmtime_linker_get_default
//                            (or wasmtime_linker_get for --invoke)
//   --no-fd-check            skip the descriptor-leak check
//
// Exit status, as `swasm run` and `wasmtime run` give it: the program's `proc_exit` status when the
// call fails with an error that wasmtime_error_exit_status() gives a status for; 0 after a normal
// return; 134 after a trap, 1 after any other error (both printed to the runner's stderr as
// "wasi_capi_runner: WHAT: MESSAGE"). The runner's own failures (bad options, files it cannot
// read or write, a finalizer that did not run exactly once, descriptors left open) exit with 125
// after a message starting with "wasi_capi_runner: runner error:".
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>

#include <wasi.h>
#include <wasmtime.h>

#define RUNNER_ERROR 125

static void fail(const char *format, ...) {
  va_list arguments;
  va_start(arguments, format);
  fputs("wasi_capi_runner: runner error: ", stderr);
  vfprintf(stderr, format, arguments);
  fputc('\n', stderr);
  va_end(arguments);
  exit(RUNNER_ERROR);
}

static int usage(void) {
  fprintf(stderr,
          "usage: wasi_capi_runner [--env NAME=VALUE]... [--inherit-env] [--dir HOST::GUEST]... [--dir-readonly HOST::GUEST]...\n"
          "                        [--stdin-file PATH | --stdin-bytes PATH | --inherit-stdin]\n"
          "                        [--stdout-file PATH | --stdout-custom PATH | --inherit-stdout]\n"
          "                        [--stderr-file PATH | --stderr-custom PATH | --inherit-stderr]\n"
          "                        [--fuel N] [--invoke NAME] [--instantiate] [--no-fd-check] [--argv0 NAME]\n"
          "                        FILE.wasm [ARGS...]\n");
  return RUNNER_ERROR;
}

// ---- captured output -------------------------------------------------------------------------

// What a custom stdout or stderr callback collected, and how often its finalizer ran.
struct capture {
  const char *path; // where to write it at the end
  unsigned char *data;
  size_t size, capacity;
  int registered, calls;
  atomic_int finalized; // the finalizer may run on another thread (wasmtime's does, see capture_save)
};

static ptrdiff_t capture_write(void *data, const unsigned char *bytes, size_t length) {
  struct capture *capture = data;
  capture->calls++;
  if (atomic_load(&capture->finalized)) return -EBADF; // must not happen: written after its finalizer
  if (capture->size + length > capture->capacity) {
    size_t capacity = capture->capacity ? capture->capacity : 4096;
    while (capacity < capture->size + length) capacity *= 2;
    unsigned char *grown = realloc(capture->data, capacity);
    if (!grown) return -ENOMEM;
    capture->data = grown;
    capture->capacity = capacity;
  }
  if (length) memcpy(capture->data + capture->size, bytes, length);
  capture->size += length;
  return (ptrdiff_t)length;
}

static void capture_finalize(void *data) { atomic_fetch_add(&((struct capture *)data)->finalized, 1); }

static void capture_save(struct capture *capture, const char *stream) {
  if (!capture->path) return;
  // wasmtime's library drops the stream, and so runs the finalizer, on a thread of its own event
  // loop, sometimes only after wasmtime_store_delete has returned: wait for it (5 s at most).
  for (int i = 0; capture->registered && i < 5000 && atomic_load(&capture->finalized) == 0; i++) usleep(1000);
  int finalized = atomic_load(&capture->finalized);
  if (capture->registered && finalized != 1)
    fail("the %s callback's finalizer ran %d time(s) after the store was deleted (expected once)", stream, finalized);
  FILE *file = fopen(capture->path, "wb");
  if (!file || fwrite(capture->data, 1, capture->size, file) != capture->size || fclose(file) != 0)
    fail("cannot write %s: %s", capture->path, strerror(errno));
  free(capture->data);
}

// ---- helpers -----------------------------------------------------------------------------------

static void read_whole_file(const char *path, wasm_byte_vec_t *out) {
  FILE *file = fopen(path, "rb");
  if (!file) fail("cannot open %s: %s", path, strerror(errno));
  if (fseek(file, 0, SEEK_END) != 0) fail("cannot seek in %s", path);
  long size = ftell(file);
  if (size < 0 || fseek(file, 0, SEEK_SET) != 0) fail("cannot seek in %s", path);
  wasm_byte_vec_new_uninitialized(out, (size_t)size);
  if (size > 0 && (!out->data || fread(out->data, 1, (size_t)size, file) != (size_t)size)) fail("cannot read %s", path);
  fclose(file);
}

// Open descriptors of this process, except the directory's own and anonymous inodes (wasmtime's
// library keeps a process-wide event loop, an epoll and an eventfd descriptor, from its first WASI
// store on; what could leak from a run, files, directories, pipes and sockets, has a path or a
// type of its own).
static int count_descriptors(void) {
  DIR *directory = opendir("/proc/self/fd");
  if (!directory) return -1;
  int count = 0, own = dirfd(directory);
  struct dirent *entry;
  while ((entry = readdir(directory))) {
    if (entry->d_name[0] == '.' || atoi(entry->d_name) == own) continue;
    char target[256];
    ssize_t length = readlinkat(own, entry->d_name, target, sizeof target - 1);
    if (length >= 0) {
      target[length] = '\0';
      if (strncmp(target, "anon_inode:", strlen("anon_inode:")) == 0) continue;
    }
    count++;
  }
  closedir(directory);
  return count;
}

// Prints a failure of running the program and gives its exit status (see the top of the file).
static int outcome(const char *what, wasmtime_error_t *error, wasm_trap_t *trap) {
  int status;
  if (error && wasmtime_error_exit_status(error, &status)) {
    wasmtime_error_delete(error);
    return status;
  }
  wasm_name_t message = {0, NULL};
  if (error) wasmtime_error_message(error, &message);
  else wasm_trap_message(trap, &message);
  size_t length = message.size;
  if (trap && length > 0 && message.data[length - 1] == '\0') length--;
  fprintf(stderr, "wasi_capi_runner: %s: %.*s\n", what, (int)length, message.data ? message.data : "");
  wasm_byte_vec_delete(&message);
  if (error) wasmtime_error_delete(error);
  if (trap) wasm_trap_delete(trap);
  return error ? 1 : 134;
}

// Splits HOST::GUEST (at the first "::") into a copy of HOST and a pointer to GUEST.
static char *split_dir(const char *text, const char **guest) {
  const char *separator = strstr(text, "::");
  if (!separator || separator == text || separator[2] == '\0') fail("--dir expects HOST::GUEST, got '%s'", text);
  *guest = separator + 2;
  char *host = strndup(text, (size_t)(separator - text));
  if (!host) fail("out of memory");
  return host;
}

// ---- running -----------------------------------------------------------------------------------

// Runs the program; `config` is taken over. Returns the exit status.
static int run_program(wasm_engine_t *engine, wasmtime_module_t *module, wasi_config_t *config, bool metered,
                       uint64_t fuel, const char *invoke, bool instantiate) {
  wasmtime_store_t *store = wasmtime_store_new(engine, NULL, NULL);
  wasmtime_linker_t *linker = wasmtime_linker_new(engine);
  if (!store || !linker) fail("cannot create a store or a linker");
  wasmtime_context_t *context = wasmtime_store_context(store);
  wasm_trap_t *trap = NULL;
  wasmtime_error_t *error = wasmtime_context_set_wasi(context, config);
  int status = 0;
  if (error) { status = outcome("wasmtime_context_set_wasi", error, NULL); goto done; }
  if (metered && (error = wasmtime_context_set_fuel(context, fuel))) { status = outcome("fuel", error, NULL); goto done; }
  if ((error = wasmtime_linker_define_wasi(linker))) { status = outcome("wasmtime_linker_define_wasi", error, NULL); goto done; }
  wasmtime_func_t function;
  const char *label = invoke ? invoke : "_start";
  if (instantiate) {
    wasmtime_instance_t instance;
    error = wasmtime_linker_instantiate(linker, context, module, &instance, &trap);
    if (error || trap) { status = outcome("instantiation", error, trap); goto done; }
    wasmtime_extern_t item;
    if (wasmtime_instance_export_get(context, &instance, "_initialize", strlen("_initialize"), &item) &&
        item.kind == WASMTIME_EXTERN_FUNC) {
      error = wasmtime_func_call(context, &item.of.func, NULL, 0, NULL, 0, &trap);
      if (error || trap) { status = outcome("_initialize", error, trap); goto done; }
    }
    if (!wasmtime_instance_export_get(context, &instance, label, strlen(label), &item) ||
        item.kind != WASMTIME_EXTERN_FUNC) {
      fprintf(stderr, "wasi_capi_runner: no exported function %s\n", label);
      status = 1;
      goto done;
    }
    function = item.of.func;
  } else {
    if ((error = wasmtime_linker_module(linker, context, "", 0, module))) {
      status = outcome("wasmtime_linker_module", error, NULL);
      goto done;
    }
    if (invoke) {
      wasmtime_extern_t item;
      if (!wasmtime_linker_get(linker, context, "", 0, invoke, strlen(invoke), &item) ||
          item.kind != WASMTIME_EXTERN_FUNC) {
        fprintf(stderr, "wasi_capi_runner: no exported function %s\n", invoke);
        status = 1;
        goto done;
      }
      function = item.of.func;
    } else if ((error = wasmtime_linker_get_default(linker, context, "", 0, &function))) {
      status = outcome("wasmtime_linker_get_default", error, NULL);
      goto done;
    }
  }
  error = wasmtime_func_call(context, &function, NULL, 0, NULL, 0, &trap);
  if (error || trap) status = outcome(label, error, trap);
done:
  wasmtime_linker_delete(linker);
  wasmtime_store_delete(store);
  return status;
}

int main(int argc, char **argv) {
  const char **names = calloc((size_t)argc, sizeof *names), **values = calloc((size_t)argc, sizeof *values);
  const char **dirs = calloc((size_t)argc, sizeof *dirs);
  bool *dir_mutable = calloc((size_t)argc, sizeof *dir_mutable);
  if (!names || !values || !dirs || !dir_mutable) fail("out of memory");
  size_t env_count = 0, dir_count = 0;
  bool inherit_env = false, metered = false, instantiate = false, fd_check = true;
  const char *stdin_file = NULL, *stdin_bytes = NULL, *stdout_file = NULL, *stderr_file = NULL, *invoke = NULL,
             *argv0 = NULL;
  bool inherit_stdin = false, inherit_stdout = false, inherit_stderr = false;
  struct capture out = {0}, err = {0};
  uint64_t fuel = 0;
  int index = 1;
  for (; index < argc && argv[index][0] == '-'; index++) {
    const char *option = argv[index], *value = index + 1 < argc ? argv[index + 1] : NULL;
    if (strcmp(option, "--inherit-env") == 0) { inherit_env = true; continue; }
    if (strcmp(option, "--inherit-stdin") == 0) { inherit_stdin = true; continue; }
    if (strcmp(option, "--inherit-stdout") == 0) { inherit_stdout = true; continue; }
    if (strcmp(option, "--inherit-stderr") == 0) { inherit_stderr = true; continue; }
    if (strcmp(option, "--instantiate") == 0) { instantiate = true; continue; }
    if (strcmp(option, "--no-fd-check") == 0) { fd_check = false; continue; }
    if (!value) return usage();
    index++;
    if (strcmp(option, "--env") == 0) {
      const char *equals = strchr(value, '=');
      if (!equals || equals == value) fail("--env expects NAME=VALUE, got '%s'", value);
      names[env_count] = strndup(value, (size_t)(equals - value));
      values[env_count++] = equals + 1;
    } else if (strcmp(option, "--dir") == 0 || strcmp(option, "--dir-readonly") == 0) {
      dir_mutable[dir_count] = strcmp(option, "--dir") == 0;
      dirs[dir_count++] = value;
    } else if (strcmp(option, "--stdin-file") == 0) stdin_file = value;
    else if (strcmp(option, "--stdin-bytes") == 0) stdin_bytes = value;
    else if (strcmp(option, "--stdout-file") == 0) stdout_file = value;
    else if (strcmp(option, "--stdout-custom") == 0) out.path = value;
    else if (strcmp(option, "--stderr-file") == 0) stderr_file = value;
    else if (strcmp(option, "--stderr-custom") == 0) err.path = value;
    else if (strcmp(option, "--invoke") == 0) invoke = value;
    else if (strcmp(option, "--argv0") == 0) argv0 = value;
    else if (strcmp(option, "--fuel") == 0) {
      char *end;
      errno = 0;
      fuel = strtoull(value, &end, 10);
      if (errno || *end || value[0] == '-' || value[0] == '\0') fail("invalid --fuel %s", value);
      metered = true;
    } else return usage();
  }
  if (index >= argc) return usage();
  if (inherit_env && env_count) fail("--inherit-env and --env exclude each other");
  if ((stdin_file != NULL) + (stdin_bytes != NULL) + inherit_stdin > 1) fail("more than one stdin");
  if ((stdout_file != NULL) + (out.path != NULL) + inherit_stdout > 1) fail("more than one stdout");
  if ((stderr_file != NULL) + (err.path != NULL) + inherit_stderr > 1) fail("more than one stderr");
  const char *path = argv[index];

  int descriptors_before = count_descriptors();
  int status;
  {
    wasm_config_t *engine_config = wasm_config_new();
    if (!engine_config) fail("out of memory");
    if (metered) wasmtime_config_consume_fuel_set(engine_config, true);
    wasm_engine_t *engine = wasm_engine_new_with_config(engine_config);
    if (!engine) fail("cannot create the engine");
    wasm_byte_vec_t bytes;
    read_whole_file(path, &bytes);
    wasmtime_module_t *module = NULL;
    wasmtime_error_t *error = wasmtime_module_new(engine, (const uint8_t *)bytes.data, bytes.size, &module);
    wasm_byte_vec_delete(&bytes);
    if (error) {
      status = outcome("compilation", error, NULL);
      wasm_engine_delete(engine);
      goto finish;
    }

    wasi_config_t *config = wasi_config_new();
    if (!config) fail("wasi_config_new failed");
    const char **guest_argv = calloc((size_t)(argc - index) + 1, sizeof *guest_argv);
    if (!guest_argv) fail("out of memory");
    const char *slash = strrchr(path, '/');
    guest_argv[0] = argv0 ? argv0 : slash && slash[1] ? slash + 1 : path;
    for (int i = index + 1; i < argc; i++) guest_argv[i - index] = argv[i];
    if (!wasi_config_set_argv(config, (size_t)(argc - index), guest_argv)) fail("wasi_config_set_argv failed");
    free(guest_argv);
    if (inherit_env) wasi_config_inherit_env(config);
    else if (!wasi_config_set_env(config, env_count, names, values)) fail("wasi_config_set_env failed");
    if (stdin_file && !wasi_config_set_stdin_file(config, stdin_file)) fail("wasi_config_set_stdin_file(%s) failed", stdin_file);
    if (stdin_bytes) {
      wasm_byte_vec_t input;
      read_whole_file(stdin_bytes, &input);
      wasi_config_set_stdin_bytes(config, &input);
      wasm_byte_vec_delete(&input); // taken over: left empty
    }
    if (inherit_stdin) wasi_config_inherit_stdin(config);
    if (stdout_file && !wasi_config_set_stdout_file(config, stdout_file)) fail("wasi_config_set_stdout_file(%s) failed", stdout_file);
    if (out.path) {
      wasi_config_set_stdout_custom(config, capture_write, &out, capture_finalize);
      out.registered = 1;
    }
    if (inherit_stdout) wasi_config_inherit_stdout(config);
    if (stderr_file && !wasi_config_set_stderr_file(config, stderr_file)) fail("wasi_config_set_stderr_file(%s) failed", stderr_file);
    if (err.path) {
      wasi_config_set_stderr_custom(config, capture_write, &err, capture_finalize);
      err.registered = 1;
    }
    if (inherit_stderr) wasi_config_inherit_stderr(config);
    for (size_t i = 0; i < dir_count; i++) {
      const char *guest;
      char *host = split_dir(dirs[i], &guest);
      if (!wasi_config_preopen_dir(config, host, guest, dir_mutable[i]))
        fail("wasi_config_preopen_dir(%s, %s, %s) failed", host, guest, dir_mutable[i] ? "mutable" : "read-only");
      free(host);
    }

    status = run_program(engine, module, config, metered, fuel, invoke, instantiate);
    wasmtime_module_delete(module);
    wasm_engine_delete(engine);
  }
finish:
  capture_save(&out, "stdout");
  capture_save(&err, "stderr");
  for (size_t i = 0; i < env_count; i++) free((char *)names[i]);
  free(names);
  free(values);
  free(dirs);
  free(dir_mutable);
  if (fd_check) {
    int descriptors_after = count_descriptors();
    if (descriptors_before >= 0 && descriptors_after != descriptors_before)
      fail("%d descriptor(s) open before the engine was made, %d after everything was deleted", descriptors_before,
           descriptors_after);
  }
  fflush(stdout);
  return status;
}
