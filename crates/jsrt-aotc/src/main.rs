//! `jsrt-aotc`: compiles a WebAssembly module to WAMR's ahead-of-time format for jsrt's
//! compiled tier (`crates/jsrt-wasm/src/compiled/`). A process of its own, so that LLVM
//! (about 30 ms to load, and large) never enters jsrt's start-up, and a module that crashes
//! the compiler costs a fallback to the interpreter, not the program.
//!
//! Usage: `jsrt-aotc [--opt-level N] [--max-seconds S] [--cache DIR --key HEX --max-bytes N]
//! < module.wasm > module.aot`. Exit status 0 with the AOT file on stdout; 1 with the
//! compiler's message on stderr; 2 for a usage error; 3 when another process holds the
//! cache's lock for this key; 4 when the code is on stdout but the cache could not be
//! written; 5 when it gave up because the machine was too busy (below).
//!
//! `--max-seconds` counts processor time: a module that takes LLVM longer is recorded as
//! failed. A busy machine only slows the compilation down (it runs at nice 10), so the clock
//! on the wall counts only to give up after four times as long, without recording anything:
//! the next run tries again.
//!
//! With `--cache`, the result is also stored in the code cache under the key (or, when the
//! compilation fails or takes over `--max-seconds`, the failure is), and the process does not
//! end with the jsrt that started it: a long compilation is kept for the next run. Without it,
//! the process ends when its parent does. Either way it runs at a lower priority (nice 10),
//! since it competes with the program that waits for it.

use std::ffi::{c_char, CStr};
use std::io::{Read, Write};
use std::os::fd::AsFd;
use std::process::ExitCode;

extern "C" {
    /// wamr/compile.c.
    fn jsrt_aot_compile(wasm: *mut u8, wasm_size: u32, opt_level: u32, out: *mut *mut u8, out_size: *mut u32, err: *mut c_char, err_size: u32) -> i32;
}

/// Ends this process when the thread that started it (in jsrt) ends: a compilation nobody
/// waits for any more (jsrt exited) does not run on.
fn die_with_parent() {
    // SAFETY: plain system calls with integer arguments.
    unsafe {
        libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL, 0, 0, 0);
        // The parent may have gone before the request took effect.
        if libc::getppid() == 1 {
            std::process::exit(1);
        }
    }
}

/// Works in a directory of its own under the system's temporary directory: WAMR's compiler
/// writes a stack-usage file into the working directory (`wamrc-su-*.su`, removed when a
/// compilation ends, left behind when jsrt stops one). Directories of processes that are gone
/// are removed first.
fn enter_work_dir() -> Option<std::path::PathBuf> {
    let tmp = std::env::temp_dir();
    if let Ok(entries) = std::fs::read_dir(&tmp) {
        for e in entries.flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            if let Some(pid) = name.strip_prefix("jsrt-aotc-").and_then(|p| p.parse::<u32>().ok()) {
                if !std::path::Path::new(&format!("/proc/{pid}")).exists() {
                    let _ = std::fs::remove_dir_all(e.path());
                }
            }
        }
    }
    let dir = tmp.join(format!("jsrt-aotc-{}", std::process::id()));
    std::fs::create_dir_all(&dir).ok()?;
    std::env::set_current_dir(&dir).ok()?;
    Some(dir)
}

fn main() -> ExitCode {
    let work_dir = enter_work_dir();
    let status = run();
    if let Some(dir) = work_dir {
        let _ = std::env::set_current_dir(std::env::temp_dir());
        let _ = std::fs::remove_dir_all(dir);
    }
    status
}

/// The command line.
struct Args {
    opt_level: u32,
    max_seconds: u64,
    cache: Option<(std::path::PathBuf, jsrt_codecache::Key, u64)>,
}

fn run() -> ExitCode {
    let args = match parse_args(std::env::args().skip(1)) {
        Ok(a) => a,
        Err(message) => {
            eprintln!("jsrt-aotc: {message}\nusage: jsrt-aotc [--opt-level 0-3] [--max-seconds S] [--cache DIR --key HEX --max-bytes N] < module.wasm > module.aot");
            return ExitCode::from(2);
        }
    };
    if args.cache.is_none() {
        die_with_parent();
    }
    lower_priority();
    let mut out = match keep_stdout_for_the_result() {
        Ok(out) => out,
        Err(e) => return fail(&format!("{e}"), None),
    };
    let mut wasm = Vec::new();
    if let Err(e) = std::io::stdin().read_to_end(&mut wasm) {
        return fail(&format!("reading the module: {e}"), None);
    }
    // The lock: one compilation per key at a time across processes.
    let mut cache_ok = true;
    let _lock = match &args.cache {
        Some((dir, key, _)) => match jsrt_codecache::lock(dir, key, std::time::Duration::from_secs(WALL_FACTOR * args.max_seconds + 60)) {
            Ok(Some(lock)) => Some(lock),
            Ok(None) => return ExitCode::from(3),
            Err(e) => {
                eprintln!("jsrt-aotc: {e}");
                cache_ok = false;
                None
            }
        },
        None => None,
    };
    let cache = args.cache.as_ref().filter(|_| cache_ok);
    let code = match compile_within(wasm, args.opt_level, args.max_seconds) {
        Ok(code) => code,
        Err(Failed::Compiling(message)) => return fail(&message, cache),
        Err(Failed::GaveUp(message)) => {
            eprintln!("jsrt-aotc: {message}");
            return ExitCode::from(EXIT_GAVE_UP);
        }
    };
    if let Some((dir, key, max_bytes)) = cache {
        if let Err(e) = jsrt_codecache::write(dir, key, code, *max_bytes) {
            eprintln!("jsrt-aotc: {e}");
            cache_ok = false;
        }
    }
    // The parent may be gone (a compilation kept for the next run): nobody reads stdout then.
    let _ = out.write_all(code).and_then(|()| out.flush());
    if cache_ok { ExitCode::SUCCESS } else { ExitCode::from(4) }
}

/// Says why the compilation failed, records it in the cache (so that this version does not
/// try again), and returns the failure's exit status.
fn fail(message: &str, cache: Option<&(std::path::PathBuf, jsrt_codecache::Key, u64)>) -> ExitCode {
    eprintln!("jsrt-aotc: {message}");
    if let Some((dir, key, _)) = cache {
        let _ = jsrt_codecache::write_failure(dir, key, message);
    }
    ExitCode::from(1)
}

/// The exit status when the compilation was given up for the wall clock (not recorded).
const EXIT_GAVE_UP: u8 = 5;
/// How many times `--max-seconds` of wall-clock time a compilation may take.
const WALL_FACTOR: u64 = 4;

/// Why a compilation ended without code.
enum Failed {
    /// The module's own doing (an error, or more processor time than allowed): recorded.
    Compiling(String),
    /// The machine's (too little processor time for it): not recorded.
    GaveUp(String),
}

/// Compiles on a thread of its own, giving up after `max_seconds` of processor time or
/// `WALL_FACTOR` times as many on the clock (LLVM cannot be stopped: the process exits right
/// after).
fn compile_within(mut wasm: Vec<u8>, opt_level: u32, max_seconds: u64) -> Result<&'static [u8], Failed> {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(compile(&mut wasm, opt_level));
    });
    let started = std::time::Instant::now();
    loop {
        match rx.recv_timeout(std::time::Duration::from_millis(250)) {
            Ok(result) => return result.map_err(Failed::Compiling),
            Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => return Err(Failed::Compiling("the compiler's thread ended".into())),
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {}
        }
        if processor_seconds() > max_seconds as f64 {
            return Err(Failed::Compiling(format!("compiling took over {max_seconds} s of processor time")));
        }
        if started.elapsed().as_secs() > WALL_FACTOR * max_seconds {
            return Err(Failed::GaveUp(format!("gave up after {} s: the machine is too busy (not recorded; the next run tries again)", started.elapsed().as_secs())));
        }
    }
}

/// The processor time this process has used, in seconds.
fn processor_seconds() -> f64 {
    let mut ts = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: a plain system call writing into `ts`, which lives across it.
    if unsafe { libc::clock_gettime(libc::CLOCK_PROCESS_CPUTIME_ID, &mut ts) } != 0 {
        return 0.0;
    }
    ts.tv_sec as f64 + ts.tv_nsec as f64 / 1e9
}

/// nice 10: the compiler competes with the program that runs meanwhile. And at most 4 GiB of
/// address space: LLVM's memory grows with a module's size, and a hostile module must not
/// take the machine's memory (an allocation that fails ends the process: jsrt records the
/// failure and the module stays interpreted).
fn lower_priority() {
    let limit = libc::rlimit { rlim_cur: 4 << 30, rlim_max: 4 << 30 };
    // SAFETY: plain system calls on this process (who 0 = self); `limit` lives across the call.
    unsafe {
        libc::setpriority(libc::PRIO_PROCESS, 0, 10);
        libc::setrlimit(libc::RLIMIT_AS, &limit);
    }
}

/// A handle on the process's stdout for the AOT file; file descriptor 1 itself then points at
/// /dev/null, since WAMR's compiler prints what it does there ("Create AoT compiler with: ...").
fn keep_stdout_for_the_result() -> std::io::Result<std::fs::File> {
    use std::os::fd::AsRawFd;
    let result = std::fs::File::from(std::io::stdout().as_fd().try_clone_to_owned()?);
    let null = std::fs::File::options().write(true).open("/dev/null")?;
    // SAFETY: both are open descriptors of this process; dup2 replaces descriptor 1 only
    // (`result` holds its own duplicate of the original stdout).
    if unsafe { libc::dup2(null.as_raw_fd(), 1) } < 0 {
        return Err(std::io::Error::last_os_error());
    }
    Ok(result)
}

fn parse_args(mut args: impl Iterator<Item = String>) -> Result<Args, String> {
    let mut parsed = Args { opt_level: 3, max_seconds: 300, cache: None };
    let (mut dir, mut key, mut max_bytes) = (None, None, jsrt_codecache::DEFAULT_MAX_BYTES);
    while let Some(arg) = args.next() {
        let mut value = || args.next().ok_or(format!("{arg} takes a value"));
        match arg.as_str() {
            "--opt-level" => parsed.opt_level = value()?.parse().ok().filter(|l| *l <= 3).ok_or("--opt-level takes 0 to 3")?,
            "--max-seconds" => parsed.max_seconds = value()?.parse().ok().filter(|s| *s > 0).ok_or("--max-seconds takes a positive number")?,
            "--cache" => dir = Some(std::path::PathBuf::from(value()?)),
            "--key" => key = Some(jsrt_codecache::Key::from_hex(&value()?).ok_or("--key takes 64 hex digits")?),
            "--max-bytes" => max_bytes = value()?.parse().map_err(|_| "--max-bytes takes a number")?,
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    parsed.cache = match (dir, key) {
        (Some(d), Some(k)) => Some((d, k, max_bytes)),
        (None, None) => None,
        _ => return Err("--cache and --key go together".into()),
    };
    Ok(parsed)
}

/// The module compiled, in memory WAMR owns until the process ends.
fn compile(wasm: &mut [u8], opt_level: u32) -> Result<&'static [u8], String> {
    let size = u32::try_from(wasm.len()).map_err(|_| "the module is over 4 GiB".to_string())?;
    let mut out: *mut u8 = std::ptr::null_mut();
    let mut out_size = 0u32;
    let mut err = [0 as c_char; 512];
    // SAFETY: `wasm` is a live, writable buffer of `size` bytes (WAMR's loader may rewrite
    // it in place); `out`/`out_size` are valid places for the result; `err` holds `err.len()`
    // bytes and the C side NUL-terminates what it writes there.
    let ok = unsafe { jsrt_aot_compile(wasm.as_mut_ptr(), size, opt_level, &mut out, &mut out_size, err.as_mut_ptr(), err.len() as u32) };
    if ok == 0 || out.is_null() {
        // SAFETY: NUL-terminated by the C side (or still all zeros).
        return Err(unsafe { CStr::from_ptr(err.as_ptr()) }.to_string_lossy().into_owned());
    }
    // SAFETY: WAMR allocated `out_size` bytes at `out` and never frees them (compile.c leaves
    // the runtime up until the process exits).
    Ok(unsafe { std::slice::from_raw_parts(out, out_size as usize) })
}
