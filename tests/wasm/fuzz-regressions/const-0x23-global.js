// Fuzz regression (crates/jsrt-wasm/tests/differential.rs, case 406): see the fixture. The
// expected values are Node's.
const assert = require('jsrt:assert');
const fs = require('jsrt:fs');

const m = new WebAssembly.Memory({ initial: 1 });
const { exports: e } = new WebAssembly.Instance(new WebAssembly.Module(fs.readFileSync(`${__dirname}/fixtures/const-0x23-global.wasm`)), { env: { m } });
assert.strictEqual(e.i.value, 35n);
assert.strictEqual(e.f.value, 1.0000000000000078);
assert.deepStrictEqual([e.lane0(), e.lane1(), e.lane2(), e.lane3()], [1, 0x23, 3, 0x2323]);
assert.strictEqual(new TextDecoder().decode(new Uint8Array(m.buffer, 0, 2)), 'ok');
console.log('fuzz regression ok');
