// The WebAssembly namespace object (JS API spec, "The WebAssembly Namespace"; WebIDL): an own
// data property of the global object from the start — writable, configurable, not
// enumerable — although jsrt makes it on first use; its operations are enumerable data
// properties, its interfaces are not enumerable. Node gives the same descriptors.
const before = Object.getOwnPropertyDescriptor(globalThis, 'WebAssembly');
const assert = require('jsrt:assert');
assert.deepStrictEqual(Object.keys(before), ['value', 'writable', 'enumerable', 'configurable']);
assert.deepStrictEqual([before.writable, before.enumerable, before.configurable], [true, false, true]);
assert.strictEqual(before.value, WebAssembly);
assert.strictEqual(Object.prototype.toString.call(WebAssembly), '[object WebAssembly]');
for (const op of ['validate', 'compile', 'instantiate', 'compileStreaming', 'instantiateStreaming']) {
  const d = Object.getOwnPropertyDescriptor(WebAssembly, op);
  assert.deepStrictEqual([typeof d.value, d.writable, d.enumerable, d.configurable], ['function', true, true, true], op);
}
for (const iface of ['Module', 'Instance', 'Memory', 'Table', 'Global', 'CompileError', 'LinkError', 'RuntimeError']) {
  const d = Object.getOwnPropertyDescriptor(WebAssembly, iface);
  assert.deepStrictEqual([typeof d.value, d.writable, d.enumerable, d.configurable], ['function', true, false, true], iface);
}
// Replacing or deleting it before or after first use works as for any data property.
const saved = WebAssembly;
globalThis.WebAssembly = 1;
assert.strictEqual(WebAssembly, 1);
assert.strictEqual(delete globalThis.WebAssembly, true);
assert.strictEqual(typeof globalThis.WebAssembly, 'undefined');
globalThis.WebAssembly = saved;
console.log('wasm namespace ok');
