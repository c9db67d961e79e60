// Fuzz regression (crates/jsrt-wasm/tests/differential.rs, cases 1286, 1621, 1803): one
// instance calls another's function whose type has a v128 and externref results; every value
// arrives in place. The results are what Node gives.
const assert = require('jsrt:assert');
const fs = require('jsrt:fs');

const load = (f) => new WebAssembly.Module(fs.readFileSync(`${__dirname}/fixtures/${f}`));
const callee = new WebAssembly.Instance(load('v128-externref-callee.wasm'));
const { exports: e } = new WebAssembly.Instance(load('v128-externref-caller.wasm'), { m: callee.exports });
const token = { name: 'token' };
const [ref, sum, d, nullFlag] = e.run(token);
assert.strictEqual(ref, token);
assert.strictEqual(sum, 135n);
assert.strictEqual(d, 2.5);
assert.strictEqual(nullFlag, 1);
assert.deepStrictEqual([...new BigInt64Array(e.mem.buffer, 0, 2)], [7n, 35n]);
assert.deepStrictEqual(e.run(null).slice(1), [135n, 2.5, 1]);
assert.strictEqual(e.run(null)[0], null);
console.log('fuzz regression ok');
