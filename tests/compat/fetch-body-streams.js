// Bodies of Response and Request as streams (fetch spec): body is always a ReadableStream or null,
// a ReadableStream as a body, bodyUsed after reading, clone() of a stream body (tee), locked and
// non-byte streams, a Request's stream body (duplex: 'half'). Compared with Node.
const enc = new TextEncoder();
(async () => {
  const rs = () => new ReadableStream({ start(c) { c.enqueue(enc.encode('ab')); c.enqueue(enc.encode('cd')); c.close(); } });
  console.log(await new Response(rs()).text());
  const r = new Response('hello');
  console.log(r.body instanceof ReadableStream, r.bodyUsed);
  const chunks = [];
  for await (const c of r.body) chunks.push(c);
  console.log(chunks.map((c) => c.constructor.name + c.length), r.bodyUsed);
  await r.text().catch((e) => console.log(e.name, e.message));
  console.log(new Response(null).body, new Response('').body instanceof ReadableStream);
  const r2 = new Response(rs());
  const c2 = r2.clone();
  console.log(await r2.text(), await c2.text(), r2.bodyUsed, c2.bodyUsed);
  const r3 = new Response('xyz'); const c3 = r3.clone(); console.log(await r3.text(), await c3.text());
  const r4 = new Response(rs()); r4.body.getReader();
  await r4.text().catch((e) => console.log(e.name, e.message));
  try { new Request('http://x/', { method: 'POST', body: rs() }); } catch (e) { console.log(e.name, e.message); }
  const q = new Request('http://x/', { method: 'POST', body: rs(), duplex: 'half' });
  console.log(await q.text());
  const bad = new Response(new ReadableStream({ start(c) { c.enqueue('str'); c.close(); } }));
  await bad.text().catch((e) => console.log(e.name, e.message));
  console.log(await new Response(new Blob(['bl', 'ob'])).text(), (await new Response(new Uint8Array([1,2,3])).arrayBuffer()).byteLength);
})();
