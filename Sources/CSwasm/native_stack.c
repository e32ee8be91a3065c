#define _GNU_SOURCE
#include "NativeStack.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

uintptr_t cswasm_pthread_id(void) { return (uintptr_t)pthread_self(); }

int cswasm_enomem(void) { return ENOMEM; }

static int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

// The main thread's stack grows on demand below its mapping's top, up to RLIMIT_STACK. glibc's
// pthread_getattr_np finds the top through stdio (which allocates, and ignores a failure); this
// reads /proc/self/maps with a buffer on the stack instead.
static int main_thread_low_bound(uintptr_t *low) {
  uintptr_t here = (uintptr_t)__builtin_frame_address(0);
  int fd = open("/proc/self/maps", O_RDONLY | O_CLOEXEC);
  if (fd < 0) return errno;
  char buffer[4096];
  size_t used = 0;
  uintptr_t top = 0;
  for (;;) {
    ssize_t got = read(fd, buffer + used, sizeof buffer - used);
    if (got <= 0) break;
    used += (size_t)got;
    size_t line = 0;
    for (size_t i = 0; i < used; i++) {
      if (buffer[i] != '\n') continue;
      // "start-end perms ...": parse the two addresses.
      uintptr_t start = 0, end = 0;
      size_t j = line;
      int d;
      while (j < i && (d = hex_digit(buffer[j])) >= 0) { start = start * 16 + (uintptr_t)d; j++; }
      if (j < i && buffer[j] == '-') j++;
      while (j < i && (d = hex_digit(buffer[j])) >= 0) { end = end * 16 + (uintptr_t)d; j++; }
      if (here >= start && here < end) top = end;
      line = i + 1;
    }
    if (top != 0) break;
    // Keep the unfinished line for the next read.
    size_t rest = used - line;
    for (size_t k = 0; k < rest; k++) buffer[k] = buffer[line + k];
    used = rest;
    if (used == sizeof buffer) used = 0;
  }
  close(fd);
  if (top == 0) return EINVAL;
  struct rlimit limit;
  if (getrlimit(RLIMIT_STACK, &limit) != 0) return errno;
  uintptr_t size = limit.rlim_cur == RLIM_INFINITY ? (uintptr_t)8 << 20 : (uintptr_t)limit.rlim_cur;
  if (size > top) return EINVAL;
  *low = top - size;
  return 0;
}

int cswasm_stack_low_bound(uintptr_t *low) {
  if ((pid_t)syscall(SYS_gettid) == getpid()) {
    // Read once: every store asks on its first call, and /proc/self/maps is long with many
    // memories mapped. Only the main thread reads or writes this.
    static uintptr_t main_low = 0;
    if (main_low == 0) {
      int error = main_thread_low_bound(&main_low);
      if (error != 0) return error;
    }
    *low = main_low;
    return 0;
  }
  pthread_attr_t attributes;
  // For other threads glibc copies the bounds from the thread's descriptor; it allocates only
  // for the affinity mask, and reports that failure as ENOMEM.
  int error = pthread_getattr_np(pthread_self(), &attributes);
  if (error != 0) return error;
  void *address = 0;
  size_t size = 0;
  error = pthread_attr_getstack(&attributes, &address, &size);
  pthread_attr_destroy(&attributes);
  if (error != 0) return error;
  if (address == 0) return EINVAL;
  *low = (uintptr_t)address;
  return 0;
}
