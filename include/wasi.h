/**
 * \file wasi.h
 *
 * Configuration of WASI preview 1 (`wasi_snapshot_preview1`) for a store.
 *
 * A #wasi_config_t is built with the functions below, then handed to
 * wasmtime_context_set_wasi() (which takes ownership of it); the WASI imports
 * themselves are provided by wasmtime_linker_define_wasi().
 */

#ifndef WASI_H
#define WASI_H

#include <wasm.h>
#include <wasmtime/conf.h>

#ifdef WASMTIME_FEATURE_WASI

#ifndef WASI_API_EXTERN
#if defined(_WIN32) && !defined(__MINGW32__) && !defined(LIBWASI_STATIC)
#define WASI_API_EXTERN __declspec(dllimport)
#elif defined(__GNUC__) || defined(__clang__)
#define WASI_API_EXTERN __attribute__((visibility("default")))
#else
#define WASI_API_EXTERN
#endif
#endif

#ifdef __cplusplus
extern "C" {
#endif

#define own

/* Declares the opaque type `wasi_name_t` and its destructor. */
#define WASI_DECLARE_OWN(name)                                                 \
  typedef struct wasi_##name##_t wasi_##name##_t;                              \
  WASI_API_EXTERN void wasi_##name##_delete(own wasi_##name##_t *);

/* wasi_config_t: an opaque WASI configuration. wasi_config_delete() frees
 * one that was not handed to wasmtime_context_set_wasi(); NULL is ignored. */
WASI_DECLARE_OWN(config)

/**
 * Creates an empty configuration: no arguments, no environment, no
 * preopened directories, stdin empty and stdout/stderr discarded. Returns
 * NULL on allocation failure.
 */
WASI_API_EXTERN own wasi_config_t *wasi_config_new(void);

/** Lets the guest use the host's network (sockets). */
WASI_API_EXTERN void wasi_config_inherit_network(wasi_config_t *config);

/** Enables or disables resolution of host names by the guest. */
WASI_API_EXTERN void wasi_config_allow_ip_name_lookup(wasi_config_t *config,
                                                      bool enable);

/**
 * Sets the guest's argv to copies of the `argc` NUL-terminated strings in
 * `argv`. Returns false (leaving the previous setting) if a string is not
 * valid UTF-8 or on allocation failure.
 */
WASI_API_EXTERN bool wasi_config_set_argv(wasi_config_t *config, size_t argc,
                                          const char *argv[]);

/** Gives the guest the host process's own arguments. */
WASI_API_EXTERN void wasi_config_inherit_argv(wasi_config_t *config);

/**
 * Sets the guest's environment to copies of the `envc` pairs
 * `names[i]=values[i]` (NUL-terminated). Returns false if a string is not
 * valid UTF-8 or on allocation failure.
 */
WASI_API_EXTERN bool wasi_config_set_env(wasi_config_t *config, size_t envc,
                                         const char *names[],
                                         const char *values[]);

/** Gives the guest the host process's environment. */
WASI_API_EXTERN void wasi_config_inherit_env(wasi_config_t *config);

/** Makes the guest's stdin read from the file at `path`. Returns false if
 * the file cannot be opened. */
WASI_API_EXTERN bool wasi_config_set_stdin_file(wasi_config_t *config,
                                                const char *path);

/** Makes the guest's stdin read the bytes of `binary`, whose contents are
 * taken over (the vector is left empty). */
WASI_API_EXTERN void wasi_config_set_stdin_bytes(wasi_config_t *config,
                                                 wasm_byte_vec_t *binary);

/** Gives the guest the host process's stdin. */
WASI_API_EXTERN void wasi_config_inherit_stdin(wasi_config_t *config);

/** Makes the guest's stdout write to the file at `path` (created or
 * truncated). Returns false if the file cannot be opened. */
WASI_API_EXTERN bool wasi_config_set_stdout_file(wasi_config_t *config,
                                                 const char *path);

/** Gives the guest the host process's stdout. */
WASI_API_EXTERN void wasi_config_inherit_stdout(wasi_config_t *config);

/**
 * Sends the guest's stdout to `callback(data, bytes, len)`, which returns the
 * number of bytes consumed or a negative errno value. `finalizer` (may be
 * NULL) is called on `data` when the configuration or store is released.
 */
WASI_API_EXTERN void wasi_config_set_stdout_custom(
    wasi_config_t *config,
    ptrdiff_t (*callback)(void *, const unsigned char *, size_t), void *data,
    void (*finalizer)(void *));

/** Makes the guest's stderr write to the file at `path` (created or
 * truncated). Returns false if the file cannot be opened. */
WASI_API_EXTERN bool wasi_config_set_stderr_file(wasi_config_t *config,
                                                 const char *path);

/** Gives the guest the host process's stderr. */
WASI_API_EXTERN void wasi_config_inherit_stderr(wasi_config_t *config);

/** Like wasi_config_set_stdout_custom(), for stderr. */
WASI_API_EXTERN void wasi_config_set_stderr_custom(
    wasi_config_t *config,
    ptrdiff_t (*callback)(void *, const unsigned char *, size_t), void *data,
    void (*finalizer)(void *));

/** File permission bits (kept for source compatibility). */
typedef size_t wasi_file_perms;

/**
 * Makes the host directory `host_path` visible to the guest as
 * `guest_path`. The guest may create, modify and delete entries only if
 * `fs_mutable` is true; otherwise the tree is read-only. Returns false if
 * the directory cannot be opened, a path is not valid UTF-8, or on
 * allocation failure.
 */
WASI_API_EXTERN bool wasi_config_preopen_dir(wasi_config_t *config,
                                             const char *host_path,
                                             const char *guest_path,
                                             bool fs_mutable);

#undef own

#ifdef __cplusplus
} // extern "C"
#endif

#endif // WASMTIME_FEATURE_WASI

#endif // #ifdef WASI_H
