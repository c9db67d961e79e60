// JS-API fuzzing: a fixed-seed sequence of random WebAssembly JS API calls — constructors
// with odd descriptors, grow/get/set with odd arguments, values of every type, detached
// buffers, instantiation with right and wrong imports, and calls into wasm whose JS import
// grows the same memory or table while the call runs. Every call must return or throw one of
// the API's error classes (never crash), the objects must stay consistent with a model of
// what the operations did (sizes, contents, identities, detached buffers), and the printed
// trace of outcomes must be the same as Node's (compat.rs compares them).
//   node tests/compat/wasm-api-fuzz.js [ops] [seed]   (defaults: 3000 ops, seed 7)
'use strict';
const fs = require('fs');
const path = require('path');

const OPS = Number(process.argv[2] || 3000);
let state = Number(process.argv[3] || 7) >>> 0 || 1;
function rnd(n) {
  state ^= state << 13; state >>>= 0;
  state ^= state >>> 17;
  state ^= state << 5; state >>>= 0;
  return state % n;
}
const pick = (a) => a[rnd(a.length)];

const wasmModule = new WebAssembly.Module(fs.readFileSync(path.join(__dirname, 'fixtures/api-fuzz.wasm')));
// SyntaxError: ToBigInt of a string that is no BigInt literal (the spec's StringToBigInt).
const ALLOWED = new Set(['TypeError', 'RangeError', 'LinkError', 'RuntimeError', 'CompileError', 'SyntaxError']);
const trace = [];
let failures = 0;

function show(v) {
  if (typeof v === 'bigint') return `${v}n`;
  if (typeof v === 'number') return Object.is(v, -0) ? '-0' : String(v);
  if (typeof v === 'function') return 'fn';
  if (v === null || v === undefined) return String(v);
  if (typeof v === 'object') return 'obj';
  return JSON.stringify(v);
}

// Runs `fn`; records its value or error class. A thrown non-API error is a failure.
function attempt(label, fn) {
  try {
    const value = fn();
    trace.push(`${label} = ${show(value)}`);
    return { ok: true, value };
  } catch (e) {
    const cls = e && e.constructor && e.constructor.name;
    if (!ALLOWED.has(cls)) fail(`${label} threw ${cls}: ${e && e.message}`);
    trace.push(`${label} ! ${cls}`);
    return { ok: false, cls };
  }
}

function fail(msg) {
  failures++;
  if (failures <= 10) console.log(`MODEL: ${msg}`);
}

// The world: objects made so far, each with what the model says about it.
const mems = []; // { obj, pages, max, bytes: Map, stale: [old buffers] }
const tabs = []; // { obj, elem, length, max, slots: Map(index -> value) }
const globs = []; // { obj, type, mutable }
const insts = []; // { exports, mem, tab, glob }
const wasmFuncs = [];

const odd = [0, 1, 2, 3, -1, 1.5, NaN, '2', undefined, 65537, 2 ** 32, null];
// A descriptor with odd members. Node (V8) range-checks `initial` before it converts
// `maximum`, where WebIDL converts the whole dictionary first: with a maximum present,
// `initial` is never out of range, so both orders give the same error.
function descriptor(sizes, tooLarge) {
  const d = {};
  const withMax = rnd(2);
  if (rnd(8)) d.initial = pick(withMax ? sizes : [...sizes, tooLarge]);
  if (withMax) d.maximum = pick([...sizes, tooLarge, undefined]);
  return d;
}

function newMemory() {
  const d = descriptor([0, 1, 2, 3, -1, 1.5, NaN, '2', 2 ** 32], 65537);
  const r = attempt(`new Memory(${JSON.stringify(d)})`, () => new WebAssembly.Memory(d));
  if (r.ok) {
    mems.push({ obj: r.value, pages: r.value.buffer.byteLength / 65536, max: d.maximum === undefined ? 65536 : Math.trunc(Number(d.maximum)), bytes: new Map(), stale: [] });
  }
}

function growMemory(m) {
  // 70000 pages is past every maximum; memories stay far below 2 GiB (jsrt cannot give a
  // buffer of 2 GiB or more: QuickJS's ArrayBuffers are limited to 2^31 - 1 bytes).
  const delta = pick([0, 1, 2, 1, -1, 70000, 1.9, 'x']);
  const before = m.obj.buffer;
  const r = attempt(`mem.grow(${show(delta)})`, () => m.obj.grow(delta));
  if (r.ok) {
    if (r.value !== m.pages) fail(`grow returned ${r.value}, model has ${m.pages} pages`);
    m.pages += Math.trunc(Number(delta));
    m.stale.push(before);
  }
}

function writeMemory(m) {
  const len = m.pages * 65536;
  if (!len) return;
  const addr = rnd(Math.min(len, 200000));
  const v = rnd(256);
  new Uint8Array(m.obj.buffer)[addr] = v;
  m.bytes.set(addr, v);
  trace.push(`mem[${addr}] := ${v}`);
}

function newTable() {
  const d = descriptor([0, 1, 3, -1, 1.5, 'x'], 10000001);
  // (Not 'funcref': the JS API's TableKind is 'anyfunc' | 'externref'; jsrt also takes
  // 'funcref', as engines with the GC proposal do, where Node 20 throws.)
  d.element = pick(['anyfunc', 'externref', 'bogus', undefined]);
  // (A wrong initial value only where it is right for externref: V8 does not convert it
  // when `initial` is 0, where the spec's ToWebAssemblyValue throws; set/grow test the rest.)
  const init = rnd(3) ? undefined : pick([null, ...wasmFuncs.slice(0, 1), ...(d.element === 'externref' ? [{}] : [])]);
  const r = attempt(`new Table(${JSON.stringify(d)}, ${show(init)})`, () => (init === undefined ? new WebAssembly.Table(d) : new WebAssembly.Table(d, init)));
  if (r.ok) {
    const slots = new Map();
    for (let i = 0; i < r.value.length; i++) slots.set(i, init === undefined ? (d.element === 'externref' ? undefined : null) : init);
    tabs.push({ obj: r.value, elem: d.element === 'externref' ? 'externref' : 'anyfunc', length: r.value.length, slots });
  }
}

function tableValue(t) {
  return pick([null, undefined, {}, () => 1, 7, ...wasmFuncs]);
}

function growTable(t) {
  const delta = pick([0, 1, 2, -1, 10000001, 'x']);
  const init = rnd(2) ? undefined : tableValue(t);
  const r = attempt(`table.grow(${show(delta)}, ${show(init)})`, () => (init === undefined ? t.obj.grow(delta) : t.obj.grow(delta, init)));
  if (r.ok) {
    if (r.value !== t.length) fail(`table.grow returned ${r.value}, model has ${t.length}`);
    const n = Math.trunc(Number(delta));
    for (let i = 0; i < n; i++) t.slots.set(t.length + i, init === undefined ? (t.elem === 'externref' ? undefined : null) : init);
    t.length += n;
  }
}

function setTable(t) {
  const i = pick([0, 1, 2, t.length, -1, 'x']);
  const v = tableValue(t);
  const r = attempt(`table.set(${show(i)}, ${show(v)})`, () => t.obj.set(i, v));
  if (r.ok) t.slots.set(Number(i), v === undefined && t.elem !== 'externref' ? null : v);
}

function newGlobal() {
  const value = pick(['i32', 'i64', 'f32', 'f64', 'externref', 'anyfunc', 'v128', 'bogus']);
  const mutable = !!rnd(2);
  // (No explicit `undefined` for anyfunc: WebIDL makes it a missing argument, so the value is
  // null, as jsrt gives; Node 20 throws a TypeError.)
  const init = pick([value === 'anyfunc' ? null : undefined, 0, 1.5, -0, 2n, 'x', null, {}, 2 ** 40, ...wasmFuncs.slice(0, 1)]);
  const r = attempt(`new Global(${value}, ${mutable}, ${show(init)})`, () => new WebAssembly.Global({ value, mutable }, init));
  if (r.ok) {
    globs.push({ obj: r.value, type: value, mutable });
    attempt('  .value', () => r.value.value);
  }
}

function setGlobal(g) {
  const v = pick([0, 5, -1, 1.5, 3n, 'x', null, {}, ...wasmFuncs.slice(0, 1)]);
  attempt(`global(${g.type}${g.mutable ? ' mut' : ''}).value := ${show(v)}`, () => { g.obj.value = v; return g.obj.value; });
}

// Instantiation with imports that are right most of the time.
function instantiate() {
  const mem = rnd(6) ? pick(mems) : undefined;
  const tab = rnd(6) ? pick(tabs) : undefined;
  const glob = rnd(6) ? pick(globs) : undefined;
  const imports = {
    env: {
      mem: mem ? mem.obj : pick([undefined, 1, {}]),
      tab: tab ? tab.obj : pick([undefined, 1]),
      g: glob ? glob.obj : pick([undefined, 1]),
      cb: rnd(8) ? (x) => callback(x) : pick([undefined, 7]),
    },
  };
  const label = `instantiate(mem=${mem ? mems.indexOf(mem) : show(imports.env.mem)}, tab=${tab ? `${tabs.indexOf(tab)}:${tab.elem}` : show(imports.env.tab)}, g=${glob ? `${glob.type}${glob.mutable ? ' mut' : ''}` : show(imports.env.g)})`;
  const r = attempt(label, () => new WebAssembly.Instance(wasmModule, imports));
  const shouldWork = mem && tab && tab.elem === 'anyfunc' && glob && glob.type === 'i32' && glob.mutable && typeof imports.env.cb === 'function';
  if (r.ok !== !!shouldWork) fail(`${label}: instantiation ${r.ok ? 'worked' : 'failed'}`);
  if (r.ok) {
    const e = r.value.exports;
    insts.push({ exports: e, mem, tab, glob });
    wasmFuncs.push(e.answer, e.other);
  }
}

// What an import does while wasm runs: grows the caller's memory or table, or nothing.
let current = null;
let depth = 0;
function callback(x) {
  const inst = current;
  if (!inst || depth > 3) return 0;
  depth++;
  try {
    const k = rnd(4);
    if (k === 0) growMemory(inst.mem);
    else if (k === 1) growTable(inst.tab);
    else if (k === 2 && insts.length) callInstance(pick(insts));
    return x;
  } finally {
    depth--;
  }
}

function callInstance(inst) {
  const e = inst.exports;
  const saved = current;
  current = inst;
  try {
    switch (rnd(9)) {
      case 0: {
        const r = attempt('wasm size()', () => e.size());
        if (r.ok && r.value !== inst.mem.pages) fail(`size() ${r.value} vs model ${inst.mem.pages}`);
        break;
      }
      case 1: {
        const d = pick([0, 1, 2, -1, 70000]);
        const before = inst.mem.obj.buffer;
        const r = attempt(`wasm grow(${d})`, () => e.grow(d));
        if (r.ok && r.value !== -1) {
          if (r.value !== inst.mem.pages) fail(`grow() returned ${r.value} vs model ${inst.mem.pages}`);
          inst.mem.pages += d;
          if (d) inst.mem.stale.push(before);
        }
        break;
      }
      case 2: {
        const a = pick([0, 1, 65535, 65536, 131071, -1]);
        const r = attempt(`wasm load(${a})`, () => e.load(a));
        const inBounds = a >= 0 && a < inst.mem.pages * 65536;
        if (r.ok !== inBounds) fail(`load(${a}) ${r.ok ? 'worked' : 'trapped'} with ${inst.mem.pages} pages`);
        if (r.ok && inst.mem.bytes.has(a) && r.value !== inst.mem.bytes.get(a)) fail(`load(${a}) = ${r.value}, model ${inst.mem.bytes.get(a)}`);
        break;
      }
      case 3: {
        const a = pick([0, 1, 65535, 65536, 131071]);
        const v = rnd(256);
        const r = attempt(`wasm store(${a}, ${v})`, () => e.store(a, v));
        if (r.ok) inst.mem.bytes.set(a, v);
        break;
      }
      case 4: {
        const r = attempt('wasm tsize()', () => e.tsize());
        if (r.ok && r.value !== inst.tab.length) fail(`tsize() ${r.value} vs model ${inst.tab.length}`);
        break;
      }
      case 5: {
        const d = pick([0, 1, 3, 10000001]);
        const r = attempt(`wasm tgrow(${d})`, () => e.tgrow(d));
        if (r.ok && r.value !== -1) {
          for (let i = 0; i < d; i++) inst.tab.slots.set(inst.tab.length + i, null);
          inst.tab.length += d;
        }
        break;
      }
      case 6: {
        const i = pick([0, 1, 2, 5]);
        const r = attempt(`wasm tcall(${i})`, () => e.tcall(i));
        const slot = inst.tab.slots.get(i);
        if (r.ok && slot !== e.answer && !(slot && slot.name === e.answer.name && r.value === 42)) {
          // Another instance's `answer` is a different function with the same result.
          if (r.value !== 42) fail(`tcall(${i}) = ${r.value} with slot ${show(slot)}`);
        }
        break;
      }
      case 7: {
        const v = pick([0, 7, -1]);
        attempt(`wasm gset(${v}); gget()`, () => { e.gset(v); return e.gget(); });
        if (inst.glob.obj.value !== v) fail(`global after gset(${v}) reads ${inst.glob.obj.value}`);
        break;
      }
      default: {
        const r = attempt('wasm reenter(1)', () => e.reenter(1));
        if (r.ok && r.value !== inst.mem.pages * 65536 + inst.tab.length) fail(`reenter() sees ${r.value}, model ${inst.mem.pages * 65536 + inst.tab.length}`);
      }
    }
  } finally {
    current = saved;
  }
}

// Every object agrees with the model.
function check() {
  for (const [k, m] of mems.entries()) {
    if (m.obj.buffer.byteLength !== m.pages * 65536) fail(`memory ${k}: ${m.obj.buffer.byteLength} bytes, model ${m.pages} pages`);
    for (const old of m.stale) if (old.byteLength !== 0) fail(`memory ${k}: a buffer from before a grow is not detached`);
    const view = new Uint8Array(m.obj.buffer);
    for (const [a, v] of m.bytes) if (view[a] !== v) fail(`memory ${k}[${a}] = ${view[a]}, model ${v}`);
  }
  for (const [k, t] of tabs.entries()) {
    if (t.obj.length !== t.length) fail(`table ${k}: length ${t.obj.length}, model ${t.length}`);
    for (const [i, v] of t.slots) {
      if (i < t.length && t.obj.get(i) !== v) fail(`table ${k}[${i}] = ${show(t.obj.get(i))}, model ${show(v)}`);
    }
  }
}

const ops = [
  [3, newMemory], [3, newTable], [3, newGlobal], [6, instantiate],
  [4, () => mems.length && growMemory(pick(mems))], [4, () => mems.length && writeMemory(pick(mems))],
  [4, () => tabs.length && growTable(pick(tabs))], [4, () => tabs.length && setTable(pick(tabs))],
  [3, () => globs.length && setGlobal(pick(globs))], [20, () => insts.length && callInstance(pick(insts))],
];
const weights = ops.reduce((n, [w]) => n + w, 0);
for (let i = 0; i < OPS; i++) {
  let r = rnd(weights);
  for (const [w, op] of ops) {
    if (r < w) { op(); break; }
    r -= w;
  }
  if (i % 50 === 49) check();
}
check();
for (const line of trace) console.log(line);
console.log(`${OPS} operations: ${mems.length} memories, ${tabs.length} tables, ${globs.length} globals, ${insts.length} instances; model mismatches: ${failures}`);
if (failures) process.exitCode = 1;
