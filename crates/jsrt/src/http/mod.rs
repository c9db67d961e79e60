//! HTTP: the client behind `fetch` and `node:http`'s `request` (reqwest over rustls, with the
//! web's root certificates) on one network thread that every JS thread (the main one and
//! workers) shares, results coming back to each thread's event loop as settled promises; and
//! the server behind `createServer` (hyper) on the listening thread's own runtime. Natives:
//! `native.httpNatives()` (`js/web.js` `fetch`, `js/http.js`), made on first use (most
//! programs fetch nothing).

mod client;
mod server;

use rquickjs::{Ctx, Function, Object, Value};

/// What a JS thread leaves when it ends (a worker): the bodies it never finished reading.
/// (Its servers' requests are thread-local and go with it.)
pub fn teardown() {
    client::teardown();
}

pub fn install<'js>(ctx: &Ctx<'js>, native: &Object<'js>) -> rquickjs::Result<()> {
    crate::builtins::cfunc::define_lazy::<Natives>(ctx, native)
}

struct Natives;

impl crate::builtins::cfunc::LazyNatives for Natives {
    const NAME: &'static std::ffi::CStr = c"httpNatives";
    fn make<'js>(ctx: &Ctx<'js>) -> rquickjs::Result<Object<'js>> {
        let c = || ctx.clone();
        let h = Object::new(c())?;
        // The client (client.rs).
        h.set(
            "fetch",
            Function::new(c(), |ctx: Ctx<'js>, method: String, url: String, headers: Vec<Vec<String>>, body: Value<'js>, redirect: String| client::fetch(&ctx, method, url, headers, body, redirect))?,
        )?;
        h.set("read", Function::new(c(), |ctx: Ctx<'js>, body: f64| client::read(&ctx, body as u64))?)?;
        h.set("cancel", Function::new(c(), |op: f64, body: f64| client::cancel(op as u64, body as u64))?)?;
        // The server (server.rs).
        h.set("listen", Function::new(c(), |ctx: Ctx<'js>, host: String, port: u16, tls: Option<f64>| server::listen(&ctx, host, port, tls.map(|t| t as u64)))?)?;
        h.set(
            "tlsConfig",
            Function::new(c(), |ctx: Ctx<'js>, cert: String, key: String| {
                server::tls_config(&cert, &key).map(|id| id as f64).map_err(|msg| crate::builtins::throw(&ctx, "Error", &msg, Some("ERR_OSSL_UNSUPPORTED")))
            })?,
        )?;
        h.set(
            "respond",
            Function::new(c(), |req: f64, status: u16, reason: Option<String>, headers: Vec<Vec<String>>| server::respond(req as u64, status, reason, headers))?,
        )?;
        h.set(
            "write",
            Function::new(c(), |ctx: Ctx<'js>, req: f64, data: Value<'js>| -> rquickjs::Result<bool> {
                let bytes = crate::builtins::bytes::ByteView::of(&data).map(|v| v.to_vec()).ok_or_else(|| crate::builtins::throw(&ctx, "TypeError", "a response chunk must be bytes", None))?;
                Ok(server::write(req as u64, bytes))
            })?,
        )?;
        h.set("end", Function::new(c(), |req: f64| server::end(req as u64))?)?;
        h.set("close", Function::new(c(), |server: f64| server::close(server as u64))?)?;
        Ok(h)
    }
}
