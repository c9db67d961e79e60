// WebAssembly.CompileError, LinkError, RuntimeError: NativeError-like subclasses of Error
// (callable with or without `new`, `name` on the prototype, instanceof Error).
'use strict';

function makeError(name) {
  const E = function (message, options) {
    if (!new.target) return new E(message, options);
    const err = Reflect.construct(Error, message === undefined ? [] : [message, options], new.target);
    // The stack starts at the caller, as a native error's does: Error.stackTraceLimit counts
    // the caller's frames (and a trap's wasm frames: webassembly/stack.rs), not these.
    Error.captureStackTrace(err, E);
    return err;
  };
  Object.defineProperty(E, 'name', { value: name });
  Object.defineProperty(E, 'length', { value: 1 });
  Object.setPrototypeOf(E, Error);
  E.prototype = Object.create(Error.prototype, {
    constructor: { value: E, writable: true, configurable: true },
    name: { value: name, writable: true, configurable: true },
    message: { value: '', writable: true, configurable: true },
  });
  Object.defineProperty(E, 'prototype', { writable: false });
  return E;
}

exports.CompileError = makeError('CompileError');
exports.LinkError = makeError('LinkError');
exports.RuntimeError = makeError('RuntimeError');
native.wasm.setErrorClasses(exports);
