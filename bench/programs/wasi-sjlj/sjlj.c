/* setjmp/longjmp for wasm32-wasi on Binaryen's Asyncify (see setjmp.h). Built with
 * -DWASI_SJLJ_ASYNCIFY it provides main(), which runs the program's main (renamed wasi_sjlj_main)
 * in a loop: every setjmp and longjmp unwinds the wasm stack back to this loop, which rewinds it
 * (into the same place for setjmp, into the setjmp's place for longjmp).
 *
 * Asyncify saves the locals of every frame from main down to the setjmp caller. Each setjmp keeps
 * its capture in an arena used as a stack: captures are ordered by the shadow stack pointer at
 * their setjmp, and a setjmp drops the captures made deeper than itself (their frames have
 * returned), as a longjmp drops those deeper than its target. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#define WASI_SJLJ_IMPLEMENTATION
#include "setjmp.h"

#ifndef WASI_SJLJ_ASYNCIFY

_Noreturn void wasi_sjlj_unavailable(void) {
  fputs("longjmp is not available in this build (no setjmp/longjmp on wasm32-wasi): aborting\n", stderr);
  abort();
}

#else

#define ASYNCIFY(name) __attribute__((import_module("asyncify"), import_name(name)))
ASYNCIFY("start_unwind") void asyncify_start_unwind(void *data);
ASYNCIFY("stop_unwind") void asyncify_stop_unwind(void);
ASYNCIFY("start_rewind") void asyncify_start_rewind(void *data);
ASYNCIFY("stop_rewind") void asyncify_stop_rewind(void);

unsigned long wasi_sjlj_get_sp(void);
void wasi_sjlj_set_sp(unsigned long sp);
int wasi_sjlj_main(int argc, char **argv);

enum { CAPTURING = 2, CAPTURED, RETURNING };

/* Asyncify's data structure: the next free byte, the end. */
struct asyncify_data { uint8_t *top; uint8_t *end; };

struct capture { unsigned long sp; struct wasi_sjlj_buf *env; uint8_t *start, *top; unsigned id; };

#ifndef WASI_SJLJ_ARENA
#define WASI_SJLJ_ARENA (32u << 20)
#endif
#ifndef WASI_SJLJ_MAX_CAPTURES
#define WASI_SJLJ_MAX_CAPTURES 4096
#endif
static uint8_t *arena, *arena_top, *arena_end;
static struct capture captures[WASI_SJLJ_MAX_CAPTURES];
static unsigned ncaptures, next_id = 1;
static struct asyncify_data data;            /* the one Asyncify works with */
static uint8_t scratch[1u << 20];            /* what a longjmp's unwind writes (never rewound) */
static struct wasi_sjlj_buf *pending;        /* the jmp_buf whose setjmp or longjmp is unwinding */

static _Noreturn void fail(const char *what) {
  fprintf(stderr, "wasi-sjlj: %s\n", what);
  abort();
}

static void drop_captures_from(unsigned index) {
  if (index < ncaptures) {
    arena_top = captures[index].start;
    ncaptures = index;
  }
}

/* Not instrumented by Asyncify (it calls start_unwind/stop_rewind: Binaryen treats it as the
 * runtime at the bottom of the stack): called once when setjmp runs, once more when the stack is
 * rewound into it. It must have no shadow-stack frame (it sets __stack_pointer). */
__attribute__((noinline)) int wasi_sjlj_setjmp(struct wasi_sjlj_buf *env) {
  switch (env->state) {
  case WASI_SJLJ_INIT: {
    unsigned long sp = wasi_sjlj_get_sp();
    while (ncaptures > 0 && (captures[ncaptures - 1].sp < sp ||
                             (captures[ncaptures - 1].sp == sp && captures[ncaptures - 1].env == env)))
      drop_captures_from(ncaptures - 1);
    if (ncaptures == WASI_SJLJ_MAX_CAPTURES) fail("too many live setjmp captures");
    if (!arena) {
      arena = malloc(WASI_SJLJ_ARENA);
      if (!arena) fail("cannot allocate the capture arena");
      arena_top = arena;
      arena_end = arena + WASI_SJLJ_ARENA;
    }
    struct capture *capture = &captures[ncaptures];
    capture->sp = sp;
    capture->env = env;
    capture->start = arena_top;
    capture->id = next_id++;
    env->capture = ncaptures++;
    env->id = capture->id;
    env->sp = sp;
    env->state = CAPTURING;
    pending = env;
    data.top = arena_top;
    data.end = arena_end;
    asyncify_start_unwind(&data);
    return 0;
  }
  case CAPTURING:
    asyncify_stop_rewind();
    env->state = CAPTURED;
    return 0;
  case RETURNING:
    asyncify_stop_rewind();
    env->state = CAPTURED;
    wasi_sjlj_set_sp(env->sp);
    return env->value;
  default:
    fail("setjmp: corrupt jmp_buf");
  }
}

__attribute__((noinline)) void wasi_sjlj_longjmp(struct wasi_sjlj_buf *env, int value) {
  if (env->state != CAPTURED || env->capture >= ncaptures || captures[env->capture].id != env->id)
    fail("longjmp to a jmp_buf whose setjmp has returned");
  drop_captures_from(env->capture + 1);
  env->state = RETURNING;
  env->value = value ? value : 1;
  pending = env;
  data.top = scratch;
  data.end = scratch + sizeof scratch;
  asyncify_start_unwind(&data);
}

/* The loop at the top: not instrumented (it calls stop_unwind/start_rewind). */
int main(int argc, char **argv) {
  for (;;) {
    int status = wasi_sjlj_main(argc, argv);
    struct wasi_sjlj_buf *env = pending;
    if (!env) return status;        /* returned: not unwinding */
    asyncify_stop_unwind();
    pending = NULL;
    struct capture *capture = &captures[env->capture];
    if (env->state == CAPTURING) {
      if (data.top > data.end) fail("setjmp: capture arena exhausted");
      capture->top = data.top;
      arena_top = data.top;
    } else if (data.top > data.end) {
      fail("longjmp: scratch unwind buffer exhausted");
    }
    data.top = capture->top;
    data.end = arena_end;
    asyncify_start_rewind(&data);
  }
}

#endif
