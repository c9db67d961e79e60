// A wasm worker pool over one shared WebAssembly.Memory, compared with Node: the compiled
// WebAssembly.Module and the shared memory are posted to two workers (shared, not copied),
// each sums its half of an array with atomics and notifies; the main thread waits in wasm
// (memory.atomic.wait32) until both are done. Also: a worker grows the memory and the main
// thread sees it. Fixture: fixtures/worker-pool.wat.
const { Worker } = require('worker_threads');
const fs = require('fs');
const path = require('path');

const wasmModule = new WebAssembly.Module(fs.readFileSync(path.join(__dirname, 'fixtures', 'worker-pool.wasm')));
const memory = new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true });
const ints = new Int32Array(memory.buffer);
for (let i = 2; i < ints.length; i++) ints[i] = i;
const main = new WebAssembly.Instance(wasmModule, { env: { memory } }).exports;

const code = `
  const { parentPort } = require('worker_threads');
  parentPort.once('message', ({ module, memory, from, to }) => {
    const ok = module instanceof WebAssembly.Module && memory instanceof WebAssembly.Memory && memory.buffer instanceof SharedArrayBuffer;
    new WebAssembly.Instance(module, { env: { memory } }).exports.sum(from, to);
    parentPort.postMessage(ok);
  });
`;
const half = ints.length >> 1;
const workers = [[2, half], [half, ints.length]].map(([from, to]) => {
  const w = new Worker(code, { eval: true });
  w.postMessage({ module: wasmModule, memory, from, to });
  return w;
});
const total = main.waitDone(2);
let expected = 0;
for (let i = 2; i < ints.length; i++) expected = (expected + i) | 0;
console.log('total', total, total === expected, 'done', Atomics.load(ints, 1));
let oks = 0;
for (const w of workers) w.on('message', (ok) => { if (ok) oks++; });
Promise.all(workers.map((w) => new Promise((r) => w.on('exit', r)))).then((codes) => {
  console.log('workers ok', oks, 'exit codes', codes);
  // Growth in a worker is seen by the main thread.
  const growable = new WebAssembly.Memory({ initial: 1, maximum: 3, shared: true });
  const g = new Worker(`require('worker_threads').parentPort.once('message', (m) => { m.grow(2); new Int32Array(m.buffer)[40000] = 9; })`, { eval: true });
  g.postMessage(growable);
  g.on('exit', () => console.log('grown', growable.buffer.byteLength / 65536, new Int32Array(growable.buffer)[40000]));
});
