//! One memory shared by the host and several instances: imports see the host's memory, data
//! segments and start functions write into it, growth from anywhere is seen everywhere, and
//! the memory outlives the instances that created or imported it.

use std::sync::Arc;

use jsrt_wasm::{Error, Extern, Instance, Memory, Module, Val};

const IMPORTER: &str = r#"(module
  (import "env" "mem" (memory 1 10))
  (data (i32.const 16) "hello")
  (global $seen (mut i32) (i32.const 0))
  (func $start (global.set $seen (i32.load8_u (i32.const 16))))
  (start $start)
  (func (export "seen") (result i32) (global.get $seen))
  (func (export "load") (param i32) (result i32) (i32.load8_u (local.get 0)))
  (func (export "store") (param i32 i32) (i32.store8 (local.get 0) (local.get 1)))
  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
  (func (export "size") (result i32) (memory.size))
  (export "mem" (memory 0)))"#;

fn module(src: &str) -> Arc<Module> {
    Arc::new(Module::new(&wat::parse_str(src).unwrap()).unwrap())
}

fn call(i: &Instance, name: &str, args: &[Val]) -> Vec<Val> {
    i.call(&i.func(name).unwrap(), args).unwrap()
}

/// The error of calling `name`, if it fails.
fn call_err(i: &Instance, name: &str, args: &[Val]) -> Option<Error> {
    i.call(&i.func(name).unwrap(), args).err()
}

fn byte(m: &Memory, at: usize) -> u8 {
    let (p, len) = m.data();
    assert!(at < len);
    // SAFETY: in bounds of the live memory, no wasm running.
    unsafe { *p.add(at) }
}

#[test]
fn host_memory_is_shared_by_two_instances() {
    let mem = Memory::new(1, Some(10)).unwrap();
    let m = module(IMPORTER);
    let a = Instance::with_imports(m.clone(), vec![Extern::Memory(mem.clone())]).unwrap();
    // Data segments went into the shared memory and the start function saw them.
    assert_eq!(byte(&mem, 16), b'h');
    assert_eq!(call(&a, "seen", &[]), vec![Val::I32(b'h' as i32)]);
    let b = Instance::with_imports(m.clone(), vec![Extern::Memory(mem.clone())]).unwrap();
    // A store through one instance is seen by the other and by the host.
    call(&a, "store", &[Val::I32(100), Val::I32(42)]);
    assert_eq!(call(&b, "load", &[Val::I32(100)]), vec![Val::I32(42)]);
    assert_eq!(byte(&mem, 100), 42);
    // Growing through B is seen by A and the host.
    assert_eq!(call(&b, "grow", &[Val::I32(2)]), vec![Val::I32(1)]);
    assert_eq!(call(&a, "size", &[]), vec![Val::I32(3)]);
    assert_eq!(mem.pages(), 3);
    assert_eq!(mem.grow(1).unwrap(), 3);
    assert_eq!(call(&a, "size", &[]), vec![Val::I32(4)]);
    // The re-exported memory is the same memory.
    let exported = b.exported_memory("mem").unwrap();
    assert_eq!(exported.id(), mem.id());
    // Dropping the instances leaves the memory usable.
    drop(a);
    drop(b);
    assert_eq!(byte(&mem, 100), 42);
}

#[test]
fn an_instance_memory_is_shared_with_another_instance() {
    let owner = Instance::new(module(r#"(module (memory (export "m") 1 4) (data (i32.const 0) "\2a"))"#), vec![]).unwrap();
    let mem = owner.exported_memory("m").unwrap();
    let user = Instance::with_imports(module(IMPORTER), vec![Extern::Memory(mem.clone())]).unwrap();
    assert_eq!(call(&user, "load", &[Val::I32(0)]), vec![Val::I32(42)]);
    drop(owner); // the memory lives on through `mem` and `user`
    assert_eq!(call(&user, "load", &[Val::I32(16)]), vec![Val::I32(b'h' as i32)]);
}

#[test]
fn memory_imports_are_type_checked() {
    let m = module(IMPORTER);
    let link = |mem: Memory| match Instance::with_imports(m.clone(), vec![Extern::Memory(mem)]) {
        Err(Error::Link(msg)) => msg,
        Err(other) => panic!("expected a link error, got {other:?}"),
        Ok(_) => panic!("expected a link error"),
    };
    assert!(link(Memory::new(0, Some(10)).unwrap()).contains("smaller than the declared initial"));
    assert!(link(Memory::new(1, None).unwrap()).contains("no maximum"));
    assert!(link(Memory::new(1, Some(11)).unwrap()).contains("larger maximum"));
    assert!(Instance::with_imports(m, vec![Extern::Memory(Memory::new(2, Some(5)).unwrap())]).is_ok());
}

#[test]
fn shared_memories_link_only_where_shared_ones_are_declared() {
    assert!(matches!(Memory::with_sharing(1, None, true), Err(Error::Link(_))), "a shared memory needs a maximum");
    let shared = Memory::with_sharing(1, Some(10), true).unwrap();
    assert!(shared.is_shared() && !Memory::new(1, Some(10)).unwrap().is_shared());
    let link = |m: &Arc<Module>, mem: Memory| match Instance::with_imports(m.clone(), vec![Extern::Memory(mem)]) {
        Err(Error::Link(msg)) => msg,
        Err(other) => panic!("expected a link error, got {other:?}"),
        Ok(_) => panic!("expected a link error"),
    };
    assert!(link(&module(IMPORTER), shared.clone()).contains("mismatch in shared state"));
    let atomic = module(r#"(module (import "env" "mem" (memory 1 10 shared))
        (data (i32.const 16) "hi")
        (func (export "add") (param i32 i32) (result i32) (i32.atomic.rmw.add (local.get 0) (local.get 1))))"#);
    assert!(link(&atomic, Memory::new(1, Some(10)).unwrap()).contains("mismatch in shared state"));
    let user = Instance::with_imports(atomic, vec![Extern::Memory(shared.clone())]).unwrap();
    // The data segment landed in the shared memory, and atomics update it in place.
    let (base, len) = shared.data();
    assert_eq!(len, 65536);
    // SAFETY: a shared memory's bytes never move; 16..18 is in bounds.
    assert_eq!(unsafe { std::slice::from_raw_parts(base.add(16), 2) }, b"hi");
    assert_eq!(call(&user, "add", &[Val::I32(0), Val::I32(5)]), vec![Val::I32(0)]);
    assert_eq!(call(&user, "add", &[Val::I32(0), Val::I32(5)]), vec![Val::I32(5)]);
    shared.grow(1).unwrap();
    assert_eq!(shared.data().0, base, "a shared memory's bytes do not move when it grows");
}

#[test]
fn out_of_bounds_data_segment_traps_after_earlier_writes() {
    let m = module(r#"(module (import "env" "mem" (memory 1))
        (data (i32.const 0) "ok") (data (i32.const 65535) "xy"))"#);
    let mem = Memory::new(1, None).unwrap();
    match Instance::with_imports(m, vec![Extern::Memory(mem.clone())]) {
        Err(Error::Trap(t)) => assert_eq!(t, "out of bounds memory access"),
        other => panic!("expected a trap, got {:?}", other.map(|_| ())),
    }
    // The first segment was written before the trap, as the spec requires.
    assert_eq!((byte(&mem, 0), byte(&mem, 1)), (b'o', b'k'));
}

#[test]
fn immutable_global_imports_reach_initializers_segments_and_code() {
    let m = module(r#"(module
      (import "env" "base" (global $base i32))
      (import "env" "big" (global $big i64))
      (import "env" "mem" (memory 1))
      (global $derived i32 (i32.add (global.get $base) (i32.const 2)))
      (table 8 funcref)
      (elem (global.get $base) $seven)
      (data (global.get $base) "z")
      (type $r (func (result i32)))
      (func $seven (result i32) (i32.const 7))
      (func (export "base") (result i32) (global.get $base))
      (func (export "big") (result i64) (global.get $big))
      (func (export "derived") (result i32) (global.get $derived))
      (func (export "viaTable") (result i32) (call_indirect (type $r) (global.get $base))))"#);
    let mem = Memory::new(1, None).unwrap();
    let i = Instance::with_imports(m.clone(), vec![Extern::Global(Val::I32(5)), Extern::Global(Val::I64(-9)), Extern::Memory(mem.clone())]).unwrap();
    assert_eq!(call(&i, "base", &[]), vec![Val::I32(5)]);
    assert_eq!(call(&i, "big", &[]), vec![Val::I64(-9)]);
    assert_eq!(call(&i, "derived", &[]), vec![Val::I32(7)]);
    assert_eq!(call(&i, "viaTable", &[]), vec![Val::I32(7)]);
    assert_eq!(byte(&mem, 5), b'z');
    // Another instance with another value is independent.
    let j = Instance::with_imports(m.clone(), vec![Extern::Global(Val::I32(3)), Extern::Global(Val::I64(0)), Extern::Memory(mem.clone())]).unwrap();
    assert_eq!(call(&j, "derived", &[]), vec![Val::I32(5)]);
    assert_eq!(call(&j, "viaTable", &[]), vec![Val::I32(7)]);
    assert_eq!(call(&i, "base", &[]), vec![Val::I32(5)]);
    // Wrong types are link errors.
    assert!(matches!(Instance::with_imports(m, vec![Extern::Global(Val::I64(1)), Extern::Global(Val::I64(0)), Extern::Memory(mem)]), Err(Error::Link(_))));
}

/// A funcref table shared by the host and two instances: each instance's view holds its own
/// indices (other instances' functions through proxies), kept equal across writes from wasm,
/// from the host, growth and element segments (table.rs); a funcref element comes out as the
/// (instance, index) it belongs to.
#[test]
fn funcref_table_shared_by_instances() {
    use jsrt_wasm::table::Ref;
    use jsrt_wasm::{Table, ValType};
    let m = module(r#"(module
      (import "env" "t" (table 2 10 funcref))
      (import "env" "id" (global $id i32))
      (type $r (func (result i32)))
      (func $mine (result i32) (global.get $id))
      (func $seven (result i32) (i32.const 7))
      (elem (i32.const 1) $seven)
      (elem declare func $mine)
      (func (export "call") (param i32) (result i32) (call_indirect (type $r) (local.get 0)))
      (func (export "put") (param i32) (table.set (local.get 0) (ref.func $mine)))
      (func (export "grow") (param i32) (result i32) (table.grow (ref.null func) (local.get 0)))
      (func (export "size") (result i32) (table.size 0))
      (export "t" (table 0)))"#);
    let t = Table::new(ValType::FuncRef, 2, Some(10)).unwrap();
    let a = Instance::with_imports(m.clone(), vec![Extern::Table(t.clone()), Extern::Global(Val::I32(1))]).unwrap();
    let b = Instance::with_imports(m.clone(), vec![Extern::Table(t.clone()), Extern::Global(Val::I32(2))]).unwrap();
    assert_eq!(a.exported_table("t").unwrap().id(), t.id());
    // b's element segment wrote $seven (of b) into slot 1, over a's.
    assert_eq!(call(&a, "call", &[Val::I32(1)]), vec![Val::I32(7)]);
    match t.get(1) {
        Some(Ref::Func(Some((inst, index)))) => assert!(std::rc::Rc::ptr_eq(&inst, &b) && index == 1),
        _ => panic!("slot 1 should be b's function 1"),
    }
    // Writes by wasm in one instance reach the other and the host.
    call(&a, "put", &[Val::I32(0)]);
    assert_eq!(call(&b, "call", &[Val::I32(0)]), vec![Val::I32(1)]);
    call(&b, "put", &[Val::I32(0)]);
    assert_eq!(call(&a, "call", &[Val::I32(0)]), vec![Val::I32(2)]);
    // Host writes reach both.
    t.set(1, Ref::Func(Some((a.clone(), 0)))).unwrap(); // a's $mine
    assert_eq!(call(&b, "call", &[Val::I32(1)]), vec![Val::I32(1)]);
    t.set(0, Ref::Func(None)).unwrap();
    assert!(matches!(call_err(&a, "call", &[Val::I32(0)]), Some(Error::Trap(_))));
    // Growth from the host and from wasm, up to the maximum.
    assert_eq!(t.grow(3, Ref::Func(None)).unwrap(), 2);
    assert_eq!(call(&a, "size", &[]), vec![Val::I32(5)]);
    assert_eq!(call(&b, "grow", &[Val::I32(2)]), vec![Val::I32(5)]);
    assert_eq!(t.len(), 7);
    assert_eq!(call(&a, "size", &[]), vec![Val::I32(7)]);
    assert!(t.grow(4, Ref::Func(None)).is_err());
    assert_eq!(call(&a, "grow", &[Val::I32(4)]), vec![Val::I32(-1)]);
    // A dropped instance's view goes; the table and the other views stay.
    drop(a);
    assert_eq!(call(&b, "call", &[Val::I32(1)]), vec![Val::I32(1)], "the table keeps a's function alive");
}

/// A function of another instance entering an instance it does not import gets a proxy there
/// (foreign.rs): callable through `call_indirect`, and the same (instance, index) coming out.
#[test]
fn foreign_functions_enter_through_proxies() {
    let src = module(r#"(module (func (export "triple") (param i32) (result i32) (i32.mul (local.get 0) (i32.const 3))))"#);
    let dst = module(r#"(module
      (type $t (func (param i32) (result i32)))
      (table $tab 1 funcref)
      (func (export "callRef") (param funcref i32) (result i32)
        (table.set $tab (i32.const 0) (local.get 0))
        (call_indirect $tab (type $t) (local.get 1) (i32.const 0)))
      (func (export "id") (param funcref) (result funcref) (local.get 0)))"#);
    let a = Instance::new(src, vec![]).unwrap();
    let b = Instance::new(dst, vec![]).unwrap();
    let index = a.module().info.exports[0].index;
    let r = b.funcref_for(&a, index).unwrap();
    assert!(r >= jsrt_wasm::FOREIGN_BASE, "a foreign slot");
    assert_eq!(b.funcref_for(&a, index).unwrap(), r, "the same function gets the same slot");
    assert_eq!(call(&b, "callRef", &[Val::FuncRef(Some(r)), Val::I32(5)]), vec![Val::I32(15)]);
    let back = call(&b, "id", &[Val::FuncRef(Some(r))]);
    let Val::FuncRef(Some(v)) = back[0] else { panic!("null came back") };
    let (inst, i) = b.funcref_target(v).unwrap();
    assert!(std::rc::Rc::ptr_eq(&inst, &a) && i == index);
}

#[test]
fn mutable_global_shared_by_instances() {
    use jsrt_wasm::{Global, ValType};
    let m = module(r#"(module (import "env" "g" (global $g (mut i32)))
        (func (export "get") (result i32) (global.get $g))
        (func (export "inc") (global.set $g (i32.add (global.get $g) (i32.const 1)))))"#);
    let g = Global::new(ValType::I32, true, Val::I32(10)).unwrap();
    let a = Instance::with_imports(m.clone(), vec![Extern::SharedGlobal(g.clone())]).unwrap();
    let b = Instance::with_imports(m.clone(), vec![Extern::SharedGlobal(g.clone())]).unwrap();
    call(&a, "inc", &[]);
    assert_eq!(g.get(), Val::I32(11));
    assert_eq!(call(&b, "get", &[]), vec![Val::I32(11)]);
    g.set(Val::I32(50)).unwrap();
    call(&b, "inc", &[]);
    assert_eq!(call(&a, "get", &[]), vec![Val::I32(51)]);
    let immutable = Global::new(ValType::I32, false, Val::I32(1)).unwrap();
    assert!(matches!(Instance::with_imports(m, vec![Extern::SharedGlobal(immutable)]), Err(Error::Link(_))));
}

/// A funcref global import holds a function index of the importing instance (here, its
/// imported function 0, which calls the host); an index outside its functions is a LinkError.
#[test]
fn funcref_global_import_is_an_index_of_the_importer() {
    let m = module(
        r#"(module
  (type $t (func (result i32)))
  (import "env" "f" (func $f (type $t)))
  (import "env" "g" (global $g funcref))
  (table 1 funcref)
  (func (export "callG") (result i32)
    (table.set (i32.const 0) (global.get $g))
    (call_indirect (type $t) (i32.const 0)))
  (func (export "isNull") (result i32) (ref.is_null (global.get $g))))"#,
    );
    let host = || -> jsrt_wasm::HostFunc { jsrt_wasm::host_fn(|_: &[Val]| Ok(vec![Val::I32(7)])) };
    let i = Instance::with_imports(m.clone(), vec![Extern::Func(host()), Extern::Global(Val::FuncRef(Some(0)))]).unwrap();
    assert_eq!(call(&i, "callG", &[]), vec![Val::I32(7)]);
    assert_eq!(call(&i, "isNull", &[]), vec![Val::I32(0)]);
    let n = Instance::with_imports(m.clone(), vec![Extern::Func(host()), Extern::Global(Val::FuncRef(None))]).unwrap();
    assert_eq!(call(&n, "isNull", &[]), vec![Val::I32(1)]);
    match Instance::with_imports(m, vec![Extern::Func(host()), Extern::Global(Val::FuncRef(Some(99)))]) {
        Err(Error::Link(msg)) => assert!(msg.contains("not a function of this instance"), "{msg}"),
        other => panic!("expected a LinkError, got {:?}", other.err()),
    }
}

/// An element segment item read from an imported funcref global holding another instance's
/// function (rewrite.rs sets such items in the init function; foreign.rs makes the proxy).
#[test]
fn element_item_from_a_foreign_funcref_global() {
    let m4 = module(r#"(module (func (result i32) (i32.const 42)) (global (export "f") funcref (ref.func 0)))"#);
    let m5 = module(r#"(module
      (import "module4" "f" (global funcref))
      (type $out-i32 (func (result i32)))
      (table 10 funcref)
      (elem (offset (i32.const 0)) funcref (global.get 0))
      (func (export "call_imported_elem") (type $out-i32) (call_indirect (type $out-i32) (i32.const 0))))"#);
    let a = Instance::new(m4, vec![]).unwrap();
    let b = Instance::with_imports(m5, vec![Extern::FuncGlobal(a.clone(), 0)]).unwrap();
    assert_eq!(call(&b, "call_imported_elem", &[]), vec![Val::I32(42)]);
}

/// Two instances holding each other's functions (foreign slots both ways) are a cycle of `Rc`s;
/// `cycles::collect` frees them once nothing else refers to them, and leaves reachable ones.
#[test]
fn instances_holding_each_other_are_collected() {
    let m = module(r#"(module
      (type $t (func (result i32)))
      (table $tab 1 funcref)
      (func (export "seven") (result i32) (i32.const 7))
      (func (export "keep") (param funcref) (table.set $tab (i32.const 0) (local.get 0)))
      (func (export "callKept") (result i32) (call_indirect $tab (type $t) (i32.const 0))))"#);
    let a = Instance::new(m.clone(), vec![]).unwrap();
    let b = Instance::new(m.clone(), vec![]).unwrap();
    let seven = |i: &std::rc::Rc<Instance>| i.module().info.exports.iter().find(|e| e.name == "seven").unwrap().index;
    let ra = b.funcref_for(&a, seven(&a)).unwrap();
    call(&b, "keep", &[Val::FuncRef(Some(ra))]);
    let rb = a.funcref_for(&b, seven(&b)).unwrap();
    call(&a, "keep", &[Val::FuncRef(Some(rb))]);
    assert_eq!(call(&a, "callKept", &[]), vec![Val::I32(7)]);
    // Only `a` is still held from outside: nothing is freed, b stays callable through a.
    let weak_b = std::rc::Rc::downgrade(&b);
    drop(b);
    jsrt_wasm::cycles::collect();
    assert!(weak_b.upgrade().is_some());
    assert_eq!(call(&a, "callKept", &[]), vec![Val::I32(7)]);
    // Nothing outside: both go.
    let weak_a = std::rc::Rc::downgrade(&a);
    drop(a);
    assert!(weak_a.upgrade().is_some(), "a cycle of Rcs keeps them alive");
    jsrt_wasm::cycles::collect();
    assert!(weak_a.upgrade().is_none() && weak_b.upgrade().is_none());
}

/// A shared funcref table larger than WAMR allocated for an importer's table (2 x initial, at
/// least 1024) moves that view to a larger table (layout.rs swaps the table slot), and host
/// growth past every view's room does the same; the instance keeps working and is dropped
/// cleanly (its own table is put back first).
#[test]
fn shared_table_views_move_to_larger_tables() {
    use jsrt_wasm::table::Ref;
    use jsrt_wasm::{Table, ValType};
    let m = module(r#"(module
      (import "env" "t" (table 1 funcref))
      (type $r (func (result i32)))
      (func $five (result i32) (i32.const 5))
      (elem declare func $five)
      (func (export "put") (param i32) (table.set 0 (local.get 0) (ref.func $five)))
      (func (export "call") (param i32) (result i32) (call_indirect (type $r) (local.get 0)))
      (func (export "size") (result i32) (table.size 0))
      (export "t" (table 0)))"#);
    let t = Table::new(ValType::FuncRef, 3000, None).unwrap();
    let a = Instance::with_imports(m.clone(), vec![Extern::Table(t.clone())]).unwrap();
    assert_eq!(call(&a, "size", &[]), vec![Val::I32(3000)]);
    call(&a, "put", &[Val::I32(2999)]);
    assert!(matches!(t.get(2999), Some(Ref::Func(Some(_)))));
    assert_eq!(t.grow(10_000, Ref::Func(None)).unwrap(), 3000);
    assert_eq!(call(&a, "size", &[]), vec![Val::I32(13_000)]);
    call(&a, "put", &[Val::I32(12_999)]);
    assert_eq!(call(&a, "call", &[Val::I32(12_999)]), vec![Val::I32(5)]);
    assert_eq!(a.exported_table("t").unwrap().id(), t.id(), "the re-export is still the table");
    drop(a);
    assert_eq!(t.len(), 13_000);
}
