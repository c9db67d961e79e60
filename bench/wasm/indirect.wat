;; call_indirect through an exported table: `loop` calls slot `i` n times. indirect.js puts
;; this instance's own `inc` in slot 0 and another instance's `inc` in slot 1 (under jsrt a
;; proxy function: crates/jsrt-wasm/src/proxy.rs).
(module
  (type $t (func (param i32) (result i32)))
  (table (export "tbl") 2 funcref)
  (func $inc (export "inc") (type $t) (i32.add (local.get 0) (i32.const 1)))
  (func (export "loop") (param $slot i32) (param $n i32) (result i32)
    (local $acc i32)
    (loop $l
      (local.set $acc (call_indirect (type $t) (local.get $acc) (local.get $slot)))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (local.get $acc)))
