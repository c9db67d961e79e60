// Fuzz regression (crates/jsrt-wasm/tests/differential.rs, case 6324): see the fixture. The
// expected values are Node's.
const assert = require('jsrt:assert');
const fs = require('jsrt:fs');

const { exports: e } = new WebAssembly.Instance(new WebAssembly.Module(fs.readFileSync(`${__dirname}/fixtures/br-out-of-block.wasm`)));
assert.strictEqual(e.run(), 250912935558244907n);
assert.strictEqual(e.outer(1), 250912935558244907n);
console.log('fuzz regression ok');
