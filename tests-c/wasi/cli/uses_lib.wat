;; A WASI command whose `_start` calls `lib::say` (given by --preload lib=lib.wat).
(module
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (import "lib" "say" (func $say))
  (func (export "_start") (call $say)))
