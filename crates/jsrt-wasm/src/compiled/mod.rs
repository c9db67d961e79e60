//! The compiled tier: which modules run as machine code (WAMR's ahead-of-time format, made by
//! the `jsrt-aotc` executable on LLVM), when they are compiled, and the code cache.
//!
//! A module's bytes pass through the same preparation in both tiers (module.rs's passes): the
//! compiler gets exactly the bytes the interpreter would load, so what those passes do holds
//! in compiled code too. What stays interpreter-only is listed in [`stays_interpreted`], each
//! with its reason.
//!
//! Tiers (`--wasm-tier`, `JSRT_WASM_TIER`):
//! - `interp`: every module runs in WAMR's fast interpreter.
//! - `compiled`: every module that can be compiled is, before `Module::new` returns (from the
//!   cache when it holds the module).
//! - `auto` (the default): a module found in the cache loads compiled at once; a module with at
//!   least [`AUTO_MIN_CODE`] of code starts in the interpreter while `jsrt-aotc` compiles it on a
//!   background thread, and instances created after that use the compiled code; smaller
//!   modules (tests, glue) never pay for LLVM.
//!
//! Compiled code is stopped the way the interpreter is (interrupt.rs): `wasm_jsrt_exec_env_stop`
//! also raises the exec env's terminate bit, which compiled code reads at every loop back-edge
//! and after every call (patched WAMR), returning at once; `Instance::run` turns such a return
//! into the interrupt's trap.

mod cache;
mod compiler;

use std::path::PathBuf;
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::{mpsc, Mutex, OnceLock};
use std::time::Instant;

use crate::info::ModuleInfo;


/// Which tier runs wasm (see the module's doc).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tier {
    Interp,
    Compiled,
    Auto,
}

impl std::str::FromStr for Tier {
    type Err = String;
    fn from_str(s: &str) -> Result<Tier, String> {
        match s {
            "interp" => Ok(Tier::Interp),
            "compiled" => Ok(Tier::Compiled),
            "auto" => Ok(Tier::Auto),
            other => Err(format!("unknown wasm tier {other:?} (interp, compiled or auto)")),
        }
    }
}

/// The most code (function bodies) either tier compiles: LLVM takes about a minute and a half
/// per MiB here.
pub const MAX_COMPILE_CODE: usize = 2 << 20;

/// The most functions either tier compiles.
pub const MAX_COMPILE_FUNCTIONS: usize = 50_000;

/// The least code (function bodies) `auto` compiles when the cache does not hold the module.
pub const AUTO_MIN_CODE: usize = 64 * 1024;

/// What the code scan (scan.rs) learned that the tier depends on.
pub(crate) struct Code {
    /// Whether any function makes a tail call.
    pub(crate) tail_calls: bool,
    /// The size of every function body together.
    pub(crate) bytes: usize,
}

/// How the compiled tier is set up for the process ([`configure`]).
#[derive(Debug, Clone)]
pub struct Settings {
    pub tier: Tier,
    /// Where compiled code is kept; `None`: no cache.
    pub cache_dir: Option<PathBuf>,
    /// The cache's size bound in bytes (least recently used entries go first).
    pub cache_max_bytes: u64,
    /// Print each decision on stderr (`--trace-wasm-tier`).
    pub trace: bool,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings { tier: Tier::Auto, cache_dir: cache::default_dir(), cache_max_bytes: cache::DEFAULT_MAX_BYTES, trace: false }
    }
}

static SETTINGS: OnceLock<Mutex<Settings>> = OnceLock::new();
/// The tier, readable without the lock (every `Module::new` reads it). The interpreter until
/// [`configure`] says otherwise (the CLI does; embedders and the crate's tests opt in).
static TIER: AtomicU8 = AtomicU8::new(0);

/// Sets the compiled tier up for the process (the CLI does, before any module loads).
pub fn configure(settings: Settings) {
    TIER.store(settings.tier as u8, Ordering::Relaxed);
    *settings_lock().lock().unwrap_or_else(|e| e.into_inner()) = settings;
}

fn settings_lock() -> &'static Mutex<Settings> {
    SETTINGS.get_or_init(|| Mutex::new(Settings::default()))
}

fn settings() -> Settings {
    settings_lock().lock().unwrap_or_else(|e| e.into_inner()).clone()
}

/// The tier in force.
pub fn tier() -> Tier {
    match TIER.load(Ordering::Relaxed) {
        0 => Tier::Interp,
        1 => Tier::Compiled,
        _ => Tier::Auto,
    }
}

/// Writes a line about a tier decision on stderr when tracing is on.
fn trace(what: impl FnOnce() -> String) {
    if settings_lock().lock().unwrap_or_else(|e| e.into_inner()).trace {
        eprintln!("jsrt: wasm tier: {}", what());
    }
}

/// Why a module must stay in the interpreter whatever the tier, if it must.
pub(crate) fn stays_interpreted(info: &ModuleInfo, code: &Code) -> Option<&'static str> {
    if code.bytes > MAX_COMPILE_CODE {
        // LLVM takes about a minute and a half per MiB of code here (bench/README.md): more
        // would keep a core busy for many minutes for a run that may be long over.
        return Some("it has over 2 MiB of code (compiling would take many minutes)");
    }
    if info.func_types.len() > MAX_COMPILE_FUNCTIONS {
        // LLVM's memory grows with the function count: 1,000,000 small functions took 6 GB.
        return Some("it has over 50,000 functions (LLVM would need gigabytes)");
    }
    if code.tail_calls {
        // WAMR's compiled `return_call` is a call and a return: each takes native stack, so a
        // long chain of tail calls (a loop written as one) overflows where the interpreter,
        // which reuses the frame, runs in constant space.
        return Some("it makes tail calls (compiled code does not run them in constant stack)");
    }
    if crate::fuel::budget().is_some() {
        // Instruction budgets are counted in wasm (fuel.rs), but only the interpreter's
        // counts are the documented ones (bench/README, limits).
        return Some("an instruction budget is set (--wasm-max-instructions)");
    }
    if crate::interrupt::poke_hook_set() {
        // The profiler samples wasm where the interpreter checks its interrupt flag.
        return Some("the CPU profiler is on");
    }
    None
}

/// What [`Module::new`](crate::Module::new) does about the compiled tier for one module.
pub(crate) enum Plan {
    /// Interpreter only.
    Interp,
    /// Compiled code, ready now (from the cache or compiled while waiting).
    Now(Vec<u8>),
    /// Interpreter first; the compiled code arrives from a background compile.
    Later(Pending),
}

/// Decides the module's tier and, for `Now`, gets its compiled code. `given` is the size of
/// the bytes the user gave, `prepared` the bytes WAMR loads, `code` what the code scan found.
pub(crate) fn plan(info: &ModuleInfo, code: Code, given: usize, prepared: &[u8]) -> Plan {
    let tier = tier();
    if tier == Tier::Interp {
        return Plan::Interp;
    }
    if let Some(reason) = stays_interpreted(info, &code) {
        trace(|| format!("{} bytes: interpreter, since {reason}", given));
        return Plan::Interp;
    }
    let s = settings();
    // The key (a SHA-256 of the whole module) only when there is a cache to look in.
    let cache = s.cache_dir.clone().map(|dir| Cache { dir, max_bytes: s.cache_max_bytes, key: cache::key_of(prepared) });
    if let Some(c) = &cache {
        match cache::read(&c.dir, &c.key) {
            cache::Lookup::Code(code) => {
                trace(|| format!("{given} bytes: compiled, from the cache ({} bytes of code)", code.len()));
                return Plan::Now(code);
            }
            cache::Lookup::Failed(why) => {
                trace(|| format!("{given} bytes: interpreter, since compiling it failed before: {}", why.trim()));
                return Plan::Interp;
            }
            cache::Lookup::Missing { .. } if jsrt_codecache::locked(&c.dir, &c.key, compiler::MAX_COMPILE_WALL) => {
                trace(|| format!("{given} bytes: interpreter, since another jsrt is compiling it"));
                return Plan::Interp;
            }
            cache::Lookup::Missing { .. } => {}
        }
    }
    if tier == Tier::Auto && code.bytes < AUTO_MIN_CODE {
        return Plan::Interp;
    }
    let pending = Pending::spawn(Job { wasm: prepared.to_vec(), given, cache });
    if tier == Tier::Compiled {
        match pending.wait_for(COMPILED_WAIT) {
            Ok(Some(code)) => return Plan::Now(code),
            Ok(None) => return Plan::Interp,
            Err(()) => trace(|| format!("{given} bytes: not compiled after {} s: interpreter until it is", COMPILED_WAIT.as_secs())),
        }
    } else {
        trace(|| format!("{given} bytes: interpreter while compiling in the background"));
    }
    Plan::Later(pending)
}

/// Where a compilation's result is kept.
pub(crate) struct Cache {
    pub(crate) dir: PathBuf,
    pub(crate) max_bytes: u64,
    pub(crate) key: cache::Key,
}

/// How long `--wasm-tier=compiled` waits for a module's compilation (a module with a funcref
/// table takes about a second on an idle core: its proxy pools); a module LLVM takes
/// longer over (a compile bomb: 100,000 functions, blocks nested 20,000 deep) starts in the
/// interpreter and moves to compiled code when it is ready, as in `auto`.
const COMPILED_WAIT: std::time::Duration = std::time::Duration::from_secs(5);

/// Compiled code WAMR's loader refused: the module stays interpreted, and a cache entry for
/// `prepared` (if that is where the code came from) goes.
pub(crate) fn rejected(e: &crate::Error, prepared: &[u8]) {
    trace(|| format!("interpreter, since WAMR refused the compiled code: {e}"));
    if let Some(dir) = settings().cache_dir {
        jsrt_codecache::remove(&dir, &cache::key_of(prepared));
    }
}

/// One compilation: the bytes, and where its result is kept (jsrt-aotc writes the cache
/// entry itself, so that it is kept even when this process has exited by then).
struct Job {
    wasm: Vec<u8>,
    given: usize,
    cache: Option<Cache>,
}

impl Job {
    /// Compiles; None (and a trace line) when the compiler failed: the module stays
    /// interpreted.
    fn run(self) -> Option<Vec<u8>> {
        let _slot = compile_slot();
        let started = Instant::now();
        match compiler::compile(&self.wasm, self.cache.as_ref()) {
            Ok(code) => {
                trace(|| format!("{} bytes: compiled in {} ms ({} bytes of code)", self.given, started.elapsed().as_millis(), code.len()));
                Some(code)
            }
            Err(e) => {
                trace(|| format!("{} bytes: interpreter, since the compiler failed: {e}", self.given));
                None
            }
        }
    }
}

/// Compilations running at once in this process: at most one per core (LLVM takes hundreds of
/// MB and a core each; a program loading twenty large modules queues them).
struct CompileSlots {
    running: Mutex<usize>,
    freed: std::sync::Condvar,
}

static SLOTS: CompileSlots = CompileSlots { running: Mutex::new(0), freed: std::sync::Condvar::new() };

/// Waits for a free compilation slot; it is given back when the guard drops.
fn compile_slot() -> impl Drop {
    struct Slot;
    impl Drop for Slot {
        fn drop(&mut self) {
            *SLOTS.running.lock().unwrap_or_else(|e| e.into_inner()) -= 1;
            SLOTS.freed.notify_one();
        }
    }
    let max = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut running = SLOTS.running.lock().unwrap_or_else(|e| e.into_inner());
    while *running >= max {
        running = SLOTS.freed.wait(running).unwrap_or_else(|e| e.into_inner());
    }
    *running += 1;
    Slot
}

/// A background compilation whose result instances pick up when it is there.
pub(crate) struct Pending {
    result: Mutex<Option<mpsc::Receiver<Option<Vec<u8>>>>>,
}

impl Pending {
    fn spawn(job: Job) -> Pending {
        let (tx, rx) = mpsc::channel();
        let spawned = std::thread::Builder::new().name("jsrt-wasm-compile".into()).spawn(move || {
            let _ = tx.send(job.run());
        });
        if let Err(e) = spawned {
            trace(|| format!("interpreter, since no compile thread could start: {e}"));
        }
        Pending { result: Mutex::new(Some(rx)) }
    }

    /// The compiled code, the first time it is asked for after it arrived (None before, after
    /// and when the compilation failed).
    pub(crate) fn take(&self) -> Option<Vec<u8>> {
        let mut slot = self.result.lock().unwrap_or_else(|e| e.into_inner());
        match slot.as_ref()?.try_recv() {
            Ok(code) => {
                *slot = None;
                code
            }
            Err(mpsc::TryRecvError::Empty) => None,
            Err(mpsc::TryRecvError::Disconnected) => {
                *slot = None;
                None
            }
        }
    }

    /// Waits for the compilation and returns its code (None: it failed or was taken).
    pub(crate) fn wait(&self) -> Option<Vec<u8>> {
        let rx = self.result.lock().unwrap_or_else(|e| e.into_inner()).take()?;
        rx.recv().ok().flatten()
    }

    /// Waits at most `limit` for the compilation: Err(()) when it still runs (it goes on).
    fn wait_for(&self, limit: std::time::Duration) -> Result<Option<Vec<u8>>, ()> {
        let mut slot = self.result.lock().unwrap_or_else(|e| e.into_inner());
        let Some(rx) = slot.as_ref() else { return Ok(None) };
        match rx.recv_timeout(limit) {
            Ok(code) => {
                *slot = None;
                Ok(code)
            }
            Err(mpsc::RecvTimeoutError::Timeout) => Err(()),
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                *slot = None;
                Ok(None)
            }
        }
    }
}
