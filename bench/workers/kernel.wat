;; A CPU-bound kernel for bench/workers: `work(from, to, rounds)` runs an LCG `rounds` times per
;; element of its share and adds the results into the total at address 0 (atomically), so the
;; shares of several workers add up to the same total as one worker doing everything.
(module
  (import "env" "memory" (memory 1 1 shared))
  (func (export "work") (param $from i32) (param $to i32) (param $rounds i32)
    (local $x i32) (local $k i32) (local $acc i32)
    (block $done
      (loop $each
        (br_if $done (i32.ge_u (local.get $from) (local.get $to)))
        (local.set $x (local.get $from))
        (local.set $k (local.get $rounds))
        (loop $lcg
          (local.set $x (i32.add (i32.mul (local.get $x) (i32.const 1103515245)) (i32.const 12345)))
          (local.tee $k (i32.sub (local.get $k) (i32.const 1)))
          (br_if $lcg))
        (local.set $acc (i32.add (local.get $acc) (local.get $x)))
        (local.set $from (i32.add (local.get $from) (i32.const 1)))
        (br $each)))
    (drop (i32.atomic.rmw.add (i32.const 0) (local.get $acc)))))
