// Errors made and caught in a loop, their stacks not read (or read): the same script runs
// under jsrt and node (bench/errors/run).
//   trap   — a wasm trap two calls deep (a RuntimeError with wasm frames)
//   throw  — a JS TypeError thrown five calls deep
//   read   — a wasm trap whose stack is read
//   call   — a call of what is not a function five calls deep (its message names the callee)
const fs = require('node:fs');
const path = require('node:path');
const mode = process.argv[2] ?? 'trap';
const n = Number(process.argv[3] ?? 100000);
const bytes = fs.readFileSync(path.join(__dirname, '../../tests/compat/fixtures/stack/traps.wasm'));
const wasm = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { cb() {}, other() {} } }).exports;
function thrower(k) {
  if (k === 0) throw new TypeError('deep');
  thrower(k - 1);
}
const target = {};
function caller(k) {
  if (k === 0) return target.missing();
  return caller(k - 1);
}
const run = { trap: () => wasm.run(5), throw: () => thrower(5), read: () => wasm.run(5), call: () => caller(5) }[mode];
let chars = 0;
const start = performance.now();
for (let i = 0; i < n; i++) {
  try {
    run();
  } catch (e) {
    if (mode === 'read') chars += e.stack.length;
  }
}
const us = ((performance.now() - start) * 1000) / n;
console.log(`${mode}: ${us.toFixed(2)} us per error${mode === 'read' ? ` (${chars > 0})` : ''}`);
