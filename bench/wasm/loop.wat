;; A counting loop of n x 1,000,000 iterations, exported as "fib" so that
;; crates/jsrt-wasm/examples/wamr_fib can run it: the cost of a taken branch in the
;; interpreter (bench/README.md, "What the 2026-11-29 changes cost").
(module
  (func (export "fib") (param $n i32) (result i32)
    (local $i i32) (local $a i32) (local $b i32) (local $t i32)
    (local.set $b (i32.const 1))
    (local.set $i (i32.mul (local.get $n) (i32.const 1000000)))
    (block $done
      (loop $l
        (br_if $done (i32.eqz (local.get $i)))
        (local.set $t (i32.add (local.get $a) (local.get $b)))
        (local.set $a (local.get $b))
        (local.set $b (i32.xor (local.get $t) (local.get $i)))
        (local.set $i (i32.sub (local.get $i) (i32.const 1)))
        (br $l)))
    (local.get $b)))
