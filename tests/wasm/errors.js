// Errors: CompileError/LinkError/RuntimeError as proper Error subclasses, named traps, JS
// exceptions crossing wasm frames unchanged, deep recursion, malformed and hostile input.
const assert = require('jsrt:assert');
const fs = require('jsrt:fs');
const fixture = (name) => new WebAssembly.Module(fs.readFileSync(`${__dirname}/fixtures/${name}.wasm`));

for (const E of [WebAssembly.CompileError, WebAssembly.LinkError, WebAssembly.RuntimeError]) {
  const e = new E('msg');
  assert.ok(e instanceof E && e instanceof Error);
  assert.strictEqual(e.name, E.name);
  assert.strictEqual(e.message, 'msg');
  assert.strictEqual(typeof e.stack, 'string');
  assert.ok(e.stack.startsWith(`${E.name}: msg`));
  assert.strictEqual(Object.getPrototypeOf(E), Error);
  assert.strictEqual(Object.prototype.hasOwnProperty.call(E.prototype, 'name'), true);
  assert.ok(E('no new') instanceof E);
  assert.strictEqual(new E().message, '');
  assert.strictEqual(String(new E('x')), `${E.name}: x`);
}
assert.strictEqual(new WebAssembly.RuntimeError('m', { cause: 1 }).cause, 1);

// Malformed and invalid bytes: CompileError, never a crash.
const badInputs = [
  new Uint8Array([]),
  new Uint8Array([0, 97, 115]),
  new Uint8Array([0, 97, 115, 109, 2, 0, 0, 0]),
  new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 0xff, 0xff, 0xff, 0xff, 0x0f]),
  new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 10, 4, 1, 2, 0, 0x0b]),
  new TextEncoder().encode('(module)'),
];
for (const bytes of badInputs) {
  assert.throws(() => new WebAssembly.Module(bytes), (e) => e instanceof WebAssembly.CompileError && e.message.startsWith('WebAssembly.Module(): ') && e.message.length > 22);
  assert.strictEqual(WebAssembly.validate(bytes), false);
}
// Random garbage after a valid header.
for (let i = 0; i < 200; i++) {
  const bytes = new Uint8Array(8 + (i % 40));
  bytes.set([0, 97, 115, 109, 1, 0, 0, 0]);
  crypto.getRandomValues(bytes.subarray(8));
  try {
    new WebAssembly.Module(bytes);
  } catch (e) {
    assert.ok(e instanceof WebAssembly.CompileError, `${e}`);
  }
}

// Traps are RuntimeErrors that name the trap; the instance stays usable.
let log = [];
const t = new WebAssembly.Instance(fixture('traps'), { env: { cb: () => log.push('cb') } }).exports;
const trapOf = (f) => { try { f(); } catch (e) { return e; } assert.fail('no trap'); };
for (const [fn, message] of [
  [t.unreachable, 'unreachable'],
  [t.div0, 'integer divide by zero'],
  [t.overflow, 'integer overflow'],
  [t.badConvert, 'invalid conversion to integer'],
  [t.oob, 'out of bounds memory access'],
  [t.wrongSig, 'indirect call type mismatch'],
]) {
  const e = trapOf(fn);
  assert.ok(e instanceof WebAssembly.RuntimeError, `${message}: ${e}`);
  assert.strictEqual(e.message, message);
}
assert.match(trapOf(t.nullElem).message, /uninitialized element|undefined element/);
t.callsBack();
assert.deepStrictEqual(log, ['cb']);

// Deep wasm recursion is a catchable RangeError, not a crash.
const deep = trapOf(() => t.deep(0));
assert.ok(deep instanceof RangeError || deep instanceof WebAssembly.RuntimeError, `${deep}`);

// A JS exception thrown by an import comes out of wasm as the same value.
const thrown = { marker: Symbol('x') };
const t2 = new WebAssembly.Instance(fixture('traps'), { env: { cb: () => { throw thrown; } } }).exports;
assert.strictEqual(trapOf(t2.callsBack), thrown);
const err = new TypeError('from js');
const t3 = new WebAssembly.Instance(fixture('traps'), { env: { cb: () => { throw err; } } }).exports;
assert.strictEqual(trapOf(t3.callsBack), err);
// ... also through several wasm and JS frames.
const imp = fixture('imports');
let outer;
const innerErr = new RangeError('deep inside');
const inner = new WebAssembly.Instance(imp, { env: { twice: () => { throw innerErr; }, big: (x) => x, pair: () => {} } }).exports;
outer = new WebAssembly.Instance(imp, { env: { twice: (x) => inner.callTwice(x), big: (x) => x, pair: () => {} } }).exports;
assert.strictEqual(trapOf(() => outer.callTwice(1)), innerErr);
// A trap inside a nested call surfaces as RuntimeError through the outer frames.
const trapping = new WebAssembly.Instance(imp, { env: { twice: () => t.div0(), big: (x) => x, pair: () => {} } }).exports;
assert.ok(trapOf(() => trapping.callTwice(1)) instanceof WebAssembly.RuntimeError);

// A trap in the start function fails instantiation with RuntimeError.
assert.throws(() => new WebAssembly.Instance(fixture('start'), { env: { started: () => { throw new SyntaxError('in start'); } } }), SyntaxError);

// Stack traces of traps point into the JS caller.
assert.match(trapOf(t.div0).stack, /^RuntimeError: integer divide by zero\n/);
// A module that fails to compile leaks nothing: memory stays flat over 10,000 failing compiles
// (invalid in the validator, and malformed).
{
  const invalid = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 0x60, 0, 1, 0x7f, 3, 2, 1, 0, 10, 4, 1, 2, 0, 0x0b]);
  const fail = () => { try { new WebAssembly.Module(invalid); } catch {} try { new WebAssembly.Module(badInputs[3]); } catch {} };
  for (let i = 0; i < 1000; i++) fail();
  const before = process.memoryUsage().rss;
  for (let i = 0; i < 10000; i++) fail();
  const grown = process.memoryUsage().rss - before;
  assert.ok(grown < 4 * 1024 * 1024, `RSS grew by ${grown} bytes over 10,000 failing compiles`);
}
console.log('wasm errors ok');
