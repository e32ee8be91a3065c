// Shared memories under concurrency, beyond test_threads (ctests test_threads_stress and
// test_threads_stress_wasmtime: the same expectations on wasmtime 50.0.1's C library):
// concurrent memory.grow (guest and host), growth seen by a thread that is already running (its
// loads from the new page and memory.size, also in a function it then calls), memory.fill bounds
// against a concurrently grown memory, waits with timeouts racing notify, shared-memory handles
// cloned and deleted on other threads, modules and the engine released last on a thread that did
// not create them.
// Modes (argv[1]): all (default), stale (only the growth-visibility check).
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <wasmtime.h>

static atomic_int failures;
#define CHECK(c) do { if (!(c)) { fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #c); failures++; } } while (0)
enum { PAGE = 65536, T = 4, N = 300 };

static const char text[] =
    "(module (import \"env\" \"mem\" (memory 1 16 shared))"
    " (func (export \"grow\") (param i32) (result i32) (memory.grow (local.get 0)))"
    " (func (export \"size\") (result i32) (memory.size))"
    " (func (export \"add32\") (param i32 i32) (result i32) (i32.atomic.rmw.add (local.get 0) (local.get 1)))"
    " (func (export \"store32\") (param i32 i32) (i32.atomic.store (local.get 0) (local.get 1)))"
    " (func (export \"load32\") (param i32) (result i32) (i32.atomic.load (local.get 0)))"
    " (func (export \"fill\") (param i32 i32 i32) (memory.fill (local.get 0) (local.get 1) (local.get 2)))"
    " (func (export \"wait32\") (param i32 i32 i64) (result i32) (memory.atomic.wait32 (local.get 0) (local.get 1) (local.get 2)))"
    " (func (export \"notify\") (param i32 i32) (result i32) (memory.atomic.notify (local.get 0) (local.get 1)))"
    // Spins (atomically) until the i32 at $flag is non-zero, then does an atomic load at $addr
    // and returns memory.size * 65536 + loaded value's low 16 bits... kept simple: returns the
    // load; a stale bounds check traps instead.
    " (func (export \"await_load\") (param $flag i32) (param $addr i32) (result i32)"
    "  (loop $again (br_if $again (i32.eqz (i32.atomic.load (local.get $flag)))))"
    "  (i32.atomic.load (local.get $addr)))"
    " (func $helper (result i32) (memory.size))"
    " (func $helper_load (param i32) (result i32) (i32.atomic.load (local.get 0)))"
    " (func (export \"await_call_size\") (param $flag i32) (result i32)"
    "  (loop $again (br_if $again (i32.eqz (i32.atomic.load (local.get $flag)))))"
    "  (call $helper))"
    " (func (export \"await_call_load\") (param $flag i32) (param $addr i32) (result i32)"
    "  (loop $again (br_if $again (i32.eqz (i32.atomic.load (local.get $flag)))))"
    "  (call $helper_load (local.get $addr)))"
    " (func (export \"await_grow0_load\") (param $flag i32) (param $addr i32) (result i32)"
    "  (loop $again (br_if $again (i32.eqz (i32.atomic.load (local.get $flag)))))"
    "  (drop (memory.grow (i32.const 0))) (i32.atomic.load (local.get $addr)))"
    " (func (export \"await_size\") (param $flag i32) (result i32)"
    "  (loop $again (br_if $again (i32.eqz (i32.atomic.load (local.get $flag)))))"
    "  (memory.size))"
    ")";

static wasm_engine_t *engine;
static wasmtime_module_t *module;

static int is_error(wasmtime_error_t *e) {
  if (!e) return 0;
  wasm_message_t m;
  wasmtime_error_message(e, &m);
  fprintf(stderr, "error: %.*s\n", (int)m.size, m.data);
  wasm_byte_vec_delete(&m);
  wasmtime_error_delete(e);
  return 1;
}

// -1 on return (result in *out), trap code on a trap, -2 otherwise.
static int call(wasmtime_context_t *cx, wasmtime_instance_t *in, const char *name, const wasmtime_val_t *args,
                size_t n, int64_t *out) {
  wasmtime_extern_t f;
  if (!wasmtime_instance_export_get(cx, in, name, strlen(name), &f)) return -2;
  wasm_functype_t *ty = wasmtime_func_type(cx, &f.of.func);
  size_t nr = wasm_functype_results(ty)->size;
  wasm_functype_delete(ty);
  wasmtime_val_t r = {.kind = WASMTIME_I32};
  wasm_trap_t *trap = NULL;
  if (is_error(wasmtime_func_call(cx, &f.of.func, args, n, &r, nr, &trap))) return -2;
  if (trap) {
    wasmtime_trap_code_t code = 0;
    int c = wasmtime_trap_code(trap, &code) ? code : -2;
    wasm_trap_delete(trap);
    return c;
  }
  if (out) *out = nr ? (r.kind == WASMTIME_I32 ? r.of.i32 : r.of.i64) : 0;
  return -1;
}
#define I32(x) {.kind = WASMTIME_I32, .of.i32 = (int32_t)(x)}
#define I64(x) {.kind = WASMTIME_I64, .of.i64 = (int64_t)(x)}

struct env { wasmtime_store_t *store; wasmtime_context_t *cx; wasmtime_instance_t in; };
static int env_open_with(struct env *e, wasmtime_sharedmemory_t *mem, wasmtime_module_t *mod) {
  e->store = wasmtime_store_new(engine, NULL, NULL);
  e->cx = wasmtime_store_context(e->store);
  wasmtime_extern_t imp = {.kind = WASMTIME_EXTERN_SHAREDMEMORY, .of.sharedmemory = mem};
  wasm_trap_t *trap = NULL;
  if (is_error(wasmtime_instance_new(e->cx, mod, &imp, 1, &e->in, &trap)) || trap) { failures++; return 0; }
  return 1;
}
static int env_open(struct env *e, wasmtime_sharedmemory_t *mem) { return env_open_with(e, mem, module); }

static wasmtime_sharedmemory_t *new_memory(uint64_t min, uint64_t max) {
  wasm_memorytype_t *ty = NULL;
  CHECK(!is_error(wasmtime_memorytype_new(min, true, max, false, true, 16, &ty)));
  wasmtime_sharedmemory_t *m = NULL;
  CHECK(!is_error(wasmtime_sharedmemory_new(engine, ty, &m)));
  wasm_memorytype_delete(ty);
  return m;
}

// 1. Concurrent growth by Wasm (T threads) and by the host; memory.fill over the whole current
// size while it grows; every successful grow returns a distinct previous size.
struct grower { wasmtime_sharedmemory_t *mem; int id; int64_t got[16]; int ngot; };
static void *grow_thread(void *arg) {
  struct grower *g = arg;
  struct env e;
  if (env_open(&e, g->mem)) {
    for (int i = 0; i < 8; i++) {
      int64_t old = 0, size = 0;
      if (g->id == 0) {
        uint64_t prev = 0;
        wasmtime_error_t *err = wasmtime_sharedmemory_grow(g->mem, 1, &prev);
        if (err) { wasmtime_error_delete(err); old = -1; } else old = (int64_t)prev;
      } else {
        CHECK(call(e.cx, &e.in, "grow", (wasmtime_val_t[]){I32(1)}, 1, &old) == -1);
      }
      if (old >= 0 && g->ngot < 16) g->got[g->ngot++] = old;
      CHECK(call(e.cx, &e.in, "size", NULL, 0, &size) == -1);
      // Fill the first page (always in bounds) while others grow.
      CHECK(call(e.cx, &e.in, "fill", (wasmtime_val_t[]){I32(4096 + 64 * g->id), I32(g->id), I32(64)}, 3, NULL) == -1);
      CHECK(call(e.cx, &e.in, "add32", (wasmtime_val_t[]){I32(0), I32(1)}, 2, NULL) == -1);
    }
    wasmtime_store_delete(e.store);
  }
  return NULL;
}
static void test_concurrent_growth(void) {
  wasmtime_sharedmemory_t *mem = new_memory(1, 16);
  pthread_t th[T];
  struct grower g[T];
  for (int i = 0; i < T; i++) {
    g[i] = (struct grower){.mem = wasmtime_sharedmemory_clone(mem), .id = i};
    pthread_create(&th[i], NULL, grow_thread, &g[i]);
  }
  int seen[16] = {0}, total = 0;
  for (int i = 0; i < T; i++) {
    pthread_join(th[i], NULL);
    for (int k = 0; k < g[i].ngot; k++) { CHECK(g[i].got[k] >= 1 && g[i].got[k] < 16); seen[g[i].got[k]]++; total++; }
    wasmtime_sharedmemory_delete(g[i].mem);
  }
  for (int p = 1; p < 16; p++) CHECK(seen[p] == 1);  // 15 successful growths, each previous size once
  CHECK(total == 15);
  CHECK(wasmtime_sharedmemory_size(mem) == 16);
  wasmtime_sharedmemory_delete(mem);
}

// 2. Growth published to a thread that is already running Wasm: it spins on a flag (one call),
// the host grows the memory and then sets the flag; the thread then loads from the new page.
struct stale { wasmtime_sharedmemory_t *mem; int outcome; int64_t value; int which; };
static void *stale_thread(void *arg) {
  struct stale *s = arg;
  struct env e;
  if (env_open(&e, s->mem)) {
    atomic_store((atomic_int *)(wasmtime_sharedmemory_data(s->mem) + 8), 1);  // ready
    static const char *const names[] = {"await_load", "await_size", "await_call_load", "await_call_size", "await_grow0_load"};
    if (s->which % 2 == 0)
      s->outcome = call(e.cx, &e.in, names[s->which], (wasmtime_val_t[]){I32(16), I32(PAGE + 4)}, 2, &s->value);
    else
      s->outcome = call(e.cx, &e.in, names[s->which], (wasmtime_val_t[]){I32(16)}, 1, &s->value);
    wasmtime_store_delete(e.store);
  }
  return NULL;
}
static void test_growth_visibility(void) {
  for (int which = 0; which < 5; which++) {
    wasmtime_sharedmemory_t *mem = new_memory(1, 4);
    uint8_t *data = wasmtime_sharedmemory_data(mem);
    struct stale s = {.mem = mem, .which = which};
    pthread_t th;
    pthread_create(&th, NULL, stale_thread, &s);
    while (!atomic_load((atomic_int *)(data + 8))) { struct timespec d = {0, 1000000}; nanosleep(&d, NULL); }
    uint64_t prev = 0;
    CHECK(!is_error(wasmtime_sharedmemory_grow(mem, 1, &prev)));
    atomic_store((atomic_int *)(data + PAGE + 4), 0x5eed);
    atomic_store((atomic_int *)(data + 16), 1);  // published after the growth
    pthread_join(th, NULL);
    const char *how = which < 2 ? "in the running function" : which < 4 ? "in a function it then calls" : "after memory.grow 0";
    if (which % 2 == 0) {
      printf("growth visibility: load from the new page %s: %s (outcome %d, value %#llx)\n", how,
             s.outcome == -1 ? "ok" : s.outcome == WASMTIME_TRAP_CODE_MEMORY_OUT_OF_BOUNDS ? "TRAPPED out of bounds" : "other",
             s.outcome, (long long)s.value);
    } else {
      printf("growth visibility: memory.size %s after growth: %lld page(s) (expected 2)\n", how, (long long)s.value);
    }
    wasmtime_sharedmemory_delete(mem);
  }
}

// 3. wait with short timeouts racing notify, and notify racing nothing.
struct waiter { wasmtime_sharedmemory_t *mem; int woken, timed_out, differed; };
static void *timed_waiter(void *arg) {
  struct waiter *w = arg;
  struct env e;
  if (env_open(&e, w->mem)) {
    for (int i = 0; i < N; i++) {
      int64_t r = -1;
      CHECK(call(e.cx, &e.in, "wait32", (wasmtime_val_t[]){I32(64), I32(0), I64(i % 3 == 0 ? 0 : 20000)}, 3, &r) == -1);
      if (r == 0) w->woken++; else if (r == 2) w->timed_out++; else w->differed++;
    }
    wasmtime_store_delete(e.store);
  }
  return NULL;
}
static void *notifier(void *arg) {
  struct waiter *w = arg;
  struct env e;
  if (env_open(&e, w->mem)) {
    for (int i = 0; i < N * 2; i++) {
      int64_t n = 0;
      CHECK(call(e.cx, &e.in, "notify", (wasmtime_val_t[]){I32(64), I32(1 + i % 2)}, 2, &n) == -1);
      w->woken += (int)n;
    }
    wasmtime_store_delete(e.store);
  }
  return NULL;
}
static void test_wait_timeouts(void) {
  wasmtime_sharedmemory_t *mem = new_memory(1, 1);
  struct waiter w[3] = {{.mem = mem}, {.mem = mem}, {.mem = mem}};
  pthread_t th[3];
  pthread_create(&th[0], NULL, timed_waiter, &w[0]);
  pthread_create(&th[1], NULL, timed_waiter, &w[1]);
  pthread_create(&th[2], NULL, notifier, &w[2]);
  for (int i = 0; i < 3; i++) pthread_join(th[i], NULL);
  // Every notify that reported a wake-up woke exactly one waiter that returned 0.
  CHECK(w[0].woken + w[1].woken == w[2].woken);
  CHECK(w[0].differed == 0 && w[1].differed == 0);
  wasmtime_sharedmemory_delete(mem);
}

// 4. Ownership crossing threads: a thread clones a handle and deletes the original it was given,
// instances of a module clone are dropped on other threads, the last share and the last module
// reference go on a worker thread.
struct owner { wasmtime_sharedmemory_t *mem; wasmtime_module_t *mod; };
static void *owner_thread(void *arg) {
  struct owner *o = arg;
  for (int i = 0; i < 20; i++) {
    wasmtime_sharedmemory_t *c = wasmtime_sharedmemory_clone(o->mem);
    CHECK(c != NULL);
    wasmtime_sharedmemory_delete(o->mem);
    o->mem = c;
    wasmtime_module_t *m = wasmtime_module_clone(o->mod);
    wasmtime_module_delete(o->mod);
    o->mod = m;
    struct env e;
    if (env_open_with(&e, o->mem, o->mod)) {
      CHECK(call(e.cx, &e.in, "add32", (wasmtime_val_t[]){I32(32), I32(1)}, 2, NULL) == -1);
      wasmtime_store_delete(e.store);
    }
  }
  wasmtime_sharedmemory_delete(o->mem);
  wasmtime_module_delete(o->mod);
  return NULL;
}
static void test_ownership(void) {
  wasmtime_sharedmemory_t *mem = new_memory(1, 1);
  pthread_t th[T];
  struct owner o[T];
  for (int i = 0; i < T; i++) {
    o[i] = (struct owner){wasmtime_sharedmemory_clone(mem), wasmtime_module_clone(module)};
  }
  uint8_t *data = wasmtime_sharedmemory_data(mem);
  wasmtime_sharedmemory_delete(mem);  // the workers hold the only shares now
  (void)data;
  wasmtime_module_delete(module);  // and the only module references
  module = NULL;
  for (int i = 0; i < T; i++) pthread_create(&th[i], NULL, owner_thread, &o[i]);
  for (int i = 0; i < T; i++) pthread_join(th[i], NULL);
}

int main(int argc, char **argv) {
  const char *mode = argc > 1 ? argv[1] : "all";
  wasm_config_t *config = wasm_config_new();
  wasmtime_config_shared_memory_set(config, true);
  engine = wasm_engine_new_with_config(config);
  wasm_byte_vec_t wasm;
  if (is_error(wasmtime_wat2wasm(text, strlen(text), &wasm))) return 2;
  if (is_error(wasmtime_module_new(engine, (uint8_t *)wasm.data, wasm.size, &module))) return 2;
  wasm_byte_vec_delete(&wasm);
  if (!strcmp(mode, "all") || !strcmp(mode, "stale")) test_growth_visibility();
  if (!strcmp(mode, "all")) {
    test_concurrent_growth();
    test_wait_timeouts();
    test_ownership();
  }
  if (module) wasmtime_module_delete(module);
  wasm_engine_delete(engine);
  printf("stress: %s (%d failure(s))\n", failures ? "FAILED" : "ok", (int)failures);
  return failures != 0;
}
