/*
 * oom_harness.c - allocation-failure sweep harness (see oom_harness.h and
 * README.md). Two parts:
 *
 *  1. An interposing allocator: malloc and friends are defined here, so the
 *     executable's definitions win over libc's for every shared library in
 *     the process. They forward to glibc's __libc_* entry points, count
 *     allocation calls while a scenario runs, fail the armed one(s), and keep
 *     live blocks in a fixed-size open-addressing table (no allocation of
 *     its own, alignment-agnostic). mmap, mremap, mprotect and munmap are
 *     interposed the same way for the address space of linear memories
 *     (reserved, made accessible, moved, released), forwarding to the system
 *     calls.
 *
 *  2. The sweep driver: warm-up run, then one forked child per allocation
 *     point, results sent back over a pipe as a plain struct.
 *
 * glibc only (the __libc_* names).
 */
#define _GNU_SOURCE 1

#include "oom_harness.h"

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <execinfo.h>
#include <fnmatch.h>
#include <inttypes.h>
#include <limits.h>
#include <malloc.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef __GLIBC__
#error "oom_harness.c interposes glibc's allocator and needs glibc"
#endif

/* glibc's real allocator. */
extern void *__libc_malloc(size_t size);
extern void *__libc_calloc(size_t nmemb, size_t size);
extern void *__libc_realloc(void *ptr, size_t size);
extern void __libc_free(void *ptr);
extern void *__libc_memalign(size_t alignment, size_t size);
extern void *__libc_valloc(size_t size);
extern void *__libc_pvalloc(size_t size);

/* ======================================================================== */
/* Block table                                                              */
/* ======================================================================== */

/* 2^20 slots of 16 bytes (16 MiB of bss, touched only where used); at most
 * 3/4 of them are filled. Raise with -DOOM_TABLE_BITS=22 if a test reports
 * "allocation table full". */
#ifndef OOM_TABLE_BITS
#define OOM_TABLE_BITS 20
#endif
#define TABLE_SIZE ((size_t)1 << OOM_TABLE_BITS)
#define TABLE_MASK (TABLE_SIZE - 1)
#define TABLE_LIMIT (TABLE_SIZE / 4 * 3)

/* meta = requested size (low 48 bits) | run tag (high 16 bits). Tag 0 means
 * "not allocated during a counted run". */
#define META_SIZE_BITS 48
#define META_SIZE_MASK (((uint64_t)1 << META_SIZE_BITS) - 1)

typedef struct {
    uintptr_t key; /* 0 = empty */
    uint64_t meta;
} slot_t;

static slot_t table[TABLE_SIZE];
static size_t table_used;

static size_t slot_home(uintptr_t key)
{
    uint64_t h = (uint64_t)(key >> 4) * UINT64_C(0x9E3779B97F4A7C15);
    return (size_t)(h >> (64 - OOM_TABLE_BITS));
}

/* ======================================================================== */
/* Allocator state                                                          */
/* ======================================================================== */

#define BT_MAX 48

static struct {
    /* counting window (one scenario run) */
    int counting;
    int suspend;
    uint16_t run_tag;
    uint64_t count;
    /* injection */
    int armed;
    oom_mode mode;
    uint64_t fail_at;
    uint64_t injected;
    int fail_depth; /* call depth at the first injected failure, -1 if none */
    /* strict mode */
    int call_depth;
    int window_depth; /* >0: inside the call that saw the failure */
    int unbalanced;
    uint64_t violations;
    uint64_t first_violation_at;
    /* accounting */
    uint64_t live_blocks, live_bytes;
    uint64_t run_blocks, run_bytes; /* live blocks allocated in this run */
    int table_full;
    /* expectations */
    unsigned expect_failures;
    const char *expect_file;
    int expect_line;
    const char *expect_what;
    /* stack traces */
    int capture;
    int site_frames, viol_frames;
    void *site[BT_MAX];
    void *viol[BT_MAX];
} S = { .fail_depth = -1 };

static atomic_flag S_lock = ATOMIC_FLAG_INIT;
/* Set while this thread captures a backtrace: the unwinder may allocate;
 * those allocations pass straight to libc, uncounted and untracked. */
static _Thread_local int in_hook;

static void lock(void)
{
    while (atomic_flag_test_and_set_explicit(&S_lock, memory_order_acquire)) {
#if defined(__x86_64__) || defined(__i386__)
        __builtin_ia32_pause();
#endif
    }
}

static void unlock(void)
{
    atomic_flag_clear_explicit(&S_lock, memory_order_release);
}

/* Under lock. */
static void table_insert(void *ptr, size_t size, uint16_t tag)
{
    uintptr_t key = (uintptr_t)ptr;
    size_t i = slot_home(key);
    for (;;) {
        slot_t *s = &table[i];
        if (s->key == 0)
            break;
        if (s->key == key) {
            /* Stale entry: the old block was released behind our back
             * (__libc_free called directly). Forget it. */
            uint64_t old = s->meta & META_SIZE_MASK;
            uint16_t oldtag = (uint16_t)(s->meta >> META_SIZE_BITS);
            S.live_blocks--;
            S.live_bytes -= old;
            if (oldtag != 0 && oldtag == S.run_tag) {
                S.run_blocks--;
                S.run_bytes -= old;
            }
            s->meta = (uint64_t)size | ((uint64_t)tag << META_SIZE_BITS);
            goto count;
        }
        i = (i + 1) & TABLE_MASK;
    }
    if (table_used >= TABLE_LIMIT) {
        S.table_full = 1;
        return; /* untracked */
    }
    table[i].key = key;
    table[i].meta = (uint64_t)size | ((uint64_t)tag << META_SIZE_BITS);
    table_used++;
count:
    S.live_blocks++;
    S.live_bytes += size;
    if (tag != 0 && tag == S.run_tag) {
        S.run_blocks++;
        S.run_bytes += size;
    }
}

/* Under lock. Returns 1 and the entry's size and tag if ptr was tracked. */
static int table_remove(void *ptr, size_t *size_out, uint16_t *tag_out)
{
    uintptr_t key = (uintptr_t)ptr;
    size_t i = slot_home(key);
    while (table[i].key != key) {
        if (table[i].key == 0)
            return 0; /* not ours (e.g. from __libc_malloc directly): untracked */
        i = (i + 1) & TABLE_MASK;
    }
    uint64_t size = table[i].meta & META_SIZE_MASK;
    uint16_t tag = (uint16_t)(table[i].meta >> META_SIZE_BITS);
    S.live_blocks--;
    S.live_bytes -= size;
    if (tag != 0 && tag == S.run_tag) {
        S.run_blocks--;
        S.run_bytes -= size;
    }
    /* Backward-shift deletion (no tombstones). */
    size_t hole = i;
    size_t j = i;
    for (;;) {
        j = (j + 1) & TABLE_MASK;
        if (table[j].key == 0)
            break;
        size_t home = slot_home(table[j].key);
        /* Move j into the hole unless its home lies cyclically in (hole, j]. */
        int stays = (hole <= j) ? (home > hole && home <= j) : (home > hole || home <= j);
        if (!stays) {
            table[hole] = table[j];
            hole = j;
        }
    }
    table[hole].key = 0;
    table[hole].meta = 0;
    table_used--;
    if (size_out)
        *size_out = (size_t)size;
    if (tag_out)
        *tag_out = tag;
    return 1;
}

static uint16_t current_tag(void)
{
    return S.counting ? S.run_tag : 0;
}

static void track(void *ptr, size_t size)
{
    if (ptr == NULL || in_hook)
        return;
    lock();
    table_insert(ptr, size, current_tag());
    unlock();
}

__attribute__((noinline)) static void capture_stack(int which)
{
    void *frames[BT_MAX + 2];
    in_hook++;
    int n = backtrace(frames, BT_MAX + 2);
    in_hook--;
    /* Skip capture_stack itself and gate(); start at the allocator entry. */
    int skip = n > 2 ? 2 : 0;
    n -= skip;
    if (n > BT_MAX)
        n = BT_MAX;
    lock();
    if (which == 1) {
        memcpy(S.site, frames + skip, (size_t)n * sizeof(void *));
        S.site_frames = n;
    } else {
        memcpy(S.viol, frames + skip, (size_t)n * sizeof(void *));
        S.viol_frames = n;
    }
    unlock();
}

/* Decide the fate of one allocation call: returns 1 if it must fail. */
__attribute__((noinline)) static int gate(void)
{
    int fail = 0, capture = 0;
    if (in_hook)
        return 0;
    lock();
    if (S.counting && S.suspend == 0) {
        uint64_t n = ++S.count;
        if (S.armed) {
            if (n == S.fail_at) {
                fail = 1;
                S.injected++;
                S.fail_depth = S.call_depth;
                if (S.mode == OOM_STRICT && S.call_depth > 0)
                    S.window_depth = S.call_depth;
                capture = S.capture ? 1 : 0;
            } else if (n > S.fail_at) {
                if (S.mode == OOM_PERSISTENT) {
                    fail = 1;
                    S.injected++;
                } else if (S.mode == OOM_STRICT && S.window_depth > 0) {
                    fail = 1;
                    S.injected++;
                    if (S.violations++ == 0) {
                        S.first_violation_at = n;
                        capture = S.capture ? 2 : 0;
                    }
                }
            }
        }
    }
    unlock();
    if (capture)
        capture_stack(capture);
    return fail;
}

/* ======================================================================== */
/* The interposed allocator                                                 */
/* ======================================================================== */

void *malloc(size_t size)
{
    if (gate()) {
        errno = ENOMEM;
        return NULL;
    }
    void *p = __libc_malloc(size);
    track(p, size);
    return p;
}

void *calloc(size_t nmemb, size_t size)
{
    size_t total;
    if (__builtin_mul_overflow(nmemb, size, &total)) {
        errno = ENOMEM; /* not counted: it cannot succeed anyway */
        return NULL;
    }
    if (gate()) {
        errno = ENOMEM;
        return NULL;
    }
    void *p = __libc_calloc(nmemb, size);
    track(p, total);
    return p;
}

void *realloc(void *ptr, size_t size)
{
    if (ptr == NULL)
        return malloc(size);
    if (size == 0) {
        /* glibc: frees ptr and returns NULL. Not an allocation. */
        lock();
        table_remove(ptr, NULL, NULL);
        unlock();
        void *q = __libc_realloc(ptr, 0);
        track(q, 0);
        return q;
    }
    if (gate()) {
        errno = ENOMEM; /* the old block stays valid */
        return NULL;
    }
    /* Under the lock so that no other thread can be handed ptr's address
     * between the move and the table update (__libc_* never call back). */
    lock();
    void *q = __libc_realloc(ptr, size);
    if (q != NULL) {
        uint16_t tag = 0;
        if (table_remove(ptr, NULL, &tag))
            table_insert(q, size, in_hook ? 0 : tag); /* keeps its run tag */
    }
    unlock();
    return q;
}

void *reallocarray(void *ptr, size_t nmemb, size_t size)
{
    size_t total;
    if (__builtin_mul_overflow(nmemb, size, &total)) {
        errno = ENOMEM;
        return NULL;
    }
    return realloc(ptr, total);
}

void free(void *ptr)
{
    if (ptr == NULL)
        return;
    lock();
    table_remove(ptr, NULL, NULL);
    unlock();
    __libc_free(ptr);
}

/* Inlined so that every entry point has the same frame depth above gate(). */
static inline __attribute__((always_inline)) void *aligned(size_t alignment, size_t size)
{
    if (gate()) {
        errno = ENOMEM;
        return NULL;
    }
    void *p = __libc_memalign(alignment, size);
    track(p, size);
    return p;
}

int posix_memalign(void **memptr, size_t alignment, size_t size)
{
    if (alignment == 0 || alignment % sizeof(void *) != 0 || (alignment & (alignment - 1)) != 0)
        return EINVAL;
    int saved = errno;
    void *p = aligned(alignment, size);
    errno = saved; /* posix_memalign reports through its result */
    if (p == NULL)
        return ENOMEM;
    *memptr = p;
    return 0;
}

void *aligned_alloc(size_t alignment, size_t size)
{
    if (alignment == 0 || (alignment & (alignment - 1)) != 0) {
        errno = EINVAL;
        return NULL;
    }
    return aligned(alignment, size);
}

void *memalign(size_t alignment, size_t size)
{
    return aligned(alignment, size); /* glibc rounds odd alignments up */
}

void *valloc(size_t size)
{
    if (gate()) {
        errno = ENOMEM;
        return NULL;
    }
    void *p = __libc_valloc(size);
    track(p, size);
    return p;
}

void *pvalloc(size_t size)
{
    if (gate()) {
        errno = ENOMEM;
        return NULL;
    }
    void *p = __libc_pvalloc(size);
    track(p, size);
    return p;
}

/* ======================================================================== */
/* The interposed address-space calls                                       */
/* ======================================================================== */

/* Linear memories are mappings: address space reserved inaccessible (an
 * anonymous PROT_NONE mmap), made accessible as they grow (mprotect), resized
 * or moved past their reservation (mremap) and released (munmap); memory
 * images are files mapped at a fixed address inside a reservation (or a pooled
 * memory slot, which gets zero pages mapped over an image it no longer holds).
 * Execution stacks and pools are anonymous readable and writable mappings. Those calls
 * are numbered and failed like allocations; an anonymous mapping is a tracked
 * block of its size, so an unreleased one shows as a leak. Other calls (other
 * file mappings, mprotect removing access, munmap) pass through unnumbered.
 * glibc's own mappings (malloc's arenas, thread stacks and their guard pages)
 * use its internal entry points and never come here. */

static void *map_pages(void *addr, size_t length, int prot, int flags, int fd, off_t offset)
{
    int reservation = (flags & MAP_ANONYMOUS) != 0 && (flags & MAP_FIXED) == 0;
    /* A file mapped over part of a reservation: a memory image (copy-on-write initialization). */
    int image = (flags & MAP_FIXED) != 0 && (flags & MAP_ANONYMOUS) == 0 && fd >= 0;
    /* Zero pages mapped over a pooled slot's image. */
    int zero_pages = (flags & MAP_FIXED) != 0 && (flags & MAP_ANONYMOUS) != 0;
    if ((reservation || image || zero_pages) && gate()) {
        errno = ENOMEM;
        return MAP_FAILED;
    }
    void *p = (void *)syscall(SYS_mmap, addr, length, prot, flags, fd, offset);
    if (reservation && p != MAP_FAILED)
        track(p, length);
    return p;
}

void *mmap(void *addr, size_t length, int prot, int flags, int fd, off_t offset)
{
    return map_pages(addr, length, prot, flags, fd, offset);
}

void *mmap64(void *addr, size_t length, int prot, int flags, int fd, off64_t offset)
{
    return map_pages(addr, length, prot, flags, fd, (off_t)offset);
}

int mprotect(void *addr, size_t len, int prot)
{
    if (prot != PROT_NONE && gate()) {
        errno = ENOMEM;
        return -1;
    }
    return (int)syscall(SYS_mprotect, addr, len, prot);
}

void *mremap(void *old_address, size_t old_size, size_t new_size, int flags, ...)
{
    void *new_address = NULL;
    if (flags & MREMAP_FIXED) {
        va_list ap;
        va_start(ap, flags);
        new_address = va_arg(ap, void *);
        va_end(ap);
    }
    if (gate()) {
        errno = ENOMEM; /* the old mapping stays */
        return MAP_FAILED;
    }
    /* Under the lock, as realloc: the old address may be mapped again at once. */
    lock();
    void *q = (void *)syscall(SYS_mremap, old_address, old_size, new_size, flags, new_address);
    if (q != MAP_FAILED) {
        uint16_t tag = 0;
        if (table_remove(old_address, NULL, &tag))
            table_insert(q, new_size, in_hook ? 0 : tag);
    }
    unlock();
    return q;
}

int munmap(void *addr, size_t len)
{
    lock();
    table_remove(addr, NULL, NULL); /* a reservation released from its start */
    int r = (int)syscall(SYS_munmap, addr, len);
    unlock();
    return r;
}

/* ======================================================================== */
/* Scenario-side API                                                        */
/* ======================================================================== */

static const char *const mode_names[OOM_MODE_COUNT] = { "transient", "persistent", "strict" };

const char *oom_mode_name(oom_mode mode)
{
    return (unsigned)mode < OOM_MODE_COUNT ? mode_names[mode] : "?";
}

void oom_call_begin(void)
{
    lock();
    S.call_depth++;
    unlock();
}

void oom_call_end(void)
{
    lock();
    if (S.call_depth <= 0) {
        S.unbalanced = 1;
    } else {
        if (S.window_depth > 0 && S.call_depth == S.window_depth)
            S.window_depth = 0;
        S.call_depth--;
    }
    unlock();
}

void oom_disarm(void)
{
    lock();
    S.armed = 0;
    S.window_depth = 0;
    unlock();
}

int oom_injected(void)
{
    lock();
    int r = S.injected > 0;
    unlock();
    return r;
}

void oom_suspend(void)
{
    lock();
    S.suspend++;
    unlock();
}

void oom_resume(void)
{
    lock();
    if (S.suspend > 0)
        S.suspend--;
    else
        S.unbalanced = 1;
    unlock();
}

void oom_expect_failed(const char *file, int line, const char *what)
{
    lock();
    if (S.expect_failures++ == 0) {
        S.expect_file = file;
        S.expect_line = line;
        S.expect_what = what;
    }
    unlock();
}

oom_mode oom_current_mode(void)
{
    return S.mode;
}

size_t oom_current_point(void)
{
    return (size_t)S.fail_at;
}

size_t oom_alloc_count(void)
{
    lock();
    size_t r = (size_t)S.count;
    unlock();
    return r;
}

size_t oom_live_blocks(void)
{
    lock();
    size_t r = (size_t)S.live_blocks;
    unlock();
    return r;
}

size_t oom_live_bytes(void)
{
    lock();
    size_t r = (size_t)S.live_bytes;
    unlock();
    return r;
}

/* ======================================================================== */
/* One run                                                                  */
/* ======================================================================== */

#define REPORT_MAGIC 0x6f6f6d31u /* "oom1" */

typedef struct {
    uint32_t magic;
    int32_t result;
    uint64_t allocs;
    uint64_t injected;
    int32_t fail_depth;
    int32_t unbalanced;
    uint64_t leaked_blocks, leaked_bytes;
    uint64_t violations, first_violation_at;
    uint32_t expect_failures;
    int32_t expect_line;
    const char *expect_file; /* static strings: same address in parent */
    const char *expect_what;
    int32_t table_full;
    int32_t site_frames, viol_frames;
    void *site[BT_MAX];
    void *viol[BT_MAX];
} run_report;

/* Run the scenario in this process with allocation `point` failing (0: none). */
static void run_scenario(const oom_scenario *s, oom_mode mode, size_t point, int capture,
                         run_report *rep)
{
    lock();
    S.run_tag = (uint16_t)(S.run_tag + 1 == 0 ? 1 : S.run_tag + 1);
    S.suspend = 0;
    S.count = 0;
    S.armed = point > 0;
    S.mode = mode;
    S.fail_at = point;
    S.injected = 0;
    S.fail_depth = -1;
    S.call_depth = 0;
    S.window_depth = 0;
    S.unbalanced = 0;
    S.violations = 0;
    S.first_violation_at = 0;
    S.run_blocks = 0;
    S.run_bytes = 0;
    S.expect_failures = 0;
    S.capture = capture;
    S.site_frames = 0;
    S.viol_frames = 0;
    S.counting = 1;
    unlock();

    oom_result res = s->run();

    lock();
    S.counting = 0;
    S.armed = 0;
    S.fail_at = 0;
    memset(rep, 0, sizeof *rep);
    rep->magic = REPORT_MAGIC;
    rep->result = (int32_t)res;
    rep->allocs = S.count;
    rep->injected = S.injected;
    rep->fail_depth = S.fail_depth;
    rep->unbalanced = S.unbalanced || S.call_depth != 0 || S.suspend != 0;
    rep->leaked_blocks = S.run_blocks;
    rep->leaked_bytes = S.run_bytes;
    rep->violations = S.violations;
    rep->first_violation_at = S.first_violation_at;
    rep->expect_failures = S.expect_failures;
    rep->expect_file = S.expect_file;
    rep->expect_line = S.expect_line;
    rep->expect_what = S.expect_what;
    rep->table_full = S.table_full;
    rep->site_frames = S.site_frames;
    rep->viol_frames = S.viol_frames;
    memcpy(rep->site, S.site, sizeof rep->site);
    memcpy(rep->viol, S.viol, sizeof rep->viol);
    S.call_depth = 0;
    S.window_depth = 0;
    S.suspend = 0;
    unlock();
}

/* --- crash reporting in the child (async-signal-safe, no allocation) ----- */

static const char *crash_name;
static oom_mode crash_mode;
static size_t crash_point;
static int crash_backtrace;
static char crash_stack[1 << 16];

static void put(const char *s)
{
    size_t n = strlen(s);
    while (n > 0) {
        ssize_t w = write(2, s, n);
        if (w <= 0)
            return;
        s += w;
        n -= (size_t)w;
    }
}

static void put_uint(unsigned long long v)
{
    char buf[24];
    size_t i = sizeof buf;
    buf[--i] = 0;
    do {
        buf[--i] = (char)('0' + v % 10);
        v /= 10;
    } while (v != 0);
    put(buf + i);
}

static const char *sig_name(int sig)
{
    switch (sig) {
    case SIGSEGV: return "SIGSEGV";
    case SIGBUS: return "SIGBUS";
    case SIGILL: return "SIGILL";
    case SIGFPE: return "SIGFPE";
    case SIGABRT: return "SIGABRT";
    case SIGTRAP: return "SIGTRAP";
    case SIGSYS: return "SIGSYS";
    case SIGKILL: return "SIGKILL";
    case SIGTERM: return "SIGTERM";
    case SIGALRM: return "SIGALRM";
    case SIGPIPE: return "SIGPIPE";
    case SIGINT: return "SIGINT";
    default: return "?";
    }
}

static void crash_handler(int sig)
{
    /* The parent reports the signal; print only the stack, when wanted. */
    if (!crash_backtrace)
        goto die;
    put("oom: ");
    put(crash_name ? crash_name : "?");
    put(" ");
    put(oom_mode_name(crash_mode));
    put(" N=");
    put_uint(crash_point);
    put(": caught signal ");
    put_uint((unsigned)sig);
    put(" (");
    put(sig_name(sig));
    put(")\n");
    void *frames[64];
    in_hook++;
    int n = backtrace(frames, 64);
    put("oom: stack at the signal:\n");
    backtrace_symbols_fd(frames, n, 2);
die:
    /* SA_RESETHAND restored the default action: re-raise to die by it. */
    raise(sig);
}

static void install_crash_handlers(void)
{
    stack_t ss;
    memset(&ss, 0, sizeof ss);
    ss.ss_sp = crash_stack;
    ss.ss_size = sizeof crash_stack;
    sigaltstack(&ss, NULL);
    static const int sigs[] = { SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGTRAP, SIGSYS };
    for (size_t i = 0; i < OOM_COUNTOF(sigs); i++) {
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = crash_handler;
        sa.sa_flags = SA_ONSTACK | SA_RESETHAND | SA_NODEFER;
        sigemptyset(&sa.sa_mask);
        sigaction(sigs[i], &sa, NULL);
    }
}

/* --- running a child ------------------------------------------------------ */

typedef enum { OUT_REPORTED, OUT_SIGNALED, OUT_EXITED, OUT_TIMEOUT, OUT_HARNESS } outcome_kind;

typedef struct {
    outcome_kind kind;
    int code; /* signal, exit status, errno or timeout (ms) */
    run_report rep;
} outcome;

static uint64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static void run_forked(const oom_scenario *s, oom_mode mode, size_t point, const oom_options *opt,
                       int crash_bt, outcome *out)
{
    memset(out, 0, sizeof *out);
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0) { /* not inherited by anything the scenario spawns */
        out->kind = OUT_HARNESS;
        out->code = errno;
        return;
    }
    fflush(stdout);
    fflush(stderr);
    lock(); /* no other thread may hold the table lock across fork */
    pid_t pid = fork();
    unlock();
    if (pid < 0) {
        out->kind = OUT_HARNESS;
        out->code = errno;
        close(fds[0]);
        close(fds[1]);
        return;
    }
    if (pid == 0) {
        close(fds[0]);
        crash_name = s->name;
        crash_mode = mode;
        crash_point = point;
        crash_backtrace = crash_bt;
        install_crash_handlers();
        static run_report rep;
        run_scenario(s, mode, point, opt->backtrace, &rep);
        const char *p = (const char *)&rep;
        size_t left = sizeof rep;
        while (left > 0) {
            ssize_t w = write(fds[1], p, left);
            if (w < 0 && errno == EINTR)
                continue;
            if (w <= 0)
                _exit(3);
            p += w;
            left -= (size_t)w;
        }
        _exit(0);
    }

    close(fds[1]);
    size_t got = 0;
    char *dst = (char *)&out->rep;
    int timed_out = 0;
    uint64_t deadline = opt->timeout_ms ? now_ms() + opt->timeout_ms : 0;
    for (;;) {
        int wait_ms = -1;
        if (deadline) {
            uint64_t t = now_ms();
            if (t >= deadline) {
                timed_out = 1;
                break;
            }
            wait_ms = deadline - t > INT_MAX ? INT_MAX : (int)(deadline - t);
        }
        struct pollfd pfd = { .fd = fds[0], .events = POLLIN };
        int pr = poll(&pfd, 1, wait_ms);
        if (pr < 0) {
            if (errno == EINTR)
                continue;
            break;
        }
        if (pr == 0)
            continue; /* re-check deadline */
        char extra[64];
        ssize_t r = got < sizeof out->rep ? read(fds[0], dst + got, sizeof out->rep - got)
                                           : read(fds[0], extra, sizeof extra);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        if (got < sizeof out->rep)
            got += (size_t)r;
        else
            got = SIZE_MAX; /* more than a report: garbage */
    }
    close(fds[0]);
    if (timed_out)
        kill(pid, SIGKILL);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (timed_out) {
        out->kind = OUT_TIMEOUT;
        out->code = (int)(opt->timeout_ms > INT_MAX ? INT_MAX : opt->timeout_ms);
    } else if (WIFSIGNALED(status)) {
        out->kind = OUT_SIGNALED;
        out->code = WTERMSIG(status);
    } else if (got == sizeof out->rep && out->rep.magic == REPORT_MAGIC && WIFEXITED(status) &&
               WEXITSTATUS(status) == 0) {
        out->kind = OUT_REPORTED;
    } else {
        out->kind = OUT_EXITED;
        out->code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    }
}

static void run_inprocess(const oom_scenario *s, oom_mode mode, size_t point, const oom_options *opt,
                          outcome *out)
{
    static run_report rep;
    memset(out, 0, sizeof *out);
    fflush(stdout);
    fflush(stderr);
    run_scenario(s, mode, point, opt->backtrace, &rep);
    out->kind = OUT_REPORTED;
    out->rep = rep;
}

/* ======================================================================== */
/* Judging and printing                                                     */
/* ======================================================================== */

static unsigned judge(const oom_scenario *s, const outcome *o, int *benign)
{
    const run_report *r = &o->rep;
    unsigned k = 0;
    *benign = 0;
    switch (o->kind) {
    case OUT_SIGNALED:
        return OOM_FAIL_CRASH;
    case OUT_TIMEOUT:
        return OOM_FAIL_TIMEOUT;
    case OUT_EXITED:
        return OOM_FAIL_EXIT;
    case OUT_HARNESS:
        return OOM_FAIL_HARNESS;
    case OUT_REPORTED:
        break;
    }
    if (r->result != OOM_RESULT_OK && r->result != OOM_RESULT_OOM && r->result != OOM_RESULT_OTHER_ERROR)
        k |= OOM_FAIL_HARNESS;
    if (r->injected > 0) {
        if (r->result == OOM_RESULT_OK) {
            if (s->flags & OOM_ALLOW_BENIGN_SWALLOW)
                *benign = 1;
            else
                k |= OOM_FAIL_SWALLOWED;
        } else if (r->result == OOM_RESULT_OTHER_ERROR) {
            k |= OOM_FAIL_NOT_OOM;
        }
    } else if (r->result != OOM_RESULT_OK) {
        k |= OOM_FAIL_SPURIOUS;
    }
    if (r->leaked_blocks > 0 || r->leaked_bytes > 0)
        k |= OOM_FAIL_LEAK;
    if (r->violations > 0)
        k |= OOM_FAIL_STRICT;
    if (r->expect_failures > 0 || r->unbalanced)
        k |= OOM_FAIL_EXPECT;
    if (r->table_full)
        k |= OOM_FAIL_HARNESS;
    return k;
}

static const char *kind_word(unsigned bit)
{
    switch (bit) {
    case OOM_FAIL_CRASH: return "crash";
    case OOM_FAIL_TIMEOUT: return "timeout";
    case OOM_FAIL_EXIT: return "exit";
    case OOM_FAIL_SWALLOWED: return "swallowed";
    case OOM_FAIL_SPURIOUS: return "spurious";
    case OOM_FAIL_NOT_OOM: return "not-oom";
    case OOM_FAIL_LEAK: return "leak";
    case OOM_FAIL_STRICT: return "strict";
    case OOM_FAIL_EXPECT: return "expect";
    case OOM_FAIL_NONDETERMINISTIC: return "nondeterministic";
    case OOM_FAIL_NO_ALLOCATION: return "no-allocation";
    case OOM_FAIL_HARNESS: return "harness";
    default: return "?";
    }
}

static void print_kinds(unsigned kinds)
{
    const char *sep = "";
    for (unsigned bit = 1; bit <= OOM_FAIL_HARNESS; bit <<= 1) {
        if (kinds & bit) {
            printf("%s%s", sep, kind_word(bit));
            sep = ", ";
        }
    }
}

static const char *result_name(int32_t r)
{
    switch (r) {
    case OOM_RESULT_OK: return "OK";
    case OOM_RESULT_OOM: return "OOM";
    case OOM_RESULT_OTHER_ERROR: return "OTHER_ERROR";
    default: return "invalid oom_result";
    }
}

/* Symbolize with addr2line when it is available (parent only: it forks a
 * shell). Fills func ("?" when unknown) and loc ("file:line" or ""). */
static int addr2line_usable = -1;

static void symbolize(const char *object, unsigned long offset, char *func, size_t funcsz, char *loc,
                      size_t locsz)
{
    snprintf(func, funcsz, "?");
    loc[0] = 0;
    if (addr2line_usable == 0 || strchr(object, '\'') != NULL)
        return;
    char cmd[PATH_MAX + 96];
    snprintf(cmd, sizeof cmd, "addr2line -f -C -e '%s' 0x%lx 2>/dev/null", object, offset);
    FILE *p = popen(cmd, "r");
    if (p == NULL) {
        addr2line_usable = 0;
        return;
    }
    char line1[512], line2[PATH_MAX + 32];
    int got = fgets(line1, sizeof line1, p) != NULL && fgets(line2, sizeof line2, p) != NULL;
    int status = pclose(p);
    if (!got || status != 0) {
        if (addr2line_usable < 0)
            addr2line_usable = 0; /* missing tool: do not try again */
        return;
    }
    addr2line_usable = 1;
    line1[strcspn(line1, "\n")] = 0;
    line2[strcspn(line2, "\n")] = 0;
    if (strcmp(line1, "??") != 0)
        snprintf(func, funcsz, "%s", line1);
    if (strncmp(line2, "??", 2) != 0)
        snprintf(loc, locsz, "%s", line2);
}

/* One frame per line: "#i function at file:line  (object+offset)". The
 * offset is the call site within the object, for addr2line. The list stops
 * at the harness's own frames. */
static void print_frames(const char *title, void *const *frames, int n)
{
    if (n <= 0)
        return;
    printf("        %s\n", title);
    if (addr2line_usable < 0) {
        const char *v = getenv("SWASM_OOM_ADDR2LINE");
        if (v != NULL && strcmp(v, "0") == 0)
            addr2line_usable = 0;
    }
    for (int i = 0; i < n; i++) {
        uintptr_t pc = (uintptr_t)frames[i] - 1; /* return address -> call site */
        Dl_info info;
        memset(&info, 0, sizeof info);
        if (dladdr((void *)pc, &info) == 0 || info.dli_fname == NULL) {
            printf("          #%-2d %p\n", i, frames[i]);
            continue;
        }
        unsigned long off = (unsigned long)(pc - (uintptr_t)info.dli_fbase);
        char func[512], loc[PATH_MAX + 32];
        symbolize(info.dli_fname, off, func, sizeof func, loc, sizeof loc);
        if (strcmp(func, "?") == 0 && info.dli_sname != NULL)
            snprintf(func, sizeof func, "%s+0x%lx", info.dli_sname, (unsigned long)(pc - (uintptr_t)info.dli_saddr));
        if (strcmp(func, "run_scenario") == 0) {
            printf("          (harness frames omitted)\n");
            break;
        }
        printf("          #%-2d %s%s%s  (%s+0x%lx)\n", i, func, loc[0] ? " at " : "", loc, info.dli_fname, off);
    }
}

/* One line per failing run: "    N=12: leaked 2 blocks (48 bytes); ...". */
static void print_failure(const char *label, const outcome *o, unsigned kinds, int with_stacks)
{
    const run_report *r = &o->rep;
    const char *sep = "";
    printf("    %s: ", label);
#define SEP() (printf("%s", sep), sep = "; ")
    if (kinds & OOM_FAIL_CRASH) {
        SEP();
        printf("crashed: signal %d (%s)", o->code, sig_name(o->code));
    }
    if (kinds & OOM_FAIL_TIMEOUT) {
        SEP();
        printf("timed out after %d ms (killed)", o->code);
    }
    if (kinds & OOM_FAIL_EXIT) {
        SEP();
        printf("exited with status %d without reporting", o->code);
    }
    if (o->kind == OUT_HARNESS) {
        SEP();
        printf("harness error: %s", strerror(o->code));
    }
    if (o->kind == OUT_REPORTED) {
        if (kinds & OOM_FAIL_SWALLOWED) {
            SEP();
            printf("swallowed failure: returned OK although %" PRIu64 " allocation(s) failed", r->injected);
        }
        if (kinds & OOM_FAIL_SPURIOUS) {
            SEP();
            printf("spurious error: returned %s although no allocation failed", result_name(r->result));
        }
        if (kinds & OOM_FAIL_NOT_OOM) {
            SEP();
            printf("not an OOM error: returned OTHER_ERROR for an injected failure");
        }
        if (kinds & OOM_FAIL_LEAK) {
            SEP();
            printf("leaked %" PRIu64 " block(s) (%" PRIu64 " bytes)", r->leaked_blocks, r->leaked_bytes);
        }
        if (kinds & OOM_FAIL_STRICT) {
            SEP();
            printf("strict: %" PRIu64 " allocation(s) after the failure inside the same call (first: allocation #%" PRIu64 ")",
                   r->violations, r->first_violation_at);
        }
        if (r->expect_failures > 0) {
            SEP();
            printf("OOM_EXPECT failed at %s:%d: %s", r->expect_file ? r->expect_file : "?", r->expect_line,
                   r->expect_what ? r->expect_what : "?");
            if (r->expect_failures > 1)
                printf(" (+%u more)", r->expect_failures - 1);
        }
        if (r->unbalanced) {
            SEP();
            printf("unbalanced OOM_CALL_BEGIN/END or oom_suspend/resume");
        }
        if (r->table_full) {
            SEP();
            printf("harness: allocation table full (rebuild with larger -DOOM_TABLE_BITS)");
        }
        if (kinds & OOM_FAIL_HARNESS && r->result != OOM_RESULT_OK && r->result != OOM_RESULT_OOM &&
            r->result != OOM_RESULT_OTHER_ERROR) {
            SEP();
            printf("scenario returned %d, not an oom_result", r->result);
        }
    }
#undef SEP
    printf("\n");
    if (with_stacks && o->kind == OUT_REPORTED) {
        print_frames("the failed allocation was made at:", r->site, r->site_frames);
        if (kinds & OOM_FAIL_STRICT)
            print_frames("the first allocation after it was made at:", r->viol, r->viol_frames);
    }
}

/* ======================================================================== */
/* Sweeps                                                                   */
/* ======================================================================== */

static unsigned env_uint(const char *name, unsigned long long dflt, unsigned long long *out)
{
    const char *v = getenv(name);
    *out = dflt;
    if (v == NULL || *v == 0)
        return 0;
    char *end;
    errno = 0;
    unsigned long long x = strtoull(v, &end, 10);
    if (errno != 0 || *end != 0 || v[0] == '-') {
        fprintf(stderr, "oom: ignoring %s=%s (not a number)\n", name, v);
        return 0;
    }
    *out = x;
    return 1;
}

void oom_default_options(oom_options *opt)
{
    unsigned long long v;
    memset(opt, 0, sizeof *opt);
    env_uint("SWASM_OOM_MAX_POINTS", 0, &v);
    opt->max_points = (size_t)v;
    env_uint("SWASM_OOM_TIMEOUT_MS", 60000, &v);
    opt->timeout_ms = v > UINT_MAX ? UINT_MAX : (unsigned)v;
    env_uint("SWASM_OOM_BACKTRACE", 1, &v);
    opt->backtrace = v != 0;
    opt->max_shown = 10;
    opt->stop_after = 0;
}

static void driver_init(const oom_options *opt)
{
    static int unwinder_loaded;
    if (opt->backtrace && !unwinder_loaded) {
        unwinder_loaded = 1;
        /* Load the unwinder now: its first use allocates. */
        void *f[2];
        (void)backtrace(f, 2);
    }
}

/* Failing runs are kept (up to MAX_RECORDS) and printed below the sweep's
 * result line. */
#define MAX_RECORDS 128

typedef struct {
    char label[48];
    unsigned kinds;
    int has_outcome;
    char msg[256];
    outcome o;
} record;

static record records[MAX_RECORDS];

typedef struct {
    const oom_scenario *s;
    oom_mode mode;
    const oom_options *opt;
    oom_sweep_result *res;
    size_t nrecords;
    int crash_seen;
} sweep_ctx;

/* kinds == 0: an informational note, not a failure. */
static record *new_record(sweep_ctx *c, unsigned kinds)
{
    if (kinds != 0) {
        c->res->failed_points++;
        c->res->kinds |= kinds;
    }
    if (c->nrecords >= MAX_RECORDS)
        return NULL;
    record *r = &records[c->nrecords++];
    memset(r, 0, offsetof(record, o));
    r->kinds = kinds;
    return r;
}

static void note_failure(sweep_ctx *c, const char *label, const outcome *o, unsigned kinds)
{
    record *r = new_record(c, kinds);
    if (r == NULL)
        return;
    snprintf(r->label, sizeof r->label, "%s", label);
    r->has_outcome = 1;
    r->o = *o;
}

__attribute__((format(printf, 3, 4))) static void note_message(sweep_ctx *c, unsigned kinds, const char *fmt, ...)
{
    record *r = new_record(c, kinds);
    if (r == NULL)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->msg, sizeof r->msg, fmt, ap);
    va_end(ap);
}

/* OOM_PRIME: one uncounted run in this process, once per scenario. */
static void prime(const oom_scenario *s, const oom_options *opt)
{
    static const oom_scenario *primed[256];
    static size_t nprimed;
    if (!(s->flags & OOM_PRIME))
        return;
    for (size_t i = 0; i < nprimed; i++)
        if (primed[i] == s)
            return;
    if (nprimed < OOM_COUNTOF(primed))
        primed[nprimed++] = s;
    fflush(stdout);
    oom_result r = s->run();
    if (r != OOM_RESULT_OK && !opt->quiet)
        printf("%-28s priming run returned %s\n", s->name, result_name(r));
}

static void run_point(sweep_ctx *c, size_t point, outcome *o)
{
    int crash_bt = c->opt->backtrace && !c->crash_seen;
    run_forked(c->s, c->mode, point, c->opt, crash_bt, o);
    if (o->kind == OUT_SIGNALED)
        c->crash_seen = 1;
}

static void print_sweep(const sweep_ctx *c, const char *stopped)
{
    const oom_scenario *s = c->s;
    const oom_options *opt = c->opt;
    const oom_sweep_result *res = c->res;
    printf("%-28s %-10s swept %zu", s->name, oom_mode_name(c->mode), res->points);
    if (res->capped)
        printf(" of %zu", res->warmup_allocs);
    printf(" allocation point%s", res->points == 1 && !res->capped ? "" : "s");
    if (res->capped)
        printf(" (capped at %zu)", opt->max_points);
    if (res->ok) {
        printf(": ok");
    } else {
        printf(": FAILED, %zu failing run%s (", res->failed_points, res->failed_points == 1 ? "" : "s");
        print_kinds(res->kinds);
        printf(")");
    }
    if (stopped)
        printf(" [%s]", stopped);
    if (res->benign_swallows)
        printf(" [%zu benign swallow%s]", res->benign_swallows, res->benign_swallows == 1 ? "" : "s");
    if (res->unmarked_points)
        printf(" [%zu point%s outside OOM_CALL]", res->unmarked_points, res->unmarked_points == 1 ? "" : "s");
    if (res->points == 0 && res->ok && (s->flags & OOM_NO_ALLOCATION))
        printf(" [declared OOM_NO_ALLOCATION]");
    printf("\n");

    size_t limit = opt->verbose ? MAX_RECORDS : opt->max_shown;
    size_t shown = 0, stacks = 0;
    for (size_t i = 0; i < c->nrecords && shown < limit; i++) {
        const record *r = &records[i];
        if (r->kinds != 0)
            shown++;
        if (!r->has_outcome) {
            printf("    %s\n", r->msg);
            continue;
        }
        int with_stacks = opt->backtrace && (opt->verbose || stacks < 3);
        print_failure(r->label, &r->o, r->kinds, with_stacks);
        stacks += with_stacks;
    }
    if (res->failed_points > shown)
        printf("    ... %zu more failing run%s not listed%s\n", res->failed_points - shown,
               res->failed_points - shown == 1 ? "" : "s", opt->verbose ? "" : " (-v for more)");
    fflush(stdout);
}

int oom_sweep(const oom_scenario *s, oom_mode mode, const oom_options *opt_in, oom_sweep_result *result)
{
    oom_options defaults;
    if (opt_in == NULL) {
        oom_default_options(&defaults);
        opt_in = &defaults;
    }
    const oom_options *opt = opt_in;
    oom_sweep_result local;
    oom_sweep_result *res = result ? result : &local;
    memset(res, 0, sizeof *res);
    driver_init(opt);

    prime(s, opt);
    sweep_ctx c = { .s = s, .mode = mode, .opt = opt, .res = res };
    static outcome o; /* large (stack traces): keep it off the stack */
    char label[48];
    int benign = 0;
    const char *stopped = NULL;

    /* Warm-up: no failure. */
    run_point(&c, 0, &o);
    unsigned k = judge(s, &o, &benign);
    if (k != 0) {
        note_failure(&c, "warm-up (no failure injected)", &o, k);
        if (k & OOM_FAIL_LEAK)
            note_message(&c, 0, "(a block kept by one-time global initialisation also shows as a leak here; "
                                "see OOM_PRIME)");
        stopped = "warm-up failed, not swept";
        goto done;
    }
    size_t K = (size_t)o.rep.allocs;
    res->warmup_allocs = K;
    if (K == 0) {
        if (!(s->flags & OOM_NO_ALLOCATION))
            note_message(&c, OOM_FAIL_NO_ALLOCATION,
                         "the scenario made no allocation (flag it OOM_NO_ALLOCATION if that is intended)");
        goto done;
    }

    size_t margin = K / 4 + 64;
    size_t npoints = K;
    if (opt->max_points > 0 && K > opt->max_points) {
        res->capped = 1;
        npoints = opt->max_points;
    }

    for (size_t i = 0;; i++) {
        size_t N;
        if (!res->capped)
            N = i + 1;
        else if (i < npoints)
            N = 1 + (size_t)(((unsigned long long)i * K) / npoints); /* spread over 1..K */
        else
            N = K + 1 + (i - npoints);
        run_point(&c, N, &o);
        k = judge(s, &o, &benign);
        if (o.kind == OUT_REPORTED && o.rep.injected == 0) {
            /* The run completed without reaching allocation N: done. */
            if (N <= K)
                note_message(&c, OOM_FAIL_NONDETERMINISTIC,
                             "N=%zu: nondeterministic: the run made only %" PRIu64 " allocations, the warm-up %zu "
                             "(threads? random seeds? for Swift try SWIFT_DETERMINISTIC_HASHING=1)",
                             N, o.rep.allocs, K);
            if (k != 0) {
                snprintf(label, sizeof label, "N=%zu (no failure reached)", N);
                note_failure(&c, label, &o, k);
            }
            break;
        }
        res->points++;
        if (benign)
            res->benign_swallows++;
        if (mode == OOM_STRICT && o.kind == OUT_REPORTED && o.rep.fail_depth == 0)
            res->unmarked_points++;
        if (N == K + 1)
            note_message(&c, OOM_FAIL_NONDETERMINISTIC,
                         "N=%zu: nondeterministic: the run reached allocation N, the warm-up made only %zu", N, K);
        if (k != 0) {
            snprintf(label, sizeof label, "N=%zu", N);
            note_failure(&c, label, &o, k);
        }
        if (opt->stop_after > 0 && res->failed_points >= opt->stop_after) {
            stopped = "stopped after --stop-after failing runs";
            break;
        }
        if (N >= K + margin) {
            note_message(&c, OOM_FAIL_NONDETERMINISTIC,
                         "sweep did not terminate: still injecting at N=%zu (warm-up K=%zu)", N, K);
            break;
        }
    }

done:
    res->ok = res->failed_points == 0;
    if (!opt->quiet)
        print_sweep(&c, stopped);
    return res->ok;
}

/* ======================================================================== */
/* Main driver                                                              */
/* ======================================================================== */

static void usage(const char *argv0)
{
    fprintf(stderr,
            "usage: %s [options] [NAME|GLOB ...]\n"
            "  --mode M[,M...]     transient, persistent, strict or all (default all)\n"
            "  --max-points N      at most N points per sweep, spread over 1..K\n"
            "                      (default $SWASM_OOM_MAX_POINTS, else unlimited)\n"
            "  --point N           run only allocation point N (0 = warm-up run)\n"
            "  --no-fork           with --point: run in this process (debugger)\n"
            "  --timeout-ms MS     per run (default $SWASM_OOM_TIMEOUT_MS, else 60000; 0 = none)\n"
            "  --stop-after N      stop a sweep after N failing runs\n"
            "  --no-backtrace      no stack traces ($SWASM_OOM_BACKTRACE=0)\n"
            "  -v, --verbose       list every failing point\n"
            "  --list              list scenarios\n",
            argv0);
}

static int parse_size(const char *s, size_t *out)
{
    char *end;
    if (s == NULL || *s == 0 || *s == '-')
        return 0;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno != 0 || *end != 0)
        return 0;
    *out = (size_t)v;
    return 1;
}

static int parse_modes(const char *s, unsigned *mask)
{
    while (*s) {
        size_t n = strcspn(s, ",");
        int found = 0;
        if (n == 3 && strncmp(s, "all", 3) == 0) {
            *mask |= 7;
            found = 1;
        }
        for (int m = 0; m < OOM_MODE_COUNT; m++) {
            if (strlen(mode_names[m]) == n && strncmp(s, mode_names[m], n) == 0) {
                *mask |= 1u << m;
                found = 1;
            }
        }
        if (!found)
            return 0;
        s += n;
        if (*s == ',')
            s++;
    }
    return 1;
}

static int name_selected(const char *name, char **filters, size_t nfilters)
{
    if (nfilters == 0)
        return 1;
    for (size_t i = 0; i < nfilters; i++)
        if (strcmp(filters[i], name) == 0 || fnmatch(filters[i], name, 0) == 0)
            return 1;
    return 0;
}

int oom_run_scenarios(const oom_scenario *list, size_t count, int argc, char **argv)
{
    oom_options opt;
    oom_default_options(&opt);
    unsigned modes = 0;
    size_t point = 0;
    int have_point = 0, no_fork = 0, do_list = 0;
    const char *argv0 = argc > 0 && argv[0] ? argv[0] : "oom";
    size_t nfilters = 0;
    int rc = 2;
    /* The driver process never counts, so it may allocate freely. */
    char **filters = malloc(sizeof(char *) * (size_t)(argc > 0 ? argc : 1));
    if (filters == NULL) {
        fprintf(stderr, "%s: out of memory\n", argv0);
        return 2;
    }

    setvbuf(stdout, NULL, _IOLBF, 0);

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *val = NULL;
        size_t t;
#define OPTVAL(flag)                                                                                   \
    (strcmp(a, flag) == 0 ? (val = i + 1 < argc ? argv[++i] : NULL, 1)                                 \
                          : (strncmp(a, flag "=", sizeof(flag)) == 0 ? (val = a + sizeof(flag), 1) : 0))
        if (OPTVAL("--mode")) {
            if (val == NULL || !parse_modes(val, &modes)) {
                fprintf(stderr, "%s: bad --mode (transient, persistent, strict, all)\n", argv0);
                goto out;
            }
        } else if (OPTVAL("--max-points")) {
            if (!parse_size(val, &opt.max_points)) {
                fprintf(stderr, "%s: bad --max-points\n", argv0);
                goto out;
            }
        } else if (OPTVAL("--point")) {
            if (!parse_size(val, &point)) {
                fprintf(stderr, "%s: bad --point\n", argv0);
                goto out;
            }
            have_point = 1;
        } else if (OPTVAL("--timeout-ms")) {
            if (!parse_size(val, &t)) {
                fprintf(stderr, "%s: bad --timeout-ms\n", argv0);
                goto out;
            }
            opt.timeout_ms = t > UINT_MAX ? UINT_MAX : (unsigned)t;
        } else if (OPTVAL("--stop-after")) {
            if (!parse_size(val, &opt.stop_after)) {
                fprintf(stderr, "%s: bad --stop-after\n", argv0);
                goto out;
            }
        } else if (strcmp(a, "--no-fork") == 0) {
            no_fork = 1;
        } else if (strcmp(a, "--no-backtrace") == 0) {
            opt.backtrace = 0;
        } else if (strcmp(a, "-v") == 0 || strcmp(a, "--verbose") == 0) {
            opt.verbose = 1;
        } else if (strcmp(a, "--list") == 0) {
            do_list = 1;
        } else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            usage(argv0);
            rc = 0;
            goto out;
        } else if (a[0] == '-') {
            fprintf(stderr, "%s: unknown option %s\n", argv0, a);
            usage(argv0);
            goto out;
        } else {
            filters[nfilters++] = argv[i];
        }
#undef OPTVAL
    }
    if (modes == 0)
        modes = 7;
    if (no_fork && !have_point) {
        fprintf(stderr, "%s: --no-fork needs --point N\n", argv0);
        goto out;
    }

    size_t selected = 0;
    for (size_t i = 0; i < count; i++) {
        if (!name_selected(list[i].name, filters, nfilters))
            continue;
        selected++;
        if (do_list)
            printf("%s\n", list[i].name);
    }
    if (do_list) {
        rc = 0;
        goto out;
    }
    if (selected == 0) {
        fprintf(stderr, "%s: no scenario matches\n", argv0);
        goto out;
    }

    driver_init(&opt);

    if (have_point) {
        /* Single point: run it and describe it fully. */
        rc = 0;
        for (size_t i = 0; i < count; i++) {
            const oom_scenario *s = &list[i];
            if (!name_selected(s->name, filters, nfilters))
                continue;
            for (int m = 0; m < OOM_MODE_COUNT; m++) {
                if (!(modes & (1u << m)))
                    continue;
                static outcome o;
                int benign = 0;
                if (no_fork)
                    run_inprocess(s, (oom_mode)m, point, &opt, &o);
                else
                    run_forked(s, (oom_mode)m, point, &opt, opt.backtrace, &o);
                unsigned k = judge(s, &o, &benign);
                if (point > 0 && o.kind == OUT_REPORTED && o.rep.injected == 0)
                    printf("%-28s %-10s N=%zu: not reached (the run made %" PRIu64 " allocations)\n", s->name,
                           mode_names[m], point, o.rep.allocs);
                else if (k == 0)
                    printf("%-28s %-10s N=%zu: ok (returned %s, %" PRIu64 " allocations%s)\n", s->name,
                           mode_names[m], point, result_name(o.rep.result), o.rep.allocs,
                           benign ? ", benign swallow" : "");
                if (k != 0) {
                    char label[96];
                    snprintf(label, sizeof label, "%s %s N=%zu", s->name, mode_names[m], point);
                    print_failure(label, &o, k, opt.backtrace);
                    rc = 1;
                }
            }
        }
        goto out;
    }

    if (opt.max_points > 0)
        printf("oom: quick mode: at most %zu allocation points per scenario and mode\n", opt.max_points);

    size_t sweeps = 0, failed = 0, total_points = 0;
    int capped_any = 0;
    char failed_names[1024];
    size_t fn_len = 0;
    failed_names[0] = 0;
    for (size_t i = 0; i < count; i++) {
        const oom_scenario *s = &list[i];
        if (!name_selected(s->name, filters, nfilters))
            continue;
        for (int m = 0; m < OOM_MODE_COUNT; m++) {
            if (!(modes & (1u << m)))
                continue;
            oom_sweep_result res;
            oom_sweep(s, (oom_mode)m, &opt, &res);
            sweeps++;
            total_points += res.points;
            capped_any |= res.capped;
            if (!res.ok) {
                failed++;
                if (fn_len < sizeof failed_names) {
                    int w = snprintf(failed_names + fn_len, sizeof failed_names - fn_len, " %s/%s", s->name,
                                     mode_names[m]);
                    fn_len += w > 0 ? (size_t)w : 0;
                }
            }
        }
    }
    printf("oom summary: %zu sweep%s, %zu passed, %zu failed; %zu allocation points swept%s\n", sweeps,
           sweeps == 1 ? "" : "s", sweeps - failed, failed, total_points,
           capped_any ? " (capped: quick mode)" : "");
    if (failed)
        printf("oom failed:%s%s\n", failed_names, fn_len >= sizeof failed_names ? " ..." : "");
    rc = failed ? 1 : 0;

out:
    fflush(stdout);
    free(filters);
    return rc;
}
