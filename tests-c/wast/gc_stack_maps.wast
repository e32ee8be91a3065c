;; Stack maps (Compiler/StackMaps.swift): references that live in a frame across a safepoint (a
;; call, an allocation) must survive the collection it may run. Each function keeps references
;; only in places the collector finds through the stack maps: locals, operand-stack temporaries
;; below a call, the pending operands of struct.new and array.new_fixed, loop and block values,
;; exception payloads, arguments of tail calls. ctest also runs this script with
;; SWASM_GC_STRESS=1, where every allocation collects and freed objects are overwritten, so a
;; reference a map misses shows up as a wrong result or a trap.
(module
  (type $node (struct (field $left (ref null $node)) (field $right (ref null $node))))
  (type $box (struct (field $value (mut i32))))
  (type $boxes (array (mut (ref null $box))))
  (type $mixed (struct (field $a (ref null $box)) (field $v v128) (field $b (ref null $box)) (field $x externref)))
  (type $pair (struct (field $first anyref) (field $second anyref)))
  (type $maker (func (param i32) (result (ref $box))))
  (tag $carry (param (ref $box) i32))
  (table $makers 1 funcref)
  (elem (table $makers) (i32.const 0) func $new-box)

  (func $new-box (type $maker) (struct.new $box (local.get 0)))

  ;; Allocates and drops `n` boxes (many collections under stress).
  (func $churn (param $n i32)
    (loop $again
      (if (i32.gt_s (local.get $n) (i32.const 0))
        (then
          (drop (struct.new $box (local.get $n)))
          (local.set $n (i32.sub (local.get $n) (i32.const 1)))
          (br $again)))))

  ;; The first subtree is a temporary while the second is built.
  (func $make (param $depth i32) (result (ref $node))
    (if (result (ref $node)) (i32.eqz (local.get $depth))
      (then (struct.new $node (ref.null $node) (ref.null $node)))
      (else (struct.new $node (call $make (i32.sub (local.get $depth) (i32.const 1)))
                              (call $make (i32.sub (local.get $depth) (i32.const 1)))))))

  (func $count (param $tree (ref null $node)) (result i32)
    (if (result i32) (ref.is_null (local.get $tree))
      (then (i32.const 0))
      (else (i32.add (i32.const 1)
              (i32.add (call $count (struct.get $node $left (local.get $tree)))
                       (call $count (struct.get $node $right (local.get $tree))))))))

  (func (export "tree") (param $depth i32) (result i32)
    (call $count (call $make (local.get $depth))))

  ;; A list held only in a local while the loop allocates.
  (func (export "list") (param $n i32) (result i32)
    (local $list (ref null $node)) (local $i i32) (local $length i32)
    (loop $build
      (local.set $list (struct.new $node (local.get $list) (ref.null $node)))
      (call $churn (i32.const 3))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $build (i32.lt_s (local.get $i) (local.get $n))))
    (loop $walk
      (if (i32.eqz (ref.is_null (local.get $list)))
        (then
          (local.set $length (i32.add (local.get $length) (i32.const 1)))
          (local.set $list (struct.get $node $left (local.get $list)))
          (br $walk))))
    (local.get $length))

  ;; array.new_fixed's elements are pending operands while the later ones are allocated.
  (func (export "fixed") (result i32)
    (local $array (ref $boxes))
    (local.set $array
      (array.new_fixed $boxes 4
        (struct.new $box (i32.const 1))
        (call $new-box (i32.const 20))
        (block (result (ref $box)) (call $churn (i32.const 5)) (struct.new $box (i32.const 300)))
        (call_indirect $makers (type $maker) (i32.const 4000) (i32.const 0))))
    (call $churn (i32.const 10))
    (i32.add
      (i32.add (struct.get $box $value (ref.as_non_null (array.get $boxes (local.get $array) (i32.const 0))))
               (struct.get $box $value (ref.as_non_null (array.get $boxes (local.get $array) (i32.const 1)))))
      (i32.add (struct.get $box $value (ref.as_non_null (array.get $boxes (local.get $array) (i32.const 2))))
               (struct.get $box $value (ref.as_non_null (array.get $boxes (local.get $array) (i32.const 3)))))))

  ;; array.new's initial value is allocated first; the length comes from a call that allocates.
  (func $length-after-churn (result i32) (call $churn (i32.const 8)) (i32.const 5))
  (func (export "filled") (result i32)
    (local $array (ref $boxes))
    (local.set $array (array.new $boxes (struct.new $box (i32.const 7)) (call $length-after-churn)))
    (call $churn (i32.const 8))
    (i32.mul (array.len (local.get $array))
             (struct.get $box $value (ref.as_non_null (array.get $boxes (local.get $array) (i32.const 4))))))

  ;; A struct with a v128 field between references; the references are temporaries while the
  ;; later fields are computed.
  (func (export "mixed") (param $x externref) (result i32 externref)
    (local $v v128) (local $object (ref $mixed))
    (local.set $v (v128.const i32x4 1 2 3 4))
    (local.set $object
      (struct.new $mixed (call $new-box (i32.const 11))
                         (block (result v128) (call $churn (i32.const 6)) (local.get $v))
                         (call $new-box (i32.const 22))
                         (block (result externref) (call $churn (i32.const 6)) (local.get $x))))
    (call $churn (i32.const 6))
    (i32.add (i32.add (struct.get $box $value (ref.as_non_null (struct.get $mixed $a (local.get $object))))
                      (struct.get $box $value (ref.as_non_null (struct.get $mixed $b (local.get $object)))))
             (i32x4.extract_lane 3 (struct.get $mixed $v (local.get $object))))
    (struct.get $mixed $x (local.get $object)))

  ;; A reference carried by a loop's parameter across allocations.
  (func (export "carried") (result i32)
    (local $i i32)
    (struct.new $box (i32.const 0))
    (loop $again (param (ref $box)) (result (ref $box))
      (call $churn (i32.const 4))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (struct.new $box (i32.add (struct.get $box $value) (i32.const 10)))
      (br_if $again (i32.lt_s (local.get $i) (i32.const 10))))
    (struct.get $box $value))

  ;; An exception's payload reference survives the unwinding and the allocations after it.
  (func $throw-box (param $n i32)
    (call $churn (i32.const 4))
    (throw $carry (struct.new $box (local.get $n)) (local.get $n)))
  (func (export "caught") (result i32)
    (local $i i32)
    (block $handler (result (ref $box) i32)
      (try_table (catch $carry $handler)
        (call $throw-box (i32.const 55)))
      (unreachable))
    (local.set $i)
    (call $churn (i32.const 10))
    (i32.add (struct.get $box $value) (local.get $i)))

  ;; Tail calls hand references on as arguments.
  (func $sum-tail (param $box (ref $box)) (param $n i32) (result i32)
    (if (result i32) (i32.eqz (local.get $n))
      (then (struct.get $box $value (local.get $box)))
      (else
        (call $churn (i32.const 2))
        (return_call $sum-tail
          (struct.new $box (i32.add (struct.get $box $value (local.get $box)) (local.get $n)))
          (i32.sub (local.get $n) (i32.const 1))))))
  (func (export "tail") (param $n i32) (result i32)
    (return_call $sum-tail (struct.new $box (i32.const 0)) (local.get $n)))

  ;; References of both hierarchies, converted, held in anyref and externref slots.
  (func (export "converted") (param $x externref) (result externref i32)
    (local $pair (ref $pair))
    (local.set $pair (struct.new $pair (any.convert_extern (local.get $x)) (ref.i31 (i32.const 9))))
    (call $churn (i32.const 8))
    (extern.convert_any (struct.get $pair $first (local.get $pair)))
    (i31.get_u (ref.cast (ref i31) (struct.get $pair $second (local.get $pair)))))

  ;; A reference below the arguments of a call that allocates.
  (func $add-after-churn (param $a i32) (param $b i32) (result i32)
    (call $churn (i32.const 12))
    (i32.add (local.get $a) (local.get $b)))
  (func (export "below-call") (result i32)
    (struct.get $box $value
      (struct.new $box (i32.const 1))
      (drop (call $add-after-churn (i32.const 2) (i32.const 3)))))
)

(assert_return (invoke "tree" (i32.const 8)) (i32.const 511))
(assert_return (invoke "list" (i32.const 60)) (i32.const 60))
(assert_return (invoke "fixed") (i32.const 4321))
(assert_return (invoke "filled") (i32.const 35))
(assert_return (invoke "mixed" (ref.extern 17)) (i32.const 37) (ref.extern 17))
(assert_return (invoke "carried") (i32.const 100))
(assert_return (invoke "caught") (i32.const 110))
(assert_return (invoke "tail" (i32.const 20)) (i32.const 210))
(assert_return (invoke "converted" (ref.extern 5)) (ref.extern 5) (i32.const 9))
(assert_return (invoke "below-call") (i32.const 1))
