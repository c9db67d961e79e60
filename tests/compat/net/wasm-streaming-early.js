// compileStreaming fails as soon as the bytes that have come are invalid, without waiting for
// the rest of the body: the loopback server sends a module header and a section id no module
// has, then nothing for 10 s. jsrt only (run by compat.rs): Node 20 reads the whole body first
// (then reports the cut connection as a TypeError); browsers' V8 fails early, as jsrt does.
const base = process.argv[2];
(async () => {
  const verdict = await WebAssembly.compileStreaming(fetch(`${base}/wasm-bad-then-hang`)).then(() => 'compiled', (e) => `${e.constructor.name}: ${e.message}`);
  console.log(verdict);
  // The same bytes given whole: the same error.
  const bytes = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 0x7f, 1, 0]);
  console.log(await WebAssembly.compile(bytes).catch((e) => `${e.constructor.name}: ${e.message}`));
})();
