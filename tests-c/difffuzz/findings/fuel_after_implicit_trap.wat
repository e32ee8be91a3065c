;; Status: open in the build/lib/libswasm.so of 2026-12-07 00:52.
;; New: after a trap raised by an instruction that traps implicitly (out-of-bounds access,
;; division by zero, bad conversion, ...), wasmtime's fuel counter shows the fuel consumed up to
;; the last point where compiled code writes its fuel register back to the store: function entry,
;; calls, returns, `unreachable`, out-of-fuel checks. Instructions executed since then are not
;; charged. swasm charges them (it charges whole straight-line runs up front).
;; "oob": wasmtime fuel=0, swasm fuel=5. "loop_then_oob" (3 loop iterations first): wasmtime
;; fuel=0, swasm fuel=33. "unreachable": both 3 (wasmtime saves fuel before `unreachable`).
;; "div": wasmtime 0, swasm 4.
(module
  (memory 0)
  (func (export "oob")
    i32.const 1 drop i32.const 2 drop
    (drop (i32.load (i32.const 0))))
  (func (export "loop_then_oob") (local $i i32)
    (loop
      i32.const 1 drop i32.const 2 drop
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if 0 (i32.lt_u (local.get $i) (i32.const 3))))
    (drop (i32.load (i32.const 0))))
  (func (export "unreachable")
    i32.const 1 drop i32.const 2 drop
    unreachable)
  (func (export "div") (result i32)
    (i32.div_u (i32.const 1) (i32.const 0))))
