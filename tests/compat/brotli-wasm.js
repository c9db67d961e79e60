// brotli-wasm (Rust brotli crate, wasm-bindgen): compress and decompress, whole and streamed,
// checked against node:zlib's brotli both ways.
const brotliPromise = require('brotli-wasm');
const zlib = require('node:zlib');
const assert = require('node:assert');

(async () => {
  const brotli = await brotliPromise;
  const text = Buffer.from('The quick brown fox jumps over the lazy dog. '.repeat(2000));
  for (const quality of [1, 6, 11]) {
    const c = brotli.compress(text, { quality });
    assert.deepEqual(Buffer.from(brotli.decompress(c)), text);
    assert.deepEqual(zlib.brotliDecompressSync(c), text);
    console.log('quality', quality, c.length);
  }
  const fromZlib = zlib.brotliCompressSync(text);
  assert.deepEqual(Buffer.from(brotli.decompress(fromZlib)), text);
  // The streaming API, 1 KiB in at a time, output in 256-byte pieces.
  const cs = new brotli.CompressStream(5);
  const parts = [];
  for (let i = 0; i < text.length; i += 1024) {
    let input = text.subarray(i, i + 1024);
    for (;;) {
      const r = cs.compress(input, 256);
      parts.push(Buffer.from(r.buf));
      if (r.code !== brotli.BrotliStreamResultCode.NeedsMoreOutput) break;
      input = input.subarray(r.input_offset);
    }
  }
  for (;;) {
    const r = cs.compress(undefined, 256);
    parts.push(Buffer.from(r.buf));
    if (r.code === brotli.BrotliStreamResultCode.ResultSuccess) break;
  }
  const streamed = Buffer.concat(parts);
  assert.deepEqual(zlib.brotliDecompressSync(streamed), text);
  console.log('streamed', streamed.length);
  try {
    brotli.decompress(Buffer.from('not brotli at all'));
  } catch (e) {
    console.log('corrupt input:', String(e.message ?? e));
  }
})();
