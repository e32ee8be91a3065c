// WASI family: wasi.h's configuration and the WASI parts of the linker and store, called with
// NULL arguments, strings that are not UTF-8, paths that do not exist, twice, and after the
// configuration was handed over. Refusals come back as false, NULL or an error; callbacks'
// data is finalized exactly once whatever happens.
#include <stdlib.h>
#include <unistd.h>
#include <wasi.h>

#include "misuse.h"

static int finalized_wasi;
static void finalize_wasi(void *data) {
  (void)data;
  finalized_wasi++;
}
static ptrdiff_t sink(void *data, const unsigned char *bytes, size_t len) {
  (void)data, (void)bytes;
  return (ptrdiff_t)len;
}

static const char *const not_utf8 = "\xff\xfe";


NULL_CASE(wasi_config_new, "") {
  wasi_config_t *config = wasi_config_new();
  EXPECT(config != NULL, "wasi_config_new: NULL");
  wasi_config_delete(config);
}
NULL_CASE(wasi_config_delete, "config") {
  wasi_config_t *config = wasi_config_new();
  wasi_config_delete(NUL(0, config));
  if (NULLED) wasi_config_delete(config);
}
NULL_CASE(wasi_config_inherit_network, "config") {
  wasi_config_t *config = wasi_config_new();
  wasi_config_inherit_network(NUL(0, config));
  wasi_config_delete(config);
}
NULL_CASE(wasi_config_allow_ip_name_lookup, "config") {
  wasi_config_t *config = wasi_config_new();
  wasi_config_allow_ip_name_lookup(NUL(0, config), true);
  wasi_config_delete(config);
}
NULL_CASE(wasi_config_set_argv, "config,argv") {
  wasi_config_t *config = wasi_config_new();
  const char *argv[] = {"prog", "arg"};
  EXPECT_TRUE_IFF_BASELINE(wasi_config_set_argv(NUL(0, config), 2, NUL(1, argv)), "wasi_config_set_argv");
  wasi_config_delete(config);
}
NULL_CASE(wasi_config_inherit_argv, "config") {
  wasi_config_t *config = wasi_config_new();
  wasi_config_inherit_argv(NUL(0, config));
  wasi_config_delete(config);
}
NULL_CASE(wasi_config_set_env, "config,names,values") {
  wasi_config_t *config = wasi_config_new();
  const char *names[] = {"A"}, *values[] = {"1"};
  EXPECT_TRUE_IFF_BASELINE(wasi_config_set_env(NUL(0, config), 1, NUL(1, names), NUL(2, values)), "wasi_config_set_env");
  wasi_config_delete(config);
}
NULL_CASE(wasi_config_inherit_env, "config") {
  wasi_config_t *config = wasi_config_new();
  wasi_config_inherit_env(NUL(0, config));
  wasi_config_delete(config);
}
NULL_CASE(wasi_config_set_stdin_file, "config,path") {
  wasi_config_t *config = wasi_config_new();
  EXPECT_TRUE_IFF_BASELINE(wasi_config_set_stdin_file(NUL(0, config), NUL(1, "/dev/null")), "wasi_config_set_stdin_file");
  wasi_config_delete(config);
}
NULL_CASE(wasi_config_set_stdin_bytes, "config,binary") {
  wasi_config_t *config = wasi_config_new();
  wasm_byte_vec_t bytes;
  wasm_byte_vec_new(&bytes, 3, "abc");
  wasi_config_set_stdin_bytes(NUL(0, config), NUL(1, &bytes));
  if (!NULLED || c->a == 0) EXPECT(bytes.size == 0 && bytes.data == NULL, "stdin bytes not taken over");
  wasm_byte_vec_delete(&bytes);
  wasi_config_delete(config);
}
NULL_CASE(wasi_config_inherit_stdin, "config") {
  wasi_config_t *config = wasi_config_new();
  wasi_config_inherit_stdin(NUL(0, config));
  wasi_config_delete(config);
}
NULL_CASE(wasi_config_set_stdout_file, "config,path") {
  wasi_config_t *config = wasi_config_new();
  char path[] = "/tmp/swasm-misuse-stdout-XXXXXX";
  int fd = mkstemp(path);
  if (fd >= 0) close(fd);
  EXPECT_TRUE_IFF_BASELINE(wasi_config_set_stdout_file(NUL(0, config), NUL(1, path)), "wasi_config_set_stdout_file");
  wasi_config_delete(config);
  unlink(path);
}
NULL_CASE(wasi_config_inherit_stdout, "config") {
  wasi_config_t *config = wasi_config_new();
  wasi_config_inherit_stdout(NUL(0, config));
  wasi_config_delete(config);
}
NULL_CASE(wasi_config_set_stdout_custom, "config") {
  wasi_config_t *config = wasi_config_new();
  finalized_wasi = 0;
  wasi_config_set_stdout_custom(NUL(0, config), sink, NULL, finalize_wasi);
  wasi_config_delete(config);
  EXPECT(finalized_wasi == 1, "finalizer ran %d times", finalized_wasi);
}
NULL_CASE(wasi_config_set_stderr_file, "config,path") {
  wasi_config_t *config = wasi_config_new();
  char path[] = "/tmp/swasm-misuse-stderr-XXXXXX";
  int fd = mkstemp(path);
  if (fd >= 0) close(fd);
  EXPECT_TRUE_IFF_BASELINE(wasi_config_set_stderr_file(NUL(0, config), NUL(1, path)), "wasi_config_set_stderr_file");
  wasi_config_delete(config);
  unlink(path);
}
NULL_CASE(wasi_config_inherit_stderr, "config") {
  wasi_config_t *config = wasi_config_new();
  wasi_config_inherit_stderr(NUL(0, config));
  wasi_config_delete(config);
}
NULL_CASE(wasi_config_set_stderr_custom, "config") {
  wasi_config_t *config = wasi_config_new();
  finalized_wasi = 0;
  wasi_config_set_stderr_custom(NUL(0, config), sink, NULL, finalize_wasi);
  wasi_config_delete(config);
  EXPECT(finalized_wasi == 1, "finalizer ran %d times", finalized_wasi);
}
NULL_CASE(wasi_config_preopen_dir, "config,host_path,guest_path") {
  wasi_config_t *config = wasi_config_new();
  EXPECT_TRUE_IFF_BASELINE(wasi_config_preopen_dir(NUL(0, config), NUL(1, "/tmp"), NUL(2, "/sandbox"), false),
                           "wasi_config_preopen_dir");
  wasi_config_delete(config);
}
NULL_CASE(wasmtime_linker_define_wasi, "linker") {
  wasmtime_linker_t *linker = wasmtime_linker_new(fx()->engine);
  EXPECT_ERROR_UNLESS(BASELINE, "wasmtime_linker_define_wasi", wasmtime_linker_define_wasi(NUL(0, linker)));
  wasmtime_linker_delete(linker);
}
NULL_CASE(wasmtime_context_set_wasi, "context,wasi") {
  wasmtime_store_t *store = wasmtime_store_new(fx()->engine, NULL, NULL);
  wasi_config_t *config = wasi_config_new();
  finalized_wasi = 0;
  wasi_config_set_stdout_custom(config, sink, NULL, finalize_wasi);
  // The configuration is taken over even when the call is refused (it must not leak).
  EXPECT_ERROR_UNLESS(BASELINE, "wasmtime_context_set_wasi",
                      wasmtime_context_set_wasi(NUL(0, wasmtime_store_context(store)), NUL(1, config)));
  if (c->a == 1) wasi_config_delete(config);
  wasmtime_store_delete(store);
  EXPECT(finalized_wasi == 1, "finalizer ran %d times", finalized_wasi);
}

// Values that are not usable: strings that are not UTF-8, paths that do not exist, a second
// WASI state for a store.
static void wasi_values(const mcase *c) {
  wasi_config_t *config = wasi_config_new();
  const char *bad[] = {not_utf8};
  const char *good[] = {"ok"};
  switch (c->a) {
  case 0: EXPECT(!wasi_config_set_argv(config, 1, bad), "argv that is not UTF-8 accepted"); break;
  case 1: EXPECT(!wasi_config_set_env(config, 1, bad, good), "env name that is not UTF-8 accepted"); break;
  case 2: EXPECT(!wasi_config_set_env(config, 1, good, bad), "env value that is not UTF-8 accepted"); break;
  case 3: EXPECT(!wasi_config_preopen_dir(config, "/nonexistent/swasm", "/x", true), "missing directory preopened"); break;
  case 4: EXPECT(!wasi_config_preopen_dir(config, "/tmp", not_utf8, true), "guest name that is not UTF-8 accepted"); break;
  case 5: EXPECT(!wasi_config_set_stdin_file(config, "/nonexistent/swasm"), "missing stdin file accepted"); break;
  case 6: EXPECT(!wasi_config_set_stdout_file(config, "/nonexistent/dir/out"), "unwritable stdout file accepted"); break;
  case 7: EXPECT(!wasi_config_preopen_dir(config, "/etc/passwd", "/x", true), "a file preopened as a directory"); break;
  case 8: {
    // Two WASI states in turn: the second replaces the first, whose callbacks are finalized.
    wasmtime_store_t *store = wasmtime_store_new(fx()->engine, NULL, NULL);
    finalized_wasi = 0;
    wasi_config_set_stdout_custom(config, sink, NULL, finalize_wasi);
    EXPECT_OK("first set_wasi", wasmtime_context_set_wasi(wasmtime_store_context(store), config));
    config = wasi_config_new();
    EXPECT_OK("second set_wasi", wasmtime_context_set_wasi(wasmtime_store_context(store), config));
    config = NULL;
    EXPECT(finalized_wasi == 1, "the replaced state's finalizer ran %d times", finalized_wasi);
    wasmtime_store_delete(store);
    break;
  }
  default: {
    // A huge argument count with a short array is the host's bug; a count of 0 with NULL is fine.
    EXPECT(wasi_config_set_argv(config, 0, NULL), "argc 0 with NULL argv refused");
    EXPECT(wasi_config_set_env(config, 0, NULL, NULL), "envc 0 with NULL arrays refused");
    break;
  }
  }
  wasi_config_delete(config);
}

REGISTER(register_wasi_values) {
  const char *variants[] = {"argv_not_utf8", "env_name_not_utf8", "env_value_not_utf8", "preopen_missing",
                            "preopen_guest_not_utf8", "stdin_missing", "stdout_unwritable", "preopen_file", "set_wasi_twice",
                            "empty_lists"};
  for (int i = 0; i < 10; i++) add_case("value", i == 8 ? "wasmtime_context_set_wasi" : "wasi_config_set_argv", variants[i], wasi_values, i, 0, NULL);
}
