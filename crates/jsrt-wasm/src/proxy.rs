//! Proxy functions: how a function of *another* instance becomes a funcref inside an instance.
//!
//! WAMR's non-GC interpreter represents a funcref as a function index of the instance that
//! executes it, and `call_indirect` "always call[s] module own functions"
//! (`wasm_interp_fast.c`). So before WAMR loads a module into which a funcref can enter from
//! outside (an exported function with a funcref parameter, an imported function returning
//! one, a funcref table or a funcref global that is imported or exported), this pass gives it
//! a *pool* of proxy functions for every function type its code calls indirectly:
//!
//! - one *dispatcher* import per such type `T`, of type `T.params ++ [i32] -> T.results`,
//!   appended after the module's own function imports (so every defined function's index moves
//!   up by the number of dispatchers: [`ProxyPlan::to_internal`]);
//! - `n` *pool functions* of type `T`, appended after the defined functions, each passing its
//!   arguments and its own position `k` in the pool to the dispatcher.
//!
//! When a foreign function of type `T` enters an instance, `foreign.rs` binds it to a free
//! pool function and hands wasm that function's index; a `call_indirect` of it reaches the
//! dispatcher, which calls the bound function in its own instance. Foreign functions of a type
//! the module never calls indirectly cannot be called there at all, so they get an index past
//! every function (a *token*: `call_indirect` of it traps, with WAMR's "unknown function").
//!
//! Types with a `v128` parameter or result get no pool (the host cannot carry v128 values).
//!
//! The same pass gives every funcref table that may be shared with other instances (imported
//! or exported) whose code grows it a *grow hook*: an import of type `(funcref, i32) -> i32`
//! after the dispatchers, which `table.grow` on that table becomes (same operands, same
//! result). The host grows the shared table there (table.rs), so growth is not limited to the
//! room WAMR allocated for the instance's own view of it.
//!
//! Modules that need neither are left alone.

use wasm_encoder::reencode::{self, Reencode};
use wasm_encoder::{Function, Instruction};
use wasmparser_reencode as wp;

use crate::info::{ExternType, ModuleInfo};
use crate::val::{FuncType, ValType};

/// Import module name of the dispatchers (never visible to JS: the JS API describes the
/// original bytes).
pub const DISPATCH_MODULE: &str = "jsrt:proxy";

/// Smallest pool of one type (the budget per module is `Limits::foreign_functions`, shared out
/// between the types it calls indirectly; a type gets at most a quarter of it, or 256).
const POOL_MIN: u32 = 16;

/// One function type's dispatcher and pool.
#[derive(Debug, Clone, PartialEq)]
pub struct Pool {
    pub ty: FuncType,
    /// Internal function index of the pool's first function.
    pub first: u32,
    pub len: u32,
}

/// What the pass added, and how function indices moved.
#[derive(Debug, Clone, PartialEq)]
pub struct ProxyPlan {
    /// Function imports of the original module.
    pub func_imports: u32,
    /// Functions the original module defines.
    pub defined: u32,
    /// One per dispatcher, in order (dispatcher `d` is function import `func_imports + d`).
    pub pools: Vec<Pool>,
    /// Tables with a grow hook, in order (the hook of `grow_hooks[h]` is function import
    /// `func_imports + pools.len() + h`).
    pub grow_hooks: Vec<u32>,
}

impl ProxyPlan {
    /// Function imports added: dispatchers, then grow hooks.
    fn added_import_count(&self) -> u32 {
        (self.pools.len() + self.grow_hooks.len()) as u32
    }

    /// The function imports the pass added, in order: (name, type, type index given the
    /// original module's type count) of each dispatcher, then of each grow hook.
    pub fn added_imports(&self, type_count: u32) -> Vec<(String, FuncType, u32)> {
        let mut out: Vec<(String, FuncType, u32)> = self.pools.iter().enumerate().map(|(d, pool)| {
            let mut t = pool.ty.clone();
            t.params.push(ValType::I32);
            (format!("d{d}"), t, type_count + d as u32)
        }).collect();
        let hook = FuncType { params: vec![ValType::FuncRef, ValType::I32], results: vec![ValType::I32] };
        for t in &self.grow_hooks {
            out.push((format!("g{t}"), hook.clone(), type_count + self.pools.len() as u32));
        }
        out
    }

    /// Types the pass added to the type section.
    pub fn added_types(&self) -> u32 {
        self.pools.len() as u32 + u32::from(!self.grow_hooks.is_empty())
    }

    /// WAMR's function index of the grow hook of table `table`, if it has one.
    fn grow_hook(&self, table: u32) -> Option<u32> {
        let h = self.grow_hooks.iter().position(|t| *t == table)?;
        Some(self.func_imports + self.pools.len() as u32 + h as u32)
    }

    /// WAMR's index of the original module's function `index`.
    pub fn to_internal(&self, index: u32) -> u32 {
        if index < self.func_imports {
            index
        } else {
            index + self.added_import_count()
        }
    }

    /// The original index of WAMR's function `internal`, or None for the added functions.
    pub fn to_original(&self, internal: u32) -> Option<u32> {
        let d = self.added_import_count();
        if internal < self.func_imports {
            Some(internal)
        } else if internal < self.func_imports + d {
            None
        } else if internal < self.func_imports + d + self.defined {
            Some(internal - d)
        } else {
            None
        }
    }

    /// (pool, position) of WAMR's function `internal`, when it is a pool function.
    pub fn pool_function(&self, internal: u32) -> Option<(usize, u32)> {
        self.pools.iter().enumerate().find_map(|(p, pool)| (internal >= pool.first && internal < pool.first + pool.len).then(|| (p, internal - pool.first)))
    }

    /// Whether WAMR's function `internal` is one this pass added (a dispatcher or a pool
    /// function).
    pub fn added(&self, internal: u32) -> bool {
        let d = self.added_import_count();
        (internal >= self.func_imports && internal < self.func_imports + d) || self.pool_function(internal).is_some()
    }

    /// The pool for functions of type `ty`.
    pub fn pool_for(&self, ty: &FuncType) -> Option<usize> {
        self.pools.iter().position(|p| p.ty == *ty)
    }
}

/// Whether a funcref from outside can enter an instance of the module.
pub fn funcref_can_enter(info: &ModuleInfo) -> bool {
    let imports = info.imports.iter().any(|i| match &i.ty {
        ExternType::Func(t) => t.results.contains(&ValType::FuncRef),
        ExternType::Table { elem, .. } => *elem == ValType::FuncRef,
        ExternType::Global { ty, .. } => *ty == ValType::FuncRef,
        _ => false,
    });
    let exports = info.exports.iter().any(|e| match &e.ty {
        ExternType::Func(t) => t.params.contains(&ValType::FuncRef),
        ExternType::Table { elem, .. } => *elem == ValType::FuncRef,
        ExternType::Global { ty, mutable } => *ty == ValType::FuncRef && *mutable,
        _ => false,
    });
    imports || exports
}

/// What one pass over a module's code learns.
#[derive(Debug, Default)]
pub struct CodeFacts {
    /// The structural types `call_indirect`/`return_call_indirect` use, each with the first
    /// type index that has it, in order of first use (types with v128 left out).
    pub indirect: Vec<(FuncType, u32)>,
    /// Whether the code writes tables (`table.set`, `grow`, `fill`, `copy`, `init`).
    pub writes_tables: bool,
    /// Tables the code grows.
    pub grows: Vec<u32>,
}

/// Collects [`CodeFacts`] from the type section and every operator (module.rs feeds it while
/// validating, so the code is parsed once).
#[derive(Default)]
pub struct Scanner {
    types: Vec<FuncType>,
    facts: CodeFacts,
}

impl Scanner {
    pub fn type_section(&mut self, r: &wasmparser::TypeSectionReader<'_>) -> Result<(), String> {
        for t in r.clone().into_iter_err_on_gc_types() {
            let t = t.map_err(|e| e.message().to_string())?;
            self.types.push(FuncType {
                params: t.params().iter().map(|v| ValType::from_parser(*v)).collect(),
                results: t.results().iter().map(|v| ValType::from_parser(*v)).collect(),
            });
        }
        Ok(())
    }

    #[inline]
    pub fn op(&mut self, op: &wasmparser::Operator<'_>) {
        use wasmparser::Operator as O;
        let type_index = match op {
            O::CallIndirect { type_index, .. } | O::ReturnCallIndirect { type_index, .. } => *type_index,
            O::TableGrow { table } => {
                self.facts.writes_tables = true;
                if !self.facts.grows.contains(table) {
                    self.facts.grows.push(*table);
                }
                return;
            }
            O::TableSet { .. } | O::TableFill { .. } | O::TableCopy { .. } | O::TableInit { .. } => {
                self.facts.writes_tables = true;
                return;
            }
            _ => return,
        };
        let Some(ty) = self.types.get(type_index as usize) else { return };
        let out = &mut self.facts.indirect;
        if ty.params.iter().chain(&ty.results).any(|v| *v == ValType::V128) || out.iter().any(|(t, _)| t == ty) {
            return;
        }
        let first = self.types.iter().position(|t| t == ty).unwrap_or(type_index as usize) as u32;
        out.push((ty.clone(), first));
    }

    pub fn finish(self) -> CodeFacts {
        self.facts
    }
}

/// Scans every function body (of a module already validated).
#[cfg(test)]
pub fn scan(bytes: &[u8]) -> Result<CodeFacts, String> {
    use wasmparser::{Parser, Payload};
    let mut s = Scanner::default();
    for payload in Parser::new(0).parse_all(bytes) {
        match payload.map_err(|e| e.message().to_string())? {
            Payload::TypeSection(r) => s.type_section(&r)?,
            Payload::CodeSectionEntry(body) => {
                let mut ops = body.get_operators_reader().map_err(|e| e.message().to_string())?;
                while !ops.eof() {
                    s.op(&ops.read().map_err(|e| e.message().to_string())?);
                }
            }
            _ => {}
        }
    }
    Ok(s.finish())
}

struct Adder {
    plan: ProxyPlan,
    /// Type index of each pool's functions, and of each dispatcher.
    pool_types: Vec<u32>,
    dispatcher_types: Vec<u32>,
    /// Type index of the grow hooks' `(funcref, i32) -> i32`.
    hook_type: u32,
    saw_imports: bool,
}

impl Adder {
    fn add_imports(&self, imports: &mut wasm_encoder::ImportSection) {
        for (d, t) in self.dispatcher_types.iter().enumerate() {
            imports.import(DISPATCH_MODULE, &format!("d{d}"), wasm_encoder::EntityType::Function(*t));
        }
        for t in &self.plan.grow_hooks {
            imports.import(DISPATCH_MODULE, &format!("g{t}"), wasm_encoder::EntityType::Function(self.hook_type));
        }
    }
}

impl Reencode for Adder {
    type Error = std::convert::Infallible;

    copy_custom_sections_as_bytes!();

    fn function_index(&mut self, func: u32) -> Result<u32, reencode::Error<Self::Error>> {
        Ok(self.plan.to_internal(func))
    }

    fn parse_type_section(&mut self, types: &mut wasm_encoder::TypeSection, section: wp::TypeSectionReader<'_>) -> Result<(), reencode::Error<Self::Error>> {
        reencode::utils::parse_type_section(self, types, section)?;
        for pool in &self.plan.pools {
            let params: Vec<_> = pool.ty.params.iter().copied().chain([ValType::I32]).map(ValType::encoder).collect();
            types.ty().function(params, pool.ty.results.iter().map(|r| r.encoder()));
        }
        if !self.plan.grow_hooks.is_empty() {
            types.ty().function([ValType::FuncRef.encoder(), ValType::I32.encoder()], [ValType::I32.encoder()]);
        }
        Ok(())
    }

    fn parse_import_section(&mut self, imports: &mut wasm_encoder::ImportSection, section: wp::ImportSectionReader<'_>) -> Result<(), reencode::Error<Self::Error>> {
        reencode::utils::parse_import_section(self, imports, section)?;
        self.add_imports(imports);
        self.saw_imports = true;
        Ok(())
    }

    fn parse_function_section(&mut self, funcs: &mut wasm_encoder::FunctionSection, section: wp::FunctionSectionReader<'_>) -> Result<(), reencode::Error<Self::Error>> {
        reencode::utils::parse_function_section(self, funcs, section)?;
        for (pool, t) in self.plan.pools.iter().zip(&self.pool_types) {
            for _ in 0..pool.len {
                funcs.function(*t);
            }
        }
        Ok(())
    }

    /// Function bodies are copied as bytes with only the function indices of `call`,
    /// `return_call` and `ref.func` rewritten: several times faster than re-encoding every
    /// instruction, which matters for large modules (this runs on every compile).
    fn parse_code_section(&mut self, code: &mut wasm_encoder::CodeSection, section: wp::CodeSectionReader<'_>) -> Result<(), reencode::Error<Self::Error>> {
        let mut body = Vec::new();
        for func in section {
            let func = func?;
            let mut all = func.get_binary_reader();
            let start = all.original_position() as usize;
            let bytes = all.read_bytes(all.bytes_remaining())?;
            body.clear();
            let mut copied = 0usize;
            let mut ops = func.get_operators_reader()?;
            while !ops.eof() {
                let (op, at) = ops.read_with_offset()?;
                let (opcode, index, moved) = match op {
                    wp::Operator::Call { function_index } => (0x10u8, function_index, self.plan.to_internal(function_index)),
                    wp::Operator::ReturnCall { function_index } => (0x12, function_index, self.plan.to_internal(function_index)),
                    wp::Operator::RefFunc { function_index } => (0xd2, function_index, self.plan.to_internal(function_index)),
                    // `table.grow` of a shareable table: a call of its grow hook.
                    wp::Operator::TableGrow { table } => match self.plan.grow_hook(table) {
                        Some(hook) => (0x10, u32::MAX, hook),
                        None => continue,
                    },
                    _ => continue,
                };
                if moved == index {
                    continue;
                }
                body.extend_from_slice(&bytes[copied..at as usize - start]);
                body.push(opcode);
                crate::rewrite::leb(moved, &mut body);
                copied = ops.original_position() as usize - start;
            }
            body.extend_from_slice(&bytes[copied..]);
            code.raw(&body);
        }
        for (d, pool) in self.plan.pools.iter().enumerate() {
            for k in 0..pool.len {
                let mut f = Function::new([]);
                for p in 0..pool.ty.params.len() as u32 {
                    f.instruction(&Instruction::LocalGet(p));
                }
                f.instruction(&Instruction::I32Const(k as i32));
                f.instruction(&Instruction::Call(self.plan.func_imports + d as u32));
                f.instruction(&Instruction::End);
                code.function(&f);
            }
        }
        Ok(())
    }

    fn intersperse_section_hook(
        &mut self,
        module: &mut wasm_encoder::Module,
        _after: Option<wasm_encoder::SectionId>,
        before: Option<wasm_encoder::SectionId>,
    ) -> Result<(), reencode::Error<Self::Error>> {
        use wasm_encoder::SectionId as S;
        // A module without imports gets an import section right after its type section (the
        // pass runs only on modules with code calling indirectly, so every other section it
        // extends exists).
        if !self.saw_imports && before.is_some_and(|b| !matches!(b, S::Type | S::Import)) {
            let mut imports = wasm_encoder::ImportSection::new();
            self.add_imports(&mut imports);
            module.section(&imports);
            self.saw_imports = true;
        }
        Ok(())
    }
}

/// Adds dispatchers and pools to `bytes` when a foreign funcref can enter its instances (see
/// the module docs; `facts` from [`scan`]). Returns the new bytes and the plan, or None when
/// nothing is needed.
pub fn add(bytes: &[u8], info: &ModuleInfo, facts: &CodeFacts) -> Result<Option<(Vec<u8>, ProxyPlan)>, String> {
    let empty = Vec::new();
    let types = if funcref_can_enter(info) { &facts.indirect } else { &empty };
    // Funcref tables other instances may share: imported ones and exported ones.
    let imported_tables = info.imports.iter().filter(|i| matches!(i.ty, ExternType::Table { .. })).count() as u32;
    let shareable = |t: u32| {
        info.table_elems.get(t as usize) == Some(&ValType::FuncRef)
            && (t < imported_tables || info.exports.iter().any(|e| matches!(e.ty, ExternType::Table { .. }) && e.index == t))
    };
    let grow_hooks: Vec<u32> = facts.grows.iter().copied().filter(|t| shareable(*t)).collect();
    if types.is_empty() && grow_hooks.is_empty() {
        return Ok(None);
    }
    let func_imports = info.func_import_type_indices.len() as u32;
    let defined = info.func_types.len() as u32 - func_imports;
    let budget = crate::engine::limits().foreign_functions;
    let per_type = (budget / types.len().max(1) as u32).clamp(POOL_MIN, (budget / 4).max(256));
    let d = types.len() as u32 + grow_hooks.len() as u32;
    let mut next = func_imports + d + defined;
    let mut pools = Vec::new();
    for (ty, _) in types {
        pools.push(Pool { ty: ty.clone(), first: next, len: per_type });
        next += per_type;
    }
    let mut adder = Adder {
        plan: ProxyPlan { func_imports, defined, pools, grow_hooks },
        pool_types: types.iter().map(|(_, i)| *i).collect(),
        dispatcher_types: (0..types.len() as u32).map(|k| info.type_count + k).collect(),
        hook_type: info.type_count + types.len() as u32,
        saw_imports: false,
    };
    let mut module = wasm_encoder::Module::new();
    adder.parse_core_module(&mut module, wp::Parser::new(0), bytes).map_err(|e| e.to_string())?;
    Ok(Some((module.finish(), adder.plan)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn module(wat: &str) -> (Vec<u8>, ModuleInfo) {
        let bytes = wat::parse_str(wat).unwrap();
        let info = crate::info::inspect(&bytes).unwrap();
        (bytes, info)
    }

    #[test]
    fn left_alone_when_no_funcref_can_enter() {
        let (b, i) = module(r#"(module (type $t (func)) (table 1 funcref) (func (call_indirect (type $t) (i32.const 0))))"#);
        assert!(add(&b, &i, &scan(&b).unwrap()).unwrap().is_none());
        let (b, i) = module(r#"(module (table (export "t") 1 funcref) (func))"#);
        assert!(add(&b, &i, &scan(&b).unwrap()).unwrap().is_none(), "no call_indirect: nothing to proxy");
    }

    #[test]
    fn pools_per_indirect_type_and_shifted_indices() {
        let (b, i) = module(
            r#"(module
                (type $a (func (param i32) (result i32)))
                (type $b (func))
                (import "m" "f" (func $f))
                (table (export "t") 2 funcref)
                (func $g (param i32) (result i32) (call_indirect (type $a) (local.get 0) (i32.const 0)))
                (func $h (call_indirect (type $b) (i32.const 1)) (call $g (i32.const 1)) drop)
                (elem (i32.const 0) $g $h)
                (export "g" (func $g)))"#,
        );
        let (out, plan) = add(&b, &i, &scan(&b).unwrap()).unwrap().unwrap();
        assert_eq!(plan.func_imports, 1);
        assert_eq!(plan.defined, 2);
        assert_eq!(plan.pools.len(), 2);
        assert_eq!(plan.pools[0].ty, FuncType { params: vec![ValType::I32], results: vec![ValType::I32] });
        assert_eq!(plan.pools[0].first, 1 + 2 + 2);
        assert_eq!(plan.to_internal(0), 0);
        assert_eq!(plan.to_internal(1), 3);
        assert_eq!(plan.to_original(3), Some(1));
        assert_eq!(plan.to_original(1), None);
        assert_eq!(plan.pool_function(plan.pools[1].first + 2), Some((1, 2)));
        // The result is valid and its export points at the moved function.
        crate::module::validate(&out).unwrap();
        let info = crate::info::inspect(&out).unwrap();
        assert_eq!(info.exports.iter().find(|e| e.name == "g").unwrap().index, 3);
        assert_eq!(info.imports.len(), 3);
        assert_eq!(info.imports[1].module, DISPATCH_MODULE);
        assert_eq!(info.func_types.len() as u32, 3 + 2 + plan.pools.iter().map(|p| p.len).sum::<u32>());
    }

    #[test]
    fn table_grow_of_a_shareable_table_becomes_a_hook_call() {
        let (b, i) = module(
            r#"(module
                (import "m" "f" (func $f))
                (table $shared (export "t") 1 funcref)
                (table $own 1 funcref)
                (func (export "g") (result i32)
                  (drop (table.grow $own (ref.null func) (i32.const 1)))
                  (table.grow $shared (ref.null func) (i32.const 2))))"#,
        );
        let (out, plan) = add(&b, &i, &scan(&b).unwrap()).unwrap().unwrap();
        assert!(plan.pools.is_empty(), "nothing calls indirectly");
        assert_eq!(plan.grow_hooks, vec![0], "only the exported table");
        assert_eq!(plan.to_internal(1), 2, "defined functions move past the hook");
        crate::module::validate(&out).unwrap();
        let info = crate::info::inspect(&out).unwrap();
        assert_eq!(info.imports[1].name, "g0");
        let facts = scan(&out).unwrap();
        assert_eq!(facts.grows, vec![1], "table.grow of the exported table is gone");
    }

    #[test]
    fn module_without_imports_gets_an_import_section() {
        let (b, i) = module(
            r#"(module (type $t (func (param funcref)))
                (table 1 funcref)
                (func (export "f") (param funcref) (table.set (i32.const 0) (local.get 0)) (call_indirect (type $t) (ref.null func) (i32.const 0))))"#,
        );
        let (out, plan) = add(&b, &i, &scan(&b).unwrap()).unwrap().unwrap();
        crate::module::validate(&out).unwrap();
        assert_eq!(plan.to_internal(0), 1);
    }
}
