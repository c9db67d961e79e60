//! Tables: one exported by an instance, or a standalone one (owned by a small internal
//! instance), and funcref tables shared by several instances.
//!
//! Externref elements are WAMR's process-wide externref indices, so an imported externref
//! table is simply the exporter's table instance (`layout.rs` points the importer's table slot
//! at it). Funcref elements are function indices of the instance executing `call_indirect`
//! (foreign.rs), so a funcref table used by more than one party has a *canonical* content —
//! [`Canon`]: each element as (instance, function index) — and every instance using it has its
//! own *view*, a WAMR table holding the same functions as its own indices (proxies for other
//! instances' functions). The views are kept equal:
//!
//! - a write from the host (JS `set`/`grow`) goes to the canonical content and into every view
//!   at once (refused as a whole if one view cannot take it);
//! - a write by wasm (`table.set`/`fill`/`copy`/`init`, element segments) lands in the
//!   executing instance's view and is published when control leaves the instance (`Tables`'s
//!   `leave` hook: the view is compared with a snapshot of what was last published), before
//!   any other party can look. Modules whose code never writes tables skip the comparison;
//! - `table.grow` by wasm is a call of a host grow hook (proxy.rs) that grows the canonical
//!   content like the host does.
//!
//! WAMR allocates each table once, at instantiation; a view that must hold more moves to a
//! larger table of its own ([`Canon::ensure_capacity`], `Instance::replace_table`).
//!
//! A standalone funcref table has a canonical content from the start (no view until an instance
//! imports it); an instance's own funcref table gets one when a second instance imports it
//! (its own table becomes the first view). Unshared funcref tables are read and written in
//! place. The second half of this file is the instance's side of all this: [`Tables`], its
//! attachment (the tables it imports, the shared contents it owns or views, embedder roots,
//! views moved to larger tables), and `table.grow` through grow hooks.

use std::cell::RefCell;
use std::rc::{Rc, Weak};

use wamrx_sys as sys;

use crate::error::{Error, HostError};
use crate::info::ExternType;
use crate::instance::{Attachment, HostFunc, Instance, Me};
use crate::val::{Val, ValType};

// Offsets in WAMR's `WASMTableInstance` (layout.rs, which owns WAMR's structures). Its
// elements hold a function or externref index; null is `NULL_REF` (0xFFFFFFFF), and
// never-written elements are all ones (memset -1).
use crate::layout::{TABLE_CUR_SIZE as CUR_SIZE, TABLE_ELEMS as ELEMS, TABLE_MAX_SIZE as MAX_SIZE};
const NULL_REF: u32 = u32::MAX;
/// Most elements a table may have (the JS API's limit).
pub const MAX_ELEMENTS: u32 = crate::scan::MAX_TABLE_ELEMENTS;

/// A function of an instance, by its funcref value there.
pub type FuncRef = (Rc<Instance>, u32);

/// A table element as the host sees it.
#[derive(Clone)]
pub enum Ref {
    Func(Option<FuncRef>),
    /// The embedder's id of an externref value (None for null).
    Extern(Option<u32>),
}

impl Ref {
    pub fn is_null(&self) -> bool {
        matches!(self, Ref::Func(None) | Ref::Extern(None))
    }
}

/// Raw access to a `WASMTableInstance`.
#[derive(Clone, Copy, PartialEq)]
struct Raw(*mut u8);

impl Raw {
    fn len(self) -> u32 {
        // SAFETY (for every method): the pointer is a live WASMTableInstance (the owner of the
        // Table or View holding it keeps its instance alive), and indices are below cur_size
        // or max_size as each caller checks.
        unsafe { *(self.0.add(CUR_SIZE) as *const u32) }
    }
    fn set_len(self, n: u32) {
        // SAFETY: as above; n <= capacity (callers check), what wasm_enlarge_table does.
        unsafe { *(self.0.add(CUR_SIZE) as *mut u32) = n }
    }
    fn capacity(self) -> u32 {
        // SAFETY: as above.
        unsafe { *(self.0.add(MAX_SIZE) as *const u32) }
    }
    /// Lowers the capacity WAMR believes the table has (its `table.grow` limit).
    fn limit_capacity(self, n: u32) {
        if n < self.capacity() {
            // SAFETY: as above; a smaller max_size only makes WAMR refuse growth sooner.
            unsafe { *(self.0.add(MAX_SIZE) as *mut u32) = n }
        }
    }
    fn read(self, i: u32) -> u64 {
        // SAFETY: as above, i < capacity.
        unsafe { self.0.add(ELEMS).cast::<u64>().add(i as usize).read_unaligned() }
    }
    fn write(self, i: u32, v: u64) {
        // SAFETY: as above, i < capacity.
        unsafe { self.0.add(ELEMS).cast::<u64>().add(i as usize).write_unaligned(v) }
    }
}

/// WAMR's u32 element (a null element reads as all ones, u32 or u64).
fn elem32(v: u64) -> u32 {
    if v == u64::MAX {
        NULL_REF
    } else {
        v as u32
    }
}

/// One instance's WAMR table showing a shared funcref table.
struct View {
    inst: Weak<Instance>,
    raw: Raw,
    /// The elements as last published or written by the host (WAMR's values).
    snapshot: Vec<u64>,
}

/// An element of the canonical content: the instance is held weakly (see [`Canon`]).
type WeakFuncRef = (Weak<Instance>, u32);

/// The canonical content of a shared funcref table (see the module docs).
///
/// Lifetimes: the elements hold their instances weakly, and strong references (`pins`) only
/// while the embedder holds the table ([`TableRoot`]). Without a root nothing outside can
/// read the table any more; every view holds its own functions itself and other instances'
/// through its proxies (foreign.rs), so no element can be missed — and an instance whose own
/// functions sit in a table it imports is not kept alive by that table alone (no cycle).
pub(crate) struct Canon {
    elems: Vec<Option<WeakFuncRef>>,
    /// Most elements the table may hold.
    limit: u32,
    views: Vec<View>,
    /// Whether the embedder holds the table (then `pins` keep every element's instance).
    rooted: bool,
    pins: Vec<Rc<Instance>>,
    /// The instance holding this content (pins are its references: cycles.rs).
    owner: Weak<Instance>,
}

/// `table.grow` of an unshared WAMR table `raw` by `delta` elements `value` (WAMR's), within
/// its room: the old size, or None.
pub(crate) fn grow_in_place(raw: *mut u8, delta: u32, value: u64) -> Option<u32> {
    let r = Raw(raw);
    let old = r.len();
    if delta > r.capacity().saturating_sub(old) {
        return None;
    }
    for i in old..old + delta {
        r.write(i, value);
    }
    r.set_len(old + delta);
    Some(old)
}

/// A funcref table of `capacity` elements owned by a small internal instance (a larger home
/// for a view: [`Canon::ensure_capacity`]).
fn spare(capacity: u32) -> Result<(Rc<Instance>, Raw), Error> {
    let mut tables = wasm_encoder::TableSection::new();
    let n = capacity as u64;
    tables.table(wasm_encoder::TableType { element_type: wasm_encoder::RefType::FUNCREF, table64: false, minimum: n, maximum: Some(n), shared: false });
    let inst = crate::standalone::instance(&tables, "t", wasm_encoder::ExportKind::Table)?;
    let t = inst.exported_table("t").ok_or_else(|| Error::Resource("table allocation failed".into()))?;
    let raw = Raw(t.raw);
    if raw.capacity() < capacity {
        return Err(Error::Resource(format!("cannot allocate a table of {capacity} elements")));
    }
    Ok((inst, raw))
}

/// WAMR's element value, in `inst`, for `f`.
fn internal(inst: &Instance, f: &Option<FuncRef>) -> Result<u64, Error> {
    Ok(match f {
        None => NULL_REF as u64,
        Some((target, index)) => inst.funcref_to_internal(inst.funcref_for(target, *index)?) as u64,
    })
}

/// The canonical (instance, index) for WAMR's element value `v` in `inst`.
fn external(inst: &Rc<Instance>, v: u64) -> Option<FuncRef> {
    let r = inst.funcref_from_internal(elem32(v));
    if r == NULL_REF {
        return None;
    }
    inst.funcref_target(r)
}

impl Canon {
    fn new(elems: Vec<Option<FuncRef>>, limit: u32, owner: &Rc<Instance>) -> Canon {
        let mut c = Canon { elems: Vec::with_capacity(elems.len()), limit, views: Vec::new(), rooted: false, pins: Vec::new(), owner: Rc::downgrade(owner) };
        for f in &elems {
            let w = c.weak(f);
            c.elems.push(w);
        }
        c
    }

    /// `f` as stored, pinning its instance while the table is rooted.
    fn weak(&mut self, f: &Option<FuncRef>) -> Option<WeakFuncRef> {
        let (inst, index) = f.as_ref()?;
        if self.rooted && !self.pins.iter().any(|p| Rc::ptr_eq(p, inst)) {
            self.pins.push(inst.clone());
            crate::registry::note_edge(self.owner.clone(), inst);
        }
        Some((Rc::downgrade(inst), *index))
    }

    /// Element `i` (None for null, or for an instance that is gone).
    fn load(&self, i: usize) -> Option<FuncRef> {
        let (w, index) = self.elems.get(i)?.as_ref()?;
        Some((w.upgrade()?, *index))
    }

    fn store(&mut self, i: usize, f: &Option<FuncRef>) {
        self.elems[i] = self.weak(f);
    }

    /// The embedder started or stopped holding the table. Returns the pins let go, for the
    /// caller to drop once the canon is no longer borrowed (dropping one may free an instance,
    /// whose views then leave this canon).
    #[must_use]
    pub(crate) fn set_rooted(&mut self, rooted: bool) -> Vec<Rc<Instance>> {
        self.rooted = rooted;
        let old = std::mem::take(&mut self.pins);
        if rooted {
            for i in 0..self.elems.len() {
                let f = self.load(i);
                self.store(i, &f);
            }
        }
        old
    }

    /// Writes `f` at `i` everywhere; nothing changes when a view cannot hold it.
    fn set(&mut self, i: u32, f: Option<FuncRef>) -> Result<(), Error> {
        let values = self.views.iter().map(|v| v.inst.upgrade().map(|inst| internal(&inst, &f)).transpose()).collect::<Result<Vec<_>, _>>()?;
        for (view, value) in self.views.iter_mut().zip(values) {
            if let Some(value) = value {
                if i < view.raw.len() {
                    view.raw.write(i, value);
                    view.snapshot[i as usize] = value;
                }
            }
        }
        self.store(i as usize, &f);
        Ok(())
    }

    /// Makes view `k` hold at least `needed` elements: WAMR allocated each table at
    /// instantiation, so a view that is too small moves to a larger table of its own (the
    /// instance's table slot points at it; `Instance::replace_table` below).
    fn ensure_capacity(&mut self, k: usize, needed: u32) -> Result<(), Error> {
        let old = self.views[k].raw;
        if old.capacity() >= needed {
            return Ok(());
        }
        let Some(inst) = self.views[k].inst.upgrade() else { return Ok(()) };
        let capacity = needed.saturating_mul(2).max(1024).min(self.limit).max(needed);
        let (keeper, new) = spare(capacity)?;
        let len = old.len();
        for i in 0..len {
            new.write(i, old.read(i));
        }
        new.set_len(len);
        inst.replace_table(old.0, new.0, keeper)?;
        self.views[k].raw = new;
        Ok(())
    }

    /// Appends `delta` elements `init` everywhere; returns the old length.
    pub(crate) fn grow(&mut self, delta: u32, init: Option<FuncRef>) -> Result<u32, Error> {
        let old = self.elems.len() as u32;
        let limit = self.limit;
        if delta > limit.saturating_sub(old) {
            return Err(Error::Resource(format!("Maximum table size exceeded ({old} + {delta} > {limit})")));
        }
        for k in 0..self.views.len() {
            self.ensure_capacity(k, old + delta)?;
        }
        let values = self.views.iter().map(|v| v.inst.upgrade().map(|inst| internal(&inst, &init)).transpose()).collect::<Result<Vec<_>, _>>()?;
        for (view, value) in self.views.iter_mut().zip(values) {
            // A view whose instance is being dropped has left (detach) or is about to.
            let Some(value) = value else { continue };
            for i in old..old + delta {
                view.raw.write(i, value);
            }
            view.raw.set_len(old + delta);
            view.snapshot.resize((old + delta) as usize, value);
        }
        let w = self.weak(&init);
        self.elems.resize((old + delta) as usize, w);
        Ok(old)
    }

    /// Adds `inst`'s WAMR table `raw` as a view, filled with the canonical content (moved to
    /// a larger table when WAMR's is too small). Wasm growth in a view stops at the table's
    /// limit (WAMR reads it from the view's `max_size`).
    fn attach(&mut self, inst: &Rc<Instance>, raw: Raw) -> Result<(), Error> {
        let n = self.elems.len() as u32;
        let values = (0..self.elems.len()).map(|i| internal(inst, &self.load(i))).collect::<Result<Vec<_>, _>>()?;
        self.views.push(View { inst: Rc::downgrade(inst), raw, snapshot: Vec::new() });
        let k = self.views.len() - 1;
        if let Err(e) = self.ensure_capacity(k, n) {
            self.views.pop();
            return Err(e);
        }
        let raw = self.views[k].raw;
        raw.limit_capacity(self.limit);
        for (i, v) in values.iter().enumerate() {
            raw.write(i as u32, *v);
        }
        raw.set_len(n);
        self.views[k].snapshot = values;
        Ok(())
    }

    /// Publishes what wasm in `inst` wrote into its views since the last time.
    pub(crate) fn publish(&mut self, inst: &Rc<Instance>) {
        for k in 0..self.views.len() {
            if !std::ptr::eq(self.views[k].inst.as_ptr(), Rc::as_ptr(inst)) {
                continue;
            }
            let raw = self.views[k].raw;
            let len = raw.len() as usize;
            // Wasm never grows a view itself (`table.grow` of a shared table is a grow hook),
            // so the view and the canonical content have the same length here.
            for i in 0..len.min(self.elems.len()) {
                let now = raw.read(i as u32);
                if now == self.views[k].snapshot[i] {
                    continue;
                }
                self.views[k].snapshot[i] = now;
                let f = external(inst, now);
                for other in self.views.iter_mut() {
                    if other.raw == raw || i as u32 >= other.raw.len() {
                        continue;
                    }
                    let Some(o) = other.inst.upgrade() else { continue };
                    // A view that cannot take the function (its proxy pool is full) gets null.
                    let v = internal(&o, &f).unwrap_or(NULL_REF as u64);
                    other.raw.write(i as u32, v);
                    other.snapshot[i] = v;
                }
                self.store(i, &f);
            }
        }
    }

    /// Removes `inst`'s views (it is going away).
    pub(crate) fn detach(&mut self, inst: *const Instance) {
        self.views.retain(|v| !std::ptr::eq(v.inst.as_ptr(), inst));
    }
}

#[derive(Clone)]
pub struct Table {
    /// The `WASMTableInstance` (of the owner).
    pub(crate) raw: *mut u8,
    pub elem: ValType,
    pub(crate) owner: Rc<Instance>,
    pub(crate) declared_max: Option<u64>,
}

impl Table {
    /// A standalone table of `initial` null elements, growable to `maximum`.
    pub fn new(elem: ValType, initial: u32, maximum: Option<u32>) -> Result<Table, Error> {
        let rt = match elem {
            ValType::FuncRef => wasm_encoder::RefType::FUNCREF,
            ValType::ExternRef => wasm_encoder::RefType::EXTERNREF,
            _ => return Err(Error::Link("a table holds funcref or externref".into())),
        };
        // A funcref table's elements live in its canonical content only (the internal
        // instance has no functions to be indices of), so its WAMR table stays empty.
        let wamr_initial = if elem == ValType::FuncRef { 0 } else { initial };
        let mut tables = wasm_encoder::TableSection::new();
        tables.table(wasm_encoder::TableType { element_type: rt, table64: false, minimum: wamr_initial as u64, maximum: maximum.map(u64::from), shared: false });
        let inst = crate::standalone::instance(&tables, "t", wasm_encoder::ExportKind::Table)?;
        let t = inst.exported_table("t").ok_or_else(|| Error::Resource("table allocation failed".into()))?;
        if elem == ValType::FuncRef {
            let limit = maximum.unwrap_or(MAX_ELEMENTS).min(MAX_ELEMENTS);
            t.owner.add_canon(t.raw, Canon::new(vec![None; initial as usize], limit, &t.owner));
        }
        Ok(t)
    }

    /// Wraps WAMR's view of an exported table, checking the layout assumptions above.
    fn from_export(owner: Rc<Instance>, t: &sys::wasm_table_inst_t, elem: ValType, declared_max: Option<u64>) -> Option<Table> {
        if t.elems.is_null() {
            return None;
        }
        let raw = (t.elems as *mut u8).wrapping_sub(ELEMS);
        // SAFETY: `elems` is the trailing array of a live WASMTableInstance; the two fields read
        // precede it in the same allocation. A mismatch means another layout: refuse.
        let ok = unsafe { *(raw.add(CUR_SIZE) as *const u32) == t.cur_size && *(raw.add(MAX_SIZE) as *const u32) == t.max_size };
        ok.then_some(Table { raw, elem, owner, declared_max })
    }

    pub fn id(&self) -> usize {
        self.raw as usize
    }

    fn canon(&self) -> Option<Rc<RefCell<Canon>>> {
        if self.elem != ValType::FuncRef {
            return None;
        }
        self.owner.canon_of(self.raw)
    }

    pub fn len(&self) -> u32 {
        match self.canon() {
            Some(c) => c.borrow().elems.len() as u32,
            None => Raw(self.raw).len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn declared_max(&self) -> Option<u64> {
        self.declared_max
    }

    pub fn get(&self, i: u32) -> Option<Ref> {
        if let Some(c) = self.canon() {
            let c = c.borrow();
            return ((i as usize) < c.elems.len()).then(|| Ref::Func(c.load(i as usize)));
        }
        let raw = Raw(self.raw);
        if i >= raw.len() {
            return None;
        }
        let v = elem32(raw.read(i));
        Some(match self.elem {
            ValType::FuncRef => Ref::Func(external(&self.owner, v as u64).filter(|_| v != NULL_REF)),
            _ => {
                let mut obj: *mut std::ffi::c_void = std::ptr::null_mut();
                // SAFETY: a plain lookup in WAMR's externref map.
                if v == NULL_REF || !unsafe { sys::wasm_externref_ref2obj(v, &mut obj) } || obj.is_null() {
                    Ref::Extern(None)
                } else {
                    Ref::Extern(Some(obj as usize as u32))
                }
            }
        })
    }

    /// WAMR's element value for `r` in the owner's table (unshared tables).
    fn encode(&self, r: &Ref) -> Result<u64, Error> {
        match (self.elem, r) {
            (ValType::FuncRef, Ref::Func(f)) => internal(&self.owner, f),
            (ValType::ExternRef, Ref::Extern(None)) => Ok(NULL_REF as u64),
            (ValType::ExternRef, Ref::Extern(Some(id))) => {
                let mut idx = NULL_REF;
                // SAFETY: maps the host value to WAMR's externref index for the owner.
                if unsafe { sys::wasm_externref_obj2ref(self.owner.raw(), *id as usize as *mut std::ffi::c_void, &mut idx) } {
                    Ok(idx as u64)
                } else {
                    Err(Error::Resource("cannot store the externref".into()))
                }
            }
            _ => Err(Error::Link("value does not match the table's element type".into())),
        }
    }

    pub fn set(&self, i: u32, r: Ref) -> Result<(), Error> {
        if i >= self.len() {
            return Err(Error::Trap("out of bounds table access".into()));
        }
        if let Some(c) = self.canon() {
            let Ref::Func(f) = r else { return Err(Error::Link("value does not match the table's element type".into())) };
            return c.borrow_mut().set(i, f);
        }
        let v = self.encode(&r)?;
        Raw(self.raw).write(i, v);
        Ok(())
    }

    /// Grows by `delta` elements set to `init`; returns the old length.
    pub fn grow(&self, delta: u32, init: Ref) -> Result<u32, Error> {
        // Past what WAMR allocated for it (max(2 x initial, 1024) elements), a funcref table
        // grows as a canonical table, whose views move to larger tables.
        let past_capacity = {
            let raw = Raw(self.raw);
            self.elem == ValType::FuncRef && delta > raw.capacity().saturating_sub(raw.len())
        };
        let canon = if past_capacity { Some(self.ensure_canon()) } else { self.canon() };
        if let Some(c) = canon {
            let Ref::Func(f) = init else { return Err(Error::Link("value does not match the table's element type".into())) };
            let mut c = c.borrow_mut();
            let max = self.declared_max.map(|m| m.min(u32::MAX as u64) as u32).unwrap_or(u32::MAX);
            let old = c.elems.len() as u32;
            if delta > max.saturating_sub(old) {
                return Err(Error::Resource(format!("Maximum table size exceeded ({old} + {delta} > {max})")));
            }
            return c.grow(delta, f);
        }
        let raw = Raw(self.raw);
        let old = raw.len();
        let limit = self.declared_max.map(|m| m.min(u32::MAX as u64) as u32).unwrap_or(u32::MAX).min(raw.capacity());
        if delta > limit.saturating_sub(old) {
            return Err(Error::Resource(format!("Maximum table size exceeded ({old} + {delta} > {limit})")));
        }
        let v = self.encode(&init)?;
        for i in old..old + delta {
            raw.write(i, v);
        }
        raw.set_len(old + delta);
        Ok(old)
    }

    /// Makes `view` (a WAMR table of `importer`, the slot of its import of this funcref
    /// table) show this table, sharing it first if it is an instance's own table. Returns the
    /// canonical content, which `importer` publishes its writes to.
    pub(crate) fn attach(&self, importer: &Rc<Instance>, view: *mut u8) -> Result<Rc<RefCell<Canon>>, Error> {
        let canon = self.ensure_canon();
        canon.borrow_mut().attach(importer, Raw(view))?;
        Ok(canon)
    }

    /// The canonical content of this funcref table, made the first time it is needed (shared
    /// with an importer, or grown past what WAMR allocated): the owner's own table becomes
    /// its first view.
    fn ensure_canon(&self) -> Rc<RefCell<Canon>> {
        if let Some(c) = self.canon() {
            return c;
        }
        let raw = Raw(self.raw);
        let elems = (0..raw.len()).map(|i| external(&self.owner, raw.read(i))).collect();
        let limit = self.declared_max.map(|m| m.min(MAX_ELEMENTS as u64) as u32).unwrap_or(MAX_ELEMENTS);
        let mut canon = Canon::new(elems, limit, &self.owner);
        canon.views.push(View { inst: Rc::downgrade(&self.owner), raw, snapshot: (0..raw.len()).map(|i| raw.read(i)).collect() });
        let canon = self.owner.add_canon(self.raw, canon);
        self.owner.publishes_to(canon.clone());
        self.owner.shares_own_table(self.raw, &canon);
        canon
    }

    pub fn owner(&self) -> &Rc<Instance> {
        &self.owner
    }

    /// The elements of the WAMR table instance `raw`, as WAMR stores them.
    pub(crate) fn raw_elements(raw: *mut u8) -> Vec<u64> {
        let r = Raw(raw);
        (0..r.len()).map(|i| r.read(i)).collect()
    }

    /// Marks the table as held by the embedder (a JS object) until the returned root drops:
    /// while any root lives, the table keeps every function in it alive (see [`Canon`]).
    pub fn root(&self) -> TableRoot {
        if self.elem == ValType::FuncRef && self.owner.add_table_root(self.raw) == 1 {
            if let Some(c) = self.canon() {
                let old = c.borrow_mut().set_rooted(true);
                drop(old);
            }
        }
        TableRoot { table: self.clone() }
    }
}

/// The embedder's hold on a table ([`Table::root`]).
pub struct TableRoot {
    table: Table,
}

impl Drop for TableRoot {
    fn drop(&mut self) {
        let t = &self.table;
        if t.elem == ValType::FuncRef && t.owner.remove_table_root(t.raw) == 0 {
            if let Some(c) = t.canon() {
                // Never borrowed when the embedder drops a root (no JS runs inside table
                // code); if it were, keeping the pins is the safe side.
                let old = match c.try_borrow_mut() {
                    Ok(mut c) => c.set_rooted(false),
                    Err(_) => Vec::new(),
                };
                drop(old);
            }
        }
    }
}

/// A table an instance imports (kept alive while it uses it).
struct ImportedTable {
    table: Table,
    /// The WAMR table instance in the instance's table slot: the shared one (externref), or the
    /// instance's own view of it (funcref).
    slot: *mut u8,
    /// (table index, WAMR's own table) to put back before WAMR frees the instance, when the
    /// slot was pointed at the shared table.
    swapped: Option<(usize, *mut u8)>,
}

/// An instance's side of its tables (see the module docs).
#[derive(Default)]
pub(crate) struct Tables {
    /// The tables it imports.
    imported: RefCell<Vec<ImportedTable>>,
    /// (table index, WAMR's own table) of each slot moved to a larger table, to put back
    /// before WAMR frees the instance, and the small instances owning the larger tables.
    enlarged: RefCell<(Vec<(usize, *mut u8)>, Vec<Rc<Instance>>)>,
    /// Canonical contents of its own funcref tables that are shared, by table address.
    canons: RefCell<Vec<(usize, Rc<RefCell<Canon>>)>>,
    /// The shared contents it has views of (its writes are published to them).
    views: RefCell<Vec<Rc<RefCell<Canon>>>>,
    /// The canonical content behind each of its tables that is shared, by table index (what
    /// `table.grow` grows: proxy.rs's grow hooks).
    by_index: RefCell<Vec<(u32, Rc<RefCell<Canon>>)>>,
    /// Embedder roots of its tables ([`TableRoot`]): (table address, count).
    roots: RefCell<Vec<(usize, usize)>>,
}

impl Attachment for Tables {
    fn leave(&self, inst: &Rc<Instance>) {
        if inst.module().writes_tables {
            self.publish(inst);
        }
    }

    fn strong_refs(&self, out: &mut Vec<*const Instance>) {
        out.extend(self.imported.borrow().iter().map(|t| Rc::as_ptr(&t.table.owner)));
    }

    unsafe fn unlink(&self, raw: sys::wasm_module_inst_t, inst: *const Instance) {
        for imported in self.imported.borrow_mut().drain(..) {
            if let Some((index, original)) = imported.swapped {
                crate::layout::restore_table(raw, index, original);
            }
        }
        for (index, original) in self.enlarged.borrow_mut().0.drain(..) {
            crate::layout::restore_table(raw, index, original);
        }
        for canon in self.views.borrow_mut().drain(..) {
            // Never borrowed here (no instance is dropped while a canon is borrowed: table.rs
            // drops released pins only after the borrow); a view left behind would be skipped
            // anyway (its Weak no longer upgrades).
            if let Ok(mut c) = canon.try_borrow_mut() {
                c.detach(inst);
            }
        }
    }
}

impl Tables {
    /// Publishes what wasm in `inst` wrote into its views of shared tables.
    fn publish(&self, inst: &Rc<Instance>) {
        for canon in self.views.borrow().iter() {
            canon.borrow_mut().publish(inst);
        }
    }
}

/// Links the tables `inst` imports (with their index among its tables): an externref table's
/// slot is pointed at the shared table; a funcref table's own table is returned, to become a
/// view once the instance is published ([`attach_views`]).
pub(crate) fn link_imports(inst: &Rc<Instance>, tables: Vec<(usize, Table)>) -> Result<Vec<(Table, *mut u8, usize)>, Error> {
    let count = inst.module().wamr_table_count();
    let mut funcref_tables = Vec::new();
    for (index, t) in tables {
        if t.elem == ValType::FuncRef {
            // SAFETY: the instance is live and idle.
            let view = unsafe { crate::layout::table_at(inst.raw(), index, count) }.map_err(Error::Link)?;
            funcref_tables.push((t, view, index));
            continue;
        }
        // SAFETY: the instance is live and idle; the table is kept alive by `t` (its owner).
        let original = unsafe { crate::layout::share_table(inst.raw(), index, t.raw, count) }.map_err(Error::Link)?;
        inst.attachment::<Tables>().imported.borrow_mut().push(ImportedTable { slot: t.raw, table: t, swapped: Some((index, original)) });
    }
    Ok(funcref_tables)
}

/// Makes `inst`'s own tables for imported funcref tables views of them.
pub(crate) fn attach_views(inst: &Rc<Instance>, tables: Vec<(Table, *mut u8, usize)>) -> Result<(), Error> {
    let tables_of = inst.attachment::<Tables>();
    for (t, view, index) in tables {
        // Recorded first: attaching may move the view to a larger table (the slot follows).
        tables_of.imported.borrow_mut().push(ImportedTable { slot: view, table: t.clone(), swapped: None });
        let canon = t.attach(inst, view)?;
        tables_of.by_index.borrow_mut().push((index as u32, canon.clone()));
        inst.publishes_to(canon);
    }
    Ok(())
}

/// Publishes what `inst` wrote into its views of shared tables, whether or not its code
/// writes tables (instantiate.rs: element segments did, or a start function that trapped).
pub(crate) fn publish_views(inst: &Rc<Instance>) {
    if let Some(tables) = inst.attached::<Tables>() {
        tables.publish(inst);
    }
}

/// The owners of the tables `inst` imports.
pub(crate) fn import_owners(inst: &Instance) -> Vec<Rc<Instance>> {
    let tables = inst.attached::<Tables>();
    tables.map_or_else(Vec::new, |t| t.imported.borrow().iter().map(|i| i.table.owner.clone()).collect())
}

/// The host function behind the grow hook of table `table` (proxy.rs): `table.grow`'s
/// operands in, its result out.
pub(crate) fn grow_hook(me: Me, table: u32) -> HostFunc {
    Box::new(move |args, results| {
        let (Some(Val::FuncRef(init)), Some(Val::I32(delta))) = (args.first(), args.get(1)) else {
            return Err(HostError(Box::new(Error::Trap("bad table.grow operands".into()))));
        };
        let inst = me.borrow().upgrade().ok_or_else(|| HostError(Box::new(Error::Trap("the instance is gone".into()))))?;
        results[0] = Val::I32(inst.grow_table(table, *init, *delta as u32));
        Ok(())
    })
}

/// An instance's side of its tables: shared contents it owns or views, embedder roots, views
/// moved to larger tables, and `table.grow` through grow hooks.
impl Instance {
    /// The exported table `name`.
    pub fn exported_table(self: &Rc<Self>, name: &str) -> Option<Table> {
        let (elem, declared_max) = match self.module().info.exports.iter().find(|e| e.name == name)?.ty {
            ExternType::Table { elem, max, .. } => (elem, max),
            _ => return None,
        };
        let cname = self.module().wamr_export_name(name)?;
        let mut t = sys::wasm_table_inst_t { elem_kind: 0, cur_size: 0, max_size: 0, elems: std::ptr::null_mut() };
        // SAFETY: `raw` is live; `t` is a writable out-parameter.
        if !unsafe { sys::wasm_runtime_get_export_table_inst(self.raw(), cname.as_ptr(), &mut t) } {
            return None;
        }
        // A re-exported imported table is that table.
        if let Some(tables) = self.attached::<Tables>() {
            for imported in tables.imported.borrow().iter() {
                if (t.elems as *mut u8).wrapping_sub(ELEMS) == imported.slot {
                    return Some(imported.table.clone());
                }
            }
        }
        Table::from_export(self.clone(), &t, elem, declared_max)
    }

    /// The canonical content of this instance's shared table `raw`.
    pub(crate) fn canon_of(&self, raw: *mut u8) -> Option<Rc<RefCell<Canon>>> {
        let tables = self.attached::<Tables>()?;
        let canons = tables.canons.borrow();
        canons.iter().find(|(r, _)| *r == raw as usize).map(|(_, c)| c.clone())
    }

    /// Records `canon` as the canonical content of this instance's table `raw`.
    pub(crate) fn add_canon(&self, raw: *mut u8, mut canon: Canon) -> Rc<RefCell<Canon>> {
        if self.table_root_count(raw) > 0 {
            let none_before = canon.set_rooted(true);
            debug_assert!(none_before.is_empty());
        }
        let canon = Rc::new(RefCell::new(canon));
        self.attachment::<Tables>().canons.borrow_mut().push((raw as usize, canon.clone()));
        canon
    }

    fn table_root_count(&self, raw: *mut u8) -> usize {
        let Some(tables) = self.attached::<Tables>() else { return 0 };
        let roots = tables.roots.borrow();
        roots.iter().find(|(r, _)| *r == raw as usize).map(|(_, n)| *n).unwrap_or(0)
    }

    /// One more embedder root of table `raw`; returns the count.
    pub(crate) fn add_table_root(&self, raw: *mut u8) -> usize {
        let tables = self.attachment::<Tables>();
        let mut roots = tables.roots.borrow_mut();
        match roots.iter_mut().find(|(r, _)| *r == raw as usize) {
            Some((_, n)) => {
                *n += 1;
                *n
            }
            None => {
                roots.push((raw as usize, 1));
                1
            }
        }
    }

    /// One embedder root of table `raw` less; returns the count left.
    pub(crate) fn remove_table_root(&self, raw: *mut u8) -> usize {
        let tables = self.attachment::<Tables>();
        let mut roots = tables.roots.borrow_mut();
        let Some(k) = roots.iter().position(|(r, _)| *r == raw as usize) else { return 0 };
        roots[k].1 -= 1;
        let left = roots[k].1;
        if left == 0 {
            roots.swap_remove(k);
        }
        left
    }

    /// Points this instance's table slot holding `old` at `new` (a table of `keeper`, kept
    /// alive here), with the same elements; for views of shared tables that must grow past
    /// what WAMR allocated (table.rs).
    pub(crate) fn replace_table(&self, old: *mut u8, new: *mut u8, keeper: Rc<Instance>) -> Result<(), Error> {
        let count = self.module().wamr_table_count();
        // SAFETY: the instance is live; only its table slot array is read.
        let index = unsafe { crate::layout::table_slot_of(self.raw(), old, count) }.ok_or_else(|| Error::Link("the table to enlarge is not this instance's".into()))?;
        // SAFETY: `new` is a live table instance of the same element type, kept alive by
        // `keeper` as long as this instance; the original is restored in Drop.
        let replaced = unsafe { crate::layout::share_table(self.raw(), index, new, count) }.map_err(Error::Link)?;
        let tables = self.attachment::<Tables>();
        let mut enlarged = tables.enlarged.borrow_mut();
        // Only WAMR's own table goes back; a slot moved twice keeps its first original.
        if !enlarged.0.iter().any(|(i, _)| *i == index) {
            enlarged.0.push((index, replaced));
        }
        enlarged.1.push(keeper);
        for t in tables.imported.borrow_mut().iter_mut() {
            if t.slot == old {
                t.slot = new;
            }
        }
        Ok(())
    }

    /// Records `canon` as the content of this instance's own table `raw` (now shared).
    pub(crate) fn shares_own_table(&self, raw: *mut u8, canon: &Rc<RefCell<Canon>>) {
        let count = self.module().wamr_table_count();
        // SAFETY: the instance is live; only its table slot array is read.
        if let Some(index) = unsafe { crate::layout::table_slot_of(self.raw(), raw, count) } {
            self.attachment::<Tables>().by_index.borrow_mut().push((index as u32, canon.clone()));
        }
    }

    /// `table.grow` of table `table` by `delta` elements `init` (a funcref value of this
    /// instance), for proxy.rs's grow hooks: the old size, or -1 when it cannot grow.
    pub(crate) fn grow_table(self: &Rc<Self>, table: u32, init: Option<u32>, delta: u32) -> i32 {
        let tables = self.attached::<Tables>();
        let canon = tables.and_then(|t| t.by_index.borrow().iter().find(|(t, _)| *t == table).map(|(_, c)| c.clone()));
        match canon {
            Some(canon) => {
                let f = init.and_then(|v| self.funcref_target(v));
                let grown = canon.borrow_mut().grow(delta, f);
                grown.map(|old| old as i32).unwrap_or(-1)
            }
            None => {
                let count = self.module().wamr_table_count();
                // SAFETY: the instance is live and its table slot `table` holds a table.
                let Ok(raw) = (unsafe { crate::layout::table_at(self.raw(), table as usize, count) }) else { return -1 };
                let value = init.map(|v| self.funcref_to_internal(v)).unwrap_or(u32::MAX);
                if let Some(old) = grow_in_place(raw, delta, value as u64) {
                    return old as i32;
                }
                // Past WAMR's allocation: an exported table grows as the JS API grows it.
                let exported = self.module().info.exports.iter().find(|e| matches!(e.ty, ExternType::Table { .. }) && e.index == table).map(|e| e.name.clone());
                let Some(t) = exported.and_then(|name| self.exported_table(&name)) else { return -1 };
                let init = Ref::Func(init.and_then(|v| self.funcref_target(v)));
                t.grow(delta, init).map(|old| old as i32).unwrap_or(-1)
            }
        }
    }

    /// Makes this instance publish its writes to `canon` (it has a view of it).
    pub(crate) fn publishes_to(&self, canon: Rc<RefCell<Canon>>) {
        self.attachment::<Tables>().views.borrow_mut().push(canon);
        if self.module().writes_tables {
            self.cross_with(false, true);
        }
    }

}
