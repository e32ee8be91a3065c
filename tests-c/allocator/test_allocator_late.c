// When swasm_set_allocator refuses (ctest allocator_late; README.md here): once the library has
// allocated anything (an engine, a config, an error) it returns false and changes nothing, and
// the library goes on with libc's allocator; calls that allocate nothing do not settle it. Racing
// an engine's creation on another thread, it either wins (and the engine's memory comes from it)
// or returns false (and the allocator is never called). Each case runs in a forked child, since
// the allocator is settled once per process.
#define _GNU_SOURCE 1
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <swasm.h>

static atomic_int calls;

// Blocks 16 bytes into what malloc gave, so that a block freed by the wrong allocator crashes.
static void *counted_malloc(void *user, size_t size) {
  (void)user;
  atomic_fetch_add(&calls, 1);
  char *block = malloc(size + 16);
  return block ? block + 16 : NULL;
}
static void *counted_realloc(void *user, void *ptr, size_t size) {
  (void)user;
  atomic_fetch_add(&calls, 1);
  char *block = realloc((char *)ptr - 16, size + 16);
  return block ? block + 16 : NULL;
}
static void counted_free(void *user, void *ptr) {
  (void)user;
  atomic_fetch_add(&calls, 1);
  free((char *)ptr - 16);
}

static const swasm_allocator_t allocator = {counted_malloc, counted_realloc, counted_free, NULL};

// The library still works with whatever allocator it settled on.
static bool engine_works(void) {
  wasm_engine_t *engine = wasm_engine_new();
  if (engine == NULL) return false;
  wasm_byte_vec_t wasm;
  wasmtime_error_t *error = wasmtime_wat2wasm("(module (func (export \"f\")))", 28, &wasm);
  wasmtime_module_t *module = NULL;
  if (error == NULL) error = wasmtime_module_new(engine, (const uint8_t *)wasm.data, wasm.size, &module);
  if (error == NULL) wasm_byte_vec_delete(&wasm);
  bool ok = error == NULL;
  if (error) wasmtime_error_delete(error);
  if (module) wasmtime_module_delete(module);
  wasm_engine_delete(engine);
  return ok;
}

static bool after_engine(void) {
  wasm_engine_t *engine = wasm_engine_new();
  bool refused = engine != NULL && !swasm_set_allocator(&allocator);
  wasm_engine_delete(engine);
  return refused && engine_works() && atomic_load(&calls) == 0;
}

static bool after_engine_deleted(void) {
  wasm_engine_delete(wasm_engine_new());
  return !swasm_set_allocator(&allocator) && engine_works() && atomic_load(&calls) == 0;
}

static bool after_config(void) {
  wasm_config_t *config = wasm_config_new();
  bool refused = config != NULL && !swasm_set_allocator(&allocator);
  wasm_config_delete(config);
  return refused && atomic_load(&calls) == 0;
}

static bool after_error(void) {
  wasmtime_error_t *error = wasmtime_error_new("x");
  bool refused = !swasm_set_allocator(&allocator);
  wasmtime_error_delete(error);
  return refused && atomic_load(&calls) == 0;
}

static bool after_calls_that_allocate_nothing(void) {
  wasm_byte_vec_t empty = {0, NULL};
  wasm_byte_vec_delete(&empty);
  wasmtime_error_delete(NULL);
  bool untouched = !swasm_error_is_oom(NULL) && !swasm_trap_is_oom(NULL);
  bool installed = swasm_set_allocator(&allocator);
  bool works = engine_works();
  return untouched && installed && works && atomic_load(&calls) > 0;
}

static bool incomplete_or_twice(void) {
  swasm_allocator_t missing = allocator;
  missing.free = NULL;
  bool refused = !swasm_set_allocator(NULL) && !swasm_set_allocator(&missing);
  swasm_allocator_t copy = allocator;
  bool installed = swasm_set_allocator(&copy);
  memset(&copy, 0, sizeof copy); // the library keeps its own copy
  bool second = swasm_set_allocator(&allocator);
  return refused && installed && !second && engine_works() && atomic_load(&calls) > 0;
}

static atomic_bool go;
static int race_installed; // in the child: whether it won (its exit status then says so)
static int race_delay;     // how long the allocator waits before it runs: each repetition longer
static void *make_engine(void *out) {
  while (!atomic_load(&go)) {
  }
  *(wasm_engine_t **)out = wasm_engine_new();
  return NULL;
}

static bool racing_an_engine(void) {
  wasm_engine_t *engine = NULL;
  pthread_t thread;
  if (pthread_create(&thread, NULL, make_engine, &engine) != 0) return false;
  atomic_store(&go, true);
  for (volatile int spin = 0; spin < race_delay; spin++) {
  }
  bool installed = swasm_set_allocator(&allocator);
  pthread_join(thread, NULL);
  int seen = atomic_load(&calls);
  bool consistent = installed ? seen > 0 : seen == 0;
  wasm_engine_delete(engine);
  if (engine == NULL || !consistent || !engine_works()) return false;
  if (installed) race_installed++;
  return true;
}

typedef struct {
  const char *name;
  bool (*run)(void);
  int repeat;
} late_case;

static const late_case cases[] = {
    {"after an engine", after_engine, 1},
    {"after an engine was deleted", after_engine_deleted, 1},
    {"after a config", after_config, 1},
    {"after an error", after_error, 1},
    {"after calls that allocate nothing", after_calls_that_allocate_nothing, 1},
    {"NULL, incomplete, then twice", incomplete_or_twice, 1},
    {"racing an engine on another thread", racing_an_engine, 200},
};

int main(void) {
  int failures = 0;
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    int passed = 0, won = 0;
    for (int r = 0; r < cases[i].repeat; r++) {
      race_delay = r * 2000;
      fflush(stdout);
      pid_t pid = fork();
      if (pid == 0) {
        alarm(30);
        bool ok = cases[i].run();
        _exit(ok ? (race_installed ? 2 : 0) : 1);
      }
      int status = 0;
      while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
      }
      bool ok = pid > 0 && WIFEXITED(status) && (WEXITSTATUS(status) == 0 || WEXITSTATUS(status) == 2);
      if (ok) passed++;
      if (ok && WEXITSTATUS(status) == 2) won++;
    }
    bool ok = passed == cases[i].repeat;
    printf("%s: %s (%d/%d)", cases[i].name, ok ? "ok" : "FAIL", passed, cases[i].repeat);
    if (cases[i].run == racing_an_engine) printf(", the allocator won %d times, the engine %d", won, passed - won);
    printf("\n");
    if (!ok) failures++;
  }
  printf("allocator_late: %s\n", failures ? "FAILED" : "ok");
  return failures ? 1 : 0;
}
