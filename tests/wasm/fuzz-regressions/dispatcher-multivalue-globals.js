// Fuzz regression (crates/jsrt-wasm/tests/differential.rs, case 270): see the fixture.
// The results are what Node gives.
const assert = require('jsrt:assert');
const fs = require('jsrt:fs');

const mod = new WebAssembly.Module(fs.readFileSync(`${__dirname}/fixtures/dispatcher-multivalue-globals.wasm`));
const { exports: e } = new WebAssembly.Instance(mod);
assert.deepStrictEqual(e.call(), [1n, 2.5, 3.5]);
assert.strictEqual(e.t.length, 1);
console.log('fuzz regression ok');
