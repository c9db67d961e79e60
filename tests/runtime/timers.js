// Event loop ordering and timers, with Node's semantics.
const assert = require('jsrt:assert');
const order = [];
setTimeout(() => order.push('timeout0'), 0);
setImmediate(() => order.push('immediate'));
process.nextTick(() => order.push('tick'));
Promise.resolve().then(() => order.push('micro'));
queueMicrotask(() => order.push('queueMicrotask'));
order.push('sync');

// Timers fire in deadline order, not creation order.
const fired = [];
setTimeout(() => fired.push(30), 30);
setTimeout(() => fired.push(10), 10);
setTimeout(() => fired.push(20), 20);

// clearTimeout by object and by numeric id; clearImmediate.
const cancelled = setTimeout(() => assert.fail('cancelled timeout ran'), 5);
clearTimeout(cancelled);
const byId = setTimeout(() => assert.fail('cancelled-by-id timeout ran'), 5);
clearTimeout(+byId);
clearImmediate(setImmediate(() => assert.fail('cancelled immediate ran')));

// setInterval runs repeatedly until cleared; arguments are passed through.
let ticks = 0;
const iv = setInterval((a, b) => {
  assert.strictEqual(a + b, 3);
  if (++ticks === 3) clearInterval(iv);
}, 2, 1, 2);

// An unref'ed timer does not keep the process alive.
setTimeout(() => assert.fail('unref timer kept the loop alive'), 100000).unref();
assert.strictEqual(typeof setTimeout(() => {}, 1).hasRef, 'function');

// Microtasks run between timers (Node >= 11).
const between = [];
setTimeout(() => { between.push('t1'); Promise.resolve().then(() => between.push('m1')); }, 40);
setTimeout(() => between.push('t2'), 40);

// The elapsed time is at least the delay.
const start = performance.now();
setTimeout(() => {
  assert.ok(performance.now() - start >= 50, 'timer fired early');
}, 50);

// timers/promises
require('timers').promises.setTimeout(5, 'v').then((v) => assert.strictEqual(v, 'v'));

process.on('exit', (code) => {
  assert.strictEqual(code, 0);
  assert.deepStrictEqual(order.slice(0, 4), ['sync', 'tick', 'micro', 'queueMicrotask']);
  assert.ok(order.includes('timeout0') && order.includes('immediate'));
  assert.deepStrictEqual(fired, [10, 20, 30]);
  assert.strictEqual(ticks, 3);
  assert.deepStrictEqual(between, ['t1', 'm1', 't2']);
  console.log('timers ok');
});
