;; Three nested calls ending in a division by zero, for backtrace tests (offsets checked in test_instance.c).
(module $calc
  (func $inner (param i32) (result i32) (i32.div_s (i32.const 1) (local.get 0)))
  (func $middle (param i32) (result i32) (i32.add (call $inner (local.get 0)) (i32.const 1)))
  (func (export "outer") (result i32) (call $middle (i32.const 0))))
