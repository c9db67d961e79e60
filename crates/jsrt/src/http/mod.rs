//! HTTP: the client behind `fetch` and `node:http`'s `request` (reqwest over rustls, with the
//! web's root certificates) and the server behind `createServer` (hyper), on one network
//! thread that every JS thread (the main one and workers) shares; results come back to each
//! thread's event loop as settled promises or tasks. Natives: `native.httpNatives()`
//! (`js/web.js` `fetch`, `js/http.js`).

mod client;
mod server;

pub use client::install;
