// WebAssembly.Memory: exported and JS-created memories, buffers that view linear memory
// without copying, grow from JS and from wasm with detaching, limits and bad arguments.
const assert = require('jsrt:assert');
const fs = require('jsrt:fs');
const fixture = (name) => new WebAssembly.Module(fs.readFileSync(`${__dirname}/fixtures/${name}.wasm`));

const e = new WebAssembly.Instance(fixture('memory')).exports;
const mem = e.mem;
assert.ok(mem instanceof WebAssembly.Memory);
assert.strictEqual(e.mem, mem); // the same object every time
assert.strictEqual(Object.prototype.toString.call(mem), '[object WebAssembly.Memory]');
assert.strictEqual(mem.buffer.byteLength, 65536);
assert.strictEqual(mem.buffer, mem.buffer); // same ArrayBuffer until it grows

// Writes through JS are seen by wasm and the other way round (no copies).
const u8 = new Uint8Array(mem.buffer);
u8[100] = 0xab;
assert.strictEqual(e.load(100), 0xab);
e.store(200, 77);
assert.strictEqual(u8[200], 77);
new DataView(mem.buffer).setUint32(300, 0x01020304, true);
assert.strictEqual(e.load(300), 4);

// Growing from wasm detaches the old buffer; data is kept.
const before = mem.buffer;
assert.strictEqual(e.grow(1), 1);
assert.strictEqual(before.byteLength, 0);
assert.strictEqual(u8.length, 0);
assert.strictEqual(mem.buffer.byteLength, 2 * 65536);
assert.notStrictEqual(mem.buffer, before);
assert.strictEqual(new Uint8Array(mem.buffer)[100], 0xab);

// Growing from JS returns the old size in pages and detaches too.
const b2 = mem.buffer;
assert.strictEqual(mem.grow(1), 2);
assert.strictEqual(b2.byteLength, 0);
assert.strictEqual(mem.buffer.byteLength, 3 * 65536);
assert.strictEqual(e.size(), 3);
const b3 = mem.buffer;
assert.strictEqual(mem.grow(0), 3); // grow(0) still refreshes the buffer
assert.strictEqual(b3.byteLength, 0);
// Past the maximum: RangeError from JS, -1 in wasm.
assert.throws(() => mem.grow(2), RangeError);
assert.strictEqual(e.grow(5), -1);
assert.strictEqual(e.grow(1), 3);
assert.strictEqual(e.size(), 4);

// A module that never grows its memory still has a growable, page-sized memory.
const ng = new WebAssembly.Instance(fixture('nogrow')).exports;
assert.strictEqual(ng.mem.buffer.byteLength, 2 * 65536);
assert.strictEqual(ng.first(), 'h'.charCodeAt(0));
assert.strictEqual(ng.mem.grow(3), 2);
assert.strictEqual(ng.mem.buffer.byteLength, 5 * 65536);
assert.throws(() => ng.mem.grow(1), RangeError);

// JS-created memories.
const m = new WebAssembly.Memory({ initial: 1, maximum: 3 });
assert.strictEqual(m.buffer.byteLength, 65536);
new Uint8Array(m.buffer)[5] = 9;
assert.strictEqual(m.grow(2), 1);
assert.strictEqual(new Uint8Array(m.buffer)[5], 9);
assert.strictEqual(m.buffer.byteLength, 3 * 65536);
assert.throws(() => m.grow(1), RangeError);
assert.strictEqual(new WebAssembly.Memory({ initial: 0 }).buffer.byteLength, 0);
assert.strictEqual(new WebAssembly.Memory({ minimum: 2 }).buffer.byteLength, 2 * 65536);

// Bad descriptors and arguments.
assert.throws(() => WebAssembly.Memory({ initial: 1 }), TypeError);
assert.throws(() => new WebAssembly.Memory(), TypeError);
assert.throws(() => new WebAssembly.Memory(1), TypeError);
assert.throws(() => new WebAssembly.Memory({}), TypeError);
assert.throws(() => new WebAssembly.Memory({ initial: -1 }), TypeError);
assert.throws(() => new WebAssembly.Memory({ initial: NaN }), TypeError);
assert.throws(() => new WebAssembly.Memory({ initial: 2 ** 32 }), TypeError);
assert.throws(() => new WebAssembly.Memory({ initial: 65537 }), RangeError);
assert.throws(() => new WebAssembly.Memory({ initial: 2, maximum: 1 }), RangeError);
assert.throws(() => new WebAssembly.Memory({ initial: 1, maximum: 65537 }), RangeError);
assert.throws(() => m.grow(-1), TypeError);
assert.throws(() => m.grow('lots'), TypeError);
assert.throws(() => WebAssembly.Memory.prototype.grow.call({}, 1), TypeError);
assert.throws(() => Reflect.get(WebAssembly.Memory.prototype, 'buffer', {}), TypeError);
// A 4 GiB memory can be created, but its buffer is over QuickJS's ArrayBuffer limit: a
// RangeError, not an abort.
assert.throws(() => new WebAssembly.Memory({ initial: 65536, maximum: 65536 }).buffer, RangeError);
console.log('wasm memory ok');
