// WebAssembly.Instance: instantiation ("read the imports" per the JS API spec) and the
// frozen, null-prototype exports object. Calls and conversions live in Rust (instance.rs,
// function.rs).
'use strict';

const { handleOf } = require('internal/wasm/module');
const { LinkError } = require('internal/wasm/errors');
const { memoryFromHandle, memoryHandle } = require('internal/wasm/memory');
const { globalFromHandle, globalHandle } = require('internal/wasm/global');
const { tableFromHandle, tableHandle } = require('internal/wasm/table');

// Exported function object -> its Rust handle, so importing it elsewhere calls wasm directly.
const exportedHandles = new WeakMap();
// instance id -> (function index -> WeakRef<function>): one JS function per wasm function, for
// exports and for funcrefs that reach JS (tables, globals, results).
const functionsByInstance = new Map();

function rememberFunction(instanceId, index, fn) {
  let m = functionsByInstance.get(instanceId);
  if (!m) functionsByInstance.set(instanceId, m = new Map());
  m.set(index, new WeakRef(fn));
}

function funcFor(instanceId, index) {
  const known = functionsByInstance.get(instanceId)?.get(index)?.deref();
  if (known) return known;
  const [fn, handle] = native.wasm.makeFunction(instanceId, index);
  exportedHandles.set(fn, handle);
  rememberFunction(instanceId, index, fn);
  return fn;
}
native.wasm.setFuncHooks(funcFor, (fn) => exportedHandles.get(fn));

function readImports(h, importObject) {
  const imports = native.wasm.moduleImports(h);
  if (imports.length > 0 && importObject === undefined) {
    throw new TypeError('WebAssembly.Instance(): Imports argument must be present and must be an object');
  }
  if (importObject !== undefined && (importObject === null || typeof importObject !== 'object')) {
    throw new TypeError('WebAssembly.Instance(): Argument 1 must be an object');
  }
  const resolved = [];
  const values = [];
  imports.forEach(({ module: moduleName, name, kind }, i) => {
    const o = importObject[moduleName];
    if (o === null || (typeof o !== 'object' && typeof o !== 'function')) {
      throw new TypeError(`WebAssembly.Instance(): Import #${i} "${moduleName}": module is not an object or function`);
    }
    const v = o[name];
    values.push(v);
    const where = `WebAssembly.Instance(): Import #${i} "${moduleName}" "${name}"`;
    switch (kind) {
      case 'function':
        if (typeof v !== 'function') throw new LinkError(`${where}: function import requires a callable`);
        resolved.push(exportedHandles.get(v) ?? v);
        break;
      case 'memory': {
        const h = memoryHandle(v);
        if (h === undefined) throw new LinkError(`${where}: memory import must be a WebAssembly.Memory object`);
        resolved.push(h);
        break;
      }
      case 'table': {
        const h = tableHandle(v);
        if (h === undefined) throw new LinkError(`${where}: table import requires a WebAssembly.Table`);
        resolved.push(h);
        break;
      }
      case 'global':
        // Numbers, BigInts and WebAssembly.Global objects are checked in Rust (instance.rs).
        resolved.push(globalHandle(v) ?? v);
        break;
      default:
        throw new LinkError(`${where}: importing a ${kind} is not supported yet`);
    }
  });
  return { resolved, imports, values };
}

function instantiate(h, importObject) {
  const { resolved, values } = readImports(h, importObject);
  const result = native.wasm.instantiate(h, resolved);
  const exports = Object.create(null);
  for (const [name, kind, value, fnHandle, importIndex, funcIndex] of result.exports) {
    if (kind === 'function') {
      let f = value;
      // A re-exported import keeps the identity of the exported function it came from.
      if (importIndex >= 0 && exportedHandles.has(values[importIndex])) f = values[importIndex];
      // A function that reached JS before its export was made (from the start function).
      else f = functionsByInstance.get(result.id)?.get(funcIndex)?.deref() ?? value;
      if (f === value && !exportedHandles.has(value)) {
        exportedHandles.set(value, fnHandle);
        rememberFunction(result.id, funcIndex, value);
      }
      exports[name] = f;
    } else if (kind === 'memory') {
      exports[name] = memoryFromHandle(fnHandle);
    } else if (kind === 'global') {
      // A re-exported import of a Global object is that object (a number import is not).
      const imported = values[importIndex];
      exports[name] = importIndex >= 0 && globalHandle(imported) !== undefined ? imported : globalFromHandle(fnHandle);
    } else if (kind === 'table') {
      exports[name] = tableFromHandle(fnHandle);
    } else {
      exports[name] = undefined;
    }
  }
  Object.freeze(exports);
  return { handle: result.handle, exports };
}

class Instance {
  #handle;
  #exports;
  constructor(moduleObject, importObject = undefined) {
    if (new.target === undefined) throw new TypeError("WebAssembly.Instance must be invoked with 'new'");
    const h = handleOf(moduleObject, 'WebAssembly.Instance()');
    const r = instantiate(h, importObject);
    this.#handle = r.handle;
    this.#exports = r.exports;
  }
  get exports() {
    if (!(#exports in this)) throw new TypeError('Receiver is not a WebAssembly.Instance');
    return this.#exports;
  }
}
Object.defineProperty(Instance.prototype, 'exports', { enumerable: true });
Object.defineProperty(Instance.prototype, Symbol.toStringTag, { value: 'WebAssembly.Instance', configurable: true });

module.exports = { Instance, exportedHandles };
