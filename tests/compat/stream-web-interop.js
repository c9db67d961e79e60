// Node streams <-> web streams: Readable.toWeb/fromWeb (bytes and objects, errors), Writable.toWeb/
// fromWeb (backpressure through 'drain' and the writer), pipeThrough a TextDecoderStream, Duplex.toWeb/
// fromWeb over a PassThrough and a TransformStream, a bad argument. Compared with Node.
const { Readable, Writable, Duplex, PassThrough } = require('node:stream');
const { setTimeout: sleep } = require('node:timers/promises');
(async () => {
  // Readable -> web
  const r = Readable.from(['a', 'bc', 'def'].map((s) => Buffer.from(s)));
  const web = Readable.toWeb(r);
  const got = [];
  for await (const c of web) got.push(c.constructor.name + ':' + Buffer.from(c).toString());
  console.log('toWeb', got.join(' '));
  const objs = Readable.toWeb(Readable.from([{ a: 1 }, { b: 2 }]));
  const or = objs.getReader();
  console.log('toWeb objects', JSON.stringify((await or.read()).value), JSON.stringify((await or.read()).value), (await or.read()).done);
  // web -> Readable
  const rs = new ReadableStream({ start(c) { c.enqueue(new TextEncoder().encode('hello ')); c.enqueue(new TextEncoder().encode('world')); c.close(); } });
  const nr = Readable.fromWeb(rs, { encoding: 'utf8' });
  let text = '';
  for await (const c of nr) text += c;
  console.log('fromWeb', JSON.stringify(text));
  const erroring = new ReadableStream({ pull(c) { c.error(new Error('web boom')); } });
  await new Promise((resolve) => Readable.fromWeb(erroring).on('error', (e) => { console.log('fromWeb error', e.message); resolve(); }).resume());
  // Writable -> web
  const chunks = [];
  const w = new Writable({ highWaterMark: 4, write(chunk, enc, cb) { chunks.push(chunk.toString()); setTimeout(cb, 5); } });
  const ws = Writable.toWeb(w);
  const writer = ws.getWriter();
  for (const s of ['one', 'two', 'three']) await writer.write(new TextEncoder().encode(s));
  await writer.close();
  console.log('toWeb writable', chunks.join(','), w.writableFinished);
  // web -> Writable
  const sink = [];
  const target = new WritableStream({ write(c) { sink.push(new TextDecoder().decode(c)); return sleep(2); } });
  const nw = Writable.fromWeb(target);
  nw.write('x');
  nw.write(Buffer.from('y'));
  await new Promise((resolve) => nw.end('z', resolve));
  console.log('fromWeb writable', sink.join(','));
  // pipeTo through both
  const src = Readable.from(['1', '2', '3'].map((s) => Buffer.from(s)));
  const out = [];
  await Readable.toWeb(src).pipeThrough(new TextDecoderStream()).pipeTo(new WritableStream({ write(c) { out.push(c); } }));
  console.log('pipeThrough', out.join('|'));
  // Duplex
  const pt = new PassThrough();
  const pair = Duplex.toWeb(pt);
  const dw = pair.writable.getWriter();
  await dw.write(new TextEncoder().encode('through'));
  await dw.close();
  let back = '';
  for await (const c of pair.readable) back += new TextDecoder().decode(c);
  console.log('Duplex.toWeb', back);
  const ts = new TransformStream({ transform(c, ctl) { ctl.enqueue(new TextEncoder().encode(new TextDecoder().decode(c).toUpperCase())); } });
  const d = Duplex.fromWeb(ts, { encoding: 'utf8' });
  let up = '';
  d.on('data', (c) => { up += c; });
  d.on('end', () => console.log('Duplex.fromWeb', up));
  d.write('shout ');
  d.end('loud');
  try { Readable.fromWeb({}); } catch (e) { console.log(e.code); }
})();
