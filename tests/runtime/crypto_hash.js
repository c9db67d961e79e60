// jsrt:crypto createHash / createHmac against published test vectors (FIPS 180 "abc",
// RFC 1321, RFC 4231 / Wikipedia's HMAC example), streaming updates, encodings and errors.
const assert = require('jsrt:assert');
const crypto = require('jsrt:crypto');

const abc = {
  md5: '900150983cd24fb0d6963f7d28e17f72',
  sha1: 'a9993e364706816aba3e25717850c26c9cd0d89d',
  sha224: '23097d223405d8228642a477bda255b32aadbce4bda0b3f7e36c9da7',
  sha256: 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
  sha384: 'cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7',
  sha512: 'ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f',
};
for (const [alg, hex] of Object.entries(abc)) {
  assert.strictEqual(crypto.createHash(alg).update('abc').digest('hex'), hex, alg);
  // Split across updates, bytes and strings: the same digest.
  assert.strictEqual(crypto.createHash(alg.toUpperCase()).update('a').update(Buffer.from('b')).update(new Uint8Array([99])).digest('hex'), hex);
  assert.deepStrictEqual(crypto.createHash(alg).update('abc').digest(), Buffer.from(hex, 'hex'));
}
assert.strictEqual(crypto.createHash('md5').update('').digest('hex'), 'd41d8cd98f00b204e9800998ecf8427e');
assert.strictEqual(crypto.createHash('md5').update('').digest('base64'), '1B2M2Y8AsgTpgAmY7PhCfg==');
assert.strictEqual(crypto.createHash('sha256').update('616263', 'hex').digest('hex'), abc.sha256);
if (crypto.hash) assert.strictEqual(crypto.hash('sha1', 'abc'), abc.sha1); // Node 21.7+
for (const alg of Object.keys(abc)) assert.ok(crypto.getHashes().includes(alg), alg);

// A million 'a's (FIPS 180-2), fed in pieces.
const million = crypto.createHash('sha256');
const chunk = Buffer.alloc(1000, 'a');
for (let i = 0; i < 1000; i++) million.update(chunk);
assert.strictEqual(million.digest('hex'), 'cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0');

// Data is copied at update(): changing the buffer afterwards changes nothing.
const buf = Buffer.from('abc');
const h = crypto.createHash('sha256').update(buf);
buf[0] = 0;
const copy = h.copy();
assert.strictEqual(h.digest('hex'), abc.sha256);
assert.strictEqual(copy.digest('hex'), abc.sha256);

// HMAC: RFC 4231 test case 2 and the "quick brown fox" example.
assert.strictEqual(
  crypto.createHmac('sha256', 'Jefe').update('what do ya want for nothing?').digest('hex'),
  '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
);
assert.strictEqual(
  crypto.createHmac('sha512', 'Jefe').update('what do ya want for nothing?').digest('hex'),
  '164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea2505549758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737',
);
assert.strictEqual(
  crypto.createHmac('md5', Buffer.from('key')).update('The quick brown fox jumps over the lazy dog').digest('hex'),
  '80070713463e7749b90c2dc24911e275',
);
// Keys longer than the block size are hashed first (RFC 4231 test case 6).
assert.strictEqual(
  crypto.createHmac('sha256', Buffer.alloc(131, 0xaa)).update('Test Using Larger Than Block-Size Key - Hash Key First').digest('hex'),
  '60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54',
);

// Errors, as Node reports them.
assert.throws(() => crypto.createHash('nope'), { name: 'Error', message: 'Digest method not supported' });
assert.throws(() => crypto.createHmac('nope', 'k'), { name: 'TypeError', code: 'ERR_CRYPTO_INVALID_DIGEST' });
assert.throws(() => crypto.createHash('sha256').update(5), { name: 'TypeError', code: 'ERR_INVALID_ARG_TYPE' });
const done = crypto.createHash('sha1');
done.digest();
assert.throws(() => done.update('x'), { code: 'ERR_CRYPTO_HASH_FINALIZED' });
assert.throws(() => done.digest(), { code: 'ERR_CRYPTO_HASH_FINALIZED' });
console.log('crypto hash ok');
