//! Natives behind `jsrt:wasm`'s execution limits: running a JS function with a time limit on
//! each call into wasm it makes (the engine's interrupt.rs does the work).

use std::time::Duration;

use rquickjs::{Ctx, Function, Object, Value};

pub fn install<'js>(ctx: &Ctx<'js>, wasm: &Object<'js>) -> rquickjs::Result<()> {
    // runLimited(timeoutMs (0: none, -1: the process's), fn) -> fn()
    wasm.set(
        "runLimited",
        Function::new(ctx.clone(), |timeout_ms: f64, f: Function<'js>| -> rquickjs::Result<Value<'js>> {
            if timeout_ms < 0.0 {
                return f.call(());
            }
            let limit = (timeout_ms > 0.0).then(|| Duration::from_secs_f64(timeout_ms / 1000.0));
            jsrt_wasm::interrupt::with_timeout(limit, || f.call(()))
        })?,
    )
}
