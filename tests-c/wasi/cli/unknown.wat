;; A WASI command that also imports a function nothing defines: `_start` does not call it,
;; `call_missing` does (for --unknown-imports).
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "host" "missing" (func $missing (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 100) "fine\n")
  (func (export "_start")
    (i32.store (i32.const 16) (i32.const 100))
    (i32.store (i32.const 20) (i32.const 5))
    (drop (call $fd_write (i32.const 1) (i32.const 16) (i32.const 1) (i32.const 24))))
  (func (export "call_missing") (result i32) (call $missing)))
