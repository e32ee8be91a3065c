;; Imports functions nothing defines, for --unknown-imports: `run` calls one, `independent` none.
(module
  (import "host" "get_i32" (func $get_i32 (result i32)))
  (import "host" "get_f64" (func $get_f64 (result f64)))
  (func (export "run") (result i32) (call $get_i32))
  (func (export "run_f64") (result f64) (call $get_f64))
  (func (export "independent") (result i32) (i32.const 11)))
