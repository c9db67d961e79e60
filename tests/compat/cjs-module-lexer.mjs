// cjs-module-lexer (C to wasm): how Node finds a CommonJS module's named exports.
import { init, parse } from 'cjs-module-lexer';
import { readFileSync } from 'node:fs';
import assert from 'node:assert';

await init();
const out = parse(`
  exports.a = 1;
  module.exports.b = function () {};
  Object.defineProperty(exports, 'c', { enumerable: true, value: 3 });
  __esModule = true;
  if (x) module.exports = require('./other.js');
  module.exports = { d, e, 'f': f, ...require('./spread') };
`);
console.log(JSON.stringify(out));
assert.deepEqual(out.exports.sort(), ['a', 'b', 'c', 'd', 'e', 'f']);
assert.deepEqual(out.reexports, ['./spread']);
for (const file of ['node_modules/cjs-module-lexer/lexer.js', 'node_modules/sql.js/dist/sql-wasm.js', 'node_modules/wabt/index.js', 'node_modules/hash-wasm/dist/index.umd.js']) {
  try {
    const r = parse(readFileSync(file, 'utf8'));
    console.log(file, r.exports.length, r.reexports.length, r.exports.slice(0, 5).join());
  } catch (e) {
    console.log(file, 'error', e.message);
  }
}
