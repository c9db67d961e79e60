// fetch of data: URLs (base64 and percent-encoded, media types, errors) and of blob: URLs from
// URL.createObjectURL, and instantiateStreaming over a data: URL — compared with Node
// (crates/jsrt/tests/compat.rs).
(async () => {
  const tries = ['data:,Hello%2C%20World%21', 'data:text/plain;base64,SGVsbG8sIFdvcmxkIQ==', 'data:application/wasm;base64,AGFzbQEAAAA=', 'data: ;base64,QUJD', 'data:text/html,%3Ch1%3Ehi', 'data:;charset=utf-8,x', 'data:image/png ; BASE64 ,QUJD', 'data:text/plain;base64,QUJ', 'data:text/plain;base64,Q', 'data:nocomma', 'data:text/plain,a#frag', 'data:application/json,{"a":1}'];
  for (const u of tries) {
    try { const r = await fetch(u); const b = new Uint8Array(await r.arrayBuffer()); console.log(JSON.stringify(u), r.status, r.statusText, JSON.stringify(r.headers.get('content-type')), r.url === u, Array.from(b).join(',')); }
    catch (e) { console.log(JSON.stringify(u), e.name, e.message); }
  }
  const blob = new Blob(['hi there'], { type: 'text/x-test' });
  const url = URL.createObjectURL(blob);
  console.log(url.slice(0, 14), typeof URL.revokeObjectURL);
  try { const r = await fetch(url); console.log('blob', r.status, r.headers.get('content-type'), await r.text()); } catch (e) { console.log('blob fetch', e.name, e.message, e.cause && e.cause.message); }
  const { instance } = await WebAssembly.instantiateStreaming(fetch('data:application/wasm;base64,AGFzbQEAAAABBQFgAAF/AwIBAAcFAQFmAAAKBgEEAEEqCw=='));
  console.log(instance.exports.f());
})();
