// The driver half shared by the two spec-script runners, tests-c/spec/spec_runner.c (wast2json
// JSON) and cli/wast.c (`swasm wast`): command categories, counts, the reporting of passes,
// failures, skips and message notes, reading files, running each file in a child process, and
// the summary. What a command means lives in the runners and in spec_exec.h.
#ifndef SPEC_DRIVER_H
#define SPEC_DRIVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

// Failures printed per file without --verbose (all of them with it).
#define SPEC_MAX_PRINTED_FAILURES 30

typedef enum spec_category {
  SPEC_CAT_MODULE,
  SPEC_CAT_REGISTER,
  SPEC_CAT_ACTION,
  SPEC_CAT_ASSERT_RETURN,
  SPEC_CAT_ASSERT_TRAP,
  SPEC_CAT_ASSERT_EXHAUSTION,
  SPEC_CAT_ASSERT_MALFORMED_BINARY,
  SPEC_CAT_ASSERT_MALFORMED_TEXT,
  SPEC_CAT_ASSERT_INVALID,
  SPEC_CAT_ASSERT_UNLINKABLE,
  SPEC_CAT_ASSERT_UNINSTANTIABLE,
  SPEC_CAT_OTHER, // unknown commands, unreadable or unparsable files, crashes
  SPEC_CAT_COUNT
} spec_category_t;

extern const char *const spec_category_names[SPEC_CAT_COUNT];

// Why a command was skipped (spec_runner only; `swasm wast` skips nothing).
typedef enum spec_skip_reason {
  SPEC_SKIP_TEXT,    // a text-format module
  SPEC_SKIP_RUNTIME, // needs instantiation or calls, which this runner is built without
  SPEC_SKIP_COUNT
} spec_skip_reason_t;

extern const char *const spec_skip_reason_names[SPEC_SKIP_COUNT];

typedef struct spec_stats {
  uint64_t passed[SPEC_CAT_COUNT];
  uint64_t failed[SPEC_CAT_COUNT];
  uint64_t skipped[SPEC_CAT_COUNT];
  uint64_t message_differs[SPEC_CAT_COUNT]; // passed, but the error text is not the spec's
  uint64_t skip_reasons[SPEC_SKIP_COUNT];
  uint64_t files;
  uint64_t files_crashed;
  // The command in flight (read by the parent when a child dies).
  uint64_t current_line;
} spec_stats_t;

typedef struct spec_options {
  bool verbose;
  bool fork;
  unsigned timeout; // seconds per file when forking, 0 for none
  bool wasm2;       // an engine of WebAssembly 2.0 (the proposals of 3.0 and later switched off)
  // Proposals switched on or off by `-W NAME=y|n` (after `wasm2`), in order.
  struct {
    const char *name;
    bool on;
  } features[16];
  unsigned feature_count;
} spec_options_t;

// Reads `-W` option value `value` (NAME, NAME=y or NAME=n, wasmtime's proposal names) into `opt`;
// false (with a message on stderr) for an unknown proposal or too many options.
bool spec_parse_feature(const char *value, spec_options_t *opt);

// The engine scripts run on: the default one, or WebAssembly 2.0's (`opt->wasm2`, for the 2.0
// test suite, whose encodings 3.0 gives other meanings). NULL when it cannot be created.
struct wasm_engine_t;
struct wasm_engine_t *spec_engine_new(const spec_options_t *opt);

// Where the outcomes of one file go.
typedef struct spec_reporter {
  const spec_options_t *opt;
  const char *script; // the script's name, for messages
  spec_stats_t *st;
  uint64_t line;       // of the command being run
  spec_category_t cat; // of the command being run
  const char *command; // its keyword
  uint64_t printed_failures;
  // Failures at line 0 (the file as a whole) print as "SCRIPT: FAIL: ..." rather than
  // "SCRIPT:0: COMMAND: FAIL: ...".
  bool file_failures_without_line;
} spec_reporter_t;

void spec_pass(spec_reporter_t *r);
void spec_fail(spec_reporter_t *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void spec_skip(spec_reporter_t *r, spec_skip_reason_t reason, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
// A passed assertion whose error message does not contain the spec's expected text: counted,
// and shown with --verbose. Nothing if either is NULL.
void spec_check_text(spec_reporter_t *r, const char *message, const char *expected);

// Judges a trap the spec expects with message `text`: a pass when the trap's code (if it has one)
// is the one the message names; the message itself is then compared as spec_check_text does.
struct spec_exec_result;
void spec_judge_trap(spec_reporter_t *r, const struct spec_exec_result *result, const char *text);

// Judges the outcome of an assert_exception action: a pass only when the call ended with an
// uncaught WebAssembly exception (not a return, not another trap).
void spec_judge_exception(spec_reporter_t *r, const struct spec_exec_result *result);

// Reads a whole file into a new buffer (with a NUL after the contents). NULL with errno set on
// failure.
char *spec_read_file(const char *path, size_t *len);

uint64_t spec_sum(const uint64_t *counts); // of SPEC_CAT_COUNT counts
void spec_add_stats(spec_stats_t *total, const spec_stats_t *file);

// Runs every command of the file at `path` (`name` in messages), counting into `st`.
typedef void (*spec_run_file_fn)(const char *path, const char *name, spec_stats_t *st,
                                 const spec_options_t *opt);

// Runs `run_file` in a child process (in this one if mmap or fork fail), so that a crash or a
// timeout (opt->timeout) fails that file only: one more failure, reported with the line of the
// command in flight.
void spec_run_file_isolated(spec_run_file_fn run_file, const char *path, const char *name,
                            spec_stats_t *st, const spec_options_t *opt);

// "NAME: P passed, F failed" (", S skipped" with `skips`).
void spec_print_file_result(const char *name, const spec_stats_t *st, bool skips);
// The table by command (with a "skipped" column and the skip reasons if `skips`), the file count
// and the final "N passed, M failed" (", S skipped" with `skips`).
void spec_print_summary(const spec_stats_t *t, bool skips);

#endif
