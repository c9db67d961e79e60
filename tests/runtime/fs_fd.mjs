// jsrt:fs descriptor calls (open/read/write/fstat/ftruncate/close, sync and callback forms),
// string and numeric flags, Node error codes; plus node:module's createRequire and the
// process uid/gid calls that tools such as Go's wasm_exec.js use alongside them.
import assert from 'jsrt:assert';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire, builtinModules } from 'node:module';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jsrt-fd-'));
const file = path.join(dir, 'data.txt');

const fd = fs.openSync(file, 'w');
assert.ok(Number.isInteger(fd) && fd > 2);
assert.strictEqual(fs.writeSync(fd, 'héllo '), 7);
assert.strictEqual(fs.writeSync(fd, Buffer.from('xworldx'), 1, 5), 5);
fs.closeSync(fd);
assert.strictEqual(fs.readFileSync(file, 'utf8'), 'héllo world');

// Positioned reads do not move the file offset; plain reads do.
const rfd = fs.openSync(file, fs.constants.O_RDWR);
const buf = Buffer.alloc(32);
assert.strictEqual(fs.readSync(rfd, buf, 0, 5, 7), 5);
assert.strictEqual(buf.toString('utf8', 0, 5), 'world');
assert.strictEqual(fs.readSync(rfd, buf, { offset: 0, length: 3 }), 3);
assert.strictEqual(buf.toString('utf8', 0, 3), 'hé');
assert.strictEqual(fs.readSync(rfd, buf, 0, 32, null), 9);
assert.strictEqual(fs.readSync(rfd, buf, 0, 32, null), 0, 'end of file reads 0 bytes');
assert.strictEqual(fs.writeSync(rfd, 'J', 0), 1);
const st = fs.fstatSync(rfd);
assert.ok(st.isFile());
assert.strictEqual(st.size, 12);
fs.fsyncSync(rfd);
fs.fdatasyncSync(rfd);
fs.ftruncateSync(rfd, 5);
assert.strictEqual(fs.readFileSync(file, 'utf8'), 'Jéll');
fs.closeSync(rfd);

// Errors: closed and unknown descriptors, missing files, exclusive create, bad flags and ranges.
assert.throws(() => fs.closeSync(rfd), { code: 'EBADF', syscall: 'close' });
assert.throws(() => fs.readSync(rfd, buf), { code: 'EBADF' });
assert.throws(() => fs.fstatSync(12345), { code: 'EBADF' });
assert.throws(() => fs.fsyncSync(rfd), { code: 'EBADF', syscall: 'fsync' });
assert.throws(() => fs.openSync(path.join(dir, 'missing'), 'r'), { code: 'ENOENT', syscall: 'open' });
assert.throws(() => fs.openSync(file, 'wx'), { code: 'EEXIST' });
assert.throws(() => fs.openSync(file, 'bogus'), { name: 'TypeError', code: 'ERR_INVALID_ARG_VALUE' });
assert.throws(() => fs.readSync(-1, buf), { name: 'RangeError', code: 'ERR_OUT_OF_RANGE' });
assert.throws(() => fs.readSync('3', buf), { name: 'TypeError', code: 'ERR_INVALID_ARG_TYPE' });
assert.throws(() => fs.readSync(0, buf, 30, 10), { name: 'RangeError' });
assert.throws(() => fs.readSync(0, 'not a buffer'), { name: 'TypeError' });

// fs.constants carries Linux's open(2) flag values, as Node reports them.
assert.deepStrictEqual(
  [fs.constants.O_RDONLY, fs.constants.O_WRONLY, fs.constants.O_RDWR, fs.constants.O_CREAT, fs.constants.O_EXCL, fs.constants.O_TRUNC, fs.constants.O_APPEND],
  [0, 1, 2, 64, 128, 512, 1024],
);

// node:module
const require = createRequire(import.meta.url);
assert.strictEqual(require('node:path'), path);
assert.ok(builtinModules.includes('fs') && builtinModules.includes('module'));

// process ids agree with the file this process just created.
assert.strictEqual(process.getuid(), fs.statSync(dir).uid);
assert.strictEqual(typeof process.getgid(), 'number');
assert.strictEqual(process.geteuid(), process.getuid());
assert.ok(process.getgroups().every(Number.isInteger));

// Callback forms complete on a later tick with Node's argument lists.
const order = [];
await new Promise((resolve, reject) => {
  fs.open(file, 'a', (err, afd) => {
    if (err) return reject(err);
    order.push('opened');
    const data = Buffer.from('!!');
    fs.write(afd, data, 0, 2, null, (err, written, same) => {
      if (err) return reject(err);
      assert.strictEqual(written, 2);
      assert.strictEqual(same, data);
      fs.fstat(afd, (err, s) => {
        assert.strictEqual(err, null);
        assert.strictEqual(s.size, 7);
        fs.read(afd, Buffer.alloc(4), 0, 4, 0, (err, n) => {
          // 'a' opens write-only: reading is EBADF, reported through the callback.
          assert.strictEqual(err.code, 'EBADF');
          assert.strictEqual(n, 0);
          fs.close(afd, (err) => (err ? reject(err) : resolve()));
        });
      });
    });
  });
  order.push('sync');
});
assert.deepStrictEqual(order, ['sync', 'opened']);
assert.strictEqual(fs.readFileSync(file, 'utf8'), 'Jéll!!');

fs.rmSync(dir, { recursive: true });
console.log('fs fd ok');
