/*
 * Includes every public header, for the compile checks of
 * tests-c/headers/compile_check.sh (as C and as C++).
 */
#include <wasmtime.h>
#include <wasi.h>
#include <swasm.h>
#include <wasm.h>
#include <wasmtime/types.h>

int main(void) { return 0; }
