;; Status: open in the build/lib/libswasm.so of 2026-12-07 00:52.
;; New: wasmtime charges 2 units of fuel for invoking the start function during instantiation,
;; on top of the function's own cost (also for an imported host start function). swasm charges
;; only the body. wasmtime: instantiate ok fuel=3 ; swasm: fuel=1.
(module
  (func $start)
  (start $start))
