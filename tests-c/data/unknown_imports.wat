;; A module whose only imports are functions nobody defines, for the linker's unknown-import helpers.
(module
  (import "env" "missing" (func $missing (param i32) (result i32)))
  (func (export "call_missing") (result i32) (call $missing (i32.const 7))))
