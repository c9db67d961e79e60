//! Workers: threads that each run their own QuickJS runtime and event loop (`thread.rs`), the
//! message ports between threads (`port.rs`) and the messages they carry (`message.rs`).
//! The JS half is `js/workers.js` (MessagePort, MessageChannel, the web `Worker`,
//! `node:worker_threads`); these are its natives, `native.workers`.

mod message;
mod port;
mod thread;

use rquickjs::{Array, Ctx, Function, Object, Value};

use crate::event_loop::{self, Settle};
pub use message::{Extra, Message};
pub use thread::{adopt_port, end_thread, exit_thread, is_worker};

/// Closes port `id` (its peer hears of it).
pub fn close_port(id: u64) {
    port::close(id, peer_closed);
}

/// The task that hands port `id`'s queued messages to JS (`hooks.portMessage`) on its home
/// thread, one at a time with microtasks run after each, as in Node.
fn deliver(id: u64) -> Settle {
    Box::new(move |ctx: &Ctx<'_>| {
        while let Some(msg) = port::take(id, true) {
            let outcome = message::read(ctx, msg).and_then(|(wire, extras)| event_loop::hook::<_, ()>(ctx, "portMessage", (id as f64, wire, extras)));
            if let Err(e) = outcome {
                let err = event_loop::caught(ctx, e);
                event_loop::fatal(ctx, err);
            }
            event_loop::run_microtasks(ctx);
            if event_loop::stopped() {
                break;
            }
        }
        Ok(Value::new_undefined(ctx.clone()))
    })
}

/// The task that tells JS port `id`'s peer closed (`hooks.portClosed`).
fn peer_closed(id: u64) -> Settle {
    Box::new(move |ctx: &Ctx<'_>| {
        event_loop::hook::<_, ()>(ctx, "portClosed", (id as f64,))?;
        Ok(Value::new_undefined(ctx.clone()))
    })
}

/// The message extras JS names: (kinds, payloads) -> [`Extra`]s. Kind 0: none, 1: a
/// WebAssembly.Module's handle, 2: a shared memory's handle, 3: a port id.
fn extras<'js>(ctx: &Ctx<'js>, kinds: Vec<u32>, payloads: Vec<Value<'js>>) -> rquickjs::Result<Vec<Extra>> {
    let mut out = Vec::with_capacity(kinds.len());
    for (kind, payload) in kinds.into_iter().zip(payloads) {
        out.push(match kind {
            1 => Extra::Module(crate::webassembly::module::handle(ctx, &payload)?),
            2 => {
                let mem = crate::webassembly::memory::handle_of(ctx, &payload)?;
                Extra::Memory(mem.share_across_threads().ok_or_else(|| crate::builtins::throw(ctx, "TypeError", "only a shared WebAssembly.Memory crosses threads", None))?)
            }
            3 => {
                let id = payload.as_number().unwrap_or(0.0) as u64;
                if !port::exists(id) {
                    return Err(crate::builtins::throw_dom(ctx, "DataCloneError", "A MessagePort could not be cloned because it was closed or transferred"));
                }
                port::leave(id);
                thread::disown_port(id);
                Extra::Port(id)
            }
            _ => Extra::None,
        });
    }
    Ok(out)
}

/// Builds the message JS made with `toWire`: (wire, kinds, payloads).
pub fn message_of<'js>(ctx: &Ctx<'js>, wire: Value<'js>, kinds: Vec<u32>, payloads: Vec<Value<'js>>) -> rquickjs::Result<Message> {
    let extras = extras(ctx, kinds, payloads)?;
    message::write(ctx, &wire, extras)
}

/// `[wire, extras]` for `fromWire`.
pub fn message_value<'js>(ctx: &Ctx<'js>, msg: Message) -> rquickjs::Result<Value<'js>> {
    let (wire, extras) = message::read(ctx, msg)?;
    let pair = Array::new(ctx.clone())?;
    pair.set(0, wire)?;
    pair.set(1, extras)?;
    Ok(pair.into_value())
}

/// `native.isMainThread`, and `native.workerNatives()`, which makes the worker natives the
/// first time workers.js asks (rquickjs closures cost start-up time; most programs use no
/// worker).
pub fn install<'js>(ctx: &Ctx<'js>, native: &Object<'js>) -> rquickjs::Result<()> {
    native.set("isMainThread", !is_worker())?;
    crate::builtins::cfunc::define_lazy::<Natives>(ctx, native)
}

struct Natives;

/// The object workers.js calls `W` (`native.isMainThread` says which thread this is).
impl crate::builtins::cfunc::LazyNatives for Natives {
    const NAME: &'static std::ffi::CStr = c"workerNatives";
    fn make<'js>(ctx: &Ctx<'js>) -> rquickjs::Result<Object<'js>> {
        natives(ctx)
    }
}

fn natives<'js>(ctx: &Ctx<'js>) -> rquickjs::Result<Object<'js>> {
    let c = || ctx.clone();
    let w = Object::new(c())?;
    w.set("threadId", thread::thread_id() as f64)?;
    w.set(
        "channel",
        Function::new(c(), || {
            let (a, b) = port::channel();
            thread::adopt_port(a);
            thread::adopt_port(b);
            vec![a as f64, b as f64]
        })?,
    )?;
    w.set(
        "post",
        Function::new(c(), |ctx: Ctx<'js>, id: f64, wire: Value<'js>, kinds: Vec<u32>, payloads: Vec<Value<'js>>| -> rquickjs::Result<()> {
            let msg = message_of(&ctx, wire, kinds, payloads)?;
            port::post(id as u64, msg);
            Ok(())
        })?,
    )?;
    w.set(
        "start",
        Function::new(c(), |id: f64| {
            thread::adopt_port(id as u64);
            port::start(id as u64, port::Home { waker: event_loop::waker(), deliver });
        })?,
    )?;
    // leave(id): the port is about to move to another thread.
    w.set(
        "leave",
        Function::new(c(), |id: f64| {
            port::leave(id as u64);
            thread::disown_port(id as u64);
        })?,
    )?;
    w.set("close", Function::new(c(), |id: f64| close_port(id as u64))?)?;
    w.set(
        "receive",
        Function::new(c(), |ctx: Ctx<'js>, id: f64| -> rquickjs::Result<Value<'js>> {
            match port::take(id as u64, false) {
                Some(msg) => message_value(&ctx, msg),
                None => Ok(Value::new_undefined(ctx.clone())),
            }
        })?,
    )?;
    thread::install(ctx, &w)?;
    Ok(w)
}
