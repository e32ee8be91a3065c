// The public headers compile as C++ and their inline helpers work from C++.
#include <swasm.h>
#include <wasi.h>
#include <wasmtime.h>

#include <cstdio>

int main() {
  wasmtime_val_t value;
  value.kind = WASMTIME_I32;
  value.of.i32 = 7;
  wasmtime_func_t func;
  wasmtime_funcref_set_null(&func);
  std::printf("headers_cxx: wasmtime_val_t is %zu bytes, funcref null: %d\n", sizeof(value),
              (int)wasmtime_funcref_is_null(&func));
  return (sizeof(value) == 32 && wasmtime_funcref_is_null(&func) && value.of.i32 == 7) ? 0 : 1;
}
