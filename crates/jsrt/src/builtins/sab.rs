//! The memory of `SharedArrayBuffer`s: reference-counted blocks that QuickJS allocates,
//! shares and frees through its SharedArrayBuffer hooks. A block's count is atomic and the
//! block is not tied to a runtime, so a buffer can later be shared by runtimes on other
//! threads (workers take a reference with the same `dup`). With the hooks installed, QuickJS
//! also makes growable SharedArrayBuffers (`maxByteLength`, `grow`): it allocates the
//! maximum up front, so growth never moves the bytes another view or thread may be using.
//!
//! Some SharedArrayBuffers view bytes jsrt did not allocate here: a shared
//! `WebAssembly.Memory`'s `buffer` views WAMR's linear memory. Those bytes are *lent*
//! ([`lend`]) with their owner: the hooks count the buffers over them and let the owner go
//! when the last one is freed.

use std::alloc::{alloc_zeroed, dealloc, Layout};
use std::collections::HashMap;
use std::ffi::c_void;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

/// Bytes lent to SharedArrayBuffers: their address -> the buffers over them and the owner.
struct Lent {
    refs: usize,
    owner: usize,
    release: unsafe fn(usize),
    /// The thread that lent the bytes: only it may let the owner go (owners are not
    /// thread-safe); freed elsewhere last, the owner stays for the process's life.
    thread: std::thread::ThreadId,
}

static LENT: Mutex<Option<HashMap<usize, Lent>>> = Mutex::new(None);

/// Lends `data` (not allocated by `sab_alloc`) to the SharedArrayBuffers about to be made over
/// it, with `owner`, which `release(owner)` lets go once the last of them is freed. When the
/// bytes are lent already, `release(owner)` runs at once (one owner is enough). Call
/// [`unlend_if_unused`] if no buffer could be made.
///
/// # Safety
/// `data` stays valid until `release` runs; `release(owner)` is called on the calling thread
/// only (when the last buffer is freed on another thread, never).
pub unsafe fn lend(data: *mut u8, owner: usize, release: unsafe fn(usize)) {
    let mut lent = LENT.lock().unwrap_or_else(|e| e.into_inner());
    let map = lent.get_or_insert_with(HashMap::new);
    if map.contains_key(&(data as usize)) {
        drop(lent);
        // SAFETY: per the contract, `owner` is `release`'s to let go.
        unsafe { release(owner) };
        return;
    }
    map.insert(data as usize, Lent { refs: 0, owner, release, thread: std::thread::current().id() });
}

/// After [`lend`] when no buffer could be made: lets the owner go if no buffer holds it.
pub fn unlend_if_unused(data: *mut u8) {
    let entry = {
        let mut lent = LENT.lock().unwrap_or_else(|e| e.into_inner());
        let map = lent.get_or_insert_with(HashMap::new);
        match map.get(&(data as usize)) {
            Some(l) if l.refs == 0 => map.remove(&(data as usize)),
            _ => None,
        }
    };
    if let Some(l) = entry {
        // SAFETY: no buffer views the bytes; the owner was `release`'s to let go.
        unsafe { (l.release)(l.owner) };
    }
}

/// Counts a buffer over lent bytes (true), or says they are not lent (false).
fn lent_dup(data: *mut c_void) -> bool {
    let mut lent = LENT.lock().unwrap_or_else(|e| e.into_inner());
    match lent.as_mut().and_then(|m| m.get_mut(&(data as usize))) {
        Some(l) => {
            l.refs += 1;
            true
        }
        None => false,
    }
}

/// Uncounts a buffer over lent bytes, letting the owner go after the last (true), or says
/// they are not lent (false).
fn lent_free(data: *mut c_void) -> bool {
    let last = {
        let mut lent = LENT.lock().unwrap_or_else(|e| e.into_inner());
        let Some(map) = lent.as_mut() else { return false };
        let Some(l) = map.get_mut(&(data as usize)) else { return false };
        l.refs -= 1;
        if l.refs > 0 {
            return true;
        }
        map.remove(&(data as usize))
    };
    if let Some(l) = last.filter(|l| l.thread == std::thread::current().id()) {
        // SAFETY: the last buffer over the bytes is gone; the owner was `release`'s to let go,
        // on this, its own thread.
        unsafe { (l.release)(l.owner) };
    }
    true
}

use rquickjs::qjs;

/// What precedes a block's bytes: the references held and the size allocated.
#[repr(C, align(16))]
struct Header {
    refs: AtomicUsize,
    size: usize,
}

const HEADER: usize = std::mem::size_of::<Header>();

fn layout(size: usize) -> Option<Layout> {
    Layout::from_size_align(size.checked_add(HEADER)?, std::mem::align_of::<Header>()).ok()
}

/// A zeroed block of `size` bytes with one reference, or null.
unsafe extern "C" fn sab_alloc(_opaque: *mut c_void, size: qjs::size_t) -> *mut c_void {
    let size = size as usize;
    let Some(layout) = layout(size) else { return std::ptr::null_mut() };
    // SAFETY: the layout has a non-zero size (it includes the header).
    let base = unsafe { alloc_zeroed(layout) };
    if base.is_null() {
        return std::ptr::null_mut();
    }
    // SAFETY: `base` is a fresh allocation, aligned for the header, large enough for it.
    unsafe {
        (base as *mut Header).write(Header { refs: AtomicUsize::new(1), size });
        base.add(HEADER) as *mut c_void
    }
}

/// # Safety
/// `data` was returned by `sab_alloc` and its block is still referenced.
unsafe fn header<'a>(data: *mut c_void) -> &'a Header {
    unsafe { &*((data as *mut u8).sub(HEADER) as *const Header) }
}

/// Drops a reference; the last one frees the block.
unsafe extern "C" fn sab_free(_opaque: *mut c_void, data: *mut c_void) {
    if lent_free(data) {
        return;
    }
    // SAFETY: QuickJS passes a pointer `sab_alloc` returned, once per reference it holds.
    let h = unsafe { header(data) };
    if h.refs.fetch_sub(1, Ordering::AcqRel) == 1 {
        let size = h.size;
        // SAFETY: the last reference: nobody uses the block any more; same layout as allocated.
        unsafe { dealloc((data as *mut u8).sub(HEADER), layout(size).expect("allocated with this layout")) };
    }
}

/// Takes one more reference.
unsafe extern "C" fn sab_dup(_opaque: *mut c_void, data: *mut c_void) {
    if lent_dup(data) {
        return;
    }
    // SAFETY: as in `sab_free`; the caller holds a reference already.
    unsafe { header(data) }.refs.fetch_add(1, Ordering::Relaxed);
}

/// Holds the bytes of a SharedArrayBuffer (one reference, as a buffer would) while a message
/// carrying it crosses threads.
///
/// # Safety
/// `data` is the data of a live SharedArrayBuffer of a runtime with these hooks.
pub unsafe fn hold(data: *mut u8) {
    // SAFETY: per the contract, a live shared block (or lent bytes).
    unsafe { sab_dup(std::ptr::null_mut(), data as *mut c_void) }
}

/// Lets go of a reference taken by [`hold`].
///
/// # Safety
/// `data` was held by [`hold`] and is let go once.
pub unsafe fn unhold(data: *mut u8) {
    // SAFETY: per the contract.
    unsafe { sab_free(std::ptr::null_mut(), data as *mut c_void) }
}

/// Installs the hooks on a runtime (before any SharedArrayBuffer exists in it).
///
/// # Safety
/// `rt` is a live QuickJS runtime.
pub unsafe fn install(rt: *mut qjs::JSRuntime) {
    let funcs = qjs::JSSharedArrayBufferFunctions {
        sab_alloc: Some(sab_alloc),
        sab_free: Some(sab_free),
        sab_dup: Some(sab_dup),
        sab_opaque: std::ptr::null_mut(),
    };
    // SAFETY: QuickJS copies the struct; the functions are 'static.
    unsafe { qjs::JS_SetSharedArrayBufferFunctions(rt, &funcs) };
}

/// `native.sabClone(sab, maxByteLength)` (structuredClone): a new SharedArrayBuffer object over
/// the same bytes (`maxByteLength` 0 for a fixed-length one), counted through the hooks.
pub fn install_natives<'js>(ctx: &rquickjs::Ctx<'js>, native: &rquickjs::Object<'js>) -> rquickjs::Result<()> {
    super::cfunc::define_c_functions(ctx, native, std::iter::once(super::cfunc::c_function(c"sabClone", 2, 0, sab_clone)))
}

unsafe extern "C" fn sab_clone(ctx: *mut qjs::JSContext, _this: qjs::JSValue, argc: std::ffi::c_int, argv: *mut qjs::JSValue, _magic: std::ffi::c_int) -> qjs::JSValue {
    // SAFETY: QuickJS's call of a C function.
    unsafe { super::cfunc::c_call(ctx, argc, argv, clone_of) }
}

fn clone_of<'js>(ctx: &rquickjs::Ctx<'js>, args: Vec<rquickjs::Value<'js>>) -> rquickjs::Result<rquickjs::Value<'js>> {
    let (Some(sab), max) = (args.first(), args.get(1).and_then(|v| v.as_number()).unwrap_or(0.0)) else {
        return Err(super::throw(ctx, "TypeError", "sabClone needs a SharedArrayBuffer", None));
    };
    let mut len = 0;
    // SAFETY: `sab` is a live value of this context; QuickJS checks its class.
    let data = unsafe { qjs::JS_GetArrayBuffer(ctx.as_raw().as_ptr(), &mut len, sab.as_raw()) };
    if data.is_null() {
        return Err(rquickjs::Error::Exception);
    }
    // SAFETY: `data` is a shared block (sab_alloc's, or lent bytes) that the new buffer
    // references through sab_dup; a growable one was allocated at its maximum.
    let raw = unsafe { qjs::JS_NewArrayBuffer(ctx.as_raw().as_ptr(), data, len, max as _, None, std::ptr::null_mut(), true) };
    // SAFETY: a fresh owned value (or the exception marker) of this context.
    let v = unsafe { rquickjs::Value::from_raw(ctx.clone(), raw) };
    if v.is_exception() {
        return Err(rquickjs::Error::Exception);
    }
    Ok(v)
}
