//! Tables: one exported by an instance, or a standalone one (owned by a small internal
//! instance). Elements are read and written in place.
//!
//! WAMR's non-GC interpreter stores a funcref element as a function index of the instance
//! that executes `call_indirect`, so a funcref table belongs to one function space: the
//! instance that defines it, or, for a standalone table, the one instance that imports it
//! (see `Table::bind`). Externref elements are WAMR's global externref indices and can be
//! shared freely.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::{Rc, Weak};

use wamrx_sys as sys;

use crate::error::Error;
use crate::instance::Instance;
use crate::val::{Val, ValType};

/// Offsets in WAMR 2.4.3's `WASMTableInstance` (interpreter/wasm_runtime.h): elem_type (u8),
/// is_table64 (u8), padding[6], elem_ref_type (8), cur_size (u32), max_size (u32), elems[] of
/// `table_elem_type_t` = `uintptr_t` (wasm.h) holding a function or externref index; null is
/// `NULL_REF` (0xFFFFFFFF), and never-written elements are all ones (memset -1).
const CUR_SIZE: usize = 16;
const MAX_SIZE: usize = 20;
const ELEMS: usize = 24;
const NULL_REF: u32 = u32::MAX;

thread_local! {
    /// Function space of each standalone funcref table that an instance imports.
    static BOUND: RefCell<HashMap<usize, Weak<Instance>>> = RefCell::new(HashMap::new());
}

#[derive(Clone)]
pub struct Table {
    /// The `WASMTableInstance`.
    pub(crate) raw: *mut u8,
    pub elem: ValType,
    pub(crate) owner: Rc<Instance>,
    pub(crate) declared_max: Option<u64>,
    /// Whether the owner is an internal instance made for a JS-created table.
    pub(crate) standalone: bool,
}

impl Table {
    /// A standalone table of `initial` null elements, growable to `maximum`.
    pub fn new(elem: ValType, initial: u32, maximum: Option<u32>) -> Result<Table, Error> {
        let rt = match elem {
            ValType::FuncRef => wasm_encoder::RefType::FUNCREF,
            ValType::ExternRef => wasm_encoder::RefType::EXTERNREF,
            _ => return Err(Error::Link("a table holds funcref or externref".into())),
        };
        let mut tables = wasm_encoder::TableSection::new();
        tables.table(wasm_encoder::TableType { element_type: rt, table64: false, minimum: initial as u64, maximum: maximum.map(u64::from), shared: false });
        let inst = Instance::standalone(&tables, "t", wasm_encoder::ExportKind::Table)?;
        let mut t = inst.exported_table("t").ok_or_else(|| Error::Resource("table allocation failed".into()))?;
        t.standalone = true;
        Ok(t)
    }

    /// Wraps WAMR's view of an exported table, checking the layout assumptions above.
    pub(crate) fn from_export(owner: Rc<Instance>, t: &sys::wasm_table_inst_t, elem: ValType, declared_max: Option<u64>) -> Option<Table> {
        if t.elems.is_null() {
            return None;
        }
        let raw = (t.elems as *mut u8).wrapping_sub(ELEMS);
        // SAFETY: `elems` is the trailing array of a live WASMTableInstance; the two fields read
        // precede it in the same allocation. A mismatch means another layout: refuse.
        let ok = unsafe { *(raw.add(CUR_SIZE) as *const u32) == t.cur_size && *(raw.add(MAX_SIZE) as *const u32) == t.max_size };
        ok.then_some(Table { raw, elem, owner, declared_max, standalone: false })
    }

    pub fn id(&self) -> usize {
        self.raw as usize
    }

    pub fn len(&self) -> u32 {
        // SAFETY: `raw` is a live table instance kept alive by `owner`.
        unsafe { *(self.raw.add(CUR_SIZE) as *const u32) }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// How far the table can grow (WAMR allocated this many elements).
    pub fn capacity(&self) -> u32 {
        // SAFETY: as in `len`.
        unsafe { *(self.raw.add(MAX_SIZE) as *const u32) }
    }

    pub fn declared_max(&self) -> Option<u64> {
        self.declared_max
    }

    fn slot(&self, i: u32) -> *mut u64 {
        // SAFETY (for callers): `i < len() <= capacity`, inside the elems array.
        unsafe { self.raw.add(ELEMS).cast::<u64>().add(i as usize) }
    }

    /// The instance whose function indices the elements are (for funcref tables).
    /// Whether this is a standalone funcref table no live instance imports yet (its funcref
    /// elements have no function space to be indices of).
    pub fn awaits_importer(&self) -> bool {
        self.elem == ValType::FuncRef && self.standalone && !BOUND.with(|b| b.borrow().get(&self.id()).is_some_and(|w| w.strong_count() > 0))
    }

    pub fn function_space(&self) -> Rc<Instance> {
        if self.standalone {
            if let Some(i) = BOUND.with(|b| b.borrow().get(&self.id()).and_then(|w| w.upgrade())) {
                return i;
            }
        }
        self.owner.clone()
    }

    pub fn get(&self, i: u32) -> Option<Val> {
        if i >= self.len() {
            return None;
        }
        // SAFETY: in bounds (checked above).
        let wide = unsafe { self.slot(i).read_unaligned() };
        let raw = if wide == u64::MAX { NULL_REF } else { wide as u32 };
        Some(match self.elem {
            ValType::FuncRef => Val::FuncRef(Some(self.function_space().funcref_from_internal(raw)).filter(|r| *r != NULL_REF)),
            _ => {
                let mut obj: *mut std::ffi::c_void = std::ptr::null_mut();
                // SAFETY: a plain lookup in WAMR's externref map.
                if raw == NULL_REF || !unsafe { sys::wasm_externref_ref2obj(raw, &mut obj) } || obj.is_null() {
                    Val::ExternRef(None)
                } else {
                    Val::ExternRef(Some(obj as usize as u32))
                }
            }
        })
    }

    fn encode(&self, v: Val) -> Result<u32, Error> {
        match (self.elem, v) {
            (ValType::FuncRef, Val::FuncRef(r)) => Ok(r.map(|r| self.function_space().funcref_to_internal(r)).unwrap_or(NULL_REF)),
            (ValType::ExternRef, Val::ExternRef(None)) => Ok(NULL_REF),
            (ValType::ExternRef, Val::ExternRef(Some(id))) => {
                let mut idx = NULL_REF;
                // SAFETY: maps the host value to WAMR's externref index for the owner.
                if unsafe { sys::wasm_externref_obj2ref(self.owner.raw(), id as usize as *mut std::ffi::c_void, &mut idx) } {
                    Ok(idx)
                } else {
                    Err(Error::Resource("cannot store the externref".into()))
                }
            }
            _ => Err(Error::Link("value does not match the table's element type".into())),
        }
    }

    pub fn set(&self, i: u32, v: Val) -> Result<(), Error> {
        if i >= self.len() {
            return Err(Error::Trap("out of bounds table access".into()));
        }
        let raw = self.encode(v)?;
        // SAFETY: in bounds (checked above).
        unsafe { self.slot(i).write_unaligned(raw as u64) };
        Ok(())
    }

    /// Grows by `delta` elements set to `init`; returns the old length.
    pub fn grow(&self, delta: u32, init: Val) -> Result<u32, Error> {
        let old = self.len();
        let limit = self.declared_max.map(|m| m.min(u32::MAX as u64) as u32).unwrap_or(u32::MAX).min(self.capacity());
        if delta > limit.saturating_sub(old) {
            return Err(Error::Resource(format!("Maximum table size exceeded ({old} + {delta} > {limit})")));
        }
        let raw = self.encode(init)?;
        for i in old..old + delta {
            // SAFETY: below capacity (checked above), inside the allocation.
            unsafe { self.slot(i).write_unaligned(raw as u64) };
        }
        // SAFETY: as in `len`; what WAMR's own wasm_enlarge_table does.
        unsafe { *(self.raw.add(CUR_SIZE) as *mut u32) = old + delta };
        Ok(old)
    }

    /// Whether an instance may import this table: an externref table always; a funcref table
    /// only when it is standalone and no live instance imports it already.
    pub(crate) fn check_bindable(&self) -> Result<(), String> {
        if self.elem != ValType::FuncRef {
            return Ok(());
        }
        if !self.standalone {
            return Err("a funcref table defined by one instance cannot be imported by another (WAMR's funcref elements are function indices of one instance)".into());
        }
        if BOUND.with(|b| b.borrow().get(&self.id()).is_some_and(|w| w.strong_count() > 0)) {
            return Err("this funcref table is already imported by another instance (WAMR's funcref elements are function indices of one instance)".into());
        }
        Ok(())
    }

    /// Makes `importer` the function space of this standalone funcref table (after
    /// [`check_bindable`]).
    pub(crate) fn bind(&self, importer: &Rc<Instance>) -> Result<(), String> {
        self.check_bindable()?;
        if self.elem == ValType::FuncRef {
            BOUND.with(|b| b.borrow_mut().insert(self.id(), Rc::downgrade(importer)));
        }
        Ok(())
    }

    /// Ends the binding of [`bind`] (the importer is going away): its function indices mean
    /// nothing any more, so the elements become null.
    pub(crate) fn unbind(&self) {
        if self.elem == ValType::FuncRef && self.standalone {
            BOUND.with(|b| b.borrow_mut().remove(&self.id()));
            for i in 0..self.len() {
                // SAFETY: in bounds.
                unsafe { self.slot(i).write_unaligned(NULL_REF as u64) };
            }
        }
    }

    pub fn owner(&self) -> &Rc<Instance> {
        &self.owner
    }
}
