//! HTTP: the client behind `fetch` and `node:http`'s `request` (reqwest over rustls, with the
//! web's root certificates) on one network thread that every JS thread (the main one and
//! workers) shares, results coming back to each thread's event loop as settled promises; and
//! the server behind `createServer` (hyper) on the listening thread's own runtime. Natives: `native.httpNatives()`
//! (`js/web.js` `fetch`, `js/http.js`).

mod client;
mod server;

pub use client::install;
