//! Functions whose locals do not fit WAMR's fast interpreter, replaced by a trap.
//!
//! The fast interpreter addresses a frame's slots with 16-bit offsets, so its loader rejects
//! the whole module when one function's parameters and locals take 32,767 cells or more
//! (`wasm_loader.c`: "fast interpreter offset overflow"; i64/f64 take 2 cells, v128 4). The
//! JS API allows 50,000 locals, and such a module must compile. So each such function's body
//! becomes `unreachable`: the module compiles and instantiates, every other function works,
//! and calling that one traps with a `RuntimeError` that names it
//! ([`Stubbed::message`]). Modules without such functions (all that compilers emit) are not
//! re-encoded.

use wasm_encoder::reencode::{self, Reencode};
use wasmparser_reencode as wp;

/// Cells (32-bit slots) at which WAMR's fast-interpreter loader gives up on a function.
pub const MAX_FRAME_CELLS: u32 = i16::MAX as u32;

/// WAMR's cells for a value of type `t` (`wasm_value_type_cell_num`; references are 1).
pub(crate) fn cells(t: wasmparser::ValType) -> u32 {
    match t {
        wasmparser::ValType::I64 | wasmparser::ValType::F64 => 2,
        wasmparser::ValType::V128 => 4,
        _ => 1,
    }
}

/// The functions (indices in the module's function space) that were replaced.
#[derive(Debug, Clone, Default)]
pub struct Stubbed(pub Vec<u32>);

impl Stubbed {
    /// The trap message for a module with stubbed functions: an `unreachable` in it may be
    /// one of them.
    pub fn message(&self) -> Option<String> {
        let list = self.0.iter().map(|i| i.to_string()).collect::<Vec<_>>().join(", ");
        (!self.0.is_empty()).then(|| {
            format!("unreachable (or a call of function {list}, whose locals are more than jsrt's interpreter holds: {MAX_FRAME_CELLS} 32-bit slots)")
        })
    }
}

struct Stub<'a> {
    /// Defined function index (0 = the first function with a body) of each body, in order.
    next: u32,
    imported: u32,
    stubbed: &'a [u32],
}

impl Reencode for Stub<'_> {
    type Error = std::convert::Infallible;

    copy_custom_sections_as_bytes!();

    fn parse_function_body(&mut self, code: &mut wasm_encoder::CodeSection, func: wp::FunctionBody<'_>) -> Result<(), reencode::Error<Self::Error>> {
        let index = self.imported + self.next;
        self.next += 1;
        if self.stubbed.contains(&index) {
            let mut f = wasm_encoder::Function::new([]);
            f.instruction(&wasm_encoder::Instruction::Unreachable);
            f.instruction(&wasm_encoder::Instruction::End);
            code.function(&f);
            return Ok(());
        }
        reencode::utils::parse_function_body(self, code, func)
    }
}

/// `bytes` (already validated) with the bodies of the `stubbed` functions (found while
/// validating: module.rs) replaced by `unreachable`; None when there are none.
pub fn rewrite(bytes: &[u8], imported_funcs: u32, stubbed: &Stubbed) -> Result<Option<Vec<u8>>, String> {
    if stubbed.0.is_empty() {
        return Ok(None);
    }
    let mut module = wasm_encoder::Module::new();
    Stub { next: 0, imported: imported_funcs, stubbed: &stubbed.0 }
        .parse_core_module(&mut module, wp::Parser::new(0), bytes)
        .map_err(|e| format!("cannot replace its oversized functions for WAMR: {e}"))?;
    Ok(Some(module.finish()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wat_with_locals(n: usize, ty: &str) -> Vec<u8> {
        let locals = vec![ty; n].join(" ");
        wat::parse_str(format!(
            "(module (import \"m\" \"f\" (func)) (func (export \"big\") (param i32) (result i32) (local {locals}) (local.get 0))
               (func (export \"ok\") (result i32) (i32.const 7)))"
        ))
        .unwrap()
    }

    #[test]
    fn functions_over_the_frame_are_found_by_cells_not_count() {
        // 16,383 i64 locals + an i32 parameter: 32,767 cells; 16,382: one under.
        let over = crate::scan::validate_and_scan(&wat_with_locals(16_383, "i64")).unwrap();
        assert_eq!(over.big_frames.0, vec![1]);
        let under = crate::scan::validate_and_scan(&wat_with_locals(16_382, "i64")).unwrap();
        assert!(under.big_frames.0.is_empty());
        let many_small = crate::scan::validate_and_scan(&wat_with_locals(30_000, "i32")).unwrap();
        assert!(many_small.big_frames.0.is_empty());
    }

    #[test]
    fn only_the_oversized_body_is_replaced() {
        let bytes = wat_with_locals(16_383, "i64");
        let stubbed = crate::scan::validate_and_scan(&bytes).unwrap().big_frames;
        let out = rewrite(&bytes, 1, &stubbed).unwrap().expect("rewritten");
        wasmparser::validate(&out).expect("still valid");
        let mut bodies = Vec::new();
        for p in wp::Parser::new(0).parse_all(&out) {
            if let Ok(wp::Payload::CodeSectionEntry(body)) = p {
                let ops: Vec<String> = body.get_operators_reader().unwrap().into_iter().map(|o| format!("{:?}", o.unwrap())).collect();
                bodies.push((body.get_locals_reader().unwrap().get_count(), ops));
            }
        }
        assert_eq!(bodies[0], (0, vec!["Unreachable".to_string(), "End".to_string()]));
        assert_eq!(bodies[1].1.len(), 2); // i32.const 7, end
        assert!(stubbed.message().unwrap().contains("function 1"));
        assert!(rewrite(&wat_with_locals(10, "i64"), 1, &Stubbed::default()).unwrap().is_none());
    }
}
