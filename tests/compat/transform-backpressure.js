// TransformStream backpressure: the order of writes, transforms and reads.
const log = [];
(async () => {
  const ts = new TransformStream({
    transform(chunk, c) { log.push(`transform ${chunk} desired=${c.desiredSize}`); c.enqueue(chunk * 10); },
    flush() { log.push('flush'); },
  });
  const writer = ts.writable.getWriter();
  const reader = ts.readable.getReader();
  log.push(`writable desired ${writer.desiredSize}`);
  const writes = [1, 2, 3].map((n) => writer.write(n));
  await new Promise((r) => setTimeout(r, 10));
  log.push('after 10 ms, nothing read yet');
  for (let i = 0; i < 3; i++) {
    const { value } = await reader.read();
    log.push(`read ${value}`);
  }
  await Promise.all(writes);
  log.push("all written");
  writer.close();
  log.push(`done ${(await reader.read()).done}`);
  // With a readable high-water mark of 2, two chunks go through before anyone reads.
  const ts2 = new TransformStream({}, undefined, { highWaterMark: 2 });
  const w2 = ts2.writable.getWriter();
  let n = 0;
  for (const c of ['a', 'b', 'c', 'd']) w2.write(c).then(() => n++);
  await new Promise((r) => setTimeout(r, 10));
  log.push(`hwm 2: ${n} writes done before reading, readable desired ${ts2.readable.locked}`);
  // An erroring reader side: cancel reaches the writable.
  const ts3 = new TransformStream();
  const w3 = ts3.writable.getWriter();
  await ts3.readable.cancel(new Error('no more'));
  await w3.write('x').catch((e) => log.push(`write after cancel: ${e.message}`));
  console.log(log.join('\n'));
})();
