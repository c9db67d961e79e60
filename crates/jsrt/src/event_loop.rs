//! The event loop (libuv's role in the seed design), driven by tokio on the JS thread.
//!
//! JavaScript owns the timer heap and the immediate and next-tick queues (`js/timers.js`);
//! this module owns only what needs the OS: the one wake-up for the earliest timer, work run
//! on tokio's blocking pool that settles a promise back on the JS thread, draining QuickJS's
//! job queue, and unhandled-rejection tracking. The loop exits when no referenced timer,
//! immediate or pending operation remains, like Node.

use std::cell::RefCell;
use std::collections::HashMap;
use std::time::{Duration, Instant};

use rquickjs::{qjs, Ctx, Function, Object, Persistent, Promise, Value};
use tokio::sync::mpsc::{unbounded_channel, UnboundedReceiver, UnboundedSender};

/// Builds the settled value of an operation on the JS thread. `Err` rejects with the
/// exception the closure threw (`ctx.throw(...)` or an `Exception::throw_*`).
pub type Settle = Box<dyn for<'js> FnOnce(&Ctx<'js>) -> rquickjs::Result<Value<'js>> + Send>;

struct PendingOp {
    resolve: Persistent<Function<'static>>,
    reject: Persistent<Function<'static>>,
}

#[derive(Default)]
struct LoopState {
    /// Earliest timer deadline JS asked to be woken for, and whether that timer keeps the
    /// loop alive (an `unref()`ed timer does not).
    timer: Option<(Instant, bool)>,
    immediate_pending: bool,
    next_op: u64,
    ops: HashMap<u64, PendingOp>,
    /// Pending operations the loop does not wait for (a paused stdin's read), a subset of `ops`.
    unrefed_ops: std::collections::HashSet<u64>,
    /// Operations that keep the loop alive without a promise (e.g. a pending stdin read).
    refs: usize,
    tx: Option<UnboundedSender<(u64, Settle)>>,
    rx: Option<UnboundedReceiver<(u64, Settle)>>,
    /// Rejected promises with no handler yet: (promise, reason).
    rejections: Vec<(Persistent<Value<'static>>, Persistent<Value<'static>>)>,
    /// JS hooks returned by the bootstrap (`processTimers`, `fatal`, ...).
    hooks: Option<Persistent<Object<'static>>>,
    start: Option<Instant>,
    /// The loop ends at its next turn, whatever work remains (a worker that is exiting).
    stopped: bool,
}

thread_local! {
    static STATE: RefCell<LoopState> = RefCell::new(LoopState::default());
    /// A flag another thread raises to stop this one (a worker's `terminate()`): as [`stop`].
    static STOP_FLAG: RefCell<Option<std::sync::Arc<std::sync::atomic::AtomicBool>>> = const { RefCell::new(None) };
}

/// Makes `flag`, once raised (from any thread), stop this thread's loop as [`stop`] does.
pub fn set_stop_flag(flag: std::sync::Arc<std::sync::atomic::AtomicBool>) {
    STOP_FLAG.with(|f| *f.borrow_mut() = Some(flag));
}

fn stop_flag_raised() -> bool {
    STOP_FLAG.with(|f| f.borrow().as_ref().is_some_and(|f| f.load(std::sync::atomic::Ordering::SeqCst)))
}

/// Prepares the loop state for this thread; call once before running JS.
pub fn init() {
    STATE.with(|s| {
        let mut s = s.borrow_mut();
        let (tx, rx) = unbounded_channel();
        s.tx = Some(tx);
        s.rx = Some(rx);
        s.start = Some(Instant::now());
    });
}

/// A handle on this thread's loop that other threads use to run work on it ([`Waker::run`]).
#[derive(Clone)]
pub struct Waker(UnboundedSender<(u64, Settle)>);

/// The id of a [`Waker::run`] task: no promise to settle, the closure only runs.
const TASK: u64 = 0;

impl Waker {
    /// Runs `task` on the loop's thread at its next turn (an error it returns is an uncaught
    /// exception there). Tasks do not keep the loop alive; false if the loop is gone.
    pub fn run(&self, task: Settle) -> bool {
        self.0.send((TASK, task)).is_ok()
    }
}

/// This thread's [`Waker`].
pub fn waker() -> Waker {
    Waker(STATE.with(|s| s.borrow().tx.clone()).expect("event loop initialised"))
}

/// Ends the loop at its next turn, and makes hooks refuse to run: the thread is leaving (a
/// worker's `process.exit()` or `terminate()`).
pub fn stop() {
    STATE.with(|s| s.borrow_mut().stopped = true);
}

/// Whether [`stop`] was called on this thread (or its stop flag raised).
pub fn stopped() -> bool {
    if stop_flag_raised() {
        stop();
    }
    STATE.with(|s| s.borrow().stopped)
}

/// Drops every JS value the loop holds (before the thread's JS runtime is freed).
pub fn teardown() {
    let state = STATE.with(|s| std::mem::take(&mut *s.borrow_mut()));
    drop(state);
    STOP_FLAG.with(|f| f.borrow_mut().take());
}

/// The instant `performance.timeOrigin` refers to.
pub fn start_instant() -> Instant {
    STATE.with(|s| s.borrow().start).unwrap_or_else(Instant::now)
}

pub fn set_hooks(hooks: Persistent<Object<'static>>) {
    STATE.with(|s| s.borrow_mut().hooks = Some(hooks));
}

/// Calls the bootstrap hook `name` with `args`.
pub fn hook<'js, A, R>(ctx: &Ctx<'js>, name: &str, args: A) -> rquickjs::Result<R>
where
    A: rquickjs::function::IntoArgs<'js>,
    R: rquickjs::FromJs<'js>,
{
    let hooks = STATE.with(|s| s.borrow().hooks.clone());
    if stopped() {
        return Err(rquickjs::Error::new_from_js("thread", "leaving"));
    }
    let hooks = match hooks {
        Some(h) => h.restore(ctx)?,
        None => return Err(rquickjs::Error::new_from_js("undefined", "hooks")),
    };
    let f: Function = hooks.get(name)?;
    f.call(args)
}

/// Asks to be woken after `delay` (None: no timer pending). `keep_alive` says whether the
/// timer holds the loop open.
pub fn set_timer(delay: Option<Duration>, keep_alive: bool) {
    STATE.with(|s| s.borrow_mut().timer = delay.map(|d| (Instant::now() + d, keep_alive)));
}

pub fn set_immediate_pending(pending: bool) {
    STATE.with(|s| s.borrow_mut().immediate_pending = pending);
}

/// Keeps the loop alive (`+1`) or releases it (`-1`) for work that is not a promise.
pub fn add_ref(delta: isize) {
    STATE.with(|s| {
        let mut s = s.borrow_mut();
        s.refs = s.refs.saturating_add_signed(delta);
    });
}

/// Runs `work` on tokio's blocking pool and returns a promise settled with its result on the
/// JS thread.
pub fn spawn_blocking<'js, W>(ctx: &Ctx<'js>, work: W) -> rquickjs::Result<Promise<'js>>
where
    W: FnOnce() -> Settle + Send + 'static,
{
    spawn_blocking_op(ctx, work).map(|(_, p)| p)
}

/// Whether the loop waits for pending operation `id` (see [`spawn_blocking_op`]).
pub fn set_keep_alive(id: u64, keep_alive: bool) {
    STATE.with(|s| {
        let mut s = s.borrow_mut();
        if keep_alive {
            s.unrefed_ops.remove(&id);
        } else if s.ops.contains_key(&id) {
            s.unrefed_ops.insert(id);
        }
    });
}

/// [`spawn_blocking`], also giving the operation's id for [`set_keep_alive`].
pub fn spawn_blocking_op<'js, W>(ctx: &Ctx<'js>, work: W) -> rquickjs::Result<(u64, Promise<'js>)>
where
    W: FnOnce() -> Settle + Send + 'static,
{
    let (promise, resolve, reject) = ctx.promise()?;
    let (id, tx) = STATE.with(|s| {
        let mut s = s.borrow_mut();
        s.next_op += 1;
        let id = s.next_op;
        s.ops.insert(
            id,
            PendingOp {
                resolve: Persistent::save(ctx, resolve),
                reject: Persistent::save(ctx, reject),
            },
        );
        (id, s.tx.clone().expect("event loop initialised"))
    });
    tokio::task::spawn_blocking(move || {
        let settle = work();
        // The receiver lives as long as the loop; a send after exit has nowhere to go.
        let _ = tx.send((id, settle));
    });
    Ok((id, promise))
}

/// Settles a promise made by [`pending`], from any thread.
pub struct Completer {
    id: u64,
    tx: UnboundedSender<(u64, Settle)>,
}

impl Completer {
    /// The pending operation's id (for [`settle_now`]).
    pub fn id(&self) -> u64 {
        self.id
    }

    /// Settles the promise on its JS thread (nothing happens if it was settled already or the
    /// loop is gone).
    pub fn settle(self, settle: Settle) {
        let _ = self.tx.send((self.id, settle));
    }
}

/// A promise that something other than the blocking pool settles, from any thread, through
/// the [`Completer`]; with `keep_alive` false the loop does not wait for it.
pub fn pending<'js>(ctx: &Ctx<'js>, keep_alive: bool) -> rquickjs::Result<(Promise<'js>, Completer)> {
    let (promise, resolve, reject) = ctx.promise()?;
    let (id, tx) = STATE.with(|s| {
        let mut s = s.borrow_mut();
        s.next_op += 1;
        let id = s.next_op;
        s.ops.insert(id, PendingOp { resolve: Persistent::save(ctx, resolve), reject: Persistent::save(ctx, reject) });
        if !keep_alive {
            s.unrefed_ops.insert(id);
        }
        (id, s.tx.clone().expect("event loop initialised"))
    });
    Ok((promise, Completer { id, tx }))
}

/// Drops pending operation `id` unsettled (its promise was never handed out).
pub fn forget(id: u64) {
    STATE.with(|s| {
        let mut s = s.borrow_mut();
        s.unrefed_ops.remove(&id);
        s.ops.remove(&id);
    });
}

/// Settles pending operation `id` at once (on its JS thread), if it is still pending.
pub fn settle_now(ctx: &Ctx<'_>, id: u64, settle: Settle) {
    complete(ctx, id, settle);
}

/// Records QuickJS's promise rejection tracker events.
pub fn track_rejection<'js>(ctx: &Ctx<'js>, promise: Value<'js>, reason: Value<'js>, handled: bool) {
    STATE.with(|s| {
        let mut s = s.borrow_mut();
        if handled {
            s.rejections.retain(|(p, _)| match p.clone().restore(ctx) {
                Ok(v) => v != promise,
                Err(_) => true,
            });
        } else {
            s.rejections.push((Persistent::save(ctx, promise), Persistent::save(ctx, reason)));
        }
    });
}

/// Runs QuickJS's pending jobs (promise reactions) until the queue is empty.
pub fn drain_jobs(ctx: &Ctx<'_>) {
    loop {
        let mut job_ctx = std::ptr::null_mut();
        // SAFETY: `ctx` is a live context of the runtime we are running on, on its own thread
        // and inside its lock (we are called from JS or from `Context::with`); QuickJS's job
        // queue may be run re-entrantly from a native call.
        let r = unsafe {
            qjs::JS_ExecutePendingJob(qjs::JS_GetRuntime(ctx.as_raw().as_ptr()), &mut job_ctx)
        };
        if r == 0 {
            break;
        }
        if r < 0 {
            // A job threw (an out-of-memory or interrupt): report it like an uncaught error.
            let err = ctx.catch();
            fatal(ctx, err);
        }
    }
}

/// Runs next-ticks and microtasks to completion (JS drives both queues).
pub fn run_microtasks(ctx: &Ctx<'_>) {
    if let Err(e) = hook::<_, ()>(ctx, "runMicrotasks", ()) {
        let err = caught(ctx, e);
        fatal(ctx, err);
    }
}

/// Turns an rquickjs error into the JS value that was thrown.
pub fn caught<'js>(ctx: &Ctx<'js>, e: rquickjs::Error) -> Value<'js> {
    match e {
        rquickjs::Error::Exception => ctx.catch(),
        other => {
            let msg = other.to_string();
            rquickjs::String::from_str(ctx.clone(), &msg)
                .map(|s| s.into_value())
                .unwrap_or_else(|_| Value::new_undefined(ctx.clone()))
        }
    }
}

/// An uncaught exception: hands it to JS (`process.on('uncaughtException')` or print and
/// exit 1). Only returns when a listener handled it.
pub fn fatal<'js>(ctx: &Ctx<'js>, err: Value<'js>) {
    if stopped() {
        // A leaving worker's last exception (its uncatchable exit) is no error.
        return;
    }
    if let Err(e) = hook::<_, ()>(ctx, "fatal", (err.clone(),)) {
        if stopped() {
            // The handler ended the worker it runs in (`process.exit`).
            return;
        }
        // The JS handler itself failed (or bootstrap never ran): print what we can, and end
        // the thread (a worker's) or the process.
        let inner = caught(ctx, e);
        crate::runtime::print_fatal_fallback(ctx, &err);
        crate::runtime::print_fatal_fallback(ctx, &inner);
        if !crate::workers::end_thread(1) {
            crate::runtime::exit(1);
        }
    }
}

/// Reports rejections still unhandled after the microtask queue drained.
fn check_rejections(ctx: &Ctx<'_>) {
    loop {
        let pending = STATE.with(|s| std::mem::take(&mut s.borrow_mut().rejections));
        if pending.is_empty() {
            return;
        }
        for (promise, reason) in pending {
            let (Ok(promise), Ok(reason)) = (promise.restore(ctx), reason.restore(ctx)) else {
                continue;
            };
            if let Err(e) = hook::<_, ()>(ctx, "unhandledRejection", (reason, promise)) {
                let err = caught(ctx, e);
                fatal(ctx, err);
            }
        }
        run_microtasks(ctx);
    }
}

enum Wake {
    Timer,
    Op(u64, Settle),
}

fn alive() -> bool {
    STATE.with(|s| {
        let s = s.borrow();
        !s.stopped
            && s.immediate_pending
            || s.ops.len() > s.unrefed_ops.len()
            || s.refs > 0
            || matches!(s.timer, Some((_, true)))
    })
}

/// Runs the loop until no work remains. With `before_exit`, emits `process`'s 'beforeExit'
/// when idle (which may schedule more work), as Node does at the end of a program.
pub async fn run(context: &rquickjs::Context, before_exit: bool) {
    context.with(|ctx| {
        run_microtasks(&ctx);
        check_rejections(&ctx);
    });
    let mut rx = STATE.with(|s| s.borrow_mut().rx.take()).expect("event loop initialised");
    loop {
        if stopped() {
            break;
        }
        // An operation settled already (an unreferenced one too: a notified `waitAsync`) is
        // delivered before the loop may end.
        if !alive() {
            if let Ok((id, settle)) = rx.try_recv() {
                context.with(|ctx| {
                    complete(&ctx, id, settle);
                    run_microtasks(&ctx);
                    check_rejections(&ctx);
                });
                continue;
            }
        }
        if !alive() && !before_exit {
            break;
        }
        if !alive() {
            // 'beforeExit' may schedule more work, as in Node.
            context.with(|ctx| {
                if let Err(e) = hook::<_, ()>(&ctx, "beforeExit", ()) {
                    let err = caught(&ctx, e);
                    fatal(&ctx, err);
                }
                run_microtasks(&ctx);
                check_rejections(&ctx);
            });
            if !alive() {
                break;
            }
        }
        let immediate = STATE.with(|s| s.borrow().immediate_pending);
        if immediate {
            // Poll without blocking so timers and completions interleave with immediates.
            let ready = match rx.try_recv() {
                Ok((id, settle)) => Some(Wake::Op(id, settle)),
                Err(_) => None,
            };
            context.with(|ctx| {
                if let Some(Wake::Op(id, settle)) = ready {
                    complete(&ctx, id, settle);
                }
                run_timers_if_due(&ctx);
                if let Err(e) = hook::<_, ()>(&ctx, "processImmediates", ()) {
                    let err = caught(&ctx, e);
                    fatal(&ctx, err);
                }
                run_microtasks(&ctx);
                check_rejections(&ctx);
            });
            continue;
        }
        let timer = STATE.with(|s| s.borrow().timer);
        // Output written without a newline (a prompt) leaves Rust's line buffer before the
        // loop waits, so a reader at the other end of a pipe sees it now, as with Node.
        let _ = std::io::Write::flush(&mut std::io::stdout());
        crate::profiler::set_idle(true);
        let wake = match timer {
            Some((deadline, _)) => {
                tokio::select! {
                    biased;
                    m = rx.recv() => m.map(|(id, s)| Wake::Op(id, s)),
                    _ = tokio::time::sleep_until(deadline.into()) => Some(Wake::Timer),
                }
            }
            None => rx.recv().await.map(|(id, s)| Wake::Op(id, s)),
        };
        crate::profiler::set_idle(false);
        context.with(|ctx| {
            match wake {
                Some(Wake::Op(id, settle)) => complete(&ctx, id, settle),
                Some(Wake::Timer) | None => {}
            }
            run_timers_if_due(&ctx);
            run_microtasks(&ctx);
            check_rejections(&ctx);
        });
    }
    STATE.with(|s| s.borrow_mut().rx = Some(rx));
}

fn run_timers_if_due(ctx: &Ctx<'_>) {
    let due = STATE.with(|s| matches!(s.borrow().timer, Some((d, _)) if d <= Instant::now()));
    if due {
        if let Err(e) = hook::<_, ()>(ctx, "processTimers", ()) {
            let err = caught(ctx, e);
            fatal(ctx, err);
        }
    }
}

fn complete(ctx: &Ctx<'_>, id: u64, settle: Settle) {
    if id == TASK {
        if let Err(e) = settle(ctx) {
            let err = caught(ctx, e);
            fatal(ctx, err);
        }
        return;
    }
    let Some(op) = STATE.with(|s| {
        let mut s = s.borrow_mut();
        s.unrefed_ops.remove(&id);
        s.ops.remove(&id)
    }) else {
        return;
    };
    let outcome = settle(ctx);
    let result = match outcome {
        Ok(v) => op.resolve.restore(ctx).and_then(|f| f.call::<_, ()>((v,))),
        Err(e) => {
            let err = caught(ctx, e);
            op.reject.restore(ctx).and_then(|f| f.call::<_, ()>((err,)))
        }
    };
    if let Err(e) = result {
        let err = caught(ctx, e);
        fatal(ctx, err);
    }
}
