// Package resolution as Node does it: package.json "exports" (import/require/node/default
// conditions in the file's order, nested conditions, subpaths, patterns, null targets, arrays),
// "imports" (#name, with a bare target), self-reference, scoped packages, packages without
// "exports" (main, deep paths), and the errors' codes. The packages are written to a temp dir.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'jsrt-exports-'));
const write = (file, text) => {
  fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
  fs.writeFileSync(path.join(root, file), typeof text === 'string' ? text : JSON.stringify(text, null, 1));
};
const nm = 'app/node_modules';
// A dual package with nested conditions (as wasm-feature-detect, yoga-layout ship them).
write(`${nm}/dual/package.json`, { name: 'dual', main: './cjs.cjs', exports: { '.': { import: { types: './x.d.ts', default: './esm.mjs' }, require: { types: './x.d.cts', default: './cjs.cjs' } }, './package.json': './package.json' } });
write(`${nm}/dual/esm.mjs`, "export const kind = 'esm';\n");
write(`${nm}/dual/cjs.cjs`, "exports.kind = 'cjs';\n");
// The first matching key wins, whatever it is.
write(`${nm}/order/package.json`, { exports: { default: './d.js', import: './i.mjs' } });
write(`${nm}/order/d.js`, "module.exports = 'default first';\n");
write(`${nm}/order/i.mjs`, "export default 'import';\n");
// Subpaths and patterns.
write(`${nm}/sub/package.json`, { name: 'sub', exports: { '.': './main.js', './feature': './lib/feature.js', './utils/*': './lib/utils/*.js', './utils/special/*': './lib/special/*.js', './internal/*': null, './multi': [{ worker: './nope.js' }, './lib/multi.js'], './self': './lib/self.js' } });
write(`${nm}/sub/main.js`, "module.exports = 'sub main';\n");
write(`${nm}/sub/lib/feature.js`, "module.exports = 'feature';\n");
write(`${nm}/sub/lib/utils/a.js`, "module.exports = 'utils/a';\n");
write(`${nm}/sub/lib/utils/deep/b.js`, "module.exports = 'utils/deep/b';\n");
write(`${nm}/sub/lib/special/c.js`, "module.exports = 'special/c';\n");
write(`${nm}/sub/lib/internal/x.js`, "module.exports = 'internal';\n");
write(`${nm}/sub/lib/multi.js`, "module.exports = 'multi';\n");
write(`${nm}/sub/lib/self.js`, "module.exports = 'self -> ' + require('sub/feature');\n");
// "exports" as a string.
write(`${nm}/sugar/package.json`, { exports: './entry.js' });
write(`${nm}/sugar/entry.js`, "module.exports = 'sugar';\n");
// No "exports": main (a folder), deep paths.
write(`${nm}/legacy/package.json`, { main: 'lib' });
write(`${nm}/legacy/lib/index.js`, "module.exports = 'legacy main';\n");
write(`${nm}/legacy/other.js`, "module.exports = 'legacy other';\n");
write(`${nm}/@scope/pkg/package.json`, { exports: { './sub': { node: './node.js', default: './browser.js' } } });
write(`${nm}/@scope/pkg/node.js`, "module.exports = 'scoped node';\n");
// "imports".
write('app/package.json', { name: 'app', imports: { '#dep': { node: './dep-node.js', default: './dep.js' }, '#ext': 'legacy', '#lib/*': './lib/*.js' } });
write('app/dep-node.js', "module.exports = 'dep for node';\n");
write('app/lib/x.js', "module.exports = 'lib x';\n");
write('app/main.cjs', `
const show = (spec) => { try { console.log('require', spec, '->', JSON.stringify(require(spec))); } catch (e) { console.log('require', spec, '->', e.code); } };
for (const s of ['dual', 'dual/package.json', 'order', 'sub', 'sub/feature', 'sub/utils/a', 'sub/utils/deep/b', 'sub/utils/special/c', 'sub/internal/x', 'sub/lib/feature.js', 'sub/multi', 'sub/self', 'sugar', 'sugar/entry.js', 'legacy', 'legacy/other', 'legacy/other.js', '@scope/pkg/sub', '@scope/pkg', '#dep', '#ext', '#lib/x', '#missing', 'nonexistent', 'sub/nope']) show(s);
`);
write('app/main.mjs', `
const show = async (spec) => { try { const m = await import(spec); console.log('import', spec, '->', JSON.stringify(Object.keys(m).sort()), JSON.stringify(m.default ?? m.kind)); } catch (e) { console.log('import', spec, '->', e.code); } };
for (const s of ['dual', 'order', 'sub', 'sub/utils/deep/b', 'sub/internal/x', 'sub/lib/feature.js', 'sugar', 'legacy', '@scope/pkg/sub', '#dep', '#ext', '#lib/x', '#missing', 'nonexistent']) await show(s);
console.log('meta.resolve', import.meta.resolve('dual').replace(/.*node_modules/, '...'));
`);
createRequire(path.join(root, 'app/x.js'))(path.join(root, 'app/main.cjs'));
await import(path.join(root, 'app/main.mjs'));
fs.rmSync(root, { recursive: true });
