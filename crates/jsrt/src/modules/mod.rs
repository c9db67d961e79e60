//! Modules: specifier resolution (`resolve`) shared by `import` and `require`, and the ES
//! module loader (`loader`). CommonJS `require` itself is JS (`js/bootstrap.js`).

pub mod loader;
pub mod resolve;
