// Fuzz regression (crates/jsrt-wasm/tests/differential.rs, case 144357): see the fixture.
const assert = require('jsrt:assert');
const fs = require('jsrt:fs');

const bytes = fs.readFileSync(`${__dirname}/fixtures/elem-before-data.wasm`);
assert.throws(() => new WebAssembly.Instance(new WebAssembly.Module(bytes)), (e) => e instanceof WebAssembly.RuntimeError && /table/.test(e.message));
// (Modules whose segments fit are initialised in the same order: the spec suite's elem.wast
// and data.wast and the compatibility programs run through the same path.)
console.log('fuzz regression ok');
