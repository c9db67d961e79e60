// WebAssembly.Table: a table created by JS or exported by an instance (table.rs).
'use strict';

const { enforceRange, addressType, noMemory64, readLimits } = require('internal/wasm/memory');

const kFromHandle = Symbol('fromHandle');
const byId = new Map(); // table id -> WeakRef<Table>
let pendingHandle = null;
const MAX_TABLE = 10000000;

class Table {
  #handle;
  constructor(descriptor, value = undefined) {
    if (new.target === undefined) throw new TypeError("WebAssembly.Table must be invoked with 'new'");
    if (descriptor === kFromHandle && pendingHandle !== null) {
      this.#handle = pendingHandle;
      pendingHandle = null;
      return;
    }
    if (descriptor === null || typeof descriptor !== 'object') {
      throw new TypeError('WebAssembly.Table(): Argument 0 must be a table descriptor');
    }
    // Members in WebIDL's (lexicographic) order, all converted before any range check:
    // address, element, initial, maximum, minimum (type reflection).
    const address = addressType(descriptor.address, 'WebAssembly.Table()');
    const element = `${descriptor.element}`;
    if (!['anyfunc', 'funcref', 'externref'].includes(element)) {
      throw new TypeError("WebAssembly.Table(): Descriptor property 'element' must be a WebAssembly reference type");
    }
    const { initial, maximum } = readLimits(descriptor, 'WebAssembly.Table()');
    noMemory64(address, 'WebAssembly.Table()');
    if (initial === undefined) throw new TypeError("WebAssembly.Table(): Property 'initial' is required");
    if (initial > MAX_TABLE) throw new RangeError(`WebAssembly.Table(): Property 'initial': value ${initial} is above the upper bound ${MAX_TABLE}`);
    if (maximum !== undefined && maximum < initial) throw new RangeError(`WebAssembly.Table(): Property 'maximum': value ${maximum} is below the lower bound ${initial}`);
    this.#handle = native.wasm.tableNew(element, initial, maximum, value, arguments.length >= 2);
    byId.set(native.wasm.tableInfo(this.#handle)[0], new WeakRef(this));
  }
  get length() {
    if (!(#handle in this)) throw new TypeError('Receiver is not a WebAssembly.Table');
    return native.wasm.tableInfo(this.#handle)[1];
  }
  get(index) {
    if (!(#handle in this)) throw new TypeError('Receiver is not a WebAssembly.Table');
    return native.wasm.tableGet(this.#handle, enforceRange(index, 'WebAssembly.Table.get(): Argument 0'));
  }
  set(index, value = undefined) {
    if (!(#handle in this)) throw new TypeError('Receiver is not a WebAssembly.Table');
    native.wasm.tableSet(this.#handle, enforceRange(index, 'WebAssembly.Table.set(): Argument 0'), value, arguments.length >= 2);
  }
  grow(delta, value = undefined) {
    if (!(#handle in this)) throw new TypeError('Receiver is not a WebAssembly.Table');
    return native.wasm.tableGrow(this.#handle, enforceRange(delta, 'WebAssembly.Table.grow(): Argument 0'), value, arguments.length >= 2);
  }
  static [kFromHandle](h) {
    const [id] = native.wasm.tableInfo(h);
    const known = byId.get(id)?.deref();
    if (known) return known;
    pendingHandle = h;
    const t = new Table(kFromHandle);
    byId.set(id, new WeakRef(t));
    return t;
  }
  static [Symbol.for('jsrt.wasm.handleOf')](t) {
    return #handle in t ? t.#handle : undefined;
  }
}
for (const name of ['length', 'get', 'set', 'grow']) Object.defineProperty(Table.prototype, name, { enumerable: true });
Object.defineProperty(Table.prototype, Symbol.toStringTag, { value: 'WebAssembly.Table', configurable: true });

module.exports = {
  Table,
  tableFromHandle: (h) => Table[kFromHandle](h),
  tableHandle: (t) => (t !== null && typeof t === 'object' ? Table[Symbol.for('jsrt.wasm.handleOf')](t) : undefined),
};
