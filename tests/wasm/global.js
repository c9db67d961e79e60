// WebAssembly.Global: exported and JS-created globals of every numeric type, mutability, and
// values shared with wasm in place.
const assert = require('jsrt:assert');
const fs = require('jsrt:fs');
const e = new WebAssembly.Instance(new WebAssembly.Module(fs.readFileSync(`${__dirname}/fixtures/memory.wasm`))).exports;

assert.ok(e.counter instanceof WebAssembly.Global);
assert.strictEqual(e.counter, e.counter);
assert.strictEqual(e.counter.value, 7);
assert.strictEqual(e.bump(), 8);
assert.strictEqual(e.counter.value, 8); // wasm's write seen by JS
e.counter.value = 100;
assert.strictEqual(e.bump(), 101); // JS's write seen by wasm
assert.strictEqual(e.counter.valueOf(), 101);
assert.strictEqual(e.pi.value, 3.14);
assert.strictEqual(e.big.value, -5n);
assert.throws(() => { e.pi.value = 1; }, TypeError);
assert.strictEqual(Object.prototype.toString.call(e.pi), '[object WebAssembly.Global]');

for (const [type, init, expected, next, expectedNext] of [
  ['i32', 2 ** 32 + 5, 5, -1.5, -1],
  ['i64', 2n ** 64n + 3n, 3n, -7n, -7n],
  ['f32', 0.1, Math.fround(0.1), 2 ** 200, Infinity],
  ['f64', 0.1, 0.1, -0, -0],
]) {
  const g = new WebAssembly.Global({ value: type, mutable: true }, init);
  assert.ok(Object.is(g.value, expected), `${type}: ${g.value}`);
  g.value = next;
  assert.ok(Object.is(g.value, expectedNext), `${type} set: ${g.value}`);
  const d = new WebAssembly.Global({ value: type });
  assert.ok(Object.is(d.value, type === 'i64' ? 0n : 0), `${type} default`);
  assert.throws(() => { d.value = init; }, TypeError); // immutable
}
assert.throws(() => new WebAssembly.Global({ value: 'i64' }, 1), TypeError); // Number for i64
assert.throws(() => new WebAssembly.Global({ value: 'i33' }), TypeError);
assert.throws(() => new WebAssembly.Global(), TypeError);
assert.throws(() => WebAssembly.Global({ value: 'i32' }), TypeError);
assert.throws(() => new WebAssembly.Global({ value: 'v128' }), TypeError);
assert.strictEqual(new WebAssembly.Global({ value: 'i32', mutable: true }, '42').value, 42);
assert.throws(() => Reflect.get(WebAssembly.Global.prototype, 'value', {}), TypeError);
console.log('wasm global ok');

// Importing globals: from Numbers/BigInts and from immutable WebAssembly.Global objects.
{
  const mod = new WebAssembly.Module(fs.readFileSync(`${__dirname}/fixtures/global-imports.wasm`));
  const g = new WebAssembly.Instance(mod, { env: { base: 5, big: 2n ** 40n, half: 0.5 } }).exports;
  assert.strictEqual(g.base(), 5);
  assert.strictEqual(g.big(), 2n ** 40n);
  assert.strictEqual(g.half(), 0.5);
  assert.strictEqual(g.derived(), 105);
  assert.strictEqual(g.reexported.value, 5);
  const fromGlobal = new WebAssembly.Instance(mod, { env: { base: new WebAssembly.Global({ value: 'i32' }, 9), big: new WebAssembly.Global({ value: 'i64' }, 1n), half: 2 } }).exports;
  assert.strictEqual(fromGlobal.derived(), 109);
  // Type and mutability are checked at link time.
  const bad = (env) => () => new WebAssembly.Instance(mod, { env: { base: 1, big: 1n, half: 1, ...env } });
  assert.throws(bad({ big: 1 }), WebAssembly.LinkError); // Number for i64
  assert.throws(bad({ base: 1n }), WebAssembly.LinkError); // BigInt for i32
  assert.throws(bad({ base: '1' }), WebAssembly.LinkError);
  assert.throws(bad({ base: new WebAssembly.Global({ value: 'i32', mutable: true }, 1) }), WebAssembly.LinkError);
  assert.throws(bad({ base: new WebAssembly.Global({ value: 'f32' }, 1) }), WebAssembly.LinkError);
  assert.throws(() => new WebAssembly.Instance(mod, { env: { big: 1n, half: 1 } }), WebAssembly.LinkError);
}
console.log('wasm global imports ok');

// A mutable global imported by two instances is one global (JS sees every write, and each
// instance sees the other's writes), including writes made while JS runs inside a call.
{
  const mod = new WebAssembly.Module(fs.readFileSync(`${__dirname}/fixtures/mutable-global.wasm`));
  const counter = new WebAssembly.Global({ value: 'i32', mutable: true }, 5);
  const big = new WebAssembly.Global({ value: 'i64', mutable: true }, 1n);
  let other;
  const env = { counter, big, peek: () => counter.value };
  const a = new WebAssembly.Instance(mod, { env }).exports;
  const b = new WebAssembly.Instance(mod, { env: { ...env, peek: () => { counter.value = 100; return other.get(); } } }).exports;
  other = a;
  assert.strictEqual(a.get(), 5);
  assert.strictEqual(a.bump(), 6);
  assert.strictEqual(counter.value, 6);
  assert.strictEqual(b.get(), 6);
  assert.strictEqual(b.bump(), 7);
  assert.strictEqual(a.get(), 7);
  counter.value = 42;
  assert.strictEqual(a.get(), 42);
  assert.strictEqual(b.get(), 42);
  assert.strictEqual(a.bumpAndPeek(), 52); // JS sees wasm's write made just before the call out
  assert.strictEqual(b.afterHost(), 100); // wasm sees JS's write made during the call out
  assert.strictEqual(b.bumpAndPeek(), 100); // JS set 100, then A read it
  assert.strictEqual(a.counter, counter); // the re-export is the same Global
  big.value = 2n ** 40n;
  assert.strictEqual(a.getBig(), 2n ** 40n);
  // Type and mutability must match exactly.
  assert.throws(() => new WebAssembly.Instance(mod, { env: { ...env, counter: new WebAssembly.Global({ value: 'i32' }, 1) } }), WebAssembly.LinkError);
  assert.throws(() => new WebAssembly.Instance(mod, { env: { ...env, counter: 1 } }), WebAssembly.LinkError);
  assert.throws(() => new WebAssembly.Instance(mod, { env: { ...env, big: new WebAssembly.Global({ value: 'i32', mutable: true }, 1) } }), WebAssembly.LinkError);
}
console.log('wasm mutable global imports ok');

// A mutable funcref global shared by JS and two instances (each keeps its own copy of the
// function index, translated whenever control crosses an instance's boundary).
{
  const fixture = (name) => new WebAssembly.Module(fs.readFileSync(`${__dirname}/fixtures/${name}.wasm`));
  const g = new WebAssembly.Global({ value: 'anyfunc', mutable: true }, null);
  const make = (id) => new WebAssembly.Instance(fixture('funcref-global'), { env: { g, id } }).exports;
  const a = make(1);
  const b = make(2);
  assert.strictEqual(a.g, g);
  assert.strictEqual(a.getG(), null);
  a.setMine();
  assert.strictEqual(g.value, a.mine);
  assert.strictEqual(b.getG(), a.mine);
  assert.strictEqual(b.callG(), 1); // b calls a's function through its own table
  g.value = b.mine;
  assert.strictEqual(a.callG(), 2);
  b.setMine();
  assert.strictEqual(a.getG(), b.mine);
  g.value = null;
  assert.strictEqual(b.getG(), null);
  // An instance's own exported mutable funcref global, imported by another.
  const c = new WebAssembly.Instance(fixture('funcref-global'), { env: { g: a.g, id: 3 } }).exports;
  c.setMine();
  assert.strictEqual(a.callG(), 3);
  assert.strictEqual(g.value, c.mine);
  // Created by JS holding a function (mutable or not), and imported as an immutable global.
  const held = new WebAssembly.Global({ value: 'anyfunc', mutable: true }, b.mine);
  assert.strictEqual(held.value, b.mine);
  const fixed = new WebAssembly.Global({ value: 'anyfunc' }, a.mine);
  assert.strictEqual(fixed.value, a.mine);
  assert.throws(() => { fixed.value = b.mine; }, TypeError);
  assert.throws(() => new WebAssembly.Global({ value: 'anyfunc' }, () => 1), TypeError);
  const src = new WebAssembly.Instance(fixture('funcref-source')).exports;
  const user = new WebAssembly.Instance(fixture('funcref-import'), { a: { double: src.double, g: new WebAssembly.Global({ value: 'anyfunc' }, src.triple) } }).exports;
  assert.strictEqual(user.fromGlobal(), src.triple);
  assert.strictEqual(user.callGlobal(5), 15);
}
console.log('wasm shared funcref globals ok');

// An imported Global object that the instance exports again is the same object (the JS API's
// global object cache is keyed by the global's address); a number import is a new Global.
{
  const fixture = (name) => new WebAssembly.Module(fs.readFileSync(`${__dirname}/fixtures/${name}.wasm`));
  const c = new WebAssembly.Global({ value: 'i32' }, 42);
  const m = new WebAssembly.Global({ value: 'i64', mutable: true }, 5n);
  const e = new WebAssembly.Instance(fixture('reexport-globals'), { env: { c, m } }).exports;
  assert.strictEqual(e.c, c);
  assert.strictEqual(e.m, m);
  assert.strictEqual(e.m2, m);
  const n = new WebAssembly.Instance(fixture('reexport-globals'), { env: { c: 7, m } }).exports;
  assert.ok(n.c instanceof WebAssembly.Global);
  assert.strictEqual(n.c.value, 7);
  assert.notStrictEqual(n.c, c);
}

// i64 values go through ToBigInt64: BigInt, boolean, string and objects with such a valueOf
// convert (wrapping modulo 2^64); Number, undefined, null and Symbol are TypeErrors, a string
// (or object) that is no integer a SyntaxError (StringToBigInt); Node gives the same. The value
// setter called without an argument converts `undefined` (WebIDL; the JS-API tests' "Calling
// setter without argument"): a TypeError for i64, 0 for i32 — V8 (Node 20) throws for both.
{
  const g = new WebAssembly.Global({ value: 'i64', mutable: true }, 0n);
  const converts = [[true, 1n], ['7', 7n], [{ valueOf: () => 9n }, 9n], [2n ** 64n + 3n, 3n], [-1n, -1n], [2n ** 63n, -(2n ** 63n)]];
  for (const [v, want] of converts) {
    g.value = v;
    assert.strictEqual(g.value, want);
    assert.strictEqual(new WebAssembly.Global({ value: 'i64' }, v).value, want);
  }
  for (const v of [3, undefined, null, Symbol.iterator, 2 ** 64, '1.5', {}]) {
    assert.throws(() => { g.value = v; }, typeof v === 'string' || (typeof v === 'object' && v !== null) ? SyntaxError : TypeError);
  }
  assert.throws(() => new WebAssembly.Global({ value: 'i64' }, 3), TypeError);
  const setter = Object.getOwnPropertyDescriptor(WebAssembly.Global.prototype, 'value').set;
  assert.throws(() => setter.call(g), TypeError);
  assert.strictEqual(g.value, -(2n ** 63n));
  const i32 = new WebAssembly.Global({ value: 'i32', mutable: true }, 5);
  assert.strictEqual(setter.call(i32), undefined);
  assert.strictEqual(i32.value, 0);
  assert.strictEqual(setter.call(i32, 7, {}), undefined); // a stray argument is ignored
  assert.strictEqual(i32.value, 7);
}
console.log('wasm global identity and i64 conversions ok');
