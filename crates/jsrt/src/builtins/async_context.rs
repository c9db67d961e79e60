//! Natives of `jsrt:async_hooks` (`js/async_hooks.js`): the async context value that
//! QuickJS (jsrt's patch 0003) carries with every promise reaction from where it was
//! registered (`then`, `await`) to where it runs, read and replaced from JS.

use rquickjs::{qjs, Ctx, Function, Object, Value};

extern "C" {
    // vendor/rquickjs-sys/quickjs/quickjs.h (jsrt patch 0003); not in the pregenerated bindings.
    fn JS_JsrtGetAsyncContext(ctx: *mut qjs::JSContext) -> qjs::JSValue;
    fn JS_JsrtSetAsyncContext(ctx: *mut qjs::JSContext, value: qjs::JSValue);
}

pub fn install<'js>(ctx: &Ctx<'js>, native: &Object<'js>) -> rquickjs::Result<()> {
    native.set(
        "asyncContext",
        Function::new(ctx.clone(), |ctx: Ctx<'js>| {
            // SAFETY: the context is live; the getter returns a new reference, owned by the Value.
            unsafe { Value::from_raw(ctx.clone(), JS_JsrtGetAsyncContext(ctx.as_raw().as_ptr())) }
        })?,
    )?;
    native.set(
        "setAsyncContext",
        Function::new(ctx.clone(), |ctx: Ctx<'js>, value: Value<'js>| {
            // SAFETY: the context is live; the setter takes the duplicated reference.
            unsafe {
                let c = ctx.as_raw().as_ptr();
                JS_JsrtSetAsyncContext(c, qjs::JS_DupValue(c, value.as_raw()));
            }
        })?,
    )?;
    Ok(())
}
