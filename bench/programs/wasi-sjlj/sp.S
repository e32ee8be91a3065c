# The shadow stack pointer of wasm32 C code (a global the linker names __stack_pointer), read and
# set for sjlj.c.
  .globaltype __stack_pointer, i32
  .text

  .globl wasi_sjlj_get_sp
  .type wasi_sjlj_get_sp,@function
wasi_sjlj_get_sp:
  .functype wasi_sjlj_get_sp () -> (i32)
  global.get __stack_pointer
  end_function

  .globl wasi_sjlj_set_sp
  .type wasi_sjlj_set_sp,@function
wasi_sjlj_set_sp:
  .functype wasi_sjlj_set_sp (i32) -> ()
  local.get 0
  global.set __stack_pointer
  end_function
