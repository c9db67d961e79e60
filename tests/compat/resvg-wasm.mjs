// @resvg/resvg-wasm (the resvg SVG renderer in Rust, wasm-bindgen): an SVG rendered to PNG, its
// size and pixel checksum, text bounding boxes without fonts, a malformed SVG refused.
import { initWasm, Resvg } from '@resvg/resvg-wasm';
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';

await initWasm(readFileSync('node_modules/@resvg/resvg-wasm/index_bg.wasm'));
const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="200" height="120" viewBox="0 0 200 120">
  <defs><linearGradient id="g" x1="0" x2="1"><stop offset="0" stop-color="#f06"/><stop offset="1" stop-color="#06f"/></linearGradient></defs>
  <rect x="10" y="10" width="180" height="100" rx="15" fill="url(#g)"/>
  <circle cx="100" cy="60" r="35" fill="none" stroke="#fff" stroke-width="6" opacity="0.8"/>
  <path d="M20 100 Q 100 0 180 100" stroke="#000" fill="none" stroke-dasharray="4 3"/>
</svg>`;
const resvg = new Resvg(svg, { fitTo: { mode: 'width', value: 400 }, background: '#eeeeee' });
const image = resvg.render();
console.log(image.width, image.height, createHash('sha256').update(image.pixels).digest('hex').slice(0, 16));
const png = image.asPng();
console.log('png', png.length > 1000, Buffer.from(png.subarray(0, 8)).toString('hex'));
const box = resvg.getBBox();
console.log('bbox', box && [box.x, box.y, box.width, box.height].map((v) => v.toFixed(2)).join(' '));
try {
  new Resvg('<svg><rect');
} catch (e) {
  console.log('malformed:', String(e.message ?? e).slice(0, 60));
}
