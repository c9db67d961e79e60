//! Value types and values that cross between wasm and the host.

use std::fmt;

/// Declares `let NAME: &mut [T]` holding `N` copies of `INIT`, on the stack when `N <= 8` and
/// on the heap otherwise: how every call across the wasm boundary holds its arguments and
/// results without allocating (a `SmallVec` measured ~45 ns slower per call).
#[macro_export]
macro_rules! stack_slice {
    ($name:ident, $n:expr, $init:expr) => {
        let n = $n;
        let mut inline_buf = [$init; 8];
        let mut heap_buf;
        let $name: &mut [_] = if n <= 8 {
            &mut inline_buf[..n]
        } else {
            heap_buf = vec![$init; n];
            &mut heap_buf
        };
    };
}

use wamrx_sys as sys;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ValType {
    I32,
    I64,
    F32,
    F64,
    V128,
    FuncRef,
    ExternRef,
}

impl ValType {
    pub fn from_parser(t: wasmparser::ValType) -> ValType {
        match t {
            wasmparser::ValType::I32 => ValType::I32,
            wasmparser::ValType::I64 => ValType::I64,
            wasmparser::ValType::F32 => ValType::F32,
            wasmparser::ValType::F64 => ValType::F64,
            wasmparser::ValType::V128 => ValType::V128,
            wasmparser::ValType::Ref(r) if r.is_func_ref() => ValType::FuncRef,
            wasmparser::ValType::Ref(_) => ValType::ExternRef,
        }
    }

    /// The type for `wasm-encoder` (the rewrite passes).
    pub(crate) fn encoder(self) -> wasm_encoder::ValType {
        use wasm_encoder::ValType as V;
        match self {
            ValType::I32 => V::I32,
            ValType::I64 => V::I64,
            ValType::F32 => V::F32,
            ValType::F64 => V::F64,
            ValType::V128 => V::V128,
            ValType::FuncRef => V::FUNCREF,
            ValType::ExternRef => V::EXTERNREF,
        }
    }

    /// The name the JS API uses for the type (`"i32"`, `"anyfunc"`, ...).
    pub fn name(self) -> &'static str {
        match self {
            ValType::I32 => "i32",
            ValType::I64 => "i64",
            ValType::F32 => "f32",
            ValType::F64 => "f64",
            ValType::V128 => "v128",
            ValType::FuncRef => "anyfunc",
            ValType::ExternRef => "externref",
        }
    }
}

/// A function signature.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct FuncType {
    pub params: Vec<ValType>,
    pub results: Vec<ValType>,
}

impl fmt::Display for FuncType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let p: Vec<_> = self.params.iter().map(|t| t.name()).collect();
        let r: Vec<_> = self.results.iter().map(|t| t.name()).collect();
        write!(f, "[{}] -> [{}]", p.join(", "), r.join(", "))
    }
}

/// A value. Floats are kept as bits so NaN payloads survive the boundary.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Val {
    I32(i32),
    I64(i64),
    F32(u32),
    F64(u64),
    /// A 128-bit vector (lanes little-endian). JS cannot hold one; wasm passes it between
    /// instances and keeps it in globals.
    V128(u128),
    /// A reference: `None` is null; `Some(id)` is an id the embedder maps to its value.
    FuncRef(Option<u32>),
    ExternRef(Option<u32>),
}

impl Val {
    pub fn ty(&self) -> ValType {
        match self {
            Val::I32(_) => ValType::I32,
            Val::I64(_) => ValType::I64,
            Val::F32(_) => ValType::F32,
            Val::F64(_) => ValType::F64,
            Val::V128(_) => ValType::V128,
            Val::FuncRef(_) => ValType::FuncRef,
            Val::ExternRef(_) => ValType::ExternRef,
        }
    }

    /// The zero value of a type (null for references).
    pub fn default_for(t: ValType) -> Val {
        match t {
            ValType::I32 => Val::I32(0),
            ValType::I64 => Val::I64(0),
            ValType::F32 => Val::F32(0),
            ValType::F64 => Val::F64(0),
            ValType::V128 => Val::V128(0),
            ValType::FuncRef => Val::FuncRef(None),
            ValType::ExternRef => Val::ExternRef(None),
        }
    }
}

// Values at WAMR's boundary: global storage, `wasm_val_t`, constant expressions.

/// # Safety
/// `p` must point at the storage of a global of `v`'s type.
pub(crate) unsafe fn write_val(p: *mut u8, v: Val) {
    match v {
        Val::I32(x) => (p as *mut i32).write_unaligned(x),
        Val::I64(x) => (p as *mut i64).write_unaligned(x),
        Val::F32(x) => (p as *mut u32).write_unaligned(x),
        Val::F64(x) => (p as *mut u64).write_unaligned(x),
        Val::V128(x) => (p as *mut u128).write_unaligned(x),
        Val::FuncRef(r) | Val::ExternRef(r) => (p as *mut u32).write_unaligned(r.unwrap_or(u32::MAX)),
    }
}

/// # Safety
/// `p` must point at the storage of a global of type `t`.
pub(crate) unsafe fn read_val(p: *const u8, t: ValType) -> Val {
    match t {
        ValType::I32 => Val::I32((p as *const i32).read_unaligned()),
        ValType::I64 => Val::I64((p as *const i64).read_unaligned()),
        ValType::F32 => Val::F32((p as *const u32).read_unaligned()),
        ValType::F64 => Val::F64((p as *const u64).read_unaligned()),
        ValType::V128 => Val::V128((p as *const u128).read_unaligned()),
        ValType::FuncRef | ValType::ExternRef => {
            let r = (p as *const u32).read_unaligned();
            Val::FuncRef(if r == u32::MAX { None } else { Some(r) })
        }
    }
}

/// Evaluates a constant expression (MVP and extended-const operators).
pub(crate) fn eval_const(expr: &[u8], ty: ValType, global: &dyn Fn(u32) -> Val) -> Option<Val> {
    use wasmparser::Operator as O;
    let mut bytes = expr.to_vec();
    bytes.push(0x0b);
    let mut reader = wasmparser::OperatorsReader::new(wasmparser::BinaryReader::new(&bytes, 0));
    let mut stack: Vec<Val> = Vec::new();
    while !reader.eof() {
        let op = reader.read().ok()?;
        let v = match op {
            O::I32Const { value } => Val::I32(value),
            O::I64Const { value } => Val::I64(value),
            O::F32Const { value } => Val::F32(value.bits()),
            O::F64Const { value } => Val::F64(value.bits()),
            O::V128Const { value } => Val::V128(value.i128() as u128),
            O::GlobalGet { global_index } => global(global_index),
            O::RefNull { .. } => Val::default_for(ty),
            O::I32Add | O::I32Sub | O::I32Mul => {
                let (Val::I32(b), Val::I32(a)) = (stack.pop()?, stack.pop()?) else { return None };
                Val::I32(match op { O::I32Add => a.wrapping_add(b), O::I32Sub => a.wrapping_sub(b), _ => a.wrapping_mul(b) })
            }
            O::I64Add | O::I64Sub | O::I64Mul => {
                let (Val::I64(b), Val::I64(a)) = (stack.pop()?, stack.pop()?) else { return None };
                Val::I64(match op { O::I64Add => a.wrapping_add(b), O::I64Sub => a.wrapping_sub(b), _ => a.wrapping_mul(b) })
            }
            O::End => break,
            _ => return None,
        };
        stack.push(v);
    }
    stack.pop()
}

pub(crate) fn to_wamr(v: &Val) -> sys::wasm_val_t {
    let mut w = sys::wasm_val_t::default();
    match *v {
        Val::I32(x) => {
            w.kind = sys::WASM_I32 as u8;
            w.of.i32_ = x;
        }
        Val::I64(x) => {
            w.kind = sys::WASM_I64 as u8;
            w.of.i64_ = x;
        }
        Val::F32(x) => {
            w.kind = sys::WASM_F32 as u8;
            w.of.f32_ = f32::from_bits(x);
        }
        Val::F64(x) => {
            w.kind = sys::WASM_F64 as u8;
            w.of.f64_ = f64::from_bits(x);
        }
        // wasm_val_t has no v128 member: calls with v128 go through `call_cells` instead.
        Val::V128(_) => unreachable!("v128 values cross as cells"),
        // A funcref crosses as a function index of the called instance (NULL_REF for null).
        Val::FuncRef(r) => {
            w.kind = sys::WASM_FUNCREF as u8;
            w.of.i32_ = r.map(|i| i as i32).unwrap_or(-1);
        }
        // An externref crosses as a host pointer-sized value that WAMR maps to its own index
        // (`wasm_externref_obj2ref`): the embedder's id (never 0), or all ones for null.
        Val::ExternRef(r) => {
            w.kind = sys::WASM_EXTERNREF as u8;
            w.of.foreign = r.map(|id| id as usize).unwrap_or(usize::MAX);
        }
    }
    w
}

pub(crate) fn from_wamr(w: &sys::wasm_val_t, t: ValType) -> Val {
    // SAFETY: WAMR wrote the union member matching the result type `t`.
    unsafe {
        match t {
            ValType::I32 => Val::I32(w.of.i32_),
            ValType::V128 => unreachable!("v128 values cross as cells"),
            ValType::I64 => Val::I64(w.of.i64_),
            ValType::F32 => Val::F32(w.of.f32_.to_bits()),
            ValType::F64 => Val::F64(w.of.f64_.to_bits()),
            ValType::FuncRef => Val::FuncRef(if w.of.i32_ == -1 { None } else { Some(w.of.i32_ as u32) }),
            ValType::ExternRef => Val::ExternRef(if w.of.foreign == 0 { None } else { Some(w.of.foreign as u32) }),
        }
    }
}

