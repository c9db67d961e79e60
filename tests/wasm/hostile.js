// Hostile and extreme modules get an error of the right class (or work), never a crash:
// huge memories and tables, out-of-range segments, unbounded growth, deep JS<->wasm recursion.
const assert = require('jsrt:assert');
const fs = require('jsrt:fs');
const load = (name, imports) => new WebAssembly.Instance(new WebAssembly.Module(fs.readFileSync(`${__dirname}/fixtures/hostile-${name}.wasm`)), imports);

// A 4 GiB memory (65536 pages) is reserved lazily; its buffer is over QuickJS's limit.
const big = load('bigMemory');
assert.ok(big instanceof WebAssembly.Instance);
// Ten million table elements.
assert.ok(load('bigTable') instanceof WebAssembly.Instance);
// table.grow far past what can be allocated returns -1.
assert.strictEqual(load('hugeTableMax').exports.g(), -1);
// Segments out of range trap at instantiation.
assert.throws(() => load('dataOOB'), (e) => e instanceof WebAssembly.RuntimeError && /out of bounds memory access/.test(e.message));
assert.throws(() => load('elemOOB'), (e) => e instanceof WebAssembly.RuntimeError && /out of bounds table access/.test(e.message));
// Unbounded JS <-> wasm recursion ends in a catchable RangeError.
let inst;
inst = load('bounce', { env: { back: (n) => inst.exports.go(n + 1) } });
assert.throws(() => inst.exports.go(0), RangeError);
// ... and everything still works afterwards.
assert.throws(() => inst.exports.go(0), RangeError);
console.log('wasm hostile ok');
