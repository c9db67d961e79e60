//! Worker threads: starting one (its own tokio loop, QuickJS runtime and bootstrap, then the
//! JS entry `hooks.startWorker`), stopping one (`terminate()` from its parent, or its own
//! `process.exit()`), and tearing it down so that it leaves no thread, runtime or port behind.
//!
//! A worker stops through three doors, all of which end JS at once: an interrupt handler
//! QuickJS polls (JS loops), the wasm [`Interrupter`] (wasm loops and `Atomics.wait`), and a
//! task on its event loop (an idle loop). Its parent hears `online`, `error` and `exit` through
//! `hooks.workerEvent`, run on the parent's loop.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use jsrt_wasm::Interrupter;
use rquickjs::{qjs, Ctx, Function, Object, Value};

use super::Message;
use crate::event_loop::{self, Waker};

/// What one worker's parent (and `terminate`) reaches it by.
#[derive(Default)]
struct Control {
    /// Up once the worker must end: QuickJS's interrupt handler and the event loop read it.
    stop: Arc<AtomicBool>,
    /// The worker's loop and wasm, once it runs.
    reach: Mutex<Option<(Waker, Interrupter)>>,
}

impl Control {
    fn terminate(&self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some((waker, wasm)) = self.reach.lock().unwrap_or_else(|e| e.into_inner()).as_ref() {
            wasm.terminate();
            waker.run(Box::new(|ctx: &Ctx<'_>| {
                event_loop::stop();
                Ok(Value::new_undefined(ctx.clone()))
            }));
        }
    }
}

static WORKERS: Mutex<Option<HashMap<u64, Arc<Control>>>> = Mutex::new(None);
static NEXT_ID: AtomicU64 = AtomicU64::new(1);

fn workers<T>(f: impl FnOnce(&mut HashMap<u64, Arc<Control>>) -> T) -> T {
    f(WORKERS.lock().unwrap_or_else(|e| e.into_inner()).get_or_insert_with(HashMap::new))
}

/// The running worker's own state, on its thread.
struct Me {
    id: u64,
    control: Arc<Control>,
    parent: Waker,
    exit_code: Option<i32>,
}

thread_local! {
    static ME: RefCell<Option<Me>> = const { RefCell::new(None) };
    /// The worker's heap limit in bytes (0: none).
    static HEAP_LIMIT: Cell<usize> = const { Cell::new(0) };
    /// Ports that live on this thread (closed when it ends).
    static PORTS_HERE: RefCell<Vec<u64>> = const { RefCell::new(Vec::new()) };
}

/// Whether this thread is a worker's.
pub fn is_worker() -> bool {
    ME.with(|m| m.borrow().is_some())
}

/// `threadId`: 0 on the main thread.
pub fn thread_id() -> u64 {
    ME.with(|m| m.borrow().as_ref().map_or(0, |m| m.id))
}

/// Notes that port `id` lives on this thread.
pub fn adopt_port(id: u64) {
    PORTS_HERE.with(|p| {
        let mut p = p.borrow_mut();
        if !p.contains(&id) {
            p.push(id);
        }
    });
}

/// Notes that port `id` left this thread (transferred).
pub fn disown_port(id: u64) {
    PORTS_HERE.with(|p| p.borrow_mut().retain(|&x| x != id));
}

/// `process.exit(code)`: ends the process on the main thread; on a worker's, ends the worker
/// with `code`, unwinding its JS with an exception nothing can catch.
pub fn exit_thread(ctx: &Ctx<'_>, code: i32) -> rquickjs::Result<()> {
    let stop = ME.with(|m| {
        let mut m = m.borrow_mut();
        let me = m.as_mut()?;
        me.exit_code.get_or_insert(code);
        Some(me.control.clone())
    });
    let Some(control) = stop else { crate::runtime::exit(code) };
    control.stop.store(true, Ordering::SeqCst);
    event_loop::stop();
    let err = crate::builtins::make_error(ctx, "Error", "the worker is exiting", None)?;
    // SAFETY: `err` is an error object of this context; the flag makes catch/finally skip it.
    unsafe { qjs::JS_SetUncatchableError(ctx.as_raw().as_ptr(), err.as_raw()) };
    Err(ctx.throw(err))
}

/// Ends this worker with `code` at the loop's next turn (no exception: for native code whose
/// JS handler failed). False on the main thread.
pub fn end_thread(code: i32) -> bool {
    let control = ME.with(|m| {
        let mut m = m.borrow_mut();
        let me = m.as_mut()?;
        me.exit_code.get_or_insert(code);
        Some(me.control.clone())
    });
    let Some(control) = control else { return false };
    control.stop.store(true, Ordering::SeqCst);
    event_loop::stop();
    true
}

/// How the worker's code is given.
struct Spawn {
    id: u64,
    limits: Limits,
    /// `hooks.startWorker`'s options, less the message, as JSON.
    options: String,
    data: Option<Message>,
    argv: Vec<String>,
}

/// `resourceLimits` that map onto QuickJS: the heap (Node's young + old generation) and the
/// stack, in bytes (0: the default).
#[derive(Clone, Copy, Default)]
struct Limits {
    heap: usize,
    stack: usize,
}

/// The main thread's stack size, a worker's by default: QuickJS's recursion limit and wasm's
/// host calls need it.
const STACK: usize = 8 << 20;

/// Starts a worker thread; returns its threadId. `options` is JSON for the worker's
/// `hooks.startWorker`; `data` its first message (workerData and the like).
fn spawn(options: String, data: Option<Message>, argv: Vec<String>, limits: Limits) -> std::io::Result<u64> {
    let id = NEXT_ID.fetch_add(1, Ordering::Relaxed);
    let control = Arc::new(Control::default());
    workers(|w| w.insert(id, control.clone()));
    let parent = event_loop::waker();
    let spawn = Spawn { id, limits, options, data, argv };
    let started = std::thread::Builder::new()
        .name(format!("jsrt-worker-{id}"))
        .stack_size(if limits.stack > 0 { limits.stack + (1 << 20) } else { STACK })
        .spawn(move || worker_main(spawn, control, parent));
    if let Err(e) = started {
        workers(|w| w.remove(&id));
        return Err(e);
    }
    Ok(id)
}

fn worker_main(spawn: Spawn, control: Arc<Control>, parent: Waker) {
    let id = spawn.id;
    let code = match tokio::runtime::Builder::new_current_thread().enable_all().max_blocking_threads(8).build() {
        Ok(rt) => {
            let code = rt.block_on(run(spawn, control, parent.clone()));
            rt.shutdown_background();
            code
        }
        Err(e) => {
            eprintln!("jsrt: cannot start a worker's event loop: {e}");
            1
        }
    };
    workers(|w| w.remove(&id));
    parent.run(Box::new(move |ctx: &Ctx<'_>| {
        event_loop::hook::<_, ()>(ctx, "workerEvent", (id as f64, "exit", code))?;
        Ok(Value::new_undefined(ctx.clone()))
    }));
}

/// Runs the worker on its thread; returns its exit code.
async fn run(mut spawn: Spawn, control: Arc<Control>, parent: Waker) -> i32 {
    ME.with(|m| *m.borrow_mut() = Some(Me { id: spawn.id, control: control.clone(), parent: parent.clone(), exit_code: None }));
    let Ok((rt, context)) = crate::runtime::create(std::mem::take(&mut spawn.argv)) else { return 1 };
    if spawn.limits.heap > 0 {
        rt.set_memory_limit(spawn.limits.heap);
        HEAP_LIMIT.with(|l| l.set(spawn.limits.heap));
    }
    if spawn.limits.stack > 0 {
        rt.set_max_stack_size(spawn.limits.stack);
    }
    event_loop::set_stop_flag(control.stop.clone());
    let stop = control.clone();
    rt.set_interrupt_handler(Some(Box::new(move || {
        let stopping = stop.stop.load(Ordering::Relaxed);
        if stopping {
            // Nothing more runs here: hooks refuse, the loop ends.
            event_loop::stop();
        }
        stopping
    })));
    *control.reach.lock().unwrap_or_else(|e| e.into_inner()) = Some((event_loop::waker(), Interrupter::current()));
    if control.stop.load(Ordering::SeqCst) {
        event_loop::stop();
    } else {
        let id = spawn.id;
        parent.run(Box::new(move |ctx: &Ctx<'_>| {
            event_loop::hook::<_, ()>(ctx, "workerEvent", (id as f64, "online", ()))?;
            Ok(Value::new_undefined(ctx.clone()))
        }));
        context.with(|ctx| start(&ctx, spawn));
        event_loop::run(&context, false).await;
    }
    let code = if event_loop::stopped() {
        None
    } else {
        context.with(|ctx| event_loop::hook::<_, i32>(&ctx, "exit", ()).ok())
    };
    let code = ME.with(|m| m.borrow().as_ref().and_then(|m| m.exit_code)).or(code).unwrap_or(1);
    *control.reach.lock().unwrap_or_else(|e| e.into_inner()) = None;
    teardown(rt, context);
    code
}

/// Hands the worker's options and first message to `hooks.startWorker`, which sets up
/// `parentPort`/`self` and runs the worker's code; an error is the worker's uncaught one.
fn start(ctx: &Ctx<'_>, spawn: Spawn) {
    let result = (|| {
        let data = match spawn.data {
            Some(msg) => super::message_value(ctx, msg)?,
            None => Value::new_undefined(ctx.clone()),
        };
        event_loop::hook::<_, ()>(ctx, "startWorker", (spawn.options, data))
    })();
    if let Err(e) = result {
        let err = event_loop::caught(ctx, e);
        event_loop::fatal(ctx, err);
    }
}

/// Frees what the worker leaves: its ports, the JS values native code holds, its context and
/// runtime. rquickjs drops its class prototypes just before QuickJS frees the runtime; a
/// runtime that still has objects then (a cycle through native state that QuickJS's collector
/// cannot see) is left allocated rather than freed under them (jsrt's QuickJS patch 0007).
fn teardown(rt: rquickjs::Runtime, context: rquickjs::Context) {
    for id in PORTS_HERE.with(|p| std::mem::take(&mut *p.borrow_mut())) {
        super::close_port(id);
    }
    context.with(|_ctx| {
        crate::webassembly::teardown();
        crate::builtins::teardown();
        crate::http::teardown();
    });
    event_loop::teardown();
    drop(context);
    drop(rt);
    ME.with(|m| m.borrow_mut().take());
}

/// `hooks.fatal` in a worker: posts the uncaught error (as a message) to the parent's `error`
/// event.
fn report_error(msg: Message) {
    let Some((id, parent)) = ME.with(|m| m.borrow().as_ref().map(|m| (m.id, m.parent.clone()))) else { return };
    parent.run(Box::new(move |ctx: &Ctx<'_>| {
        let err = super::message_value(ctx, msg)?;
        event_loop::hook::<_, ()>(ctx, "workerEvent", (id as f64, "error", err))?;
        Ok(Value::new_undefined(ctx.clone()))
    }));
}

pub fn install<'js>(ctx: &Ctx<'js>, w: &Object<'js>) -> rquickjs::Result<()> {
    let c = || ctx.clone();
    // spawn(optionsJson, argv, [wire, kinds, payloads] | undefined, heapMb, stackMb) -> threadId
    w.set(
        "spawn",
        Function::new(c(), |ctx: Ctx<'js>, options: String, argv: Vec<String>, data: Value<'js>, heap_mb: f64, stack_mb: f64| -> rquickjs::Result<f64> {
            let mb = |v: f64| if v.is_finite() && v > 0.0 { (v.min(1e6) * 1048576.0) as usize } else { 0 };
            let limits = Limits { heap: mb(heap_mb), stack: mb(stack_mb) };
            let data = match data.as_array() {
                Some(a) => Some(super::message_of(&ctx, a.get(0)?, a.get(1)?, a.get(2)?)?),
                None => None,
            };
            spawn(options, data, argv, limits).map(|id| id as f64).map_err(|e| crate::builtins::throw(&ctx, "Error", &format!("cannot start a worker thread: {e}"), Some("ERR_WORKER_INIT_FAILED")))
        })?,
    )?;
    w.set(
        "terminate",
        Function::new(c(), |id: f64| {
            if let Some(control) = workers(|w| w.get(&(id as u64)).cloned()) {
                control.terminate();
            }
        })?,
    )?;
    // outOfMemory(): whether this worker's heap limit is (all but) reached; if so the limit
    // is lifted, so that the worker can report it before it ends.
    w.set(
        "outOfMemory",
        Function::new(c(), |ctx: Ctx<'js>| {
            let limit = HEAP_LIMIT.with(Cell::get);
            // SAFETY: the live runtime of this context; `usage` is written by QuickJS.
            unsafe {
                let rt = qjs::JS_GetRuntime(ctx.as_raw().as_ptr());
                let mut usage: qjs::JSMemoryUsage = std::mem::zeroed();
                qjs::JS_ComputeMemoryUsage(rt, &mut usage);
                let reached = limit > 0 && usage.malloc_size as f64 >= limit as f64 * 0.9;
                if reached {
                    // 0 is QuickJS's "no limit".
                    qjs::JS_SetMemoryLimit(rt, 0);
                }
                reached
            }
        })?,
    )?;
    w.set(
        "reportError",
        Function::new(c(), |ctx: Ctx<'js>, wire: Value<'js>, kinds: Vec<u32>, payloads: Vec<Value<'js>>| -> rquickjs::Result<()> {
            report_error(super::message_of(&ctx, wire, kinds, payloads)?);
            Ok(())
        })?,
    )?;
    Ok(())
}
