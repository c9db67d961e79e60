//! Unreachable code removed before WAMR loads a module.
//!
//! After an instruction that never falls through (`br`, `br_table`, `return`, `unreachable`,
//! the tail calls), the rest of its block is dead: validation types it with a polymorphic
//! stack, and nothing runs it. WAMR's fast-interpreter loader still assigns stack slots to
//! the dead code, and some shapes of it (a multi-value block inside, values computed before
//! the branch) leave the offsets of the *live* code around it wrong, so a block's results
//! land in the wrong slots: found by differential fuzzing against wasmi
//! (`tests/wasm/fuzz-regressions/dead-code-block-results.js`; wasm_loader.c keeps computing
//! `dynamic_offset` while `is_stack_polymorphic`).
//!
//! So the dead instructions go: each block keeps its branch and then its `else`/`end` — the
//! shape every compiler emits, which WAMR handles. Removing dead code changes no result, no
//! index and no type. Modules without dead code (what compilers produce) are not re-encoded.

use wasm_encoder::reencode::{self, Reencode};
use wasmparser_reencode as wp;

/// What an operator does to the flow of control, as far as liveness goes.
#[derive(Clone, Copy, PartialEq)]
pub(crate) enum Flow {
    /// Falls through to the next instruction.
    Next,
    /// Never falls through (`br`, `return`, `unreachable`, tail calls, throws).
    Ends,
    /// Opens a block that an `end` (or `delegate`) closes.
    Opens,
    /// `end` or `delegate`: closes a block.
    Closes,
    /// `else`, `catch`, `catch_all`: a new arm of the enclosing block starts.
    Resumes,
}

/// The [`Flow`] of an operator, for a `wasmparser` version (module.rs validates with one, the
/// rewrite re-encodes with another): one list of operators for both.
macro_rules! flow_of {
    ($name:ident, $parser:ident) => {
        pub(crate) fn $name(op: &$parser::Operator<'_>) -> Flow {
            use $parser::Operator as O;
            match op {
                O::Br { .. }
                | O::BrTable { .. }
                | O::Return
                | O::Unreachable
                | O::ReturnCall { .. }
                | O::ReturnCallIndirect { .. }
                | O::ReturnCallRef { .. }
                | O::Throw { .. }
                | O::ThrowRef
                | O::Rethrow { .. } => Flow::Ends,
                O::Block { .. } | O::Loop { .. } | O::If { .. } | O::Try { .. } | O::TryTable { .. } => Flow::Opens,
                O::End | O::Delegate { .. } => Flow::Closes,
                O::Else | O::Catch { .. } | O::CatchAll => Flow::Resumes,
                _ => Flow::Next,
            }
        }
    };
}
flow_of!(flow, wp);
flow_of!(validated_flow, wasmparser);

/// Which operators of a function body are live, in one pass.
pub(crate) struct Liveness {
    /// Inside dead code: how many blocks opened in it are still open.
    dead: Option<u32>,
}

impl Liveness {
    pub(crate) fn new() -> Liveness {
        Liveness { dead: None }
    }

    /// Whether the next operator, of flow `f`, is live (kept), updating the state.
    pub(crate) fn keep(&mut self, f: Flow) -> bool {
        let Some(depth) = self.dead else {
            if f == Flow::Ends {
                self.dead = Some(0);
            }
            return true;
        };
        match f {
            Flow::Opens => self.dead = Some(depth + 1),
            // The `end` (or `else`) of the block the dead code is in: live again.
            Flow::Closes | Flow::Resumes if depth == 0 => {
                self.dead = None;
                return true;
            }
            Flow::Closes => self.dead = Some(depth - 1),
            _ => {}
        }
        false
    }
}

/// The pass, with the renumbering of the bodies it shortened (codemap.rs).
#[derive(Default)]
struct DeadCode {
    body: u32,
    map: crate::codemap::OpMap,
}

impl Reencode for DeadCode {
    type Error = std::convert::Infallible;

    copy_custom_sections_as_bytes!();

    fn parse_function_body(&mut self, code: &mut wasm_encoder::CodeSection, func: wp::FunctionBody<'_>) -> Result<(), reencode::Error<Self::Error>> {
        let mut f = self.new_function_with_parsed_locals(&func)?;
        let mut reader = func.get_operators_reader()?;
        let mut live = Liveness::new();
        let mut log = crate::codemap::OpLog::new();
        while !reader.eof() {
            let op = reader.read()?;
            if live.keep(flow(&op)) {
                f.instruction(&self.instruction(op)?);
                log.kept();
            } else {
                log.dropped();
            }
        }
        code.function(&f);
        log.finish(&mut self.map, self.body);
        self.body += 1;
        Ok(())
    }
}

/// `bytes` (already validated) without dead code, with the renumbering of its instructions,
/// or None when `has_dead_code` (found while validating: module.rs) says there is none.
pub fn rewrite(bytes: &[u8], has_dead_code: bool) -> Result<Option<(Vec<u8>, crate::codemap::OpMap)>, String> {
    if !has_dead_code {
        return Ok(None);
    }
    let mut module = wasm_encoder::Module::new();
    let mut pass = DeadCode::default();
    pass.parse_core_module(&mut module, wp::Parser::new(0), bytes)
        .map_err(|e| format!("cannot remove its dead code for WAMR: {e}"))?;
    Ok(Some((module.finish(), pass.map)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rewritten(wat: &str) -> Option<String> {
        let bytes = wat::parse_str(wat).unwrap();
        let dead = crate::scan::validate_and_scan(&bytes).unwrap().dead_code;
        let (out, _) = rewrite(&bytes, dead).unwrap()?;
        wasmparser::validate(&out).expect("still valid");
        Some(wasmprinter_like(&out))
    }

    /// The operators of the first function, as their names.
    fn wasmprinter_like(bytes: &[u8]) -> String {
        let mut names = Vec::new();
        for p in wp::Parser::new(0).parse_all(bytes) {
            if let Ok(wp::Payload::CodeSectionEntry(body)) = p {
                let mut r = body.get_operators_reader().unwrap();
                while !r.eof() {
                    let op = format!("{:?}", r.read().unwrap());
                    names.push(op.split([' ', '{']).next().unwrap().to_string());
                }
                break;
            }
        }
        names.join(" ")
    }

    #[test]
    fn modules_without_dead_code_are_left_alone() {
        assert_eq!(rewritten("(module (func (result i32) (block (br 0)) (i32.const 1)))"), None);
        assert_eq!(rewritten("(module (func (unreachable)))"), None);
    }

    #[test]
    fn dead_code_goes_up_to_the_end_of_its_block() {
        let out = rewritten(
            "(module (func (result i32)
               (block (br 0) (i32.const 1) (block (result i32) (i32.const 2)) (drop) (drop))
               (if (result i32) (i32.const 1) (then (return (i32.const 3)) (i32.const 4)) (else (i32.const 5)))))",
        )
        .unwrap();
        assert_eq!(out, "Block Br End I32Const If I32Const Return Else I32Const End End");
    }

    #[test]
    fn dead_code_to_the_end_of_the_function() {
        let out = rewritten("(module (func (result i32) (unreachable) (i32.const 1) (loop (br 0))))").unwrap();
        assert_eq!(out, "Unreachable End");
    }
}
