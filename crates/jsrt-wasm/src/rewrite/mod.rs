//! Binary rewrites applied before WAMR loads a module (the JS-visible description of the
//! module always comes from the original bytes).
//!
//! 1. Growable memories. WAMR's loader (`wasm_loader.c`, `if (!module->possible_memory_grow)`)
//!    turns the memory of a module whose code never executes `memory.grow`/`memory.size` into
//!    one fixed "page" of the whole initial size, but the JS API lets the host grow any
//!    exported memory and counts sizes in 64 KiB pages. An appended function that executes
//!    `memory.size` keeps WAMR's real pages.
//! 2. Imported memories. WAMR (without multi-module) gives an imported memory a private
//!    memory of its own and writes the active data segments and runs the start function
//!    inside `wasm_runtime_instantiate`, before the embedder can connect the instance to the
//!    memory it imports. So for such modules the active data segments become passive, the
//!    start section is removed, and the appended function, exported as [`INIT_EXPORT`], does
//!    what instantiation would have done — `memory.init` + `data.drop` for each segment in
//!    order (the same trap-on-out-of-bounds and partial-write semantics), then calls the start
//!    function — after `instantiate.rs` has pointed the instance at the shared memory.
//!    Any other module's start function runs from that init function too (its segments stay
//!    active), so that it runs after the instance is reachable from its host functions.
//!
//! 3. Names. Imports become ("env", "i<position>") and exports "e<position>" (see
//!    [`import_name`], [`export_name`]): WAMR instantiates memory imports only from "env", its
//!    C strings cannot hold NUL ("LIMITATION: a string which contains '\\00' is unsupported"
//!    in wasm_runtime.c), and unique names give every function import its own native.
//!    The same function executes `table.grow` on every table, for the same reason (WAMR
//!    allocates only the initial size of tables the code never grows).
//! 4. Custom sections are left out of WAMR's copy (the JS API reads them from the original
//!    bytes, and WAMR's loader rejects some valid section names).
//! 5. Funcrefs. WAMR hands a funcref to the host as a function index, and its API can call a
//!    function only through an export; modules with tables or funcref types get one hidden
//!    export per function ([`func_export_name`]).
//! 6. Imported globals. WAMR refuses to instantiate a module with global imports it did not
//!    link itself (`wasm_runtime.c`, "failed to link import global"). Global imports are
//!    therefore moved to the front of the global section as defined globals (keeping every
//!    global index), whose values `instantiate.rs` writes after instantiation; defined globals
//!    initialised from them are set to zero here and recomputed there.
//!
//! The appended function sits at the end of the function index space, so no index the module
//! uses changes; `wasm_runtime_load` never sees the original bytes of such modules.
//!
//! One file per job, all in one scan of the module ([`Scan::read`], reading each section
//! once): `segments.rs` (1, 2: the segments made passive and the appended function),
//! `names.rs` (3), `funcrefs.rs` (5: the hidden exports), `globals.rs` (6); this file keeps
//! the scan, the sections' order and [`assemble`], which leaves the custom sections out (4).

use wasmparser::{Parser, Payload};

mod funcrefs;
mod globals;
mod names;
mod segments;

pub(crate) use globals::reads_globals;
pub use names::{export_name, func_export_name, import_name};
use funcrefs::extra_exports;
use segments::init_code;

/// Export name of the appended init function (not a valid JS identifier on purpose; the JS
/// API lists exports from the original bytes, so it is never visible).
pub const INIT_EXPORT: &str = "jsrt:init";

/// Section ids in their required order (custom sections aside).
const ORDER: &[u8] = &[1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 10, 11];

fn rank(id: u8) -> usize {
    ORDER.iter().position(|&x| x == id).unwrap_or(usize::MAX)
}

pub(crate) fn leb(mut v: u32, out: &mut Vec<u8>) {
    loop {
        let byte = (v & 0x7f) as u8;
        v >>= 7;
        if v == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

fn sleb(mut v: i64, out: &mut Vec<u8>) {
    loop {
        let byte = (v & 0x7f) as u8;
        v >>= 7;
        let done = (v == 0 && byte & 0x40 == 0) || (v == -1 && byte & 0x40 != 0);
        out.push(if done { byte } else { byte | 0x80 });
        if done {
            return;
        }
    }
}

fn read_leb(data: &[u8]) -> Option<(u32, usize)> {
    let mut result = 0u32;
    for (i, b) in data.iter().enumerate().take(5) {
        result |= ((b & 0x7f) as u32) << (7 * i);
        if b & 0x80 == 0 {
            return Some((result, i + 1));
        }
    }
    None
}

fn section(id: u8, body: &[u8], out: &mut Vec<u8>) {
    out.push(id);
    leb(body.len() as u32, out);
    out.extend_from_slice(body);
}

/// A vector section's contents with `extra` (one encoded entry) appended.
fn append_entry(contents: &[u8], extra: &[u8]) -> Option<Vec<u8>> {
    let (count, n) = read_leb(contents)?;
    let mut body = Vec::with_capacity(contents.len() + extra.len() + 5);
    leb(count + 1, &mut body);
    body.extend_from_slice(&contents[n..]);
    body.extend_from_slice(extra);
    Some(body)
}

/// The result of [`rewrite`].
pub struct Rewritten {
    pub bytes: Vec<u8>,
    /// Whether the module exports [`INIT_EXPORT`], to be called right after instantiation.
    pub has_init: bool,
}

/// An active data segment: (segment index, offset expression without `end`, length).
type ActiveData = (u32, Vec<u8>, u32);
/// An active element segment: (segment index, table index, offset expression, length, items
/// read from globals: (position, expression)).
type ActiveElem = (u32, u32, Vec<u8>, u32, Vec<(u32, Vec<u8>)>);

/// What one pass over the module finds, with the sections it re-encodes on the way.
#[derive(Default)]
struct Scan {
    sections: Vec<(u8, std::ops::Range<usize>)>,
    has_memory: bool,
    imports_memory: bool,
    imports_global: bool,
    type_count: u32,
    import_funcs: u32,
    defined_funcs: u32,
    /// Whether funcref values can reach the host (then every function gets a hidden export so
    /// the host can call any function index: see func_export_name).
    uses_funcref: bool,
    /// Heap type byte of every table (imports first), and whether one is imported.
    table_heaps: Vec<u8>,
    imports_table: bool,
    start: Option<u32>,
    data_count: Option<u32>,
    active: Vec<ActiveData>,
    data_section: Option<Vec<u8>>,
    active_elems: Vec<ActiveElem>,
    elem_section: Option<Vec<u8>>,
    /// Import entries kept (raw), and global imports turned into defined globals.
    kept_imports: (u32, Vec<u8>),
    moved_globals: (u32, Vec<u8>),
    global_section: Option<Vec<u8>>,
    renamed_exports: Option<(u32, Vec<u8>)>,
    has_custom: bool,
}

impl Scan {
    /// Reads every section of `bytes`; None when they do not parse.
    fn read(bytes: &[u8]) -> Option<Scan> {
        let mut scan = Scan::default();
        for payload in Parser::new(0).parse_all(bytes) {
            let payload = payload.ok()?;
            if let Some((id, range)) = payload.as_section() {
                scan.has_custom |= id == 0;
                scan.sections.push((id, range));
            }
            match payload {
                Payload::TypeSection(r) => scan.types(r)?,
                Payload::TableSection(r) => {
                    scan.uses_funcref |= r.count() > 0;
                    for t in r {
                        scan.table_heaps.push(if t.ok()?.ty.element_type.is_func_ref() { 0x70 } else { 0x6f });
                    }
                }
                Payload::ImportSection(r) => scan.imports(bytes, r)?,
                Payload::FunctionSection(r) => scan.defined_funcs = r.count(),
                Payload::MemorySection(r) => scan.has_memory |= r.count() > 0,
                Payload::ExportSection(r) => scan.exports(bytes, r)?,
                Payload::GlobalSection(r) => scan.globals(bytes, r)?,
                Payload::StartSection { func, .. } => scan.start = Some(func),
                Payload::DataCountSection { count, .. } => scan.data_count = Some(count),
                Payload::ElementSection(r) => scan.elements(r)?,
                Payload::DataSection(r) => scan.data(r)?,
                _ => {}
            }
        }
        Some(scan)
    }

    fn types(&mut self, r: wasmparser::TypeSectionReader<'_>) -> Option<()> {
        self.type_count = r.count();
        for t in r.into_iter_err_on_gc_types() {
            let t = t.ok()?;
            self.uses_funcref |= t.params().iter().chain(t.results()).any(|v| matches!(v, wasmparser::ValType::Ref(r) if r.is_func_ref()));
        }
        Some(())
    }

    /// Whether WAMR needs a rewritten copy at all.
    /// Also every module with a start function: it runs from the init function, on the
    /// instance's own exec env (WAMR runs a start section on one it makes for the purpose,
    /// which jsrt's interrupts cannot stop in compiled code).
    fn needs_rewrite(&self) -> bool {
        self.start.is_some() || self.has_memory || self.imports_global || self.uses_funcref || self.has_custom || !self.table_heaps.is_empty() || self.kept_imports.0 > 0 || self.renamed_exports.is_some()
    }

    /// Whether the init function applies the segments (and sets the moved globals' values
    /// through instantiate.rs). Also when a module has both active element and data segments:
    /// WAMR writes the data segments before the element segments, so an out-of-bounds element
    /// segment (which must stop instantiation first) came out as an out-of-bounds memory
    /// access (fuzz case 144357).
    fn has_init(&self) -> bool {
        self.imports_memory || self.imports_global || self.imports_table || (!self.active_elems.is_empty() && !self.active.is_empty())
    }
}

/// What the rewrite adds: the init function's type, declaration and body, and the exports.
struct Additions {
    new_type: &'static [u8],
    new_func: Vec<u8>,
    new_body: Vec<u8>,
    extra_exports: (u32, Vec<u8>),
}

impl Additions {
    fn new(scan: &Scan, has_init: bool, run_init: bool, internal: &dyn Fn(u32) -> bool) -> Additions {
        let mut new_func = Vec::new();
        leb(scan.type_count, &mut new_func);
        let code = init_code(scan, has_init);
        let mut new_body = Vec::new();
        leb(code.len() as u32, &mut new_body);
        new_body.extend_from_slice(&code);
        Additions { new_type: &[0x60, 0x00, 0x00], new_func, new_body, extra_exports: extra_exports(scan, run_init, internal) }
    }

    /// Sections to add when the module lacks them, (id, contents), in section order.
    fn missing_sections(&self, scan: &mut Scan, has_init: bool) -> Vec<(u8, Vec<u8>)> {
        let one = |entry: &[u8]| [&[1u8][..], entry].concat();
        let mut missing: Vec<(u8, Vec<u8>)> = vec![(1, one(self.new_type)), (3, one(&self.new_func)), (10, one(&self.new_body))];
        if self.extra_exports.0 > 0 {
            let mut b = Vec::new();
            leb(self.extra_exports.0, &mut b);
            b.extend_from_slice(&self.extra_exports.1);
            missing.push((7, b));
        }
        if has_init {
            if scan.moved_globals.0 > 0 && scan.global_section.is_none() {
                scan.global_section = Some(Vec::new());
                let mut b = Vec::new();
                leb(scan.moved_globals.0, &mut b);
                b.extend_from_slice(&scan.moved_globals.1);
                missing.push((6, b));
            }
            if scan.data_count.is_none() {
                if let Some(n) = scan.data_section.as_ref().and_then(|d| read_leb(d)).map(|(n, _)| n) {
                    let mut c = Vec::new();
                    leb(n, &mut c);
                    missing.push((12, c));
                }
            }
        }
        missing.sort_by_key(|(id, _)| rank(*id));
        missing
    }

    /// The new contents of section `id` of the module (`contents` as it is), or None to keep
    /// it; Err(()) when the section is to be left out (the start section: the init function
    /// calls the start function instead).
    fn replace(&self, scan: &Scan, has_init: bool, id: u8, contents: &[u8]) -> Result<Option<Vec<u8>>, ()> {
        Ok(match id {
            1 => Some(append_entry(contents, self.new_type).ok_or(())?),
            3 => Some(append_entry(contents, &self.new_func).ok_or(())?),
            10 => Some(append_entry(contents, &self.new_body).ok_or(())?),
            7 => {
                let (count, body) = scan.renamed_exports.clone().ok_or(())?;
                let mut b = Vec::new();
                leb(count + self.extra_exports.0, &mut b);
                b.extend_from_slice(&body);
                b.extend_from_slice(&self.extra_exports.1);
                Some(b)
            }
            8 => return Err(()),
            11 if has_init => scan.data_section.clone(),
            2 => {
                let mut b = Vec::new();
                leb(scan.kept_imports.0, &mut b);
                b.extend_from_slice(&scan.kept_imports.1);
                Some(b)
            }
            6 if has_init => {
                let mut b = Vec::new();
                let defined = read_leb(contents).map(|(n, _)| n).unwrap_or(0);
                leb(scan.moved_globals.0 + defined, &mut b);
                b.extend_from_slice(&scan.moved_globals.1);
                b.extend_from_slice(scan.global_section.as_deref().unwrap_or(&[]));
                Some(b)
            }
            9 if has_init => scan.elem_section.clone(),
            _ => None,
        })
    }
}

/// Rewrites `bytes` as described in the module docs; None when nothing needs changing (no
/// memory) or the bytes do not parse (the loader then reports the error on the originals).
/// Functions for which `internal` says so (proxy.rs's additions) get no hidden export.
pub fn rewrite(bytes: &[u8], internal: &dyn Fn(u32) -> bool) -> Option<Rewritten> {
    let mut scan = Scan::read(bytes)?;
    if !scan.needs_rewrite() {
        return None;
    }
    let has_init = scan.has_init();
    // The start function always runs from the init function, after instantiate.rs has made the
    // instance reachable from its host functions: run by WAMR inside instantiation, a start
    // function's table.grow on an exported table (proxy.rs's grow hook) failed ("the instance
    // is gone") and funcrefs it passed to imports were lost.
    let run_init = has_init || scan.start.is_some();
    let additions = Additions::new(&scan, has_init, run_init, internal);
    let mut missing = additions.missing_sections(&mut scan, has_init);
    let out = assemble(bytes, &scan, &additions, has_init, &mut missing)?;
    Some(Rewritten { bytes: out, has_init: run_init })
}

/// The rewritten module: the sections in order, replaced as [`Additions::replace`] says, the
/// missing ones put in their places, custom sections left out.
fn assemble(bytes: &[u8], scan: &Scan, additions: &Additions, has_init: bool, missing: &mut Vec<(u8, Vec<u8>)>) -> Option<Vec<u8>> {
    let mut out = bytes[..8].to_vec();
    let emit_missing_before = |id: u8, out: &mut Vec<u8>, missing: &mut Vec<(u8, Vec<u8>)>| {
        missing.retain(|(wid, fresh)| {
            if rank(*wid) < rank(id) {
                section(*wid, fresh, out);
                false
            } else {
                true
            }
        });
    };
    for (id, range) in &scan.sections {
        let contents = &bytes[range.clone()];
        if *id == 0 {
            // Custom sections stay out of WAMR's copy: jsrt reads them from the original bytes,
            // and WAMR rejects some valid names (NUL in wasm_check_utf8_str).
            continue;
        }
        emit_missing_before(*id, &mut out, missing);
        let replaced = match additions.replace(scan, has_init, *id, contents) {
            Ok(r) => r,
            Err(()) if *id == 8 => {
                missing.retain(|(w, _)| *w != 8);
                continue;
            }
            Err(()) => return None,
        };
        missing.retain(|(w, _)| *w != *id);
        section(*id, replaced.as_deref().unwrap_or(contents), &mut out);
    }
    emit_missing_before(u8::MAX, &mut out, missing);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn funcs(bytes: &[u8]) -> u32 {
        let mut n = 0;
        for p in Parser::new(0).parse_all(bytes) {
            if let Payload::FunctionSection(r) = p.unwrap() {
                n = r.count();
            }
        }
        n
    }

    #[test]
    fn growable_only_when_there_is_a_memory() {
        assert!(rewrite(&wat::parse_str("(module (func))").unwrap(), &|_| false).is_none());
        for src in [
            "(module (memory 1))",
            "(module (memory (export \"m\") 1 2) (func (export \"f\") (result i32) i32.const 1) (data (i32.const 0) \"x\"))",
        ] {
            let bytes = wat::parse_str(src).unwrap();
            let out = rewrite(&bytes, &|_| false).unwrap();
            assert!(!out.has_init);
            wasmparser::Validator::new().validate_all(&out.bytes).unwrap();
            assert_eq!(funcs(&out.bytes), funcs(&bytes) + 1, "{src}");
        }
    }

    #[test]
    fn sections_added_in_order() {
        let b = wat::parse_str(r#"(module (import "env" "mem" (memory 1)) (data (i32.const 0) "ok"))"#).unwrap();
        wasmparser::Validator::new().validate_all(&rewrite(&b, &|_| false).unwrap().bytes).unwrap();
    }

    #[test]
    fn imported_memory_gets_an_init_function() {
        let src = r#"(module (import "e" "m" (memory 1)) (import "e" "f" (func))
            (global $g i32 (i32.const 8)) (func $s call 0) (start $s)
            (data (i32.const 0) "ab") (data "passive") (data (global.get $g) "cd"))"#;
        let bytes = wat::parse_str(src).unwrap();
        let out = rewrite(&bytes, &|_| false).unwrap();
        assert!(out.has_init);
        wasmparser::Validator::new().validate_all(&out.bytes).unwrap();
        let mut saw_start = false;
        let mut passive = 0;
        let mut exports = Vec::new();
        for p in Parser::new(0).parse_all(&out.bytes) {
            match p.unwrap() {
                Payload::StartSection { .. } => saw_start = true,
                Payload::DataSection(r) => {
                    for d in r {
                        passive += matches!(d.unwrap().kind, wasmparser::DataKind::Passive) as u32;
                    }
                }
                Payload::ExportSection(r) => exports.extend(r.into_iter().map(|e| e.unwrap().name.to_string())),
                _ => {}
            }
        }
        assert!(!saw_start);
        assert_eq!(passive, 3);
        assert_eq!(exports, vec![INIT_EXPORT.to_string()]);
    }

    #[test]
    fn names_are_replaced() {
        let b = wat::parse_str(r#"(module (import "a\00b" "f" (func)) (import "a" "f" (func (param i32))) (func (export "x\00y")) (func (export "z")))"#).unwrap();
        let out = rewrite(&b, &|_| false).unwrap();
        wasmparser::Validator::new().validate_all(&out.bytes).unwrap();
        let mut names = Vec::new();
        for p in Parser::new(0).parse_all(&out.bytes) {
            match p.unwrap() {
                Payload::ImportSection(r) => names.extend(r.into_iter().map(|i| { let i = i.unwrap(); format!("{}.{}", i.module, i.name) })),
                Payload::ExportSection(r) => names.extend(r.into_iter().map(|e| e.unwrap().name.to_string())),
                _ => {}
            }
        }
        assert_eq!(names, vec!["env.i0", "env.i1", "e0", "e1"]);
    }
}
