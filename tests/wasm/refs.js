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
  // Another instance's function enters too (a foreign function there) and comes back as itself.
  const other = new WebAssembly.Instance(fm).exports;
  assert.strictEqual(f.id(other.a), other.a);
  f.g.value = other.a;
  assert.strictEqual(f.g.value, other.a);
  assert.strictEqual(other.id(f.g.value), other.a);
  f.g.value = null;
  assert.throws(() => f.id(() => 1), TypeError); // not a wasm function
  assert.throws(() => f.id({}), TypeError);
}
// Funcrefs of other instances' functions enter any instance: one it imports is that import
// there (call_indirect calls the source directly); any other becomes a foreign function bound
// to a proxy of the instance (jsrt-wasm's proxy.rs/foreign.rs). Either way it comes back out
// as the very same function object, and call_indirect of it is type-checked.
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
  // a.triple is not imported by b: a foreign function there.
  b.set(1, a.triple);
  assert.strictEqual(b.call(1, 5), 15);
  assert.strictEqual(b.get(1), a.triple);
  b.t.set(2, a.triple);
  assert.strictEqual(b.t.get(2), a.triple);
  assert.strictEqual(b.call(2, 7), 21);
  assert.strictEqual(b.id(a.triple), a.triple);
  assert.strictEqual(b.callRef(a.triple, 3), 9);
  // Wrong type through call_indirect: a trap, as for the instance's own functions.
  const f = new WebAssembly.Instance(load('funcref')).exports;
  b.set(1, f.a); // () -> i32
  assert.strictEqual(b.get(1), f.a);
  assert.throws(() => b.call(1, 5), (e) => e instanceof WebAssembly.RuntimeError && /indirect call type mismatch/.test(e.message));
  // A funcref global import may be any instance's function.
  const g = new WebAssembly.Instance(load('funcref-import'), { a: { double: a.double, g: a.triple } }).exports;
  assert.strictEqual(g.fromGlobal(), a.triple);
  assert.strictEqual(g.callGlobal(8), 24);
  // A second importer gets its own index for the same function; identity is shared.
  const c = new WebAssembly.Instance(load('funcref-import'), { a: { double: a.double, g: a.double } }).exports;
  c.set(1, a.double);
  assert.strictEqual(c.get(1), a.double);
  c.set(1, b.t.get(2)); // a.triple, read out of b
  assert.strictEqual(c.get(1), a.triple);
  assert.strictEqual(c.call(1, 3), 9);
  // An instance whose double is a JS function: a.double is foreign there, and still works.
  const d = new WebAssembly.Instance(load('funcref-import'), { a: { double: (x) => x * 2, g: null } }).exports;
  d.set(1, a.double);
  assert.strictEqual(d.call(1, 4), 8);
  assert.strictEqual(d.get(1), a.double);
  assert.strictEqual(d.fromGlobal(), null);
  // A foreign function that is itself another instance's import resolves to the source.
  d.set(2, b.refDouble());
  assert.strictEqual(d.get(2), a.double);
  // Funcrefs passed between instances without JS in between (a direct import taking funcref):
  // they are foreign in the callee and the caller's own function again when they come back.
  const p = new WebAssembly.Instance(load('funcref-pass'), { b: { id: b.id, callRef: b.callRef } }).exports;
  assert.strictEqual(p.roundTrip(41), 42);
  assert.strictEqual(p.viaOther(9), 10);
  const inc = b.get(3); // p's $inc (not exported), read out of b's table
  assert.strictEqual(inc.name, '2');
  assert.strictEqual(inc(5), 6);
  assert.strictEqual(b.id(inc), inc);
  // A JS-created table imported by an instance: JS can put functions of other instances in it
  // (imported there or not) and call_indirect there calls them, type-checked.
  const table = new WebAssembly.Table({ element: 'anyfunc', initial: 4 });
  const caller = new WebAssembly.Instance(load('table-caller'), { a: { double: a.double }, js: { table } }).exports;
  table.set(1, a.double);
  assert.strictEqual(table.get(1), a.double);
  assert.strictEqual(caller.callAt(1, 21), 42);
  assert.throws(() => caller.callAt(0, 21), WebAssembly.RuntimeError);
  table.set(2, a.triple);
  assert.strictEqual(table.get(2), a.triple);
  assert.strictEqual(caller.callAt(2, 5), 15);
  table.set(3, f.a);
  assert.throws(() => caller.callAt(3, 5), (e) => e instanceof WebAssembly.RuntimeError && /indirect call type mismatch/.test(e.message));
  // Filled before any instance imports it: the elements wait (get returns them) and become
  // the importer's when it binds the table.
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
  const user = new WebAssembly.Instance(load('table-caller'), { a: { double: a.double }, js: { table: foreign } }).exports;
  assert.strictEqual(user.callAt(3, 5), 15);
  assert.strictEqual(foreign.get(3), a.triple);
  foreign.set(3, null);
  assert.strictEqual(foreign.get(3), null);
  // An instance holds a bounded number of distinct foreign functions per type (its proxy
  // pool): the same function entering again reuses its proxy; one too many is a RangeError.
  const sink = new WebAssembly.Instance(load('funcref-import'), { a: { double: a.double, g: null } }).exports;
  let entered = 0;
  let error;
  for (let i = 0; i < 300 && !error; i++) {
    const fn = new WebAssembly.Instance(load('funcref-source')).exports.triple;
    try {
      sink.set(1, fn);
      sink.set(2, fn);
      assert.strictEqual(sink.call(1, 2), 6);
      entered++;
    } catch (e) {
      error = e;
    }
  }
  assert.ok(error instanceof RangeError, String(error));
  assert.match(error.message, /functions of other instances/);
  assert.strictEqual(entered, 256);
  assert.strictEqual(sink.call(1, 2), 6, 'the failed set left the element alone');
  sink.set(1, a.double);
  assert.strictEqual(sink.call(1, 2), 4, 'an imported function needs no proxy');
}
console.log('wasm refs ok');
