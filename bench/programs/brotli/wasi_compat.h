/* What brotli's command-line tool (c/tools/brotli.c) needs that wasm32-wasi lacks (forced in with
 * -include): WASI files have no permission bits or owners, so copying them (CopyStat, after the
 * times, which WASI has) succeeds doing nothing. */
#ifndef SWASM_BROTLI_WASI_COMPAT_H
#define SWASM_BROTLI_WASI_COMPAT_H
#include <sys/types.h>
static inline int brotli_wasi_chmod(const char *path, mode_t mode) { (void)path; (void)mode; return 0; }
static inline int brotli_wasi_chown(const char *path, uid_t uid, gid_t gid) { (void)path; (void)uid; (void)gid; return 0; }
#define chmod brotli_wasi_chmod
#define chown brotli_wasi_chown
#endif
