// Linking instances through shared objects: one memory shared by JS and two instances
// (stores and growth from every side), exported memories imported elsewhere, identity of
// re-exported memories, data segments and start functions acting on the shared memory, and
// link-time type checks.
const assert = require('jsrt:assert');
const fs = require('jsrt:fs');
const fixture = (name) => new WebAssembly.Module(fs.readFileSync(`${__dirname}/fixtures/${name}.wasm`));

const shared = fixture('shared-memory');
const memory = new WebAssembly.Memory({ initial: 1, maximum: 10 });
const a = new WebAssembly.Instance(shared, { env: { mem: memory } }).exports;
const b = new WebAssembly.Instance(shared, { env: { mem: memory } }).exports;
// Re-exports are the very same Memory object.
assert.strictEqual(a.mem, memory);
assert.strictEqual(b.mem, memory);
// Data segments of each importer were written into the shared memory.
const text = (m, at, n) => String.fromCharCode(...new Uint8Array(m.buffer, at, n));
assert.strictEqual(text(memory, 16, 5), 'hello');
// Three parties, one memory.
a.store(1, 7);
assert.strictEqual(b.load(1), 7);
assert.strictEqual(new Uint8Array(memory.buffer)[1], 7);
new Uint8Array(memory.buffer)[2] = 9;
assert.strictEqual(a.load(2), 9);
// Growth from wasm (B) detaches JS's buffer and is seen by A; growth from JS is seen by both.
const before = memory.buffer;
assert.strictEqual(b.grow(1), 1);
assert.strictEqual(before.byteLength, 0);
assert.strictEqual(memory.buffer.byteLength, 2 * 65536);
a.store(65536 + 5, 3);
assert.strictEqual(b.load(65536 + 5), 3);
assert.strictEqual(memory.grow(2), 2);
assert.strictEqual(a.grow(0), 4);
assert.strictEqual(b.load(65536 + 5), 3);
assert.strictEqual(b.grow(7), -1); // past the maximum of 10
assert.strictEqual(memory.buffer.byteLength, 4 * 65536);

// A memory exported by one instance, imported by another.
const owner = new WebAssembly.Instance(fixture('memory')).exports;
owner.store(16, 0x41);
const user = new WebAssembly.Instance(shared, { env: { mem: owner.mem } }).exports;
assert.strictEqual(user.mem, owner.mem);
assert.strictEqual(owner.load(16), 'h'.charCodeAt(0)); // user's data segment landed in owner's memory
user.store(3, 99);
assert.strictEqual(owner.load(3), 99);

// The start function runs after linking, so it sees the shared memory.
const mem2 = new WebAssembly.Memory({ initial: 1 });
new Uint8Array(mem2.buffer)[9] = 5;
let reported;
new WebAssembly.Instance(fixture('start-reads-memory'), { env: { mem: mem2, report: (v) => { reported = v; } } });
assert.strictEqual(reported, 12); // 7 from its data segment + 5 written by JS

// A data segment out of bounds fails instantiation with RuntimeError, after earlier writes.
const mem3 = new WebAssembly.Memory({ initial: 1 });
assert.throws(() => new WebAssembly.Instance(fixture('data-oob'), { env: { mem: mem3 } }), WebAssembly.RuntimeError);
assert.strictEqual(text(mem3, 0, 2), 'ok');

// Link-time checks.
const link = (mem) => () => new WebAssembly.Instance(shared, { env: { mem } });
assert.throws(link(new WebAssembly.Memory({ initial: 0, maximum: 10 })), WebAssembly.LinkError); // too small
assert.throws(link(new WebAssembly.Memory({ initial: 1 })), WebAssembly.LinkError); // no maximum
assert.throws(link(new WebAssembly.Memory({ initial: 1, maximum: 11 })), WebAssembly.LinkError); // maximum too large
assert.throws(link({ buffer: new ArrayBuffer(65536) }), WebAssembly.LinkError); // not a Memory
assert.throws(link(42), WebAssembly.LinkError);
new WebAssembly.Instance(shared, { env: { mem: new WebAssembly.Memory({ initial: 3, maximum: 5 }) } });

// Memories, instances and modules are freed when unreachable: RSS stays flat over many.
const rss = () => process.memoryUsage().rss;
for (let i = 0; i < 2000; i++) new WebAssembly.Instance(shared, { env: { mem: new WebAssembly.Memory({ initial: 1, maximum: 2 }) } });
const start = rss();
for (let i = 0; i < 10000; i++) {
  const m = new WebAssembly.Memory({ initial: 1, maximum: 2 });
  new WebAssembly.Instance(shared, { env: { mem: m } }).exports.store(0, i & 0xff);
}
const grown = rss() - start;
assert.ok(grown < 8 * 1024 * 1024, `RSS grew by ${grown} bytes over 10,000 instances`);
console.log('wasm linking ok');
