//! Exported function objects (JS functions that call into wasm) and the value conversions at
//! the boundary: ToWebAssemblyValue and ToJSValue from the JS API spec.

use std::rc::Rc;

use jsrt_wasm::instance::Func;
use jsrt_wasm::{Instance, Val, ValType};
use rquickjs::class::Trace;
use std::ffi::c_int;
use std::ptr::NonNull;

use rquickjs::{qjs, BigInt, Class, Ctx, FromJs, Function, JsLifetime, Value};

use crate::builtins::throw as throw_js;

/// The wasm function behind an exported function object (so importing it elsewhere calls
/// wasm directly, without a JS round trip).
#[derive(Trace, JsLifetime)]
#[rquickjs::class(rename = "ExportedFunctionHandle")]
pub struct ExportedFunc {
    #[qjs(skip_trace)]
    pub instance: Rc<Instance>,
    #[qjs(skip_trace)]
    pub func: Func,
    /// The function's index in its instance (what a funcref to it is inside wasm).
    pub index: u32,
}

/// ToWebAssemblyValue(v, t). `inst` is the instance the value goes into: a funcref becomes a
/// funcref value of it (any instance's function: jsrt-wasm's foreign.rs).
pub fn to_wasm<'js>(ctx: &Ctx<'js>, v: &Value<'js>, t: ValType, inst: Option<&Rc<Instance>>) -> rquickjs::Result<Val> {
    Ok(match t {
        ValType::I32 => Val::I32(match v.as_int() {
            Some(i) => i,
            None => rquickjs::convert::Coerced::<i32>::from_js(ctx, v.clone())?.0,
        }),
        ValType::I64 => Val::I64(to_bigint64(ctx, v)?),
        ValType::F32 => Val::F32((to_number(ctx, v)? as f32).to_bits()),
        ValType::F64 => Val::F64(to_number(ctx, v)?.to_bits()),
        ValType::V128 => return Err(throw_js(ctx, "TypeError", "type incompatibility when transforming from/to JS", None)),
        ValType::ExternRef => Val::ExternRef(if v.is_null() { None } else { Some(super::extern_id(ctx, v)?) }),
        ValType::FuncRef => {
            if v.is_null() {
                Val::FuncRef(None)
            } else if let Some(handle) = super::func_handle(ctx, v)? {
                let h = handle.borrow();
                match inst {
                    // Its own function, an import of it, or a foreign slot (jsrt-wasm's foreign.rs).
                    Some(target) => match target.funcref_for(&h.instance, h.index) {
                        Ok(r) => {
                            // `v` keeps h.instance reachable until this point (keeper.rs).
                            super::keeper::flush(ctx);
                            Val::FuncRef(Some(r))
                        }
                        Err(e) => return Err(throw_js(ctx, "RangeError", &e.to_string(), None)),
                    },
                    None => return Err(cross_instance(ctx)),
                }
            } else {
                return Err(throw_js(ctx, "TypeError", "type incompatibility when transforming from/to JS: a funcref must be null or a WebAssembly function", None));
            }
        }
    })
}

fn cross_instance(ctx: &Ctx<'_>) -> rquickjs::Error {
    throw_js(
        ctx,
        "TypeError",
        "a funcref cannot be stored here before an instance uses it",
        None,
    )
}

fn to_number<'js>(ctx: &Ctx<'js>, v: &Value<'js>) -> rquickjs::Result<f64> {
    if let Some(n) = v.as_number() {
        return Ok(n);
    }
    Ok(rquickjs::convert::Coerced::<f64>::from_js(ctx, v.clone())?.0)
}

/// ToBigInt64: BigInts wrap modulo 2^64; Numbers are a TypeError; other values go through
/// the BigInt constructor's conversions (booleans, strings, objects).
fn to_bigint64<'js>(ctx: &Ctx<'js>, v: &Value<'js>) -> rquickjs::Result<i64> {
    if let Some(b) = v.as_big_int() {
        return b.clone().to_i64();
    }
    if v.is_number() {
        return Err(throw_js(ctx, "TypeError", &format!("Cannot convert {} to a BigInt", v.as_number().unwrap_or(0.0)), None));
    }
    if v.is_undefined() || v.is_null() || v.is_symbol() {
        return Err(throw_js(ctx, "TypeError", "Cannot convert value to a BigInt", None));
    }
    let ctor: Function = ctx.globals().get("BigInt")?;
    let b: BigInt = ctor.call((v.clone(),))?;
    b.to_i64()
}

/// ToJSValue(v). `inst` is the instance the value comes from (for funcrefs).
pub fn to_js<'js>(ctx: &Ctx<'js>, v: &Val, inst: Option<&Rc<Instance>>) -> rquickjs::Result<Value<'js>> {
    Ok(match *v {
        Val::I32(x) => Value::new_int(ctx.clone(), x),
        Val::I64(x) => BigInt::from_i64(ctx.clone(), x)?.into_value(),
        Val::F32(bits) => Value::new_float(ctx.clone(), f32::from_bits(bits) as f64),
        Val::F64(bits) => Value::new_float(ctx.clone(), f64::from_bits(bits)),
        Val::V128(_) => return Err(throw_js(ctx, "TypeError", "type incompatibility when transforming from/to JS", None)),
        Val::ExternRef(None) | Val::FuncRef(None) => Value::new_null(ctx.clone()),
        Val::ExternRef(Some(id)) => super::extern_value(ctx, id)?,
        Val::FuncRef(Some(index)) => match inst.and_then(|i| i.funcref_target(index)) {
            Some((owner, index)) => super::func_for(ctx, &owner, index)?,
            None => return Err(throw_js(ctx, "TypeError", "a funcref without its instance cannot reach JS", None)),
        },
    })
}

/// Converts a host function's return value to the wasm results of `results`.
pub fn results_from_js<'js>(ctx: &Ctx<'js>, ret: Value<'js>, results: &[ValType], inst: Option<&Rc<Instance>>) -> rquickjs::Result<Vec<Val>> {
    match results.len() {
        0 => Ok(Vec::new()),
        1 => Ok(vec![to_wasm(ctx, &ret, results[0], inst)?]),
        n => {
            // Multi-value: any iterable of exactly n values.
            let from: Function = ctx.globals().get::<_, rquickjs::Object>("Array")?.get("from")?;
            if !ret.is_object() {
                return Err(throw_js(ctx, "TypeError", "multi-value results must be an iterable", None));
            }
            let arr: rquickjs::Array = from.call((ret,))?;
            if arr.len() != n {
                return Err(throw_js(ctx, "TypeError", &format!("expected {n} results, got {}", arr.len()), None));
            }
            results.iter().enumerate().map(|(i, t)| to_wasm(ctx, &arr.get(i)?, *t, inst)).collect()
        }
    }
}

/// Makes the exported function object for `func` of `instance` (name = function index,
/// length = parameter count). Returns the function and its handle.
///
/// The function is a raw QuickJS C function whose data slot holds the handle (so QuickJS's GC
/// sees the reference): every JS -> wasm call goes through [`call_exported`], which converts
/// the common argument and result types straight from and to QuickJS values, without
/// rquickjs's per-call argument vector and context clones.
pub fn make_exported<'js>(
    ctx: &Ctx<'js>,
    instance: Rc<Instance>,
    func: Func,
    index: u32,
) -> rquickjs::Result<(Function<'js>, Class<'js, ExportedFunc>)> {
    let nparams = func.ty.params.len();
    let handle = Class::instance(ctx.clone(), ExportedFunc { instance: instance.clone(), func, index })?;
    // The function keeps its instance alive, so it holds the instance's keeper (keeper.rs).
    if let Some(obj) = handle.clone().into_value().into_object() {
        super::keeper::attach(ctx, &obj, &instance)?;
    }
    // data[0] keeps the handle alive as long as the function; data[1] is the address of its
    // ExportedFunc (boxed by rquickjs, so it does not move), as a float64: a user-space
    // address fits in 53 bits. call_exported reads it without a class lookup.
    let address = {
        let b = handle.borrow();
        &*b as *const ExportedFunc as usize
    };
    let mut data = [handle.clone().into_value().as_raw(), qjs::__JS_NewFloat64(address as f64)];
    // SAFETY: the context is live and locked (we hold `ctx`); JS_NewCFunctionData copies (and
    // duplicates) the data values; `handle` keeps data[0] alive across the call.
    let raw = unsafe { qjs::JS_NewCFunctionData(ctx.as_raw().as_ptr(), Some(call_exported), nparams as c_int, 0, 2, data.as_mut_ptr()) };
    // SAFETY: `raw` is a new, owned value of this context (or the exception marker).
    let value = unsafe { Value::from_raw(ctx.clone(), raw) };
    if value.is_exception() {
        return Err(rquickjs::Error::Exception);
    }
    let f = Function::from_value(value)?;
    f.set_name(index.to_string())?;
    Ok((f, handle))
}

/// The address of [`call_exported`], which stack traces look for (stack.rs).
pub(super) fn call_exported_address() -> usize {
    call_exported as *const () as usize
}

/// The QuickJS entry point of every exported function: `data` holds its [`ExportedFunc`].
///
/// # Safety
/// Called by QuickJS with a live, locked context, `argc` readable values at `argv`, and the
/// data array given to `JS_NewCFunctionData` in [`make_exported`] (handle, address).
unsafe extern "C" fn call_exported(
    ctx: *mut qjs::JSContext,
    _this: qjs::JSValue,
    argc: c_int,
    argv: *mut qjs::JSValue,
    _magic: c_int,
    data: *mut qjs::JSValue,
) -> qjs::JSValue {
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        // SAFETY: see the function's contract: the context is live and locked.
        let ctx = unsafe { Ctx::from_raw(NonNull::new_unchecked(ctx)) };
        // SAFETY: data[1] is the address of the ExportedFunc owned by the handle in data[0],
        // which this function's data keeps alive while the function exists (and it is running);
        // an ExportedFunc is never borrowed mutably, so a shared reference is sound, also
        // across nested calls of the same function.
        let h: &ExportedFunc = unsafe { &*(qjs::JS_VALUE_GET_FLOAT64(*data.add(1)) as usize as *const ExportedFunc) };
        let args: &[qjs::JSValue] = if argc <= 0 || argv.is_null() {
            &[]
        } else {
            // SAFETY: QuickJS passes `argc` readable values at `argv`.
            unsafe { std::slice::from_raw_parts(argv, argc as usize) }
        };
        match call(&ctx, &h.instance, &h.func, args) {
            Ok(v) => v,
            Err(e) => raise(&ctx, e),
        }
    }));
    outcome.unwrap_or_else(|_| {
        // SAFETY: the context is live; the panic did not run JS.
        unsafe { qjs::JS_ThrowInternalError(ctx, c"internal error in a WebAssembly call".as_ptr()) }
    })
}

/// Leaves `e` as the pending exception and returns QuickJS's exception marker.
fn raise(ctx: &Ctx<'_>, e: rquickjs::Error) -> qjs::JSValue {
    if !matches!(e, rquickjs::Error::Exception) {
        let _ = throw_js(ctx, "TypeError", &e.to_string(), None);
    }
    qjs::JS_EXCEPTION
}

/// One argument, ToWebAssemblyValue'd; numbers of the right kind skip the generic path.
fn arg_to_wasm<'js>(ctx: &Ctx<'js>, raw: Option<&qjs::JSValue>, t: ValType, inst: &Rc<Instance>) -> rquickjs::Result<Val> {
    let Some(&raw) = raw else {
        return to_wasm(ctx, &Value::new_undefined(ctx.clone()), t, Some(inst));
    };
    // SAFETY: `raw` is a live value of this context; reading its tag and payload does not
    // touch its reference count.
    unsafe {
        let tag = qjs::JS_VALUE_GET_TAG(raw);
        match (t, tag) {
            (ValType::I32, qjs::JS_TAG_INT) => return Ok(Val::I32(qjs::JS_VALUE_GET_INT(raw))),
            (ValType::F64, qjs::JS_TAG_INT) => return Ok(Val::F64((qjs::JS_VALUE_GET_INT(raw) as f64).to_bits())),
            (ValType::F32, qjs::JS_TAG_INT) => return Ok(Val::F32((qjs::JS_VALUE_GET_INT(raw) as f32).to_bits())),
            (ValType::F64, qjs::JS_TAG_FLOAT64) => return Ok(Val::F64(qjs::JS_VALUE_GET_FLOAT64(raw).to_bits())),
            (ValType::F32, qjs::JS_TAG_FLOAT64) => return Ok(Val::F32((qjs::JS_VALUE_GET_FLOAT64(raw) as f32).to_bits())),
            _ => {}
        }
        let v = Value::from_raw(ctx.clone(), qjs::JS_DupValue(ctx.as_raw().as_ptr(), raw));
        to_wasm(ctx, &v, t, Some(inst))
    }
}

/// One result, ToJSValue'd, as an owned raw value.
fn result_to_js<'js>(ctx: &Ctx<'js>, v: &Val, inst: &Rc<Instance>) -> rquickjs::Result<qjs::JSValue> {
    Ok(match *v {
        Val::I32(x) => qjs::JS_MKVAL(qjs::JS_TAG_INT, x),
        Val::F64(bits) => qjs::JS_NewFloat64(f64::from_bits(bits)),
        Val::F32(bits) => qjs::JS_NewFloat64(f32::from_bits(bits) as f64),
        _ => {
            let js = to_js(ctx, v, Some(inst))?;
            // SAFETY: duplicate before `js` is dropped, so the returned value is owned.
            unsafe { qjs::JS_DupValue(ctx.as_raw().as_ptr(), js.as_raw()) }
        }
    })
}

/// Calls `func` with the JS arguments `args` and returns its result as an owned raw value.
fn call<'js>(ctx: &Ctx<'js>, instance: &Rc<Instance>, func: &Func, args: &[qjs::JSValue]) -> rquickjs::Result<qjs::JSValue> {
    let ty = &func.ty;
    // Arguments and results live on the stack for the usual small signatures.
    jsrt_wasm::stack_slice!(wargs, ty.params.len(), Val::I32(0));
    for (i, t) in ty.params.iter().enumerate() {
        wargs[i] = arg_to_wasm(ctx, args.get(i), *t, instance)?;
    }
    if ty.results.contains(&ValType::V128) {
        return Err(throw_js(ctx, "TypeError", "type incompatibility when transforming from/to JS", None));
    }
    jsrt_wasm::stack_slice!(results, ty.results.len(), Val::I32(0));
    let outcome = instance.call_into(func, wargs, results);
    // References instances took to each other during the call become JS-visible before any
    // JS runs again (keeper.rs).
    super::keeper::flush(ctx);
    // wasm may have grown a memory: detach stale buffers before JS runs again.
    if super::memory::any_buffers() {
        super::memory::sync(ctx);
    }
    outcome.map_err(|e| super::throw_engine_error(ctx, e, ""))?;
    match results.len() {
        0 => Ok(qjs::JS_MKVAL(qjs::JS_TAG_UNDEFINED, 0)),
        1 => result_to_js(ctx, &results[0], instance),
        _ => {
            let arr = rquickjs::Array::new(ctx.clone())?;
            for (i, r) in results.iter().enumerate() {
                arr.set(i, to_js(ctx, r, Some(instance))?)?;
            }
            // SAFETY: duplicate before `arr` is dropped, so the returned value is owned.
            Ok(unsafe { qjs::JS_DupValue(ctx.as_raw().as_ptr(), arr.as_raw()) })
        }
    }
}
