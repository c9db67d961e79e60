//! Tail calls into imported functions, which WAMR's fast interpreter crashes on.
//!
//! After `return_call` frees the caller's frame, `wasm_interp_call_func_native` runs the
//! native on a frame allocated over the freed one and then restores the interpreter's state
//! from it (wasm-micro-runtime issue #3279): a segfault. So before WAMR loads a module:
//!
//! - `return_call $f` where `$f` is an imported function becomes `call $f` + `return`;
//! - `return_call_indirect (type $t)` where some imported function has type `$t` (so a table
//!   element of that type may be an import) becomes `call_indirect (type $t)` + `return`.
//!
//! The result is the same; only the frame of the caller stays on the stack during the host
//! call. Tail calls between wasm functions — what deep tail recursion relies on — are left
//! alone, and modules without such calls are not re-encoded.

use wasm_encoder::reencode::{self, Reencode};
use wasm_encoder::Instruction;
use wasmparser_reencode as wp;

struct TailCalls {
    /// The renumbering of the bodies it changed (codemap.rs), and the next body's position.
    map: crate::codemap::OpMap,
    body: u32,
    func_imports: u32,
    /// Type indices an imported function's type equals (structurally).
    import_types: Vec<bool>,
}

impl TailCalls {
    fn risky_call(&self, function_index: u32) -> bool {
        function_index < self.func_imports
    }
    fn risky_indirect(&self, type_index: u32) -> bool {
        self.import_types.get(type_index as usize).copied().unwrap_or(false)
    }
}

impl Reencode for TailCalls {
    type Error = std::convert::Infallible;

    copy_custom_sections_as_bytes!();

    fn parse_function_body(&mut self, code: &mut wasm_encoder::CodeSection, func: wp::FunctionBody<'_>) -> Result<(), reencode::Error<Self::Error>> {
        let mut f = self.new_function_with_parsed_locals(&func)?;
        let mut reader = func.get_operators_reader()?;
        let mut log = crate::codemap::OpLog::new();
        while !reader.eof() {
            match reader.read()? {
                wp::Operator::ReturnCall { function_index } if self.risky_call(function_index) => {
                    f.instruction(&Instruction::Call(function_index));
                    f.instruction(&Instruction::Return);
                    log.replaced(2);
                }
                wp::Operator::ReturnCallIndirect { type_index, table_index } if self.risky_indirect(type_index) => {
                    f.instruction(&Instruction::CallIndirect { type_index, table_index });
                    f.instruction(&Instruction::Return);
                    log.replaced(2);
                }
                op => {
                    f.instruction(&self.instruction(op)?);
                    log.kept();
                }
            }
        }
        code.function(&f);
        log.finish(&mut self.map, self.body);
        self.body += 1;
        Ok(())
    }
}

/// `bytes` (already validated) with the tail calls described above replaced, or None when
/// it has none. An error when it has some and cannot be re-encoded: loading it as it is
/// would crash. With the bytes, the renumbering of their instructions (codemap.rs).
pub fn rewrite(bytes: &[u8]) -> Result<Option<(Vec<u8>, crate::codemap::OpMap)>, String> {
    match find(bytes) {
        None => Ok(None),
        Some(mut t) => {
            let mut module = wasm_encoder::Module::new();
            t.parse_core_module(&mut module, wp::Parser::new(0), bytes)
                .map_err(|e| format!("cannot adapt its tail calls into imported functions for WAMR: {e}"))?;
            Ok(Some((module.finish(), t.map)))
        }
    }
}

/// The rewriter for `bytes` when it has tail calls to rewrite.
fn find(bytes: &[u8]) -> Option<TailCalls> {
    let mut func_types: Vec<Option<wp::FuncType>> = Vec::new();
    let mut imported: Vec<u32> = Vec::new();
    let mut found = false;
    let mut t = TailCalls { map: Default::default(), body: 0, func_imports: 0, import_types: Vec::new() };
    for payload in wp::Parser::new(0).parse_all(bytes) {
        match payload.ok()? {
            wp::Payload::TypeSection(r) => {
                for ty in r.into_iter_err_on_gc_types() {
                    func_types.push(ty.ok());
                }
            }
            wp::Payload::ImportSection(r) => {
                for imp in r.into_imports() {
                    if let wp::TypeRef::Func(ti) = imp.ok()?.ty {
                        imported.push(ti);
                    }
                }
                t.func_imports = imported.len() as u32;
                t.import_types = func_types
                    .iter()
                    .map(|ft| ft.is_some() && imported.iter().any(|&i| func_types.get(i as usize).and_then(|x| x.as_ref()) == ft.as_ref()))
                    .collect();
                if imported.is_empty() {
                    return None;
                }
            }
            wp::Payload::CodeSectionEntry(body) => {
                if t.func_imports == 0 {
                    return None;
                }
                let mut ops = body.get_operators_reader().ok()?;
                while !ops.eof() {
                    match ops.read().ok()? {
                        wp::Operator::ReturnCall { function_index } if t.risky_call(function_index) => found = true,
                        wp::Operator::ReturnCallIndirect { type_index, .. } if t.risky_indirect(type_index) => found = true,
                        _ => {}
                    }
                    if found {
                        break;
                    }
                }
                if found {
                    break;
                }
            }
            _ => {}
        }
    }
    found.then_some(t)
}
