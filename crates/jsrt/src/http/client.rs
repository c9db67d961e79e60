//! The HTTP client: a request starts on the network runtime and settles a promise with the
//! response head; its body is then read chunk by chunk on demand (`read`), so a large body
//! is never held twice and reading can stop early. `cancel` aborts a request or a body read in
//! flight (an `AbortSignal`).
//!
//! Invariants: every promise made here is settled once or dropped — settled by the network
//! task, or dropped by `cancel`, which first takes the task's abort handle out of `IN_FLIGHT`
//! (the task settles only if its handle is still there) — so no aborted request keeps a loop
//! alive.

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, OnceLock};

use rquickjs::{Array, Ctx, Value};

use crate::event_loop::{self, Completer};

/// The runtime network I/O runs on: one thread, made on the first request.
pub(super) fn net() -> &'static tokio::runtime::Runtime {
    static NET: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    NET.get_or_init(|| {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("jsrt-net")
            .enable_all()
            .build()
            .expect("start the network thread")
    })
}

/// The clients: one following redirects (up to 20, as fetch does), one that does not.
fn client(follow: bool) -> Result<&'static reqwest::Client, String> {
    static FOLLOW: OnceLock<Result<reqwest::Client, String>> = OnceLock::new();
    static MANUAL: OnceLock<Result<reqwest::Client, String>> = OnceLock::new();
    let (cell, policy) = if follow { (&FOLLOW, reqwest::redirect::Policy::limited(20)) } else { (&MANUAL, reqwest::redirect::Policy::none()) };
    cell.get_or_init(|| {
        let mut builder = reqwest::Client::builder().redirect(policy);
        for cert in extra_ca_certs() {
            builder = builder.add_root_certificate(cert);
        }
        builder.build().map_err(|e| e.to_string())
    })
    .as_ref()
    .map_err(Clone::clone)
}

/// Certificates trusted besides the web's roots, as in Node: the PEM file named by
/// `NODE_EXTRA_CA_CERTS` (a file that cannot be read is a warning, as in Node).
fn extra_ca_certs() -> Vec<reqwest::Certificate> {
    let Some(path) = std::env::var_os("NODE_EXTRA_CA_CERTS").filter(|p| !p.is_empty()) else { return Vec::new() };
    match std::fs::read(&path).map_err(|e| e.to_string()).and_then(|pem| reqwest::Certificate::from_pem_bundle(&pem).map_err(|e| e.to_string())) {
        Ok(certs) => certs,
        Err(e) => {
            eprintln!("Warning: Ignoring extra certs from `{}`, load failed: {e}", std::path::Path::new(&path).display());
            Vec::new()
        }
    }
}

/// Requests and body reads in flight, by the id of the promise they settle.
static IN_FLIGHT: Mutex<Option<HashMap<u64, tokio::task::AbortHandle>>> = Mutex::new(None);
/// A body JS reads chunk by chunk: a client response's, or a request's that the server got.
pub(super) enum Body {
    Client(reqwest::Response),
    Server(hyper::body::Incoming),
}

impl Body {
    /// The next chunk, or None at the end.
    async fn chunk(&mut self) -> Result<Option<hyper::body::Bytes>, Failure> {
        match self {
            Body::Client(resp) => {
                let url = resp.url().to_string();
                resp.chunk().await.map_err(|e| failure(&e, &url))
            }
            Body::Server(incoming) => loop {
                let frame = std::future::poll_fn(|cx| hyper::body::Body::poll_frame(std::pin::Pin::new(&mut *incoming), cx)).await;
                match frame {
                    None => return Ok(None),
                    Some(Err(e)) => return Err(Failure { message: e.to_string(), system: None }),
                    Some(Ok(f)) => {
                        if let Ok(data) = f.into_data() {
                            return Ok(Some(data));
                        }
                    }
                }
            },
        }
    }
}

/// Bodies JS has not finished reading, by body id.
static BODIES: Mutex<Option<HashMap<u64, Body>>> = Mutex::new(None);
static NEXT_BODY: AtomicU64 = AtomicU64::new(1);

fn in_flight<T>(f: impl FnOnce(&mut HashMap<u64, tokio::task::AbortHandle>) -> T) -> T {
    f(IN_FLIGHT.lock().unwrap_or_else(|e| e.into_inner()).get_or_insert_with(HashMap::new))
}

/// Registers a body; returns its id.
pub(super) fn add_body(body: Body) -> u64 {
    let id = NEXT_BODY.fetch_add(1, Ordering::Relaxed);
    bodies(|b| b.insert(id, body));
    id
}

thread_local! {
    /// The client bodies this JS thread was handed (their ids), dropped from `BODIES` when
    /// the thread ends unread (`teardown`): a worker that ends mid-body leaves nothing behind.
    static HANDED: RefCell<std::collections::HashSet<u64>> = RefCell::new(Default::default());
}

/// Records that this JS thread holds body `id` (until its end, an error or a cancel).
pub(super) fn hand(id: u64) {
    HANDED.with(|h| h.borrow_mut().insert(id));
}

/// `settle`, which ends body `body`: on the JS thread, the body is no longer this thread's.
fn released(body: u64, settle: event_loop::Settle) -> event_loop::Settle {
    Box::new(move |ctx: &Ctx<'_>| {
        HANDED.with(|h| h.borrow_mut().remove(&body));
        settle(ctx)
    })
}

/// Drops the bodies this thread never finished reading.
pub(super) fn teardown() {
    let ids = HANDED.with(|h| std::mem::take(&mut *h.borrow_mut()));
    bodies(|b| ids.iter().for_each(|id| drop(b.remove(id))));
}

fn bodies<T>(f: impl FnOnce(&mut HashMap<u64, Body>) -> T) -> T {
    f(BODIES.lock().unwrap_or_else(|e| e.into_inner()).get_or_insert_with(HashMap::new))
}

/// Runs `work` on the network thread; its outcome settles the promise of `completer` unless
/// the operation was cancelled first.
fn spawn<F>(completer: Completer, work: F)
where
    F: std::future::Future<Output = event_loop::Settle> + Send + 'static,
{
    let id = completer.id();
    let (ready_tx, ready_rx) = std::sync::mpsc::channel::<()>();
    let task = net().spawn(async move {
        let settle = work.await;
        // Wait until the handle is registered, then settle only if nobody cancelled.
        let _ = ready_rx.recv();
        if in_flight(|m| m.remove(&id)).is_some() {
            completer.settle(settle);
        }
    });
    in_flight(|m| m.insert(id, task.abort_handle()));
    let _ = ready_tx.send(());
}

/// A network error as fetch reports it: `TypeError: fetch failed` with the cause: for a system
/// error an `Error` as Node's (`connect ECONNREFUSED 127.0.0.1:8080`, with `code`, `errno`,
/// `syscall`, `address` and `port`), else the error's text.
pub(super) struct Failure {
    message: String,
    system: Option<(&'static str, i32, String, u16)>,
}

fn failure(e: &reqwest::Error, url: &str) -> Failure {
    let mut source: Option<&dyn std::error::Error> = Some(e);
    while let Some(s) = source {
        if let Some(io) = s.downcast_ref::<std::io::Error>() {
            let code = match io.kind() {
                std::io::ErrorKind::ConnectionRefused => Some(("ECONNREFUSED", -111)),
                std::io::ErrorKind::ConnectionReset => Some(("ECONNRESET", -104)),
                std::io::ErrorKind::TimedOut => Some(("ETIMEDOUT", -110)),
                _ => None,
            };
            let parsed = url::Url::parse(url).ok();
            let host = parsed.as_ref().and_then(|u| u.host_str().map(str::to_string)).unwrap_or_default();
            let port = parsed.as_ref().and_then(|u| u.port_or_known_default()).unwrap_or(0);
            return match code {
                Some((code, errno)) => Failure { message: format!("connect {code} {host}:{port}"), system: Some((code, errno, host, port)) },
                None => Failure { message: io.to_string(), system: None },
            };
        }
        source = s.source();
    }
    let mut message = e.to_string();
    let mut cause: Option<&dyn std::error::Error> = std::error::Error::source(e);
    while let Some(c) = cause {
        message = format!("{message}: {c}");
        cause = c.source();
    }
    Failure { message, system: None }
}

fn reject_failed(f: Failure) -> event_loop::Settle {
    Box::new(move |ctx: &Ctx<'_>| {
        let cause = crate::builtins::make_error(ctx, "Error", &f.message, None)?;
        if let (Some(o), Some((code, errno, address, port))) = (cause.as_object(), f.system) {
            o.set("errno", errno)?;
            o.set("code", code)?;
            o.set("syscall", "connect")?;
            o.set("address", address)?;
            o.set("port", port)?;
        }
        let err = crate::builtins::make_error(ctx, "TypeError", "fetch failed", None)?;
        if let Some(o) = err.as_object() {
            o.set("cause", cause)?;
        }
        Err(ctx.throw(err))
    })
}

/// `fetch(method, url, [[name, value]...], body | null, redirect)` -> a promise of
/// `[status, statusText, [[name, value]...], url, redirected, bodyId, opId]`; `redirect` is
/// `follow`, `manual` or `error`.
pub(super) fn fetch<'js>(ctx: &Ctx<'js>, method: String, url: String, headers: Vec<Vec<String>>, body: Value<'js>, redirect: String) -> rquickjs::Result<Value<'js>> {
    let method = reqwest::Method::from_bytes(method.as_bytes()).map_err(|_| crate::builtins::throw(ctx, "TypeError", &format!("'{method}' is not a valid HTTP method."), None))?;
    let body = match crate::builtins::bytes::ByteView::of(&body) {
        Some(v) => Some(v.to_vec()),
        None => None,
    };
    let client = client(redirect == "follow").map_err(|e| crate::builtins::throw(ctx, "TypeError", &format!("fetch failed: {e}"), None))?;
    let mut req = client.request(method, &url);
    for h in headers {
        if let [name, value] = &h[..] {
            req = req.header(name.as_str(), value.as_str());
        }
    }
    if let Some(b) = body {
        req = req.body(b);
    }
    let (promise, completer) = event_loop::pending(ctx, true)?;
    let op = completer.id();
    let requested = url.clone();
    spawn(completer, async move {
        match req.send().await {
            Ok(resp) => head(resp, &requested, redirect == "error"),
            Err(e) => reject_failed(failure(&e, &requested)),
        }
    });
    let pair = Array::new(ctx.clone())?;
    pair.set(0, promise)?;
    pair.set(1, op as f64)?;
    Ok(pair.into_value())
}

/// The response head for JS; the body waits in `BODIES`.
fn head(resp: reqwest::Response, requested: &str, redirect_is_error: bool) -> event_loop::Settle {
    let status = resp.status();
    if redirect_is_error && status.is_redirection() && resp.headers().contains_key(reqwest::header::LOCATION) {
        return reject_failed(Failure { message: "unexpected redirect".into(), system: None });
    }
    let headers: Vec<(String, String)> = resp.headers().iter().map(|(k, v)| (k.as_str().to_string(), String::from_utf8_lossy(v.as_bytes()).into_owned())).collect();
    let url = resp.url().to_string();
    let redirected = url != requested && url.trim_end_matches('/') != requested.trim_end_matches('/');
    // The reason phrase the server sent (hyper keeps a non-canonical one aside).
    let text = match resp.extensions().get::<hyper::ext::ReasonPhrase>() {
        Some(phrase) => String::from_utf8_lossy(phrase.as_bytes()).into_owned(),
        None => status.canonical_reason().unwrap_or("").to_string(),
    };
    let body = add_body(Body::Client(resp));
    Box::new(move |ctx: &Ctx<'_>| {
        let out = Array::new(ctx.clone())?;
        out.set(0, status.as_u16())?;
        out.set(1, text)?;
        let hs = Array::new(ctx.clone())?;
        for (i, (k, v)) in headers.into_iter().enumerate() {
            hs.set(i, vec![k, v])?;
        }
        out.set(2, hs)?;
        out.set(3, url)?;
        out.set(4, redirected)?;
        out.set(5, body as f64)?;
        hand(body);
        Ok(out.into_value())
    })
}

/// What a read at the end of a body gives: null.
fn end_of_body<'js>(ctx: &Ctx<'js>) -> rquickjs::Result<Value<'js>> {
    Ok(Value::new_null(ctx.clone()))
}

/// `read(bodyId)` -> `[promise of the next chunk (a Uint8Array) or null at the end, opId]`.
pub(super) fn read<'js>(ctx: &Ctx<'js>, body: u64) -> rquickjs::Result<Value<'js>> {
    let (promise, completer) = event_loop::pending(ctx, true)?;
    let op = completer.id();
    spawn(completer, async move {
        let Some(mut source) = bodies(|b| b.remove(&body)) else {
            return released(body, Box::new(end_of_body));
        };
        match source.chunk().await {
            Ok(Some(bytes)) => {
                bodies(|b| b.insert(body, source));
                Box::new(move |ctx: &Ctx<'_>| Ok(rquickjs::TypedArray::<u8>::new(ctx.clone(), bytes.to_vec())?.into_value()))
            }
            Ok(None) => released(body, Box::new(end_of_body)),
            Err(f) => released(body, reject_failed(f)),
        }
    });
    let pair = Array::new(ctx.clone())?;
    pair.set(0, promise)?;
    pair.set(1, op as f64)?;
    Ok(pair.into_value())
}

/// `cancel(opId, bodyId)`: aborts the request or read `opId` (its promise is dropped unsettled:
/// JS rejects its own with the signal's reason) and drops body `bodyId` (0: none).
pub(super) fn cancel(op: u64, body: u64) {
    if let Some(task) = in_flight(|m| m.remove(&op)) {
        task.abort();
        event_loop::forget(op);
    }
    if body != 0 {
        HANDED.with(|h| h.borrow_mut().remove(&body));
        drop(bodies(|b| b.remove(&body)));
    }
}
