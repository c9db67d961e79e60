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

fn main() {
    let args = Arguments::from_args();
    let have_npm = Command::new("npm").arg("--version").output().is_ok_and(|o| o.status.success());
    let mut scripts: Vec<PathBuf> = std::fs::read_dir(dir())
        .map(|rd| rd.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    scripts.retain(|p| p.extension().is_some_and(|e| e == "js" || e == "mjs"));
    scripts.sort();
    let trials = scripts
        .into_iter()
        .map(|p| {
            let name = format!("compat/{}", p.file_name().unwrap().to_string_lossy());
            Trial::test(name, move || run(&p)).with_ignored_flag(!have_npm)
        })
        .collect();
    libtest_mimic::run(&args, trials).exit();
}
