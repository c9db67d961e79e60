// WebAssembly.Table: exported tables (get/set/grow/length from JS and wasm), JS-created tables
// imported by a module, externref tables shared freely, and the spec's argument checks.
const assert = require('jsrt:assert');
const fs = require('jsrt:fs');
const fixture = (name) => new WebAssembly.Module(fs.readFileSync(`${__dirname}/fixtures/${name}.wasm`));

const e = new WebAssembly.Instance(fixture('table')).exports;
const t = e.tbl;
assert.ok(t instanceof WebAssembly.Table);
assert.strictEqual(e.tbl, t);
assert.strictEqual(Object.prototype.toString.call(t), '[object WebAssembly.Table]');
assert.strictEqual(t.length, 3);
assert.strictEqual(t.get(0), e.one);
assert.strictEqual(t.get(1)(), 2);
assert.strictEqual(t.get(2), null);
assert.throws(() => t.get(3), RangeError);
assert.throws(() => t.get(-1), TypeError);
// JS writes are seen by call_indirect.
t.set(2, e.one);
assert.strictEqual(e.call(2), 1);
t.set(2, null);
assert.throws(() => e.call(2), WebAssembly.RuntimeError);
t.set(2);
assert.strictEqual(t.get(2), null);
assert.throws(() => t.set(0, () => 1), TypeError); // not a wasm function
assert.throws(() => t.set(5, null), RangeError);
// Growth from JS and from wasm.
assert.strictEqual(t.grow(2), 3);
assert.strictEqual(t.length, 5);
assert.strictEqual(e.size(), 5);
assert.strictEqual(e.grow(1), 5);
assert.strictEqual(t.length, 6);
assert.strictEqual(t.grow(1, e.one), 6);
assert.strictEqual(e.call(6), 1);
assert.throws(() => t.grow(4), RangeError); // maximum 10
assert.strictEqual(e.grow(4), -1);

// A JS-created funcref table imported by a module, filled by its element segment.
const jt = new WebAssembly.Table({ element: 'anyfunc', initial: 2 });
assert.strictEqual(jt.length, 2);
assert.strictEqual(jt.get(0), null);
const user = new WebAssembly.Instance(fixture('table-import'), { env: { tbl: jt } }).exports;
assert.strictEqual(user.call(1), 7);
const seven = jt.get(1);
assert.strictEqual(seven(), 7);
jt.set(0, seven);
assert.strictEqual(user.call(0), 7);
// WAMR keeps funcref elements as one instance's function indices: a second importer, or an
// instance's own table imported elsewhere, is refused rather than calling the wrong function.
assert.throws(() => new WebAssembly.Instance(fixture('table-import'), { env: { tbl: jt } }), WebAssembly.LinkError);
assert.throws(() => new WebAssembly.Instance(fixture('table-import'), { env: { tbl: t } }), WebAssembly.LinkError);
assert.throws(() => new WebAssembly.Instance(fixture('table-import'), { env: { tbl: {} } }), WebAssembly.LinkError);
assert.throws(() => new WebAssembly.Instance(fixture('table-import'), { env: { tbl: new WebAssembly.Table({ element: 'externref', initial: 2 }) } }), WebAssembly.LinkError);

// externref tables hold any JS value and can be shared by several instances.
const obj = { o: 1 };
const xt = new WebAssembly.Table({ element: 'externref', initial: 1, maximum: 4 }, obj);
assert.strictEqual(xt.get(0), obj);
const a = new WebAssembly.Instance(fixture('externref-table'), { env: { tbl: xt } }).exports;
const b = new WebAssembly.Instance(fixture('externref-table'), { env: { tbl: xt } }).exports;
assert.strictEqual(a.get(0), obj);
b.set(0, 'from b');
assert.strictEqual(a.get(0), 'from b');
assert.strictEqual(xt.get(0), 'from b');
assert.strictEqual(xt.grow(1), 1);
assert.strictEqual(xt.get(1), undefined); // grow without a value: DefaultValue(externref)
assert.strictEqual(new WebAssembly.Table({ element: 'externref', initial: 1 }).get(0), undefined);

// Descriptor checks.
assert.throws(() => WebAssembly.Table({ element: 'anyfunc', initial: 1 }), TypeError);
assert.throws(() => new WebAssembly.Table({ element: 'i32', initial: 1 }), TypeError);
assert.throws(() => new WebAssembly.Table({ element: 'anyfunc' }), TypeError);
assert.throws(() => new WebAssembly.Table({ element: 'anyfunc', initial: 2, maximum: 1 }), RangeError);
assert.throws(() => new WebAssembly.Table({ element: 'anyfunc', initial: 10000001 }), RangeError);
assert.throws(() => new WebAssembly.Table({ element: 'anyfunc', initial: 1 }, () => 1), TypeError);
console.log('wasm table ok');
