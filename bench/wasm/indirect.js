// call_indirect of a function of the same instance vs of another instance (1,000,000 each),
// through a table filled from JS. Runs under jsrt and node.
const fs = require('node:fs');
const path = require('node:path');
const which = process.argv[2] ?? 'both';
const mod = new WebAssembly.Module(fs.readFileSync(path.join(__dirname, 'indirect.wasm')));
const a = new WebAssembly.Instance(mod).exports;
const b = new WebAssembly.Instance(mod).exports;
a.tbl.set(0, a.inc);
a.tbl.set(1, b.inc);
const N = 1_000_000;
for (const [slot, what] of [[0, 'own'], [1, 'other']]) {
  if (which !== 'both' && which !== what) continue;
  const t = performance.now();
  const r = a.loop(slot, N);
  console.log(`call_indirect (${what} instance): ${N} calls in ${(performance.now() - t).toFixed(1)} ms (${r})`);
}
