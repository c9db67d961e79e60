//! The memory of `SharedArrayBuffer`s: reference-counted blocks that QuickJS allocates,
//! shares and frees through its SharedArrayBuffer hooks. A block's count is atomic and the
//! block is not tied to a runtime, so a buffer can later be shared by runtimes on other
//! threads (workers take a reference with the same `dup`). With the hooks installed, QuickJS
//! also makes growable SharedArrayBuffers (`maxByteLength`, `grow`): it allocates the
//! maximum up front, so growth never moves the bytes another view or thread may be using.

use std::alloc::{alloc_zeroed, dealloc, Layout};
use std::ffi::c_void;
use std::sync::atomic::{AtomicUsize, Ordering};

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
    // SAFETY: as in `sab_free`; the caller holds a reference already.
    unsafe { header(data) }.refs.fetch_add(1, Ordering::Relaxed);
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
