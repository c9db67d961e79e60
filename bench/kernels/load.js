// Loads a module and instantiates it (imports stubbed: nothing runs), printing the in-program
// times of `new WebAssembly.Module` and `new WebAssembly.Instance` and the tier it runs in.
// Usage: jsrt [--wasm-tier=...] load.js FILE.wasm
const bytes = require('node:fs').readFileSync(process.argv[2]);
const t0 = performance.now();
const m = new WebAssembly.Module(bytes);
const t1 = performance.now();
const stub = new Proxy({}, { get: () => new Proxy({}, { get: () => () => 0 }) });
new WebAssembly.Instance(m, stub);
const t2 = performance.now();
console.log(`${require('jsrt:wasm').tierOf(m)}: module ${(t1 - t0).toFixed(1)} ms, instance ${(t2 - t1).toFixed(1)} ms`);
