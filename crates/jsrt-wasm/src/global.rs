//! Globals: one exported by an instance, or a standalone one (owned by a small internal
//! instance that defines and exports it). Values are read and written in place.

use std::rc::Rc;

use wamrx_sys as sys;

use crate::error::Error;
use crate::instance::Instance;
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
        let inst = Instance::standalone(&globals, "g", wasm_encoder::ExportKind::Global)?;
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

    pub(crate) fn from_export(owner: Rc<Instance>, g: &sys::wasm_global_inst_t, ty: ValType) -> Global {
        Global { data: g.global_data as *mut u8, ty, mutable: g.is_mutable, owner }
    }

    /// The global's storage (for instances that import it: instance.rs keeps copies in sync).
    pub(crate) fn data_ptr(&self) -> *mut u8 {
        self.data
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
