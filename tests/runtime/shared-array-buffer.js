// jsrt-flags: --expose-gc
// SharedArrayBuffers are reference-counted blocks jsrt allocates (builtins/sab.rs), so
// growable ones work: `new SharedArrayBuffer(n, { maxByteLength })`, `growable`,
// `maxByteLength`, `grow` (never shrinking), length-tracking views; resizable ArrayBuffers
// (`resize`, `transfer`) as well. Values as in Node (which has no `transfer` in v20).
const assert = require('jsrt:assert');

const sab = new SharedArrayBuffer(8, { maxByteLength: 16 });
assert.deepStrictEqual([sab.growable, sab.byteLength, sab.maxByteLength], [true, 8, 16]);
const tracking = new Uint8Array(sab);
const fixed = new Uint8Array(sab, 0, 4);
tracking.set([1, 2, 3, 4, 5, 6, 7, 8]);
sab.grow(12);
assert.deepStrictEqual([sab.byteLength, tracking.length, fixed.length], [12, 12, 4]);
assert.deepStrictEqual([...tracking], [1, 2, 3, 4, 5, 6, 7, 8, 0, 0, 0, 0]);
assert.throws(() => sab.grow(10), RangeError); // no shrinking
assert.throws(() => sab.grow(17), RangeError); // past the maximum
sab.grow(16);
assert.strictEqual(tracking.length, 16);
// Atomics work on it, and a slice is a new (fixed-length) SharedArrayBuffer.
const words = new Int32Array(sab);
assert.strictEqual(Atomics.add(words, 3, 5), 0);
assert.strictEqual(Atomics.load(words, 3), 5);
assert.strictEqual(Atomics.compareExchange(words, 3, 5, 9), 5);
const part = sab.slice(0, 4);
assert.ok(part instanceof SharedArrayBuffer);
assert.deepStrictEqual([part.byteLength, part.growable, [...new Uint8Array(part)].join()], [4, false, '1,2,3,4']);
// A fixed-length SharedArrayBuffer cannot grow.
const plain = new SharedArrayBuffer(4);
assert.deepStrictEqual([plain.growable, plain.maxByteLength], [false, 4]);
assert.throws(() => plain.grow(8), TypeError);
assert.throws(() => new SharedArrayBuffer(8, { maxByteLength: 4 }), RangeError);

// Resizable ArrayBuffers.
const ab = new ArrayBuffer(8, { maxByteLength: 16 });
assert.deepStrictEqual([ab.resizable, ab.maxByteLength], [true, 16]);
new Uint8Array(ab).set([9, 8, 7]);
ab.resize(12);
assert.deepStrictEqual([ab.byteLength, [...new Uint8Array(ab)].slice(0, 4).join()], [12, '9,8,7,0']);
ab.resize(2);
assert.strictEqual(new Uint8Array(ab).length, 2);
const moved = ab.transfer(4);
assert.deepStrictEqual([ab.detached, moved.byteLength, [...new Uint8Array(moved)].join()], [true, 4, '9,8,0,0']);

// Many buffers made and dropped: their blocks are freed (the last reference frees).
gc();
const before = process.memoryUsage().rss;
for (let i = 0; i < 2000; i++) new SharedArrayBuffer(64 * 1024, { maxByteLength: 128 * 1024 }).grow(100 * 1024);
gc();
const grown = (process.memoryUsage().rss - before) / 2 ** 20;
assert.ok(grown < 64, `2,000 dropped SharedArrayBuffers kept ${grown.toFixed(1)} MiB`);
console.log('shared array buffers ok');
