;; Binary trees (WebAssembly GC): the allocation-heavy benchmark of the Benchmarks Game, on
;; structs. A long-lived tree of depth 14 stays alive while trees of depths 4, 6, ... 14 are built,
;; counted and dropped, 2^(18 - depth) of each. Returns the total number of nodes visited.
(module
  (type $node (struct (field $left (ref null $node)) (field $right (ref null $node))))
  (func $make (param $depth i32) (result (ref $node))
    (if (result (ref $node)) (i32.eqz (local.get $depth))
      (then (struct.new $node (ref.null $node) (ref.null $node)))
      (else (struct.new $node (call $make (i32.sub (local.get $depth) (i32.const 1)))
                              (call $make (i32.sub (local.get $depth) (i32.const 1)))))))
  (func $count (param $tree (ref $node)) (result i32)
    (local $left (ref null $node))
    (local.set $left (struct.get $node $left (local.get $tree)))
    (if (result i32) (ref.is_null (local.get $left))
      (then (i32.const 1))
      (else (i32.add (i32.const 1)
              (i32.add (call $count (ref.as_non_null (local.get $left)))
                       (call $count (ref.as_non_null (struct.get $node $right (local.get $tree)))))))))
  (func (export "run") (result i32)
    (local $depth i32) (local $i i32) (local $iterations i32) (local $sum i32) (local $long (ref null $node))
    (local.set $long (call $make (i32.const 14)))
    (local.set $depth (i32.const 4))
    (loop $depths
      (local.set $iterations (i32.shl (i32.const 1) (i32.sub (i32.const 18) (local.get $depth))))
      (local.set $i (i32.const 0))
      (loop $trees
        (local.set $sum (i32.add (local.get $sum) (call $count (call $make (local.get $depth)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_if $trees (i32.lt_u (local.get $i) (local.get $iterations))))
      (local.set $depth (i32.add (local.get $depth) (i32.const 2)))
      (br_if $depths (i32.le_u (local.get $depth) (i32.const 14))))
    (i32.add (local.get $sum) (call $count (ref.as_non_null (local.get $long))))))
