// jsrt:buffer — Node's Buffer as a Uint8Array subclass: from/alloc/allocUnsafe/concat/
// byteLength/isBuffer/compare, toString in utf8/hex/base64/base64url/latin1/ascii/utf16le,
// write, slice/subarray (sharing memory), equals, readUInt*/writeUInt* basics.
'use strict';

const normEnc = (enc) => {
  const e = (enc === undefined || enc === null ? 'utf8' : String(enc)).toLowerCase();
  switch (e) {
    case 'utf8': case 'utf-8': return 'utf8';
    case 'hex': return 'hex';
    case 'base64': return 'base64';
    case 'base64url': return 'base64url';
    case 'latin1': case 'binary': return 'latin1';
    case 'ascii': return 'ascii';
    case 'ucs2': case 'ucs-2': case 'utf16le': case 'utf-16le': return 'utf16le';
    default: {
      const err = new TypeError(`Unknown encoding: ${enc}`);
      err.code = 'ERR_UNKNOWN_ENCODING';
      throw err;
    }
  }
};

function bytesFromString(str, enc) {
  switch (normEnc(enc)) {
    case 'utf8': return native.utf8Encode(str);
    case 'hex': {
      const n = str.length >>> 1;
      const out = new Uint8Array(n);
      let i = 0;
      for (; i < n; i++) {
        const b = parseInt(str.substr(i * 2, 2), 16);
        if (Number.isNaN(b)) break;
        out[i] = b;
      }
      return i === n ? out : out.subarray(0, i);
    }
    case 'base64': case 'base64url': return native.base64Decode(str) ?? new Uint8Array(0);
    case 'latin1': case 'ascii': {
      const out = new Uint8Array(str.length);
      for (let i = 0; i < str.length; i++) out[i] = str.charCodeAt(i) & 0xff;
      return out;
    }
    case 'utf16le': {
      const out = new Uint8Array(str.length * 2);
      for (let i = 0; i < str.length; i++) {
        const c = str.charCodeAt(i);
        out[i * 2] = c & 0xff;
        out[i * 2 + 1] = c >> 8;
      }
      return out;
    }
  }
}

class Buffer extends Uint8Array {
  static from(value, encOrOffset, length) {
    if (typeof value === 'string') {
      const bytes = bytesFromString(value, encOrOffset);
      const b = new Buffer(bytes.length);
      b.set(bytes);
      return b;
    }
    if (value instanceof ArrayBuffer || (typeof SharedArrayBuffer !== 'undefined' && value instanceof SharedArrayBuffer)) {
      const off = encOrOffset === undefined ? 0 : +encOrOffset;
      const len = length === undefined ? value.byteLength - off : +length;
      return new Buffer(value, off, len);
    }
    if (ArrayBuffer.isView(value)) {
      if (value instanceof Uint8Array || value instanceof DataView) {
        const b = new Buffer(value.byteLength);
        b.set(new Uint8Array(value.buffer, value.byteOffset, value.byteLength));
        return b;
      }
      const b = new Buffer(value.length);
      for (let i = 0; i < value.length; i++) b[i] = Number(value[i]) & 0xff;
      return b;
    }
    if (value && typeof value === 'object') {
      if (value.type === 'Buffer' && Array.isArray(value.data)) return Buffer.from(value.data);
      if (typeof value.length === 'number' || Array.isArray(value)) {
        const b = new Buffer(value.length);
        for (let i = 0; i < value.length; i++) b[i] = value[i] & 0xff;
        return b;
      }
      if (typeof value[Symbol.toPrimitive] === 'function' || typeof value.valueOf === 'function') {
        const prim = value.valueOf();
        if (prim !== value) return Buffer.from(prim, encOrOffset, length);
      }
    }
    throw internal.invalidArgType('first argument', 'string or an instance of Buffer, ArrayBuffer, or Array or an Array-like Object', value);
  }
  static alloc(size, fill, enc) {
    checkSize(size);
    const b = new Buffer(size);
    if (fill !== undefined && fill !== 0) b.fill(fill, 0, size, enc);
    return b;
  }
  static allocUnsafe(size) { checkSize(size); return new Buffer(size); }
  static allocUnsafeSlow(size) { checkSize(size); return new Buffer(size); }
  static isBuffer(b) { return b instanceof Buffer; }
  static isEncoding(enc) { try { normEnc(enc); return typeof enc === 'string'; } catch { return false; } }
  static byteLength(v, enc) {
    if (typeof v !== 'string') return v.byteLength;
    return bytesFromString(v, enc).length;
  }
  static concat(list, totalLength) {
    if (totalLength === undefined) totalLength = list.reduce((n, b) => n + b.length, 0);
    const out = Buffer.alloc(totalLength);
    let pos = 0;
    for (const b of list) {
      const n = Math.min(b.length, totalLength - pos);
      out.set(n === b.length ? b : b.subarray(0, n), pos);
      pos += n;
      if (pos >= totalLength) break;
    }
    return out;
  }
  static compare(a, b) { return a.compare(b); }
  toString(enc, start = 0, end = this.length) {
    start = Math.max(0, start | 0);
    end = Math.min(this.length, end === undefined ? this.length : end | 0);
    if (end <= start) return '';
    const view = start === 0 && end === this.length ? this : this.subarray(start, end);
    switch (normEnc(enc)) {
      case 'utf8': return native.decode('utf-8', view, false, true, false)[0];
      case 'hex': return native.hexEncode(view);
      case 'base64': return native.base64Encode(view, false);
      case 'base64url': return native.base64Encode(view, true);
      case 'latin1': { let s = ''; for (let i = 0; i < view.length; i++) s += String.fromCharCode(view[i]); return s; }
      case 'ascii': { let s = ''; for (let i = 0; i < view.length; i++) s += String.fromCharCode(view[i] & 0x7f); return s; }
      case 'utf16le': return native.decode('utf-16le', view, false, true, false)[0];
    }
  }
  toJSON() { return { type: 'Buffer', data: Array.from(this) }; }
  equals(other) { return this.compare(other) === 0; }
  compare(other) {
    const n = Math.min(this.length, other.length);
    for (let i = 0; i < n; i++) if (this[i] !== other[i]) return this[i] < other[i] ? -1 : 1;
    return this.length === other.length ? 0 : this.length < other.length ? -1 : 1;
  }
  write(string, offset = 0, length, enc) {
    if (typeof offset === 'string') { enc = offset; offset = 0; }
    else if (typeof length === 'string') { enc = length; length = undefined; }
    const bytes = bytesFromString(string, enc);
    const n = Math.min(bytes.length, this.length - offset, length ?? Infinity);
    this.set(bytes.subarray(0, n), offset);
    return n;
  }
  fill(value, offset = 0, end = this.length, enc) {
    if (typeof offset === 'string') { enc = offset; offset = 0; end = this.length; }
    if (typeof value === 'string') {
      const bytes = value.length === 1 && (enc === undefined || normEnc(enc) === 'utf8') && value.charCodeAt(0) < 128
        ? [value.charCodeAt(0)] : bytesFromString(value, enc);
      if (bytes.length === 0) return Uint8Array.prototype.fill.call(this, 0, offset, end);
      for (let i = offset, j = 0; i < end; i++, j = (j + 1) % bytes.length) this[i] = bytes[j];
      return this;
    }
    return Uint8Array.prototype.fill.call(this, typeof value === 'number' ? value & 0xff : value ? 1 : 0, offset, end);
  }
  slice(start, end) { return this.subarray(start, end); }
  subarray(start, end) {
    const u = Uint8Array.prototype.subarray.call(this, start, end);
    return new Buffer(u.buffer, u.byteOffset, u.byteLength);
  }
  copy(target, targetStart = 0, sourceStart = 0, sourceEnd = this.length) {
    const src = Uint8Array.prototype.subarray.call(this, sourceStart, sourceEnd);
    const n = Math.min(src.length, target.length - targetStart);
    target.set(n === src.length ? src : src.subarray(0, n), targetStart);
    return n;
  }
  includes(v, byteOffset, enc) { return this.indexOf(v, byteOffset, enc) !== -1; }
  indexOf(v, byteOffset = 0, enc) {
    if (typeof v === 'number') return Uint8Array.prototype.indexOf.call(this, v & 0xff, byteOffset);
    const needle = typeof v === 'string' ? bytesFromString(v, enc) : v;
    outer: for (let i = byteOffset; i <= this.length - needle.length; i++) {
      for (let j = 0; j < needle.length; j++) if (this[i + j] !== needle[j]) continue outer;
      return i;
    }
    return -1;
  }
  get parent() { return this.buffer; }
  get offset() { return this.byteOffset; }
  _dv() { return new DataView(this.buffer, this.byteOffset, this.byteLength); }
  readUInt8(o = 0) { return this._dv().getUint8(o); }
  readUInt16LE(o = 0) { return this._dv().getUint16(o, true); }
  readUInt16BE(o = 0) { return this._dv().getUint16(o, false); }
  readUInt32LE(o = 0) { return this._dv().getUint32(o, true); }
  readUInt32BE(o = 0) { return this._dv().getUint32(o, false); }
  readInt8(o = 0) { return this._dv().getInt8(o); }
  readInt16LE(o = 0) { return this._dv().getInt16(o, true); }
  readInt32LE(o = 0) { return this._dv().getInt32(o, true); }
  readInt32BE(o = 0) { return this._dv().getInt32(o, false); }
  readBigUInt64LE(o = 0) { return this._dv().getBigUint64(o, true); }
  readBigInt64LE(o = 0) { return this._dv().getBigInt64(o, true); }
  readFloatLE(o = 0) { return this._dv().getFloat32(o, true); }
  readDoubleLE(o = 0) { return this._dv().getFloat64(o, true); }
  writeUInt8(v, o = 0) { this._dv().setUint8(o, v); return o + 1; }
  writeUInt16LE(v, o = 0) { this._dv().setUint16(o, v, true); return o + 2; }
  writeUInt16BE(v, o = 0) { this._dv().setUint16(o, v, false); return o + 2; }
  writeUInt32LE(v, o = 0) { this._dv().setUint32(o, v, true); return o + 4; }
  writeUInt32BE(v, o = 0) { this._dv().setUint32(o, v, false); return o + 4; }
  writeInt32LE(v, o = 0) { this._dv().setInt32(o, v, true); return o + 4; }
  writeBigUInt64LE(v, o = 0) { this._dv().setBigUint64(o, v, true); return o + 8; }
  writeDoubleLE(v, o = 0) { this._dv().setFloat64(o, v, true); return o + 8; }
  writeFloatLE(v, o = 0) { this._dv().setFloat32(o, v, true); return o + 4; }
}
Buffer.poolSize = 8192;
Buffer.prototype.readUint8 = Buffer.prototype.readUInt8;
Buffer.prototype.readUint32LE = Buffer.prototype.readUInt32LE;
Buffer.prototype.writeUint8 = Buffer.prototype.writeUInt8;
Buffer.prototype.writeUint32LE = Buffer.prototype.writeUInt32LE;
Buffer.prototype[Symbol.for('nodejs.util.inspect.custom')] = function () {
  const max = 50;
  let hex = '';
  for (let i = 0; i < Math.min(max, this.length); i++) hex += ' ' + this[i].toString(16).padStart(2, '0');
  if (this.length > max) hex += ` ... ${this.length - max} more byte${this.length - max > 1 ? 's' : ''}`;
  return `<Buffer${hex}>`;
};

function checkSize(size) {
  if (typeof size !== 'number' || !(size >= 0) || size > 2 ** 32) {
    const err = new RangeError(`The argument 'size' is invalid. Received ${size}`);
    err.code = 'ERR_OUT_OF_RANGE';
    throw err;
  }
}

module.exports = { Buffer, kMaxLength: 2 ** 32, constants: { MAX_LENGTH: 2 ** 32 }, atob: (s) => globalThis.atob(s), btoa: (s) => globalThis.btoa(s) };
