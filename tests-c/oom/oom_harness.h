/*
 * oom_harness.h - allocation-failure (OOM) sweep harness for swasm's C tests.
 *
 * Specification: ../shared/docs/oom-testing.md. Overview and how-to: tests-c/oom/README.md.
 *
 * Linking oom_harness.c into a test executable replaces malloc, calloc,
 * realloc, reallocarray, free, posix_memalign, aligned_alloc, memalign, valloc
 * and pvalloc for the whole process (including every shared library it links,
 * such as libswasm.so). The replacement forwards to glibc's __libc_* functions,
 * counts allocation calls made while a scenario runs, tracks live blocks and
 * bytes, and makes allocation number N fail (NULL, errno = ENOMEM) when armed.
 * It also replaces mmap, mmap64, mremap, mprotect and munmap: mapping anonymous
 * memory (PROT_NONE reservations, stacks, pools), making it accessible (mprotect) and
 * moving it (mremap), as linear memories do, are numbered and failed the same
 * way, and reservations are tracked as blocks until munmap.
 *
 * A *scenario* is a function that exercises some API from start to teardown
 * and reports how it ended:
 *
 *     static oom_result scenario_engine_new(void)
 *     {
 *         wasm_engine_t *engine = OOM_CALL(wasm_engine_new());
 *         if (engine == NULL)
 *             return OOM_RESULT_OOM;           // NULL is this call's OOM signal
 *         OOM_CALL_VOID(wasm_engine_delete(engine));
 *         return OOM_RESULT_OK;
 *     }
 *
 *     static const oom_scenario scenarios[] = {
 *         { "engine_new", scenario_engine_new, 0 },
 *     };
 *
 *     int main(int argc, char **argv)
 *     {
 *         return oom_run_scenarios(scenarios, OOM_COUNTOF(scenarios), argc, argv);
 *     }
 *
 * For every scenario and every mode the driver makes one warm-up run with no
 * failure (it must return OOM_RESULT_OK without leaking; it counts K
 * allocations), then runs the scenario with allocation N = 1, 2, ... failing,
 * each run in a forked child, until a run completes without any failure
 * having been injected. Each run must: not crash, abort or hang; return an
 * error exactly when a failure was injected; return OOM_RESULT_OOM (never
 * OOM_RESULT_OTHER_ERROR) for it; free every block it allocated; in strict
 * mode, not allocate again inside the API call that saw the failure; and pass
 * every OOM_EXPECT.
 *
 * Rules for scenario authors:
 *  - Wrap every library call in OOM_CALL / OOM_CALL_VOID (or OOM_CALL_BEGIN /
 *    OOM_CALL_END). The markers tell strict mode where an API call begins and
 *    ends; unmarked failures are treated like transient ones there.
 *  - Return OOM_RESULT_OOM only after checking that the error really is an
 *    out-of-memory one (swasm_error_is_oom(), or the documented NULL return
 *    or trap); return OOM_RESULT_OTHER_ERROR for any other error.
 *  - Tear everything down before returning, on every path: whatever the
 *    scenario allocated and did not free is reported as a leak.
 *  - Do not print (stdio allocates) and do not exit inside a scenario; use
 *    OOM_EXPECT to report a broken expectation.
 *  - A scenario must be deterministic: the same allocations in the same
 *    order on every run (for Swift code, SWIFT_DETERMINISTIC_HASHING=1 may
 *    help). The driver reports runs whose allocation count deviates.
 *  - To check that an object survives a failed call ("store still usable"),
 *    disarm first so the check itself is not failed:
 *
 *        err = OOM_CALL(wasmtime_func_call(ctx, &f, NULL, 0, NULL, 0, &trap));
 *        if (err != NULL) {
 *            int oom = swasm_error_is_oom(err);
 *            OOM_CALL_VOID(wasmtime_error_delete(err));
 *            oom_disarm();
 *            OOM_EXPECT(store_still_works(ctx));
 *            teardown();
 *            return oom ? OOM_RESULT_OOM : OOM_RESULT_OTHER_ERROR;
 *        }
 *
 * The harness header includes no swasm header and the harness allocates
 * nothing while a scenario runs.
 */
#ifndef SWASM_OOM_HARNESS_H
#define SWASM_OOM_HARNESS_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------ */
/* Scenarios                                                                */
/* ------------------------------------------------------------------------ */

/* How a scenario run ended. */
typedef enum {
    OOM_RESULT_OK = 0,         /* everything succeeded */
    OOM_RESULT_OOM,            /* an API call reported out-of-memory (checked!) */
    OOM_RESULT_OTHER_ERROR     /* an API call reported some other error */
} oom_result;

/* Scenario flags (combine with |). */
enum {
    /* Failures may be absorbed by design (e.g. an optional cache): a run that
     * returns OOM_RESULT_OK although a failure was injected is counted as a
     * benign swallow instead of a "swallowed failure". */
    OOM_ALLOW_BENIGN_SWALLOW = 1u << 0,
    /* The scenario is known not to allocate: sweeping 0 points is not an
     * error. (Without this flag a scenario that never allocates fails.) */
    OOM_NO_ALLOCATION = 1u << 1,
    /* Run the scenario once in the driver process, uncounted, before its
     * sweeps, so that one-time global initialisation (caches filled on first
     * use and kept for the process lifetime) is neither swept nor reported
     * as a leak. Use sparingly: those allocation points are then untested. */
    OOM_PRIME = 1u << 2
};

typedef struct {
    const char *name;          /* unique, no spaces; used by the name filter */
    oom_result (*run)(void);   /* the scenario; must be repeatable */
    unsigned flags;            /* OOM_ALLOW_BENIGN_SWALLOW | OOM_NO_ALLOCATION | OOM_PRIME */
} oom_scenario;

#define OOM_COUNTOF(array) (sizeof(array) / sizeof((array)[0]))

/* Failure modes. */
typedef enum {
    OOM_TRANSIENT = 0,   /* only allocation N fails */
    OOM_PERSISTENT = 1,  /* N and every later allocation fail */
    OOM_STRICT = 2       /* N fails; any further allocation attempt before the
                            API call that saw the failure returns is a
                            violation (and fails too); later ones succeed */
} oom_mode;

#define OOM_MODE_COUNT 3
const char *oom_mode_name(oom_mode mode);

/* ------------------------------------------------------------------------ */
/* Inside a scenario                                                        */
/* ------------------------------------------------------------------------ */

/* Mark one API call. OOM_CALL(expr) evaluates expr (any non-void type) once
 * and yields its value; OOM_CALL_VOID(expr) is for void calls. Calls may
 * nest (e.g. a host callback that calls the API again): in strict mode the
 * window opened by a failure closes when the innermost marked call that was
 * active at the failure returns. Do not jump out of a marked call.
 * (OOM_CALL uses a GNU statement expression; gcc and clang accept it.) */
void oom_call_begin(void);
void oom_call_end(void);
#define OOM_CALL_BEGIN() oom_call_begin()
#define OOM_CALL_END() oom_call_end()
#define OOM_CALL(expr)                                                     \
    __extension__({                                                        \
        oom_call_begin();                                                  \
        __typeof__(expr) oom_call_value_ = (expr);                         \
        oom_call_end();                                                    \
        oom_call_value_;                                                   \
    })
#define OOM_CALL_VOID(expr)                                                \
    do {                                                                   \
        oom_call_begin();                                                  \
        (void)(expr);                                                      \
        oom_call_end();                                                    \
    } while (0)

/* Stop injecting failures for the rest of this run (allocations are still
 * counted and tracked for the leak check). Use it before checking that an
 * object still works after a failure, and before teardown that is not under
 * test. */
void oom_disarm(void);

/* Nonzero when a failure has been injected in this run so far. */
int oom_injected(void);

/* Temporarily stop counting (and injecting) for allocations the scenario
 * makes itself (fixtures, buffers). Blocks are still leak-checked. Nests. */
void oom_suspend(void);
void oom_resume(void);

/* Record a failed expectation (the run fails; the scenario continues).
 * The message must be a string literal or otherwise static. */
void oom_expect_failed(const char *file, int line, const char *what);
#define OOM_EXPECT(cond)                                                   \
    do {                                                                   \
        if (!(cond))                                                       \
            oom_expect_failed(__FILE__, __LINE__, #cond);                  \
    } while (0)

/* The current run: its mode and its failing allocation number N (0 in the
 * warm-up run; unchanged by oom_disarm). */
oom_mode oom_current_mode(void);
size_t oom_current_point(void);

/* Allocator statistics (any time). oom_alloc_count() is the number of
 * allocation calls counted in the current run. */
size_t oom_alloc_count(void);
size_t oom_live_blocks(void);
size_t oom_live_bytes(void);

/* ------------------------------------------------------------------------ */
/* Driver                                                                   */
/* ------------------------------------------------------------------------ */

/* Complete test main. Command line:
 *   [NAME|GLOB ...]        only scenarios whose name matches (fnmatch)
 *   --mode M[,M...]        transient, persistent, strict or all (repeatable)
 *   --max-points N         sweep at most N points per scenario and mode,
 *                          spread evenly over 1..K (also SWASM_OOM_MAX_POINTS)
 *   --point N              run only allocation point N (0 = warm-up)
 *   --no-fork              with --point: run in this process (for a debugger)
 *   --timeout-ms MS        per run (also SWASM_OOM_TIMEOUT_MS; default 60000)
 *   --stop-after N         stop a sweep after N failing points (0 = never)
 *   --no-backtrace         no stack traces (also SWASM_OOM_BACKTRACE=0);
 *                          stacks are symbolized with addr2line when it is
 *                          installed (SWASM_OOM_ADDR2LINE=0 turns that off)
 *   -v, --verbose          list every failing point
 *   --list                 print the scenario names
 * Returns the process exit status: 0 when every sweep passed and every
 * scenario swept at least one allocation point (or says OOM_NO_ALLOCATION),
 * 1 on test failures, 2 on usage errors. */
int oom_run_scenarios(const oom_scenario *list, size_t count, int argc, char **argv);

/* Lower level, for custom drivers and the self-test. */
typedef struct {
    size_t max_points;          /* 0 = unlimited */
    unsigned timeout_ms;        /* per run; 0 = none */
    size_t stop_after;          /* failing points before giving up; 0 = never */
    size_t max_shown;           /* failing points listed per sweep (verbose: all) */
    int verbose;
    int backtrace;              /* stack traces: where the failed allocation and
                                   the first strict violation were made (first
                                   3 failing points), and at a crash (first) */
    int quiet;                  /* print nothing */
} oom_options;

/* Defaults, including SWASM_OOM_MAX_POINTS, SWASM_OOM_TIMEOUT_MS and
 * SWASM_OOM_BACKTRACE from the environment. */
void oom_default_options(oom_options *opt);

/* Failure kinds, as bits of oom_sweep_result.kinds. */
enum {
    OOM_FAIL_CRASH = 1u << 0,       /* killed by a signal (abort, segfault, ...) */
    OOM_FAIL_TIMEOUT = 1u << 1,     /* run exceeded timeout_ms */
    OOM_FAIL_EXIT = 1u << 2,        /* child exited without reporting */
    OOM_FAIL_SWALLOWED = 1u << 3,   /* OK returned although a failure was injected */
    OOM_FAIL_SPURIOUS = 1u << 4,    /* error returned although nothing failed */
    OOM_FAIL_NOT_OOM = 1u << 5,     /* injected failure reported as another error */
    OOM_FAIL_LEAK = 1u << 6,        /* blocks still live after the scenario */
    OOM_FAIL_STRICT = 1u << 7,      /* allocation after the failure in the same call */
    OOM_FAIL_EXPECT = 1u << 8,      /* an OOM_EXPECT failed */
    OOM_FAIL_NONDETERMINISTIC = 1u << 9, /* allocation count differs between runs */
    OOM_FAIL_NO_ALLOCATION = 1u << 10,   /* scenario never allocates */
    OOM_FAIL_HARNESS = 1u << 11     /* harness problem (table full, bad report) */
};

typedef struct {
    size_t warmup_allocs;       /* K: allocations in the failure-free run */
    size_t points;              /* allocation points swept (runs with a failure) */
    size_t failed_points;       /* runs (incl. warm-up/final run) that failed */
    unsigned kinds;             /* OR of OOM_FAIL_* seen */
    size_t benign_swallows;     /* with OOM_ALLOW_BENIGN_SWALLOW */
    size_t unmarked_points;     /* strict: failures outside any OOM_CALL */
    int capped;                 /* max_points limited the sweep */
    int ok;                     /* the sweep passed */
} oom_sweep_result;

/* Sweep one scenario in one mode, print its result line (unless quiet) and
 * return result->ok. opt may be NULL (defaults); result may be NULL. */
int oom_sweep(const oom_scenario *scenario, oom_mode mode,
              const oom_options *opt, oom_sweep_result *result);

#ifdef __cplusplus
}
#endif

#endif /* SWASM_OOM_HARNESS_H */
