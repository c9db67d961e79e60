// Asynchronous APIs: compile (off the JS thread), both instantiate overloads,
// compileStreaming/instantiateStreaming over fetch of file: URLs, rejections.
const assert = require('jsrt:assert');
const fs = require('jsrt:fs');
const path = require('jsrt:path');
const bytes = fs.readFileSync(path.join(__dirname, 'fixtures/add.wasm'));

(async () => {
  const p = WebAssembly.compile(bytes);
  assert.ok(p instanceof Promise);
  const m = await p;
  assert.ok(m instanceof WebAssembly.Module);
  assert.strictEqual(new WebAssembly.Instance(m).exports.add(1, 2), 3);

  // instantiate(bytes) -> { module, instance }
  const r = await WebAssembly.instantiate(bytes, {});
  assert.deepStrictEqual(Object.keys(r).sort(), ['instance', 'module']);
  assert.ok(r.module instanceof WebAssembly.Module && r.instance instanceof WebAssembly.Instance);
  assert.strictEqual(r.instance.exports.add(20, 22), 42);
  // instantiate(module) -> Instance
  const inst = await WebAssembly.instantiate(m);
  assert.ok(inst instanceof WebAssembly.Instance);
  assert.strictEqual(inst.exports.add(2, 2), 4);

  // Many compiles in flight at once.
  const many = await Promise.all(Array.from({ length: 32 }, () => WebAssembly.compile(bytes)));
  assert.strictEqual(many.length, 32);

  // Errors reject instead of throwing.
  await assert.rejects(WebAssembly.compile(new Uint8Array([1, 2, 3])), WebAssembly.CompileError);
  await assert.rejects(WebAssembly.compile('nope'), TypeError);
  await assert.rejects(WebAssembly.instantiate(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 0xff])), WebAssembly.CompileError);
  const importing = fs.readFileSync(path.join(__dirname, 'fixtures/imports.wasm'));
  await assert.rejects(WebAssembly.instantiate(importing, {}), TypeError);
  await assert.rejects(WebAssembly.instantiate(importing, { env: {} }), WebAssembly.LinkError);
  await assert.rejects(WebAssembly.instantiate(bytes, 7), TypeError);

  // Streaming from a Response (fetch of a file gives application/wasm).
  const url = new URL('fixtures/add.wasm', `file://${__filename}`);
  const sm = await WebAssembly.compileStreaming(fetch(url));
  assert.ok(sm instanceof WebAssembly.Module);
  const si = await WebAssembly.instantiateStreaming(fetch(url.href));
  assert.strictEqual(si.instance.exports.add(5, 6), 11);
  const resp = new Response(bytes, { headers: { 'content-type': 'application/wasm' } });
  assert.ok((await WebAssembly.instantiateStreaming(resp)).instance instanceof WebAssembly.Instance);
  await assert.rejects(WebAssembly.compileStreaming(new Response(bytes)), TypeError);
  await assert.rejects(WebAssembly.compileStreaming(Promise.resolve(42)), TypeError);

  // The event loop keeps running while a compile is pending.
  let ticked = false;
  setTimeout(() => { ticked = true; }, 0);
  await WebAssembly.compile(bytes);
  await new Promise((res) => setTimeout(res, 5));
  assert.ok(ticked);
  console.log('wasm async ok');
})();
