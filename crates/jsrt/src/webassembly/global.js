// WebAssembly.Global: a global created by JS or exported by an instance; `value` reads and
// writes it in place (global.rs).
'use strict';

const kFromHandle = Symbol('fromHandle');
const byId = new Map(); // global id -> WeakRef<Global>
let pendingHandle = null;
const valueTypes = new Set(['i32', 'i64', 'f32', 'f64', 'anyfunc', 'funcref', 'externref', 'v128']);

class Global {
  #handle;
  constructor(descriptor, v = undefined) {
    if (new.target === undefined) throw new TypeError("WebAssembly.Global must be invoked with 'new'");
    if (descriptor === kFromHandle && pendingHandle !== null) {
      this.#handle = pendingHandle;
      pendingHandle = null;
      return;
    }
    if (descriptor === null || typeof descriptor !== 'object') {
      throw new TypeError('WebAssembly.Global(): Argument 0 must be a global descriptor');
    }
    const mutable = !!descriptor.mutable;
    const type = `${descriptor.value}`;
    if (!valueTypes.has(type)) {
      throw new TypeError("WebAssembly.Global(): Descriptor property 'value' must be a WebAssembly type");
    }
    this.#handle = native.wasm.globalNew(type, mutable, v);
    byId.set(native.wasm.globalInfo(this.#handle).id, new WeakRef(this));
  }
  get value() {
    if (!(#handle in this)) throw new TypeError('Receiver is not a WebAssembly.Global');
    return native.wasm.globalGet(this.#handle);
  }
  set value(v) {
    if (!(#handle in this)) throw new TypeError('Receiver is not a WebAssembly.Global');
    // No argument is `undefined` (WebIDL: "setter should treat no arguments as undefined"; the
    // JS-API test "Calling setter without argument"): 0 for an i32, a TypeError for an i64.
    native.wasm.globalSet(this.#handle, v);
  }
  valueOf() {
    if (!(#handle in this)) throw new TypeError('Receiver is not a WebAssembly.Global');
    return native.wasm.globalGet(this.#handle);
  }
  static [kFromHandle](h) {
    const { id } = native.wasm.globalInfo(h);
    const known = byId.get(id)?.deref();
    if (known) return known;
    pendingHandle = h;
    const g = new Global(kFromHandle);
    byId.set(id, new WeakRef(g));
    return g;
  }
  static [Symbol.for('jsrt.wasm.handleOf')](g) {
    return #handle in g ? g.#handle : undefined;
  }
}
Object.defineProperty(Global.prototype, 'value', { enumerable: true });
Object.defineProperty(Global.prototype, 'valueOf', { enumerable: true });
Object.defineProperty(Global.prototype, Symbol.toStringTag, { value: 'WebAssembly.Global', configurable: true });

module.exports = {
  Global,
  globalFromHandle: (h) => Global[kFromHandle](h),
  globalHandle: (g) => (g !== null && typeof g === 'object' ? Global[Symbol.for('jsrt.wasm.handleOf')](g) : undefined),
};
