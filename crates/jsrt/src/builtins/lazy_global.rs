//! Globals made on first use that are plain data properties from the start (`WebAssembly`,
//! `TextEncoder`, `Buffer`, ...): `native.lazyGlobal(name, make, enumerable)` defines
//! `globalThis[name]` as a writable, configurable data property, and `make()` runs the first
//! time the property is read, described or written.
//!
//! An accessor pair would be visible (`Object.getOwnPropertyDescriptor(globalThis,
//! 'WebAssembly')` would show `get`/`set`, which the JS API spec rules out), and making every
//! global at start-up would cost about 0.2 ms, a tenth of jsrt's start-up time. QuickJS
//! makes its own builtins this way ("autoinit" properties); jsrt's patch to it
//! (`vendor/rquickjs-sys/patches/0002`) adds `JS_DEF_JSRT_LAZY`, a function-list entry whose
//! C function makes the value.

use std::cell::RefCell;
use std::collections::HashMap;
use std::ffi::{c_int, CString};

use rquickjs::{qjs, Ctx, Function, Object, Persistent, Value};

/// `JS_DEF_JSRT_LAZY` in the patched quickjs.h (not in the pregenerated bindings).
const JS_DEF_JSRT_LAZY: u8 = 12;

thread_local! {
    /// name -> the JS function that makes the global, until it has run.
    static MAKERS: RefCell<HashMap<String, Persistent<Function<'static>>>> = RefCell::new(HashMap::new());
}

/// Defines `globalThis[name]` to be made by `make` on first use; enumerable as WebIDL makes
/// operations (`fetch`, `atob`), not as it makes interface objects (`TextEncoder`).
pub fn define<'js>(ctx: &Ctx<'js>, name: String, make: Function<'js>, enumerable: bool) -> rquickjs::Result<()> {
    // Replaces what is there (QuickJS's own version of a global, say), as defineProperty would.
    ctx.globals().remove(name.as_str())?;
    let c_name = CString::new(name.as_str()).map_err(|_| rquickjs::Error::new_from_js("string", "global name"))?;
    MAKERS.with(|m| m.borrow_mut().insert(name, Persistent::save(ctx, make)));
    // QuickJS keeps a pointer to the entry (and its name) until the property is made: both
    // live as long as the process, a few dozen bytes per lazy global.
    let entry: &'static qjs::JSCFunctionListEntry = Box::leak(Box::new(qjs::JSCFunctionListEntry {
        name: c_name.into_raw(),
        prop_flags: (qjs::JS_PROP_WRITABLE | qjs::JS_PROP_CONFIGURABLE | if enumerable { qjs::JS_PROP_ENUMERABLE } else { 0 }) as u8,
        def_type: JS_DEF_JSRT_LAZY,
        magic: 0,
        u: qjs::JSCFunctionListEntry__bindgen_ty_1 {
            func: qjs::JSCFunctionListEntry__bindgen_ty_1__bindgen_ty_1 {
                length: 1,
                cproto: qjs::JSCFunctionEnum_JS_CFUNC_generic as u8,
                cfunc: qjs::JSCFunctionType { generic: Some(make_global) },
            },
        },
    }));
    let global: Object = ctx.globals();
    // SAFETY: the context is live (we hold `ctx`), the global object is a live object value
    // for the duration of the call, and `entry` is a valid, 'static one-entry list.
    let rc = unsafe { qjs::JS_SetPropertyFunctionList(ctx.as_raw().as_ptr(), global.as_raw(), entry, 1) };
    if rc < 0 {
        return Err(rquickjs::Error::Exception);
    }
    Ok(())
}

/// Called by QuickJS (as `cfunc(ctx, undefined, 1, [name])`) when a lazy global is first used;
/// returns the value to store, or an exception.
unsafe extern "C" fn make_global(ctx: *mut qjs::JSContext, _this: qjs::JSValue, argc: c_int, argv: *mut qjs::JSValue) -> qjs::JSValue {
    // SAFETY: QuickJS's call of a C function.
    unsafe { super::cfunc::c_call(ctx, argc, argv, make) }
}

/// Runs the maker of the global named by the first argument.
fn make<'js>(ctx: &Ctx<'js>, args: Vec<Value<'js>>) -> rquickjs::Result<Value<'js>> {
    let name = args.first().and_then(|v| v.as_string()).and_then(|s| s.to_string().ok());
    match name.and_then(|n| MAKERS.with(|m| m.borrow_mut().remove(&n))) {
        // The maker gets the global's name (one maker may serve several globals).
        Some(p) => p.restore(ctx).and_then(|f| f.call::<_, Value>((args[0].clone(),))),
        None => Err(crate::builtins::throw(ctx, "TypeError", "lazy global without a maker", None)),
    }
}

/// Drops the makers not yet run (before the thread's runtime is freed).
pub fn teardown() {
    let makers = MAKERS.with(|m| std::mem::take(&mut *m.borrow_mut()));
    drop(makers);
}
