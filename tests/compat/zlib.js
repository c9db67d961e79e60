// node:zlib compared with Node (crates/jsrt/tests/compat.rs): decompressing what Node
// compressed (fixtures/zlib, made by Node's zlib), round trips of every format at several
// levels, the callback forms, crc32, and the errors of bad input. (That Node reads what jsrt
// compresses is checked by compat.rs's zlib-cross trial.)
const zlib = require('node:zlib');
const fs = require('fs');
const dir = `${__dirname}/fixtures/zlib`;
const out = (...a) => console.log(a.map((x) => (typeof x === 'string' ? x : JSON.stringify(x))).join(' '));
const sum = (b) => zlib.crc32(b).toString(16);

out('node.gz', sum(zlib.gunzipSync(fs.readFileSync(`${dir}/node.gz`))));
out('node.gz unzip', sum(zlib.unzipSync(fs.readFileSync(`${dir}/node.gz`))));
out('node.deflate', sum(zlib.inflateSync(fs.readFileSync(`${dir}/node.deflate`))));
out('node.deflate unzip', sum(zlib.unzipSync(fs.readFileSync(`${dir}/node.deflate`))));
out('node.raw', sum(zlib.inflateRawSync(fs.readFileSync(`${dir}/node.raw`))));
out('node.br', sum(zlib.brotliDecompressSync(fs.readFileSync(`${dir}/node.br`))));
out('two members', zlib.gunzipSync(fs.readFileSync(`${dir}/two-members.gz`)).toString());

const data = Buffer.from(Array.from({ length: 20000 }, (_, i) => (i * 7919) % 251));
const pairs = [['gzip', 'gunzip'], ['deflate', 'inflate'], ['deflateRaw', 'inflateRaw'], ['brotliCompress', 'brotliDecompress']];
for (const [c, d] of pairs) {
  for (const level of [undefined, 0, 1, 9]) {
    const opts = level === undefined ? undefined : c.startsWith('brotli') ? { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: level } } : { level };
    const packed = zlib[`${c}Sync`](data, opts);
    out('round trip', c, level ?? 'default', Buffer.isBuffer(packed), zlib[`${d}Sync`](packed).equals(data));
  }
}
out('strings', zlib.gunzipSync(zlib.gzipSync('héllo')).toString(), zlib.crc32('héllo'), zlib.crc32('llo', zlib.crc32('hé')), zlib.crc32(''));
out('crc32 check', zlib.crc32('123456789').toString(16));

const tryIt = (label, f) => { try { f(); out(label, 'no error'); } catch (e) { out(label, e.name, e.code, e.errno, e.message); } };
tryIt('gunzip garbage', () => zlib.gunzipSync(Buffer.from('not gzip at all')));
tryIt('inflate garbage', () => zlib.inflateSync(Buffer.from('nope')));
tryIt('gunzip truncated', () => zlib.gunzipSync(zlib.gzipSync(data).subarray(0, 100)));
tryIt('bad level', () => zlib.gzipSync(data, { level: 42 }));
tryIt('bad input', () => zlib.gzipSync(42));

zlib.gzip(data, (err, packed) => {
  out('callback gzip', err, zlib.gunzipSync(packed).equals(data));
  zlib.gunzip(Buffer.from('bad'), (e2) => {
    out('callback error', e2.code);
    zlib.deflate('abc', { level: 1 }, (e3, d) => out('callback options', e3, zlib.inflateSync(d).toString()));
  });
});
