//! Natives behind `WebAssembly.Table`: creation, length, get/set/grow with the spec's value
//! conversions. Funcref elements convert against the table's function space (table.rs in
//! jsrt-wasm explains why a funcref table belongs to one instance).

use std::cell::RefCell;
use std::collections::HashMap;

use jsrt_wasm::{Table, Val, ValType};
use rquickjs::class::Trace;
use rquickjs::{Class, Ctx, Function, JsLifetime, Object, Persistent, Value};

thread_local! {
    /// Elements JS put into a standalone funcref table before any instance imports it that are
    /// functions of other instances: they become function indices of the importer when it
    /// binds the table (`bind_pending`), if it imports those functions. By table id, then
    /// element index.
    static PENDING: RefCell<HashMap<usize, HashMap<u32, Persistent<Value<'static>>>>> = RefCell::new(HashMap::new());
}

/// Stores `value` at `i` of `t`, or keeps it pending (see [`PENDING`]) when `t` awaits an
/// importer and `value` is another instance's function.
fn store<'js>(ctx: &Ctx<'js>, t: &Table, i: u32, value: &Value<'js>, given: bool) -> rquickjs::Result<()> {
    if given && t.awaits_importer() && super::func_handle(ctx, value)?.is_some_and(|h| !std::rc::Rc::ptr_eq(&h.borrow().instance, t.owner())) {
        PENDING.with(|p| p.borrow_mut().entry(t.id()).or_default().insert(i, Persistent::save(ctx, value.clone())));
        return t.set(i, Val::FuncRef(None)).map_err(|e| super::throw_engine_error(ctx, e, "WebAssembly.Table.set(): "));
    }
    PENDING.with(|p| p.borrow_mut().get_mut(&t.id()).map(|m| m.remove(&i)));
    let v = element(ctx, t, value, given)?;
    t.set(i, v).map_err(|e| super::throw_engine_error(ctx, e, "WebAssembly.Table.set(): "))
}

/// Turns the pending elements of `t` (just bound to `importer`) into its function indices.
/// An element the importer cannot call (it does not import that function) is a LinkError,
/// and the elements stay pending. Runs after the importer's element segments (which win) and
/// start function (which sees pending slots as null).
pub fn bind_pending<'js>(ctx: &Ctx<'js>, t: &Table, importer: &std::rc::Rc<jsrt_wasm::Instance>) -> rquickjs::Result<()> {
    let Some(pending) = PENDING.with(|p| p.borrow_mut().remove(&t.id())) else { return Ok(()) };
    let mut converted = Vec::with_capacity(pending.len());
    for (i, v) in &pending {
        let value = v.clone().restore(ctx)?;
        match to_wasm(ctx, &value, ValType::FuncRef, Some(importer)) {
            Ok(w) => converted.push((*i, w)),
            Err(_) => {
                let _ = ctx.catch();
                PENDING.with(|p| p.borrow_mut().insert(t.id(), pending.clone()));
                return Err(super::throw(ctx, "LinkError", &format!(
                    "WebAssembly.Instance(): table element {i} is a function of another instance that this module does not import (WAMR funcrefs are per-instance function indices)"
                )));
            }
        }
    }
    for (i, w) in converted {
        // An element segment of the importer that wrote this slot came later: it wins.
        if i < t.len() && t.get(i) == Some(Val::FuncRef(None)) {
            t.set(i, w).map_err(|e| super::throw_engine_error(ctx, e, "WebAssembly.Instance(): "))?;
        }
    }
    Ok(())
}

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
            // A new table: nothing pending (its id may be a dead table's).
            PENDING.with(|p| p.borrow_mut().remove(&t.id()));
            if given && t.awaits_importer() && super::func_handle(&ctx, &value)?.is_some() {
                for i in 0..t.len() {
                    store(&ctx, &t, i, &value, given)?;
                }
            } else {
                let v = element(&ctx, &t, &value, given)?;
                if v != Val::FuncRef(None) && v != Val::ExternRef(None) {
                    for i in 0..t.len() {
                        t.set(i, v).map_err(|e| super::throw_engine_error(&ctx, e, "WebAssembly.Table(): "))?;
                    }
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
            if t.awaits_importer() {
                if let Some(p) = PENDING.with(|p| p.borrow().get(&t.id()).and_then(|m| m.get(&(i as u32)).cloned())) {
                    return p.restore(&ctx);
                }
            }
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
            store(&ctx, &t, i as u32, &value, given)
        })?,
    )?;
    wasm.set(
        "tableGrow",
        Function::new(c(), |ctx: Ctx<'js>, h: Value<'js>, delta: u32, value: Value<'js>, given: bool| {
            let t = handle_of(&ctx, &h)?;
            let pending = given && t.awaits_importer() && super::func_handle(&ctx, &value)?.is_some();
            let v = if pending { Val::FuncRef(None) } else { element(&ctx, &t, &value, given)? };
            let old = t.grow(delta, v).map_err(|e| match e {
                jsrt_wasm::Error::Resource(m) => range_error(&ctx, "grow", &m),
                other => super::throw_engine_error(&ctx, other, "WebAssembly.Table.grow(): "),
            })?;
            if pending {
                for i in old..old + delta {
                    store(&ctx, &t, i, &value, given)?;
                }
            }
            Ok::<_, rquickjs::Error>(old as f64)
        })?,
    )?;
    Ok(())
}
