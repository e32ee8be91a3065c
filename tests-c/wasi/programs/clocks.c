// Clocks: the monotonic clock never goes back and moves on across a sleep; the realtime clock is
// plausible (between 2020 and 2100) and agrees with time(); clock_getres of both is positive and
// at most a millisecond (clock_time_get, clock_res_get). Process and thread CPU-time clocks are
// left out: wasmtime's preview 1 does not offer them (bad_clock.c: an unknown clock id).
#include <time.h>
#include <wasi/api.h>

#include "check.h"

static long long nanoseconds(struct timespec t) { return (long long)t.tv_sec * 1000000000LL + t.tv_nsec; }

int main(void) {
  struct timespec previous, now, resolution;
  CHECK(clock_gettime(CLOCK_MONOTONIC, &previous) == 0, "clock_gettime(CLOCK_MONOTONIC)");
  int backwards = 0, moved = 0;
  for (int i = 0; i < 100000; i++) {
    clock_gettime(CLOCK_MONOTONIC, &now);
    if (nanoseconds(now) < nanoseconds(previous)) backwards++;
    if (nanoseconds(now) > nanoseconds(previous)) moved++;
    previous = now;
  }
  CHECK(backwards == 0, "100000 readings of the monotonic clock never go back");
  CHECK(moved > 0, "and it moves");
  struct timespec pause = {0, 20 * 1000 * 1000};
  struct timespec before, after;
  clock_gettime(CLOCK_MONOTONIC, &before);
  CHECK(nanosleep(&pause, NULL) == 0, "nanosleep 20 ms");
  clock_gettime(CLOCK_MONOTONIC, &after);
  CHECK(nanoseconds(after) - nanoseconds(before) >= 20 * 1000 * 1000, "the monotonic clock moved at least 20 ms across it");

  CHECK(clock_gettime(CLOCK_REALTIME, &now) == 0, "clock_gettime(CLOCK_REALTIME)");
  CHECK(now.tv_sec > 1577836800 && now.tv_sec < 4102444800, "the realtime clock is between 2020 and 2100");
  CHECK(now.tv_nsec >= 0 && now.tv_nsec < 1000000000, "its nanoseconds are below a second");
  time_t seconds = time(NULL);
  CHECK(seconds - now.tv_sec >= 0 && seconds - now.tv_sec < 5, "time() agrees with it");

  CHECK(clock_getres(CLOCK_MONOTONIC, &resolution) == 0 && nanoseconds(resolution) > 0 &&
            nanoseconds(resolution) <= 1000000,
        "clock_getres(CLOCK_MONOTONIC) is between 1 ns and 1 ms");
  CHECK(clock_getres(CLOCK_REALTIME, &resolution) == 0 && nanoseconds(resolution) > 0 &&
            nanoseconds(resolution) <= 1000000,
        "clock_getres(CLOCK_REALTIME) is between 1 ns and 1 ms");
  __wasi_timestamp_t stamp;
  CHECK(__wasi_clock_time_get(__WASI_CLOCKID_MONOTONIC, 1, &stamp) == 0 && stamp > 0, "clock_time_get directly");
  CHECKS_DONE();
}
