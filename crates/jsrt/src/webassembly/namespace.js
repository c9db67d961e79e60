// The WebAssembly namespace object: validate, compile, instantiate (both overloads),
// compileStreaming/instantiateStreaming, and the classes.
'use strict';

const errors = require('internal/wasm/errors');
require('internal/wasm/externref');
const { Module, fromHandle } = require('internal/wasm/module');
const { Instance } = require('internal/wasm/instance');
const { Memory } = require('internal/wasm/memory');
const { Global } = require('internal/wasm/global');
const { Table } = require('internal/wasm/table');

function validate(bytes) {
  return native.wasm.validate(bytes);
}

function compile(bytes) {
  try {
    return native.wasm.compileAsync(bytes, 'WebAssembly.compile()').then(fromHandle);
  } catch (e) {
    return Promise.reject(e);
  }
}

function instantiate(source, importObject = undefined) {
  if (source instanceof Module) {
    return new Promise((resolve, reject) => {
      // Instantiation happens in a later job, as the spec's "asynchronously instantiate".
      queueMicrotask(() => {
        try {
          resolve(new Instance(source, importObject));
        } catch (e) {
          reject(e);
        }
      });
    });
  }
  if (importObject !== undefined && (importObject === null || typeof importObject !== 'object')) {
    return Promise.reject(new TypeError('WebAssembly.instantiate(): Argument 1 must be an object'));
  }
  let p;
  try {
    p = native.wasm.compileAsync(source, 'WebAssembly.instantiate()');
  } catch (e) {
    return Promise.reject(e);
  }
  return p.then((h) => {
    const module = fromHandle(h);
    return { module, instance: new Instance(module, importObject) };
  });
}

// The Response a streaming compilation reads (the JS API's "compile a potential WebAssembly
// response"): a Response (or a promise of one), application/wasm, ok, its body unread.
async function wasmResponse(source, what) {
  const response = await source;
  if (!(response instanceof Response)) {
    throw new TypeError(`${what}: Argument 0 must be a Response or a Promise of one`);
  }
  const type = response.headers.get('content-type');
  if (type === null || type.split(';')[0].trim().toLowerCase() !== 'application/wasm') {
    throw new TypeError(`${what}: Incorrect response MIME type. Expected 'application/wasm'.`);
  }
  if (!response.ok) throw new TypeError(`${what}: HTTP status code is not ok`);
  if (response.bodyUsed) throw new TypeError(`${what}: Body is unusable: Body has already been read`);
  return response;
}

// Compiles while the body arrives: each chunk goes to the compilation's thread
// (webassembly/streaming.rs), which validates it at once; the module loads after the last.
// Invalid bytes end the reading at once (the rest of the body is cancelled), as in V8.
const invalidSoFar = { done: true, invalid: true };
async function compileStreaming(source) {
  const what = 'WebAssembly.compileStreaming()';
  const response = await wasmResponse(source, what);
  const [id, failed] = native.wasm.streamBegin();
  const invalid = failed.then((why) => (why === null ? new Promise(() => {}) : invalidSoFar));
  try {
    const reader = response.body?.getReader();
    for (;;) {
      const chunk = reader === undefined ? { done: true } : await Promise.race([reader.read(), invalid]);
      if (chunk.invalid) reader.cancel().catch(() => {});
      if (chunk.done) break;
      if (!(chunk.value instanceof Uint8Array)) throw new TypeError(`${what}: the response body must be bytes`);
      native.wasm.streamPush(id, chunk.value);
    }
  } catch (e) {
    native.wasm.streamAbort(id);
    throw e;
  }
  return fromHandle(await native.wasm.streamFinish(id, what));
}

async function instantiateStreaming(source, importObject = undefined) {
  const module = await compileStreaming(source);
  return { module, instance: new Instance(module, importObject) };
}

const WebAssembly = {};
// WebIDL: a namespace's operations are enumerable; interfaces exposed on it are not.
const operations = { compile, validate, instantiate, compileStreaming, instantiateStreaming };
const interfaces = {
  Module, Instance, Memory, Table, Global, CompileError: errors.CompileError, LinkError: errors.LinkError, RuntimeError: errors.RuntimeError,
};
for (const [name, value] of Object.entries(operations)) {
  Object.defineProperty(WebAssembly, name, { value, writable: true, configurable: true, enumerable: true });
}
for (const [name, value] of Object.entries(interfaces)) {
  Object.defineProperty(WebAssembly, name, { value, writable: true, configurable: true, enumerable: false });
}
Object.defineProperty(WebAssembly, Symbol.toStringTag, { value: 'WebAssembly', configurable: true });

module.exports = WebAssembly;
