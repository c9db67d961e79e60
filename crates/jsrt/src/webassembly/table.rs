//! Natives behind `WebAssembly.Table`: creation, length, get/set/grow with the spec's value
//! conversions. Funcref elements convert against the table's function space (table.rs in
//! jsrt-wasm explains why a funcref table belongs to one instance).

use jsrt_wasm::{Table, Val, ValType};
use rquickjs::class::Trace;
use rquickjs::{Class, Ctx, Function, JsLifetime, Object, Value};

use super::function::{to_js, to_wasm};

#[derive(Trace, JsLifetime)]
#[rquickjs::class(rename = "TableHandle")]
pub struct TableHandle {
    #[qjs(skip_trace)]
    pub table: Table,
}

pub fn handle_of<'js>(ctx: &Ctx<'js>, v: &Value<'js>) -> rquickjs::Result<Table> {
    Class::<TableHandle>::from_value(v)
        .map(|c| c.borrow().table.clone())
        .map_err(|_| crate::builtins::throw(ctx, "TypeError", "Receiver is not a WebAssembly.Table", None))
}

fn range_error<'js>(ctx: &Ctx<'js>, what: &str, msg: &str) -> rquickjs::Error {
    crate::builtins::throw(ctx, "RangeError", &format!("WebAssembly.Table.{what}(): {msg}"), None)
}

/// The element value for `v`, or the type's default when `v` is undefined and absent.
fn element<'js>(ctx: &Ctx<'js>, t: &Table, v: &Value<'js>, given: bool) -> rquickjs::Result<Val> {
    if !given {
        // DefaultValue: null for funcref, undefined for externref.
        return if t.elem == ValType::FuncRef { Ok(Val::FuncRef(None)) } else { to_wasm(ctx, v, t.elem, None) };
    }
    to_wasm(ctx, v, t.elem, Some(&t.function_space()))
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
            if v != Val::FuncRef(None) && v != Val::ExternRef(None) {
                for i in 0..t.len() {
                    t.set(i, v).map_err(|e| super::throw_engine_error(&ctx, e, "WebAssembly.Table(): "))?;
                }
            }
            Class::instance(ctx, TableHandle { table: t })
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
            let v = (i >= 0.0 && i < t.len() as f64).then(|| t.get(i as u32)).flatten()
                .ok_or_else(|| range_error(&ctx, "get", &format!("invalid address {i} in {} table of size {}", t.elem.name(), t.len())))?;
            to_js(&ctx, &v, Some(&t.function_space()))
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
            t.set(i as u32, v).map_err(|e| super::throw_engine_error(&ctx, e, "WebAssembly.Table.set(): "))
        })?,
    )?;
    wasm.set(
        "tableGrow",
        Function::new(c(), |ctx: Ctx<'js>, h: Value<'js>, delta: u32, value: Value<'js>, given: bool| {
            let t = handle_of(&ctx, &h)?;
            let v = element(&ctx, &t, &value, given)?;
            t.grow(delta, v).map(|old| old as f64).map_err(|e| match e {
                jsrt_wasm::Error::Resource(m) => range_error(&ctx, "grow", &m),
                other => super::throw_engine_error(&ctx, other, "WebAssembly.Table.grow(): "),
            })
        })?,
    )?;
    Ok(())
}
