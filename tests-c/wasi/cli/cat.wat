;; A WASI command that copies stdin to stdout (fd_read, fd_write) until the end of the input.
(module
  (import "wasi_snapshot_preview1" "fd_read" (func $fd_read (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (func (export "_start")
    (local $count i32)
    (loop $more
      (i32.store (i32.const 16) (i32.const 1024))
      (i32.store (i32.const 20) (i32.const 4096))
      (if (i32.eqz (call $fd_read (i32.const 0) (i32.const 16) (i32.const 1) (i32.const 24)))
        (then
          (local.set $count (i32.load (i32.const 24)))
          (if (local.get $count)
            (then
              (i32.store (i32.const 20) (local.get $count))
              (drop (call $fd_write (i32.const 1) (i32.const 16) (i32.const 1) (i32.const 24)))
              (br $more))))))))
