// The JS <-> wasm boundary: 1,000,000 calls from JS into an exported function, and 1,000,000
// calls from wasm into an imported JS function. Runs under jsrt and node.
const fs = require('node:fs');
const path = require('node:path');
const which = process.argv[2] ?? 'both';
const bytes = fs.readFileSync(path.join(__dirname, 'calls.wasm'));
let sum = 0;
const { add, loop } = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { inc: (x) => { sum += x; } } }).exports;
const N = 1_000_000;
if (which !== 'import') {
  let acc = 0;
  const t = performance.now();
  for (let i = 0; i < N; i++) acc = add(acc, 1);
  console.log(`JS -> wasm: ${N} calls in ${(performance.now() - t).toFixed(1)} ms (${acc})`);
}
if (which !== 'export') {
  const t = performance.now();
  loop(N);
  console.log(`wasm -> JS: ${N} calls in ${(performance.now() - t).toFixed(1)} ms (${sum})`);
}
