// WHATWG streams, compared with Node: ReadableStream with pull and backpressure, readers,
// async iteration, tee, ReadableStream.from, WritableStream with a writer, pipeTo and
// pipeThrough a TransformStream, cancel and errors, TextEncoderStream/TextDecoderStream,
// CompressionStream round trips, queuing strategies, stream/web.
const web = require('stream/web');

async function collect(rs) {
  const out = [];
  for await (const chunk of rs) out.push(chunk);
  return out;
}

async function main() {
  console.log('same classes', web.ReadableStream === ReadableStream, typeof web.TransformStream);

  // pull with a high-water mark of 2: the source is asked as the queue drains.
  const pulls = [];
  let n = 0;
  const counted = new ReadableStream({
    pull(c) {
      pulls.push(n);
      if (n === 5) c.close();
      else c.enqueue(n++);
    },
  }, new CountQueuingStrategy({ highWaterMark: 2 }));
  const reader = counted.getReader();
  const first = await reader.read();
  console.log('first', first, 'locked', counted.locked);
  reader.releaseLock();
  console.log('rest', await collect(counted), 'pulls', pulls.length >= 5);

  // start/enqueue/close, desiredSize.
  let ctrl;
  const manual = new ReadableStream({ start(c) { ctrl = c; } });
  console.log('desiredSize', ctrl.desiredSize);
  ctrl.enqueue('a');
  ctrl.enqueue('b');
  console.log('desiredSize after 2', ctrl.desiredSize);
  ctrl.close();
  console.log('manual', await collect(manual));

  // tee.
  const [t1, t2] = ReadableStream.from([1, 2, 3]).tee();
  console.log('tee', await collect(t1), await collect(t2));

  // from an async generator.
  async function* gen() { yield 'x'; yield 'y'; }
  console.log('from', await collect(ReadableStream.from(gen())));

  // WritableStream with a writer.
  const written = [];
  const ws = new WritableStream({
    write(chunk) { written.push(chunk); },
    close() { written.push('<closed>'); },
  });
  const writer = ws.getWriter();
  await writer.write('one');
  await writer.write('two');
  await writer.close();
  console.log('written', written);

  // pipeThrough a TransformStream, pipeTo a WritableStream.
  const upper = new TransformStream({
    transform(chunk, c) { c.enqueue(chunk.toUpperCase()); },
    flush(c) { c.enqueue('!'); },
  });
  const sink = [];
  await ReadableStream.from(['a', 'b', 'c']).pipeThrough(upper).pipeTo(new WritableStream({ write(c) { sink.push(c); } }));
  console.log('piped', sink.join(''));

  // Text streams: a multi-byte character split across chunks.
  const bytes = new TextEncoder().encode('héllo wörld €');
  const parts = [bytes.slice(0, 2), bytes.slice(2, 9), bytes.slice(9)];
  const text = await collect(ReadableStream.from(parts).pipeThrough(new TextDecoderStream()));
  console.log('decoded', text.join(''));
  const encoded = await collect(ReadableStream.from(['ab', 'ç']).pipeThrough(new TextEncoderStream()));
  console.log('encoded', encoded.map((u) => [...u]));

  // Compression round trips.
  for (const format of ['gzip', 'deflate', 'deflate-raw']) {
    const input = new TextEncoder().encode('compress me '.repeat(50));
    const packed = await collect(ReadableStream.from([input]).pipeThrough(new CompressionStream(format)));
    const unpacked = await collect(ReadableStream.from(packed).pipeThrough(new DecompressionStream(format)));
    const total = unpacked.reduce((k, u) => k + u.length, 0);
    console.log(format, 'round trip', total, new TextDecoder().decode(unpacked[0]).slice(0, 12));
  }

  // cancel reaches the source; errors reach readers.
  let cancelled;
  const c = new ReadableStream({ pull(ctl) { ctl.enqueue(1); }, cancel(reason) { cancelled = reason; } });
  await c.cancel('enough');
  console.log('cancelled', cancelled);
  const failing = new ReadableStream({ start(ctl) { ctl.error(new TypeError('bad source')); } });
  try {
    await failing.getReader().read();
  } catch (e) {
    console.log('read error', e.name, e.message);
  }
  const sizes = new ByteLengthQueuingStrategy({ highWaterMark: 16 });
  console.log('strategy', sizes.highWaterMark, sizes.size(new Uint8Array(5)));
  try {
    counted.getReader();
    new ReadableStream().getReader().releaseLock();
    const locked = new ReadableStream();
    locked.getReader();
    locked.getReader();
  } catch (e) {
    console.log('locked twice', e.name);
  }
}

main().catch((e) => {
  console.log('FAILED', e);
  process.exitCode = 1;
});
