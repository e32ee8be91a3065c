;; SIMD: v128 values, lanes, shuffles and loads, for decoding and validation of the 0xFD opcodes.
(module
  (memory 1)
  (func (export "dot") (param v128 v128) (result i32)
    (i32x4.extract_lane 0 (i32x4.dot_i16x8_s (local.get 0) (local.get 1))))
  (func (export "shuffle") (param v128 v128) (result v128)
    (i8x16.shuffle 0 16 1 17 2 18 3 19 4 20 5 21 6 22 7 23 (local.get 0) (local.get 1)))
  (func (export "load") (param i32) (result v128)
    (v128.load32_lane 2 (local.get 0) (v128.const f32x4 1.0 -2.5 nan inf)))
  (func (export "splat") (param f64) (result v128)
    (f64x2.sqrt (f64x2.splat (local.get 0)))))
