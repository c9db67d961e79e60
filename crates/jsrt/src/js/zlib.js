// jsrt:zlib — gzip, deflate, deflateRaw and Brotli, their inverses and unzip, in Node's sync
// (`gzipSync`) and callback (`gzip(buf, [options], cb)`, off the JS thread) forms, plus
// `crc32`, the constants, and the stream forms `createGzip` & co. (chunk by chunk).
// Natives in builtins/zlib.rs. Results are Buffers.
'use strict';

const { Buffer } = require('buffer');

const constants = {
  Z_NO_FLUSH: 0, Z_PARTIAL_FLUSH: 1, Z_SYNC_FLUSH: 2, Z_FULL_FLUSH: 3, Z_FINISH: 4, Z_BLOCK: 5,
  Z_OK: 0, Z_STREAM_END: 1, Z_NEED_DICT: 2, Z_ERRNO: -1, Z_STREAM_ERROR: -2, Z_DATA_ERROR: -3,
  Z_MEM_ERROR: -4, Z_BUF_ERROR: -5, Z_VERSION_ERROR: -6,
  Z_NO_COMPRESSION: 0, Z_BEST_SPEED: 1, Z_BEST_COMPRESSION: 9, Z_DEFAULT_COMPRESSION: -1,
  Z_FILTERED: 1, Z_HUFFMAN_ONLY: 2, Z_RLE: 3, Z_FIXED: 4, Z_DEFAULT_STRATEGY: 0,
  BROTLI_OPERATION_PROCESS: 0, BROTLI_OPERATION_FLUSH: 1, BROTLI_OPERATION_FINISH: 2,
  BROTLI_PARAM_MODE: 0, BROTLI_MODE_GENERIC: 0, BROTLI_MODE_TEXT: 1, BROTLI_MODE_FONT: 2,
  BROTLI_PARAM_QUALITY: 1, BROTLI_MIN_QUALITY: 0, BROTLI_MAX_QUALITY: 11, BROTLI_DEFAULT_QUALITY: 11,
  BROTLI_PARAM_LGWIN: 2, BROTLI_PARAM_SIZE_HINT: 5,
};

function levelOf(op, options) {
  if (options == null) return -1;
  if (op.startsWith('brotli')) {
    const q = options.params?.[constants.BROTLI_PARAM_QUALITY];
    return q === undefined ? -1 : q;
  }
  const level = options.level ?? -1;
  if (!Number.isInteger(level) || level < -1 || level > 9) {
    const err = new RangeError(`The value of "options.level" is out of range. It must be >= -1 and <= 9. Received ${level}`);
    err.code = 'ERR_OUT_OF_RANGE';
    throw err;
  }
  return level;
}

const toBuffer = (u8) => Buffer.from(u8.buffer, u8.byteOffset, u8.byteLength);

// Strings, Buffers, TypedArrays, DataViews and ArrayBuffers; anything else is Node's TypeError.
function checkInput(buffer) {
  if (typeof buffer === 'string' || ArrayBuffer.isView(buffer) || buffer instanceof ArrayBuffer) return buffer;
  const got = buffer === null || typeof buffer !== 'object'
    ? `type ${buffer === null ? 'null' : typeof buffer}${buffer == null ? '' : ` (${String(buffer)})`}`
    : `an instance of ${buffer.constructor?.name ?? 'Object'}`;
  const err = new TypeError(`The "buffer" argument must be of type string or an instance of Buffer, TypedArray, DataView, or ArrayBuffer. Received ${got}`);
  err.code = 'ERR_INVALID_ARG_TYPE';
  throw err;
}

const api = { constants, codes: { Z_OK: 0, Z_STREAM_END: 1, Z_NEED_DICT: 2, Z_ERRNO: -1, Z_STREAM_ERROR: -2, Z_DATA_ERROR: -3, Z_MEM_ERROR: -4, Z_BUF_ERROR: -5, Z_VERSION_ERROR: -6 } };
for (const op of ['gzip', 'gunzip', 'deflate', 'inflate', 'deflateRaw', 'inflateRaw', 'unzip', 'brotliCompress', 'brotliDecompress']) {
  api[`${op}Sync`] = (buffer, options) => toBuffer(native.zlib.process(op, checkInput(buffer), levelOf(op, options)));
  api[op] = (buffer, options, callback) => {
    if (typeof options === 'function') [options, callback] = [undefined, options];
    if (typeof callback !== 'function') {
      const err = new TypeError('The "callback" argument must be of type function');
      err.code = 'ERR_INVALID_ARG_TYPE';
      throw err;
    }
    native.zlib.processAsync(op, checkInput(buffer), levelOf(op, options)).then((out) => callback(null, toBuffer(out)), (err) => callback(err));
  };
}

// Stream forms (createGzip, new zlib.Gzip(), ...): Transforms that (de)compress each chunk as
// it comes (builtins/zlib_stream.rs), the output leaving as the input arrives.
const streamClasses = { Gzip: 'gzip', Gunzip: 'gunzip', Deflate: 'deflate', Inflate: 'inflate', DeflateRaw: 'deflateRaw', InflateRaw: 'inflateRaw', Unzip: 'unzip', BrotliCompress: 'brotliCompress', BrotliDecompress: 'brotliDecompress' };
let ZlibBase;
const handles = new FinalizationRegistry((id) => native.zlib.streamClose(id));
function zlibBase() {
  if (ZlibBase) return ZlibBase;
  const { Transform } = require('stream');
  ZlibBase = class ZlibBase extends Transform {
    constructor(op, options) {
      super(options);
      this._handle = native.zlib.streamOpen(op, levelOf(op, options));
      this.bytesWritten = 0;
      // Dropped without end() or destroy(): the codec goes when the collector takes the stream.
      handles.register(this, this._handle);
    }
    _transform(chunk, encoding, cb) {
      let out;
      try {
        this.bytesWritten += chunk.length;
        out = native.zlib.streamWrite(this._handle, chunk);
      } catch (e) {
        this._handle = 0;
        return cb(e);
      }
      if (out.length) this.push(toBuffer(out));
      cb();
    }
    _flush(cb) {
      let out;
      try {
        out = native.zlib.streamEnd(this._handle);
      } catch (e) {
        return cb(e);
      } finally {
        this._handle = 0;
      }
      cb(null, out.length ? toBuffer(out) : undefined);
    }
    _destroy(err, cb) {
      if (this._handle) native.zlib.streamClose(this._handle);
      this._handle = 0;
      cb(err);
    }
    close(cb) {
      if (cb) this.once('close', cb);
      this.destroy();
    }
  };
  return ZlibBase;
}
for (const [cls, op] of Object.entries(streamClasses)) {
  let Class;
  const make = () => (Class ??= { [cls]: class extends zlibBase() { constructor(options) { super(op, options); } } }[cls]);
  api[`create${cls}`] = (options) => new (make())(options);
  Object.defineProperty(api, cls, { get: make, enumerable: true, configurable: true });
}

// CRC-32 of a string (UTF-8) or bytes, continuing from `value` (zlib.crc32, Node 20.15+).
api.crc32 = (data, value = 0) => native.zlib.crc32(data, value >>> 0);

module.exports = api;
