// Randomised check of shared funcref tables against a model: three instances and JS share one
// table; a fixed-seed sequence of writes (from JS and from wasm in each instance), growth
// (both sides) and calls through every instance must behave like one plain array of functions.
const assert = require('jsrt:assert');
const fs = require('jsrt:fs');
const mod = new WebAssembly.Module(fs.readFileSync(`${__dirname}/fixtures/table-shared.wasm`));

let seed = 0x5eed;
const rand = (n) => {
  seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
  return (seed >>> 8) % n;
};

const table = new WebAssembly.Table({ element: 'anyfunc', initial: 8, maximum: 3000 });
const model = new Array(8).fill(null); // instance id or null
let pokeAction = null;
const parties = [1, 2, 3].map((id) => new WebAssembly.Instance(mod, { env: { tbl: table, id, poke: () => pokeAction?.() } }).exports);
const fnOf = (id) => parties[id - 1].mine;

for (let step = 0; step < 6000; step++) {
  const p = parties[rand(3)];
  const pid = parties.indexOf(p) + 1;
  const i = rand(model.length + 2); // sometimes out of bounds
  switch (rand(7)) {
    case 0: { // JS writes a function or null
      const id = rand(4);
      if (i >= model.length) {
        assert.throws(() => table.set(i, id ? fnOf(id) : null), RangeError);
      } else {
        table.set(i, id ? fnOf(id) : null);
        model[i] = id || null;
      }
      break;
    }
    case 1: // wasm writes its own function
      if (i >= model.length) assert.throws(() => p.put(i), WebAssembly.RuntimeError);
      else { p.put(i); model[i] = pid; }
      break;
    case 2: { // call through some instance
      if (i >= model.length || model[i] === null) assert.throws(() => p.call(i), WebAssembly.RuntimeError);
      else assert.strictEqual(p.call(i), model[i], `step ${step}: call ${i}`);
      break;
    }
    case 3: { // JS reads
      if (i >= model.length) assert.throws(() => table.get(i), RangeError);
      else assert.strictEqual(table.get(i), model[i] === null ? null : fnOf(model[i]), `step ${step}: get ${i}`);
      break;
    }
    case 4: { // growth, from JS or wasm
      const delta = rand(6);
      if (rand(2)) {
        if (model.length + delta > 3000) assert.throws(() => table.grow(delta), RangeError);
        else { assert.strictEqual(table.grow(delta), model.length); for (let k = 0; k < delta; k++) model.push(null); }
      } else {
        const r = p.grow(delta);
        if (r === -1) assert.ok(model.length + delta > 3000, `step ${step}: grow refused`);
        else { assert.strictEqual(r, model.length); for (let k = 0; k < delta; k++) model.push(pid); }
      }
      assert.strictEqual(table.length, model.length);
      for (const q of parties) assert.strictEqual(q.size(), model.length);
      break;
    }
    case 5: { // a write by JS while wasm runs, then the call sees it
      if (i >= model.length) break;
      const id = rand(3) + 1;
      pokeAction = () => table.set(i, fnOf(id));
      assert.strictEqual(p.pokeThenCall(i), id);
      model[i] = id;
      pokeAction = null;
      break;
    }
    case 6: { // wasm reads
      if (i >= model.length) break;
      assert.strictEqual(p.get(i), model[i] === null ? null : fnOf(model[i]));
      break;
    }
  }
}
assert.ok(model.length > 8, 'the table grew');
console.log('wasm table model ok', model.length);
