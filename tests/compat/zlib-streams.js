// zlib's stream forms and the web's CompressionStream/DecompressionStream, chunk by chunk:
// output that leaves before the input has ended, 8 MB through gzip and gunzip in a pipeline,
// every format round-tripped through streams fed in small pieces, Node's one-shot output
// decompressed by a stream and back, truncated and corrupt input as 'error' events.
const zlib = require('node:zlib');
const crypto = require('node:crypto');
const { pipeline, Readable, Writable } = require('node:stream');

const sha = (b) => crypto.createHash('sha256').update(b).digest('hex').slice(0, 16);
// Incompressible-ish bytes (a keyed hash stream) and text.
const noise = Buffer.concat(Array.from({ length: 64 }, (_, i) => crypto.createHash('sha512').update(String(i)).digest()));
const text = Buffer.from('The quick brown fox jumps over the lazy dog. '.repeat(20000));

function pieces(buf, n) {
  const out = [];
  for (let i = 0; i < buf.length; i += n) out.push(buf.subarray(i, i + n));
  return out;
}

function through(stream, input, n) {
  return new Promise((resolve) => {
    const out = [];
    stream.on('data', (d) => out.push(d));
    stream.on('end', () => resolve(Buffer.concat(out)));
    stream.on('error', (e) => resolve(e));
    for (const p of pieces(input, n)) stream.write(p);
    stream.end();
  });
}

(async () => {
  // Output before the end: 1 MB of noise through gzip, nothing ended yet.
  const gz = zlib.createGzip();
  let early = 0;
  gz.on('data', (d) => { early += d.length; });
  for (let i = 0; i < 16; i++) gz.write(Buffer.concat(Array(16).fill(noise)));
  await new Promise((r) => setTimeout(r, 50));
  console.log('gzip output before end():', early > 0, gz instanceof zlib.Gzip, typeof zlib.Gzip);
  gz.end();
  await new Promise((r) => gz.on('end', r));

  // 8 MB through a pipeline gzip -> gunzip.
  let total = 0;
  const hash = crypto.createHash('sha256');
  const big = Readable.from((function* () { for (let i = 0; i < 128; i++) yield Buffer.concat([noise, text.subarray(0, 57344)]); })());
  await new Promise((resolve) => pipeline(big, zlib.createGzip({ level: 1 }), zlib.createGunzip(), new Writable({
    write(chunk, enc, cb) { total += chunk.length; hash.update(chunk); cb(); },
  }), (err) => { console.log('pipeline', err ?? 'ok', total, hash.digest('hex').slice(0, 16)); resolve(); }));

  // Each format, fed 1000 bytes at a time, and Node's one-shot output read back.
  for (const [c, d, sync, unsync] of [['createGzip', 'createGunzip', 'gzipSync', 'gunzipSync'], ['createDeflate', 'createInflate', 'deflateSync', 'inflateSync'], ['createDeflateRaw', 'createInflateRaw', 'deflateRawSync', 'inflateRawSync'], ['createBrotliCompress', 'createBrotliDecompress', 'brotliCompressSync', 'brotliDecompressSync']]) {
    const packed = await through(zlib[c](), text, 1000);
    const back = await through(zlib[d](), packed, 7);
    const fromSync = await through(zlib[d](), zlib[sync](text), 333);
    console.log(c, sha(back) === sha(text), sha(fromSync) === sha(text), sha(zlib[unsync](packed)) === sha(text));
  }
  const unzipped = await Promise.all([zlib.gzipSync(text), zlib.deflateSync(text)].map((b) => through(zlib.createUnzip(), b, 1)));
  console.log('unzip', unzipped.map((b) => sha(b) === sha(text)).join());

  // Errors.
  const gzipped = zlib.gzipSync(text);
  for (const [name, stream, input] of [
    ['truncated gzip', zlib.createGunzip(), gzipped.subarray(0, gzipped.length - 20)],
    ['not gzip', zlib.createGunzip(), text.subarray(0, 100)],
    ['not zlib', zlib.createInflate(), text.subarray(0, 100)],
    ['corrupt brotli', zlib.createBrotliDecompress(), Buffer.from('definitely not brotli data')],
  ]) {
    const r = await through(stream, input, 50);
    // (Brotli's error codes are its decoder's own: only the message is compared.)
    console.log(name, r instanceof Error ? `${name.includes('brotli') ? '' : r.code} ${r.message}` : 'no error');
  }

  // Web streams, fed in 7-byte pieces.
  for (const format of ['gzip', 'deflate', 'deflate-raw']) {
    const compressed = await new Response(new Blob([text]).stream().pipeThrough(new CompressionStream(format))).arrayBuffer();
    const ds = new DecompressionStream(format);
    const w = ds.writable.getWriter();
    for (const p of pieces(Buffer.from(compressed), 7)) w.write(p);
    w.close();
    const back = Buffer.from(await new Response(ds.readable).arrayBuffer());
    console.log(format, sha(back) === sha(text), compressed.byteLength < text.length / 10);
  }
  const fromNode = zlib.gzipSync(text);
  const viaWeb = Buffer.from(await new Response(new Blob([fromNode]).stream().pipeThrough(new DecompressionStream('gzip'))).arrayBuffer());
  console.log('node gzip -> DecompressionStream', sha(viaWeb) === sha(text));
  const bad = new DecompressionStream('gzip');
  const bw = bad.writable.getWriter();
  bw.write(new Uint8Array([1, 2, 3, 4])).catch(() => {});
  bw.close().catch(() => {});
  await new Response(bad.readable).arrayBuffer().then(() => console.log('bad gzip: no error'), (e) => console.log('bad gzip:', e.constructor.name));
})();
