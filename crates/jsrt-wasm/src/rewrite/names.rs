//! Job 3, names: imports become ("env", "i<position>") and exports "e<position>". WAMR
//! instantiates memory imports only from "env" (`wasm_runtime_is_built_in_module`), its C
//! strings cannot hold NUL ("LIMITATION: a string which contains '\\00' is unsupported" in
//! wasm_runtime.c), and unique names give every function import its own native. (Global
//! imports are not renamed but moved: globals.rs.)

use super::globals::zero_global;
use super::{leb, read_leb, Scan};

/// The name WAMR sees for the import at `position` (module "env").
pub fn import_name(position: u32) -> String {
    format!("i{position}")
}

/// The name WAMR sees for the export at `position`.
pub fn export_name(position: u32) -> String {
    format!("e{position}")
}

/// The name WAMR sees for function `index` when the module can hand funcrefs to the host.
pub fn func_export_name(index: u32) -> String {
    format!("f{index}")
}

impl Scan {
    /// Global imports become defined globals; every other import is renamed.
    pub(super) fn imports(&mut self, bytes: &[u8], r: wasmparser::ImportSectionReader<'_>) -> Option<()> {
        let end = r.range().end;
        let items: Vec<(usize, wasmparser::Import)> = r.clone().into_iter_with_offsets().collect::<Result<_, _>>().ok()?;
        for (k, (off, imp)) in items.iter().enumerate() {
            let next = items.get(k + 1).map(|x| x.0).unwrap_or(end);
            if let wasmparser::TypeRef::Table(t) = imp.ty {
                self.uses_funcref = true;
                self.imports_table = true;
                self.table_heaps.push(if t.element_type.is_func_ref() { 0x70 } else { 0x6f });
            }
            if let wasmparser::TypeRef::Global(g) = imp.ty {
                self.uses_funcref |= matches!(g.content_type, wasmparser::ValType::Ref(r) if r.is_func_ref());
                self.moved_globals.0 += 1;
                self.moved_globals.1.extend(zero_global(g.content_type, g.mutable)?);
            } else {
                // Every other import becomes ("env", "i<position>"): WAMR instantiates
                // memory imports only from "env" (wasm_runtime_is_built_in_module), its
                // C strings cannot hold NUL, and unique names let module.rs register
                // one native per function import even when names repeat.
                let raw = &bytes[*off..next];
                let (mlen, n) = read_leb(raw)?;
                let rest = raw.get(n + mlen as usize..)?;
                let (flen, m) = read_leb(rest)?;
                let ty = rest.get(m + flen as usize..)?;
                self.kept_imports.0 += 1;
                self.kept_imports.1.extend_from_slice(&[3, b'e', b'n', b'v']);
                let field = import_name(k as u32);
                leb(field.len() as u32, &mut self.kept_imports.1);
                self.kept_imports.1.extend_from_slice(field.as_bytes());
                self.kept_imports.1.extend_from_slice(ty);
            }
        }
        for imp in r {
            match imp.ok()?.ty {
                wasmparser::TypeRef::Memory(_) => {
                    self.has_memory = true;
                    self.imports_memory = true;
                }
                wasmparser::TypeRef::Func(_) => self.import_funcs += 1,
                wasmparser::TypeRef::Global(g) => {
                    self.imports_global = true;
                    self.uses_funcref |= matches!(g.content_type, wasmparser::ValType::Ref(r) if r.is_func_ref());
                }
                _ => {}
            }
        }
        Some(())
    }

    /// Exports are renamed "e<position>".
    pub(super) fn exports(&mut self, bytes: &[u8], r: wasmparser::ExportSectionReader<'_>) -> Option<()> {
        let end = r.range().end;
        let items: Vec<(usize, wasmparser::Export)> = r.into_iter_with_offsets().collect::<Result<_, _>>().ok()?;
        let mut body = Vec::new();
        for (k, (off, _)) in items.iter().enumerate() {
            let next = items.get(k + 1).map(|x| x.0).unwrap_or(end);
            let raw = &bytes[*off..next];
            let (len, n) = read_leb(raw)?;
            let name = export_name(k as u32);
            leb(name.len() as u32, &mut body);
            body.extend_from_slice(name.as_bytes());
            body.extend_from_slice(raw.get(n + len as usize..)?);
        }
        self.renamed_exports = Some((items.len() as u32, body));
        Some(())
    }
}
