// blake3-wasm (Rust, wasm-bindgen --target nodejs): BLAKE3 hashes, keyed hashes, key derivation.
const blake3 = require('blake3-wasm');
const assert = require('node:assert');

console.log(blake3.hash('hello world').toString('hex'));
console.log(blake3.hash('', { length: 64 }).toString('hex'));
const data = Buffer.alloc(1 << 20, 0).map((_, i) => (i * 13) & 255);
const h = blake3.createHash();
for (let i = 0; i < data.length; i += 65537) h.update(data.subarray(i, i + 65537));
const digest = h.digest('hex');
assert.equal(digest, blake3.hash(data).toString('hex'));
console.log(digest);
const key = Buffer.alloc(32, 7);
console.log(blake3.keyedHash(key, 'message').toString('hex'));
console.log(blake3.deriveKey('jsrt compat 2026', 'material').toString('base64'));
