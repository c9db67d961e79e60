//! Stack traces: the calls into wasm in progress on a thread (the chain of [`Activation`]s),
//! their wasm frames read from WAMR's stack when a trace is made, and the frames of the call
//! that trapped, saved before WAMR unwinds them. Frames are reported in the module's original
//! numbering and byte offsets (codemap.rs); names and source lines are debuginfo.rs's.
//!
//! Cost: a call pays for linking its activation into the chain (a thread-local swap and
//! back, where a call counter was before); frames are read only when a trace is made or a
//! call traps.

use crate::module::Module;
use std::cell::{Cell, RefCell};
use std::sync::Arc;
use wamrx_sys as sys;

/// The most frames kept of one call into wasm (innermost first); traces show at most 64.
const MAX_FRAMES: usize = 100;

/// A frame's `code_offset` for a function that has not started (V8 shows its body's offset).
const AT_ENTRY: u32 = u32::MAX;

/// One wasm frame: a function of a module and the instruction it is at (as an offset into
/// the code WAMR loaded; mapped to the original bytes only when asked for).
#[derive(Clone)]
pub struct Frame {
    module: Arc<Module>,
    func: u32,
    code_offset: u32,
}

impl Frame {
    /// The module whose function this is.
    pub fn module(&self) -> &Arc<Module> {
        &self.module
    }

    /// The function's index in the module (imports first, as the spec numbers them).
    pub fn func_index(&self) -> u32 {
        self.func
    }

    /// Byte offset of the instruction in the module's bytes: the trapping instruction, or the
    /// call the frame is waiting on. (Parses the function's code: call when formatting.)
    pub fn offset(&self) -> u32 {
        if self.code_offset == AT_ENTRY {
            return self.module.func_body_offset(self.func).unwrap_or(0);
        }
        self.module.original_offset(self.func, self.code_offset).unwrap_or(0)
    }

    /// WAMR's offset of the instruction in the function's loaded code: with the module and
    /// the function, it identifies the instruction (it is no byte offset of the module).
    pub fn code_offset(&self) -> u32 {
        self.code_offset
    }

    /// When this frame is at a `call` of one of its module's functions: that function's frame
    /// at its entry (V8 gives the body's offset). A call that could not start because the stack was exhausted
    /// has no frame in WAMR; V8 shows this one for it.
    pub fn callee_at_entry(&self) -> Option<Frame> {
        let at = self.offset() as usize;
        let bytes = self.module.bytes().get(at..)?;
        let mut ops = wasmparser::OperatorsReader::new(wasmparser::BinaryReader::new(bytes, at));
        match ops.read().ok()? {
            wasmparser::Operator::Call { function_index } if function_index as usize >= self.module.func_import_count() => {
                Some(Frame { module: self.module.clone(), func: function_index, code_offset: AT_ENTRY })
            }
            _ => None,
        }
    }

    /// The function's name from the module's name section, if it has one.
    pub fn func_name(&self) -> Option<&str> {
        self.module.debug_info().func_name(self.func)
    }
}

/// A call into wasm in progress: linked into the thread's chain while it runs (it lives in
/// `Instance::run`'s frame, so its address is fixed for that long).
pub(crate) struct Activation {
    /// The called instance's exec env; null while WAMR instantiates (and may run a start
    /// function): no frames are read then.
    exec_env: sys::wasm_exec_env_t,
    /// The called instance's module (the instance's own `Arc`, alive as long as the call).
    module: *const Arc<Module>,
    prev: *const Activation,
    /// Made by another instance's wasm through an import (foreign.rs), not by the embedder.
    from_host: bool,
}

thread_local! {
    /// The innermost call into wasm on this thread, or null.
    static ACTIVE: Cell<*const Activation> = const { Cell::new(std::ptr::null()) };
    /// Frames of the call that trapped, outermost call's last, until taken.
    static TRAPPED: RefCell<Trapped> = const { RefCell::new(Trapped { frames: Vec::new(), next: 0 }) };
}

struct Trapped {
    frames: Vec<Frame>,
    /// The activation whose frames come next when the trap goes on unwinding (the last
    /// captured one's caller), as an address.
    next: usize,
}

impl Activation {
    /// A call into the instance whose exec env and module these are.
    pub(crate) fn new(exec_env: sys::wasm_exec_env_t, module: &Arc<Module>, from_host: bool) -> Activation {
        Activation { exec_env, module, prev: std::ptr::null(), from_host }
    }

    /// The call WAMR's instantiation makes to a start function.
    pub(crate) fn instantiating() -> Activation {
        Activation { exec_env: std::ptr::null_mut(), module: std::ptr::null(), prev: std::ptr::null(), from_host: false }
    }

    /// Links this activation in as the innermost; returns whether it is the outermost.
    /// It must stay where it is until [`Activation::leave`].
    #[inline]
    pub(crate) fn enter(&mut self) -> bool {
        self.prev = ACTIVE.replace(self);
        self.prev.is_null()
    }

    #[inline]
    pub(crate) fn leave(&self) {
        ACTIVE.set(self.prev);
    }
}

/// Whether a call into wasm is running on this thread (externref values may sit on its stack).
pub(crate) fn calls_active() -> bool {
    !ACTIVE.get().is_null()
}

/// The wasm frames of the call `skip` calls out from the innermost one into `exec_env`.
///
/// # Safety
/// `exec_env` is live and belongs to `module`'s instance on this thread.
unsafe fn read_frames(module: &Arc<Module>, exec_env: sys::wasm_exec_env_t, skip: u32) -> Vec<Frame> {
    let mut raw = [sys::wasm_jsrt_frame_t { func_index: 0, code_offset: 0 }; MAX_FRAMES];
    // SAFETY: per the contract; the buffer holds MAX_FRAMES entries.
    let n = unsafe { sys::wasm_jsrt_stack(exec_env, skip, raw.as_mut_ptr(), MAX_FRAMES as u32) } as usize;
    raw[..n]
        .iter()
        .filter_map(|f| Some(Frame { module: module.clone(), func: module.own_function(f.func_index)?, code_offset: f.code_offset }))
        .collect()
}

/// Called by WAMR when a call ends with an exception, frames still in place: saves the
/// frames of the innermost call (appending to the trap's when the exception is the same one
/// unwinding from a call this one made).
unsafe extern "C" fn on_trap(exec_env: sys::wasm_exec_env_t) {
    let act = ACTIVE.get();
    // SAFETY: a non-null activation in the chain is live.
    if act.is_null() || unsafe { (*act).module.is_null() } {
        return;
    }
    // SAFETY: the innermost activation is live (its call is the one ending) and so is its
    // instance, whose module it points at; the exec env is that call's.
    let (module, prev) = unsafe { ((*(*act).module).clone(), (*act).prev) };
    // SAFETY: WAMR passes the exec env of the ending call, which belongs to that instance.
    let frames = unsafe { read_frames(&module, exec_env, 0) };
    TRAPPED.with(|t| {
        let mut t = t.borrow_mut();
        if t.next != act as usize {
            t.frames.clear();
        }
        t.frames.extend(frames);
        t.next = prev as usize;
    });
}

/// Installs the trap hook (once per process, before the first instance exists: instance.rs).
pub(crate) fn install() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    // SAFETY: a process-wide setter; the hook only reads thread-local state.
    ONCE.call_once(|| unsafe { sys::wasm_jsrt_set_trap_hook(Some(on_trap)) });
}

/// The wasm frames of the last call on this thread that trapped, innermost first (through
/// every call into wasm it unwound), and forgets them. Empty when none is kept.
pub fn take_trap_frames() -> Vec<Frame> {
    TRAPPED.with(|t| {
        let mut t = t.borrow_mut();
        t.next = 0;
        std::mem::take(&mut t.frames)
    })
}

/// The wasm frames of one call into wasm in progress.
pub struct CallFrames {
    pub frames: Vec<Frame>,
    /// Whether another instance's wasm made this call (so the call that made it is the next
    /// one out, with no embedder frame between).
    pub from_host: bool,
}

/// The calls into wasm in progress on this thread, innermost first, with their frames.
pub fn calls_in_progress() -> Vec<CallFrames> {
    let mut calls = Vec::new();
    let mut seen: Vec<sys::wasm_exec_env_t> = Vec::new();
    let mut act = ACTIVE.get();
    while !act.is_null() {
        // SAFETY: activations in the chain are live (each unlinks itself before its frame
        // ends), and so are their instances and exec envs.
        let (exec_env, module, from_host, prev) = unsafe { ((*act).exec_env, (*act).module, (*act).from_host, (*act).prev) };
        act = prev;
        if module.is_null() {
            continue;
        }
        // SAFETY: as above: the instance, and so its module, outlives its call.
        let module = unsafe { &*module };
        // Nested calls into one exec env: this call's frames are past the inner ones'.
        let skip = seen.iter().filter(|e| **e == exec_env).count() as u32;
        // SAFETY: the exec env is the live instance's, on this thread.
        let frames = unsafe { read_frames(module, exec_env, skip) };
        calls.push(CallFrames { frames, from_host });
        seen.push(exec_env);
    }
    calls
}
