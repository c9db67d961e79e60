//! Stack traces (frames.rs, codemap.rs): the frames of a trap and of calls in progress name
//! the right functions and the byte offsets of the right instructions in the module as given,
//! through every rewrite jsrt applies before WAMR loads it.

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::Arc;

use jsrt_wasm::frames::{calls_in_progress, take_trap_frames};
use jsrt_wasm::{host_fn, Error, Instance, Module, Val};

/// Absolute offset of the `nth` instruction (0-based) of function `func` whose debug text
/// starts with `op` (e.g. "I32DivS", "Call").
fn offset_of(bytes: &[u8], func: u32, op: &str, nth: usize) -> u32 {
    let imported = Module::new(bytes).unwrap().func_import_count() as u32;
    let mut body = 0u32;
    for p in wasmparser::Parser::new(0).parse_all(bytes) {
        match p.unwrap() {
            wasmparser::Payload::CodeSectionEntry(b) => {
                if imported + body == func {
                    let mut r = b.get_operators_reader().unwrap();
                    let mut seen = 0;
                    while !r.eof() {
                        let at = r.original_position() as u32;
                        let o = format!("{:?}", r.read().unwrap());
                        if o.starts_with(op) {
                            if seen == nth {
                                return at;
                            }
                            seen += 1;
                        }
                    }
                }
                body += 1;
            }
            _ => {}
        }
    }
    panic!("no {op} in function {func}");
}

fn frames_of(frames: &[jsrt_wasm::frames::Frame]) -> Vec<(u32, u32)> {
    frames.iter().map(|f| (f.func_index(), f.offset())).collect()
}

const TWO_DEEP: &str = r#"(module $m
  (import "env" "log" (func $log (param i32)))
  (func $divide (param i32 i32) (result i32) (local.get 0) (local.get 1) (i32.div_s))
  (func $middle (param i32) (result i32) (call $log (local.get 0)) (call $divide (local.get 0) (i32.const 0)))
  (func (export "run") (param i32) (result i32) (call $middle (local.get 0))))"#;

#[test]
fn a_trap_reports_its_frames_innermost_first() {
    let bytes = wat::parse_str(TWO_DEEP).unwrap();
    let m = Arc::new(Module::new(&bytes).unwrap());
    let i = Instance::new(m, vec![host_fn(|_| Ok(vec![]))]).unwrap();
    let run = i.func("run").unwrap();
    let r = i.call(&run, &[Val::I32(5)]);
    assert!(matches!(r, Err(Error::Trap(ref m)) if m == "integer divide by zero"), "{r:?}");
    let frames = take_trap_frames();
    assert_eq!(
        frames_of(&frames),
        vec![(1, offset_of(&bytes, 1, "I32DivS", 0)), (2, offset_of(&bytes, 2, "Call", 1)), (3, offset_of(&bytes, 3, "Call", 0))]
    );
    assert_eq!(frames[0].func_name(), Some("divide"));
    assert_eq!(frames[0].module().debug_info().module_name(), Some("m"));
    assert!(take_trap_frames().is_empty(), "taken once");
}

#[test]
fn calls_in_progress_show_the_caller_of_a_host_function() {
    let bytes = wat::parse_str(TWO_DEEP).unwrap();
    let m = Arc::new(Module::new(&bytes).unwrap());
    let seen: Rc<RefCell<Vec<Vec<(u32, u32)>>>> = Rc::default();
    let s = seen.clone();
    let i = Instance::new(
        m,
        vec![host_fn(move |_| {
            s.borrow_mut().extend(calls_in_progress().iter().map(|c| frames_of(&c.frames)));
            Ok(vec![])
        })],
    )
    .unwrap();
    let run = i.func("run").unwrap();
    let _ = i.call(&run, &[Val::I32(5)]);
    let _ = take_trap_frames();
    assert_eq!(*seen.borrow(), vec![vec![(2, offset_of(&bytes, 2, "Call", 0)), (3, offset_of(&bytes, 3, "Call", 0))]]);
}

#[test]
fn offsets_survive_dead_code_removal_and_tail_call_rewrites() {
    // Dead code before the trap (deadcode.rs drops it) and a tail call into an import
    // (tailcall.rs makes it call + return) before it in the same function.
    let wat = r#"(module
      (import "env" "f" (func $f (result i32)))
      (func $g (param i32) (result i32)
        (block (br 0) (drop (i32.const 1)) (drop (i32.const 2)))
        (if (i32.eqz (local.get 0)) (then (return_call $f)))
        (i32.div_u (i32.const 1) (i32.const 0)))
      (func (export "run") (result i32) (call $g (i32.const 1))))"#;
    let bytes = wat::parse_str(wat).unwrap();
    let m = Arc::new(Module::new(&bytes).unwrap());
    let i = Instance::new(m, vec![host_fn(|_| Ok(vec![Val::I32(0)]))]).unwrap();
    let run = i.func("run").unwrap();
    assert!(i.call(&run, &[]).is_err());
    assert_eq!(
        frames_of(&take_trap_frames()),
        vec![(1, offset_of(&bytes, 1, "I32DivU", 0)), (2, offset_of(&bytes, 2, "Call", 0))]
    );
}

#[test]
fn frames_through_another_instance() {
    // A calls B's export through an import; B traps: both calls' frames, B's first.
    let b_bytes = wat::parse_str(r#"(module (func (export "boom") (unreachable)))"#).unwrap();
    let b = Instance::new(Arc::new(Module::new(&b_bytes).unwrap()), vec![]).unwrap();
    let a_bytes = wat::parse_str(
        r#"(module (import "b" "boom" (func $boom)) (func $x (call $boom)) (func (export "go") (nop) (call $x)))"#,
    )
    .unwrap();
    let a = Instance::with_imports(Arc::new(Module::new(&a_bytes).unwrap()), vec![jsrt_wasm::Extern::WasmFunc(b.clone(), 0)]).unwrap();
    let go = a.func("go").unwrap();
    assert!(a.call(&go, &[]).is_err());
    let frames = take_trap_frames();
    assert_eq!(frames_of(&frames), vec![(0, offset_of(&b_bytes, 0, "Unreachable", 0)), (1, offset_of(&a_bytes, 1, "Call", 0)), (2, offset_of(&a_bytes, 2, "Call", 0))]);
}
