//! Natives as QuickJS's own C functions (function-list entries QuickJS makes on first use):
//! nearly free at start-up, where each closure made with rquickjs costs thousands of
//! instructions (a class per closure type). For natives defined by the dozen at start-up.

use rquickjs::{qjs, Ctx, Object, Value};

/// A function-list entry for a C function with a "magic" number.
pub fn c_function(name: &'static std::ffi::CStr, length: u8, magic: i16, f: CFunctionMagic) -> qjs::JSCFunctionListEntry {
    qjs::JSCFunctionListEntry {
        name: name.as_ptr(),
        prop_flags: (qjs::JS_PROP_WRITABLE | qjs::JS_PROP_CONFIGURABLE) as u8,
        def_type: qjs::JS_DEF_CFUNC as u8,
        magic,
        u: qjs::JSCFunctionListEntry__bindgen_ty_1 {
            func: qjs::JSCFunctionListEntry__bindgen_ty_1__bindgen_ty_1 {
                length,
                cproto: qjs::JSCFunctionEnum_JS_CFUNC_generic_magic as u8,
                cfunc: qjs::JSCFunctionType { generic_magic: Some(f) },
            },
        },
    }
}

pub type CFunctionMagic = unsafe extern "C" fn(*mut qjs::JSContext, qjs::JSValue, std::ffi::c_int, *mut qjs::JSValue, std::ffi::c_int) -> qjs::JSValue;

/// Defines `entries` on `obj`. QuickJS makes each function on first use and keeps a pointer
/// to its entry until then: the entries live as long as the process (a few per context).
pub fn define_c_functions<'js>(ctx: &Ctx<'js>, obj: &Object<'js>, entries: impl Iterator<Item = qjs::JSCFunctionListEntry>) -> rquickjs::Result<()> {
    let entries: &'static [qjs::JSCFunctionListEntry] = Box::leak(entries.collect::<Vec<_>>().into_boxed_slice());
    // SAFETY: the context and `obj` are live; the entries and their names are 'static.
    let rc = unsafe { qjs::JS_SetPropertyFunctionList(ctx.as_raw().as_ptr(), obj.as_raw(), entries.as_ptr(), entries.len() as i32) };
    if rc < 0 {
        return Err(rquickjs::Error::Exception);
    }
    Ok(())
}

/// Runs `f` with the call's context and arguments, turning its result into QuickJS's.
///
/// # Safety
/// As QuickJS calls a C function: a live context, `argv` holding `argc` values.
pub unsafe fn c_call(ctx: *mut qjs::JSContext, argc: std::ffi::c_int, argv: *mut qjs::JSValue, f: impl for<'js> FnOnce(&Ctx<'js>, Vec<Value<'js>>) -> rquickjs::Result<Value<'js>>) -> qjs::JSValue {
    let Some(raw) = std::ptr::NonNull::new(ctx) else { return qjs::JS_EXCEPTION };
    // SAFETY: QuickJS calls this on its thread with a live context; the Ctx lives within the call.
    let ctx = unsafe { Ctx::from_raw(raw) };
    let args: Vec<Value> = (0..argc.max(0) as usize)
        // SAFETY: argv holds argc values owned by the caller; each is duplicated for rquickjs.
        .map(|i| unsafe { Value::from_raw(ctx.clone(), qjs::JS_DupValue(ctx.as_raw().as_ptr(), *argv.add(i))) })
        .collect();
    match f(&ctx, args) {
        // SAFETY: the duplicate is the reference handed to QuickJS; `v` drops its own.
        Ok(v) => unsafe { qjs::JS_DupValue(ctx.as_raw().as_ptr(), v.as_raw()) },
        Err(rquickjs::Error::Exception) => qjs::JS_EXCEPTION,
        Err(e) => {
            let _ = super::throw(&ctx, "Error", &e.to_string(), None);
            qjs::JS_EXCEPTION
        }
    }
}


/// A group of natives made the first time JS asks for them (`native.NAME()` returns the
/// object, made anew on each call: callers keep it), so start-up pays only for one C function.
pub trait LazyNatives {
    /// The name of the C function on `native`.
    const NAME: &'static std::ffi::CStr;
    fn make<'js>(ctx: &Ctx<'js>) -> rquickjs::Result<Object<'js>>;
}

unsafe extern "C" fn lazy_natives<T: LazyNatives>(ctx: *mut qjs::JSContext, _this: qjs::JSValue, argc: std::ffi::c_int, argv: *mut qjs::JSValue, _magic: std::ffi::c_int) -> qjs::JSValue {
    // SAFETY: QuickJS's call of a C function.
    unsafe { c_call(ctx, argc, argv, |ctx, _| T::make(ctx).map(|o| o.into_value())) }
}

/// Defines `native[T::NAME]()`, which makes `T`'s natives.
pub fn define_lazy<'js, T: LazyNatives>(ctx: &Ctx<'js>, native: &Object<'js>) -> rquickjs::Result<()> {
    define_c_functions(ctx, native, std::iter::once(c_function(T::NAME, 0, 0, lazy_natives::<T>)))
}
