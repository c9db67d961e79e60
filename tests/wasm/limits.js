// jsrt-flags: --wasm-timeout 200
// Execution limits: --wasm-timeout ends a call into wasm that runs too long with a
// RuntimeError naming the limit (loops, tail calls, start functions, JS<->wasm ping-pong),
// leaves the instance usable, and costs nothing to calls that finish in time. jsrt:wasm's
// withLimits sets a limit for the calls made inside a function.
const assert = require('jsrt:assert');
const fs = require('jsrt:fs');
const { withLimits } = require('jsrt:wasm');

const load = (f) => new WebAssembly.Module(fs.readFileSync(`${__dirname}/fixtures/${f}`));
let ticks = 0;
let onTick = () => { ticks++; };
const imports = { js: { tick: () => onTick() } };
const { exports: e } = new WebAssembly.Instance(load('hostile-spin.wasm'), imports);

function timed(fn) {
  const start = Date.now();
  let error;
  try { fn(); } catch (err) { error = err; }
  return [error, Date.now() - start];
}

// A loop with no way out ends after about 200 ms.
let [err, ms] = timed(() => e.spin());
assert.ok(err instanceof WebAssembly.RuntimeError, String(err));
assert.match(err.message, /time limit of 200 ms/);
assert.ok(ms >= 190 && ms < 3000, `ended after ${ms} ms`);
assert.ok(e.count.value > 1000, 'the loop ran');
// The instance is still usable, and a call that ends in time is not disturbed.
assert.strictEqual(e.count_to(1000000), 1000000);
// Tail calls only (no branches) and a start function are interrupted too.
[err] = timed(() => e.tail(0));
assert.ok(err instanceof WebAssembly.RuntimeError && /time limit/.test(err.message), String(err));
[err] = timed(() => new WebAssembly.Instance(load('hostile-spin-start.wasm')));
assert.ok(err instanceof WebAssembly.RuntimeError && /time limit/.test(err.message), String(err));
// A recursion with no branch instruction (calls and ifs only) ends too.
[err, ms] = timed(() => e.fib(45));
assert.ok(err instanceof WebAssembly.RuntimeError && /time limit/.test(err.message), String(err));
assert.ok(ms < 3000, `fib ended after ${ms} ms`);
assert.strictEqual(e.fib(20), 6765);
// JS -> wasm -> JS -> ... forever: the outermost call's limit holds.
ticks = 0;
[err, ms] = timed(() => e.ping());
assert.ok(err instanceof WebAssembly.RuntimeError && /time limit/.test(err.message), String(err));
assert.ok(ticks > 100 && ms < 3000);
// Calls nested inside an import run under the outer call's deadline, not a new one each.
onTick = () => { e.count_to(1000); };
[err, ms] = timed(() => e.ping());
assert.ok(err instanceof WebAssembly.RuntimeError && /time limit/.test(err.message), String(err));
assert.ok(ms < 3000, `nested calls restarted the clock: ${ms} ms`);
// JS that catches the limit's error inside an import cannot run on in wasm: the interrupt
// stands until the outermost call returns.
let caught = 0;
onTick = () => {
  try { e.spin(); } catch (inner) { caught++; assert.match(inner.message, /time limit/); }
  e.count_to(10); // throws: the interrupt still stands
};
[err, ms] = timed(() => e.ping());
assert.strictEqual(caught, 1);
assert.ok(err instanceof WebAssembly.RuntimeError && /time limit/.test(err.message), String(err));
onTick = () => { ticks++; };
// Many short calls, each well within the limit: none is interrupted.
for (let i = 0; i < 2000; i++) assert.strictEqual(e.count_to(100), 100);
// A timeout that ends the call does not leak into the next one.
e.ping_n(5);

// withLimits: a tighter limit for the calls inside, and Infinity lifts the process's.
[err, ms] = timed(() => withLimits({ timeout: 50 }, () => e.spin()));
assert.match(String(err), /RuntimeError: wasm call exceeded its time limit of 50 ms/);
assert.ok(ms < 180, `withLimits' 50 ms limit took ${ms} ms`);
assert.strictEqual(withLimits({ timeout: 50 }, () => e.count_to(10) + 1), 11);
// Infinity lifts the process's 200 ms: one call of about 400 ms runs to its end.
let t = Date.now();
e.count_to(5000000);
const perMs = 5000000 / Math.max(1, Date.now() - t);
const long = Math.min(2 ** 31 - 1, Math.round(perMs * 400));
t = Date.now();
assert.strictEqual(withLimits({ timeout: Infinity }, () => e.count_to(long)), long);
assert.ok(Date.now() - t > 200, `the long call took only ${Date.now() - t} ms`);
assert.throws(() => withLimits({ timeout: -1 }, () => {}), { code: 'ERR_OUT_OF_RANGE' });
assert.throws(() => withLimits({ timeout: 10 }), { code: 'ERR_INVALID_ARG_TYPE' });
assert.throws(() => require('wasm'), /Cannot find module 'wasm'/);
// Instruction budgets need modules compiled to count (--wasm-max-instructions: fuel.js).
assert.throws(() => withLimits({ maxInstructions: 10 }, () => {}), TypeError);
console.log('limits ok');
