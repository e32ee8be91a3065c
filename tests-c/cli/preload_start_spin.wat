;; A preload whose start function loops 1000 times, to consume fuel.
(module
  (func $start (local $count i32)
    (loop $again
      (local.set $count (i32.add (local.get $count) (i32.const 1)))
      (br_if $again (i32.lt_u (local.get $count) (i32.const 1000)))))
  (start $start))
