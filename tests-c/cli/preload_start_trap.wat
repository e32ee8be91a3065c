;; A preload whose start function traps.
(module
  (func $start unreachable)
  (start $start)
  (func (export "unused")))
