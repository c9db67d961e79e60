//! Natives behind `WebAssembly.Module`: compile (synchronously, or on tokio's blocking pool
//! for `WebAssembly.compile`), validate, and the module's imports/exports/custom sections.

use std::sync::Arc;

use rquickjs::class::Trace;
use rquickjs::{ArrayBuffer, Class, Ctx, Function, JsLifetime, Object, Value};

use crate::builtins::bytes::ByteView;
use crate::event_loop;

/// The JS-side handle of a compiled module (kept in a private field of WebAssembly.Module).
#[derive(Trace, JsLifetime)]
#[rquickjs::class(rename = "ModuleHandle")]
pub struct ModuleHandle {
    #[qjs(skip_trace)]
    pub inner: Arc<jsrt_wasm::Module>,
}

/// Copies the bytes of a BufferSource, or throws TypeError.
pub fn buffer_source(ctx: &Ctx<'_>, v: &Value<'_>, what: &str) -> rquickjs::Result<Vec<u8>> {
    match ByteView::of(v) {
        Some(view) => Ok(view.to_vec()),
        None => Err(crate::builtins::throw(
            ctx,
            "TypeError",
            &format!("{what}: Argument 0 must be a buffer source"),
            None,
        )),
    }
}

pub fn handle<'js>(ctx: &Ctx<'js>, v: &Value<'js>) -> rquickjs::Result<Arc<jsrt_wasm::Module>> {
    Class::<ModuleHandle>::from_value(v)
        .map(|c| c.borrow().inner.clone())
        .map_err(|_| crate::builtins::throw(ctx, "TypeError", "Argument 0 must be a WebAssembly.Module", None))
}

fn descriptor<'js>(ctx: &Ctx<'js>, module: Option<&str>, name: &str, kind: &str) -> rquickjs::Result<Object<'js>> {
    let o = Object::new(ctx.clone())?;
    if let Some(m) = module {
        o.set("module", m)?;
    }
    o.set("name", name)?;
    o.set("kind", kind)?;
    Ok(o)
}

/// A compilation's result, made off the JS thread, as the settling of its promise: a module
/// handle, or the CompileError/RangeError (`what` names the API call).
pub(crate) fn compiled(result: Result<jsrt_wasm::Module, jsrt_wasm::Error>, what: String) -> event_loop::Settle {
    // Keep only sendable parts of the error (compiling never yields a host error).
    let result = result.map_err(|e| match e {
        jsrt_wasm::Error::Compile(m) => (0u8, m),
        jsrt_wasm::Error::Resource(m) => (1, m),
        other => (0, other.to_string()),
    });
    Box::new(move |ctx: &Ctx<'_>| match result {
        Ok(m) => Ok(Class::instance(ctx.clone(), ModuleHandle { inner: Arc::new(m) })?.into_value()),
        Err((kind, m)) => {
            let e = if kind == 0 { jsrt_wasm::Error::Compile(m) } else { jsrt_wasm::Error::Resource(m) };
            Err(super::throw_engine_error(ctx, e, &format!("{what}: ")))
        }
    })
}

pub fn install<'js>(ctx: &Ctx<'js>, wasm: &Object<'js>) -> rquickjs::Result<()> {
    let c = || ctx.clone();
    wasm.set(
        "validate",
        Function::new(c(), |ctx: Ctx<'js>, bytes: Value<'js>| {
            let b = buffer_source(&ctx, &bytes, "WebAssembly.validate()")?;
            Ok::<_, rquickjs::Error>(jsrt_wasm::module::validate(&b).is_ok())
        })?,
    )?;
    wasm.set(
        "compile",
        Function::new(c(), |ctx: Ctx<'js>, bytes: Value<'js>, what: String| {
            let b = buffer_source(&ctx, &bytes, &what)?;
            let m = jsrt_wasm::Module::new(&b).map_err(|e| super::throw_engine_error(&ctx, e, &format!("{what}: ")))?;
            Class::instance(ctx, ModuleHandle { inner: Arc::new(m) })
        })?,
    )?;
    // Compiles on tokio's blocking pool; the promise resolves with a handle on the JS thread.
    wasm.set(
        "compileAsync",
        Function::new(c(), |ctx: Ctx<'js>, bytes: Value<'js>, what: String| {
            let b = buffer_source(&ctx, &bytes, &what)?;
            event_loop::spawn_blocking(&ctx, move || compiled(jsrt_wasm::Module::new(&b), what))
        })?,
    )?;
    wasm.set(
        "moduleExports",
        Function::new(c(), |ctx: Ctx<'js>, h: Value<'js>| {
            let m = handle(&ctx, &h)?;
            let arr = rquickjs::Array::new(ctx.clone())?;
            for (i, e) in m.info.exports.iter().enumerate() {
                arr.set(i, descriptor(&ctx, None, &e.name, e.ty.kind())?)?;
            }
            Ok::<_, rquickjs::Error>(arr)
        })?,
    )?;
    wasm.set(
        "moduleImports",
        Function::new(c(), |ctx: Ctx<'js>, h: Value<'js>| {
            let m = handle(&ctx, &h)?;
            let arr = rquickjs::Array::new(ctx.clone())?;
            for (i, e) in m.info.imports.iter().enumerate() {
                arr.set(i, descriptor(&ctx, Some(&e.module), &e.name, e.ty.kind())?)?;
            }
            Ok::<_, rquickjs::Error>(arr)
        })?,
    )?;
    wasm.set(
        "customSections",
        Function::new(c(), |ctx: Ctx<'js>, h: Value<'js>, name: String| {
            let m = handle(&ctx, &h)?;
            let arr = rquickjs::Array::new(ctx.clone())?;
            for (i, s) in m.custom_sections(&name).into_iter().enumerate() {
                arr.set(i, ArrayBuffer::new_copy(ctx.clone(), s)?)?;
            }
            Ok::<_, rquickjs::Error>(arr)
        })?,
    )?;
    // moduleTier(handle, wait) -> "compiled" | "interpreted": the tier new instances run in
    // (jsrt:wasm's tierOf); `wait`: first wait for a background compile.
    wasm.set(
        "moduleTier",
        Function::new(c(), |ctx: Ctx<'js>, h: Value<'js>, wait: bool| {
            let m = handle(&ctx, &h)?;
            if wait {
                m.finish_compiling();
            }
            Ok::<_, rquickjs::Error>(if m.is_compiled() { "compiled" } else { "interpreted" })
        })?,
    )?;
    Ok(())
}
