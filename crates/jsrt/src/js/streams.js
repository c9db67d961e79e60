// WHATWG streams (`stream/web` and the globals): ReadableStream (default readers, tee,
// pipeTo/pipeThrough, async iteration, `from`), WritableStream (default writers),
// TransformStream, the queuing strategies, TextEncoderStream/TextDecoderStream and
// CompressionStream/DecompressionStream, byte streams (`type: 'bytes'`: BYOB readers,
// byobRequest, autoAllocateChunkSize).
'use strict';

const kState = Symbol('state');

function isObject(v) { return v !== null && (typeof v === 'object' || typeof v === 'function'); }
function typeError(msg, code) { return Object.assign(new TypeError(msg), code ? { code } : {}); }
function defer() {
  let resolve, reject;
  const promise = new Promise((res, rej) => { resolve = res; reject = rej; });
  promise.catch(() => {});
  return { promise, resolve, reject };
}
function sizeAlgorithm(strategy) {
  const size = strategy?.size;
  if (size === undefined) return () => 1;
  if (typeof size !== 'function') throw typeError('size must be a function');
  return (chunk) => size.call(undefined, chunk);
}
function highWaterMark(strategy, fallback) {
  const h = strategy?.highWaterMark;
  if (h === undefined) return fallback;
  const n = Number(h);
  if (Number.isNaN(n) || n < 0) throw new RangeError('The value of highWaterMark is invalid');
  return n;
}

// ---------------------------------------------------------------- queuing strategies
class CountQueuingStrategy {
  #hwm;
  constructor(init) { this.#hwm = Number(init?.highWaterMark); }
  get highWaterMark() { return this.#hwm; }
  get size() { return () => 1; }
}
class ByteLengthQueuingStrategy {
  #hwm;
  constructor(init) { this.#hwm = Number(init?.highWaterMark); }
  get highWaterMark() { return this.#hwm; }
  get size() { return (chunk) => chunk.byteLength; }
}

// ---------------------------------------------------------------- ReadableStream
// How much more a readable stream's queue takes (null once errored).
function desiredSize(stream) {
  const s = stream[kState];
  if (s.state === 'errored') return null;
  if (s.state === 'closed') return 0;
  return s.hwm - s.queueSize;
}

class ReadableStreamDefaultController {
  constructor(key, stream) {
    if (key !== kState) throw typeError('Illegal constructor');
    this[kState] = stream;
  }
  get desiredSize() { return desiredSize(this[kState]); }
  enqueue(chunk) {
    const stream = this[kState];
    const s = stream[kState];
    if (s.closeRequested || s.state !== 'readable') throw typeError('Invalid state: Controller is already closed', 'ERR_INVALID_STATE');
    if (s.readRequests.length > 0) {
      s.readRequests.shift().resolve({ value: chunk, done: false });
    } else {
      let size;
      try {
        size = s.size(chunk);
      } catch (e) {
        errorReadable(stream, e);
        throw e;
      }
      s.queue.push([chunk, size]);
      s.queueSize += size;
    }
    pullIfNeeded(stream);
  }
  close() {
    const stream = this[kState];
    const s = stream[kState];
    if (s.closeRequested || s.state !== 'readable') throw typeError('Invalid state: Controller is already closed', 'ERR_INVALID_STATE');
    s.closeRequested = true;
    if (s.queue.length === 0) closeReadable(stream);
  }
  error(e) {
    errorReadable(this[kState], e);
  }
}

// ---------------------------------------------------------------- byte streams (type: 'bytes')
// Their queue holds Uint8Arrays; a BYOB reader's read(view) is a pending pull-into descriptor
// that the queue, enqueue() or the source's byobRequest fills (the streams spec's
// ReadableByteStreamController, with its main algorithms).

// The spec transfers buffers handed to a byte stream: the caller's view is detached.
function transferBuffer(buffer) {
  return typeof buffer.transfer === 'function' ? buffer.transfer() : buffer.slice(0);
}

class ReadableByteStreamController {
  constructor(key, stream) {
    if (key !== kState) throw typeError('Illegal constructor');
    this[kState] = stream;
  }
  get byobRequest() {
    const s = this[kState][kState];
    if (s.byobRequest === null && s.pendingPullIntos.length > 0) {
      const d = s.pendingPullIntos[0];
      s.byobRequest = new ReadableStreamBYOBRequest(kState, this[kState], new Uint8Array(d.buffer, d.byteOffset + d.bytesFilled, d.byteLength - d.bytesFilled));
    }
    return s.byobRequest;
  }
  get desiredSize() { return desiredSize(this[kState]); }
  enqueue(chunk) {
    const stream = this[kState];
    const s = stream[kState];
    if (!ArrayBuffer.isView(chunk)) throw typeError('The "chunk" argument must be an ArrayBufferView', 'ERR_INVALID_ARG_TYPE');
    if (chunk.byteLength === 0) throw typeError('chunk must have a non-zero byteLength', 'ERR_INVALID_STATE');
    if (s.closeRequested || s.state !== 'readable') throw typeError('Invalid state: Controller is already closed', 'ERR_INVALID_STATE');
    // The chunk's bytes, its buffer detached (transferred, as the spec does).
    const bytes = new Uint8Array(chunk.buffer.slice(chunk.byteOffset, chunk.byteOffset + chunk.byteLength));
    if (typeof chunk.buffer.transfer === 'function') chunk.buffer.transfer();
    invalidateByobRequest(s);
    // A default reader waiting (its auto-allocated pull-into, if any, is given up).
    if (s.readRequests.length > 0 && s.queue.length === 0) {
      if (s.pendingPullIntos[0]?.readerType === 'default') s.pendingPullIntos.shift();
      s.readRequests.shift().resolve({ value: bytes, done: false });
    } else {
      s.queue.push([bytes, bytes.byteLength]);
      s.queueSize += bytes.byteLength;
      fillPullIntosFromQueue(stream);
    }
    pullIfNeeded(stream);
  }
  close() {
    const stream = this[kState];
    const s = stream[kState];
    if (s.closeRequested || s.state !== 'readable') throw typeError('Invalid state: Controller is already closed', 'ERR_INVALID_STATE');
    if (s.queueSize > 0) {
      s.closeRequested = true;
      return;
    }
    const first = s.pendingPullIntos[0];
    if (first && first.readerType === 'byob' && first.bytesFilled % first.elementSize !== 0) {
      const e = typeError('Insufficient bytes to fill elements in the given buffer', 'ERR_INVALID_STATE');
      errorReadable(stream, e);
      throw e;
    }
    closeReadable(stream);
  }
  error(e) { errorReadable(this[kState], e); }
}

class ReadableStreamBYOBRequest {
  #stream; #view;
  constructor(key, stream, view) {
    if (key !== kState) throw typeError('Illegal constructor');
    this.#stream = stream;
    this.#view = view;
  }
  get view() { return this.#view; }
  respond(bytesWritten) {
    const stream = this.#stream;
    const s = stream?.[kState];
    if (!s || this.#view === null) throw typeError('This BYOB request has been invalidated', 'ERR_INVALID_STATE');
    const d = s.pendingPullIntos[0];
    const n = Number(bytesWritten);
    if (s.state === 'closed') {
      if (n !== 0) throw new RangeError('bytesWritten must be 0 when calling respond() on a closed stream');
    } else if (!(n > 0) || n > d.byteLength - d.bytesFilled) {
      throw new RangeError(`bytesWritten out of range: ${bytesWritten}`);
    }
    invalidateByobRequest(s);
    d.bytesFilled += n;
    if (s.state === 'closed') {
      s.pendingPullIntos.shift();
      commitPullInto(d, true);
    } else if (d.readerType === 'default') {
      s.pendingPullIntos.shift();
      s.readRequests.shift()?.resolve({ value: new Uint8Array(d.buffer, d.byteOffset, d.bytesFilled), done: false });
    } else if (d.bytesFilled >= d.minimumFill) {
      s.pendingPullIntos.shift();
      // Bytes past the last whole element go back to the queue.
      const extra = d.bytesFilled % d.elementSize;
      if (extra > 0) {
        const rest = new Uint8Array(d.buffer.slice(d.byteOffset + d.bytesFilled - extra, d.byteOffset + d.bytesFilled));
        s.queue.unshift([rest, extra]);
        s.queueSize += extra;
        d.bytesFilled -= extra;
      }
      commitPullInto(d, false);
      fillPullIntosFromQueue(stream);
    }
    pullIfNeeded(stream);
  }
  respondWithNewView(view) {
    const s = this.#stream?.[kState];
    if (!s || this.#view === null) throw typeError('This BYOB request has been invalidated', 'ERR_INVALID_STATE');
    if (!ArrayBuffer.isView(view)) throw typeError('The "view" argument must be an ArrayBufferView', 'ERR_INVALID_ARG_TYPE');
    const d = s.pendingPullIntos[0];
    if (view.byteOffset !== d.byteOffset + d.bytesFilled) throw new RangeError('The region specified by view does not match byobRequest');
    const { byteOffset, byteLength } = view;
    d.buffer = transferBuffer(view.buffer);
    this.#view = new Uint8Array(d.buffer, byteOffset, byteLength);
    this.respond(byteLength);
  }
}

function invalidateByobRequest(s) {
  if (s.byobRequest === null) return;
  s.byobRequest = null;
}

// Resolves a BYOB read with the filled part of its buffer, as a view of the reader's type.
function commitPullInto(d, done) {
  const value = new d.ctor(d.buffer, d.byteOffset, d.bytesFilled / d.elementSize);
  d.request.resolve({ value, done });
}

// Copies queued bytes into pending BYOB reads, resolving each that reaches its minimum.
function fillPullIntosFromQueue(stream) {
  const s = stream[kState];
  while (s.pendingPullIntos.length > 0 && s.queueSize > 0) {
    const d = s.pendingPullIntos[0];
    if (d.readerType !== 'byob') return;
    if (!fillFromQueue(s, d)) return;
    s.pendingPullIntos.shift();
    commitPullInto(d, false);
  }
  if (s.closeRequested && s.queueSize === 0) closeReadable(stream);
}

// Moves as many queued bytes into `d` as fit (whole elements); true if it reached its minimum.
function fillFromQueue(s, d) {
  const wanted = Math.min(s.queueSize, d.byteLength - d.bytesFilled);
  const upTo = d.bytesFilled + wanted;
  const fillTo = upTo - (upTo % d.elementSize);
  let todo = Math.max(fillTo - d.bytesFilled, 0);
  const ready = fillTo >= d.minimumFill;
  const target = new Uint8Array(d.buffer, d.byteOffset, d.byteLength);
  while (todo > 0) {
    const [head] = s.queue[0];
    const n = Math.min(todo, head.byteLength);
    target.set(head.subarray(0, n), d.bytesFilled);
    if (n === head.byteLength) s.queue.shift();
    else s.queue[0] = [head.subarray(n), head.byteLength - n];
    s.queueSize -= n;
    d.bytesFilled += n;
    todo -= n;
  }
  return ready;
}

function closeReadable(stream) {
  const s = stream[kState];
  if (s.state !== 'readable') return;
  s.state = 'closed';
  for (const r of s.readRequests.splice(0)) r.resolve({ value: undefined, done: true });
  // BYOB reads still waiting end with what they have (the source need not respond(0)).
  for (const d of s.pendingPullIntos?.splice(0) ?? []) if (d.readerType === 'byob') commitPullInto(d, true);
  if (s.byobRequest) s.byobRequest = null;
  s.closed.resolve();
}

function errorReadable(stream, e) {
  const s = stream[kState];
  if (s.state !== 'readable') return;
  s.state = 'errored';
  s.storedError = e;
  s.queue = [];
  s.queueSize = 0;
  for (const r of s.readRequests.splice(0)) r.reject(e);
  for (const d of s.pendingPullIntos?.splice(0) ?? []) d.request?.reject(e);
  s.closed.reject(e);
}

function pullIfNeeded(stream) {
  const s = stream[kState];
  if (!s.started || s.state !== 'readable' || s.closeRequested || !s.pull) return;
  if (s.readRequests.length === 0 && !(s.pendingPullIntos?.length > 0) && s.hwm - s.queueSize <= 0) return;
  if (s.pulling) {
    s.pullAgain = true;
    return;
  }
  s.pulling = true;
  Promise.resolve().then(() => s.pull(s.controller)).then(() => {
    s.pulling = false;
    if (s.pullAgain) {
      s.pullAgain = false;
      pullIfNeeded(stream);
    }
  }, (e) => errorReadable(stream, e));
}

class ReadableStream {
  constructor(source = {}, strategy = {}) {
    if (source === null) throw typeError('The "underlyingSource" argument must be an object');
    const type = source.type === undefined ? undefined : `${source.type}`;
    if (type !== undefined && type !== 'bytes') throw new RangeError(`Invalid type: ${type}`);
    const s = {
      state: 'readable', queue: [], queueSize: 0, readRequests: [], closeRequested: false,
      started: false, pulling: false, pullAgain: false, storedError: undefined, reader: null, disturbed: false,
      hwm: highWaterMark(strategy, type === 'bytes' ? 0 : 1),
      size: type === 'bytes' ? (c) => c.byteLength : sizeAlgorithm(strategy),
      pull: typeof source.pull === 'function' ? (c) => source.pull(c) : null,
      cancel: typeof source.cancel === 'function' ? (r) => source.cancel(r) : null,
      closed: defer(),
      controller: null,
    };
    this[kState] = s;
    if (type === 'bytes') {
      const chunkSize = source.autoAllocateChunkSize;
      if (chunkSize !== undefined && !(Number.isInteger(chunkSize) && chunkSize > 0)) throw typeError('autoAllocateChunkSize must be greater than 0', 'ERR_INVALID_ARG_VALUE');
      Object.assign(s, { type, pendingPullIntos: [], byobRequest: null, autoAllocateChunkSize: chunkSize });
      s.controller = new ReadableByteStreamController(kState, this);
    } else {
      s.controller = new ReadableStreamDefaultController(kState, this);
    }
    const started = typeof source.start === 'function' ? source.start(s.controller) : undefined;
    Promise.resolve(started).then(() => {
      s.started = true;
      pullIfNeeded(this);
    }, (e) => errorReadable(this, e));
  }
  get locked() { return this[kState].reader !== null; }
  getReader(options) {
    const mode = options?.mode;
    if (mode === 'byob') return new ReadableStreamBYOBReader(this);
    if (mode !== undefined) throw typeError(`The value "${mode}" is invalid for option "mode"`, 'ERR_INVALID_ARG_VALUE');
    return new ReadableStreamDefaultReader(this);
  }
  cancel(reason) {
    if (this.locked) return Promise.reject(typeError('Invalid state: ReadableStream is locked', 'ERR_INVALID_STATE'));
    return cancelReadable(this, reason);
  }
  tee() {
    const reader = this.getReader();
    let branches;
    let reading = false;
    let canceled = 0;
    const cancelled = defer();
    const pull = () => {
      if (reading) return Promise.resolve();
      reading = true;
      return reader.read().then(({ value, done }) => {
        reading = false;
        for (const b of branches) {
          const bs = b[kState];
          if (bs.state !== 'readable' || bs.closeRequested) continue;
          if (done) bs.controller.close();
          else bs.controller.enqueue(value);
        }
      }, (e) => {
        for (const b of branches) errorReadable(b, e);
      });
    };
    const cancelBranch = () => {
      if (++canceled === 2) reader.cancel().then(cancelled.resolve, cancelled.reject);
      return cancelled.promise;
    };
    branches = [new ReadableStream({ pull, cancel: cancelBranch }), new ReadableStream({ pull, cancel: cancelBranch })];
    return branches;
  }
  async pipeTo(dest, options = {}) {
    if (!(dest instanceof WritableStream)) throw typeError('The "destination" argument must be a WritableStream');
    const { preventClose = false, preventAbort = false, preventCancel = false, signal } = options ?? {};
    const reader = this.getReader();
    const writer = dest.getWriter();
    let aborted = false;
    const onAbort = () => { aborted = true; };
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      for (;;) {
        if (aborted || signal?.aborted) {
          const reason = signal.reason;
          if (!preventAbort) await writer.abort(reason);
          if (!preventCancel) await reader.cancel(reason);
          throw reason;
        }
        let chunk;
        try {
          chunk = await reader.read();
        } catch (e) {
          if (!preventAbort) await writer.abort(e).catch(() => {});
          throw e;
        }
        if (chunk.done) break;
        await writer.ready;
        try {
          await writer.write(chunk.value);
        } catch (e) {
          if (!preventCancel) await reader.cancel(e).catch(() => {});
          throw e;
        }
      }
      if (!preventClose) await writer.close();
    } finally {
      signal?.removeEventListener('abort', onAbort);
      reader.releaseLock();
      writer.releaseLock();
    }
  }
  pipeThrough(transform, options) {
    if (!isObject(transform) || !(transform.readable instanceof ReadableStream) || !(transform.writable instanceof WritableStream)) {
      throw typeError('The "transform" argument must be an object with readable and writable streams');
    }
    this.pipeTo(transform.writable, options).catch(() => {});
    return transform.readable;
  }
  values(options = {}) {
    const reader = this.getReader();
    const preventCancel = !!options?.preventCancel;
    return {
      next: () => reader.read().then((r) => {
        if (r.done) reader.releaseLock();
        return r;
      }),
      return: async (value) => {
        if (!preventCancel) await reader.cancel(value);
        reader.releaseLock();
        return { value, done: true };
      },
      [Symbol.asyncIterator]() { return this; },
    };
  }
  [Symbol.asyncIterator](options) { return this.values(options); }
  static from(iterable) {
    if (iterable instanceof ReadableStream) return iterable;
    const it = iterable?.[Symbol.asyncIterator]?.() ?? iterable?.[Symbol.iterator]?.();
    if (!it) throw typeError('The "iterable" argument must be an async iterable or an iterable');
    return new ReadableStream({
      async pull(c) {
        const { value, done } = await it.next();
        if (done) c.close();
        else c.enqueue(await value);
      },
      async cancel(reason) {
        await it.return?.(reason);
      },
    }, { highWaterMark: 0 });
  }
  get [Symbol.toStringTag]() { return 'ReadableStream'; }
}

function cancelReadable(stream, reason) {
  const s = stream[kState];
  s.disturbed = true;
  if (s.pendingPullIntos?.length > 0) {
    for (const d of s.pendingPullIntos.splice(0)) d.request?.resolve({ value: undefined, done: true });
    s.byobRequest = null;
  }
  if (s.state === 'closed') return Promise.resolve();
  if (s.state === 'errored') return Promise.reject(s.storedError);
  closeReadable(stream);
  s.queue = [];
  s.queueSize = 0;
  return Promise.resolve(s.cancel ? s.cancel(reason) : undefined).then(() => undefined);
}

// What the default and BYOB readers share: the lock on their stream, `closed`, `cancel`, and
// `releaseLock` (each rejects its own kind of pending reads: `rejectPending`).
class ReadableStreamReader {
  #stream;
  constructor(stream) {
    if (!(stream instanceof ReadableStream)) throw typeError('The "stream" argument must be a ReadableStream');
    if (stream.locked) throw typeError('Invalid state: ReadableStream is locked', 'ERR_INVALID_STATE');
    this.#stream = stream;
    stream[kState].reader = this;
  }
  // The stream a reader holds (undefined once released), for the subclasses' read().
  static streamOf(reader) { return reader.#stream; }
  get closed() { return this.#stream ? this.#stream[kState].closed.promise : Promise.reject(typeError('The reader is released')); }
  cancel(reason) {
    if (!this.#stream) return Promise.reject(typeError('The reader is released'));
    return cancelReadable(this.#stream, reason);
  }
  releaseLock() {
    const stream = this.#stream;
    if (!stream) return;
    const s = stream[kState];
    this.constructor.rejectPending(s, typeError('Releasing reader', 'ERR_INVALID_STATE'));
    s.reader = null;
    this.#stream = undefined;
  }
}
const streamOf = (reader) => ReadableStreamReader.streamOf(reader);

class ReadableStreamDefaultReader extends ReadableStreamReader {
  static rejectPending(s, e) {
    for (const r of s.readRequests.splice(0)) r.reject(e);
  }
  read() {
    const stream = streamOf(this);
    if (!stream) return Promise.reject(typeError('Invalid state: The reader is not attached to a stream', 'ERR_INVALID_STATE'));
    const s = stream[kState];
    s.disturbed = true;
    if (s.queue.length > 0) {
      const [chunk, size] = s.queue.shift();
      s.queueSize -= size;
      if (s.closeRequested && s.queue.length === 0) closeReadable(stream);
      else pullIfNeeded(stream);
      return Promise.resolve({ value: chunk, done: false });
    }
    if (s.state === 'closed') return Promise.resolve({ value: undefined, done: true });
    if (s.state === 'errored') return Promise.reject(s.storedError);
    const request = defer();
    s.readRequests.push(request);
    // A byte stream with autoAllocateChunkSize offers its source a buffer to fill.
    if (s.autoAllocateChunkSize !== undefined && s.pendingPullIntos.length === 0) {
      const size = s.autoAllocateChunkSize;
      s.pendingPullIntos.push({ buffer: new ArrayBuffer(size), byteOffset: 0, byteLength: size, bytesFilled: 0, minimumFill: 1, elementSize: 1, ctor: Uint8Array, readerType: 'default', request: null });
    }
    pullIfNeeded(stream);
    return request.promise;
  }
  get [Symbol.toStringTag]() { return 'ReadableStreamDefaultReader'; }
}

class ReadableStreamBYOBReader extends ReadableStreamReader {
  constructor(stream) {
    if (stream instanceof ReadableStream && stream[kState].type !== 'bytes') throw typeError('Cannot use a BYOB reader with a non-byte stream', 'ERR_INVALID_ARG_VALUE');
    super(stream);
  }
  static rejectPending(s, e) {
    for (const d of s.pendingPullIntos.splice(0)) d.request?.reject(e);
    s.byobRequest = null;
  }
  read(view, options) {
    const stream = streamOf(this);
    if (!stream) return Promise.reject(typeError('Invalid state: The reader is not attached to a stream', 'ERR_INVALID_STATE'));
    if (!ArrayBuffer.isView(view)) return Promise.reject(typeError('The "view" argument must be an instance of ArrayBufferView', 'ERR_INVALID_ARG_TYPE'));
    if (view.byteLength === 0 || view.buffer.byteLength === 0) return Promise.reject(typeError('View or its buffer is empty or detached', 'ERR_INVALID_STATE'));
    const elementSize = view.BYTES_PER_ELEMENT ?? 1;
    const length = view.byteLength / elementSize;
    const min = options?.min ?? 1;
    if (!(Number.isInteger(min) && min >= 1 && min <= length)) return Promise.reject(new RangeError(`options.min must be in the range 1 to ${length}`));
    const s = stream[kState];
    s.disturbed = true;
    if (s.state === 'errored') return Promise.reject(s.storedError);
    const { byteOffset, byteLength } = view;
    const d = {
      buffer: transferBuffer(view.buffer), byteOffset, byteLength, bytesFilled: 0,
      minimumFill: min * elementSize, elementSize, ctor: view.constructor === DataView ? DataView : view.constructor, readerType: 'byob', request: defer(),
    };
    if (d.ctor === DataView) d.elementSize = 1;
    if (s.pendingPullIntos.length > 0) {
      s.pendingPullIntos.push(d);
      return d.request.promise;
    }
    if (s.state === 'closed') {
      commitPullInto(d, true);
      return d.request.promise;
    }
    if (s.queueSize > 0) {
      if (fillFromQueue(s, d)) {
        commitPullInto(d, false);
        if (s.closeRequested && s.queueSize === 0) closeReadable(stream);
        else pullIfNeeded(stream);
        return d.request.promise;
      }
      if (s.closeRequested) {
        const e = typeError('Insufficient bytes to fill elements in the given buffer', 'ERR_INVALID_STATE');
        errorReadable(stream, e);
        return Promise.reject(e);
      }
    }
    s.pendingPullIntos.push(d);
    pullIfNeeded(stream);
    return d.request.promise;
  }
  get [Symbol.toStringTag]() { return 'ReadableStreamBYOBReader'; }
}

// ---------------------------------------------------------------- WritableStream
class WritableStreamDefaultController {
  constructor(key, stream) {
    if (key !== kState) throw typeError('Illegal constructor');
    this[kState] = stream;
    this.signal = new AbortController().signal;
  }
  error(e) { errorWritable(this[kState], e); }
}

function errorWritable(stream, e) {
  const s = stream[kState];
  if (s.state !== 'writable' && s.state !== 'closing') return;
  s.state = 'errored';
  s.storedError = e;
  for (const w of s.queue.splice(0)) w.done.reject(e);
  s.closed.reject(e);
  s.readyRejected = e;
}

function advanceWrites(stream) {
  const s = stream[kState];
  if (s.writing || !s.started) return;
  const next = s.queue.shift();
  if (!next) return;
  s.writing = true;
  const step = next.close ? Promise.resolve().then(() => s.sink.close?.()) : Promise.resolve().then(() => s.sink.write?.(next.chunk, s.controller));
  step.then(() => {
    s.writing = false;
    s.queueSize -= next.size ?? 0;
    next.done.resolve();
    if (next.close) {
      s.state = 'closed';
      s.closed.resolve();
    }
    advanceWrites(stream);
  }, (e) => {
    s.writing = false;
    next.done.reject(e);
    errorWritable(stream, e);
  });
}

class WritableStream {
  constructor(sink = {}, strategy = {}) {
    if (sink === null) throw typeError('The "underlyingSink" argument must be an object');
    const s = {
      state: 'writable', queue: [], queueSize: 0, writing: false, started: false, storedError: undefined,
      hwm: highWaterMark(strategy, 1), size: sizeAlgorithm(strategy), sink, writer: null, closed: defer(), controller: null,
    };
    this[kState] = s;
    s.controller = new WritableStreamDefaultController(kState, this);
    Promise.resolve(typeof sink.start === 'function' ? sink.start(s.controller) : undefined).then(() => {
      s.started = true;
      advanceWrites(this);
    }, (e) => errorWritable(this, e));
  }
  get locked() { return this[kState].writer !== null; }
  getWriter() { return new WritableStreamDefaultWriter(this); }
  abort(reason) {
    if (this.locked) return Promise.reject(typeError('Invalid state: WritableStream is locked', 'ERR_INVALID_STATE'));
    return abortWritable(this, reason);
  }
  close() {
    if (this.locked) return Promise.reject(typeError('Invalid state: WritableStream is locked', 'ERR_INVALID_STATE'));
    return closeWritable(this);
  }
  get [Symbol.toStringTag]() { return 'WritableStream'; }
}

function abortWritable(stream, reason) {
  const s = stream[kState];
  if (s.state === 'closed' || s.state === 'errored') return Promise.resolve();
  errorWritable(stream, reason);
  return Promise.resolve(s.sink.abort?.(reason)).then(() => undefined);
}

function closeWritable(stream) {
  const s = stream[kState];
  if (s.state !== 'writable') return Promise.reject(typeError('Invalid state: WritableStream is closed', 'ERR_INVALID_STATE'));
  s.state = 'closing';
  const done = defer();
  s.queue.push({ close: true, done });
  advanceWrites(stream);
  return done.promise;
}

class WritableStreamDefaultWriter {
  #stream;
  constructor(stream) {
    if (!(stream instanceof WritableStream)) throw typeError('The "stream" argument must be a WritableStream');
    if (stream.locked) throw typeError('Invalid state: WritableStream is locked', 'ERR_INVALID_STATE');
    this.#stream = stream;
    stream[kState].writer = this;
  }
  get closed() { return this.#stream ? this.#stream[kState].closed.promise : Promise.reject(typeError('The writer is released')); }
  get desiredSize() {
    const s = this.#stream?.[kState];
    if (!s) throw typeError('The writer is released');
    if (s.state === 'errored') return null;
    if (s.state === 'closed') return 0;
    return s.hwm - s.queueSize;
  }
  get ready() {
    const s = this.#stream?.[kState];
    if (!s) return Promise.reject(typeError('The writer is released'));
    if (s.state === 'errored') return Promise.reject(s.storedError);
    if (s.hwm - s.queueSize > 0 || s.queue.length === 0) return Promise.resolve();
    // Ready once the queue has drained below the high-water mark.
    return new Promise((resolve, reject) => {
      const check = () => {
        if (s.state === 'errored') reject(s.storedError);
        else if (s.hwm - s.queueSize > 0 || s.queue.length === 0) resolve();
        else setTimeout(check, 0);
      };
      check();
    });
  }
  write(chunk) {
    const stream = this.#stream;
    if (!stream) return Promise.reject(typeError('The writer is released'));
    const s = stream[kState];
    if (s.state === 'errored') return Promise.reject(s.storedError);
    if (s.state !== 'writable') return Promise.reject(typeError('Invalid state: WritableStream is closed', 'ERR_INVALID_STATE'));
    let size;
    try {
      size = s.size(chunk);
    } catch (e) {
      errorWritable(stream, e);
      return Promise.reject(e);
    }
    const done = defer();
    s.queue.push({ chunk, size, done });
    s.queueSize += size;
    advanceWrites(stream);
    return done.promise;
  }
  close() {
    if (!this.#stream) return Promise.reject(typeError('The writer is released'));
    return closeWritable(this.#stream);
  }
  abort(reason) {
    if (!this.#stream) return Promise.reject(typeError('The writer is released'));
    return abortWritable(this.#stream, reason);
  }
  releaseLock() {
    if (!this.#stream) return;
    this.#stream[kState].writer = null;
    this.#stream = undefined;
  }
  get [Symbol.toStringTag]() { return 'WritableStreamDefaultWriter'; }
}

// ---------------------------------------------------------------- TransformStream
class TransformStreamDefaultController {
  constructor(key, readableController, terminate, enqueued) {
    if (key !== kState) throw typeError('Illegal constructor');
    this[kState] = { readableController, terminate, enqueued };
  }
  get desiredSize() { return this[kState].readableController.desiredSize; }
  enqueue(chunk) {
    this[kState].readableController.enqueue(chunk);
    this[kState].enqueued();
  }
  error(e) {
    this[kState].readableController.error(e);
    this[kState].terminate(e);
  }
  terminate() {
    try { this[kState].readableController.close(); } catch {}
    this[kState].terminate(typeError('The transform stream has been terminated'));
  }
}

// The streams spec's TransformStream: a write waits while the readable side has backpressure
// (its queue is at its high-water mark — 0 by default — until a reader pulls), so chunks do
// not pile up between the two sides.
class TransformStream {
  #readable; #writable;
  constructor(transformer = {}, writableStrategy = {}, readableStrategy = {}) {
    let readableController;
    let writableStream;
    let backpressure = true;
    let backpressureChange = defer();
    const setBackpressure = (on) => {
      backpressureChange.resolve();
      backpressureChange = defer();
      backpressure = on;
    };
    this.#readable = new ReadableStream({
      start(c) { readableController = c; },
      pull() {
        setBackpressure(false);
        return backpressureChange.promise;
      },
      cancel(reason) {
        if (writableStream) errorWritable(writableStream, reason);
      },
    }, { ...readableStrategy, highWaterMark: readableStrategy?.highWaterMark ?? 0 });
    const controller = new TransformStreamDefaultController(kState, readableController, (e) => {
      if (writableStream) errorWritable(writableStream, e);
      if (backpressure) setBackpressure(false);
    }, () => {
      const full = readableController.desiredSize <= 0;
      if (full !== backpressure) setBackpressure(full);
    });
    const start = typeof transformer.start === 'function' ? transformer.start(controller) : undefined;
    const transform = typeof transformer.transform === 'function' ? (chunk) => transformer.transform(chunk, controller) : (chunk) => controller.enqueue(chunk);
    const flush = typeof transformer.flush === 'function' ? () => transformer.flush(controller) : () => {};
    this.#writable = new WritableStream({
      start: () => start,
      write: async (chunk) => {
        if (backpressure) await backpressureChange.promise;
        const ws = writableStream[kState];
        if (ws.state === 'errored' || ws.state === 'erroring') throw ws.storedError;
        // A transform that throws errors both sides (the spec's TransformStreamError).
        try {
          return await transform(chunk);
        } catch (e) {
          readableController.error(e);
          throw e;
        }
      },
      close: async () => {
        try {
          await flush();
        } catch (e) {
          readableController.error(e);
          throw e;
        }
        try { readableController.close(); } catch {}
      },
      abort: (reason) => { readableController.error(reason); },
    }, writableStrategy);
    writableStream = this.#writable;
  }
  get readable() { return this.#readable; }
  get writable() { return this.#writable; }
  get [Symbol.toStringTag]() { return 'TransformStream'; }
}

// ---------------------------------------------------------------- text and compression
class TextEncoderStream extends TransformStream {
  constructor() {
    const enc = new TextEncoder();
    let pending = '';
    super({
      transform(chunk, c) {
        let text = pending + `${chunk}`;
        pending = '';
        // A lone high surrogate at the end waits for its partner.
        const last = text.charCodeAt(text.length - 1);
        if (last >= 0xd800 && last <= 0xdbff) {
          pending = text.slice(-1);
          text = text.slice(0, -1);
        }
        if (text) c.enqueue(enc.encode(text));
      },
      flush(c) { if (pending) c.enqueue(enc.encode(pending)); },
    });
  }
  get encoding() { return 'utf-8'; }
}

class TextDecoderStream extends TransformStream {
  #decoder;
  constructor(label = 'utf-8', options = {}) {
    const dec = new TextDecoder(label, options);
    super({
      transform(chunk, c) {
        const text = dec.decode(chunk, { stream: true });
        if (text) c.enqueue(text);
      },
      flush(c) {
        const text = dec.decode();
        if (text) c.enqueue(text);
      },
    });
    this.#decoder = dec;
  }
  get encoding() { return this.#decoder.encoding; }
  get fatal() { return this.#decoder.fatal; }
  get ignoreBOM() { return this.#decoder.ignoreBOM; }
}

// The transformer of a CompressionStream/DecompressionStream: zlib's stream natives
// (builtins/zlib_stream.rs), each chunk (de)compressed as it comes.
function codecStream(format, compress) {
  const op = {
    gzip: compress ? 'gzip' : 'gunzip',
    deflate: compress ? 'deflate' : 'inflate',
    'deflate-raw': compress ? 'deflateRaw' : 'inflateRaw',
  }[format];
  if (!op) throw typeError(`The provided value '${format}' is not a valid enum value of type CompressionFormat.`, 'ERR_INVALID_ARG_VALUE');
  const id = native.zlib.streamOpen(op, -1);
  const transformer = {
    transform(chunk, c) {
      if (!ArrayBuffer.isView(chunk) && !(chunk instanceof ArrayBuffer)) throw typeError('The "chunk" argument must be a BufferSource');
      const out = native.zlib.streamWrite(id, chunk);
      if (out.length) c.enqueue(out);
    },
    flush(c) {
      const out = native.zlib.streamEnd(id);
      if (out.length) c.enqueue(out);
    },
  };
  // A stream dropped before its end (never closed, or aborted) lets go of its codec when the
  // collector takes it (a deflate state is some 256 KiB).
  codecs.register(transformer, id);
  return transformer;
}
const codecs = new FinalizationRegistry((id) => native.zlib.streamClose(id));

class CompressionStream extends TransformStream {
  constructor(format) { super(codecStream(`${format}`, true)); }
}
class DecompressionStream extends TransformStream {
  constructor(format) { super(codecStream(`${format}`, false)); }
}

// Whether a stream has been read from or cancelled (the fetch spec's "disturbed").
function isDisturbed(stream) { return stream[kState].disturbed; }

module.exports = {
  ReadableStream, ReadableStreamDefaultReader, ReadableStreamDefaultController,
  ReadableStreamBYOBReader, ReadableStreamBYOBRequest, ReadableByteStreamController,
  WritableStream, WritableStreamDefaultWriter, WritableStreamDefaultController,
  TransformStream, TransformStreamDefaultController,
  ByteLengthQueuingStrategy, CountQueuingStrategy,
  TextEncoderStream, TextDecoderStream, CompressionStream, DecompressionStream,
};
// For fetch's bodies (web.js), not part of stream/web.
Object.defineProperty(module.exports, 'isDisturbed', { value: isDisturbed });
