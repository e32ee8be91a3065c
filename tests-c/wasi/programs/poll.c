// poll_oneoff: poll() on stdin with a timeout while input is waiting (ready at once, POLLIN), after
// the input is read to its end (still ready: end of file), on stdout (writable), and with no
// descriptor as a sleep; nanosleep and a clock subscription with an absolute deadline; a poll of
// an unopened descriptor (wasmtime fails the whole poll_oneoff with EBADF, so poll() does too).
#include <poll.h>
#include <time.h>
#include <unistd.h>
#include <wasi/api.h>

#include "check.h"

static long long now_ns(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (long long)t.tv_sec * 1000000000LL + t.tv_nsec;
}

int main(void) {
  struct pollfd input = {.fd = 0, .events = POLLIN};
  long long start = now_ns();
  CHECK(poll(&input, 1, 10000) == 1 && (input.revents & POLLIN), "poll on stdin with a 10 s timeout: readable");
  CHECK(now_ns() - start < 5000000000LL, "at once, not after the timeout");
  char buffer[256];
  size_t length = 0;
  ssize_t got;
  while ((got = read(0, buffer + length, sizeof buffer - length)) > 0) length += (size_t)got;
  CHECK(length == 6 && memcmp(buffer, "ready\n", 6) == 0, "stdin holds 'ready'");
  input.revents = 0;
  CHECK(poll(&input, 1, 10000) == 1 && (input.revents & (POLLIN | POLLHUP)), "poll on stdin at its end: ready");
  struct pollfd output = {.fd = 1, .events = POLLOUT};
  CHECK(poll(&output, 1, 10000) == 1 && (output.revents & POLLOUT), "poll on stdout: writable");

  start = now_ns();
  CHECK(poll(NULL, 0, 50) == 0, "poll with no descriptor and 50 ms");
  CHECK(now_ns() - start >= 50000000LL, "slept at least 50 ms");
  struct timespec pause = {0, 30000000};
  start = now_ns();
  CHECK(nanosleep(&pause, NULL) == 0 && now_ns() - start >= 30000000LL, "nanosleep 30 ms sleeps at least 30 ms");

  // A clock subscription with an absolute deadline 40 ms ahead.
  __wasi_timestamp_t deadline;
  (void)!__wasi_clock_time_get(__WASI_CLOCKID_MONOTONIC, 1, &deadline);
  deadline += 40000000;
  __wasi_subscription_t subscription = {
    .userdata = 42,
    .u = {.tag = __WASI_EVENTTYPE_CLOCK,
          .u = {.clock = {.id = __WASI_CLOCKID_MONOTONIC, .timeout = deadline, .precision = 0,
                          .flags = __WASI_SUBCLOCKFLAGS_SUBSCRIPTION_CLOCK_ABSTIME}}},
  };
  __wasi_event_t event;
  __wasi_size_t events = 0;
  CHECK(__wasi_poll_oneoff(&subscription, &event, 1, &events) == 0 && events == 1 && event.userdata == 42 &&
            event.type == __WASI_EVENTTYPE_CLOCK && event.error == 0,
        "poll_oneoff on an absolute monotonic deadline gives its event");
  __wasi_timestamp_t after;
  (void)!__wasi_clock_time_get(__WASI_CLOCKID_MONOTONIC, 1, &after);
  CHECK(after >= deadline, "after the deadline");
  CHECK(__wasi_poll_oneoff(&subscription, &event, 0, &events) == __WASI_ERRNO_INVAL, "poll_oneoff of no subscription -> EINVAL");

  struct pollfd closed = {.fd = 77, .events = POLLIN};
  CHECK_ERRNO(poll(&closed, 1, 0), EBADF, "poll on an unopened descriptor");
  CHECKS_DONE();
}
