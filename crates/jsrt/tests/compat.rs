//! Real-world WebAssembly programs run unmodified: npm packages (pinned in
//! `tests/compat/package.json`, installed with npm into `tests/compat/node_modules`) driven by
//! the scripts in `tests/compat/`, each checked against known results. One test per script.
//! Skipped, with a message, only when npm is not on the machine.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use libtest_mimic::{Arguments, Failed, Trial};

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

fn run(script: &Path) -> Result<(), Failed> {
    install()?;
    let out = Command::new(env!("CARGO_BIN_EXE_jsrt")).arg(script).current_dir(dir()).output().map_err(|e| e.to_string())?;
    if out.status.success() {
        Ok(())
    } else {
        Err(format!(
            "exit {:?}\n--- stdout\n{}\n--- stderr\n{}",
            out.status.code(),
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
        .into())
    }
}

/// A C program built with clang for wasm32-wasi (Debian's clang + wasi-libc, installed by
/// ./x), run as `jsrt program.wasm args...`: arguments, environment, files, exit code.
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
    let run = Command::new(env!("CARGO_BIN_EXE_jsrt"))
        .arg(&wasm)
        .args(["first", "second"])
        .env("JSRT_TEST_VAR", "from-env")
        .current_dir(&dir)
        .output()
        .map_err(|e| e.to_string())?;
    let stdout = String::from_utf8_lossy(&run.stdout);
    let expected = "hello from C, argc=3\narg 1: first\narg 2: second\nenv: from-env\nread back: written by wasm 42\nsum=2999997\n";
    let file = std::fs::read_to_string(dir.join("out.txt")).unwrap_or_default();
    let _ = std::fs::remove_dir_all(&dir);
    if run.status.code() != Some(3) || stdout != expected || file != "written by wasm 42\n" {
        return Err(format!("exit {:?}\n--- stdout\n{stdout}\n--- stderr\n{}\n--- out.txt\n{file}", run.status.code(), String::from_utf8_lossy(&run.stderr)).into());
    }
    Ok(())
}

fn jsrt(args: &[&std::ffi::OsStr], cwd: &Path, stdin: &[u8]) -> Result<std::process::Output, Failed> {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_jsrt"))
        .args(args)
        .current_dir(cwd)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .map_err(|e| e.to_string())?;
    child.stdin.take().unwrap().write_all(stdin).map_err(|e| e.to_string())?;
    Ok(child.wait_with_output().map_err(|e| e.to_string())?)
}

fn describe(what: &str, out: &std::process::Output) -> String {
    format!(
        "{what}: exit {:?}\n--- stdout\n{}\n--- stderr\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
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
        let transform = jsrt(&[e, "--loader=ts".as_ref()], &proj, b"let a: number = 1 + 2")?;
        if transform.stdout != b"let a = 1 + 2;\n" || !transform.status.success() {
            return Err(describe("stdin transform", &transform).into());
        }
        let missing = jsrt(&[e, "missing.ts".as_ref()], &proj, b"")?;
        if missing.status.code() != Some(1) || !String::from_utf8_lossy(&missing.stderr).contains("Could not resolve \"missing.ts\"") {
            return Err(describe("missing entry point", &missing).into());
        }
        Ok(())
    })();
    let _ = std::fs::remove_dir_all(&proj);
    result
}

fn main() {
    let args = Arguments::from_args();
    let have_clang = Command::new("clang").arg("--version").output().is_ok_and(|o| o.status.success())
        && Path::new("/usr/include/wasm32-wasi/stdio.h").exists();
    let have_npm = Command::new("npm").arg("--version").output().is_ok_and(|o| o.status.success());
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
    trials.push(Trial::test("compat/c/wasi-hello.c", wasi_c).with_ignored_flag(!have_clang));
    libtest_mimic::run(&args, trials).exit();
}
