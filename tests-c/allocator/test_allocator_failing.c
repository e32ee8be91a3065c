// swasm_set_allocator with an allocator that fails (ctest allocator_failing; README.md here):
// the workload runs once per N = 1, 2, ... in a forked child whose allocator refuses its Nth
// allocation (transient: only that one; persistent: that one and every later one), until a run
// makes fewer than N allocations. Each run must end without a crash, report out of memory when
// an allocation failed (a failure the library absorbs by design is counted and shown, never a
// wrong result or another error) and nothing else when none did, and free every block it got.
// After a transient failure the child runs the workload again with nothing failing: it must
// succeed, so the failure left nothing behind in the library.
#define _GNU_SOURCE 1
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "workload.h"

void *__libc_malloc(size_t size);
void *__libc_realloc(void *ptr, size_t size);
void __libc_free(void *ptr);

typedef struct {
  pthread_mutex_t lock;
  uint64_t count;   // allocations asked (malloc and realloc)
  uint64_t fail_at; // 0: none fails
  bool persistent;
  uint64_t injected;
  uint64_t live_blocks;
} failing_t;

static failing_t failing = {.lock = PTHREAD_MUTEX_INITIALIZER};

// Whether this allocation is refused.
static bool refuse(failing_t *f) {
  pthread_mutex_lock(&f->lock);
  f->count++;
  bool refused = f->fail_at != 0 && (f->count == f->fail_at || (f->persistent && f->count > f->fail_at));
  if (refused) f->injected++;
  pthread_mutex_unlock(&f->lock);
  return refused;
}

static void *failing_malloc(void *user, size_t size) {
  failing_t *f = user;
  if (refuse(f)) return NULL;
  void *block = __libc_malloc(size);
  if (block) {
    pthread_mutex_lock(&f->lock);
    f->live_blocks++;
    pthread_mutex_unlock(&f->lock);
  }
  return block;
}

static void *failing_realloc(void *user, void *ptr, size_t size) {
  return refuse(user) ? NULL : __libc_realloc(ptr, size);
}

static void failing_free(void *user, void *ptr) {
  failing_t *f = user;
  pthread_mutex_lock(&f->lock);
  f->live_blocks--;
  pthread_mutex_unlock(&f->lock);
  __libc_free(ptr);
}

typedef struct {
  workload_status status;
  int failure_line;
  uint64_t count, injected, live_blocks;
  workload_status retry_status; // the run after a transient failure
  uint64_t retry_live_blocks;
} report_t;

typedef enum { RUN_PASSED, RUN_SWALLOWED, RUN_FAILED } verdict_t;

static const int scale = 10;

// One run in a forked child; false if the child crashed or reported nothing.
static bool run_child(uint64_t fail_at, bool persistent, report_t *out, int *signal_out) {
  int fds[2];
  if (pipe(fds) != 0) return false;
  fflush(stdout);
  pid_t pid = fork();
  if (pid == 0) {
    close(fds[0]);
    alarm(60);
    failing.fail_at = fail_at;
    failing.persistent = persistent;
    swasm_allocator_t allocator = {failing_malloc, failing_realloc, failing_free, &failing};
    report_t report;
    memset(&report, 0, sizeof report);
    if (!swasm_set_allocator(&allocator)) _exit(3);
    report.status = workload_run(scale);
    report.failure_line = workload_failure_line;
    pthread_mutex_lock(&failing.lock);
    report.count = failing.count;
    report.injected = failing.injected;
    report.live_blocks = failing.live_blocks;
    failing.fail_at = 0;
    pthread_mutex_unlock(&failing.lock);
    report.retry_status = WORKLOAD_OK;
    if (report.injected > 0 && !persistent) {
      report.retry_status = workload_run(scale);
      report.retry_live_blocks = failing.live_blocks;
    }
    ssize_t written = write(fds[1], &report, sizeof report);
    _exit(written == (ssize_t)sizeof report ? 0 : 4);
  }
  close(fds[1]);
  memset(out, 0, sizeof *out);
  ssize_t got = read(fds[0], out, sizeof *out);
  close(fds[0]);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  *signal_out = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
  return pid > 0 && got == (ssize_t)sizeof *out && WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

static int sweep(bool persistent) {
  const char *mode = persistent ? "persistent" : "transient";
  report_t warm;
  int signal_number = 0;
  if (!run_child(0, persistent, &warm, &signal_number) || warm.status != WORKLOAD_OK || warm.live_blocks != 0) {
    printf("%s: the run without failures failed (status %d, line %d, signal %d, %" PRIu64 " blocks left)\n", mode,
           warm.status, warm.failure_line, signal_number, warm.live_blocks);
    return 1;
  }
  uint64_t points = 0, oom = 0, swallowed = 0, failures = 0;
  for (uint64_t n = 1;; n++) {
    report_t r;
    bool reported = run_child(n, persistent, &r, &signal_number);
    if (reported && r.injected == 0) {
      // Past the last allocation: the run must be the clean one.
      if (r.status != WORKLOAD_OK || r.live_blocks != 0) {
        printf("%s N=%" PRIu64 ": no failure injected but status %d, %" PRIu64 " blocks left\n", mode, n, r.status, r.live_blocks);
        failures++;
      }
      break;
    }
    points++;
    const char *problem = NULL;
    if (!reported) problem = signal_number ? "crashed" : "reported nothing";
    else if (r.status == WORKLOAD_FAIL) problem = "failed with something other than out of memory";
    else if (r.live_blocks != 0) problem = "leaked";
    else if (r.retry_status != WORKLOAD_OK || r.retry_live_blocks != 0) problem = "the run after it failed";
    if (problem) {
      printf("%s N=%" PRIu64 ": %s (status %d, workload.h line %d, signal %d, %" PRIu64 " blocks left)\n", mode, n,
             problem, reported ? (int)r.status : -1, r.failure_line, signal_number, r.live_blocks);
      failures++;
      if (failures > 20) break;
      continue;
    }
    if (r.status == WORKLOAD_OOM) oom++;
    else swallowed++;
    if (n > warm.count + 10) {
      printf("%s: the sweep does not end (N=%" PRIu64 ", %" PRIu64 " allocations without failures)\n", mode, n, warm.count);
      failures++;
      break;
    }
  }
  printf("%s: %" PRIu64 " allocation points swept (%" PRIu64 " allocations without failures): %" PRIu64
         " out of memory, %" PRIu64 " absorbed by the library, %" PRIu64 " failures\n",
         mode, points, warm.count, oom, swallowed, failures);
  if (points < warm.count) {
    printf("%s: fewer points than allocations\n", mode);
    failures++;
  }
  return failures ? 1 : 0;
}

int main(int argc, char **argv) {
  printf("allocator_failing: the embedder's allocator fails allocation N, N = 1, 2, ...\n");
  int failed = 0;
  bool only_transient = argc > 1 && strcmp(argv[1], "transient") == 0;
  bool only_persistent = argc > 1 && strcmp(argv[1], "persistent") == 0;
  if (!only_persistent) failed |= sweep(false);
  if (!only_transient) failed |= sweep(true);
  printf("allocator_failing: %s\n", failed ? "FAILED" : "ok");
  return failed;
}
