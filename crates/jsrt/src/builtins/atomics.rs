//! Natives behind `Atomics.wait`, `Atomics.waitAsync` and `Atomics.notify` (their JS half,
//! which validates the arguments as the spec orders it, is in `js/bootstrap.js`): waits and
//! notifies go through jsrt-wasm's waiter lists (`jsrt_wasm::atomics`), the ones wasm's
//! `memory.atomic.wait`/`notify` use, so JS and wasm wake each other. As in Node,
//! `Atomics.wait` may block the main thread.

use rquickjs::{qjs, Ctx, Function, Object, Value};

use jsrt_wasm::atomics::{self, AsyncWait, Expected, WaitResult};

/// The address of element `index` of typed array `ta` (an Int32Array or a BigInt64Array over a
/// SharedArrayBuffer, as the JS half validated), and whether the element is 64-bit.
fn element<'js>(ctx: &Ctx<'js>, ta: &Value<'js>, index: f64) -> rquickjs::Result<(usize, bool)> {
    let raw_ctx = ctx.as_raw().as_ptr();
    let (mut offset, mut length, mut size) = (0, 0, 0);
    // SAFETY: `ta` is a live value of this context; QuickJS checks it is a typed array.
    let buffer = unsafe { qjs::JS_GetTypedArrayBuffer(raw_ctx, ta.as_raw(), &mut offset, &mut length, &mut size) };
    // SAFETY: a fresh owned value (or the exception marker) of this context.
    let buffer = unsafe { Value::from_raw(ctx.clone(), buffer) };
    if buffer.is_exception() {
        return Err(rquickjs::Error::Exception);
    }
    let mut buffer_len = 0;
    // SAFETY: `buffer` is the typed array's (live) buffer.
    let data = unsafe { qjs::JS_GetArrayBuffer(raw_ctx, &mut buffer_len, buffer.as_raw()) };
    let (offset, length, size, buffer_len) = (offset as usize, length as usize, size as usize, buffer_len as usize);
    let count = if size == 0 { 0 } else { length / size };
    if data.is_null() || !(size == 4 || size == 8) || !(index >= 0.0 && (index as usize) < count) || offset + length > buffer_len {
        return Err(super::throw(ctx, "RangeError", "Invalid atomic access index", None));
    }
    Ok((data as usize + offset + index as usize * size, size == 8))
}

/// The expected value as the element type holds it (the JS half converted it: a Number for an
/// Int32Array, a BigInt for a BigInt64Array).
fn expected<'js>(ctx: &Ctx<'js>, wide: bool, value: &Value<'js>) -> rquickjs::Result<Expected> {
    Ok(if wide {
        let b = value.as_big_int().ok_or_else(|| super::throw(ctx, "TypeError", "expected a BigInt", None))?;
        Expected::I64(b.clone().to_i64()?)
    } else {
        Expected::I32(value.as_number().unwrap_or(0.0) as i32)
    })
}

/// A timeout in milliseconds (+Infinity: none) as a duration.
fn timeout(ms: f64) -> Option<std::time::Duration> {
    (ms.is_finite()).then(|| std::time::Duration::from_secs_f64(ms.max(0.0) / 1000.0))
}

fn result_name(r: &WaitResult) -> &'static str {
    match r {
        WaitResult::Ok => "ok",
        WaitResult::NotEqual => "not-equal",
        WaitResult::TimedOut | WaitResult::Interrupted(_) => "timed-out",
    }
}

pub fn install<'js>(ctx: &Ctx<'js>, native: &Object<'js>) -> rquickjs::Result<()> {
    let c = || ctx.clone();
    native.set(
        "atomicsWait",
        Function::new(c(), |ctx: Ctx<'js>, ta: Value<'js>, index: f64, value: Value<'js>, ms: f64| {
            let (addr, wide) = element(&ctx, &ta, index)?;
            let expected = expected(&ctx, wide, &value)?;
            // SAFETY: the element's address in a live SharedArrayBuffer (the JS half checked it
            // is shared), aligned for its type; the typed array, an argument of this call,
            // keeps the buffer alive while the call blocks.
            let r = unsafe { atomics::wait(addr, expected, timeout(ms)) };
            if let WaitResult::Interrupted(msg) = &r {
                return Err(super::throw(&ctx, "Error", msg, None));
            }
            Ok::<_, rquickjs::Error>(result_name(&r))
        })?,
    )?;
    native.set(
        "atomicsNotify",
        Function::new(c(), |ctx: Ctx<'js>, ta: Value<'js>, index: f64, count: f64| {
            let (addr, _) = element(&ctx, &ta, index)?;
            Ok::<_, rquickjs::Error>(atomics::notify(addr, count.min(u32::MAX as f64) as u32) as f64)
        })?,
    )?;
    native.set(
        "atomicsWaitAsync",
        Function::new(c(), |ctx: Ctx<'js>, ta: Value<'js>, index: f64, value: Value<'js>| -> rquickjs::Result<Value<'js>> {
            let (addr, wide) = element(&ctx, &ta, index)?;
            let expected = expected(&ctx, wide, &value)?;
            // Like Node, a pending waitAsync does not keep the process alive.
            let (promise, completer) = crate::event_loop::pending(&ctx, false)?;
            let op = completer.id();
            let on_wake = Box::new(move || completer.settle(Box::new(|ctx: &Ctx<'_>| Ok(rquickjs::String::from_str(ctx.clone(), "ok")?.into_value()))));
            // SAFETY: as in atomicsWait, for the comparison (no access after it).
            match unsafe { atomics::wait_async(addr, expected, on_wake) } {
                AsyncWait::NotEqual => {
                    crate::event_loop::forget(op);
                    Ok(rquickjs::String::from_str(ctx, "not-equal")?.into_value())
                }
                AsyncWait::Waiting(id) => {
                    let out = rquickjs::Array::new(ctx.clone())?;
                    out.set(0, promise)?;
                    out.set(1, addr as f64)?;
                    out.set(2, id as f64)?;
                    out.set(3, op as f64)?;
                    Ok(out.into_value())
                }
            }
        })?,
    )?;
    native.set(
        "atomicsWaitAsyncTimeout",
        Function::new(c(), |ctx: Ctx<'js>, addr: f64, id: f64, op: f64| {
            if atomics::cancel_async(addr as usize, id as u64) {
                crate::event_loop::settle_now(&ctx, op as u64, Box::new(|ctx: &Ctx<'_>| Ok(rquickjs::String::from_str(ctx.clone(), "timed-out")?.into_value())));
            }
        })?,
    )?;
    Ok(())
}
