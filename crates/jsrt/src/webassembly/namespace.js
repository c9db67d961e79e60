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

async function responseBytes(source, what) {
  const response = await source;
  if (!(response instanceof Response)) {
    throw new TypeError(`${what}: Argument 0 must be a Response or a Promise of one`);
  }
  const type = response.headers.get('content-type');
  if (type === null || type.split(';')[0].trim().toLowerCase() !== 'application/wasm') {
    throw new TypeError(`${what}: Incorrect response MIME type. Expected 'application/wasm'.`);
  }
  if (!response.ok) throw new TypeError(`${what}: HTTP status code is not ok`);
  return response.arrayBuffer();
}

async function compileStreaming(source) {
  const bytes = await responseBytes(source, 'WebAssembly.compileStreaming()');
  return fromHandle(await native.wasm.compileAsync(bytes, 'WebAssembly.compileStreaming()'));
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
