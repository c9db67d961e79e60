// xxhash-wasm (hand-written wat): xxHash32/64 of strings and bytes, one-shot and streaming.
import xxhash from 'xxhash-wasm';
import assert from 'node:assert';

const { h32, h64, h32Raw, h64Raw, create32, create64 } = await xxhash();
console.log(h32('hello world').toString(16), h64('hello world').toString(16));
console.log(h32('', 0).toString(16), h64('abc', 42n).toString(16));
const bytes = new Uint8Array(1 << 20).map((_, i) => (i * 31 + (i >> 8)) & 255);
console.log(h32Raw(bytes).toString(16), h64Raw(bytes).toString(16));
const s = create64(7n);
for (let i = 0; i < bytes.length; i += 4099) s.update(bytes.subarray(i, i + 4099));
const streamed = s.digest();
assert.equal(streamed, h64Raw(bytes, 7n));
const s32 = create32(1).update('hello ').update('world').digest();
assert.equal(s32, h32('hello world', 1));
console.log(streamed.toString(16), s32.toString(16));
