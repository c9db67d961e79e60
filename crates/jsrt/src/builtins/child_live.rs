//! Children started by `child_process.spawn` (and so `exec`/`execFile`): running while JS reads
//! their stdout and stderr and writes their stdin chunk by chunk, on the JS thread's own tokio
//! runtime (`tokio::process`). The natives under `ChildProcess`'s streams in
//! `js/child_process.js`; the `*Sync` forms stay in `child_process.rs`.
//!
//! A child is an entry of [`CHILDREN`] holding its pipes; a read or write takes its pipe out of
//! the entry for as long as it runs (JS never has two reads of one pipe, or two writes, at
//! once) and puts it back. The exit is a promise settled by a task that owns the process.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::cell::RefCell;

use rquickjs::{Ctx, Function, Object, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::process::{ChildStderr, ChildStdin, ChildStdout};

use super::child_process::{command_of, errno_name, spec_from};
use crate::event_loop;

/// The pipes of a running child (each `None` when not piped, closed, or in use).
#[derive(Default)]
struct Pipes {
    stdin: Option<ChildStdin>,
    stdout: Option<ChildStdout>,
    stderr: Option<ChildStderr>,
}

thread_local! {
    /// Live children of this JS thread by id. Thread-local: the reads and writes run as tasks
    /// on the thread's own (current-thread) runtime, and a worker's children's pipes go with
    /// the worker.
    static CHILDREN: RefCell<HashMap<u64, Pipes>> = RefCell::new(HashMap::new());
}
static NEXT: AtomicU64 = AtomicU64::new(1);

fn children<T>(f: impl FnOnce(&mut HashMap<u64, Pipes>) -> T) -> T {
    CHILDREN.with(|c| f(&mut c.borrow_mut()))
}

/// The most one read hands to JS.
const READ_CHUNK: usize = 64 * 1024;

/// `spawn(file, args, options, keepAlive)` -> `{ id, pid, exit, exitOp }` (exit: a promise of
/// `[status, signal]`; exitOp: its id for `setKeepAlive`), or `{ errorCode, errno }` when the
/// program could not start.
fn spawn<'js>(ctx: Ctx<'js>, file: String, args: Vec<String>, opts: Object<'js>, keep_alive: bool) -> rquickjs::Result<Object<'js>> {
    let spec = spec_from(file, args, &opts)?;
    let out = Object::new(ctx.clone())?;
    let mut child = match tokio::process::Command::from(command_of(&spec)).kill_on_drop(false).spawn() {
        Ok(c) => c,
        Err(e) => {
            let (code, errno) = errno_name(&e);
            out.set("errorCode", code)?;
            out.set("errno", errno)?;
            return Ok(out);
        }
    };
    let id = NEXT.fetch_add(1, Ordering::Relaxed);
    let pipes = Pipes { stdin: child.stdin.take(), stdout: child.stdout.take(), stderr: child.stderr.take() };
    children(|c| c.insert(id, pipes));
    let (exit, completer) = event_loop::pending(&ctx, keep_alive)?;
    out.set("id", id as f64)?;
    out.set("pid", child.id().unwrap_or(0))?;
    out.set("exitOp", completer.id() as f64)?;
    out.set("exit", exit)?;
    tokio::spawn(async move {
        use std::os::unix::process::ExitStatusExt;
        let status = child.wait().await;
        completer.settle(Box::new(move |ctx: &Ctx<'_>| {
            let (code, signal) = status.map_or((None, None), |s| (s.code(), s.signal()));
            let a = rquickjs::Array::new(ctx.clone())?;
            a.set(0, code)?;
            a.set(1, signal)?;
            Ok(a.into_value())
        }));
    });
    Ok(out)
}

/// `read(id, fd, keepAlive)` -> a promise of the next chunk of the child's stdout (1) or stderr
/// (2) as a Uint8Array, or null at its end.
fn read<'js>(ctx: Ctx<'js>, id: f64, fd: u8, keep_alive: bool) -> rquickjs::Result<Value<'js>> {
    let (promise, completer) = event_loop::pending(&ctx, keep_alive)?;
    let id = id as u64;
    let pipe = children(|c| c.get_mut(&id).map(|p| if fd == 1 { p.stdout.take().map(Ok) } else { p.stderr.take().map(Err) }));
    let Some(Some(mut pipe)) = pipe else {
        completer.settle(Box::new(|ctx: &Ctx<'_>| Ok(Value::new_null(ctx.clone()))));
        return Ok(promise.into_value());
    };
    tokio::spawn(async move {
        let mut buf = vec![0u8; READ_CHUNK];
        let n = match &mut pipe {
            Ok(out) => out.read(&mut buf).await,
            Err(err) => err.read(&mut buf).await,
        }
        .unwrap_or(0);
        buf.truncate(n);
        // Put the pipe back for the next read (unless at its end: it is dropped, closed).
        if n > 0 {
            children(|c| {
                if let Some(p) = c.get_mut(&id) {
                    match pipe {
                        Ok(out) => p.stdout = Some(out),
                        Err(err) => p.stderr = Some(err),
                    }
                }
            });
        }
        completer.settle(Box::new(move |ctx: &Ctx<'_>| {
            if buf.is_empty() {
                return Ok(Value::new_null(ctx.clone()));
            }
            super::bytes::uint8array(ctx, buf)
        }));
    });
    Ok(promise.into_value())
}

/// `write(id, bytes)` -> a promise settled when the bytes are in the child's stdin pipe;
/// rejected with Node's `EPIPE` error if the child closed it.
fn write<'js>(ctx: Ctx<'js>, id: f64, bytes: Value<'js>) -> rquickjs::Result<Value<'js>> {
    let data = super::bytes::ByteView::of(&bytes).map(|v| v.to_vec()).unwrap_or_default();
    let (promise, completer) = event_loop::pending(&ctx, true)?;
    let id = id as u64;
    let pipe = children(|c| c.get_mut(&id).and_then(|p| p.stdin.take()));
    tokio::spawn(async move {
        let result = match pipe {
            Some(mut stdin) => {
                let r = stdin.write_all(&data).await;
                children(|c| {
                    if let Some(p) = c.get_mut(&id) {
                        p.stdin = Some(stdin);
                    }
                });
                r
            }
            None => Err(std::io::Error::from(std::io::ErrorKind::BrokenPipe)),
        };
        completer.settle(Box::new(move |ctx: &Ctx<'_>| match result {
            Ok(()) => Ok(Value::new_undefined(ctx.clone())),
            Err(_) => {
                let err = super::make_error(ctx, "Error", "write EPIPE", Some("EPIPE"))?;
                if let Some(o) = err.as_object() {
                    o.set("errno", -libc::EPIPE)?;
                    o.set("syscall", "write")?;
                }
                Err(ctx.throw(err))
            }
        }));
    });
    Ok(promise.into_value())
}

pub fn install<'js>(ctx: &Ctx<'js>, cp: &Object<'js>) -> rquickjs::Result<()> {
    cp.set("spawn", Function::new(ctx.clone(), spawn)?)?;
    cp.set("read", Function::new(ctx.clone(), read)?)?;
    cp.set("write", Function::new(ctx.clone(), write)?)?;
    // closeStdin(id): the child sees the end of its input.
    cp.set("closeStdin", Function::new(ctx.clone(), |id: f64| children(|c| c.get_mut(&(id as u64)).map(|p| p.stdin = None)).is_some())?)?;
    // release(id): the child's pipes go (its exit and its streams have ended).
    cp.set("release", Function::new(ctx.clone(), |id: f64| children(|c| c.remove(&(id as u64))).is_some())?)?;
    // setKeepAlive(op, keep): whether the loop waits for a pending exit or read.
    cp.set("setKeepAlive", Function::new(ctx.clone(), |op: f64, keep: bool| event_loop::set_keep_alive(op as u64, keep))?)?;
    Ok(())
}
