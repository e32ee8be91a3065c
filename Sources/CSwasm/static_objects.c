#include "CSwasm.h"

// Storage for the out-of-memory error; only its address matters. Hidden, so it is never exported.
__attribute__((visibility("hidden"))) char cswasm_out_of_memory_error[16];
