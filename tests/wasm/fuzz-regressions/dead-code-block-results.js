// Fuzz regression (crates/jsrt-wasm/tests/differential.rs, case 212): see the fixture. The
// function ends with `unreachable` after storing the outer block's f64 result (-3) in g;
// Node stores -3's bits, as jsrt now does (it stored 0).
const assert = require('jsrt:assert');
const fs = require('jsrt:fs');

const mod = new WebAssembly.Module(fs.readFileSync(`${__dirname}/fixtures/dead-code-block-results.wasm`));
const { exports: e } = new WebAssembly.Instance(mod);
assert.throws(() => e.f(), WebAssembly.RuntimeError);
assert.strictEqual(e.g.value, -4609434218613702656n);
const bits = new DataView(new ArrayBuffer(8));
bits.setFloat64(0, -3);
assert.strictEqual(e.g.value, bits.getBigInt64(0));
console.log('fuzz regression ok');
