//! How a call into wasm ended, read from WAMR: a host function's error unwinding through the
//! wasm frames unchanged (parked here while WAMR unwinds on a marker exception), a time limit
//! or termination standing (interrupt.rs), or WAMR's exception as a trap.

use std::cell::RefCell;
use std::ffi::CStr;

use wamrx_sys as sys;

use crate::error::{trap_message, Error, HostError};

thread_local! {
    /// The error of the host function that is unwinding the current call, if any.
    static PENDING_HOST_ERROR: RefCell<Option<HostError>> = const { RefCell::new(None) };
}

/// Marker exception set on the instance while a host error unwinds the wasm frames.
const HOST_UNWIND: &CStr = c"jsrt: host function threw";

/// Makes `inst`'s running call unwind with the host error `e` (host.rs's trampoline).
///
/// # Safety
/// `inst` is a live instance executing a call on this thread.
pub(crate) unsafe fn unwind_host_error(inst: sys::wasm_module_inst_t, e: HostError) {
    PENDING_HOST_ERROR.with(|p| *p.borrow_mut() = Some(e));
    sys::wasm_runtime_set_exception(inst, HOST_UNWIND.as_ptr());
}

/// The host error a failed call or instantiation ended with, if one did.
pub(crate) fn take_host_error() -> Option<HostError> {
    PENDING_HOST_ERROR.with(|p| p.borrow_mut().take())
}

/// The error of a failed call of `inst`, its exception cleared (so it can be called again).
pub(crate) fn take_exception(inst: sys::wasm_module_inst_t) -> Error {
    if let Some(e) = take_host_error() {
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

/// Whether WAMR's message `msg` is a trap (rather than a link error).
pub(crate) fn is_trap(msg: &str) -> bool {
    matches!(
        trap_message(msg).as_str(),
        "unreachable" | "integer divide by zero" | "integer overflow" | "out of bounds memory access"
            | "invalid conversion to integer" | "indirect call type mismatch" | "undefined element"
            | "uninitialized element" | "out of bounds table access" | "call stack exhausted"
    ) || msg.contains("out of bounds")
}
