//! The code cache as the compiled tier uses it (the entries themselves: `crates/jsrt-codecache`):
//! the key of a module, and what a lookup means for it.
//!
//! The key is a SHA-256 of the exact bytes WAMR loads (after module.rs's passes), jsrt's
//! version, the compiler's identity and options, and the CPU the code is compiled for.

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};

use sha2::{Digest, Sha256};

pub use jsrt_codecache::{Key, Lookup, DEFAULT_MAX_BYTES};

/// What the compiled code depends on besides the module: WAMR's version and the compiler's
/// options as `crates/jsrt-aotc/wamr/compile.c` sets them (for a reader of the key), and a
/// fingerprint of that file and of jsrt's patches to WAMR (build.rs), which changes the key
/// whenever either changes.
const COMPILER_ID: &str = concat!(
    "wamr-2.4.3 jsrt-aotc opt3 size3 bounds-checks stack-checks aux-stack-checks suspend-checks tiny-frames bulk-memory ref-types tail-call simd extended-const sources-",
    env!("JSRT_COMPILER_SOURCES")
);

/// `$XDG_CACHE_HOME/jsrt/wasm`, else `~/.cache/jsrt/wasm`.
pub fn default_dir() -> Option<std::path::PathBuf> {
    jsrt_codecache::default_dir()
}

/// The cache key of a module WAMR loads as `prepared`.
pub(crate) fn key_of(prepared: &[u8]) -> Key {
    let mut h = Sha256::new();
    h.update(b"jsrt code cache\0");
    h.update(env!("CARGO_PKG_VERSION").as_bytes());
    h.update(b"\0");
    h.update(COMPILER_ID.as_bytes());
    h.update(b"\0");
    h.update(cpu_id());
    h.update((prepared.len() as u64).to_le_bytes());
    h.update(prepared);
    Key(h.finalize().into())
}

/// What identifies the CPU the compiler targets (it compiles for the host CPU): vendor,
/// family/model/stepping and the feature bits of CPUID leaves 1 and 7.
fn cpu_id() -> Vec<u8> {
    #[cfg(target_arch = "x86_64")]
    {
        use std::arch::x86_64::{__cpuid, __cpuid_count};
        let l0 = __cpuid(0);
        let l1 = __cpuid(1);
        let mut id = Vec::with_capacity(48);
        for r in [l0.ebx, l0.edx, l0.ecx, l1.eax, l1.ecx, l1.edx] {
            id.extend_from_slice(&r.to_le_bytes());
        }
        // Leaf 7 only when leaf 0 says the CPU has it.
        if l0.eax >= 7 {
            let l7 = __cpuid_count(7, 0);
            for r in [l7.ebx, l7.ecx, l7.edx] {
                id.extend_from_slice(&r.to_le_bytes());
            }
        }
        id
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        std::env::consts::ARCH.as_bytes().to_vec()
    }
}

/// Looks `key` up, saying what it found when tracing.
pub(crate) fn read(dir: &Path, key: &Key) -> Lookup {
    let found = jsrt_codecache::read(dir, key);
    if let Lookup::Missing { damaged: true } = found {
        super::trace(|| format!("the cache entry {}.aot in {} was damaged: removed, compiling again", key.hex(), dir.display()));
    }
    found
}

/// Says on stderr, once per process, that the cache cannot be written.
pub(crate) fn warn(what: impl std::fmt::Display) {
    static WARNED: AtomicBool = AtomicBool::new(false);
    if !WARNED.swap(true, Ordering::Relaxed) {
        eprintln!("jsrt: warning: wasm code cache: {what} (compiled code is not kept; --no-wasm-cache silences this)");
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn keys_depend_on_every_byte() {
        assert_ne!(super::key_of(b"ab"), super::key_of(b"ac"));
        assert_eq!(super::key_of(b"ab"), super::key_of(b"ab"));
    }
}
