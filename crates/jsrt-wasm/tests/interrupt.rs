//! Interrupting wasm from another thread (what a worker's `terminate()` will use): a loop, a
//! recursion and a call nested in a host function all end with "execution terminated", every
//! later call on that thread fails the same way until the termination is taken back, and then
//! the instance works again. Time limits are tested through jsrt (tests/wasm/limits.js).

use std::sync::mpsc;
use std::sync::Arc;
use std::time::{Duration, Instant};

use jsrt_wasm::{host_fn, Error, Instance, Interrupter, Module, Val};

fn module(wat: &str) -> Arc<Module> {
    Arc::new(Module::new(&wat::parse_str(wat).unwrap()).unwrap())
}

const SPIN: &str = r#"(module
    (import "env" "host" (func $host))
    (func (export "spin") (loop $l (br $l)))
    (func $rec (export "rec") (param i32) (result i32)
      (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 0))
        (else (i32.add (call $rec (i32.sub (local.get 0) (i32.const 1))) (call $rec (i32.sub (local.get 0) (i32.const 1)))))))
    (func (export "via_host") (call $host))
    (func (export "one") (result i32) (i32.const 1)))"#;

/// Runs `f` on this thread while another thread terminates it after `after`.
fn terminated_after<T>(after: Duration, f: impl FnOnce() -> T) -> (T, Interrupter) {
    let me = Interrupter::current();
    let (tx, rx) = mpsc::channel::<()>();
    let other = me.clone();
    let killer = std::thread::spawn(move || {
        if rx.recv_timeout(after).is_err() {
            other.terminate();
        }
    });
    let out = f();
    let _ = tx.send(());
    killer.join().unwrap();
    (out, me)
}

fn is_terminated(r: &Result<Vec<Val>, Error>) -> bool {
    matches!(r, Err(Error::Trap(m)) if m == "execution terminated")
}

#[test]
fn terminate_ends_loops_recursion_and_nested_calls_then_resume() {
    let m = module(SPIN);
    let i = Instance::new(m, vec![host_fn(|_| Ok(vec![]))]).unwrap();
    let spin = i.func("spin").unwrap();
    let rec = i.func("rec").unwrap();
    let one = i.func("one").unwrap();

    let start = Instant::now();
    let (r, me) = terminated_after(Duration::from_millis(50), || i.call(&spin, &[]));
    assert!(is_terminated(&r), "{r:?}");
    assert!(start.elapsed() < Duration::from_secs(5));
    // The termination stands: every later call fails at once, even one that would be short.
    assert!(is_terminated(&i.call(&one, &[])));
    assert!(is_terminated(&i.call(&rec, &[Val::I32(3)])));
    me.resume();
    assert_eq!(i.call(&one, &[]).unwrap(), vec![Val::I32(1)]);

    // A deep recursion (calls and ifs, no branch instruction) ends too.
    let (r, me) = terminated_after(Duration::from_millis(50), || i.call(&rec, &[Val::I32(40)]));
    assert!(is_terminated(&r), "{r:?}");
    me.resume();
    assert_eq!(i.call(&rec, &[Val::I32(3)]).unwrap(), vec![Val::I32(0)]);
}

#[test]
fn terminate_ends_a_call_nested_in_a_host_function() {
    let looper = module(SPIN);
    let inner = Instance::new(looper.clone(), vec![host_fn(|_| Ok(vec![]))]).unwrap();
    let inner_spin = inner.func("spin").unwrap();
    // The outer instance's host import runs the inner instance's endless loop.
    let outer = Instance::new(
        looper,
        vec![host_fn(move |_| match inner.call(&inner_spin, &[]) {
            Ok(_) => Ok(vec![]),
            Err(e) => Err(jsrt_wasm::HostError(Box::new(e))),
        })],
    )
    .unwrap();
    let via_host = outer.func("via_host").unwrap();
    let (r, me) = terminated_after(Duration::from_millis(50), || outer.call(&via_host, &[]));
    // The host function's error (the inner trap) comes out of the outer call.
    match r {
        Err(Error::Host(e)) => match e.0.downcast_ref::<Error>() {
            Some(Error::Trap(m)) => assert_eq!(m, "execution terminated"),
            other => panic!("unexpected host error {other:?}"),
        },
        other => panic!("expected the inner trap, got {other:?}"),
    }
    me.resume();
    let one = outer.func("one").unwrap();
    assert_eq!(outer.call(&one, &[]).unwrap(), vec![Val::I32(1)]);
}
