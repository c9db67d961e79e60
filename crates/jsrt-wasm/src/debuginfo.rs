//! Names and source lines for stack traces, read from a module's custom sections the first
//! time a trace needs them (never while compiling) and kept with the module: the module's
//! and its functions' names from the `name` section (Rust and C++ symbols demangled), and
//! `file:line:column` of an instruction from DWARF's line programs (`.debug_line`, read with
//! gimli) or, without DWARF, from a source map (`sourceMappingURL` section, as emscripten's
//! `-gsource-map` writes: a local file or a `data:` URL). A malformed section or map gives
//! fewer names or no lines, never an error.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::RwLock;
use wasmparser as wp;

/// The largest source map file read (bigger ones are ignored).
const MAX_SOURCE_MAP: u64 = 256 << 20;

/// Directories a relative `sourceMappingURL` is looked up in before the working directory,
/// first match wins (the embedder's choice: a module's bytes do not say where they came from).
static SOURCE_MAP_DIRS: RwLock<Vec<PathBuf>> = RwLock::new(Vec::new());

/// Sets where relative `sourceMappingURL`s are looked up before the working directory (for
/// modules whose names and lines are read after this).
pub fn set_source_map_dirs(dirs: Vec<PathBuf>) {
    *SOURCE_MAP_DIRS.write().unwrap_or_else(|e| e.into_inner()) = dirs;
}

/// Where an instruction came from in the source, per DWARF.
#[derive(Debug, Clone, PartialEq)]
pub struct SourceLocation {
    pub file: String,
    pub line: u32,
    /// 0 when DWARF gives none.
    pub column: u32,
}

/// One row of the merged line tables: from `address` on (until the next row), code is at
/// `file:line:column`; `file == u32::MAX` ends a sequence (no source).
#[derive(Debug, Clone, Copy)]
struct Row {
    address: u64,
    file: u32,
    line: u32,
    column: u32,
}

/// What a module's custom sections say about its code, for stack traces.
#[derive(Default)]
pub struct DebugInfo {
    module_name: Option<String>,
    func_names: HashMap<u32, String>,
    files: Vec<String>,
    rows: Vec<Row>,
    /// Offset of the code section's contents: DWARF addresses in wasm count from there.
    code_start: u32,
    hash: u32,
    /// Where each defined function's body starts in the module's bytes (V8's profiles give
    /// it as the function's column).
    body_offsets: Vec<u32>,
    /// The module's source map, when it names one that could be read (its columns are byte
    /// offsets in the module).
    source_map: Option<sourcemap::DecodedMap>,
}

impl DebugInfo {
    /// Reads `bytes` (a valid module).
    pub(crate) fn read(bytes: &[u8]) -> DebugInfo {
        let mut info = DebugInfo { hash: fnv1a(bytes), ..Default::default() };
        let mut dwarf: HashMap<&str, &[u8]> = HashMap::new();
        for payload in wp::Parser::new(0).parse_all(bytes) {
            match payload {
                Ok(wp::Payload::CodeSectionStart { range, .. }) => info.code_start = range.start as u32,
                Ok(wp::Payload::CodeSectionEntry(body)) => info.body_offsets.push(body.range().start as u32),
                Ok(wp::Payload::CustomSection(c)) => match c.as_known() {
                    wp::KnownCustom::Name(names) => info.read_names(names),
                    _ if c.name() == "sourceMappingURL" => {
                        let url = wp::BinaryReader::new(c.data(), 0).read_string().ok();
                        info.source_map = url.and_then(load_source_map);
                    }
                    _ if c.name().starts_with(".debug_") => {
                        dwarf.insert(c.name(), c.data());
                    }
                    _ => {}
                },
                Ok(wp::Payload::End(_)) | Err(_) => break,
                _ => {}
            }
        }
        if dwarf.contains_key(".debug_line") {
            // A malformed line program leaves the rows read before it.
            let _ = info.read_lines(&dwarf);
            info.rows.sort_by_key(|r| r.address);
        }
        info
    }

    fn read_names(&mut self, names: wp::NameSectionReader<'_>) {
        for name in names.into_iter().map_while(Result::ok) {
            match name {
                wp::Name::Module { name, .. } => self.module_name = Some(name.to_string()),
                wp::Name::Function(map) => {
                    for naming in map.into_iter().map_while(Result::ok) {
                        self.func_names.insert(naming.index, demangle(naming.name));
                    }
                }
                _ => {}
            }
        }
    }

    fn read_lines(&mut self, sections: &HashMap<&str, &[u8]>) -> Result<(), gimli::Error> {
        use gimli::{EndianSlice, LittleEndian};
        let dwarf = gimli::Dwarf::load(|id: gimli::SectionId| -> Result<_, gimli::Error> {
            Ok(EndianSlice::new(sections.get(id.name()).copied().unwrap_or(&[]), LittleEndian))
        })?;
        let mut units = dwarf.units();
        while let Some(header) = units.next()? {
            let unit = dwarf.unit(header)?;
            let Some(program) = unit.line_program.clone() else { continue };
            let mut files: HashMap<u64, u32> = HashMap::new();
            let mut rows = program.rows();
            while let Some((header, row)) = rows.next_row()? {
                if row.end_sequence() {
                    self.rows.push(Row { address: row.address(), file: u32::MAX, line: 0, column: 0 });
                    continue;
                }
                let file = match files.get(&row.file_index()) {
                    Some(f) => *f,
                    None => {
                        let path = row.file(header).map(|f| file_path(&dwarf, &unit, header, f)).unwrap_or_default();
                        self.files.push(path);
                        let k = (self.files.len() - 1) as u32;
                        files.insert(row.file_index(), k);
                        k
                    }
                };
                let line = row.line().map_or(0, |l| l.get() as u32);
                let column = match row.column() {
                    gimli::ColumnType::LeftEdge => 0,
                    gimli::ColumnType::Column(c) => c.get() as u32,
                };
                self.rows.push(Row { address: row.address(), file, line, column });
            }
        }
        Ok(())
    }

    /// The module's name from its name section.
    pub fn module_name(&self) -> Option<&str> {
        self.module_name.as_deref()
    }

    /// Function `index`'s name from the name section, demangled.
    pub fn func_name(&self, index: u32) -> Option<&str> {
        self.func_names.get(&index).map(String::as_str)
    }

    /// A hash of the module's bytes (V8 shows one in a wasm frame's URL).
    pub fn hash(&self) -> u32 {
        self.hash
    }

    /// The source of the instruction at byte `offset` of the module, when DWARF or the
    /// source map says.
    pub fn source_location(&self, offset: u32) -> Option<SourceLocation> {
        if self.rows.is_empty() {
            return self.mapped_location(offset);
        }
        let address = u64::from(offset.checked_sub(self.code_start)?);
        let i = self.rows.partition_point(|r| r.address <= address).checked_sub(1)?;
        let row = self.rows[i];
        if row.file == u32::MAX || row.line == 0 {
            return None;
        }
        Some(SourceLocation { file: self.files.get(row.file as usize)?.clone(), line: row.line, column: row.column })
    }
}

impl DebugInfo {
    /// The source of byte `offset` per the source map (line 0, column = offset, as wasm
    /// source maps number them).
    fn mapped_location(&self, offset: u32) -> Option<SourceLocation> {
        let token = self.source_map.as_ref()?.lookup_token(0, offset)?;
        let file = token.get_source()?.to_string();
        Some(SourceLocation { file, line: token.get_src_line().checked_add(1)?, column: token.get_src_col().saturating_add(1) })
    }
}

/// Reads the source map `url` names: a `data:` URL, a `file:` URL or a path (a relative one
/// in the directories [`set_source_map_dirs`] gave, then in the working directory). Other
/// URLs are not fetched.
fn load_source_map(url: &str) -> Option<sourcemap::DecodedMap> {
    if url.starts_with("data:") {
        return sourcemap::decode_data_url(url).ok();
    }
    let path = match url.strip_prefix("file://") {
        Some(p) => PathBuf::from(percent_encoding::percent_decode_str(p).decode_utf8().ok()?.into_owned()),
        None if url.contains("://") => return None,
        None => PathBuf::from(url),
    };
    let candidates: Vec<PathBuf> = if path.is_absolute() {
        vec![path]
    } else {
        let dirs = SOURCE_MAP_DIRS.read().unwrap_or_else(|e| e.into_inner()).clone();
        dirs.into_iter().chain(std::env::current_dir().ok()).map(|d| d.join(&path)).collect()
    };
    candidates.iter().find_map(|p| read_map(p))
}

fn read_map(path: &Path) -> Option<sourcemap::DecodedMap> {
    if std::fs::metadata(path).ok()?.len() > MAX_SOURCE_MAP {
        return None;
    }
    sourcemap::decode_slice(&std::fs::read(path).ok()?).ok()
}

/// A line program's file as a path: its directory joined when it is not the unit's own.
fn file_path<R: gimli::Reader>(dwarf: &gimli::Dwarf<R>, unit: &gimli::Unit<R>, header: &gimli::LineProgramHeader<R>, file: &gimli::FileEntry<R>) -> String {
    let text = |v: gimli::AttributeValue<R>| -> Option<String> {
        dwarf.attr_string(unit, v).ok().and_then(|s| s.to_string_lossy().ok().map(|s| s.into_owned()))
    };
    let name = text(file.path_name()).unwrap_or_default();
    // Directory 0 is the compilation directory (DWARF 5; in DWARF 4 index 0 means the same).
    let dir = if file.directory_index() != 0 { file.directory(header).and_then(text) } else { None };
    match dir {
        Some(d) if !name.starts_with('/') && !d.is_empty() => format!("{d}/{name}"),
        _ => name,
    }
}

/// A readable form of a Rust or C++ symbol; other names as they are.
fn demangle(name: &str) -> String {
    if let Ok(d) = rustc_demangle::try_demangle(name) {
        return format!("{d:#}");
    }
    if name.starts_with("_Z") {
        if let Ok(sym) = cpp_demangle::Symbol::new(name) {
            if let Ok(d) = sym.demangle() {
                return d;
            }
        }
    }
    name.to_string()
}

/// FNV-1a, 32 bits.
fn fnv1a(bytes: &[u8]) -> u32 {
    bytes.iter().fold(0x811c_9dc5u32, |h, b| (h ^ u32::from(*b)).wrapping_mul(0x0100_0193))
}

impl DebugInfo {
    /// Where the body of the module's `defined`-th own function starts in its bytes.
    pub(crate) fn body_offset(&self, defined: usize) -> Option<u32> {
        self.body_offsets.get(defined).copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_read_and_demangled() {
        let bytes = wat::parse_str(
            r#"(module $m (func $_ZN4core9panicking5panic17h0123456789abcdefE) (func $_Z6divideii) (func $plain) (func))"#,
        )
        .unwrap();
        let info = DebugInfo::read(&bytes);
        assert_eq!(info.module_name(), Some("m"));
        assert_eq!(info.func_name(0), Some("core::panicking::panic"));
        assert_eq!(info.func_name(1), Some("divide(int, int)"));
        assert_eq!(info.func_name(2), Some("plain"));
        assert_eq!(info.func_name(3), None);
    }

    #[test]
    fn malformed_sections_give_nothing() {
        let mut bytes = wat::parse_str("(module (func))").unwrap();
        // A "name" section whose function-name subsection runs past its end, and a garbage
        // .debug_line.
        bytes.extend_from_slice(&[0, 8, 4, b'n', b'a', b'm', b'e', 1, 9, 0xff]);
        bytes.extend_from_slice(&[0, 13, 11]);
        bytes.extend_from_slice(b".debug_line");
        bytes.push(0xff);
        let info = DebugInfo::read(&bytes);
        assert_eq!(info.func_name(0), None);
        assert_eq!(info.source_location(30), None);
    }

    /// A module whose `sourceMappingURL` section names `url`.
    fn with_map_url(url: &str) -> Vec<u8> {
        use wasm_encoder::Encode;
        let mut bytes = wat::parse_str("(module (func))").unwrap();
        let mut payload = Vec::new();
        url.encode(&mut payload);
        let section = wasm_encoder::CustomSection { name: "sourceMappingURL".into(), data: payload.into() };
        bytes.push(0);
        section.encode(&mut bytes);
        bytes
    }

    /// A map: bytes 0.. come from a.c line 1, bytes 20.. from b.c line 7 column 3.
    fn map_json() -> Vec<u8> {
        let mut b = sourcemap::SourceMapBuilder::new(None);
        b.add(0, 0, 0, 0, Some("a.c"), None, false);
        b.add(0, 20, 6, 2, Some("b.c"), None, false);
        let mut out = Vec::new();
        b.into_sourcemap().to_writer(&mut out).unwrap();
        out
    }

    fn loc(file: &str, line: u32, column: u32) -> Option<SourceLocation> {
        Some(SourceLocation { file: file.into(), line, column })
    }

    #[test]
    fn source_maps_from_files_and_data_urls() {
        let dir = std::env::temp_dir().join(format!("jsrt-wasm-map-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("m.wasm.map"), map_json()).unwrap();
        std::fs::write(dir.join("bad.map"), b"{ not json").unwrap();
        let file_url = format!("file://{}", dir.join("m.wasm.map").display());
        let info = DebugInfo::read(&with_map_url(&file_url));
        assert_eq!(info.source_location(10), loc("a.c", 1, 1));
        assert_eq!(info.source_location(25), loc("b.c", 7, 3));
        // An absolute path, and a data: URL, give the same.
        let abs = DebugInfo::read(&with_map_url(dir.join("m.wasm.map").to_str().unwrap()));
        assert_eq!(abs.source_location(25), loc("b.c", 7, 3));
        let data = format!("data:application/json;base64,{}", { use base64::Engine; base64::engine::general_purpose::STANDARD.encode(map_json()) });
        let inline = DebugInfo::read(&with_map_url(&data));
        assert_eq!(inline.source_location(21), loc("b.c", 7, 3));
        // A malformed map, a missing one and a URL that would need the network give none.
        for url in [dir.join("bad.map").to_str().unwrap(), "/nonexistent/x.map", "http://127.0.0.1:1/x.map"] {
            assert_eq!(DebugInfo::read(&with_map_url(url)).source_location(25), None, "{url}");
        }
        // A relative URL is looked up in the directories given.
        set_source_map_dirs(vec![dir.join("missing"), dir.clone()]);
        assert_eq!(DebugInfo::read(&with_map_url("m.wasm.map")).source_location(25), loc("b.c", 7, 3));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
