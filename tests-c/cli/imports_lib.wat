;; Imports a function, a memory and a global from "lib" (preload_lib.wat): run = scale(100) + 5 = 705.
(module
  (import "lib" "scale" (func $scale (param i32) (result i32)))
  (import "lib" "memory" (memory 1))
  (import "lib" "offset" (global $offset i32))
  (func (export "run") (result i32)
    (i32.add (call $scale (i32.load (i32.const 8))) (global.get $offset))))
