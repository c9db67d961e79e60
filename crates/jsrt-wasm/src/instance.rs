//! Instances: instantiation with per-instance imports (linking memories, tables and globals
//! of other instances), calls into exported functions (multi-value results, traps), exports,
//! and the per-instance state host functions reach through WAMR's custom data (host.rs).

use std::cell::RefCell;
use std::ffi::{c_char, CStr, CString};
use std::rc::{Rc, Weak};
use std::sync::Arc;

use wamrx_sys as sys;

use crate::engine;
use crate::error::{trap_message, Error};
use crate::host::{call_other, dispatcher, grow_hook, take_exception, HostFunc, PENDING_HOST_ERROR};
use crate::info::ExternType;
use crate::module::Module;
use crate::val::{eval_const, from_wamr, read_val, to_wamr, write_val, FuncType, Val, ValType};

/// What the trampoline finds through the instance's custom data.
pub(crate) struct InstanceData {
    pub(crate) funcs: Vec<(FuncType, HostFunc)>,
    /// Where lowered imports (lower.rs) find their externref arguments and put their results,
    /// by function import index; filled right after instantiation.
    pub(crate) lowered: RefCell<std::collections::HashMap<u32, LoweredImport>>,
    /// Imported mutable globals: (this instance's copy, the shared storage, size in bytes),
    /// and the globals themselves (kept alive). WAMR copies imported globals into the
    /// instance, so the copies are synchronised whenever control enters or leaves the
    /// instance — the only points where another party can observe or change the value.
    pub(crate) shared_globals: RefCell<(Vec<GlobalCopy>, Vec<crate::Global>)>,
    /// The instance itself, once created (for funcrefs crossing its host functions).
    pub(crate) me: Me,
    /// Other instances' functions bound to this one (foreign.rs).
    pub(crate) foreign: RefCell<crate::foreign::Foreign>,
    /// Per function import: the (instance, function index) it is, when it is another
    /// instance's function (called directly, and the same funcref as that function).
    pub(crate) direct: Vec<Option<(Rc<Instance>, u32)>>,
    /// Canonical contents of this instance's funcref tables that are shared (table.rs), by
    /// table instance address.
    pub(crate) canons: RefCell<Vec<(usize, Rc<RefCell<crate::table::Canon>>)>>,
    /// Shared funcref tables this instance has views of, and whether its code writes tables
    /// (then its views are published whenever control leaves it).
    pub(crate) views: RefCell<Vec<Rc<RefCell<crate::table::Canon>>>>,
    /// The canonical content behind each of this instance's tables that is shared, by table
    /// index (what `table.grow` grows: proxy.rs's grow hooks).
    pub(crate) table_canons: RefCell<Vec<(u32, Rc<RefCell<crate::table::Canon>>)>>,
    pub(crate) writes_tables: bool,
    /// Whether `shared_globals` has entries.
    pub(crate) shares_globals: std::cell::Cell<bool>,
    /// Embedder roots of this instance's tables (table.rs's `TableRoot`): (table address,
    /// count).
    pub(crate) table_roots: RefCell<Vec<(usize, usize)>>,
}

/// A late reference from an instance's host functions to the instance.
pub(crate) type Me = Rc<RefCell<Weak<Instance>>>;

/// An imported mutable global's copy in the instance, its shared storage, and its size.
/// For a funcref global, the owner of the shared storage: the values are function indices,
/// translated between the owner's and this instance's (foreign.rs).
type GlobalCopy = (*mut u8, *mut u8, usize, Option<Rc<Instance>>);

/// WAMR's funcref `v` of instance `from` as WAMR's funcref of `to` (null when `to` cannot
/// hold it: a full proxy pool).
fn translate_internal(from: &Rc<Instance>, to: &Instance, v: u32) -> u32 {
    if v == u32::MAX {
        return v;
    }
    let r = from.funcref_from_internal(v);
    match from.funcref_target(r).and_then(|(t, i)| to.funcref_for(&t, i).ok()) {
        Some(r) => to.funcref_to_internal(r),
        None => u32::MAX,
    }
}

pub(crate) struct LoweredImport {
    /// Positions of externref parameters, passed as slots of the hidden table.
    pub(crate) externref_params: Vec<usize>,
    /// The hidden externref table's elements.
    pub(crate) table: *mut u64,
    /// The hidden result globals' storage, when the import returns several values.
    pub(crate) results: Vec<(*mut u8, ValType)>,
}

impl InstanceData {
    fn new(funcs: Vec<(FuncType, HostFunc)>, direct: Vec<Option<(Rc<Instance>, u32)>>, me: &Me, writes_tables: bool) -> InstanceData {
        InstanceData {
            funcs,
            lowered: RefCell::new(Default::default()),
            shared_globals: RefCell::new((Vec::new(), Vec::new())),
            me: me.clone(),
            foreign: Default::default(),
            direct,
            canons: Default::default(),
            views: Default::default(),
            table_canons: Default::default(),
            writes_tables,
            shares_globals: Default::default(),
            table_roots: Default::default(),
        }
    }

    /// Control enters the instance: take the shared values. (Inlined fast path: most
    /// instances share no mutable global.)
    #[inline(always)]
    pub(crate) fn sync_in(&self) {
        if self.shares_globals.get() {
            self.sync_in_globals();
        }
    }

    #[inline(always)]
    pub(crate) fn sync_out(&self) {
        if self.shares_globals.get() || self.writes_tables {
            self.sync_out_slow();
        }
    }

    #[inline(never)]
    fn sync_in_globals(&self) {
        self.copy_globals(true);
    }

    /// Control leaves the instance: publish its values (and its table writes: table.rs).
    #[inline(never)]
    fn sync_out_slow(&self) {
        self.copy_globals(false);
        if self.writes_tables {
            self.publish_tables();
        }
    }

    /// Copies the shared mutable globals into this instance (`inward`) or out of it; funcref
    /// values are translated between the owner's function indices and this instance's.
    fn copy_globals(&self, inward: bool) {
        let me = self.me.borrow().upgrade();
        for (local, shared, n, funcref_owner) in &self.shared_globals.borrow().0 {
            let (from, to) = if inward { (*shared, *local) } else { (*local, *shared) };
            match (funcref_owner, &me) {
                // SAFETY: both point at live 4-byte funcref storage (the owner is kept alive
                // here, the global by the Vec beside).
                (Some(owner), Some(me)) => unsafe {
                    let v = (from as *const u32).read_unaligned();
                    let v = if inward { translate_internal(owner, me, v) } else { translate_internal(me, owner, v) };
                    (to as *mut u32).write_unaligned(v);
                },
                (Some(_), None) => {}
                // SAFETY: both point at live storage of `n` bytes of the same global type; the
                // shared global is kept alive by the Vec beside.
                (None, _) => unsafe { std::ptr::copy_nonoverlapping(from, to, *n) },
            }
        }
    }

    fn publish_tables(&self) {
        let views = self.views.borrow();
        if views.is_empty() {
            return;
        }
        if let Some(me) = self.me.borrow().upgrade() {
            for canon in views.iter() {
                canon.borrow_mut().publish(&me);
            }
        }
    }
}

/// An import for [`Instance::with_imports`].
pub enum Extern {
    Func(HostFunc),
    /// A function of another instance (by its funcref value there): called directly, and the
    /// same funcref as that function.
    WasmFunc(Rc<Instance>, u32),
    /// An immutable funcref global's value that is a function of an instance (by its funcref
    /// value there), possibly another one.
    FuncGlobal(Rc<Instance>, u32),
    Memory(crate::Memory),
    /// The value of an immutable global import.
    Global(Val),
    /// A mutable global import: one global shared with its owner and other importers.
    SharedGlobal(crate::Global),
    Table(crate::Table),
}

/// (table index, WAMR's own table) of each slot moved to a larger table, and the owners of
/// the larger tables.
type EnlargedTables = (Vec<(usize, *mut u8)>, Vec<Rc<Instance>>);

/// A table an instance imports (kept alive while it uses it).
pub(crate) struct ImportedTable {
    pub(crate) table: crate::Table,
    /// The WAMR table instance in the instance's table slot: the shared one (externref), or the
    /// instance's own view of it (funcref: table.rs).
    pub(crate) slot: *mut u8,
    /// (table index, WAMR's own table) to put back before WAMR frees the instance, when the
    /// slot was pointed at the shared table.
    pub(crate) swapped: Option<(usize, *mut u8)>,
}

pub struct Instance {
    raw: sys::wasm_module_inst_t,
    exec_env: sys::wasm_exec_env_t,
    /// Whether the instance runs compiled code (compiled/): a call stopped by an interrupt
    /// returns early rather than with WAMR's exception.
    compiled: bool,
    /// Neither compiled nor counting its instructions: a call that returned needs no further
    /// look (`run`).
    plain_calls: bool,
    /// Memories this instance imports (kept alive while it uses them).
    pub(crate) imported_memories: Vec<crate::Memory>,
    /// (memory index, WAMR's own memory) for each memory slot pointed at an imported memory,
    /// restored before WAMR frees the instance.
    swapped: Vec<(usize, sys::wasm_memory_inst_t)>,
    /// Tables this instance imports, with (table index, WAMR's own table) to restore.
    pub(crate) imported_tables: RefCell<Vec<ImportedTable>>,
    /// Table slots pointed at a larger table than WAMR allocated (table.rs enlarges views of
    /// shared tables): (table index, WAMR's own table) to put back before WAMR frees the
    /// instance, and the small instances owning the replacements.
    pub(crate) enlarged_tables: RefCell<EnlargedTables>,
    /// Reached by WAMR through the instance's custom data; owned here.
    pub(crate) _data: Box<InstanceData>,
    module: Arc<Module>,
    /// The storage of the instruction-counting global (fuel.rs), when the module counts.
    fuel: Option<usize>,
}

/// A call into wasm for its duration: linked into the thread's calls (frames.rs), and under
/// the time limit when it is the outermost one (interrupt.rs).
struct CallGuard {
    _entry: crate::interrupt::Entry,
    outermost: bool,
    activation: *const crate::frames::Activation,
}

/// Enters the call `activation` stands for; it must not move until the guard is dropped.
#[inline]
fn enter_call(activation: &mut crate::frames::Activation) -> CallGuard {
    let outermost = activation.enter();
    CallGuard { _entry: crate::interrupt::Entry::begin(outermost), outermost, activation }
}

impl Drop for CallGuard {
    #[inline]
    fn drop(&mut self) {
        // SAFETY: the activation outlives its guard (both live in `Instance::run`'s frame,
        // the activation declared first).
        unsafe { (*self.activation).leave() };
    }
}

/// An exported function of an instance.
#[derive(Clone)]
pub struct Func {
    raw: sys::wasm_function_inst_t,
    pub ty: FuncType,
    /// Whether a parameter or result is a funcref (translated on the way: foreign.rs).
    pub(crate) refs: bool,
    /// Whether a parameter or result is a v128 (called through `call_cells`).
    v128: bool,
}

impl Func {
    fn new(raw: sys::wasm_function_inst_t, ty: FuncType) -> Func {
        let refs = ty.params.iter().chain(&ty.results).any(|t| *t == ValType::FuncRef);
        let v128 = ty.params.iter().chain(&ty.results).any(|t| *t == ValType::V128);
        Func { raw, ty, refs, v128 }
    }
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
    /// it exists — before its imports are linked and its start function runs, which may call
    /// the host functions that need it.
    ///
    /// Phases: check the imports against the module -> resolve them -> instantiate in WAMR ->
    /// link shared memories and tables -> publish the instance -> link funcref tables and
    /// globals -> run the init function (segments, start) -> note its static edges.
    pub fn with_imports_hook(module: Arc<Module>, imports: Vec<Extern>, created: &mut dyn FnMut(&Rc<Instance>)) -> Result<Rc<Instance>, Error> {
        check_instantiable(&module, imports.len())?;
        crate::frames::install();
        let me: Me = Rc::default();
        let mut resolved = Resolved::new(&module, imports, &me)?;
        let data = Box::new(InstanceData::new(std::mem::take(&mut resolved.funcs), std::mem::take(&mut resolved.direct), &me, module.writes_tables));
        let (raw, exec_env, compiled) = instantiate_in_wamr(&module, &data)?;
        let mut instance = Instance { raw, exec_env, compiled, plain_calls: !compiled, _data: data, module, imported_memories: Vec::new(), swapped: Vec::new(), imported_tables: Default::default(), enlarged_tables: Default::default(), fuel: None };
        let funcref_tables = instance.link_shared(&mut resolved)?;
        let instance = Rc::new(instance);
        *me.borrow_mut() = Rc::downgrade(&instance);
        crate::cycles::register(&instance);
        created(&instance);
        instance.attach_funcref_tables(funcref_tables)?;
        instance.link_global_imports(resolved)?;
        instance.run_init()?;
        instance.note_static_edges();
        Ok(instance)
    }

    /// Links what WAMR cannot: the fuel global's slot, lowered imports, imported memories and
    /// tables (shared, not copied); returns the funcref tables to attach as views once the
    /// instance is published.
    fn link_shared(&mut self, resolved: &mut Resolved) -> Result<Vec<(crate::Table, *mut u8, usize)>, Error> {
        let raw = self.raw;
        if let Some(g) = self.module.fuel_global {
            let types = self.global_types();
            // SAFETY: the instance is live and idle; `types` are its globals' types in order.
            let slots = unsafe { crate::layout::global_slots(raw, &types) }.map_err(Error::Link)?;
            self.fuel = Some(slots[g as usize] as usize);
            self.plain_calls = false;
        }
        if !self.module.lowerings.is_empty() {
            self.link_lowerings()?;
        }
        for m in std::mem::take(&mut resolved.memories) {
            // SAFETY: `raw` is live and not running; see layout.rs for the invariants.
            let original = unsafe { crate::layout::share_memory(raw, 0, m.raw) }.map_err(Error::Link)?;
            self.swapped.push((0, original));
            self.imported_memories.push(m);
        }
        let table_count = self.module.wamr_table_count();
        let mut funcref_tables = Vec::new();
        for (index, t) in std::mem::take(&mut resolved.tables) {
            if t.elem == ValType::FuncRef {
                // Its own table of the import becomes a view (table.rs), once the instance exists.
                // SAFETY: `raw` is live and idle.
                let view = unsafe { crate::layout::table_at(raw, index, table_count) }.map_err(Error::Link)?;
                funcref_tables.push((t, view, index));
                continue;
            }
            // SAFETY: `raw` is live and idle; the table is kept alive by `t` (its owner).
            let original = unsafe { crate::layout::share_table(raw, index, t.raw, table_count) }.map_err(Error::Link)?;
            self.imported_tables.get_mut().push(ImportedTable { slot: t.raw, table: t, swapped: Some((index, original)) });
        }
        Ok(funcref_tables)
    }

    /// Makes the instance's own tables for imported funcref tables views of them (table.rs).
    fn attach_funcref_tables(self: &Rc<Self>, tables: Vec<(crate::Table, *mut u8, usize)>) -> Result<(), Error> {
        for (t, view, index) in tables {
            // Recorded first: attaching may move the view to a larger table (the slot follows).
            self.imported_tables.borrow_mut().push(ImportedTable { slot: view, table: t.clone(), swapped: None });
            let canon = t.attach(self, view)?;
            self._data.table_canons.borrow_mut().push((index as u32, canon.clone()));
            self._data.views.borrow_mut().push(canon);
        }
        Ok(())
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
        let mut shared = self._data.shared_globals.borrow_mut();
        for (k, g) in shared_globals {
            let size = match g.ty {
                ValType::I64 | ValType::F64 => 8,
                ValType::V128 => 16,
                _ => 4,
            };
            let funcref_owner = (g.ty == ValType::FuncRef).then(|| g.owner().clone());
            shared.0.push((slots[k], g.data_ptr(), size, funcref_owner));
            shared.1.push(g);
            self._data.shares_globals.set(true);
        }
        Ok(())
    }

    /// What instantiation would have done after linking, when rewrite.rs moved it into the
    /// init function: element and data segments, the start function.
    fn run_init(self: &Rc<Self>) -> Result<(), Error> {
        if !self.module.has_init {
            return Ok(());
        }
        let cname = CString::new(crate::rewrite::INIT_EXPORT).expect("no NUL in the name");
        // SAFETY: `raw` is live; the name is NUL-terminated.
        let f = unsafe { sys::wasm_runtime_lookup_function(self.raw, cname.as_ptr()) };
        if f.is_null() {
            return Err(Error::Link("the rewritten module lost its init export".into()));
        }
        let init = Func::new(f, FuncType { params: vec![], results: vec![] });
        let outcome = self.call(&init, &[]);
        // Element segments wrote into views of shared tables: publish them even when the
        // code itself never writes tables, and also when the start function trapped (the
        // spec keeps what instantiation wrote; the table keeps this instance alive).
        self._data.publish_tables();
        outcome.map(|_| ())
    }

    /// Types of every global WAMR sees, in index order (imports, defined, lower.rs's hidden).
    pub(crate) fn global_types(&self) -> Vec<ValType> {
        let info = &self.module.info;
        info.imports
            .iter()
            .filter_map(|i| match i.ty {
                ExternType::Global { ty, .. } => Some(ty),
                _ => None,
            })
            .chain(info.global_inits.iter().map(|(t, _)| *t))
            .chain(self.module.fuel_global.map(|_| ValType::I64))
            .chain(self.module.hidden_global_types())
            .collect()
    }

    /// Finds the hidden table and result globals of lowered imports (lower.rs).
    fn link_lowerings(&self) -> Result<(), Error> {
        let tables = self.module.wamr_table_count();
        let types = self.global_types();
        // SAFETY: the instance is live and idle; `types` are its globals' types in order.
        let slots = unsafe { crate::layout::global_slots(self.raw, &types) }.map_err(Error::Link)?;
        let mut map = self._data.lowered.borrow_mut();
        for (index, l) in &self.module.lowerings {
            // SAFETY: as above; the hidden table is the last one.
            let table = unsafe { crate::layout::table_elems(self.raw, l.table as usize, tables) }.map_err(Error::Link)?;
            let results = l
                .result_globals
                .as_ref()
                .map(|gs| gs.iter().map(|g| (slots[*g as usize], types[*g as usize])).collect())
                .unwrap_or_default();
            map.insert(*index, LoweredImport { externref_params: l.externref_params.clone(), table, results });
        }
        Ok(())
    }

    /// Writes the imported globals' values, then recomputes the defined globals whose
    /// initializers read them (WAMR evaluated those before the values were known).
    fn link_globals(&self, imported: &[Val]) -> Result<Vec<*mut u8>, Error> {
        let info = &self.module.info;
        let import_types: Vec<ValType> = info.imports.iter().filter_map(|i| match i.ty {
            ExternType::Global { ty, .. } => Some(ty),
            _ => None,
        }).collect();
        let types: Vec<ValType> = self.global_types();
        // SAFETY: the instance is live and idle; `types` are its globals' types in order.
        let slots = unsafe { crate::layout::global_slots(self.raw, &types) }.map_err(Error::Link)?;
        for (slot, v) in slots.iter().zip(imported) {
            let v = match *v {
                // WAMR stores an externref global as its own index of the host value.
                Val::ExternRef(Some(id)) => {
                    let mut idx = u32::MAX;
                    // SAFETY: maps the host value to WAMR's externref index for this instance.
                    if !unsafe { sys::wasm_externref_obj2ref(self.raw, id as usize as *mut std::ffi::c_void, &mut idx) } {
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

    pub(crate) fn raw(&self) -> sys::wasm_module_inst_t {
        self.raw
    }

    pub(crate) fn foreign(&self) -> &RefCell<crate::foreign::Foreign> {
        &self._data.foreign
    }

    /// This instance, weakly (set once it is created).
    pub(crate) fn me(&self) -> Weak<Instance> {
        self._data.me.borrow().clone()
    }

    /// Notes the strong references taken at instantiation (cycles.rs).
    fn note_static_edges(self: &Rc<Self>) {
        let me = Rc::downgrade(self);
        for (source, _) in self._data.direct.iter().flatten() {
            crate::cycles::note_edge(me.clone(), source);
        }
        for t in self.imported_tables.borrow().iter() {
            crate::cycles::note_edge(me.clone(), &t.table.owner);
        }
        for m in &self.imported_memories {
            crate::cycles::note_edge(me.clone(), &m.owner);
        }
        for g in &self._data.shared_globals.borrow().1 {
            crate::cycles::note_edge(me.clone(), g.owner());
        }
    }

    /// The function import that is `source`'s function `index`, if any.
    pub(crate) fn direct_import_of(&self, source: &Rc<Instance>, index: u32) -> Option<u32> {
        self._data.direct.iter().position(|d| d.as_ref().is_some_and(|(s, i)| Rc::ptr_eq(s, source) && *i == index)).map(|p| p as u32)
    }

    /// The other instance's function that function import `index` is, if it is one.
    pub(crate) fn direct_import_source(&self, index: u32) -> Option<(Rc<Instance>, u32)> {
        self._data.direct.get(index as usize)?.clone()
    }

    pub fn module(&self) -> &Arc<Module> {
        &self.module
    }

    /// A small internal instance defining one entity (from `section`) exported as `name`:
    /// how standalone memories and globals are owned.
    pub(crate) fn standalone(section: &impl wasm_encoder::Section, name: &str, kind: wasm_encoder::ExportKind) -> Result<Rc<Instance>, Error> {
        let mut module = wasm_encoder::Module::new();
        module.section(section);
        let mut exports = wasm_encoder::ExportSection::new();
        exports.export(name, kind, 0);
        module.section(&exports);
        let m = Arc::new(Module::new(&module.finish())?);
        Instance::new(m, vec![])
    }

    /// Function `index` of the instance (for funcrefs handed to the host).
    pub fn func_by_index(&self, index: u32) -> Option<Func> {
        let ty = self.module.info.func_types.get(index as usize)?.clone();
        // Through its hidden export (rewrite.rs), or else any export of it.
        let export = self.module.info.exports.iter().find(|e| e.index == index && matches!(e.ty, ExternType::Func(_)));
        let names = [self.module.func_by_index_name(index), export.and_then(|e| self.module.wamr_export_name(&e.name))];
        names.into_iter().flatten().find_map(|cname| {
            // SAFETY: `raw` is live; the name is NUL-terminated.
            let raw = unsafe { sys::wasm_runtime_lookup_function(self.raw, cname.as_ptr()) };
            (!raw.is_null()).then(|| Func::new(raw, ty.clone()))
        })
    }

    /// The exported function `name`.
    pub fn func(&self, name: &str) -> Option<Func> {
        let ty = self.module.info.exports.iter().find(|e| e.name == name).and_then(|e| match &e.ty {
            ExternType::Func(t) => Some(t.clone()),
            _ => None,
        })?;
        let cname = self.module.wamr_export_name(name)?;
        // SAFETY: `raw` is live; the name is NUL-terminated.
        let raw = unsafe { sys::wasm_runtime_lookup_function(self.raw, cname.as_ptr()) };
        (!raw.is_null()).then(|| Func::new(raw, ty))
    }

    /// Calls `func` (an export of this instance) with `args`; returns its results.
    pub fn call(&self, func: &Func, args: &[Val]) -> Result<Vec<Val>, Error> {
        let mut results: Vec<Val> = func.ty.results.iter().map(|t| Val::default_for(*t)).collect();
        self.call_into(func, args, &mut results)?;
        Ok(results)
    }

    /// Calls `func` with `args`, writing its results into `results` (exactly as many as the
    /// function returns). Allocates nothing for up to 8 arguments and 8 results: this is the
    /// path of every JS -> wasm call.
    pub fn call_into(&self, func: &Func, args: &[Val], results: &mut [Val]) -> Result<(), Error> {
        self.call_into_from(func, args, results, false)
    }

    /// [`Instance::call_into`], saying whether another instance's wasm makes the call
    /// (host.rs; stack traces show no embedder frame between the two: frames.rs).
    #[inline(always)]
    pub(crate) fn call_into_from(&self, func: &Func, args: &[Val], results: &mut [Val], from_host: bool) -> Result<(), Error> {
        if args.len() != func.ty.params.len() || results.len() != func.ty.results.len() {
            return Err(Error::Trap(format!("expected {} arguments, got {}", func.ty.params.len(), args.len())));
        }
        if func.v128 {
            return self.call_cells(func, args, results, from_host);
        }
        crate::stack_slice!(wargs, args.len(), sys::wasm_val_t::default());
        for (w, a) in wargs.iter_mut().zip(args) {
            *w = match a {
                Val::FuncRef(Some(r)) if func.refs => to_wamr(&Val::FuncRef(Some(self.funcref_to_internal(*r)))),
                a => to_wamr(a),
            };
        }
        crate::stack_slice!(wres, results.len(), sys::wasm_val_t::default());
        // SAFETY: `func.raw` belongs to this instance (looked up through `self.raw`), the
        // exec env is this instance's, and both arrays have exactly the counts passed.
        self.run(from_host, || unsafe {
            sys::wasm_runtime_call_wasm_a(
                self.exec_env,
                func.raw,
                wres.len() as u32,
                wres.as_mut_ptr(),
                wargs.len() as u32,
                wargs.as_mut_ptr(),
            )
        })?;
        for ((r, w), t) in results.iter_mut().zip(wres.iter()).zip(&func.ty.results) {
            *r = from_wamr(w, *t);
        }
        if func.refs {
            for r in results.iter_mut() {
                if let Val::FuncRef(Some(internal)) = *r {
                    *r = Val::FuncRef(Some(self.funcref_from_internal(internal)).filter(|v| *v != u32::MAX));
                }
            }
        }
        Ok(())
    }

    /// Runs `call_wasm` (WAMR's call of one of this instance's functions, true when it
    /// returned) as a call into wasm: shared globals synced in and out, counted in
    /// the thread's calls (frames.rs) under the time limit (interrupt.rs), given its instruction budget
    /// (fuel.rs); its error, if any, is read while the call still counts.
    #[inline(always)]
    fn run(&self, from_host: bool, call_wasm: impl FnOnce() -> bool) -> Result<(), Error> {
        self._data.sync_in();
        let mut activation = crate::frames::Activation::new(self.exec_env, &self.module, from_host);
        let call = enter_call(&mut activation);
        if let Some(slot) = self.fuel {
            // SAFETY: `slot` is this live instance's fuel global.
            unsafe { crate::fuel::enter(slot as *mut u8, call.outermost) };
        }
        let ok = call_wasm();
        // One test on the common path: a call that returned, uncounted, in the interpreter.
        let failed = if ok & self.plain_calls { None } else { self.call_error(ok) };
        drop(call);
        self._data.sync_out();
        failed.map_or(Ok(()), Err)
    }

    /// After a call that failed or counts its instructions: hands its fuel back, and the error
    /// it ended with, if any (a trap with the budget spent is the budget's, unless a time limit
    /// or termination stands: then it is theirs).
    #[inline(never)]
    fn call_error(&self, ok: bool) -> Option<Error> {
        // SAFETY: `slot` is this live instance's fuel global.
        let spent = self.fuel.is_some_and(|slot| unsafe { crate::fuel::leave(slot as *mut u8) } < 0);
        if ok {
            // Compiled code that an interrupt stopped returned early, with made-up results.
            // SAFETY: the exec env is this live instance's.
            let stopped = self.compiled && unsafe { sys::wasm_jsrt_exec_env_stopped(self.exec_env) };
            return stopped.then(|| Error::Trap(crate::interrupt::pending_trap().unwrap_or_else(|| crate::interrupt::TERMINATED.to_string())));
        }
        let e = match take_exception(self.raw) {
            // It may be a function bigframe.rs replaced: say so.
            Error::Trap(m) if m == "unreachable" => Error::Trap(self.module.big_frames.message().unwrap_or(m)),
            e => e,
        };
        Some(if spent && crate::interrupt::pending_trap().is_none() { Error::Trap(crate::fuel::spent_message()) } else { e })
    }

    /// `call_into` for a function with a v128 in its type, which `wasm_val_t` cannot carry:
    /// the arguments and results as WAMR's 32-bit cells (a v128 is four), through
    /// `wasm_runtime_call_wasm`. Only wasm functions of other instances make such calls
    /// (JS cannot pass a v128), so this path is never the hot one.
    #[cold]
    #[inline(never)]
    fn call_cells(&self, func: &Func, args: &[Val], results: &mut [Val], from_host: bool) -> Result<(), Error> {
        // Cells as `wasm_runtime_call_wasm` takes them from outside: an externref is the
        // host's pointer-sized value (WAMR maps it to and from its index itself).
        let cells_of = |t: &ValType| match t {
            ValType::I64 | ValType::F64 | ValType::ExternRef => 2,
            ValType::V128 => 4,
            _ => 1,
        };
        let arg_cells: usize = func.ty.params.iter().map(cells_of).sum();
        let result_cells: usize = func.ty.results.iter().map(cells_of).sum();
        let mut cells = vec![0u32; arg_cells.max(result_cells).max(1)];
        let mut at = 0;
        for (a, t) in args.iter().zip(&func.ty.params) {
            let n = cells_of(t);
            let bits: u128 = match *a {
                Val::I32(x) => x as u32 as u128,
                Val::I64(x) => x as u64 as u128,
                Val::F32(x) => x as u128,
                Val::F64(x) => x as u128,
                Val::V128(x) => x,
                Val::FuncRef(r) => {
                    let internal = r.map(|r| if func.refs { self.funcref_to_internal(r) } else { r });
                    internal.unwrap_or(u32::MAX) as u128
                }
                // All ones is null (as in `to_wamr`).
                Val::ExternRef(r) => r.map(|id| id as u64).unwrap_or(u64::MAX) as u128,
            };
            for (k, c) in cells[at..at + n].iter_mut().enumerate() {
                *c = (bits >> (32 * k)) as u32;
            }
            at += n;
        }
        // SAFETY: `func.raw` belongs to this instance, the exec env is this instance's, and
        // `cells` holds the arguments' cells and room for the results' cells.
        self.run(from_host, || unsafe { sys::wasm_runtime_call_wasm(self.exec_env, func.raw, arg_cells as u32, cells.as_mut_ptr()) })?;
        let mut at = 0;
        for (r, t) in results.iter_mut().zip(&func.ty.results) {
            let n = cells_of(t);
            let bits = cells[at..at + n].iter().enumerate().fold(0u128, |b, (k, c)| b | (*c as u128) << (32 * k));
            at += n;
            *r = match t {
                ValType::I32 => Val::I32(bits as u32 as i32),
                ValType::I64 => Val::I64(bits as u64 as i64),
                ValType::F32 => Val::F32(bits as u32),
                ValType::F64 => Val::F64(bits as u64),
                ValType::V128 => Val::V128(bits),
                ValType::FuncRef => match bits as u32 {
                    u32::MAX => Val::FuncRef(None),
                    i if func.refs => Val::FuncRef(Some(self.funcref_from_internal(i)).filter(|v| *v != u32::MAX)),
                    i => Val::FuncRef(Some(i)),
                },
                // The host value, 0 for null (as in `from_wamr`).
                ValType::ExternRef => Val::ExternRef(match bits as u64 {
                    0 => None,
                    v => Some(v as u32),
                }),
            };
        }
        Ok(())
    }

    /// The exported memory `name`.
    pub fn exported_memory(self: &Rc<Self>, name: &str) -> Option<crate::Memory> {
        let declared_max = match self.module.info.exports.iter().find(|e| e.name == name)?.ty {
            ExternType::Memory { max, .. } => max,
            _ => return None,
        };
        // A re-exported imported memory keeps the maximum it really has.
        if let Some(imported) = self.imported_memories.first() {
            if self.module.info.imports.iter().any(|i| matches!(i.ty, ExternType::Memory { .. })) {
                let cname = self.module.wamr_export_name(name)?;
                // SAFETY: `raw` is live; the name is NUL-terminated.
                let raw = unsafe { sys::wasm_runtime_lookup_memory(self.raw, cname.as_ptr()) };
                if raw == imported.raw {
                    return Some(imported.clone());
                }
            }
        }
        let cname = self.module.wamr_export_name(name)?;
        // SAFETY: `raw` is live; the name is NUL-terminated.
        let raw = unsafe { sys::wasm_runtime_lookup_memory(self.raw, cname.as_ptr()) };
        (!raw.is_null()).then(|| crate::Memory { raw, owner: self.clone(), declared_max })
    }

    /// The exported table `name`.
    pub fn exported_table(self: &Rc<Self>, name: &str) -> Option<crate::Table> {
        let (elem, declared_max) = match self.module.info.exports.iter().find(|e| e.name == name)?.ty {
            ExternType::Table { elem, max, .. } => (elem, max),
            _ => return None,
        };
        let cname = self.module.wamr_export_name(name)?;
        let mut t = sys::wasm_table_inst_t { elem_kind: 0, cur_size: 0, max_size: 0, elems: std::ptr::null_mut() };
        // SAFETY: `raw` is live; `t` is a writable out-parameter.
        if !unsafe { sys::wasm_runtime_get_export_table_inst(self.raw, cname.as_ptr(), &mut t) } {
            return None;
        }
        // A re-exported imported table is that table.
        for imported in self.imported_tables.borrow().iter() {
            if (t.elems as *mut u8).wrapping_sub(crate::layout::TABLE_ELEMS) == imported.slot {
                return Some(imported.table.clone());
            }
        }
        crate::Table::from_export(self.clone(), &t, elem, declared_max)
    }

    /// The exported global `name`.
    pub fn exported_global(self: &Rc<Self>, name: &str) -> Option<crate::Global> {
        let ty = self.module.info.exports.iter().find(|e| e.name == name).and_then(|e| match e.ty {
            ExternType::Global { ty, .. } => Some(ty),
            _ => None,
        })?;
        let cname = self.module.wamr_export_name(name)?;
        let mut g = sys::wasm_global_inst_t { kind: 0, is_mutable: false, global_data: std::ptr::null_mut() };
        // SAFETY: `raw` is live; `g` is a writable out-parameter.
        let ok = unsafe { sys::wasm_runtime_get_export_global_inst(self.raw, cname.as_ptr(), &mut g) };
        if !ok || g.global_data.is_null() {
            return None;
        }
        // A re-exported shared (mutable, imported) global is that global.
        let shared = self._data.shared_globals.borrow();
        if let Some(k) = shared.0.iter().position(|(local, _, _, _)| *local == g.global_data as *mut u8) {
            return Some(shared.1[k].clone());
        }
        Some(crate::Global::from_export(self.clone(), &g, ty))
    }

    /// The default memory's bytes: (base pointer, length). Valid until the memory grows.
    pub fn memory(&self) -> Option<(*mut u8, usize)> {
        // SAFETY: `raw` is live; the returned memory instance belongs to it.
        unsafe {
            let mem = sys::wasm_runtime_get_default_memory(self.raw);
            if mem.is_null() {
                return None;
            }
            let base = sys::wasm_memory_get_base_address(mem) as *mut u8;
            let pages = sys::wasm_memory_get_cur_page_count(mem);
            let len = (pages * sys::wasm_memory_get_bytes_per_page(mem)) as usize;
            Some((base, len))
        }
    }
}

fn is_trap(msg: &str) -> bool {
    matches!(
        trap_message(msg).as_str(),
        "unreachable" | "integer divide by zero" | "integer overflow" | "out of bounds memory access"
            | "invalid conversion to integer" | "indirect call type mismatch" | "undefined element"
            | "uninitialized element" | "out of bounds table access" | "call stack exhausted"
    ) || msg.contains("out of bounds")
}

impl Drop for Instance {
    fn drop(&mut self) {
        // SAFETY: the exec env and instance were created in `new` and are destroyed once,
        // exec env first. `_data` is dropped after (field order), so no call can reach it.
        // Memory slots pointed at imported memories get WAMR's own memory back first, so
        // WAMR frees only what it allocated.
        unsafe {
            for (index, original) in self.swapped.drain(..) {
                crate::layout::restore_memory(self.raw, index, original);
            }
            for imported in self.imported_tables.get_mut().drain(..) {
                if let Some((index, original)) = imported.swapped {
                    crate::layout::restore_table(self.raw, index, original);
                }
            }
            for (index, original) in self.enlarged_tables.get_mut().0.drain(..) {
                crate::layout::restore_table(self.raw, index, original);
            }
            let me = self as *const Instance;
            for canon in self._data.views.get_mut().drain(..) {
                // Never borrowed here (no instance is dropped while a canon is borrowed:
                // table.rs drops released pins only after the borrow); a view left behind
                // would be skipped anyway (its Weak no longer upgrades).
                if let Ok(mut c) = canon.try_borrow_mut() {
                    c.detach(me);
                }
            }
            crate::interrupt::remove_exec_env(self.exec_env);
            sys::wasm_runtime_destroy_exec_env(self.exec_env);
            sys::wasm_runtime_deinstantiate(self.raw);
        }
    }
}


/// The import count matches the module's, and its tables fit the JS API's limit (a module may
/// declare a larger table — it validates — but instantiating it fails).
fn check_instantiable(module: &Module, imports: usize) -> Result<(), Error> {
    if imports != module.info.imports.len() {
        return Err(Error::Link(format!("expected {} imports, got {}", module.info.imports.len(), imports)));
    }
    let max = crate::table::MAX_ELEMENTS as u64;
    if module.info.largest_defined_table > max {
        let n = module.info.largest_defined_table;
        return Err(Error::Resource(format!("initial table size ({n} elements) is larger than the limit of {max}")));
    }
    Ok(())
}

/// The imports, checked against the module's import types and sorted by what links them.
struct Resolved {
    /// Host functions, one per function import (then proxy.rs's added imports).
    funcs: Vec<(FuncType, HostFunc)>,
    /// For each function import that is another instance's function: that function.
    direct: Vec<Option<(Rc<Instance>, u32)>>,
    /// Immutable funcref global imports that are functions: (global value position, value).
    func_globals: Vec<(usize, Rc<Instance>, u32)>,
    memories: Vec<crate::Memory>,
    global_values: Vec<Val>,
    /// Imported tables with their index among the module's tables.
    tables: Vec<(usize, crate::Table)>,
    shared_globals: Vec<(usize, crate::Global)>,
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
                    None => dispatcher(me.clone(), d),
                    Some(h) => grow_hook(me.clone(), plan.grow_hooks[h]),
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
                self.funcs.push((t.clone(), call_other(me.clone(), source.clone(), func)));
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

/// Instantiates `module` in WAMR with `data` as the instance's custom data (a start function
/// WAMR runs meanwhile counts as a call into wasm), and creates its exec env.
/// Returns the WAMR instance, its exec env, and whether it runs compiled code.
fn instantiate_in_wamr(module: &Module, data: &InstanceData) -> Result<(sys::wasm_module_inst_t, sys::wasm_exec_env_t, bool), Error> {
    let limits = engine::limits();
    let (wamr_module, compiled) = module.for_instance();
    let mut err = [0 as c_char; 256];
    // SAFETY: the args object is created, filled and destroyed here; the custom data
    // pointer stays valid for the instance's life (the Box is owned by the Instance).
    let raw = unsafe {
        let mut args: *mut sys::InstantiationArgs2 = std::ptr::null_mut();
        if !sys::wasm_runtime_instantiation_args_create(&mut args) {
            return Err(Error::Resource("out of memory".into()));
        }
        sys::wasm_runtime_instantiation_args_set_default_stack_size(args, limits.stack_size);
        sys::wasm_runtime_instantiation_args_set_host_managed_heap_size(args, limits.heap_size);
        sys::wasm_runtime_instantiation_args_set_max_memory_pages(args, limits.max_pages());
        sys::wasm_runtime_instantiation_args_set_custom_data(args, data as *const InstanceData as *mut _);
        // A start function WAMR runs while instantiating is a call into wasm too.
        let mut activation = crate::frames::Activation::instantiating();
        let call = enter_call(&mut activation);
        let raw = sys::wasm_runtime_instantiate_ex2(wamr_module, args, err.as_mut_ptr(), err.len() as u32);
        let interrupted = if raw.is_null() { crate::interrupt::pending_trap() } else { None };
        drop(call);
        sys::wasm_runtime_instantiation_args_destroy(args);
        if let Some(msg) = interrupted {
            return Err(Error::Trap(msg));
        }
        raw
    };
    if raw.is_null() {
        return Err(instantiation_error(&err));
    }
    // SAFETY: `raw` is a fresh instance; the exec env is destroyed before it in Drop.
    let exec_env = unsafe { sys::wasm_runtime_create_exec_env(raw, limits.stack_size) };
    if exec_env.is_null() {
        // SAFETY: `raw` is ours and unused.
        unsafe { sys::wasm_runtime_deinstantiate(raw) };
        return Err(Error::Resource("cannot allocate the wasm stack".into()));
    }
    crate::interrupt::add_exec_env(exec_env);
    Ok((raw, exec_env, compiled))
}

/// The error of a failed `wasm_runtime_instantiate_ex2`: a host function's (a start function
/// calling an import that failed), a trap, or a link error, from WAMR's message in `err`.
fn instantiation_error(err: &[c_char]) -> Error {
    if let Some(e) = PENDING_HOST_ERROR.with(|p| p.borrow_mut().take()) {
        return Error::Host(e);
    }
    // SAFETY: WAMR wrote a NUL-terminated message into the buffer.
    let msg = unsafe { CStr::from_ptr(err.as_ptr()) }.to_string_lossy().into_owned();
    // The interpreter's prefix, or the compiled tier's.
    let msg = msg.strip_prefix("WASM module instantiate failed: ").or_else(|| msg.strip_prefix("AOT module instantiate failed: ")).unwrap_or(&msg);
    let msg = msg.strip_prefix("Exception: ").map(|m| format!("Exception: {m}")).unwrap_or_else(|| msg.to_string());
    if is_trap(&msg) {
        Error::Trap(trap_message(&msg))
    } else {
        Error::Link(msg)
    }
}
