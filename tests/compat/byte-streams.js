// Byte streams (type: 'bytes'): BYOB readers filling the reader's own buffer (views of other
// element types, `min`, partial fills carried over in the queue), the source's byobRequest
// (respond, respondWithNewView), enqueue() into pending reads, autoAllocateChunkSize for
// default readers, close with reads pending, cancel, errors, buffers detached as in the spec.
const show = (r) => `${r.done ? 'done' : 'value'} ${r.value?.constructor.name}(${r.value ? Array.from(r.value instanceof DataView ? new Uint8Array(r.value.buffer, r.value.byteOffset, r.value.byteLength) : r.value).join(',') : ''})`;

(async () => {
  // A source that answers byobRequest with a counter.
  let n = 0;
  const counting = new ReadableStream({
    type: 'bytes',
    pull(c) {
      const req = c.byobRequest;
      const v = req.view;
      const k = Math.min(v.byteLength, 3);
      for (let i = 0; i < k; i++) v[i] = ++n;
      req.respond(k);
      if (n >= 12) c.close();
    },
  });
  const reader = counting.getReader({ mode: 'byob' });
  const mine = new Uint8Array(8);
  const r1 = await reader.read(mine);
  console.log('byob', show(r1), 'caller buffer detached:', mine.byteLength === 0, r1.value.buffer.byteLength);
  console.log('min 5', show(await reader.read(new Uint8Array(8), { min: 5 })));
  console.log('u16', show(await reader.read(new Uint16Array(2))));
  console.log('dataview', show(await reader.read(new DataView(new ArrayBuffer(2)))));
  for (;;) {
    const r = await reader.read(new Uint8Array(4));
    console.log('rest', show(r));
    if (r.done) break;
  }

  // enqueue() with BYOB reads pending, and leftovers carried to the next read.
  let ctl;
  const pushed = new ReadableStream({ type: 'bytes', start(c) { ctl = c; } });
  const pr = pushed.getReader({ mode: 'byob' });
  const pending = pr.read(new Uint8Array(4));
  const chunk = new Uint8Array([1, 2, 3, 4, 5, 6]);
  ctl.enqueue(chunk);
  console.log('enqueued into a pending read', show(await pending), 'chunk detached:', chunk.byteLength === 0);
  console.log('leftover', show(await pr.read(new Uint8Array(10))));
  ctl.enqueue(new Uint8Array([7]));
  ctl.close();
  console.log('odd byte for u16 read then close:', await pr.read(new Uint16Array(1)).then(show, (e) => e.constructor.name));

  // respondWithNewView.
  const nv = new ReadableStream({ type: 'bytes', pull(c) { const v = c.byobRequest.view; const w = new Uint8Array(v.buffer, v.byteOffset, 2); w.set([9, 8]); c.byobRequest.respondWithNewView(w); } });
  console.log('respondWithNewView', show(await nv.getReader({ mode: 'byob' }).read(new Uint8Array(5))));

  // Default readers on byte streams: enqueued chunks, and autoAllocateChunkSize.
  const auto = new ReadableStream({ type: 'bytes', autoAllocateChunkSize: 4, pull(c) { const v = c.byobRequest.view; v.fill(5); c.byobRequest.respond(v.byteLength); c.close(); } });
  const ar = auto.getReader();
  console.log('autoAllocate', show(await ar.read()), show(await ar.read()));
  const plain = new ReadableStream({ type: 'bytes', start(c) { c.enqueue(new Uint8Array([1, 2])); c.enqueue(new Uint16Array([258])); c.close(); } });
  const chunks = [];
  for await (const c of plain) chunks.push(`${c.constructor.name}:${Array.from(c)}`);
  console.log('default reader', chunks.join(' '));

  // close with a read pending, cancel, errors.
  let later;
  const closing = new ReadableStream({ type: 'bytes', start(c) { later = c; } });
  const cr = closing.getReader({ mode: 'byob' });
  const waiting = cr.read(new Uint8Array(3));
  later.close();
  later.byobRequest?.respond(0);
  console.log('closed while waiting', show(await waiting));
  const cancelling = new ReadableStream({ type: 'bytes', cancel(reason) { console.log('source cancelled:', reason); } });
  const xr = cancelling.getReader({ mode: 'byob' });
  const xp = xr.read(new Uint8Array(2));
  await xr.cancel('enough');
  console.log('read after cancel', show(await xp));
  const bad = [
    () => new ReadableStream().getReader({ mode: 'byob' }),
    () => new ReadableStream({ type: 'bytes', start(c) { c.enqueue(new Uint8Array(0)); } }),
    () => new ReadableStream({ type: 'bytes', autoAllocateChunkSize: 0 }),
  ];
  for (const f of bad) try { f(); console.log('no error'); } catch (e) { console.log('error', e.constructor.name); }
  const er = new ReadableStream({ type: 'bytes' }).getReader({ mode: 'byob' });
  console.log(await er.read(new Uint8Array(0)).catch((e) => e.constructor.name), await er.read(new Uint8Array(2), { min: 3 }).catch((e) => e.constructor.name));
  const failing = new ReadableStream({ type: 'bytes', pull(c) { c.error(new Error('source failed')); } });
  console.log(await failing.getReader({ mode: 'byob' }).read(new Uint8Array(2)).catch((e) => e.message));
  console.log(typeof ReadableStreamBYOBReader, typeof ReadableByteStreamController, typeof ReadableStreamBYOBRequest);
})();
