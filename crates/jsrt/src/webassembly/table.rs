//! Natives behind `WebAssembly.Table`: creation, length, get/set/grow with the spec's value
//! conversions. Elements cross as `jsrt_wasm::table::Ref`: a funcref element is the function
//! of whichever instance it belongs to (jsrt-wasm's table.rs keeps shared funcref tables
//! equal in every instance using them).

use jsrt_wasm::table::Ref;
use jsrt_wasm::{Table, Val, ValType};
use rquickjs::class::Trace;
use rquickjs::{Class, Ctx, Function, JsLifetime, Object, Value};

use super::function::to_wasm;

#[derive(Trace, JsLifetime)]
#[rquickjs::class(rename = "TableHandle")]
pub struct TableHandle {
    #[qjs(skip_trace)]
    pub table: Table,
    /// JS holds the table: it keeps the functions in it alive (jsrt-wasm's table.rs).
    #[qjs(skip_trace)]
    _root: jsrt_wasm::table::TableRoot,
}

impl TableHandle {
    pub fn new(table: Table) -> TableHandle {
        let _root = table.root();
        TableHandle { table, _root }
    }
}

pub fn handle_of<'js>(ctx: &Ctx<'js>, v: &Value<'js>) -> rquickjs::Result<Table> {
    Class::<TableHandle>::from_value(v)
        .map(|c| c.borrow().table.clone())
        .map_err(|_| crate::builtins::throw(ctx, "TypeError", "Receiver is not a WebAssembly.Table", None))
}

fn range_error<'js>(ctx: &Ctx<'js>, what: &str, msg: &str) -> rquickjs::Error {
    crate::builtins::throw(ctx, "RangeError", &format!("WebAssembly.Table.{what}(): {msg}"), None)
}

/// ToWebAssemblyValue for an element of `t`, or the type's default when `v` was not given
/// (null for funcref, undefined for externref).
fn element<'js>(ctx: &Ctx<'js>, t: &Table, v: &Value<'js>, given: bool) -> rquickjs::Result<Ref> {
    if t.elem == ValType::FuncRef {
        if !given || v.is_null() {
            return Ok(Ref::Func(None));
        }
        return match super::func_handle(ctx, v)? {
            Some(h) => {
                let h = h.borrow();
                Ok(Ref::Func(Some((h.instance.clone(), h.index))))
            }
            None => Err(crate::builtins::throw(ctx, "TypeError", "type incompatibility when transforming from/to JS: a funcref must be null or a WebAssembly function", None)),
        };
    }
    match to_wasm(ctx, v, ValType::ExternRef, None)? {
        Val::ExternRef(id) => Ok(Ref::Extern(id)),
        _ => Ok(Ref::Extern(None)),
    }
}

/// ToJSValue of an element.
fn to_js<'js>(ctx: &Ctx<'js>, r: &Ref) -> rquickjs::Result<Value<'js>> {
    match r {
        Ref::Func(None) | Ref::Extern(None) => Ok(Value::new_null(ctx.clone())),
        Ref::Func(Some((inst, index))) => super::func_for(ctx, inst, *index),
        Ref::Extern(Some(id)) => super::extern_value(ctx, *id),
    }
}

/// An engine error of `set`/`grow` as the JS error: sizes and full proxy pools are
/// RangeErrors.
fn engine_error<'js>(ctx: &Ctx<'js>, what: &str, e: jsrt_wasm::Error) -> rquickjs::Error {
    match e {
        jsrt_wasm::Error::Resource(m) => range_error(ctx, what, &m),
        other => super::throw_engine_error(ctx, other, &format!("WebAssembly.Table.{what}(): ")),
    }
}

pub fn install<'js>(ctx: &Ctx<'js>, wasm: &Object<'js>) -> rquickjs::Result<()> {
    let c = || ctx.clone();
    wasm.set(
        "tableNew",
        Function::new(c(), |ctx: Ctx<'js>, elem: String, initial: u32, maximum: Option<u32>, value: Value<'js>, given: bool| {
            let ty = match elem.as_str() {
                "anyfunc" | "funcref" => ValType::FuncRef,
                "externref" => ValType::ExternRef,
                _ => return Err(crate::builtins::throw(&ctx, "TypeError", "WebAssembly.Table(): Descriptor property 'element' must be a WebAssembly reference type", None)),
            };
            let t = Table::new(ty, initial, maximum).map_err(|e| super::throw_engine_error(&ctx, e, "WebAssembly.Table(): "))?;
            let v = element(&ctx, &t, &value, given)?;
            if !v.is_null() {
                for i in 0..t.len() {
                    t.set(i, v.clone()).map_err(|e| engine_error(&ctx, "set", e))?;
                }
            }
            let owner = t.owner().clone();
            let handle = Class::instance(ctx.clone(), TableHandle::new(t))?;
            // Its internal owner's keeper holds the instances of the functions put in it.
            super::keeper::give(&ctx, handle.as_value(), &owner)?;
            Ok::<_, rquickjs::Error>(handle)
        })?,
    )?;
    wasm.set(
        "tableInfo",
        Function::new(c(), |ctx: Ctx<'js>, h: Value<'js>| {
            let t = handle_of(&ctx, &h)?;
            Ok::<_, rquickjs::Error>(vec![t.id() as f64, t.len() as f64])
        })?,
    )?;
    wasm.set(
        "tableGet",
        Function::new(c(), |ctx: Ctx<'js>, h: Value<'js>, i: f64| {
            let t = handle_of(&ctx, &h)?;
            let r = (i >= 0.0 && i < t.len() as f64).then(|| t.get(i as u32)).flatten()
                .ok_or_else(|| range_error(&ctx, "get", &format!("invalid address {i} in {} table of size {}", t.elem.name(), t.len())))?;
            to_js(&ctx, &r)
        })?,
    )?;
    wasm.set(
        "tableSet",
        Function::new(c(), |ctx: Ctx<'js>, h: Value<'js>, i: f64, value: Value<'js>, given: bool| {
            let t = handle_of(&ctx, &h)?;
            if !(i >= 0.0 && i < t.len() as f64) {
                return Err(range_error(&ctx, "set", &format!("invalid address {i} in {} table of size {}", t.elem.name(), t.len())));
            }
            let v = element(&ctx, &t, &value, given)?;
            t.set(i as u32, v).map_err(|e| engine_error(&ctx, "set", e))?;
            super::keeper::flush(&ctx);
            Ok(())
        })?,
    )?;
    wasm.set(
        "tableGrow",
        Function::new(c(), |ctx: Ctx<'js>, h: Value<'js>, delta: u32, value: Value<'js>, given: bool| {
            let t = handle_of(&ctx, &h)?;
            let v = element(&ctx, &t, &value, given)?;
            let old = t.grow(delta, v).map_err(|e| engine_error(&ctx, "grow", e))?;
            super::keeper::flush(&ctx);
            Ok::<_, rquickjs::Error>(old as f64)
        })?,
    )?;
    Ok(())
}
