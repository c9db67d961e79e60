// @rollup/wasm-node (rollup with its Rust parser, SWC, compiled to wasm): bundle an in-memory
// project through a virtual-file plugin, tree-shaking, ESM and CommonJS output, a syntax error.
import { rollup } from '@rollup/wasm-node';

const files = {
  'main.js': "import { used } from './lib.js';\nimport data from './data.js';\nexport const answer = used(data.n);\nconsole.log(answer);\n",
  'lib.js': 'export function used(n) { return n * 2; }\nexport function unused() { return "shaken off"; }\nexport class Big { constructor() { this.x = 1; } }\n',
  'data.js': 'export default { n: 21, label: `tpl ${1 + 1}` };\n',
  'bad.js': 'export const = 1;\n',
};
const virtual = {
  name: 'virtual',
  resolveId: (id) => id.replace(/^\.\//, ''),
  load: (id) => files[id],
};
const bundle = await rollup({ input: 'main.js', plugins: [virtual] });
for (const format of ['es', 'cjs', 'iife']) {
  const { output } = await bundle.generate({ format, name: 'Demo' });
  console.log(`--- ${format}\n${output[0].code}`);
}
console.log('modules', bundle.cache.modules.map((m) => m.id).sort().join());
await bundle.close();
try {
  await rollup({ input: 'bad.js', plugins: [virtual] });
} catch (e) {
  console.log('error', e.code, e.message.split('\n')[0]);
}
