// jsrt:stream — Node's streams: Readable (flowing and paused modes, async iteration,
// Readable.from), Writable (buffered writes, backpressure with 'drain', _final), Duplex,
// Transform, PassThrough, pipe, pipeline and finished (callback and stream/promises forms).
// Events are emitted on later ticks (process.nextTick), as Node does.
'use strict';

const EE = require('events');
const { Buffer } = require('buffer');

const tick = (fn, ...args) => process.nextTick(fn, ...args);

function errorCode(Cls, code, message) {
  const e = new Cls(message);
  e.code = code;
  return e;
}

class Stream extends EE {
  pipe(dest, options) { return Readable.prototype.pipe.call(this, dest, options); }
}

// ---------------------------------------------------------------- Readable
function readableState(options = {}) {
  const objectMode = !!(options.objectMode || options.readableObjectMode);
  return {
    objectMode,
    highWaterMark: options.highWaterMark ?? options.readableHighWaterMark ?? (objectMode ? 16 : 16384),
    buffer: [],
    length: 0,
    flowing: null,
    ended: false,
    endEmitted: false,
    reading: false,
    readableListening: false,
    decoder: null,
    encoding: null,
    destroyed: false,
    closed: false,
    errored: null,
    pipes: [],
    autoDestroy: options.autoDestroy !== false,
    emitClose: options.emitClose !== false,
  };
}

class Readable extends Stream {
  constructor(options = {}) {
    super(options);
    this._readableState = readableState(options);
    if (typeof options.read === 'function') this._read = options.read;
    if (typeof options.destroy === 'function') this._destroy = options.destroy;
    if (options.encoding) this.setEncoding(options.encoding);
  }

  get readable() { const s = this._readableState; return !s.destroyed && !s.endEmitted; }
  get readableEnded() { return this._readableState.endEmitted; }
  get readableFlowing() { return this._readableState.flowing; }
  get readableLength() { return this._readableState.length; }
  get readableHighWaterMark() { return this._readableState.highWaterMark; }
  get readableObjectMode() { return this._readableState.objectMode; }
  get readableEncoding() { return this._readableState.encoding; }
  get destroyed() { return this._readableState.destroyed; }
  get closed() { return this._readableState.closed; }
  get errored() { return this._readableState.errored; }

  _read() {
    throw errorCode(Error, 'ERR_METHOD_NOT_IMPLEMENTED', 'The _read() method is not implemented');
  }

  push(chunk, encoding) {
    const s = this._readableState;
    if (chunk === null) {
      s.ended = true;
      s.reading = false;
      if (s.length === 0) tick(() => endReadable(this));
      else maybeFlow(this);
      return false;
    }
    if (s.ended) {
      this.destroy(errorCode(Error, 'ERR_STREAM_PUSH_AFTER_EOF', 'stream.push() after EOF'));
      return false;
    }
    if (!s.objectMode) {
      if (typeof chunk === 'string') chunk = Buffer.from(chunk, encoding);
      else if (chunk instanceof Uint8Array && !Buffer.isBuffer(chunk)) chunk = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      else if (!Buffer.isBuffer(chunk)) {
        this.destroy(errorCode(TypeError, 'ERR_INVALID_ARG_TYPE', 'The "chunk" argument must be of type string or an instance of Buffer or Uint8Array'));
        return false;
      }
      if (s.decoder) chunk = s.decoder.write(chunk);
      if (chunk.length === 0) {
        s.reading = false;
        return s.length < s.highWaterMark;
      }
    }
    s.reading = false;
    s.buffer.push(chunk);
    s.length += s.objectMode ? 1 : chunk.length;
    maybeFlow(this);
    return s.length < s.highWaterMark;
  }

  unshift(chunk) {
    const s = this._readableState;
    s.buffer.unshift(chunk);
    s.length += s.objectMode ? 1 : chunk.length;
  }

  read(n) {
    const s = this._readableState;
    if (s.length === 0) {
      if (s.ended) tick(() => endReadable(this));
      else requestMore(this);
      return null;
    }
    let out;
    if (s.objectMode || n === undefined || n >= s.length) {
      if (s.objectMode) out = s.buffer.shift();
      else if (s.decoder) out = s.buffer.splice(0).join('');
      else out = s.buffer.length === 1 ? s.buffer.shift() : Buffer.concat(s.buffer.splice(0));
      s.length -= s.objectMode ? 1 : out.length;
    } else {
      const all = s.decoder ? s.buffer.join('') : Buffer.concat(s.buffer);
      out = all.slice(0, n);
      s.buffer = [all.slice(n)];
      s.length -= n;
    }
    if (s.length === 0 && s.ended) tick(() => endReadable(this));
    else if (s.length < s.highWaterMark) requestMore(this);
    if (out !== null && out !== undefined) this.emit('data', out);
    return out;
  }

  setEncoding(enc) {
    const { StringDecoder } = require('string_decoder');
    const s = this._readableState;
    s.decoder = new StringDecoder(enc);
    s.encoding = s.decoder.encoding;
    s.buffer = s.buffer.map((b) => s.decoder.write(b));
    return this;
  }

  on(event, fn) {
    super.on(event, fn);
    const s = this._readableState;
    if (event === 'data' && s.flowing !== false) this.resume();
    if (event === 'readable' && !s.endEmitted) {
      s.readableListening = true;
      s.flowing = false;
      tick(() => (s.length ? emitReadable(this) : requestMore(this)));
    }
    return this;
  }

  resume() {
    const s = this._readableState;
    if (!s.flowing) {
      s.flowing = !s.readableListening;
      tick(() => flow(this));
    }
    return this;
  }

  pause() {
    const s = this._readableState;
    if (s.flowing !== false) {
      s.flowing = false;
      this.emit('pause');
    }
    return this;
  }

  isPaused() { return this._readableState.flowing === false; }

  pipe(dest, options = {}) {
    const s = this._readableState;
    s.pipes.push(dest);
    const ondata = (chunk) => {
      if (dest.write(chunk) === false) this.pause();
    };
    const ondrain = () => this.resume();
    this.on('data', ondata);
    dest.on('drain', ondrain);
    // The process's standard output and error are not ended (as in Node).
    if (options.end !== false && !dest._isStdio) this.once('end', () => dest.end());
    dest.emit('pipe', this);
    this._unpipeHandlers = this._unpipeHandlers ?? new Map();
    this._unpipeHandlers.set(dest, () => { this.removeListener('data', ondata); dest.removeListener('drain', ondrain); });
    this.resume();
    return dest;
  }

  unpipe(dest) {
    const s = this._readableState;
    for (const d of dest ? [dest] : [...s.pipes]) {
      this._unpipeHandlers?.get(d)?.();
      s.pipes = s.pipes.filter((p) => p !== d);
      d.emit('unpipe', this);
    }
    return this;
  }

  destroy(err, cb) { return destroy(this, err, cb); }
  _destroy(err, cb) { cb(err); }

  [Symbol.asyncIterator]() {
    const stream = this;
    const s = this._readableState;
    let error = null;
    let finished = false;
    let wake = null;
    const kick = () => { const w = wake; wake = null; w?.(); };
    stream.on('readable', kick);
    stream.on('end', () => { finished = true; kick(); });
    stream.on('error', (e) => { error = e; kick(); });
    stream.on('close', () => { finished = true; kick(); });
    return {
      async next() {
        for (;;) {
          if (error) throw error;
          const chunk = s.length ? stream.read() : null;
          if (chunk !== null) return { value: chunk, done: false };
          if (finished || s.endEmitted) return { value: undefined, done: true };
          await new Promise((resolve) => { wake = resolve; });
        }
      },
      async return() {
        stream.destroy();
        return { value: undefined, done: true };
      },
      [Symbol.asyncIterator]() { return this; },
    };
  }

  static from(iterable, options = {}) {
    if (typeof iterable === 'string' || Buffer.isBuffer(iterable)) iterable = [iterable];
    const it = iterable[Symbol.asyncIterator] ? iterable[Symbol.asyncIterator]() : iterable[Symbol.iterator]();
    let reading = false;
    return new Readable({
      objectMode: true,
      ...options,
      async read() {
        if (reading) return;
        reading = true;
        try {
          for (;;) {
            const { value, done } = await it.next();
            if (done) {
              this.push(null);
              break;
            }
            if (!this.push(value)) break;
          }
        } catch (e) {
          this.destroy(e);
        } finally {
          reading = false;
        }
      },
    });
  }
}

function requestMore(stream) {
  const s = stream._readableState;
  if (s.reading || s.ended || s.destroyed) return;
  s.reading = true;
  tick(() => {
    if (s.destroyed || s.ended) return;
    try {
      stream._read(s.highWaterMark);
    } catch (e) {
      stream.destroy(e);
    }
  });
}

function emitReadable(stream) {
  const s = stream._readableState;
  if (s.destroyed) return;
  stream.emit('readable');
}

function maybeFlow(stream) {
  const s = stream._readableState;
  if (s.flowing) tick(() => flow(stream));
  else if (s.readableListening) tick(() => emitReadable(stream));
}

function flow(stream) {
  const s = stream._readableState;
  while (s.flowing && s.length > 0 && !s.destroyed) stream.read();
  if (s.flowing && s.length === 0) {
    if (s.ended) endReadable(stream);
    else requestMore(stream);
  }
}

function endReadable(stream) {
  const s = stream._readableState;
  if (s.endEmitted || s.length > 0 || s.destroyed) return;
  s.endEmitted = true;
  stream.emit('end');
  const w = stream._writableState;
  if (s.autoDestroy && (!w || w.finished)) stream.destroy();
}

// ---------------------------------------------------------------- Writable
function writableState(options = {}) {
  const objectMode = !!(options.objectMode || options.writableObjectMode);
  return {
    objectMode,
    highWaterMark: options.highWaterMark ?? options.writableHighWaterMark ?? (objectMode ? 16 : 16384),
    decodeStrings: options.decodeStrings !== false,
    queue: [],
    length: 0,
    writing: false,
    needDrain: false,
    ending: false,
    ended: false,
    finished: false,
    destroyed: false,
    closed: false,
    errored: null,
    corked: 0,
    autoDestroy: options.autoDestroy !== false,
    emitClose: options.emitClose !== false,
    finalCalled: false,
  };
}

// The writable half of a Writable or a Duplex: state and the methods given as options.
function initWritable(stream, options) {
  stream._writableState = writableState(options);
  if (typeof options.write === 'function') stream._write = options.write;
  if (typeof options.writev === 'function') stream._writev = options.writev;
  if (typeof options.final === 'function') stream._final = options.final;
  if (typeof options.destroy === 'function') stream._destroy = options.destroy;
}

class Writable extends Stream {
  constructor(options = {}) {
    super(options);
    initWritable(this, options);
  }

  get writable() { const w = this._writableState; return !w.destroyed && !w.ending; }
  get writableEnded() { return this._writableState.ending; }
  get writableFinished() { return this._writableState.finished; }
  get writableLength() { return this._writableState.length; }
  get writableHighWaterMark() { return this._writableState.highWaterMark; }
  get writableObjectMode() { return this._writableState.objectMode; }
  get writableNeedDrain() { return this._writableState.needDrain; }
  get writableCorked() { return this._writableState.corked; }
  get destroyed() { return this._writableState.destroyed; }
  get closed() { return this._writableState.closed; }
  get errored() { return this._writableState.errored; }

  _write(chunk, encoding, cb) {
    if (this._writev) this._writev([{ chunk, encoding }], cb);
    else throw errorCode(Error, 'ERR_METHOD_NOT_IMPLEMENTED', 'The _write() method is not implemented');
  }

  write(chunk, encoding, cb) {
    const w = this._writableState;
    if (typeof encoding === 'function') [encoding, cb] = [null, encoding];
    if (w.ending) {
      const err = errorCode(Error, 'ERR_STREAM_WRITE_AFTER_END', 'write after end');
      tick(() => { cb?.(err); this.emit('error', err); });
      return false;
    }
    if (chunk === null) throw errorCode(TypeError, 'ERR_STREAM_NULL_VALUES', 'May not write null values to stream');
    if (!w.objectMode) {
      if (typeof chunk === 'string') {
        if (w.decodeStrings) [chunk, encoding] = [Buffer.from(chunk, encoding ?? 'utf8'), 'buffer'];
      } else if (chunk instanceof Uint8Array) {
        if (!Buffer.isBuffer(chunk)) chunk = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
        encoding = 'buffer';
      } else {
        throw errorCode(TypeError, 'ERR_INVALID_ARG_TYPE', 'The "chunk" argument must be of type string or an instance of Buffer or Uint8Array');
      }
    }
    w.length += w.objectMode ? 1 : chunk.length;
    const ok = w.length < w.highWaterMark;
    if (!ok) w.needDrain = true;
    w.queue.push({ chunk, encoding: encoding ?? 'utf8', cb });
    if (!w.writing && !w.corked) writeNext(this);
    return ok;
  }

  cork() { this._writableState.corked++; }
  uncork() {
    const w = this._writableState;
    if (w.corked > 0 && --w.corked === 0 && !w.writing) writeNext(this);
  }

  end(chunk, encoding, cb) {
    const w = this._writableState;
    if (typeof chunk === 'function') [chunk, cb] = [undefined, chunk];
    else if (typeof encoding === 'function') [encoding, cb] = [undefined, encoding];
    if (chunk !== undefined && chunk !== null) this.write(chunk, encoding);
    if (cb) {
      if (w.finished) tick(cb);
      else this.once('finish', () => cb());
    }
    if (!w.ending) {
      w.ending = true;
      w.corked = 0;
      if (!w.writing) writeNext(this);
    }
    return this;
  }

  setDefaultEncoding() { return this; }
  destroy(err, cb) { return destroy(this, err, cb); }
  _destroy(err, cb) { cb(err); }
}

function writeNext(stream) {
  const w = stream._writableState;
  if (w.destroyed) return;
  const item = w.queue.shift();
  if (!item) {
    if (w.ending) finishWritable(stream);
    return;
  }
  w.writing = true;
  let sync = true;
  const done = (err) => {
    const after = () => {
      w.writing = false;
      w.length -= w.objectMode ? 1 : item.chunk.length;
      if (err) {
        item.cb?.(err);
        stream.destroy(err);
        return;
      }
      item.cb?.(null);
      if (w.length === 0 && w.needDrain && !w.ending) {
        w.needDrain = false;
        stream.emit('drain');
      }
      if (!w.corked) writeNext(stream);
    };
    if (sync) tick(after);
    else after();
  };
  try {
    stream._write(item.chunk, item.encoding, done);
  } catch (e) {
    done(e);
  }
  sync = false;
}

function finishWritable(stream) {
  const w = stream._writableState;
  if (w.finalCalled || w.destroyed) return;
  w.finalCalled = true;
  const finish = (err) => {
    if (err) {
      stream.destroy(err);
      return;
    }
    w.ended = true;
    w.finished = true;
    tick(() => {
      stream.emit('finish');
      const r = stream._readableState;
      if (w.autoDestroy && (!r || r.endEmitted)) stream.destroy();
    });
  };
  if (typeof stream._final === 'function') {
    tick(() => {
      try {
        stream._final(finish);
      } catch (e) {
        finish(e);
      }
    });
  } else {
    finish();
  }
}

// ---------------------------------------------------------------- destroy
function destroy(stream, err, cb) {
  const r = stream._readableState;
  const w = stream._writableState;
  if ((r ?? w).destroyed) {
    if (typeof cb === 'function') cb(err);
    return stream;
  }
  for (const s of [r, w]) if (s) s.destroyed = true;
  stream._destroy(err ?? null, (e) => {
    const failure = e ?? err;
    if (failure) for (const s of [r, w]) if (s) s.errored = failure;
    tick(() => {
      if (failure) stream.emit('error', failure);
      for (const s of [r, w]) if (s) s.closed = true;
      if ((r ?? w).emitClose) stream.emit('close');
      if (typeof cb === 'function') cb(failure);
    });
  });
  return stream;
}

// ---------------------------------------------------------------- Duplex, Transform, PassThrough
class Duplex extends Readable {
  constructor(options = {}) {
    super(options);
    initWritable(this, options);
    this.allowHalfOpen = options.allowHalfOpen !== false;
    if (!this.allowHalfOpen) this.once('end', () => this.end());
  }
}
for (const name of ['write', 'end', 'cork', 'uncork', 'setDefaultEncoding', '_write']) {
  Duplex.prototype[name] = Writable.prototype[name];
}
for (const name of ['writable', 'writableEnded', 'writableFinished', 'writableLength', 'writableHighWaterMark', 'writableObjectMode', 'writableNeedDrain', 'writableCorked']) {
  Object.defineProperty(Duplex.prototype, name, Object.getOwnPropertyDescriptor(Writable.prototype, name));
}

class Transform extends Duplex {
  constructor(options = {}) {
    super(options);
    if (typeof options.transform === 'function') this._transform = options.transform;
    if (typeof options.flush === 'function') this._flush = options.flush;
  }
  _transform() {
    throw errorCode(Error, 'ERR_METHOD_NOT_IMPLEMENTED', 'The _transform() method is not implemented');
  }
  _write(chunk, encoding, cb) {
    this._transform(chunk, encoding, (err, data) => {
      if (err) return cb(err);
      if (data !== undefined && data !== null) this.push(data);
      cb();
    });
  }
  _final(cb) {
    const done = (err, data) => {
      if (err) return cb(err);
      if (data !== undefined && data !== null) this.push(data);
      this.push(null);
      cb();
    };
    if (typeof this._flush === 'function') this._flush(done);
    else done();
  }
  _read() {}
}

class PassThrough extends Transform {
  _transform(chunk, encoding, cb) { cb(null, chunk); }
}

// ---------------------------------------------------------------- finished, pipeline
function finished(stream, options, callback) {
  if (typeof options === 'function') [options, callback] = [{}, options];
  let done = false;
  const r = stream._readableState;
  const w = stream._writableState;
  const readable = options?.readable ?? !!r;
  const writable = options?.writable ?? !!w;
  let ended = !readable || r?.endEmitted;
  let finishedW = !writable || w?.finished;
  const call = (err) => {
    if (done) return;
    done = true;
    cleanup();
    callback(err);
  };
  const onEnd = () => { ended = true; if (finishedW) call(); };
  const onFinish = () => { finishedW = true; if (ended) call(); };
  const onError = (err) => call(err);
  const onClose = () => {
    if (!(ended && finishedW)) call(errorCode(Error, 'ERR_STREAM_PREMATURE_CLOSE', 'Premature close'));
  };
  stream.on('end', onEnd);
  stream.on('finish', onFinish);
  stream.on('error', onError);
  stream.on('close', onClose);
  function cleanup() {
    stream.removeListener('end', onEnd);
    stream.removeListener('finish', onFinish);
    stream.removeListener('error', onError);
    stream.removeListener('close', onClose);
  }
  if (ended && finishedW) tick(call);
  return cleanup;
}

function pipeline(...streams) {
  const callback = typeof streams[streams.length - 1] === 'function' ? streams.pop() : null;
  if (Array.isArray(streams[0])) streams = streams[0];
  streams = streams.map((s) => (typeof s === 'function' || s?.[Symbol.asyncIterator] && !(s instanceof Stream) ? Readable.from(typeof s === 'function' ? s() : s) : s));
  let error = null;
  let remaining = streams.length;
  const last = streams[streams.length - 1];
  const fail = (err) => {
    if (error) return;
    error = err;
    for (const s of streams) if (!s.destroyed) s.destroy();
    callback?.(err);
  };
  for (let i = 0; i < streams.length; i++) {
    const s = streams[i];
    if (i + 1 < streams.length) s.pipe(streams[i + 1]);
    // process.stdout/stderr are not ended (pipe()): done when what feeds them is.
    if (s._isStdio && i > 0) {
      remaining--;
      continue;
    }
    finished(s, { readable: i < streams.length - 1 || !!s._readableState && !s._writableState, writable: i > 0 }, (err) => {
      if (err) return fail(err);
      if (--remaining === 0 && !error) callback?.();
    });
  }
  return last;
}

const promises = {
  pipeline: (...streams) => new Promise((resolve, reject) => pipeline(...streams, (err) => (err ? reject(err) : resolve()))),
  finished: (stream, options) => new Promise((resolve, reject) => finished(stream, options ?? {}, (err) => (err ? reject(err) : resolve()))),
};

Stream.Stream = Stream;
Stream.Readable = Readable;
Stream.Writable = Writable;
Stream.Duplex = Duplex;
Stream.Transform = Transform;
Stream.PassThrough = PassThrough;
Stream.pipeline = pipeline;
Stream.finished = finished;
Stream.promises = promises;
// Web streams interop (js/stream_web_adapters.js, loaded on first use).
const adapters = () => require('internal/stream_web_adapters');
Readable.toWeb = (readable, options) => adapters().readableToWeb(readable, options);
Readable.fromWeb = (stream, options) => adapters().readableFromWeb(stream, options);
Writable.toWeb = (writable) => adapters().writableToWeb(writable);
Writable.fromWeb = (stream, options) => adapters().writableFromWeb(stream, options);
Duplex.toWeb = (duplex) => adapters().duplexToWeb(duplex);
Duplex.fromWeb = (pair, options) => adapters().duplexFromWeb(pair, options);
Stream.isReadable = (s) => !!s?._readableState && s.readable;
Stream.isErrored = (s) => !!(s?._readableState?.errored ?? s?._writableState?.errored);

module.exports = Stream;
