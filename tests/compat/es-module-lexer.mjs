// es-module-lexer (C compiled with clang to wasm, embedded): the import/export lexer Vite uses.
import { init, parse } from 'es-module-lexer';
import { readFileSync, readdirSync } from 'node:fs';
import assert from 'node:assert';

await init;
const src = `import a from 'a';
export const x = 1, y = 2;
import('dyn' + x);
export { y as z } from "./m.js";
const m = import.meta.url;
const s = \`export const notAnExport = 1\`; // import b from 'no'
export default function f() {}`;
const [imports, exports, , hasModuleSyntax] = parse(src);
for (const i of imports) console.log('import', i.n, i.d, JSON.stringify(src.slice(i.ss, i.se)));
for (const e of exports) console.log('export', e.n, e.ln);
assert.equal(hasModuleSyntax, true);
assert.deepEqual(exports.map((e) => e.n), ['x', 'z', 'default']);

// Real files: every .js/.mjs of a few packages, with the totals.
let files = 0, nImports = 0, nExports = 0, errors = 0;
for (const dir of ['node_modules/es-module-lexer/dist', 'node_modules/yoga-layout/dist/src', 'node_modules/web-tree-sitter']) {
  for (const name of readdirSync(dir).filter((n) => /\.m?js$/.test(n)).sort()) {
    const text = readFileSync(`${dir}/${name}`, 'utf8');
    try {
      const [im, ex] = parse(text);
      files++; nImports += im.length; nExports += ex.length;
    } catch (e) {
      errors++;
      console.log('parse error', name, e.idx);
    }
  }
}
console.log({ files, nImports, nExports, errors });
try {
  parse('export { a as };');
} catch (e) {
  console.log('syntax error at', e.idx);
}
