//! Gives the code cache (src/compiled/cache.rs) a fingerprint of what decides the compiled
//! code besides the module: jsrt-aotc's call into WAMR's compiler (`crates/jsrt-aotc/wamr/`)
//! and jsrt's patches to WAMR (`vendor/wamrx-sys/patches/`), so that a change to either
//! makes every cache key new without anyone remembering to bump a string.

use std::hash::Hasher;
use std::path::{Path, PathBuf};

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut files: Vec<PathBuf> = Vec::new();
    for dir in ["crates/jsrt-aotc/wamr", "vendor/wamrx-sys/patches"] {
        let dir = root.join(dir);
        println!("cargo:rerun-if-changed={}", dir.display());
        if let Ok(entries) = std::fs::read_dir(&dir) {
            files.extend(entries.filter_map(|e| Some(e.ok()?.path())));
        }
    }
    files.sort();
    // FNV-1a, 64 bits: a fingerprint, not a defence (the key itself is SHA-256).
    let mut h = Fnv(0xcbf2_9ce4_8422_2325);
    for file in &files {
        println!("cargo:rerun-if-changed={}", file.display());
        h.write(file.file_name().map(|n| n.as_encoded_bytes()).unwrap_or_default());
        h.write(&std::fs::read(file).unwrap_or_default());
    }
    println!("cargo:rustc-env=JSRT_COMPILER_SOURCES={:016x}", h.finish());
}

struct Fnv(u64);

impl Hasher for Fnv {
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0 ^ *b as u64).wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    fn finish(&self) -> u64 {
        self.0
    }
}
