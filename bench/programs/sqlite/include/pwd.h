/* wasm32-wasi has no users: getpwuid finds none (SQLite's shell then takes $HOME). */
#ifndef SWASM_SQLITE_WASI_PWD_H
#define SWASM_SQLITE_WASI_PWD_H
#include <sys/types.h>
struct passwd { char *pw_name; char *pw_dir; };
static inline struct passwd *getpwuid(uid_t uid) { (void)uid; return 0; }
#endif
