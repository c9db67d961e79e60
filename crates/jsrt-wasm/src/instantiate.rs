//! Instantiation with imports, as phases: check the imports against the module and sort
//! them (`Resolved`) -> instantiate in WAMR with the host functions (instance.rs's
//! `Instance::create`) -> link shared memories and tables (memory.rs, table.rs) -> publish the
//! instance (the embedder's hook) -> make views of imported funcref tables -> write the
//! imported globals and link the shared ones (global.rs) -> run the init function (segments,
//! start: rewrite.rs) -> note the references taken (registry.rs). The top of the crate's
//! layers: it alone puts instances, memories, globals, tables and foreign functions together.

use std::rc::Rc;
use std::sync::Arc;

use wamrx_sys as sys;

use crate::error::Error;
use crate::global::Global;
use crate::info::ExternType;
use crate::instance::{check_tables, Func, HostFunc, Instance, Me};
use crate::memory::Memory;
use crate::module::Module;
use crate::table::Table;
use crate::val::{eval_const, read_val, write_val, FuncType, Val, ValType};

/// An import for [`Instance::with_imports`].
pub enum Extern {
    Func(HostFunc),
    /// A function of another instance (by its funcref value there): called directly, and the
    /// same funcref as that function.
    WasmFunc(Rc<Instance>, u32),
    /// An immutable funcref global's value that is a function of an instance (by its funcref
    /// value there), possibly another one.
    FuncGlobal(Rc<Instance>, u32),
    Memory(Memory),
    /// The value of an immutable global import.
    Global(Val),
    /// A mutable global import: one global shared with its owner and other importers.
    SharedGlobal(Global),
    Table(Table),
}

impl Instance {
    /// Instantiates `module` with `funcs`: one host function per function import, in import
    /// order (for modules that import only functions).
    pub fn new(module: Arc<Module>, funcs: Vec<HostFunc>) -> Result<Rc<Instance>, Error> {
        Instance::with_imports(module, funcs.into_iter().map(Extern::Func).collect())
    }

    /// Instantiates `module` with one [`Extern`] per import, in import order.
    pub fn with_imports(module: Arc<Module>, imports: Vec<Extern>) -> Result<Rc<Instance>, Error> {
        Instance::with_imports_hook(module, imports, &mut |_| {})
    }

    /// [`with_imports`](Instance::with_imports), calling `created` with the instance as soon as
    /// it exists — before its funcref tables and globals are linked and its start function
    /// runs, which may call the host functions that need it. The phases: see the module docs.
    pub fn with_imports_hook(module: Arc<Module>, imports: Vec<Extern>, created: &mut dyn FnMut(&Rc<Instance>)) -> Result<Rc<Instance>, Error> {
        check_instantiable(&module, imports.len())?;
        let me: Me = Rc::default();
        let mut resolved = Resolved::new(&module, imports, &me)?;
        let instance = Instance::create(module, std::mem::take(&mut resolved.funcs), std::mem::take(&mut resolved.direct), &me)?;
        let funcref_tables = link_memories_and_tables(&instance, &mut resolved)?;
        crate::cycles::register(&instance);
        created(&instance);
        crate::table::attach_views(&instance, funcref_tables)?;
        instance.link_global_imports(resolved)?;
        instance.run_init()?;
        instance.note_static_edges();
        Ok(instance)
    }

    /// Writes the imported globals' values (funcrefs translated to this instance) and links
    /// the shared ones.
    fn link_global_imports(self: &Rc<Self>, resolved: Resolved) -> Result<(), Error> {
        let Resolved { mut global_values, func_globals, shared_globals, .. } = resolved;
        for (k, source, index) in func_globals {
            global_values[k] = Val::FuncRef(Some(self.funcref_for(&source, index)?));
        }
        if global_values.is_empty() {
            return Ok(());
        }
        let slots = self.link_globals(&global_values)?;
        for (k, g) in shared_globals {
            crate::global::link_import(self, slots[k], g);
        }
        Ok(())
    }

    /// What instantiation would have done after linking, when rewrite.rs moved it into the
    /// init function: element and data segments, the start function.
    fn run_init(self: &Rc<Self>) -> Result<(), Error> {
        if !self.module().has_init {
            return Ok(());
        }
        let cname = std::ffi::CString::new(crate::rewrite::INIT_EXPORT).expect("no NUL in the name");
        // SAFETY: `raw` is live; the name is NUL-terminated.
        let f = unsafe { sys::wasm_runtime_lookup_function(self.raw(), cname.as_ptr()) };
        if f.is_null() {
            return Err(Error::Link("the rewritten module lost its init export".into()));
        }
        let init = Func::new(f, FuncType { params: vec![], results: vec![] });
        let outcome = self.call(&init, &[]);
        // Element segments wrote into views of shared tables: publish them even when the
        // code itself never writes tables, and also when the start function trapped (the
        // spec keeps what instantiation wrote; the table keeps this instance alive).
        crate::table::publish_views(self);
        outcome.map(|_| ())
    }

    /// Writes the imported globals' values, then recomputes the defined globals whose
    /// initializers read them (WAMR evaluated those before the values were known).
    fn link_globals(&self, imported: &[Val]) -> Result<Vec<*mut u8>, Error> {
        let info = &self.module().info;
        let import_types: Vec<ValType> = info.imports.iter().filter_map(|i| match i.ty {
            ExternType::Global { ty, .. } => Some(ty),
            _ => None,
        }).collect();
        let types: Vec<ValType> = self.global_types();
        // SAFETY: the instance is live and idle; `types` are its globals' types in order.
        let slots = unsafe { crate::layout::global_slots(self.raw(), &types) }.map_err(Error::Link)?;
        for (slot, v) in slots.iter().zip(imported) {
            let v = match *v {
                // WAMR stores an externref global as its own index of the host value.
                Val::ExternRef(Some(id)) => {
                    let mut idx = u32::MAX;
                    // SAFETY: maps the host value to WAMR's externref index for this instance.
                    if !unsafe { sys::wasm_externref_obj2ref(self.raw(), id as usize as *mut std::ffi::c_void, &mut idx) } {
                        return Err(Error::Resource("cannot store the externref".into()));
                    }
                    Val::ExternRef(Some(idx))
                }
                Val::FuncRef(Some(r)) => Val::FuncRef(Some(self.funcref_to_internal(r))),
                other => other,
            };
            // SAFETY: each slot is the storage of a global of `v`'s type.
            unsafe { write_val(*slot, v) };
        }
        for (k, (ty, expr)) in info.global_inits.iter().enumerate() {
            if crate::rewrite::reads_globals(expr) {
                // global.get appears: evaluate with the now-linked values.
                let v = eval_const(expr, *ty, &|g| {
                    let t = types[g as usize];
                    // SAFETY: slot `g` holds a global of type `t`.
                    unsafe { read_val(slots[g as usize], t) }
                })
                .ok_or_else(|| Error::Link("unsupported global initializer".into()))?;
                // SAFETY: slot of defined global k.
                unsafe { write_val(slots[import_types.len() + k], v) };
            }
        }
        Ok(slots)
    }

    /// Notes the strong references taken at instantiation (registry.rs).
    fn note_static_edges(self: &Rc<Self>) {
        let me = Rc::downgrade(self);
        let mut owners: Vec<Rc<Instance>> = self.direct_sources().cloned().collect();
        owners.extend(crate::table::import_owners(self));
        owners.extend(crate::memory::import_owners(self));
        owners.extend(crate::global::import_owners(self));
        for owner in &owners {
            crate::registry::note_edge(me.clone(), owner);
        }
    }
}

/// Links what WAMR cannot: imported memories and tables (shared, not copied); returns the
/// funcref tables to attach as views once the instance is published.
fn link_memories_and_tables(instance: &Rc<Instance>, resolved: &mut Resolved) -> Result<Vec<(Table, *mut u8, usize)>, Error> {
    for m in std::mem::take(&mut resolved.memories) {
        crate::memory::link_import(instance, m)?;
    }
    crate::table::link_imports(instance, std::mem::take(&mut resolved.tables))
}

/// The import count matches the module's, and its tables fit the JS API's limit.
fn check_instantiable(module: &Module, imports: usize) -> Result<(), Error> {
    if imports != module.info.imports.len() {
        return Err(Error::Link(format!("expected {} imports, got {}", module.info.imports.len(), imports)));
    }
    check_tables(module)
}

/// The imports, checked against the module's import types and sorted by what links them.
struct Resolved {
    /// Host functions, one per function import (then proxy.rs's added imports).
    funcs: Vec<(FuncType, HostFunc)>,
    /// For each function import that is another instance's function: that function.
    direct: Vec<Option<(Rc<Instance>, u32)>>,
    /// Immutable funcref global imports that are functions: (global value position, value).
    func_globals: Vec<(usize, Rc<Instance>, u32)>,
    memories: Vec<Memory>,
    global_values: Vec<Val>,
    /// Imported tables with their index among the module's tables.
    tables: Vec<(usize, Table)>,
    shared_globals: Vec<(usize, Global)>,
}

impl Resolved {
    fn new(module: &Module, imports: Vec<Extern>, me: &Me) -> Result<Resolved, Error> {
        let mut r = Resolved { funcs: Vec::new(), direct: Vec::new(), func_globals: Vec::new(), memories: Vec::new(), global_values: Vec::new(), tables: Vec::new(), shared_globals: Vec::new() };
        for (i, (imp, ext)) in module.info.imports.iter().zip(imports).enumerate() {
            let what = format!("Import #{i} \"{}\" \"{}\"", imp.module, imp.name);
            r.add(module, me, &what, &imp.ty, ext)?;
        }
        // The proxy pools' dispatchers and the grow hooks follow the module's own function
        // imports (proxy.rs).
        if let Some(plan) = &module.proxies {
            let added = plan.added_imports(module.info.type_count);
            for (d, (_, t, _)) in added.into_iter().enumerate() {
                let f = match d.checked_sub(plan.pools.len()) {
                    None => crate::foreign::dispatcher(me.clone(), d),
                    Some(h) => crate::table::grow_hook(me.clone(), plan.grow_hooks[h]),
                };
                r.funcs.push((t, f));
            }
        }
        Ok(r)
    }

    /// Checks one import (`what` names it in errors) and records it.
    fn add(&mut self, module: &Module, me: &Me, what: &str, ty: &ExternType, ext: Extern) -> Result<(), Error> {
        match (ty, ext) {
            (ExternType::Func(t), Extern::Func(f)) => {
                self.funcs.push((t.clone(), f));
                self.direct.push(None);
            }
            (ExternType::Func(t), Extern::WasmFunc(source, index)) => {
                let (source, index) = source.funcref_target(index).ok_or_else(|| Error::Link(format!("{what}: funcref {index} names no function")))?;
                let func = source.func_by_index(index).ok_or_else(|| Error::Link(format!("{what}: the function cannot be imported")))?;
                if func.ty != *t {
                    return Err(Error::Link(format!("{what}: imported function does not match the expected type")));
                }
                self.funcs.push((t.clone(), crate::foreign::call_other(me.clone(), source.clone(), func)));
                self.direct.push(Some((source, index)));
            }
            (ExternType::Global { ty: ValType::FuncRef, mutable: false }, Extern::FuncGlobal(source, index)) => {
                self.global_values.push(Val::FuncRef(None));
                self.func_globals.push((self.global_values.len() - 1, source, index));
            }
            (ExternType::Memory { min, max, shared }, Extern::Memory(m)) => {
                if *shared != m.is_shared() {
                    return Err(Error::Link(format!("{what}: mismatch in shared state of memory declaration and import")));
                }
                check_limits(what, "memory import has", "pages", m.pages(), m.declared_max(), *min, *max)?;
                self.memories.push(m);
            }
            (ExternType::Table { elem, min, max }, Extern::Table(t)) => {
                if t.elem != *elem {
                    return Err(Error::Link(format!("{what}: imported table does not match the expected type")));
                }
                check_limits(what, "table import has", "elements", t.len() as u64, t.declared_max(), *min, *max)?;
                self.tables.push((self.tables.len(), t));
            }
            (ExternType::Global { ty, mutable: true }, Extern::SharedGlobal(g)) => {
                if g.ty != *ty || !g.mutable {
                    return Err(Error::Link(format!("{what}: imported global does not match the expected type or mutability")));
                }
                // The value is copied in by the first `sync_in` (a funcref is translated there).
                self.global_values.push(match ty {
                    ValType::FuncRef => Val::FuncRef(None),
                    _ => g.get(),
                });
                self.shared_globals.push((self.global_values.len() - 1, g));
            }
            (ExternType::Global { ty, mutable }, Extern::Global(v)) => {
                if *mutable {
                    return Err(Error::Link(format!("{what}: importing a mutable global is not supported yet (WAMR copies imported globals)")));
                }
                if v.ty() != *ty {
                    return Err(Error::Link(format!("{what}: global import must be a {} value", ty.name())));
                }
                // A funcref value is a function index of this instance (WAMR's funcrefs are
                // indices of the executing instance): the host maps another instance's
                // function to the import of it, or refuses.
                if let Val::FuncRef(Some(index)) = v {
                    if index as usize >= module.info.func_types.len() {
                        return Err(Error::Link(format!("{what}: funcref {index} is not a function of this instance")));
                    }
                }
                self.global_values.push(v);
            }
            (ty, _) => return Err(Error::Link(format!("{what}: importing a {} is not supported yet", ty.kind()))),
        }
        Ok(())
    }
}

/// The spec's limits matching for an imported memory or table: at least the module's
/// minimum, and when the module has a maximum, a maximum no larger.
fn check_limits(what: &str, has: &str, unit: &str, size: u64, declared_max: Option<u64>, min: u64, max: Option<u64>) -> Result<(), Error> {
    let memory = unit == "pages";
    if size < min {
        return Err(Error::Link(if memory {
            format!("{what}: {has} {size} {unit}, smaller than the declared initial of {min}")
        } else {
            format!("{what}: {has} {size} {unit}, fewer than the declared initial of {min}")
        }));
    }
    if let Some(max) = max {
        let kind = if memory { "maximum limit" } else { "maximum length" };
        match declared_max {
            None => return Err(Error::Link(format!("{what}: {has} no {kind}, expected at most {max}"))),
            Some(m) if m > max => return Err(Error::Link(format!("{what}: {has} a larger maximum size {m} than the module's declared maximum {max}"))),
            _ => {}
        }
    }
    Ok(())
}
