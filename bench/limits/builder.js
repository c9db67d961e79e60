// bench/limits: how fast the JavaScript engine runs the code the official JS-API limit tests
// build their modules with (wpt wasm/jsapi/limits.any.js uses the spec's WasmModuleBuilder),
// written here from its description, not copied.
// The pattern the JS-API tests' WasmModuleBuilder spends its time in: an Array subclass
// filled byte by byte, copied into the parent section with for-of, then into a Uint8Array.
class Binary extends Array {
  emit_u8(v) { this.push(v); }
  emit_u32v(val) { while (true) { let v = val & 0xff; val = val >>> 7; if (val == 0) { this.push(v); break; } this.push(v | 0x80); } }
}
const N = +(process.argv[2] || 5000000);
let t = performance.now();
const section = new Binary();
for (let i = 0; i < N; i++) section.emit_u32v(i & 0x7f);
const t1 = performance.now() - t; t = performance.now();
const out = new Binary();
for (const b of section) out.push(b);
const t2 = performance.now() - t; t = performance.now();
const view = new Uint8Array(out.length);
for (let i = 0; i < out.length; i++) view[i] = out[i] | 0;
const t3 = performance.now() - t;
console.log(JSON.stringify({ N, emit_ms: Math.round(t1), copy_ms: Math.round(t2), toBuffer_ms: Math.round(t3) }));
