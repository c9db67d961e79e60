// Shared memories (the threads proposal) on one thread, compared with Node: a shared
// WebAssembly.Memory's buffer is a frozen SharedArrayBuffer over the memory, replaced (not
// detached) when it grows; the atomic instructions; wait/notify with no other thread;
// link-time checks of sharedness. Fixtures: fixtures/shared-memory*.wat.
const fs = require('fs');
const path = require('path');
const load = (name) => new WebAssembly.Module(fs.readFileSync(path.join(__dirname, 'fixtures', name)));
const kind = (f) => {
  try {
    return f();
  } catch (err) {
    return err.constructor.name;
  }
};

// A memory JS makes.
const mem = new WebAssembly.Memory({ initial: 1, maximum: 4, shared: true });
const first = mem.buffer;
console.log(Object.prototype.toString.call(first), first.byteLength, Object.isFrozen(first), first === mem.buffer);
console.log('growable', first.growable, 'maxByteLength', first.maxByteLength);
console.log(kind(() => new WebAssembly.Memory({ initial: 1, shared: true })));
console.log(kind(() => new WebAssembly.Memory({ initial: 5, maximum: 4, shared: true })));
console.log(kind(() => new WebAssembly.Memory({ initial: 1, maximum: 65537, shared: true })));
const view = new Int32Array(first);
Atomics.store(view, 0, 7);

// A module importing it: JS and wasm see one memory.
const e = new WebAssembly.Instance(load('shared-memory.wasm'), { env: { mem } }).exports;
console.log('load', e.load(0), 'add', e.add(0, 5), e.add(0, 5), 'js sees', Atomics.load(view, 0));
console.log('cas', e.cas(0, 17, 100), e.cas(0, 1, 2), e.load(0));
console.log('sub64', e.sub64(8, 1n), e.sub64(8, 1n), new BigInt64Array(mem.buffer)[1]);
console.log('xchg8', e.xchg8(16, 0x1ff), e.xchg8(16, 3), 'load16', e.load16(16));
e.store(20, -1);
console.log('store', view[5], Atomics.compareExchange(view, 5, -1, 9), e.load(20));
e.fence();
// No other thread: a wait ends at its timeout (or at once when the value differs).
console.log('wait32', e.wait32(0, 100, 0n), e.wait32(0, 1, 0n), e.wait32(0, 100, 2000000n));
console.log('wait64', e.wait64(8, -2n, 0n), e.wait64(8, 5n, 0n), 'notify', e.notify(0, 1), e.notify(0, 0));
console.log('JS Atomics.notify', Atomics.notify(view, 0, 1));
// One waiter list per address for JS and wasm: wasm's notify wakes JS's waitAsync waiters,
// oldest first, and JS's notify counts them the same way.
const w1 = Atomics.waitAsync(view, 1, 0);
const w2 = Atomics.waitAsync(view, 1, 0, 60000);
const w3 = Atomics.waitAsync(view, 1, 0, 30);
console.log('waitAsync', w1.async, w2.async, w3.async, Atomics.waitAsync(view, 1, 5).value);
console.log('wasm notify wakes JS', e.notify(4, 1));
w1.value.then((v) => console.log('w1', v));
w2.value.then((v) => console.log('w2', v));
w3.value.then((v) => console.log('w3', v));
setTimeout(() => console.log('after w3 timed out, JS notify', Atomics.notify(view, 1), 'wasm notify', e.notify(4, 1)), 100);
// Traps.
console.log(kind(() => e.load(2)), kind(() => e.add(65536 * 4, 1)), kind(() => e.wait32(1, 0, 0n)));
// Growth from wasm and from JS: old buffers keep their length, new ones see the new size.
console.log('size', e.size(), 'grow', e.grow(1), first.byteLength, mem.buffer.byteLength, first === mem.buffer);
const second = mem.buffer;
console.log('grow', mem.grow(1), second.byteLength, mem.buffer.byteLength, e.size(), e.grow(1), e.grow(0));
console.log(kind(() => mem.grow(1)), new Int32Array(mem.buffer)[0] === view[0]);

// Sharedness must match at link time.
const unshared = new WebAssembly.Memory({ initial: 1, maximum: 4 });
console.log(kind(() => new WebAssembly.Instance(load('shared-memory.wasm'), { env: { mem: unshared } })));
// The import's maximum (4) is below the memory's (5).
const smaller = load('shared-memory.wasm');
console.log(kind(() => new WebAssembly.Instance(smaller, { env: { mem: new WebAssembly.Memory({ initial: 1, maximum: 5, shared: true }) } })));

// A module that defines and exports a shared memory.
const x = new WebAssembly.Instance(load('shared-memory-export.wasm')).exports;
const xb = x.m.buffer;
console.log(Object.prototype.toString.call(xb), xb.byteLength, Object.isFrozen(xb), x.m instanceof WebAssembly.Memory);
console.log(String.fromCharCode(...new Uint8Array(xb, 8, 6)), x.peek(8));
console.log(WebAssembly.Module.imports(load('shared-memory.wasm')).map((i) => `${i.module}.${i.name}:${i.kind}`).join());
console.log(WebAssembly.validate(fs.readFileSync(path.join(__dirname, 'fixtures', 'shared-memory.wasm'))));
