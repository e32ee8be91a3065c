;; Status: fixed in the build/lib/libswasm.so of 2026-12-07 00:52 (kept as a regression reproducer).
;; New: where an out-of-fuel trap happens, and what is left. wasmtime checks fuel only at function
;; entries and loop headers: the code between two checks runs even when it overdraws the budget,
;; the next check traps, and wasmtime then reports 0 fuel remaining. swasm charges each
;; straight-line run before executing it and traps when it cannot pay for it in full, leaving the
;; unpaid fuel. So after the trap both the fuel and the program's state differ:
;;   "spin" (100,000 fuel):  wasmtime fuel=100000 ; swasm fuel=99996.
;;   "count" (100,000 fuel): wasmtime n=0x37ce, fuel=100000 ; swasm n=0x37cd, fuel=99996
;;                            (with 7 fuel: wasmtime runs one iteration, n=1; swasm none, n=0).
(module
  (global $n (export "n") (mut i32) (i32.const 0))
  (func (export "spin")
    (loop
      i32.const 1 drop i32.const 2 drop i32.const 3 drop
      i32.const 4 drop i32.const 5 drop i32.const 6 drop
      br 0))
  (func (export "count")
    (loop
      (global.set $n (i32.add (global.get $n) (i32.const 1)))
      i32.const 1 drop i32.const 2 drop
      br 0)))
