//! Natives behind `WebAssembly.Memory`: creation, `buffer` as an ArrayBuffer over the linear
//! memory itself (no copy), and grow. A buffer is detached whenever its memory has grown —
//! from JS (`grow`) or from wasm (`memory.grow`, noticed at every return from wasm to JS) — so
//! no view ever reads memory WAMR has moved. A shared memory's buffer is a frozen
//! SharedArrayBuffer (the JS API's rule); its bytes never move, so growth leaves old buffers
//! as they are (with their old length) and the next `buffer` is a new one.

use std::cell::RefCell;
use std::collections::HashMap;
use std::ffi::c_void;
use std::rc::Rc;

use jsrt_wasm::{Instance, Memory};
use rquickjs::class::Trace;
use rquickjs::{qjs, Class, Ctx, Function, JsLifetime, Object, Persistent, Value};

/// The JS-side handle of a memory.
#[derive(Trace, JsLifetime)]
#[rquickjs::class(rename = "MemoryHandle")]
pub struct MemoryHandle {
    #[qjs(skip_trace)]
    pub mem: Memory,
}

impl MemoryHandle {
    pub fn new(mem: Memory) -> MemoryHandle {
        BUFFERS.with(|b| b.borrow_mut().entry(mem.id()).or_insert_with(|| BufState { mem: mem.clone(), buffer: None, handles: 0 }).handles += 1);
        MemoryHandle { mem }
    }
}

impl Drop for MemoryHandle {
    fn drop(&mut self) {
        let id = self.mem.id();
        // Dropping the entry may free the buffer; take it out first so no borrow is held then.
        let removed = BUFFERS.with(|b| {
            let mut b = b.borrow_mut();
            let last = match b.get_mut(&id) {
                Some(s) => {
                    s.handles -= 1;
                    s.handles == 0
                }
                None => false,
            };
            if last { b.remove(&id) } else { None }
        });
        drop(removed);
    }
}

/// The current buffer of a memory that JS has asked for, and the size it was made at.
struct BufState {
    mem: Memory,
    buffer: Option<(Persistent<Value<'static>>, u64)>,
    handles: usize,
}

thread_local! {
    static BUFFERS: RefCell<HashMap<usize, BufState>> = RefCell::new(HashMap::new());
}

/// Drops the buffers JS asked for (before the thread's runtime is freed).
pub fn teardown() {
    let buffers = BUFFERS.with(|b| std::mem::take(&mut *b.borrow_mut()));
    drop(buffers);
}

/// Frees nothing but the owner reference: the bytes belong to WAMR.
unsafe extern "C" fn release(_rt: *mut qjs::JSRuntime, opaque: *mut c_void, _ptr: *mut c_void, size: qjs::size_t) -> *mut c_void {
    if size == 0 {
        // SAFETY: `opaque` is the Box<Rc<Instance>> made in `buffer`; QuickJS frees once.
        drop(unsafe { Box::from_raw(opaque as *mut Rc<Instance>) });
    }
    // Resizing or transferring the buffer is refused (it views wasm memory).
    std::ptr::null_mut()
}

/// The owner a shared memory lends with its bytes to SharedArrayBuffers (builtins/sab.rs).
unsafe fn release_owner(owner: usize) {
    // SAFETY: `owner` is the Box<Rc<Instance>> made in `shared_buffer`, let go once.
    drop(unsafe { Box::from_raw(owner as *mut Rc<Instance>) });
}

/// Retires a memory's buffer after growth: detached, unless it is a SharedArrayBuffer (whose
/// bytes stay where they are: it keeps its length).
fn retire(ctx: &Ctx<'_>, mem: &Memory, buffer: Persistent<Value<'static>>) {
    if !mem.is_shared() {
        detach(ctx, buffer);
    }
}

fn detach(ctx: &Ctx<'_>, buffer: Persistent<Value<'static>>) {
    if let Ok(v) = buffer.restore(ctx) {
        // SAFETY: `v` is an ArrayBuffer created in `buffer` on this context.
        unsafe { qjs::JS_DetachArrayBuffer(ctx.as_raw().as_ptr(), v.as_raw()) };
    }
}

/// Detaches the buffers of memories that grew since their buffer was made. Cheap when no
/// buffer exists; called whenever wasm returns to JS.
pub fn sync(ctx: &Ctx<'_>) {
    let stale: Vec<(Memory, Persistent<Value<'static>>)> = BUFFERS.with(|b| {
        let mut b = b.borrow_mut();
        let mut out = Vec::new();
        for s in b.values_mut() {
            if let Some((_, pages)) = &s.buffer {
                if *pages != s.mem.pages() {
                    out.push((s.mem.clone(), s.buffer.take().unwrap().0));
                }
            }
        }
        out
    });
    for (mem, buf) in stale {
        retire(ctx, &mem, buf);
    }
}

pub fn any_buffers() -> bool {
    BUFFERS.with(|b| b.borrow().values().any(|s| s.buffer.is_some()))
}

/// The memory's current buffer, made (without copying) if needed.
fn buffer<'js>(ctx: &Ctx<'js>, mem: &Memory) -> rquickjs::Result<Value<'js>> {
    sync(ctx);
    if let Some(v) = BUFFERS.with(|b| b.borrow().get(&mem.id()).and_then(|s| s.buffer.as_ref().map(|(p, _)| p.clone()))) {
        return v.restore(ctx);
    }
    let v = if mem.is_shared() { shared_buffer(ctx, mem)? } else { plain_buffer(ctx, mem)? };
    let pages = mem.pages();
    let keep = Persistent::save(ctx, v.clone());
    BUFFERS.with(|b| {
        if let Some(s) = b.borrow_mut().get_mut(&mem.id()) {
            s.buffer = Some((keep, pages));
        }
    });
    Ok(v)
}

/// An ArrayBuffer over an unshared memory's bytes.
fn plain_buffer<'js>(ctx: &Ctx<'js>, mem: &Memory) -> rquickjs::Result<Value<'js>> {
    let (ptr, len) = mem.data();
    let opaque = Box::into_raw(Box::new(mem.owner().clone())) as *mut c_void;
    // SAFETY: `ptr..ptr+len` is the memory's live data; the buffer keeps the owning instance
    // alive through `opaque` (released in `release`) and is detached before WAMR can move or
    // free the data (every grow is followed by `sync` before JS runs again).
    let raw = unsafe { qjs::JS_NewArrayBuffer(ctx.as_raw().as_ptr(), ptr, len as _, 0, Some(release), opaque, false) };
    // SAFETY: a fresh owned value (or an exception) of this context.
    let v = unsafe { Value::from_raw(ctx.clone(), raw) };
    if v.is_exception() {
        return Err(rquickjs::Error::Exception);
    }
    Ok(v)
}

/// A frozen SharedArrayBuffer over a shared memory's bytes (which WAMR never moves: it
/// reserves the maximum), lent with the owning instance (builtins/sab.rs).
fn shared_buffer<'js>(ctx: &Ctx<'js>, mem: &Memory) -> rquickjs::Result<Value<'js>> {
    let (ptr, len) = mem.data();
    let owner = Box::into_raw(Box::new(mem.owner().clone())) as usize;
    // SAFETY: the bytes live as long as the owning instance, which the lending keeps until
    // the last SharedArrayBuffer over them is freed.
    unsafe { crate::builtins::sab::lend(ptr, owner, release_owner) };
    // SAFETY: as above; QuickJS counts the buffer through the SharedArrayBuffer hooks.
    let raw = unsafe { qjs::JS_NewArrayBuffer(ctx.as_raw().as_ptr(), ptr, len as _, 0, None, std::ptr::null_mut(), true) };
    // SAFETY: a fresh owned value (or an exception) of this context.
    let v = unsafe { Value::from_raw(ctx.clone(), raw) };
    if v.is_exception() {
        crate::builtins::sab::unlend_if_unused(ptr);
        return Err(rquickjs::Error::Exception);
    }
    // SAFETY: `v` is a live object of this context.
    if unsafe { qjs::JS_FreezeObject(ctx.as_raw().as_ptr(), v.as_raw()) } < 0 {
        return Err(rquickjs::Error::Exception);
    }
    Ok(v)
}

pub fn handle_of<'js>(ctx: &Ctx<'js>, v: &Value<'js>) -> rquickjs::Result<Memory> {
    Class::<MemoryHandle>::from_value(v)
        .map(|c| c.borrow().mem.clone())
        .map_err(|_| crate::builtins::throw(ctx, "TypeError", "Receiver is not a WebAssembly.Memory", None))
}

pub fn install<'js>(ctx: &Ctx<'js>, wasm: &Object<'js>) -> rquickjs::Result<()> {
    let c = || ctx.clone();
    wasm.set(
        "memoryNew",
        Function::new(c(), |ctx: Ctx<'js>, initial: u32, maximum: Option<u32>, shared: Option<bool>| {
            let mem = Memory::with_sharing(initial, maximum, shared.unwrap_or(false)).map_err(|e| super::throw_engine_error(&ctx, e, "WebAssembly.Memory(): "))?;
            Class::instance(ctx, MemoryHandle::new(mem))
        })?,
    )?;
    wasm.set(
        "memoryBuffer",
        Function::new(c(), |ctx: Ctx<'js>, h: Value<'js>| {
            let mem = handle_of(&ctx, &h)?;
            buffer(&ctx, &mem)
        })?,
    )?;
    wasm.set(
        "memoryGrow",
        Function::new(c(), |ctx: Ctx<'js>, h: Value<'js>, delta: u32| {
            let mem = handle_of(&ctx, &h)?;
            let old = mem.grow(delta).map_err(|e| match e {
                jsrt_wasm::Error::Resource(m) => crate::builtins::throw(&ctx, "RangeError", &format!("WebAssembly.Memory.grow(): {m}"), None),
                other => super::throw_engine_error(&ctx, other, "WebAssembly.Memory.grow(): "),
            })?;
            // Even a grow by 0 gives a new buffer (the spec's "refresh the memory buffer").
            let old_buf = BUFFERS.with(|b| b.borrow_mut().get_mut(&mem.id()).and_then(|s| s.buffer.take()));
            if let Some((buf, _)) = old_buf {
                retire(&ctx, &mem, buf);
            }
            Ok::<_, rquickjs::Error>(old as f64)
        })?,
    )?;
    wasm.set(
        "memoryInfo",
        Function::new(c(), |ctx: Ctx<'js>, h: Value<'js>| {
            let mem = handle_of(&ctx, &h)?;
            Ok::<_, rquickjs::Error>(vec![mem.id() as f64, mem.pages() as f64, mem.max_pages() as f64])
        })?,
    )?;
    Ok(())
}
