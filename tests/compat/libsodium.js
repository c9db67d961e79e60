// libsodium-wrappers (libsodium in C, emscripten): secret boxes, signatures, hashing, key exchange
// with fixed keys and nonces (deterministic output compared with Node's).
const sodium = require('libsodium-wrappers');
const assert = require('node:assert');

(async () => {
  await sodium.ready;
  const hex = sodium.to_hex;
  const key = sodium.from_hex('00'.repeat(31) + '01');
  const nonce = new Uint8Array(sodium.crypto_secretbox_NONCEBYTES).fill(9);
  const box = sodium.crypto_secretbox_easy('attack at dawn', nonce, key);
  console.log('secretbox', hex(box));
  console.log('opened', sodium.to_string(sodium.crypto_secretbox_open_easy(box, nonce, key)));
  assert.throws(() => sodium.crypto_secretbox_open_easy(box, nonce, sodium.from_hex('ff'.repeat(32))));
  const seed = new Uint8Array(32).fill(3);
  const kp = sodium.crypto_sign_seed_keypair(seed);
  const sig = sodium.crypto_sign_detached('message', kp.privateKey);
  console.log('ed25519', hex(kp.publicKey), hex(sig));
  console.log('verify', sodium.crypto_sign_verify_detached(sig, 'message', kp.publicKey), sodium.crypto_sign_verify_detached(sig, 'messagf', kp.publicKey));
  console.log('generichash', hex(sodium.crypto_generichash(32, 'abc')));
  const a = sodium.crypto_kx_seed_keypair(new Uint8Array(32).fill(1));
  const b = sodium.crypto_kx_seed_keypair(new Uint8Array(32).fill(2));
  const ca = sodium.crypto_kx_client_session_keys(a.publicKey, a.privateKey, b.publicKey);
  const sb = sodium.crypto_kx_server_session_keys(b.publicKey, b.privateKey, a.publicKey);
  assert.equal(hex(ca.sharedRx), hex(sb.sharedTx));
  console.log('kx', hex(ca.sharedRx));
  console.log('random', sodium.randombytes_buf(16).length, sodium.randombytes_uniform(10) < 10);
})();
