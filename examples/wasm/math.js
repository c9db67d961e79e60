// jsrt examples/wasm/math.js: numeric types across the boundary, multi-value, and traps.
const path = require('jsrt:path');
const { wasmFromWat } = require('./wat.js');

const { add, mul64, hypot, divmod, div } = new WebAssembly.Instance(
  new WebAssembly.Module(wasmFromWat(path.join(__dirname, 'math.wat'))),
).exports;
console.log('add(2, 3) =', add(2, 3));
console.log('mul64(2n**40n, 3n) =', mul64(2n ** 40n, 3n));
console.log('hypot(3, 4) =', hypot(3, 4));
console.log('divmod(17, 5) =', divmod(17, 5));
try {
  div(1, 0);
} catch (e) {
  console.log(`div(1, 0) threw ${e.name}: ${e.message} (instanceof WebAssembly.RuntimeError: ${e instanceof WebAssembly.RuntimeError})`);
}
