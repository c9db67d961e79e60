// jsrt examples/wasm/fibonacci.js [n]: computes fib(n) in WebAssembly and prints the time taken.
const path = require('jsrt:path');
const { wasmFromWat } = require('./wat.js');

const n = Number(process.argv[2] ?? 30);
const wasmModule = new WebAssembly.Module(wasmFromWat(path.join(__dirname, 'fibonacci.wat')));
const { fib, fib64 } = new WebAssembly.Instance(wasmModule).exports;
const start = performance.now();
const result = fib(n);
const ms = performance.now() - start;
console.log(`fib(${n}) = ${result} (${ms.toFixed(1)} ms in WebAssembly)`);
console.log(`fib64(90) = ${fib64(90n)} (i64 as BigInt)`);
