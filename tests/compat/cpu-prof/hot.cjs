// The program the CPU profiler test profiles (tests/compat.rs, "compat/cpu-prof"), under jsrt
// and Node with --cpu-prof: for a while, alternately wasm (a recursion, a loop) and JS, then
// an idle wait on a timer.
'use strict';
const fs = require('fs');
const path = require('path');
const bytes = fs.readFileSync(path.join(__dirname, '../fixtures/prof/kernels.wasm'));
const kernels = new WebAssembly.Instance(new WebAssembly.Module(bytes));

function jsLoop(n) {
  let s = 0;
  for (let i = 0; i < n; i++) s = (s + i * i) % 1000003;
  return s;
}

function runWasm() {
  return kernels.exports.fib(22) + kernels.exports.spin(200000);
}

// Time-bound so that jsrt and Node both spend a good share of it in each part.
const budgetMs = 600;
const start = Date.now();
let rounds = 0;
while (Date.now() - start < budgetMs) {
  let t = Date.now();
  while (Date.now() - t < 10) runWasm();
  t = Date.now();
  while (Date.now() - t < 10) jsLoop(20000);
  rounds++;
}
setTimeout(() => console.log('rounds > 0:', rounds > 0), 150);
