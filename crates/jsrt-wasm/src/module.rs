//! Modules: loading and validating bytes with WAMR (its loader's messages are the compile
//! errors), and describing imports, exports and custom sections (parsed with `wasmparser`).

use std::ffi::{c_char, c_void, CString};
use std::sync::atomic::Ordering;
use std::sync::Mutex;

use wamrx_sys as sys;

use crate::engine::{self, LIVE_MODULES, LOAD_LOCK};
use crate::error::Error;
use crate::val::{FuncType, ValType};

pub use crate::info::{inspect, ExportInfo, ExternType, ImportInfo, ModuleInfo};

/// Checks bytes the way `WebAssembly.validate` does (full validation, function bodies too).
pub fn validate(bytes: &[u8]) -> Result<(), String> {
    validate_and_scan(bytes).map(|_| ())
}

pub use crate::scan::MAX_MODULE_SIZE;
use crate::scan::{validate_and_scan, Scan};

/// Attachment of one imported function (registered per import while the module loads): its
/// index among the module's function imports, which the trampoline reads.
#[repr(C)]
pub(crate) struct ImportSlot {
    pub index: u32,
}

/// The single native every function import is registered as (host.rs's `trampoline`, handed
/// down by `Module::new`: module loading does not depend on how host calls are made).
pub(crate) type Trampoline = unsafe extern "C" fn(sys::wasm_exec_env_t, *mut u64);

/// A loaded, validated module. Holds its bytes (WAMR keeps pointers into them).
pub struct Module {
    /// What WAMR loaded first: the prepared bytes for the interpreter, or their compiled code.
    loaded: Loaded,
    /// Compiled code on its way from a background compile (compiled/: the `auto` tier).
    pending: Option<crate::compiled::Pending>,
    /// That code, loaded in WAMR by the first instantiation after it arrived.
    upgraded: std::sync::OnceLock<Loaded>,
    /// The natives of the module's function imports, registered while WAMR loads it.
    natives: Natives,
    _bytes: Box<[u8]>,
    /// The bytes as given, when WAMR loads a rewritten copy (stack traces: codemap.rs).
    original: Option<Box<[u8]>>,
    code_map: crate::codemap::CodeMap,
    /// Names and source lines, read when a stack trace first needs them (debuginfo.rs).
    pub(crate) debug: std::sync::OnceLock<crate::debuginfo::DebugInfo>,
    pub info: ModuleInfo,
    /// Whether instantiation must call the rewrite's init export (imported memory).
    pub(crate) has_init: bool,
    /// Whether WAMR sees the renamed imports and exports of rewrite.rs.
    renamed: bool,
    /// Lowered function imports (lower.rs), by function import index.
    pub(crate) lowerings: crate::lower::Lowerings,
    /// Proxy pools (proxy.rs), when foreign funcrefs can enter.
    pub(crate) proxies: Option<crate::proxy::ProxyPlan>,
    /// (function import index, WAMR's index of its shim) for lowered imports: wasm refers to
    /// such an import through its shim.
    shims: Vec<(u32, u32)>,
    /// Whether the code writes tables (`table.set`, `grow`, `fill`, `copy`, `init`), for
    /// modules that can share a funcref table.
    pub(crate) writes_tables: bool,
    /// Functions replaced by a trap (bigframe.rs), named in an `unreachable` trap's message.
    pub(crate) big_frames: crate::bigframe::Stubbed,
    /// The global that counts instructions (fuel.rs), when a budget is configured.
    pub(crate) fuel_global: Option<u32>,
}

/// What a function index WAMR uses stands for (see [`Module::classify`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Internal {
    /// The module's own function (original index).
    Func(u32),
    /// Position `k` of proxy pool `p`.
    Pool(usize, u32),
    /// A dispatcher, or an index of no function.
    Other,
}

// SAFETY: a loaded WAMR module is immutable after loading; WAMR allows instantiating it from
// any thread. Its bytes and slots are owned and never mutated.
unsafe impl Send for Module {}
unsafe impl Sync for Module {}

impl Module {
    /// Validates and loads `bytes` (copied), every function import going through
    /// `trampoline` (host.rs's; `Module::new` passes it).
    pub(crate) fn load(bytes: &[u8], trampoline: Trampoline) -> Result<Module, Error> {
        check_loadable(bytes)?;
        let scan = validate_and_scan(bytes).map_err(Error::Compile)?;
        Module::scanned(bytes, scan, trampoline)
    }

    /// [`Module::load`] of bytes that [`crate::scan::Streamed`] validated as they arrived.
    pub(crate) fn load_streamed(stream: crate::scan::Streamed, trampoline: Trampoline) -> Result<Module, Error> {
        let (bytes, scan) = stream.finish().map_err(Error::Compile)?;
        check_loadable(&bytes)?;
        Module::scanned(&bytes, scan, trampoline)
    }

    /// The rest of [`Module::load`] once `bytes` are validated and scanned.
    fn scanned(bytes: &[u8], scan: Scan, trampoline: Trampoline) -> Result<Module, Error> {
        let info = inspect(bytes).map_err(Error::Compile)?;
        check_memory_limits(&info)?;
        // Whether views of shared funcref tables must be compared after each call (table.rs):
        // only modules that can share a funcref table and write tables in their code.
        let shares_funcref_table = info.imports.iter().map(|i| &i.ty).chain(info.exports.iter().map(|e| &e.ty))
            .any(|t| matches!(t, ExternType::Table { elem: ValType::FuncRef, .. }));
        let writes_tables = shares_funcref_table && scan.facts.writes_tables;
        let mut prepared = prepare(bytes, &info, &scan)?;
        let Scan { big_frames, code, .. } = scan;
        let natives = Natives::new(&info, prepared.proxies.as_ref(), prepared.renamed, trampoline)?;
        let (loaded, pending) = match crate::compiled::plan(&info, code, bytes.len(), &prepared.bytes) {
            crate::compiled::Plan::Now(code) => match Loaded::compiled(code, &natives) {
                Ok(l) => (l, None),
                Err(e) => {
                    crate::compiled::rejected(&e, &prepared.bytes);
                    (Loaded::interpreted(&mut prepared.bytes, &natives)?, None)
                }
            },
            crate::compiled::Plan::Later(p) => (Loaded::interpreted(&mut prepared.bytes, &natives)?, Some(p)),
            crate::compiled::Plan::Interp => (Loaded::interpreted(&mut prepared.bytes, &natives)?, None),
        };
        LIVE_MODULES.fetch_add(1, Ordering::Relaxed);
        let Prepared { bytes, original, code_map, has_init, renamed, lowerings, proxies, shims, fuel_global } = prepared;
        Ok(Module { loaded, pending, upgraded: Default::default(), natives, _bytes: bytes, original, code_map, debug: Default::default(), info, has_init, renamed, lowerings, proxies, shims, writes_tables, fuel_global, big_frames })
    }

    /// The WAMR module new instances are made from, and whether it is compiled code: the
    /// compiled code once a background compile has delivered it, else what was loaded first.
    pub(crate) fn for_instance(&self) -> (sys::wasm_module_t, bool) {
        if let Some(code) = self.pending.as_ref().and_then(|p| p.take()) {
            self.upgrade(code);
        }
        let l = self.upgraded.get().unwrap_or(&self.loaded);
        (l.raw, l.compiled)
    }

    /// Waits for the module's background compile, if one runs, so that instances made from
    /// now on run compiled code (the WASI runner: a program instantiated once).
    pub fn finish_compiling(&self) {
        if let Some(code) = self.pending.as_ref().and_then(|p| p.wait()) {
            self.upgrade(code);
        }
    }

    /// Whether instances made now run compiled code.
    pub fn is_compiled(&self) -> bool {
        self.for_instance().1
    }

    fn upgrade(&self, code: Vec<u8>) {
        match Loaded::compiled(code, &self.natives) {
            Ok(l) => {
                let _ = self.upgraded.set(l);
            }
            Err(e) => crate::compiled::rejected(&e, &self._bytes),
        }
    }

    /// Bytes of every custom section named `name`, in order.
    pub fn custom_sections(&self, name: &str) -> Vec<&[u8]> {
        self.info
            .custom_sections
            .iter()
            .filter(|(n, _)| n == name)
            .map(|(_, data)| data.as_slice())
            .collect()
    }

    /// The name WAMR knows the export `name` by.
    pub(crate) fn wamr_export_name(&self, name: &str) -> Option<CString> {
        let pos = self.info.exports.iter().position(|e| e.name == name)?;
        let n = if self.renamed { crate::rewrite::export_name(pos as u32) } else { name.to_string() };
        CString::new(n).ok()
    }

    /// Whether every function can be looked up by index (rewrite.rs's funcref exports).
    pub(crate) fn func_by_index_name(&self, index: u32) -> Option<CString> {
        if !self.renamed {
            return None;
        }
        CString::new(crate::rewrite::func_export_name(self.internal_index(index))).ok()
    }

    /// Types of the hidden result globals lower.rs appended (after every other global).
    pub(crate) fn hidden_global_types(&self) -> Vec<ValType> {
        // From the lowering itself: a lowered import may be one proxy.rs added (a dispatcher),
        // which the module's own function types do not list.
        self.lowerings.iter().filter(|(_, l)| l.result_globals.is_some()).flat_map(|(_, l)| l.result_types.iter().copied()).collect()
    }

    /// WAMR's index of the module's function `index` (original numbering).
    pub(crate) fn internal_index(&self, index: u32) -> u32 {
        if let Some((_, shim)) = self.shims.iter().find(|(i, _)| *i == index) {
            return *shim;
        }
        match &self.proxies {
            Some(p) => p.to_internal(index),
            None => index,
        }
    }

    /// What WAMR's function index `internal` stands for.
    pub(crate) fn classify(&self, internal: u32) -> Internal {
        if let Some((import, _)) = self.shims.iter().find(|(_, s)| *s == internal) {
            return Internal::Func(*import);
        }
        let Some(p) = &self.proxies else {
            return if (internal as usize) < self.info.func_types.len() { Internal::Func(internal) } else { Internal::Other };
        };
        if let Some(i) = p.to_original(internal) {
            return Internal::Func(i);
        }
        match p.pool_function(internal) {
            Some((pool, k)) => Internal::Pool(pool, k),
            None => Internal::Other,
        }
    }

    /// Number of tables WAMR's instance has: imported, defined, and lower.rs's hidden one.
    pub(crate) fn wamr_table_count(&self) -> usize {
        self.info.imports.iter().filter(|i| matches!(i.ty, ExternType::Table { .. })).count()
            + self.info.tables_defined
            + usize::from(!self.lowerings.is_empty())
    }

    /// The module's bytes as they were given.
    pub fn bytes(&self) -> &[u8] {
        self.original.as_deref().unwrap_or(&self._bytes)
    }

    /// The module's own defined function (original index) that WAMR's function `internal`
    /// is; None for the functions jsrt added (proxies, shims, init) and for imports.
    pub(crate) fn own_function(&self, internal: u32) -> Option<u32> {
        match self.classify(internal) {
            Internal::Func(func) if func >= self.func_import_count() as u32 => Some(func),
            _ => None,
        }
    }

    /// The byte offset in the original module of the instruction at `code_offset` into the
    /// code WAMR loaded for the module's defined function `func` (stack traces: codemap.rs).
    pub(crate) fn original_offset(&self, func: u32, code_offset: u32) -> Option<u32> {
        let body = func.checked_sub(self.func_import_count() as u32)?;
        self.code_map.original_offset(self.bytes(), &self._bytes, body, func, code_offset)
    }

    /// Number of imported functions.
    pub fn func_import_count(&self) -> usize {
        self.info.imports.iter().filter(|i| matches!(i.ty, ExternType::Func(_))).count()
    }
}

/// Names, source lines and function offsets for stack traces and profiles (debuginfo.rs).
impl Module {
    /// Names and source lines of this module (read on first use).
    pub fn debug_info(&self) -> &crate::debuginfo::DebugInfo {
        self.debug.get_or_init(|| crate::debuginfo::DebugInfo::read(self.bytes()))
    }

    /// Where the body of function `index` (the module's own, original numbering) starts in
    /// the module's bytes.
    pub fn func_body_offset(&self, index: u32) -> Option<u32> {
        let defined = (index as usize).checked_sub(self.func_import_count())?;
        self.debug_info().body_offset(defined)
    }
}

impl Drop for Module {
    fn drop(&mut self) {
        LIVE_MODULES.fetch_sub(1, Ordering::Relaxed);
    }
}

/// A module as WAMR loaded it: interpreter code or compiled code.
struct Loaded {
    raw: sys::wasm_module_t,
    compiled: bool,
    /// The compiled code WAMR loaded (it keeps pointers into it).
    _code: Option<Box<[u8]>>,
}

impl Loaded {
    /// Loads the prepared bytes for the interpreter (the Module keeps them).
    fn interpreted(bytes: &mut Box<[u8]>, natives: &Natives) -> Result<Loaded, Error> {
        Ok(Loaded { raw: natives.load(bytes)?, compiled: false, _code: None })
    }

    /// Loads compiled code (WAMR's AOT format, checked by its loader).
    fn compiled(code: Vec<u8>, natives: &Natives) -> Result<Loaded, Error> {
        let mut code: Box<[u8]> = code.into();
        Ok(Loaded { raw: natives.load(&mut code)?, compiled: true, _code: Some(code) })
    }
}

impl Drop for Loaded {
    fn drop(&mut self) {
        // SAFETY: `raw` came from wasm_runtime_load and every instance of it holds an Arc to
        // the Module owning this, so none is alive now.
        unsafe { sys::wasm_runtime_unload(self.raw) };
    }
}

/// The engine is up, the module is not over 4 GiB, and fewer modules than the limit live.
fn check_loadable(bytes: &[u8]) -> Result<(), Error> {
    if !engine::ensure_init() {
        return Err(Error::Resource("WebAssembly runtime failed to initialise".into()));
    }
    if bytes.len() > u32::MAX as usize {
        return Err(Error::Compile("module too large".into()));
    }
    let limits = engine::limits();
    if engine::module_count() >= limits.max_modules {
        return Err(Error::Resource(format!("too many WebAssembly modules alive (limit {}; see --wasm-max-modules)", limits.max_modules)));
    }
    Ok(())
}

/// No memory the module declares, imports or exports is over `--wasm-max-memory`.
fn check_memory_limits(info: &ModuleInfo) -> Result<(), Error> {
    let max_pages = engine::limits().max_pages() as u64;
    let memories = info.imports.iter().map(|i| &i.ty).chain(info.exports.iter().map(|e| &e.ty));
    for ty in memories.chain(info.memories.iter()) {
        if let ExternType::Memory { min, .. } = ty {
            if *min > max_pages {
                return Err(Error::Resource(format!("a memory of {min} pages is over the limit of {max_pages} pages (--wasm-max-memory)")));
            }
        }
    }
    Ok(())
}

/// What WAMR loads, made from the module's bytes by the passes of [`prepare`], and what they
/// tell the instances.
struct Prepared {
    bytes: Box<[u8]>,
    /// The module's bytes, when the passes changed them (stack traces map frames back to them).
    original: Option<Box<[u8]>>,
    code_map: crate::codemap::CodeMap,
    has_init: bool,
    renamed: bool,
    lowerings: crate::lower::Lowerings,
    proxies: Option<crate::proxy::ProxyPlan>,
    shims: Vec<(u32, u32)>,
    fuel_global: Option<u32>,
}

/// Module preparation: each pass rewrites the module for something WAMR does not do as the JS
/// API needs (each file says why), in this order:
/// 1. bigframe.rs — functions with more locals than the fast interpreter holds become traps;
/// 2. deadcode.rs — dead code, which can throw WAMR's loader off the live code's slots, goes;
/// 3. fuel.rs — instruction counting, when a budget is configured;
/// 4. tailcall.rs — tail calls into imported functions become call + return;
/// 5. proxy.rs — pools of proxy functions for other instances' functions;
/// 6. lower.rs — shims for imports WAMR cannot call with their own signature;
/// 7. rewrite.rs — names, growable memories and tables, deferred segments and start,
///    imported globals, funcref exports, custom sections.
/// The passes that drop, add or replace instructions record their renumbering in the code
/// map (codemap.rs), so stack traces show offsets in the original bytes.
fn prepare(original: &[u8], info: &ModuleInfo, scan: &Scan) -> Result<Prepared, Error> {
    let Scan { facts, dead_code, big_frames, code } = scan;
    let dead_code = *dead_code;
    let import_funcs = info.func_import_type_indices.len() as u32;
    let mut code_map = crate::codemap::CodeMap::new(big_frames.0.clone());
    let fitted = crate::bigframe::rewrite(original, import_funcs, big_frames).map_err(Error::Compile)?;
    let bytes: &[u8] = fitted.as_deref().unwrap_or(original);
    let live_only = code_map.record(crate::deadcode::rewrite(bytes, dead_code).map_err(Error::Compile)?);
    let bytes: &[u8] = live_only.as_deref().unwrap_or(bytes);
    // The fuel global comes after the module's own globals.
    let own_globals = info.imports.iter().filter(|i| matches!(i.ty, ExternType::Global { .. })).count() as u32 + info.global_inits.len() as u32;
    let counted = match crate::fuel::budget() {
        Some(budget) => Some(crate::fuel::rewrite(bytes, own_globals, budget).map_err(Error::Compile)?),
        None => None,
    };
    let counted = code_map.record(counted);
    let fuel_global = counted.as_ref().map(|_| own_globals);
    let bytes: &[u8] = counted.as_deref().unwrap_or(bytes);
    // (The scan saw every instruction: no tail call at all, nothing for tailcall.rs to look at.)
    let tail_fixed = if code.tail_calls { code_map.record(crate::tailcall::rewrite(bytes).map_err(Error::Compile)?) } else { None };
    let bytes: &[u8] = tail_fixed.as_deref().unwrap_or(bytes);
    let proxied = crate::proxy::add(bytes, info, facts).map_err(Error::Compile)?;
    let (bytes, proxies): (&[u8], Option<crate::proxy::ProxyPlan>) = match &proxied {
        Some((b, plan)) => (b, Some(plan.clone())),
        None => (bytes, None),
    };
    let globals = own_globals as usize + fuel_global.is_some() as usize;
    let (lowered, lowerings, funcs_before_lowering) = lower_imports(bytes, info, proxies.as_ref(), globals);
    let bytes: &[u8] = lowered.as_deref().unwrap_or(bytes);
    let (bytes, has_init, renamed): (Box<[u8]>, bool, bool) = match crate::rewrite::rewrite(bytes, &|i| proxies.as_ref().is_some_and(|p| p.added(i))) {
        Some(r) => (r.bytes.into(), r.has_init, true),
        None => (bytes.into(), false, false),
    };
    let original: Option<Box<[u8]>> = (*bytes != *original).then(|| original.into());
    // Lower.rs's shims follow every other function, one per lowered import, in order.
    let shims = lowerings.iter().enumerate().map(|(k, (import, _))| (*import, funcs_before_lowering + k as u32)).collect();
    Ok(Prepared { bytes, original, code_map, has_init, renamed, lowerings, proxies, shims, fuel_global })
}

/// Lower.rs's pass: the function imports (the module's, then the dispatchers proxy.rs added)
/// WAMR cannot call with their own signature get shims. Returns the new bytes (None: no
/// change), the lowerings, and how many functions there were before the shims.
fn lower_imports(bytes: &[u8], info: &ModuleInfo, proxies: Option<&crate::proxy::ProxyPlan>, globals: usize) -> (Option<Vec<u8>>, crate::lower::Lowerings, u32) {
    let mut import_types: Vec<FuncType> = info.imports.iter().filter_map(|i| match &i.ty {
        ExternType::Func(t) => Some(t.clone()),
        _ => None,
    }).collect();
    let mut import_type_indices = info.func_import_type_indices.clone();
    let mut type_count = info.type_count;
    let mut defined_funcs = (info.func_types.len() - import_types.len()) as u32;
    if let Some(plan) = proxies {
        for (_, t, index) in plan.added_imports(info.type_count) {
            import_types.push(t);
            import_type_indices.push(index);
        }
        type_count += plan.added_types();
        defined_funcs += plan.pools.iter().map(|p| p.len).sum::<u32>();
    }
    let funcs_before_lowering = import_types.len() as u32 + defined_funcs;
    let tables = info.imports.iter().filter(|i| matches!(i.ty, ExternType::Table { .. })).count() + info.tables_defined;
    match crate::lower::lower(bytes, &import_types, &import_type_indices, (type_count, defined_funcs, tables as u32, globals as u32)) {
        Some((b, l)) => (Some(b), l, funcs_before_lowering),
        None => (None, Vec::new(), funcs_before_lowering),
    }
}

/// The natives standing for a module's function imports (and proxy.rs's dispatchers) while
/// WAMR loads it: every one is host.rs's trampoline, with a slot naming the import as its
/// attachment. Registered for the duration of each load (interpreter code, and compiled code
/// later) and unregistered after.
struct Natives {
    /// The symbols by import module name; their names and slots below.
    groups: Mutex<Vec<(CString, Vec<sys::NativeSymbol>)>>,
    _names: Vec<CString>,
    /// Raw-native attachments WAMR recorded at load time; must outlive every load. Boxed:
    /// WAMR holds a pointer to each, so each has its own fixed address.
    #[allow(clippy::vec_box)]
    _slots: Vec<Box<ImportSlot>>,
}

impl Natives {
    fn new(info: &ModuleInfo, proxies: Option<&crate::proxy::ProxyPlan>, renamed: bool, trampoline: Trampoline) -> Result<Natives, Error> {
        let mut slots = Vec::new();
        let mut names: Vec<CString> = Vec::new();
        let mut groups: Vec<(CString, Vec<sys::NativeSymbol>)> = Vec::new();
        let mut func_index = 0u32;
        // The dispatchers and grow hooks follow the module's own imports (proxy.rs).
        let dispatchers: Vec<ImportInfo> = proxies.iter().flat_map(|p| p.added_imports(info.type_count)).map(|(name, ty, _)| ImportInfo {
            module: crate::proxy::DISPATCH_MODULE.to_string(),
            name,
            ty: ExternType::Func(ty),
        }).collect();
        for (position, imp) in info.imports.iter().chain(&dispatchers).enumerate() {
            if let ExternType::Func(_) = imp.ty {
                let slot = Box::new(ImportSlot { index: func_index });
                func_index += 1;
                // The names WAMR sees (rewrite.rs renames imports to ("env", "i<position>")).
                let (m, f) = if renamed { ("env".to_string(), crate::rewrite::import_name(position as u32)) } else { (imp.module.clone(), imp.name.clone()) };
                let field = CString::new(f).map_err(|_| Error::Compile("import name contains NUL".into()))?;
                let module = CString::new(m).map_err(|_| Error::Compile("import module contains NUL".into()))?;
                let sym = sys::NativeSymbol {
                    symbol: field.as_ptr(),
                    func_ptr: trampoline as *mut c_void,
                    signature: std::ptr::null(),
                    attachment: &*slot as *const ImportSlot as *mut c_void,
                };
                names.push(field);
                slots.push(slot);
                match groups.iter_mut().find(|(m, _)| *m == module) {
                    Some((_, syms)) => syms.push(sym),
                    None => groups.push((module, vec![sym])),
                }
            }
        }
        Ok(Natives { groups: Mutex::new(groups), _names: names, _slots: slots })
    }

    /// Loads `bytes` (a module, or compiled code) in WAMR with the natives registered.
    fn load(&self, bytes: &mut [u8]) -> Result<sys::wasm_module_t, Error> {
        let mut err = [0 as c_char; 256];
        let raw = {
            let _guard = LOAD_LOCK.lock().unwrap_or_else(|p| p.into_inner());
            let mut groups = self.groups.lock().unwrap_or_else(|p| p.into_inner());
            for (m, syms) in groups.iter_mut() {
                // SAFETY: names, symbols and attachments live as long as `self`; WAMR sorts
                // the symbol array in place and reads it during the load only.
                unsafe { sys::wasm_runtime_register_natives_raw(m.as_ptr(), syms.as_mut_ptr(), syms.len() as u32) };
            }
            // SAFETY: `bytes` is owned by the Module made from it and outlives the WAMR
            // module; `err` is a writable buffer of the size passed.
            let raw = unsafe { sys::wasm_runtime_load(bytes.as_mut_ptr(), bytes.len() as u32, err.as_mut_ptr(), err.len() as u32) };
            for (m, syms) in groups.iter_mut() {
                // SAFETY: unregisters exactly the arrays registered above.
                unsafe { sys::wasm_runtime_unregister_natives(m.as_ptr(), syms.as_mut_ptr()) };
            }
            raw
        };
        if raw.is_null() {
            // SAFETY: WAMR wrote a NUL-terminated message into `err`.
            let msg = unsafe { std::ffi::CStr::from_ptr(err.as_ptr()) }.to_string_lossy().into_owned();
            let msg = msg.strip_prefix("WASM module load failed: ").unwrap_or(&msg).to_string();
            return Err(Error::Compile(msg));
        }
        Ok(raw)
    }
}
