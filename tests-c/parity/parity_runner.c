/* C API parity runner: runs every case against one library and prints a canonical transcript.
 *
 *   parity_runner LIBRARY [--list] [--timeout SECONDS] [PREFIX...]
 *
 * LIBRARY is libswasm.so or wasmtime's libwasmtime.so; the same binary runs against either (it is
 * compiled against swasm's headers, which mirror wasmtime's API and ABI, and links neither). Each
 * case runs in a forked child that dlopens LIBRARY (RTLD_NOW | RTLD_LOCAL) and resolves the whole
 * C API with dlsym, so a case where the library aborts (a Rust panic in wasmtime) is recorded as
 * "aborted/signal N" and the run goes on. PREFIX arguments select the cases whose names start
 * with one of them.
 *
 * Transcript:
 *   === CASE-NAME
 *   ...lines the case printed...
 *   --- ok | unexported | aborted/signal N | exit N | timeout
 *
 * Environment: PARITY_STDERR=1 keeps the children's stderr (panic messages), PARITY_WAT2WASM names
 * wabt's wat2wasm, PARITY_CACHE_DIR holds assembled modules. */
#define _GNU_SOURCE
#include "parity.h"

#include <dlfcn.h>
#include <ftw.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define PARITY_DEFINE_POINTER(name, tier, header) __typeof__(p_##name) p_##name;
PARITY_API_LIST(PARITY_DEFINE_POINTER)
#undef PARITY_DEFINE_POINTER

typedef struct {
  const char *name;
  const char *tier;
  const char *header;
  void **slot;
} api_entry_t;

#define PARITY_ENTRY(name, tier, header) {#name, tier, header, (void **)&p_##name},
static const api_entry_t api_table[] = {PARITY_API_LIST(PARITY_ENTRY)};
#undef PARITY_ENTRY
#define API_COUNT (sizeof api_table / sizeof api_table[0])

enum { EXIT_UNEXPORTED = 3, EXIT_DLOPEN = 4 };

_Noreturn void parity_unexported(const char *name) {
  out("unexported: %s", name);
  _exit(EXIT_UNEXPORTED);
}

static const char *library_path;
int case_arg;

static void resolve_all(void) {
  void *h = dlopen(library_path, RTLD_NOW | RTLD_LOCAL);
  if (h == NULL) {
    out("harness: dlopen failed: %s", dlerror());
    _exit(EXIT_DLOPEN);
  }
  for (size_t i = 0; i < API_COUNT; i++) *api_table[i].slot = dlsym(h, api_table[i].name);
}

/* ---- the exported-symbol census, one case per tier of capi-functions.tsv ---- */

static void exports_of_tier(const char *tier) {
  size_t total = 0, missing = 0;
  for (size_t i = 0; i < API_COUNT; i++) {
    if (strcmp(api_table[i].tier, tier) != 0) continue;
    total++;
    if (*api_table[i].slot == NULL) {
      missing++;
      out("unexported %s (%s)", api_table[i].name, api_table[i].header);
    }
  }
  out("%zu of %zu exported", total - missing, total);
}

#define TIER_CASE(t) \
  static void exports_##t(void) { exports_of_tier(#t); }
TIER_CASE(core)
TIER_CASE(refs)
TIER_CASE(gc)
TIER_CASE(exn)
TIER_CASE(async)
TIER_CASE(wasi)
TIER_CASE(ext)
TIER_CASE(stub)

static const parity_case_t cases_exports[] = {
    {"exports.core", exports_core}, {"exports.refs", exports_refs},   {"exports.gc", exports_gc},
    {"exports.exn", exports_exn},   {"exports.async", exports_async}, {"exports.wasi", exports_wasi},
    {"exports.ext", exports_ext},   {"exports.stub", exports_stub},   CASES_END};

static const parity_case_t *const all_tables[] = {
    cases_exports,    cases_config,    cases_store,
    cases_module,     cases_instance_linker, cases_func,
    cases_global_table_memory, cases_trap_error, cases_types,
    cases_wasm_h,     cases_ref_wat,
};

/* ---- running one case in a child ---- */

static unsigned timeout_seconds = 30;
/* The children's working directory: files a library writes there (wasmtime's jitdump files, say)
   disappear with it. */
static char scratch_dir[] = "/tmp/parity-scratch-XXXXXX";

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw) {
  (void)st, (void)flag, (void)ftw;
  return remove(path);
}

static void run_case(const parity_case_t *c) {
  int fds[2];
  if (pipe(fds) != 0) {
    perror("pipe");
    exit(2);
  }
  fflush(stdout);
  pid_t pid = fork();
  if (pid < 0) {
    perror("fork");
    exit(2);
  }
  if (pid == 0) {
    close(fds[0]);
    dup2(fds[1], 1);
    close(fds[1]);
    const char *keep = getenv("PARITY_STDERR");
    if (!keep || strcmp(keep, "1") != 0) {
      int null = open("/dev/null", O_WRONLY);
      if (null >= 0) dup2(null, 2);
    }
    if (chdir(scratch_dir) != 0) _exit(8);
    signal(SIGALRM, SIG_DFL);
    alarm(timeout_seconds);
    resolve_all();
    case_arg = c->arg;
    c->run();
    _exit(0);
  }
  close(fds[1]);
  size_t cap = 4096, len = 0;
  char *buf = malloc(cap);
  for (;;) {
    if (len == cap) buf = realloc(buf, cap *= 2);
    ssize_t n = read(fds[0], buf + len, cap - len);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    len += (size_t)n;
  }
  close(fds[0]);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  printf("=== %s\n", c->name);
  fwrite(buf, 1, len, stdout);
  if (len > 0 && buf[len - 1] != '\n') printf("\n");
  free(buf);
  if (WIFSIGNALED(status)) {
    if (WTERMSIG(status) == SIGALRM)
      printf("--- timeout\n");
    else
      printf("--- aborted/signal %d\n", WTERMSIG(status));
  } else if (WEXITSTATUS(status) == 0) {
    printf("--- ok\n");
  } else if (WEXITSTATUS(status) == EXIT_UNEXPORTED) {
    printf("--- unexported\n");
  } else {
    printf("--- exit %d\n", WEXITSTATUS(status));
  }
  fflush(stdout);
}

static bool selected(const char *name, int nprefix, char **prefixes) {
  if (nprefix == 0) return true;
  for (int i = 0; i < nprefix; i++)
    if (strncmp(name, prefixes[i], strlen(prefixes[i])) == 0) return true;
  return false;
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: %s LIBRARY [--list] [--timeout SECONDS] [PREFIX...]\n", argv[0]);
    return 2;
  }
  library_path = argv[1];
  bool list = false;
  char **prefixes = malloc(sizeof(char *) * (size_t)argc);
  int nprefix = 0;
  for (int i = 2; i < argc; i++) {
    if (strcmp(argv[i], "--list") == 0)
      list = true;
    else if (strcmp(argv[i], "--timeout") == 0 && i + 1 < argc)
      timeout_seconds = (unsigned)atoi(argv[++i]);
    else
      prefixes[nprefix++] = argv[i];
  }
  if (!list) {
    /* Fail early and loudly when the library cannot be loaded at all. */
    void *h = dlopen(library_path, RTLD_NOW | RTLD_LOCAL);
    if (h == NULL) {
      fprintf(stderr, "parity_runner: cannot load %s: %s\n", library_path, dlerror());
      return 2;
    }
    dlclose(h);
  }
  if (!list && !mkdtemp(scratch_dir)) {
    perror("parity_runner: mkdtemp");
    return 2;
  }
  for (size_t t = 0; t < sizeof all_tables / sizeof all_tables[0]; t++) {
    for (const parity_case_t *c = all_tables[t]; c->name; c++) {
      if (!selected(c->name, nprefix, prefixes)) continue;
      if (list)
        printf("%s\n", c->name);
      else
        run_case(c);
    }
  }
  if (!list) nftw(scratch_dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
  return 0;
}
