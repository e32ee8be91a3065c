;; Relaxed SIMD gives wasmtime 50's x86-64 results (recorded from it; the specification's scripts
;; accept any of the permitted ones): pshufb's swizzle, cvttps2dq's truncation (NaN and overflow
;; give INT32_MIN), blendv's lane selection by each lane's top bit (bitselect for i16x8), minps'
;; min and max (pmin, pmax), pmulhrsw's wrapping Q15 product, pmaddubsw's dot products, and a
;; fused multiply-add where the processor has FMA (two roundings elsewhere: either is accepted).
(module
  (func (export "swizzle") (param v128 v128) (result v128) (i8x16.relaxed_swizzle (local.get 0) (local.get 1)))
  (func (export "trunc_s") (param v128) (result v128) (i32x4.relaxed_trunc_f32x4_s (local.get 0)))
  (func (export "trunc_u") (param v128) (result v128) (i32x4.relaxed_trunc_f32x4_u (local.get 0)))
  (func (export "trunc_s_zero") (param v128) (result v128) (i32x4.relaxed_trunc_f64x2_s_zero (local.get 0)))
  (func (export "trunc_u_zero") (param v128) (result v128) (i32x4.relaxed_trunc_f64x2_u_zero (local.get 0)))
  (func (export "madd32") (param v128 v128 v128) (result v128) (f32x4.relaxed_madd (local.get 0) (local.get 1) (local.get 2)))
  (func (export "nmadd32") (param v128 v128 v128) (result v128) (f32x4.relaxed_nmadd (local.get 0) (local.get 1) (local.get 2)))
  (func (export "madd64") (param v128 v128 v128) (result v128) (f64x2.relaxed_madd (local.get 0) (local.get 1) (local.get 2)))
  (func (export "select8") (param v128 v128 v128) (result v128) (i8x16.relaxed_laneselect (local.get 0) (local.get 1) (local.get 2)))
  (func (export "select16") (param v128 v128 v128) (result v128) (i16x8.relaxed_laneselect (local.get 0) (local.get 1) (local.get 2)))
  (func (export "select32") (param v128 v128 v128) (result v128) (i32x4.relaxed_laneselect (local.get 0) (local.get 1) (local.get 2)))
  (func (export "select64") (param v128 v128 v128) (result v128) (i64x2.relaxed_laneselect (local.get 0) (local.get 1) (local.get 2)))
  (func (export "min32") (param v128 v128) (result v128) (f32x4.relaxed_min (local.get 0) (local.get 1)))
  (func (export "max32") (param v128 v128) (result v128) (f32x4.relaxed_max (local.get 0) (local.get 1)))
  (func (export "min64") (param v128 v128) (result v128) (f64x2.relaxed_min (local.get 0) (local.get 1)))
  (func (export "max64") (param v128 v128) (result v128) (f64x2.relaxed_max (local.get 0) (local.get 1)))
  (func (export "q15") (param v128 v128) (result v128) (i16x8.relaxed_q15mulr_s (local.get 0) (local.get 1)))
  (func (export "dot") (param v128 v128) (result v128) (i16x8.relaxed_dot_i8x16_i7x16_s (local.get 0) (local.get 1)))
  (func (export "dot_add") (param v128 v128 v128) (result v128)
    (i32x4.relaxed_dot_i8x16_i7x16_add_s (local.get 0) (local.get 1) (local.get 2))))

(assert_return (invoke "swizzle"
    (v128.const i8x16 100 101 102 103 104 105 106 107 108 109 110 111 112 113 114 115)
    (v128.const i8x16 0 15 16 17 31 32 0x7f 0x80 0x81 0x8f 0xf0 0xff 1 2 3 4))
  (v128.const i8x16 100 115 100 101 115 100 115 0 0 0 0 0 101 102 103 104))
(assert_return (invoke "trunc_s" (v128.const f32x4 nan 3e9 -3e9 -1.5))
  (v128.const i32x4 0x8000_0000 0x8000_0000 0x8000_0000 -1))
(assert_return (invoke "trunc_u" (v128.const f32x4 nan 5e9 -3 3e9))
  (v128.const i32x4 0 0xffff_ffff 0 3_000_000_000))
(assert_return (invoke "trunc_s_zero" (v128.const f64x2 nan -3e10)) (v128.const i32x4 0x8000_0000 0x8000_0000 0 0))
(assert_return (invoke "trunc_u_zero" (v128.const f64x2 nan 5e9)) (v128.const i32x4 0 0xffff_ffff 0 0))
;; (1 + 2^-23)^2 - (1 + 2^-22) is 2^-46 with one rounding, 0 with two.
(assert_return (invoke "madd32"
    (v128.const f32x4 0x1.000002p0 1 2 3) (v128.const f32x4 0x1.000002p0 1 2 3) (v128.const f32x4 -0x1.000004p0 0 0 0))
  (either (v128.const f32x4 0x1p-46 1 4 9) (v128.const f32x4 0 1 4 9)))
(assert_return (invoke "nmadd32"
    (v128.const f32x4 0x1.000002p0 1 2 3) (v128.const f32x4 0x1.000002p0 1 2 3) (v128.const f32x4 0x1.000004p0 0 0 0))
  (either (v128.const f32x4 -0x1p-46 -1 -4 -9) (v128.const f32x4 0 -1 -4 -9)))
(assert_return (invoke "madd64"
    (v128.const f64x2 0x1.0000000000001p0 2) (v128.const f64x2 0x1.0000000000001p0 3) (v128.const f64x2 -0x1.0000000000002p0 1))
  (either (v128.const f64x2 0x1p-104 7) (v128.const f64x2 0 7)))
(assert_return (invoke "select8"
    (v128.const i8x16 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1) (v128.const i8x16 2 2 2 2 2 2 2 2 2 2 2 2 2 2 2 2)
    (v128.const i8x16 0x80 0x7f 0xff 0 1 0x40 0x81 0xc0 0 0 0 0 0 0 0 0))
  (v128.const i8x16 1 2 1 2 2 2 1 1 2 2 2 2 2 2 2 2))
(assert_return (invoke "select16"
    (v128.const i16x8 1 1 1 1 1 1 1 1) (v128.const i16x8 2 2 2 2 2 2 2 2)
    (v128.const i16x8 0x8000 0x0080 0xff00 0x00ff 0x7fff 0xffff 0 0x8080))
  (v128.const i16x8 2 2 2 1 1 1 2 2))
(assert_return (invoke "select32"
    (v128.const i32x4 1 1 1 1) (v128.const i32x4 2 2 2 2) (v128.const i32x4 0x8000_0000 0x80 0x7fff_ffff 0x00ff_00ff))
  (v128.const i32x4 1 2 2 2))
(assert_return (invoke "select64"
    (v128.const i64x2 1 1) (v128.const i64x2 2 2) (v128.const i64x2 0x8000_0000_0000_0000 0x8000_0000))
  (v128.const i64x2 1 2))
(assert_return (invoke "min32" (v128.const f32x4 nan 1 0 -0) (v128.const f32x4 1 nan -0 0))
  (v128.const f32x4 nan:canonical 1 0 -0))
(assert_return (invoke "max32" (v128.const f32x4 nan 1 0 -0) (v128.const f32x4 1 nan -0 0))
  (v128.const f32x4 nan:canonical 1 0 -0))
(assert_return (invoke "min64" (v128.const f64x2 nan 0) (v128.const f64x2 1 -0)) (v128.const f64x2 nan:canonical 0))
(assert_return (invoke "max64" (v128.const f64x2 nan -0) (v128.const f64x2 1 0)) (v128.const f64x2 nan:canonical -0))
(assert_return (invoke "q15"
    (v128.const i16x8 -32768 -32768 16384 -1 1 0 32767 -32767) (v128.const i16x8 -32768 32767 16384 -1 1 0 32767 -32768))
  (v128.const i16x8 -32768 -32767 8192 0 0 0 32766 32767))
(assert_return (invoke "dot"
    (v128.const i8x16 -128 -128 127 127 1 2 -1 -1 0 0 5 5 -128 -128 127 127)
    (v128.const i8x16 -128 -128 -128 -128 3 4 -1 -1 0 0 127 127 127 127 -1 -1))
  (v128.const i16x8 -32768 32512 11 -510 0 1270 -32512 32767))
(assert_return (invoke "dot_add"
    (v128.const i8x16 -128 -128 -128 -128 127 127 127 127 1 2 3 4 0 0 0 0)
    (v128.const i8x16 -128 -128 -128 -128 -128 -128 -128 -128 1 1 1 1 0 0 0 0)
    (v128.const i32x4 1 2 3 4))
  (v128.const i32x4 -65535 65026 13 4))
