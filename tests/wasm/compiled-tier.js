// jsrt-flags: --wasm-tier=compiled --no-wasm-cache
// The compiled tier (--wasm-tier=compiled: machine code from jsrt-aotc) behaves as the
// interpreter does: results, traps and their messages, stack exhaustion as a RangeError, a
// time limit that stops a compiled loop, memory grown by JS inside a call, tables grown from
// wasm and JS, a memory and a table shared by two compiled instances and JS, an exported
// import. Modules with tail calls stay interpreted (jsrt:wasm's tierOf says which tier runs).
// The same expectations hold in the interpreter:
// `EXPECT_TIER=interpreted jsrt --wasm-tier=interp compiled-tier.js`.
const assert = require('jsrt:assert');
const fs = require('jsrt:fs');
const { tierOf, withLimits } = require('jsrt:wasm');

const load = (f) => new WebAssembly.Module(fs.readFileSync(`${__dirname}/fixtures/${f}.wasm`));
const expectedTier = process.env.EXPECT_TIER || 'compiled';

// (`wait`: under load the compilation may take longer than --wasm-tier=compiled waits.)
const mod = load('compiled-tier');
assert.strictEqual(tierOf(mod, { wait: true }), expectedTier);
let memory;
const e = new WebAssembly.Instance(mod, {
  js: {
    grow: (pages) => memory.grow(pages),
    twice: (x) => {
      if (x === -1) throw new Error('thrown by an import');
      if (x === -2) return e.div(1, 0);
      if (x === -3) return framesOf(new Error('made by an import')).length;
      return x * 2;
    },
  },
}).exports;
memory = e.mem;

// Results.
assert.strictEqual(e.fib(20), 6765);
assert.strictEqual(e.sum(100000), 4999950000n);
assert.strictEqual(e.div(-7, 2), -3);
assert.strictEqual(e.callTwice(21), 42);
// An exported import: the JS function behind it, called through the instance.
assert.strictEqual(e.twice(8), 16);

// Traps, with the interpreter's messages (WAMR's: V8 words some differently).
const trap = (fn, message) => assert.throws(fn, (err) => err instanceof WebAssembly.RuntimeError && err.message === message);
trap(() => e.div(1, 0), 'integer divide by zero');
trap(() => e.div(-2147483648, -1), 'integer overflow');
trap(() => e.load(65536), 'out of bounds memory access');
trap(() => e.trap(), 'unreachable');
trap(() => e.callAt(5, 1), 'undefined element');
// Stack exhaustion is a RangeError, and the instance is usable after it.
assert.throws(() => e.deep(0), RangeError);
assert.strictEqual(e.fib(10), 55);

// Stack traces: the wasm frames (function index, byte offset of the instruction) as V8 shows
// them, whichever tier runs the code: the trapping instruction, a call waiting on an import,
// frames of two nested calls into the instance, a deep recursion.
function framesOf(err) {
  return err.stack.split('\n').flatMap((line) => {
    const m = line.match(/wasm-function\[(\d+)\]:(0x[0-9a-f]+)/);
    return m ? [`${m[1]}@${m[2]}`] : line.includes(' at ') ? ['js'] : [];
  });
}
const thrown = (fn) => {
  try {
    fn();
  } catch (err) {
    return framesOf(err);
  }
  assert.fail('did not throw');
};
assert.deepStrictEqual(thrown(() => e.div(1, 0)).slice(0, 2), ['4@0x143', 'js']);
assert.deepStrictEqual(thrown(() => e.trap())[0], '6@0x14f');
assert.deepStrictEqual(thrown(() => e.callTwice(-1)).slice(0, 3), ['js', '14@0x1d3', 'js']);
assert.deepStrictEqual(thrown(() => e.callTwice(-2)).slice(0, 4), ['4@0x143', 'js', '14@0x1d3', 'js']);
assert.strictEqual(e.callTwice(-3), framesOf(new Error()).length + 2);
// Traps raised inside the runtime (table.init, memory.init): the frame of the instruction.
assert.deepStrictEqual(thrown(() => e.tableInit(99)).slice(0, 2), ['15@0x1de', 'js']);
assert.deepStrictEqual(thrown(() => e.memoryInit(1 << 20)).slice(0, 2), ['16@0x1eb', 'js']);
const deep = thrown(() => e.deep(0));
assert.ok(deep.length >= 10, `${deep.length} frames`);
assert.ok(deep.slice(1, 10).every((f) => f === '7@0x158'), deep.slice(0, 10).join(' '));

// A loop with no way out ends at the time limit.
const start = Date.now();
assert.throws(() => withLimits({ timeout: 100 }, () => e.spin()), /time limit of 100 ms/);
assert.ok(Date.now() - start < 5000);
assert.ok(e.g.value > 1000, 'the loop ran');
assert.strictEqual(e.fib(15), 610, 'calls after the limit run');

// Memory grown by JS inside a call: the code after the call sees the new memory.
assert.strictEqual(e.growThenStore(65536 + 16), 141);
assert.strictEqual(memory.buffer.byteLength, 2 * 65536);
assert.strictEqual(new Int32Array(memory.buffer)[(65536 + 16) / 4], 99);

// Tables grown from wasm and from JS; call_indirect sees the elements JS sets.
assert.strictEqual(e.tableSize(), 2);
assert.strictEqual(e.tableGrow(3), 2);
assert.strictEqual(e.tab.length, 5);
e.tab.grow(5);
assert.strictEqual(e.tableSize(), 10);
e.tab.set(9, e.fib);
assert.strictEqual(e.callAt(9, 12), 144);
trap(() => e.callAt(8, 1), 'uninitialized element');

// A memory and a table imported by another compiled instance: one memory, one table.
const userModule = load('compiled-tier-user');
assert.strictEqual(tierOf(userModule, { wait: true }), expectedTier);
const user = new WebAssembly.Instance(userModule, { env: { mem: memory, tab: e.tab } }).exports;
user.store(64, 12345);
assert.strictEqual(e.load(64), 12345);
assert.strictEqual(new Int32Array(memory.buffer)[16], 12345);
assert.strictEqual(user.size(), 2);
memory.grow(1);
assert.strictEqual(user.size(), 3);
user.store(2 * 65536, 7);
assert.strictEqual(e.load(2 * 65536), 7);
assert.strictEqual(user.callAt(9, 10), 55);
e.tab.set(0, e.fib);
assert.strictEqual(user.callAt(0, 11), 89);

// Tail calls keep a module in the interpreter (compiled code would use stack for each).
const tails = load('tail-calls');
assert.strictEqual(tierOf(tails), 'interpreted');
assert.strictEqual(new WebAssembly.Instance(tails).exports.count(1000000), 0);

console.log('compiled tier ok');
