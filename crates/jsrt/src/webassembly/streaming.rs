//! Natives of `WebAssembly.compileStreaming`/`instantiateStreaming`: a module compiled while
//! its bytes arrive. Each compilation has a thread of its own that validates every chunk as it
//! comes (`jsrt_wasm::scan::Streamed`) and, after the last one, loads the module; the JS half
//! (`namespace.js`) reads the response's body and hands each chunk over without waiting.

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::mpsc::{channel, Sender};

use rquickjs::{Ctx, Function, Object, Value};

use crate::builtins::bytes::ByteView;
use crate::event_loop;

/// What the JS thread sends a compilation's thread.
enum Message {
    Chunk(Vec<u8>),
    /// The last chunk has come: load the module and settle the promise.
    End(event_loop::Completer, String),
}

thread_local! {
    /// Compilations of this JS thread still receiving bytes, by id.
    static STREAMS: RefCell<HashMap<u64, Sender<Message>>> = RefCell::new(HashMap::new());
    static NEXT: std::cell::Cell<u64> = const { std::cell::Cell::new(1) };
}

/// `streamBegin()` -> `[id, failed]`: a new compilation, and a promise settled with why the
/// bytes so far are invalid as soon as that is known (so the body need not be read to its
/// end), or with null when the compilation ends without that.
fn begin<'js>(ctx: Ctx<'js>) -> rquickjs::Result<rquickjs::Array<'js>> {
    let (tx, rx) = channel::<Message>();
    let (failed, failure) = event_loop::pending(&ctx, false)?;
    std::thread::Builder::new()
        .name("jsrt-wasm-stream".into())
        .spawn(move || compile(rx, failure))
        .map_err(|e| crate::builtins::throw(&ctx, "RangeError", &format!("WebAssembly.compileStreaming(): cannot start a thread: {e}"), None))?;
    let id = NEXT.with(|n| n.replace(n.get() + 1));
    STREAMS.with(|s| s.borrow_mut().insert(id, tx));
    let out = rquickjs::Array::new(ctx.clone())?;
    out.set(0, id as f64)?;
    out.set(1, failed)?;
    Ok(out)
}

/// A compilation's thread: validates each chunk as it comes, loads the module at the end. A
/// dropped sender (the body failed, or the JS thread ended) ends it.
fn compile(rx: std::sync::mpsc::Receiver<Message>, failure: event_loop::Completer) {
    let mut streamed = jsrt_wasm::scan::Streamed::default();
    let mut failure = Some(failure);
    let report = |failure: &mut Option<event_loop::Completer>, why: Option<String>| {
        if let Some(f) = failure.take() {
            f.settle(Box::new(move |ctx: &Ctx<'_>| match why {
                Some(m) => rquickjs::String::from_str(ctx.clone(), &m).map(|s| s.into_value()),
                None => Ok(Value::new_null(ctx.clone())),
            }));
        }
    };
    while let Ok(message) = rx.recv() {
        match message {
            Message::Chunk(bytes) => {
                streamed.push(&bytes);
                if let Some(why) = streamed.failed() {
                    report(&mut failure, Some(why.to_string()));
                }
            }
            Message::End(completer, what) => {
                report(&mut failure, None);
                completer.settle(super::module::compiled(jsrt_wasm::Module::from_stream(streamed), what));
                return;
            }
        }
    }
    report(&mut failure, None);
}

/// `streamPush(id, bytes)`: the next chunk (copied; the JS thread does not wait).
fn push(ctx: Ctx<'_>, id: f64, chunk: Value<'_>) -> rquickjs::Result<()> {
    let bytes = ByteView::of(&chunk).map(|v| v.to_vec()).ok_or_else(|| crate::builtins::throw(&ctx, "TypeError", "a response chunk must be bytes", None))?;
    STREAMS.with(|s| {
        if let Some(tx) = s.borrow().get(&(id as u64)) {
            let _ = tx.send(Message::Chunk(bytes));
        }
    });
    Ok(())
}

/// `streamFinish(id, what)` -> a promise of the module handle (or its CompileError).
fn finish<'js>(ctx: Ctx<'js>, id: f64, what: String) -> rquickjs::Result<Value<'js>> {
    let (promise, completer) = event_loop::pending(&ctx, true)?;
    match STREAMS.with(|s| s.borrow_mut().remove(&(id as u64))) {
        Some(tx) => {
            let _ = tx.send(Message::End(completer, what));
        }
        None => completer.settle(Box::new(|ctx: &Ctx<'_>| Err(crate::builtins::throw(ctx, "TypeError", "no such streaming compilation", None)))),
    }
    Ok(promise.into_value())
}

pub fn install<'js>(ctx: &Ctx<'js>, wasm: &Object<'js>) -> rquickjs::Result<()> {
    wasm.set("streamBegin", Function::new(ctx.clone(), begin)?)?;
    wasm.set("streamPush", Function::new(ctx.clone(), push)?)?;
    wasm.set("streamFinish", Function::new(ctx.clone(), finish)?)?;
    // streamAbort(id): the body failed; the compilation's thread ends.
    wasm.set("streamAbort", Function::new(ctx.clone(), |id: f64| STREAMS.with(|s| s.borrow_mut().remove(&(id as u64)).is_some()))?)?;
    Ok(())
}
