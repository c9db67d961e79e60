// WebAssembly.Memory: a linear memory created by JS or exported by an instance. `buffer` views
// the memory without copying (memory.rs) and is detached whenever the memory grows; a shared
// memory's is a frozen SharedArrayBuffer, replaced (not detached) when the memory grows.
'use strict';

const kFromHandle = Symbol('fromHandle');
const kClone = Symbol('clone');
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

// The `address` member of memory and table descriptors (WebIDL enum AddressType): a value
// outside the enum is a TypeError while the dictionary is converted; "i64" converts, and the
// constructor refuses it once all members are read (`noMemory64`): it needs memory64, which
// WAMR's fast interpreter does not have.
function addressType(v, what) {
  if (v === undefined) return 'i32';
  const a = `${v}`;
  if (a === 'i32' || a === 'i64') return a;
  throw new TypeError(`${what}: Descriptor property 'address' must be 'i32' or 'i64'`);
}

// The `initial`, `maximum` and `minimum` members, read in that order; `minimum` (type
// reflection) is converted only when it stands in for a missing `initial` (which stays
// undefined when both are missing).
function readLimits(descriptor, what) {
  const convert = (v, name) => (v === undefined ? undefined : enforceRange(v, `${what}: Property '${name}'`));
  const initial = convert(descriptor.initial, 'initial');
  const maximum = convert(descriptor.maximum, 'maximum');
  const minimum = descriptor.minimum;
  return { initial: initial ?? convert(minimum, 'minimum'), maximum };
}

function noMemory64(address, what) {
  if (address === 'i64') throw new TypeError(`${what}: address type 'i64' needs memory64, which this runtime does not support`);
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
    // The dictionary's members are read and converted in WebIDL's (lexicographic) order
    // before any range check: address, initial, maximum, minimum (type reflection), shared.
    const address = addressType(descriptor.address, 'WebAssembly.Memory()');
    const { initial, maximum } = readLimits(descriptor, 'WebAssembly.Memory()');
    const shared = !!descriptor.shared;
    noMemory64(address, 'WebAssembly.Memory()');
    if (initial === undefined) throw new TypeError("WebAssembly.Memory(): Property 'initial' is required");
    if (initial > 65536) throw new RangeError(`WebAssembly.Memory(): Property 'initial': value ${initial} is above the upper bound 65536`);
    if (maximum !== undefined && maximum > 65536) throw new RangeError(`WebAssembly.Memory(): Property 'maximum': value ${maximum} is above the upper bound 65536`);
    if (maximum !== undefined && maximum < initial) throw new RangeError(`WebAssembly.Memory(): Property 'maximum': value ${maximum} is below the lower bound ${initial}`);
    if (shared && maximum === undefined) throw new TypeError('WebAssembly.Memory(): If shared is true, maximum property should be defined.');
    this.#handle = native.wasm.memoryNew(initial, maximum, shared);
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
  // structuredClone of a shared memory: another Memory object over the same memory (the
  // memory's own object stays the one its exports and imports give).
  static [kClone](m) {
    pendingHandle = m.#handle;
    return new Memory(kFromHandle);
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
  addressType,
  noMemory64,
  readLimits,
  memoryFromHandle: (h) => Memory[kFromHandle](h),
  memoryHandle: (m) => (m !== null && typeof m === 'object' ? Memory[Symbol.for('jsrt.wasm.handleOf')](m) : undefined),
  cloneShared: (m) => Memory[kClone](m),
  enforceRange,
};
