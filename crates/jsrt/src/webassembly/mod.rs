//! The `WebAssembly` namespace: Rust natives over `jsrt-wasm` (this directory's `.rs` files)
//! and the JS classes built on them (this directory's `.js` files, one per JS class).
//!
//! - `module.rs`: compiling (sync and on tokio's blocking pool), Module.exports/imports/
//!   customSections.
//! - `instance.rs`: instantiation with host functions made from JS callables.
//! - `memory.rs`, `global.rs`: WebAssembly.Memory (zero-copy buffers, grow, detach) and
//!   WebAssembly.Global.
//! - `function.rs`: exported function objects and value conversion (ToWebAssemblyValue,
//!   ToJSValue).
//! - `stack.rs`: wasm frames in JS stack traces (V8's format).

use rquickjs::{Ctx, Function, Object, Persistent, Value};
use std::cell::RefCell;

mod function;
mod global;
mod instance;
pub mod keeper;
mod limits;
pub(crate) mod memory;
pub(crate) mod module;
pub mod stack;
mod streaming;
mod table;

pub use module::ModuleHandle;

/// JS sources of the WebAssembly classes, evaluated lazily on first use of `WebAssembly`.
pub const JS_SOURCES: &[(&str, &str)] = &[
    ("internal/wasm/errors", include_str!("errors.js")),
    ("internal/wasm/externref", include_str!("externref.js")),
    ("internal/wasm/module", include_str!("module.js")),
    ("internal/wasm/memory", include_str!("memory.js")),
    ("internal/wasm/global", include_str!("global.js")),
    ("internal/wasm/table", include_str!("table.js")),
    ("internal/wasm/instance", include_str!("instance.js")),
    ("internal/wasm/namespace", include_str!("namespace.js")),
];

thread_local! {
    /// CompileError, LinkError, RuntimeError constructors (set by errors.js).
    static ERRORS: RefCell<Option<Persistent<Object<'static>>>> = const { RefCell::new(None) };
    /// externref.js's (toId, fromId).
    static EXTERNS: RefCell<Option<(Persistent<Function<'static>>, Persistent<Function<'static>>)>> = const { RefCell::new(None) };
}

thread_local! {
    /// Live instances by id (for funcrefs that reach JS): weak, pruned as instances die.
    static INSTANCES: RefCell<std::collections::HashMap<u64, std::rc::Weak<jsrt_wasm::Instance>>> = RefCell::new(Default::default());
    /// instance.js's (funcFor, handleOf) hooks.
    static FUNC_HOOKS: RefCell<Option<(Persistent<Function<'static>>, Persistent<Function<'static>>)>> = const { RefCell::new(None) };
}

/// Drops the JS values this thread's WebAssembly natives hold (a worker's, before its
/// runtime is freed).
pub fn teardown() {
    let errors = ERRORS.with(|e| e.borrow_mut().take());
    let externs = EXTERNS.with(|e| e.borrow_mut().take());
    let hooks = FUNC_HOOKS.with(|h| h.borrow_mut().take());
    drop((errors, externs, hooks));
    memory::teardown();
}

pub fn instance_id(i: &std::rc::Rc<jsrt_wasm::Instance>) -> f64 {
    std::rc::Rc::as_ptr(i) as usize as f64
}

pub fn register_instance(i: &std::rc::Rc<jsrt_wasm::Instance>) {
    INSTANCES.with(|m| {
        let mut m = m.borrow_mut();
        if m.len() > 64 && m.len() % 64 == 0 {
            m.retain(|_, w| w.strong_count() > 0);
        }
        m.insert(instance_id(i) as u64, std::rc::Rc::downgrade(i));
    });
}

/// The JS function for function `index` of `inst` (the same object every time).
pub fn func_for<'js>(ctx: &Ctx<'js>, inst: &std::rc::Rc<jsrt_wasm::Instance>, index: u32) -> rquickjs::Result<Value<'js>> {
    let (f, _) = FUNC_HOOKS.with(|h| h.borrow().clone()).ok_or_else(|| crate::builtins::throw(ctx, "TypeError", "funcref hooks missing", None))?;
    register_instance(inst);
    f.restore(ctx)?.call((instance_id(inst), index))
}

/// The wasm function behind a JS value, if it is an exported function.
pub fn func_handle<'js>(ctx: &Ctx<'js>, v: &Value<'js>) -> rquickjs::Result<Option<rquickjs::Class<'js, function::ExportedFunc>>> {
    if !v.is_function() {
        return Ok(None);
    }
    let Some((_, h)) = FUNC_HOOKS.with(|h| h.borrow().clone()) else { return Ok(None) };
    let handle: Value = h.restore(ctx)?.call((v.clone(),))?;
    Ok(rquickjs::Class::<function::ExportedFunc>::from_value(&handle).ok())
}

/// The id wasm holds for the JS value `v` passed as an externref.
pub fn extern_id<'js>(ctx: &Ctx<'js>, v: &Value<'js>) -> rquickjs::Result<u32> {
    let (to, _) = EXTERNS.with(|e| e.borrow().clone()).ok_or_else(|| crate::builtins::throw(ctx, "TypeError", "externref registry missing", None))?;
    to.restore(ctx)?.call((v.clone(),))
}

/// The JS value behind an externref id.
pub fn extern_value<'js>(ctx: &Ctx<'js>, id: u32) -> rquickjs::Result<Value<'js>> {
    let (_, from) = EXTERNS.with(|e| e.borrow().clone()).ok_or_else(|| crate::builtins::throw(ctx, "TypeError", "externref registry missing", None))?;
    from.restore(ctx)?.call((id,))
}

/// Throws `new WebAssembly[kind](message)`; kind is "CompileError", "LinkError" or
/// "RuntimeError" (falls back to Error before the classes exist).
pub fn throw<'js>(ctx: &Ctx<'js>, kind: &str, message: &str) -> rquickjs::Error {
    let ctor = ERRORS.with(|e| e.borrow().clone()).and_then(|p| p.restore(ctx).ok()).and_then(|o| o.get::<_, rquickjs::function::Constructor>(kind).ok());
    match ctor {
        Some(c) => match c.construct::<_, Value>((message,)) {
            Ok(v) => ctx.throw(v),
            Err(e) => e,
        },
        None => crate::builtins::throw(ctx, "Error", message, None),
    }
}

/// Maps an engine error to the JS error the spec asks for.
pub fn throw_engine_error<'js>(ctx: &Ctx<'js>, e: jsrt_wasm::Error, context: &str) -> rquickjs::Error {
    use jsrt_wasm::Error as E;
    // A trap's frames are kept for its error (stack.rs), also when it is another instance's
    // trap unwinding through an import (a `Host` error holding it): others have none.
    let holds_trap = match &e {
        E::Trap(_) => true,
        E::Host(h) => h.0.is::<jsrt_wasm::Error>(),
        _ => false,
    };
    if !holds_trap {
        stack::discard_trap_frames();
    }
    match e {
        E::Compile(m) => throw(ctx, "CompileError", &format!("{context}{m}")),
        E::Link(m) => throw(ctx, "LinkError", &format!("{context}{m}")),
        // The trap's wasm frames go into the error's stack (stack.rs).
        E::Trap(m) if m == "call stack exhausted" => {
            stack::with_overflow_frames(ctx, || crate::builtins::throw(ctx, "RangeError", "Maximum call stack size exceeded", None))
        }
        E::Trap(m) => stack::with_trap_frames(ctx, || throw(ctx, "RuntimeError", &m)),
        E::Resource(m) => crate::builtins::throw(ctx, "RangeError", &format!("{context}{m}"), None),
        E::Host(h) => match h.0.downcast::<Persistent<Value<'static>>>() {
            // A JS exception thrown by an imported function: rethrow the very same value.
            Ok(p) => match p.restore(ctx) {
                Ok(v) => ctx.throw(v),
                Err(e) => e,
            },
            // An error of a wasm function called directly as an import of another instance.
            Err(other) => match other.downcast::<jsrt_wasm::Error>() {
                Ok(inner) => throw_engine_error(ctx, *inner, context),
                Err(_) => throw(ctx, "RuntimeError", "host function failed"),
            },
        },
    }
}

/// Applies `--wasm-*` limits. Returns an error message for out-of-range values.
pub fn configure(flags: &crate::cli::WasmFlags) -> Result<(), String> {
    let limits = jsrt_wasm::Limits::from_overrides(flags.stack_size, flags.heap_size, flags.max_memory, flags.max_modules)
        .and_then(|l| l.with_foreign_functions(flags.foreign_functions))
        .map_err(|e| e.to_string())?;
    jsrt_wasm::engine::configure(limits);
    jsrt_wasm::interrupt::set_timeout(flags.timeout_ms.map(std::time::Duration::from_millis));
    jsrt_wasm::fuel::set_budget(flags.max_instructions);
    configure_tier(flags)
}

/// `--wasm-tier` (else `$JSRT_WASM_TIER`), the code cache's directory (`--wasm-cache-dir`, else
/// `$JSRT_WASM_CACHE_DIR`, else the user's cache directory) and tracing.
fn configure_tier(flags: &crate::cli::WasmFlags) -> Result<(), String> {
    use jsrt_wasm::compiled::{Settings, Tier};
    let tier = match (flags.tier, std::env::var("JSRT_WASM_TIER")) {
        (Some(t), _) => t,
        (None, Ok(v)) if !v.is_empty() => v.parse::<Tier>().map_err(|e| format!("JSRT_WASM_TIER: {e}"))?,
        _ => Tier::Auto,
    };
    let mut settings = Settings { tier, trace: flags.trace_tier, ..Settings::default() };
    let dir = flags.cache_dir.clone().or_else(|| std::env::var("JSRT_WASM_CACHE_DIR").ok().filter(|d| !d.is_empty()));
    if let Some(dir) = dir {
        settings.cache_dir = Some(std::path::absolute(&dir).map_err(|e| format!("--wasm-cache-dir: {e}"))?);
    }
    if flags.no_cache {
        settings.cache_dir = None;
    }
    jsrt_wasm::compiled::configure(settings);
    Ok(())
}

pub fn install<'js>(ctx: &Ctx<'js>, native: &Object<'js>) -> rquickjs::Result<()> {
    let wasm = Object::new(ctx.clone())?;
    stack::install();
    module::install(ctx, &wasm)?;
    streaming::install(ctx, &wasm)?;
    instance::install(ctx, &wasm)?;
    memory::install(ctx, &wasm)?;
    global::install(ctx, &wasm)?;
    table::install(ctx, &wasm)?;
    limits::install(ctx, &wasm)?;
    wasm.set(
        "setErrorClasses",
        Function::new(ctx.clone(), |ctx: Ctx<'js>, classes: Object<'js>| {
            ERRORS.with(|e| *e.borrow_mut() = Some(Persistent::save(&ctx, classes)));
        })?,
    )?;
    wasm.set(
        "setExternRegistry",
        Function::new(ctx.clone(), |ctx: Ctx<'js>, to: Function<'js>, from: Function<'js>| {
            EXTERNS.with(|e| *e.borrow_mut() = Some((Persistent::save(&ctx, to), Persistent::save(&ctx, from))));
        })?,
    )?;
    // externLive() -> ids of externref values wasm still holds, or null during a wasm call.
    wasm.set(
        "externLive",
        Function::new(ctx.clone(), |ctx: Ctx<'js>| -> rquickjs::Result<Value<'js>> {
            match jsrt_wasm::cycles::live_externrefs() {
                None => Ok(Value::new_null(ctx)),
                Some(ids) => {
                    let arr = rquickjs::Array::new(ctx.clone())?;
                    for (k, id) in ids.into_iter().enumerate() {
                        arr.set(k, id)?;
                    }
                    Ok(arr.into_value())
                }
            }
        })?,
    )?;
    wasm.set(
        "setFuncHooks",
        Function::new(ctx.clone(), |ctx: Ctx<'js>, func_for: Function<'js>, handle_of: Function<'js>| {
            FUNC_HOOKS.with(|h| *h.borrow_mut() = Some((Persistent::save(&ctx, func_for), Persistent::save(&ctx, handle_of))));
        })?,
    )?;
    // makeFunction(instanceId, index) -> [function, handle] for function `index` of a live instance.
    wasm.set(
        "makeFunction",
        Function::new(ctx.clone(), |ctx: Ctx<'js>, id: f64, index: u32| {
            let inst = INSTANCES.with(|m| m.borrow().get(&(id as u64)).and_then(|w| w.upgrade()))
                .ok_or_else(|| crate::builtins::throw(&ctx, "TypeError", "the instance of this funcref is gone", None))?;
            let func = inst.func_by_index(index)
                .ok_or_else(|| crate::builtins::throw(&ctx, "TypeError", &format!("function {index} cannot be called from the host"), None))?;
            let (f, h) = function::make_exported(&ctx, inst, func, index)?;
            let arr = rquickjs::Array::new(ctx.clone())?;
            arr.set(0, f)?;
            arr.set(1, h)?;
            Ok::<_, rquickjs::Error>(arr)
        })?,
    )?;
    native.set("wasm", wasm)?;
    Ok(())
}
