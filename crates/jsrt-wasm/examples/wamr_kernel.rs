//! WAMR used directly (through jsrt-wasm, no JavaScript) on bench/kernels: loads
//! `kernels.wasm`, calls `run(kernel, n)` and prints the same line as `bench/kernels/run.js`.
//! `--compiled` runs the compiled tier (jsrt-aotc next to this executable or `$JSRT_AOTC`).
//!
//!     cargo run --release -p jsrt-wasm --example wamr_kernel -- bench/kernels/kernels.wasm sha256 20

use std::sync::Arc;
use std::time::Instant;

use jsrt_wasm::{Instance, Module, Val};

const NAMES: [&str; 6] = ["fib", "sieve", "sha256", "matmul", "nbody", "crc32"];

fn main() {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    if let Some(at) = args.iter().position(|a| a == "--compiled") {
        args.remove(at);
        let settings = jsrt_wasm::compiled::Settings { tier: jsrt_wasm::compiled::Tier::Compiled, cache_dir: None, ..Default::default() };
        jsrt_wasm::compiled::configure(settings);
    }
    let [path, name, n] = &args[..] else { panic!("usage: wamr_kernel [--compiled] FILE.wasm KERNEL N") };
    let kernel = NAMES.iter().position(|k| k == name).expect("a kernel of kernels.c") as i32;
    let n: i32 = n.parse().expect("n");
    let module = Arc::new(Module::new(&std::fs::read(path).expect("read the module")).expect("valid module"));
    let instance = Instance::new(module, vec![]).expect("instantiate");
    let run = instance.func("run").expect("a run export");
    let start = Instant::now();
    let r = instance.call(&run, &[Val::I32(kernel), Val::I32(n)]).expect("no trap");
    let Val::F64(bits) = r[0] else { panic!("run returns f64") };
    println!("{name}({n}) = {} in {:.1} ms", f64::from_bits(bits), start.elapsed().as_secs_f64() * 1000.0);
}
