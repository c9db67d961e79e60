//! The host side of calls: host functions (`HostFunc`), the trampoline every imported
//! function goes through (and so `Module::new`, which registers it for every import), host
//! errors that unwind through wasm frames unchanged, and the host functions jsrt-wasm makes
//! itself — calls of other instances' functions (direct imports and proxy.rs's dispatchers,
//! translating funcref values between instances) and grow hooks.

use std::cell::RefCell;
use std::ffi::CStr;
use std::rc::Rc;

use wamrx_sys as sys;

use crate::error::{trap_message, Error, HostError};
use crate::instance::{Func, Instance, InstanceData, Me};
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

thread_local! {
    /// The error of the host function that is unwinding the current call, if any.
    pub(crate) static PENDING_HOST_ERROR: RefCell<Option<HostError>> = const { RefCell::new(None) };
}

/// Marker exception set on the instance while a host error unwinds the wasm frames.
const HOST_UNWIND: &CStr = c"jsrt: host function threw";

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
/// [`Instance::new`] (so its custom data is our `InstanceData`) and with the attachment set
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
        Ok(Err(e)) => {
            PENDING_HOST_ERROR.with(|p| *p.borrow_mut() = Some(e));
            sys::wasm_runtime_set_exception(inst, HOST_UNWIND.as_ptr());
        }
        Err(_) => sys::wasm_runtime_set_exception(inst, c"host function panicked".as_ptr()),
    }
}

/// `vals` (funcref values of `from`) as funcref values of `to`.
fn translate(vals: &mut [Val], from: &Rc<Instance>, to: &Instance) -> Result<(), HostError> {
    for v in vals {
        if let Val::FuncRef(Some(r)) = *v {
            *v = Val::FuncRef(Some(to.funcref_for(from, r).map_err(|e| HostError(Box::new(e)))?));
        }
    }
    Ok(())
}

/// Calls `func` of `callee` from the instance `me` with arguments and results in the
/// numbering of `me` (funcrefs translated both ways; nothing to do for other values).
fn call_across(me: &Me, callee: &Rc<Instance>, func: &Func, args: &[Val], results: &mut [Val]) -> Result<(), HostError> {
    if !func.refs {
        return callee.call_into_from(func, args, results, true).map_err(|e| HostError(Box::new(e)));
    }
    let me = me.borrow().upgrade().ok_or_else(|| HostError(Box::new(Error::Link("the calling instance is gone".into()))))?;
    let mut args = args.to_vec();
    translate(&mut args, &me, callee)?;
    callee.call_into_from(func, &args, results, true).map_err(|e| HostError(Box::new(e)))?;
    translate(results, callee, &me)
}

/// The host function of an import that is another instance's function.
pub(crate) fn call_other(me: Me, callee: Rc<Instance>, func: Func) -> HostFunc {
    Box::new(move |args, results| call_across(&me, &callee, &func, args, results))
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

/// The host function behind proxy pool `pool`'s dispatcher (proxy.rs): the last argument is
/// the pool position, whose bound function is called.
pub(crate) fn dispatcher(me: Me, pool: usize) -> HostFunc {
    Box::new(move |args, results| {
        let unbound = || HostError(Box::new(Error::Trap("uninitialized element".into())));
        let Some((Val::I32(k), args)) = args.split_last() else { return Err(unbound()) };
        let inst = me.borrow().upgrade().ok_or_else(unbound)?;
        let callee = inst.foreign().borrow().pool_target(pool, *k as u32).ok_or_else(unbound)?;
        call_across(&me, &callee.0, &callee.1, args, results)
    })
}

pub(crate) fn take_exception(inst: sys::wasm_module_inst_t) -> Error {
    if let Some(e) = PENDING_HOST_ERROR.with(|p| p.borrow_mut().take()) {
        // SAFETY: `inst` is live; clearing lets the instance be called again.
        unsafe { sys::wasm_runtime_clear_exception(inst) };
        return Error::Host(e);
    }
    // A time limit or a termination: whatever WAMR saw (the trap from the interrupt flag, a
    // stack overflow from a stopped exec env), the call ends for that reason.
    if let Some(msg) = crate::interrupt::pending_trap() {
        // SAFETY: as above.
        unsafe { sys::wasm_runtime_clear_exception(inst) };
        return Error::Trap(msg);
    }
    // SAFETY: `inst` is live; the returned string is owned by the instance and copied here
    // before the exception is cleared.
    let msg = unsafe {
        let p = sys::wasm_runtime_get_exception(inst);
        let s = if p.is_null() { "unknown trap".to_string() } else { CStr::from_ptr(p).to_string_lossy().into_owned() };
        sys::wasm_runtime_clear_exception(inst);
        s
    };
    Error::Trap(trap_message(&msg))
}

