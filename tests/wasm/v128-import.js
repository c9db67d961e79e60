// Calling a JS import whose type holds a v128 is a TypeError before the JS function runs
// (JS API spec, "run a host function"); the same imports bound to another instance's wasm
// functions pass v128 values through unchanged. Results as in Node.
const assert = require('jsrt:assert');
const fs = require('jsrt:fs');

const importer = new WebAssembly.Module(fs.readFileSync(`${__dirname}/fixtures/v128-import.wasm`));
const calls = [];
const js = {
  param: (...a) => { calls.push(['param', a]); return 0; },
  result: () => { calls.push(['result']); return 0; },
  plain: (...a) => { calls.push(['plain', a]); return a.reduce((x, y) => x + y, 0); },
};
const { exports: e } = new WebAssembly.Instance(importer, { m: js });
assert.throws(() => e.callParam(), TypeError);
assert.throws(() => e.callResult(), TypeError);
assert.strictEqual(e.callPlain(), 6);
assert.deepStrictEqual(calls, [['plain', [1, 2, 3]]]);

// Wasm to wasm across instances: v128 arguments and results arrive whole.
const { exports: w } = new WebAssembly.Instance(new WebAssembly.Module(fs.readFileSync(`${__dirname}/fixtures/v128-export.wasm`)));
const { exports: e2 } = new WebAssembly.Instance(importer, { m: w });
assert.strictEqual(e2.callParam(), 1 + 5 + 7);
e2.callResult();
assert.deepStrictEqual([...new Uint32Array(e2.mem.buffer, 0, 4)], [10, 20, 30, 40]);
assert.strictEqual(e2.callPlain(), 6);
console.log('v128 imports ok');

// v128 globals of one instance imported by another: both see every write.
{
  const load = (f) => new WebAssembly.Module(fs.readFileSync(`${__dirname}/fixtures/${f}`));
  const { exports: src } = new WebAssembly.Instance(load('v128-global-source.wasm'));
  assert.throws(() => src.g.value, TypeError);
  const { exports: dst } = new WebAssembly.Instance(load('v128-global.wasm'), { m: { g: src.g, c: src.c } });
  const lanes = (mem, at) => [...new Uint32Array(mem.buffer, at, 4)];
  dst.read();
  assert.deepStrictEqual([...lanes(dst.mem, 0), ...lanes(dst.mem, 16)], [1, 2, 3, 4, 5, 6, 7, 8]);
  dst.bump();
  src.read();
  assert.deepStrictEqual(lanes(src.mem, 0), [2, 3, 4, 5]);
  src.bump();
  dst.read();
  assert.deepStrictEqual(lanes(dst.mem, 0), [12, 13, 14, 15]);
}
console.log('v128 globals ok');
