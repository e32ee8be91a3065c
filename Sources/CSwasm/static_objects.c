#include "CSwasm.h"

// Storage for the out-of-memory error; only its address matters. Hidden, so it is never exported.
__attribute__((visibility("hidden"))) char cswasm_out_of_memory_error[16];

// The last store identifier handed out.
__attribute__((visibility("hidden"))) uint64_t cswasm_store_id_counter;

// The last memory-image identifier handed out.
__attribute__((visibility("hidden"))) uint64_t cswasm_image_id_counter;

// Storage for the out-of-memory trap; only its address matters.
__attribute__((visibility("hidden"))) char cswasm_out_of_memory_trap[16];
