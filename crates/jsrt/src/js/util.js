// jsrt:util — inspect/format (internal/inspect), promisify, types, TextEncoder/Decoder, etc.
'use strict';

const { inspect, format, formatWithOptions, stripVTControlCharacters } = require('internal/inspect');

const kCustomPromisify = Symbol.for('nodejs.util.promisify.custom');
function promisify(original) {
  if (typeof original !== 'function') throw internal.invalidArgType('original', 'function', original);
  if (original[kCustomPromisify]) return original[kCustomPromisify];
  function fn(...args) {
    return new Promise((resolve, reject) => {
      original.call(this, ...args, (err, ...values) => {
        if (err) return reject(err);
        resolve(values.length > 1 ? values : values[0]);
      });
    });
  }
  Object.setPrototypeOf(fn, Object.getPrototypeOf(original));
  return Object.defineProperties(fn, Object.getOwnPropertyDescriptors(original));
}
promisify.custom = kCustomPromisify;

function callbackify(original) {
  return function (...args) {
    const cb = args.pop();
    original.apply(this, args).then((v) => cb(null, v), (e) => cb(e));
  };
}

const typedArrayTag = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(Uint8Array.prototype), Symbol.toStringTag).get;
const tagIs = (tag) => (v) => Object.prototype.toString.call(v) === `[object ${tag}]`;
const types = {
  isPromise: (v) => v instanceof Promise,
  isRegExp: (v) => v instanceof RegExp,
  isDate: (v) => v instanceof Date,
  isMap: (v) => v instanceof Map,
  isSet: (v) => v instanceof Set,
  isWeakMap: (v) => v instanceof WeakMap,
  isWeakSet: (v) => v instanceof WeakSet,
  isNativeError: (v) => v instanceof Error,
  isTypedArray: (v) => typedArrayTag.call(v) !== undefined,
  isUint8Array: (v) => typedArrayTag.call(v) === 'Uint8Array',
  isArrayBuffer: (v) => v instanceof ArrayBuffer,
  isAnyArrayBuffer: (v) => v instanceof ArrayBuffer || (typeof SharedArrayBuffer !== 'undefined' && v instanceof SharedArrayBuffer),
  isArrayBufferView: (v) => ArrayBuffer.isView(v),
  isDataView: (v) => v instanceof DataView,
  isAsyncFunction: tagIs('AsyncFunction'),
  isGeneratorFunction: (v) => /^(Async)?GeneratorFunction$/.test(Object.getPrototypeOf(v)?.constructor?.name ?? ''),
  isBoxedPrimitive: (v) => v instanceof Number || v instanceof String || v instanceof Boolean || v instanceof BigInt || v instanceof Symbol,
  isModuleNamespaceObject: tagIs('Module'),
  isProxy: () => false,
  isSharedArrayBuffer: (v) => typeof SharedArrayBuffer !== 'undefined' && v instanceof SharedArrayBuffer,
  isArgumentsObject: tagIs('Arguments'),
  isMapIterator: tagIs('Map Iterator'),
  isSetIterator: tagIs('Set Iterator'),
  isGeneratorObject: tagIs('Generator'),
  isWeakRef: (v) => typeof WeakRef !== 'undefined' && v instanceof WeakRef,
  isNumberObject: (v) => v instanceof Number,
  isStringObject: (v) => v instanceof String,
  isBooleanObject: (v) => v instanceof Boolean,
  isBigIntObject: (v) => typeof v === 'object' && v !== null && tagIs('BigInt')(v),
  isSymbolObject: (v) => typeof v === 'object' && v !== null && tagIs('Symbol')(v),
  isExternal: () => false,
  isKeyObject: () => false,
  isCryptoKey: () => false,
};
for (const t of ['Uint8ClampedArray', 'Uint16Array', 'Uint32Array', 'Int8Array', 'Int16Array', 'Int32Array', 'Float32Array', 'Float64Array', 'BigInt64Array', 'BigUint64Array']) {
  types[`is${t}`] = (v) => typedArrayTag.call(v) === t;
}

function inherits(ctor, superCtor) {
  Object.defineProperty(ctor, 'super_', { value: superCtor, writable: true, configurable: true });
  Object.setPrototypeOf(ctor.prototype, superCtor.prototype);
}

function deprecate(fn, msg) {
  let warned = false;
  return function (...args) {
    if (!warned) { warned = true; process.emitWarning(msg, 'DeprecationWarning'); }
    return fn.apply(this, args);
  };
}

module.exports = {
  inspect, format, formatWithOptions, stripVTControlCharacters, promisify, callbackify, types, inherits, deprecate,
  isDeepStrictEqual: (a, b) => require('assert').isDeepStrictEqual(a, b),
  isArray: Array.isArray,
  debuglog: () => () => {},
  get TextEncoder() { return globalThis.TextEncoder; },
  get TextDecoder() { return globalThis.TextDecoder; },
};
