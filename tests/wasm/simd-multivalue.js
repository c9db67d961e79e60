// v128 values in blocks with several values: results, params, branches, if/else, two v128s.
// WAMR's fast interpreter copied only half of each v128 there (vendor/wamrx-sys/JSRT.md);
// the expected values are what Node prints for the same module.
const assert = require('jsrt:assert');
const fs = require('jsrt:fs');

const { exports: e } = new WebAssembly.Instance(new WebAssembly.Module(fs.readFileSync(`${__dirname}/fixtures/simd-multivalue.wasm`)));
function run(name, ...args) {
  new Uint32Array(e.mem.buffer, 0, 8).fill(0xdead);
  const r = e[name](...args);
  return [r, ...new Uint32Array(e.mem.buffer, 0, name === 'two_v128' ? 8 : 4)];
}
for (const name of ['res_i32_v128', 'res_v128_i32', 'param_v128_i32', 'loop_param_v128_i32', 'br_i32_v128']) {
  assert.deepStrictEqual(run(name), [9, 1, 2, 3, 4], name);
}
assert.deepStrictEqual(run('if_i32_v128', 1), [9, 1, 2, 3, 4]);
assert.deepStrictEqual(run('if_i32_v128', 0), [8, 5, 6, 7, 8]);
assert.deepStrictEqual(run('br_if_i64_v128', 1), [7, 1, 2, 3, 4]);
assert.deepStrictEqual(run('br_if_i64_v128', 0), [6, 5, 6, 7, 8]);
assert.deepStrictEqual(run('br_table_v128_f64', 0), [8, 5, 6, 7, 8]);
assert.deepStrictEqual(run('br_table_v128_f64', 1), [9, 1, 2, 3, 4]);
assert.deepStrictEqual(run('two_v128'), [0, 1, 2, 3, 4, 5, 6, 7, 8]);
console.log('simd multivalue ok');
