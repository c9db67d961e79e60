//! The JS runtime: creates QuickJS's runtime and context, installs the builtins and the module
//! loader, runs the entry point (file, `-e`, `-p`, stdin) and then the event loop, and owns
//! process exit (flushing output and the exit code).

use std::io::Write;
use std::path::Path;

use rquickjs::{CatchResultExt, Context, Ctx, Module, Persistent, Runtime, Value};

use crate::cli::{Action, Options};
use crate::{builtins, event_loop, modules};

/// QuickJS's own stack limit for JS recursion (the main thread has 8 MiB).
const JS_STACK_LIMIT: usize = 4 << 20;

/// Writes the CPU profile (`--cpu-prof`), flushes stdout/stderr and ends the process.
pub fn exit(code: i32) -> ! {
    crate::profiler::finish();
    let _ = std::io::stdout().flush();
    let _ = std::io::stderr().flush();
    std::process::exit(code)
}

/// Prints an uncaught error without help from JS (used when the JS reporter itself fails).
pub fn print_fatal_fallback(ctx: &Ctx<'_>, err: &Value<'_>) {
    let text = describe_error(ctx, err);
    let _ = writeln!(std::io::stderr(), "Uncaught {text}");
}

/// `name: message\n stack` for errors, `String(value)` otherwise.
pub fn describe_error(_ctx: &Ctx<'_>, err: &Value<'_>) -> String {
    if let Some(obj) = err.as_object() {
        let name: Option<String> = obj.get("name").ok();
        let message: Option<String> = obj.get("message").ok();
        let stack: Option<String> = obj.get("stack").ok();
        if let Some(message) = message {
            let mut s = format!("{}: {}", name.unwrap_or_else(|| "Error".into()), message);
            if let Some(stack) = stack {
                s.push('\n');
                s.push_str(stack.trim_end());
            }
            return s;
        }
    }
    err.as_string()
        .and_then(|s| s.to_string().ok())
        .unwrap_or_else(|| format!("{err:?}"))
}

/// Runs the program described by `opts`; returns the process exit code.
pub fn run(opts: Options) -> i32 {
    let tokio_rt = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .max_blocking_threads(8)
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("jsrt: cannot start the event loop: {e}");
            return 1;
        }
    };
    tokio_rt.block_on(run_async(opts))
}

async fn run_async(opts: Options) -> i32 {
    let main_file = match &opts.action {
        Action::Run { file } => Some(absolute(file)),
        _ => None,
    };
    let (_rt, context) = match setup(&opts, main_file.as_deref()) {
        Ok(pair) => pair,
        Err(code) => return code,
    };
    crate::webassembly::stack::set_source_map_dirs(main_file.as_deref());
    context.with(|ctx| start(&ctx, &opts, main_file.as_deref()));
    event_loop::run(&context, true).await;
    let code = context.with(|ctx| {
        event_loop::hook::<_, i32>(&ctx, "exit", ()).unwrap_or_else(|e| {
            let err = event_loop::caught(&ctx, e);
            print_fatal_fallback(&ctx, &err);
            1
        })
    });
    // Skip tearing down QuickJS: the OS reclaims memory faster, and objects still referenced
    // from native state (timers, pending operations) would trip its leak assertions.
    exit(code)
}

/// Creates the QuickJS runtime and context with the loader, rejection tracking and builtins.
/// `main_file` becomes `process.argv[1]`.
pub fn setup(opts: &Options, main_file: Option<&str>) -> Result<(Runtime, Context), i32> {
    if let Err(msg) = crate::webassembly::configure(&opts.wasm) {
        eprintln!("jsrt: {msg}");
        return Err(9);
    }
    let argv0 = std::env::current_exe().map(|p| p.to_string_lossy().into_owned()).unwrap_or_else(|_| "jsrt".into());
    let mut argv = vec![argv0];
    if let Some(f) = main_file {
        argv.push(f.to_string());
    }
    argv.extend(opts.args.iter().cloned());
    create_with(argv, |rt, context| {
        if let Some(prof) = &opts.cpu_prof {
            crate::profiler::start(rt, context, prof);
        }
    })
}

/// A QuickJS runtime and context with the loader, rejection tracking and builtins, for a
/// thread of its own (the main thread's is made by [`setup`], a worker's here).
pub fn create(argv: Vec<String>) -> Result<(Runtime, Context), i32> {
    create_with(argv, |_, _| {})
}

/// [`create`], calling `before_js` once the context exists and before any JS runs in it.
fn create_with(argv: Vec<String>, before_js: impl FnOnce(&Runtime, &Context)) -> Result<(Runtime, Context), i32> {
    let rt = Runtime::new().map_err(|e| {
        eprintln!("jsrt: cannot create the JavaScript runtime: {e}");
        1
    })?;
    rt.set_max_stack_size(JS_STACK_LIMIT);
    rt.set_loader(modules::loader::JsrtResolver, modules::loader::JsrtLoader);
    rt.set_host_promise_rejection_tracker(Some(Box::new(|ctx, promise, reason, handled| {
        event_loop::track_rejection(&ctx, promise, reason, handled)
    })));
    let context = Context::full(&rt).map_err(|e| {
        eprintln!("jsrt: cannot create the JavaScript context: {e}");
        1
    })?;
    event_loop::init();
    before_js(&rt, &context);
    let ok = context.with(|ctx| {
        // SAFETY: the context's live runtime, before any JS runs in it.
        unsafe { builtins::sab::install(rquickjs::qjs::JS_GetRuntime(ctx.as_raw().as_ptr())) };
        match builtins::bootstrap(&ctx, argv) {
            Ok(hooks) => {
                event_loop::set_hooks(Persistent::save(&ctx, hooks));
                true
            }
            Err(e) => {
                let err = event_loop::caught(&ctx, e);
                print_fatal_fallback(&ctx, &err);
                false
            }
        }
    });
    if ok {
        Ok((rt, context))
    } else {
        Err(1)
    }
}

fn absolute(file: &str) -> String {
    let p = Path::new(file);
    let abs = if p.is_absolute() {
        p.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(p)
    };
    modules::resolve::normalize(&abs).to_string_lossy().into_owned()
}

/// Starts the entry point; an error in it is reported as an uncaught exception.
fn start(ctx: &Ctx<'_>, opts: &Options, main_file: Option<&str>) {
    if opts.expose_gc {
        let gc = rquickjs::Function::new(ctx.clone(), |ctx: Ctx<'_>| {
            // SAFETY: a full GC is allowed at any point JS may call a native.
            unsafe { rquickjs::qjs::JS_RunGC(rquickjs::qjs::JS_GetRuntime(ctx.as_raw().as_ptr())) }
        });
        if let Ok(gc) = gc {
            let _ = ctx.globals().set("gc", gc);
        }
    }
    let result = match &opts.action {
        Action::Run { .. } => {
            let file = main_file.expect("run has a file");
            run_file(ctx, file)
        }
        Action::Eval { code } => run_source(ctx, code, "[eval]", opts.input_module, false),
        Action::Print { code } => run_source(ctx, code, "[eval]", opts.input_module, true),
        Action::Stdin => {
            let mut code = String::new();
            if let Err(e) = std::io::Read::read_to_string(&mut std::io::stdin(), &mut code) {
                eprintln!("jsrt: cannot read standard input: {e}");
                exit(1);
            }
            run_source(ctx, &code, "[stdin]", opts.input_module, false)
        }
        Action::Help | Action::Version | Action::Repl => Ok(()),
    };
    if let Err(e) = result {
        let err = event_loop::caught(ctx, e);
        event_loop::fatal(ctx, err);
    }
}

fn run_file(ctx: &Ctx<'_>, file: &str) -> rquickjs::Result<()> {
    let path = Path::new(file);
    if !path.is_file() {
        let msg = format!("Cannot find module '{file}'");
        let err = builtins::make_error(ctx, "Error", &msg, Some("MODULE_NOT_FOUND"))?;
        return Err(ctx.throw(err));
    }
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
    match ext {
        "mjs" => run_esm(ctx, file, None),
        "wasm" => event_loop::hook(ctx, "runWasm", (file,)),
        "cjs" | "json" => event_loop::hook(ctx, "runMain", (file,)),
        _ => {
            let source = std::fs::read_to_string(path).map_err(|e| {
                let msg = format!("Cannot read '{file}': {e}");
                ctx.throw(
                    builtins::make_error(ctx, "Error", &msg, None)
                        .unwrap_or_else(|_| Value::new_undefined(ctx.clone())),
                )
            })?;
            if modules::format::of_file(ctx, path, &source) == modules::format::Format::Esm {
                run_esm(ctx, file, Some(source))
            } else {
                event_loop::hook(ctx, "runMain", (file,))
            }
        }
    }
}

/// Evaluates an ES module as the entry point; its completion (with top-level await) is
/// watched by JS so a rejection is reported and an unsettled await is detected at exit.
fn run_esm(ctx: &Ctx<'_>, key: &str, source: Option<String>) -> rquickjs::Result<()> {
    let promise = match source {
        Some(src) => {
            let module = modules::loader::declare_esm(ctx, key, src)?;
            let (_, promise) = module.eval()?;
            promise
        }
        None => Module::import(ctx, key)?,
    };
    event_loop::hook(ctx, "watchMain", (promise,))
}

fn run_source(
    ctx: &Ctx<'_>,
    code: &str,
    name: &str,
    module: bool,
    print: bool,
) -> rquickjs::Result<()> {
    if module || (!print && modules::format::detect(ctx, code) == modules::format::Format::Esm) {
        let cwd = std::env::current_dir().unwrap_or_default();
        let key = cwd.join(name).to_string_lossy().into_owned();
        return run_esm(ctx, &key, Some(code.to_string()));
    }
    event_loop::hook(ctx, "runScript", (code, name, print))
}

/// Evaluates `src` in the context for the REPL, catching the error as a value.
pub fn eval_script<'js>(ctx: &Ctx<'js>, src: &str) -> Result<Value<'js>, Value<'js>> {
    let hooks: rquickjs::Result<Value> = event_loop::hook(ctx, "replEval", (src,));
    hooks.catch(ctx).map_err(|e| match e {
        rquickjs::CaughtError::Exception(ex) => ex.into_value(),
        rquickjs::CaughtError::Value(v) => v,
        rquickjs::CaughtError::Error(err) => {
            rquickjs::String::from_str(ctx.clone(), &err.to_string()).unwrap().into_value()
        }
    })
}
