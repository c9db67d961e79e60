// jsrt:wasi (Node's node:wasi API): arguments, stdout, exit code through start().
const assert = require('jsrt:assert');
const fs = require('jsrt:fs');
const { WASI } = require('jsrt:wasi');
assert.strictEqual(require('node:wasi').WASI, WASI);

const mod = new WebAssembly.Module(fs.readFileSync(`${__dirname}/fixtures/wasi-hello.wasm`));
const wasi = new WASI({ version: 'preview1', args: ['prog', 'ARG'], env: { A: '1' } });
const written = [];
const origWrite = process.stdout.write;
process.stdout.write = (chunk) => { written.push(new TextDecoder().decode(chunk)); return true; };
let code;
try {
  const instance = new WebAssembly.Instance(mod, wasi.getImportObject());
  code = wasi.start(instance);
} finally {
  process.stdout.write = origWrite;
}
assert.strictEqual(code, 7);
assert.strictEqual(written.join(''), 'hello wasi\nARG');
assert.throws(() => wasi.start(new WebAssembly.Instance(mod, wasi.getImportObject())), { code: 'ERR_WASI_ALREADY_STARTED' });
assert.throws(() => new WASI({ version: 'preview9' }), { code: 'ERR_INVALID_ARG_VALUE' });
// Imports a program uses that jsrt does not implement still link (and return ENOSYS).
assert.strictEqual(typeof new WASI().wasiImport.sock_accept, 'function');
assert.strictEqual(new WASI().wasiImport.sock_accept(), 52);
console.log('wasi ok');
