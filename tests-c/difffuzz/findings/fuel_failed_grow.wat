;; Status: open in the build/lib/libswasm.so of 2026-12-07 00:52.
;; Issue 11 item 6 (known area, remaining after the 00:30 build): a memory.grow or table.grow that
;; fails because it would pass the declared maximum is still charged its delta by wasmtime when the
;; delta is at most 128 (pages or elements); larger failing deltas are not charged, successful
;; growth always is. swasm charges nothing for a failed growth.
;;   "mem_fail_3"   (memory 1 2, grow 3):      wasmtime fuel=6,   swasm fuel=3
;;   "mem_fail_128" (grow 128):                 wasmtime fuel=131, swasm fuel=3
;;   "mem_fail_129" (grow 129):                 wasmtime fuel=3,   swasm fuel=3
;;   "tab_fail_30"  (table 1 10, grow 30):      wasmtime fuel=34,  swasm fuel=4
;;   "recurse" (a failing grow 1 per level): out of fuel at depth 0x2b67 on wasmtime, 0x30d4 on
;;   swasm, so state built by the recursion differs after the trap (category fuel_cascade:*).
(module
  (memory 1 2)
  (table 1 10 funcref)
  (func (export "mem_fail_3") (result i32) (memory.grow (i32.const 3)))
  (func (export "mem_fail_128") (result i32) (memory.grow (i32.const 128)))
  (func (export "mem_fail_129") (result i32) (memory.grow (i32.const 129)))
  (func (export "tab_fail_30") (result i32) (table.grow (ref.null func) (i32.const 30)))
  (global $depth (export "depth") (mut i32) (i32.const 0))
  (func $recurse (export "recurse")
    (drop (memory.grow (i32.const 1)))
    (global.set $depth (i32.add (global.get $depth) (i32.const 1)))
    call $recurse))
