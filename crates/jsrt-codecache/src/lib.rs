//! jsrt's code cache: compiled wasm modules on disk, one file per module, named by a 32-byte
//! key its user derives (jsrt-wasm's `compiled/cache.rs`: the exact bytes WAMR loads, jsrt's
//! version, the compiler's options, the CPU). jsrt-wasm reads entries; `jsrt-aotc` writes
//! them, so that a compilation finishes and is kept even after the jsrt that started it has
//! exited.
//!
//! Never trusted blindly: a file is used only when its header, its key, its length and the
//! CRC-32 of its code all check out; anything else (truncated, corrupted, from another key or
//! another format) is removed and the module compiled again. Written atomically (a temporary
//! file in the same directory, renamed), bounded in size (least recently used entries go
//! first: a hit touches its file's modification time). A compilation in progress holds a
//! lock file (`<key>.lock`, so two processes do not compile one module twice); a compilation
//! that failed leaves `<key>.fail` with its reason (so it is not tried again by this version).

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime};

/// The cache's default size bound.
pub const DEFAULT_MAX_BYTES: u64 = 512 << 20;

const MAGIC: &[u8; 8] = b"JSRTAOT\0";
const FORMAT: u32 = 1;
/// Magic, format, key, code length, CRC-32 of the code.
const HEADER: usize = 8 + 4 + 32 + 8 + 4;

/// `$XDG_CACHE_HOME/jsrt/wasm`, else `~/.cache/jsrt/wasm`.
pub fn default_dir() -> Option<PathBuf> {
    let base = std::env::var_os("XDG_CACHE_HOME").filter(|v| !v.is_empty()).map(PathBuf::from).filter(|p| p.is_absolute());
    let base = base.or_else(|| std::env::var_os("HOME").filter(|v| !v.is_empty()).map(|h| PathBuf::from(h).join(".cache")))?;
    Some(base.join("jsrt").join("wasm"))
}

/// An entry's key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key(pub [u8; 32]);

impl Key {
    pub fn hex(&self) -> String {
        self.0.iter().map(|b| format!("{b:02x}")).collect()
    }

    pub fn from_hex(s: &str) -> Option<Key> {
        if s.len() != 64 || !s.is_ascii() {
            return None;
        }
        let mut k = [0u8; 32];
        for (i, b) in k.iter_mut().enumerate() {
            *b = u8::from_str_radix(&s[2 * i..2 * i + 2], 16).ok()?;
        }
        Some(Key(k))
    }

    fn file(&self, dir: &Path, ext: &str) -> PathBuf {
        dir.join(format!("{}.{ext}", self.hex()))
    }
}

/// What looking a key up found.
#[derive(Debug, PartialEq, Eq)]
pub enum Lookup {
    /// Sound compiled code.
    Code(Vec<u8>),
    /// A compilation of this key failed before, for this reason.
    Failed(String),
    /// A sound entry is not there (a damaged one was removed: `damaged`).
    Missing { damaged: bool },
}

/// Looks `key` up in `dir`.
pub fn read(dir: &Path, key: &Key) -> Lookup {
    let path = key.file(dir, "aot");
    let Ok(mut file) = fs::read(&path) else {
        return match fs::read_to_string(key.file(dir, "fail")) {
            Ok(reason) => Lookup::Failed(reason),
            Err(_) => Lookup::Missing { damaged: false },
        };
    };
    if !sound(&file, key) {
        let _ = fs::remove_file(&path);
        return Lookup::Missing { damaged: true };
    }
    touch(&path);
    // The code is the file after its header (no copy of megabytes of code).
    file.drain(..HEADER);
    Lookup::Code(file)
}

/// Removes the entry for `key`, if there is one.
pub fn remove(dir: &Path, key: &Key) {
    let _ = fs::remove_file(key.file(dir, "aot"));
}

/// Whether an entry's header, key, length and checksum all agree.
fn sound(file: &[u8], key: &Key) -> bool {
    if file.len() < HEADER || &file[..8] != MAGIC || file[8..12] != FORMAT.to_le_bytes() || file[12..44] != key.0 {
        return false;
    }
    let len = u64::from_le_bytes(file[44..52].try_into().expect("8 bytes"));
    let crc = u32::from_le_bytes(file[52..56].try_into().expect("4 bytes"));
    let code = &file[HEADER..];
    code.len() as u64 == len && crc32fast::hash(code) == crc
}

/// Marks an entry as just used (least recently used entries are evicted first).
fn touch(path: &Path) {
    if let Ok(f) = fs::File::options().write(true).open(path) {
        let _ = f.set_modified(SystemTime::now());
    }
}

/// Stores `code` for `key` (atomically), then keeps the cache under `max_bytes`.
pub fn write(dir: &Path, key: &Key, code: &[u8], max_bytes: u64) -> std::io::Result<()> {
    let mut entry = Vec::with_capacity(HEADER + code.len());
    entry.extend_from_slice(MAGIC);
    entry.extend_from_slice(&FORMAT.to_le_bytes());
    entry.extend_from_slice(&key.0);
    entry.extend_from_slice(&(code.len() as u64).to_le_bytes());
    entry.extend_from_slice(&crc32fast::hash(code).to_le_bytes());
    entry.extend_from_slice(code);
    write_atomically(dir, &key.file(dir, "aot"), &entry)?;
    evict(dir, max_bytes);
    Ok(())
}

/// Records that compiling `key` failed, and why (a short text).
pub fn write_failure(dir: &Path, key: &Key, reason: &str) -> std::io::Result<()> {
    write_atomically(dir, &key.file(dir, "fail"), reason.as_bytes())
}

/// Writes `bytes` to `path` through a temporary file in `dir`, renamed.
fn write_atomically(dir: &Path, path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    fs::create_dir_all(dir)?;
    // Unique per process and per write: two compiles of one module may finish together.
    static WRITES: AtomicU64 = AtomicU64::new(0);
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("entry");
    let tmp = dir.join(format!(".{name}.{}.{}.tmp", std::process::id(), WRITES.fetch_add(1, Ordering::Relaxed)));
    let written = fs::File::create(&tmp).and_then(|mut f| f.write_all(bytes));
    match written.and_then(|()| fs::rename(&tmp, path)) {
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
    let mut entries: Vec<(SystemTime, u64, PathBuf)> = listing
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

/// The lock of a compilation in progress; removed when dropped.
pub struct Lock(PathBuf);

impl Drop for Lock {
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.0);
    }
}

/// Takes the lock of compiling `key`: None while another process holds it (a lock older than
/// `stale_after` is a compilation that died, and is taken over).
pub fn lock(dir: &Path, key: &Key, stale_after: Duration) -> std::io::Result<Option<Lock>> {
    fs::create_dir_all(dir)?;
    let path = key.file(dir, "lock");
    for _ in 0..2 {
        match fs::File::options().write(true).create_new(true).open(&path) {
            Ok(mut f) => {
                let _ = write!(f, "{}", std::process::id());
                return Ok(Some(Lock(path)));
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                if fresh(&path, stale_after) {
                    return Ok(None);
                }
                let _ = fs::remove_file(&path);
            }
            Err(e) => return Err(e),
        }
    }
    Ok(None)
}

/// Whether a compilation of `key` is in progress (its lock is there and fresh).
pub fn locked(dir: &Path, key: &Key, stale_after: Duration) -> bool {
    fresh(&key.file(dir, "lock"), stale_after)
}

/// Whether the lock file at `path` exists and is younger than `stale_after`.
fn fresh(path: &Path, stale_after: Duration) -> bool {
    let age = fs::metadata(path).and_then(|m| m.modified()).ok().and_then(|t| t.elapsed().ok());
    age.is_some_and(|a| a < stale_after)
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
        let key = Key([1; 32]);
        assert_eq!(read(&dir, &key), Lookup::Missing { damaged: false });
        write(&dir, &key, b"compiled code", DEFAULT_MAX_BYTES).unwrap();
        assert_eq!(read(&dir, &key), Lookup::Code(b"compiled code".to_vec()));
        let path = key.file(&dir, "aot");
        // A flipped bit in the code, a truncated file, a file under another key: all refused
        // and removed.
        let good = fs::read(&path).unwrap();
        let mut flipped = good.clone();
        *flipped.last_mut().unwrap() ^= 1;
        for bad in [flipped, good[..good.len() - 1].to_vec(), good[..10].to_vec()] {
            fs::write(&path, &bad).unwrap();
            assert_eq!(read(&dir, &key), Lookup::Missing { damaged: true });
            assert!(!path.exists(), "a damaged entry is removed");
        }
        let other = Key([2; 32]);
        fs::write(other.file(&dir, "aot"), &good).unwrap();
        assert_eq!(read(&dir, &other), Lookup::Missing { damaged: true }, "an entry stored under another key is refused");
        let _ = fs::remove_dir_all(&dir);
    }

    #[test]
    fn keys_as_hex() {
        let k = Key([0xab; 32]);
        assert_eq!(Key::from_hex(&k.hex()), Some(k));
        assert_eq!(Key::from_hex("zz"), None);
    }

    #[test]
    fn failures_and_locks() {
        let dir = temp_dir("fail");
        let key = Key([3; 32]);
        write_failure(&dir, &key, "too slow").unwrap();
        assert_eq!(read(&dir, &key), Lookup::Failed("too slow".into()));
        let held = lock(&dir, &key, Duration::from_secs(60)).unwrap().expect("free");
        assert!(locked(&dir, &key, Duration::from_secs(60)));
        assert!(lock(&dir, &key, Duration::from_secs(60)).unwrap().is_none(), "held elsewhere");
        // A lock older than the limit belongs to a compilation that died.
        assert!(lock(&dir, &key, Duration::ZERO).unwrap().is_some());
        drop(held);
        let _ = fs::remove_dir_all(&dir);
    }

    #[test]
    fn eviction_keeps_the_recently_used() {
        let dir = temp_dir("evict");
        let keys: Vec<Key> = (0..4u8).map(|i| Key([i; 32])).collect();
        for (i, k) in keys.iter().enumerate() {
            write(&dir, k, &[0u8; 1000], u64::MAX).unwrap();
            let t = SystemTime::now() - Duration::from_secs(100 - i as u64);
            fs::File::options().write(true).open(k.file(&dir, "aot")).unwrap().set_modified(t).unwrap();
        }
        // Reading the oldest makes it the most recent; the bound then drops the two next oldest.
        assert!(matches!(read(&dir, &keys[0]), Lookup::Code(_)));
        evict(&dir, 2 * (HEADER as u64 + 1000));
        let kept: Vec<bool> = keys.iter().map(|k| k.file(&dir, "aot").exists()).collect();
        assert_eq!(kept, [true, false, false, true]);
        let _ = fs::remove_dir_all(&dir);
    }

    #[test]
    fn an_unwritable_directory_is_no_failure() {
        let key = Key([4; 32]);
        // A path below a regular file cannot be created.
        let file = temp_dir("file");
        fs::write(&file, b"not a directory").unwrap();
        assert!(write(&file.join("sub"), &key, b"code", DEFAULT_MAX_BYTES).is_err());
        assert_eq!(read(&file.join("sub"), &key), Lookup::Missing { damaged: false });
        let _ = fs::remove_file(&file);
    }
}
