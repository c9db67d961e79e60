//! Real-world WebAssembly programs run unmodified: npm packages (pinned in
//! `tests/compat/package.json`, installed with npm into `tests/compat/node_modules`) driven by
//! the scripts in `tests/compat/`, each checked against known results. One test per script.
//! Skipped, with a message, only when npm is not on the machine.

use std::path::{Path, PathBuf};
use std::ffi::OsStr;
use std::process::{Command, Output, Stdio};
use std::sync::OnceLock;

use libtest_mimic::{Arguments, Failed, Trial};

mod common;
#[path = "common/http_server.rs"]
mod http_server;

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/compat")
}

/// Installs the packages once per run (npm ci semantics: exact versions from package.json).
fn install() -> Result<(), String> {
    static DONE: OnceLock<Result<(), String>> = OnceLock::new();
    DONE.get_or_init(|| {
        let d = dir();
        let marker = d.join("node_modules/.jsrt-installed");
        let pkg = std::fs::read(d.join("package.json")).map_err(|e| e.to_string())?;
        if std::fs::read(&marker).ok().as_deref() == Some(&pkg[..]) {
            return Ok(());
        }
        let out = Command::new("npm")
            .args(["install", "--no-audit", "--no-fund", "--no-package-lock", "--silent"])
            .current_dir(&d)
            .output()
            .map_err(|e| format!("cannot run npm: {e}"))?;
        if !out.status.success() {
            return Err(format!("npm install failed: {}", String::from_utf8_lossy(&out.stderr)));
        }
        std::fs::write(&marker, &pkg).map_err(|e| e.to_string())
    })
    .clone()
}

/// Scripts whose packages carry wasm LLVM takes minutes over (about 100 s per MiB of code,
/// bench/README "kernels"; these have 0.15-2.2 MiB, or over 2 MiB, which stays interpreted
/// anyway): they run with `--wasm-tier=interp` in both passes of `./x test` — under the
/// default `auto` tier each would start a background compile that outlives the script and
/// takes the machine's two cores from the tests after it; under `JSRT_WASM_TIER=compiled` the
/// same. The compiled tier is exercised on the other scripts.
const INTERPRETED: &[&str] = &[
    "assemblyscript.mjs", "brotli-wasm.js", "libsodium.js", "lightningcss.mjs", "md4w.mjs", "photon-node.js",
    "rapier2d.mjs", "resvg-wasm.mjs", "rollup.mjs", "tiktoken.mjs", "vscode-oniguruma.js", "web-tree-sitter.mjs",
    "zstd-codec.js",
];

/// Runs a script under jsrt and Node; a `NAME.stdin` file beside it is both runs' stdin.
fn run(script: &Path) -> Result<(), Failed> {
    install()?;
    let args = [script.as_os_str()];
    let stdin = std::fs::read(script.with_extension("stdin")).unwrap_or_default();
    let name = script.file_name().and_then(OsStr::to_str).unwrap_or_default();
    let out = if INTERPRETED.contains(&name) {
        jsrt(&["--wasm-tier=interp".as_ref(), script.as_os_str()], &dir(), &stdin)?
    } else {
        jsrt(&args, &dir(), &stdin)?
    };
    if !out.status.success() {
        return Err(describe("jsrt", &out).into());
    }
    same_as_node(&[], &args, &dir(), &stdin, &out)
}

/// A C program built with clang for wasm32-wasi (Debian's clang + wasi-libc, installed by
/// ./x), run as `jsrt program.wasm args...` and through `node:wasi` (`c/wasi-run.mjs`) under
/// jsrt and Node: arguments, environment, files, exit code.
fn wasi_c() -> Result<(), Failed> {
    let dir = std::env::temp_dir().join(format!("jsrt-wasi-c-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let wasm = dir.join("hello.wasm");
    let out = Command::new("clang")
        .args(["--target=wasm32-wasi", "-O2", "-o"])
        .arg(&wasm)
        .arg(self::dir().join("c/wasi-hello.c"))
        .output()
        .map_err(|e| format!("cannot run clang: {e}"))?;
    if !out.status.success() {
        return Err(format!("clang failed: {}", String::from_utf8_lossy(&out.stderr)).into());
    }
    let result = (|| {
        let run = jsrt(&[wasm.as_os_str(), "first".as_ref(), "second".as_ref()], &dir, b"")?;
        let expected = "hello from C, argc=3\narg 1: first\narg 2: second\nenv: from-env\nread back: written by wasm 42\nsum=2999997\n";
        let file = std::fs::read_to_string(dir.join("out.txt")).unwrap_or_default();
        if run.status.code() != Some(3) || run.stdout != expected.as_bytes() || file != "written by wasm 42\n" {
            return Err(format!("{}\n--- out.txt\n{file}", describe("jsrt hello.wasm", &run)).into());
        }
        // The same program through Node's WASI API, under jsrt and under Node.
        let runner = self::dir().join("c/wasi-run.mjs");
        let args = [runner.as_os_str(), "hello.wasm".as_ref(), "first".as_ref(), "second".as_ref()];
        let via_api = jsrt(&args, &dir, b"")?;
        if via_api.stdout != run.stdout || via_api.status.code() != Some(3) {
            return Err(describe("jsrt wasi-run.mjs", &via_api).into());
        }
        same_as_node(&[], &args, &dir, b"", &via_api)
    })();
    let _ = std::fs::remove_dir_all(&dir);
    result
}

/// A C program built with `clang -g` that divides by zero two calls below `main`: jsrt's
/// stack trace gives each wasm frame's source line from the module's DWARF, as
/// `jsrt crash.wasm` (uncaught) and through `node:wasi`; Node's trace (no DWARF) names the
/// same functions in the same order.
fn wasi_c_stack() -> Result<(), Failed> {
    in_temp_dir("jsrt-wasi-stack", |dir| {
        // Compiled where it runs, so DWARF names it `crash.c`.
        std::fs::copy(self::dir().join("c/crash.c"), dir.join("crash.c")).map_err(|e| e.to_string())?;
        let clang = |args: &[&OsStr]| -> Result<(), Failed> {
            let out = Command::new("clang").args(["--target=wasm32-wasi", "-g"]).args(args).current_dir(&dir).output().map_err(|e| format!("cannot run clang: {e}"))?;
            if !out.status.success() {
                return Err(describe("clang", &out).into());
            }
            Ok(())
        };
        // Compiled and linked in two steps: clang 14 linking straight from the source leaves
        // the line programs empty.
        clang(&["-O1".as_ref(), "-c".as_ref(), "crash.c".as_ref(), "-o".as_ref(), "crash.o".as_ref()])?;
        clang(&["crash.o".as_ref(), "-o".as_ref(), "crash.wasm".as_ref()])?;
        let expected = ["at divide (crash.c:5:12)", "at compute (crash.c:9:10)", "at main (crash.c:12:10)"];
        let uncaught = jsrt(&["crash.wasm".as_ref()], &dir, b"")?;
        let stderr = String::from_utf8_lossy(&uncaught.stderr).into_owned();
        if uncaught.status.success() || !stderr.contains("RuntimeError: integer divide by zero") || !expected.iter().all(|l| stderr.contains(l)) {
            return Err(describe("jsrt crash.wasm", &uncaught).into());
        }
        let runner = self::dir().join("c/stack-run.js");
        let args = [runner.as_os_str(), "crash.wasm".as_ref()];
        let ours = jsrt(&args, &dir, b"")?;
        let text = String::from_utf8_lossy(&ours.stdout).into_owned();
        let lines: Vec<&str> = text.lines().collect();
        if lines.get(1..4) != Some(&expected[..]) {
            return Err(describe("jsrt stack-run.js", &ours).into());
        }
        let node = exec("node", &args, &dir, b"")?;
        let names = |t: &str| -> Vec<String> { t.lines().map(|l| frame_name(l).to_string()).collect() };
        if names(&String::from_utf8_lossy(&node.stdout)) != names(&text) {
            return Err(format!("{}
--- Node
{}", describe("jsrt stack-run.js", &ours), String::from_utf8_lossy(&node.stdout)).into());
        }
        Ok(())
    })
}

/// The same crashing C program built with emscripten's `-gsource-map`: jsrt's frames name
/// its lines from the source map (found next to the program run, not in the working
/// directory); Node's name the same functions.
fn emcc_source_map() -> Result<(), Failed> {
    in_temp_dir("jsrt-emcc-map", |dir| {
        std::fs::copy(self::dir().join("c/crash.c"), dir.join("crash.c")).map_err(|e| e.to_string())?;
        let out = Command::new("emcc")
            .args(["-O1", "-gsource-map", "-o", "crash.js", "crash.c"])
            .env("NODE_PATH", emcc_node_path())
            .current_dir(&dir)
            .output()
            .map_err(|e| format!("cannot run emcc: {e}"))?;
        if !out.status.success() {
            return Err(describe("emcc", &out).into());
        }
        let program = dir.join("crash.js");
        let args = [program.as_os_str()];
        let ours = jsrt(&args, &std::env::temp_dir(), b"")?;
        let stderr = String::from_utf8_lossy(&ours.stderr).into_owned();
        // Lines as in the DWARF test; columns are the map's (emscripten's newer clang puts a
        // call's at the arithmetic before it).
        let expected = ["at divide (crash.c:5:", "at compute (crash.c:9:", "at main (crash.c:12:"];
        let frames: Vec<&str> = stderr.lines().map(str::trim).filter(|l| l.contains("(crash.c:")).collect();
        let matches = frames.len() == expected.len() && frames.iter().zip(expected).all(|(f, e)| f.starts_with(e));
        if !stderr.contains("RuntimeError: integer divide by zero") || !matches {
            return Err(describe("jsrt crash.js", &ours).into());
        }
        // Node (fetch off: see emcc_c) shows the same functions, at wasm offsets.
        let node = exec("node", &["--no-experimental-fetch".as_ref(), program.as_os_str()], &std::env::temp_dir(), b"")?;
        let node_err = String::from_utf8_lossy(&node.stderr).into_owned();
        let names: Vec<&str> = node_err.lines().map(str::trim).filter(|l| l.contains("wasm-function[")).map(frame_name).collect();
        let ours_names: Vec<&str> = frames.iter().map(|l| frame_name(l)).collect();
        if names != ours_names {
            return Err(format!("{}\n--- Node\n{node_err}", describe("jsrt crash.js", &ours)).into());
        }
        Ok(())
    })
}

/// `--cpu-prof` on `cpu-prof/hot.cjs` (JS and wasm, then idle) under jsrt and Node: each
/// writes one profile under Node's default name, and `cpu-prof/summary.cjs` finds the same
/// functions, callers and hot spots in both (and both well formed).
fn cpu_prof() -> Result<(), Failed> {
    in_temp_dir("jsrt-cpu-prof", |base| {
        let script = dir().join("cpu-prof/hot.cjs");
        let summary = dir().join("cpu-prof/summary.cjs");
        let mut summaries = Vec::new();
        for who in ["jsrt", "node"] {
            let out_dir = base.join(who);
            let flag = format!("--cpu-prof-dir={}", out_dir.display());
            let args = ["--cpu-prof".as_ref(), flag.as_ref(), script.as_os_str()];
            let run = if who == "jsrt" { jsrt(&args, &base, b"")? } else { exec("node", &args, &base, b"")? };
            if !run.status.success() || run.stdout != b"rounds > 0: true\n" {
                return Err(describe(who, &run).into());
            }
            let files: Vec<PathBuf> = std::fs::read_dir(&out_dir).map_err(|e| e.to_string())?.flatten().map(|e| e.path()).collect();
            let name = files.first().and_then(|f| f.file_name()).map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            let parts: Vec<&str> = name.split('.').collect();
            let node_like = parts.len() == 7 && parts[0] == "CPU" && parts[1].len() == 8 && parts[2].len() == 6 && parts[4..] == ["0", "001", "cpuprofile"];
            if files.len() != 1 || !node_like {
                return Err(format!("{who} wrote {files:?}").into());
            }
            let read = exec("node", &[summary.as_os_str(), files[0].as_os_str()], &base, b"")?;
            summaries.push(String::from_utf8_lossy(&read.stdout).into_owned());
        }
        if summaries[0] != summaries[1] || summaries[0].contains("WRONG") || !summaries[0].contains("fib wasm://wasm/kernels-HASH") {
            return Err(format!("--- jsrt's profile\n{}--- Node's\n{}", summaries[0], summaries[1]).into());
        }
        Ok(())
    })
}

/// emcc runs its JS optimizer under node and needs Debian's node-acorn, which lives in
/// /usr/share/nodejs (on Debian's own node's default path, not on other builds').
fn emcc_node_path() -> String {
    match std::env::var("NODE_PATH") {
        Ok(p) if !p.is_empty() => format!("{p}:/usr/share/nodejs"),
        _ => "/usr/share/nodejs".to_string(),
    }
}

/// Builds `tests/compat/c/NAME.c` with Debian's emscripten and `flags` into `dir/NAME.js`
/// (and its `.wasm`).
fn emcc(dir: &Path, flags: &[&str], name: &str) -> Result<(), Failed> {
    let out = Command::new("emcc")
        .args(flags)
        .args(["-o", &format!("{name}.js")])
        .arg(self::dir().join(format!("c/{name}.c")))
        .env("NODE_PATH", emcc_node_path())
        .current_dir(dir)
        .output()
        .map_err(|e| format!("cannot run emcc: {e}"))?;
    if !out.status.success() {
        return Err(describe("emcc", &out).into());
    }
    Ok(())
}

/// A C program built with Debian's emscripten (`emcc`, default Node target: a `.js` loader
/// plus a `.wasm`), run as `jsrt emcc-hello.js first second`.
fn emcc_c() -> Result<(), Failed> {
    in_temp_dir("jsrt-emcc", |dir| {
        emcc(dir, &["-O2", "-sALLOW_MEMORY_GROWTH=1"], "emcc-hello")?;
        let args = ["emcc-hello.js".as_ref(), "first".as_ref(), "second".as_ref()];
        let run = jsrt(&args, &dir, b"")?;
        let expected = "hello from emscripten, argc=3\narg 1: first\narg 2: second\nsqrt sum=21097.455887\nbig block sum=2088960\nread back: written by wasm 42\n";
        if run.status.code() != Some(3) || run.stdout != expected.as_bytes() || run.stderr != b"to stderr\n" {
            return Err(describe("jsrt emcc-hello.js", &run).into());
        }
        // emscripten 3.1.6's loader fetch()es the .wasm by path when `fetch` exists, which
        // Node 18+'s fetch rejects; Node runs it with its fetch turned off. jsrt's fetch
        // accepts paths, so jsrt runs it as is.
        same_as_node(&["--no-experimental-fetch"], &args, &dir, b"", &run)
    })
}

/// A C program with POSIX threads built with Debian's emscripten (`-pthread`, a pool of 4
/// workers, the runtime exiting when main returns), run as `jsrt emcc-pthreads.js`: workers,
/// a shared memory and the module posted to each, atomics and futex waits on both sides.
fn emcc_pthreads() -> Result<(), Failed> {
    in_temp_dir("jsrt-emcc-pthreads", |dir| {
        emcc(dir, &["-O2", "-pthread", "-sPTHREAD_POOL_SIZE=4", "-sEXIT_RUNTIME=1"], "emcc-pthreads")?;
        let args = ["emcc-pthreads.js".as_ref()];
        let run = jsrt(&args, &dir, b"")?;
        let expected = "hello from thread 0\nthreads 4 total 5999995 joined 5999995 hits 2000000\n";
        if run.status.code() != Some(0) || run.stdout != expected.as_bytes() {
            return Err(describe("jsrt emcc-pthreads.js", &run).into());
        }
        same_as_node(&["--no-experimental-fetch"], &args, &dir, b"", &run)
    })
}

/// `tests/compat/net/SCRIPT` given a loopback server's URL (tests/common/http_server.rs) and
/// a closed port, under jsrt and Node.
fn against_http_server(script: &str) -> Result<(), Failed> {
    let base = http_server::start();
    let closed = http_server::closed_port().to_string();
    let dir = self::dir().join("net");
    let args = [script.as_ref(), base.as_ref(), closed.as_ref()];
    let run = jsrt(&args, &dir, b"")?;
    if run.status.code() != Some(0) || String::from_utf8_lossy(&run.stdout).contains("FAILED") {
        return Err(describe(&format!("jsrt {script}"), &run).into());
    }
    same_as_node(&[], &args, &dir, b"", &run)
}

/// `net/wasm-streaming-early.js` under jsrt alone (Node 20 waits for the whole body): invalid
/// bytes end a streaming compilation before the body does.
fn wasm_streaming_early() -> Result<(), Failed> {
    let base = http_server::start();
    let run = jsrt(&["wasm-streaming-early.js".as_ref(), base.as_ref()], &self::dir().join("net"), b"")?;
    let out = String::from_utf8_lossy(&run.stdout);
    let lines: Vec<&str> = out.lines().collect();
    let reason = |l: &str| l.split_once("): ").map(|(_, r)| r.to_string());
    if run.status.code() != Some(0) || lines.len() != 2 || !lines[0].starts_with("CompileError") || reason(lines[0]).is_none() || reason(lines[0]) != reason(lines[1]) {
        return Err(describe("jsrt wasm-streaming-early.js", &run).into());
    }
    Ok(())
}

/// fetch over https: the loopback server over TLS with a test CA's certificate, trusted
/// through `NODE_EXTRA_CA_CERTS` (and refused without it), under jsrt and Node.
fn fetch_https() -> Result<(), Failed> {
    in_temp_dir("jsrt-https", |tmp| {
        let (base, ca) = http_server::start_tls(tmp);
        let dir = self::dir().join("net");
        for (mode, trust) in [("trusted", true), ("untrusted", false)] {
            let args: [&OsStr; 3] = ["fetch-https.js".as_ref(), base.as_ref(), mode.as_ref()];
            let with_env = |program: &str| -> Result<Output, Failed> {
                let mut cmd = Command::new(program);
                cmd.args(args).current_dir(&dir).env_remove("NODE_EXTRA_CA_CERTS").env_remove("SSL_CERT_FILE");
                if trust {
                    cmd.env("NODE_EXTRA_CA_CERTS", &ca);
                }
                cmd.output().map_err(|e| format!("cannot run {program}: {e}").into())
            };
            let ours = with_env(env!("CARGO_BIN_EXE_jsrt"))?;
            if ours.status.code() != Some(0) || String::from_utf8_lossy(&ours.stdout).contains("FAILED") || String::from_utf8_lossy(&ours.stdout).contains("without trusting") {
                return Err(describe(&format!("jsrt fetch-https.js ({mode})"), &ours).into());
            }
            if have("node") {
                let node = with_env("node")?;
                if node.stdout != ours.stdout || node.status.code() != ours.status.code() {
                    return Err(format!("{}\n{}", describe("node", &node), describe("jsrt", &ours)).into());
                }
            }
        }
        Ok(())
    })
}

/// `net/https-server.js`: node:https's server with a certificate from a fresh test CA (the
/// certificate and key files as arguments, the CA in NODE_EXTRA_CA_CERTS), under jsrt and Node.
fn https_server() -> Result<(), Failed> {
    in_temp_dir("jsrt-https-server", |tmp| {
        let (ca, cert, key, _, _) = http_server::test_certificate(tmp);
        let args: [&OsStr; 3] = ["https-server.js".as_ref(), cert.as_os_str(), key.as_os_str()];
        let with_env = |program: &str| -> Result<Output, Failed> {
            Command::new(program)
                .args(args)
                .current_dir(self::dir().join("net"))
                .env("NODE_EXTRA_CA_CERTS", &ca)
                .env_remove("SSL_CERT_FILE")
                .output()
                .map_err(|e| format!("cannot run {program}: {e}").into())
        };
        let ours = with_env(env!("CARGO_BIN_EXE_jsrt"))?;
        if ours.status.code() != Some(0) || !String::from_utf8_lossy(&ours.stdout).contains("closed") {
            return Err(describe("jsrt https-server.js", &ours).into());
        }
        if have("node") {
            let node = with_env("node")?;
            if node.stdout != ours.stdout || node.status.code() != ours.status.code() {
                return Err(format!("{}\n{}", describe("node", &node), describe("jsrt", &ours)).into());
            }
        }
        Ok(())
    })
}

/// A stack-trace line without its location: `at divide (crash.c:5:12)` -> `at divide`.
fn frame_name(line: &str) -> &str {
    line.split(" (").next().unwrap_or(line)
}

/// Runs `f` in a fresh directory under the system's temporary one (named `name` and the
/// process id), removed afterwards whatever `f` returns.
fn in_temp_dir(name: &str, f: impl FnOnce(&Path) -> Result<(), Failed>) -> Result<(), Failed> {
    let dir = std::env::temp_dir().join(format!("{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let result = f(&dir);
    let _ = std::fs::remove_dir_all(&dir);
    result
}

fn exec(program: &str, args: &[&OsStr], cwd: &Path, stdin: &[u8]) -> Result<Output, Failed> {
    use std::io::Write;
    let mut child = Command::new(program)
        .args(args)
        .current_dir(cwd)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run {program}: {e}"))?;
    child.stdin.take().unwrap().write_all(stdin).map_err(|e| e.to_string())?;
    Ok(child.wait_with_output().map_err(|e| e.to_string())?)
}

fn jsrt(args: &[&OsStr], cwd: &Path, stdin: &[u8]) -> Result<Output, Failed> {
    exec(env!("CARGO_BIN_EXE_jsrt"), args, cwd, stdin)
}

/// Runs the same command under Node (with `node_flags` first) and requires the same stdout
/// and exit code as jsrt's `ours`. Passes without checking when node is not installed.
fn same_as_node(node_flags: &[&str], args: &[&OsStr], cwd: &Path, stdin: &[u8], ours: &Output) -> Result<(), Failed> {
    if !have("node") {
        return Ok(());
    }
    let mut all: Vec<&OsStr> = node_flags.iter().map(OsStr::new).collect();
    all.extend_from_slice(args);
    let node = exec("node", &all, cwd, stdin)?;
    if node.stdout != ours.stdout || node.status.code() != ours.status.code() {
        return Err(format!("{}\n{}", describe("node", &node), describe("jsrt", ours)).into());
    }
    Ok(())
}

fn have(program: &str) -> bool {
    Command::new(program).arg("--version").output().is_ok_and(|o| o.status.success())
}

fn describe(what: &str, out: &Output) -> String {
    // The tail of each stream: minified glue code in a stack trace can be megabytes long.
    let tail = |b: &[u8]| {
        let s = String::from_utf8_lossy(b);
        let n = s.chars().count();
        if n > 3000 { format!("...{}", s.chars().skip(n - 3000).collect::<String>()) } else { s.into_owned() }
    };
    format!("{what}: exit {:?}\n--- stdout\n{}\n--- stderr\n{}", out.status.code(), tail(&out.stdout), tail(&out.stderr))
}

/// esbuild-wasm's own CLI (Go compiled to wasm, driven by Go's wasm_exec.js over fs
/// descriptors and stdin/stdout): bundles a TypeScript project with a JSON import, transforms
/// stdin, and reports a missing entry point with exit code 1.
fn esbuild_cli() -> Result<(), Failed> {
    install()?;
    let esbuild = dir().join("node_modules/esbuild-wasm/bin/esbuild");
    let proj = std::env::temp_dir().join(format!("jsrt-esbuild-{}", std::process::id()));
    std::fs::create_dir_all(&proj).map_err(|e| e.to_string())?;
    let files = [
        ("main.ts", "import { greet } from './greet';\nimport data from './data.json';\ninterface Point { x: number; y: number }\nconst p: Point = { x: data.n, y: 2 };\nconsole.log(greet('esbuild'), p.x * p.y);\n"),
        ("greet.ts", "export const greet = (who: string): string => `hello ${who}`;\n"),
        ("data.json", "{\"n\": 21}\n"),
    ];
    for (name, text) in files {
        std::fs::write(proj.join(name), text).map_err(|e| e.to_string())?;
    }
    let result = (|| {
        let e = esbuild.as_os_str();
        let bundle = jsrt(&[e, "main.ts".as_ref(), "--bundle".as_ref(), "--minify".as_ref(), "--format=esm".as_ref(), "--outfile=out.mjs".as_ref()], &proj, b"")?;
        if !bundle.status.success() {
            return Err(describe("bundle", &bundle).into());
        }
        let run = jsrt(&["out.mjs".as_ref()], &proj, b"")?;
        if run.stdout != b"hello esbuild 42\n" {
            return Err(describe("running the bundle", &run).into());
        }
        let bundle_text = std::fs::read(proj.join("out.mjs")).map_err(|e| e.to_string())?;
        // Node writes the same bundle (compared through stdout: Node 20.20 aborts when Go's
        // wasm_exec writes to a regular file descriptor 1).
        let to_stdout = [e, "main.ts".as_ref(), "--bundle".as_ref(), "--minify".as_ref(), "--format=esm".as_ref()];
        let ours = jsrt(&to_stdout, &proj, b"")?;
        if ours.stdout != bundle_text {
            return Err(describe("bundle to stdout", &ours).into());
        }
        same_as_node(&[], &to_stdout, &proj, b"", &ours)?;
        let transform = jsrt(&[e, "--loader=ts".as_ref()], &proj, b"let a: number = 1 + 2")?;
        if transform.stdout != b"let a = 1 + 2;\n" || !transform.status.success() {
            return Err(describe("stdin transform", &transform).into());
        }
        same_as_node(&[], &[e, "--loader=ts".as_ref()], &proj, b"let a: number = 1 + 2", &transform)?;
        let missing = jsrt(&[e, "missing.ts".as_ref()], &proj, b"")?;
        if missing.status.code() != Some(1) || !String::from_utf8_lossy(&missing.stderr).contains("Could not resolve \"missing.ts\"") {
            return Err(describe("missing entry point", &missing).into());
        }
        same_as_node(&[], &[e, "missing.ts".as_ref()], &proj, b"", &missing)?;
        Ok(())
    })();
    let _ = std::fs::remove_dir_all(&proj);
    result
}

/// Node decompresses what jsrt's zlib compressed (gzip at two levels, deflate, raw deflate,
/// Brotli): `zlib-cross/pack.js` under jsrt, then `zlib-cross/unpack.js` under Node.
fn zlib_cross() -> Result<(), Failed> {
    let out = std::env::temp_dir().join(format!("jsrt-zlib-cross-{}", std::process::id()));
    std::fs::create_dir_all(&out).map_err(|e| e.to_string())?;
    let scripts = dir().join("zlib-cross");
    let pack = jsrt(&[scripts.join("pack.js").as_os_str(), out.as_os_str()], &out, b"")?;
    if !pack.status.success() {
        return Err(describe("jsrt pack.js", &pack).into());
    }
    let unpack = exec("node", &[scripts.join("unpack.js").as_os_str(), out.as_os_str()], &out, b"")?;
    let _ = std::fs::remove_dir_all(&out);
    let text = String::from_utf8_lossy(&unpack.stdout).into_owned();
    if !unpack.status.success() || text.lines().count() != 5 || text.contains("false") {
        return Err(describe("node unpack.js", &unpack).into());
    }
    Ok(())
}

fn main() {
    let args = Arguments::from_args();
    // The scripts' wasm fixtures (`fixtures/**/*.wat`; `.wasm` files are not committed).
    common::build_wat(&dir().join("fixtures"));
    // Read by the WASI C program; set before any test thread starts.
    std::env::set_var("JSRT_TEST_VAR", "from-env");
    let have_clang = have("clang")
        && Path::new("/usr/include/wasm32-wasi/stdio.h").exists();
    let have_npm = have("npm");
    let mut scripts: Vec<PathBuf> = std::fs::read_dir(dir())
        .map(|rd| rd.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    scripts.retain(|p| p.extension().is_some_and(|e| e == "js" || e == "mjs"));
    scripts.sort();
    let mut trials: Vec<Trial> = scripts
        .into_iter()
        .map(|p| {
            let name = format!("compat/{}", p.file_name().unwrap().to_string_lossy());
            Trial::test(name, move || run(&p)).with_ignored_flag(!have_npm)
        })
        .collect();
    trials.push(Trial::test("compat/esbuild-wasm-cli", esbuild_cli).with_ignored_flag(!have_npm));
    trials.push(Trial::test("compat/net/fetch-http.js", || against_http_server("fetch-http.js")));
    trials.push(Trial::test("compat/net/http-client.js", || against_http_server("http-client.js")));
    trials.push(Trial::test("compat/net/fetch-https.js", fetch_https));
    trials.push(Trial::test("compat/net/https-server.js", https_server));
    trials.push(Trial::test("compat/net/wasm-streaming-early.js", wasm_streaming_early));
    trials.push(Trial::test("compat/cpu-prof", cpu_prof).with_ignored_flag(!have("node")));
    trials.push(Trial::test("compat/zlib-cross", zlib_cross).with_ignored_flag(!have("node")));
    let have_emcc = have("emcc");
    trials.push(Trial::test("compat/c/emcc-hello.c", emcc_c).with_ignored_flag(!have_emcc));
    trials.push(Trial::test("compat/c/emcc-pthreads.c", emcc_pthreads).with_ignored_flag(!have_emcc));
    trials.push(Trial::test("compat/c/crash.c (emcc -gsource-map)", emcc_source_map).with_ignored_flag(!have_emcc || !have("node")));
    trials.push(Trial::test("compat/c/wasi-hello.c", wasi_c).with_ignored_flag(!have_clang));
    trials.push(Trial::test("compat/c/crash.c", wasi_c_stack).with_ignored_flag(!have_clang || !have("node")));
    libtest_mimic::run(&args, trials).exit();
}
