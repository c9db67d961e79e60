//! Natives behind `WebAssembly.Instance`: instantiation with the imports JS resolved (host
//! functions from JS callables, or wasm functions exported by other instances, called
//! directly), and the instance's exports.

use std::rc::Rc;
use std::sync::Arc;

use jsrt_wasm::{Extern, ExternType, HostError, HostFunc, Instance, Val};
use rquickjs::class::Trace;
use rquickjs::{qjs, Array, Class, Ctx, Function, JsLifetime, Object, Persistent, Value};

use super::function::{make_exported, results_from_js, to_js, ExportedFunc};
use super::module::handle;

/// The JS-side handle of an instance (kept in a private field of WebAssembly.Instance).
#[derive(Trace, JsLifetime)]
#[rquickjs::class(rename = "InstanceHandle")]
pub struct InstanceHandle {
    /// Keeps the instance alive as long as the JS Instance object is.
    #[qjs(skip_trace)]
    pub _inner: Rc<Instance>,
}

fn host_error<'js>(ctx: &Ctx<'js>, e: rquickjs::Error) -> HostError {
    let v = crate::event_loop::caught(ctx, e);
    HostError(Box::new(Persistent::save(ctx, v)))
}

/// The instance a host function belongs to, known once instantiation is done (for funcrefs).
type Owner = Rc<std::cell::RefCell<std::rc::Weak<Instance>>>;

/// A host function calling the JS callable `f` for an import of type `ty`.
///
/// Calls go straight through `JS_Call` with the arguments in a stack array (numbers made
/// without rquickjs's argument vector). `f` is kept alive by the instance's keeper
/// (keeper.rs), which the caller makes hold it, so its raw value stays valid while the
/// instance can be called.
fn js_host_func<'js>(ctx: &Ctx<'js>, f: &Function<'js>, ty: jsrt_wasm::FuncType, owner: Owner) -> HostFunc {
    let f_raw = f.as_raw();
    let raw = ctx.as_raw();
    // JS cannot take or give a v128: the spec's "run a host function" throws a TypeError
    // before calling the JS function (a host function of its own, so other calls pay nothing).
    if ty.params.iter().chain(&ty.results).any(|t| *t == jsrt_wasm::ValType::V128) {
        return Box::new(move |_: &[Val], _: &mut [Val]| {
            // SAFETY: as below.
            let ctx = unsafe { Ctx::from_raw(raw) };
            let e = crate::builtins::throw(&ctx, "TypeError", "type incompatibility when transforming from/to JS", None);
            Err(host_error(&ctx, e))
        });
    }
    Box::new(move |args: &[Val], results: &mut [Val]| {
        // SAFETY: host functions run only inside a call into wasm made from JS on this thread
        // (an exported function or instantiation), so the context is alive and locked here.
        let ctx = unsafe { Ctx::from_raw(raw) };
        if super::memory::any_buffers() {
            super::memory::sync(&ctx);
        }
        super::keeper::flush(&ctx);
        let inst = owner.borrow().upgrade();
        jsrt_wasm::stack_slice!(js_args, args.len(), qjs::JS_MKVAL(qjs::JS_TAG_UNDEFINED, 0));
        // Owned values: freed below, also when a conversion fails half-way.
        let free = |ctx: &Ctx<'_>, vals: &[qjs::JSValue]| {
            for v in vals {
                // SAFETY: each value was created owned by this function and is freed once.
                unsafe { qjs::JS_FreeValue(ctx.as_raw().as_ptr(), *v) };
            }
        };
        for (i, a) in args.iter().enumerate() {
            js_args[i] = match *a {
                Val::I32(x) => qjs::JS_MKVAL(qjs::JS_TAG_INT, x),
                Val::F64(bits) => qjs::JS_NewFloat64(f64::from_bits(bits)),
                Val::F32(bits) => qjs::JS_NewFloat64(f32::from_bits(bits) as f64),
                _ => match to_js(&ctx, a, inst.as_ref()) {
                    // SAFETY: duplicated before `v` drops, so the array holds an owned value.
                    Ok(v) => unsafe { qjs::JS_DupValue(ctx.as_raw().as_ptr(), v.as_raw()) },
                    Err(e) => {
                        free(&ctx, &js_args[..i]);
                        return Err(host_error(&ctx, e));
                    }
                },
            };
        }
        // SAFETY: `f_raw` is kept alive by `pf`; the arguments are valid values of this
        // context; JS_Call does not take ownership of them and returns an owned value.
        let ret = unsafe {
            qjs::JS_Call(ctx.as_raw().as_ptr(), f_raw, qjs::JS_MKVAL(qjs::JS_TAG_UNDEFINED, 0), js_args.len() as i32, js_args.as_mut_ptr())
        };
        free(&ctx, js_args);
        // SAFETY: `ret` is owned (or the exception marker, which holds no reference).
        let ret = unsafe { Value::from_raw(ctx.clone(), ret) };
        if ret.is_exception() {
            return Err(host_error(&ctx, rquickjs::Error::Exception));
        }
        if let ([jsrt_wasm::ValType::I32], Some(x)) = (&ty.results[..], ret.as_int()) {
            results[0] = Val::I32(x);
            return Ok(());
        }
        let values = results_from_js(&ctx, ret, &ty.results, inst.as_ref()).map_err(|e| host_error(&ctx, e))?;
        results.copy_from_slice(&values);
        Ok(())
    })
}

/// `handle` (of a memory, table or global owned by `owner`) holding `owner`'s keeper.
/// The position in the import list of the import an export re-exports (-1 if it is the
/// module's own): imports come first in each kind's index space.
fn import_index(imports: &[jsrt_wasm::ImportInfo], export: &jsrt_wasm::ExportInfo) -> i32 {
    let same_kind = |im: &&jsrt_wasm::ImportInfo| im.ty.kind() == export.ty.kind();
    imports.iter().enumerate().filter(|(_, im)| same_kind(im)).nth(export.index as usize).map_or(-1, |(i, _)| i as i32)
}

fn held<'js>(ctx: &Ctx<'js>, handle: Value<'js>, owner: &Rc<Instance>) -> rquickjs::Result<Value<'js>> {
    if let Some(obj) = handle.as_object() {
        super::keeper::attach(ctx, obj, owner)?;
    }
    Ok(handle)
}

pub fn install<'js>(ctx: &Ctx<'js>, wasm: &Object<'js>) -> rquickjs::Result<()> {
    // instantiate(moduleHandle, imports[]) -> { handle, exports: [[name, kind, value, handle|importIndex]] }
    wasm.set("instantiate", Function::new(ctx.clone(), instantiate)?)?;
    Ok(())
}

/// `WebAssembly.Instance`'s native half: the imports as engine externs, the instance (made
/// known to its host functions and keeper as soon as it exists), its exports as entries.
fn instantiate<'js>(ctx: Ctx<'js>, h: Value<'js>, imports: Array<'js>) -> rquickjs::Result<Object<'js>> {
    let module = handle(&ctx, &h)?;
    let owner: Owner = Rc::default();
    // Holds the JS functions imported (keeper.rs).
    let keeper = super::keeper::new(&ctx)?;
    let externs = resolve_imports(&ctx, &module, &imports, &owner, &keeper)?;
    let instance = make_instance(&ctx, &module, externs, &owner, &keeper)?;
    let exports = export_entries(&ctx, &module, &instance)?;
    let result = Object::new(ctx.clone())?;
    result.set("id", super::instance_id(&instance))?;
    let handle = Class::instance(ctx.clone(), InstanceHandle { _inner: instance })?.into_value();
    if let Some(obj) = handle.as_object() {
        super::keeper::set(obj, keeper)?;
    }
    result.set("handle", handle)?;
    result.set("exports", exports)?;
    Ok(result)
}

/// One engine extern per import, from the JS values given (LinkError when one is not what
/// the import needs).
fn resolve_imports<'js>(ctx: &Ctx<'js>, module: &jsrt_wasm::Module, imports: &Array<'js>, owner: &Owner, keeper: &Object<'js>) -> rquickjs::Result<Vec<Extern>> {
    let mut externs: Vec<Extern> = Vec::new();
    for (i, imp) in module.info.imports.iter().enumerate() {
        let v: Value = imports.get(i)?;
        let link_err = |why: &str| super::throw(ctx, "LinkError", &format!("WebAssembly.Instance(): Import #{i} \"{}\" \"{}\": {why}", imp.module, imp.name));
        externs.push(match &imp.ty {
            ExternType::Func(ty) => {
                if let Ok(exported) = Class::<ExportedFunc>::from_value(&v) {
                    // Another instance's function: called directly (jsrt-wasm checks the type).
                    let b = exported.borrow();
                    Extern::WasmFunc(b.instance.clone(), b.index)
                } else {
                    let f: Function = Function::from_value(v)?;
                    let ext = Extern::Func(js_host_func(ctx, &f, ty.clone(), owner.clone()));
                    super::keeper::hold(keeper, f.into_value())?;
                    ext
                }
            }
            ExternType::Memory { .. } => {
                Extern::Memory(super::memory::handle_of(ctx, &v).map_err(|_| link_err("memory import must be a WebAssembly.Memory object"))?)
            }
            ExternType::Table { .. } => Extern::Table(super::table::handle_of(ctx, &v).map_err(|_| link_err("table import requires a WebAssembly.Table"))?),
            ExternType::Global { ty, mutable } => global_extern(ctx, &v, *ty, *mutable, &link_err)?,
            other => return Err(link_err(&format!("importing a {} is not supported yet", other.kind()))),
        });
    }
    Ok(externs)
}

/// A global import's extern: a shared global (mutable), another instance's function (a
/// funcref, made the importer's once it exists), or a value.
fn global_extern<'js>(ctx: &Ctx<'js>, v: &Value<'js>, ty: jsrt_wasm::ValType, mutable: bool, link_err: &dyn Fn(&str) -> rquickjs::Error) -> rquickjs::Result<Extern> {
    if let Ok(g) = Class::<super::global::GlobalHandle>::from_value(v) {
        let g = g.borrow().global.clone();
        if g.ty != ty || g.mutable != mutable {
            return Err(link_err("imported global does not match the expected type or mutability"));
        }
        if mutable {
            // One global shared by its owner and every importer.
            return Ok(Extern::SharedGlobal(g));
        }
        return Ok(match g.get() {
            // A funcref value of the global's owner: a function of some instance, made a
            // funcref of the importer once it exists.
            Val::FuncRef(Some(r)) => Extern::FuncGlobal(g.owner().clone(), r),
            v => Extern::Global(v),
        });
    }
    if mutable {
        return Err(link_err("imported mutable global must be a WebAssembly.Global object"));
    }
    let value = match ty {
        jsrt_wasm::ValType::FuncRef => match super::func_handle(ctx, v)? {
            // A function of any instance (its funcref value is made once the importer exists).
            Some(h) => {
                let h = h.borrow();
                return Ok(Extern::FuncGlobal(h.instance.clone(), h.index));
            }
            None => super::function::to_wasm(ctx, v, ty, None)?,
        },
        jsrt_wasm::ValType::ExternRef => super::function::to_wasm(ctx, v, ty, None)?,
        jsrt_wasm::ValType::I64 if v.is_big_int() => super::function::to_wasm(ctx, v, ty, None)?,
        jsrt_wasm::ValType::I32 | jsrt_wasm::ValType::F32 | jsrt_wasm::ValType::F64 if v.is_number() => super::function::to_wasm(ctx, v, ty, None)?,
        _ => return Err(link_err("global import must be a number, valid Wasm reference, or WebAssembly.Global object")),
    };
    Ok(Extern::Global(value))
}

/// Instantiates `module` with `externs`; the instance is known to its host functions
/// (`owner`) and to the keeper as soon as it exists: its start function may call them.
fn make_instance<'js>(ctx: &Ctx<'js>, module: &Arc<jsrt_wasm::Module>, externs: Vec<Extern>, owner: &Owner, keeper: &Object<'js>) -> rquickjs::Result<Rc<Instance>> {
    let mut registered = Ok(());
    if jsrt_wasm::cycles::due() {
        // Instances hold native memory QuickJS does not count, so its GC may lag far
        // behind: run it before the engine's own cycle collection (jsrt-wasm's
        // cycles.rs) as the number of instances doubles.
        // SAFETY: a full GC is allowed whenever JS may call a native.
        unsafe { qjs::JS_RunGC(qjs::JS_GetRuntime(ctx.as_raw().as_ptr())) };
    }
    let instance = Instance::with_imports_hook(module.clone(), externs, &mut |inst| {
        *owner.borrow_mut() = Rc::downgrade(inst);
        registered = super::keeper::register(keeper, inst);
    });
    // Also when instantiation failed: a start function that trapped may have left this
    // instance's functions in a shared table, which must keep its imports alive.
    super::keeper::flush(ctx);
    let instance = instance.map_err(|e| super::throw_engine_error(ctx, e, "WebAssembly.Instance(): "))?;
    registered?;
    super::register_instance(&instance);
    Ok(instance)
}

/// The exports as `[name, kind, value, handle, import index, function index]` entries.
fn export_entries<'js>(ctx: &Ctx<'js>, module: &jsrt_wasm::Module, instance: &Rc<Instance>) -> rquickjs::Result<Array<'js>> {
    let exports = Array::new(ctx.clone())?;
    let missing = || super::throw(ctx, "LinkError", "missing export");
    let mut made: Vec<(u32, Function, Class<ExportedFunc>)> = Vec::new();
    for (i, e) in module.info.exports.iter().enumerate() {
        let entry = Array::new(ctx.clone())?;
        entry.set(0, e.name.as_str())?;
        entry.set(1, e.ty.kind())?;
        match e.ty {
            ExternType::Func(_) => {
                // The same function exported twice is the same object.
                let (f, fh) = match made.iter().find(|(idx, _, _)| *idx == e.index) {
                    Some((_, f, fh)) => (f.clone(), fh.clone()),
                    None => {
                        let func = instance.func(&e.name).ok_or_else(missing)?;
                        let (f, fh) = make_exported(ctx, instance.clone(), func, e.index)?;
                        made.push((e.index, f.clone(), fh.clone()));
                        (f, fh)
                    }
                };
                entry.set(2, f)?;
                entry.set(3, fh)?;
                // A re-exported import: JS keeps the imported function object's identity.
                entry.set(4, import_index(&module.info.imports, e))?;
                entry.set(5, e.index)?;
            }
            ExternType::Memory { .. } => {
                let mem = instance.exported_memory(&e.name).ok_or_else(missing)?;
                let owner = mem.owner().clone();
                entry.set(3, held(ctx, Class::instance(ctx.clone(), super::memory::MemoryHandle::new(mem))?.into_value(), &owner)?)?;
            }
            ExternType::Table { .. } => {
                let t = instance.exported_table(&e.name).ok_or_else(missing)?;
                let owner = t.owner().clone();
                entry.set(3, held(ctx, Class::instance(ctx.clone(), super::table::TableHandle::new(t))?.into_value(), &owner)?)?;
            }
            ExternType::Global { .. } => {
                let g = instance.exported_global(&e.name).ok_or_else(missing)?;
                let owner = g.owner().clone();
                entry.set(3, held(ctx, Class::instance(ctx.clone(), super::global::GlobalHandle { global: g })?.into_value(), &owner)?)?;
                // A re-exported import: JS keeps the imported Global object's identity.
                entry.set(4, import_index(&module.info.imports, e))?;
            }
            _ => {}
        }
        exports.set(i, entry)?;
    }
    Ok(exports)
}
