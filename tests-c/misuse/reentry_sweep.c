// Re-entry and thread-stack sweep: host <-> Wasm recursion without bound.
//
// A host function `reenter(n)` calls the Wasm export `enter(n + 1)`, which recurses inside Wasm
// `wasm_depth` times and then calls `reenter` again, and so on, with no base case. Every
// configuration (thread stack size x max_wasm_stack x Wasm-only depth per level) runs in a forked
// child, on a pthread with that stack size (or on the main thread). Expected, whatever the
// configuration: the outermost wasmtime_func_call ends with a trap whose code is
// WASMTIME_TRAP_CODE_STACK_OVERFLOW, propagated up through every level (a host function that gets
// a trap from its nested call returns that trap), never with a signal; the store is still usable
// afterwards (a simple call works, and the whole recursion can be run again with the same
// outcome).
//
// Usage: reentry_sweep [--lib PATH] [--quick] [FILTER...]
//   --lib PATH  load the C API from PATH with dlopen instead of the library linked in (for
//               example wasmtime's `wasmtime/linux-x86_64/_libwasmtime.so` from the PyPI wheel),
//               to compare with wasmtime through the same program;
//   --quick     fewer configurations;
//   FILTER      run only configurations whose name contains one of the strings.
// Exit status: 0 if every configuration passed, 1 otherwise.
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#include <wasmtime.h>

// The functions used, called through this table so that `--lib` can swap the implementation.
static struct api {
  wasm_config_t *(*config_new)(void);
  void (*config_max_wasm_stack_set)(wasm_config_t *, size_t);
  // Optional (not in swasm): wasmtime refuses (panics on) a max_wasm_stack above its async stack
  // size (2 MiB by default), so with wasmtime's library the async stack is raised to match.
  void (*config_async_stack_size_set)(wasm_config_t *, size_t);
  wasm_engine_t *(*engine_new_with_config)(wasm_config_t *);
  void (*engine_delete)(wasm_engine_t *);
  wasmtime_store_t *(*store_new)(wasm_engine_t *, void *, void (*)(void *));
  wasmtime_context_t *(*store_context)(wasmtime_store_t *);
  void (*store_delete)(wasmtime_store_t *);
  wasmtime_error_t *(*wat2wasm)(const char *, size_t, wasm_byte_vec_t *);
  void (*byte_vec_delete)(wasm_byte_vec_t *);
  wasmtime_error_t *(*module_new)(wasm_engine_t *, const uint8_t *, size_t, wasmtime_module_t **);
  void (*module_delete)(wasmtime_module_t *);
  wasm_valtype_t *(*valtype_new)(wasm_valkind_t);
  void (*valtype_vec_new)(wasm_valtype_vec_t *, size_t, wasm_valtype_t *const[]);
  wasm_functype_t *(*functype_new)(wasm_valtype_vec_t *, wasm_valtype_vec_t *);
  void (*functype_delete)(wasm_functype_t *);
  void (*func_new)(wasmtime_context_t *, const wasm_functype_t *, wasmtime_func_callback_t, void *, void (*)(void *),
                   wasmtime_func_t *);
  wasmtime_error_t *(*instance_new)(wasmtime_context_t *, const wasmtime_module_t *, const wasmtime_extern_t *, size_t,
                                    wasmtime_instance_t *, wasm_trap_t **);
  bool (*instance_export_get)(wasmtime_context_t *, const wasmtime_instance_t *, const char *, size_t,
                              wasmtime_extern_t *);
  wasmtime_error_t *(*func_call)(wasmtime_context_t *, const wasmtime_func_t *, const wasmtime_val_t *, size_t,
                                 wasmtime_val_t *, size_t, wasm_trap_t **);
  wasmtime_context_t *(*caller_context)(wasmtime_caller_t *);
  wasmtime_error_t *(*global_set)(wasmtime_context_t *, const wasmtime_global_t *, const wasmtime_val_t *);
  bool (*trap_code)(const wasm_trap_t *, wasmtime_trap_code_t *);
  void (*trap_message)(const wasm_trap_t *, wasm_message_t *);
  void (*trap_delete)(wasm_trap_t *);
  wasm_trap_t *(*trap_new)(const char *, size_t);
  void (*error_message)(const wasmtime_error_t *, wasm_name_t *);
  void (*error_delete)(wasmtime_error_t *);
} A;

static const char *library_name = "the linked library";

#define BIND_DIRECT(field, symbol) A.field = symbol
#define BIND_ALL(BIND)                                                  \
  BIND(config_new, wasm_config_new);                                    \
  BIND(config_max_wasm_stack_set, wasmtime_config_max_wasm_stack_set);  \
  BIND(engine_new_with_config, wasm_engine_new_with_config);            \
  BIND(engine_delete, wasm_engine_delete);                              \
  BIND(store_new, wasmtime_store_new);                                  \
  BIND(store_context, wasmtime_store_context);                          \
  BIND(store_delete, wasmtime_store_delete);                            \
  BIND(wat2wasm, wasmtime_wat2wasm);                                    \
  BIND(byte_vec_delete, wasm_byte_vec_delete);                          \
  BIND(module_new, wasmtime_module_new);                                \
  BIND(module_delete, wasmtime_module_delete);                          \
  BIND(valtype_new, wasm_valtype_new);                                  \
  BIND(valtype_vec_new, wasm_valtype_vec_new);                          \
  BIND(functype_new, wasm_functype_new);                                \
  BIND(functype_delete, wasm_functype_delete);                          \
  BIND(func_new, wasmtime_func_new);                                    \
  BIND(instance_new, wasmtime_instance_new);                            \
  BIND(instance_export_get, wasmtime_instance_export_get);              \
  BIND(func_call, wasmtime_func_call);                                  \
  BIND(caller_context, wasmtime_caller_context);                        \
  BIND(global_set, wasmtime_global_set);                                \
  BIND(trap_code, wasmtime_trap_code);                                  \
  BIND(trap_message, wasm_trap_message);                                \
  BIND(trap_delete, wasm_trap_delete);                                  \
  BIND(trap_new, wasmtime_trap_new);                                    \
  BIND(error_message, wasmtime_error_message);                          \
  BIND(error_delete, wasmtime_error_delete)

static void bind_direct(void) { BIND_ALL(BIND_DIRECT); }

static void *dl_handle;
static int dl_missing;
static void *dl_lookup(const char *symbol) {
  void *p = dlsym(dl_handle, symbol);
  if (!p) {
    fprintf(stderr, "%s lacks %s\n", library_name, symbol);
    dl_missing++;
  }
  return p;
}
#define BIND_DL(field, symbol) *(void **)&A.field = dl_lookup(#symbol)

static int bind_library(const char *path) {
  // RTLD_DEEPBIND: the loaded library resolves its own exported names to itself, not to the
  // identically named functions of the libswasm.so this program is linked against.
  dl_handle = dlopen(path, RTLD_NOW | RTLD_LOCAL | RTLD_DEEPBIND);
  if (!dl_handle) {
    fprintf(stderr, "dlopen %s: %s\n", path, dlerror());
    return 0;
  }
  library_name = path;
  BIND_ALL(BIND_DL);
  *(void **)&A.config_async_stack_size_set = dlsym(dl_handle, "wasmtime_config_async_stack_size_set");
  return dl_missing == 0;
}

// enter(n): recurse `wasm_depth` times in Wasm, then call the host with n. `simple` checks that
// the store still works afterwards.
static const char module_text[] =
    "(module\n"
    "  (import \"host\" \"reenter\" (func $reenter (param i32) (result i32)))\n"
    "  (global $wasm_depth (export \"wasm_depth\") (mut i32) (i32.const 0))\n"
    "  (func $down (param $n i32) (param $k i32) (result i32)\n"
    "    (if (result i32) (i32.eqz (local.get $k))\n"
    "      (then (call $reenter (local.get $n)))\n"
    "      (else (i32.add (i32.const 1)\n"
    "              (call $down (local.get $n) (i32.sub (local.get $k) (i32.const 1)))))))\n"
    "  (func (export \"enter\") (param $n i32) (result i32)\n"
    "    (call $down (local.get $n) (global.get $wasm_depth)))\n"
    "  (func (export \"simple\") (result i32) (i32.const 42)))\n";

// Beyond this many host levels the sweep gives up (an implementation that neither traps nor
// crashes would otherwise run until memory is exhausted).
enum { DEPTH_CAP = 5000000 };

struct run_state {
  wasmtime_func_t enter;
  long depth;     // host levels entered in the current run
  long max_depth; // deepest level
  long nested_errors;
  long nested_traps;
  long other_codes;
};

static struct run_state state;

// The deepest level reached, in memory shared with the parent, so that a crash report can say
// how far the child got.
static volatile long *shared_depth;

static wasm_trap_t *reenter(void *env, wasmtime_caller_t *caller, const wasmtime_val_t *args, size_t nargs,
                            wasmtime_val_t *results, size_t nresults) {
  (void)env;
  (void)nargs;
  (void)nresults;
  long level = (long)args[0].of.i32 + 1;
  if (level > state.max_depth) state.max_depth = level;
  if (shared_depth && level > *shared_depth) *shared_depth = level;
  if (level > DEPTH_CAP) {
    static const char message[] = "reentry_sweep: depth cap reached without a stack overflow";
    return A.trap_new(message, sizeof message - 1);
  }
  wasmtime_context_t *context = A.caller_context(caller);
  wasmtime_val_t argument = {.kind = WASMTIME_I32, .of.i32 = (int32_t)level};
  wasmtime_val_t result = {.kind = WASMTIME_I32, .of.i32 = 0};
  wasm_trap_t *trap = NULL;
  wasmtime_error_t *error = A.func_call(context, &state.enter, &argument, 1, &result, 1, &trap);
  if (error) {
    // Not expected: a nested call that fails should trap. Pass the message up as an error.
    state.nested_errors++;
    wasm_name_t message;
    A.error_message(error, &message);
    wasm_trap_t *converted = A.trap_new(message.data, message.size);
    A.byte_vec_delete(&message);
    A.error_delete(error);
    return converted;
  }
  if (trap) {
    state.nested_traps++;
    wasmtime_trap_code_t code;
    if (!A.trap_code(trap, &code) || code != WASMTIME_TRAP_CODE_STACK_OVERFLOW) state.other_codes++;
    return trap; // propagate
  }
  results[0] = result;
  return NULL;
}

struct config {
  const char *thread_name; // "main" or the stack size in text
  size_t thread_stack;     // 0: the main thread
  size_t max_wasm_stack;   // 0: the library's default
  int wasm_depth;
};

struct thread_job {
  const struct config *config;
  wasmtime_context_t *context;
  wasmtime_instance_t instance;
  int failures;
};

static int check(struct thread_job *job, int condition, const char *what) {
  if (!condition) {
    printf("    FAIL: %s\n", what);
    job->failures++;
  }
  return condition;
}

static wasmtime_func_t export_func(struct thread_job *job, const char *name) {
  wasmtime_extern_t item;
  wasmtime_func_t none = {0, NULL};
  if (!A.instance_export_get(job->context, &job->instance, name, strlen(name), &item) ||
      item.kind != WASMTIME_EXTERN_FUNC) {
    check(job, 0, "export missing");
    return none;
  }
  return item.of.func;
}

// One unbounded recursion; checks the outcome. Returns the depth reached.
static long run_recursion(struct thread_job *job, int round) {
  memset(&state, 0, sizeof state);
  state.enter = export_func(job, "enter");
  wasmtime_val_t argument = {.kind = WASMTIME_I32, .of.i32 = 0};
  wasmtime_val_t result = {.kind = WASMTIME_I32, .of.i32 = -1};
  wasm_trap_t *trap = NULL;
  wasmtime_error_t *error = A.func_call(job->context, &state.enter, &argument, 1, &result, 1, &trap);
  printf("    round %d: %ld host levels, %ld nested traps (%ld with another code), %ld nested errors: ", round,
         state.max_depth, state.nested_traps, state.other_codes, state.nested_errors);
  if (error) {
    wasm_name_t message;
    A.error_message(error, &message);
    printf("error \"%.*s\"\n", (int)message.size, message.data);
    A.byte_vec_delete(&message);
    A.error_delete(error);
    check(job, 0, "the outermost call returned an error, not a stack-overflow trap");
  } else if (trap) {
    wasmtime_trap_code_t code = 255;
    bool has_code = A.trap_code(trap, &code);
    wasm_message_t message;
    A.trap_message(trap, &message);
    // The first line only, and the cause when the message ends with one (wasmtime's format:
    // "error while executing at wasm backtrace:\n...\nCaused by:\n    wasm trap: ...").
    int length = 0;
    while ((size_t)length + 1 < message.size && message.data[length] != '\n') length++;
    const char *cause = NULL;
    for (size_t i = 0; i + 10 <= message.size; i++)
      if (memcmp(message.data + i, "Caused by:", 10) == 0) cause = message.data + i + 10;
    int cause_length = 0;
    if (cause) {
      while (cause < message.data + message.size && (*cause == '\n' || *cause == ' ')) cause++;
      while (cause + cause_length < message.data + message.size && cause[cause_length] != '\n' &&
             cause[cause_length] != '\0')
        cause_length++;
    }
    printf("trap code %d \"%.*s%s%.*s\"\n", has_code ? code : -1, length, message.data, cause ? " ... " : "",
           cause_length, cause ? cause : "");
    A.byte_vec_delete(&message);
    A.trap_delete(trap);
    check(job, has_code && code == WASMTIME_TRAP_CODE_STACK_OVERFLOW, "trap code is not WASMTIME_TRAP_CODE_STACK_OVERFLOW");
  } else {
    printf("returned %d\n", result.of.i32);
    check(job, 0, "the unbounded recursion returned normally");
  }
  check(job, state.nested_errors == 0, "a nested call returned an error instead of a trap");
  check(job, state.other_codes == 0, "a nested call trapped with another code");
  fflush(stdout);
  return state.max_depth;
}

static void *run_job(void *argument) {
  struct thread_job *job = argument;
  wasmtime_val_t depth = {.kind = WASMTIME_I32, .of.i32 = job->config->wasm_depth};
  wasmtime_extern_t global;
  if (!check(job, A.instance_export_get(job->context, &job->instance, "wasm_depth", 10, &global) &&
                      global.kind == WASMTIME_EXTERN_GLOBAL,
             "no wasm_depth global"))
    return NULL;
  wasmtime_error_t *error = A.global_set(job->context, &global.of.global, &depth);
  if (error) {
    A.error_delete(error);
    check(job, 0, "setting wasm_depth failed");
    return NULL;
  }
  long first = run_recursion(job, 1);
  // The store must still be usable: a simple call, then the same recursion again.
  wasmtime_func_t simple = export_func(job, "simple");
  wasmtime_val_t result = {.kind = WASMTIME_I32, .of.i32 = 0};
  wasm_trap_t *trap = NULL;
  error = A.func_call(job->context, &simple, NULL, 0, &result, 1, &trap);
  if (error) A.error_delete(error);
  if (trap) A.trap_delete(trap);
  check(job, !error && !trap && result.kind == WASMTIME_I32 && result.of.i32 == 42, "the store is not usable after the trap");
  long second = run_recursion(job, 2);
  if (first != second) printf("    note: depth differs between rounds (%ld, %ld)\n", first, second);
  return NULL;
}

// Runs one configuration (in the forked child). Returns the exit status for the parent.
static int run_config(const struct config *config) {
  // A generous CPU bound: a hang is reported as a failure, not waited on forever.
  alarm(120);
  wasm_config_t *wasm_config = A.config_new();
  if (config->max_wasm_stack) A.config_max_wasm_stack_set(wasm_config, config->max_wasm_stack);
  if (config->max_wasm_stack && A.config_async_stack_size_set)
    A.config_async_stack_size_set(wasm_config, config->max_wasm_stack + 1024 * 1024);
  wasm_engine_t *engine = A.engine_new_with_config(wasm_config);
  if (!engine) {
    printf("    FAIL: no engine\n");
    return 1;
  }
  wasmtime_store_t *store = A.store_new(engine, NULL, NULL);
  struct thread_job job = {.config = config, .context = A.store_context(store)};
  wasm_byte_vec_t binary;
  wasmtime_error_t *error = A.wat2wasm(module_text, strlen(module_text), &binary);
  wasmtime_module_t *module = NULL;
  if (!error) error = A.module_new(engine, (const uint8_t *)binary.data, binary.size, &module);
  if (error) {
    wasm_name_t message;
    A.error_message(error, &message);
    printf("    FAIL: module: %.*s\n", (int)message.size, message.data);
    return 1;
  }
  A.byte_vec_delete(&binary);
  wasm_valtype_t *param = A.valtype_new(WASM_I32), *result = A.valtype_new(WASM_I32);
  wasm_valtype_vec_t params, results;
  A.valtype_vec_new(&params, 1, &param);
  A.valtype_vec_new(&results, 1, &result);
  wasm_functype_t *type = A.functype_new(&params, &results);
  wasmtime_extern_t import = {.kind = WASMTIME_EXTERN_FUNC};
  A.func_new(job.context, type, reenter, NULL, NULL, &import.of.func);
  A.functype_delete(type);
  wasm_trap_t *trap = NULL;
  error = A.instance_new(job.context, module, &import, 1, &job.instance, &trap);
  if (error || trap) {
    printf("    FAIL: instantiation\n");
    return 1;
  }
  if (config->thread_stack == 0) {
    run_job(&job);
  } else {
    pthread_attr_t attributes;
    pthread_attr_init(&attributes);
    int rc = pthread_attr_setstacksize(&attributes, config->thread_stack);
    pthread_t thread;
    if (rc == 0) rc = pthread_create(&thread, &attributes, run_job, &job);
    if (rc != 0) {
      printf("    FAIL: pthread: %s\n", strerror(rc));
      return 1;
    }
    pthread_join(thread, NULL);
    pthread_attr_destroy(&attributes);
  }
  A.store_delete(store);
  A.module_delete(module);
  A.engine_delete(engine);
  return job.failures ? 1 : 0;
}

static const char *size_text(size_t size, char *buffer, size_t length) {
  if (size == 0)
    snprintf(buffer, length, "default");
  else if (size % (1024 * 1024) == 0)
    snprintf(buffer, length, "%zuM", size / (1024 * 1024));
  else
    snprintf(buffer, length, "%zuK", size / 1024);
  return buffer;
}

int main(int argc, char **argv) {
  const char *lib = NULL;
  int quick = 0;
  const char **filters = calloc((size_t)argc, sizeof *filters);
  int filter_count = 0;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--lib") == 0 && i + 1 < argc)
      lib = argv[++i];
    else if (strcmp(argv[i], "--quick") == 0)
      quick = 1;
    else if (argv[i][0] == '-') {
      fprintf(stderr, "usage: %s [--lib PATH] [--quick] [FILTER...]\n", argv[0]);
      return 2;
    } else
      filters[filter_count++] = argv[i];
  }
  if (lib) {
    if (!bind_library(lib)) return 2;
  } else {
    bind_direct();
  }
  printf("reentry_sweep against %s\n", library_name);
  shared_depth = mmap(NULL, sizeof(long), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (shared_depth == MAP_FAILED) {
    perror("mmap");
    return 2;
  }

  static const size_t thread_stacks[] = {0, 256 * 1024, 1024 * 1024, 8 * 1024 * 1024};
  static const size_t wasm_stacks[] = {0, 64 * 1024, 512 * 1024, 1024 * 1024, 8 * 1024 * 1024};
  static const int wasm_depths[] = {0, 10, 1000};
  int configs = 0, passed = 0, crashed = 0, failed = 0;
  for (size_t t = 0; t < sizeof thread_stacks / sizeof *thread_stacks; t++)
    for (size_t w = 0; w < sizeof wasm_stacks / sizeof *wasm_stacks; w++)
      for (size_t d = 0; d < sizeof wasm_depths / sizeof *wasm_depths; d++) {
        // --quick: every thread stack with the default and the largest max_wasm_stack, depth 0.
        if (quick && (d != 0 || (w != 0 && w != 4))) continue;
        struct config config = {.thread_stack = thread_stacks[t], .max_wasm_stack = wasm_stacks[w],
                                .wasm_depth = wasm_depths[d]};
        char thread_buffer[32], stack_buffer[32], name[160];
        snprintf(name, sizeof name, "thread=%s max_wasm_stack=%s wasm_depth=%d",
                 config.thread_stack ? size_text(config.thread_stack, thread_buffer, sizeof thread_buffer) : "main",
                 size_text(config.max_wasm_stack, stack_buffer, sizeof stack_buffer), config.wasm_depth);
        if (filter_count) {
          int match = 0;
          for (int f = 0; f < filter_count; f++) match |= strstr(name, filters[f]) != NULL;
          if (!match) continue;
        }
        configs++;
        *shared_depth = 0;
        printf("config %s\n", name);
        fflush(stdout);
        pid_t child = fork();
        if (child < 0) {
          perror("fork");
          return 2;
        }
        if (child == 0) {
          int status = run_config(&config);
          fflush(stdout);
          _exit(status);
        }
        int status = 0;
        while (waitpid(child, &status, 0) < 0 && errno == EINTR) {
        }
        if (WIFSIGNALED(status)) {
          int signal_number = WTERMSIG(status);
          printf("config %s: CRASH signal %d (%s)%s after %ld host levels\n", name, signal_number,
                 strsignal(signal_number), signal_number == SIGALRM ? " [timeout]" : "", *shared_depth);
          crashed++;
        } else if (WEXITSTATUS(status) != 0) {
          printf("config %s: FAIL\n", name);
          failed++;
        } else {
          printf("config %s: ok\n", name);
          passed++;
        }
        fflush(stdout);
      }
  printf("reentry_sweep: %d configurations, %d ok, %d failed, %d crashed\n", configs, passed, failed, crashed);
  free(filters);
  return (failed || crashed) ? 1 : 0;
}
