// Fuzz regression (crates/jsrt-wasm/tests/differential.rs, case 35232): see the fixture. The
// expected values are Node's.
const assert = require('jsrt:assert');
const fs = require('jsrt:fs');

let seen;
const { exports: e } = new WebAssembly.Instance(new WebAssembly.Module(fs.readFileSync(`${__dirname}/fixtures/start-grows-table.wasm`)), { env: { see: (f) => { seen = f; } } });
assert.strictEqual(e.r.value, 0);
assert.strictEqual(e.t.length, 3);
assert.strictEqual(e.t.get(2), e.f);
assert.strictEqual(seen, e.f);
assert.strictEqual(seen(), 42);
console.log('fuzz regression ok');
