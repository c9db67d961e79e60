//! Builtins: the hidden `native` object of Rust functions that the JS half of jsrt
//! (`src/js/*.js`) is written on, and the bootstrap that evaluates that JS half.
//!
//! Each native group lives in its own file; the JS sources are embedded with `include_str!`
//! and evaluated lazily (a builtin module is compiled the first time it is required).

use rquickjs::{Ctx, Function, Object, Value};

mod async_context;
mod atomics;
pub(crate) mod cfunc;
pub mod bytes;
mod child_live;
mod child_process;
mod crypto;
mod encoding;
mod fs;
mod lazy_global;
mod process;
pub mod sab;
mod url;
mod wasi;
mod zlib;
mod zlib_stream;

/// JS sources: (name, source). Internal modules have no `jsrt:` prefix in user space.
pub const JS_SOURCES: &[(&str, &str)] = &[
    ("bootstrap", include_str!("../js/bootstrap.js")),
    ("internal/inspect", include_str!("../js/inspect.js")),
    ("internal/web", include_str!("../js/web.js")),
    ("assert", include_str!("../js/assert.js")),
    ("path", include_str!("../js/path.js")),
    ("fs", include_str!("../js/fs.js")),
    ("events", include_str!("../js/events.js")),
    ("util", include_str!("../js/util.js")),
    ("url", include_str!("../js/url.js")),
    ("crypto", include_str!("../js/crypto.js")),
    ("buffer", include_str!("../js/buffer.js")),
    ("os", include_str!("../js/os.js")),
    ("wasi", include_str!("../js/wasi.js")),
    ("wasm", include_str!("../js/wasm.js")),
    ("string_decoder", include_str!("../js/string_decoder.js")),
    ("querystring", include_str!("../js/querystring.js")),
    ("tty", include_str!("../js/tty.js")),
    ("perf_hooks", include_str!("../js/perf_hooks.js")),
    ("zlib", include_str!("../js/zlib.js")),
    ("child_process", include_str!("../js/child_process.js")),
    ("stream", include_str!("../js/stream.js")),
    ("readline", include_str!("../js/readline.js")),
    ("async_hooks", include_str!("../js/async_hooks.js")),
    ("internal/stdin", include_str!("../js/stdin.js")),
    ("internal/stdout", include_str!("../js/stdout.js")),
    ("internal/events-on", include_str!("../js/events-on.js")),
    ("internal/atomics", include_str!("../js/atomics.js")),
    ("internal/workers", include_str!("../js/workers.js")),
    ("internal/http", include_str!("../js/http.js")),
    ("internal/streams", include_str!("../js/streams.js")),
    ("internal/stream_web_adapters", include_str!("../js/stream_web_adapters.js")),
    ("internal/timers_promises", include_str!("../js/timers_promises.js")),
];

include!(concat!(env!("OUT_DIR"), "/bytecode.rs"));

/// The function of builtin `name` from its bytecode (build.rs), or None when there is none or
/// it does not load (then the caller compiles the source).
pub fn precompiled<'js>(ctx: &Ctx<'js>, name: &str) -> Option<Function<'js>> {
    use rquickjs::qjs;
    let (_, bytes) = BYTECODE.iter().find(|(n, _)| *n == name)?;
    // SAFETY: `bytes` is a QuickJS object written by the same QuickJS version (build.rs); the
    // reader checks its format and fails cleanly otherwise. Both returned values are owned and
    // handed over (JS_EvalFunction takes the function object).
    let raw = unsafe {
        let c = ctx.as_raw().as_ptr();
        let obj = qjs::JS_ReadObject(c, bytes.as_ptr(), bytes.len() as _, qjs::JS_READ_OBJ_BYTECODE as _);
        if qjs::JS_IsException(obj) {
            let _ = ctx.catch();
            return None;
        }
        qjs::JS_EvalFunction(c, obj)
    };
    // SAFETY: `raw` is owned (or the exception marker).
    let value = unsafe { Value::from_raw(ctx.clone(), raw) };
    if value.is_exception() {
        let _ = ctx.catch();
        return None;
    }
    Function::from_value(value).ok()
}

thread_local! {
    /// The CommonJS files [`compile_function`] wrapped (their line numbers are one past the file's).
    static WRAPPED: std::cell::RefCell<std::collections::HashSet<String>> = Default::default();
}

/// Whether `filename` is a CommonJS file, compiled by [`compile_function`] whose header line
/// puts QuickJS's line numbers one past the file's (the stack formatter and the CPU profiler
/// correct for it). Recorded by the loader (`native.markWrapped`).
pub fn is_wrapped(filename: &str) -> bool {
    WRAPPED.with(|w| w.borrow().contains(filename))
}

/// Compiles `body` as `function (params...) {\n body }` with `filename` in stack traces. The
/// header has a line of its own so columns are the file's own; the stack formatter in
/// `js/bootstrap.js` subtracts that one line for wrapped files.
pub fn compile_function<'js>(
    ctx: &Ctx<'js>,
    body: &str,
    filename: &str,
    params: &[&str],
) -> rquickjs::Result<Function<'js>> {
    use rquickjs::qjs;
    let mut src = String::with_capacity(body.len() + 64);
    src.push_str("(function (");
    src.push_str(&params.join(", "));
    src.push_str(") {\n");
    src.push_str(body);
    src.push_str("\n})\0");
    let fname = std::ffi::CString::new(filename.replace('\0', "")).unwrap_or_default();
    let mut opts = qjs::JSEvalOptions {
        version: qjs::JS_EVAL_OPTIONS_VERSION as _,
        eval_flags: qjs::JS_EVAL_TYPE_GLOBAL as _,
        filename: fname.as_ptr(),
        line_num: 1,
    };
    // SAFETY: `src` is NUL-terminated and outlives the call (QuickJS requires input[len] == 0);
    // `fname` outlives the call; `ctx` is a live context on this thread. The returned value is
    // owned by us and handed to rquickjs, which frees it.
    let raw = unsafe {
        qjs::JS_Eval2(ctx.as_raw().as_ptr(), src.as_ptr() as *const _, (src.len() - 1) as _, &mut opts)
    };
    // SAFETY: `raw` is a fresh, owned value of this context (or the exception marker).
    let value = unsafe { Value::from_raw(ctx.clone(), raw) };
    if value.is_exception() {
        return Err(rquickjs::Error::Exception);
    }
    Function::from_value(value)
}

/// `new globalThis[name](message)` with an optional Node-style `code`.
pub fn make_error<'js>(
    ctx: &Ctx<'js>,
    name: &str,
    message: &str,
    code: Option<&str>,
) -> rquickjs::Result<Value<'js>> {
    let ctor: rquickjs::function::Constructor = ctx.globals().get(name)?;
    let err: Object = ctor.construct((message,))?;
    if let Some(code) = code {
        err.set("code", code)?;
    }
    Ok(err.into_value())
}

/// Throws `new globalThis[name](message)` (with `code`) and returns the rquickjs error.
pub fn throw<'js>(ctx: &Ctx<'js>, name: &str, message: &str, code: Option<&str>) -> rquickjs::Error {
    match make_error(ctx, name, message, code) {
        Ok(v) => ctx.throw(v),
        Err(e) => e,
    }
}

/// Throws a `DOMException` named `name` (`DataCloneError`, ...).
pub fn throw_dom<'js>(ctx: &Ctx<'js>, name: &str, message: &str) -> rquickjs::Error {
    let made = ctx.globals().get::<_, rquickjs::function::Constructor>("DOMException").and_then(|c| c.construct::<_, Value>((message, name)));
    match made {
        Ok(v) => ctx.throw(v),
        Err(e) => e,
    }
}

/// Drops the JS values this thread's builtins hold (a worker's, before its runtime is freed).
pub fn teardown() {
    lazy_global::teardown();
}

fn native_object<'js>(ctx: &Ctx<'js>, argv: Vec<String>) -> rquickjs::Result<Object<'js>> {
    let native = Object::new(ctx.clone())?;
    process::install(ctx, &native, argv)?;
    fs::install(ctx, &native)?;
    encoding::install(ctx, &native)?;
    url::install(ctx, &native)?;
    crypto::install(ctx, &native)?;
    wasi::install(ctx, &native)?;
    zlib::install(ctx, &native)?;
    child_process::install(ctx, &native)?;
    async_context::install(ctx, &native)?;
    atomics::install(ctx, &native)?;
    sab::install_natives(ctx, &native)?;
    crate::webassembly::install(ctx, &native)?;
    crate::workers::install(ctx, &native)?;
    crate::http::install(ctx, &native)?;
    install_code_loading(ctx, &native)?;
    install_module_system(ctx, &native)?;
    Ok(native)
}

/// Builtin sources and code: `source`, `compileBuiltin`, `compileFunction`, `evalScript`, `setDefaultPrepareStackTrace`.
fn install_code_loading<'js>(ctx: &Ctx<'js>, native: &Object<'js>) -> rquickjs::Result<()> {
    // Builtin JS sources, handed out one at a time as they are first required.
    native.set(
        "source",
        Function::new(ctx.clone(), |name: String| {
            JS_SOURCES.iter().chain(crate::webassembly::JS_SOURCES).find(|(n, _)| *n == name).map(|(_, s)| *s)
        })?,
    )?;
    // compileBuiltin(name) -> the builtin's function from its bytecode, or undefined.
    native.set(
        "compileBuiltin",
        Function::new(ctx.clone(), |ctx: Ctx<'js>, name: String| precompiled(&ctx, &name))?,
    )?;
    // markWrapped(file) / isWrapped(file): the CommonJS files compiled with a header line.
    native.set("markWrapped", Function::new(ctx.clone(), |file: String| WRAPPED.with(|w| w.borrow_mut().insert(file)))?)?;
    native.set("isWrapped", Function::new(ctx.clone(), |file: String| is_wrapped(&file))?)?;
    native.set(
        "compileFunction",
        Function::new(ctx.clone(), |ctx: Ctx<'js>, body: String, filename: String, params: Vec<String>| {
            let params: Vec<&str> = params.iter().map(String::as_str).collect();
            compile_function(&ctx, &body, &filename, &params)
        })?,
    )?;
    // setDefaultPrepareStackTrace(fn): how stacks are formatted while Error.prepareStackTrace
    // is no function (undefined, as in Node, unless the program sets it).
    native.set(
        "setDefaultPrepareStackTrace",
        Function::new(ctx.clone(), |ctx: Ctx<'js>, f: Function<'js>| {
            extern "C" {
                // vendor/rquickjs-sys/quickjs/quickjs.h (jsrt patch 0006).
                fn JS_JsrtSetDefaultPrepareStackTrace(ctx: *mut rquickjs::qjs::JSContext, f: rquickjs::qjs::JSValue);
            }
            // SAFETY: a live context on this thread; QuickJS takes its own reference.
            unsafe { JS_JsrtSetDefaultPrepareStackTrace(ctx.as_raw().as_ptr(), f.as_raw()) };
        })?,
    )?;
    // Global-scope script evaluation with a file name (for -e, -p, stdin and the REPL);
    // returns the completion value.
    native.set(
        "evalScript",
        Function::new(ctx.clone(), |ctx: Ctx<'js>, code: String, filename: String| {
            let mut opts = rquickjs::context::EvalOptions::default();
            opts.strict = false;
            opts.filename = Some(filename);
            ctx.eval_with_options::<Value, _>(code, opts)
        })?,
    )?;
    Ok(())
}

/// Modules and promises for the loader: `resolve`, `isEsmFile`, `importModule`, `promiseState`, `builtinModules`, `lazyGlobal(s)`.
fn install_module_system<'js>(ctx: &Ctx<'js>, native: &Object<'js>) -> rquickjs::Result<()> {
    // The builtin modules' names (module.builtinModules).
    native.set("builtinModules", Function::new(ctx.clone(), || crate::modules::resolve::BUILTINS.to_vec())?)?;
    // lazyGlobal(name, make, enumerable): globalThis[name], a data property made by make() on
    // first use.
    native.set(
        "lazyGlobal",
        Function::new(ctx.clone(), |ctx: Ctx<'js>, name: String, make: Function<'js>, enumerable: bool| {
            lazy_global::define(&ctx, name, make, enumerable)
        })?,
    )?;
    // lazyGlobals(names, make, enumerable): several at once, `make(name)` making each.
    native.set(
        "lazyGlobals",
        Function::new(ctx.clone(), |ctx: Ctx<'js>, names: Vec<String>, make: Function<'js>, enumerable: bool| {
            names.into_iter().try_for_each(|name| lazy_global::define(&ctx, name, make.clone(), enumerable))
        })?,
    )?;
    native.set(
        "resolve",
        Function::new(ctx.clone(), |ctx: Ctx<'js>, spec: String, base: String, for_import: rquickjs::function::Opt<bool>| {
            use crate::modules::resolve::{resolve, Kind};
            let kind = if for_import.0 == Some(true) { Kind::Import } else { Kind::Require };
            resolve(&spec, &base, kind).map(|r| r.key()).map_err(|e| {
                // require()'s "not found" is MODULE_NOT_FOUND (import's ERR_MODULE_NOT_FOUND).
                let code = if e.code == "ERR_MODULE_NOT_FOUND" && kind == Kind::Require { "MODULE_NOT_FOUND" } else { e.code };
                throw(&ctx, "Error", &e.message, Some(code))
            })
        })?,
    )?;
    native.set(
        "isEsmFile",
        Function::new(ctx.clone(), |ctx: Ctx<'js>, file: String, src: String| {
            crate::modules::format::of_file(&ctx, std::path::Path::new(&file), &src) == crate::modules::format::Format::Esm
        })?,
    )?;
    native.set(
        "importModule",
        Function::new(ctx.clone(), |ctx: Ctx<'js>, key: String| rquickjs::Module::import(&ctx, key))?,
    )?;
    native.set(
        "promiseState",
        Function::new(ctx.clone(), |ctx: Ctx<'js>, p: rquickjs::Promise<'js>| {
            use rquickjs::promise::PromiseState;
            let arr = rquickjs::Array::new(ctx.clone())?;
            match p.state() {
                PromiseState::Pending => arr.set(0, 0)?,
                PromiseState::Resolved => {
                    arr.set(0, 1)?;
                    arr.set(1, p.result::<Value>().and_then(|r| r.ok()))?;
                }
                PromiseState::Rejected => {
                    arr.set(0, 2)?;
                    let v = match p.result::<Value>() {
                        Some(Err(rquickjs::Error::Exception)) => ctx.catch(),
                        Some(Ok(v)) => v,
                        _ => Value::new_undefined(ctx.clone()),
                    };
                    arr.set(1, v)?;
                }
            }
            Ok::<_, rquickjs::Error>(arr)
        })?,
    )?;
    Ok(())
}

/// Evaluates the JS bootstrap with the native object; returns the hooks the event loop calls.
pub fn bootstrap<'js>(ctx: &Ctx<'js>, argv: Vec<String>) -> rquickjs::Result<Object<'js>> {
    let native = native_object(ctx, argv)?;
    let f = match precompiled(ctx, "bootstrap") {
        Some(f) => f,
        None => compile_function(ctx, JS_SOURCES[0].1, "jsrt:bootstrap", &["native"])?,
    };
    f.call((native,))
}
