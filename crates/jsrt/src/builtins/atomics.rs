//! `Atomics.wait`, `Atomics.waitAsync` and `Atomics.notify`, replacing QuickJS's: C functions
//! on `Atomics` that call their JS half (`js/atomics.js`, loaded on first use: it validates the
//! arguments as the spec orders them) through the bootstrap's `atomics` hook, and the native
//! that half calls (`native.atomics(op, ...)`). At start-up only the entries are defined. Waits and
//! notifies go through jsrt-wasm's waiter lists (`jsrt_wasm::atomics`), the ones wasm's
//! `memory.atomic.wait`/`notify` use, so JS and wasm wake each other. As in Node,
//! `Atomics.wait` may block the main thread.

use rquickjs::{qjs, Ctx, Object, Value};

use jsrt_wasm::atomics::{self, AsyncWait, Expected, WaitResult};

use super::cfunc::{c_call, c_function, define_c_functions};

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

/// A timeout in milliseconds as a duration; +Infinity, or more than a million years, is none.
fn timeout(ms: f64) -> Option<std::time::Duration> {
    (ms.is_finite() && ms < 3.2e16).then(|| std::time::Duration::from_secs_f64(ms.max(0.0) / 1000.0))
}

fn result_name(r: &WaitResult) -> &'static str {
    match r {
        WaitResult::Ok => "ok",
        WaitResult::NotEqual => "not-equal",
        WaitResult::TimedOut | WaitResult::Interrupted(_) => "timed-out",
    }
}

pub fn install<'js>(ctx: &Ctx<'js>, native: &Object<'js>) -> rquickjs::Result<()> {
    install_on_atomics(ctx)?;
    install_natives(ctx, native)
}

/// Atomics' three functions, by QuickJS "magic": name and length.
const FUNCTIONS: [(&std::ffi::CStr, u8); 3] = [(c"wait", 4), (c"waitAsync", 4), (c"notify", 3)];

/// `Atomics.wait`, `waitAsync` and `notify`: C functions (named, with the spec's lengths, as
/// QuickJS defines its own, made on first use: nearly free at start-up, where each closure
/// made with rquickjs costs thousands of instructions) that hand their arguments to the JS
/// half.
fn install_on_atomics<'js>(ctx: &Ctx<'js>) -> rquickjs::Result<()> {
    let atomics: Object = ctx.globals().get("Atomics")?;
    for (name, _) in FUNCTIONS {
        atomics.remove(name.to_str().unwrap_or_default())?;
    }
    let entries = FUNCTIONS.iter().enumerate().map(|(magic, (name, length))| c_function(name, *length, magic as i16, call_js_half));
    define_c_functions(ctx, &atomics, entries)
}

/// The C function of Atomics' three: calls the bootstrap's `atomics` hook with the function's
/// name and arguments.
unsafe extern "C" fn call_js_half(ctx: *mut qjs::JSContext, _this: qjs::JSValue, argc: std::ffi::c_int, argv: *mut qjs::JSValue, magic: std::ffi::c_int) -> qjs::JSValue {
    let name = FUNCTIONS.get(magic as usize).and_then(|(n, _)| n.to_str().ok()).unwrap_or("wait");
    // SAFETY: QuickJS's call of a C function.
    unsafe { c_call(ctx, argc, argv, |ctx, args| crate::event_loop::hook(ctx, "atomics", (name, args))) }
}

/// `native.atomics(op, ...args)`, the native the JS half calls.
unsafe extern "C" fn native_atomics(ctx: *mut qjs::JSContext, _this: qjs::JSValue, argc: std::ffi::c_int, argv: *mut qjs::JSValue, _magic: std::ffi::c_int) -> qjs::JSValue {
    // SAFETY: QuickJS's call of a C function.
    unsafe { c_call(ctx, argc, argv, dispatch) }
}

/// The native the JS half calls, `native.atomics(op, ...args)`, a C function as above.
fn install_natives<'js>(ctx: &Ctx<'js>, native: &Object<'js>) -> rquickjs::Result<()> {
    define_c_functions(ctx, native, std::iter::once(c_function(c"atomics", 1, 0, native_atomics)))
}

/// `native.atomics`'s operations: "wait", "notify", "waitAsync" and "timeout".
fn dispatch<'js>(ctx: &Ctx<'js>, args: Vec<Value<'js>>) -> rquickjs::Result<Value<'js>> {
    let arg = |i: usize| args.get(i).cloned().unwrap_or_else(|| Value::new_undefined(ctx.clone()));
    let num = |i: usize| arg(i).as_number().unwrap_or(f64::NAN);
    let op: String = arg(0).as_string().and_then(|s| s.to_string().ok()).unwrap_or_default();
    match op.as_str() {
        "wait" => wait(ctx, &arg(1), num(2), &arg(3), num(4)),
        "notify" => notify(ctx, &arg(1), num(2), num(3)),
        "waitAsync" => wait_async(ctx, &arg(1), num(2), &arg(3)),
        "timeout" => {
            wait_async_timeout(ctx, num(1), num(2), num(3));
            Ok(Value::new_undefined(ctx.clone()))
        }
        _ => Err(super::throw(ctx, "TypeError", "unknown atomics operation", None)),
    }
}

/// `Atomics.wait` on element `index` of `ta`: "ok", "not-equal" or "timed-out".
fn wait<'js>(ctx: &Ctx<'js>, ta: &Value<'js>, index: f64, value: &Value<'js>, ms: f64) -> rquickjs::Result<Value<'js>> {
    let (addr, wide) = element(ctx, ta, index)?;
    let expected = expected(ctx, wide, value)?;
    // SAFETY: the element's address in a live SharedArrayBuffer (the JS half checked it is
    // shared), aligned for its type; the typed array, an argument of this call, keeps the
    // buffer alive while the call blocks.
    let r = unsafe { atomics::wait(addr, expected, timeout(ms)) };
    if let WaitResult::Interrupted(msg) = &r {
        return Err(super::throw(ctx, "Error", msg, None));
    }
    Ok(rquickjs::String::from_str(ctx.clone(), result_name(&r))?.into_value())
}

/// `Atomics.notify` on a shared buffer's element: how many waiters woke.
fn notify<'js>(ctx: &Ctx<'js>, ta: &Value<'js>, index: f64, count: f64) -> rquickjs::Result<Value<'js>> {
    let (addr, _) = element(ctx, ta, index)?;
    Ok(Value::new_number(ctx.clone(), atomics::notify(addr, count.min(u32::MAX as f64) as u32) as f64))
}

/// `Atomics.waitAsync` (its timeout is the JS half's): "not-equal", or
/// `[promise, address, waiter id, operation id]`.
fn wait_async<'js>(ctx: &Ctx<'js>, ta: &Value<'js>, index: f64, value: &Value<'js>) -> rquickjs::Result<Value<'js>> {
    let (addr, wide) = element(ctx, ta, index)?;
    let expected = expected(ctx, wide, value)?;
    // Like Node, a pending waitAsync does not keep the process alive.
    let (promise, completer) = crate::event_loop::pending(ctx, false)?;
    let op = completer.id();
    let on_wake = Box::new(move || completer.settle(Box::new(|ctx: &Ctx<'_>| Ok(rquickjs::String::from_str(ctx.clone(), "ok")?.into_value()))));
    // SAFETY: as in `wait`, for the comparison (no access after it).
    match unsafe { atomics::wait_async(addr, expected, on_wake) } {
        AsyncWait::NotEqual => {
            crate::event_loop::forget(op);
            Ok(rquickjs::String::from_str(ctx.clone(), "not-equal")?.into_value())
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
}

/// A `waitAsync`'s timeout passed: it resolves with "timed-out" unless a notify came first.
fn wait_async_timeout(ctx: &Ctx<'_>, addr: f64, id: f64, op: f64) {
    if atomics::cancel_async(addr as usize, id as u64) {
        crate::event_loop::settle_now(ctx, op as u64, Box::new(|ctx: &Ctx<'_>| Ok(rquickjs::String::from_str(ctx.clone(), "timed-out")?.into_value())));
    }
}
