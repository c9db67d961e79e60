//! HTTP: the client behind `fetch` for `http:` and `https:` URLs (reqwest over rustls, with
//! the web's root certificates), on one network thread that every JS thread (the main one and
//! workers) shares; results come back to each thread's event loop as settled promises.
//! Natives: `native.httpNatives()` (`js/web.js` `fetch`).

mod client;

pub use client::install;
