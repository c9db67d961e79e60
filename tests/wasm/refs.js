// Reference types at the JS boundary: externref carries any JS value (and comes back as the very
// same value), null is ref.null; funcref accepts null.
const assert = require('jsrt:assert');
const fs = require('jsrt:fs');
const mod = new WebAssembly.Module(fs.readFileSync(`${__dirname}/fixtures/externref.wasm`));
let made = { made: true };
const e = new WebAssembly.Instance(mod, { env: { make: () => made } }).exports;

const obj = { a: 1 };
const sym = Symbol('s');
for (const v of [obj, undefined, 'str', 42, -0, NaN, 10n, sym, true, [1, 2], () => 1]) {
  assert.ok(Object.is(e.id(v), v), `externref round trip of ${String(v)}`);
}
assert.strictEqual(e.id(null), null);
assert.strictEqual(e.isnull(null), 1);
assert.strictEqual(e.isnull(undefined), 0); // undefined is a non-null externref
assert.strictEqual(e.isnull(0), 0);
// Through a global, from wasm and from JS.
e.store(obj);
assert.strictEqual(e.load(), obj);
assert.strictEqual(e.g.value, obj);
e.g.value = 'set from js';
assert.strictEqual(e.load(), 'set from js');
e.g.value = null;
assert.strictEqual(e.load(), null);
// Returned by an imported JS function.
assert.strictEqual(e.fromHost(), made);
made = null;
assert.strictEqual(e.fromHost(), null);
// funcref: null crosses; JS functions are not accepted yet.
assert.strictEqual(e.nullf(), null);
// JS-created externref globals.
const g = new WebAssembly.Global({ value: 'externref', mutable: true }, obj);
assert.strictEqual(g.value, obj);
g.value = undefined;
assert.strictEqual(g.value, undefined);
assert.strictEqual(new WebAssembly.Global({ value: 'externref' }).value, undefined);
assert.strictEqual(new WebAssembly.Global({ value: 'anyfunc' }).value, null);
console.log('wasm refs ok');
