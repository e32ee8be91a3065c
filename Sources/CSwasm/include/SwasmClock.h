#ifndef SWASM_CLOCK_H
#define SWASM_CLOCK_H

#include <stdint.h>
#include <time.h>

/// The monotonic clock in nanoseconds (0 if unavailable), for the collector's pause statistics and profile sample times.
static inline uint64_t cswasm_monotonic_nanoseconds(void) {
  struct timespec now;
  if (clock_gettime(CLOCK_MONOTONIC, &now) != 0) return 0;
  return (uint64_t)now.tv_sec * 1000000000u + (uint64_t)now.tv_nsec;
}

/// The wall clock in nanoseconds since the Unix epoch (0 if unavailable), for profile start times.
static inline uint64_t cswasm_realtime_nanoseconds(void) {
  struct timespec now;
  if (clock_gettime(CLOCK_REALTIME, &now) != 0) return 0;
  return (uint64_t)now.tv_sec * 1000000000u + (uint64_t)now.tv_nsec;
}

#endif
