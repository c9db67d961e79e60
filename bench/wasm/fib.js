// fib(n) in WebAssembly from JS: the same script runs under jsrt and node.
const fs = require('node:fs');
const path = require('node:path');
const n = Number(process.argv[2] ?? 30);
const bytes = fs.readFileSync(path.join(__dirname, '../../examples/wasm/fibonacci.wasm'));
const { fib } = new WebAssembly.Instance(new WebAssembly.Module(bytes)).exports;
const start = performance.now();
const r = fib(n);
console.log(`fib(${n}) = ${r} (${(performance.now() - start).toFixed(1)} ms)`);
