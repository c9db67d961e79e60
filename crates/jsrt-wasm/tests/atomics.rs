//! The process-wide waiter lists (src/atomics.rs) across threads: a notify wakes a blocked
//! waiter of another thread, oldest first, counting what it woke; asynchronous waiters are
//! told on the notifying thread; a wait gives way to a termination of its thread; a wasm
//! `memory.atomic.notify` wakes a waiter that is not wasm.

use std::sync::atomic::{AtomicI32, AtomicUsize, Ordering};
use std::sync::{mpsc, Arc};
use std::time::{Duration, Instant};

use jsrt_wasm::atomics::{self, AsyncWait, Expected, WaitResult};
use jsrt_wasm::{Extern, Instance, Interrupter, Memory, Module, Val};

/// A 32-bit cell with a stable address for the whole test.
fn cell(v: i32) -> (&'static AtomicI32, usize) {
    let c: &'static AtomicI32 = Box::leak(Box::new(AtomicI32::new(v)));
    (c, c as *const AtomicI32 as usize)
}

/// Waits until `n` waiters are queued at `addr`.
fn queued(addr: usize, n: usize) {
    let start = Instant::now();
    while atomics::waiting(addr) != n {
        assert!(start.elapsed() < Duration::from_secs(20), "{} waiters, not {n}", atomics::waiting(addr));
        std::thread::sleep(Duration::from_millis(1));
    }
}

#[test]
fn notify_wakes_blocked_waiters_of_other_threads_oldest_first() {
    let (_c, addr) = cell(7);
    let order = Arc::new(std::sync::Mutex::new(Vec::new()));
    let mut threads = Vec::new();
    for k in 0..3 {
        let order = order.clone();
        threads.push(std::thread::spawn(move || {
            // SAFETY: a leaked, aligned cell.
            let r = unsafe { atomics::wait(addr, Expected::I32(7), Some(Duration::from_secs(20))) };
            order.lock().unwrap().push(k);
            r
        }));
        queued(addr, k + 1);
    }
    assert_eq!(atomics::notify(addr, 2), 2);
    queued(addr, 1);
    let start = Instant::now();
    while order.lock().unwrap().len() < 2 {
        assert!(start.elapsed() < Duration::from_secs(20));
        std::thread::sleep(Duration::from_millis(1));
    }
    let mut woke = order.lock().unwrap().clone();
    woke.sort();
    assert_eq!(woke, vec![0, 1], "the two oldest waiters woke");
    assert_eq!(atomics::notify(addr, u32::MAX), 1);
    for t in threads {
        assert_eq!(t.join().unwrap(), WaitResult::Ok);
    }
    assert_eq!(atomics::notify(addr, 1), 0, "nobody waits any more");
}

#[test]
fn a_wait_compares_times_out_and_gives_way_to_termination() {
    let (c, addr) = cell(1);
    // SAFETY: a leaked, aligned cell.
    assert_eq!(unsafe { atomics::wait(addr, Expected::I32(2), None) }, WaitResult::NotEqual);
    let start = Instant::now();
    // SAFETY: as above.
    assert_eq!(unsafe { atomics::wait(addr, Expected::I32(1), Some(Duration::from_millis(30))) }, WaitResult::TimedOut);
    assert!(start.elapsed() >= Duration::from_millis(30));
    let (tx, rx) = mpsc::channel();
    let waiter = std::thread::spawn(move || {
        tx.send(Interrupter::current()).unwrap();
        // SAFETY: as above. No timeout: only the termination ends it.
        unsafe { atomics::wait(addr, Expected::I32(1), None) }
    });
    let interrupter = rx.recv().unwrap();
    queued(addr, 1);
    interrupter.terminate();
    match waiter.join().unwrap() {
        WaitResult::Interrupted(msg) => assert!(msg.contains("terminated"), "{msg}"),
        other => panic!("expected an interrupted wait, got {other:?}"),
    }
    c.store(0, Ordering::SeqCst);
}

#[test]
fn asynchronous_waiters_are_told_and_can_be_cancelled() {
    let (_c, addr) = cell(3);
    let told = Arc::new(AtomicUsize::new(0));
    let t = told.clone();
    // SAFETY: a leaked, aligned cell.
    let first = match unsafe { atomics::wait_async(addr, Expected::I32(3), Box::new(move || { t.fetch_add(1, Ordering::SeqCst); })) } {
        AsyncWait::Waiting(id) => id,
        AsyncWait::NotEqual => panic!("the value is 3"),
    };
    // SAFETY: as above.
    assert!(matches!(unsafe { atomics::wait_async(addr, Expected::I32(4), Box::new(|| {})) }, AsyncWait::NotEqual));
    let t = told.clone();
    // SAFETY: as above.
    let second = match unsafe { atomics::wait_async(addr, Expected::I32(3), Box::new(move || { t.fetch_add(10, Ordering::SeqCst); })) } {
        AsyncWait::Waiting(id) => id,
        AsyncWait::NotEqual => panic!("the value is 3"),
    };
    assert!(atomics::cancel_async(addr, second), "the second waiter's timeout");
    assert!(!atomics::cancel_async(addr, second), "cancelled once");
    assert_eq!(atomics::notify(addr, 5), 1);
    assert_eq!(told.load(Ordering::SeqCst), 1, "only the first was told");
    assert!(!atomics::cancel_async(addr, first), "a notify took it");
}

#[test]
fn a_wasm_notify_wakes_a_waiter_on_another_thread() {
    let mem = Memory::with_sharing(1, Some(1), true).unwrap();
    let (base, _) = mem.data();
    let addr = base as usize + 8;
    let waiter = std::thread::spawn(move || {
        // SAFETY: a shared memory's bytes never move; `mem` outlives the wait (joined below).
        unsafe { atomics::wait(addr, Expected::I32(0), Some(Duration::from_secs(20))) }
    });
    queued(addr, 1);
    let module = Arc::new(Module::new(&wat::parse_str(r#"(module (import "env" "mem" (memory 1 1 shared))
        (func (export "notify") (param i32 i32) (result i32) (memory.atomic.notify (local.get 0) (local.get 1))))"#).unwrap()).unwrap());
    let inst = Instance::with_imports(module, vec![Extern::Memory(mem.clone())]).unwrap();
    let func = inst.func("notify").unwrap();
    let mut out = [Val::I32(0)];
    inst.call_into(&func, &[Val::I32(8), Val::I32(1)], &mut out).unwrap();
    assert_eq!(out[0], Val::I32(1), "wasm's notify woke the waiter");
    assert_eq!(waiter.join().unwrap(), WaitResult::Ok);
}
