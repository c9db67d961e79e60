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
// funcref: functions from tables, globals and results are exported-function objects with one
// identity per wasm function; a funcref goes back into its own instance.
{
  const fm = new WebAssembly.Module(fs.readFileSync(`${__dirname}/fixtures/funcref.wasm`));
  const f = new WebAssembly.Instance(fm).exports;
  const fromTable = f.get(0);
  assert.strictEqual(fromTable, f.a); // element 0 is the exported $a
  const b = f.get(1); // $b is not exported
  assert.strictEqual(typeof b, 'function');
  assert.strictEqual(b(), 2);
  assert.strictEqual(b.name, '1');
  assert.strictEqual(f.get(1), b);
  assert.strictEqual(f.get(2), null);
  assert.strictEqual(f.id(b), b);
  assert.strictEqual(f.id(null), null);
  assert.strictEqual(f.g.value, f.a);
  f.g.value = b;
  assert.strictEqual(f.g.value, b);
  f.g.value = null;
  assert.strictEqual(f.g.value, null);
  assert.strictEqual(f.callIt(1), 2);
  const other = new WebAssembly.Instance(fm).exports;
  assert.throws(() => f.id(other.a), TypeError); // WAMR funcrefs are per-instance indices; not imported
  assert.throws(() => f.id(() => 1), TypeError); // not a wasm function
  assert.throws(() => f.id({}), TypeError);
}
// funcrefs of another instance's function enter an instance that imports that function: they
// are its import there (call_indirect calls the source directly) and come back as the very
// same function object; functions it does not import are still a TypeError.
{
  const load = (name) => new WebAssembly.Module(fs.readFileSync(`${__dirname}/fixtures/${name}.wasm`));
  const a = new WebAssembly.Instance(load('funcref-source')).exports;
  const b = new WebAssembly.Instance(load('funcref-import'), { a: { double: a.double, g: a.double } }).exports;
  assert.strictEqual(b.call(0, 5), 6); // its own function
  b.set(1, a.double);
  assert.strictEqual(b.call(1, 5), 10);
  assert.strictEqual(b.get(1), a.double);
  assert.strictEqual(b.t.get(1), a.double);
  b.t.set(2, a.double);
  assert.strictEqual(b.call(2, 21), 42);
  assert.strictEqual(b.id(a.double), a.double);
  assert.strictEqual(b.refDouble(), a.double);
  assert.strictEqual(b.fromGlobal(), a.double);
  assert.strictEqual(b.callGlobal(8), 16);
  assert.throws(() => b.set(1, a.triple), TypeError);
  assert.throws(() => b.t.set(1, a.triple), TypeError);
  assert.strictEqual(b.call(1, 5), 10, 'a failed set leaves the element alone');
  // A funcref global import needs the function imported too.
  assert.throws(
    () => new WebAssembly.Instance(load('funcref-import'), { a: { double: a.double, g: a.triple } }),
    TypeError,
  );
  // A second importer gets its own index for the same function; identity is shared.
  const c = new WebAssembly.Instance(load('funcref-import'), { a: { double: a.double, g: a.double } }).exports;
  c.set(1, a.double);
  assert.strictEqual(c.get(1), b.get(1));
  // A JS function import is not another instance's function: not accepted as a funcref.
  const d = new WebAssembly.Instance(load('funcref-import'), { a: { double: (x) => x * 2, g: null } }).exports;
  assert.throws(() => d.set(1, a.double), TypeError);
  assert.strictEqual(d.fromGlobal(), null);
  // A JS-created table imported by an instance that imports a.double: JS can put a.double in
  // it and call_indirect there calls it (type-checked); a.triple is still refused.
  const table = new WebAssembly.Table({ element: 'anyfunc', initial: 4 });
  const caller = new WebAssembly.Instance(load('table-caller'), { a: { double: a.double }, js: { table } }).exports;
  table.set(1, a.double);
  assert.strictEqual(table.get(1), a.double);
  assert.strictEqual(caller.callAt(1, 21), 42);
  assert.throws(() => caller.callAt(0, 21), WebAssembly.RuntimeError);
  assert.throws(() => table.set(2, a.triple), TypeError);
  // Filled before any instance imports it: the elements wait (get returns them) and become
  // the importer's imports when it binds the table; an importer that does not import such a
  // function is a LinkError naming the limitation (Node would accept it).
  const early = new WebAssembly.Table({ element: 'anyfunc', initial: 4 });
  early.set(0, a.double);
  early.grow(1, a.double);
  assert.strictEqual(early.get(0), a.double);
  assert.strictEqual(early.get(4), a.double);
  const late = new WebAssembly.Instance(load('table-caller'), { a: { double: a.double }, js: { table: early } }).exports;
  assert.strictEqual(late.callAt(0, 21), 42);
  assert.strictEqual(late.callAt(4, 5), 10);
  assert.strictEqual(early.get(0), a.double);
  const foreign = new WebAssembly.Table({ element: 'anyfunc', initial: 4 }, a.triple);
  assert.strictEqual(foreign.get(3), a.triple);
  assert.throws(
    () => new WebAssembly.Instance(load('table-caller'), { a: { double: a.double }, js: { table: foreign } }),
    (e) => e instanceof WebAssembly.LinkError && /does not import/.test(e.message),
  );
  assert.strictEqual(foreign.get(3), a.triple);
  foreign.set(3, null);
  assert.strictEqual(foreign.get(3), null);
}
console.log('wasm refs ok');
