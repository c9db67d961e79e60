// jsrt-flags: --expose-gc
// Lifetimes across the JS/wasm boundary: an instance and the JS functions it imports live as
// long as anything that can call into it does (its exported functions, another instance that
// imports them or holds them in a table), and are freed — cycles through JS closures, shared
// tables and other instances included — once nothing refers to them.
const assert = require('jsrt:assert');
const fs = require('jsrt:fs');
const fixture = (name) => new WebAssembly.Module(fs.readFileSync(`${__dirname}/fixtures/${name}.wasm`));
const calls = fixture('calls');

// An instance whose JS import refers back to it (the usual glue-code shape).
function selfReferencing(log) {
  let instance;
  instance = new WebAssembly.Instance(calls, { env: { inc: (x) => log.push(instance.exports.add(x, 100)) } });
  return instance;
}

// 1. Only an exported function is kept: the instance and its import survive a full GC.
{
  const log = [];
  const loop = selfReferencing(log).exports.loop;
  gc();
  gc();
  loop(2);
  assert.deepStrictEqual(log, [101, 101]);
}

// 2. Another instance imports the exported function; nothing else is kept.
{
  const log = [];
  const other = new WebAssembly.Instance(fixture('loop-import'), { env: { loop: selfReferencing(log).exports.loop } }).exports;
  gc();
  gc();
  other.run(3);
  assert.deepStrictEqual(log, [101, 101, 101]);
}

// 3. The function sits in another instance's table (a foreign function there).
{
  const log = [];
  const holder = new WebAssembly.Instance(fixture('loop-table')).exports;
  holder.tbl.set(0, selfReferencing(log).exports.loop);
  gc();
  gc();
  holder.callAt(0, 2);
  assert.deepStrictEqual(log, [101, 101]);
}

// 4. A start function traps after an element segment put the instance's function (which
// calls its JS import) into a JS table: the table keeps both alive.
{
  const table = new WebAssembly.Table({ element: 'anyfunc', initial: 1 });
  assert.throws(() => new WebAssembly.Instance(fixture('trap-start'), { env: { tbl: table, f: () => 42 } }), WebAssembly.RuntimeError);
  gc();
  gc();
  assert.strictEqual(table.get(0)(), 42);
}

// 5. Externref values: the ids jsrt gives JS values that cross as externref are forgotten once
// no global or table holds them, so passing many distinct objects does not grow memory; values
// still held by wasm keep their identity across those collections.
{
  const e = new WebAssembly.Instance(fixture('externref'), { env: { make: () => ({}) } }).exports;
  const table = new WebAssembly.Table({ element: 'externref', initial: 4 });
  const t = new WebAssembly.Instance(fixture('externref-table'), { env: { tbl: table } }).exports;
  const kept = { kept: true };
  const inGlobal = { inGlobal: true };
  t.set(3, kept);
  e.store(inGlobal);
  const rss = () => process.memoryUsage().rss;
  for (let i = 0; i < 20000; i++) e.id({ i });
  gc();
  const start = rss();
  for (let i = 0; i < 200000; i++) {
    const o = { i };
    assert.strictEqual(e.id(o), o);
  }
  gc();
  const grown = rss() - start;
  assert.ok(grown < 16 * 1024 * 1024, `RSS grew by ${grown} bytes over 200,000 externref values`);
  assert.strictEqual(t.get(3), kept);
  assert.strictEqual(table.get(3), kept);
  assert.strictEqual(e.load(), inGlobal);
  // Several arguments at once survive a collection triggered in the middle of converting them.
  const a = { a: 1 };
  const b = { b: 2 };
  for (let i = 0; i < 5000; i++) t.set(i % 3, { i });
  t.set(0, a);
  t.set(1, b);
  assert.strictEqual(t.get(0), a);
  assert.strictEqual(t.get(1), b);
}

// 6. Dropped: RSS stays flat over many self-referencing instances (each holds ~0.5 MiB of
// native stacks, so a leak shows at once).
{
  const rss = () => process.memoryUsage().rss;
  for (let i = 0; i < 200; i++) selfReferencing([]).exports.loop(1);
  gc();
  const start = rss();
  for (let i = 0; i < 1000; i++) selfReferencing([]).exports.loop(1);
  gc();
  const grown = rss() - start;
  assert.ok(grown < 32 * 1024 * 1024, `RSS grew by ${grown} bytes over 1,000 instances`);
}
console.log('wasm lifetimes ok');
