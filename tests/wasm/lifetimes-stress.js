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
console.log('wasm lifetimes stress ok');
