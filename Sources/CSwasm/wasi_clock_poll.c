// WASI platform layer: clocks, random bytes, sched_yield and poll.
#define _GNU_SOURCE
#include "wasi_internal.h"

#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <stddef.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

_Static_assert(sizeof(cswasm_wasi_pollfd) == sizeof(struct pollfd), "cswasm_wasi_pollfd is struct pollfd");
_Static_assert(offsetof(cswasm_wasi_pollfd, events) == offsetof(struct pollfd, events), "pollfd.events");
_Static_assert(offsetof(cswasm_wasi_pollfd, revents) == offsetof(struct pollfd, revents), "pollfd.revents");
_Static_assert(CSWASM_WASI_POLL_READ == POLLIN && CSWASM_WASI_POLL_WRITE == POLLOUT &&
                   CSWASM_WASI_POLL_ERROR == POLLERR && CSWASM_WASI_POLL_HANGUP == POLLHUP &&
                   CSWASM_WASI_POLL_INVALID == POLLNVAL,
               "poll bits are Linux's");

// MARK: clocks

static bool host_clock(uint32_t clock_id, clockid_t *out) {
  switch (clock_id) {
  case CSWASM_WASI_CLOCK_REALTIME: *out = CLOCK_REALTIME; return true;
  case CSWASM_WASI_CLOCK_MONOTONIC: *out = CLOCK_MONOTONIC; return true;
  case CSWASM_WASI_CLOCK_PROCESS_CPUTIME_ID: *out = CLOCK_PROCESS_CPUTIME_ID; return true;
  case CSWASM_WASI_CLOCK_THREAD_CPUTIME_ID: *out = CLOCK_THREAD_CPUTIME_ID; return true;
  default: return false;
  }
}

static uint16_t timespec_ns(struct timespec time, uint64_t *out) {
  if (time.tv_sec < 0) return CSWASM_WASI_EOVERFLOW;
  uint64_t seconds = (uint64_t)time.tv_sec;
  if (seconds > (UINT64_MAX - 999999999u) / 1000000000u) return CSWASM_WASI_EOVERFLOW;
  *out = seconds * 1000000000u + (uint64_t)time.tv_nsec;
  return CSWASM_WASI_ESUCCESS;
}

uint16_t cswasm_wasi_clock_res_get(uint32_t clock_id, uint64_t *resolution) {
  clockid_t clock;
  if (!host_clock(clock_id, &clock)) return CSWASM_WASI_EINVAL;
  struct timespec time;
  if (clock_getres(clock, &time) != 0) return cswasm_wasi_errno_from_host(errno);
  return timespec_ns(time, resolution);
}

uint16_t cswasm_wasi_clock_time_get(uint32_t clock_id, uint64_t precision, uint64_t *time) {
  (void)precision;
  clockid_t clock;
  if (!host_clock(clock_id, &clock)) return CSWASM_WASI_EINVAL;
  struct timespec now;
  if (clock_gettime(clock, &now) != 0) return cswasm_wasi_errno_from_host(errno);
  return timespec_ns(now, time);
}

// MARK: random

static uint16_t random_from_device(uint8_t *bytes, size_t len) {
  int fd;
  CSWASM_WASI_RETRY(fd, open("/dev/urandom", O_RDONLY | O_CLOEXEC | O_NOCTTY));
  if (fd < 0) return cswasm_wasi_errno_from_host(errno);
  uint16_t result = CSWASM_WASI_ESUCCESS;
  while (len > 0) {
    ssize_t n;
    CSWASM_WASI_RETRY(n, read(fd, bytes, len));
    if (n <= 0) {
      result = n < 0 ? cswasm_wasi_errno_from_host(errno) : CSWASM_WASI_EIO;
      break;
    }
    bytes += n;
    len -= (size_t)n;
  }
  close(fd);
  return result;
}

uint16_t cswasm_wasi_random_get(void *buf, size_t len) {
  uint8_t *bytes = buf;
  while (len > 0) {
    // getrandom returns at most 32 MiB - 1 per call; larger requests loop.
    size_t chunk = len > 33554431u ? 33554431u : len;
    ssize_t n = getrandom(bytes, chunk, 0);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == ENOSYS) return random_from_device(bytes, len);
      return cswasm_wasi_errno_from_host(errno);
    }
    bytes += n;
    len -= (size_t)n;
  }
  return CSWASM_WASI_ESUCCESS;
}

uint16_t cswasm_wasi_sched_yield(void) {
  sched_yield(); // cannot fail on Linux
  return CSWASM_WASI_ESUCCESS;
}

// MARK: poll

static struct timespec timespec_from_ns(int64_t ns) {
  struct timespec time;
  time.tv_sec = (time_t)(ns / 1000000000);
  time.tv_nsec = (long)(ns % 1000000000);
  return time;
}

uint16_t cswasm_wasi_poll(cswasm_wasi_pollfd *fds, size_t count, int64_t timeout_ns, uint64_t *nbytes,
                          size_t *ready) {
  if (count == 0 && timeout_ns < 0) return CSWASM_WASI_EINVAL;
  if (count != 0 && fds == NULL) return CSWASM_WASI_EFAULT;
  struct timespec deadline = {0, 0}, remaining = {0, 0}, *timeout = NULL;
  if (timeout_ns >= 0) {
    struct timespec now;
    if (clock_gettime(CLOCK_MONOTONIC, &now) != 0) return cswasm_wasi_errno_from_host(errno);
    remaining = timespec_from_ns(timeout_ns);
    deadline.tv_sec = now.tv_sec + remaining.tv_sec;
    deadline.tv_nsec = now.tv_nsec + remaining.tv_nsec;
    if (deadline.tv_nsec >= 1000000000) {
      deadline.tv_sec++;
      deadline.tv_nsec -= 1000000000;
    }
    timeout = &remaining;
  }
  int n;
  for (;;) {
    n = ppoll((struct pollfd *)(void *)fds, (nfds_t)count, timeout, NULL);
    if (n >= 0) break;
    if (errno != EINTR) return cswasm_wasi_errno_from_host(errno);
    if (timeout != NULL) {
      // Resume with what is left of the timeout.
      struct timespec now;
      if (clock_gettime(CLOCK_MONOTONIC, &now) != 0) return cswasm_wasi_errno_from_host(errno);
      int64_t left = ((int64_t)deadline.tv_sec - (int64_t)now.tv_sec) * 1000000000 +
                     ((int64_t)deadline.tv_nsec - (int64_t)now.tv_nsec);
      remaining = timespec_from_ns(left > 0 ? left : 0);
    }
  }
  if (nbytes != NULL) {
    for (size_t i = 0; i < count; i++) {
      nbytes[i] = 0;
      if (fds[i].revents & POLLIN) {
        uint64_t available = 0;
        if (cswasm_wasi_fd_nread(fds[i].fd, &available) == CSWASM_WASI_ESUCCESS) nbytes[i] = available;
      }
    }
  }
  *ready = (size_t)n;
  return CSWASM_WASI_ESUCCESS;
}
