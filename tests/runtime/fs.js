// jsrt:fs: sync calls, promises (run off the JS thread), callbacks, Node error codes.
const assert = require('jsrt:assert');
const fs = require('jsrt:fs');
const path = require('jsrt:path');
const os = require('os');

const dir = path.join(os.tmpdir(), `jsrt-fs-test-${process.pid}`);
fs.rmSync(dir, { recursive: true, force: true });
assert.strictEqual(fs.mkdirSync(path.join(dir, 'a/b'), { recursive: true }), dir);
assert.strictEqual(fs.mkdirSync(path.join(dir, 'a/c'), { recursive: true }), path.join(dir, 'a/c'));
assert.strictEqual(fs.mkdirSync(path.join(dir, 'a/c'), { recursive: true }), undefined);
assert.ok(fs.existsSync(dir));
assert.ok(fs.statSync(dir).isDirectory());

const file = path.join(dir, 'hello.txt');
fs.writeFileSync(file, 'héllo wörld');
assert.strictEqual(fs.readFileSync(file, 'utf8'), 'héllo wörld');
assert.strictEqual(fs.readFileSync(file, { encoding: 'utf-8' }), 'héllo wörld');
const bytes = fs.readFileSync(file);
assert.ok(bytes instanceof Uint8Array);
assert.ok(Buffer.isBuffer(bytes));
assert.strictEqual(bytes.length, 13);
assert.strictEqual(fs.readFileSync(file, 'hex').slice(0, 4), '68c3');
fs.appendFileSync(file, '!');
assert.strictEqual(fs.readFileSync(file, 'utf8'), 'héllo wörld!');
fs.writeFileSync(path.join(dir, 'bin'), new Uint8Array([0, 1, 255]));
assert.deepStrictEqual([...fs.readFileSync(path.join(dir, 'bin'))], [0, 1, 255]);

const st = fs.statSync(file);
assert.ok(st.isFile() && !st.isDirectory());
assert.strictEqual(st.size, 14);
assert.ok(st.mtime instanceof Date && st.mtimeMs > 0);
assert.deepStrictEqual(fs.readdirSync(dir), ['a', 'bin', 'hello.txt']);
const ents = fs.readdirSync(dir, { withFileTypes: true });
assert.deepStrictEqual(ents.map((e) => [e.name, e.isDirectory()]), [['a', true], ['bin', false], ['hello.txt', false]]);

// Errors carry Node's code, syscall and path.
assert.throws(() => fs.readFileSync(path.join(dir, 'missing')), (e) => e.code === 'ENOENT' && e.syscall === 'open' && e.path.endsWith('missing') && /^ENOENT: no such file or directory, open '/.test(e.message));
assert.throws(() => fs.mkdirSync(dir), { code: 'EEXIST' });
assert.throws(() => fs.readdirSync(file), { code: 'ENOTDIR' });
assert.strictEqual(fs.statSync(path.join(dir, 'missing'), { throwIfNoEntry: false }), undefined);
assert.strictEqual(fs.existsSync(path.join(dir, 'missing')), false);

(async () => {
  const p = fs.promises;
  await p.writeFile(path.join(dir, 'async.txt'), 'async data');
  assert.strictEqual(await p.readFile(path.join(dir, 'async.txt'), 'utf8'), 'async data');
  const buf = await p.readFile(path.join(dir, 'async.txt'));
  assert.strictEqual(buf.toString(), 'async data');
  assert.strictEqual((await p.stat(path.join(dir, 'async.txt'))).size, 10);
  await assert.rejects(p.readFile(path.join(dir, 'nope')), { code: 'ENOENT' });
  // Many reads in flight at once all complete.
  const all = await Promise.all(Array.from({ length: 50 }, () => p.readFile(file, 'utf8')));
  assert.ok(all.every((s) => s === 'héllo wörld!'));
  await new Promise((resolve, reject) => fs.readFile(file, 'utf8', (err, data) => {
    try { assert.strictEqual(err, null); assert.strictEqual(data, 'héllo wörld!'); resolve(); } catch (e) { reject(e); }
  }));
  fs.rmSync(dir, { recursive: true });
  assert.strictEqual(fs.existsSync(dir), false);
  console.log('fs ok');
})();
