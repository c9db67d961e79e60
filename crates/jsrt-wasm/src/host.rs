//! The host side of calls out of wasm: the trampoline every imported function goes through
//! (and so `Module::new`, which registers it for every import). It finds the calling
//! instance's host functions through WAMR's custom data (instance.rs's `InstanceData`),
//! translates the arguments and results (funcrefs, lowered imports' externrefs and results),
//! and lets a host error unwind the wasm frames unchanged (trap.rs). The host functions
//! jsrt-wasm makes itself are foreign.rs's (calls of other instances' functions) and
//! table.rs's (grow hooks).

use wamrx_sys as sys;

use crate::error::Error;
use crate::instance::InstanceData;
use crate::module::{ImportSlot, Module};
use crate::val::{write_val, Val, ValType};

impl Module {
    /// Validates and loads `bytes` (copied): module.rs's preparation and WAMR's load, every
    /// function import registered as this file's [`trampoline`].
    pub fn new(bytes: &[u8]) -> Result<Module, Error> {
        Module::load(bytes, trampoline)
    }

    /// [`Module::new`] of bytes validated as they arrived (`WebAssembly.compileStreaming`).
    pub fn from_stream(stream: crate::scan::Streamed) -> Result<Module, Error> {
        Module::load_streamed(stream, trampoline)
    }
}

/// Reads the parameter of type `t` at 64-bit slot `i` of WAMR's raw argument array.
///
/// # Safety
/// `args` must point at WAMR's raw native argument array (one 64-bit slot per parameter, two
/// for a v128: see vendor/wamrx-sys/JSRT.md), with a parameter of type `t` at slot `i`.
unsafe fn read_arg(args: *const u64, i: usize, t: ValType) -> Val {
    let slot = args.add(i);
    match t {
        ValType::I32 => Val::I32(*(slot as *const i32)),
        ValType::I64 => Val::I64(*(slot as *const i64)),
        ValType::F32 => Val::F32(*(slot as *const u32)),
        ValType::F64 => Val::F64(*slot),
        ValType::FuncRef => {
            let i = *(slot as *const u32);
            Val::FuncRef(if i == u32::MAX { None } else { Some(i) })
        }
        ValType::ExternRef => Val::ExternRef(None),
        ValType::V128 => Val::V128((slot as *const u128).read_unaligned()),
    }
}

/// The number of 64-bit slots a value of type `t` takes in WAMR's raw argument array
/// (branch-free: this runs for every argument of every host call).
#[inline(always)]
fn slots(t: ValType) -> usize {
    1 + (t == ValType::V128) as usize
}

/// The single entry point of every imported function (registered as a WAMR raw native).
///
/// # Safety
/// Called by WAMR with a live exec env whose module instance was created by
/// `Instance::create` (so its custom data is our `InstanceData`) and with the attachment set
/// at load time to the import's `ImportSlot`.
pub(crate) unsafe extern "C" fn trampoline(exec_env: sys::wasm_exec_env_t, args: *mut u64) {
    let inst = sys::wasm_runtime_get_module_inst(exec_env);
    let data = sys::wasm_runtime_get_custom_data(inst) as *const InstanceData;
    let slot = sys::wasm_runtime_get_function_attachment(exec_env) as *const ImportSlot;
    if data.is_null() || slot.is_null() {
        sys::wasm_runtime_set_exception(inst, c"failed to call unlinked import function".as_ptr());
        return;
    }
    let data: &InstanceData = &*data;
    let Some((ty, f)) = data.funcs.get((*slot).index as usize) else {
        sys::wasm_runtime_set_exception(inst, c"failed to call unlinked import function".as_ptr());
        return;
    };
    let lowered = data.lowered.borrow();
    // Most modules lower nothing: skip the hash lookup then.
    let lowering = if lowered.is_empty() { None } else { lowered.get(&(*slot).index) };
    // The arguments and results, on the stack (the path of every wasm -> host call).
    crate::stack_slice!(params, ty.params.len(), Val::I32(0));
    let mut slot = 0;
    for (i, t) in ty.params.iter().enumerate() {
        let at = slot;
        slot += slots(*t);
        params[i] = match lowering {
            Some(l) if l.externref_params.contains(&i) => {
                // The shim put the argument in the hidden table; the argument is its slot.
                let Val::I32(k) = read_arg(args, at, ValType::I32) else { unreachable!() };
                let elem = l.table.add(k as usize).read_unaligned();
                let idx = if elem == u64::MAX { u32::MAX } else { elem as u32 };
                let mut obj: *mut std::ffi::c_void = std::ptr::null_mut();
                if idx == u32::MAX || !sys::wasm_externref_ref2obj(idx, &mut obj) || obj.is_null() {
                    Val::ExternRef(None)
                } else {
                    Val::ExternRef(Some(obj as usize as u32))
                }
            }
            _ => match read_arg(args, at, *t) {
                // WAMR's function index -> the funcref value the host sees (foreign.rs).
                Val::FuncRef(Some(internal)) => Val::FuncRef(data.me.borrow().upgrade().map(|me| me.funcref_from_internal(internal)).filter(|v| *v != u32::MAX)),
                v => v,
            },
        };
    }
    crate::stack_slice!(results, ty.results.len(), Val::I32(0));
    for (r, t) in results.iter_mut().zip(&ty.results) {
        *r = Val::default_for(*t);
    }
    // A panic must not unwind into C. Shared globals are published while the host runs.
    data.sync_out();
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| f(params, &mut *results)));
    data.sync_in();
    match outcome {
        Ok(Ok(())) if lowering.is_some_and(|l| !l.results.is_empty()) => {
            // Several results: into the hidden globals the shim reads after the call.
            for ((p, t), v) in lowering.unwrap().results.iter().zip(results.iter()) {
                let v = match (*t, *v) {
                    (ValType::FuncRef, Val::FuncRef(Some(r))) => Val::FuncRef(data.me.borrow().upgrade().map(|me| me.funcref_to_internal(r))),
                    (ValType::ExternRef, Val::ExternRef(Some(id))) => {
                        let mut idx = u32::MAX;
                        sys::wasm_externref_obj2ref(inst, id as usize as *mut std::ffi::c_void, &mut idx);
                        Val::ExternRef(Some(idx))
                    }
                    (_, v) => v,
                };
                write_val(*p, v);
            }
        }
        Ok(Ok(())) => {
            if let Some(v) = results.first() {
                match *v {
                    Val::I32(x) => *(args as *mut i32) = x,
                    Val::I64(x) => *(args as *mut i64) = x,
                    Val::F32(x) => *(args as *mut u32) = x,
                    Val::F64(x) => *args = x,
                    // Two slots (the patched WAMR copies both back).
                    Val::V128(x) => (args as *mut u128).write_unaligned(x),
                    // WAMR maps the returned host value to its externref index (0 is null).
                    Val::ExternRef(r) => *args = r.map(u64::from).unwrap_or(u64::MAX),
                    Val::FuncRef(r) => {
                        let internal = r.and_then(|r| data.me.borrow().upgrade().map(|me| me.funcref_to_internal(r)));
                        *(args as *mut u32) = internal.unwrap_or(u32::MAX)
                    }
                }
            }
        }
        Ok(Err(e)) => crate::trap::unwind_host_error(inst, e),
        Err(_) => sys::wasm_runtime_set_exception(inst, c"host function panicked".as_ptr()),
    }
}
