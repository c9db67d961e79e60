// Worker costs, the same script under jsrt and node (bench/workers/run):
//   start     — start a worker that posts one message back and ends, one after another
//   roundtrip — postMessage round trips of a 1 KiB string between the main thread and a worker
//   stream    — one-way throughput of 1 KiB Uint8Array messages, main thread -> worker
//   parallel N — a wasm kernel (kernel.wat) split over N workers sharing one memory; prints
//               the wall time (compare N=1 with N=2)
const { Worker } = require('node:worker_threads');
const fs = require('node:fs');
const path = require('node:path');
const mode = process.argv[2] ?? 'start';
const arg = Number(process.argv[3] ?? 0);
const now = () => performance.now();
const once = (w, ev) => new Promise((r) => w.once(ev, r));

async function start(n = arg || 100) {
  const t = now();
  for (let i = 0; i < n; i++) {
    const w = new Worker("require('node:worker_threads').parentPort.postMessage(1)", { eval: true });
    await once(w, 'message');
    await once(w, 'exit');
  }
  console.log(`start: ${((now() - t) / n).toFixed(2)} ms per worker (start, one message, exit)`);
}

async function roundtrip(n = arg || 10000) {
  const w = new Worker("const { parentPort } = require('node:worker_threads'); parentPort.on('message', (m) => m === null ? parentPort.close() : parentPort.postMessage(m));", { eval: true });
  const msg = 'x'.repeat(1024);
  await new Promise((resolve) => {
    let left = n;
    w.on('message', () => (--left === 0 ? resolve() : w.postMessage(msg)));
    globalThis.t0 = now();
    w.postMessage(msg);
  });
  console.log(`roundtrip: ${(((now() - globalThis.t0) * 1000) / n).toFixed(1)} us per 1 KiB round trip`);
  w.postMessage(null);
}

async function stream(n = arg || 100000) {
  const w = new Worker(`const { parentPort } = require('node:worker_threads'); let k = 0; parentPort.on('message', () => { if (++k === ${n}) { parentPort.postMessage(k); parentPort.close(); } });`, { eval: true });
  const buf = new Uint8Array(1024);
  const t = now();
  for (let i = 0; i < n; i++) w.postMessage(buf);
  await once(w, 'message');
  const s = (now() - t) / 1000;
  console.log(`stream: ${Math.round(n / s)} messages/s (1 KiB each, ${(n / 1024 / s).toFixed(1)} MiB/s)`);
}

async function parallel(n = arg || 1) {
  const module = new WebAssembly.Module(fs.readFileSync(path.join(__dirname, 'kernel.wasm')));
  const memory = new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true });
  const total = 2_000_000, rounds = 200;
  const code = `const { parentPort } = require('node:worker_threads');
    parentPort.once('message', ({ module, memory, from, to, rounds }) => {
      new WebAssembly.Instance(module, { env: { memory } }).exports.work(from, to, rounds);
      parentPort.postMessage('done');
    });`;
  const workers = Array.from({ length: n }, () => new Worker(code, { eval: true }));
  await Promise.all(workers.map((w) => once(w, 'online')));
  const t = now();
  const share = Math.ceil(total / n);
  workers.forEach((w, i) => w.postMessage({ module, memory, from: i * share, to: Math.min(total, (i + 1) * share), rounds }));
  await Promise.all(workers.map((w) => once(w, 'message')));
  console.log(`parallel ${n}: ${(now() - t).toFixed(0)} ms (result ${new Int32Array(memory.buffer)[0]})`);
  await Promise.all(workers.map((w) => w.terminate()));
}

({ start, roundtrip, stream, parallel })[mode]().catch((e) => { console.error(e); process.exit(1); });
