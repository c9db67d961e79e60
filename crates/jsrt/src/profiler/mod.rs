//! The CPU profiler (`--cpu-prof`, as Node's): samples the main thread's JS and wasm stack
//! at a fixed interval and writes a `.cpuprofile` (Chrome DevTools' format, which DevTools
//! and speedscope open) when the process exits.
//!
//! How a sample is taken: a sampler thread (sampler.rs) wakes every interval. While the JS
//! thread waits in the event loop, it records an `(idle)` sample itself; otherwise it marks a
//! sample due and pokes the JS thread, which takes it at its next safe point — QuickJS's
//! interrupt handler (polled every ~10,000 bytecodes and at calls) or, in wasm, the
//! interpreter's interrupt check on a taken branch (jsrt-wasm's poke hook). The sample walks
//! QuickJS's frames (QuickJS patch 0005) and puts the wasm frames of each exported wasm
//! function's call in place of its native frame, as stack traces do (webassembly/stack.rs).
//! A sample still due at the next tick (the thread busy in native code: compiling, I/O)
//! counts as `(program)`. Functions are kept by identity while sampling (a JS function is
//! retained, so its identity stays its own); names and positions are read once, at exit.
//!
//! Cost: nothing without `--cpu-prof`; with it, a walk of the stack per sample (see
//! bench/README.md, "Profiler").

mod cpuprofile;
mod sampler;

use std::cell::RefCell;
use std::path::PathBuf;

use cpuprofile::Profile;

/// What `--cpu-prof` and its companion flags ask for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// `--cpu-prof-dir`: where the profile goes (default: the working directory).
    pub dir: Option<PathBuf>,
    /// `--cpu-prof-name`: the file's name (default: Node's `CPU.<date>.<time>.<pid>.0.001.cpuprofile`).
    pub name: Option<String>,
    /// `--cpu-prof-interval`: microseconds between samples (default 1000, as Node).
    pub interval_us: u64,
}

impl Default for Options {
    fn default() -> Options {
        Options { dir: None, name: None, interval_us: 1000 }
    }
}

thread_local! {
    /// The profile being recorded on this (the main) thread.
    static PROFILE: RefCell<Option<Profile>> = const { RefCell::new(None) };
}

/// Starts profiling the thread that owns `rt` and `context` (the main thread, before any JS
/// runs).
pub fn start(rt: &rquickjs::Runtime, context: &rquickjs::Context, opts: &Options) {
    rt.set_interrupt_handler(Some(Box::new(|| {
        take_sample_if_due();
        false
    })));
    context.with(|ctx| {
        let ctx = ctx.as_raw().as_ptr();
        // SAFETY: the context is live; its runtime lives as long (the process: jsrt never
        // tears QuickJS down).
        let rt = unsafe { rquickjs::qjs::JS_GetRuntime(ctx) };
        PROFILE.with(|p| *p.borrow_mut() = Some(Profile::new(rt, ctx, opts.clone())));
    });
    jsrt_wasm::interrupt::set_poke_hook(take_sample_if_due);
    sampler::start(std::time::Duration::from_micros(opts.interval_us), jsrt_wasm::interrupt::Interrupter::current());
}

/// Takes a sample when one is due (on the main thread, at a safe point).
fn take_sample_if_due() {
    if !sampler::take_due() {
        return;
    }
    PROFILE.with(|p| {
        // Busy when the profile is being written (reading a name ran JS): skip.
        if let Ok(mut p) = p.try_borrow_mut() {
            if let Some(p) = p.as_mut() {
                p.sample();
            }
        }
    });
}

/// The event loop waits (`true`) or runs again (`false`): time waiting is `(idle)`.
#[inline]
pub fn set_idle(idle: bool) {
    sampler::set_idle(idle);
}

/// Stops profiling and writes the profile, if one is being recorded (at process exit).
pub fn finish() {
    let Some(profile) = PROFILE.with(|p| p.try_borrow_mut().ok().and_then(|mut p| p.take())) else { return };
    let extra = sampler::stop();
    if let Err(e) = profile.write(extra) {
        eprintln!("jsrt: cannot write the CPU profile: {e}");
    }
}
