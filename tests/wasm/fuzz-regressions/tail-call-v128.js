// Fuzz regression (crates/jsrt-wasm/tests/differential.rs, case 36858): see the fixture. The
// expected values are Node's.
const assert = require('jsrt:assert');
const fs = require('jsrt:fs');

const { exports: e } = new WebAssembly.Instance(new WebAssembly.Module(fs.readFileSync(`${__dirname}/fixtures/tail-call-v128.wasm`)));
assert.deepStrictEqual([e.plain(), e.direct(), e.indirect()], [7854336, 7854336, 7854336]);
console.log('fuzz regression ok');
