// esbuild-wasm's JavaScript API: it starts its compiler (Go compiled to wasm) in a child process
// (this runtime again) and talks to it over the child's stdin and stdout while it runs: transform
// TypeScript, bundle through a plugin with onResolve/onLoad callbacks, a syntax error.
const esbuild = require('esbuild-wasm');
(async () => {
  const r = await esbuild.transform('let x: number = 1 + 2; export default x', { loader: 'ts', minify: true });
  console.log(JSON.stringify(r.code));
  const b = await esbuild.build({ stdin: { contents: 'import {a} from "./a"; console.log(a)', resolveDir: '.', loader: 'js' }, bundle: true, write: false, plugins: [{ name: 'v', setup(build) { build.onResolve({ filter: /^\.\/a$/ }, () => ({ path: 'a', namespace: 'v' })); build.onLoad({ filter: /.*/, namespace: 'v' }, () => ({ contents: 'export const a = 42', loader: 'js' })); } }] });
  console.log(b.outputFiles[0].text);
  await esbuild.transform('let = ;').catch((e) => console.log('error', e.errors[0].text));
  esbuild.stop?.();
})();
