// hash-wasm (hashes compiled to wasm): digests of a 1 MiB buffer against the known values
// (md5 and sha256 match Node's crypto; the others are the algorithms' reference outputs).
import assert from 'node:assert';
import { md5, sha1, sha256, blake3, xxhash64 } from 'hash-wasm';

const data = new Uint8Array(1 << 20);
for (let i = 0; i < data.length; i++) data[i] = (i * 31) & 255;
assert.strictEqual(await md5(data), '556a3d7acb98dff84459ab5b0473497e');
assert.strictEqual(await sha1(data), 'e4c0c1809610d372ee8be7c20e85f7b055daff83');
assert.strictEqual(await sha256(data), '1c15b634397059fc8b634d6723502f0e5433e6c9f8d60e40d9128451a9f80c0f');
assert.strictEqual(await blake3(data), '5c86e8238999ae74e0b51e5503847b03db808a185a1c7e6a3b95816ed8cf2305');
assert.strictEqual(await xxhash64(data), 'ff9907a58797ee04');
assert.strictEqual(await sha256('abc'), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
console.log('hash-wasm ok');
