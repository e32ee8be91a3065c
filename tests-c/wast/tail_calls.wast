;; Tail calls (return_call, return_call_indirect) beyond the specification's scripts: the callee
;; takes over the caller's frame and call record, so unbounded tail recursion runs in constant
;; space; the arguments move to the frame's start even when the callee has more parameters or a
;; bigger frame than the caller; a host function or another instance's function can be the callee.
(module $callee
  (func (export "add3") (param i64 i64 i64) (result i64)
    (i64.add (i64.add (local.get 0) (local.get 1)) (local.get 2)))
  (func $down (export "down") (param i64) (result i64)
    (if (result i64) (i64.eqz (local.get 0)) (then (i64.const 99))
      (else (return_call $down (i64.sub (local.get 0) (i64.const 1)))))))
(register "callee" $callee)

(module
  (import "spectest" "print_i32" (func $print (param i32)))
  (import "callee" "add3" (func $add3 (param i64 i64 i64) (result i64)))
  (import "callee" "down" (func $down (param i64) (result i64)))
  (type $wide (func (param i64 i64 i64 i64 i64 i64 i64 i64 i64 i64) (result i64)))
  (type $one (func (param i64) (result i64)))
  (table funcref (elem $narrow $wide $add3 $down))

  ;; Ten million tail calls: a call stack of any finite size would overflow.
  (func $loop (export "loop") (param i64 i64) (result i64)
    (if (result i64) (i64.eqz (local.get 0)) (then (local.get 1))
      (else (return_call $loop (i64.sub (local.get 0) (i64.const 1)) (i64.add (local.get 1) (i64.const 3))))))

  ;; A one-parameter function and a ten-parameter one with locals call each other in turn.
  (func $narrow (param $n i64) (result i64)
    (if (result i64) (i64.eqz (local.get $n)) (then (i64.const 0))
      (else (return_call $wide (i64.sub (local.get $n) (i64.const 1))
        (i64.const 1) (i64.const 2) (i64.const 3) (i64.const 4) (i64.const 5)
        (i64.const 6) (i64.const 7) (i64.const 8) (i64.const 9)))))
  (func $wide (type $wide)
    (local i64 i64 i64 i64)
    (local.set 10 (i64.add (local.get 1) (local.get 9)))
    (if (result i64) (i64.ne (local.get 10) (i64.const 10)) (then (i64.const -1))
      (else (return_call_indirect (type $one) (local.get 0) (i32.const 0)))))
  (func (export "ping_pong") (param i64) (result i64) (return_call $narrow (local.get 0)))

  ;; Other callees: a host function, another instance's function, directly and through the table.
  (func (export "print") (param i32) (return_call $print (local.get 0)))
  (func (export "far_add") (param i64) (result i64)
    (return_call $add3 (local.get 0) (i64.const 10) (i64.const 100)))
  (func (export "far_down") (param i64) (result i64)
    (return_call_indirect (type $one) (local.get 0) (i32.const 3)))
  (func (export "far_add_indirect") (param i64) (result i64)
    (return_call_indirect (param i64 i64 i64) (result i64) (local.get 0) (i64.const 20) (i64.const 200) (i32.const 2)))

  ;; Traps in the callee, and from the table.
  (func $divide (param i32 i32) (result i32) (i32.div_u (local.get 0) (local.get 1)))
  (func (export "divide") (param i32 i32) (result i32) (return_call $divide (local.get 0) (local.get 1)))
  (func (export "bad_type") (result i64) (return_call_indirect (type $one) (i64.const 1) (i32.const 1)))
  (func (export "bad_index") (result i64) (return_call_indirect (type $one) (i64.const 1) (i32.const 9)))
)

(assert_return (invoke "loop" (i64.const 10_000_000) (i64.const 0)) (i64.const 30_000_000))
(assert_return (invoke "ping_pong" (i64.const 1_000_001)) (i64.const 0))
(assert_return (invoke "print" (i32.const 42)))
(assert_return (invoke "far_add" (i64.const 1)) (i64.const 111))
(assert_return (invoke "far_down" (i64.const 1_000_000)) (i64.const 99))
(assert_return (invoke "far_add_indirect" (i64.const 2)) (i64.const 222))
(assert_return (invoke "divide" (i32.const 7) (i32.const 2)) (i32.const 3))
(assert_trap (invoke "divide" (i32.const 7) (i32.const 0)) "integer divide by zero")
(assert_trap (invoke "bad_type") "indirect call type mismatch")
(assert_trap (invoke "bad_index") "undefined element")
;; The store is still usable after the traps.
(assert_return (invoke "loop" (i64.const 5) (i64.const 1)) (i64.const 16))

;; A tail call's callee must return exactly the function's results.
(assert_invalid
  (module (func $f (result i64) (i64.const 0)) (func (result i32) (return_call $f)))
  "type mismatch")
(assert_invalid
  (module (type $t (func (result i32 i32))) (table 1 funcref)
    (func (result i32) (return_call_indirect (type $t) (i32.const 0))))
  "type mismatch")
