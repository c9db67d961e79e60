// WebAssembly.Memory: a linear memory created by JS or exported by an instance. `buffer` views
// the memory without copying (memory.rs) and is detached whenever the memory grows.
'use strict';

const kFromHandle = Symbol('fromHandle');
const byId = new Map(); // memory id -> WeakRef<Memory>: one JS object per memory
let pendingHandle = null;

// WebIDL [EnforceRange] unsigned long.
function enforceRange(v, what) {
  const n = Number(v);
  if (!Number.isFinite(n)) throw new TypeError(`${what} must be convertible to a valid number`);
  const t = Math.trunc(n);
  if (t < 0 || t > 0xffffffff) throw new TypeError(`${what} must be in the unsigned long range`);
  return t;
}

class Memory {
  #handle;
  constructor(descriptor) {
    if (new.target === undefined) throw new TypeError("WebAssembly.Memory must be invoked with 'new'");
    if (descriptor === kFromHandle && pendingHandle !== null) {
      this.#handle = pendingHandle;
      pendingHandle = null;
      return;
    }
    if (descriptor === null || typeof descriptor !== 'object') {
      throw new TypeError('WebAssembly.Memory(): Argument 0 must be a memory descriptor');
    }
    const rawInitial = descriptor.initial !== undefined ? descriptor.initial : descriptor.minimum;
    if (rawInitial === undefined) throw new TypeError("WebAssembly.Memory(): Property 'initial' is required");
    const initial = enforceRange(rawInitial, "WebAssembly.Memory(): Property 'initial'");
    let maximum;
    if (descriptor.maximum !== undefined) {
      maximum = enforceRange(descriptor.maximum, "WebAssembly.Memory(): Property 'maximum'");
    }
    if (initial > 65536) throw new RangeError(`WebAssembly.Memory(): Property 'initial': value ${initial} is above the upper bound 65536`);
    if (maximum !== undefined && maximum > 65536) throw new RangeError(`WebAssembly.Memory(): Property 'maximum': value ${maximum} is above the upper bound 65536`);
    if (maximum !== undefined && maximum < initial) throw new RangeError(`WebAssembly.Memory(): Property 'maximum': value ${maximum} is below the lower bound ${initial}`);
    if (descriptor.shared) throw new TypeError('WebAssembly.Memory(): shared memories are not supported (WAMR is built without threads)');
    this.#handle = native.wasm.memoryNew(initial, maximum);
    remember(this, this.#handle);
  }
  get buffer() {
    if (!(#handle in this)) throw new TypeError('Receiver is not a WebAssembly.Memory');
    return native.wasm.memoryBuffer(this.#handle);
  }
  grow(delta) {
    if (!(#handle in this)) throw new TypeError('Receiver is not a WebAssembly.Memory');
    return native.wasm.memoryGrow(this.#handle, enforceRange(delta, 'WebAssembly.Memory.grow(): Argument 0'));
  }
  static [kFromHandle](h) {
    const [id] = native.wasm.memoryInfo(h);
    const known = byId.get(id)?.deref();
    if (known) return known;
    pendingHandle = h;
    const m = new Memory(kFromHandle);
    remember(m, h);
    return m;
  }
  static [Symbol.for('jsrt.wasm.handleOf')](m) {
    return #handle in m ? m.#handle : undefined;
  }
}

function remember(m, h) {
  byId.set(native.wasm.memoryInfo(h)[0], new WeakRef(m));
}

Object.defineProperty(Memory.prototype, 'buffer', { enumerable: true });
Object.defineProperty(Memory.prototype, 'grow', { enumerable: true });
Object.defineProperty(Memory.prototype, Symbol.toStringTag, { value: 'WebAssembly.Memory', configurable: true });

module.exports = {
  Memory,
  memoryFromHandle: (h) => Memory[kFromHandle](h),
  memoryHandle: (m) => (m !== null && typeof m === 'object' ? Memory[Symbol.for('jsrt.wasm.handleOf')](m) : undefined),
  enforceRange,
};
