// libc's allocator, watched (libc_watch.c): the test executable defines malloc and its family, so
// every allocation any code of the process makes from libc (libswasm.so's, and libc's own on
// the library's behalf) passes here. While a window is open they are counted, and refused when
// asked; the embedder's allocators of the tests take their memory from glibc's __libc_* functions
// directly, which are not counted. glibc only.
#ifndef SWASM_LIBC_WATCH_H
#define SWASM_LIBC_WATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct {
  uint64_t allocations; // malloc, calloc, realloc, posix_memalign, ... calls that asked for memory
  uint64_t frees;       // free calls with a block
  uint64_t refused;     // allocations refused (libc_watch_open(true))
} libc_watch_counts;

// Starts counting (from zero) the calls made from now on, by any thread; with `refuse`, every
// allocation then fails with ENOMEM as on a system without malloc.
void libc_watch_open(bool refuse);
// Stops counting and returns what the window saw.
libc_watch_counts libc_watch_close(void);

// glibc's allocator itself, for the embedder's allocators of the tests.
void *__libc_malloc(size_t size);
void *__libc_realloc(void *ptr, size_t size);
void __libc_free(void *ptr);

#endif
