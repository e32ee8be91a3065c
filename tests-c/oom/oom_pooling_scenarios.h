// Allocation-failure scenarios for the pooling allocator (oom_pooling_scenarios.c).
#ifndef SWASM_OOM_POOLING_SCENARIOS_H
#define SWASM_OOM_POOLING_SCENARIOS_H

#include "oom_harness.h"

// Engine and module creation with the pooling strategy, swept as usual.
oom_result scenario_pooling_setup(void);
// The property the pooling allocator exists for: once a pooling engine and its modules exist,
// store -> instantiate -> call -> delete cycles make no allocation at all (no malloc, no mmap,
// no mprotect), so they succeed with every allocation failing.
oom_result scenario_pooling_cycles(void);

#endif
