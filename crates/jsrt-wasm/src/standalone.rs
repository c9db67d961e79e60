//! Standalone memories, globals and tables (`new WebAssembly.Memory` and the like, and the
//! larger homes of table views) are owned by small internal instances, each of a module that
//! defines the one entity and exports it: this makes them.

use std::rc::Rc;
use std::sync::Arc;

use crate::error::Error;
use crate::instance::Instance;
use crate::module::Module;

/// A small internal instance defining one entity (from `section`) exported as `name`.
pub(crate) fn instance(section: &impl wasm_encoder::Section, name: &str, kind: wasm_encoder::ExportKind) -> Result<Rc<Instance>, Error> {
    let mut module = wasm_encoder::Module::new();
    module.section(section);
    let mut exports = wasm_encoder::ExportSection::new();
    exports.export(name, kind, 0);
    module.section(&exports);
    let m = Arc::new(Module::new(&module.finish())?);
    let inst = Instance::create(m, Vec::new(), Vec::new(), &Default::default())?;
    // Its foreign slots (a funcref global's function) may close a cycle: cycles.rs counts it.
    crate::registry::register(&inst);
    Ok(inst)
}
