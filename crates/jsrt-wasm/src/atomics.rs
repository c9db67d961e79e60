//! Waiting on shared memory: one waiter list per address for the whole process, shared by
//! wasm's `memory.atomic.wait32/64` and `memory.atomic.notify` (WAMR calls [`install`]'s
//! hooks: patch 0011) and by JS's `Atomics.wait`, `Atomics.waitAsync` and `Atomics.notify`
//! (jsrt's builtins), so that a notify from either side wakes waiters of both, in the order
//! they started waiting (the JS memory model's waiter list).
//!
//! Invariants: the value is compared and the waiter queued under the one lock `notify`
//! takes, so no notify falls between them; a waiter leaves its list only under that lock
//! (woken by `notify`, or by itself on a timeout or an interrupt). A blocking wait gives way
//! to interrupts (a time limit, a termination: interrupt.rs) within [`POLL`], so a wait with
//! no timeout cannot outlast them.

use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicI32, AtomicI64, AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use wamrx_sys as sys;

/// How often a blocked waiter looks for an interrupt standing on its thread.
const POLL: Duration = Duration::from_millis(20);

/// How a wait ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WaitResult {
    /// Woken by a notify ("ok").
    Ok,
    /// The value was not the expected one ("not-equal").
    NotEqual,
    /// The timeout passed ("timed-out").
    TimedOut,
    /// A time limit or a termination stands on this thread: the wait gave way, with its trap.
    Interrupted(String),
}

/// What a blocked waiter waits for; an asynchronous one (`Atomics.waitAsync`) is told instead.
enum Wake {
    Blocking(Arc<Condvar>),
    Async(Box<dyn FnOnce() + Send>),
}

struct Waiter {
    id: u64,
    wake: Wake,
}

/// Every address's waiters, in arrival order.
#[derive(Default)]
struct Lists {
    by_address: HashMap<usize, VecDeque<Waiter>>,
    /// Ids of blocked waiters a notify has woken (they remove nothing themselves then).
    woken: std::collections::HashSet<u64>,
}

static LISTS: Mutex<Option<Lists>> = Mutex::new(None);
static NEXT_ID: AtomicU64 = AtomicU64::new(1);

fn lists() -> MutexGuard<'static, Option<Lists>> {
    LISTS.lock().unwrap_or_else(|e| e.into_inner())
}

/// The value a waiter compares: 32 or 64 bits at an aligned address of shared memory.
#[derive(Clone, Copy, Debug)]
pub enum Expected {
    I32(i32),
    I64(i64),
}

impl Expected {
    /// Whether the value at `addr` is this one (read atomically).
    ///
    /// # Safety
    /// `addr` is aligned and valid for the value's size.
    unsafe fn matches(self, addr: usize) -> bool {
        match self {
            // SAFETY: per the contract.
            Expected::I32(v) => unsafe { AtomicI32::from_ptr(addr as *mut i32) }.load(Ordering::SeqCst) == v,
            // SAFETY: per the contract.
            Expected::I64(v) => unsafe { AtomicI64::from_ptr(addr as *mut i64) }.load(Ordering::SeqCst) == v,
        }
    }
}

/// Waits at `addr` while it holds `expected`, until a notify, `timeout` (None: none) or an
/// interrupt standing on this thread.
///
/// # Safety
/// `addr` is aligned for the value and stays valid during the wait (shared memory, whose
/// bytes never move, kept alive by the caller).
pub unsafe fn wait(addr: usize, expected: Expected, timeout: Option<Duration>) -> WaitResult {
    // A timeout too far away to be a point in time is none.
    let deadline = timeout.and_then(|t| Instant::now().checked_add(t));
    let cond = Arc::new(Condvar::new());
    let id = NEXT_ID.fetch_add(1, Ordering::Relaxed);
    let mut guard = lists();
    // SAFETY: per the contract.
    if !unsafe { expected.matches(addr) } {
        return WaitResult::NotEqual;
    }
    let l = guard.get_or_insert_with(Lists::default);
    l.by_address.entry(addr).or_default().push_back(Waiter { id, wake: Wake::Blocking(cond.clone()) });
    loop {
        let l = guard.get_or_insert_with(Lists::default);
        if l.woken.remove(&id) {
            return WaitResult::Ok;
        }
        let interrupted = crate::interrupt::pending_trap();
        let now = Instant::now();
        if interrupted.is_some() || deadline.is_some_and(|d| now >= d) {
            remove(l, addr, id);
            return interrupted.map_or(WaitResult::TimedOut, WaitResult::Interrupted);
        }
        let slice = deadline.map_or(POLL, |d| (d - now).min(POLL));
        guard = cond.wait_timeout(guard, slice).unwrap_or_else(|e| e.into_inner()).0;
    }
}

/// Takes waiter `id` off `addr`'s list.
fn remove(l: &mut Lists, addr: usize, id: u64) -> bool {
    let Some(q) = l.by_address.get_mut(&addr) else { return false };
    let before = q.len();
    q.retain(|w| w.id != id);
    let removed = q.len() != before;
    if q.is_empty() {
        l.by_address.remove(&addr);
    }
    removed
}

/// What [`wait_async`] did.
pub enum AsyncWait {
    /// The value was not the expected one: nothing waits.
    NotEqual,
    /// Waiting, as this id (for [`cancel_async`]); `on_wake` runs (on the notifying thread)
    /// if a notify comes first.
    Waiting(u64),
}

/// Queues an asynchronous waiter at `addr` if it holds `expected` (`Atomics.waitAsync`): the
/// caller arranges its own timeout and calls [`cancel_async`] then.
///
/// # Safety
/// As [`wait`], for the comparison.
pub unsafe fn wait_async(addr: usize, expected: Expected, on_wake: Box<dyn FnOnce() + Send>) -> AsyncWait {
    let mut guard = lists();
    // SAFETY: per the contract.
    if !unsafe { expected.matches(addr) } {
        return AsyncWait::NotEqual;
    }
    let id = NEXT_ID.fetch_add(1, Ordering::Relaxed);
    let l = guard.get_or_insert_with(Lists::default);
    l.by_address.entry(addr).or_default().push_back(Waiter { id, wake: Wake::Async(on_wake) });
    AsyncWait::Waiting(id)
}

/// Takes asynchronous waiter `id` off `addr`'s list (its timeout passed); false when a notify
/// took it first.
pub fn cancel_async(addr: usize, id: u64) -> bool {
    let mut guard = lists();
    guard.as_mut().is_some_and(|l| remove(l, addr, id))
}

/// How many waiters (blocked or asynchronous) are queued at `addr`.
pub fn waiting(addr: usize) -> usize {
    lists().as_ref().and_then(|l| l.by_address.get(&addr)).map_or(0, |q| q.len())
}

/// Wakes up to `count` waiters at `addr`, oldest first; returns how many.
pub fn notify(addr: usize, count: u32) -> u32 {
    let mut woken_async = Vec::new();
    let n = {
        let mut guard = lists();
        let Some(l) = guard.as_mut() else { return 0 };
        let Some(q) = l.by_address.get_mut(&addr) else { return 0 };
        let mut n = 0;
        while n < count {
            let Some(w) = q.pop_front() else { break };
            match w.wake {
                Wake::Blocking(cond) => {
                    l.woken.insert(w.id);
                    cond.notify_one();
                }
                Wake::Async(f) => woken_async.push(f),
            }
            n += 1;
        }
        if l.by_address.get(&addr).is_some_and(|q| q.is_empty()) {
            l.by_address.remove(&addr);
        }
        n
    };
    // Outside the lock: an asynchronous waiter's wake-up posts to its thread's event loop.
    for f in woken_async {
        f();
    }
    n
}

/// WAMR's wait hook: 0 woken, 1 not-equal, 2 timed out, -1 interrupted (with `*error` set to
/// the trap's message, valid until the thread's next interrupted wait).
unsafe extern "C" fn wamr_wait(address: *mut std::ffi::c_void, expect: u64, timeout_ns: i64, wait64: bool, error: *mut *const std::ffi::c_char) -> i32 {
    let expected = if wait64 { Expected::I64(expect as i64) } else { Expected::I32(expect as u32 as i32) };
    let timeout = (timeout_ns >= 0).then(|| Duration::from_nanos(timeout_ns as u64));
    // SAFETY: WAMR checked the address is in the instance's shared memory, aligned.
    match unsafe { wait(address as usize, expected, timeout) } {
        WaitResult::Ok => 0,
        WaitResult::NotEqual => 1,
        WaitResult::TimedOut => 2,
        WaitResult::Interrupted(msg) => {
            thread_local! {
                static MESSAGE: std::cell::RefCell<std::ffi::CString> = std::cell::RefCell::new(std::ffi::CString::default());
            }
            MESSAGE.with(|m| {
                *m.borrow_mut() = std::ffi::CString::new(msg).unwrap_or_default();
                // SAFETY: WAMR passes a valid out-pointer.
                unsafe { *error = m.borrow().as_ptr() };
            });
            -1
        }
    }
}

unsafe extern "C" fn wamr_notify(address: *mut std::ffi::c_void, count: u32) -> u32 {
    notify(address as usize, count)
}

/// Routes WAMR's atomic waits and notifies through these lists (once per process, before the
/// first instance: engine.rs).
pub(crate) fn install() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    // SAFETY: a process-wide setter of two 'static functions.
    ONCE.call_once(|| unsafe { sys::wasm_jsrt_set_atomic_hooks(Some(wamr_wait), Some(wamr_notify)) });
}
