//! Process-wide WAMR initialisation and the limits every module and instance is held to
//! (the seed design's "Runtime Configuration": defaults, minimums and maximums).

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock};

use wamrx_sys as sys;

/// Limits, validated by [`Limits::validate`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Bytes of WAMR stack (operand stack and frames) per executing instance.
    pub stack_size: u32,
    /// Bytes of WAMR's per-instance app heap (only for modules that use `malloc` exports).
    pub heap_size: u32,
    /// Largest linear memory, in bytes, a module may declare or grow to.
    pub max_memory: u64,
    /// Most modules loaded at once.
    pub max_modules: usize,
    /// Proxy functions per module for other instances' functions it calls indirectly
    /// (proxy.rs): how many distinct foreign functions its instances can hold.
    pub foreign_functions: u32,
}

pub const KIB: u64 = 1024;
pub const MIB: u64 = 1024 * KIB;
pub const GIB: u64 = 1024 * MIB;

impl Limits {
    pub const DEFAULT: Limits = Limits {
        stack_size: 512 * KIB as u32,
        heap_size: 0,
        max_memory: 4 * GIB,
        max_modules: 100_000,
        foreign_functions: 1024,
    };
    pub const MIN_STACK: u64 = 16 * KIB;
    pub const MAX_STACK: u64 = 64 * MIB;
    pub const MAX_HEAP: u64 = GIB;
    pub const MIN_MEMORY: u64 = 64 * KIB;
    pub const MAX_MEMORY: u64 = 4 * GIB;

    /// Builds limits from optional overrides, checking each against its range.
    pub fn from_overrides(
        stack: Option<u64>,
        heap: Option<u64>,
        memory: Option<u64>,
        modules: Option<u64>,
    ) -> Result<Limits, LimitsError> {
        let mut l = Limits::DEFAULT;
        if let Some(s) = stack {
            check("--wasm-stack-size", s, Self::MIN_STACK, Self::MAX_STACK)?;
            l.stack_size = s as u32;
        }
        if let Some(h) = heap {
            check("--wasm-heap-size", h, 0, Self::MAX_HEAP)?;
            l.heap_size = h as u32;
        }
        if let Some(m) = memory {
            check("--wasm-max-memory", m, Self::MIN_MEMORY, Self::MAX_MEMORY)?;
            l.max_memory = m;
        }
        if let Some(n) = modules {
            check("--wasm-max-modules", n, 1, 10_000_000)?;
            l.max_modules = n as usize;
        }
        Ok(l)
    }

    /// These limits with `--wasm-foreign-functions` applied (16..65536).
    pub fn with_foreign_functions(mut self, n: Option<u64>) -> Result<Limits, LimitsError> {
        if let Some(n) = n {
            check("--wasm-foreign-functions", n, 16, 65536)?;
            self.foreign_functions = n as u32;
        }
        Ok(self)
    }

    /// The most 64 KiB pages a memory may have under these limits.
    pub fn max_pages(&self) -> u32 {
        (self.max_memory / (64 * KIB)).min(65536) as u32
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LimitsError(pub String);

impl std::fmt::Display for LimitsError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

fn check(flag: &str, v: u64, min: u64, max: u64) -> Result<(), LimitsError> {
    if v < min || v > max {
        // Sizes are in bytes; the module and function limits are counts.
        let unit = if flag.ends_with("-modules") || flag.ends_with("-functions") { "" } else { " bytes" };
        Err(LimitsError(format!("{flag} must be between {min} and {max}{unit} (got {v})")))
    } else {
        Ok(())
    }
}

static LIMITS: OnceLock<Limits> = OnceLock::new();
static INIT: OnceLock<bool> = OnceLock::new();
pub(crate) static LIVE_MODULES: AtomicUsize = AtomicUsize::new(0);
/// Serialises WAMR's global native registry around module loads (see `module.rs`).
pub(crate) static LOAD_LOCK: Mutex<()> = Mutex::new(());

/// Sets the limits; only the first call (before any module is loaded) takes effect.
pub fn configure(limits: Limits) -> bool {
    LIMITS.set(limits).is_ok()
}

pub fn limits() -> Limits {
    *LIMITS.get_or_init(|| Limits::DEFAULT)
}

/// Initialises WAMR once per process. Returns false if WAMR refused.
pub fn ensure_init() -> bool {
    *INIT.get_or_init(|| {
        let mut args = sys::RuntimeInitArgs {
            mem_alloc_type: sys::Alloc_With_System_Allocator,
            running_mode: sys::Mode_Interp,
            ..Default::default()
        };
        // SAFETY: `args` is a fully initialised struct; WAMR copies what it needs. This runs
        // once per process (OnceLock) before any other WAMR call.
        let ok = unsafe { sys::wasm_runtime_full_init(&mut args) };
        // Errors reach the embedder as values; WAMR's own log lines would only be noise.
        // SAFETY: a plain setter, valid after initialisation.
        unsafe { sys::wasm_runtime_set_log_level(sys::WASM_LOG_LEVEL_FATAL) };
        crate::atomics::install();
        ok
    })
}

pub(crate) fn module_count() -> usize {
    LIVE_MODULES.load(Ordering::Relaxed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_are_validated() {
        assert_eq!(Limits::from_overrides(None, None, None, None).unwrap(), Limits::DEFAULT);
        assert!(Limits::from_overrides(Some(1024), None, None, None).is_err());
        assert!(Limits::from_overrides(Some(128 * GIB), None, None, None).is_err());
        assert!(Limits::from_overrides(None, None, Some(8 * GIB), None).is_err());
        let l = Limits::from_overrides(Some(MIB), None, Some(2 * MIB), Some(5)).unwrap();
        assert_eq!((l.stack_size, l.max_pages(), l.max_modules), (MIB as u32, 32, 5));
        assert!(l.with_foreign_functions(Some(8)).is_err());
        assert_eq!(l.with_foreign_functions(Some(4096)).unwrap().foreign_functions, 4096);
    }
}
