//! jsrt: a small JavaScript runtime (QuickJS + tokio) with a WebAssembly JS API on WAMR.
//!
//! - `cli`: command-line parsing.
//! - `runtime`: context set-up, running the entry point, exit.
//! - `event_loop`: timers, immediates, microtasks, off-thread work, rejections.
//! - `modules`: specifier resolution and the ES module loader.
//! - `builtins`: the Rust natives under the JS half of the runtime (`js/`).
//! - `repl`: the interactive prompt.
//! - `http`: the HTTP client behind `fetch`.
//! - `webassembly`: the `WebAssembly` JS API over `jsrt-wasm`.
//! - `workers`: worker threads and the message ports between threads.

pub mod builtins;
pub mod cli;
pub mod event_loop;
pub mod http;
pub mod modules;
pub mod profiler;
pub mod repl;
pub mod runtime;
pub mod webassembly;
pub mod workers;
