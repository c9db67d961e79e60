;; Calls back into JavaScript: the host supplies env.log, the module greets through it.
(module
  (import "env" "log" (func $log (param i32)))
  (func (export "hello") (param $times i32)
    (local $i i32)
    (block $done
      (loop $again
        (br_if $done (i32.ge_u (local.get $i) (local.get $times)))
        (call $log (local.get $i))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $again)))))
