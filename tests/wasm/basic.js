// WebAssembly basics: validate, Module, Instance, exports, introspection, the seed's example,
// spec property attributes and "called without new" errors.
const assert = require('jsrt:assert');
const fs = require('jsrt:fs');
const fixture = (name) => fs.readFileSync(`${__dirname}/fixtures/${name}.wasm`);

// The seed design's example: the 8-byte empty module.
const validWasm = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
assert.ok(WebAssembly.validate(validWasm), 'Valid WASM should pass validation');
const empty = new WebAssembly.Module(validWasm);
assert.ok(empty instanceof WebAssembly.Module, 'Should create Module instance');
const emptyInstance = new WebAssembly.Instance(empty, {});
assert.ok(emptyInstance instanceof WebAssembly.Instance, 'Should create Instance');
assert.deepStrictEqual(Object.keys(emptyInstance.exports), []);

// validate() over every BufferSource form, and bad input.
const addBytes = fixture('add');
assert.strictEqual(WebAssembly.validate(addBytes), true);
assert.strictEqual(WebAssembly.validate(addBytes.buffer.slice(addBytes.byteOffset, addBytes.byteOffset + addBytes.byteLength)), true);
assert.strictEqual(WebAssembly.validate(new DataView(addBytes.buffer, addBytes.byteOffset, addBytes.byteLength)), true);
assert.strictEqual(WebAssembly.validate(new Uint8Array([0, 97, 115, 109, 2, 0, 0, 0])), false);
assert.strictEqual(WebAssembly.validate(new Uint8Array([1, 2, 3])), false);
assert.throws(() => WebAssembly.validate('not bytes'), TypeError);
assert.throws(() => WebAssembly.validate(), TypeError);
// A view of part of a buffer compiles just those bytes.
const padded = new Uint8Array(addBytes.length + 8);
padded.set(addBytes, 4);
assert.ok(WebAssembly.validate(new Uint8Array(padded.buffer, 4, addBytes.length)));
// Bytes are copied: changing them afterwards does not affect the module.
const copy = new Uint8Array(addBytes);
const m = new WebAssembly.Module(copy);
copy.fill(0);
assert.strictEqual(new WebAssembly.Instance(m).exports.add(1, 2), 3);

// Exports: functions with name = index, length = params; the same function exported twice is
// the same object; a frozen null-prototype object.
const ex = new WebAssembly.Instance(m).exports;
assert.strictEqual(ex.add(2, 40), 42);
assert.strictEqual(ex.add, ex.sum);
assert.strictEqual(ex.add.name, '0');
assert.strictEqual(ex.add.length, 2);
assert.strictEqual(ex.three.length, 3);
assert.strictEqual(ex.nothing(), undefined);
assert.strictEqual(Object.getPrototypeOf(ex), null);
assert.ok(Object.isFrozen(ex));
assert.deepStrictEqual(Object.keys(ex), ['add', 'sum', 'nothing', 'three']);
assert.strictEqual(typeof ex.add, 'function');
// Exported functions are ordinary, non-constructible functions; missing arguments are
// undefined (ToInt32 → 0), extra ones ignored, non-numbers go through ToNumber.
assert.strictEqual(Object.getPrototypeOf(ex.add), Function.prototype);
assert.throws(() => new ex.add(1, 2), TypeError);
assert.strictEqual(ex.add(5), 5);
assert.strictEqual(ex.add(), 0);
assert.strictEqual(ex.add(1, 2, 3, 4), 3);
assert.strictEqual(ex.add('20', { valueOf: () => 22 }), 42);
assert.strictEqual(ex.add(2.9, -1.9), 1);
assert.strictEqual(ex.add(2 ** 31, 0), -(2 ** 31));
assert.strictEqual(ex.add.call(null, 1, 1), 2);
assert.strictEqual(Reflect.apply(ex.add, undefined, [20, 22]), 42);
assert.throws(() => ex.add(Symbol('s'), 1), TypeError);
assert.throws(() => { 'use strict'; ex.add = 1; }, TypeError);

// Module.exports / imports / customSections.
assert.deepStrictEqual(WebAssembly.Module.exports(m), [
  { name: 'add', kind: 'function' }, { name: 'sum', kind: 'function' },
  { name: 'nothing', kind: 'function' }, { name: 'three', kind: 'function' },
]);
const custom = new WebAssembly.Module(fixture('custom'));
assert.deepStrictEqual(WebAssembly.Module.imports(custom), [{ module: 'm', name: 'f', kind: 'function' }]);
const sections = WebAssembly.Module.customSections(custom, 'meta');
assert.strictEqual(sections.length, 2);
assert.ok(sections[0] instanceof ArrayBuffer);
assert.deepStrictEqual(sections.map((b) => new TextDecoder().decode(b)), ['hello', 'world']);
assert.deepStrictEqual(WebAssembly.Module.customSections(custom, 'none'), []);
// The name is a USVString: a lone surrogate becomes U+FFFD and matches a section named "\uFFFD"
// (never a TypeError), as WebIDL converts it. (Node 20 compares the raw string and finds nothing.)
{
  const named = new WebAssembly.Module(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 0, 6, 3, 0xef, 0xbf, 0xbd, 1, 2]));
  for (const name of ['\uD800', '\uFFFD', 'a\uDC00b'.slice(1, 2)]) {
    const found = WebAssembly.Module.customSections(named, name);
    assert.deepStrictEqual(found.map((b) => [...new Uint8Array(b)]), [[1, 2]]);
  }
  assert.deepStrictEqual(WebAssembly.Module.customSections(named, 'a\uDC00'), []);
}
assert.throws(() => WebAssembly.Module.customSections(custom), TypeError);
assert.throws(() => WebAssembly.Module.exports({}), TypeError);
assert.throws(() => WebAssembly.Module.imports(null), TypeError);

// Constructors need `new`; arguments are checked.
assert.throws(() => WebAssembly.Module(validWasm), TypeError);
assert.throws(() => WebAssembly.Instance(empty), TypeError);
assert.throws(() => new WebAssembly.Module(), TypeError);
assert.throws(() => new WebAssembly.Module(42), TypeError);
assert.throws(() => new WebAssembly.Instance({}), TypeError);
assert.throws(() => new WebAssembly.Instance(custom), TypeError); // imports required
assert.throws(() => new WebAssembly.Instance(custom, 5), TypeError);

// Namespace and class properties as the spec (and Node) have them.
assert.strictEqual(Object.prototype.toString.call(WebAssembly), '[object WebAssembly]');
assert.strictEqual(Object.prototype.toString.call(m), '[object WebAssembly.Module]');
assert.strictEqual(Object.prototype.toString.call(emptyInstance), '[object WebAssembly.Instance]');
// (WebIDL: the namespace's operations are enumerable, its interfaces not.)
for (const name of ['validate', 'compile', 'instantiate', 'Module', 'Instance', 'CompileError', 'LinkError', 'RuntimeError', 'compileStreaming', 'instantiateStreaming']) {
  const d = Object.getOwnPropertyDescriptor(WebAssembly, name);
  assert.ok(d, name);
  const operation = typeof d.value === 'function' && !/^[A-Z]/.test(name);
  assert.deepStrictEqual([d.writable, d.enumerable, d.configurable], [true, operation, true], name);
}
assert.strictEqual(WebAssembly.Module.length, 1);
assert.strictEqual(WebAssembly.Instance.length, 1);
assert.strictEqual(WebAssembly.validate.length, 1);
assert.strictEqual(WebAssembly.compile.length, 1);
assert.ok(Object.getOwnPropertyDescriptor(WebAssembly.Instance.prototype, 'exports').get);
console.log('wasm basic ok');
