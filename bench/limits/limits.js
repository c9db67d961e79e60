// Compile time of modules at 10 %, 50 % and 100 % of each of the JS API's limits
// (tests/wasm/fixtures/limit-modules.js builds them), as time per entry: a step that is
// quadratic anywhere (name maps, export lookups, rewrites, type deduplication) shows as a
// per-entry time that grows with the size. Prints one JSON line per limit. Runs under jsrt
// and Node (which stops at its own, older limits: such rows say so).
'use strict';
const { LIMITS, BUILDERS } = require('../../tests/wasm/fixtures/limit-modules.js');

const only = process.argv[2];
const best = (f, runs) => {
  let min = Infinity;
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    f();
    min = Math.min(min, performance.now() - t);
  }
  return min;
};
for (const [name, build] of Object.entries(BUILDERS)) {
  if (only && name !== only) continue;
  // Distinct types only when asked for by name (Node 20 takes minutes on them).
  if (!only && name === 'distinctTypes') continue;
  const limit = LIMITS[name];
  if (limit < 1000) continue; // params, results, memories: nothing to measure
  const row = { name, limit };
  for (const pct of [10, 50, 100]) {
    const n = Math.round(limit * pct / 100);
    const bytes = build(n);
    try {
      // Validation alone, then compilation (which validates again, then prepares and loads).
      const validate = best(() => WebAssembly.validate(bytes), pct === 100 ? 1 : 3);
      const compile = best(() => new WebAssembly.Module(bytes), pct === 100 ? 1 : 3);
      row[pct] = { n, bytes: bytes.length, validate_ms: +validate.toFixed(1), compile_ms: +compile.toFixed(1), ns_per_entry: +(compile * 1e6 / n).toFixed(1) };
    } catch (e) {
      row[pct] = { n, error: `${e.constructor.name}: ${e.message.slice(0, 60)}` };
    }
  }
  console.log(JSON.stringify(row));
}
