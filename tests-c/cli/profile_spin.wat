;; `swasm run --profile=guest`: `run` spins in `$inner` (called by `$outer`) for a few tens of
;; milliseconds, long enough for samples every millisecond.
(module
  (func $inner (param $n i32) (result i32) (local $acc i32)
    (loop $l
      (local.set $acc (i32.add (local.get $acc) (i32.mul (local.get $n) (i32.const 7))))
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (br_if $l (local.get $n)))
    (local.get $acc))
  (func $outer (param $n i32) (result i32) (call $inner (local.get $n)))
  (func (export "run") (result i32) (call $outer (i32.const 20000000))))
