//! The `jsrt` command line as a user sees it: flags, exit codes and error output, checked by
//! running the real binary.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

fn jsrt() -> Command {
    Command::new(env!("CARGO_BIN_EXE_jsrt"))
}

fn tmp(name: &str, contents: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("jsrt-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, contents).unwrap();
    p
}

fn run_file(name: &str, contents: &str) -> Output {
    let p = tmp(name, contents);
    jsrt().arg(&p).output().unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

#[test]
fn version_and_help() {
    let out = jsrt().arg("--version").output().unwrap();
    assert!(out.status.success());
    assert_eq!(text(&out.stdout).trim(), format!("v{}", env!("CARGO_PKG_VERSION")));
    let out = jsrt().arg("-h").output().unwrap();
    assert!(out.status.success());
    let help = text(&out.stdout);
    for flag in ["--eval", "--print", "--wasm-stack-size", "--wasm-max-memory", "--version"] {
        assert!(help.contains(flag), "help lacks {flag}");
    }
}

#[test]
fn bad_option_exits_9() {
    let out = jsrt().arg("--no-such-flag").output().unwrap();
    assert_eq!(out.status.code(), Some(9));
    assert!(text(&out.stderr).contains("bad option: --no-such-flag"));
    let out = jsrt().args(["--wasm-stack-size", "lots"]).output().unwrap();
    assert_eq!(out.status.code(), Some(9));
    assert!(text(&out.stderr).contains("--wasm-stack-size"));
}

#[test]
fn eval_print_and_stdin() {
    let out = jsrt().args(["-e", "console.log(6 * 7, process.argv.slice(1))", "x"]).output().unwrap();
    assert_eq!(text(&out.stdout), "42 [ 'x' ]\n");
    let out = jsrt().args(["-p", "({ a: [1, 'two'] })"]).output().unwrap();
    assert_eq!(text(&out.stdout), "{ a: [ 1, 'two' ] }\n");
    let mut child = jsrt().arg("-").stdin(Stdio::piped()).stdout(Stdio::piped()).spawn().unwrap();
    child.stdin.take().unwrap().write_all(b"console.log(require('path').join('a', 'b'))").unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(text(&out.stdout), "a/b\n");
    let out = jsrt().args(["--input-type=module", "-e", "import p from 'path'; console.log(p.sep)"]).output().unwrap();
    assert_eq!(text(&out.stdout), "/\n");
}

#[test]
fn argv_for_files() {
    let p = tmp("argv.js", "console.log(JSON.stringify(process.argv.slice(1)))");
    let out = jsrt().arg(&p).args(["a", "--b"]).output().unwrap();
    assert_eq!(text(&out.stdout).trim(), format!("[\"{}\",\"a\",\"--b\"]", p.display()));
}

#[test]
fn uncaught_exception_prints_stack_and_exits_1() {
    let out = run_file("throws.js", "function boom() {\n  throw new Error('boom');\n}\nboom();\n");
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(err.starts_with("Uncaught Error: boom\n"), "{err}");
    assert!(err.contains("at boom ("), "{err}");
    assert!(err.contains("throws.js:2:"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn non_error_throw_and_rejection() {
    let out = run_file("throw-value.js", "throw { code: 7 };");
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(text(&out.stderr), "Uncaught { code: 7 }\n");
    let out = run_file("reject.js", "Promise.reject(new TypeError('nope'));\nsetTimeout(() => console.log('never'), 50);");
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).starts_with("Uncaught (in promise) TypeError: nope"));
    assert_eq!(text(&out.stdout), "");
    // A rejection handled later in the same tick is not reported.
    let out = run_file("late-handle.js", "const p = Promise.reject(1); p.catch(() => console.log('handled'));");
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(text(&out.stdout), "handled\n");
}

#[test]
fn syntax_error_names_file_line_column() {
    let out = run_file("syntax.js", "const a = 1;\nlet x = ;\n");
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(err.starts_with("Uncaught SyntaxError:"), "{err}");
    assert!(err.contains("syntax.js:2:"), "{err}");
    let out = run_file("syntax.mjs", "export const a = 1;\nexport let = ;\n");
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("syntax.mjs:2:"), "{}", text(&out.stderr));
}

#[test]
fn missing_file_and_module() {
    let out = jsrt().arg("/no/such/file.js").output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("Cannot find module '/no/such/file.js'"));
    let out = run_file("imports-missing.mjs", "import './not-there.mjs';");
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(err.contains("'./not-there.mjs'") && err.contains("imports-missing.mjs"), "{err}");
}

#[test]
fn exit_codes() {
    let out = run_file("exit3.js", "process.on('exit', (c) => console.log('exit', c)); process.exit(3); console.log('not here');");
    assert_eq!(out.status.code(), Some(3));
    assert_eq!(text(&out.stdout), "exit 3\n");
    let out = run_file("exitcode.js", "process.exitCode = 4; setTimeout(() => console.log('still ran'), 5);");
    assert_eq!(out.status.code(), Some(4));
    assert_eq!(text(&out.stdout), "still ran\n");
    let out = run_file("handler.js", "process.on('uncaughtException', (e) => console.log('caught', e.message)); setTimeout(() => { throw new Error('late'); }, 1); setTimeout(() => console.log('after'), 5);");
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(text(&out.stdout), "caught late\nafter\n");
    let out = run_file("unhandled-listener.js", "process.on('unhandledRejection', (r) => console.log('saw', r)); Promise.reject(5);");
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(text(&out.stdout), "saw 5\n");
}

#[test]
fn unsettled_top_level_await_exits_13() {
    let out = run_file("tla.mjs", "await new Promise(() => {});");
    assert_eq!(out.status.code(), Some(13));
    assert!(text(&out.stderr).contains("unsettled top-level await"));
}

#[test]
fn esm_detection_for_js_files() {
    let out = run_file("esm-in-js.js", "import { sep } from 'node:path';\nconsole.log(sep, typeof require);");
    assert_eq!(text(&out.stdout), "/ undefined\n");
    let out = run_file("cjs-in-js.js", "console.log(typeof require, typeof module);");
    assert_eq!(text(&out.stdout), "function object\n");
}

#[test]
fn deep_recursion_is_a_range_error() {
    let out = run_file("recurse.js", "function f(n) { return f(n + 1) + 1; }\ntry { f(0); } catch (e) { console.log(e instanceof RangeError, e.message); }");
    assert_eq!(out.status.code(), Some(0));
    assert!(text(&out.stdout).starts_with("true "), "{}", text(&out.stdout));
}

#[test]
fn wasm_limits_from_the_command_line() {
    let code = "try { new WebAssembly.Memory({ initial: 17 }); console.log('created'); } catch (e) { console.log(e.name); }\nconsole.log(new WebAssembly.Memory({ initial: 16 }).buffer.byteLength);";
    let out = jsrt().args(["--wasm-max-memory", "1M", "-e", code]).output().unwrap();
    assert_eq!(text(&out.stdout), "RangeError\n1048576\n");
    let out = jsrt().args(["--wasm-stack-size", "1K", "-e", "0"]).output().unwrap();
    assert_eq!(out.status.code(), Some(9));
    assert!(text(&out.stderr).contains("--wasm-stack-size must be between"), "{}", text(&out.stderr));
}

/// Reads the one `.cpuprofile` in `dir` as text.
fn profile_in(dir: &std::path::Path) -> String {
    let files: Vec<PathBuf> = std::fs::read_dir(dir).unwrap().flatten().map(|e| e.path()).collect();
    assert_eq!(files.len(), 1, "{files:?}");
    std::fs::read_to_string(&files[0]).unwrap()
}

#[test]
fn cpu_prof_flags_and_exits() {
    // Companions need --cpu-prof, and the interval is checked (exit 9 and Node's wording).
    let out = jsrt().args(["--cpu-prof-dir=x", "-e", "0"]).output().unwrap();
    assert_eq!(out.status.code(), Some(9));
    assert_eq!(text(&out.stderr), "jsrt: --cpu-prof-dir must be used with --cpu-prof\n");
    let out = jsrt().args(["--cpu-prof", "--cpu-prof-interval", "0", "-e", "0"]).output().unwrap();
    assert_eq!(out.status.code(), Some(9));
    let base = std::env::temp_dir().join(format!("jsrt-cli-prof-{}", std::process::id()));
    // process.exit() and an uncaught error still write the profile (named as asked, in a
    // directory made for it), with the program's exit code; a function whose `name` getter
    // throws is named from its code.
    let busy = "function spinHere() { const t = Date.now(); while (Date.now() - t < 50); }\n";
    let cases = [
        ("exit", format!("{busy}spinHere(); process.exit(3)"), 3),
        ("throw", format!("{busy}spinHere(); throw new Error('boom')"), 1),
        ("getter", format!("{busy}Object.defineProperty(spinHere, 'name', {{ get() {{ throw 1 }} }}); spinHere()"), 0),
    ];
    for (name, code, status) in cases {
        let dir = base.join(name);
        let out = jsrt()
            .args(["--cpu-prof", "--cpu-prof-interval=200", "--cpu-prof-name=p.cpuprofile"])
            .arg(format!("--cpu-prof-dir={}", dir.display()))
            .args(["-e", &code])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(status), "{name}: {}", text(&out.stderr));
        let profile = profile_in(&dir);
        assert!(dir.join("p.cpuprofile").exists());
        assert!(profile.contains("\"functionName\":\"spinHere\""), "{name}: {profile}");
        assert!(profile.starts_with('{') && profile.contains("\"timeDeltas\":["), "{name}");
    }
    let _ = std::fs::remove_dir_all(&base);
}

/// The compiled tier's code cache as a user meets it: compiled once, then read from the cache;
/// a damaged entry is noticed and compiled again; an unwritable cache directory is a warning;
/// `--no-wasm-cache` writes nothing; a missing, failing or crashing compiler leaves the
/// module in the interpreter. Each run must print the right result.
#[test]
fn wasm_code_cache() {
    let root = std::env::temp_dir().join(format!("jsrt-cli-cache-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    std::fs::create_dir_all(&root).unwrap();
    // A naive fib (examples/wasm/fibonacci.wat has the same; the examples' .wasm files are not
    // committed).
    let fib: [u8; 61] = [
        0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x06, 0x01, 0x60, 0x01, 0x7f, 0x01, 0x7f, 0x03, 0x02, 0x01, 0x00, 0x07, 0x07, 0x01, 0x03, 0x66, 0x69, 0x62, 0x00,
        0x00, 0x0a, 0x1e, 0x01, 0x1c, 0x00, 0x20, 0x00, 0x41, 0x02, 0x49, 0x04, 0x7f, 0x20, 0x00, 0x05, 0x20, 0x00, 0x41, 0x01, 0x6b, 0x10, 0x00, 0x20, 0x00, 0x41, 0x02, 0x6b,
        0x10, 0x00, 0x6a, 0x0b, 0x0b,
    ];
    let wasm = root.join("fib.wasm");
    std::fs::write(&wasm, fib).unwrap();
    let prog = tmp("cache-fib.js", &format!("const m = new WebAssembly.Module(require('fs').readFileSync({:?}));\nconsole.log(require('jsrt:wasm').tierOf(m), new WebAssembly.Instance(m).exports.fib(20));", wasm.to_str().unwrap()));
    let cache = root.join("cache");
    let run = |extra: &[&str], env: Option<(&str, &str)>| {
        let mut c = jsrt();
        c.args(["--wasm-tier=compiled", "--trace-wasm-tier"]).args(extra).arg(&prog);
        if let Some((k, v)) = env {
            c.env(k, v);
        }
        let out = c.output().unwrap();
        assert!(out.status.success(), "{}", text(&out.stderr));
        (text(&out.stdout), text(&out.stderr))
    };
    let with_cache = ["--wasm-cache-dir", cache.to_str().unwrap()];
    let entries = |dir: &std::path::Path| -> Vec<PathBuf> {
        std::fs::read_dir(dir).map(|d| d.flatten().map(|e| e.path()).filter(|p| p.extension().is_some_and(|x| x == "aot")).collect()).unwrap_or_default()
    };

    let (out, err) = run(&with_cache, None);
    assert_eq!(out, "compiled 6765\n");
    assert!(err.contains("compiled in"), "{err}");
    let files = entries(&cache);
    assert_eq!(files.len(), 1, "one entry");
    let (out, err) = run(&with_cache, None);
    assert_eq!(out, "compiled 6765\n");
    assert!(err.contains("from the cache"), "{err}");

    // A flipped bit, then a truncated file: noticed, removed, compiled again.
    let good = std::fs::read(&files[0]).unwrap();
    let mut flipped = good.clone();
    let last = flipped.len() - 1;
    flipped[last] ^= 0x10;
    for bad in [flipped, good[..good.len() / 2].to_vec()] {
        std::fs::write(&files[0], &bad).unwrap();
        let (out, err) = run(&with_cache, None);
        assert_eq!(out, "compiled 6765\n");
        assert!(err.contains("damaged") && err.contains("compiled in"), "{err}");
        assert_eq!(std::fs::read(&files[0]).unwrap(), good, "compiled and stored again");
    }

    // A cache directory that cannot be made: one warning, the program runs compiled.
    let blocker = root.join("a-file");
    std::fs::write(&blocker, "not a directory").unwrap();
    let (out, err) = run(&["--wasm-cache-dir", blocker.join("cache").to_str().unwrap()], None);
    assert_eq!(out, "compiled 6765\n");
    assert_eq!(err.matches("warning: wasm code cache").count(), 1, "{err}");

    // --no-wasm-cache keeps nothing.
    let unused = root.join("unused");
    let (out, _) = run(&["--no-wasm-cache", "--wasm-cache-dir", unused.to_str().unwrap()], None);
    assert_eq!(out, "compiled 6765\n");
    assert!(!unused.exists());

    // No compiler, a compiler that fails, one that crashes, one that writes garbage: the
    // interpreter runs the module, with the reason traced.
    let script = |name: &str, body: &str| {
        let p = root.join(name);
        std::fs::write(&p, format!("#!/bin/sh\ncat > /dev/null\n{body}\n")).unwrap();
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o755)).unwrap();
        p.to_str().unwrap().to_string()
    };
    let compilers = [
        ("/nonexistent/jsrt-aotc".to_string(), "cannot run"),
        (script("fails", "echo 'jsrt-aotc: no' >&2; exit 1"), "the compiler failed: no"),
        (script("crashes", "kill -SEGV $$"), "the compiler failed"),
        (script("garbage", "printf 'not an aot file'"), "refused the compiled code"),
    ];
    for (compiler, reason) in &compilers {
        let (out, err) = run(&["--no-wasm-cache"], Some(("JSRT_AOTC", compiler)));
        assert_eq!(out, "interpreted 6765\n", "{compiler}: {err}");
        assert!(err.contains(reason), "{compiler}: {err}");
    }
    // A crash is recorded in the cache: the next run does not try again.
    let crash_cache = root.join("crash-cache");
    let with_crash_cache = ["--wasm-cache-dir", crash_cache.to_str().unwrap()];
    let (out, _) = run(&with_crash_cache, Some(("JSRT_AOTC", &compilers[2].0)));
    assert_eq!(out, "interpreted 6765\n");
    let (out, err) = run(&with_crash_cache, Some(("JSRT_AOTC", &compilers[2].0)));
    assert_eq!(out, "interpreted 6765\n");
    assert!(err.contains("failed before"), "{err}");
    // A compiler that gave up because the machine was busy (jsrt-aotc's exit status 5) leaves
    // nothing recorded: the next run compiles the module.
    let busy_cache = root.join("busy-cache");
    let with_busy_cache = ["--wasm-cache-dir", busy_cache.to_str().unwrap()];
    let busy = script("busy", "echo 'jsrt-aotc: gave up after 1200 s: the machine is too busy' >&2; exit 5");
    let (out, err) = run(&with_busy_cache, Some(("JSRT_AOTC", &busy)));
    assert_eq!(out, "interpreted 6765\n");
    assert!(err.contains("too busy"), "{err}");
    let (out, err) = run(&with_busy_cache, None);
    assert_eq!(out, "compiled 6765\n", "{err}");
    let _ = std::fs::remove_dir_all(&root);
}
