//! What a module's bytes say, before anything is loaded: the types of its imports and
//! exports, its custom sections and the facts instantiation needs (`inspect`, parsed with
//! `wasmparser`, function bodies aside), and the proposals jsrt accepts (`features`). The
//! bottom of the crate with `val.rs`: module preparation and instances build on it.

use crate::val::{FuncType, ValType};

#[derive(Debug, Clone, PartialEq)]
pub enum ExternType {
    Func(FuncType),
    Table { elem: ValType, min: u64, max: Option<u64> },
    Memory { min: u64, max: Option<u64>, shared: bool },
    Global { ty: ValType, mutable: bool },
    Tag,
}

impl ExternType {
    /// The JS API's `kind` string.
    pub fn kind(&self) -> &'static str {
        match self {
            ExternType::Func(_) => "function",
            ExternType::Table { .. } => "table",
            ExternType::Memory { .. } => "memory",
            ExternType::Global { .. } => "global",
            ExternType::Tag => "tag",
        }
    }
}

#[derive(Debug, Clone)]
pub struct ImportInfo {
    pub module: String,
    pub name: String,
    pub ty: ExternType,
}

#[derive(Debug, Clone)]
pub struct ExportInfo {
    pub name: String,
    pub ty: ExternType,
    /// Index in the export kind's index space (function index for functions).
    pub index: u32,
}

/// What `wasmparser` learned about a module.
#[derive(Debug, Clone, Default)]
pub struct ModuleInfo {
    pub imports: Vec<ImportInfo>,
    pub exports: Vec<ExportInfo>,
    pub custom_sections: Vec<(String, Vec<u8>)>,
    /// Types of all functions (imports first), by function index.
    pub func_types: Vec<FuncType>,
    /// Memories the module imports or defines, in index order.
    pub memories: Vec<ExternType>,
    /// Number of tables the module defines.
    pub tables_defined: usize,
    /// The largest initial size of a table the module defines (0 without one).
    pub largest_defined_table: u64,
    /// Element type of every table (imports first).
    pub table_elems: Vec<ValType>,
    /// Number of types in the type section.
    pub type_count: u32,
    /// Type index of each function import.
    pub func_import_type_indices: Vec<u32>,
    /// Defined globals: type and initializer expression (without the final `end`).
    pub global_inits: Vec<(ValType, Vec<u8>)>,
}

pub(crate) fn features() -> wasmparser::WasmFeatures {
    use wasmparser::WasmFeatures as F;
    F::MUTABLE_GLOBAL
        | F::SATURATING_FLOAT_TO_INT
        | F::SIGN_EXTENSION
        | F::MULTI_VALUE
        | F::BULK_MEMORY
        | F::REFERENCE_TYPES
        | F::SIMD
        | F::TAIL_CALL
        | F::EXTENDED_CONST
        | F::THREADS
        | F::FLOATS
        | F::GC_TYPES
}

/// Parses the module's structure (not function bodies).
pub fn inspect(bytes: &[u8]) -> Result<ModuleInfo, String> {
    use wasmparser::{Parser, Payload};
    let mut ins = Inspector::default();
    for payload in Parser::new(0).parse_all(bytes) {
        match payload.map_err(|e| e.message().to_string())? {
            Payload::TypeSection(r) => ins.types(r)?,
            Payload::ImportSection(r) => ins.imports(r)?,
            Payload::FunctionSection(r) => {
                for t in r {
                    let t = t.map_err(|e| e.message().to_string())?;
                    ins.info.func_types.push(ins.types.get(t as usize).cloned().ok_or("unknown type")?);
                }
            }
            Payload::TableSection(r) => {
                for t in r {
                    let t = t.map_err(|e| e.message().to_string())?.ty;
                    ins.info.tables_defined += 1;
                    ins.info.largest_defined_table = ins.info.largest_defined_table.max(t.initial);
                    ins.tables.push(table_type(&t));
                }
            }
            Payload::MemorySection(r) => {
                for m in r {
                    let m = m.map_err(|e| e.message().to_string())?;
                    ins.memories.push(ExternType::Memory { min: m.initial, max: m.maximum, shared: m.shared });
                }
            }
            Payload::GlobalSection(r) => ins.globals(r)?,
            Payload::ExportSection(r) => ins.exports(r)?,
            Payload::CustomSection(c) => ins.info.custom_sections.push((c.name().to_string(), c.data().to_vec())),
            _ => {}
        }
    }
    ins.finish()
}

fn table_type(t: &wasmparser::TableType) -> ExternType {
    ExternType::Table { elem: ValType::from_parser(wasmparser::ValType::Ref(t.element_type)), min: t.initial, max: t.maximum }
}

/// [`inspect`]'s state: the description being made, and the types of every function type,
/// table, memory and global (imports first), to describe exports.
#[derive(Default)]
struct Inspector {
    info: ModuleInfo,
    types: Vec<FuncType>,
    tables: Vec<ExternType>,
    memories: Vec<ExternType>,
    globals: Vec<ExternType>,
}

impl Inspector {
    fn types(&mut self, r: wasmparser::TypeSectionReader<'_>) -> Result<(), String> {
        self.info.type_count = r.count();
        for rec in r.into_iter_err_on_gc_types() {
            let f = rec.map_err(|e| e.message().to_string())?;
            self.types.push(FuncType {
                params: f.params().iter().map(|t| ValType::from_parser(*t)).collect(),
                results: f.results().iter().map(|t| ValType::from_parser(*t)).collect(),
            });
        }
        Ok(())
    }

    fn imports(&mut self, r: wasmparser::ImportSectionReader<'_>) -> Result<(), String> {
        use wasmparser::TypeRef;
        for imp in r {
            let imp = imp.map_err(|e| e.message().to_string())?;
            let ty = match imp.ty {
                TypeRef::Func(i) => {
                    let t = self.types.get(i as usize).cloned().ok_or("unknown type")?;
                    self.info.func_types.push(t.clone());
                    self.info.func_import_type_indices.push(i);
                    ExternType::Func(t)
                }
                TypeRef::Table(t) => table_type(&t),
                TypeRef::Memory(m) => ExternType::Memory { min: m.initial, max: m.maximum, shared: m.shared },
                TypeRef::Global(g) => ExternType::Global { ty: ValType::from_parser(g.content_type), mutable: g.mutable },
                TypeRef::Tag(_) | TypeRef::FuncExact(_) => ExternType::Tag,
            };
            match &ty {
                ExternType::Table { .. } => self.tables.push(ty.clone()),
                ExternType::Memory { .. } => self.memories.push(ty.clone()),
                ExternType::Global { .. } => self.globals.push(ty.clone()),
                _ => {}
            }
            self.info.imports.push(ImportInfo { module: imp.module.to_string(), name: imp.name.to_string(), ty });
        }
        Ok(())
    }

    fn globals(&mut self, r: wasmparser::GlobalSectionReader<'_>) -> Result<(), String> {
        for g in r {
            let g = g.map_err(|e| e.message().to_string())?;
            let mut rd = g.init_expr.get_binary_reader();
            let expr = rd.read_bytes(rd.bytes_remaining()).map_err(|e| e.message().to_string())?;
            let expr = expr.strip_suffix(&[0x0b]).unwrap_or(expr).to_vec();
            self.info.global_inits.push((ValType::from_parser(g.ty.content_type), expr));
            self.globals.push(ExternType::Global { ty: ValType::from_parser(g.ty.content_type), mutable: g.ty.mutable });
        }
        Ok(())
    }

    /// Exports with their kind; their types are filled in by `finish`, once every section
    /// is known.
    fn exports(&mut self, r: wasmparser::ExportSectionReader<'_>) -> Result<(), String> {
        for e in r {
            let e = e.map_err(|e| e.message().to_string())?;
            let ty = match e.kind {
                wasmparser::ExternalKind::Func | wasmparser::ExternalKind::FuncExact => ExternType::Func(FuncType { params: vec![], results: vec![] }),
                wasmparser::ExternalKind::Table => ExternType::Table { elem: ValType::FuncRef, min: 0, max: None },
                wasmparser::ExternalKind::Memory => ExternType::Memory { min: 0, max: None, shared: false },
                wasmparser::ExternalKind::Global => ExternType::Global { ty: ValType::I32, mutable: false },
                wasmparser::ExternalKind::Tag => ExternType::Tag,
            };
            self.info.exports.push(ExportInfo { name: e.name.to_string(), index: e.index, ty });
        }
        Ok(())
    }

    fn finish(mut self) -> Result<ModuleInfo, String> {
        for e in &mut self.info.exports {
            let i = e.index as usize;
            e.ty = match e.ty {
                ExternType::Func(_) => ExternType::Func(self.info.func_types.get(i).cloned().ok_or("unknown function")?),
                ExternType::Table { .. } => self.tables.get(i).cloned().ok_or("unknown table")?,
                ExternType::Memory { .. } => self.memories.get(i).cloned().ok_or("unknown memory")?,
                ExternType::Global { .. } => self.globals.get(i).cloned().ok_or("unknown global")?,
                ExternType::Tag => ExternType::Tag,
            };
        }
        self.info.table_elems = self.tables.iter().map(|t| match t {
            ExternType::Table { elem, .. } => *elem,
            _ => ValType::FuncRef,
        }).collect();
        self.info.memories = self.memories;
        Ok(self.info)
    }
}

