// jsrt:string_decoder — StringDecoder: bytes to strings across chunk boundaries (a character
// split between two writes comes out whole), as Node's: utf8, utf16le, base64, base64url,
// hex, latin1/binary and ascii.
'use strict';

const { Buffer } = require('buffer');

const ALIASES = {
  utf8: 'utf8', 'utf-8': 'utf8', ucs2: 'utf16le', 'ucs-2': 'utf16le', utf16le: 'utf16le', 'utf-16le': 'utf16le',
  base64: 'base64', base64url: 'base64url', hex: 'hex', latin1: 'latin1', binary: 'latin1', ascii: 'ascii',
};

function normalize(enc) {
  const name = ALIASES[`${enc ?? 'utf8'}`.toLowerCase()];
  if (!name) {
    const err = new TypeError(`Unknown encoding: ${enc}`);
    err.code = 'ERR_UNKNOWN_ENCODING';
    throw err;
  }
  return name;
}

const toBuffer = (chunk) => (typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));

class StringDecoder {
  constructor(encoding) {
    this.encoding = normalize(encoding);
    // utf8 and utf16le keep their partial characters in a streaming TextDecoder; base64 keeps
    // the bytes of an unfinished 3-byte group.
    if (this.encoding === 'utf8' || this.encoding === 'utf16le') {
      this._decoder = new TextDecoder(this.encoding === 'utf8' ? 'utf-8' : 'utf-16le');
    }
    this._rest = Buffer.alloc(0);
  }

  write(chunk) {
    if (typeof chunk === 'string') return chunk;
    const bytes = toBuffer(chunk);
    if (this._decoder) return this._decoder.decode(bytes, { stream: true });
    if (this.encoding === 'base64' || this.encoding === 'base64url') {
      const all = Buffer.concat([this._rest, bytes]);
      const whole = all.length - (all.length % 3);
      this._rest = all.subarray(whole);
      return all.subarray(0, whole).toString(this.encoding);
    }
    return bytes.toString(this.encoding);
  }

  end(chunk) {
    let out = chunk === undefined ? '' : this.write(chunk);
    if (this._decoder) {
      out += this._decoder.decode();
    } else if (this._rest.length) {
      out += this._rest.toString(this.encoding);
      this._rest = Buffer.alloc(0);
    }
    return out;
  }

  text(chunk, start) {
    return this.write(toBuffer(chunk).subarray(start));
  }
}

module.exports = { StringDecoder };
