//! The code cache: compiled modules on disk, one file per module, found by a key made of the
//! exact bytes WAMR loads, jsrt's version, the compiler's options and the CPU.
//!
//! Never trusted blindly: a file is used only when its header, its key, its length and the
//! CRC-32 of its code all check out; anything else (truncated, corrupted, from another key or
//! another version) is removed and the module compiled again. WAMR's AOT loader then checks
//! the code's own format, target and features. Written atomically (a temporary file in the
//! same directory, renamed), bounded in size (least recently used entries go first: a hit
//! touches its file's modification time). Any I/O failure is at most one warning on stderr.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use sha2::{Digest, Sha256};

/// The cache's default size bound.
pub const DEFAULT_MAX_BYTES: u64 = 512 << 20;

const MAGIC: &[u8; 8] = b"JSRTAOT\0";
const FORMAT: u32 = 1;
/// Magic, format, key, code length, CRC-32 of the code.
const HEADER: usize = 8 + 4 + 32 + 8 + 4;

/// What the compiled code depends on besides the module: keep in step with
/// `crates/jsrt-aotc/wamr/compile.c` and with jsrt's patches to WAMR's compiler (a change to
/// either must change this string: `+jsrt-NNNN` names the last patch).
const COMPILER_ID: &str = "wamr-2.4.3+jsrt-0009c jsrt-aotc opt3 size3 bounds-checks stack-checks aux-stack-checks suspend-checks bulk-memory ref-types tail-call simd extended-const";

/// `$XDG_CACHE_HOME/jsrt/wasm`, else `~/.cache/jsrt/wasm`.
pub fn default_dir() -> Option<PathBuf> {
    let base = std::env::var_os("XDG_CACHE_HOME").filter(|v| !v.is_empty()).map(PathBuf::from).filter(|p| p.is_absolute());
    let base = base.or_else(|| std::env::var_os("HOME").filter(|v| !v.is_empty()).map(|h| PathBuf::from(h).join(".cache")))?;
    Some(base.join("jsrt").join("wasm"))
}

/// A cache key (SHA-256).
pub(crate) struct Key([u8; 32]);

impl Key {
    pub(crate) fn of(prepared: &[u8]) -> Key {
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

    fn file_name(&self) -> String {
        let hex: String = self.0.iter().map(|b| format!("{b:02x}")).collect();
        format!("{hex}.aot")
    }
}

/// What identifies the CPU the compiler targets (it compiles for the host CPU): vendor,
/// family/model/stepping and the feature bits of CPUID leaves 1 and 7.
fn cpu_id() -> Vec<u8> {
    #[cfg(target_arch = "x86_64")]
    {
        use std::arch::x86_64::{__cpuid, __cpuid_count};
        // Leaf 7 is read only when leaf 0 says the CPU has it.
        {
            let l0 = __cpuid(0);
            let l1 = __cpuid(1);
            let mut id = Vec::with_capacity(48);
            for r in [l0.ebx, l0.edx, l0.ecx, l1.eax, l1.ecx, l1.edx] {
                id.extend_from_slice(&r.to_le_bytes());
            }
            if l0.eax >= 7 {
                let l7 = __cpuid_count(7, 0);
                for r in [l7.ebx, l7.ecx, l7.edx] {
                    id.extend_from_slice(&r.to_le_bytes());
                }
            }
            id
        }
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        std::env::consts::ARCH.as_bytes().to_vec()
    }
}

/// Says what went wrong with the cache, once per process.
fn warn(what: impl std::fmt::Display) {
    static WARNED: AtomicBool = AtomicBool::new(false);
    if !WARNED.swap(true, Ordering::Relaxed) {
        eprintln!("jsrt: warning: wasm code cache: {what} (compiled code is not kept; --no-wasm-cache silences this)");
    }
}

/// The compiled code stored for `key`, if a sound entry is there. An unsound entry is removed.
pub(crate) fn read(dir: &Path, key: &Key) -> Option<Vec<u8>> {
    let path = dir.join(key.file_name());
    let file = fs::read(&path).ok()?;
    match check(&file, key) {
        Some(code) => {
            touch(&path);
            Some(code.to_vec())
        }
        None => {
            super::trace(|| format!("cache entry {} is damaged: removed, compiling again", path.display()));
            let _ = fs::remove_file(&path);
            None
        }
    }
}

/// Removes the entry for `key`, if there is one.
pub(crate) fn remove(dir: &Path, key: &Key) {
    let _ = fs::remove_file(dir.join(key.file_name()));
}

/// The code in an entry's bytes, if the header, key, length and checksum all agree.
fn check<'f>(file: &'f [u8], key: &Key) -> Option<&'f [u8]> {
    if file.len() < HEADER || &file[..8] != MAGIC || file[8..12] != FORMAT.to_le_bytes() || file[12..44] != key.0 {
        return None;
    }
    let len = u64::from_le_bytes(file[44..52].try_into().ok()?);
    let crc = u32::from_le_bytes(file[52..56].try_into().ok()?);
    let code = &file[HEADER..];
    (code.len() as u64 == len && crc32fast::hash(code) == crc).then_some(code)
}

/// Marks an entry as just used (least recently used entries are evicted first).
fn touch(path: &Path) {
    if let Ok(f) = fs::File::options().write(true).open(path) {
        let _ = f.set_modified(std::time::SystemTime::now());
    }
}

/// Stores `code` for `key` (atomically), then keeps the cache under `max_bytes`.
pub(crate) fn write(dir: &Path, key: &Key, code: &[u8], max_bytes: u64) {
    if let Err(e) = write_entry(dir, key, code) {
        warn(format_args!("cannot write to {}: {e}", dir.display()));
        return;
    }
    evict(dir, max_bytes);
}

fn write_entry(dir: &Path, key: &Key, code: &[u8]) -> std::io::Result<()> {
    fs::create_dir_all(dir)?;
    let mut entry = Vec::with_capacity(HEADER + code.len());
    entry.extend_from_slice(MAGIC);
    entry.extend_from_slice(&FORMAT.to_le_bytes());
    entry.extend_from_slice(&key.0);
    entry.extend_from_slice(&(code.len() as u64).to_le_bytes());
    entry.extend_from_slice(&crc32fast::hash(code).to_le_bytes());
    entry.extend_from_slice(code);
    let name = key.file_name();
    // Unique per process and per write: two compiles of one module may finish together.
    static WRITES: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let tmp = dir.join(format!(".{name}.{}.{}.tmp", std::process::id(), WRITES.fetch_add(1, Ordering::Relaxed)));
    let written = fs::File::create(&tmp).and_then(|mut f| f.write_all(&entry));
    match written.and_then(|()| fs::rename(&tmp, dir.join(&name))) {
        Ok(()) => Ok(()),
        Err(e) => {
            let _ = fs::remove_file(&tmp);
            Err(e)
        }
    }
}

/// Removes the least recently used entries until the cache holds at most `max_bytes`.
fn evict(dir: &Path, max_bytes: u64) {
    let Ok(listing) = fs::read_dir(dir) else { return };
    let mut entries: Vec<(std::time::SystemTime, u64, PathBuf)> = listing
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".aot"))
        .filter_map(|e| {
            let meta = e.metadata().ok()?;
            Some((meta.modified().ok()?, meta.len(), e.path()))
        })
        .collect();
    let mut total: u64 = entries.iter().map(|e| e.1).sum();
    entries.sort();
    for (_, len, path) in entries {
        if total <= max_bytes {
            break;
        }
        if fs::remove_file(&path).is_ok() {
            total -= len;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp_dir(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("jsrt-cache-test-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&d);
        d
    }

    #[test]
    fn round_trip_and_damage() {
        let dir = temp_dir("damage");
        let key = Key::of(b"\0asm\x01\0\0\0");
        assert!(read(&dir, &key).is_none());
        write(&dir, &key, b"compiled code", DEFAULT_MAX_BYTES);
        assert_eq!(read(&dir, &key).as_deref(), Some(&b"compiled code"[..]));
        let path = dir.join(key.file_name());
        // A flipped bit in the code, a truncated file, a file under another key: all refused
        // and removed.
        let good = fs::read(&path).unwrap();
        let mut flipped = good.clone();
        *flipped.last_mut().unwrap() ^= 1;
        for bad in [flipped, good[..good.len() - 1].to_vec(), good[..10].to_vec()] {
            fs::write(&path, &bad).unwrap();
            assert!(read(&dir, &key).is_none());
            assert!(!path.exists(), "a damaged entry is removed");
        }
        let other = Key::of(b"other");
        fs::write(dir.join(other.file_name()), &good).unwrap();
        assert!(read(&dir, &other).is_none(), "an entry stored under another key is refused");
        let _ = fs::remove_dir_all(&dir);
    }

    #[test]
    fn keys_depend_on_every_byte() {
        assert_ne!(Key::of(b"ab").0, Key::of(b"ac").0);
        assert_eq!(Key::of(b"ab").0, Key::of(b"ab").0);
    }

    #[test]
    fn eviction_keeps_the_recently_used() {
        let dir = temp_dir("evict");
        let keys: Vec<Key> = (0..4u8).map(|i| Key::of(&[i])).collect();
        for (i, k) in keys.iter().enumerate() {
            write(&dir, k, &[0u8; 1000], u64::MAX);
            let t = std::time::SystemTime::now() - std::time::Duration::from_secs(100 - i as u64);
            fs::File::options().write(true).open(dir.join(k.file_name())).unwrap().set_modified(t).unwrap();
        }
        // Reading the oldest makes it the most recent; the bound then drops the two next oldest.
        assert!(read(&dir, &keys[0]).is_some());
        evict(&dir, 2 * (HEADER as u64 + 1000));
        let kept: Vec<bool> = keys.iter().map(|k| dir.join(k.file_name()).exists()).collect();
        assert_eq!(kept, [true, false, false, true]);
        let _ = fs::remove_dir_all(&dir);
    }

    #[test]
    fn an_unwritable_directory_is_no_failure() {
        let key = Key::of(b"x");
        // A path below a regular file cannot be created.
        let file = temp_dir("file");
        fs::write(&file, b"not a directory").unwrap();
        write(&file.join("sub"), &key, b"code", DEFAULT_MAX_BYTES);
        assert!(read(&file.join("sub"), &key).is_none());
        let _ = fs::remove_file(&file);
    }
}
