;; OPEN (not fixed): differential fuzzing case 6324, minimised by hand from the fuzzer's module
;; (tests: none yet). run() returns $r: Node (and wasmi) give 250912935558244907, jsrt 0 — the
;; i64 the call left on the operand stack is lost. WAMR's fast interpreter, before jsrt's
;; changes too (the same result from the session-2 binary). Needed to reproduce: values below
;; the block, a `br_if 0` then `br 1` carrying the function's result inside it, and an op after
;; the block that consumes a value from below it and pushes one (`global.get $a; i32.xor`):
;; the loader likely gives that result a stack slot over the live i64 (after the branch its
;; `dynamic_offset` is not where the stack really is; see RESET_STACK and reserve_block_ret in
;; wasm_loader.c). Case 7620 (a v128 global after a call) is another open mismatch:
;; JSRT_FUZZ_START=7620 JSRT_FUZZ_CASES=1 cargo test -p jsrt-wasm --test differential.
(module
  (global $r (mut i64) (i64.const 0))
  (global $a (mut i32) (i32.const 0))
  (global $z (mut i64) (i64.const 0))
  (global $c (mut i64) (i64.const 0))
  (func $k (result i64) (i64.const 250912935558244907))
  (func $f0 (result f32)
    call $k
    global.get $z
    global.get $z
    global.get $a
    block
      i32.const 1
      br_if 0
      f32.const 7.5
      br 1
    end
    global.get $a
    i32.xor
    global.set $a
    global.set $r
    i64.xor
    global.set $r
    f32.const 1)
  (func (export "run") (result i64)
    (drop (call $f0))
    (global.get $r)))
