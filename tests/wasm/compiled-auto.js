// jsrt-flags: --wasm-tier=auto --no-wasm-cache
// The auto tier: a module with 64 KiB of code or more starts in the interpreter while jsrt-aotc
// compiles it in the background; instances made before the code arrives stay interpreted and
// keep working, instances made after run compiled code. Modules with less code (however much
// data) are never compiled.
const assert = require('jsrt:assert');
const { tierOf } = require('jsrt:wasm');

// (module (memory 2) (data (i32.const 0) "<size bytes>")
//   (func (export "sum") (param i32) (result i32) ...sum of the first n bytes...)
//   (func (export "chain") (param i32) (result i32) ...adds 1, `adds` times...))
const leb = (n) => { const out = []; do { let b = n & 0x7f; n >>>= 7; if (n) b |= 0x80; out.push(b); } while (n); return out; };
const section = (id, body) => [id, ...leb(body.length), ...body];
function moduleWith(size, adds) {
  const data = new Uint8Array(size).map((_, i) => i % 251);
  const body = [1, 2, 0x7f, // two i32 locals: i, s
    0x02, 0x40, 0x03, 0x40, // block loop
    0x20, 1, 0x20, 0, 0x4f, 0x0d, 1, // br_if 1 (i >= n)
    0x20, 2, 0x20, 1, 0x2d, 0, 0, 0x6a, 0x21, 2, // s += mem[i]
    0x20, 1, 0x41, 1, 0x6a, 0x21, 1, // i++
    0x0c, 0, 0x0b, 0x0b, 0x20, 2, 0x0b];
  const chain = [0];
  for (let i = 0; i < adds; i++) chain.push(0x20, 0, 0x41, 1, 0x6a, 0x21, 0); // x = x + 1
  chain.push(0x20, 0, 0x0b);
  const seg = [0, 0x41, 0, 0x0b, ...leb(size)];
  const code = [2, ...leb(body.length), ...body, ...leb(chain.length), ...chain];
  const head = [0, 0x61, 0x73, 0x6d, 1, 0, 0, 0,
    ...section(1, [1, 0x60, 1, 0x7f, 1, 0x7f]), ...section(3, [2, 0, 0]), ...section(5, [1, 0, 2]),
    ...section(7, [2, 3, 0x73, 0x75, 0x6d, 0, 0, 5, 0x63, 0x68, 0x61, 0x69, 0x6e, 0, 1]), ...section(10, code)];
  const dataSection = [11, ...leb(1 + seg.length + size), 1, ...seg];
  const out = new Uint8Array(head.length + dataSection.length + size);
  out.set(head); out.set(dataSection, head.length); out.set(data, head.length + dataSection.length);
  return out;
}
const expected = (n) => { let s = 0; for (let i = 0; i < n; i++) s += i % 251; return s; };

// Little code, much data: interpreted, no compilation started.
const small = new WebAssembly.Module(moduleWith(100000, 10));
assert.strictEqual(tierOf(small, { wait: true }), 'interpreted');
assert.strictEqual(new WebAssembly.Instance(small).exports.sum(100000), expected(100000));

// 70 KB of code: interpreted first, compiled once the background compilation is done.
const large = new WebAssembly.Module(moduleWith(1000, 10000));
const early = new WebAssembly.Instance(large).exports;
assert.strictEqual(early.chain(5), 10005);
assert.strictEqual(tierOf(large, { wait: true }), 'compiled');
const late = new WebAssembly.Instance(large).exports;
assert.strictEqual(late.chain(5), 10005);
assert.strictEqual(late.sum(1000), expected(1000));
assert.strictEqual(early.sum(1000), expected(1000), 'the interpreted instance still works');
console.log('auto tier ok');
