//! Interrupting running wasm: per-call time limits and termination requests.
//!
//! WAMR (patched, vendor/wamrx-sys/JSRT.md) lets another thread stop a thread's wasm in two
//! places that together leave no way to run on: every **taken branch** reads the thread's
//! interrupt flag (one thread-local load) and, when it is up, asks [`on_interrupt`] for the
//! trap to raise; every **call** allocates a frame below its exec env's stack boundary, which
//! a stopped exec env has lowered to the bottom, so the call fails at no cost to calls that
//! run normally. A loop needs a branch and a recursion a call, so both end.
//!
//! Two things raise a thread's flag and stop the exec envs of the instances living on it:
//! - the **watchdog**, a thread that exists only once a time limit is in force: every call
//!   from the host into wasm that is not nested in another records its deadline in the
//!   thread's [`Slot`], and the watchdog, waking a few times per limit, interrupts a thread
//!   whose deadline has passed;
//! - an [`Interrupter`] (another thread's handle on this one), for a worker's `terminate()`.
//!
//! An [`Interrupter`] may also **poke** a thread: the flag goes up with no trap standing, so
//! the thread's next taken branch calls the poke hook ([`set_poke_hook`]: the profiler takes
//! a sample there) and runs on.
//!
//! Invariants: an interrupt stands — every branch traps, every call fails — until the
//! outermost call on the thread returns (a timeout) or for good (a termination), so JS that
//! catches the error inside an import cannot run on in wasm. `reason` is written before the
//! flag is raised. A slot's exec envs are added and removed by its own thread under the
//! lock the watchdog stops them under, so none is written after it is freed. With no limit
//! in force, a call pays one relaxed atomic load ([`Entry::begin`]).

use std::cell::Cell;
use std::ffi::{c_char, CString};
use std::sync::atomic::{AtomicU64, AtomicU8, Ordering};
use std::sync::{Arc, Condvar, Mutex, OnceLock, Weak};
use std::time::{Duration, Instant};

use wamrx_sys as sys;

/// Why a thread's flag was raised.
const NONE: u8 = 0;
const TIMEOUT: u8 = 1;
const TERMINATE: u8 = 2;

/// One thread's interrupt state, shared with the watchdog and with [`Interrupter`]s.
struct Slot {
    /// WAMR's flag for this thread, as an address; 0 once the thread is gone (its [`Owner`]
    /// clears it before the thread's storage is freed). Written under the lock by others.
    flag: Mutex<usize>,
    /// The exec envs (as addresses) of the instances living on this thread.
    exec_envs: Mutex<Vec<usize>>,
    /// Nanoseconds after [`epoch`] at which the running outermost call must end; 0: none.
    deadline: AtomicU64,
    /// The limit, in milliseconds, of the running call (for the message).
    limit_ms: AtomicU64,
    reason: AtomicU8,
}

impl Slot {
    /// Interrupts the thread (from any thread) unless it is gone.
    fn raise(&self, reason: u8) {
        self.reason.store(reason, Ordering::SeqCst);
        // Held while stopping: the thread cannot finish leaving meanwhile (its `Owner` clears
        // the flag under this lock), so its exec envs are live.
        let Some(_flag) = self.raise_flag() else { return };
        for &env in self.exec_envs.lock().unwrap_or_else(|e| e.into_inner()).iter() {
            // SAFETY: a live exec env of the thread (removed under this lock before it is
            // destroyed); stopping is one aligned pointer store WAMR allows from any thread.
            unsafe { sys::wasm_jsrt_exec_env_stop(env as sys::wasm_exec_env_t) };
        }
    }

    /// Raises the thread's flag (from any thread) and returns its lock, unless the thread is
    /// gone. With no `reason` stored first (a poke), no trap stands: the thread runs the poke
    /// hook and goes on.
    fn raise_flag(&self) -> Option<std::sync::MutexGuard<'_, usize>> {
        let flag = self.flag.lock().unwrap_or_else(|e| e.into_inner());
        if *flag == 0 {
            return None;
        }
        // SAFETY: the address is the live thread's flag (cleared under this lock before
        // the thread's storage goes); volatile, as the interpreter reads it concurrently.
        unsafe { std::ptr::write_volatile(*flag as *mut u32, 1) };
        Some(flag)
    }

    /// Takes back an interrupt for `reason` on the slot's own thread, if it stands: flag down,
    /// exec envs resumed.
    fn clear(&self, reason: u8) {
        if self.reason.compare_exchange(reason, NONE, Ordering::SeqCst, Ordering::SeqCst).is_err() {
            return;
        }
        set_own_flag(0);
        for &env in self.exec_envs.lock().unwrap_or_else(|e| e.into_inner()).iter() {
            // SAFETY: as in `raise`.
            unsafe { sys::wasm_jsrt_exec_env_resume(env as sys::wasm_exec_env_t) };
        }
    }
}

/// Sets the calling thread's own flag.
fn set_own_flag(v: u32) {
    // SAFETY: the calling thread's flag, valid while it runs.
    unsafe { std::ptr::write_volatile(sys::wasm_jsrt_interrupt_flag(), v) };
}

/// The thread's reference to its slot: marks the slot dead when the thread ends.
struct Owner(Arc<Slot>);

impl Drop for Owner {
    fn drop(&mut self) {
        *self.0.flag.lock().unwrap_or_else(|e| e.into_inner()) = 0;
    }
}

impl std::ops::Deref for Owner {
    type Target = Arc<Slot>;
    fn deref(&self) -> &Arc<Slot> {
        &self.0
    }
}

thread_local! {
    static SLOT: Owner = Owner(new_slot());
    /// The time limit of calls started on this thread, when set (`Some(None)`: no limit),
    /// overriding the process's.
    static THREAD_TIMEOUT: Cell<Option<Option<Duration>>> = const { Cell::new(None) };
    /// The message of the last interrupt (WAMR copies it into the instance's exception).
    static MESSAGE: std::cell::RefCell<CString> = std::cell::RefCell::new(CString::default());
}

fn new_slot() -> Arc<Slot> {
    install_hook();
    // SAFETY: returns this thread's flag, valid for the thread's life.
    let flag = unsafe { sys::wasm_jsrt_interrupt_flag() } as usize;
    Arc::new(Slot { flag: Mutex::new(flag), exec_envs: Mutex::new(Vec::new()), deadline: AtomicU64::new(0), limit_ms: AtomicU64::new(0), reason: AtomicU8::new(NONE) })
}

fn install_hook() {
    static ONCE: OnceLock<()> = OnceLock::new();
    ONCE.get_or_init(|| {
        // SAFETY: a plain setter; the hook is a `'static` function.
        unsafe { sys::wasm_jsrt_set_interrupt_hook(Some(on_interrupt)) }
    });
}

/// Called by WAMR's interpreter when this thread's flag is up: the message of the trap that
/// ends the running call, or null to go on.
extern "C" fn on_interrupt() -> *const c_char {
    match pending_trap() {
        Some(msg) => MESSAGE.with(|m| {
            *m.borrow_mut() = CString::new(msg).unwrap_or_default();
            m.borrow().as_ptr()
        }),
        None => {
            set_own_flag(0);
            if let Some(hook) = POKE_HOOK.get() {
                hook();
            }
            std::ptr::null()
        }
    }
}

/// What a poked thread runs at its next taken branch in wasm (process-wide, set once).
static POKE_HOOK: OnceLock<fn()> = OnceLock::new();

/// Sets the poke hook (once per process; later calls are ignored). It runs on the poked
/// thread, with that thread's wasm calls in progress: it may read their frames
/// (frames.rs) but must not call into wasm.
pub fn set_poke_hook(hook: fn()) {
    let _ = POKE_HOOK.set(hook);
}

/// Whether a poke hook is set (the profiler is on).
pub(crate) fn poke_hook_set() -> bool {
    POKE_HOOK.get().is_some()
}

/// The trap of the interrupt standing on this thread, if any.
pub(crate) fn pending_trap() -> Option<String> {
    SLOT.with(|slot| match slot.reason.load(Ordering::SeqCst) {
        TIMEOUT => Some(format!("{TIMEOUT_PREFIX} of {} ms", slot.limit_ms.load(Ordering::Relaxed))),
        TERMINATE => Some(TERMINATED.to_string()),
        _ => None,
    })
}

/// Registers the exec env of an instance created on this thread (stopped at once if the
/// thread is interrupted).
pub(crate) fn add_exec_env(env: sys::wasm_exec_env_t) {
    SLOT.with(|slot| {
        slot.exec_envs.lock().unwrap_or_else(|e| e.into_inner()).push(env as usize);
        if slot.reason.load(Ordering::SeqCst) != NONE {
            // SAFETY: a fresh exec env of this thread.
            unsafe { sys::wasm_jsrt_exec_env_stop(env) };
        }
    });
}

/// Forgets the exec env of an instance about to be destroyed.
pub(crate) fn remove_exec_env(env: sys::wasm_exec_env_t) {
    // The slot may be gone already when a thread's last instances drop during its exit.
    let _ = SLOT.try_with(|slot| slot.exec_envs.lock().unwrap_or_else(|e| e.into_inner()).retain(|&e| e != env as usize));
}

const TIMEOUT_PREFIX: &str = "wasm call exceeded its time limit";
pub(crate) const TERMINATED: &str = "execution terminated";

/// The process-wide per-call time limit in milliseconds (0: none); see [`set_timeout`].
static TIMEOUT_MS: AtomicU64 = AtomicU64::new(0);
/// Whether any time limit was ever set (the one branch every call pays).
static LIMITS_USED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Sets the time limit of every call from the host into wasm (`--wasm-timeout`); `None`
/// removes it.
pub fn set_timeout(limit: Option<Duration>) {
    let ms = limit.map(|d| d.as_millis().max(1) as u64).unwrap_or(0);
    TIMEOUT_MS.store(ms, Ordering::Relaxed);
    if ms > 0 {
        LIMITS_USED.store(true, Ordering::Relaxed);
    }
}

/// Runs `f` with calls into wasm started inside it limited to `limit` each (`None`: no
/// limit, whatever the process's), then restores the previous setting.
pub fn with_timeout<T>(limit: Option<Duration>, f: impl FnOnce() -> T) -> T {
    LIMITS_USED.store(true, Ordering::Relaxed);
    with_thread_setting(&THREAD_TIMEOUT, Some(limit), f)
}

/// Runs `f` with the thread-local `setting` set to `value`, restoring it after (also when `f`
/// unwinds): the per-thread overrides of the time limit and of the instruction budget.
pub(crate) fn with_thread_setting<V: Copy + 'static, T>(setting: &'static std::thread::LocalKey<Cell<V>>, value: V, f: impl FnOnce() -> T) -> T {
    struct Restore<V: Copy + 'static>(&'static std::thread::LocalKey<Cell<V>>, V);
    impl<V: Copy + 'static> Drop for Restore<V> {
        fn drop(&mut self) {
            self.0.with(|c| c.set(self.1));
        }
    }
    let _restore = Restore(setting, setting.with(|c| c.replace(value)));
    f()
}

/// The limit in force for a call starting now on this thread, if any.
fn current_limit() -> Option<Duration> {
    THREAD_TIMEOUT.with(Cell::get).unwrap_or(match TIMEOUT_MS.load(Ordering::Relaxed) {
        0 => None,
        ms => Some(Duration::from_millis(ms)),
    })
}

/// The time base of deadlines.
fn epoch() -> Instant {
    static EPOCH: OnceLock<Instant> = OnceLock::new();
    *EPOCH.get_or_init(Instant::now)
}

/// An outermost call from the host into wasm, for its duration: holds its deadline.
pub(crate) struct Entry {
    armed: bool,
}

impl Entry {
    /// Starts a call; `outermost` is whether no other wasm call runs on this thread.
    #[inline]
    pub(crate) fn begin(outermost: bool) -> Entry {
        if !outermost || !LIMITS_USED.load(Ordering::Relaxed) {
            return Entry { armed: false };
        }
        Entry::arm()
    }

    #[cold]
    fn arm() -> Entry {
        let Some(limit) = current_limit() else { return Entry { armed: false } };
        SLOT.with(|slot| {
            let at = epoch().elapsed() + limit;
            slot.limit_ms.store(limit.as_millis() as u64, Ordering::Relaxed);
            slot.deadline.store(at.as_nanos().max(1) as u64, Ordering::SeqCst);
            watchdog().watch(slot, limit);
        });
        Entry { armed: true }
    }
}

impl Drop for Entry {
    #[inline]
    fn drop(&mut self) {
        if self.armed {
            Entry::disarm();
        }
    }
}

impl Entry {
    #[cold]
    fn disarm() {
        SLOT.with(|slot| {
            slot.deadline.store(0, Ordering::SeqCst);
            // The call is over: so is its timeout (also one that fired as it returned).
            slot.clear(TIMEOUT);
        });
    }
}

/// The thread that raises the flags of threads whose deadline has passed.
struct Watchdog {
    slots: Mutex<Vec<Weak<Slot>>>,
    /// The shortest limit seen: the watchdog wakes at least four times per such period.
    tick: Mutex<Duration>,
    wake: Condvar,
}

fn watchdog() -> &'static Watchdog {
    static DOG: OnceLock<&'static Watchdog> = OnceLock::new();
    DOG.get_or_init(|| {
        let dog: &'static Watchdog =
            Box::leak(Box::new(Watchdog { slots: Mutex::new(Vec::new()), tick: Mutex::new(Duration::from_millis(10)), wake: Condvar::new() }));
        std::thread::Builder::new().name("jsrt-wasm-watchdog".into()).spawn(move || dog.run()).expect("start the wasm watchdog thread");
        dog
    })
}

impl Watchdog {
    /// Makes sure `slot` is watched often enough for `limit`.
    fn watch(&self, slot: &Arc<Slot>, limit: Duration) {
        let mut slots = self.slots.lock().unwrap_or_else(|e| e.into_inner());
        if !slots.iter().any(|s| s.as_ptr() == Arc::as_ptr(slot)) {
            slots.retain(|s| s.strong_count() > 0);
            slots.push(Arc::downgrade(slot));
        }
        drop(slots);
        let mut tick = self.tick.lock().unwrap_or_else(|e| e.into_inner());
        let wanted = (limit / 4).clamp(Duration::from_micros(500), Duration::from_millis(10));
        if wanted < *tick {
            *tick = wanted;
            self.wake.notify_one();
        }
    }

    fn run(&self) {
        let mut tick = self.tick.lock().unwrap_or_else(|e| e.into_inner());
        loop {
            let period = *tick;
            tick = self.wake.wait_timeout(tick, period).unwrap_or_else(|e| e.into_inner()).0;
            let now = epoch().elapsed().as_nanos() as u64;
            for slot in self.slots.lock().unwrap_or_else(|e| e.into_inner()).iter().filter_map(Weak::upgrade) {
                let deadline = slot.deadline.load(Ordering::SeqCst);
                if deadline != 0 && now >= deadline {
                    slot.raise(TIMEOUT);
                }
            }
        }
    }
}

/// A handle on a thread's wasm execution, usable from any thread: [`Interrupter::terminate`]
/// ends whatever wasm runs there now and every later call, until [`Interrupter::resume`].
#[derive(Clone)]
pub struct Interrupter(Arc<Slot>);

impl Interrupter {
    /// The handle of the calling thread.
    pub fn current() -> Interrupter {
        Interrupter(SLOT.with(|s| Arc::clone(s)))
    }

    pub fn terminate(&self) {
        self.0.raise(TERMINATE);
    }

    /// Makes the thread run the poke hook at its next taken branch in wasm, if it is in
    /// wasm (the flag stays up until then otherwise, costing nothing).
    pub fn poke(&self) {
        let _ = self.0.raise_flag();
    }

    /// Takes a termination back (the thread's next calls run normally); call it on the
    /// thread itself.
    pub fn resume(&self) {
        self.0.clear(TERMINATE);
    }
}
