(module
  (import "env" "inc" (func $inc (param i32)))
  (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
  (func (export "loop") (param $n i32)
    (loop $l
      (call $inc (i32.const 1))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))))
