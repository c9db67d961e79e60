// The WASI filesystem is a sandbox: a program sees its preopened directory and nothing else,
// whatever `..`, absolute paths or symlinks (found or made) it uses. fixtures/wasi-sandbox.c
// tries every way out; each attempt must fail with EPERM (63, as in wasmtime) and leave the
// outside untouched, while ordinary work inside keeps working. (Node's own node:wasi is
// documented as no sandbox: the same program reads and moves files outside there.)
const assert = require('jsrt:assert');
const fs = require('jsrt:fs');
const os = require('jsrt:os');
const { WASI } = require('jsrt:wasi');

const base = `${os.tmpdir()}/jsrt-wasi-sandbox-${process.pid}`;
fs.rmSync(base, { recursive: true, force: true });
fs.mkdirSync(`${base}/root/sub`, { recursive: true });
fs.mkdirSync(`${base}/outside`);
fs.writeFileSync(`${base}/root/inside.txt`, 'inside\n');
fs.writeFileSync(`${base}/root/sub/file.txt`, 'subfile\n');
fs.writeFileSync(`${base}/outside/secret.txt`, 'secret\n');
fs.symlinkSync('../outside', `${base}/root/link`);
fs.symlinkSync(`${base}/outside/secret.txt`, `${base}/root/abs`);
fs.symlinkSync('inside.txt', `${base}/root/ok`);
fs.symlinkSync('../inside.txt', `${base}/root/sub/back`);
fs.symlinkSync('..', `${base}/root/up`);
fs.symlinkSync('../../outside', `${base}/root/sub/out`);

function run(preopens) {
  const wasi = new WASI({ version: 'preview1', args: ['sandbox'], env: {}, preopens });
  const mod = new WebAssembly.Module(fs.readFileSync(`${__dirname}/fixtures/wasi-sandbox.wasm`));
  const out = [];
  const write = process.stdout.write;
  process.stdout.write = (chunk) => { out.push(typeof chunk === 'string' ? chunk : new TextDecoder().decode(chunk)); return true; };
  try {
    assert.strictEqual(wasi.start(new WebAssembly.Instance(mod, wasi.getImportObject())), 0);
  } finally {
    process.stdout.write = write;
  }
  return Object.fromEntries(out.join('').trim().split('\n').map((l) => { const i = l.indexOf(' '); return [l.slice(0, i), l.slice(i + 1)]; }));
}

const EPERM = 'errno 63';
const expected = {
  'read-inside': 'ok inside',
  'read-sub-file': 'ok subfile',
  'read-symlink-inside': 'ok inside',
  'read-symlink-up-inside': 'ok inside',
  'read-dotdot-inside': 'ok inside',
  'read-dotdot': EPERM,
  'read-absolute': 'errno 44', // no preopen holds "/": wasi-libc answers ENOENT itself
  'read-link-dir': EPERM,
  'read-link-abs': EPERM,
  'read-link-parent': EPERM,
  'read-sub-link': EPERM,
  'nofollow-inside-link': 'errno 32', // O_NOFOLLOW on a symlink: ELOOP
  'stat-link-dir': EPERM,
  'stat-abs': EPERM,
  'lstat-abs': 'ok symlink',
  'stat-ok': 'ok file',
  'readlink-ok': 'ok inside.txt',
  'readlink-abs': EPERM,
  'symlink-make-up': 'ok',
  'read-made-up': EPERM,
  'write-through-link': EPERM,
  'write-dotdot': EPERM,
  'rename-out': EPERM,
  'rename-in': EPERM,
  'link-out': EPERM,
  'link-in': EPERM,
  'mkdir-out': EPERM,
  'unlink-out': EPERM,
  'rmdir-out': EPERM,
  'write-new': 'ok',
  'read-new': 'ok fresh',
  'mkdir-inside': 'ok',
  'rename-inside': 'ok',
  'read-renamed': 'ok fresh',
  'list-made-dir': 'ok renamed.txt,',
  'unlink-inside': 'ok',
  'rmdir-inside': 'ok',
  'read-missing': 'errno 44',
};

try {
  const got = run({ '.': `${base}/root` });
  // Making a symlink to an absolute path is refused (cap-std) — and were it made, following
  // it would be refused too.
  assert.strictEqual(got['symlink-make-abs'], EPERM);
  assert.strictEqual(got['read-made-abs'], 'errno 44');
  delete got['symlink-make-abs'];
  delete got['read-made-abs'];
  assert.deepStrictEqual(got, expected);
  // Nothing outside changed; inside, only what the program made stayed.
  assert.deepStrictEqual(fs.readdirSync(`${base}/outside`), ['secret.txt']);
  assert.strictEqual(fs.readFileSync(`${base}/outside/secret.txt`, 'utf8'), 'secret\n');
  assert.strictEqual(fs.readFileSync(`${base}/root/inside.txt`, 'utf8'), 'inside\n');
  assert.ok(!fs.existsSync(`${base}/root/stolen.txt`) && !fs.existsSync(`${base}/root/hard.txt`));

  // The preopen given as a symlink to a directory is that directory (the host chose it).
  fs.symlinkSync(`${base}/root`, `${base}/root-link`);
  fs.rmSync(`${base}/root/made-up`, { force: true });
  fs.rmSync(`${base}/root/made-abs`, { force: true });
  const again = run({ '.': `${base}/root-link` });
  assert.strictEqual(again['read-inside'], 'ok inside');
  assert.strictEqual(again['read-link-dir'], EPERM);
  // A preopen that does not exist is an error when the WASI object is made.
  assert.throws(() => new WASI({ preopens: { '.': `${base}/missing` } }), { code: 'ENOENT' });
} finally {
  fs.rmSync(base, { recursive: true, force: true });
}
console.log('wasi sandbox ok');
