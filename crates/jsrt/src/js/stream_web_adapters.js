// Node streams <-> web streams (Node's lib/internal/webstreams/adapters.js): Readable.toWeb /
// fromWeb, Writable.toWeb / fromWeb, Duplex.toWeb / fromWeb. Backpressure crosses over: a web
// stream's queue pauses the Node stream, a Node stream's buffer waits for the web reader.
'use strict';

const web = () => require('internal/streams');

function invalidArg(name, type, value) {
  const err = new TypeError(`The "${name}" argument must be an instance of ${type}.${value === undefined ? ' Received undefined' : ''}`);
  err.code = 'ERR_INVALID_ARG_TYPE';
  return err;
}

// A Node Readable as a ReadableStream: chunks (bytes copied to Uint8Arrays unless in object
// mode) are queued as 'data' arrives; a full queue pauses the Readable, a pull resumes it.
function readableToWeb(streamReadable, options = {}) {
  const { ReadableStream, CountQueuingStrategy, ByteLengthQueuingStrategy } = web();
  const objectMode = streamReadable.readableObjectMode;
  const highWaterMark = streamReadable.readableHighWaterMark;
  const strategy = options.strategy ?? (objectMode ? new CountQueuingStrategy({ highWaterMark }) : new ByteLengthQueuingStrategy({ highWaterMark }));
  const { finished } = require('stream');
  let controller;
  let done = false;
  const onData = (chunk) => {
    if (done) return;
    controller.enqueue(!objectMode && chunk instanceof Uint8Array ? new Uint8Array(chunk) : chunk);
    if (controller.desiredSize <= 0) streamReadable.pause();
  };
  return new ReadableStream({
    start(c) {
      controller = c;
      streamReadable.pause();
      streamReadable.on('data', onData);
      finished(streamReadable, (err) => {
        if (done) return;
        done = true;
        if (err) controller.error(err);
        else controller.close();
      });
    },
    pull() { streamReadable.resume(); },
    cancel(reason) {
      done = true;
      streamReadable.destroy(reason);
    },
  }, strategy);
}

// A ReadableStream as a Node Readable: each _read takes the next chunk from a reader.
function readableFromWeb(readableStream, options = {}) {
  if (!(readableStream instanceof web().ReadableStream)) throw invalidArg('readableStream', 'ReadableStream', readableStream);
  const { Readable } = require('stream');
  const { highWaterMark, encoding, objectMode = false, signal } = options;
  const reader = readableStream.getReader();
  let closed = false;
  reader.closed.then(() => { closed = true; }, () => { closed = true; });
  const readable = new Readable({
    objectMode, highWaterMark, encoding, signal,
    read() {
      reader.read().then(({ value, done }) => {
        if (done) readable.push(null);
        else readable.push(value);
      }, (err) => readable.destroy(err));
    },
    destroy(err, callback) {
      if (closed) return callback(err);
      reader.cancel(err).then(() => callback(err), (e) => callback(e ?? err));
    },
  });
  return readable;
}

// A Node Writable as a WritableStream: a write resolves once the Writable took the chunk
// (at once, or after 'drain' when its buffer is full).
function writableToWeb(streamWritable) {
  const { WritableStream, CountQueuingStrategy } = web();
  const { finished } = require('stream');
  let failure = null;
  let drain = null;
  streamWritable.on('drain', () => {
    drain?.resolve();
    drain = null;
  });
  let controller;
  return new WritableStream({
    start(c) {
      controller = c;
      finished(streamWritable, { readable: false }, (err) => {
        if (err) {
          failure = err;
          drain?.reject(err);
          controller.error(err);
        }
      });
    },
    write(chunk) {
      if (failure) return Promise.reject(failure);
      if (streamWritable.write(chunk)) return undefined;
      return new Promise((resolve, reject) => { drain = { resolve, reject }; });
    },
    close() {
      return new Promise((resolve, reject) => {
        streamWritable.end((err) => (err ? reject(err) : resolve()));
      });
    },
    abort(reason) { streamWritable.destroy(reason); },
  }, new CountQueuingStrategy({ highWaterMark: 1 }));
}

// A WritableStream as a Node Writable: each write goes through a writer once it is ready.
function writableFromWeb(writableStream, options = {}) {
  if (!(writableStream instanceof web().WritableStream)) throw invalidArg('writableStream', 'WritableStream', writableStream);
  const { Writable } = require('stream');
  const { highWaterMark, decodeStrings = true, objectMode = false, signal } = options;
  const writer = writableStream.getWriter();
  return new Writable({
    highWaterMark, objectMode, decodeStrings, signal,
    write(chunk, encoding, callback) {
      writer.ready.then(() => writer.write(chunk)).then(() => callback(), callback);
    },
    final(callback) {
      writer.close().then(() => callback(), callback);
    },
    destroy(err, callback) {
      if (!err) return callback(null);
      writer.abort(err).then(() => callback(err), () => callback(err));
    },
  });
}

// A Duplex as { readable, writable } web streams, and back.
function duplexToWeb(duplex) {
  return { readable: readableToWeb(duplex), writable: writableToWeb(duplex) };
}

function duplexFromWeb(pair, options = {}) {
  if (pair === null || typeof pair !== 'object') throw invalidArg('pair', 'Object', pair);
  const { Duplex } = require('stream');
  const readable = readableFromWeb(pair.readable, options);
  const writable = writableFromWeb(pair.writable, options);
  const duplex = new Duplex({
    ...options,
    read() { readable.resume(); },
    write(chunk, encoding, callback) { writable.write(chunk, encoding, callback); },
    final(callback) { writable.end(callback); },
    destroy(err, callback) {
      readable.destroy(err);
      writable.destroy(err);
      callback(err);
    },
  });
  readable.on('data', (chunk) => { if (!duplex.push(chunk)) readable.pause(); });
  readable.on('end', () => duplex.push(null));
  readable.on('error', (err) => duplex.destroy(err));
  readable.pause();
  return duplex;
}

module.exports = { readableToWeb, readableFromWeb, writableToWeb, writableFromWeb, duplexToWeb, duplexFromWeb };
