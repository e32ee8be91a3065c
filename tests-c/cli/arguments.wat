;; Functions that return their arguments, for the parsing of invocation arguments by type.
(module
  (func (export "i32") (param i32) (result i32) (local.get 0))
  (func (export "i64") (param i64) (result i64) (local.get 0))
  (func (export "f32") (param f32) (result f32) (local.get 0))
  (func (export "f64") (param f64) (result f64) (local.get 0))
  ;; The bits of a float, to tell NaNs and zeros apart.
  (func (export "f32_bits") (param f32) (result i32) (i32.reinterpret_f32 (local.get 0)))
  (func (export "f64_bits") (param f64) (result i64) (i64.reinterpret_f64 (local.get 0)))
  (func (export "mixed") (param i32 i64 f32 f64) (result f64)
    (f64.add
      (f64.add (f64.convert_i32_s (local.get 0)) (f64.convert_i64_s (local.get 1)))
      (f64.add (f64.promote_f32 (local.get 2)) (local.get 3))))
  (func (export "v128") (param v128) (result i32) (i32.const 0))
  (func (export "externref") (param externref) (result i32) (i32.const 0)))
