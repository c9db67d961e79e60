//! Globals: one exported by an instance, or a standalone one (owned by a small internal
//! instance that defines and exports it). Values are read and written in place.
//!
//! A mutable global import is one global shared with its owner and other importers, but WAMR
//! copies imported globals into the instance: [`SharedGlobals`], the importer's attachment,
//! keeps the copy and the shared storage in step whenever control enters or leaves the
//! instance — the only points where another party can observe or change the value.

use std::cell::RefCell;
use std::rc::Rc;

use wamrx_sys as sys;

use crate::error::Error;
use crate::info::ExternType;
use crate::instance::{Attachment, Instance};
use crate::val::{Val, ValType};

#[derive(Clone)]
pub struct Global {
    data: *mut u8,
    pub ty: ValType,
    pub mutable: bool,
    owner: Rc<Instance>,
}

impl Global {
    /// A standalone global of type `ty` holding `init`.
    pub fn new(ty: ValType, mutable: bool, init: Val) -> Result<Global, Error> {
        use wasm_encoder::{ConstExpr, GlobalType};
        if ty == ValType::V128 {
            return Err(Error::Link("v128 globals cannot be created from the host".into()));
        }
        let vt = ty.encoder();
        let init_expr = match ty {
            ValType::I32 => ConstExpr::i32_const(0),
            ValType::I64 => ConstExpr::i64_const(0),
            ValType::F32 => ConstExpr::f32_const(0.0.into()),
            ValType::F64 => ConstExpr::f64_const(0.0.into()),
            ValType::FuncRef => ConstExpr::ref_null(wasm_encoder::HeapType::FUNC),
            _ => ConstExpr::ref_null(wasm_encoder::HeapType::EXTERN),
        };
        let mut globals = wasm_encoder::GlobalSection::new();
        // Always mutable inside so the initial value can be written; `mutable` is enforced here.
        globals.global(GlobalType { val_type: vt, mutable: true, shared: false }, &init_expr);
        let inst = crate::standalone::instance(&globals, "g", wasm_encoder::ExportKind::Global)?;
        let mut g = inst.exported_global("g").ok_or_else(|| Error::Resource("global allocation failed".into()))?;
        g.mutable = true;
        g.set(init)?;
        g.mutable = mutable;
        Ok(g)
    }

    /// A standalone funcref global holding `init`: a function of any instance (by its funcref
    /// value there), or null.
    pub fn new_func(mutable: bool, init: Option<(Rc<Instance>, u32)>) -> Result<Global, Error> {
        let mut g = Global::new(ValType::FuncRef, true, Val::FuncRef(None))?;
        if let Some((inst, index)) = init {
            let r = g.owner.funcref_for(&inst, index)?;
            g.set(Val::FuncRef(Some(r)))?;
        }
        g.mutable = mutable;
        Ok(g)
    }

    fn from_export(owner: Rc<Instance>, g: &sys::wasm_global_inst_t, ty: ValType) -> Global {
        Global { data: g.global_data as *mut u8, ty, mutable: g.is_mutable, owner }
    }

    /// Identity of the underlying global.
    pub fn id(&self) -> usize {
        self.data as usize
    }

    pub fn get(&self) -> Val {
        // SAFETY: `data` points at the global's storage inside `owner`, alive while this handle
        // is; WAMR stores each type at its natural width there (references as u32 indices).
        unsafe {
            match self.ty {
                ValType::I32 => Val::I32((self.data as *const i32).read_unaligned()),
                ValType::I64 => Val::I64((self.data as *const i64).read_unaligned()),
                ValType::F32 => Val::F32((self.data as *const u32).read_unaligned()),
                ValType::F64 => Val::F64((self.data as *const u64).read_unaligned()),
                ValType::V128 => Val::V128((self.data as *const u128).read_unaligned()),
                // WAMR's function index in the owner -> the owner's funcref value (foreign.rs).
                ValType::FuncRef => {
                    let idx = (self.data as *const u32).read_unaligned();
                    Val::FuncRef(Some(self.owner.funcref_from_internal(idx)).filter(|r| *r != u32::MAX))
                }
                // Stored as WAMR's externref index; the host sees its own value back.
                ValType::ExternRef => {
                    let idx = (self.data as *const u32).read_unaligned();
                    let mut obj: *mut std::ffi::c_void = std::ptr::null_mut();
                    if idx == u32::MAX || !sys::wasm_externref_ref2obj(idx, &mut obj) || obj.is_null() {
                        Val::ExternRef(None)
                    } else {
                        Val::ExternRef(Some(obj as usize as u32))
                    }
                }
            }
        }
    }

    pub fn set(&self, v: Val) -> Result<(), Error> {
        if !self.mutable {
            return Err(Error::Link("Can't set the value of an immutable global".into()));
        }
        if v.ty() != self.ty {
            return Err(Error::Link(format!("expected a {} value", self.ty.name())));
        }
        // SAFETY: as in `get`; the write matches the global's type and width.
        unsafe {
            match v {
                Val::I32(x) => (self.data as *mut i32).write_unaligned(x),
                Val::I64(x) => (self.data as *mut i64).write_unaligned(x),
                Val::F32(x) => (self.data as *mut u32).write_unaligned(x),
                Val::F64(x) => (self.data as *mut u64).write_unaligned(x),
                Val::V128(x) => (self.data as *mut u128).write_unaligned(x),
                Val::FuncRef(r) => (self.data as *mut u32).write_unaligned(r.map(|r| self.owner.funcref_to_internal(r)).unwrap_or(u32::MAX)),
                Val::ExternRef(r) => {
                    let mut idx = u32::MAX;
                    if let Some(id) = r {
                        if !sys::wasm_externref_obj2ref(self.owner.raw(), id as usize as *mut std::ffi::c_void, &mut idx) {
                            return Err(Error::Resource("cannot store the externref".into()));
                        }
                    }
                    (self.data as *mut u32).write_unaligned(idx);
                }
            }
        }
        Ok(())
    }

    pub fn owner(&self) -> &Rc<Instance> {
        &self.owner
    }
}

/// An imported mutable global's copy in the instance, its shared storage, and its size.
/// For a funcref global, the owner of the shared storage: the values are function indices,
/// translated between the owner's and this instance's (foreign.rs).
type GlobalCopy = (*mut u8, *mut u8, usize, Option<Rc<Instance>>);

/// The mutable globals an instance imports: each one's copy (see the module docs), and the
/// globals themselves (kept alive).
#[derive(Default)]
pub(crate) struct SharedGlobals {
    copies: RefCell<Vec<GlobalCopy>>,
    globals: RefCell<Vec<Global>>,
}

impl Attachment for SharedGlobals {
    fn enter(&self, inst: &Rc<Instance>) {
        self.copy(inst, true);
    }

    fn leave(&self, inst: &Rc<Instance>) {
        self.copy(inst, false);
    }

    fn strong_refs(&self, out: &mut Vec<*const Instance>) {
        out.extend(self.globals.borrow().iter().map(|g| Rc::as_ptr(&g.owner)));
        out.extend(self.copies.borrow().iter().filter_map(|(_, _, _, owner)| owner.as_ref().map(Rc::as_ptr)));
    }
}

impl SharedGlobals {
    /// Copies the shared values into the instance `me` (`inward`) or out of it; funcref
    /// values are translated between the owner's function indices and `me`'s.
    fn copy(&self, me: &Rc<Instance>, inward: bool) {
        for (local, shared, n, funcref_owner) in self.copies.borrow().iter() {
            let (from, to) = if inward { (*shared, *local) } else { (*local, *shared) };
            match funcref_owner {
                // SAFETY: both point at live 4-byte funcref storage (the owner is kept alive
                // here, the global by `globals`).
                Some(owner) => unsafe {
                    let v = (from as *const u32).read_unaligned();
                    let v = if inward { translate_internal(owner, me, v) } else { translate_internal(me, owner, v) };
                    (to as *mut u32).write_unaligned(v);
                },
                // SAFETY: both point at live storage of `n` bytes of the same global type; the
                // shared global is kept alive by `globals`.
                None => unsafe { std::ptr::copy_nonoverlapping(from, to, *n) },
            }
        }
    }
}

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

/// Links the shared global `g` to `inst`'s copy of it at `local` (its first value is copied
/// in by the next call into `inst`).
pub(crate) fn link_import(inst: &Instance, local: *mut u8, g: Global) {
    let size = match g.ty {
        ValType::I64 | ValType::F64 => 8,
        ValType::V128 => 16,
        _ => 4,
    };
    let funcref_owner = (g.ty == ValType::FuncRef).then(|| g.owner.clone());
    let shared = inst.attachment::<SharedGlobals>();
    shared.copies.borrow_mut().push((local, g.data, size, funcref_owner));
    shared.globals.borrow_mut().push(g);
    inst.cross_with(true, true);
}

/// The owners of the mutable globals `inst` imports.
pub(crate) fn import_owners(inst: &Instance) -> Vec<Rc<Instance>> {
    let shared = inst.attached::<SharedGlobals>();
    shared.map_or_else(Vec::new, |s| s.globals.borrow().iter().map(|g| g.owner.clone()).collect())
}

impl Instance {
    /// The exported global `name`.
    pub fn exported_global(self: &Rc<Self>, name: &str) -> Option<Global> {
        let ty = self.module().info.exports.iter().find(|e| e.name == name).and_then(|e| match e.ty {
            ExternType::Global { ty, .. } => Some(ty),
            _ => None,
        })?;
        let cname = self.module().wamr_export_name(name)?;
        let mut g = sys::wasm_global_inst_t { kind: 0, is_mutable: false, global_data: std::ptr::null_mut() };
        // SAFETY: `raw` is live; `g` is a writable out-parameter.
        let ok = unsafe { sys::wasm_runtime_get_export_global_inst(self.raw(), cname.as_ptr(), &mut g) };
        if !ok || g.global_data.is_null() {
            return None;
        }
        // A re-exported shared (mutable, imported) global is that global.
        if let Some(shared) = self.attached::<SharedGlobals>() {
            let k = shared.copies.borrow().iter().position(|(local, _, _, _)| *local == g.global_data as *mut u8);
            if let Some(k) = k {
                return Some(shared.globals.borrow()[k].clone());
            }
        }
        Some(Global::from_export(self.clone(), &g, ty))
    }
}
