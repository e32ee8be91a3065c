;; Preloaded as "lib" by test_cli.sh: a function, a memory and a global for other modules to import.
(module
  (func (export "scale") (param i32) (result i32)
    (i32.mul (local.get 0) (i32.const 7)))
  (memory (export "memory") 1)
  (data (i32.const 8) "\64\00\00\00") ;; 100 at address 8
  (global (export "offset") i32 (i32.const 5)))
