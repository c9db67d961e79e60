//! Natives of `jsrt:child_process` (`js/child_process.js`): a program with arguments, working
//! directory, environment and stdio (`pipe`, `inherit`, `ignore`) run and waited for on the
//! calling thread (`run`, the `*Sync` forms: output collected whole); `kill` sends a signal.
//! Children that run while JS talks to them (`spawn`) are `child_live.rs`'s.

use std::io::Write;
use std::process::{Command, Stdio};

use rquickjs::{Ctx, Function, Object, Value};

use super::bytes::ByteView;

/// What JS asked for: program, arguments and options.
pub(super) struct Spec {
    file: String,
    args: Vec<String>,
    cwd: Option<String>,
    env: Option<Vec<(String, String)>>,
    stdio: [String; 3],
    input: Option<Vec<u8>>,
    timeout_ms: Option<u64>,
    kill_signal: i32,
}

/// How it ended.
struct Outcome {
    pid: u32,
    status: Option<i32>,
    signal: Option<i32>,
    stdout: Vec<u8>,
    stderr: Vec<u8>,
    /// A start failure: (errno name, errno).
    error: Option<(&'static str, i32)>,
    timed_out: bool,
}

fn stdio(kind: &str) -> Stdio {
    match kind {
        "inherit" => Stdio::inherit(),
        "ignore" => Stdio::null(),
        _ => Stdio::piped(),
    }
}

pub(super) fn errno_name(e: &std::io::Error) -> (&'static str, i32) {
    let n = e.raw_os_error().unwrap_or(0);
    let name = match n {
        libc::ENOENT => "ENOENT",
        libc::EACCES => "EACCES",
        libc::ENOTDIR => "ENOTDIR",
        libc::E2BIG => "E2BIG",
        libc::ENOEXEC => "ENOEXEC",
        _ => "EIO",
    };
    (name, -n)
}

pub(super) fn command_of(spec: &Spec) -> Command {
    let mut cmd = Command::new(&spec.file);
    cmd.args(&spec.args);
    if let Some(dir) = &spec.cwd {
        cmd.current_dir(dir);
    }
    if let Some(env) = &spec.env {
        cmd.env_clear().envs(env.iter().map(|(k, v)| (k, v)));
    }
    cmd.stdin(if spec.input.is_some() { Stdio::piped() } else { stdio(&spec.stdio[0]) });
    cmd.stdout(stdio(&spec.stdio[1]));
    cmd.stderr(stdio(&spec.stdio[2]));
    cmd
}

fn failed(e: &std::io::Error) -> Outcome {
    Outcome { pid: 0, status: None, signal: None, stdout: Vec::new(), stderr: Vec::new(), error: Some(errno_name(e)), timed_out: false }
}

/// How a started (or failed) program ended: waits for it as `spec` says.
fn wait(child: std::io::Result<std::process::Child>, spec: Spec) -> Outcome {
    match child {
        Ok(child) => finish(child, spec.input, spec.timeout_ms, spec.kill_signal),
        Err(e) => failed(&e),
    }
}

/// Waits for `child`, feeding it `input`, killing it after `timeout_ms`.
fn finish(mut child: std::process::Child, input: Option<Vec<u8>>, timeout_ms: Option<u64>, kill_signal: i32) -> Outcome {
    use std::os::unix::process::ExitStatusExt;
    let pid = child.id();
    if let (Some(bytes), Some(mut stdin)) = (input, child.stdin.take()) {
        // A writer thread: a child that writes a lot before reading its input must not block us.
        std::thread::spawn(move || {
            let _ = stdin.write_all(&bytes);
        });
    }
    let timed_out = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    if let Some(ms) = timeout_ms.filter(|ms| *ms > 0) {
        let flag = timed_out.clone();
        std::thread::spawn(move || {
            std::thread::sleep(std::time::Duration::from_millis(ms));
            flag.store(true, std::sync::atomic::Ordering::SeqCst);
            // SAFETY: kill(2) with the child's pid; if it has exited already and the pid was
            // reaped, the signal goes nowhere (ESRCH) — the window is the usual one of Node's.
            unsafe { libc::kill(pid as i32, kill_signal) };
        });
    }
    match child.wait_with_output() {
        Ok(out) => Outcome {
            pid,
            status: out.status.code(),
            signal: out.status.signal(),
            stdout: out.stdout,
            stderr: out.stderr,
            error: None,
            timed_out: timed_out.load(std::sync::atomic::Ordering::SeqCst),
        },
        Err(e) => failed(&e),
    }
}

pub(super) fn spec_from<'js>(file: String, args: Vec<String>, opts: &Object<'js>) -> rquickjs::Result<Spec> {
    let env: Option<Object> = opts.get("env")?;
    let env = match env {
        Some(o) => {
            let mut pairs = Vec::new();
            for k in o.keys::<String>() {
                let k = k?;
                let v: Value = o.get(&k)?;
                if v.is_undefined() {
                    continue;
                }
                let v: rquickjs::Coerced<String> = o.get(&k)?;
                pairs.push((k, v.0));
            }
            Some(pairs)
        }
        None => None,
    };
    let stdio: Vec<String> = opts.get::<_, Option<Vec<String>>>("stdio")?.unwrap_or_default();
    let at = |i: usize| stdio.get(i).cloned().unwrap_or_else(|| "pipe".into());
    let input: Value = opts.get("input")?;
    Ok(Spec {
        file,
        args,
        cwd: opts.get("cwd")?,
        env,
        stdio: [at(0), at(1), at(2)],
        input: ByteView::of(&input).map(|v| v.to_vec()).or_else(|| input.as_string().and_then(|s| s.to_string().ok()).map(String::into_bytes)),
        timeout_ms: opts.get::<_, Option<f64>>("timeout")?.map(|t| t as u64),
        kill_signal: opts.get::<_, Option<i32>>("killSignal")?.unwrap_or(libc::SIGTERM),
    })
}

fn outcome_to_js<'js>(ctx: &Ctx<'js>, o: Outcome) -> rquickjs::Result<Value<'js>> {
    let r = Object::new(ctx.clone())?;
    r.set("pid", o.pid)?;
    r.set("status", o.status)?;
    r.set("signal", o.signal)?;
    r.set("stdout", super::bytes::uint8array(ctx, o.stdout)?)?;
    r.set("stderr", super::bytes::uint8array(ctx, o.stderr)?)?;
    r.set("timedOut", o.timed_out)?;
    if let Some((code, errno)) = o.error {
        r.set("errorCode", code)?;
        r.set("errno", errno)?;
    }
    Ok(r.into_value())
}

pub fn install<'js>(ctx: &Ctx<'js>, native: &Object<'js>) -> rquickjs::Result<()> {
    let cp = Object::new(ctx.clone())?;
    // run(file, args, options) -> outcome: start and wait on this thread (the *Sync forms).
    cp.set(
        "run",
        Function::new(ctx.clone(), |ctx: Ctx<'js>, file: String, args: Vec<String>, opts: Object<'js>| {
            let spec = spec_from(file, args, &opts)?;
            let child = command_of(&spec).spawn();
            outcome_to_js(&ctx, wait(child, spec))
        })?,
    )?;
    // kill(pid, signal number) -> whether the signal was sent.
    cp.set(
        "kill",
        Function::new(ctx.clone(), |pid: i32, signal: i32| {
            // SAFETY: kill(2) on a pid this runtime started; errors are reported as false.
            pid > 0 && unsafe { libc::kill(pid, signal) } == 0
        })?,
    )?;
    super::child_live::install(ctx, &cp)?;
    native.set("childProcess", cp)?;
    Ok(())
}
