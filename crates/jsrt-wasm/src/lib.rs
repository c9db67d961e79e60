//! jsrt-wasm: safe Rust over WAMR (its fast interpreter, and its ahead-of-time compiled code:
//! [`compiled`]), with no JavaScript types.
//!
//! - [`engine`]: process-wide runtime initialisation and limits.
//! - [`module`]: loading/validating bytes, imports/exports/custom sections.
//! - [`instance`]: an instance in WAMR with its host functions, calls, traps, exported
//!   functions; `host.rs`: the trampoline of every import; `instantiate.rs`: instantiation
//!   with imports ([`Extern`]), as phases.
//! - [`memory`], [`global`], [`table`]: exported or standalone memories, globals and tables,
//!   and each one's per-instance side (imports shared with their owner).
//! - [`val`]: value types and values crossing the boundary; funcref values are relative to an
//!   instance (`foreign.rs`: functions of other instances, through `proxy.rs`'s pools).
//! - [`cycles`]: instances that only keep each other alive, freed; references between them.
//! - [`error`]: compile, link and runtime errors.
//! - [`frames`]: stack traces (calls in progress, the frames of a trap), mapped back to the
//!   original bytes by `codemap.rs`; [`debuginfo`]: names and DWARF source lines for them.
//!
//! The files form layers (README.md's picture; `tests/layers.rs` keeps them acyclic).
//!
//! How per-instance imports work: WAMR links imported functions at *load* time against
//! globally registered natives. While a module loads (under a global lock) we register, for
//! its function imports only, raw natives that all point at one trampoline, each with an
//! attachment naming the import's index, then unregister them. At call time the trampoline
//! finds the calling instance's own host-function table through the instance's custom data,
//! so two instances of one module can be given different functions.

/// Inside an `impl Reencode` of a module pass: custom sections are copied as bytes, so a
/// malformed `name` section (valid wasm: custom sections are not validated) does not stop
/// the pass. One definition for every pass that re-encodes modules.
macro_rules! copy_custom_sections_as_bytes {
    () => {
        fn parse_custom_section(
            &mut self,
            module: &mut wasm_encoder::Module,
            section: wasmparser_reencode::CustomSectionReader<'_>,
        ) -> Result<(), wasm_encoder::reencode::Error<Self::Error>> {
            module.section(&self.custom_section(section)?);
            Ok(())
        }
    };
}

pub mod atomics;
pub mod engine;
pub mod compiled;
pub mod error;
mod codemap;
pub mod debuginfo;
pub mod frames;
pub mod global;
mod rewrite;
pub mod table;
pub mod instance;
pub mod interrupt;
mod host;
mod instantiate;
mod registry;
mod slots;
mod standalone;
mod trap;
mod lower;
mod tailcall;
mod bigframe;
mod deadcode;
pub mod fuel;
mod proxy;
mod foreign;
pub mod cycles;
mod layout;
pub mod memory;
pub mod info;
pub mod module;
pub mod scan;
pub mod val;

pub use engine::{Limits, LimitsError};
pub use error::{Error, HostError};
pub use slots::FOREIGN_BASE;
pub use global::Global;
pub use instance::{host_fn, HostFunc};
pub use instance::Instance;
pub use instantiate::Extern;
pub use interrupt::Interrupter;
pub use memory::{Memory, SharedMemory};
pub use table::Table;
pub use info::{ExportInfo, ExternType, ImportInfo};
pub use module::Module;
pub use val::{FuncType, Val, ValType};

pub use wamrx_sys as sys;
