// lightningcss-wasm (the Lightning CSS parser/minifier in Rust, wasm-bindgen): minify, nesting and
// vendor prefixes for old browsers, CSS modules, an error with its location.
import init, { transform, browserslistToTargets } from 'lightningcss-wasm';

await init();
const enc = new TextEncoder();
const dec = new TextDecoder();
const css = `
.card { display: flex; user-select: none; color: rgb(255 0 0 / 50%);
  & .title { font-weight: bold; transition: transform .2s ease-in-out }
  &:hover { backdrop-filter: blur(4px) }
}
@media (min-width: 600px) and (max-width: 900px) { .card { margin: 0 auto 0 auto } }
.unused { color: #ffffff; }
`;
const targets = { chrome: 80 << 16, safari: 12 << 16, firefox: 70 << 16 };
const out = transform({ filename: 'a.css', code: enc.encode(css), minify: true, targets, drafts: { nesting: true } });
console.log(dec.decode(out.code));
const modules = transform({ filename: 'm.css', code: enc.encode('.a { color: red } .b { composes: a; }'), cssModules: true, minify: true });
console.log(dec.decode(modules.code), JSON.stringify(Object.keys(modules.exports).sort()));
try {
  transform({ filename: 'bad.css', code: enc.encode('.x { color: red; } }}}} @media {'), minify: true, errorRecovery: false });
  console.log('no error');
} catch (e) {
  console.log('error', e.message, JSON.stringify(e.loc));
}
