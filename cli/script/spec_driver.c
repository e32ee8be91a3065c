// The driver half shared by spec_runner and `swasm wast`: see spec_driver.h.
#include "spec_driver.h"
#include "spec_exec.h"

#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <wasmtime.h>

const char *const spec_category_names[SPEC_CAT_COUNT] = {
    [SPEC_CAT_MODULE] = "module",
    [SPEC_CAT_REGISTER] = "register",
    [SPEC_CAT_ACTION] = "action",
    [SPEC_CAT_ASSERT_RETURN] = "assert_return",
    [SPEC_CAT_ASSERT_TRAP] = "assert_trap",
    [SPEC_CAT_ASSERT_EXHAUSTION] = "assert_exhaustion",
    [SPEC_CAT_ASSERT_MALFORMED_BINARY] = "assert_malformed (binary)",
    [SPEC_CAT_ASSERT_MALFORMED_TEXT] = "assert_malformed (text)",
    [SPEC_CAT_ASSERT_INVALID] = "assert_invalid",
    [SPEC_CAT_ASSERT_UNLINKABLE] = "assert_unlinkable",
    [SPEC_CAT_ASSERT_UNINSTANTIABLE] = "assert_uninstantiable",
    [SPEC_CAT_OTHER] = "other",
};

const char *const spec_skip_reason_names[SPEC_SKIP_COUNT] = {
    [SPEC_SKIP_TEXT] = "text format",
    [SPEC_SKIP_RUNTIME] = "execution not compiled into this runner",
};

// ----------------------------------------------------------------------------------------------
// Outcomes.

static void report(spec_reporter_t *r, const char *kind, const char *fmt, va_list ap) {
  if (r->line == 0 && r->file_failures_without_line) {
    printf("%s: %s: ", r->script, kind); // the file as a whole
  } else {
    printf("%s:%" PRIu64 ": %s: %s: ", r->script, r->line, r->command, kind);
  }
  vprintf(fmt, ap);
  putchar('\n');
}

void spec_pass(spec_reporter_t *r) { r->st->passed[r->cat]++; }

void spec_fail(spec_reporter_t *r, const char *fmt, ...) {
  r->st->failed[r->cat]++;
  if (!r->opt->verbose && r->printed_failures >= SPEC_MAX_PRINTED_FAILURES) {
    if (r->printed_failures++ == SPEC_MAX_PRINTED_FAILURES) {
      printf("%s: more failures not shown (use --verbose)\n", r->script);
    }
    return;
  }
  r->printed_failures++;
  va_list ap;
  va_start(ap, fmt);
  report(r, "FAIL", fmt, ap);
  va_end(ap);
}

void spec_skip(spec_reporter_t *r, spec_skip_reason_t reason, const char *fmt, ...) {
  r->st->skipped[r->cat]++;
  r->st->skip_reasons[reason]++;
  if (!r->opt->verbose) return;
  va_list ap;
  va_start(ap, fmt);
  report(r, "skipped", fmt, ap);
  va_end(ap);
}

void spec_check_text(spec_reporter_t *r, const char *message, const char *expected) {
  if (expected == NULL || message == NULL || strstr(message, expected) != NULL) return;
  r->st->message_differs[r->cat]++;
  if (r->opt->verbose) {
    printf("%s:%" PRIu64 ": %s: note: message \"%s\" does not contain \"%s\"\n", r->script,
           r->line, r->command, message, expected);
  }
}

// ----------------------------------------------------------------------------------------------
// Files.

char *spec_read_file(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (f == NULL) return NULL;
  size_t cap = 1 << 16, n = 0;
  char *buf = malloc(cap);
  while (buf != NULL) {
    n += fread(buf + n, 1, cap - n - 1, f);
    if (ferror(f)) {
      int e = errno;
      free(buf);
      fclose(f);
      errno = e != 0 ? e : EIO;
      return NULL;
    }
    if (feof(f)) break;
    if (n == cap - 1) {
      char *grown = cap > SIZE_MAX / 2 ? NULL : realloc(buf, cap * 2);
      if (grown == NULL) {
        free(buf);
        buf = NULL;
        errno = ENOMEM;
        break;
      }
      buf = grown;
      cap *= 2;
    }
  }
  fclose(f);
  if (buf == NULL) return NULL;
  buf[n] = '\0';
  *len = n;
  return buf;
}

// ----------------------------------------------------------------------------------------------
// Counts.

uint64_t spec_sum(const uint64_t *counts) {
  uint64_t total = 0;
  for (int i = 0; i < SPEC_CAT_COUNT; i++) total += counts[i];
  return total;
}

void spec_add_stats(spec_stats_t *total, const spec_stats_t *file) {
  for (int i = 0; i < SPEC_CAT_COUNT; i++) {
    total->passed[i] += file->passed[i];
    total->failed[i] += file->failed[i];
    total->skipped[i] += file->skipped[i];
    total->message_differs[i] += file->message_differs[i];
  }
  for (int i = 0; i < SPEC_SKIP_COUNT; i++) total->skip_reasons[i] += file->skip_reasons[i];
  total->files += file->files;
  total->files_crashed += file->files_crashed;
}

// ----------------------------------------------------------------------------------------------
// Running files.

void spec_run_file_isolated(spec_run_file_fn run_file, const char *path, const char *name,
                            spec_stats_t *st, const spec_options_t *opt) {
  spec_stats_t *shared = mmap(NULL, sizeof *shared, PROT_READ | PROT_WRITE,
                              MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (shared == MAP_FAILED) {
    fprintf(stderr, "%s: mmap failed (%s); running in-process\n", name, strerror(errno));
    run_file(path, name, st, opt);
    return;
  }
  memset(shared, 0, sizeof *shared);
  fflush(stdout);
  fflush(stderr);
  pid_t pid = fork();
  if (pid < 0) {
    fprintf(stderr, "%s: fork failed (%s); running in-process\n", name, strerror(errno));
    munmap(shared, sizeof *shared);
    run_file(path, name, st, opt);
    return;
  }
  if (pid == 0) {
    if (opt->timeout > 0) alarm(opt->timeout);
    run_file(path, name, shared, opt);
    fflush(stdout);
    fflush(stderr);
    _exit(0);
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) {
      status = -1;
      break;
    }
  }
  *st = *shared;
  munmap(shared, sizeof *shared);
  if (status != -1 && WIFEXITED(status) && WEXITSTATUS(status) == 0) return;
  st->failed[SPEC_CAT_OTHER]++;
  st->files_crashed++;
  if (status != -1 && WIFSIGNALED(status) && WTERMSIG(status) == SIGALRM) {
    printf("%s: FAIL: timed out after %u s, in the command at line %" PRIu64 "\n", name,
           opt->timeout, st->current_line);
  } else if (status != -1 && WIFSIGNALED(status)) {
    printf("%s: FAIL: crashed with signal %d (%s) in the command at line %" PRIu64 "\n", name,
           WTERMSIG(status), strsignal(WTERMSIG(status)), st->current_line);
  } else {
    printf("%s: FAIL: child exited with status %d after the command at line %" PRIu64 "\n", name,
           status == -1 ? -1 : WEXITSTATUS(status), st->current_line);
  }
}

// ----------------------------------------------------------------------------------------------
// Reports.

void spec_print_file_result(const char *name, const spec_stats_t *st, bool skips) {
  printf("%s: %" PRIu64 " passed, %" PRIu64 " failed", name, spec_sum(st->passed),
         spec_sum(st->failed));
  if (skips) printf(", %" PRIu64 " skipped", spec_sum(st->skipped));
  putchar('\n');
}

void spec_print_summary(const spec_stats_t *t, bool skips) {
  if (skips) {
    printf("\n%-28s %9s %9s %9s %15s\n", "command", "passed", "failed", "skipped", "message differs");
  } else {
    printf("\n%-28s %9s %9s %15s\n", "command", "passed", "failed", "message differs");
  }
  for (int i = 0; i < SPEC_CAT_COUNT; i++) {
    if (t->passed[i] + t->failed[i] + t->skipped[i] == 0) continue;
    if (skips) {
      printf("%-28s %9" PRIu64 " %9" PRIu64 " %9" PRIu64 " %15" PRIu64 "\n", spec_category_names[i],
             t->passed[i], t->failed[i], t->skipped[i], t->message_differs[i]);
    } else {
      printf("%-28s %9" PRIu64 " %9" PRIu64 " %15" PRIu64 "\n", spec_category_names[i], t->passed[i],
             t->failed[i], t->message_differs[i]);
    }
  }
  if (skips) {
    printf("skipped by reason:");
    for (int i = 0; i < SPEC_SKIP_COUNT; i++) {
      printf("%s %s %" PRIu64, i > 0 ? "," : "", spec_skip_reason_names[i], t->skip_reasons[i]);
    }
    putchar('\n');
  }
  printf("files: %" PRIu64 " (%" PRIu64 " crashed or timed out)\n", t->files, t->files_crashed);
  printf("%" PRIu64 " passed, %" PRIu64 " failed", spec_sum(t->passed), spec_sum(t->failed));
  if (skips) printf(", %" PRIu64 " skipped", spec_sum(t->skipped));
  putchar('\n');
}

void spec_judge_exception(spec_reporter_t *r, const struct spec_exec_result *result) {
  if (result->status == SPEC_EXEC_OK) {
    char got[2048];
    spec_values_format_list(result->values, result->count, NULL, 0, got, sizeof got);
    spec_fail(r, "expected an exception, got %s", got);
  } else if (!result->exception) {
    spec_fail(r, "expected an exception, got a trap: %s", result->message);
  } else {
    spec_pass(r);
  }
}

void spec_judge_trap(spec_reporter_t *r, const struct spec_exec_result *result, const char *text) {
  wasmtime_trap_code_t want;
  if (result->has_trap_code && spec_exec_expected_trap_code(text, &want) && result->trap_code != want) {
    spec_fail(r, "expected the trap \"%s\" (%s), got %s: %s", text, spec_exec_trap_code_name(want),
              spec_exec_trap_code_name(result->trap_code), result->message);
    return;
  }
  spec_pass(r);
  spec_check_text(r, result->message, text);
}

// The proposals `-W` names, as wasmtime's command line names them.
static const struct {
  const char *name;
  void (*set)(wasm_config_t *, bool);
} feature_setters[] = {
    {"tail-call", wasmtime_config_wasm_tail_call_set},
    {"relaxed-simd", wasmtime_config_wasm_relaxed_simd_set},
    {"multi-memory", wasmtime_config_wasm_multi_memory_set},
    {"memory64", wasmtime_config_wasm_memory64_set},
    {"function-references", wasmtime_config_wasm_function_references_set},
    {"gc", wasmtime_config_wasm_gc_set},
    {"exceptions", wasmtime_config_wasm_exceptions_set},
    {"threads", wasmtime_config_wasm_threads_set},
    {"wide-arithmetic", wasmtime_config_wasm_wide_arithmetic_set},
    {"custom-page-sizes", wasmtime_config_wasm_custom_page_sizes_set},
};
#define FEATURE_SETTER_COUNT (sizeof feature_setters / sizeof feature_setters[0])

bool spec_parse_feature(const char *value, spec_options_t *opt) {
  const char *equals = strchr(value, '=');
  size_t length = equals != NULL ? (size_t)(equals - value) : strlen(value);
  bool on = equals == NULL || strcmp(equals + 1, "y") == 0;
  if (equals != NULL && strcmp(equals + 1, "y") != 0 && strcmp(equals + 1, "n") != 0) {
    fprintf(stderr, "-W %s: expected NAME, NAME=y or NAME=n\n", value);
    return false;
  }
  for (size_t i = 0; i < FEATURE_SETTER_COUNT; i++) {
    if (strlen(feature_setters[i].name) == length && strncmp(feature_setters[i].name, value, length) == 0) {
      if (opt->feature_count >= sizeof opt->features / sizeof opt->features[0]) {
        fprintf(stderr, "-W %s: too many -W options\n", value);
        return false;
      }
      opt->features[opt->feature_count].name = feature_setters[i].name;
      opt->features[opt->feature_count].on = on;
      opt->feature_count++;
      return true;
    }
  }
  fprintf(stderr, "-W %s: unknown proposal (known:", value);
  for (size_t i = 0; i < FEATURE_SETTER_COUNT; i++) fprintf(stderr, " %s", feature_setters[i].name);
  fprintf(stderr, ")\n");
  return false;
}

struct wasm_engine_t *spec_engine_new(const spec_options_t *opt) {
  wasm_config_t *config = wasm_config_new();
  if (config == NULL) return NULL;
  // Scripts create shared memories (threads), as wasmtime's script runner lets them.
  wasmtime_config_shared_memory_set(config, true);
  if (opt->wasm2) {
    for (size_t i = 0; i < FEATURE_SETTER_COUNT; i++) feature_setters[i].set(config, false);
  }
  for (unsigned f = 0; f < opt->feature_count; f++) {
    for (size_t i = 0; i < FEATURE_SETTER_COUNT; i++) {
      if (strcmp(feature_setters[i].name, opt->features[f].name) == 0) feature_setters[i].set(config, opt->features[f].on);
    }
  }
  return wasm_engine_new_with_config(config);
}
