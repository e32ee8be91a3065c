;; Preloaded as "middle" after "lib" (preload_lib.wat), whose function it imports.
(module
  (import "lib" "scale" (func $scale (param i32) (result i32)))
  (func (export "scale_twice") (param i32) (result i32)
    (call $scale (call $scale (local.get 0)))))
