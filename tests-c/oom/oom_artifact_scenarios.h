// Allocation-failure scenarios for precompiled modules (oom_artifact_scenarios.c).
#ifndef SWASM_OOM_ARTIFACT_SCENARIOS_H
#define SWASM_OOM_ARTIFACT_SCENARIOS_H

#include <stddef.h>

#include "oom_harness.h"

// Makes the artifacts the scenarios load (outside any sweep): from compute.wasm (instantiated and
// called) and sha256.wasm (larger code). Also writes the first to a temporary file, and a module
// with a memory image to another. 0 on failure.
int oom_artifacts_prepare(const unsigned char *compute, size_t compute_size, const unsigned char *sha256, size_t sha256_size);
void oom_artifacts_cleanup(void);

oom_result scenario_artifact_serialize(void);
oom_result scenario_artifact_deserialize(void);
oom_result scenario_artifact_deserialize_file(void);
oom_result scenario_artifact_memory_image(void);

#endif
