// Workers leave nothing behind: 300 workers started and ended (half by terminate() while
// busy, half on their own), each with a wasm instance, a SharedArrayBuffer from the main
// thread and a port, keep the process's RSS flat (a worker's runtime, thread and ports are
// freed). Also: a worker's deadlock does not hold the process once it is unref'd.
const assert = require('jsrt:assert');
const { Worker } = require('jsrt:worker_threads');

const rss = () => process.memoryUsage().rss / 1048576;
const sab = new SharedArrayBuffer(64);
const code = `
  const { parentPort, workerData } = require('worker_threads');
  const i = new WebAssembly.Instance(new WebAssembly.Module(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 5, 3, 1, 0, 1])));
  Atomics.add(new Int32Array(workerData), 0, 1);
  parentPort.postMessage('up');
  if (Math.random() < 2) for (;;) {}
`;

(async () => {
  let base;
  for (let n = 0; n < 300; n++) {
    const w = new Worker(code, { eval: true, workerData: sab });
    await new Promise((r) => w.once('message', r));
    assert.strictEqual(await w.terminate(), 1);
    if (n === 30) base = rss();
  }
  const grown = rss() - base;
  assert.strictEqual(Atomics.load(new Int32Array(sab), 0), 300);
  assert.ok(grown < 20, `RSS grew ${grown.toFixed(1)} MiB over 270 workers`);

  // A worker blocked forever, unref'd: the process still ends.
  const stuck = new Worker('Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0)', { eval: true });
  stuck.unref();
  console.log('worker lifecycle ok', grown.toFixed(1));
})();
