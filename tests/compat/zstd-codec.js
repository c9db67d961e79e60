// zstd-codec (Zstandard in C, emscripten): simple and streaming compression, dictionaries off;
// the frames decompress under both runtimes the same.
const { ZstdCodec } = require('zstd-codec');
const assert = require('node:assert');

ZstdCodec.run((zstd) => {
  const simple = new zstd.Simple();
  const text = Buffer.from(Array.from({ length: 5000 }, (_, i) => `line ${i} ${i % 7 ? 'abc' : 'xyz'}\n`).join(''));
  for (const level of [1, 3, 19]) {
    const c = simple.compress(text, level);
    assert.deepEqual(Buffer.from(simple.decompress(c)), text);
    console.log('level', level, c.length, Buffer.from(c.subarray(0, 4)).toString('hex'));
  }
  const streaming = new zstd.Streaming();
  const c = streaming.compress(text, 3);
  const chunks = [];
  for (let i = 0; i < c.length; i += 100) chunks.push(c.subarray(i, i + 100));
  const d = streaming.decompressChunks(chunks);
  assert.deepEqual(Buffer.from(d), text);
  console.log('streaming', c.length, d.length);
  console.log('corrupt', simple.decompress(Buffer.from('garbage data here')));
});
