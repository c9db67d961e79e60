//! jsrt-wasm: safe Rust over WAMR.
pub use wamrx_sys as sys;
