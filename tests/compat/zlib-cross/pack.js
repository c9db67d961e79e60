// Run by jsrt (crates/jsrt/tests/compat.rs, trial zlib-cross): compresses the same data in
// every format into the directory given as argument, for unpack.js to read under Node.
const zlib = require('zlib');
const fs = require('fs');
const dir = process.argv[2];
const data = Buffer.from(Array.from({ length: 50000 }, (_, i) => (i * 31 + (i >> 7)) % 256));
fs.writeFileSync(`${dir}/data`, data);
fs.writeFileSync(`${dir}/x.gz`, zlib.gzipSync(data));
fs.writeFileSync(`${dir}/x9.gz`, zlib.gzipSync(data, { level: 9 }));
fs.writeFileSync(`${dir}/x.deflate`, zlib.deflateSync(data));
fs.writeFileSync(`${dir}/x.raw`, zlib.deflateRawSync(data, { level: 1 }));
fs.writeFileSync(`${dir}/x.br`, zlib.brotliCompressSync(data));
console.log('packed');
