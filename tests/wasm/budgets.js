// jsrt-flags: --expose-gc --wasm-max-memory 64M
// Resource budgets under attack: each hostile module ends with the right error (or works)
// within a bounded time and memory, and the process stays usable afterwards.
//   - growing the largest memory or table it may have, from a loop, until growth fails;
//   - 100,000 instances created and dropped: memory comes back;
//   - compile bombs: 100,000 functions, blocks nested 20,000 deep, a br_table of 1,000,000
//     targets — each compiles (or is a CompileError) in seconds.
// (Deep JS<->wasm recursion is in hostile.js; endless loops are limits.js's.)
const assert = require('jsrt:assert');

// A minimal binary writer: enough for the modules below (no spreads of long arrays: QuickJS
// takes at most 65,535 call arguments).
const cat = (...parts) => [].concat(...parts);
const leb = (n) => { const out = []; do { let b = n & 0x7f; n = Math.floor(n / 128); if (n) b |= 0x80; out.push(b); } while (n); return out; };
const sleb = (n) => { const out = []; for (;;) { const b = n & 0x7f; n >>= 7; if ((n === 0 && !(b & 0x40)) || (n === -1 && (b & 0x40))) { out.push(b); return out; } out.push(b | 0x80); } };
const str = (s) => cat(leb(s.length), [...s].map((c) => c.charCodeAt(0)));
const vec = (items) => { const out = leb(items.length); for (const item of items) for (const b of item) out.push(b); return out; };
const section = (id, body) => cat([id], leb(body.length), body);
function module({ types = [], funcs = [], tables = [], memories = [], exports = [], bodies = [] }) {
  const parts = [[0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]];
  if (types.length) parts.push(section(1, vec(types)));
  if (funcs.length) parts.push(section(3, vec(funcs.map((t) => leb(t)))));
  if (tables.length) parts.push(section(4, vec(tables)));
  if (memories.length) parts.push(section(5, vec(memories)));
  if (exports.length) parts.push(section(7, vec(exports)));
  if (bodies.length) parts.push(section(10, vec(bodies.map((b) => cat(leb(b.length), b)))));
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
}
const body = (locals, code) => cat(vec(locals), code, [0x0b]);
const exportFunc = (name, index) => cat(str(name), [0x00], leb(index));
const exportTable = (name, index) => cat(str(name), [0x01], leb(index));
const I32 = 0x7f;
const type = (params, results) => cat([0x60], vec(params.map((p) => [p])), vec(results.map((r) => [r])));
const repeat = (n, bytes) => { const out = new Array(n * bytes.length); for (let i = 0; i < out.length; i++) out[i] = bytes[i % bytes.length]; return out; };

function timed(fn) {
  const start = Date.now();
  const value = fn();
  return [value, Date.now() - start];
}
function compiles(bytes) {
  try { new WebAssembly.Module(bytes); return 'ok'; } catch (e) { assert.ok(e instanceof WebAssembly.CompileError || e instanceof RangeError, String(e)); return e.constructor.name; }
}

// 1. Grow the memory from a loop until memory.grow fails: it stops at --wasm-max-memory
// (64 MiB = 1024 pages) though the module declares 65536 pages as its maximum.
{
  const growAll = module({
    types: [type([], [I32])],
    funcs: [0],
    memories: [cat([0x01], leb(1), leb(65536))],
    exports: [exportFunc('grow', 0)],
    // loop: if (memory.grow(1) != -1) br 0; end; memory.size
    bodies: [body([], cat([0x03, 0x40, 0x41, 1, 0x40, 0x00, 0x41], sleb(-1), [0x47, 0x0d, 0x00, 0x0b, 0x3f, 0x00]))],
  });
  const [pages, ms] = timed(() => new WebAssembly.Instance(new WebAssembly.Module(growAll)).exports.grow());
  assert.strictEqual(pages, 1024);
  assert.ok(ms < 10000, `growing to the limit took ${ms} ms`);
  // From JS the limit is a RangeError, as for any failed grow.
  assert.throws(() => new WebAssembly.Memory({ initial: 1, maximum: 65536 }).grow(2000), RangeError);
}

// 2. Grow a table from a loop, a million elements at a time, until table.grow fails at its
// declared maximum of 10,000,000 (the JS API's limit). (The table is exported: jsrt grows
// shareable tables itself; a table private to its module grows only as far as WAMR
// allocated it, max(2 x initial, 1024) elements, and then table.grow gives -1, which the
// spec allows.)
{
  const growTable = module({
    types: [type([], [I32])],
    funcs: [0],
    tables: [cat([0x70, 0x01], leb(1), leb(10000000))],
    exports: [exportFunc('grow', 0), exportTable('t', 0)],
    // loop: if (table.grow(ref.null func, 1000000) != -1) br 0; end; table.size
    bodies: [body([], cat([0x03, 0x40, 0xd0, 0x70, 0x41], sleb(1000000), [0xfc, 15, 0, 0x41], sleb(-1), [0x47, 0x0d, 0x00, 0x0b, 0xfc, 16, 0]))],
  });
  const [size, ms] = timed(() => new WebAssembly.Instance(new WebAssembly.Module(growTable)).exports.grow());
  assert.strictEqual(size, 9000001);
  assert.ok(ms < 10000, `growing the table took ${ms} ms`);
}

// 3. 100,000 instances made and dropped: memory comes back.
{
  const tiny = new WebAssembly.Module(module({
    types: [type([], [I32])],
    funcs: [0],
    memories: [cat([0x00], leb(1))],
    exports: [exportFunc('f', 0)],
    bodies: [body([], [0x41, 42])],
  }));
  const rss = () => { gc(); return process.memoryUsage().rss; };
  for (let i = 0; i < 2000; i++) new WebAssembly.Instance(tiny).exports.f();
  const before = rss();
  const [, ms] = timed(() => { for (let i = 0; i < 100000; i++) assert.strictEqual(new WebAssembly.Instance(tiny).exports.f(), 42); });
  const grown = (rss() - before) / 2 ** 20;
  assert.ok(grown < 64, `100,000 dropped instances kept ${grown.toFixed(1)} MiB`);
  assert.ok(ms < 60000, `100,000 instances took ${ms} ms`);
}

// 4. Compile bombs.
{
  // 100,000 functions.
  const n = 100000;
  const many = module({
    types: [type([], [I32])],
    funcs: new Array(n).fill(0),
    exports: [exportFunc('last', n - 1)],
    bodies: new Array(n).fill(body([], [0x41, 7])),
  });
  let [result, ms] = timed(() => compiles(many));
  assert.strictEqual(result, 'ok');
  assert.ok(ms < 20000, `100,000 functions took ${ms} ms to compile`);
  assert.strictEqual(new WebAssembly.Instance(new WebAssembly.Module(many)).exports.last(), 7);

  // Blocks nested 20,000 deep.
  const depth = 20000;
  const nested = module({
    types: [type([], [I32])],
    funcs: [0],
    exports: [exportFunc('deep', 0)],
    bodies: [body([], cat(repeat(depth, [0x02, 0x40]), repeat(depth, [0x0b]), [0x41, 9]))],
  });
  [result, ms] = timed(() => compiles(nested));
  assert.ok(ms < 20000, `nesting took ${ms} ms to compile`);
  if (result === 'ok') assert.strictEqual(new WebAssembly.Instance(new WebAssembly.Module(nested)).exports.deep(), 9);

  // A br_table with 1,000,000 targets.
  const targets = 1000000;
  const table = module({
    types: [type([I32], [I32])],
    funcs: [0],
    exports: [exportFunc('pick', 0)],
    // block block (local.get 0) br_table [0 x targets, 1] end (return 1) end (i32.const 2)
    bodies: [body([], cat([0x02, 0x40, 0x02, 0x40, 0x20, 0, 0x0e], leb(targets), repeat(targets, [0]), [1, 0x0b, 0x41, 1, 0x0f, 0x0b, 0x41, 2]))],
  });
  [result, ms] = timed(() => compiles(table));
  assert.strictEqual(result, 'ok');
  assert.ok(ms < 20000, `the br_table took ${ms} ms to compile`);
  const pick = new WebAssembly.Instance(new WebAssembly.Module(table)).exports.pick;
  assert.deepStrictEqual([pick(0), pick(999999), pick(1000000), pick(-1)], [1, 1, 2, 2]);
}

// The process is still usable.
assert.strictEqual(new WebAssembly.Instance(new WebAssembly.Module(module({ types: [type([], [I32])], funcs: [0], exports: [exportFunc('x', 0)], bodies: [body([], [0x41, 5])] }))).exports.x(), 5);
console.log('budgets ok');
