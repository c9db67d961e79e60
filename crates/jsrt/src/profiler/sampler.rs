//! The sampler thread: wakes every interval; records `(idle)` and `(program)` samples itself
//! and, otherwise, marks a sample due and pokes the main thread to take it.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;
use std::time::Duration;

use jsrt_wasm::interrupt::Interrupter;

/// Samples the sampler thread records itself.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum Special {
    /// The main thread waits in the event loop.
    Idle,
    /// The main thread did not reach a safe point within an interval (native code running).
    Program,
}

/// Profiling is on (the one load `set_idle` pays otherwise).
static ACTIVE: AtomicBool = AtomicBool::new(false);
/// A sample is due: set by the sampler, taken by the main thread.
static DUE: AtomicBool = AtomicBool::new(false);
/// The main thread waits in the event loop.
static IDLE: AtomicBool = AtomicBool::new(false);
static STOP: AtomicBool = AtomicBool::new(false);
/// The sampler's own samples: (time in µs, what).
static OWN: Mutex<Vec<(u64, Special)>> = Mutex::new(Vec::new());

/// Starts the sampler thread, poking `main` every `interval`.
pub fn start(interval: Duration, main: Interrupter) {
    ACTIVE.store(true, Ordering::Relaxed);
    let spawned = std::thread::Builder::new().name("jsrt-cpu-prof".into()).spawn(move || {
        while !STOP.load(Ordering::Relaxed) {
            std::thread::sleep(interval);
            tick(&main);
        }
    });
    if let Err(e) = spawned {
        eprintln!("jsrt: cannot start the CPU profiler: {e}");
    }
}

fn tick(main: &Interrupter) {
    let own = if IDLE.load(Ordering::Acquire) {
        Some(Special::Idle)
    } else if DUE.load(Ordering::Acquire) {
        Some(Special::Program)
    } else {
        DUE.store(true, Ordering::Release);
        main.poke();
        None
    };
    if let Some(what) = own {
        OWN.lock().unwrap_or_else(|e| e.into_inner()).push((now_us(), what));
    }
}

/// Whether a sample is due (and it is taken now).
#[inline]
pub fn take_due() -> bool {
    DUE.load(Ordering::Relaxed) && DUE.swap(false, Ordering::AcqRel)
}

#[inline]
pub fn set_idle(idle: bool) {
    if ACTIVE.load(Ordering::Relaxed) {
        IDLE.store(idle, Ordering::Release);
        if idle {
            DUE.store(false, Ordering::Release);
        }
    }
}

/// Stops sampling; returns the sampler's own samples.
pub fn stop() -> Vec<(u64, Special)> {
    STOP.store(true, Ordering::Relaxed);
    ACTIVE.store(false, Ordering::Relaxed);
    std::mem::take(&mut *OWN.lock().unwrap_or_else(|e| e.into_inner()))
}

/// The monotonic clock in microseconds (the time base of the profile, as Node's).
pub fn now_us() -> u64 {
    let mut ts = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: a valid out-pointer; CLOCK_MONOTONIC always exists on Linux.
    unsafe { libc::clock_gettime(libc::CLOCK_MONOTONIC, &mut ts) };
    ts.tv_sec as u64 * 1_000_000 + ts.tv_nsec as u64 / 1000
}
