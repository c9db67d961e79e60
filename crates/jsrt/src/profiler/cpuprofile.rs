//! The profile being recorded — a tree of call paths (one node per distinct path from the
//! root, as DevTools' format has it) and the samples that hit each — and its writing as a
//! `.cpuprofile`: `{ nodes, startTime, endTime, samples, timeDeltas }`, times in µs.

use std::collections::HashMap;
use std::ffi::{c_char, c_void, CStr};
use std::path::PathBuf;
use std::sync::Arc;

use rquickjs::qjs;
use serde_json::{json, Value};

use super::sampler::{self, Special};
use super::Options;
use crate::webassembly::stack::{is_wasm_call, wasm_url, WasmCalls};

extern "C" {
    // vendor/rquickjs-sys/quickjs/quickjs.h (jsrt patch 0005); not in the pregenerated bindings.
    fn JS_JsrtWalkStack(rt: *mut qjs::JSRuntime, visit: unsafe extern "C" fn(*mut c_void, *mut c_void, *mut c_void) -> bool, opaque: *mut c_void);
    fn JS_JsrtRetainFunction(func: *mut c_void) -> qjs::JSValue;
    fn JS_JsrtFunctionSource(ctx: *mut qjs::JSContext, func: qjs::JSValue, name: *mut *const c_char, file: *mut *const c_char, line: *mut i32, col: *mut i32);
}

/// The deepest stack a sample records (innermost frames kept).
const MAX_DEPTH: usize = 1000;

/// A function as sampling tells functions apart.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
enum FuncKey {
    /// A JS (or native) function object, by address (it is retained, so the address stays its).
    Js(usize),
    /// A wasm function: the module (by address; kept alive below) and its index.
    Wasm(usize, u32),
    Root,
    Special(Special),
}

enum Func {
    Js(qjs::JSValue),
    Wasm(Arc<jsrt_wasm::Module>, u32),
    Root,
    Special(Special),
}

struct Node {
    func: u32,
    parent: u32,
}

/// The root node's index.
const ROOT: u32 = 0;

pub(super) struct Profile {
    rt: *mut qjs::JSRuntime,
    ctx: *mut qjs::JSContext,
    opts: Options,
    start_us: u64,
    keys: HashMap<FuncKey, u32>,
    funcs: Vec<Func>,
    nodes: Vec<Node>,
    children: HashMap<(u32, u32), u32>,
    /// (time in µs, node), in time order.
    samples: Vec<(u64, u32)>,
    /// The sample being taken: function ids, innermost first.
    stack: Vec<u32>,
}

/// A walk of QuickJS's frames filling `Profile::stack`.
struct Walk<'a> {
    profile: &'a mut Profile,
    calls: WasmCalls,
}

impl Profile {
    pub(super) fn new(rt: *mut qjs::JSRuntime, ctx: *mut qjs::JSContext, opts: Options) -> Profile {
        let mut p = Profile {
            rt,
            ctx,
            opts,
            start_us: sampler::now_us(),
            keys: HashMap::new(),
            funcs: Vec::new(),
            nodes: Vec::new(),
            children: HashMap::new(),
            samples: Vec::new(),
            stack: Vec::with_capacity(64),
        };
        let root = p.func(FuncKey::Root, || Func::Root);
        p.nodes.push(Node { func: root, parent: ROOT });
        p
    }

    /// Records the running stack as one sample.
    pub(super) fn sample(&mut self) {
        let now = sampler::now_us();
        self.stack.clear();
        let rt = self.rt;
        let mut walk = Walk { profile: self, calls: WasmCalls::new() };
        // SAFETY: the runtime is live and this is its thread; `visit` gets `walk` back.
        unsafe { JS_JsrtWalkStack(rt, visit, &mut walk as *mut Walk<'_> as *mut c_void) };
        let mut node = ROOT;
        if self.stack.is_empty() {
            let program = self.func(FuncKey::Special(Special::Program), || Func::Special(Special::Program));
            node = self.child(node, program);
        }
        for k in (0..self.stack.len()).rev() {
            node = self.child(node, self.stack[k]);
        }
        self.samples.push((now, node));
    }

    /// The id of the function `key`, made with `make` on first sight.
    fn func(&mut self, key: FuncKey, make: impl FnOnce() -> Func) -> u32 {
        if let Some(&id) = self.keys.get(&key) {
            return id;
        }
        let id = self.funcs.len() as u32;
        self.funcs.push(make());
        self.keys.insert(key, id);
        id
    }

    /// The node for calling `func` from `parent`'s path.
    fn child(&mut self, parent: u32, func: u32) -> u32 {
        if let Some(&n) = self.children.get(&(parent, func)) {
            return n;
        }
        let n = self.nodes.len() as u32;
        self.nodes.push(Node { func, parent });
        self.children.insert((parent, func), n);
        n
    }

    /// Writes the profile, with the sampler's own samples merged in.
    pub(super) fn write(mut self, own: Vec<(u64, Special)>) -> std::io::Result<PathBuf> {
        let end_us = sampler::now_us();
        for (t, what) in own {
            let f = self.func(FuncKey::Special(what), || Func::Special(what));
            let n = self.child(ROOT, f);
            self.samples.push((t, n));
        }
        self.samples.sort_by_key(|s| s.0);
        let json = self.to_json(end_us);
        self.release();
        let path = self.path();
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        std::fs::write(&path, serde_json::to_vec(&json).map_err(std::io::Error::other)?)?;
        Ok(path)
    }

    fn to_json(&self, end_us: u64) -> Value {
        let mut hits = vec![0u32; self.nodes.len()];
        let mut kids: Vec<Vec<u32>> = vec![Vec::new(); self.nodes.len()];
        for (i, n) in self.nodes.iter().enumerate().skip(1) {
            kids[n.parent as usize].push(i as u32 + 1);
        }
        let mut prev = self.start_us;
        let mut samples = Vec::with_capacity(self.samples.len());
        let mut deltas = Vec::with_capacity(self.samples.len());
        for &(t, n) in &self.samples {
            hits[n as usize] += 1;
            samples.push(n + 1);
            deltas.push(t.saturating_sub(prev));
            prev = prev.max(t);
        }
        let mut scripts = ScriptIds::default();
        let frames: Vec<Value> = self.funcs.iter().map(|f| self.call_frame(f, &mut scripts)).collect();
        let nodes: Vec<Value> = self
            .nodes
            .iter()
            .enumerate()
            .map(|(i, n)| {
                let mut node = json!({ "id": i + 1, "callFrame": frames[n.func as usize], "hitCount": hits[i] });
                if !kids[i].is_empty() {
                    node["children"] = json!(kids[i]);
                }
                node
            })
            .collect();
        json!({ "nodes": nodes, "startTime": self.start_us, "endTime": end_us.max(prev), "samples": samples, "timeDeltas": deltas })
    }

    /// DevTools' `callFrame` of a function: name, script, URL, 0-based line and column.
    fn call_frame(&self, f: &Func, scripts: &mut ScriptIds) -> Value {
        let (name, url, line, col) = match f {
            Func::Root => ("(root)".to_string(), String::new(), -1, -1),
            Func::Special(Special::Idle) => ("(idle)".to_string(), String::new(), -1, -1),
            Func::Special(Special::Program) => ("(program)".to_string(), String::new(), -1, -1),
            Func::Wasm(m, index) => {
                let info = m.debug_info();
                let name = info.func_name(*index).map_or_else(|| format!("wasm-function[{index}]"), str::to_string);
                (name, wasm_url(info), 0, m.func_body_offset(*index).map_or(-1, i64::from))
            }
            Func::Js(v) => self.js_source(*v),
        };
        json!({ "functionName": name, "scriptId": scripts.of(&url), "url": url, "lineNumber": line, "columnNumber": col })
    }

    /// A JS function's name, URL (`file://` for a file, as Node) and 0-based position.
    fn js_source(&self, v: qjs::JSValue) -> (String, String, i64, i64) {
        let (mut name, mut file, mut line, mut col) = (std::ptr::null(), std::ptr::null(), 0, 0);
        // SAFETY: the context is live on this thread; `v` is a retained function object;
        // the strings returned are freed below.
        unsafe { JS_JsrtFunctionSource(self.ctx, v, &mut name, &mut file, &mut line, &mut col) };
        let take = |p: *const c_char| -> Option<String> {
            if p.is_null() {
                return None;
            }
            // SAFETY: a NUL-terminated string from JS_AtomToCString/JS_ToCString.
            let s = unsafe { CStr::from_ptr(p) }.to_string_lossy().into_owned();
            // SAFETY: allocated by QuickJS for this context.
            unsafe { qjs::JS_FreeCString(self.ctx, p) };
            Some(s)
        };
        // The inferred name (`const f = () => …`) is the `name` property's; QuickJS's own is
        // a control character or `<eval>` for anonymous and top-level code.
        let name = take(name).filter(|n| n != "<eval>" && !n.starts_with(|c: char| c.is_control())).unwrap_or_default();
        match take(file) {
            Some(f) if line > 0 => {
                let line = i64::from(line) - if crate::builtins::is_wrapped(&f) { 2 } else { 1 };
                // An absolute path becomes a file: URL; `jsrt:` names and the like stay.
                let url = url::Url::from_file_path(&f).map_or(f, |u| u.to_string());
                (name, url, line.max(0), i64::from(col.max(1)) - 1)
            }
            _ => (name, String::new(), -1, -1),
        }
    }

    /// Gives back the retained JS functions.
    fn release(&mut self) {
        for f in self.funcs.drain(..) {
            if let Func::Js(v) = f {
                // SAFETY: a reference taken by JS_JsrtRetainFunction, freed once.
                unsafe { qjs::JS_FreeValue(self.ctx, v) };
            }
        }
    }

    /// Where the profile goes: `--cpu-prof-dir`/`--cpu-prof-name`, or Node's default name in
    /// the working directory.
    fn path(&self) -> PathBuf {
        let dir = self.opts.dir.clone().unwrap_or_else(|| std::env::current_dir().unwrap_or_default());
        let name = self.opts.name.clone().unwrap_or_else(default_name);
        dir.join(name)
    }
}

/// QuickJS's callback for each frame of the walk.
unsafe extern "C" fn visit(opaque: *mut c_void, func: *mut c_void, cfunc: *mut c_void) -> bool {
    // SAFETY: `opaque` is the `Walk` that `Profile::sample` passed, alive for the walk.
    let walk = unsafe { &mut *(opaque as *mut Walk<'_>) };
    if is_wasm_call(cfunc as usize) {
        for frame in walk.calls.next_call_frames() {
            let module = frame.module().clone();
            let index = frame.func_index();
            let id = walk.profile.func(FuncKey::Wasm(Arc::as_ptr(&module) as usize, index), move || Func::Wasm(module, index));
            walk.profile.stack.push(id);
        }
    } else {
        // SAFETY: `func` is a live function object of the running stack; retaining it only
        // counts a reference (no allocation, no JavaScript).
        let id = walk.profile.func(FuncKey::Js(func as usize), || Func::Js(unsafe { JS_JsrtRetainFunction(func) }));
        walk.profile.stack.push(id);
    }
    walk.profile.stack.len() < MAX_DEPTH
}

/// Script ids as DevTools wants them: one per URL, "0" for none.
#[derive(Default)]
struct ScriptIds(HashMap<String, usize>);

impl ScriptIds {
    fn of(&mut self, url: &str) -> String {
        if url.is_empty() {
            return "0".into();
        }
        let next = self.0.len() + 1;
        self.0.entry(url.to_string()).or_insert(next).to_string()
    }
}

/// Node's default file name: `CPU.YYYYMMDD.HHMMSS.PID.0.001.cpuprofile` (local time).
fn default_name() -> String {
    // SAFETY: time(NULL) and localtime_r with valid pointers.
    let tm = unsafe {
        let t = libc::time(std::ptr::null_mut());
        let mut tm: libc::tm = std::mem::zeroed();
        libc::localtime_r(&t, &mut tm);
        tm
    };
    format!(
        "CPU.{:04}{:02}{:02}.{:02}{:02}{:02}.{}.0.001.cpuprofile",
        tm.tm_year + 1900,
        tm.tm_mon + 1,
        tm.tm_mday,
        tm.tm_hour,
        tm.tm_min,
        tm.tm_sec,
        std::process::id()
    )
}
