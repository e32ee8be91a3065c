;; A WASI command that writes its arguments to stdout and its environment to stderr, one per line
;; (args_sizes_get/args_get, environ_sizes_get/environ_get, fd_write).
(module
  (import "wasi_snapshot_preview1" "args_sizes_get" (func $args_sizes_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "args_get" (func $args_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "environ_sizes_get" (func $environ_sizes_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "environ_get" (func $environ_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  ;; 0: count, 4: bytes, 16: iovec, 24: written, 1024: pointers, 16384: strings
  (memory (export "memory") 4)
  (func $newlines (param $start i32) (param $length i32)
    (local $i i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $length)))
        (if (i32.eqz (i32.load8_u (i32.add (local.get $start) (local.get $i))))
          (then (i32.store8 (i32.add (local.get $start) (local.get $i)) (i32.const 10))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next))))
  (func $write (param $fd i32) (param $start i32) (param $length i32)
    (i32.store (i32.const 16) (local.get $start))
    (i32.store (i32.const 20) (local.get $length))
    (drop (call $fd_write (local.get $fd) (i32.const 16) (i32.const 1) (i32.const 24))))
  (func (export "_start")
    (drop (call $args_sizes_get (i32.const 0) (i32.const 4)))
    (drop (call $args_get (i32.const 1024) (i32.const 16384)))
    (call $newlines (i32.const 16384) (i32.load (i32.const 4)))
    (call $write (i32.const 1) (i32.const 16384) (i32.load (i32.const 4)))
    (drop (call $environ_sizes_get (i32.const 0) (i32.const 4)))
    (drop (call $environ_get (i32.const 1024) (i32.const 16384)))
    (call $newlines (i32.const 16384) (i32.load (i32.const 4)))
    (call $write (i32.const 2) (i32.const 16384) (i32.load (i32.const 4)))))
