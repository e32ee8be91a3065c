;; proc_exit: `_start` exits with 7 after writing to stdout; `exit_with N` exits with N; `answer`
;; returns 42 (for --invoke).
(module
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 100) "exiting\n")
  (func (export "_start")
    (i32.store (i32.const 16) (i32.const 100))
    (i32.store (i32.const 20) (i32.const 8))
    (drop (call $fd_write (i32.const 1) (i32.const 16) (i32.const 1) (i32.const 24)))
    (call $proc_exit (i32.const 7)))
  (func (export "exit_with") (param i32) (call $proc_exit (local.get 0)))
  (func (export "answer") (result i32) (i32.const 42)))
