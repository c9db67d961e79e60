//! Runs every JS test under `tests/` (outside `fixtures/` directories) with the real `jsrt`
//! binary: one Rust test per file, failing on a non-zero exit code (a failed `jsrt:assert`
//! throws, which exits 1). The file's directory is the working directory. A first line
//! `// jsrt-flags: FLAGS` passes FLAGS to jsrt before the file (e.g. `--expose-gc`).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use libtest_mimic::{Arguments, Failed, Trial};

mod common;

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    let mut entries: Vec<_> = entries.flatten().map(|e| e.path()).collect();
    entries.sort();
    for p in entries {
        let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if p.is_dir() {
            // fixtures/ hold test inputs; spec/ is the spec-test runner (tests/spec.rs runs it).
            // compat/ needs npm packages (tests/compat.rs runs it).
            if name != "fixtures" && name != "node_modules" && name != "spec" && name != "compat" {
                collect(&p, out);
            }
        } else if name.ends_with(".js") || name.ends_with(".mjs") || name.ends_with(".cjs") {
            out.push(p);
        }
    }
}

fn run(path: &Path) -> Result<(), Failed> {
    run_with(path, &[], None)
}

/// The flags a test asks for on its first line (`// jsrt-flags: ...`).
fn flags_of(path: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let first = text.lines().next().unwrap_or("");
    first.strip_prefix("// jsrt-flags:").map(|f| f.split_whitespace().map(str::to_string).collect()).unwrap_or_default()
}

/// Runs `path` with `args`; when `expect` is given, stdout must contain it.
fn run_with(path: &Path, args: &[&str], expect: Option<&str>) -> Result<(), Failed> {
    let mut child = Command::new(env!("CARGO_BIN_EXE_jsrt"))
        .args(flags_of(path))
        .arg(path)
        .args(args)
        .current_dir(path.parent().unwrap())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start jsrt: {e}"))?;
    // A hung test is a failure, not a hung suite.
    let deadline = std::time::Instant::now() + Duration::from_secs(120);
    loop {
        if child.try_wait().map_err(|e| e.to_string())?.is_some() {
            break;
        }
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            return Err("timed out after 120 s".into());
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    let out = child.wait_with_output().map_err(|e| e.to_string())?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    if out.status.success() && expect.is_none_or(|e| stdout.contains(e)) {
        Ok(())
    } else {
        Err(format!(
            "exit status {:?}\n--- stdout\n{}\n--- stderr\n{}",
            out.status.code(),
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
        .into())
    }
}

fn main() {
    let args = Arguments::from_args();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests");
    let root = root.canonicalize().unwrap_or(root);
    common::build_wat(&root);
    common::build_wat(&root.join("../examples"));
    let mut files = Vec::new();
    collect(&root, &mut files);
    let mut trials: Vec<Trial> = files
        .into_iter()
        .map(|p| {
            let name = p.strip_prefix(&root).unwrap_or(&p).to_string_lossy().into_owned();
            Trial::test(name, move || run(&p))
        })
        .collect();
    // The examples the README points at, with what they must print.
    let examples = root.join("../examples");
    for (file, args, expect) in [
        ("hello.js", &[][..], "Hello from jsrt"),
        ("wasm/fibonacci.js", &["20"][..], "fib(20) = 6765"),
        ("wasm/hello.js", &[][..], "hello from WebAssembly, call #2"),
        ("wasm/math.js", &[][..], "div(1, 0) threw RuntimeError: integer divide by zero"),
    ] {
        let path = examples.join(file);
        trials.push(Trial::test(format!("examples/{file}"), move || run_with(&path, args, Some(expect))));
    }
    libtest_mimic::run(&args, trials).exit();
}
