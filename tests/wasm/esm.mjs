// WebAssembly ES module integration: `import { f } from './m.wasm'`, the wasm module's own
// imports resolved as ES module imports, and dynamic import() of a .wasm file.
import assert from 'jsrt:assert';
import { add, addDouble, mem } from './fixtures/esm-math.wasm';

assert.strictEqual(add(2, 3), 5);
assert.strictEqual(addDouble(2, 3), 10); // calls esm-helper.mjs's double through the import
assert.ok(mem instanceof WebAssembly.Memory);
const ns = await import('./fixtures/esm-math.wasm');
assert.strictEqual(ns.add, add); // one instance per module, as for JS modules
assert.deepStrictEqual(Object.keys(ns).sort(), ['add', 'addDouble', 'mem']);
await assert.rejects(import('./fixtures/missing.wasm'), /Cannot find module/);
console.log('wasm esm ok');
