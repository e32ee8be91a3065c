;; Extended constant expressions: i32 and i64 add, sub and mul in global initializers and segment
;; offsets, over constants and imported immutable globals, wrapping as the instructions do. The
;; specification's global.wast, data.wast and elem.wast need GC for the rest of their modules.
(module $base
  (global (export "g32") i32 (i32.const 0x7fff_fff0))
  (global (export "g64") i64 (i64.const 1000)))
(register "base" $base)

(module
  (import "base" "g32" (global $g32 i32))
  (import "base" "g64" (global $g64 i64))
  (global $a i32 (i32.add (i32.sub (i32.mul (i32.const 20) (i32.const 2)) (i32.const 2)) (i32.const 4)))
  (global $b i64 (i64.add (i64.sub (i64.mul (i64.const 20) (i64.const 2)) (i64.const 2)) (i64.const 5)))
  (global $c i32 (i32.add (global.get $g32) (i32.const 0x20)))   ;; wraps past 2^31
  (global $d i64 (i64.mul (global.get $g64) (global.get $g64)))
  (global $e i32 (i32.mul (i32.const 0x10000) (i32.const 0x10000)))   ;; wraps to 0
  (global $f i64 (i64.sub (i64.const 0) (i64.const 1)))
  ;; Left-nested and right-nested forms of the same sum.
  (global $left i32 (i32.add (i32.add (i32.add (i32.const 1) (i32.const 2)) (i32.const 3)) (i32.const 4)))
  (global $right i32 (i32.add (i32.const 1) (i32.add (i32.const 2) (i32.add (i32.const 3) (i32.const 4)))))
  (memory 1)
  (data (i32.add (i32.const 8) (i32.mul (i32.const 2) (i32.const 4))) "xy")
  (table 4 funcref)
  (elem (i32.sub (i32.const 5) (i32.const 2)) $seven)
  (func $seven (result i32) (i32.const 7))
  (func (export "a") (result i32) (global.get $a))
  (func (export "b") (result i64) (global.get $b))
  (func (export "c") (result i32) (global.get $c))
  (func (export "d") (result i64) (global.get $d))
  (func (export "e") (result i32) (global.get $e))
  (func (export "f") (result i64) (global.get $f))
  (func (export "left") (result i32) (global.get $left))
  (func (export "right") (result i32) (global.get $right))
  (func (export "byte") (param i32) (result i32) (i32.load8_u (local.get 0)))
  (func (export "call3") (result i32) (call_indirect (result i32) (i32.const 3))))

(assert_return (invoke "a") (i32.const 42))
(assert_return (invoke "b") (i64.const 43))
(assert_return (invoke "c") (i32.const 0x8000_0010))
(assert_return (invoke "d") (i64.const 1_000_000))
(assert_return (invoke "e") (i32.const 0))
(assert_return (invoke "f") (i64.const -1))
(assert_return (invoke "left") (i32.const 10))
(assert_return (invoke "right") (i32.const 10))
(assert_return (invoke "byte" (i32.const 16)) (i32.const 0x78))
(assert_return (invoke "byte" (i32.const 17)) (i32.const 0x79))
(assert_return (invoke "call3") (i32.const 7))

;; An offset computed out of bounds fails instantiation as a constant one would.
(assert_trap
  (module (memory 1) (data (i32.add (i32.const 65535) (i32.const 1)) "z"))
  "out of bounds memory access")

;; Operands must have the instruction's type, one value must remain, and other arithmetic is not
;; constant.
(assert_invalid (module (global i32 (i32.add (i32.const 1) (i64.const 2)))) "type mismatch")
(assert_invalid (module (global i64 (i64.add (i32.const 1) (i32.const 2)))) "type mismatch")
(assert_invalid (module (global i32 (i32.add (i32.const 1)))) "type mismatch")
(assert_invalid (module (global i32 (i32.const 1) (i32.const 2) (i32.add) (i32.const 3))) "type mismatch")
(assert_invalid (module (global i32 (i32.div_s (i32.const 4) (i32.const 2)))) "constant expression required")
(assert_invalid (module (global i64 (i64.and (i64.const 4) (i64.const 2)))) "constant expression required")
(assert_invalid (module (global f32 (f32.add (f32.const 1) (f32.const 2)))) "constant expression required")

;; swasm evaluates constant expressions without allocating, on an operand stack of 128 values
;; (ImplementationLimits.constantExpressionStack; docs/wasmtime-differences.md): 128 right-nested
;; operands are fine, 129 are refused.
(module (global $g i32 (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.const 1))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))) (func (export "g") (result i32) (global.get $g)))
(assert_return (invoke "g") (i32.const 128))
(assert_invalid (module (global i32 (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.add (i32.const 1) (i32.const 1))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))) "constant expression too deep")
