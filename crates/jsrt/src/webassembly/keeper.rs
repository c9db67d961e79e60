//! Keepers: how the JS functions an instance imports stay alive exactly as long as needed.
//!
//! A host function must not own its JS function through a `Persistent` (a GC root): the
//! function usually refers back to the instance (`() => instance.exports.f()`), and a root in
//! that cycle would keep instance and function alive forever. Instead every instance made by
//! `WebAssembly.Instance` gets a *keeper*, a small JS object whose `v` array holds the
//! instance's JS import functions. Every JS object that stands for something keeping the
//! instance alive holds the keeper in a property — the instance's handle, its exported
//! function objects, the handles of its memories, tables and globals — so QuickJS's GC sees
//! the whole graph and collects cycles through it. References between instances (another
//! instance calling one of its functions, a shared table holding them: jsrt-wasm's
//! `cycles::take_new_edges`) are mirrored as references between their keepers by [`flush`],
//! which runs before any JS code can run again (after a call into wasm, at the start of a
//! host function, at the end of natives that pass funcrefs in).
//!
//! Host functions hold their JS function as a raw value: alive while the keeper is, and the
//! keeper is alive while anything that can call the instance is.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::{Rc, Weak};

use jsrt_wasm::Instance;
use rquickjs::class::Trace;
use rquickjs::{qjs, Array, Class, Ctx, JsLifetime, Object, Value};

/// Property name under which holders keep a keeper (not a valid identifier: never clashes).
const HOLD: &str = "jsrt:keeper";

thread_local! {
    /// Live keepers: instance address -> (the instance, generation, the keeper object — a raw
    /// value owned by the JS objects holding it, removed from here when it is finalized).
    static KEEPERS: RefCell<HashMap<usize, KeeperEntry>> = RefCell::new(HashMap::new());
    static GENERATION: Cell<u64> = const { Cell::new(0) };
}

/// (the instance, the keeper's generation, the keeper object).
type KeeperEntry = (Weak<Instance>, u64, qjs::JSValue);

/// The keeper object's class: its only Rust state says which map entry it is.
#[derive(Trace, JsLifetime)]
#[rquickjs::class(rename = "InstanceKeeper")]
pub struct Keeper {
    #[qjs(skip_trace)]
    id: usize,
    #[qjs(skip_trace)]
    generation: u64,
}

impl Drop for Keeper {
    fn drop(&mut self) {
        let _ = KEEPERS.try_with(|k| {
            let mut k = k.borrow_mut();
            if k.get(&self.id).is_some_and(|e| e.1 == self.generation) {
                k.remove(&self.id);
            }
        });
    }
}

/// A new keeper (not yet tied to an instance: [`register`]).
pub fn new<'js>(ctx: &Ctx<'js>) -> rquickjs::Result<Object<'js>> {
    let generation = GENERATION.with(|g| {
        g.set(g.get() + 1);
        g.get()
    });
    let k = Class::instance(ctx.clone(), Keeper { id: 0, generation })?;
    let obj = k.into_value().into_object().ok_or(rquickjs::Error::Exception)?;
    obj.set("v", Array::new(ctx.clone())?)?;
    Ok(obj)
}

/// Ties `keeper` to `inst` (so [`of`] finds it).
pub fn register<'js>(keeper: &Object<'js>, inst: &Rc<Instance>) -> rquickjs::Result<()> {
    let id = Rc::as_ptr(inst) as usize;
    let class = Class::<Keeper>::from_value(keeper.as_value())?;
    let generation = {
        let mut k = class.borrow_mut();
        k.id = id;
        k.generation
    };
    KEEPERS.with(|k| k.borrow_mut().insert(id, (Rc::downgrade(inst), generation, keeper.as_raw())));
    Ok(())
}

/// The keeper of `inst`, if it has one (instances made by `WebAssembly.Instance`, and the
/// internal owners of JS-created tables and globals).
pub fn of<'js>(ctx: &Ctx<'js>, inst: &Rc<Instance>) -> Option<Object<'js>> {
    let raw = KEEPERS.with(|k| {
        let k = k.borrow();
        let (w, _, raw) = k.get(&(Rc::as_ptr(inst) as usize))?;
        // A dead instance's entry (its keeper not finalized yet) may share a new one's address.
        (w.as_ptr() == Rc::as_ptr(inst) && w.strong_count() > 0).then_some(*raw)
    })?;
    // SAFETY: the entry is removed when the keeper is finalized, so `raw` is a live object of
    // this runtime; duplicating gives the returned value its own reference.
    let v = unsafe { Value::from_raw(ctx.clone(), qjs::JS_DupValue(ctx.as_raw().as_ptr(), raw)) };
    v.into_object()
}

/// Makes `keeper` hold `value` (an import function, or another keeper).
pub fn hold<'js>(keeper: &Object<'js>, value: Value<'js>) -> rquickjs::Result<()> {
    let v: Array = keeper.get("v")?;
    v.set(v.len(), value)
}

/// Makes `holder` hold `keeper`.
pub fn set<'js>(holder: &Object<'js>, keeper: Object<'js>) -> rquickjs::Result<()> {
    holder.set(HOLD, keeper)
}

/// Gives `handle` (of a JS-created table or global) a keeper for its internal owner `inst`,
/// whose funcrefs refer to other instances, and mirrors the references taken so far.
pub fn give<'js>(ctx: &Ctx<'js>, handle: &Value<'js>, inst: &Rc<Instance>) -> rquickjs::Result<()> {
    let k = match of(ctx, inst) {
        Some(k) => k,
        None => {
            let k = new(ctx)?;
            register(&k, inst)?;
            k
        }
    };
    if let Some(obj) = handle.as_object() {
        set(obj, k)?;
    }
    flush(ctx);
    Ok(())
}

/// Makes `holder` (a handle object standing for something that keeps `inst` alive) hold
/// `inst`'s keeper.
pub fn attach<'js>(ctx: &Ctx<'js>, holder: &Object<'js>, inst: &Rc<Instance>) -> rquickjs::Result<()> {
    match of(ctx, inst) {
        Some(k) => holder.set(HOLD, k),
        None => Ok(()),
    }
}

/// Mirrors the references instances took to each other since the last time as references
/// between their keepers (see the module docs). Cheap when there are none.
#[inline]
pub fn flush(ctx: &Ctx<'_>) {
    if jsrt_wasm::cycles::has_new_edges() {
        flush_edges(ctx);
    }
}

#[inline(never)]
fn flush_edges(ctx: &Ctx<'_>) {
    for (from, to) in jsrt_wasm::cycles::take_new_edges() {
        if let (Some(a), Some(b)) = (of(ctx, &from), of(ctx, &to)) {
            if a != b {
                let _ = hold(&a, b.into_value());
            }
        }
    }
}
