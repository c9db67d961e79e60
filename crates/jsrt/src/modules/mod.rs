//! Modules: specifier resolution (`resolve`) shared by `import` and `require`, which files
//! are ES modules (`format`), and the ES module loader (`loader`). CommonJS `require` itself
//! is JS (`js/bootstrap.js`).

pub mod format;
pub mod loader;
pub mod resolve;
