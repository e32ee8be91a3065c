;; Imports from "middle" (preload_middle.wat): run = scale_twice(3) = 3 * 7 * 7 = 147.
(module
  (import "middle" "scale_twice" (func $scale_twice (param i32) (result i32)))
  (func (export "run") (result i32)
    (call $scale_twice (i32.const 3))))
