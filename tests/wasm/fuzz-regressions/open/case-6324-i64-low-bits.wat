;; OPEN (not fixed): differential fuzzing case 6324, minimised. `run(42)` returns global 3 after
;; calling func 0: Node gives 250912935558244907 (0x037b6bfc497fea2b), jsrt 250912934325125120
;; (0x037b6bfc00000000): the low 32 bits of an i64 on the operand stack come out zero, most
;; likely an i32 slot the fast-interpreter loader assigns over half of it around the
;; `block ... br_if 0 ... br 1 end` in func 0 (wasmi agrees with Node). Run: node/jsrt with a two-line script calling exports.run(42).
;; Case 7620 (v128 global after a call) is another open mismatch: JSRT_FUZZ_START=7620
;; JSRT_FUZZ_CASES=1 cargo test -p jsrt-wasm --test differential.
(module
  (type (;0;) (func (result i64)))
  (type (;1;) (func (param v128 f64 i32) (result f32 f64 i64)))
  (type (;2;) (func (param v128 f32) (result f32)))
  (table (;0;) 36 526 funcref)
  (memory (;0;) 14 15)
  (global (;0;) f32 f32.const -0x1.65120cp+88 (;=-431671740000000000000000000;))
  (global (;1;) (mut f32) f32.const 0x1.916436p-41 (;=0.00000000000071301445;))
  (global (;2;) (mut i32) i32.const 0)
  (global (;3;) (mut i64) i64.const 0)
  (global (;4;) (mut i32) i32.const 0)
  (global (;5;) (mut i64) i64.const 0)
  (global (;6;) (mut v128) v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000)
  (global (;7;) (mut i32) i32.const 2000)
  (export "" (func 0))
  (export "v" (global 3))
  (export "run" (func 3))
  (func (;0;) (type 2) (param v128 f32) (result f32)
    global.get 7
    if 
    end
    call 2
    memory.size
    i64.load16_u offset=484025 align=1
    f64.const 0x1.fep-1067 (;=0.00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000126;)
    i64.trunc_sat_f64_s
    global.get 1
    i64.trunc_sat_f32_u
    i32.wrap_i64
    block 
      i32.const -2048
      br_if 0 (;@1;)
      f32.const 0x1.e2e0eap+2 (;=7.5449777;)
      br 1
    end
    global.get 4
    i32.xor
    global.set 4
    global.set 3
    i64.xor
    global.set 3
    f32.const 0x1.9f719cp+42 (;=7137270000000;)
  )
  (func (;1;) (type 2) (param v128 f32) (result f32)
    (local v128 v128 v128 f32 f32)
    global.get 7
    if 
    end
    block (result funcref) 
      i64.const 1396169979918245271
      memory.size
      v128.load64_splat offset=45841 align=4
      v128.const i32x4 0x00000000 0x7ff80000 0x00000000 0x7ff80000
      local.get 3
      v128.bitselect
      f64x2.extract_lane 0
      i32.const -16777217
      loop (result i64) 
        global.get 7
        if 
        end
        loop (result i64) 
          global.get 7
          br_table 0 (;@3;) 1 (;@2;) 0 (;@3;)
          block 
            call 2
            global.get 0
            i32.trunc_f32_s
            global.get 1
            block 
              table.size 0
              i64.load16_s offset=376272
              i32.const 936661793
              i64.extend_i32_u
              call 2
              i64.eqz
              f64.convert_i32_u
              i32.const 524288
              i64.const -8408071563100034210
              table.size 0
              i8x16.splat
              global.set 6
              global.set 3
              global.set 4
              i64.reinterpret_f64
              global.set 5
              i64.xor
              global.set 3
            end
            drop
            global.set 4
            drop
          end
        end
      end
      global.set 3
      global.set 4
      i64.reinterpret_f64
      i64.xor
      global.set 3
      ref.null func
    end
    drop
    f32.const 0x1.d7a4cap-68 (;=0.0000000000000000000062421525;)
  )
  (func (;2;) (type 0) (result i64)
    global.get 7
    if 
      block 
        block (type 0) (result i64) 
          br 2 (;@1;)
          loop (type 0) (result i64) 
            global.get 7
            f32.load offset=966492 align=2
            i64.trunc_sat_f32_s
          end
        end
        global.set 3
      end
    end
    i64.const 250912935558244907
  )
  (func (;3;) (param f32) (result i64)
    (drop (call 0 (v128.const i64x2 1 2) (local.get 0)))
    (global.get 3))
)
