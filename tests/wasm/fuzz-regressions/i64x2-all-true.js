// Fuzz regression (crates/jsrt-wasm/tests/differential.rs, case 1692): see the fixture. The
// expected values are Node's.
const assert = require('jsrt:assert');
const fs = require('jsrt:fs');

const { exports: e } = new WebAssembly.Instance(new WebAssembly.Module(fs.readFileSync(`${__dirname}/fixtures/i64x2-all-true.wasm`)));
assert.deepStrictEqual([e.a(-0), e.a(1), e.a(0), e.b(1n << 32n), e.b(-1n), e.b(0n), e.c(), e.d(), e.e()], [1, 1, 0, 1, 1, 0, 1, 1, 0]);
console.log('fuzz regression ok');
