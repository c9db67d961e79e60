// JS <-> wasm: value conversion per the spec (ToWebAssemblyValue / ToJSValue), i64 as
// BigInt, NaN bits, multi-value, imports per instance, re-entrancy, re-exported functions.
const assert = require('jsrt:assert');
const fs = require('jsrt:fs');
const fixture = (name) => new WebAssembly.Module(fs.readFileSync(`${__dirname}/fixtures/${name}.wasm`));

const t = new WebAssembly.Instance(fixture('types')).exports;
// i32: ToInt32.
assert.strictEqual(t.i32(5), 5);
assert.strictEqual(t.i32(2 ** 32 + 7), 7);
assert.strictEqual(t.i32(-1.9), -1);
assert.strictEqual(t.i32('12'), 12);
assert.strictEqual(t.i32(undefined), 0);
assert.strictEqual(t.i32(NaN), 0);
assert.strictEqual(t.i32({ valueOf: () => 9 }), 9);
assert.strictEqual(t.i32(), 0);
assert.strictEqual(t.i32(0x80000000), -2147483648);
// i64: BigInt only (Numbers are a TypeError), wrapping modulo 2^64.
assert.strictEqual(t.i64(5n), 5n);
assert.strictEqual(t.i64(2n ** 63n), -(2n ** 63n));
assert.strictEqual(t.i64(-1n), -1n);
assert.strictEqual(t.i64(true), 1n);
assert.strictEqual(t.i64('42'), 42n);
assert.throws(() => t.i64(5), TypeError);
assert.throws(() => t.i64(), TypeError);
// f32: rounded like Math.fround; f64 exact.
assert.strictEqual(t.f32(0.1), Math.fround(0.1));
assert.strictEqual(t.f32(2 ** 130), Infinity);
assert.strictEqual(t.f64(0.1), 0.1);
assert.ok(Number.isNaN(t.f64(undefined)));
assert.strictEqual(Object.is(t.f64(-0), -0), true);
assert.strictEqual(t.f32bits(1), 0x3f800000);
// A NaN with a payload coming out of wasm is still NaN.
assert.ok(Number.isNaN(t.f64fromBits(0x7ff8000000000123n)));
// Multi-value results come back as an Array.
assert.deepStrictEqual(t.multi(7, 9n), [9n, 7, 0.5]);
// v128 at the boundary is a TypeError.
assert.throws(() => t.v128(), TypeError);

// Imports: any callable; results converted; per-instance functions.
const imp = fixture('imports');
const calls = [];
const a = new WebAssembly.Instance(imp, {
  env: {
    twice: (x) => x * 2,
    big: (x) => { calls.push(typeof x); return x * 3n; },
    pair: (...args) => calls.push(args),
  },
}).exports;
const b = new WebAssembly.Instance(imp, {
  env: { twice: function (x) { return `${x}${x}`; }, big: (x) => x, pair: () => {} },
}).exports;
assert.strictEqual(a.callTwice(21), 42);
assert.strictEqual(b.callTwice(4), 44); // '44' -> ToInt32 -> 44
assert.strictEqual(a.callBig(5n), 15n);
a.callPair();
assert.deepStrictEqual(calls, ['bigint', [1.5, 2.5]]);
// A host function returning a Number for an i64 result throws TypeError out of the call.
const bad = new WebAssembly.Instance(imp, { env: { twice: (x) => x, big: () => 1, pair: () => {} } }).exports;
assert.throws(() => bad.callBig(1n), TypeError);
// Re-exporting a JS function gives a wasm exported function wrapping it.
assert.strictEqual(a.reexported(8), 16);

// A wasm function imported from another instance is called directly and keeps its identity
// when re-exported.
const add = new WebAssembly.Instance(fixture('add')).exports.add;
// Importing it with the wrong type is a LinkError.
assert.throws(() => new WebAssembly.Instance(imp, { env: { twice: add, big: (x) => x, pair: () => {} } }), WebAssembly.LinkError);
assert.throws(() => new WebAssembly.Instance(imp, { env: { twice: (x) => x, big: add, pair: () => {} } }), WebAssembly.LinkError);

const one = new WebAssembly.Instance(fixture('types')).exports.i32;
const d = new WebAssembly.Instance(imp, { env: { twice: one, big: (x) => x, pair: () => {} } }).exports;
assert.strictEqual(d.callTwice(77), 77);
assert.strictEqual(d.reexported, one);

// Re-entrancy: wasm -> JS -> wasm (same and other instance) -> JS, nested.
let depth = 0;
let inner;
inner = new WebAssembly.Instance(imp, {
  env: {
    twice: (x) => (depth++ < 5 ? inner.callTwice(x + 1) + 1 : x),
    big: (x) => x,
    pair: () => {},
  },
}).exports;
assert.strictEqual(inner.callTwice(0), 10);
assert.strictEqual(depth, 6);

// The start function runs during instantiation and can call imports.
let started;
new WebAssembly.Instance(fixture('start'), { env: { started: (v) => { started = v; } } });
assert.strictEqual(started, 42);

// Missing or wrong imports.
assert.throws(() => new WebAssembly.Instance(imp, {}), TypeError);
assert.throws(() => new WebAssembly.Instance(imp, { env: {} }), WebAssembly.LinkError);
assert.throws(() => new WebAssembly.Instance(imp, { env: { twice: 5, big: () => {}, pair: () => {} } }), WebAssembly.LinkError);
console.log('wasm interop ok');

// Imported JS functions returning several values (any iterable) and taking externref
// arguments (lowered for WAMR, see crates/jsrt-wasm/src/lower.rs).
{
  const mod = new WebAssembly.Module(fs.readFileSync(`${__dirname}/fixtures/multi-import.wasm`));
  const seen = [];
  const a = { a: 1 };
  const b = new WebAssembly.Instance(mod, {
    env: {
      pair: (x) => [x * 2, BigInt(x) * 1000n],
      see: (p, n, q) => { seen.push([p, n, q]); return q; },
    },
  }).exports;
  assert.strictEqual(b.sumPair(3), 3006n);
  assert.strictEqual(b.callSee(a, 'x'), 'x');
  assert.strictEqual(b.callSee(null, a), a);
  assert.deepStrictEqual(seen, [[a, 5, 'x'], [null, 5, a]]);
  // Any iterable works; the wrong number of values or a non-iterable is a TypeError.
  const gen = new WebAssembly.Instance(mod, { env: { pair: function* () { yield 1; yield 2n; }, see: (p) => p } }).exports;
  assert.strictEqual(gen.sumPair(0), 3n);
  const short = new WebAssembly.Instance(mod, { env: { pair: () => [1], see: (p) => p } }).exports;
  assert.throws(() => short.sumPair(0), TypeError);
  const notIterable = new WebAssembly.Instance(mod, { env: { pair: () => 5, see: (p) => p } }).exports;
  assert.throws(() => notIterable.sumPair(0), TypeError);
}
// Imported JS functions: `this` is undefined, arguments converted per ToJSValue (i64 as
// BigInt, f32 widened, funcref as the exported function), more than eight arguments.
{
  const mod = new WebAssembly.Module(fs.readFileSync(`${__dirname}/fixtures/host-args.wasm`));
  let seen;
  const x = new WebAssembly.Instance(mod, {
    env: {
      see: function () { 'use strict'; seen = { self: this, args: [...arguments] }; return 2.5; },
      many: (...a) => a.reduce((p, c) => p + c, 0) * (a.length === 10 ? 1 : -1),
    },
  }).exports;
  assert.strictEqual(x.callSee(), 2.5);
  assert.strictEqual(seen.self, undefined);
  assert.deepStrictEqual(seen.args.slice(0, 4), [-7, -9007199254740993n, 1.5, -0.25]);
  assert.strictEqual(seen.args[4], x.own);
  assert.strictEqual(x.callMany(), 55);
  const thrower = new WebAssembly.Instance(mod, { env: { see: () => { throw new RangeError('from host'); }, many: () => 0 } }).exports;
  assert.throws(() => thrower.callSee(), (e) => e instanceof RangeError && e.message === 'from host');
}
// Tail calls into imported functions return the host's result (and its exceptions).
{
  const mod = new WebAssembly.Module(fs.readFileSync(`${__dirname}/fixtures/tail-call-import.wasm`));
  const calls = [];
  const t = new WebAssembly.Instance(mod, { env: { ret: (x) => { calls.push(x); if (x < 0) throw new Error('negative'); return x * 2; } } }).exports;
  assert.strictEqual(t.direct(21), 42);
  assert.strictEqual(t.indirect(5), 10);
  assert.throws(() => t.direct(-1), /negative/);
  assert.deepStrictEqual(calls, [21, 5, -1]);
}
console.log('wasm multi-value imports ok');
