// Which files are ES modules and which CommonJS, compared with Node (crates/jsrt/tests/
// compat.rs): package.json "type", .mjs/.cjs, and for a .js file without a type, the parser
// (syntax detection), never a text search. Fixtures in fixtures/module-type/.
const lines = [];
const show = (label, f) => {
  try {
    lines.push(`${label}: ${JSON.stringify(f())}`);
  } catch (e) {
    lines.push(`${label}: ${e.name}`);
  }
};
show('cjs-template require', () => require('./fixtures/module-type/cjs-template.js'));
show('typed-commonjs require', () => require('./fixtures/module-type/typed-commonjs/a.js'));
show('typed-commonjs module syntax', () => require('./fixtures/module-type/typed-commonjs/esm-syntax.js'));
show('explicit.cjs', () => require('./fixtures/module-type/explicit.cjs'));
(async () => {
  const load = async (label, spec, pick) => {
    try {
      lines.push(`${label}: ${JSON.stringify(pick(await import(spec)))}`);
    } catch (e) {
      lines.push(`${label}: ${e.name}`);
    }
  };
  await load('cjs-template import', './fixtures/module-type/cjs-template.js', (ns) => ns.default);
  await load('esm-detected', './fixtures/module-type/esm-detected.js', (ns) => ({ ...ns }));
  await load('esm-await', './fixtures/module-type/esm-await.js', () => globalThis.moduleTypeAwait);
  await load('typed-module', './fixtures/module-type/typed-module/plain.js', () => globalThis.moduleTypePlain);
  await load('typed-commonjs import', './fixtures/module-type/typed-commonjs/a.js', (ns) => ns.default);
  await load('typed-commonjs import of module syntax', './fixtures/module-type/typed-commonjs/esm-syntax.js', (ns) => ns);
  await load('explicit.mjs', './fixtures/module-type/explicit.mjs', (ns) => ({ ...ns }));
  for (const l of lines) console.log(l);
})();
