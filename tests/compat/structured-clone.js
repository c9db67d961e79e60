// structuredClone of what is shared rather than copied, compared with Node: a
// SharedArrayBuffer (a new object over the same bytes; growable ones keep their maximum),
// typed arrays over one, the same buffer reached twice, a SharedArrayBuffer in the transfer
// list (TypeError), a shared WebAssembly.Memory (a new Memory over the same memory: writes
// and growth seen through both), a WebAssembly.Module (usable), an unshared Memory
// (DataCloneError); and an ArrayBuffer moved by the transfer list.
const sab = new SharedArrayBuffer(8);
const c = structuredClone(sab);
console.log(Object.prototype.toString.call(c), c.byteLength, c === sab);
new Int32Array(sab)[0] = 5;
console.log('shared bytes', new Int32Array(c)[0]);
const ta = structuredClone(new Int32Array(sab, 4, 1));
ta[0] = 9;
console.log(Object.prototype.toString.call(ta), ta.length, new Int32Array(sab)[1]);
const growable = new SharedArrayBuffer(4, { maxByteLength: 16 });
const gc = structuredClone(growable);
new Int32Array(gc)[0] = 3;
console.log('growable', gc.growable, gc.byteLength, gc.maxByteLength, new Int32Array(growable)[0]);
const r = structuredClone({ a: sab, b: [sab] });
console.log('same buffer twice', r.a === r.b[0], Object.prototype.toString.call(r.a));
try {
  structuredClone(sab, { transfer: [sab] });
} catch (e) {
  console.log(e.name, e.message);
}

const mem = new WebAssembly.Memory({ initial: 1, maximum: 3, shared: true });
const m2 = structuredClone(mem);
console.log('memory', m2 === mem, m2 instanceof WebAssembly.Memory, m2.buffer.byteLength);
new Uint8Array(mem.buffer)[0] = 7;
m2.grow(1);
console.log('memory shared', new Uint8Array(m2.buffer)[0], mem.buffer.byteLength, m2.buffer.byteLength);
const mod = new WebAssembly.Module(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]));
const mod2 = structuredClone(mod);
console.log('module', mod2 === mod, mod2 instanceof WebAssembly.Module, new WebAssembly.Instance(mod2) instanceof WebAssembly.Instance);
try {
  structuredClone(new WebAssembly.Memory({ initial: 1 }));
} catch (e) {
  console.log(e.name, e.constructor.name);
}
const ab = new ArrayBuffer(8);
const moved = structuredClone(ab, { transfer: [ab] });
console.log('transferred', ab.byteLength, moved.byteLength);
