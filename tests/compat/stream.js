// node:stream compared with Node (crates/jsrt/tests/compat.rs): Readable.from and async
// iteration, flowing and paused modes, Transform in pipelines (callback and promise forms),
// backpressure and 'drain', errors through a pipeline, setEncoding across split characters,
// write after end, destroy; pipe() of a fast source into a slow sink; fs streams; zlib streams.
const { Readable, Writable, Transform, PassThrough, pipeline, finished } = require('stream');
const { pipeline: pp } = require('stream/promises');
const log = (...a) => console.log(a.map((x) => (typeof x === 'string' ? x : JSON.stringify(x))).join(' '));
(async () => {
  // Readable.from + async iteration
  const got = [];
  for await (const x of Readable.from(['a', 'b', 'c'])) got.push(x);
  log('from', got);
  // custom Readable in flowing mode with events
  let n = 0;
  const r = new Readable({ read() { n++; this.push(n <= 3 ? `chunk${n}` : null); } });
  const ev = [];
  r.on('data', (d) => ev.push(['data', d.toString()]));
  await new Promise((res) => r.on('end', () => { ev.push(['end']); res(); }));
  await new Promise((res) => setImmediate(res));
  log('flowing', ev, r.readableEnded, r.destroyed);
  // Transform upper-casing through pipeline into a Writable collecting
  const chunks = [];
  const up = new Transform({ transform(c, e, cb) { cb(null, c.toString().toUpperCase()); } });
  const sink = new Writable({ write(c, e, cb) { chunks.push(c.toString()); cb(); } });
  await pp(Readable.from(['x', 'y', 'z']), up, sink);
  log('pipeline', chunks, sink.writableFinished);
  // backpressure: highWaterMark 2 in objectMode, write returns false, drain fires
  const slow = new Writable({ objectMode: true, highWaterMark: 2, write(c, e, cb) { setTimeout(cb, 1); } });
  const rets = [1, 2, 3].map((i) => slow.write(i));
  await new Promise((res) => slow.once('drain', res));
  log('backpressure', rets, slow.writableLength);
  slow.end();
  await new Promise((res) => finished(slow, res));
  log('finished', slow.writableFinished);
  // errors through pipeline
  const bad = new Transform({ transform(c, e, cb) { cb(new Error('nope')); } });
  pipeline(Readable.from(['q']), bad, new PassThrough(), (err) => log('pipeline error', err && err.message));
  await new Promise((res) => setTimeout(res, 10));
  // paused mode: 'readable' + read()
  const p = new PassThrough();
  p.write('hello ');
  p.end('world');
  let text = '';
  p.on('readable', () => { let c; while ((c = p.read()) !== null) text += c; });
  await new Promise((res) => p.on('end', res));
  log('paused', text);
  // setEncoding, Buffer chunks
  const enc = new PassThrough();
  enc.setEncoding('utf8');
  const parts = [];
  enc.on('data', (d) => parts.push(typeof d));
  enc.write(Buffer.from([0xe2, 0x82]));
  enc.end(Buffer.from([0xac]));
  await new Promise((res) => enc.on('end', res));
  log('encoding', parts);
  // write after end
  const w2 = new Writable({ write(c, e, cb) { cb(); } });
  w2.end();
  w2.on('error', (e) => log('write after end', e.code));
  w2.write('x');
  await new Promise((res) => setTimeout(res, 5));
  // destroy with error
  const d = new Readable({ read() {} });
  d.on('error', (e) => log('destroy error', e.message));
  d.on('close', () => log('closed', d.destroyed));
  d.destroy(new Error('gone'));
  await new Promise((res) => setTimeout(res, 5));
  // pipe: a fast source into a slow sink keeps order and honours backpressure
  const order = [];
  const fast = Readable.from(Array.from({ length: 50 }, (_, i) => i));
  const slowSink = new Writable({ objectMode: true, highWaterMark: 4, write(c, e, cb) { order.push(c); setImmediate(cb); } });
  fast.pipe(slowSink);
  await new Promise((res) => slowSink.on('finish', res));
  log('pipe order', order.length, order.every((v, i) => v === i));
  // fs streams and zlib streams
  const fs = require('fs');
  const zlib = require('zlib');
  const os = require('os');
  const file = `${os.tmpdir()}/jsrt-stream-${process.pid}.txt`;
  await pp(Readable.from(['line 1\n', 'line 2\n', 'é€😀\n'.repeat(1000)]), fs.createWriteStream(file));
  const back = [];
  for await (const c of fs.createReadStream(file, { highWaterMark: 1024, encoding: 'utf8' })) back.push(c.length);
  log('fs streams', fs.statSync(file).size, back.length > 1, back.reduce((a, b) => a + b, 0));
  await pp(fs.createReadStream(file), zlib.createGzip(), fs.createWriteStream(`${file}.gz`));
  const unzipped = zlib.gunzipSync(fs.readFileSync(`${file}.gz`));
  log('zlib stream', unzipped.equals(fs.readFileSync(file)));
  const roundTrip = [];
  await pp(fs.createReadStream(`${file}.gz`), zlib.createGunzip(), new Writable({ write(c, e, cb) { roundTrip.push(c); cb(); } }));
  log('gunzip stream', Buffer.concat(roundTrip).equals(fs.readFileSync(file)));
  fs.rmSync(file);
  fs.rmSync(`${file}.gz`);
  // process.stdout at the end of a pipeline, last (Node ends a piped stdout there, so nothing
  // can be printed after it).
  pipeline(Readable.from(['to stdout\n']), process.stdout, () => {});
})();
