;; Status: fixed in the build/lib/libswasm.so of 2026-12-07 00:30 (kept as a regression reproducer).
;; issue 11 item 5 (known): a v128 global initialised by v128.const reads as zero in swasm.
;; wasmtime: global 0 v128:0000000200000000 0000000000000001 ; swasm: all zeros.
(module
  (global (export "g") v128 (v128.const i64x2 1 2)))
