//! Lowering of imported functions WAMR cannot call with their own signature.
//!
//! WAMR's raw natives mishandle externref parameters (`wasm_runtime_invoke_native_raw` copies
//! the slot after the one it read) and return at most one value. For every imported function
//! with an externref parameter or several results, this pass (run before `rewrite.rs`):
//!
//! - gives the import a *lowered* type: each externref parameter becomes an i32 slot number of a
//!   hidden externref table, and the results go away when there are several;
//! - appends a *shim* function with the import's original type that stores the externref
//!   arguments into the hidden table, calls the lowered import, and reads the results from
//!   hidden mutable globals the host wrote;
//! - redirects every other reference to the import (calls, `ref.func`, element segments,
//!   exports, start) to the shim, so the module behaves exactly as before.
//!
//! The trampoline (`host.rs`) reads the arguments from the table and writes the results into
//! the globals ([`Lowering`] says where).

use wasm_encoder::reencode::{self, Reencode, RoundtripReencoder};
use wasm_encoder::{Function, Instruction};
use wasmparser_reencode as wp;

use crate::val::{FuncType, ValType};

/// How one imported function was lowered.
#[derive(Debug, Clone, PartialEq)]
pub struct Lowering {
    /// Positions of the externref parameters (their argument is a slot of `table`).
    pub externref_params: Vec<usize>,
    /// The hidden externref table's index.
    pub table: u32,
    /// Global indices receiving the results, when there are several.
    pub result_globals: Option<Vec<u32>>,
    /// The import's result types (the hidden globals' types, in order).
    pub result_types: Vec<ValType>,
}

/// Whether an import of type `t` needs lowering.
pub fn needs(t: &FuncType) -> bool {
    t.params.contains(&ValType::ExternRef) || t.results.len() > 1
}

struct Lowerer {
    /// Per function import (by function index): its lowering plan and original type index.
    plans: Vec<Option<(FuncType, u32)>>,
    /// Function index of each shim, by function index of the import it replaces.
    shim_of: std::collections::HashMap<u32, u32>,
    func_imports: u32,
    defined_funcs: u32,
    types: u32,
    tables: u32,
    globals: u32,
    /// Lowered type index, by import function index.
    lowered_type: std::collections::HashMap<u32, u32>,
    lowerings: Vec<(u32, Lowering)>,
    max_slots: u32,
    added_table: bool,
    added_global: bool,
    added_funcs: bool,
    added_code: bool,
    saw_types: bool,
}

impl Lowerer {
    fn lowered(t: &FuncType) -> FuncType {
        FuncType {
            params: t.params.iter().map(|p| if *p == ValType::ExternRef { ValType::I32 } else { *p }).collect(),
            results: if t.results.len() > 1 { vec![] } else { t.results.clone() },
        }
    }

    fn extra_types(&self) -> Vec<FuncType> {
        self.plans.iter().flatten().map(|(t, _)| Self::lowered(t)).collect()
    }

    fn extra_globals(&self) -> Vec<ValType> {
        self.plans.iter().flatten().filter(|(t, _)| t.results.len() > 1).flat_map(|(t, _)| t.results.clone()).collect()
    }

    fn add_types(&self, types: &mut wasm_encoder::TypeSection) {
        for t in self.extra_types() {
            types.ty().function(t.params.iter().map(|p| p.encoder()), t.results.iter().map(|r| r.encoder()));
        }
    }

    fn add_table(&self, tables: &mut wasm_encoder::TableSection) {
        let n = self.max_slots as u64;
        tables.table(wasm_encoder::TableType { element_type: wasm_encoder::RefType::EXTERNREF, table64: false, minimum: n, maximum: Some(n), shared: false });
    }

    fn add_globals(&self, globals: &mut wasm_encoder::GlobalSection) {
        for t in self.extra_globals() {
            let init = match t {
                ValType::I32 => wasm_encoder::ConstExpr::i32_const(0),
                ValType::I64 => wasm_encoder::ConstExpr::i64_const(0),
                ValType::F32 => wasm_encoder::ConstExpr::f32_const(0.0.into()),
                ValType::F64 => wasm_encoder::ConstExpr::f64_const(0.0.into()),
                ValType::V128 => wasm_encoder::ConstExpr::v128_const(0),
                ValType::FuncRef => wasm_encoder::ConstExpr::ref_null(wasm_encoder::HeapType::FUNC),
                ValType::ExternRef => wasm_encoder::ConstExpr::ref_null(wasm_encoder::HeapType::EXTERN),
            };
            globals.global(wasm_encoder::GlobalType { val_type: t.encoder(), mutable: true, shared: false }, &init);
        }
    }

    fn add_funcs(&self, funcs: &mut wasm_encoder::FunctionSection) {
        for (_, orig_ty) in self.plans.iter().flatten() {
            funcs.function(*orig_ty);
        }
    }

    fn add_code(&self, code: &mut wasm_encoder::CodeSection) {
        let mut result_global = self.globals;
        for (i, plan) in self.plans.iter().enumerate() {
            let Some((t, _)) = plan else { continue };
            let mut f = Function::new([]);
            let mut slot = 0u32;
            for (k, p) in t.params.iter().enumerate() {
                if *p == ValType::ExternRef {
                    f.instruction(&Instruction::I32Const(slot as i32));
                    f.instruction(&Instruction::LocalGet(k as u32));
                    f.instruction(&Instruction::TableSet(self.tables));
                    slot += 1;
                }
            }
            let mut slot = 0u32;
            for (k, p) in t.params.iter().enumerate() {
                if *p == ValType::ExternRef {
                    f.instruction(&Instruction::I32Const(slot as i32));
                    slot += 1;
                } else {
                    f.instruction(&Instruction::LocalGet(k as u32));
                }
            }
            f.instruction(&Instruction::Call(i as u32));
            if t.results.len() > 1 {
                for _ in &t.results {
                    f.instruction(&Instruction::GlobalGet(result_global));
                    result_global += 1;
                }
            }
            f.instruction(&Instruction::End);
            code.function(&f);
        }
    }
}

impl Reencode for Lowerer {
    type Error = std::convert::Infallible;

    copy_custom_sections_as_bytes!();

    fn function_index(&mut self, func: u32) -> Result<u32, reencode::Error<Self::Error>> {
        Ok(self.shim_of.get(&func).copied().unwrap_or(func))
    }

    fn parse_type_section(&mut self, types: &mut wasm_encoder::TypeSection, section: wp::TypeSectionReader<'_>) -> Result<(), reencode::Error<Self::Error>> {
        reencode::utils::parse_type_section(self, types, section)?;
        self.add_types(types);
        self.saw_types = true;
        Ok(())
    }

    fn parse_import_section(&mut self, imports: &mut wasm_encoder::ImportSection, section: wp::ImportSectionReader<'_>) -> Result<(), reencode::Error<Self::Error>> {
        let mut func = 0u32;
        {
            for imp in section.into_imports() {
                let imp = imp?;
                let ty = match imp.ty {
                    wp::TypeRef::Func(t) => {
                        let t = self.lowered_type.get(&func).copied().unwrap_or(t);
                        func += 1;
                        wasm_encoder::EntityType::Function(t)
                    }
                    other => self.entity_type(other)?,
                };
                imports.import(imp.module, imp.name, ty);
            }
        }
        Ok(())
    }

    fn parse_function_section(&mut self, funcs: &mut wasm_encoder::FunctionSection, section: wp::FunctionSectionReader<'_>) -> Result<(), reencode::Error<Self::Error>> {
        reencode::utils::parse_function_section(self, funcs, section)?;
        self.add_funcs(funcs);
        self.added_funcs = true;
        Ok(())
    }

    fn parse_table_section(&mut self, tables: &mut wasm_encoder::TableSection, section: wp::TableSectionReader<'_>) -> Result<(), reencode::Error<Self::Error>> {
        reencode::utils::parse_table_section(self, tables, section)?;
        self.add_table(tables);
        self.added_table = true;
        Ok(())
    }

    fn parse_global_section(&mut self, globals: &mut wasm_encoder::GlobalSection, section: wp::GlobalSectionReader<'_>) -> Result<(), reencode::Error<Self::Error>> {
        reencode::utils::parse_global_section(self, globals, section)?;
        self.add_globals(globals);
        self.added_global = true;
        Ok(())
    }

    fn parse_code_section(&mut self, code: &mut wasm_encoder::CodeSection, section: wp::CodeSectionReader<'_>) -> Result<(), reencode::Error<Self::Error>> {
        reencode::utils::parse_code_section(self, code, section)?;
        self.add_code(code);
        self.added_code = true;
        Ok(())
    }

    fn intersperse_section_hook(
        &mut self,
        module: &mut wasm_encoder::Module,
        after: Option<wasm_encoder::SectionId>,
        before: Option<wasm_encoder::SectionId>,
    ) -> Result<(), reencode::Error<Self::Error>> {
        use wasm_encoder::SectionId as S;
        // Adds the sections the module lacks at their place (before `before`).
        let at_or_after = |s: S| -> bool {
            let order = [S::Type, S::Import, S::Function, S::Table, S::Memory, S::Tag, S::Global, S::Export, S::Start, S::Element, S::DataCount, S::Code, S::Data];
            let pos = |x: S| order.iter().position(|o| *o == x).unwrap_or(usize::MAX);
            match before {
                Some(b) => pos(b) > pos(s),
                None => true,
            }
        };
        let _ = after;
        if !self.saw_types && at_or_after(S::Type) {
            let mut t = wasm_encoder::TypeSection::new();
            self.add_types(&mut t);
            module.section(&t);
            self.saw_types = true;
        }
        if !self.added_funcs && at_or_after(S::Function) {
            let mut f = wasm_encoder::FunctionSection::new();
            self.add_funcs(&mut f);
            module.section(&f);
            self.added_funcs = true;
        }
        if !self.added_table && at_or_after(S::Table) {
            let mut t = wasm_encoder::TableSection::new();
            self.add_table(&mut t);
            module.section(&t);
            self.added_table = true;
        }
        if !self.added_global && at_or_after(S::Global) {
            let mut g = wasm_encoder::GlobalSection::new();
            self.add_globals(&mut g);
            module.section(&g);
            self.added_global = true;
        }
        if !self.added_code && at_or_after(S::Code) {
            let mut c = wasm_encoder::CodeSection::new();
            self.add_code(&mut c);
            module.section(&c);
            self.added_code = true;
        }
        Ok(())
    }
}

/// The plan of each lowered import, by function index.
pub type Lowerings = Vec<(u32, Lowering)>;

/// Lowers the imports of `bytes` that need it (`import_types`: the type of each function import,
/// in order). Returns the new bytes and, per lowered import (by function index), its plan.
pub fn lower(bytes: &[u8], import_types: &[FuncType], type_indices: &[u32], counts: (u32, u32, u32, u32)) -> Option<(Vec<u8>, Lowerings)> {
    let (types, defined_funcs, tables, globals) = counts;
    if !import_types.iter().any(needs) {
        return None;
    }
    let func_imports = import_types.len() as u32;
    let mut l = Lowerer {
        plans: import_types.iter().zip(type_indices).map(|(t, ti)| needs(t).then(|| (t.clone(), *ti))).collect(),
        shim_of: Default::default(),
        func_imports,
        defined_funcs,
        types,
        tables,
        globals,
        lowered_type: Default::default(),
        lowerings: Vec::new(),
        max_slots: 0,
        added_table: false,
        added_global: false,
        added_funcs: false,
        added_code: false,
        saw_types: false,
    };
    let mut next_type = types;
    let mut next_func = func_imports + defined_funcs;
    let mut next_global = globals;
    for (i, plan) in l.plans.iter().enumerate() {
        let Some((t, _)) = plan else { continue };
        l.lowered_type.insert(i as u32, next_type);
        next_type += 1;
        l.shim_of.insert(i as u32, next_func);
        next_func += 1;
        let externref_params: Vec<usize> = t.params.iter().enumerate().filter(|(_, p)| **p == ValType::ExternRef).map(|(k, _)| k).collect();
        l.max_slots = l.max_slots.max(externref_params.len() as u32);
        let result_globals = (t.results.len() > 1).then(|| {
            let g: Vec<u32> = (next_global..next_global + t.results.len() as u32).collect();
            next_global += t.results.len() as u32;
            g
        });
        l.lowerings.push((i as u32, Lowering { externref_params, table: tables, result_globals, result_types: t.results.clone() }));
    }
    let mut module = wasm_encoder::Module::new();
    l.parse_core_module(&mut module, wp::Parser::new(0), bytes).ok()?;
    let _ = (l.func_imports, l.defined_funcs, l.types);
    let _ = RoundtripReencoder;
    Some((module.finish(), l.lowerings))
}
