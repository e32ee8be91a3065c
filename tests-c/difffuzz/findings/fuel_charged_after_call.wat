;; Status: fixed in the build/lib/libswasm.so of 2026-12-07 00:52 (kept as a regression reproducer).
;; New: swasm charges the instructions that follow a call (in the same straight-line run) before
;; making the call; wasmtime charges them when they run, after the callee returns. Visible in
;; (a) the fuel consumed when the callee traps and (b) where deep recursion runs out of fuel.
;; "trap_in_callee": wasmtime fuel=3, swasm fuel=6 (the three i32.const after the call).
;; "recurse" (100,000 fuel): wasmtime reaches depth 0x411b (6 per level), swasm 0x1a0a (15 per
;; level: the 9 constants after the call are charged on the way down), so any state the
;; recursion builds differs after the out-of-fuel trap.
(module
  (global $depth (export "depth") (mut i32) (i32.const 0))
  (func $trap unreachable)
  (func (export "trap_in_callee")
    call $trap
    i32.const 1 drop i32.const 2 drop i32.const 3 drop)
  (func $recurse (export "recurse")
    (global.set $depth (i32.add (global.get $depth) (i32.const 1)))
    call $recurse
    i32.const 1 drop i32.const 2 drop i32.const 3 drop i32.const 4 drop i32.const 5 drop
    i32.const 6 drop i32.const 7 drop i32.const 8 drop i32.const 9 drop))
