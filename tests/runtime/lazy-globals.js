// Globals that jsrt makes on first use are data properties from the start, as if made
// eagerly (builtins/lazy_global.rs): WebAssembly (JS API spec: writable, configurable, not
// enumerable) and the web globals (WebIDL: interface objects not enumerable, operations
// enumerable). Using one first by assigning, deleting or redefining it behaves as for any
// data property.
const d = Object.getOwnPropertyDescriptor(globalThis, 'WebAssembly');
const assert = require('jsrt:assert');
assert.deepStrictEqual(Object.keys(d), ['value', 'writable', 'enumerable', 'configurable']);
assert.deepStrictEqual([typeof d.value, d.writable, d.enumerable, d.configurable], ['object', true, false, true]);
assert.strictEqual(d.value, WebAssembly);
assert.strictEqual(typeof WebAssembly.Module, 'function');
assert.ok(Object.getOwnPropertyNames(globalThis).includes('WebAssembly'));
assert.ok(!Object.keys(globalThis).includes('WebAssembly'));

const shapes = {};
for (const name of ['TextEncoder', 'URL', 'Buffer', 'fetch', 'atob', 'crypto', 'structuredClone']) {
  const p = Object.getOwnPropertyDescriptor(globalThis, name);
  shapes[name] = [Object.keys(p).join(), p.enumerable];
}
assert.deepStrictEqual(shapes, {
  TextEncoder: ['value,writable,enumerable,configurable', false],
  URL: ['value,writable,enumerable,configurable', false],
  Buffer: ['value,writable,enumerable,configurable', false],
  fetch: ['value,writable,enumerable,configurable', true],
  atob: ['value,writable,enumerable,configurable', true],
  crypto: ['value,writable,enumerable,configurable', true],
  structuredClone: ['value,writable,enumerable,configurable', true],
});

// First use by assignment, deletion, redefinition, `in` and `typeof`.
TextDecoder = 5;
assert.strictEqual(TextDecoder, 5);
assert.strictEqual(delete globalThis.Blob, true);
assert.strictEqual(typeof Blob, 'undefined');
assert.ok(!('Blob' in globalThis));
Object.defineProperty(globalThis, 'Headers', { value: 'mine', writable: false, configurable: true });
assert.strictEqual(Headers, 'mine');
assert.ok('AbortController' in globalThis);
assert.strictEqual(typeof AbortSignal, 'function');
assert.strictEqual(typeof btoa('x'), 'string');
// A lazily made global is made once.
assert.strictEqual(globalThis.URLSearchParams, URLSearchParams);
console.log('lazy globals ok');
