//! Natives behind `WebAssembly.Global`: creation with a value type and mutability, and
//! reading/writing the value in place (ToWebAssemblyValue / ToJSValue).

use jsrt_wasm::{Global, Val, ValType};
use rquickjs::class::Trace;
use rquickjs::{Class, Ctx, Function, JsLifetime, Object, Value};

use super::function::{to_js, to_wasm};

#[derive(Trace, JsLifetime)]
#[rquickjs::class(rename = "GlobalHandle")]
pub struct GlobalHandle {
    #[qjs(skip_trace)]
    pub global: Global,
}

/// Parses the descriptor's `value` string.
pub fn val_type(name: &str) -> Option<ValType> {
    Some(match name {
        "i32" => ValType::I32,
        "i64" => ValType::I64,
        "f32" => ValType::F32,
        "f64" => ValType::F64,
        "anyfunc" | "funcref" => ValType::FuncRef,
        "externref" => ValType::ExternRef,
        "v128" => ValType::V128,
        _ => return None,
    })
}

fn handle_of<'js>(ctx: &Ctx<'js>, v: &Value<'js>) -> rquickjs::Result<Global> {
    Class::<GlobalHandle>::from_value(v)
        .map(|c| c.borrow().global.clone())
        .map_err(|_| crate::builtins::throw(ctx, "TypeError", "Receiver is not a WebAssembly.Global", None))
}

pub fn install<'js>(ctx: &Ctx<'js>, wasm: &Object<'js>) -> rquickjs::Result<()> {
    let c = || ctx.clone();
    // globalNew(type, mutable, value|undefined): undefined means the type's default value.
    wasm.set(
        "globalNew",
        Function::new(c(), |ctx: Ctx<'js>, ty: String, mutable: bool, value: Value<'js>| {
            let t = val_type(&ty).ok_or_else(|| crate::builtins::throw(&ctx, "TypeError", "WebAssembly.Global(): Descriptor property 'value' must be a WebAssembly type", None))?;
            if t == ValType::V128 {
                return Err(crate::builtins::throw(&ctx, "TypeError", "WebAssembly.Global(): v128 globals cannot be created from JavaScript", None));
            }
            // A missing value is the type's default, except externref, whose default is
            // ToWebAssemblyValue(undefined) (the spec's DefaultValue).
            let g = if t == ValType::FuncRef && !value.is_undefined() && !value.is_null() {
                // A function of any instance (made a funcref of the global's owner).
                let h = super::func_handle(&ctx, &value)?.ok_or_else(|| {
                    crate::builtins::throw(&ctx, "TypeError", "type incompatibility when transforming from/to JS: a funcref must be null or a WebAssembly function", None)
                })?;
                let h = h.borrow();
                Global::new_func(mutable, Some((h.instance.clone(), h.index)))
            } else {
                let init = if value.is_undefined() && t != ValType::ExternRef { Val::default_for(t) } else { to_wasm(&ctx, &value, t, None)? };
                Global::new(t, mutable, init)
            };
            let g = g.map_err(|e| super::throw_engine_error(&ctx, e, "WebAssembly.Global(): "))?;
            let owner = g.owner().clone();
            let handle = Class::instance(ctx.clone(), GlobalHandle { global: g })?;
            if t == ValType::FuncRef {
                // Its internal owner's keeper holds the instance of the function it holds.
                super::keeper::give(&ctx, handle.as_value(), &owner)?;
            }
            Ok::<_, rquickjs::Error>(handle)
        })?,
    )?;
    wasm.set(
        "globalGet",
        Function::new(c(), |ctx: Ctx<'js>, h: Value<'js>| {
            let g = handle_of(&ctx, &h)?;
            if g.ty == ValType::V128 {
                return Err(crate::builtins::throw(&ctx, "TypeError", "WebAssembly.Global.value: v128 cannot be read from JavaScript", None));
            }
            to_js(&ctx, &g.get(), Some(g.owner()))
        })?,
    )?;
    wasm.set(
        "globalSet",
        Function::new(c(), |ctx: Ctx<'js>, h: Value<'js>, v: Value<'js>| {
            let g = handle_of(&ctx, &h)?;
            if !g.mutable {
                return Err(crate::builtins::throw(&ctx, "TypeError", "WebAssembly.Global.value: Can't set the value of an immutable global.", None));
            }
            let val = to_wasm(&ctx, &v, g.ty, Some(g.owner()))?;
            g.set(val).map_err(|e| crate::builtins::throw(&ctx, "TypeError", &e.to_string(), None))
        })?,
    )?;
    wasm.set(
        "globalInfo",
        Function::new(c(), |ctx: Ctx<'js>, h: Value<'js>| {
            let g = handle_of(&ctx, &h)?;
            let o = Object::new(ctx.clone())?;
            o.set("value", g.ty.name())?;
            o.set("mutable", g.mutable)?;
            o.set("id", g.id() as f64)?;
            Ok::<_, rquickjs::Error>(o)
        })?,
    )?;
    Ok(())
}
