;; Externref values crossing the wasm.h API: arguments, results, globals, tables and host functions.
(module
  (import "host" "echo" (func $echo (param externref) (result externref)))
  (table $refs (export "refs") 4 externref)
  (global $last (export "last") (mut externref) (ref.null extern))
  (func (export "identity") (param externref) (result externref) (local.get 0))
  (func (export "keep") (param $slot i32) (param $value externref)
    (table.set $refs (local.get $slot) (local.get $value))
    (global.set $last (local.get $value)))
  (func (export "load") (param $slot i32) (result externref) (table.get $refs (local.get $slot)))
  (func (export "is_null") (param externref) (result i32) (ref.is_null (local.get 0)))
  (func (export "through_host") (param externref) (result externref) (call $echo (local.get 0))))
