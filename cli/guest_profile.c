// `swasm run --profile=guest[,PATH[,INTERVAL]]` (guest_profile.h).
#include "guest_profile.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static uint64_t thread_cpu_nanos(void) {
  struct timespec now;
  if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now) != 0) return 0;
  return (uint64_t)now.tv_sec * 1000000000u + (uint64_t)now.tv_nsec;
}

// "10ms", "500us", "2s", "100000ns": nanoseconds, or 0 when malformed or zero.
static uint64_t parse_interval(const char *text) {
  static const struct { const char *unit; uint64_t nanos; } units[] = {{"ns", 1}, {"us", 1000}, {"ms", 1000000}, {"s", 1000000000}};
  char *end = NULL;
  errno = 0;
  unsigned long long count = strtoull(text, &end, 10);
  if (errno || end == text || text[0] == '-') return 0;
  for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
    if (strcmp(end, units[i].unit) == 0) return count > UINT64_MAX / units[i].nanos ? 0 : count * units[i].nanos;
  }
  return 0;
}

int guest_profile_parse(struct guest_profile *profile, const char *value) {
  profile->interval_nanos = 10000000;
  if (strncmp(value, "guest", 5) != 0 || (value[5] != '\0' && value[5] != ',')) {
    fprintf(stderr, "swasm: unsupported --profile %s (swasm knows guest[,PATH[,INTERVAL]])\n", value);
    return 0;
  }
  const char *path = value[5] == ',' ? value + 6 : "";
  const char *comma = strchr(path, ',');
  size_t length = comma ? (size_t)(comma - path) : strlen(path);
  if (length == 0) path = "wasmtime-guest-profile.json", length = strlen(path);
  free(profile->path);
  profile->path = strndup(path, length);
  if (!profile->path) {
    fprintf(stderr, "swasm: out of memory\n");
    return 0;
  }
  if (comma) {
    profile->interval_nanos = parse_interval(comma + 1);
    if (profile->interval_nanos == 0) {
      fprintf(stderr, "swasm: invalid profiling interval '%s': expected a duration such as 10ms, 500us or 1s\n", comma + 1);
      return 0;
    }
  }
  profile->enabled = 1;
  return 1;
}

static void *tick(void *argument) {
  struct guest_profile *profile = argument;
  struct timespec interval = {(time_t)(profile->interval_nanos / 1000000000u), (long)(profile->interval_nanos % 1000000000u)};
  while (!atomic_load(&profile->stop)) {
    nanosleep(&interval, NULL);
    wasmtime_engine_increment_epoch(profile->engine);
  }
  return NULL;
}

static wasmtime_error_t *sample(wasmtime_context_t *context, void *data, uint64_t *delta,
                                wasmtime_update_deadline_kind_t *kind) {
  (void)context;
  struct guest_profile *profile = data;
  uint64_t now = thread_cpu_nanos();
  wasmtime_guestprofiler_sample(profile->profiler, profile->store, now - profile->last_cpu_nanos);
  profile->last_cpu_nanos = now;
  *delta = 1;
  *kind = WASMTIME_UPDATE_DEADLINE_CONTINUE;
  return NULL;
}

int guest_profile_start(struct guest_profile *profile, wasm_engine_t *engine, wasmtime_store_t *store,
                        const wasmtime_module_t *module, const char *module_name) {
  wasm_name_t name = {strlen(module_name), (char *)module_name};
  wasmtime_guestprofiler_modules_t modules[1] = {{&name, module}};
  profile->profiler = wasmtime_guestprofiler_new(engine, &name, profile->interval_nanos, modules, 1);
  if (!profile->profiler) {
    fprintf(stderr, "swasm: cannot create the guest profiler (out of memory, or a module name that is not UTF-8)\n");
    return 1;
  }
  profile->engine = engine;
  profile->store = store;
  profile->last_cpu_nanos = thread_cpu_nanos();
  wasmtime_store_epoch_deadline_callback(store, sample, profile, NULL);
  wasmtime_context_set_epoch_deadline(wasmtime_store_context(store), 1);
  atomic_store(&profile->stop, 0);
  if (pthread_create(&profile->ticker, NULL, tick, profile) != 0) {
    fprintf(stderr, "swasm: cannot start the profiling thread\n");
    return 1;
  }
  profile->ticking = 1;
  return 0;
}

int guest_profile_finish(struct guest_profile *profile) {
  int status = 0;
  if (profile->ticking) {
    atomic_store(&profile->stop, 1);
    pthread_join(profile->ticker, NULL);
    profile->ticking = 0;
  }
  if (profile->profiler) {
    wasm_byte_vec_t json;
    wasmtime_error_t *error = wasmtime_guestprofiler_finish(profile->profiler, &json);
    profile->profiler = NULL;
    if (error) {
      wasm_message_t message;
      wasmtime_error_message(error, &message);
      fprintf(stderr, "swasm: cannot write the guest profile: %.*s\n", (int)message.size, message.data);
      wasm_byte_vec_delete(&message);
      wasmtime_error_delete(error);
      status = 1;
    } else {
      FILE *file = fopen(profile->path, "wb");
      int written = file && fwrite(json.data, 1, json.size, file) == json.size;
      if (file && fclose(file) != 0) written = 0;
      if (!written) {
        fprintf(stderr, "swasm: cannot write the guest profile to %s: %s\n", profile->path, strerror(errno));
        status = 1;
      }
      wasm_byte_vec_delete(&json);
    }
  }
  free(profile->path);
  profile->path = NULL;
  return status;
}
