// jsrt:crypto — randomness (randomBytes, randomUUID, getRandomValues, randomInt), hashes and
// HMACs (createHash, createHmac: md5, sha1, sha224, sha256, sha384, sha512 from RustCrypto's
// crates through native.digest) and webcrypto.
'use strict';

const { Buffer } = require('buffer');
const web = require('internal/web');

const HASHES = ['md5', 'sha1', 'sha224', 'sha256', 'sha384', 'sha512'];

function errorWithCode(Ctor, message, code) {
  const e = new Ctor(message);
  if (code) e.code = code;
  return e;
}

function bytesOf(data, encoding, name) {
  if (typeof data === 'string') return Buffer.from(data, encoding ?? 'utf8');
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength));
  if (data instanceof ArrayBuffer) return new Uint8Array(data.slice(0));
  throw internal.invalidArgType(name, 'string or an instance of Buffer, TypedArray, or DataView', data);
}

// One class for both: a Hash has no key, an Hmac has one. Data is kept until digest().
class Hash {
  #algorithm;
  #key;
  #chunks = [];
  #done = false;
  constructor(algorithm, key) {
    this.#algorithm = String(algorithm).toLowerCase();
    this.#key = key;
  }
  update(data, encoding) {
    if (this.#done) throw errorWithCode(Error, 'Digest already called', 'ERR_CRYPTO_HASH_FINALIZED');
    this.#chunks.push(bytesOf(data, encoding, 'data'));
    return this;
  }
  digest(encoding) {
    if (this.#done) throw errorWithCode(Error, 'Digest already called', 'ERR_CRYPTO_HASH_FINALIZED');
    this.#done = true;
    const d = Buffer.from(native.digest(this.#algorithm, this.#chunks, this.#key).buffer);
    this.#chunks = [];
    return encoding === undefined || encoding === 'buffer' ? d : d.toString(encoding);
  }
  copy() {
    if (this.#done) throw errorWithCode(Error, 'Digest already called', 'ERR_CRYPTO_HASH_FINALIZED');
    const c = new Hash(this.#algorithm, this.#key);
    for (const chunk of this.#chunks) c.update(chunk);
    return c;
  }
}

module.exports = {
  randomBytes(size, cb) {
    const buf = Buffer.alloc(size);
    native.randomFill(buf);
    if (typeof cb === 'function') { process.nextTick(cb, null, buf); return undefined; }
    return buf;
  },
  randomFillSync(buf) { return native.randomFill(buf); },
  randomUUID: () => native.randomUUID(),
  getRandomValues: (a) => web.crypto.getRandomValues(a),
  randomInt(min, max) {
    if (max === undefined) { max = min; min = 0; }
    const range = max - min;
    const u = new Uint32Array(1);
    native.randomFill(u);
    return min + (u[0] % range);
  },
  webcrypto: web.crypto,
  createHash(algorithm) {
    if (!HASHES.includes(String(algorithm).toLowerCase())) throw new Error('Digest method not supported');
    return new Hash(algorithm, undefined);
  },
  createHmac(algorithm, key) {
    if (!HASHES.includes(String(algorithm).toLowerCase())) {
      throw errorWithCode(TypeError, `Invalid digest: ${algorithm}`, 'ERR_CRYPTO_INVALID_DIGEST');
    }
    return new Hash(algorithm, bytesOf(key, 'utf8', 'key'));
  },
  getHashes: () => HASHES.slice(),
  hash(algorithm, data, encoding = 'hex') {
    return module.exports.createHash(algorithm).update(data).digest(encoding);
  },
};
