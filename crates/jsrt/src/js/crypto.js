// jsrt:crypto — randomness (randomBytes, randomUUID, getRandomValues, randomInt) and webcrypto.
'use strict';

const { Buffer } = require('buffer');
const web = require('internal/web');

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
};
