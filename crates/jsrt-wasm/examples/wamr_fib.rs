//! WAMR used directly (through jsrt-wasm, no JavaScript): loads a module and calls
//! `fib(n)`, printing the result and the time of the call. The baseline of `bench/wasm`.
//!
//!     cargo run --release -p jsrt-wasm --example wamr_fib -- examples/wasm/fibonacci.wasm 30

use std::sync::Arc;
use std::time::Instant;

use jsrt_wasm::{Instance, Module, Val};

fn main() {
    let mut args = std::env::args().skip(1);
    let path = args.next().expect("usage: wamr_fib FILE.wasm [n]");
    let n: i32 = args.next().map(|s| s.parse().expect("n")).unwrap_or(30);
    let bytes = std::fs::read(&path).expect("read the module");
    let module = Arc::new(Module::new(&bytes).expect("valid module"));
    let instance = Instance::new(module, vec![]).expect("instantiate");
    let fib = instance.func("fib").expect("a fib export");
    let start = Instant::now();
    let r = instance.call(&fib, &[Val::I32(n)]).expect("no trap");
    println!("fib({n}) = {:?} ({:.1} ms in WAMR)", r[0], start.elapsed().as_secs_f64() * 1000.0);
}
