/*
 * oom_selftest.c - self-test of the OOM harness.
 *
 *   gcc -O1 -g -Wall -Wextra -o /tmp/oom_selftest \
 *       tests-c/oom/oom_selftest.c tests-c/oom/oom_harness.c
 *   /tmp/oom_selftest                      # everything; exit 0 = harness OK
 *   /tmp/oom_selftest --expect-detect bug_leak   # 0 only if that bug is caught
 *   /tmp/oom_selftest --run [driver args]  # the plain driver on all scenarios
 *
 * A tiny fake "library" (lib_*) below allocates the way a real one does, with
 * a correct out-of-memory path, plus deliberately broken variants. Correct
 * scenarios must pass every sweep; each broken one must be reported with
 * exactly the expected kinds of failure in exactly the expected modes.
 */
#define _GNU_SOURCE 1

#include "oom_harness.h"

#include <errno.h>
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define NOINLINE __attribute__((noinline))

/* ======================================================================== */
/* The fake library                                                         */
/* ======================================================================== */

enum { LIB_ERR_OOM = 1, LIB_ERR_INVALID = 2 };

typedef struct lib_error {
    int kind;
    char *message;
} lib_error;

/* Like swasm: the OOM error is preallocated, so reporting OOM never allocates. */
static lib_error lib_oom_error = { LIB_ERR_OOM, NULL };
static lib_error lib_invalid_error = { LIB_ERR_INVALID, NULL };

/* Keeps the compiler from reasoning allocations away. */
static void *volatile lib_sink;

/* The allocator, called through volatile pointers where the compiler could
 * otherwise fold or elide the calls (clang removes unused malloc/free pairs
 * and folds calloc overflow and bad alignments at -O1). */
static void *(*volatile v_malloc)(size_t) = malloc;
static void *(*volatile v_calloc)(size_t, size_t) = calloc;
static void *(*volatile v_realloc)(void *, size_t) = realloc;
static void *(*volatile v_reallocarray)(void *, size_t, size_t) = reallocarray;
static void (*volatile v_free)(void *) = free;
static int (*volatile v_posix_memalign)(void **, size_t, size_t) = posix_memalign;
static void *(*volatile v_aligned_alloc)(size_t, size_t) = aligned_alloc;
static void *(*volatile v_memalign)(size_t, size_t) = memalign;
static void *(*volatile v_valloc)(size_t) = valloc;
static void *(*volatile v_pvalloc)(size_t) = pvalloc;
static char *(*volatile v_strdup)(const char *) = strdup;
static void *(*volatile v_mmap)(void *, size_t, int, int, int, off_t) = mmap;
static int (*volatile v_mprotect)(void *, size_t, int) = mprotect;
static void *(*volatile v_mremap)(void *, size_t, size_t, int, ...) = mremap;
static int (*volatile v_munmap)(void *, size_t) = munmap;

NOINLINE static lib_error *lib_error_new(int kind, const char *message)
{
    lib_error *e = malloc(sizeof *e);
    if (e == NULL)
        return &lib_oom_error;
    e->kind = kind;
    e->message = strdup(message); /* allocates inside libc.so: interposed too */
    if (e->message == NULL) {
        free(e);
        return &lib_oom_error;
    }
    return e;
}

NOINLINE static void lib_error_delete(lib_error *e)
{
    if (e == NULL || e == &lib_oom_error || e == &lib_invalid_error)
        return;
    free(e->message);
    free(e);
}

static int lib_error_is_oom(const lib_error *e)
{
    return e != NULL && e->kind == LIB_ERR_OOM;
}

typedef struct lib_store {
    char *name;
    int *items;
    size_t nitems;
    double *vec;  /* 64-byte aligned (posix_memalign) */
    char *page;   /* 32-byte aligned (aligned_alloc) */
    char *cache;  /* optional */
} lib_store;

NOINLINE static void lib_store_delete(lib_store *s)
{
    if (s == NULL)
        return;
    free(s->cache);
    free(s->page);
    free(s->vec);
    free(s->items);
    free(s->name);
    free(s);
}

/* Five allocations: calloc, strdup, malloc, posix_memalign, aligned_alloc. */
NOINLINE static lib_error *lib_store_new(const char *name, lib_store **out)
{
    *out = NULL;
    lib_store *s = calloc(1, sizeof *s);
    if (s == NULL)
        return &lib_oom_error;
    void *v = NULL;
    if ((s->name = strdup(name)) == NULL)
        goto oom;
    if ((s->items = malloc(4 * sizeof(int))) == NULL)
        goto oom;
    for (int i = 0; i < 4; i++)
        s->items[i] = i * 10;
    s->nitems = 4;
    if (posix_memalign(&v, 64, 8 * sizeof(double)) != 0)
        goto oom;
    s->vec = v;
    for (int i = 0; i < 8; i++)
        s->vec[i] = i;
    if ((s->page = aligned_alloc(32, 64)) == NULL)
        goto oom;
    memset(s->page, 'p', 64);
    *out = s;
    return NULL;
oom:
    lib_store_delete(s);
    return &lib_oom_error;
}

static int lib_store_intact(const lib_store *s, size_t expected_items)
{
    if (s->nitems != expected_items)
        return 0;
    for (size_t i = 0; i < 4 && i < s->nitems; i++)
        if (s->items[i] != (int)i * 10)
            return 0;
    return ((uintptr_t)s->vec % 64) == 0 && ((uintptr_t)s->page % 32) == 0 && s->page[63] == 'p';
}

/* A temporary buffer, then realloc growth (the old block survives failure). */
NOINLINE static lib_error *lib_store_push(lib_store *s, int value)
{
    char *scratch = malloc(64);
    if (scratch == NULL)
        return &lib_oom_error;
    memset(scratch, 0, 64);
    lib_sink = scratch;
    int *n = realloc(s->items, (s->nitems + 1) * sizeof(int));
    free(scratch);
    if (n == NULL)
        return &lib_oom_error;
    s->items = n;
    s->items[s->nitems++] = value;
    return NULL;
}

/* An optional cache: failing to fill it is harmless by design. */
NOINLINE static void lib_store_warm_cache(lib_store *s)
{
    if (s->cache == NULL) {
        s->cache = malloc(32);
        if (s->cache != NULL)
            memset(s->cache, 'c', 32);
    }
}

/* Calls back into the host, which may call the library again (nested calls).
 * When the callback fails it wraps the error in a new "trap" (allocates)
 * after the callback has returned: that is no strict violation, because the
 * call that saw the failure was the nested one and it returned cleanly. */
NOINLINE static lib_error *lib_store_call(lib_store *s, lib_error *(*callback)(lib_store *))
{
    lib_error *e = callback(s);
    if (e == NULL)
        return NULL;
    int kind = e->kind;
    lib_error_delete(e);
    return lib_error_new(kind, "trap: callback failed");
}

/* Broken variants ------------------------------------------------------- */

/* Leaks everything but the struct when a later allocation fails. */
NOINLINE static lib_error *lib_store_new_leaky(const char *name, lib_store **out)
{
    *out = NULL;
    lib_store *s = calloc(1, sizeof *s);
    if (s == NULL)
        return &lib_oom_error;
    void *v = NULL;
    if ((s->name = strdup(name)) == NULL)
        goto oom;
    if ((s->items = malloc(4 * sizeof(int))) == NULL)
        goto oom;
    s->nitems = 0;
    if (posix_memalign(&v, 64, 64) != 0)
        goto oom;
    s->vec = v;
    if ((s->page = aligned_alloc(32, 64)) == NULL)
        goto oom;
    *out = s;
    return NULL;
oom:
    lib_sink = s->name; /* BUG: name, items, vec are not freed */
    free(s);
    return &lib_oom_error;
}

/* Reports success although the element was not added. */
NOINLINE static lib_error *lib_store_push_swallow(lib_store *s, int value)
{
    int *n = realloc(s->items, (s->nitems + 1) * sizeof(int));
    if (n == NULL)
        return NULL; /* BUG */
    s->items = n;
    s->items[s->nitems++] = value;
    return NULL;
}

/* Allocates a descriptive error after the failure, inside the same call. */
NOINLINE static lib_error *lib_store_push_strict_bug(lib_store *s, int value)
{
    int *n = realloc(s->items, (s->nitems + 1) * sizeof(int));
    if (n == NULL)
        return lib_error_new(LIB_ERR_OOM, "out of memory in push"); /* BUG (strict) */
    s->items = n;
    s->items[s->nitems++] = value;
    return NULL;
}

/* Aborts the process, like a runtime that traps on allocation failure. */
NOINLINE static lib_error *lib_store_push_abort(lib_store *s, int value)
{
    int *n = realloc(s->items, (s->nitems + 1) * sizeof(int));
    if (n == NULL)
        abort(); /* BUG */
    s->items = n;
    s->items[s->nitems++] = value;
    return NULL;
}

/* Does not check the allocation at all. */
NOINLINE static lib_error *lib_store_push_unchecked(lib_store *s, int value)
{
    int *n = malloc((s->nitems + 1) * sizeof(int));
    lib_sink = n;
    memcpy(n, s->items, s->nitems * sizeof(int)); /* BUG: n may be NULL */
    n[s->nitems] = value;
    free(s->items);
    s->items = n;
    s->nitems++;
    return NULL;
}

/* Reports the failure as some other kind of error. */
NOINLINE static lib_error *lib_store_push_not_oom(lib_store *s, int value)
{
    int *n = realloc(s->items, (s->nitems + 1) * sizeof(int));
    if (n == NULL)
        return &lib_invalid_error; /* BUG */
    s->items = n;
    s->items[s->nitems++] = value;
    return NULL;
}

/* Fails although nothing failed. */
NOINLINE static lib_error *lib_store_push_spurious(lib_store *s, int value)
{
    lib_error *e = lib_store_push(s, value);
    return e != NULL ? e : &lib_invalid_error; /* BUG */
}

/* The error path needs memory: with a rollback record it cleans up; when
 * that allocation fails too it forgets the scratch buffer. Only visible when
 * the second allocation fails as well (persistent), or in strict mode. */
NOINLINE static lib_error *lib_store_push_rollback(lib_store *s, int value)
{
    char *scratch = malloc(64);
    if (scratch == NULL)
        return &lib_oom_error;
    memset(scratch, 0, 64);
    int *n = realloc(s->items, (s->nitems + 1) * sizeof(int));
    if (n == NULL) {
        char *log = malloc(16);
        if (log == NULL) {
            lib_sink = scratch; /* BUG: scratch leaks */
            return &lib_oom_error;
        }
        memset(log, 0, 16);
        lib_sink = log;
        free(log);
        free(scratch);
        return &lib_oom_error;
    }
    free(scratch);
    s->items = n;
    s->items[s->nitems++] = value;
    return NULL;
}

/* Retries until memory comes back: recovers from transient failures but
 * never returns under persistent failure (or in strict mode). */
NOINLINE static lib_error *lib_store_push_retry(lib_store *s, int value)
{
    int *n;
    while ((n = realloc(s->items, (s->nitems + 1) * sizeof(int))) == NULL) {
    }
    s->items = n;
    s->items[s->nitems++] = value;
    return NULL;
}

/* Corrupts the store when growing fails. */
NOINLINE static lib_error *lib_store_push_corrupt(lib_store *s, int value)
{
    int *n = realloc(s->items, (s->nitems + 1) * sizeof(int));
    if (n == NULL) {
        s->nitems = 0; /* BUG */
        return &lib_oom_error;
    }
    s->items = n;
    s->items[s->nitems++] = value;
    return NULL;
}

/* One temporary allocation; 0 when it failed. */
NOINLINE static int lib_scratch(void)
{
    char *p = malloc(8);
    if (p == NULL)
        return 0;
    memset(p, 1, 8);
    lib_sink = p;
    free(p);
    return 1;
}

/* ======================================================================== */
/* Scenarios                                                                */
/* ======================================================================== */

/* End a scenario: report the error kind, tear down the store. */
static oom_result finish(lib_error *e, lib_store *s)
{
    oom_result r = OOM_RESULT_OK;
    if (e != NULL) {
        r = lib_error_is_oom(e) ? OOM_RESULT_OOM : OOM_RESULT_OTHER_ERROR;
        OOM_CALL_VOID(lib_error_delete(e));
    }
    OOM_CALL_VOID(lib_store_delete(s));
    return r;
}

typedef lib_error *(*push_fn)(lib_store *, int);

/* Create a store, push three values with `push`, delete the store. */
static oom_result push_scenario(push_fn push)
{
    lib_store *s = NULL;
    lib_error *e = OOM_CALL(lib_store_new("store", &s));
    if (e != NULL)
        return finish(e, s);
    for (int i = 0; i < 3; i++) {
        e = OOM_CALL(push(s, 100 + i));
        if (e != NULL)
            return finish(e, s);
    }
    OOM_EXPECT(lib_store_intact(s, 7));
    OOM_EXPECT(s->items[6] == 102);
    return finish(NULL, s);
}

/* --- correct -------------------------------------------------------------- */

static oom_result good_basic(void)
{
    return push_scenario(lib_store_push);
}

/* The store must still work after a failed push. */
static oom_result good_store_usable(void)
{
    lib_store *s = NULL;
    lib_error *e = OOM_CALL(lib_store_new("usable", &s));
    if (e != NULL)
        return finish(e, s);
    for (int i = 0; i < 3; i++) {
        e = OOM_CALL(lib_store_push(s, i));
        if (e != NULL) {
            oom_disarm();
            OOM_EXPECT(lib_store_intact(s, 4 + (size_t)i));
            OOM_EXPECT(lib_store_push(s, 7) == NULL);
            OOM_EXPECT(s->items[s->nitems - 1] == 7);
            return finish(e, s);
        }
    }
    return finish(NULL, s);
}

static oom_result good_benign_cache(void)
{
    lib_store *s = NULL;
    lib_error *e = OOM_CALL(lib_store_new("cache", &s));
    if (e != NULL)
        return finish(e, s);
    OOM_CALL_VOID(lib_store_warm_cache(s));
    return finish(NULL, s);
}

static oom_result good_no_alloc(void)
{
    return OOM_RESULT_OK;
}

static lib_error *nested_callback(lib_store *s)
{
    return OOM_CALL(lib_store_push(s, 5));
}

static oom_result good_nested_calls(void)
{
    lib_store *s = NULL;
    lib_error *e = OOM_CALL(lib_store_new("nested", &s));
    if (e != NULL)
        return finish(e, s);
    e = OOM_CALL(lib_store_call(s, nested_callback));
    return finish(e, s);
}

/* A fixture allocated while suspended is neither counted nor failed. */
static oom_result good_suspend(void)
{
    oom_suspend();
    char *fixture = malloc(100);
    oom_resume();
    OOM_EXPECT(fixture != NULL);
    if (fixture == NULL)
        return OOM_RESULT_OTHER_ERROR;
    memset(fixture, 'f', 100);
    lib_sink = fixture;
    oom_result r = push_scenario(lib_store_push);
    free(fixture);
    return r;
}

/* The other entry points: reallocarray, memalign, valloc, pvalloc, calloc,
 * realloc(p, 0). */
static oom_result good_libc_mix(void)
{
    OOM_CALL_BEGIN();
    oom_result r = OOM_RESULT_OOM;
    int *a = NULL, *b = NULL;
    char *m = NULL, *v = NULL, *pv = NULL;
    if ((a = v_reallocarray(NULL, 4, sizeof(int))) == NULL)
        goto out;
    if ((b = v_reallocarray(a, 400, sizeof(int))) == NULL)
        goto out;
    a = b;
    a[399] = 1;
    if ((m = v_memalign(256, 100)) == NULL)
        goto out;
    OOM_EXPECT((uintptr_t)m % 256 == 0);
    if ((v = v_valloc(10)) == NULL)
        goto out;
    OOM_EXPECT((uintptr_t)v % (uintptr_t)sysconf(_SC_PAGESIZE) == 0);
    if ((pv = v_pvalloc(10)) == NULL)
        goto out;
    char *z = v_calloc(3, 7);
    if (z == NULL)
        goto out;
    OOM_EXPECT(z[20] == 0);
    z = v_realloc(z, 0); /* glibc: frees, returns NULL */
    OOM_EXPECT(z == NULL);
    r = OOM_RESULT_OK;
out:
    v_free(pv);
    v_free(v);
    v_free(m);
    v_free(a);
    OOM_CALL_END();
    return r;
}

static oom_result good_count5(void)
{
    lib_store *s = NULL;
    lib_error *e = OOM_CALL(lib_store_new("five", &s)); /* exactly 5 allocations */
    return finish(e, s);
}

static oom_result good_count40(void)
{
    lib_store *s = NULL;
    lib_error *e = OOM_CALL(lib_store_new("forty", &s)); /* 5 allocations */
    if (e != NULL)
        return finish(e, s);
    for (int i = 0; i < 35; i++)
        if (!OOM_CALL(lib_scratch())) /* 35 more */
            return finish(&lib_oom_error, s);
    return finish(NULL, s);
}

/* Address space as swasm's linear memories use it: a reservation, pages made
 * accessible, the reservation's rest released and the accessible part
 * resized (moved). Three points: mprotect removing access is not one. */
static oom_result good_mappings(void)
{
    OOM_CALL_BEGIN();
    oom_result r = OOM_RESULT_OOM;
    size_t page = (size_t)sysconf(_SC_PAGESIZE), size = 4 * page;
    char *base = v_mmap(NULL, size, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (base == MAP_FAILED) {
        OOM_CALL_END();
        return r;
    }
    if (v_mprotect(base, page, PROT_READ | PROT_WRITE) != 0)
        goto out;
    base[0] = 1;
    v_munmap(base + page, size - page);
    size = page;
    char *moved = v_mremap(base, page, 8 * page, MREMAP_MAYMOVE);
    if (moved == MAP_FAILED)
        goto out;
    base = moved;
    size = 8 * page;
    OOM_EXPECT(base[0] == 1 && base[size - 1] == 0);
    v_mprotect(base + page, size - page, PROT_NONE);
    r = OOM_RESULT_OK;
out:
    v_munmap(base, size);
    OOM_CALL_END();
    return r;
}

/* --- broken --------------------------------------------------------------- */

static oom_result bug_leak(void)
{
    lib_store *s = NULL;
    lib_error *e = OOM_CALL(lib_store_new_leaky("leaky", &s));
    return finish(e, s);
}

/* A reservation not released when making its pages accessible fails. */
static oom_result bug_mapping_leak(void)
{
    OOM_CALL_BEGIN();
    oom_result r = OOM_RESULT_OOM;
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    char *base = v_mmap(NULL, page, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (base != MAP_FAILED && v_mprotect(base, page, PROT_READ | PROT_WRITE) == 0) {
        v_munmap(base, page);
        r = OOM_RESULT_OK;
    }
    OOM_CALL_END();
    return r;
}

static oom_result bug_swallow(void) { return push_scenario(lib_store_push_swallow); }
static oom_result bug_strict(void) { return push_scenario(lib_store_push_strict_bug); }
static oom_result bug_abort(void) { return push_scenario(lib_store_push_abort); }
static oom_result bug_unchecked(void) { return push_scenario(lib_store_push_unchecked); }
static oom_result bug_not_oom(void) { return push_scenario(lib_store_push_not_oom); }
static oom_result bug_spurious(void) { return push_scenario(lib_store_push_spurious); }
static oom_result bug_rollback(void) { return push_scenario(lib_store_push_rollback); }

/* Same as good_benign_cache, but nobody said the swallow is benign. */
static oom_result bug_unflagged_cache(void) { return good_benign_cache(); }

static oom_result bug_hang(void)
{
    lib_store *s = NULL;
    oom_suspend(); /* only the push is swept: one point, so at most one timeout per mode */
    lib_error *e = lib_store_new("hang", &s);
    oom_resume();
    if (e != NULL)
        return finish(e, s);
    e = OOM_CALL(lib_store_push_retry(s, 1));
    return finish(e, s);
}

static oom_result bug_corrupt(void)
{
    lib_store *s = NULL;
    lib_error *e = OOM_CALL(lib_store_new("corrupt", &s));
    if (e != NULL)
        return finish(e, s);
    e = OOM_CALL(lib_store_push_corrupt(s, 1));
    if (e != NULL) {
        oom_disarm();
        OOM_EXPECT(lib_store_intact(s, 4));
    }
    return finish(e, s);
}

static oom_result bug_nondeterministic(void)
{
    if (oom_current_point() == 0)
        (void)lib_scratch(); /* one more allocation in the warm-up only */
    return good_count5();
}

/* A cache filled on first use and kept for the process lifetime. */
static char *global_cache_a, *global_cache_b;

NOINLINE static int lib_global_init(char **cache)
{
    if (*cache == NULL) {
        *cache = malloc(128);
        if (*cache == NULL)
            return 0;
        memset(*cache, 'g', 128);
    }
    return 1;
}

static oom_result good_primed_cache(void)
{
    if (!OOM_CALL(lib_global_init(&global_cache_a)))
        return OOM_RESULT_OOM;
    return good_count5();
}

/* The same without OOM_PRIME: the cache block shows as a leak. */
static oom_result bug_unprimed_cache(void)
{
    if (!OOM_CALL(lib_global_init(&global_cache_b)))
        return OOM_RESULT_OOM;
    return good_count5();
}

static oom_result bug_no_alloc(void)
{
    return OOM_RESULT_OK;
}

/* Not a bug, a blind spot: without OOM_CALL markers strict mode cannot see
 * the call boundary, so lib_store_push_strict_bug passes; the sweep line
 * shows the unmarked points. */
static oom_result info_unmarked(void)
{
    lib_store *s = NULL;
    lib_error *e = lib_store_new("unmarked", &s);
    if (e == NULL)
        e = lib_store_push_strict_bug(s, 1);
    oom_result r = e == NULL ? OOM_RESULT_OK : lib_error_is_oom(e) ? OOM_RESULT_OOM : OOM_RESULT_OTHER_ERROR;
    lib_error_delete(e);
    lib_store_delete(s);
    return r;
}

static const oom_scenario scenarios[] = {
    { "good_basic", good_basic, 0 },
    { "good_store_usable", good_store_usable, 0 },
    { "good_benign_cache", good_benign_cache, OOM_ALLOW_BENIGN_SWALLOW },
    { "good_no_alloc", good_no_alloc, OOM_NO_ALLOCATION },
    { "good_nested_calls", good_nested_calls, 0 },
    { "good_suspend", good_suspend, 0 },
    { "good_libc_mix", good_libc_mix, 0 },
    { "good_count5", good_count5, 0 },
    { "good_count40", good_count40, 0 },
    { "good_mappings", good_mappings, 0 },
    { "bug_leak", bug_leak, 0 },
    { "bug_mapping_leak", bug_mapping_leak, 0 },
    { "bug_swallow", bug_swallow, 0 },
    { "bug_strict", bug_strict, 0 },
    { "bug_abort", bug_abort, 0 },
    { "bug_unchecked", bug_unchecked, 0 },
    { "bug_not_oom", bug_not_oom, 0 },
    { "bug_spurious", bug_spurious, 0 },
    { "bug_rollback", bug_rollback, 0 },
    { "bug_unflagged_cache", bug_unflagged_cache, 0 },
    { "bug_hang", bug_hang, OOM_ALLOW_BENIGN_SWALLOW },
    { "bug_corrupt", bug_corrupt, 0 },
    { "bug_nondeterministic", bug_nondeterministic, 0 },
    { "good_primed_cache", good_primed_cache, OOM_PRIME },
    { "bug_unprimed_cache", bug_unprimed_cache, 0 },
    { "bug_no_alloc", bug_no_alloc, 0 },
    { "info_unmarked", info_unmarked, 0 },
};

/* ======================================================================== */
/* Expectations                                                             */
/* ======================================================================== */

enum { X_BENIGN = 1, X_UNMARKED = 2 };

typedef struct {
    const char *name;
    unsigned kinds[OOM_MODE_COUNT]; /* exact failure kinds per mode; 0 = must pass */
    size_t warmup_allocs;           /* expected K, 0 = don't check */
    unsigned extra;                 /* X_* */
    unsigned timeout_ms;            /* 0 = default */
    size_t max_points;              /* 0 = unlimited */
} expectation;

#define T OOM_TRANSIENT
#define ALL3(k) { k, k, k }

static const expectation expectations[] = {
    { "good_basic", ALL3(0), 5 + 3 * 2, 0, 0, 0 },
    { "good_store_usable", ALL3(0), 0, 0, 0, 0 },
    { "good_benign_cache", ALL3(0), 6, X_BENIGN, 0, 0 },
    { "good_no_alloc", ALL3(0), 0, 0, 0, 0 },
    { "good_nested_calls", ALL3(0), 0, 0, 0, 0 },
    { "good_suspend", ALL3(0), 11, 0, 0, 0 },
    { "good_libc_mix", ALL3(0), 6, 0, 0, 0 },
    { "good_count5", ALL3(0), 5, 0, 0, 0 },
    { "good_count40", ALL3(0), 40, 0, 0, 7 },
    { "good_mappings", ALL3(0), 3, 0, 0, 0 },
    { "bug_leak", ALL3(OOM_FAIL_LEAK), 5, 0, 0, 0 },
    { "bug_mapping_leak", ALL3(OOM_FAIL_LEAK), 2, 0, 0, 0 },
    { "bug_swallow", ALL3(OOM_FAIL_SWALLOWED | OOM_FAIL_EXPECT), 0, 0, 0, 0 },
    { "bug_strict", { 0, 0, OOM_FAIL_STRICT }, 0, 0, 0, 0 },
    { "bug_abort", ALL3(OOM_FAIL_CRASH), 0, 0, 0, 0 },
    { "bug_unchecked", ALL3(OOM_FAIL_CRASH), 0, 0, 0, 0 },
    { "bug_not_oom", ALL3(OOM_FAIL_NOT_OOM), 0, 0, 0, 0 },
    { "bug_spurious", ALL3(OOM_FAIL_SPURIOUS), 0, 0, 0, 0 },
    { "bug_rollback", { 0, OOM_FAIL_LEAK, OOM_FAIL_STRICT | OOM_FAIL_LEAK }, 0, 0, 0, 0 },
    { "bug_unflagged_cache", ALL3(OOM_FAIL_SWALLOWED), 0, 0, 0, 0 },
    { "bug_hang", { 0, OOM_FAIL_TIMEOUT, OOM_FAIL_TIMEOUT }, 1, X_BENIGN, 300, 0 },
    { "bug_corrupt", ALL3(OOM_FAIL_EXPECT), 0, 0, 0, 0 },
    { "bug_nondeterministic", ALL3(OOM_FAIL_NONDETERMINISTIC), 6, 0, 0, 0 },
    { "good_primed_cache", ALL3(0), 5, 0, 0, 0 },
    { "bug_unprimed_cache", ALL3(OOM_FAIL_LEAK), 0, 0, 0, 0 },
    { "bug_no_alloc", ALL3(OOM_FAIL_NO_ALLOCATION), 0, 0, 0, 0 },
    { "info_unmarked", ALL3(0), 0, X_UNMARKED, 0, 0 },
};

static const oom_scenario *find_scenario(const char *name)
{
    for (size_t i = 0; i < OOM_COUNTOF(scenarios); i++)
        if (strcmp(scenarios[i].name, name) == 0)
            return &scenarios[i];
    return NULL;
}

static int backtraces;

/* Sweep one scenario in every mode; 1 if everything was as expected. */
static int check_expectation(const expectation *x)
{
    const oom_scenario *s = find_scenario(x->name);
    if (s == NULL) {
        printf("SELFTEST: no scenario %s\n", x->name);
        return 0;
    }
    int good = 1;
    for (int m = 0; m < OOM_MODE_COUNT; m++) {
        oom_options opt;
        oom_default_options(&opt);
        opt.backtrace = backtraces;
        opt.max_shown = 2;
        opt.max_points = x->max_points;
        opt.timeout_ms = x->timeout_ms ? x->timeout_ms : 10000;
        oom_sweep_result r;
        oom_sweep(s, (oom_mode)m, &opt, &r);
        const char *why = NULL;
        if (r.kinds != x->kinds[m])
            why = x->kinds[m] ? "not detected as expected" : "unexpected failure";
        else if (r.ok != (x->kinds[m] == 0))
            why = "ok flag inconsistent";
        else if (x->warmup_allocs && r.warmup_allocs != x->warmup_allocs)
            why = "wrong allocation count";
        else if (x->kinds[m] == 0 && !x->max_points && r.points != r.warmup_allocs)
            why = "swept points != warm-up allocations";
        else if (x->max_points && (!r.capped || r.points != x->max_points))
            why = "cap not applied";
        else if ((x->extra & X_BENIGN) && m == T && r.benign_swallows == 0)
            why = "no benign swallow counted";
        else if ((x->extra & X_UNMARKED) && m == OOM_STRICT && r.unmarked_points == 0)
            why = "no unmarked point counted";
        if (why) {
            printf("SELFTEST FAIL: %s %s: %s (kinds 0x%x, expected 0x%x; K=%zu, points=%zu)\n", x->name,
                   oom_mode_name((oom_mode)m), why, r.kinds, x->kinds[m], r.warmup_allocs, r.points);
            good = 0;
        }
    }
    return good;
}

/* ======================================================================== */
/* Allocator unit checks (in this process, nothing armed)                   */
/* ======================================================================== */

static int unit_failures;
#define UNIT(cond)                                                                     \
    do {                                                                               \
        if (!(cond)) {                                                                 \
            printf("SELFTEST FAIL: allocator: %s:%d: %s\n", __FILE__, __LINE__, #cond); \
            unit_failures++;                                                           \
        }                                                                              \
    } while (0)

static void allocator_checks(void)
{
    size_t b0 = oom_live_blocks(), y0 = oom_live_bytes();
    void *p = v_malloc(100);
    UNIT(p != NULL && oom_live_blocks() == b0 + 1 && oom_live_bytes() == y0 + 100);
    p = v_realloc(p, 300);
    UNIT(p != NULL && oom_live_blocks() == b0 + 1 && oom_live_bytes() == y0 + 300);
    v_free(p);
    UNIT(oom_live_blocks() == b0 && oom_live_bytes() == y0);
    v_free(NULL);
    UNIT(oom_live_blocks() == b0);

    p = v_realloc(NULL, 10); /* = malloc */
    UNIT(p != NULL && oom_live_blocks() == b0 + 1);
    errno = 0;
    void *q = v_realloc(p, 0); /* glibc: frees */
    UNIT(q == NULL && oom_live_blocks() == b0 && oom_live_bytes() == y0);

    volatile size_t huge = SIZE_MAX / 2; /* hidden from -Walloc-size-larger-than */
    errno = 0;
    p = v_calloc(huge, 4);
    UNIT(p == NULL && errno == ENOMEM && oom_live_blocks() == b0);
    errno = 0;
    p = v_reallocarray(NULL, huge, 4);
    UNIT(p == NULL && errno == ENOMEM && oom_live_blocks() == b0);
    unsigned char *c = v_calloc(10, 10);
    UNIT(c != NULL && c[99] == 0 && oom_live_bytes() == y0 + 100);
    v_free(c);

    void *a = NULL;
    UNIT(v_posix_memalign(&a, 3, 16) == EINVAL && a == NULL);
    UNIT(v_posix_memalign(&a, 4096, 16) == 0 && a != NULL && (uintptr_t)a % 4096 == 0);
    UNIT(oom_live_blocks() == b0 + 1 && oom_live_bytes() == y0 + 16);
    v_free(a);
    errno = 0;
    UNIT(v_aligned_alloc(3, 16) == NULL && errno == EINVAL);
    a = v_aligned_alloc(128, 256);
    UNIT(a != NULL && (uintptr_t)a % 128 == 0 && oom_live_blocks() == b0 + 1);
    a = v_realloc(a, 5000);
    UNIT(a != NULL && oom_live_blocks() == b0 + 1 && oom_live_bytes() == y0 + 5000);
    v_free(a);
    a = v_memalign(64, 1);
    UNIT(a != NULL && (uintptr_t)a % 64 == 0 && oom_live_blocks() == b0 + 1);
    v_free(a);
    a = v_valloc(1);
    UNIT(a != NULL && (uintptr_t)a % (uintptr_t)sysconf(_SC_PAGESIZE) == 0 && oom_live_blocks() == b0 + 1);
    v_free(a);
    a = v_pvalloc(1);
    UNIT(a != NULL && oom_live_blocks() == b0 + 1);
    v_free(a);
    UNIT(oom_live_blocks() == b0 && oom_live_bytes() == y0);

    /* An allocation made inside another shared object (libc.so) is seen. */
    char *d = v_strdup("interposed");
    UNIT(d != NULL && oom_live_blocks() == b0 + 1 && oom_live_bytes() == y0 + 11);
    v_free(d);
    UNIT(oom_live_blocks() == b0);

    /* Many blocks: table growth/deletion stays consistent. */
    enum { MANY = 20000 };
    static void *blocks[MANY];
    for (int i = 0; i < MANY; i++)
        blocks[i] = v_malloc((size_t)(i % 50) + 1);
    UNIT(oom_live_blocks() == b0 + MANY);
    for (int i = 0; i < MANY; i += 2)
        v_free(blocks[i]);
    for (int i = 1; i < MANY; i += 2)
        v_free(blocks[i]);
    UNIT(oom_live_blocks() == b0 && oom_live_bytes() == y0);

    /* Anonymous mappings are tracked from mmap to munmap, across mremap; file
     * mappings are not. */
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    char *r = v_mmap(NULL, 2 * page, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    UNIT(r != MAP_FAILED && oom_live_blocks() == b0 + 1 && oom_live_bytes() == y0 + 2 * page);
    UNIT(v_mprotect(r, page, PROT_READ | PROT_WRITE) == 0);
    r[0] = 7;
    UNIT(v_munmap(r + page, page) == 0 && oom_live_blocks() == b0 + 1); /* not from its start */
    char *m = v_mremap(r, page, 3 * page, MREMAP_MAYMOVE);
    UNIT(m != MAP_FAILED && m[0] == 7 && oom_live_blocks() == b0 + 1 && oom_live_bytes() == y0 + 3 * page);
    UNIT(v_munmap(m, 3 * page) == 0 && oom_live_blocks() == b0 && oom_live_bytes() == y0);
    /* Anonymous accessible mappings (execution stacks, pools) are tracked too. */
    char *w = v_mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    UNIT(w != MAP_FAILED && oom_live_blocks() == b0 + 1 && oom_live_bytes() == y0 + page);
    UNIT(v_munmap(w, page) == 0 && oom_live_blocks() == b0);

    UNIT(oom_alloc_count() == 0); /* nothing is counted outside a scenario */
}

/* ======================================================================== */
/* Driver checks                                                            */
/* ======================================================================== */

static int run_driver(const char *const *args, int n)
{
    char *argv[16];
    argv[0] = (char *)"oom_selftest";
    for (int i = 0; i < n; i++)
        argv[i + 1] = (char *)args[i];
    argv[n + 1] = NULL;
    printf("--- driver:");
    for (int i = 0; i < n; i++)
        printf(" %s", args[i]);
    printf("\n");
    return oom_run_scenarios(scenarios, OOM_COUNTOF(scenarios), n + 1, argv);
}

static int driver_checks(void)
{
    int ok = 1;
    const char *nb = "--no-backtrace";
    const char *a1[] = { "good_*", nb };
    const char *a2[] = { "bug_leak", "--mode", "transient", nb };
    const char *a3[] = { "no_such_scenario" };
    const char *a4[] = { "--mode", "sideways" };
    const char *a5[] = { "good_count40", "--max-points", "4", "--mode=strict", nb };
    const char *a6[] = { "good_no_alloc", "bug_no_alloc", "--mode", "persistent", nb };
    const char *a7[] = { "bug_rollback", "--point", "7", "--mode", "persistent,strict", nb };
    const char *a8[] = { "good_basic", "--point", "3", "--no-fork", "--mode", "strict", nb };
    struct {
        const char *const *args;
        int n, rc;
    } runs[] = {
        { a1, 2, 0 }, { a2, 4, 1 }, { a3, 1, 2 }, { a4, 2, 2 },
        { a5, 5, 0 }, { a6, 5, 1 }, { a7, 6, 1 }, { a8, 7, 0 },
    };
    for (size_t i = 0; i < OOM_COUNTOF(runs); i++) {
        int rc = run_driver(runs[i].args, runs[i].n);
        if (rc != runs[i].rc) {
            printf("SELFTEST FAIL: driver run %zu returned %d, expected %d\n", i + 1, rc, runs[i].rc);
            ok = 0;
        }
    }

    /* The environment cap. */
    setenv("SWASM_OOM_MAX_POINTS", "3", 1);
    oom_options opt;
    oom_default_options(&opt);
    unsetenv("SWASM_OOM_MAX_POINTS");
    if (opt.max_points != 3) {
        printf("SELFTEST FAIL: SWASM_OOM_MAX_POINTS not honoured\n");
        ok = 0;
    }
    return ok;
}

/* ======================================================================== */

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    const char *bt = getenv("SWASM_OOM_BACKTRACE");
    backtraces = bt != NULL && strcmp(bt, "0") != 0;

    if (argc >= 2 && strcmp(argv[1], "--run") == 0) {
        argv[1] = argv[0];
        return oom_run_scenarios(scenarios, OOM_COUNTOF(scenarios), argc - 1, argv + 1);
    }
    if (argc == 3 && strcmp(argv[1], "--expect-detect") == 0) {
        for (size_t i = 0; i < OOM_COUNTOF(expectations); i++) {
            const expectation *x = &expectations[i];
            if (strcmp(x->name, argv[2]) != 0)
                continue;
            if (!(x->kinds[0] | x->kinds[1] | x->kinds[2])) {
                fprintf(stderr, "%s is not a broken scenario\n", argv[2]);
                return 2;
            }
            int good = check_expectation(x);
            printf("%s: %s\n", x->name, good ? "detected as expected" : "NOT detected as expected");
            return good ? 0 : 1;
        }
        fprintf(stderr, "unknown scenario %s\n", argv[2]);
        return 2;
    }
    if (argc != 1) {
        fprintf(stderr,
                "usage: %s                       full self-test\n"
                "       %s --expect-detect NAME  0 iff the bug in NAME is detected\n"
                "       %s --run [ARGS]          the plain driver on all scenarios\n",
                argv[0], argv[0], argv[0]);
        return 2;
    }

    printf("=== allocator\n");
    allocator_checks();
    printf("allocator checks: %s\n", unit_failures ? "FAILED" : "ok");

    printf("=== sweeps (good_* must pass, bug_* must be caught exactly)\n");
    size_t bad = 0;
    for (size_t i = 0; i < OOM_COUNTOF(expectations); i++)
        if (!check_expectation(&expectations[i]))
            bad++;
    if (OOM_COUNTOF(expectations) != OOM_COUNTOF(scenarios)) {
        printf("SELFTEST FAIL: %zu scenarios, %zu expectations\n", OOM_COUNTOF(scenarios),
               OOM_COUNTOF(expectations));
        bad++;
    }

    printf("=== driver\n");
    int driver_ok = driver_checks();

    int ok = unit_failures == 0 && bad == 0 && driver_ok;
    printf("=== selftest: %s (allocator %s, %zu of %zu expectations failed, driver %s)\n", ok ? "PASSED" : "FAILED",
           unit_failures ? "FAILED" : "ok", bad, OOM_COUNTOF(expectations), driver_ok ? "ok" : "FAILED");
    return ok ? 0 : 1;
}
