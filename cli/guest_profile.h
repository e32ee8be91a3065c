// `swasm run --profile=guest[,PATH[,INTERVAL]]`: the guest profiler over a run, as wasmtime's
// `run --profile=guest` (docs/profiling.md). A thread moves the engine's epoch on every INTERVAL
// (default 10ms; a number with ns, us, ms or s), the store's epoch callback samples the running
// stack with the thread's CPU time since the last sample, and the profile of the main module's
// frames is written to PATH (default wasmtime-guest-profile.json) when the run ends, whatever its
// outcome.
#ifndef SWASM_CLI_GUEST_PROFILE_H
#define SWASM_CLI_GUEST_PROFILE_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <wasmtime.h>

struct guest_profile {
  int enabled;
  char *path;              // owned
  uint64_t interval_nanos;
  wasm_engine_t *engine;   // borrowed
  wasmtime_store_t *store; // borrowed
  wasmtime_guestprofiler_t *profiler;
  pthread_t ticker;
  int ticking;
  atomic_int stop;
  uint64_t last_cpu_nanos;
};

// Parses the value of --profile; false (with a message on stderr) when it is not
// guest[,PATH[,INTERVAL]].
int guest_profile_parse(struct guest_profile *profile, const char *value);

// Starts profiling `module`'s frames in `store`: the epoch callback, the deadline and the ticking
// thread. The engine must have epoch interruption on. Nonzero status (message printed) on failure.
int guest_profile_start(struct guest_profile *profile, wasm_engine_t *engine, wasmtime_store_t *store,
                        const wasmtime_module_t *module, const char *module_name);

// Stops the thread and writes the profile (if started); releases everything. Nonzero status
// (message printed) when the profile cannot be written.
int guest_profile_finish(struct guest_profile *profile);

#endif
