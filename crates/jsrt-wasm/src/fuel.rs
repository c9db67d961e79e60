//! Instruction budgets (`--wasm-max-instructions`): code added to every function counts the
//! wasm instructions a call runs, and traps when the budget is spent.
//!
//! Only when a budget is configured, before WAMR loads a module, this pass adds a mutable i64
//! global (the fuel, after the module's own globals) and, at the start of every straight-line
//! run of instructions — a function's entry, and after each `block`, `loop`, `if`, `else` and
//! `end` — code that subtracts the run's length and traps with `unreachable` once the fuel is
//! below zero. So every instruction is counted when the run it starts is entered: the count is
//! deterministic, the same in every tier that runs the rewritten code, and exact but for runs
//! a branch leaves early (charged whole). The instance refills the fuel for each outermost
//! call and hands it on across instance boundaries (instance.rs); a trap with the fuel below
//! zero is reported as the budget's. Modules pay nothing when no budget is configured.

use wasm_encoder::reencode::{self, Reencode};
use wasm_encoder::{Instruction, SectionId};
use wasmparser_reencode as wp;

/// The rewriter: where the fuel global goes and whether the module had a global section.
struct Fuel {
    /// The fuel global's index (the module's global count: imported and defined).
    global: u32,
    /// Its initial value (what a start function may spend).
    budget: i64,
    added: bool,
    /// The renumbering of the bodies (codemap.rs): the counting code maps to the instruction
    /// after it.
    body: u32,
    map: crate::codemap::OpMap,
}

impl Fuel {
    fn fuel_global(&self) -> (wasm_encoder::GlobalType, wasm_encoder::ConstExpr) {
        let ty = wasm_encoder::GlobalType { val_type: wasm_encoder::ValType::I64, mutable: true, shared: false };
        (ty, wasm_encoder::ConstExpr::i64_const(self.budget))
    }

    /// The charge for a run of `n` instructions.
    /// Adds the counting code of a run of `n` instructions ([`CHARGE_LEN`] instructions).
    fn charge(&self, f: &mut wasm_encoder::Function, n: usize) {
        let g = self.global;
        f.instruction(&Instruction::GlobalGet(g));
        f.instruction(&Instruction::I64Const(n as i64));
        f.instruction(&Instruction::I64Sub);
        f.instruction(&Instruction::GlobalSet(g));
        f.instruction(&Instruction::GlobalGet(g));
        f.instruction(&Instruction::I64Const(0));
        f.instruction(&Instruction::I64LtS);
        f.instruction(&Instruction::If(wasm_encoder::BlockType::Empty));
        f.instruction(&Instruction::Unreachable);
        f.instruction(&Instruction::End);
    }
}

/// How many instructions [`Fuel::charge`] adds.
const CHARGE_LEN: usize = 10;

/// Whether a straight-line run ends after `op` (the next instruction starts a new one).
fn ends_run(op: &wp::Operator<'_>) -> bool {
    use wp::Operator as O;
    matches!(op, O::Block { .. } | O::Loop { .. } | O::If { .. } | O::Else | O::End)
}

/// Position of a section in a module's binary order (the global section's neighbours).
fn rank(id: SectionId) -> u8 {
    match id {
        SectionId::Type => 1,
        SectionId::Import => 2,
        SectionId::Function => 3,
        SectionId::Table => 4,
        SectionId::Memory => 5,
        SectionId::Tag => 6,
        SectionId::Global => 7,
        SectionId::Export => 8,
        SectionId::Start => 9,
        SectionId::Element => 10,
        SectionId::DataCount => 11,
        SectionId::Code => 12,
        SectionId::Data => 13,
        _ => 0,
    }
}

impl Reencode for Fuel {
    type Error = std::convert::Infallible;

    copy_custom_sections_as_bytes!();

    fn parse_global_section(&mut self, globals: &mut wasm_encoder::GlobalSection, section: wp::GlobalSectionReader<'_>) -> Result<(), reencode::Error<Self::Error>> {
        reencode::utils::parse_global_section(self, globals, section)?;
        let (ty, init) = self.fuel_global();
        globals.global(ty, &init);
        self.added = true;
        Ok(())
    }

    /// A module without globals gets a global section in its place.
    fn intersperse_section_hook(&mut self, module: &mut wasm_encoder::Module, after: Option<SectionId>, before: Option<SectionId>) -> Result<(), reencode::Error<Self::Error>> {
        let global = rank(SectionId::Global);
        let past = after.map(rank).unwrap_or(0) < global;
        let ahead = before.map(rank).unwrap_or(u8::MAX) > global;
        if !self.added && past && ahead && before != Some(SectionId::Global) {
            let mut globals = wasm_encoder::GlobalSection::new();
            let (ty, init) = self.fuel_global();
            globals.global(ty, &init);
            module.section(&globals);
            self.added = true;
        }
        Ok(())
    }

    fn parse_function_body(&mut self, code: &mut wasm_encoder::CodeSection, func: wp::FunctionBody<'_>) -> Result<(), reencode::Error<Self::Error>> {
        let mut f = self.new_function_with_parsed_locals(&func)?;
        let mut reader = func.get_operators_reader()?;
        let mut ops = Vec::new();
        while !reader.eof() {
            ops.push(reader.read()?);
        }
        let mut run_start = 0;
        let mut log = crate::codemap::OpLog::new();
        for (i, op) in ops.iter().enumerate() {
            if i == run_start && i + 1 < ops.len() {
                let len = ops[i..].iter().position(ends_run).map(|p| p + 1).unwrap_or(ops.len() - i);
                self.charge(&mut f, len);
                log.added(CHARGE_LEN);
            }
            if ends_run(op) {
                run_start = i + 1;
            }
            f.instruction(&self.instruction(op.clone())?);
            log.kept();
        }
        code.function(&f);
        log.finish(&mut self.map, self.body);
        self.body += 1;
        Ok(())
    }
}

/// `bytes` (validated) with instruction counting added, and the renumbering of its
/// instructions (codemap.rs).
pub(crate) fn rewrite(bytes: &[u8], global_count: u32, budget: i64) -> Result<(Vec<u8>, crate::codemap::OpMap), String> {
    let mut fuel = Fuel { global: global_count, budget, added: false, body: 0, map: Default::default() };
    let mut module = wasm_encoder::Module::new();
    fuel.parse_core_module(&mut module, wp::Parser::new(0), bytes).map_err(|e| format!("cannot add instruction counting: {e}"))?;
    Ok((module.finish(), fuel.map))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counted_modules_stay_valid() {
        for wat in [
            "(module (func (result i32) (i32.const 1)))",
            "(module (global i32 (i32.const 3)) (func (param i32) (result i32) (block (result i32) (loop (br_if 1 (local.get 0) (i32.const 0)) (br 0)) (unreachable))))",
            "(module (memory 1) (func (if (i32.const 1) (then (nop)) (else (unreachable)))) (export \"m\" (memory 0)))",
        ] {
            let bytes = wat::parse_str(wat).unwrap();
            let globals = wasmparser::Parser::new(0).parse_all(&bytes).filter_map(|p| match p.ok()? {
                wasmparser::Payload::GlobalSection(r) => Some(r.count()),
                _ => None,
            }).sum::<u32>();
            let (out, _) = rewrite(&bytes, globals, 100).unwrap();
            wasmparser::validate(&out).unwrap_or_else(|e| panic!("{wat}: {e}"));
        }
    }
}

// The budget, and the fuel handed from call to call on a thread.

use std::cell::{Cell, RefCell};
use std::sync::atomic::{AtomicI64, Ordering};

/// The process's budget per outermost call (`--wasm-max-instructions`); 0: none (then modules
/// are not counted at all).
static BUDGET: AtomicI64 = AtomicI64::new(0);

thread_local! {
    /// A budget for calls started inside [`with_budget`] (overrides the process's).
    static THREAD_BUDGET: Cell<Option<i64>> = const { Cell::new(None) };
    /// The fuel globals of the calls running on this thread, innermost last.
    static RUNNING: RefCell<Vec<usize>> = const { RefCell::new(Vec::new()) };
}

/// Sets the budget of each call from the host into wasm; must be set before modules are
/// compiled (only modules compiled under a budget are counted).
pub fn set_budget(instructions: Option<u64>) {
    BUDGET.store(instructions.map(|n| n.min(i64::MAX as u64) as i64).unwrap_or(0), Ordering::Relaxed);
}

/// The process's budget, if any.
pub fn budget() -> Option<i64> {
    match BUDGET.load(Ordering::Relaxed) {
        0 => None,
        n => Some(n),
    }
}

/// Runs `f` with each outermost call into wasm it makes limited to `instructions`.
pub fn with_budget<T>(instructions: u64, f: impl FnOnce() -> T) -> T {
    crate::interrupt::with_thread_setting(&THREAD_BUDGET, Some(instructions.min(i64::MAX as u64) as i64), f)
}

/// The budget of a call starting now on this thread.
fn current_budget() -> i64 {
    THREAD_BUDGET.with(Cell::get).or_else(budget).unwrap_or(i64::MAX)
}

/// A call entering an instance whose fuel global is at `slot`: an outermost call gets the
/// whole budget, a nested one what the call it is nested in has left.
///
/// # Safety
/// `slot` is the live storage of the instance's fuel global (an i64).
pub(crate) unsafe fn enter(slot: *mut u8, outermost: bool) {
    let fuel = RUNNING.with(|r| {
        let r = r.borrow();
        match r.last() {
            Some(&caller) if !outermost => (caller as *const i64).read_unaligned(),
            _ => current_budget(),
        }
    });
    (slot as *mut i64).write_unaligned(fuel);
    RUNNING.with(|r| r.borrow_mut().push(slot as usize));
}

/// The call of [`enter`] returns: what it left goes back to the call it was nested in.
/// Returns the fuel left (below zero: the budget ran out).
///
/// # Safety
/// As for [`enter`], with the same `slot`.
pub(crate) unsafe fn leave(slot: *mut u8) -> i64 {
    let left = (slot as *const i64).read_unaligned();
    RUNNING.with(|r| {
        let mut r = r.borrow_mut();
        r.pop();
        if let Some(&caller) = r.last() {
            (caller as *mut i64).write_unaligned(left);
        }
    });
    left
}

/// The trap message of a spent budget.
pub(crate) fn spent_message() -> String {
    format!("wasm call exceeded its instruction limit of {}", current_budget())
}
