// A worker that serves http and is terminated while a request waits for its answer, and one
// that ends with a fetched body unread: the main thread's own server goes on.
const http = require('http');
const { Worker } = require('worker_threads');
const main = http.createServer((req, res) => res.end('main ok'));
main.listen(0, '127.0.0.1', async () => {
  const w = new Worker(`
    const http = require('http');
    const { parentPort } = require('worker_threads');
    const s = http.createServer(() => { parentPort.postMessage('holding'); });
    s.listen(0, '127.0.0.1', () => parentPort.postMessage(s.address().port));
  `, { eval: true });
  const port = await new Promise((r) => w.once('message', r));
  const pending = fetch(`http://127.0.0.1:${port}/`).then(() => 'answered', () => 'failed');
  await new Promise((r) => w.once('message', r));
  await w.terminate();
  console.log('request to the ended worker:', await pending);
  const w2 = new Worker(`
    const { parentPort, workerData } = require('worker_threads');
    fetch(workerData).then((r) => parentPort.postMessage(r.status));
  `, { eval: true, workerData: `http://127.0.0.1:${main.address().port}/` });
  console.log('worker fetched', await new Promise((r) => w2.once('message', r)));
  await new Promise((r) => w2.once('exit', r));
  console.log(await (await fetch(`http://127.0.0.1:${main.address().port}/`)).text());
  main.close();
});
