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

// Funcref tables shared by several parties (jsrt-wasm's table.rs: every instance has its own
// view, kept equal): JS, instance A and instance B see one table.
{
  const shared = new WebAssembly.Table({ element: 'anyfunc', initial: 4, maximum: 20 });
  let poke = () => {};
  const make = (id) => new WebAssembly.Instance(fixture('table-shared'), { env: { tbl: shared, id, poke: () => poke() } }).exports;
  const A = make(1);
  const B = make(2);
  assert.strictEqual(A.tbl, shared);
  assert.strictEqual(B.tbl, shared);
  A.put(0); // wasm in A writes its own function ...
  assert.strictEqual(shared.get(0), A.mine); // ... JS sees it ...
  assert.strictEqual(B.get(0), A.mine); // ... and B, where it is another instance's function
  assert.strictEqual(B.call(0), 1); // B's call_indirect calls A's function
  B.put(1);
  assert.strictEqual(A.call(1), 2);
  shared.set(2, B.mine); // a JS write reaches both
  assert.strictEqual(A.call(2), 2);
  assert.strictEqual(B.call(2), 2);
  shared.set(2, null);
  assert.throws(() => A.call(2), WebAssembly.RuntimeError);
  // A write made while A is running (from a host call) is seen by A when it resumes.
  poke = () => shared.set(3, B.mine);
  assert.strictEqual(A.pokeThenCall(3), 2);
  // A write by A made before it calls out is visible to the host (and B) during the call.
  poke = () => { assert.strictEqual(shared.get(0), B.mine); assert.strictEqual(B.call(0), 2); };
  B.put(0);
  A.pokeThenCall(0);
  poke = () => {};
  // Growth from wasm in one instance and from JS reaches every party.
  assert.strictEqual(A.grow(2), 4);
  assert.strictEqual(shared.length, 6);
  assert.strictEqual(B.size(), 6);
  assert.strictEqual(B.call(5), 1);
  assert.strictEqual(shared.get(4), A.mine);
  assert.strictEqual(shared.grow(1, B.mine), 6);
  assert.strictEqual(A.size(), 7);
  assert.strictEqual(A.call(6), 2);
  assert.throws(() => shared.grow(14), RangeError); // maximum 20
  assert.strictEqual(B.grow(14), -1);
  // A new importer's element segment writes into the shared table: everyone sees it.
  const C = new WebAssembly.Instance(fixture('table-import'), { env: { tbl: shared } }).exports;
  assert.strictEqual(C.call(1), 7);
  assert.strictEqual(A.call(1), 7);
  assert.strictEqual(shared.get(1)(), 7);
  assert.strictEqual(C.call(0), 2); // and it sees what was there before
  // Type checks still apply to other instances' functions.
  shared.set(3, e.one); // () -> i32 as well: callable
  assert.strictEqual(A.call(3), 1);
  // Tables larger than WAMR allocated for an import (2 x initial, at least 1024) move to a
  // larger table of the importer's own, also when they grow later, from JS or from wasm.
  const big = new WebAssembly.Table({ element: 'anyfunc', initial: 3000 });
  const Z = new WebAssembly.Instance(fixture('table-shared'), { env: { tbl: big, id: 9, poke() {} } }).exports;
  const Y = new WebAssembly.Instance(fixture('table-shared'), { env: { tbl: big, id: 8, poke() {} } }).exports;
  Z.put(2999);
  assert.strictEqual(big.get(2999), Z.mine);
  assert.strictEqual(Y.call(2999), 9);
  assert.strictEqual(big.grow(5000), 3000);
  assert.strictEqual(Z.size(), 8000);
  Y.put(7999);
  assert.strictEqual(Z.call(7999), 8);
  // Growth by wasm goes through the host as well (proxy.rs's grow hooks): no room limit
  // below the table's own maximum (here the JS API's 10,000,000).
  assert.strictEqual(Z.grow(2000), 8000);
  assert.strictEqual(Y.size(), 10000);
  Z.put(9999);
  assert.strictEqual(Y.call(9999), 9);
  assert.strictEqual(big.length, 10000);
  assert.strictEqual(Z.grow(40000), 10000);
  assert.strictEqual(Y.size(), 50000);
  assert.strictEqual(Z.grow(20000000), -1);
  assert.strictEqual(big.grow(20000), 50000);
  assert.strictEqual(Y.size(), 70000);
  assert.strictEqual(Z.call(9999), 9);
  assert.strictEqual(Z.tbl, big);
  // An instance's own table imported by others: e's table `t` in a new instance.
  const D = new WebAssembly.Instance(fixture('table-shared'), { env: { tbl: t, id: 4, poke() {} } }).exports;
  assert.strictEqual(D.tbl, t);
  assert.strictEqual(D.get(0), e.one);
  assert.strictEqual(D.call(0), 1);
  D.put(0);
  assert.strictEqual(e.call(0), 4); // e calls D's function through its own table
  assert.strictEqual(t.get(0), D.mine);
  t.set(0, e.one);
  assert.strictEqual(D.call(0), 1);
}
assert.throws(() => new WebAssembly.Instance(fixture('table-import'), { env: { tbl: {} } }), WebAssembly.LinkError);
assert.throws(() => new WebAssembly.Instance(fixture('table-import'), { env: { tbl: new WebAssembly.Table({ element: 'externref', initial: 2 }) } }), WebAssembly.LinkError);

// Instances that share funcref tables keep each other alive only while something outside
// refers to them: RSS stays flat over many (each leaked instance would cost ~1 MiB of stacks).
{
  const rss = () => process.memoryUsage().rss;
  const shared = fixture('table-shared');
  const patterns = {
    // A JS-created table whose importer puts its own function in it.
    own: () => {
      const t = new WebAssembly.Table({ element: 'anyfunc', initial: 2 });
      new WebAssembly.Instance(fixture('table-import'), { env: { tbl: t } }).exports.call(1);
    },
    // An instance's own table imported by another that puts its function in it.
    home: () => {
      const x = new WebAssembly.Instance(fixture('table')).exports;
      const y = new WebAssembly.Instance(shared, { env: { tbl: x.tbl, id: 4, poke() {} } }).exports;
      y.put(0);
      x.call(0);
    },
    // Two importers of one table calling each other's functions through it.
    two: () => {
      const t = new WebAssembly.Table({ element: 'anyfunc', initial: 4 });
      const a = new WebAssembly.Instance(shared, { env: { tbl: t, id: 1, poke() {} } }).exports;
      const b = new WebAssembly.Instance(shared, { env: { tbl: t, id: 2, poke() {} } }).exports;
      a.put(0);
      b.put(1);
      a.call(1);
      b.call(0);
    },
  };
  for (const [name, make] of Object.entries(patterns)) {
    for (let i = 0; i < 200; i++) make();
    const start = rss();
    for (let i = 0; i < 1000; i++) make();
    const grown = rss() - start;
    assert.ok(grown < 48 * 1024 * 1024, `${name}: RSS grew by ${grown} bytes over 1,000 rounds`);
  }
}

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
