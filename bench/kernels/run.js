// Runs one kernel of kernels.wasm (kernels.c) and prints its in-program time: the same script
// under jsrt and node. Usage: run.js KERNEL N [WASM]
const fs = require('node:fs');
const path = require('node:path');
const names = ['fib', 'sieve', 'sha256', 'matmul', 'nbody', 'crc32'];
const [name, n, file] = process.argv.slice(2);
const k = names.indexOf(name);
if (k < 0) throw new Error(`unknown kernel ${name}: ${names.join(', ')}`);
const bytes = fs.readFileSync(file || path.join(__dirname, 'kernels.wasm'));
const { run } = new WebAssembly.Instance(new WebAssembly.Module(bytes)).exports;
const start = performance.now();
const result = run(k, Number(n));
console.log(`${name}(${n}) = ${result} in ${(performance.now() - start).toFixed(1)} ms`);
