//! Engine-layer tests: load/validate errors, calls, multi-value, per-instance imports, traps,
//! re-entrancy and host errors unwinding through wasm frames, and leak-free failing loads.

use std::cell::Cell;
use std::rc::Rc;
use std::sync::Arc;

use jsrt_wasm::{host_fn, Error, HostError, Instance, Module, Val};

fn module(wat: &str) -> Arc<Module> {
    Arc::new(Module::new(&wat::parse_str(wat).unwrap()).unwrap())
}

#[test]
fn empty_module_loads() {
    let m = Module::new(&[0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]).unwrap();
    assert!(m.info.imports.is_empty() && m.info.exports.is_empty());
}

#[test]
fn malformed_and_invalid_modules_are_compile_errors() {
    for bytes in [&b""[..], b"\0asm", b"\0asm\x02\0\0\0", b"not wasm at all", &[0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 1, 5, 1, 0x60]] {
        match Module::new(bytes) {
            Err(Error::Compile(msg)) => assert!(!msg.is_empty()),
            other => panic!("expected a compile error, got {:?}", other.map(|_| ())),
        }
    }
    let invalid = wat::parse_str("(module (func (result i32) (i64.const 1)))").unwrap();
    assert!(matches!(Module::new(&invalid), Err(Error::Compile(m)) if m.contains("type mismatch")));
}

#[test]
fn calls_and_multi_value() {
    let m = module(r#"(module
        (func (export "add") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add)
        (func (export "swap") (param i64 f64) (result f64 i64) local.get 1 local.get 0)
        (func (export "fneg") (param f32) (result f32) local.get 0 f32.neg))"#);
    let i = Instance::new(m, vec![]).unwrap();
    let add = i.func("add").unwrap();
    assert_eq!(i.call(&add, &[Val::I32(40), Val::I32(2)]).unwrap(), vec![Val::I32(42)]);
    assert_eq!(i.call(&add, &[Val::I32(i32::MAX), Val::I32(1)]).unwrap(), vec![Val::I32(i32::MIN)]);
    let swap = i.func("swap").unwrap();
    assert_eq!(i.call(&swap, &[Val::I64(-7), Val::F64(1.5f64.to_bits())]).unwrap(), vec![Val::F64(1.5f64.to_bits()), Val::I64(-7)]);
    // A NaN payload survives the boundary.
    let fneg = i.func("fneg").unwrap();
    assert_eq!(i.call(&fneg, &[Val::F32(0x7fa0_0001)]).unwrap(), vec![Val::F32(0xffa0_0001)]);
}

#[test]
fn traps_are_named() {
    let m = module(r#"(module
        (func (export "div") (param i32 i32) (result i32) local.get 0 local.get 1 i32.div_s)
        (func (export "unreachable") unreachable)
        (func $rec (export "rec") (param i32) (result i32) local.get 0 i32.const 1 i32.add call $rec)
        (memory 1)
        (func (export "oob") (result i32) i32.const 70000 i32.load))"#);
    let i = Instance::new(m, vec![]).unwrap();
    let trap = |name: &str, args: &[Val]| match i.call(&i.func(name).unwrap(), args) {
        Err(Error::Trap(m)) => m,
        other => panic!("expected trap from {name}, got {other:?}"),
    };
    assert_eq!(trap("div", &[Val::I32(1), Val::I32(0)]), "integer divide by zero");
    assert_eq!(trap("div", &[Val::I32(i32::MIN), Val::I32(-1)]), "integer overflow");
    assert_eq!(trap("unreachable", &[]), "unreachable");
    assert_eq!(trap("oob", &[]), "out of bounds memory access");
    assert_eq!(trap("rec", &[Val::I32(0)]), "call stack exhausted");
    // The instance is usable after a trap.
    assert_eq!(i.call(&i.func("div").unwrap(), &[Val::I32(9), Val::I32(3)]).unwrap(), vec![Val::I32(3)]);
}

const IMPORTER: &str = r#"(module
    (import "env" "f" (func $f (param i32) (result i32)))
    (func (export "run") (param i32) (result i32) local.get 0 call $f i32.const 1 i32.add))"#;

fn i32_of(v: &Val) -> i32 {
    match v {
        Val::I32(x) => *x,
        other => panic!("not i32: {other:?}"),
    }
}

#[test]
fn imports_are_per_instance() {
    let m = module(IMPORTER);
    let a = Instance::new(m.clone(), vec![host_fn(|a: &[Val]| Ok(vec![Val::I32(i32_of(&a[0]) * 10)]))]).unwrap();
    let b = Instance::new(m.clone(), vec![host_fn(|a: &[Val]| Ok(vec![Val::I32(i32_of(&a[0]) * 100)]))]).unwrap();
    assert_eq!(a.call(&a.func("run").unwrap(), &[Val::I32(2)]).unwrap(), vec![Val::I32(21)]);
    assert_eq!(b.call(&b.func("run").unwrap(), &[Val::I32(2)]).unwrap(), vec![Val::I32(201)]);
    // Another module importing the same name with another signature links independently.
    let other = module(r#"(module (import "env" "f" (func $f (param i64 i64) (result i64)))
        (func (export "run") (result i64) i64.const 3 i64.const 4 call $f))"#);
    let c = Instance::new(other, vec![host_fn(|a: &[Val]| match (a[0], a[1]) {
        (Val::I64(x), Val::I64(y)) => Ok(vec![Val::I64(x * y)]),
        _ => unreachable!(),
    })])
    .unwrap();
    assert_eq!(c.call(&c.func("run").unwrap(), &[]).unwrap(), vec![Val::I64(12)]);
    assert_eq!(a.call(&a.func("run").unwrap(), &[Val::I32(3)]).unwrap(), vec![Val::I32(31)]);
    assert!(matches!(Instance::new(m, vec![]), Err(Error::Link(_))));
}

#[test]
fn host_errors_unwind_unchanged_and_reentrancy_works() {
    let m = module(IMPORTER);
    let calls = Rc::new(Cell::new(0));
    let c2 = calls.clone();
    let i = Instance::new(m.clone(), vec![host_fn(move |_a: &[Val]| {
        c2.set(c2.get() + 1);
        Err(HostError(Box::new("payload from host")))
    })])
    .unwrap();
    match i.call(&i.func("run").unwrap(), &[Val::I32(1)]) {
        Err(Error::Host(HostError(p))) => assert_eq!(*p.downcast::<&str>().unwrap(), "payload from host"),
        other => panic!("expected host error, got {other:?}"),
    }
    assert_eq!(calls.get(), 1);

    // wasm -> host -> wasm (another instance) -> host, nested.
    let inner = Instance::new(m.clone(), vec![host_fn(|a: &[Val]| Ok(vec![a[0]]))]).unwrap();
    let inner2 = inner.clone();
    let outer = Instance::new(m, vec![host_fn(move |a: &[Val]| {
        inner2.call(&inner2.func("run").unwrap(), a).map_err(|e| HostError(Box::new(e.to_string())))
    })])
    .unwrap();
    assert_eq!(outer.call(&outer.func("run").unwrap(), &[Val::I32(5)]).unwrap(), vec![Val::I32(7)]);
}

#[test]
fn start_function_trap_is_reported() {
    let m = module("(module (func $s unreachable) (start $s))");
    assert!(matches!(Instance::new(m, vec![]), Err(Error::Trap(t)) if t == "unreachable"));
}

#[test]
fn custom_sections_are_found() {
    let m = module(r#"(module (@custom "meta" "abc") (@custom "meta" "de") (@custom "other" "x"))"#);
    let secs: Vec<&[u8]> = m.custom_sections("meta");
    assert_eq!(secs, vec![&b"abc"[..], &b"de"[..]]);
    assert!(m.custom_sections("none").is_empty());
}


#[test]
fn imports_with_externref_params_and_several_results() {
    let m = module(r#"(module
        (import "env" "pair" (func $pair (param i32 externref i64 externref) (result i64 i32 f64)))
        (func (export "run") (param externref externref) (result i64 i32 f64)
          (call $pair (i32.const 7) (local.get 0) (i64.const 9) (local.get 1)))
        (func (export "sum") (param externref) (result i64)
          (call $pair (i32.const 1) (local.get 0) (i64.const 2) (ref.null extern))
          (drop) (drop)))"#);
    let seen = Rc::new(std::cell::RefCell::new(Vec::new()));
    let s2 = seen.clone();
    let i = Instance::new(m, vec![host_fn(move |a: &[Val]| {
        s2.borrow_mut().push(a.to_vec());
        let (Val::I32(x), Val::I64(y)) = (a[0], a[2]) else { unreachable!() };
        Ok(vec![Val::I64(y * 10), Val::I32(x + 1), Val::F64(2.5f64.to_bits())])
    })])
    .unwrap();
    let r = i.call(&i.func("run").unwrap(), &[Val::ExternRef(Some(11)), Val::ExternRef(Some(22))]).unwrap();
    assert_eq!(r, vec![Val::I64(90), Val::I32(8), Val::F64(2.5f64.to_bits())]);
    assert_eq!(seen.borrow()[0], vec![Val::I32(7), Val::ExternRef(Some(11)), Val::I64(9), Val::ExternRef(Some(22))]);
    assert_eq!(i.call(&i.func("sum").unwrap(), &[Val::ExternRef(None)]).unwrap(), vec![Val::I64(20)]);
    assert_eq!(seen.borrow()[1], vec![Val::I32(1), Val::ExternRef(None), Val::I64(2), Val::ExternRef(None)]);
}

/// Tail calls into imported functions (direct, and through a table) run, with the host's
/// results, instead of crashing WAMR's fast interpreter (tailcall.rs); tail recursion between
/// wasm functions still runs in constant stack.
#[test]
fn tail_calls_into_imports() {
    let m = module(
        r#"(module
  (type $r (func (param i32) (result i32)))
  (import "env" "ret" (func $ret (type $r)))
  (import "env" "note" (func $note (param i32)))
  (table 2 funcref)
  (elem (i32.const 0) $ret $own)
  (func $own (type $r) (i32.add (local.get 0) (i32.const 100)))
  (func (export "direct") (param i32) (result i32) (return_call $ret (local.get 0)))
  (func (export "noResult") (param i32) (return_call $note (local.get 0)))
  (func (export "indirect") (param i32 i32) (result i32) (return_call_indirect (type $r) (local.get 0) (local.get 1)))
  (func $count (export "count") (param i32) (result i32)
    (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 7))
      (else (return_call $count (i32.sub (local.get 0) (i32.const 1)))))))"#,
    );
    let noted = Rc::new(Cell::new(0));
    let n2 = noted.clone();
    let i = Instance::new(
        m,
        vec![
            host_fn(|a: &[Val]| Ok(vec![Val::I32(i32_of(&a[0]) + 1)])),
            host_fn(move |a: &[Val]| {
                n2.set(i32_of(&a[0]));
                Ok(vec![])
            }),
        ],
    )
    .unwrap();
    let call = |name: &str, args: &[Val]| i.call(&i.func(name).unwrap(), args).unwrap();
    assert_eq!(call("direct", &[Val::I32(41)]), vec![Val::I32(42)]);
    assert_eq!(call("noResult", &[Val::I32(9)]), vec![]);
    assert_eq!(noted.get(), 9);
    assert_eq!(call("indirect", &[Val::I32(1), Val::I32(0)]), vec![Val::I32(2)]);
    assert_eq!(call("indirect", &[Val::I32(1), Val::I32(1)]), vec![Val::I32(101)]);
    // A million tail calls: constant stack.
    assert_eq!(call("count", &[Val::I32(1_000_000)]), vec![Val::I32(7)]);

    // The same with a malformed `name` section (custom sections are not validated, so the
    // module is valid; the rewrite copies it as bytes).
    let mut bytes = wat::parse_str(
        r#"(module (import "env" "ret" (func $ret (param i32) (result i32)))
             (func (export "direct") (param i32) (result i32) (return_call $ret (local.get 0))))"#,
    )
    .unwrap();
    let payload = [&[4u8][..], b"name", &[1, 5, 2, 0xf9, 0x07, 0x73, 0x41]].concat();
    bytes.push(0);
    bytes.push(payload.len() as u8);
    bytes.extend_from_slice(&payload);
    let m = Arc::new(Module::new(&bytes).unwrap());
    let i = Instance::new(m, vec![host_fn(|a: &[Val]| Ok(vec![Val::I32(i32_of(&a[0]) * 3)]))]).unwrap();
    assert_eq!(i.call(&i.func("direct").unwrap(), &[Val::I32(5)]).unwrap(), vec![Val::I32(15)]);
}
