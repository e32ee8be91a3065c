/* setjmp/longjmp for wasm32-wasi without the exception-handling proposal (Debian's wasi-libc has no
 * <setjmp.h>). Two implementations, chosen when the program is built:
 *
 *   default          setjmp returns 0; longjmp prints "longjmp is not available" and aborts
 *                    (link sjlj.c). For programs that only longjmp on errors (Lua's error
 *                    handling) and runs that raise none (the benchmarks).
 *   -DWASI_SJLJ_ASYNCIFY  real setjmp/longjmp built on Binaryen's Asyncify (the technique of
 *                    Ruby's WASI port): link sjlj.c and sp.S, rename the program's main to
 *                    wasi_sjlj_main (-Dmain=wasi_sjlj_main on the file defining it), then run
 *                    `wasm-opt --asyncify --pass-arg=asyncify-ignore-imports` on the module.
 *                    setjmp captures the wasm call stack (main ... caller) by unwinding and
 *                    rewinding it at once; longjmp unwinds and rewinds into the captured stack.
 *
 * Only what Lua needs: setjmp/_setjmp in an expression statement or an if condition,
 * longjmp/_longjmp to a jmp_buf whose setjmp caller is still running. */
#ifndef WASI_SJLJ_SETJMP_H
#define WASI_SJLJ_SETJMP_H

typedef struct wasi_sjlj_buf {
  int state;            /* WASI_SJLJ_INIT, ... (sjlj.c) */
  int value;            /* what setjmp returns after longjmp */
  unsigned capture;     /* index of its capture in sjlj.c's list */
  unsigned id;          /* the capture's unique number: a stale jmp_buf is detected */
  unsigned long sp;     /* __stack_pointer at setjmp */
} jmp_buf[1];

#define WASI_SJLJ_INIT 1

/* sjlj.c defines longjmp as a function that returns (into the unwinding its caller does). */
#ifdef WASI_SJLJ_IMPLEMENTATION
#define WASI_SJLJ_NORETURN
#else
#define WASI_SJLJ_NORETURN _Noreturn
#endif

#ifdef WASI_SJLJ_ASYNCIFY
int wasi_sjlj_setjmp(struct wasi_sjlj_buf *env);
WASI_SJLJ_NORETURN void wasi_sjlj_longjmp(struct wasi_sjlj_buf *env, int value);
#define setjmp(env) ((env)[0].state = WASI_SJLJ_INIT, wasi_sjlj_setjmp(env))
#define longjmp(env, value) wasi_sjlj_longjmp(env, value)
#else
_Noreturn void wasi_sjlj_unavailable(void);
#define setjmp(env) ((void)(env), 0)
#define longjmp(env, value) ((void)(env), (void)(value), wasi_sjlj_unavailable())
#endif

#define _setjmp(env) setjmp(env)
#define _longjmp(env, value) longjmp(env, value)
#define sigsetjmp(env, save) setjmp(env)
#define siglongjmp(env, value) longjmp(env, value)
typedef jmp_buf sigjmp_buf;

#endif
