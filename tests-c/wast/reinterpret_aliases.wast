;; A reinterpret of a local's value keeps the value it had: a later local.set or local.tee of
;; that local does not change a value already on the operand stack (found by the differential
;; fuzzer, tests-c/difffuzz; wasmtime agrees).
(module
  (func (export "f32_after_set") (param i32) (result f32)
    local.get 0
    f32.reinterpret_i32
    i32.const 7
    local.set 0)
  (func (export "i32_round_trip") (param i32) (result i32)
    local.get 0
    f32.reinterpret_i32
    i32.const 7
    local.set 0
    i32.reinterpret_f32)
  (func (export "i64_after_tee") (result i64) (local i64)
    local.get 0
    f64.reinterpret_i64
    i64.const 7
    local.tee 0
    drop
    i64.reinterpret_f64)
  (func (export "i32_from_f32") (result i32) (local f32)
    local.get 0
    i32.reinterpret_f32
    f32.const 1
    local.set 0)
  (func (export "twice") (param i64) (result f64)
    local.get 0
    f64.reinterpret_i64
    i64.reinterpret_f64
    f64.reinterpret_i64
    i64.const 9
    local.set 0))
(assert_return (invoke "f32_after_set" (i32.const 0)) (f32.const 0))
(assert_return (invoke "i32_round_trip" (i32.const 0)) (i32.const 0))
(assert_return (invoke "i32_round_trip" (i32.const 5)) (i32.const 5))
(assert_return (invoke "i64_after_tee") (i64.const 0))
(assert_return (invoke "i32_from_f32") (i32.const 0))
(assert_return (invoke "twice" (i64.const 0)) (f64.const 0))
