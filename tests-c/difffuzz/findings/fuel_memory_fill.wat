;; Status: fixed in the build/lib/libswasm.so of 2026-12-07 00:30 (kept as a regression reproducer).
;; issue 11 item 6 (known): memory.fill of n bytes costs wasmtime n plus the instruction costs,
;; swasm a constant. wasmtime: fuel=1005 ; swasm: fuel=5 (same for memory.copy/init,
;; table.fill/copy/init per element, memory.grow/table.grow per page/element).
(module
  (memory 1)
  (func (export "fill") (memory.fill (i32.const 0) (i32.const 7) (i32.const 1000))))
