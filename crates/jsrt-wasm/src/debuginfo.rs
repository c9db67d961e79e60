//! Names and source lines for stack traces, read from a module's custom sections the first
//! time a trace needs them (never while compiling) and kept with the module: the module's
//! and its functions' names from the `name` section (Rust and C++ symbols demangled), and
//! `file:line:column` of an instruction from DWARF's line programs (`.debug_line`, read with
//! gimli). A malformed section gives fewer names or no lines, never an error.

use std::collections::HashMap;
use wasmparser as wp;

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
}

impl DebugInfo {
    /// Reads `bytes` (a valid module).
    pub(crate) fn read(bytes: &[u8]) -> DebugInfo {
        let mut info = DebugInfo { hash: fnv1a(bytes), ..Default::default() };
        let mut dwarf: HashMap<&str, &[u8]> = HashMap::new();
        for payload in wp::Parser::new(0).parse_all(bytes) {
            match payload {
                Ok(wp::Payload::CodeSectionStart { range, .. }) => info.code_start = range.start as u32,
                Ok(wp::Payload::CustomSection(c)) => match c.as_known() {
                    wp::KnownCustom::Name(names) => info.read_names(names),
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

    /// The source of the instruction at byte `offset` of the module, when DWARF says.
    pub fn source_location(&self, offset: u32) -> Option<SourceLocation> {
        let address = u64::from(offset.checked_sub(self.code_start)?);
        let i = self.rows.partition_point(|r| r.address <= address).checked_sub(1)?;
        let row = self.rows[i];
        if row.file == u32::MAX || row.line == 0 {
            return None;
        }
        Some(SourceLocation { file: self.files.get(row.file as usize)?.clone(), line: row.line, column: row.column })
    }
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

impl crate::module::Module {
    /// Names and source lines of this module (read on first use).
    pub fn debug_info(&self) -> &DebugInfo {
        self.debug.get_or_init(|| DebugInfo::read(self.bytes()))
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
}
