// The process object.
const assert = require('jsrt:assert');
assert.strictEqual(process.argv.length, 2);
assert.ok(process.argv[0].endsWith('jsrt'));
assert.strictEqual(process.argv[1], __filename);
assert.strictEqual(typeof process.env.PATH, 'string');
assert.strictEqual(process.platform, 'linux');
assert.ok(['x64', 'arm64'].includes(process.arch));
assert.match(process.version, /^v\d+\.\d+\.\d+$/);
assert.strictEqual(typeof process.versions.jsrt, 'string');
assert.strictEqual(process.pid > 0, true);
assert.strictEqual(process.cwd(), __dirname);
const [s, ns] = process.hrtime();
assert.ok(Number.isInteger(s) && ns >= 0 && ns < 1e9);
const d = process.hrtime([s, ns]);
assert.ok(d[0] >= 0);
const b1 = process.hrtime.bigint();
assert.strictEqual(typeof b1, 'bigint');
assert.ok(process.hrtime.bigint() >= b1);
assert.strictEqual(require('jsrt:process'), process);
assert.strictEqual(require('node:process'), process);
assert.strictEqual(typeof process.stdout.write, 'function');
assert.strictEqual(process.stdout.write(''), true);
assert.throws(() => { process.exitCode = 'x'; }, TypeError);
assert.ok(process.memoryUsage().rss > 0);
assert.ok(process.uptime() >= 0);
assert.strictEqual(Object.prototype.toString.call(process), '[object process]');

// nextTick runs before promise jobs, in order, with arguments.
const seen = [];
Promise.resolve().then(() => seen.push('promise'));
process.nextTick((a) => seen.push(`tick${a}`), 1);
process.nextTick(() => seen.push('tick2'));
let beforeExit = 0;
process.on('beforeExit', () => {
  // beforeExit can schedule more work; it fires again when that is done.
  if (beforeExit++ === 0) setTimeout(() => seen.push('late'), 1);
});
process.on('exit', () => {
  assert.deepStrictEqual(seen, ['tick1', 'tick2', 'promise', 'late']);
  assert.strictEqual(beforeExit, 2);
  console.log('process ok');
});
