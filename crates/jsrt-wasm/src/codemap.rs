//! Where an instruction of the code WAMR runs came from in the module's original bytes, for
//! stack traces: WAMR reports a frame as (its function index, an offset in that function's
//! code as jsrt's passes rewrote it); this turns it into (the original function index, the
//! byte offset of the instruction in the original module), as V8 reports wasm frames.
//!
//! Invariants the mapping rests on:
//! - every pass keeps the order of function bodies; the ones that add functions add them
//!   after the module's own (lower.rs, rewrite.rs) or add imports (proxy.rs), which
//!   `Module::classify` undoes;
//! - a pass that keeps each instruction (renumbered indices, re-encoded immediates) keeps
//!   its ordinal within the body; the passes that drop, add or replace instructions
//!   (deadcode.rs, fuel.rs, tailcall.rs) record an [`OpMap`] of the bodies they changed;
//!   bigframe.rs's stubs map to their function's first instruction.
//!
//! The work happens only when a stack is formatted: bodies are parsed then, not kept.

use std::collections::HashMap;
use wasmparser as wp;

/// How one pass renumbered the instructions of the bodies it changed: for each such body (by
/// its position in the code section), the ordinal before the pass of each instruction after it.
#[derive(Default, Debug)]
pub(crate) struct OpMap(HashMap<u32, Box<[u32]>>);

impl OpMap {
    /// The ordinal before the pass of instruction `ordinal` of body `body` after it.
    fn before(&self, body: u32, ordinal: u32) -> u32 {
        match self.0.get(&body) {
            Some(map) => map.get(ordinal as usize).or(map.last()).copied().unwrap_or(0),
            None => ordinal,
        }
    }
}

/// Records one body's renumbering while a pass re-encodes it, instruction by instruction.
pub(crate) struct OpLog {
    old: u32,
    new_to_old: Vec<u32>,
    changed: bool,
}

impl OpLog {
    pub(crate) fn new() -> OpLog {
        OpLog { old: 0, new_to_old: Vec::new(), changed: false }
    }

    /// The next original instruction is kept (re-encoded as one instruction).
    pub(crate) fn kept(&mut self) {
        self.new_to_old.push(self.old);
        self.old += 1;
    }

    /// The next original instruction is left out.
    pub(crate) fn dropped(&mut self) {
        self.old += 1;
        self.changed = true;
    }

    /// `n` instructions are added before the next original one (they map to it).
    pub(crate) fn added(&mut self, n: usize) {
        self.new_to_old.extend(std::iter::repeat_n(self.old, n));
        self.changed |= n > 0;
    }

    /// The next original instruction becomes `n` instructions.
    pub(crate) fn replaced(&mut self, n: usize) {
        self.added(n);
        self.old += 1;
        self.changed = true;
    }

    /// Files the body's renumbering under its position, when it changed anything.
    pub(crate) fn finish(self, map: &mut OpMap, body: u32) {
        if self.changed {
            map.0.insert(body, self.new_to_old.into_boxed_slice());
        }
    }
}

/// Absolute offsets of each body's first instruction (after its locals), in code-section order.
fn body_starts(bytes: &[u8]) -> Vec<u32> {
    let mut starts = Vec::new();
    for payload in wp::Parser::new(0).parse_all(bytes) {
        match payload {
            Ok(wp::Payload::CodeSectionEntry(body)) => {
                let start = body.get_operators_reader().map(|r| r.original_position()).unwrap_or(body.range().start);
                starts.push(start as u32);
            }
            Ok(wp::Payload::End(_)) | Err(_) => break,
            _ => {}
        }
    }
    starts
}

/// The ordinal of the instruction at or before absolute offset `at` in the body whose
/// instructions start at `start`.
fn ordinal_at(bytes: &[u8], start: u32, at: u32) -> Option<u32> {
    let mut reader = wp::OperatorsReader::new(wp::BinaryReader::new(bytes.get(start as usize..)?, start as usize));
    let mut ordinal = 0u32;
    let mut last = None;
    while !reader.eof() {
        let here = reader.original_position() as u32;
        if here > at {
            break;
        }
        last = Some(ordinal);
        reader.read().ok()?;
        ordinal += 1;
    }
    last
}

/// The absolute offset of instruction `ordinal` of the body whose instructions start at `start`.
fn offset_of(bytes: &[u8], start: u32, ordinal: u32) -> Option<u32> {
    let mut reader = wp::OperatorsReader::new(wp::BinaryReader::new(bytes.get(start as usize..)?, start as usize));
    for _ in 0..ordinal {
        reader.read().ok()?;
    }
    Some(reader.original_position() as u32)
}

/// What a stack trace needs to map frames of one module back: its original and loaded bytes'
/// body offsets (computed on first use) and the passes' renumberings.
#[derive(Default)]
pub(crate) struct CodeMap {
    /// Renumberings of the passes that change instruction counts, in the order they ran.
    passes: Vec<OpMap>,
    /// Functions bigframe.rs replaced by a trap (original function indices).
    stubbed: Vec<u32>,
    starts: std::sync::OnceLock<(Vec<u32>, Vec<u32>)>,
}

impl CodeMap {
    pub(crate) fn new(stubbed: Vec<u32>) -> CodeMap {
        CodeMap { stubbed, ..Default::default() }
    }

    /// A pass's output (bytes and renumbering), keeping the renumbering: its bytes, if it ran.
    pub(crate) fn record(&mut self, pass: Option<(Vec<u8>, OpMap)>) -> Option<Vec<u8>> {
        pass.map(|(bytes, map)| {
            self.passes.push(map);
            bytes
        })
    }

    /// The original byte offset of the instruction at `code_offset` (from the first
    /// instruction) of defined function `body` (position in the code section, the same in
    /// both modules), given the original bytes and the bytes WAMR loaded.
    pub(crate) fn original_offset(&self, original: &[u8], loaded: &[u8], body: u32, func: u32, code_offset: u32) -> Option<u32> {
        let (orig_starts, loaded_starts) = self.starts.get_or_init(|| {
            let orig = body_starts(original);
            let loaded = if std::ptr::eq(original, loaded) { orig.clone() } else { body_starts(loaded) };
            (orig, loaded)
        });
        let orig_start = *orig_starts.get(body as usize)?;
        if self.stubbed.contains(&func) {
            return Some(orig_start);
        }
        let loaded_start = *loaded_starts.get(body as usize)?;
        let mut ordinal = ordinal_at(loaded, loaded_start, loaded_start.checked_add(code_offset)?)?;
        for pass in self.passes.iter().rev() {
            ordinal = pass.before(body, ordinal);
        }
        offset_of(original, orig_start, ordinal)
    }
}
