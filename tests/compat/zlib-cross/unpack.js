// Run by Node after pack.js ran under jsrt: every file decompresses to the data.
const zlib = require('zlib');
const fs = require('fs');
const dir = process.argv[2];
const data = fs.readFileSync(`${dir}/data`);
const checks = { 'x.gz': zlib.gunzipSync, 'x9.gz': zlib.gunzipSync, 'x.deflate': zlib.inflateSync, 'x.raw': zlib.inflateRawSync, 'x.br': zlib.brotliDecompressSync };
for (const [file, unpack] of Object.entries(checks)) {
  console.log(file, unpack(fs.readFileSync(`${dir}/${file}`)).equals(data));
}
