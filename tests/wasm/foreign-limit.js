// jsrt-flags: --wasm-foreign-functions 4096 --wasm-stack-size 16K
// --wasm-foreign-functions raises how many distinct functions of other instances an instance
// can call indirectly: a module calling one function type gets a quarter of the total
// (1,024 here, 256 by default); one more is a RangeError.
const assert = require('jsrt:assert');
const fs = require('jsrt:fs');
const load = (name) => new WebAssembly.Module(fs.readFileSync(`${__dirname}/fixtures/${name}.wasm`));
const source = load('funcref-source');
const a = new WebAssembly.Instance(source).exports;
const sink = new WebAssembly.Instance(load('funcref-import'), { a: { double: a.double, g: null } }).exports;
let entered = 0;
let error;
for (let i = 0; i < 1100 && !error; i++) {
  const fn = new WebAssembly.Instance(source).exports.triple;
  try {
    sink.set(1, fn);
    assert.strictEqual(sink.call(1, 2), 6);
    entered++;
  } catch (e) {
    error = e;
  }
}
assert.ok(error instanceof RangeError, String(error));
assert.strictEqual(entered, 1024);
console.log('wasm foreign-function limit ok');
