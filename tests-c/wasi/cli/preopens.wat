;; A WASI command that lists its preopened directories from descriptor 3 on (fd_prestat_get,
;; fd_prestat_dir_name), one name per line, and then tries to create "probe" in each
;; (path_open with O_CREAT), writing "created" or "refused" after the name.
(module
  (import "wasi_snapshot_preview1" "fd_prestat_get" (func $prestat_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_prestat_dir_name" (func $prestat_dir_name (param i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_open"
    (func $path_open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 200) " created\n refused\nprobe")
  (func $write (param $start i32) (param $length i32)
    (i32.store (i32.const 16) (local.get $start))
    (i32.store (i32.const 20) (local.get $length))
    (drop (call $fd_write (i32.const 1) (i32.const 16) (i32.const 1) (i32.const 24))))
  (func (export "_start")
    (local $fd i32)
    (local.set $fd (i32.const 3))
    (block $done
      (loop $next
        (br_if $done (call $prestat_get (local.get $fd) (i32.const 0)))
        (drop (call $prestat_dir_name (local.get $fd) (i32.const 1024) (i32.load (i32.const 4))))
        (call $write (i32.const 1024) (i32.load (i32.const 4)))
        ;; path_open(fd, no lookup flags, "probe", O_CREAT, rights fd_write, inheriting 0, fdflags 0)
        (if (call $path_open (local.get $fd) (i32.const 0) (i32.const 218) (i32.const 5) (i32.const 1)
                             (i64.const 64) (i64.const 0) (i32.const 0) (i32.const 32))
          (then (call $write (i32.const 209) (i32.const 9)))
          (else (call $write (i32.const 200) (i32.const 9))))
        (local.set $fd (i32.add (local.get $fd) (i32.const 1)))
        (br $next)))))
