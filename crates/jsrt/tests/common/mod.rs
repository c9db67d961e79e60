//! Helpers the test binaries share (`mod common;`).

use std::path::Path;
use std::process::Command;

/// Compiles every `.wat` below `dir` to a `.wasm` beside it when missing or stale, so JS tests
/// can load real modules without wabt; likewise `fixtures/*.c` (WASI programs, with clang and
/// wasi-libc, which `./x` installs; the committed `.wasm` is used when clang is missing).
pub fn build_wat(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for p in entries.flatten().map(|e| e.path()) {
        let out = p.with_extension("wasm");
        let stale = || match (std::fs::metadata(&p), std::fs::metadata(&out)) {
            (Ok(a), Ok(b)) => a.modified().ok() > b.modified().ok(),
            _ => true,
        };
        if p.is_dir() {
            build_wat(&p);
        } else if p.extension().is_some_and(|e| e == "wat") && stale() {
            let bytes = wat::parse_file(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
            std::fs::write(&out, bytes).unwrap();
        } else if p.extension().is_some_and(|e| e == "c") && p.parent().is_some_and(|d| d.ends_with("fixtures")) && stale() {
            let built = Command::new("clang")
                .args(["--target=wasm32-wasi", "-O2", "-Wl,--strip-all", "-o"])
                .arg(&out)
                .arg(&p)
                .status();
            if let Ok(s) = built {
                assert!(s.success() || out.exists(), "{}: clang failed", p.display());
            }
        }
    }
}
