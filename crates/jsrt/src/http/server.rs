//! The HTTP/1.1 server behind `node:http`'s `createServer`: hyper accepts connections and
//! parses requests on the tokio runtime of the JS thread that listens (so a request reaches
//! JS, and its response leaves, without a thread hop: the thread's loop polls the connections
//! whenever it waits); each request goes to JS as `hooks.httpRequest`, its body read on demand
//! like a client response's, and JS answers with a head and then body chunks sent through a
//! channel (chunked, or with the length JS set; `end` before any write gives a
//! `content-length`, as Node does).
//!
//! Invariants: a request's entry in `EXCHANGES` lives from its arrival until JS ends the
//! response (or the connection goes); hyper waits for the head on a oneshot channel that is
//! answered exactly once (a request JS never answers gets a 500 when its exchange is dropped
//! at the server's close or the thread's end).

use std::cell::RefCell;
use std::collections::HashMap;
use std::convert::Infallible;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use hyper::body::{Bytes, Frame, Incoming};
use rquickjs::{Array, Ctx, Value};
use tokio::sync::{mpsc, oneshot};
use tokio_rustls::rustls;

use super::client;
use crate::event_loop::{self, Waker};

/// A response body: the chunks JS writes, until it ends (the sender is dropped).
struct ChannelBody(mpsc::UnboundedReceiver<Bytes>);

impl hyper::body::Body for ChannelBody {
    type Data = Bytes;
    type Error = Infallible;
    fn poll_frame(mut self: std::pin::Pin<&mut Self>, cx: &mut std::task::Context<'_>) -> std::task::Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        self.0.poll_recv(cx).map(|chunk| chunk.map(|b| Ok(Frame::data(b))))
    }
}

/// What JS answers a request with: status, headers, and where the body's chunks come from.
struct Head {
    status: u16,
    /// A reason phrase other than the status's own (`res.statusMessage`).
    reason: Option<String>,
    headers: Vec<(String, String)>,
    body: mpsc::UnboundedReceiver<Bytes>,
}

/// One request in progress.
struct Exchange {
    /// Taken when JS sends the head.
    head: Option<oneshot::Sender<Head>>,
    /// The body's chunks, once the head is sent; dropped at the end.
    body: Option<mpsc::UnboundedSender<Bytes>>,
}

thread_local! {
    /// Requests in progress of this thread's servers. Thread-local: hyper's tasks run on the
    /// listening thread's own runtime, and JS answers on that thread; a worker's go with it.
    static EXCHANGES: RefCell<HashMap<u64, Exchange>> = RefCell::new(HashMap::new());
    /// This thread's listening servers: id -> the accept loop's abort handle.
    static SERVERS: RefCell<HashMap<u64, tokio::task::AbortHandle>> = RefCell::new(HashMap::new());
}
static NEXT: AtomicU64 = AtomicU64::new(1);

fn exchanges<T>(f: impl FnOnce(&mut HashMap<u64, Exchange>) -> T) -> T {
    EXCHANGES.with(|x| f(&mut x.borrow_mut()))
}

fn servers<T>(f: impl FnOnce(&mut HashMap<u64, tokio::task::AbortHandle>) -> T) -> T {
    SERVERS.with(|x| f(&mut x.borrow_mut()))
}

/// `listen(host, port)` -> a promise of `[serverId, address, port, family]`; an address in
/// use (or any bind error) rejects with Node's error (`EADDRINUSE`, ...).
pub fn listen<'js>(ctx: &Ctx<'js>, host: String, port: u16, tls: Option<u64>) -> rquickjs::Result<Value<'js>> {
    let (promise, completer) = event_loop::pending(ctx, true)?;
    let tls = tls.and_then(|id| tls_configs(|t| t.remove(&id))).map(tokio_rustls::TlsAcceptor::from);
    let waker = event_loop::waker();
    let id = NEXT.fetch_add(1, Ordering::Relaxed);
    // On this thread's own runtime: requests reach JS and responses leave without a thread
    // hop (the JS thread's loop polls the connections whenever it waits).
    tokio::spawn(async move {
        let bound = tokio::net::TcpListener::bind((host.as_str(), port)).await;
        let listener = match bound {
            Ok(l) => l,
            Err(e) => {
                completer.settle(bind_error(e, host, port));
                return;
            }
        };
        let local = listener.local_addr().ok();
        let accept = tokio::spawn(accept_loop(listener, id, waker, tls));
        servers(|s| s.insert(id, accept.abort_handle()));
        completer.settle(Box::new(move |ctx: &Ctx<'_>| {
            let out = Array::new(ctx.clone())?;
            out.set(0, id as f64)?;
            out.set(1, local.map(|a| a.ip().to_string()).unwrap_or_default())?;
            out.set(2, local.map_or(0, |a| a.port()))?;
            out.set(3, if local.is_some_and(|a| a.is_ipv6()) { "IPv6" } else { "IPv4" })?;
            Ok(out.into_value())
        }));
    });
    Ok(promise.into_value())
}

/// Node's error for a failed `listen`: `listen EADDRINUSE: address already in use HOST:PORT`.
fn bind_error(e: std::io::Error, host: String, port: u16) -> event_loop::Settle {
    let (code, what) = match e.kind() {
        std::io::ErrorKind::AddrInUse => ("EADDRINUSE", "address already in use"),
        std::io::ErrorKind::AddrNotAvailable => ("EADDRNOTAVAIL", "address not available"),
        std::io::ErrorKind::PermissionDenied => ("EACCES", "permission denied"),
        _ => ("EINVAL", "invalid argument"),
    };
    Box::new(move |ctx: &Ctx<'_>| {
        let err = crate::builtins::make_error(ctx, "Error", &format!("listen {code}: {what} {host}:{port}"), Some(code))?;
        if let Some(o) = err.as_object() {
            o.set("syscall", "listen")?;
            o.set("address", host)?;
            o.set("port", port)?;
        }
        Err(ctx.throw(err))
    })
}

async fn accept_loop(listener: tokio::net::TcpListener, server: u64, waker: Waker, tls: Option<tokio_rustls::TlsAcceptor>) {
    loop {
        let Ok((stream, remote)) = listener.accept().await else { continue };
        let waker = waker.clone();
        let tls = tls.clone();
        tokio::spawn(async move {
            match tls {
                // A failed handshake (a client that does not trust the certificate) ends the
                // connection; the server goes on.
                Some(acceptor) => {
                    if let Ok(stream) = acceptor.accept(stream).await {
                        serve(stream, server, remote, waker).await;
                    }
                }
                None => serve(stream, server, remote, waker).await,
            }
        });
    }
}

/// HTTP/1.1 (keep-alive) on one connection, plain or TLS.
async fn serve<S>(stream: S, server: u64, remote: std::net::SocketAddr, waker: Waker)
where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
{
    let io = hyper_util::rt::TokioIo::new(stream);
    let service = hyper::service::service_fn(move |req| handle(req, server, remote, waker.clone()));
    let _ = hyper::server::conn::http1::Builder::new().keep_alive(true).serve_connection(io, service).await;
}

/// TLS settings made by `createServer` of node:https (`tls_config`), by id, until their
/// server listens.
static TLS_CONFIGS: Mutex<Option<HashMap<u64, Arc<rustls::ServerConfig>>>> = Mutex::new(None);

fn tls_configs<T>(f: impl FnOnce(&mut HashMap<u64, Arc<rustls::ServerConfig>>) -> T) -> T {
    f(TLS_CONFIGS.lock().unwrap_or_else(|e| e.into_inner()).get_or_insert_with(HashMap::new))
}

/// `tlsConfig(certPem, keyPem)` -> an id for `listen`: the certificate chain and private key
/// of an https server (PEM, as Node's `cert` and `key` options). Err: why they do not do.
pub fn tls_config(cert: &str, key: &str) -> Result<u64, String> {
    use rustls::pki_types::pem::PemObject;
    use rustls::pki_types::{CertificateDer, PrivateKeyDer};
    let chain: Vec<CertificateDer<'static>> = CertificateDer::pem_slice_iter(cert.as_bytes()).collect::<Result<_, _>>().map_err(|e| format!("options.cert: {e:?}"))?;
    if chain.is_empty() {
        return Err("options.cert: no certificate in PEM".into());
    }
    let key = PrivateKeyDer::from_pem_slice(key.as_bytes()).map_err(|e| format!("options.key: no private key in PEM ({e:?})"))?;
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| e.to_string())?
        .with_no_client_auth()
        .with_single_cert(chain, key)
        .map_err(|e| format!("the key does not match the certificate, or is not usable: {e}"))?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    let id = NEXT.fetch_add(1, Ordering::Relaxed);
    tls_configs(|t| t.insert(id, Arc::new(config)));
    Ok(id)
}

/// One request: handed to JS, answered when JS sends the head.
async fn handle(req: hyper::Request<Incoming>, server: u64, remote: std::net::SocketAddr, waker: Waker) -> Result<hyper::Response<ChannelBody>, Infallible> {
    let id = NEXT.fetch_add(1, Ordering::Relaxed);
    let (head_tx, head_rx) = oneshot::channel();
    exchanges(|x| x.insert(id, Exchange { head: Some(head_tx), body: None }));
    let method = req.method().to_string();
    let url = req.uri().path_and_query().map_or_else(|| req.uri().to_string(), |p| p.to_string());
    let version = match req.version() {
        hyper::Version::HTTP_10 => "1.0",
        _ => "1.1",
    };
    let headers: Vec<(String, String)> = req.headers().iter().map(|(k, v)| (k.as_str().to_string(), String::from_utf8_lossy(v.as_bytes()).into_owned())).collect();
    let body = client::add_body(client::Body::Server(req.into_body()));
    client::hand(body);
    let delivered = waker.run(Box::new(move |ctx: &Ctx<'_>| {
        let info = Array::new(ctx.clone())?;
        info.set(0, method)?;
        info.set(1, url)?;
        info.set(2, version)?;
        let hs = Array::new(ctx.clone())?;
        for (i, (k, v)) in headers.into_iter().enumerate() {
            hs.set(i, vec![k, v])?;
        }
        info.set(3, hs)?;
        info.set(4, body as f64)?;
        info.set(5, remote.ip().to_string())?;
        info.set(6, remote.port())?;
        event_loop::hook::<_, ()>(ctx, "httpRequest", (server as f64, id as f64, info))?;
        Ok(Value::new_undefined(ctx.clone()))
    }));
    let head = if delivered { head_rx.await.ok() } else { None };
    if head.is_none() {
        exchanges(|x| x.remove(&id));
    }
    let (status, reason, headers, body) = match head {
        Some(Head { status, reason, headers, body }) => (status, reason, headers, body),
        // JS never answered (the server closed, or its thread ended): a 500 with no body.
        None => (500, None, Vec::new(), mpsc::unbounded_channel().1),
    };
    let mut resp = hyper::Response::new(ChannelBody(body));
    *resp.status_mut() = hyper::StatusCode::from_u16(status).unwrap_or(hyper::StatusCode::INTERNAL_SERVER_ERROR);
    if let Some(phrase) = reason.filter(|r| Some(r.as_str()) != resp.status().canonical_reason()).and_then(|r| hyper::ext::ReasonPhrase::try_from(r.into_bytes()).ok()) {
        resp.extensions_mut().insert(phrase);
    }
    for (k, v) in headers {
        if let (Ok(k), Ok(v)) = (hyper::header::HeaderName::from_bytes(k.as_bytes()), hyper::header::HeaderValue::from_str(&v)) {
            resp.headers_mut().append(k, v);
        }
    }
    Ok(resp)
}

/// `respond(reqId, status, reason, [[name, value]...])`: sends the head; false if the request
/// is gone (its connection closed).
pub fn respond(req: u64, status: u16, reason: Option<String>, headers: Vec<Vec<String>>) -> bool {
    let (tx, rx) = mpsc::unbounded_channel();
    let sent = exchanges(|x| {
        let e = x.get_mut(&req)?;
        let head = e.head.take()?;
        e.body = Some(tx);
        Some(head)
    });
    let Some(head) = sent else { return false };
    let headers = headers.into_iter().filter_map(|h| match &h[..] {
        [k, v] => Some((k.clone(), v.clone())),
        _ => None,
    });
    head.send(Head { status, reason, headers: headers.collect(), body: rx }).is_ok()
}

/// `write(reqId, bytes)`: a body chunk; false if the request is gone.
pub fn write(req: u64, bytes: Vec<u8>) -> bool {
    exchanges(|x| x.get(&req).and_then(|e| e.body.as_ref()).map(|b| b.send(Bytes::from(bytes)).is_ok())).unwrap_or(false)
}

/// `end(reqId)`: the body is complete.
pub fn end(req: u64) {
    let done = exchanges(|x| x.remove(&req));
    drop(done);
}

/// `close(serverId)`: stops accepting connections (those open finish their requests).
pub fn close(server: u64) {
    if let Some(accept) = servers(|s| s.remove(&server)) {
        accept.abort();
    }
}
