//! Instances: a module instantiated in WAMR with its host functions, calls into its functions
//! (multi-value results, traps, time limits, budgets), its funcref numbering (its own
//! functions, direct imports of other instances' functions, foreign slots: slots.rs), and the
//! state host.rs's trampoline reaches through WAMR's custom data. What links an instance to
//! others lives in the layer above, each file keeping its own state with the instance as an
//! [`Attachment`]: imported memories (memory.rs), shared globals (global.rs), shared tables
//! (table.rs); instantiate.rs puts them together.

use std::any::Any;
use std::cell::{Cell, RefCell};
use std::ffi::{c_char, CStr};
use std::rc::{Rc, Weak};
use std::sync::Arc;

use wamrx_sys as sys;

use crate::engine;
use crate::error::{trap_message, Error, HostError};
use crate::info::ExternType;
use crate::module::{Internal, Module};
use crate::slots::{Slots, FOREIGN_BASE, TOKEN_BASE};
use crate::trap::{is_trap, take_exception, take_host_error};
use crate::val::{from_wamr, to_wamr, FuncType, Val, ValType};

/// A host function an instance imports: called with the arguments and a slice of exactly the
/// import's result count to fill (held on the stack by the caller: no allocation per call).
pub type HostFunc = Box<dyn Fn(&[Val], &mut [Val]) -> Result<(), HostError>>;

/// A [`HostFunc`] from a closure that returns its results as a `Vec` (convenient for simple
/// hosts and tests; allocates per call). A wrong result count is a host error.
pub fn host_fn(f: impl Fn(&[Val]) -> Result<Vec<Val>, HostError> + 'static) -> HostFunc {
    Box::new(move |args, results| {
        let r = f(args)?;
        if r.len() != results.len() {
            return Err(HostError(Box::new(format!("host function returned {} results, expected {}", r.len(), results.len()))));
        }
        results.copy_from_slice(&r);
        Ok(())
    })
}

const NULL_REF: u32 = u32::MAX;

/// What a file of the layer above keeps with an instance (its own type: memory.rs's imported
/// memories, global.rs's shared globals, table.rs's shared tables), created on first use by
/// [`Instance::attachment`] and kept for the instance's life. The instance calls it at the
/// points only it knows.
pub(crate) trait Attachment {
    /// Control enters the instance (a call into it, a host call out of it returning), while
    /// [`Instance::cross_with`] asked for it.
    fn enter(&self, _inst: &Rc<Instance>) {}
    /// Control leaves the instance (a call into it returning, a host call out of it).
    fn leave(&self, _inst: &Rc<Instance>) {}
    /// Adds the strong references it holds to instances, one entry each (cycles.rs).
    fn strong_refs(&self, _out: &mut Vec<*const Instance>) {}
    /// Undoes what it pointed at other instances' storage, before WAMR frees the instance.
    ///
    /// # Safety
    /// `raw` is the instance's WAMR instance (`inst`), live, idle, and about to be freed.
    unsafe fn unlink(&self, _raw: sys::wasm_module_inst_t, _inst: *const Instance) {}
}

/// An instance's attachments: each as `Any` (to find it by type) and as an [`Attachment`].
type Attachments = Vec<(Rc<dyn Any>, Rc<dyn Attachment>)>;

/// Other instances' functions bound to an instance: the instance and the function.
pub(crate) type Foreign = Slots<Rc<(Rc<Instance>, Func)>>;

/// What the trampoline finds through the instance's custom data.
pub(crate) struct InstanceData {
    pub(crate) funcs: Vec<(FuncType, HostFunc)>,
    /// Where lowered imports (lower.rs) find their externref arguments and put their results,
    /// by function import index; filled right after instantiation.
    pub(crate) lowered: RefCell<std::collections::HashMap<u32, LoweredImport>>,
    /// The instance itself, once created (for funcrefs crossing its host functions).
    pub(crate) me: Me,
    /// Other instances' functions bound to this one (slots.rs; foreign.rs binds them).
    foreign: RefCell<Foreign>,
    /// Per function import: the (instance, function index) it is, when it is another
    /// instance's function (called directly, and the same funcref as that function).
    direct: Vec<Option<(Rc<Instance>, u32)>>,
    /// Whether an attachment has work when control enters or leaves the instance.
    on_enter: Cell<bool>,
    on_leave: Cell<bool>,
    attachments: RefCell<Attachments>,
}

/// A late reference from an instance's host functions to the instance.
pub(crate) type Me = Rc<RefCell<Weak<Instance>>>;

pub(crate) struct LoweredImport {
    /// Positions of externref parameters, passed as slots of the hidden table.
    pub(crate) externref_params: Vec<usize>,
    /// The hidden externref table's elements.
    pub(crate) table: *mut u64,
    /// The hidden result globals' storage, when the import returns several values.
    pub(crate) results: Vec<(*mut u8, ValType)>,
}

impl InstanceData {
    fn new(funcs: Vec<(FuncType, HostFunc)>, direct: Vec<Option<(Rc<Instance>, u32)>>, me: &Me) -> InstanceData {
        InstanceData {
            funcs,
            lowered: RefCell::new(Default::default()),
            me: me.clone(),
            foreign: Default::default(),
            direct,
            on_enter: Cell::new(false),
            on_leave: Cell::new(false),
            attachments: Default::default(),
        }
    }

    /// Control enters the instance: its attachments take what others changed. (Inlined fast
    /// path: most instances share nothing that needs it.)
    #[inline(always)]
    pub(crate) fn sync_in(&self) {
        if self.on_enter.get() {
            self.cross(true);
        }
    }

    /// Control leaves the instance: its attachments publish what it changed.
    #[inline(always)]
    pub(crate) fn sync_out(&self) {
        if self.on_leave.get() {
            self.cross(false);
        }
    }

    #[inline(never)]
    fn cross(&self, entering: bool) {
        let Some(me) = self.me.borrow().upgrade() else { return };
        // The hooks never create attachments (only look them up), so the list stays borrowed.
        for (_, a) in self.attachments.borrow().iter() {
            if entering {
                a.enter(&me);
            } else {
                a.leave(&me);
            }
        }
    }
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
    /// Reached by WAMR through the instance's custom data; owned here.
    data: Box<InstanceData>,
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
    pub(crate) fn new(raw: sys::wasm_function_inst_t, ty: FuncType) -> Func {
        let refs = ty.params.iter().chain(&ty.results).any(|t| *t == ValType::FuncRef);
        let v128 = ty.params.iter().chain(&ty.results).any(|t| *t == ValType::V128);
        Func { raw, ty, refs, v128 }
    }
}

impl Instance {
    /// Instantiates `module` in WAMR with `funcs` (one per function import, then proxy.rs's
    /// added imports) and links what only the instance needs: its fuel global, its lowered
    /// imports. `direct` says which function imports are other instances' functions; `me` is
    /// set to the instance. Linking to other instances is instantiate.rs's (or nothing, for
    /// standalone.rs's internal instances).
    pub(crate) fn create(module: Arc<Module>, funcs: Vec<(FuncType, HostFunc)>, direct: Vec<Option<(Rc<Instance>, u32)>>, me: &Me) -> Result<Rc<Instance>, Error> {
        check_tables(&module)?;
        crate::frames::install();
        let data = Box::new(InstanceData::new(funcs, direct, me));
        let (raw, exec_env, compiled) = instantiate_in_wamr(&module, &data)?;
        let mut instance = Instance { raw, exec_env, compiled, plain_calls: !compiled, data, module, fuel: None };
        instance.link_fuel()?;
        if !instance.module.lowerings.is_empty() {
            instance.link_lowerings()?;
        }
        let instance = Rc::new(instance);
        *me.borrow_mut() = Rc::downgrade(&instance);
        Ok(instance)
    }

    /// Finds the instruction-counting global's storage (fuel.rs), when the module counts.
    fn link_fuel(&mut self) -> Result<(), Error> {
        let Some(g) = self.module.fuel_global else { return Ok(()) };
        let types = self.global_types();
        // SAFETY: the instance is live and idle; `types` are its globals' types in order.
        let slots = unsafe { crate::layout::global_slots(self.raw, &types) }.map_err(Error::Link)?;
        self.fuel = Some(slots[g as usize] as usize);
        self.plain_calls = false;
        Ok(())
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
        let mut map = self.data.lowered.borrow_mut();
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

    pub(crate) fn raw(&self) -> sys::wasm_module_inst_t {
        self.raw
    }

    /// The other instances' functions bound to this one (foreign.rs binds them).
    pub(crate) fn foreign(&self) -> &RefCell<Foreign> {
        &self.data.foreign
    }

    /// Lets go of the foreign slots (cycles.rs: the instance is unreachable). Returns them,
    /// for the caller to drop when nothing is borrowed.
    pub(crate) fn release_foreign(&self) -> Foreign {
        std::mem::take(&mut *self.data.foreign.borrow_mut())
    }

    /// This instance, weakly (set once it is created).
    pub(crate) fn me(&self) -> Weak<Instance> {
        self.data.me.borrow().clone()
    }

    /// The attachment of type `T` (see [`Attachment`]), made on first use.
    pub(crate) fn attachment<T: Attachment + Default + 'static>(&self) -> Rc<T> {
        if let Some(t) = self.attached::<T>() {
            return t;
        }
        let t = Rc::new(T::default());
        self.data.attachments.borrow_mut().push((t.clone() as Rc<dyn Any>, t.clone() as Rc<dyn Attachment>));
        t
    }

    /// The attachment of type `T`, if the instance has one.
    pub(crate) fn attached<T: 'static>(&self) -> Option<Rc<T>> {
        let list = self.data.attachments.borrow();
        let (any, _) = list.iter().find(|(any, _)| any.is::<T>())?;
        any.clone().downcast::<T>().ok()
    }

    /// Makes control entering (`enter`) or leaving (`leave`) the instance call its
    /// attachments' hooks from now on.
    pub(crate) fn cross_with(&self, enter: bool, leave: bool) {
        if enter {
            self.data.on_enter.set(true);
        }
        if leave {
            self.data.on_leave.set(true);
        }
    }

    /// Every strong reference this instance holds to instances, one entry per reference
    /// (cycles.rs counts them): foreign slots, direct imports, and its attachments'.
    pub(crate) fn strong_edges(&self) -> Vec<*const Instance> {
        let mut out: Vec<*const Instance> = self.data.foreign.borrow().callees().map(|c| Rc::as_ptr(&c.0)).collect();
        for (source, _) in self.data.direct.iter().flatten() {
            // The record here and the host function calling it (foreign.rs's `call_other`).
            out.push(Rc::as_ptr(source));
            out.push(Rc::as_ptr(source));
        }
        for (_, a) in self.data.attachments.borrow().iter() {
            a.strong_refs(&mut out);
        }
        out
    }

    /// The other instances whose functions this instance imports (instantiate.rs notes them).
    pub(crate) fn direct_sources(&self) -> impl Iterator<Item = &Rc<Instance>> + '_ {
        self.data.direct.iter().flatten().map(|(s, _)| s)
    }

    /// The function import that is `source`'s function `index`, if any.
    pub(crate) fn direct_import_of(&self, source: &Rc<Instance>, index: u32) -> Option<u32> {
        self.data.direct.iter().position(|d| d.as_ref().is_some_and(|(s, i)| Rc::ptr_eq(s, source) && *i == index)).map(|p| p as u32)
    }

    /// The other instance's function that function import `index` is, if it is one.
    pub(crate) fn direct_import_source(&self, index: u32) -> Option<(Rc<Instance>, u32)> {
        self.data.direct.get(index as usize)?.clone()
    }

    pub fn module(&self) -> &Arc<Module> {
        &self.module
    }

    /// WAMR's function index for the funcref value `value` (null stays null). Never inlined:
    /// the call path of functions without funcrefs stays small.
    #[inline(never)]
    pub(crate) fn funcref_to_internal(&self, value: u32) -> u32 {
        if value == NULL_REF {
            return NULL_REF;
        }
        if value >= FOREIGN_BASE {
            return self.data.foreign.borrow().internal_of(value);
        }
        self.module.internal_index(value)
    }

    /// The funcref value for WAMR's function index `internal` (null stays null; an index of
    /// nothing the host can name becomes null).
    #[inline(never)]
    pub(crate) fn funcref_from_internal(&self, internal: u32) -> u32 {
        if internal == NULL_REF {
            return NULL_REF;
        }
        if internal >= TOKEN_BASE {
            return FOREIGN_BASE + (internal - TOKEN_BASE);
        }
        match self.module.classify(internal) {
            Internal::Func(i) => i,
            Internal::Pool(p, k) => self.data.foreign.borrow().value_of_proxy(p, k),
            Internal::Other => NULL_REF,
        }
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
    /// (foreign.rs; stack traces show no embedder frame between the two: frames.rs).
    #[inline(always)]
    pub(crate) fn call_into_from(&self, func: &Func, args: &[Val], results: &mut [Val], from_host: bool) -> Result<(), Error> {
        if args.len() != func.ty.params.len() || results.len() != func.ty.results.len() {
            return Err(Error::Trap(format!("expected {} arguments, got {}", func.ty.params.len(), args.len())));
        }
        if func.v128 {
            return self.call_cells(func, args, results, from_host);
        }
        if func.refs {
            return self.call_with_refs(func, args, results, from_host);
        }
        self.call_values(func, args, results, from_host)
    }

    /// The call through `wasm_val_t`s of `func`, whose arguments and results are WAMR's
    /// values (funcrefs as WAMR's indices).
    #[inline(always)]
    fn call_values(&self, func: &Func, args: &[Val], results: &mut [Val], from_host: bool) -> Result<(), Error> {
        crate::stack_slice!(wargs, args.len(), sys::wasm_val_t::default());
        for (w, a) in wargs.iter_mut().zip(args) {
            *w = to_wamr(a);
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
        Ok(())
    }

    /// [`call_values`](Instance::call_values) for a function with a funcref in its type: the
    /// funcref values translated to WAMR's indices and back (foreign.rs).
    #[inline(never)]
    fn call_with_refs(&self, func: &Func, args: &[Val], results: &mut [Val], from_host: bool) -> Result<(), Error> {
        crate::stack_slice!(internal_args, args.len(), Val::I32(0));
        for (w, a) in internal_args.iter_mut().zip(args) {
            *w = match *a {
                Val::FuncRef(Some(r)) => Val::FuncRef(Some(self.funcref_to_internal(r))),
                a => a,
            };
        }
        self.call_values(func, internal_args, results, from_host)?;
        for r in results.iter_mut() {
            if let Val::FuncRef(Some(internal)) = *r {
                *r = Val::FuncRef(Some(self.funcref_from_internal(internal)).filter(|v| *v != u32::MAX));
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
        self.data.sync_in();
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
        self.data.sync_out();
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

impl Drop for Instance {
    fn drop(&mut self) {
        // SAFETY: the exec env and instance were created in `create` and are destroyed once,
        // exec env first. `data` is dropped after (field order), so no call can reach it.
        // The attachments first undo what they pointed at other instances' storage (memory
        // and table slots get WAMR's own back), so WAMR frees only what it allocated.
        unsafe {
            let me = self as *const Instance;
            for (_, a) in self.data.attachments.get_mut().iter() {
                a.unlink(self.raw, me);
            }
            crate::interrupt::remove_exec_env(self.exec_env);
            sys::wasm_runtime_destroy_exec_env(self.exec_env);
            sys::wasm_runtime_deinstantiate(self.raw);
        }
    }
}

/// The module's tables fit the JS API's limit (a module may declare a larger table — it
/// validates — but instantiating it fails).
pub(crate) fn check_tables(module: &Module) -> Result<(), Error> {
    let max = crate::scan::MAX_TABLE_ELEMENTS as u64;
    if module.info.largest_defined_table > max {
        let n = module.info.largest_defined_table;
        return Err(Error::Resource(format!("initial table size ({n} elements) is larger than the limit of {max}")));
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
    if let Some(e) = take_host_error() {
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
