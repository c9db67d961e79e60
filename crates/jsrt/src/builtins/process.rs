//! Natives for `process`, `console` output and the event loop: stdio writes, exit, cwd, env,
//! high-resolution time, timer wake-ups and microtask draining.

use std::io::Write;
use std::time::Duration;

use rquickjs::{Ctx, Function, Object};

use crate::event_loop;

fn write_fd(fd: i32, data: &[u8]) {
    // Errors (a closed pipe) are ignored like Node ignores EPIPE on stdout by default.
    if fd == 2 {
        let _ = std::io::stderr().lock().write_all(data);
    } else {
        let mut out = std::io::stdout().lock();
        let _ = out.write_all(data);
    }
}

pub fn install<'js>(ctx: &Ctx<'js>, native: &Object<'js>, argv: Vec<String>) -> rquickjs::Result<()> {
    let c = || ctx.clone();
    install_stdio(ctx, native)?;
    install_clocks_and_loop(ctx, native)?;
    native.set("exit", Function::new(c(), |ctx: Ctx<'js>, code: i32| crate::workers::exit_thread(&ctx, code))?)?;
    native.set("argv", argv)?;
    native.set(
        "execPath",
        std::env::current_exe().map(|p| p.to_string_lossy().into_owned()).unwrap_or_default(),
    )?;
    native.set("pid", std::process::id())?;
    native.set(
        "availableParallelism",
        Function::new(c(), || std::thread::available_parallelism().map_or(1, |n| n.get() as u32))?,
    )?;
    native.set("ppid", std::os::unix::process::parent_id())?;
    // SAFETY: getuid/geteuid/getgid/getegid take no arguments, cannot fail and touch no memory.
    let ids = unsafe { [libc::getuid(), libc::geteuid(), libc::getgid(), libc::getegid()] };
    native.set("ids", ids.to_vec())?;
    native.set(
        "groups",
        Function::new(c(), || -> Vec<u32> {
            // SAFETY: the first call (size 0, null list) only counts the groups; the second
            // writes at most `list.len()` entries into `list`, which holds that many.
            unsafe {
                let n = libc::getgroups(0, std::ptr::null_mut());
                let mut list = vec![0 as libc::gid_t; n.max(0) as usize];
                let n = libc::getgroups(list.len() as i32, list.as_mut_ptr());
                list.truncate(n.max(0) as usize);
                list
            }
        })?,
    )?;
    native.set("platform", std::env::consts::OS)?;
    native.set(
        "arch",
        match std::env::consts::ARCH {
            "x86_64" => "x64",
            "aarch64" => "arm64",
            "x86" => "ia32",
            other => other,
        },
    )?;
    native.set("version", env!("CARGO_PKG_VERSION"))?;
    let env = Object::new(c())?;
    for (k, v) in std::env::vars_os() {
        env.set(k.to_string_lossy().as_ref(), v.to_string_lossy().as_ref())?;
    }
    native.set("env", env)?;
    native.set(
        "cwd",
        Function::new(c(), || {
            std::env::current_dir().map(|p| p.to_string_lossy().into_owned()).unwrap_or_default()
        })?,
    )?;
    native.set(
        "chdir",
        Function::new(c(), |ctx: Ctx<'js>, dir: String| {
            std::env::set_current_dir(&dir).map_err(|e| {
                super::throw(&ctx, "Error", &format!("{e}, chdir '{dir}'"), Some("ENOENT"))
            })
        })?,
    )?;
    Ok(())
}

/// Standard input and output: `write`, `flush`, `readStdinAsync`, `stdinKeepAlive`, `isTTY`, `readStdin`.
fn install_stdio<'js>(ctx: &Ctx<'js>, native: &Object<'js>) -> rquickjs::Result<()> {
    let c = || ctx.clone();
    native.set(
        "write",
        Function::new(c(), |fd: i32, s: rquickjs::Value<'js>| {
            if let Some(view) = super::bytes::ByteView::of(&s) {
                write_fd(fd, view.as_slice());
            } else if let Some(s) = s.as_string() {
                write_fd(fd, s.to_string()?.as_bytes());
            }
            rquickjs::Result::Ok(())
        })?,
    )?;
    native.set("flush", Function::new(c(), || {
        let _ = std::io::stdout().flush();
    })?)?;
    // readStdinAsync(max) -> [op id, promise of the bytes read (empty at end of input)]: one read
    // of fd 0 on the blocking pool; stdinKeepAlive(id, bool) says whether the loop waits for it
    // (process.stdin unrefs its pending read when paused, so a program can end).
    native.set("readStdinAsync", Function::new(c(), |ctx: Ctx<'js>, max: usize| {
        let (id, promise) = crate::event_loop::spawn_blocking_op(&ctx, move || {
            use std::io::Read;
            let mut buf = vec![0u8; max.clamp(1, 1 << 20)];
            let r = loop {
                match std::io::stdin().lock().read(&mut buf) {
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                    other => break other,
                }
            };
            Box::new(move |ctx: &Ctx<'_>| match r {
                Ok(n) => {
                    buf.truncate(n);
                    super::bytes::uint8array(ctx, buf)
                }
                Err(e) => Err(super::throw(ctx, "Error", &format!("read stdin: {e}"), Some("EIO"))),
            })
        })?;
        let arr = rquickjs::Array::new(ctx.clone())?;
        arr.set(0, id as f64)?;
        arr.set(1, promise)?;
        Ok::<_, rquickjs::Error>(arr)
    })?)?;
    native.set("stdinKeepAlive", Function::new(c(), |id: f64, keep: bool| crate::event_loop::set_keep_alive(id as u64, keep))?)?;
    native.set("isTTY", Function::new(c(), |fd: i32| {
        use std::io::IsTerminal;
        match fd {
            0 => std::io::stdin().is_terminal(),
            1 => std::io::stdout().is_terminal(),
            2 => std::io::stderr().is_terminal(),
            _ => false,
        }
    })?)?;
    native.set(
        "readStdin",
        Function::new(c(), || {
            let mut s = String::new();
            let _ = std::io::Read::read_to_string(&mut std::io::stdin(), &mut s);
            s
        })?,
    )?;
    Ok(())
}

/// Clocks and the event loop: `now`, `timeOrigin`, `hrtime`, `hrtimeBigint`, `setTimer`, `setImmediatePending`, `drainJobs`, `addRef`; memory: `memoryUsage`, `gc`.
fn install_clocks_and_loop<'js>(ctx: &Ctx<'js>, native: &Object<'js>) -> rquickjs::Result<()> {
    let c = || ctx.clone();
    // Milliseconds since the loop started (performance.now()).
    native.set(
        "now",
        Function::new(c(), || event_loop::start_instant().elapsed().as_secs_f64() * 1000.0)?,
    )?;
    native.set(
        "timeOrigin",
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs_f64() * 1000.0)
            .unwrap_or(0.0)
            - event_loop::start_instant().elapsed().as_secs_f64() * 1000.0,
    )?;
    // Monotonic nanoseconds as [seconds, nanoseconds] (process.hrtime).
    native.set(
        "hrtime",
        Function::new(c(), || {
            let d = hr_now();
            vec![d.as_secs() as f64, d.subsec_nanos() as f64]
        })?,
    )?;
    native.set(
        "hrtimeBigint",
        Function::new(c(), |ctx: Ctx<'js>| {
            rquickjs::BigInt::from_u64(ctx, hr_now().as_nanos() as u64)
        })?,
    )?;
    native.set(
        "setTimer",
        Function::new(c(), |delay: f64, keep_alive: bool| {
            let d = if delay < 0.0 { None } else { Some(Duration::from_secs_f64(delay / 1000.0)) };
            event_loop::set_timer(d, keep_alive);
        })?,
    )?;
    native.set(
        "setImmediatePending",
        Function::new(c(), |pending: bool| event_loop::set_immediate_pending(pending))?,
    )?;
    native.set("drainJobs", Function::new(c(), |ctx: Ctx<'js>| event_loop::drain_jobs(&ctx))?)?;
    native.set("addRef", Function::new(c(), |delta: i32| event_loop::add_ref(delta as isize))?)?;
    native.set(
        "memoryUsage",
        Function::new(c(), || {
            // resident set size from /proc (Linux); 0 elsewhere.
            let rss = std::fs::read_to_string("/proc/self/statm")
                .ok()
                .and_then(|s| s.split_whitespace().nth(1).and_then(|v| v.parse::<f64>().ok()))
                .map(|pages| pages * 4096.0)
                .unwrap_or(0.0);
            rss
        })?,
    )?;
    native.set(
        "gc",
        Function::new(c(), |ctx: Ctx<'js>| {
            // SAFETY: a full GC is allowed at any point JS may call a native.
            unsafe { rquickjs::qjs::JS_RunGC(rquickjs::qjs::JS_GetRuntime(ctx.as_raw().as_ptr())) }
        })?,
    )?;
    Ok(())
}

fn hr_now() -> Duration {
    static START: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();
    // An arbitrary fixed origin like Node's (process.hrtime is relative to an unspecified past).
    START.get_or_init(std::time::Instant::now).elapsed() + Duration::from_secs(1)
}

