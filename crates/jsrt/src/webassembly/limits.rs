//! Natives behind `jsrt:wasm`'s execution limits: running a JS function with a time limit or an
//! instruction budget on each call into wasm it makes (the engine's interrupt.rs and fuel.rs
//! do the work).

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
    )?;
    // runBudgeted(instructions, fn) -> fn(); a TypeError unless modules are counted.
    wasm.set(
        "runBudgeted",
        Function::new(ctx.clone(), |ctx: Ctx<'js>, instructions: f64, f: Function<'js>| -> rquickjs::Result<Value<'js>> {
            if jsrt_wasm::fuel::budget().is_none() {
                return Err(crate::builtins::throw(&ctx, "TypeError", "maxInstructions needs --wasm-max-instructions: only then are modules compiled to count their instructions", None));
            }
            jsrt_wasm::fuel::with_budget(instructions as u64, || f.call(()))
        })?,
    )
}
