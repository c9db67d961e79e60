// fetch over http: (crates/jsrt/tests/compat.rs starts a loopback server and passes its base
// URL; compared with Node). Status, headers, text/json/arrayBuffer, a chunked body read as it
// arrives, redirects (follow, manual, error), POST bodies, a 1 MB body, AbortSignal before the
// response and during the body, a refused connection, instantiateStreaming over http (whole, and a byte
// at a time).
const base = process.argv[2];

async function main() {
  const r = await fetch(`${base}/hello`);
  console.log(r.status, r.statusText, r.ok, r.headers.get('content-type'), r.headers.get('x-test'), r.headers.get('x-test-2'), r.url === `${base}/hello`, r.redirected);
  console.log(await r.text(), r.bodyUsed);

  const j = await fetch(`${base}/json`);
  console.log(j.status, j.statusText, await j.json());

  const m = await fetch(`${base}/missing`);
  console.log(m.status, m.ok, m.statusText, await m.text());

  const chunks = [];
  const c = await fetch(`${base}/chunked`);
  const reader = c.body.getReader();
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    chunks.push(new TextDecoder().decode(value));
  }
  console.log('chunked', chunks.join(''), chunks.length >= 1);

  const f = await fetch(`${base}/redirect`);
  console.log('follow', f.status, f.redirected, f.url === `${base}/hello`, await f.text());
  const man = await fetch(`${base}/redirect`, { redirect: 'manual' });
  console.log('manual', man.status, man.headers.get('location'));
  try {
    await fetch(`${base}/redirect`, { redirect: 'error' });
  } catch (e) {
    console.log('error mode', e.name, e.message);
  }

  const p = await fetch(`${base}/echo`, { method: 'POST', body: 'posted text', headers: { 'x-kind': 'text' } });
  console.log('echo', await p.text());
  const pb = await fetch(`${base}/echo`, { method: 'PUT', body: new Uint8Array([104, 105]), headers: [['x-kind', 'bytes']] });
  console.log('echo', await pb.text());

  const big = new Uint8Array(await (await fetch(`${base}/big`)).arrayBuffer());
  let sum = 0;
  for (const b of big) sum = (sum + b) % 1000003;
  console.log('big', big.length, sum);

  const ac = new AbortController();
  setTimeout(() => ac.abort(), 100);
  try {
    await fetch(`${base}/hang`, { signal: ac.signal });
  } catch (e) {
    console.log('aborted before the response', e.name);
  }
  const ac2 = new AbortController();
  const slow = await fetch(`${base}/slow`, { signal: ac2.signal });
  const pending = slow.text();
  setTimeout(() => ac2.abort(), 100);
  try {
    await pending;
  } catch (e) {
    console.log('aborted during the body', e.name);
  }
  for (const url of ['http://127.0.0.1:1/', `http://127.0.0.1:${process.argv[3]}/`]) {
    try {
      await fetch(url);
    } catch (e) {
      const c = e.cause;
      console.log('failed', e.name, e.message, c.message.replace(/:\d+$/, ':PORT'), c.code, c.syscall, c.address, typeof c.port);
    }
  }

  const { instance } = await WebAssembly.instantiateStreaming(fetch(`${base}/wasm`));
  console.log('wasm', instance.exports.answer());
  // Compiled while it arrives a byte at a time.
  const trickled = await WebAssembly.instantiateStreaming(fetch(`${base}/wasm-trickle`));
  console.log('wasm trickled', trickled.instance.exports.answer());

  // fetch in a worker (every thread shares the one network thread).
  const { Worker } = require('worker_threads');
  const w = new Worker(`const { parentPort, workerData } = require('worker_threads');
    fetch(workerData + '/json').then((r) => r.json()).then((j) => parentPort.postMessage(j));`, { eval: true, workerData: base });
  const [fromWorker] = await require('events').once(w, 'message');
  console.log('worker fetched', fromWorker);
}

main().catch((e) => {
  console.log('FAILED', e);
  process.exitCode = 1;
});
