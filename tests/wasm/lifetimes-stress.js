// jsrt-flags: --expose-gc --wasm-stack-size 64K
// Randomised lifetimes stress (fixed seeds): instances whose JS imports refer back to them come
// and go, put their functions into two shared tables, JS moves functions between the tables,
// and full GCs run all the time; every call through a table (from wasm or JS) must still reach
// the right function — a freed instance or import would crash or answer wrong.
const assert = require('jsrt:assert');
const fs = require('jsrt:fs');
const mod = new WebAssembly.Module(fs.readFileSync(`${__dirname}/fixtures/table-shared.wasm`));
let seed;
const rand = (n) => { seed = (Math.imul(seed, 1103515245) + 12345) >>> 0; return (seed >>> 8) % n; };
for (const startSeed of [1, 2, 3, 21]) {
  seed = startSeed;
  const tables = [new WebAssembly.Table({ element: 'anyfunc', initial: 8, maximum: 64 }), new WebAssembly.Table({ element: 'anyfunc', initial: 8, maximum: 64 })];
  const model = tables.map((t) => new Array(t.length).fill(null));
  let live = [];
  let nextId = 1;
  let pokes = 0;
  for (let step = 0; step < 3000; step++) {
    switch (rand(8)) {
      case 0: case 1: { // new instance on a random table; its poke closure refers back to it
        const ti = rand(2);
        const id = nextId++;
        let inst;
        inst = new WebAssembly.Instance(mod, { env: { tbl: tables[ti], id, poke: () => { pokes++; inst.exports.size(); } } });
        live.push({ e: inst.exports, ti, id });
        break;
      }
      case 2: while (live.length > 20) live.splice(rand(live.length), 1); if (live.length) live.splice(rand(live.length), 1); break; // drop
      case 3: { // put own function into its table
        if (!live.length) break;
        const x = live[rand(live.length)];
        const i = rand(model[x.ti].length);
        x.e.put(i);
        model[x.ti][i] = x.id;
        break;
      }
      case 4: { // call through some live instance of that table, or through JS
        const ti = rand(2);
        const i = rand(model[ti].length);
        const users = live.filter((x) => x.ti === ti);
        if (model[ti][i] === null) break;
        if (users.length) assert.strictEqual(users[rand(users.length)].e.call(i), model[ti][i], `step ${step}`);
        else assert.strictEqual(tables[ti].get(i)(), model[ti][i], `step ${step} via JS`);
        break;
      }
      case 5: gc(); break;
      case 6: { // poke: a JS closure of a live instance runs, then a call
        if (!live.length) break;
        const x = live[rand(live.length)];
        const i = rand(model[x.ti].length);
        if (model[x.ti][i] === null) break;
        assert.strictEqual(x.e.pokeThenCall(i), model[x.ti][i]);
        break;
      }
      case 7: { // JS moves a function between tables (foreign in the other table's users)
        const from = rand(2), to = 1 - from;
        const i = rand(model[from].length), j = rand(model[to].length);
        tables[to].set(j, tables[from].get(i));
        model[to][j] = model[from][i];
        break;
      }
    }
  }
  gc();
}

// The same for functions imported straight from other instances, funcref globals (shared and
// immutable) and funcrefs passed between instances without JS in between.
const load = (n) => new WebAssembly.Module(fs.readFileSync(`${__dirname}/fixtures/${n}.wasm`));
const src = load('funcref-source'), imp = load('funcref-import'), glob = load('funcref-global'), pass = load('funcref-pass');
for (const startSeed of [1, 2, 3]) {
  seed = startSeed;
  let sources = [], importers = [], globals = [];
  const g = new WebAssembly.Global({ value: 'anyfunc', mutable: true }, null);
  let gval = null; // expected: function (x) => x * k
  for (let step = 0; step < 4000; step++) {
    switch (rand(9)) {
      case 0: sources.push(new WebAssembly.Instance(src).exports); break;
      case 1: { // importer with direct import of a source's double and a funcref global of another
        if (!sources.length) break;
        const a = sources[rand(sources.length)], b = sources[rand(sources.length)];
        importers.push({ e: new WebAssembly.Instance(imp, { a: { double: a.double, g: b.triple } }).exports });
        break;
      }
      case 2: if (sources.length > 5) sources.splice(rand(sources.length), 1); if (importers.length > 8) importers.splice(rand(importers.length), 1); break;
      case 3: { // foreign function into an importer's table, then call
        if (!importers.length || !sources.length) break;
        const x = importers[rand(importers.length)], s = sources[rand(sources.length)];
        x.e.set(2, rand(2) ? s.double : s.triple);
        const r = x.e.call(2, 7);
        assert.ok(r === 14 || r === 21);
        break;
      }
      case 4: if (importers.length) assert.strictEqual(importers[rand(importers.length)].e.callGlobal(3), 9); break;
      case 5: if (rand(8) === 0) gc(); break;
      case 6: { // shared funcref global
        const id = rand(5) + 1;
        let inst;
        inst = new WebAssembly.Instance(glob, { env: { g, id } });
        globals.push(inst.exports);
        if (globals.length > 6) globals.splice(rand(globals.length), 1);
        if (rand(2)) { inst.exports.setMine(); gval = id; }
        if (gval !== null) assert.strictEqual(globals[rand(globals.length)].callG(), gval);
        break;
      }
      case 7: { // instance-to-instance funcref passing
        if (!importers.length) break;
        const x = importers[rand(importers.length)];
        const p = new WebAssembly.Instance(pass, { b: { id: x.e.id, callRef: x.e.callRef } }).exports;
        assert.strictEqual(p.roundTrip(1), 2);
        assert.strictEqual(p.viaOther(4), 5);
        break;
      }
      case 8: if (importers.length && rand(3) === 0) { const f = importers[rand(importers.length)].e.get(rand(3)); if (f) f(1); } break;
    }
  }
}
gc();
console.log('wasm lifetimes stress ok');
