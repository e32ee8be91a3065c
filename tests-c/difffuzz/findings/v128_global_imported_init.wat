;; Status: fixed in the build/lib/libswasm.so of 2026-12-07 00:30 (kept as a regression reproducer).
;; (The module still differs in instantiation fuel, finding F3: wasmtime charges the global.get.)
;; issue 11 item 5 (known): a v128 global initialised by global.get of an imported v128 global
;; keeps only the low 64 bits in swasm. The driver imports a global whose bytes are 0x70..0x7f.
;; wasmtime: both globals 7f7e...7170 ; swasm: the second is 0000000000000000 7776757473727170.
(module
  (import "env" "g" (global $imported v128))
  (global (export "imported") v128 (global.get $imported))
  (global (export "copy") v128 (global.get $imported)))
