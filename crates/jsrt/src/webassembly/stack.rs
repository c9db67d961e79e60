//! Wasm frames in JavaScript stack traces, in V8's format: QuickJS (patch 0004) asks, for each
//! native frame of a trace, whether other frames stand in its place; an exported wasm
//! function's native frame is replaced by the wasm frames of its call — those still running
//! (an error made in an import), or those of the trap the error is about. Frames are read
//! and formatted only when a trace is made.
//!
//! Text: `at NAME (wasm://wasm/[MODULE-]HASH:wasm-function[INDEX]:0xOFFSET)`, NAME being
//! `module.function` from the name section (or what there is of it), or just the location
//! when there is no name; with DWARF, the source (`at divide (crash.c:4:12)`). Call sites
//! (`Error.prepareStackTrace`) get V8's values: the function's name, the wasm URL, line 1,
//! column offset + 1; `getJsrtText()` gives the text.

use jsrt_wasm::frames::{calls_in_progress, take_trap_frames, CallFrames, Frame};
use rquickjs::qjs;
use std::cell::RefCell;
use std::rc::Rc;
use std::sync::Arc;
use std::ffi::{c_int, c_void, CString};

#[repr(C)]
struct FrameSink {
    _private: [u8; 0],
}

extern "C" {
    // vendor/rquickjs-sys/quickjs/quickjs.h (jsrt patch 0004); not in the pregenerated bindings.
    fn JS_SetJsrtNativeFrameHook(hook: Option<unsafe extern "C" fn(*mut qjs::JSContext, *mut c_void, c_int, *mut FrameSink) -> c_int>);
    fn JS_JsrtEmitFrame(sink: *mut FrameSink, func_name: *const i8, text: *const i8, filename: *const i8, line: c_int, col: c_int) -> bool;
    fn JS_JsrtCurrentNativeFunc(ctx: *mut qjs::JSContext) -> *mut c_void;
}

/// The trap an error is being made for: its frames stand in place of the native function
/// that makes the error (`cfunc`), or first in the trace when that function has no stack
/// frame of its own (`cfunc` 0: rquickjs's functions, such as the Instance constructor).
struct Pending {
    cfunc: usize,
    frames: Vec<Frame>,
}

/// The calls into wasm in progress, handed out one JS-made call at a time to a walk of the
/// JS stack (innermost first) that meets their exported functions' native frames.
#[derive(Default)]
pub struct WasmCalls {
    calls: Option<Vec<CallFrames>>,
    next: usize,
}

impl WasmCalls {
    pub const fn new() -> WasmCalls {
        WasmCalls { calls: None, next: 0 }
    }

    /// The frames of the next call into wasm made from JS (with the calls it made into
    /// other instances through imports, which have no JS frame between them).
    pub fn next_call_frames(&mut self) -> Vec<Frame> {
        let calls = self.calls.get_or_insert_with(calls_in_progress);
        let mut frames = Vec::new();
        while let Some(call) = calls.get(self.next) {
            frames.extend(call.frames.iter().cloned());
            self.next += 1;
            if !call.from_host {
                break;
            }
        }
        frames
    }
}

/// Whether `cfunc` (a native frame's C entry point) is an exported wasm function's.
pub fn is_wasm_call(cfunc: usize) -> bool {
    cfunc == super::function::call_exported_address()
}

/// The URL V8 gives a module's code: `wasm://wasm/[MODULE-]HASH`.
pub fn wasm_url(info: &jsrt_wasm::debuginfo::DebugInfo) -> String {
    match info.module_name() {
        Some(m) => format!("wasm://wasm/{m}-{:08x}", info.hash()),
        None => format!("wasm://wasm/{:08x}", info.hash()),
    }
}

/// The calls in progress as the trace being built sees them, and whether it has shown the
/// pending trap's frames.
struct Walk {
    calls: WasmCalls,
    trap_shown: bool,
}

thread_local! {
    static PENDING: RefCell<Option<Pending>> = const { RefCell::new(None) };
    static WALK: RefCell<Walk> = const { RefCell::new(Walk { calls: WasmCalls::new(), trap_shown: false }) };
}

/// Installs the hook (once per process; the hook reads only this thread's state).
pub fn install() {
    // SAFETY: a process-wide setter.
    unsafe { JS_SetJsrtNativeFrameHook(Some(native_frame)) };
}

/// Relative `sourceMappingURL`s of wasm modules are looked up next to the main program
/// (`main_file`), then in the working directory: a module's bytes do not say where they
/// were read from, and emscripten writes the map next to the `.wasm` and its loader.
pub fn set_source_map_dirs(main_file: Option<&str>) {
    let main_dir = main_file.and_then(|f| std::path::Path::new(f).parent().map(|d| d.to_path_buf()));
    jsrt_wasm::debuginfo::set_source_map_dirs(main_dir.into_iter().collect());
}

/// Runs `make_error` (which makes the error for a trap, from native code) with the frames
/// of the trap that just happened standing in place of the native function making it.
pub fn with_trap_frames<R>(ctx: &rquickjs::Ctx<'_>, make_error: impl FnOnce() -> R) -> R {
    with_frames(ctx, take_trap_frames(), make_error)
}

/// Runs `make_error` with `frames` standing in place of the native function making it.
fn with_frames<R>(ctx: &rquickjs::Ctx<'_>, frames: Vec<Frame>, make_error: impl FnOnce() -> R) -> R {
    // SAFETY: the context is live.
    let cfunc = unsafe { JS_JsrtCurrentNativeFunc(ctx.as_raw().as_ptr()) } as usize;
    PENDING.with(|p| *p.borrow_mut() = Some(Pending { cfunc, frames }));
    let r = make_error();
    PENDING.with(|p| p.borrow_mut().take());
    r
}

/// [`with_trap_frames`] for a call stack exhausted: the trap's frames begin with the
/// function that could not be called, at its entry (as V8 shows it), in front of its
/// caller's frame at the call.
pub fn with_overflow_frames<R>(ctx: &rquickjs::Ctx<'_>, make_error: impl FnOnce() -> R) -> R {
    let mut frames = take_trap_frames();
    if let Some(callee) = frames.first().and_then(Frame::callee_at_entry) {
        frames.insert(0, callee);
    }
    with_frames(ctx, frames, make_error)
}

/// Forgets the frames of a trap no error will be made for.
pub fn discard_trap_frames() {
    let _ = take_trap_frames();
}

/// QuickJS's hook: called with `ordinal` -1 as a trace begins, then for each native frame.
unsafe extern "C" fn native_frame(_ctx: *mut qjs::JSContext, cfunc: *mut c_void, ordinal: c_int, sink: *mut FrameSink) -> c_int {
    if ordinal < 0 {
        WALK.with(|w| *w.borrow_mut() = Walk { calls: WasmCalls::new(), trap_shown: false });
    }
    // Once per trace, in place of the innermost frame of the native function making the
    // error, or first (kept, not taken: the error's constructor may build its stack twice).
    let pending = PENDING.with(|p| match p.borrow().as_ref() {
        Some(pending) if (pending.cfunc == 0) == (ordinal < 0) && pending.cfunc == cfunc as usize => WALK.with(|w| {
            let shown = std::mem::replace(&mut w.borrow_mut().trap_shown, true);
            (!shown).then(|| pending.frames.clone())
        }),
        _ => None,
    });
    let frames = match pending {
        Some(frames) => frames,
        None if ordinal >= 0 && is_wasm_call(cfunc as usize) => WALK.with(|w| w.borrow_mut().calls.next_call_frames()),
        None => return 0,
    };
    let mut shown = 0;
    for f in &frames {
        // SAFETY: the sink is the one QuickJS passed for this call.
        if !unsafe { emit(sink, f) } {
            break;
        }
        shown += 1;
    }
    // A native frame with no wasm frame left to show (all internal) still goes.
    shown.max(1)
}

/// Puts one frame into the trace; false when the trace is full.
///
/// # Safety
/// `sink` is the sink QuickJS passed to the hook.
unsafe fn emit(sink: *mut FrameSink, f: &Frame) -> bool {
    let t = frame_text(f);
    // SAFETY: per the contract; the strings outlive the call (QuickJS copies them).
    unsafe {
        JS_JsrtEmitFrame(sink, t.name.as_ref().map_or(std::ptr::null(), |n| n.as_ptr()), t.text.as_ptr(), t.url.as_ptr(), 1, t.column)
    }
}

/// A frame as a trace shows it: made once per instruction and kept (a trap in a loop, or
/// an error made in an import called in a loop, shows the same frames again and again).
struct FrameText {
    /// Whose frame it is (a weak reference keeps the module's address from being reused).
    module: std::sync::Weak<jsrt_wasm::Module>,
    name: Option<CString>,
    text: CString,
    url: CString,
    column: c_int,
}

/// The most frame texts kept per thread (then they are all dropped and made again).
const MAX_FRAME_TEXTS: usize = 4096;

thread_local! {
    static FRAME_TEXTS: RefCell<std::collections::HashMap<(usize, u32, u32), Rc<FrameText>>> = RefCell::default();
}

/// `f`'s text, from the cache or made.
fn frame_text(f: &Frame) -> Rc<FrameText> {
    let key = (Arc::as_ptr(f.module()) as usize, f.func_index(), f.code_offset());
    let cached = FRAME_TEXTS.with(|c| c.borrow().get(&key).cloned());
    match cached {
        Some(t) if std::sync::Weak::as_ptr(&t.module) == Arc::as_ptr(f.module()) => t,
        _ => {
            let t = Rc::new(make_frame_text(f));
            FRAME_TEXTS.with(|c| {
                let mut c = c.borrow_mut();
                if c.len() >= MAX_FRAME_TEXTS {
                    c.clear();
                }
                c.insert(key, t.clone());
            });
            t
        }
    }
}

/// V8's text of a wasm frame: `NAME (LOCATION)` or the location alone, the location being
/// the wasm URL with function and offset, or the source line when the module says.
fn make_frame_text(f: &Frame) -> FrameText {
    let info = f.module().debug_info();
    let url = wasm_url(info);
    let name = f.func_name();
    let shown_name = match (info.module_name(), name) {
        (Some(m), Some(n)) => Some(format!("{m}.{n}")),
        (Some(m), None) => Some(m.to_string()),
        (None, n) => n.map(str::to_string),
    };
    let offset = f.offset();
    let location = match info.source_location(offset) {
        Some(src) if src.column > 0 => format!("{}:{}:{}", src.file, src.line, src.column),
        Some(src) => format!("{}:{}", src.file, src.line),
        None => format!("{url}:wasm-function[{}]:0x{offset:x}", f.func_index()),
    };
    let text = match &shown_name {
        Some(n) => format!("{n} ({location})"),
        None => location,
    };
    let c = |s: &str| CString::new(s.replace('\0', "")).unwrap_or_default();
    FrameText { module: Arc::downgrade(f.module()), name: name.map(c), text: c(&text), url: c(&url), column: offset.saturating_add(1) as c_int }
}
