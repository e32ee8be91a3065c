;; Status: open in the build/lib/libswasm.so of 2026-12-07 00:52.
;; New: wasmtime charges fuel for evaluating reference-typed constant expressions during
;; instantiation; swasm charges nothing. Observed (wasmtime 50.0.1):
;;   1 once when any such expression is evaluated,
;;   + 1 per reference-typed global initializer (ref.null / ref.func),
;;   + 1 per item of an element segment in expression form (passive or active),
;;   + 1 per active expression-form segment and 1 per element it writes into the table.
;; Numeric initializers, data segments and element segments in function-index form are free.
;; This module: 1 + 1 (global) + (1 + 2 + 2) (active, 2 items) + 1 (passive, 1 item) = 8.
;; wasmtime: instantiate ok fuel=8 ; swasm: fuel=0.
(module
  (table 4 externref)
  (table $f 4 funcref)
  (func $fn)
  (global (export "g") funcref (ref.func $fn))
  (elem (table 0) (i32.const 0) externref (ref.null extern) (ref.null extern))
  (elem funcref (ref.func $fn)))
