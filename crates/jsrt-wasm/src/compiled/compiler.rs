//! Running the compiler: `jsrt-aotc` (crates/jsrt-aotc) in a process of its own, the module on
//! its stdin and WAMR's AOT file on its stdout. A process, so that LLVM is never loaded into
//! jsrt and a compiler crash costs only the fallback to the interpreter.

use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Where `jsrt-aotc` is: `$JSRT_AOTC`, else next to the running executable (or one directory
/// up, for test binaries in `target/*/deps`).
pub(crate) fn compiler_path() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("JSRT_AOTC").filter(|p| !p.is_empty()) {
        return Some(PathBuf::from(p));
    }
    let exe = std::env::current_exe().ok()?;
    let dir = exe.parent()?;
    [dir.join("jsrt-aotc"), dir.parent()?.join("jsrt-aotc")].into_iter().find(|p| p.is_file())
}

/// The most processor time a compilation may take; then `jsrt-aotc` stops (recording the
/// failure in the cache) and the module stays interpreted: a module LLVM would take minutes
/// over.
pub(crate) const MAX_COMPILE_TIME: Duration = Duration::from_secs(300);
/// The longest a compilation may take on the clock: jsrt-aotc gives up after four times
/// `MAX_COMPILE_TIME` (its `WALL_FACTOR`) on a busy machine, recording nothing, so a later run
/// tries again.
pub(crate) const MAX_COMPILE_WALL: Duration = Duration::from_secs(4 * MAX_COMPILE_TIME.as_secs());

/// jsrt-aotc's exit status when another process holds the compilation's lock.
const EXIT_LOCKED: i32 = 3;
/// jsrt-aotc's exit status when it compiled the module but could not write the cache.
const EXIT_CACHE: i32 = 4;

/// Waits for `child`, killing it after `limit`.
fn wait_at_most(child: &mut Child, limit: Duration) -> Result<std::process::ExitStatus, String> {
    let deadline = Instant::now() + limit;
    loop {
        if let Some(status) = child.try_wait().map_err(|e| format!("waiting for jsrt-aotc: {e}"))? {
            return Ok(status);
        }
        if Instant::now() >= deadline {
            let _ = child.kill();
            let _ = child.wait();
            return Err(format!("jsrt-aotc took over {} s: stopped", limit.as_secs()));
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// The module compiled by `jsrt-aotc`, or why not. With a cache, jsrt-aotc writes the entry
/// (or the failure) itself and outlives this process if need be.
pub(crate) fn compile(wasm: &[u8], cache: Option<&super::Cache>) -> Result<Vec<u8>, String> {
    let path = compiler_path().ok_or("jsrt-aotc was not found next to jsrt (set JSRT_AOTC)")?;
    let mut command = Command::new(&path);
    command.arg("--max-seconds").arg(MAX_COMPILE_TIME.as_secs().to_string());
    if let Some(c) = cache {
        command.arg("--cache").arg(&c.dir).arg("--key").arg(c.key.hex()).arg("--max-bytes").arg(c.max_bytes.to_string());
    }
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run {}: {e}", path.display()))?;
    // The module goes in on a thread of its own, so that neither pipe fills while the other
    // waits.
    let mut stdin = child.stdin.take().expect("piped stdin");
    let input = wasm.to_vec();
    let feeder = std::thread::spawn(move || stdin.write_all(&input));
    let mut stdout = child.stdout.take().expect("piped stdout");
    let reader = std::thread::spawn(move || {
        let mut code = Vec::new();
        stdout.read_to_end(&mut code).map(|_| code)
    });
    let mut stderr = child.stderr.take().expect("piped stderr");
    let errors = std::thread::spawn(move || {
        let mut message = String::new();
        let _ = stderr.read_to_string(&mut message);
        message
    });
    let status = wait_at_most(&mut child, MAX_COMPILE_WALL + Duration::from_secs(10))?;
    let _ = feeder.join();
    let code = reader.join().map_err(|_| "reading jsrt-aotc's output failed".to_string())?.map_err(|e| format!("reading jsrt-aotc's output: {e}"))?;
    let message = errors.join().unwrap_or_default();
    if !status.success() {
        let message = message.trim();
        let message = message.strip_prefix("jsrt-aotc: ").unwrap_or(message);
        if status.code() == Some(EXIT_LOCKED) {
            return Err("another jsrt is compiling it".into());
        }
        if status.code() == Some(EXIT_CACHE) {
            if let Some(c) = cache {
                super::cache::warn(format_args!("cannot write to {}: {message}", c.dir.display()));
            }
            // The code is still good for this process.
            if !code.is_empty() {
                return Ok(code);
            }
        }
        // A compiler killed by a signal (a crash) could not record its failure: record it
        // here, so that this version does not try the module again.
        if status.code().is_none() {
            if let Some(c) = cache {
                let _ = jsrt_codecache::write_failure(&c.dir, &c.key, &format!("jsrt-aotc ended with {status}"));
            }
        }
        return Err(if message.is_empty() { format!("jsrt-aotc ended with {status}") } else { message.to_string() });
    }
    if code.is_empty() {
        return Err("jsrt-aotc wrote nothing".into());
    }
    Ok(code)
}
