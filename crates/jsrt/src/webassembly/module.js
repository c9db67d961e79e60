// WebAssembly.Module: a compiled module (the compiled code lives in Rust: module.rs).
'use strict';

const kFromHandle = Symbol('fromHandle');
let pendingHandle = null;

class Module {
  #handle;
  constructor(bytes) {
    if (new.target === undefined) throw new TypeError("WebAssembly.Module must be invoked with 'new'");
    if (pendingHandle !== null && bytes === kFromHandle) {
      this.#handle = pendingHandle;
      pendingHandle = null;
      return;
    }
    this.#handle = native.wasm.compile(bytes, 'WebAssembly.Module()');
  }
  static exports(moduleObject) {
    return native.wasm.moduleExports(handleOf(moduleObject, 'WebAssembly.Module.exports()'));
  }
  static imports(moduleObject) {
    return native.wasm.moduleImports(handleOf(moduleObject, 'WebAssembly.Module.imports()'));
  }
  static customSections(moduleObject, sectionName) {
    const h = handleOf(moduleObject, 'WebAssembly.Module.customSections()');
    if (sectionName === undefined) throw new TypeError('WebAssembly.Module.customSections(): Argument 1 is required');
    // A USVString: lone surrogates become U+FFFD (WebIDL), so any string can be compared
    // with the (valid UTF-8) section names.
    return native.wasm.customSections(h, `${sectionName}`.toWellFormed());
  }
  static [kFromHandle](h) {
    pendingHandle = h;
    return new Module(kFromHandle);
  }
  static [Symbol.for('jsrt.wasm.handleOf')](m) {
    return #handle in m ? m.#handle : undefined;
  }
}

function handleOf(m, what) {
  if (m === null || typeof m !== 'object' || Module[Symbol.for('jsrt.wasm.handleOf')](m) === undefined) {
    throw new TypeError(`${what}: Argument 0 must be a WebAssembly.Module`);
  }
  return Module[Symbol.for('jsrt.wasm.handleOf')](m);
}

for (const name of ['exports', 'imports', 'customSections']) {
  Object.defineProperty(Module, name, { enumerable: true });
}
Object.defineProperty(Module.prototype, Symbol.toStringTag, { value: 'WebAssembly.Module', configurable: true });

module.exports = { Module, handleOf, fromHandle: (h) => Module[kFromHandle](h) };
