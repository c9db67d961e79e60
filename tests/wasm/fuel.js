// jsrt-flags: --wasm-max-instructions 1000000
// Instruction budgets: every call from JS into wasm may run 1,000,000 wasm instructions
// (counted by code jsrt adds to each function), then ends with a RuntimeError naming the
// limit; the count is deterministic, shared by calls nested inside imports, and
// withLimits({ maxInstructions }) sets another budget for the calls made inside a function.
const assert = require('jsrt:assert');
const fs = require('jsrt:fs');
const { withLimits } = require('jsrt:wasm');

let onTick = () => {};
const { exports: e } = new WebAssembly.Instance(new WebAssembly.Module(fs.readFileSync(`${__dirname}/fixtures/hostile-spin.wasm`)), { js: { tick: () => onTick() } });
const limited = (fn) => { try { fn(); return 'ok'; } catch (err) { assert.ok(err instanceof WebAssembly.RuntimeError, String(err)); return err.message; } };

// Endless code ends: a loop, tail calls, recursion, and JS <-> wasm ping-pong.
assert.match(limited(() => e.spin()), /instruction limit of 1000000/);
assert.match(limited(() => e.tail(0)), /instruction limit/);
assert.match(limited(() => e.fib(40)), /instruction limit/);
assert.match(limited(() => e.ping()), /instruction limit/);
assert.strictEqual(e.fib(15), 610);
// The largest loop that fits is the same every time (the count is deterministic), and the
// budget is per call: a thousand calls of it all succeed.
function largest() {
  let lo = 0, hi = 1000000;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (limited(() => e.count_to(mid)) === 'ok') lo = mid; else hi = mid - 1;
  }
  return lo;
}
const n = largest();
assert.ok(n > 50000 && n < 1000000, `largest loop ${n}`);
assert.strictEqual(largest(), n);
for (let i = 0; i < 1000; i++) assert.strictEqual(e.count_to(n), n);
assert.match(limited(() => e.count_to(n + 1)), /instruction limit/);
// Calls nested inside an import share the outer call's budget: a nested count_to(n) that
// fits alone does not fit after the outer call has run.
onTick = () => e.count_to(n);
assert.match(limited(() => e.ping_n(3)), /instruction limit/);
onTick = () => {};
assert.strictEqual(limited(() => e.ping_n(3)), 'ok');
// withLimits: a smaller budget inside.
assert.match(limited(() => withLimits({ maxInstructions: 1000 }, () => e.count_to(1000))), /instruction limit of 1000$/);
assert.strictEqual(withLimits({ maxInstructions: 1000 }, () => e.count_to(10)), 10);
assert.throws(() => withLimits({ maxInstructions: 0 }, () => {}), { code: 'ERR_OUT_OF_RANGE' });
console.log('fuel ok');
